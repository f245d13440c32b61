#!/usr/bin/env python3
"""faster-bert benchmark: our native backend against the Python-backend
model.py it replaces, in one real tritonserver, same engine, same model.

Steps (each prints progress):
  1. build ours with `codegen build` (unless --ours-dir names a built model)
  2. assemble build/bench/repo/: ours + the two Python-backend baselines
  3. start tritonserver on free loopback ports, wait until every model is ready
  4. check that every system returns the reference embeddings (HF tokenizers
     + OpenVINO in this process): cosine >= 0.9999, else abort
  5. perf_analyzer sweep: for each text set, for each concurrency, each
     system in turn (so machine drift hits all of them alike); Triton's
     per-model statistics are read before and after each run
  6. stop the server; the engine alone (OpenVINO, same batches, no server)
  7. write the report (markdown + PNG chart + raw JSON)

Run it through bench/run.sh (installs what is missing first). What it
shares with bench/precision/run.py is in bench/harness/ (server,
perf_analyzer, reference, engine alone); its report is bench/cpu_report.py. --quick runs
tiny windows for a smoke test. The report reports; nothing here asserts a
timing.
"""
import argparse
import datetime as dt
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cpu_report  # noqa: E402
import texts as bench_texts  # noqa: E402
from harness.engine_alone import derive, engine_alone  # noqa: E402
from harness.log import BenchError, say  # noqa: E402
from harness.paths import BUILD, DEFAULT_MODEL_DIR, PERF_ANALYZER, ROOT, TRITON_DIR  # noqa: E402
from harness.machine import machine_info  # noqa: E402
from harness.perf_analyzer import sweep  # noqa: E402
from harness.python_baselines import python_model_folder  # noqa: E402
from harness.reference import COSINE_MIN, Reference  # noqa: E402
from harness.triton_server import Server, http_json  # noqa: E402

PIPELINE = ROOT / "examples" / "embeddings" / "pipeline.ts"

SYSTEMS = {
    # key: (Triton model name, label in the report)
    "ours": ("minilm_embeddings", "ours (native backend)"),
    "py_fast": ("minilm_py_fast", "Python backend, fast tokenizer"),
    "py_seed": ("minilm_py_seed", "Python backend, seed (slow BertTokenizer)"),
}


# --------------------------------------------------------------------------
# settings


def parse_args(argv, systems=None):
    """bench/run.py's options; `systems` (default SYSTEMS) are the keys
    --systems accepts (bench/precision/run.py passes its own)."""
    systems = systems or SYSTEMS
    p = argparse.ArgumentParser(
        description="Benchmark our native Triton backend against the Python-backend baselines.")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 3 small windows per run, no stability wait, short engine "
                   "timing; the report goes to build/bench/reports")
    p.add_argument("--systems", default="ours,py_fast,py_seed",
                   help="comma list of: " + ", ".join(systems) + " (default: all)")
    p.add_argument("--sets", default="short,long,mixed",
                   help="comma list of text sets: " + ", ".join(bench_texts.SET_NAMES)
                   + " (default: short,long,mixed; each mixes English and Chinese)")
    p.add_argument("--concurrency", default="1,4,16,64", help="comma list (default 1,4,16,64)")
    p.add_argument("--measurement-interval", type=int, default=5000,
                   help="perf_analyzer window in ms for short texts (default 5000)")
    p.add_argument("--long-window-requests", type=int, default=48,
                   help="long texts: windows of at least max(2 x concurrency, this) requests "
                   "(default 48)")
    p.add_argument("--stability-percentage", type=float, default=15.0,
                   help="perf_analyzer stability threshold in %% (default 15)")
    p.add_argument("--max-trials", type=int, default=5,
                   help="perf_analyzer windows before giving up on stability (default 5); a "
                   "run not stable by then is measured over 3 more windows and marked unstable")
    p.add_argument("--protocol", choices=("http", "grpc"), default="http")
    p.add_argument("--max-length", type=int, default=256,
                   help="baselines' truncation length in tokens (ours: set by its pipeline file)")
    p.add_argument("--model-dir", default=str(DEFAULT_MODEL_DIR),
                   help="folder with model.onnx, tokenizer.json, vocab.txt for the baselines")
    p.add_argument("--ours-dir", default=None,
                   help="an already built model folder of ours (skips `codegen build`)")
    p.add_argument("--report-dir", default=None,
                   help="where the report goes (default bench/reports; --quick: build/bench/reports)")
    args = p.parse_args(argv)

    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    for s in args.systems:
        if s not in systems:
            p.error(f"unknown system '{s}' (known: {', '.join(systems)})")
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    for s in args.sets:
        if s not in bench_texts.SET_NAMES:
            p.error(f"unknown text set '{s}' (known: {', '.join(bench_texts.SET_NAMES)})")
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]

    if args.quick:
        # Windows of at least max(concurrency, 8) requests, 3 of them, no
        # stability wait: a few seconds per run, even for long texts at
        # concurrency 64, where one batch of 32 takes seconds on 2 cores.
        args.engine_seconds = 0.3
        args.report_dir = Path(args.report_dir or BUILD / "reports")
    else:
        args.engine_seconds = 3.0
        args.report_dir = Path(args.report_dir or ROOT / "bench" / "reports")
    args.model_dir = Path(args.model_dir).resolve()
    return args


