"""tritonserver replicas on fixed loopback ports: each replica keeps its HTTP
port across restarts (HAProxy's configuration names the ports), so a
replica that is killed or updated comes back where the balancer expects it.
Only HTTP is served (gRPC and metrics off): the balancer speaks HTTP and each
listener costs threads on a 2-core machine."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def triton_install_dir():
    import pytriton  # noqa: PLC0415 - imported only for its location

    return os.path.join(os.path.dirname(pytriton.__file__), "tritonserver")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url, timeout=1.0):
    """The status of a GET, or None when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as res:
            return res.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


class Replica:
    def __init__(self, name, port, log_dir, exit_timeout_s=10):
        self.name = name
        self.port = port
        self.log_dir = log_dir
        self.exit_timeout_s = exit_timeout_s
        self.process = None
        self.starts = 0
        self.repository = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, repository):
        """Starts tritonserver on this replica's port (returns at once)."""
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError(f"{self.name} is already running (pid {self.process.pid})")
        triton = triton_install_dir()
        self.starts += 1
        self.repository = repository
        log = open(os.path.join(self.log_dir, f"{self.name}-start{self.starts}.log"), "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                os.path.join(triton, "bin/tritonserver"),
                f"--model-repository={repository}",
                f"--backend-directory={os.path.join(triton, 'backends')}",
                "--http-address=127.0.0.1",
                f"--http-port={self.port}",
                "--allow-grpc=false",
                "--allow-metrics=false",
                f"--exit-timeout-secs={self.exit_timeout_s}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def wait_ready(self, timeout_s=90.0):
        """Waits until the replica itself answers /v2/health/ready with 200."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise RuntimeError(f"{self.name} exited with code {code} before it was ready")
            if http_status(f"{self.base_url}/v2/health/ready") == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout_s} s")

    def kill(self):
        """SIGKILL: the crash the test survives."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout_s=30.0):
        """SIGTERM, then SIGKILL if it has not exited in timeout_s. Returns
        (seconds it took, whether SIGKILL was needed)."""
        if self.process is None or self.process.poll() is not None:
            return 0.0, False
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout_s)
            return time.monotonic() - started, False
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            return time.monotonic() - started, True

    def model_config(self, model):
        with urllib.request.urlopen(f"{self.base_url}/v2/models/{model}/config", timeout=5) as res:
            return json.load(res)

    def model_versions(self, model):
        with urllib.request.urlopen(f"{self.base_url}/v2/models/{model}", timeout=5) as res:
            return json.load(res)["versions"]

    def success_count(self, model):
        """Triton's own count of successful inference requests since this process started."""
        with urllib.request.urlopen(f"{self.base_url}/v2/models/{model}/stats", timeout=5) as res:
            stats = json.load(res)["model_stats"]
        return sum(int(s["inference_stats"]["success"]["count"]) for s in stats)
