"""bench/run.py's report: markdown, PNG chart and raw JSON."""
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from harness.engine_alone import ENGINE_BATCH_SIZES
from harness.log import T0
from harness.machine import run_text, sha256_short
from harness.paths import PERF_ANALYZER, ROOT
from harness.perf_analyzer import perf_env
from harness.reference import COSINE_MIN


def find(runs, set_name, concurrency, system):
    for run in runs:
        if (run["set"], run["concurrency"], run["system"]) == (set_name, concurrency, system):
            return run
    return None


def versions(server_info, ours_path):
    import openvino
    import tokenizers

    v = {
        "tritonserver": server_info.get("version", "?"),
        "perf_analyzer": run_text(["sh", "-c", f"'{PERF_ANALYZER}' --version 2>&1 | head -1"],
                                  env=perf_env()).replace("Perf Analyzer Version ", ""),
        "openvino": openvino.get_version(),
        "tokenizers": tokenizers.__version__,
        "numpy": np.__version__,
        "python (bench, engine alone)": platform.python_version(),
        "python (backend stub)": run_text(["/usr/bin/python3.11", "-c",
                                           "import platform; print(platform.python_version())"]),
        "node": run_text(["node", "--version"]),
        "git": run_text(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        + (" (+ uncommitted changes)" if run_text(["git", "-C", str(ROOT), "status", "--porcelain"])
           else ""),
    }
    try:
        from importlib.metadata import version
        v["transformers (seed baseline)"] = version("transformers")
    except ImportError:
        pass
    if ours_path:
        libs = sorted(Path(ours_path).glob("*/libtriton_*.so"))
        if libs:
            v["ours backend library"] = f"{libs[0].name} sha256 {sha256_short(libs[0])}"
    return v


def fmt(value, digits=1):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def chart(path, runs, engines, args, systems):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(args.sets), figsize=(5.5 * len(args.sets), 4.2), squeeze=False)
    colors = {"ours": "#1f77b4", "py_fast": "#ff7f0e", "py_seed": "#2ca02c"}
    for ax, set_name in zip(axes[0], args.sets):
        for key in args.systems:
            points = [(c, r["throughput"]) for c in args.concurrency
                      if (r := find(runs, set_name, c, key)) and r.get("throughput") is not None]
            if points:
                xs, ys = zip(*points)
                ax.plot(xs, ys, marker="o", color=colors.get(key), label=systems[key][1])
        if set_name in engines:
            ax.axhline(engines[set_name][32]["rows_per_s"], color="grey", linestyle="--",
                       label="engine alone, batch 32")
        ax.set_xscale("log", base=2)
        ax.set_xticks(args.concurrency)
        ax.set_xticklabels([str(c) for c in args.concurrency])
        ax.set_xlabel("concurrency (requests in flight, 1 text each)")
        ax.set_ylabel("throughput (infer/s)")
        ax.set_title(f"{set_name} texts")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("all-MiniLM-L6-v2 embeddings on tritonserver 2.51, CPU (OpenVINO f32)"
                 + (" — quick smoke run" if args.quick else ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(args, systems, runs, engines, token_stats, cosines, machine, vers, load, command, started):
    """`systems`: bench/run.py's SYSTEMS (key: Triton model name, label)."""
    args.report_dir.mkdir(parents=True, exist_ok=True)
    stem = started.strftime("%Y-%m-%d") + "-cpu" + ("-quick" if args.quick else "")
    md_path = args.report_dir / f"{stem}.md"
    png_path = args.report_dir / f"{stem}.png"
    json_path = args.report_dir / f"{stem}.json"
    chart(png_path, runs, engines, args, systems)

    L = []
    add = L.append
    add(f"# Benchmark: native backend vs Python-backend model.py — CPU, {started:%Y-%m-%d}")
    add("")
    if args.quick:
        add("**Quick smoke run** (3 small windows per run, no stability check): the numbers show "
            "the harness works, not how the systems compare.")
        add("")
    add(f"Command: `{command}`  ")
    add(f"Started {started:%Y-%m-%d %H:%M:%S}, took {(time.monotonic() - T0) / 60:.1f} min. "
        f"Load average (1 min) before: {load[0]:.2f}, after the sweep: {load[1]:.2f}.")
    add("")
    glance = [(n, c) for n in args.sets for c in args.concurrency if c == 16] or \
        [(n, args.concurrency[-1]) for n in args.sets]
    add("## At a glance")
    add("")
    add("| set | conc. | " + " | ".join(f"{k} infer/s | {k} p99 ms" for k in args.systems)
        + " | " + " | ".join(f"{k} % engine b32" for k in args.systems) + " |")
    add("| --- | ---: | " + " | ".join("---: | ---:" for _ in args.systems) + " | "
        + " | ".join("---:" for _ in args.systems) + " |")
    for name, c in glance:
        cells, shares = [], []
        for key in args.systems:
            r = find(runs, name, c, key) or {}
            cells.append(f"{fmt(r.get('throughput'))} | {fmt(r.get('p99_ms'), 1)}")
            share = r.get("engine_b32_share")
            shares.append(fmt(None if share is None else 100 * share, 0))
        add(f"| {name} | {c} | " + " | ".join(cells) + " | " + " | ".join(shares) + " |")
    add("")
    add("## Setup")
    add("")
    add(f"- Machine: {machine['cpu']}, {machine['cpus']} logical CPUs "
        f"({machine['threads_per_core']} thread(s) per core), {machine['memory_gib']} GiB memory, "
        f"AVX-512: {'yes' if machine['flags_avx512'] else 'no'}; {machine['os']}, "
        f"kernel {machine['kernel']}. No GPU.")
    add("- One tritonserver serves all systems; perf_analyzer runs on the same machine "
        "(loopback, so the load generator shares the CPUs with the server).")
    add(f"- perf_analyzer: {args.protocol.upper()}, synchronous requests of 1 text each, "
        "`--concurrency-range C`, "
        + ("`--measurement-mode count_windows --measurement-request-count max(C, 8)`, 3 windows, "
           "no stability check" if args.quick else
           f"short texts: `--measurement-interval {args.measurement_interval}` (ms); long texts: "
           "`--measurement-mode count_windows --measurement-request-count "
           f"max(2C, {args.long_window_requests})` (one batch of 32 long texts takes seconds here); "
           f"`--stability-percentage {args.stability_percentage:g}`, `--max-trials {args.max_trials}` "
           "(a run not stable by then is measured over 3 more windows and marked unstable)")
        + ". Order: for each text set, for each concurrency, the systems one after the other.")
    add("- Every system: model `text` BYTES [1] → `embedding` FP32 [384], max_batch_size 32, "
        "dynamic batching (max_queue_delay 2000 µs), 1 CPU instance; OpenVINO on CPU with "
        "PERFORMANCE_HINT LATENCY, INFERENCE_PRECISION_HINT f32, default threads; same model.onnx "
        "(all-MiniLM-L6-v2); masked mean-pool + L2 normalize; truncation at "
        f"{args.max_length} tokens (baselines; ours: its pipeline file).")
    add("")
    add("| system | Triton model | what runs per batch |")
    add("| --- | --- | --- |")
    what = {
        "ours": "generated C++ backend: C++ BERT tokenizer, OpenVINO C++ API, C++ pooling, in-process",
        "py_fast": "python backend stub: HF `tokenizers` (Rust) → OpenVINO Python API → numpy",
        "py_seed": "python backend stub: transformers' pure-Python BertTokenizer → OpenVINO Python API → numpy",
    }
    for key in args.systems:
        add(f"| {systems[key][1]} | `{systems[key][0]}` | {what[key]} |")
    add("")
    add("Versions: " + "; ".join(f"{k} {v}" for k, v in vers.items()) + ".")
    add("")
    add("Correctness before timing: each system's embeddings against the reference "
        "(HF tokenizers + OpenVINO + numpy in the bench process), one 10-row request and 4 "
        f"single-row requests; minimum cosine must be ≥ {COSINE_MIN}: "
        + ", ".join(f"{k} {v:.7f}" for k, v in cosines.items()) + ".")
    add("")
    add("Texts (request data, cycled in order; tokens counted with [CLS]/[SEP]):")
    add("")
    add("| set | texts | tokens min | mean | max |")
    add("| --- | ---: | ---: | ---: | ---: |")
    for name in args.sets:
        s = token_stats[name]
        add(f"| {name} | {s['count']} | {s['min']} | {s['mean']:.1f} | {s['max']} |")
    add("")
    add("`short`/`long` alternate English and Chinese texts (all-MiniLM-L6-v2's uncased English "
        "vocabulary splits Chinese into single characters, many of them [UNK]).")
    add("")

    add("## Engine alone")
    add("")
    add("OpenVINO Python API in the bench process, no server, same compiled settings; batches cut "
        "in order from the set's texts, tokenized beforehand, padded to each batch's longest "
        "text; mean time per `infer()`.")
    add("")
    add("| set | " + " | ".join(f"batch {b}" for b in ENGINE_BATCH_SIZES) + " |")
    add("| --- | " + " | ".join("---:" for _ in ENGINE_BATCH_SIZES) + " |")
    for name in args.sets:
        if name in engines:
            e = engines[name]
            add(f"| {name} ms/batch | " + " | ".join(fmt(e[b]['ms_per_batch'], 2)
                                                    for b in ENGINE_BATCH_SIZES) + " |")
            add(f"| {name} texts/s | " + " | ".join(fmt(e[b]['rows_per_s'], 0)
                                                   for b in ENGINE_BATCH_SIZES) + " |")
    add("")

    add("## Throughput and latency")
    add("")
    add("Client side from perf_analyzer; server side are Triton's per-request averages "
        "(µs) over the measured windows. *avg batch*: rows per model execution "
        "(Triton statistics). *% engine b32*: throughput / engine-alone throughput at batch 32; "
        "*% engine peak*: / the engine-alone throughput at its best measured batch size. *stable*: "
        "perf_analyzer's stability criterion met (– : not checked). *load*: the machine's 1-minute "
        f"load average when the run started (other work on these {os.cpu_count()} CPUs shows here).")
    add("")
    add("| set | conc. | system | infer/s | p50 ms | p95 ms | p99 ms | avg batch | queue µs | "
        "compute input µs | compute infer µs | compute output µs | % engine b32 | % engine peak | stable | "
        "load |")
    add("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for name in args.sets:
        for c in args.concurrency:
            for key in args.systems:
                r = find(runs, name, c, key)
                if r is None:
                    continue
                if r.get("throughput") is None:
                    add(f"| {name} | {c} | {key} | failed: {r['error']} |||||||||||||")
                    continue
                share = r.get("engine_b32_share")
                peak = r.get("engine_peak_share")
                add(f"| {name} | {c} | {key} | {fmt(r['throughput'])} | {fmt(r['p50_ms'], 2)} | "
                    f"{fmt(r['p95_ms'], 2)} | {fmt(r['p99_ms'], 2)} | {fmt(r.get('avg_batch'), 1)} | "
                    f"{fmt(r['queue_us'], 0)} | {fmt(r['compute_input_us'], 0)} | "
                    f"{fmt(r['compute_infer_us'], 0)} | {fmt(r['compute_output_us'], 0)} | "
                    f"{fmt(None if share is None else 100 * share, 0)} | "
                    f"{fmt(None if peak is None else 100 * peak, 0)} | "
                    f"{'yes' if r['stable'] else ('no' if r['stable'] is False else '–')} | "
                    f"{fmt(r.get('load_before'), 1)} |")
    add("")
    add(f"![throughput vs concurrency]({png_path.name})")
    add("")

    if "ours" in args.systems and len(args.systems) > 1:
        add("## Ratios")
        add("")
        add("Throughput ratio = ours / baseline (above 1: ours serves more). "
            "p99 ratio = ours / baseline (below 1: ours' tail latency is shorter).")
        add("")
        others = [k for k in args.systems if k != "ours"]
        add("| set | conc. | " + " | ".join(f"throughput ours/{k} | p99 ours/{k}" for k in others) + " |")
        add("| --- | ---: | " + " | ".join("---: | ---:" for _ in others) + " |")
        for name in args.sets:
            for c in args.concurrency:
                ours = find(runs, name, c, "ours")
                cells = []
                for k in others:
                    base = find(runs, name, c, k)
                    if ours and base and ours.get("throughput") and base.get("throughput"):
                        cells.append(f"{ours['throughput'] / base['throughput']:.2f}x | "
                                     f"{ours['p99_ms'] / base['p99_ms']:.2f}")
                    else:
                        cells.append("– | –")
                add(f"| {name} | {c} | " + " | ".join(cells) + " |")
        add("")

    add("## Where the time goes (non-engine overhead)")
    add("")
    add("Per served inference (one text), in µs. *wall*: 1 / throughput. *backend*: the model "
        "instance's execution time (Triton's batch statistics: compute input + infer + output) "
        "divided by the rows it served. *engine*: what the engine alone takes for batches of the "
        "sizes this run's executions had (engine-alone time per batch, interpolated between the "
        "measured batch sizes). *non-engine in backend* = backend − engine: tokenizing, packing, "
        "pooling, the Python stub's data exchange, Python. *outside backend* = wall − backend: "
        "time the instance was not executing (HTTP, queueing, client, and idle time when the "
        "load does not saturate the one instance; it can come out slightly negative because Triton's "
        "statistics cover the whole perf_analyzer run and the throughput only its measured windows).")
    add("")
    add("| set | conc. | system | wall | backend | engine | non-engine in backend | "
        "non-engine share of backend | outside backend |")
    add("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.sets:
        for c in args.concurrency:
            for key in args.systems:
                r = find(runs, name, c, key)
                if not r or r.get("backend_us_per_inf") is None:
                    continue
                share = r["non_engine_us_per_inf"] / r["backend_us_per_inf"] if r["backend_us_per_inf"] else None
                add(f"| {name} | {c} | {key} | {fmt(r['wall_us_per_inf'], 0)} | "
                    f"{fmt(r['backend_us_per_inf'], 0)} | {fmt(r['engine_us_per_inf'], 0)} | "
                    f"{fmt(r['non_engine_us_per_inf'], 0)} | "
                    f"{fmt(None if share is None else 100 * share, 0)}% | "
                    f"{fmt(r['wall_us_per_inf'] - r['backend_us_per_inf'], 0)} |")
    add("")
    add("## Notes")
    add("")
    add("- The load generator, the server and (for ours) the engine's threads share the same "
        f"{machine['cpus']} CPUs; the numbers include that contention for every system alike.")
    add("- Raw numbers: `" + json_path.name + "` beside this file; perf_analyzer logs and CSVs "
        "under `build/bench/perf/`, the server log under `build/bench/logs/`.")
    unstable = [f"{r['set']} c={r['concurrency']} {r['system']}" for r in runs if r.get("stable") is False]
    if unstable and not args.quick:
        add("- Not stable within the trials (measured over 3 windows instead): " + ", ".join(unstable) + ".")
    failed = [f"{r['set']} c={r['concurrency']} {r['system']}: {r['error']}"
              for r in runs if r.get("throughput") is None]
    if failed:
        add("- Failed runs: " + "; ".join(failed) + ".")
    add("")
    md_path.write_text("\n".join(L))
    json_path.write_text(json.dumps({
        "command": command, "started": started.isoformat(), "quick": args.quick,
        "settings": {"measurement_interval_ms": args.measurement_interval,
                     "stability_percentage": args.stability_percentage,
                     "max_trials": args.max_trials, "protocol": args.protocol,
                     "max_length": args.max_length},
        "machine": machine, "versions": vers, "load_average": load, "cosine_min": cosines,
        "texts": token_stats, "engine_alone": engines, "runs": runs,
    }, indent=1, default=str))
    return md_path, png_path
