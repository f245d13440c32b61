"""perf_analyzer runs against a server, one per set, concurrency and system."""
import csv
import json
import os
import re
import resource
import subprocess
import time

from harness.log import BenchError, say
from harness.paths import BUILD, PERF_ANALYZER
from harness.triton_server import stats_delta


def perf_env():
    env = dict(os.environ)
    lib = str(BUILD / "lib")
    env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    return env


def cpu_seconds(usage):
    return usage.ru_utime + usage.ru_stime


def process_tree_cpu_seconds(pid):
    """User + system CPU seconds of a process and its descendants (the
    Python backend's stubs are tritonserver's children), from /proc; 0 where
    there is none."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime, stime
    tree, grew = {pid}, True
    while grew:
        grown = tree | {p for p, parent in parents.items() if parent in tree}
        grew, tree = grown != tree, grown
    return sum(ticks.get(p, 0) for p in tree) / tick


def write_input_data(name, texts):
    path = BUILD / "data" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"data": [{"text": {"content": [t], "shape": [1]}} for t in texts]}
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def window_options(args, set_name, concurrency, stability):
    """perf_analyzer's measurement options for one run."""
    if args.quick:
        return ["--measurement-mode", "count_windows",
                "--measurement-request-count", str(max(concurrency, 8)),
                "--stability-percentage", "1000", "--max-trials", "3"], 180.0
    stability_options = ["--stability-percentage", f"{stability:g}",
                         "--max-trials", str(args.max_trials)]
    if set_name.startswith(("long", "mixed")):
        # One batch of 32 long texts takes seconds on 2 cores (mixed ones
        # about a third of that): time windows would hold a handful of batch
        # completions (or none). Count windows end on whole batches instead.
        count = max(2 * concurrency, args.long_window_requests)
        return ["--measurement-mode", "count_windows",
                "--measurement-request-count", str(count), *stability_options], 900.0
    return ["--measurement-interval", str(args.measurement_interval),
            *stability_options], (args.max_trials + 2) * args.measurement_interval / 1000 + 60


def perf_run(server, args, model, data_path, set_name, concurrency, stability, tag):
    csv_path = BUILD / "perf" / f"{tag}.csv"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    if csv_path.exists():
        csv_path.unlink()
    url = (f"127.0.0.1:{server.ports['http']}" if args.protocol == "http"
           else f"127.0.0.1:{server.ports['grpc']}")
    options, timeout = window_options(args, set_name, concurrency, stability)
    cmd = [
        str(PERF_ANALYZER), "-m", model, "-u", url, "-i", args.protocol,
        "--input-data", str(data_path),
        "--concurrency-range", str(concurrency),
        *options,
        "-f", str(csv_path),
    ]
    children_before, wall_before = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    try:
        # args.client_cores (bench/precision/batching.py --server-cores): the client off the server's cores.
        client_cores = getattr(args, "client_cores", None)
        result = subprocess.run(cmd, capture_output=True, text=True, env=perf_env(), timeout=timeout,
                                preexec_fn=(lambda: os.sched_setaffinity(0, client_cores)) if client_cores else None)
        output = result.stdout + result.stderr
        code = result.returncode
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or b"").decode(errors="replace") if isinstance(error.stdout, bytes) \
            else (error.stdout or "")
        code = "timeout"
    children_after, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic() - wall_before
    (BUILD / "perf" / f"{tag}.log").write_text(" ".join(cmd) + "\n\n" + output)
    if code != 0 or not csv_path.exists():
        last = [line for line in output.strip().splitlines() if line.strip()][-2:]
        return None, f"perf_analyzer exit {code}: {' / '.join(last)}"
    with open(csv_path) as f:
        row = next(csv.DictReader(f))
    counts = {}
    for key, pattern in (("server_inferences", r"Inference count: (\d+)"),
                         ("server_executions", r"Execution count: (\d+)")):
        m = re.search(pattern, output)
        if m:
            counts[key] = int(m.group(1))
    us = lambda k: float(row[k])  # noqa: E731
    return {
        "throughput": float(row["Inferences/Second"]),
        "p50_ms": us("p50 latency") / 1e3,
        "p90_ms": us("p90 latency") / 1e3,
        "p95_ms": us("p95 latency") / 1e3,
        "p99_ms": us("p99 latency") / 1e3,
        "client_send_us": us("Client Send"),
        "network_us": us("Network+Server Send/Recv"),
        "queue_us": us("Server Queue"),
        "compute_input_us": us("Server Compute Input"),
        "compute_infer_us": us("Server Compute Infer"),
        "compute_output_us": us("Server Compute Output"),
        "client_recv_us": us("Client Recv"),
        # perf_analyzer's own CPU time over its run (the only child waited for
        # meanwhile), in cores: what the client took from the server's machine.
        "client_cores": (cpu_seconds(children_after) - cpu_seconds(children_before)) / wall,
        **counts,
    }, None


def sweep(server, args, sets, models):
    """One perf_analyzer run per set, concurrency and system of args.systems
    (`models`: system key -> Triton model name), systems in turn."""
    runs = []
    plan = [(s, c, k) for s in args.sets for c in args.concurrency for k in args.systems]
    data_paths = {s: write_input_data(s, sets[s]) for s in args.sets}
    started = time.monotonic()
    for index, (set_name, concurrency, key) in enumerate(plan, 1):
        model = models[key]
        tag = f"{set_name}-c{concurrency}-{key}"
        if not args.quick:
            say(f"[{index}/{len(plan)}] {set_name:8s} c={concurrency:<3d} {key:8s} measuring ...")
        load_before = os.getloadavg()[0]
        before = server.stats(model)
        t, server_cpu = time.monotonic(), process_tree_cpu_seconds(server.process.pid)
        result, error = perf_run(server, args, model, data_paths[set_name], set_name,
                                 concurrency, args.stability_percentage, tag)
        stable = None if args.quick else True
        if result is None and not args.quick and "stable" in (error or ""):
            # Not stable within --max-trials windows: measure 3 windows and say so.
            say(f"  {tag}: not stable within {args.max_trials} windows; measuring 3 windows, "
                "marked unstable")
            result, error = perf_run(server, args, model, data_paths[set_name], set_name,
                                     concurrency, 1000.0, tag + "-unstable")
            stable = False
        after = server.stats(model)
        server_cores = (process_tree_cpu_seconds(server.process.pid) - server_cpu) / (time.monotonic() - t)
        if server.process.poll() is not None:
            raise BenchError(server.died_message())
        run = {"set": set_name, "concurrency": concurrency, "system": key, "model": model,
               "stable": stable if result else None, "seconds": time.monotonic() - t,
               "load_before": load_before, "server_cores": server_cores,
               "batches": stats_delta(before, after), "error": error}
        if result:
            run.update(result)
        runs.append(run)
        done = time.monotonic() - started
        eta = done / index * (len(plan) - index)
        if result:
            say(f"[{index}/{len(plan)}] {set_name:8s} c={concurrency:<3d} {key:8s} "
                f"{result['throughput']:8.1f} infer/s  p50 {result['p50_ms']:7.1f} ms  "
                f"p99 {result['p99_ms']:7.1f} ms  ({run['seconds']:.0f} s; ~{eta / 60:.1f} min left)")
        else:
            say(f"[{index}/{len(plan)}] {set_name:8s} c={concurrency:<3d} {key:8s} FAILED: {error}")
    return runs