# --------------------------------------------------------------------------
# model repository and server


def build_ours(args):
    if args.ours_dir:
        path = Path(args.ours_dir).resolve()
    else:
        out = BUILD / "ours"
        cmd = ["node", "bin/codegen.js", "build", str(PIPELINE.relative_to(ROOT)), "--out", str(out)]
        say("building ours: " + " ".join(cmd))
        result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        log = BUILD / "logs" / "codegen-build.log"
        log.write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise BenchError(
                f"`codegen build` failed (exit {result.returncode}; full log {log}):\n{tail}\n"
                "Run the baselines alone with --systems py_fast,py_seed, or pass --ours-dir.")
        path = out / SYSTEMS["ours"][0]
    if not (path / "config.pbtxt").is_file():
        raise BenchError(f"no config.pbtxt in {path}: not a built model folder of ours")
    return path


def assemble_repository(args, ours_path):
    repo = BUILD / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    stub_env = BUILD / "stub-env"
    if not (stub_env / "bin" / "activate").is_file():
        raise BenchError(f"{stub_env} is missing: run bash bench/setup.sh")
    for key in args.systems:
        name = SYSTEMS[key][0]
        if key == "ours":
            (repo / name).symlink_to(ours_path, target_is_directory=True)
            continue
        python_model_folder(repo, name, name, args.model_dir, args.max_length)
    return repo


# --------------------------------------------------------------------------
# correctness check


def check_embeddings(server, args, reference, sets):
    texts = bench_texts.check_texts(sets)
    expected = reference.embed(texts)
    worst = {}
    for key in args.systems:
        model = SYSTEMS[key][0]
        batched = server.infer(model, texts)             # one request, many rows
        single = np.vstack([server.infer(model, [t]) for t in texts[:4]])  # one row each
        for got, want, how in ((batched, expected, "batched"), (single, expected[:4], "single")):
            if got.shape != want.shape:
                raise BenchError(f"{model}: {how} embeddings have shape {got.shape}, want {want.shape}")
            cos = np.sum(got * want, axis=1) / (
                np.linalg.norm(got, axis=1) * np.linalg.norm(want, axis=1) + 1e-30)
            bad = [i for i, c in enumerate(cos) if not c >= COSINE_MIN]
            if bad:
                i = bad[0]
                raise BenchError(
                    f"{model} ({how}) differs from the reference (HF tokenizers + OpenVINO): "
                    f"cosine {cos[i]:.6f} < {COSINE_MIN} for text {i} {texts[i][:60]!r}"
                    + (" (the over-long text: do both truncate at --max-length?)" if i == 6 else ""))
            worst[key] = min(worst.get(key, 1.0), float(cos.min()))
        say(f"  {key:8s} ({model}): min cosine vs reference {worst[key]:.7f} on {len(texts)} texts")
    return worst


