"""Dynamic-batching settings against each other (issue 21's served goals at
concurrency 16): every system of the precision benchmark served under each
batching variant, all in one tritonserver, measured in alternating rounds
(round r: every set, system and variant once, in turn), so that the drift of
a shared 2-core machine falls on all of them alike; medians of the rounds.

A variant is NAME:DELAY_US[:PREFERRED[/PREFERRED...]][:INSTANCES[:FLAGS]],
e.g. `none:0` (no queue delay: a batch is whatever waits when the instance is
free), `p16:4000:16` (wait up to 4 ms for a batch of 16), `i2:0::2` (two
instances, no delay; ours then runs an OpenVINO stream per instance),
`p16g:4000:16:1:grpc` (perf_analyzer over gRPC instead of HTTP: the client
and Triton's frontend share the 2 cores with the engine, and the two
protocols cost them differently), `p16t:4000:16:1:thread` (ours answers
from a response thread of each instance, backend-cpp/triton/response_thread.h,
so the instance takes its next batch while the last one's responses go out),
`p16n:4000:16:1:t14+nopin` (ours with config.pbtxt's OpenVINO parameters:
INFERENCE_NUM_THREADS 14 and ENABLE_CPU_PINNING NO; `pin` for YES; its engine
alone is compiled with the same), `p16b:4000:16:1:batch` (every thread of
tritonserver under Linux's SCHED_BATCH while this variant is measured, as
`chrt --batch --all-tasks` sets it: a thread of that policy that wakes does
not preempt the one running, so Triton's frontend waits for the engine's
threads to yield instead of stopping one of them mid-layer; SCHED_OTHER again
after); flags join with `+` (`grpc+thread`). Our
models and the FP32 Python backend get the same variants; each of ours at its
best variant is compared with the Python backend at its best, per round and
over the medians.

  .venv/bin/python bench/precision/batching.py [--variants none:0,p16:4000:16]
      [--systems ours_bf16,ours_int8,py_f32] [--sets short,long] [--concurrency 16] [--rounds 4]
Serves what bench/precision/run.py built (build/bench/precision/repo-ours;
run it once first, or pass --build). Report: bench/reports/<date>-cpu-batching.md
(-2.md, ... when taken).

--engine-alone: right after each of ours is measured, its engine alone (the
model file, precision and token budget of its build, as many OpenVINO streams
as the variant has instances; bench/harness/engine_alone.py) is timed in this
process on batches of the sizes Triton formed in that measurement, so served /
engine alone (issue 21's 90% goal) compares numbers taken minutes apart, not a
whole run apart, on a machine whose speed drifts. Beside it, from Triton's
statistics, where an execution's time goes: our backend's three phases
(input: reading and tokenizing; infer: engine and pooling; output: the
responses) per execution, the engine alone on a batch of the same size, and
how busy the instances were.

--server-cpu-quota CORES: tritonserver runs in a cgroup with that CPU quota, as
a container's CPU limit sets one (bench/harness/cgroup.py; needs root), the
client outside it; e.g. `cap:4000:16,t2:4000:16:1:t2` compares the threads
our engine asks for under the quota with OpenVINO's own count.

--server-cores LIST (e.g. `0-1`, `0,2-3`): a server of that many cores with
its clients elsewhere, as a pod given whole cores (Kubernetes' static CPU
manager, `docker run --cpuset-cpus`) serves remote clients: tritonserver and
the engine alone (this process, which starts the server and compiles and times
the engine) run on those cores only, perf_analyzer on the machine's others;
a variant with the flag `local` (`p16l:4000:16:1:local`) puts perf_analyzer on
the server's cores instead, as on a machine the client shares, so one run
alternates both placements round by round.
"""
import argparse
import datetime as dt
import importlib.util
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

# bench/precision/run.py (models, builds, config settings) under its own
# name: it imports bench/run.py as `run` itself.
_spec = importlib.util.spec_from_file_location("precision_run", Path(__file__).resolve().parent / "run.py")
precision = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(precision)
from harness.cgroup import CpuQuotaCgroup  # noqa: E402
from harness.engine_alone import derive, engine_alone  # noqa: E402
from harness.log import BenchError, say  # noqa: E402
from harness.machine import machine_info  # noqa: E402
from harness.paths import ROOT  # noqa: E402
from harness.perf_analyzer import perf_run, process_tree_cpu_seconds, write_input_data  # noqa: E402
from harness.python_baselines import python_model_folder  # noqa: E402
from harness.triton_server import Server, stats_delta  # noqa: E402


