"""Renders the scale-out report (build/scale-out/report.json) as Markdown:
outcomes, per-phase throughput, per-replica counts, the keep-alive spread,
the dip and recovery, the rolling update and 1 s buckets.

  .venv/bin/python test/scale-out/report_md.py build/scale-out/report.json
  .venv/bin/python test/scale-out/report_md.py run1.json run2.json ...   (a table of runs first)
"""
import json
import sys

PHASE_NOTES = {
    "steady": "three replicas (after a warm-up)",
    "degraded": "r2 SIGKILLed, two replicas",
    "restarting": "r2 starting until HAProxy marks it UP",
    "recovered": "three replicas again",
    "rolling": "each replica drained, stopped, started on version 2",
    "after": "three replicas on version 2",
}


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def counts(d):
    return ", ".join(f"{k} {v}" for k, v in d.items()) if d else "-"


def phase_of(t, phases):
    for name, p in phases.items():
        if p["start_s"] <= t < p["end_s"]:
            return name
    return ""


def render(r):
    out = []
    m = r.get("machine")
    if m:
        out.append(f"Machine: {m['cpu']}, {m['cores']} cores; 1-minute load average {m['loadavg_1m_start']} "
                   f"at the start, {m['loadavg_1m_end']} at the end.\n")
    o = r["outcomes"]
    out.append("### Outcomes\n")
    out.append(table(
        ["frontend", "workers", "sent", "ok (correct embedding)", "wrong", "HTTP error", "timeout (hung)",
         "closed without answer"],
        [["with retries", r["concurrency"], sum(o["retry"].values()), o["retry"]["ok"], o["retry"]["wrong"],
          o["retry"]["error"], o["retry"]["timeout"], o["retry"]["transport"]],
         ["without retries", r["noretry_concurrency"], sum(o["noretry"].values()), o["noretry"]["ok"],
          o["noretry"]["wrong"], o["noretry"]["error"], o["noretry"]["timeout"], o["noretry"]["transport"]]]))
    out.append(f"\nSent {r['sent']}, ended {r['ended']}, vanished {r['vanished']}. "
               f"Responses through the retrying frontend that HAProxy retried: {r['retried_responses']['count']} "
               f"(by retry count: {counts(r['retried_responses']['by_retries'])}).")
    for f in r["failures"]["noretry"]:
        msg = (f["message"] or "").replace("\n", " ").replace("<html><body><h1>", "").replace("</h1>", ": ")
        msg = msg.replace("</body></html>", "").strip()
        out.append(f"- without retries, at {f['start']:.2f}-{f['end']:.2f} s: {f['kind']} "
                   f"{f['status'] if f['status'] is not None else ''} {msg[:120]}")

    out.append("\n### Throughput per phase (good responses per second, frontend with retries)\n")
    rows = []
    for name, p in r["phases"].items():
        rows.append([name, PHASE_NOTES[name], f"{p['start_s']:.1f}-{p['end_s']:.1f}", p["ok_per_s"],
                     counts(p["served_by"]), counts(p["versions"])])
    out.append(table(["phase", "what", "t (s)", "ok/s", "served by (X-Served-By)", "model version"], rows))

    rec = r["recovery"]
    share = f"{round(100 * rec.get('recovered_share', 0.9))}%"
    out.append("\n### Dip and recovery\n")
    out.append(table(["measure", "value"], [
        ["steady throughput before the kill", f"{rec['steady_ok_per_s']} ok/s"],
        ["degraded (2 replicas) / steady", rec["degraded_over_steady"]],
        ["restarting / steady", rec["restarting_over_steady"]],
        ["recovered (3 replicas) / steady", rec["recovered_over_steady"]],
        ["after rolling update / steady", rec["after_over_steady"]],
        ["lowest 1 s bucket from the kill on / steady", rec["dip_min_bucket_share"]],
        ["kill -> HAProxy marks r2 down", f"{rec['kill_to_haproxy_down_s']:.2f} s"],
        ["restart -> r2 ready (tritonserver)", f"{rec['restart_to_ready_s']} s"],
        ["r2 ready -> HAProxy marks it UP", f"{rec['ready_to_haproxy_up_s']} s"],
        [f"kill -> throughput back to {share} of steady (3 s mean) for good", "never (within the phase)"
         if rec["recovered_after_s"] is None else f"{rec['recovered_after_s']} s"],
        [f"restart -> throughput back to {share} of steady (3 s mean) for good", "never (within the phase)"
         if rec.get("recovered_after_restart_s") is None else f"{rec['recovered_after_restart_s']} s"],
    ]))

    out.append("\n### Per-replica counts (HAProxy runtime API, `show stat`, whole run)\n")
    rows = []
    for backend in ("replicas", "replicas_noretry"):
        for name, s in r["haproxy_servers"][backend].items():
            rows.append([backend, name, s["hrsp_2xx"], s["hrsp_5xx"], s["econ"], s["eresp"], s["wretr"],
                         s["wredis"], s["chkdown"], s["downtime"]])
    out.append(table(["backend", "server", "2xx", "5xx", "conn errors", "resp errors", "retries",
                      "redispatches", "UP->DOWN", "down (s)"], rows))

    ka = r["keep_alive"]
    out.append("\n### One keep-alive connection, per-request vs per-connection balancing\n")
    out.append(table(["frontend", "requests", "TCP connections", "correct", "per replica (tritonserver's own count)",
                      "X-Served-By"], [
        ["mode http (per request)", ka["http"]["requests"], ka["http"]["connections"], ka["http"]["correct"],
         counts(ka["http"]["triton_success_delta"]), counts(ka["http"]["x_served_by"] or {})],
        ["mode tcp (per connection)", ka["tcp"]["requests"], ka["tcp"]["connections"], ka["tcp"]["correct"],
         counts(ka["tcp"]["triton_success_delta"]), "-"]]))

    out.append("\n### Rolling update\n")
    out.append(table(["replica", "drain (s)", "SIGTERM -> exit (s)", "SIGKILL needed", "start -> ready (s)",
                      "out of rotation (s)"],
                     [[s["replica"], s["drain_s"], s["stop_s"], s["needed_sigkill"], s["start_s"],
                       s["out_of_rotation_s"]] for s in r["rolling"]]))
    final = r["replicas_at_end"]
    out.append("\nAt the end: " + "; ".join(
        f"{n} versions {v['versions']}, max_queue_delay_microseconds {v['max_queue_delay_microseconds']}"
        for n, v in final.items()) + ".")

    out.append("\n### Events\n")
    out.append(table(["t (s)", "event"], [[e["t"] if e["t"] is not None else "-",
                                           e["event"] + (" " + e["replica"] if "replica" in e else "")]
                                          for e in r["events"]]))

    out.append("\n### 1 s buckets (frontend with retries, by completion time)\n")
    top = max([b["ok"] for b in r["buckets"]] + [1])
    rows = []
    for b in r["buckets"]:
        bar = "#" * round(30 * b["ok"] / top)
        rows.append([b["t"], phase_of(b["t"] + 0.5, r["phases"]), b["ok"], b["failed"], counts(b["replicas"]),
                     counts(b["versions"]), f"`{bar}`"])
    out.append(table(["t (s)", "phase", "ok", "failed", "per replica", "version", ""], rows))
    return "\n".join(out) + "\n"


