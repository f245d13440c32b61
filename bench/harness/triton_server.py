"""One tritonserver on free loopback ports, its HTTP API and statistics."""
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import numpy as np

from harness.log import BenchError
from harness.paths import BUILD, TRITON_DIR


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {"error": text}


class Server:
    def __init__(self, repo, env=None, cgroup=None):
        """cgroup: a harness.cgroup.CpuQuotaCgroup to start the server in."""
        self.ports = {"http": free_port(), "grpc": free_port(), "metrics": free_port()}
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.log_path = BUILD / "logs" / f"tritonserver-{stamp}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)  # a bench run first in a fresh checkout
        self.log = open(self.log_path, "w")
        cmd = [
            str(TRITON_DIR / "bin" / "tritonserver"),
            f"--model-repository={repo}",
            f"--backend-directory={BUILD / 'backends'}",
            "--http-address=127.0.0.1", "--grpc-address=127.0.0.1", "--metrics-address=127.0.0.1",
            f"--http-port={self.ports['http']}", f"--grpc-port={self.ports['grpc']}",
            f"--metrics-port={self.ports['metrics']}",
            "--exit-timeout-secs=10",
            # Our own shared-memory names, so a concurrent server (tests) never collides.
            f"--backend-config=python,shm-region-prefix-name=fasterbert_bench_{os.getpid()}_",
        ]
        self.process = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})},
                                        preexec_fn=cgroup.join if cgroup else None)
        self.url = f"http://127.0.0.1:{self.ports['http']}"

    def wait_ready(self, models, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"tritonserver exited with {self.process.returncode}; "
                                 f"see {self.log_path}:\n{self.log_tail()}")
            try:
                status, _ = http_json(self.url + "/v2/health/ready", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        not_ready = []
        for m in models:
            try:
                status, _ = http_json(f"{self.url}/v2/models/{m}/ready", timeout=2)
            except OSError:
                status = None
            if status != 200:
                not_ready.append(m)
        raise BenchError(f"tritonserver not ready after {timeout} s (models not ready: "
                         f"{', '.join(not_ready) or '?'}); see {self.log_path}:\n{self.log_tail()}")

    def log_tail(self, lines=15):
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        keep = [line for line in text if line.startswith("E") or "rror" in line] or text
        return "\n".join(keep[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def infer(self, model, texts):
        body = {"inputs": [{"name": "text", "shape": [len(texts), 1], "datatype": "BYTES",
                            "data": texts}]}
        status, reply = http_json(f"{self.url}/v2/models/{model}/infer", body)
        if status != 200:
            raise BenchError(f"{model}: HTTP {status}: {reply.get('error', reply)}")
        out = {o["name"]: o for o in reply["outputs"]}
        if "embedding" not in out:
            raise BenchError(f"{model}: no output 'embedding' in {list(out)}")
        return np.array(out["embedding"]["data"], dtype=np.float32).reshape(out["embedding"]["shape"])

    def stats(self, model):
        try:
            status, reply = http_json(f"{self.url}/v2/models/{model}/stats", timeout=10)
        except OSError:
            return None
        if status != 200:
            return None
        return reply["model_stats"][0]

    def died_message(self):
        signalled = "Signal (15) received" in self.log_path.read_text(errors="replace")
        return ("tritonserver exited during the sweep"
                + (" after a SIGTERM that the bench did not send (another process ended it)"
                   if signalled else f" with code {self.process.returncode}")
                + f"; see {self.log_path}:\n{self.log_tail()}")


def stats_delta(before, after):
    """Per batch size: executions and backend time (ns: all three compute
    phases; input_ns, infer_ns, output_ns: each, as our backend reports them,
    backend-cpp/triton/instance_state.cc) between two /v2/models/<m>/stats
    readings."""
    if not before or not after:
        return {}
    phases = ("compute_input", "compute_infer", "compute_output")

    def table(stats):
        rows = {}
        for entry in stats.get("batch_stats", []):
            ns = [int(entry.get(k, {}).get("ns", 0)) for k in phases]
            rows[int(entry["batch_size"])] = (int(entry["compute_infer"]["count"]), ns)
        return rows

    a, b = table(before), table(after)
    delta = {}
    for size, (count, ns) in b.items():
        c0, n0 = a.get(size, (0, [0, 0, 0]))
        if count - c0 > 0:
            each = [x - x0 for x, x0 in zip(ns, n0)]
            delta[size] = {"executions": count - c0, "ns": sum(each), "input_ns": each[0],
                           "infer_ns": each[1], "output_ns": each[2]}
    return delta