def parse_variant(text):
    """NAME:DELAY_US[:PREFERRED[/PREFERRED...]][:INSTANCES[:FLAGS]] ->
    (name, settings for run.serving plus the client's protocol and ours'
    response thread)."""
    parts = text.split(":")
    flags = set(parts[4].split("+")) if len(parts) == 5 else set()
    threads = [f for f in flags if re.fullmatch(r"t[1-9][0-9]*", f)]
    if (len(parts) not in (2, 3, 4, 5) or not parts[0] or not parts[1].isdigit()
            or (len(parts) >= 4 and not parts[3].isdigit()) or len(threads) > 1
            or not flags - set(threads) <= {"http", "grpc", "thread", "pin", "nopin", "local", "batch"}
            or {"http", "grpc"} <= flags or {"pin", "nopin"} <= flags):
        raise BenchError(f"variant {text!r}: give NAME:DELAY_US[:PREFERRED[/PREFERRED...]][:INSTANCES"
                         "[:FLAGS]], FLAGS of http or grpc, thread, tN (OpenVINO threads), pin or nopin, local "
                         "and batch, joined with +")
    preferred = [int(n) for n in parts[2].split("/")] if len(parts) > 2 and parts[2] else []
    instances = int(parts[3]) if len(parts) >= 4 else 1
    return parts[0], argparse.Namespace(instances=instances, queue_delay_us=int(parts[1]),
                                        preferred_batch_sizes=preferred,
                                        protocol="grpc" if "grpc" in flags else "http",
                                        response_thread="thread" in flags,
                                        client_local="local" in flags,
                                        sched_batch="batch" in flags,
                                        openvino=precision.OpenVinoTuning(
                                            int(threads[0][1:]) if threads else 0,
                                            True if "pin" in flags else False if "nopin" in flags else None))


def assemble(ours_paths, systems, variants, model_dir):
    """The repository: one model per system and variant, named <model>-<variant>."""
    repo = precision.WORK / "repo-batching"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    names = {}
    for key in systems:
        for variant, setting in variants.items():
            if key in precision.OURS:
                name = f"{precision.OURS[key][1]}-{variant}"
                (repo / name).mkdir()
                (repo / name / "1").symlink_to(ours_paths[key] / "1", target_is_directory=True)
                config = (ours_paths[key] / "config.pbtxt").read_text()
                config = config.replace(f'name: "{precision.OURS[key][1]}"', f'name: "{name}"', 1)
                if setting.response_thread:
                    config = precision.with_response_thread(config)
                config += setting.openvino.config_parameters()
                (repo / name / "config.pbtxt").write_text(precision.serving(setting, config))
            else:  # py_f32 (main refuses py_int8)
                name = f"{precision.PYTHON[key][0]}-{variant}"
                python_model_folder(repo, "minilm_py_fast", name, model_dir, 256,
                                    {"model_file": precision.PYTHON[key][1],
                                     "inference_precision": precision.PYTHON_PRECISION[key]})
                config = repo / name / "config.pbtxt"
                config.write_text(precision.serving(setting, config.read_text()))
            names[(key, variant)] = name
    return repo, names


class EngineAlone:
    """Each of ours' engine alone (precision.built_engine), per system and
    stream count, compiled once."""

    def __init__(self, ours_paths, model_dir, seconds):
        self.ours_paths, self.model_dir, self.seconds = ours_paths, model_dir, seconds
        self.engines = {}

    def time(self, key, setting, texts, batches):
        """The engine alone, as `setting` (a variant) serves it, on `batches`
        ({size: {executions, ns}}, Triton's): timed at the smallest, the most
        frequent and the largest size (the rest interpolated), {size:
        engine_alone's row}."""
        engine_key = (key, setting.instances, setting.openvino)
        if engine_key not in self.engines:
            self.engines[engine_key] = precision.built_engine(self.ours_paths[key], self.model_dir,
                                                              setting.instances, setting.openvino)
        reference, _, budget = self.engines[engine_key]
        sizes = sorted({min(batches), max(batches), max(batches, key=lambda b: batches[b]["executions"])})
        return engine_alone(reference, texts, self.seconds, budget, sizes)


def instance_busy(run, batches, instances):
    """The instances' share of the measured window spent inside executions:
    executions/s (perf_analyzer's infer/s over the average batch) times the
    time of one (the three phases in Triton's statistics), per instance.
    With a response thread the output phase overlaps the next execution, so
    this counts it twice and can pass 100%."""
    executions = sum(v["executions"] for v in batches.values())
    if not run or not run.get("throughput") or not executions:
        return None
    rows = sum(size * v["executions"] for size, v in batches.items())
    return run["throughput"] / (rows / executions) * (sum(v["ns"] for v in batches.values()) / executions / 1e9) \
        / instances