# --------------------------------------------------------------------------


def main(argv):
    args = parse_args(argv)
    started = dt.datetime.now()
    command = "bench/run.py " + " ".join(shlex.quote(a) for a in argv)
    (BUILD / "logs").mkdir(parents=True, exist_ok=True)
    for path, hint in ((TRITON_DIR / "bin" / "tritonserver", "the project .venv (scripts/setup.sh)"),
                       (PERF_ANALYZER, "tritonclient in .venv"),
                       (BUILD / "lib" / "libcudart.so.12", "bash bench/setup.sh"),
                       (BUILD / "backends" / "python" / "triton_python_backend_stub", "bash bench/setup.sh"),
                       (args.model_dir / "model.onnx", "scripts/prepare-models.sh")):
        if not path.exists():
            raise BenchError(f"{path} is missing: run {hint}")

    say(f"{'quick smoke run' if args.quick else 'full run'}: systems {','.join(args.systems)}; "
        f"sets {','.join(args.sets)}; concurrency {','.join(map(str, args.concurrency))}")
    ours_path = build_ours(args) if "ours" in args.systems else None
    if ours_path:
        say(f"ours: {ours_path}")

    reference = Reference(args.model_dir, args.max_length)
    from tokenizers import Tokenizer
    counter = Tokenizer.from_file(str(args.model_dir / "tokenizer.json"))
    counter.no_truncation()
    counter.no_padding()
    count = lambda t: len(counter.encode(t).ids)  # noqa: E731  tokens with [CLS]/[SEP]
    sets = bench_texts.build_sets(count)
    token_stats = {}
    for name in args.sets:
        n = [count(t) for t in sets[name]]
        token_stats[name] = {"count": len(n), "min": min(n), "mean": sum(n) / len(n), "max": max(n)}

    repo = assemble_repository(args, ours_path)
    models = [SYSTEMS[k][0] for k in args.systems]
    say(f"model repository {repo}: {', '.join(models)}")
    server = Server(repo)
    say(f"tritonserver starting on 127.0.0.1:{server.ports['http']} (log {server.log_path})")
    load = [os.getloadavg()[0], None]
    try:
        server.wait_ready(models)
        _, server_info = http_json(server.url + "/v2")
        say("server ready; checking embeddings against the reference")
        cosines = check_embeddings(server, args, reference, sets)
        say(f"sweep: {len(args.sets) * len(args.concurrency) * len(args.systems)} perf_analyzer runs"
            + ("" if args.quick else f", {args.measurement_interval} ms windows for short texts, "
               f"count windows of max(2C, {args.long_window_requests}) requests for long ones"))
        runs = sweep(server, args, sets, {k: SYSTEMS[k][0] for k in args.systems})
        load[1] = os.getloadavg()[0]
    finally:
        server.stop()
    say("server stopped; timing the engine alone")
    engines = {}
    for name in args.sets:
        engines[name] = engine_alone(reference, sets[name], args.engine_seconds)
        e = engines[name]
        say(f"  {name}: batch 1 {e[1]['ms_per_batch']:.2f} ms, batch 32 {e[32]['ms_per_batch']:.1f} ms "
            f"({e[32]['rows_per_s']:.0f} texts/s)")
    derive(runs, engines)
    md, png = cpu_report.write_report(args, SYSTEMS, runs, engines, token_stats, cosines, machine_info(),
                                      cpu_report.versions(server_info, ours_path), load, command, started)
    say(f"report: {md.relative_to(ROOT) if md.is_relative_to(ROOT) else md}")
    say(f"chart:  {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")
    failed = [r for r in runs if r.get("throughput") is None]
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as error:
        say(f"ERROR: {error}")
        sys.exit(2)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
