"""The hostile QA request of issue 17 against one served model repository:
one row of question "a" and a context of 1 MiB - 1 of "!" (one token per
byte) to the extractive QA example. Starts tritonserver on loopback ports,
measures the request's wall time and status, and the server's RSS before,
at its peak (sampled every 50 ms) and 2 s after; stops the server. Prints
one JSON line. Usage: qa_repro.py MODEL_REPOSITORY [--rows N]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repository")
    ap.add_argument("--rows", type=int, default=1)
    args = ap.parse_args()
    import pytriton
    triton = os.path.join(os.path.dirname(pytriton.__file__), "tritonserver")
    ports = [free_port() for _ in range(3)]
    log = open(os.path.join(args.repository, "..", "qa_repro_server.log"), "w")
    server = subprocess.Popen(
        [f"{triton}/bin/tritonserver", f"--model-repository={os.path.abspath(args.repository)}",
         f"--backend-directory={triton}/backends", "--http-address=127.0.0.1", "--grpc-address=127.0.0.1",
         "--metrics-address=127.0.0.1", f"--http-port={ports[0]}", f"--grpc-port={ports[1]}",
         f"--metrics-port={ports[2]}"], stdout=log, stderr=log)
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/v2/health/ready", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        before = rss_mib(server.pid)
        peak = [before]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                peak[0] = max(peak[0], rss_mib(server.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        context = "!" * (1024 * 1024 - 1)
        body = {"inputs": [
            {"name": "question", "datatype": "BYTES", "shape": [args.rows, 1], "data": ["a"] * args.rows},
            {"name": "context", "datatype": "BYTES", "shape": [args.rows, 1], "data": [context] * args.rows}]}
        request = urllib.request.Request(f"http://127.0.0.1:{ports[0]}/v2/models/extractive_qa/infer",
                                         data=json.dumps(body).encode(), headers={"content-type": "application/json"})
        start = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=600) as r:
                status, payload = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, payload = e.code, e.read()
        seconds = time.monotonic() - start
        time.sleep(2.0)
        done.set()
        after = rss_mib(server.pid)
        print(json.dumps({"repository": args.repository, "rows": args.rows, "status": status,
                          "seconds": round(seconds, 3), "rss_mib_before": round(before, 1),
                          "rss_mib_peak": round(peak[0], 1), "rss_mib_after_2s": round(after, 1),
                          "answer": payload[:160].decode("utf-8", "replace")}))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