def set_threads_policy(pid, policy):
    """Every thread of process `pid` under `policy` (os.SCHED_BATCH or
    os.SCHED_OTHER, priority 0; no privilege needed for the same user's
    threads); a thread that ended meanwhile is skipped."""
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            os.sched_setscheduler(int(tid), policy, os.sched_param(0))
        except ProcessLookupError:
            pass


def parse_cores(text):
    """`0-1,4` -> {0, 1, 4}."""
    cores = set()
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        cores.update(range(int(first), int(last or first) + 1))
    return cores


def split_cores(text):
    """The server's cores (`--server-cores`) and the client's (this process's
    other cores); (None, None) when not asked for."""
    if not text:
        return None, None
    mine = os.sched_getaffinity(0)
    server = parse_cores(text)
    if not server <= mine:
        raise BenchError(f"--server-cores {text}: this process may run on cores {sorted(mine)} only")
    client = mine - server
    if not client:
        raise BenchError(f"--server-cores {text} leaves no core for perf_analyzer")
    return server, client


def median(values):
    values = [v for v in values if v]
    return statistics.median(values) if values else None


def write_report(args, command, results, names, variants, machine, started):
    reports = ROOT / "bench" / "reports"
    path, n = reports / f"{started:%Y-%m-%d}-cpu-batching.md", 2
    while path.exists():
        path, n = reports / f"{started:%Y-%m-%d}-cpu-batching-{n}.md", n + 1
    lines = [f"# CPU: dynamic-batching settings at concurrency {args.concurrency} ({started:%Y-%m-%d})", "",
             f"Command: `{command}`", "",
             f"Machine: {machine['cpu']}, {machine['cpus']} CPUs, {machine['memory_gib']} GiB, {machine['os']}. "
             f"One tritonserver 2.51; {args.rounds} rounds, each measuring every set, "
             "system and variant once in turn (perf_analyzer over each variant's protocol, windows of "
             f"{args.measurement_interval} ms on short texts and whole-batch count windows on long ones, every "
             "window accepted: the rounds do the averaging).", "",
             "Variants (`max_queue_delay_microseconds`, `preferred_batch_size`, instances, client protocol; "
             "ours with a response thread and OpenVINO parameters where said): " + "; ".join(
                 f"`{v}`: {s.queue_delay_us} µs, {s.preferred_batch_sizes or 'none'}, {s.instances}, {s.protocol}"
                 + (", response thread" if s.response_thread else "") + s.openvino.described()
                 + (", perf_analyzer on the server's cores" if s.client_local else "")
                 + (", tritonserver's threads under SCHED_BATCH" if s.sched_batch else "")
                 for v, s in variants.items()),
             *([f"tritonserver ran in a cgroup of its own with a CPU quota of {args.server_cpu_quota:g} core(s), "
                "as a container's CPU limit sets one (perf_analyzer outside it); throttled in "
                f"{args.throttled_periods} of its {args.quota_periods} 100 ms periods."]
               if args.server_cpu_quota else []),
             *([f"tritonserver and the engine alone ran on {len(args.server_cores)} core(s) "
                f"({', '.join(map(str, sorted(args.server_cores)))}), perf_analyzer on the other "
                f"{len(args.remote_cores)} (variants flagged `local`: on the server's): a server of "
                f"{len(args.server_cores)} core(s) with remote clients."]
               if args.server_cores else []),
             "", "## Throughput (infer/s): median of the rounds (each round's), average batch, median p99", "",
             "| set | system | " + " | ".join(variants) + " |", "| --- | --- | " + " | ".join("---" for _ in variants) + " |"]
    for set_name in args.sets:
        for key in args.systems:
            cells = []
            for variant in variants:
                runs = results[(set_name, key, variant)]
                tp = [r.get("throughput") for r in runs]
                batch = median([r["server_inferences"] / r["server_executions"] for r in runs
                                if r.get("server_executions")])
                m = median(tp)
                p99 = median([r.get("p99_ms") for r in runs])
                cells.append(("**%.1f**" % m if m else "failed") + " (" + ", ".join(
                    "%.0f" % t if t else "-" for t in tp) + ")" + (f", batch {batch:.1f}" if batch else "")
                    + (f", p99 {p99:.1f} ms" if p99 else ""))
            lines.append(f"| {set_name} | {key} | " + " | ".join(cells) + " |")
    ours = [k for k in args.systems if k in precision.OURS]
    if args.engine_alone:
        lines += ["", "## Served against the same engine alone", "",
                  "Each round, right after each of ours was measured: its engine alone (its model file, precision "
                  "and token budget; as many OpenVINO streams as the variant has instances, each run from its own "
                  "thread at once), timed in the bench process on batches of the sizes Triton formed in that "
                  "measurement (the smallest, most frequent and largest timed, the rest interpolated; "
                  "`bench/harness/engine_alone.py`). Share = served infer/s over the engine alone's rows/s on "
                  "those batches. Cores: CPU time over the measurement's wall time, medians of the rounds, of "
                  "perf_analyzer (the client) and of tritonserver (engine, our backend, Triton's frontend).", "",
                  "| set | system | variant | per round | median | client cores | server cores |",
                  "| --- | --- | --- | --- | ---: | ---: | ---: |"]
        for set_name in args.sets:
            for key in ours:
                for variant in variants:
                    runs = results[(set_name, key, variant)]
                    shares = [r.get("engine_same_batches_share") for r in runs]
                    m = median(shares)
                    client, server = (median([r.get(k) for r in runs]) for k in ("client_cores", "server_cores"))
                    lines.append(f"| {set_name} | {key} | {variant} | " + ", ".join(
                        "%.0f%%" % (100 * x) if x else "-" for x in shares) + " | "
                        + (f"**{100 * m:.0f}%** |" if m else "- |")
                        + (f" {client:.2f} |" if client else " - |") + (f" {server:.2f} |" if server else " - |"))
        lines += ["", "### Where an execution's time goes", "",
                  "Per execution of the served model, from Triton's statistics (our backend's three phases: "
                  "input = reading the requests and tokenizing, infer = the engine and pooling, output = "
                  "writing the responses), medians of the rounds; the engine alone on batches of the same "
                  "sizes; busy = executions/s (infer/s over the average batch) x the time of one, per instance "
                  "(past 100% with a response thread, whose output phase overlaps the next execution). "
                  "Served over the engine alone is about busy x alone / (input + infer + output).", "",
                  "| set | system | variant | input µs | infer µs | output µs | engine alone µs | "
                  "infer / alone | busy |", "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for set_name in args.sets:
            for key in ours:
                for variant in variants:
                    runs = results[(set_name, key, variant)]
                    cells = [median([r.get(k) for r in runs]) for k in (
                        "input_us_per_batch", "infer_us_per_batch", "output_us_per_batch",
                        "engine_alone_us_per_batch", "served_infer_over_alone", "instance_busy")]
                    text = [f"{c:.0f}" if c else "-" for c in cells[:4]]
                    text.append(f"{cells[4]:.2f}" if cells[4] else "-")
                    text.append(f"{100 * cells[5]:.0f}%" if cells[5] else "-")
                    lines.append(f"| {set_name} | {key} | {variant} | " + " | ".join(text) + " |")
    if "py_f32" in args.systems:
        lines += ["", "## Each of ours at its best variant over the FP32 Python backend at its best", "",
                  "Per round: best variant's throughput over the Python backend's best in the same round; "
                  "over the medians: the best median over the best median.", "",
                  "| set | system | per round | over the medians |", "| --- | --- | --- | ---: |"]
        for set_name in args.sets:
            def best(key, r):
                return max((results[(set_name, key, v)][r].get("throughput") or 0) for v in variants)

            def best_median(key):
                return max((median([x.get("throughput") for x in results[(set_name, key, v)]]) or 0)
                           for v in variants)
            for key in ours:
                rounds = [best(key, r) / best("py_f32", r) if best("py_f32", r) else None
                          for r in range(args.rounds)]
                over = best_median(key) / best_median("py_f32") if best_median("py_f32") else None
                per_round = ", ".join("%.2fx" % x if x else "-" for x in rounds)
                lines.append(f"| {set_name} | {key} | {per_round} | " + (f"**{over:.2f}x** |" if over else "- |"))
    lines += ["", "Models: " + ", ".join(f"`{n}`" for n in names.values()), ""]
    path.write_text("\n".join(lines))
    return path


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--variants", default="none:0,p16:4000:16")
    p.add_argument("--systems", default="ours_bf16,ours_int8,py_f32")
    p.add_argument("--sets", default="short,long")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--measurement-interval", type=int, default=2000)
    p.add_argument("--build", action="store_true", help="build our models with codegen first (else: prebuilt)")
    p.add_argument("--engine-alone", action="store_true",
                   help="time each of ours' engine alone after each of its measurements (served / engine alone)")
    p.add_argument("--engine-seconds", type=float, default=1.5, help="engine-alone timing per batch size")
    p.add_argument("--server-cores", default="",
                   help="cores (e.g. 0-1) for tritonserver and the engine alone; perf_analyzer gets the others")
    p.add_argument("--server-cpu-quota", type=float, default=0,
                   help="run tritonserver in a cgroup with this CPU quota, in cores (a container's CPU limit; root)")
    mine = p.parse_args(argv)
    args = precision.cpu_bench.parse_args(["--systems", mine.systems, "--sets", mine.sets,
                                           "--measurement-interval", str(mine.measurement_interval),
                                           "--max-trials", "3"], systems=precision.models())
    args.concurrency, args.rounds, args.engine_alone = mine.concurrency, mine.rounds, mine.engine_alone
    args.server_cpu_quota = mine.server_cpu_quota
    args.server_cores, args.remote_cores = split_cores(mine.server_cores)
    args.client_cores = args.remote_cores
    if args.server_cores:
        # Inherited by the server and by OpenVINO's threads of the engine alone (compiled later, in
        # this process); perf_run puts perf_analyzer on the client cores.
        os.sched_setaffinity(0, args.server_cores)
    variants = dict(parse_variant(v) for v in mine.variants.split(","))
    if not args.server_cores and any(v.client_local for v in variants.values()):
        raise BenchError("a variant's flag `local` needs --server-cores")
    started = dt.datetime.now()
    command = "bench/precision/batching.py " + " ".join(argv)
    if "py_int8" in args.systems:
        raise BenchError("py_int8 is not served here (bench/precision/run.py serves it)")
    ours_paths, _ = precision.build_ours(prebuilt=not mine.build)
    repo, names = assemble(ours_paths, args.systems, variants, args.model_dir)
    sets, _ = precision.text_sets(args.model_dir)
    data = {s: write_input_data(s, sets[s]) for s in args.sets}
    results = {(s, k, v): [] for s in args.sets for k in args.systems for v in variants}
    alone = EngineAlone(ours_paths, args.model_dir, mine.engine_seconds) if mine.engine_alone else None
    cgroup = CpuQuotaCgroup(mine.server_cpu_quota, "fasterbert_bench") if mine.server_cpu_quota else None
    server = Server(repo, cgroup=cgroup)
    try:
        server.wait_ready(list(names.values()))
        for r in range(args.rounds):
            for set_name in args.sets:
                for key in args.systems:
                    for variant in variants:
                        name = names[(key, variant)]
                        before = server.stats(name)
                        args.protocol = variants[variant].protocol
                        if args.server_cores:
                            args.client_cores = args.server_cores if variants[variant].client_local \
                                else args.remote_cores
                        if variants[variant].sched_batch:
                            set_threads_policy(server.process.pid, os.SCHED_BATCH)
                        server_cpu, t = process_tree_cpu_seconds(server.process.pid), time.monotonic()
                        run, error = perf_run(server, args, name, data[set_name], set_name, args.concurrency,
                                              1000.0, f"batching-{set_name}-{name}-r{r}")
                        if variants[variant].sched_batch and server.process.poll() is None:
                            set_threads_policy(server.process.pid, os.SCHED_OTHER)
                        if server.process.poll() is not None:
                            raise BenchError(server.died_message())
                        server_cores = (process_tree_cpu_seconds(server.process.pid) - server_cpu) \
                            / (time.monotonic() - t)
                        batches = stats_delta(before, server.stats(name))
                        run = {"set": set_name, "batches": batches, "server_cores": server_cores,
                               "instance_busy": instance_busy(run, batches, variants[variant].instances),
                               **(run or {"error": error})}
                        results[(set_name, key, variant)].append(run)
                        say(f"round {r + 1}/{args.rounds} {set_name:6s} {name:34s} "
                            + (f"{run['throughput']:8.1f} infer/s" if run.get("throughput") else f"FAILED {error}"))
                        if alone and key in precision.OURS and run.get("throughput") and run["batches"]:
                            engine = alone.time(key, variants[variant], sets[set_name], run["batches"])
                            derive([run], {set_name: engine})
                            say(f"  engine alone on its batches {run['engine_same_batches_rows_per_s']:.1f} rows/s: "
                                f"served {100 * run['engine_same_batches_share']:.0f}%")
    finally:
        server.stop()
        if cgroup:
            stat = cgroup.throttling()
            args.throttled_periods, args.quota_periods = stat.get("nr_throttled", "?"), stat.get("nr_periods", "?")
            cgroup.remove()
    path = write_report(args, command, results, names, variants, machine_info(), started)
    say(f"report: {path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as error:
        say(f"ERROR: {error}")
        sys.exit(2)
