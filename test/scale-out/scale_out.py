"""Scale-out that survives faults, on loopback: three tritonserver replicas
behind HAProxy (test/scale-out/haproxy.cfg), steady load through it, and:

  steady     all three replicas up
  kill       SIGKILL one replica mid-load
  degraded   two replicas
  restart    the killed replica starts again (same model), HAProxy's health
             check brings it back
  recovered  three replicas
  rolling    each replica in turn: drained in HAProxy (runtime API), SIGTERM,
             started with the rebuilt model (served as version 2), ready,
             back in HAProxy
  after      three replicas on version 2

Before the load, one keep-alive connection through the per-request frontend
and one through the per-connection (TCP) frontend show where their requests
go. Writes one JSON report to --out and prints it (the vitest file asserts on
it; report_md.py renders it). Everything it starts is ended by PID, also on
failure; every wait is bounded."""
import argparse
import http.client
import json
import os
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from embeddings_check import SENTENCES, Reference  # noqa: E402 - the e2e reference, reused
from haproxy_admin import HAProxy  # noqa: E402
from load import COSINE, OUTPUT, Load, min_cosine, parse_embeddings  # noqa: E402
from replicas import Replica, free_port  # noqa: E402
import timeline  # noqa: E402

MODEL = "minilm_embeddings"
# Texts of the e2e check up to this many tokens: the long ones (cut at 256)
# cost a 2-core machine so much that throughput comes in a few large batches a
# second, too coarse to see a dip in.
MAX_TOKENS = 64
BACKENDS = ("replicas", "replicas_noretry", "replicas_tcp")
NAMES = ("r1", "r2", "r3")
KILLED = "r2"


def stage_version(built_repository, version, target_repository):
    """The codegen writes version 1; the rolled-out build is served as
    `version` so every response names the build that computed it. Files are
    hard links (the ONNX file is 90 MB) or copies."""
    source = os.path.join(built_repository, MODEL)
    model_dir = os.path.join(target_repository, MODEL)
    shutil.rmtree(target_repository, ignore_errors=True)
    os.makedirs(os.path.join(model_dir, str(version)))
    shutil.copyfile(os.path.join(source, "config.pbtxt"), os.path.join(model_dir, "config.pbtxt"))
    for name in os.listdir(os.path.join(source, "1")):
        src, dst = os.path.join(source, "1", name), os.path.join(model_dir, str(version), name)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
    return target_repository