def runs_table(reports):
    """One line per run: the numbers that vary between runs on a busy machine."""
    rows = []
    for i, r in enumerate(reports, 1):
        m, rec, o = r.get("machine") or {}, r["recovery"], r["outcomes"]
        failed = sum(v for k, v in o["retry"].items() if k != "ok")
        rows.append([
            i, m.get("loadavg_1m_start", "-"), r["sent"], f"{o['retry']['ok']} / {failed}",
            r["retried_responses"]["count"],
            f"{o['noretry']['error']} / {o['noretry']['transport']} / {o['noretry']['timeout']}",
            rec["steady_ok_per_s"], rec["degraded_over_steady"], rec["restarting_over_steady"],
            rec["recovered_over_steady"], rec["after_over_steady"], rec["dip_min_bucket_share"],
            f"{rec['kill_to_haproxy_down_s']:.2f}", f"{rec['restart_to_ready_s'] + rec['ready_to_haproxy_up_s']:.2f}",
            " / ".join(f"{s['out_of_rotation_s']}" for s in r["rolling"]),
        ])
    return table(["run", "load avg", "sent", "retrying: ok / failed", "retried", "no retries: HTTP error / closed / hung",
                  "steady ok/s", "degraded", "restarting", "recovered", "after", "lowest 1 s", "kill -> out (s)",
                  "restart -> UP (s)", "rolling: out of rotation per replica (s)"], rows)


if __name__ == "__main__":
    loaded = []
    for name in sys.argv[1:]:
        with open(name, encoding="utf8") as f:
            loaded.append(json.load(f))
    if len(loaded) > 1:
        # Several runs: the table of runs, then the last run in full.
        sys.stdout.write("### Runs\n\n" + runs_table(loaded) + "\n\n")
    sys.stdout.write(render(loaded[-1]))
