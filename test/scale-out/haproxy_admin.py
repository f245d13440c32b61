"""HAProxy: started from test/scale-out/haproxy.cfg as a child process, and
driven through its runtime API (the stats socket): per-server state and
counters (`show stat`, CSV) and administrative state (`set server ... state`)."""
import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import time

# Per-server counters kept in the report (names as `show stat` prints them).
SERVER_FIELDS = (
    "status", "lbtot", "hrsp_2xx", "hrsp_4xx", "hrsp_5xx", "econ", "eresp", "wretr", "wredis",
    "chkfail", "chkdown", "downtime", "scur", "qcur",
)


class HAProxy:
    def __init__(self, config, env, log_path):
        self.config = config
        self.env = env
        self.socket_path = env["SCALEOUT_STATS_SOCKET"]
        self.log_path = log_path
        self.process = None

    def start(self, timeout_s=10.0):
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        check = subprocess.run([binary, "-c", "-f", self.config], env={**os.environ, **self.env},
                               capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"haproxy -c rejected {self.config}: {check.stdout}{check.stderr}")
        log = open(self.log_path, "wb")  # noqa: SIM115
        # -db: stay in the foreground, so the process is ours to end by PID.
        self.process = subprocess.Popen([binary, "-db", "-f", self.config], env={**os.environ, **self.env},
                                        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {self.process.returncode}; see {self.log_path}")
            try:
                self.command("show info")
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"haproxy's stats socket did not answer in {timeout_s} s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def command(self, line):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(self.socket_path)
            s.sendall(line.encode() + b"\n")
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self, backend):
        """{server name: {field: value}} for one backend, from `show stat`."""
        text = self.command("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {
            row["svname"]: {f: (int(row[f]) if row[f].isdigit() else row[f]) for f in SERVER_FIELDS}
            for row in rows
            if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def backend_totals(self, backend):
        text = self.command("show stat").lstrip("# ")
        for row in csv.DictReader(io.StringIO(text)):
            if row["pxname"] == backend and row["svname"] == "BACKEND":
                return {f: int(row[f]) for f in ("req_tot", "hrsp_2xx", "hrsp_5xx", "econ", "eresp", "wretr", "wredis")}
        raise KeyError(backend)

    def set_state(self, backend, server, state):
        answer = self.command(f"set server {backend}/{server} state {state}").strip()
        if answer:
            raise RuntimeError(f"set server {backend}/{server} state {state}: {answer}")

    def wait_status(self, backend, server, predicate, timeout_s):
        """Polls `show stat` until predicate(server's fields) holds; returns the
        seconds waited, or raises after timeout_s."""
        started = time.monotonic()
        while True:
            fields = self.servers(backend)[server]
            if predicate(fields):
                return time.monotonic() - started
            if time.monotonic() - started > timeout_s:
                raise RuntimeError(f"{backend}/{server} still {fields['status']} after {timeout_s} s")
            time.sleep(0.05)