def one_connection_requests(port, count, texts, references, with_header):
    """`count` single-row requests over one HTTP/1.1 keep-alive connection (a
    plain client that never reconnects). Returns how many were correct, the
    replicas named by X-Served-By, and how many TCP connections were used."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    correct, by_replica, sockets = 0, {}, set()
    for i in range(count):
        text = texts[i % len(texts)]
        body = json.dumps({
            "inputs": [{"name": "text", "shape": [1, 1], "datatype": "BYTES", "data": [text]}],
            "outputs": [{"name": OUTPUT, "parameters": {"binary_data": True}}],
        })
        conn.request("POST", f"/v2/models/{MODEL}/infer", body, {"content-type": "application/json"})
        res = conn.getresponse()
        payload = res.read()
        sockets.add(conn.sock.getsockname())
        if with_header:
            name = res.getheader("X-Served-By")
            by_replica[name] = by_replica.get(name, 0) + 1
        if res.status == 200:
            _, got = parse_embeddings(payload, int(res.getheader("Inference-Header-Content-Length")))
            if min_cosine(got, references[i % len(texts)][None, :]) >= COSINE:
                correct += 1
    conn.close()
    return {"requests": count, "correct": correct, "connections": len(sockets),
            "x_served_by": dict(sorted(by_replica.items())) if with_header else None}


def triton_counts(replicas):
    return {r.name: r.success_count(MODEL) for r in replicas}


def keep_alive_spread(ports, replicas, texts, references, count):
    """Where one keep-alive client's requests land: per request (mode http)
    vs per connection (mode tcp). Counted by each replica's own statistics
    (independent of HAProxy) and, for mode http, by X-Served-By."""
    result = {}
    for frontend, port, with_header in (("http", ports["http"], True), ("tcp", ports["tcp"], False)):
        before = triton_counts(replicas)
        seen = one_connection_requests(port, count, texts, references, with_header)
        after = triton_counts(replicas)
        seen["triton_success_delta"] = {name: after[name] - before[name] for name in after}
        result[frontend] = seen
    return result


def machine(loadavg_start):
    """What the numbers were measured on, and how busy it was (other work on
    the same cores shows up in every throughput number)."""
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": os.cpu_count(), "loadavg_1m_start": round(loadavg_start[0], 2),
            "loadavg_1m_end": round(os.getloadavg()[0], 2)}


class Scenario:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work_dir)
        self.logs = os.path.join(self.work, "logs")
        self.events = []
        self.load = None
        self.replicas = []
        self.haproxy = None
        self.socket_dir = tempfile.mkdtemp(prefix="scale-out-")

    def event(self, name, **detail):
        t = self.load.now() if self.load is not None and self.load.t0 is not None else None
        self.events.append({"t": None if t is None else round(t, 2), "event": name, **detail})
        print(f"[scale-out] {'' if t is None else f'{t:7.2f} s '}{name} {detail if detail else ''}", file=sys.stderr)

    def wait_up(self, name, timeout_s=30.0):
        """Until every backend shows the server UP (its health checks passed)."""
        for backend in BACKENDS:
            self.haproxy.wait_status(backend, name, lambda f: f["status"] == "UP", timeout_s)

    def set_state(self, name, state):
        for backend in BACKENDS:
            self.haproxy.set_state(backend, name, state)

    def run(self):
        a = self.args
        self.loadavg_start = os.getloadavg()
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.logs)
        repo_v1 = os.path.abspath(a.v1_repository)
        repo_v2 = stage_version(os.path.abspath(a.v2_repository), 2, os.path.join(self.work, "repository-v2"))

        reference = Reference(a.model_dir, 256)
        texts = [s for s in SENTENCES if len(reference.tokenizer.encode(s).ids) <= MAX_TOKENS]
        references = [reference.embed(s) for s in texts]

        ports = {"http": free_port(), "noretry": free_port(), "tcp": free_port()}
        self.replicas = [Replica(name, free_port(), self.logs) for name in NAMES]
        env = {
            "SCALEOUT_HTTP_PORT": str(ports["http"]),
            "SCALEOUT_NORETRY_PORT": str(ports["noretry"]),
            "SCALEOUT_TCP_PORT": str(ports["tcp"]),
            # A short path: a unix socket's path may not exceed 107 bytes.
            "SCALEOUT_STATS_SOCKET": os.path.join(self.socket_dir, "haproxy.sock"),
            **{f"SCALEOUT_REPLICA{i + 1}_PORT": str(r.port) for i, r in enumerate(self.replicas)},
        }
        started = time.monotonic()
        for r in self.replicas:
            r.start(repo_v1)
        for r in self.replicas:
            r.wait_ready()
        self.event("replicas ready", seconds=round(time.monotonic() - started, 1))
        self.haproxy = HAProxy(os.path.join(HERE, "haproxy.cfg"), env, os.path.join(self.logs, "haproxy.log"))
        self.haproxy.start()
        for r in self.replicas:
            self.wait_up(r.name)
        self.event("haproxy: all replicas UP")

        spread = keep_alive_spread(ports, self.replicas, texts, references, a.keep_alive_requests)
        self.event("keep-alive spread measured")

        self.load = Load(
            {"retry": (f"http://127.0.0.1:{ports['http']}", a.concurrency),
             "noretry": (f"http://127.0.0.1:{ports['noretry']}", a.noretry_concurrency)},
            MODEL, texts, references, a.client_timeout_s)
        self.load.start()
        self.event("load started", concurrency=a.concurrency, noretry_concurrency=a.noretry_concurrency)
        marks = {}
        time.sleep(a.warmup_s)
        marks["steady"] = self.load.now()
        time.sleep(a.steady_s)

        killed = next(r for r in self.replicas if r.name == KILLED)
        marks["kill"] = self.load.now()
        killed.kill()
        self.event("SIGKILL", replica=KILLED)
        self.haproxy.wait_status("replicas", KILLED, lambda f: f["status"] != "UP", 10)
        self.event("haproxy: killed replica out", replica=KILLED)
        time.sleep(max(0.0, marks["kill"] + a.degraded_s - self.load.now()))

        marks["restart"] = self.load.now()
        killed.start(repo_v1)
        self.event("restart", replica=KILLED)
        killed.wait_ready()
        marks["restart_ready"] = self.load.now()
        self.event("ready", replica=KILLED)
        self.wait_up(KILLED)
        marks["restart_up"] = self.load.now()
        self.event("haproxy: UP", replica=KILLED)
        time.sleep(a.recovered_s)

        marks["rolling"] = self.load.now()
        rolling = []
        for r in self.replicas:
            step = {"replica": r.name}
            t = drained_at = self.load.now()
            self.set_state(r.name, "drain")
            self.event("drain", replica=r.name)
            # Drained: no request of ours in flight on it any more.
            for backend in BACKENDS:
                self.haproxy.wait_status(backend, r.name, lambda f: f["scur"] == 0, 20)
            step["drain_s"] = round(self.load.now() - t, 2)
            self.event("drained", replica=r.name)
            step["stop_s"], step["needed_sigkill"] = r.stop()
            step["stop_s"] = round(step["stop_s"], 2)
            self.event("stopped (SIGTERM)", replica=r.name, seconds=step["stop_s"])
            t = self.load.now()
            r.start(repo_v2)
            r.wait_ready()
            step["start_s"] = round(self.load.now() - t, 2)
            self.event("ready on version 2", replica=r.name)
            self.set_state(r.name, "ready")
            self.wait_up(r.name)
            step["out_of_rotation_s"] = round(self.load.now() - drained_at, 2)
            self.event("haproxy: UP", replica=r.name)
            rolling.append(step)
        marks["after"] = self.load.now()
        time.sleep(a.after_s)
        marks["end"] = self.load.now()
        self.load.stop()
        self.event("load stopped")

        return self.report(spread, marks, rolling)

    def report(self, spread, marks, rolling):
        load = self.load
        outcomes = load.outcomes
        end = marks["end"] + 0.001

        def kinds(path):
            counts = {"ok": 0, "wrong": 0, "error": 0, "timeout": 0, "transport": 0}
            for o in outcomes:
                if o.path == path:
                    counts[o.kind] += 1
            return counts

        def failures(path, limit=10):
            return [o.as_dict() for o in outcomes if o.path == path and o.kind != "ok"][:limit]

        phases = {
            "steady": (marks["steady"], marks["kill"]),
            "degraded": (marks["kill"], marks["restart"]),
            "restarting": (marks["restart"], marks["restart_up"]),
            "recovered": (marks["restart_up"], marks["rolling"]),
            "rolling": (marks["rolling"], marks["after"]),
            "after": (marks["after"], end),
        }
        per_phase = {
            name: {
                "start_s": round(s, 2), "end_s": round(e, 2),
                "ok_per_s": round(timeline.rate(outcomes, "retry", s, e) or 0.0, 1),
                "served_by": timeline.served_by(outcomes, "retry", s, e),
                "versions": timeline.versions(outcomes, "retry", s, e),
            }
            for name, (s, e) in phases.items()
        }
        rows = timeline.buckets(outcomes, "retry", end)
        before = per_phase["steady"]["ok_per_s"]
        stats = {backend: self.haproxy.servers(backend) for backend in BACKENDS}
        totals = {backend: self.haproxy.backend_totals(backend) for backend in ("replicas", "replicas_noretry")}
        final = {}
        for r in self.replicas:
            config = r.model_config(MODEL)
            final[r.name] = {
                "versions": r.model_versions(MODEL),
                "max_queue_delay_microseconds": int(config["dynamic_batching"]["max_queue_delay_microseconds"]),
                "starts": r.starts,
            }
        retried = [o for o in outcomes if o.path == "retry" and o.retries > 0]
        recovery = timeline.recovery(rows, before, marks["kill"], marks["rolling"])
        after_kill = recovery["recovered_after_s"]
        recovery["recovered_after_restart_s"] = (
            None if after_kill is None else round(max(0.0, after_kill - (marks["restart"] - marks["kill"])), 1))
        return {
            "model": MODEL,
            "machine": machine(self.loadavg_start),
            "concurrency": self.args.concurrency,
            "noretry_concurrency": self.args.noretry_concurrency,
            "client_timeout_s": self.args.client_timeout_s,
            "texts": len(self.load.texts),
            "sent": load.sent,
            "ended": len(outcomes),
            "vanished": len(load.in_flight),
            "outcomes": {"retry": kinds("retry"), "noretry": kinds("noretry")},
            "failures": {"retry": failures("retry"), "noretry": failures("noretry")},
            "retried_responses": {"count": len(retried), "by_retries": {
                str(n): sum(1 for o in retried if o.retries == n) for n in sorted({o.retries for o in retried})}},
            "keep_alive": spread,
            "phases": per_phase,
            "events": self.events,
            "marks": {k: round(v, 2) for k, v in marks.items()},
            "recovery": {
                "steady_ok_per_s": before,
                "degraded_over_steady": round(per_phase["degraded"]["ok_per_s"] / before, 3) if before else None,
                "restarting_over_steady": round(per_phase["restarting"]["ok_per_s"] / before, 3) if before else None,
                "recovered_over_steady": round(per_phase["recovered"]["ok_per_s"] / before, 3) if before else None,
                "after_over_steady": round(per_phase["after"]["ok_per_s"] / before, 3) if before else None,
                "kill_to_haproxy_down_s": next(e["t"] for e in self.events if e["event"] == "haproxy: killed replica out")
                - round(marks["kill"], 2),
                "restart_to_ready_s": round(marks["restart_ready"] - marks["restart"], 2),
                "ready_to_haproxy_up_s": round(marks["restart_up"] - marks["restart_ready"], 2),
                **recovery,
            },
            "rolling": rolling,
            "haproxy_servers": stats,
            "haproxy_backends": totals,
            "replicas_at_end": final,
            "buckets": [{"t": b["t"], "ok": b["ok"], "failed": b["failed"], "versions": b["versions"],
                         "replicas": dict(sorted(b["replicas"].items()))} for b in rows],
        }

    def close(self):
        if self.load is not None and self.load._thread is not None and self.load._thread.is_alive():
            try:
                self.load.stop()
            except RuntimeError:
                pass
        if self.haproxy is not None:
            self.haproxy.stop()
        for r in self.replicas:
            r.stop(timeout_s=15)
        shutil.rmtree(self.socket_dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--v1-repository", required=True, help="codegen build output of the first model")
    ap.add_argument("--v2-repository", required=True, help="codegen build output of the rebuilt model")
    ap.add_argument("--model-dir", required=True, help="all-MiniLM-L6-v2 folder (reference)")
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--out", required=True, help="report JSON path")
    ap.add_argument("--concurrency", type=int, default=12)
    ap.add_argument("--noretry-concurrency", type=int, default=2)
    ap.add_argument("--client-timeout-s", type=float, default=30.0)
    ap.add_argument("--keep-alive-requests", type=int, default=30)
    ap.add_argument("--warmup-s", type=float, default=3.0)
    ap.add_argument("--steady-s", type=float, default=12.0)
    ap.add_argument("--degraded-s", type=float, default=6.0)
    ap.add_argument("--recovered-s", type=float, default=12.0)
    ap.add_argument("--after-s", type=float, default=12.0)
    args = ap.parse_args()

    # A SIGTERM (vitest's timeout) or Ctrl-C ends the run through `finally`,
    # so the replicas and HAProxy are stopped, not left behind.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    scenario = Scenario(args)
    try:
        report = scenario.run()
    finally:
        scenario.close()
    with open(args.out, "w", encoding="utf8") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
