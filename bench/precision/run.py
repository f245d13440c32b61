"""CPU precision benchmark (issue 21): ours at f32, bf16 and int8 against the
fast Python backend at f32 (what a user's model.py runs) and the same Python
backend on our int8 model (same engine, so the ratio shows what our side
adds), in one tritonserver, on short, long and mixed-length texts; accuracy
beside the speed: each system's min cosine to the FP32 reference on the check
texts, and the build's accuracy-gate figures. For ours at each precision, the
same engine alone (issue 21's "served >= 90% of the same engine alone"): the
model file and OpenVINO properties the backend compiles, timed in this process
without a server on batches of the sizes Triton formed, each cut into the
engine calls the pipeline's token budget makes.

It reuses bench/run.py's options and bench/harness/ (server, perf_analyzer
runs, reference, engine alone) and bench/texts.py's sets.
  .venv/bin/python bench/precision/run.py [--concurrency 1,16,64] [--sets short,long,mixed]
      [--systems ours_f32,ours_bf16,ours_int8,py_f32,py_int8] [--prebuilt]
      [--instances 1] [--queue-delay-us 2000] [--preferred-batch-sizes 16]
(--prebuilt: serve what an earlier run built, without Node; tools/device/cpu_precision/ runs it so on the
GPU machine's host CPU.)
Report: bench/reports/<date>-cpu-precision.md, -2.md, ... (the first name not
taken; build/bench/precision/ with --quick).
"""
import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import run as cpu_bench  # noqa: E402  bench/run.py, for its options
import texts as bench_texts  # noqa: E402
from harness.engine_alone import ENGINE_BATCH_SIZES, derive, engine_alone as time_engine_alone  # noqa: E402
from harness.log import BenchError, say  # noqa: E402
from harness.machine import machine_info, run_text  # noqa: E402
from harness.paths import BUILD, ROOT, VENV  # noqa: E402
from harness.perf_analyzer import sweep  # noqa: E402
from harness.python_baselines import python_model_folder  # noqa: E402
from harness.reference import Reference  # noqa: E402
from harness.triton_server import Server  # noqa: E402

OURS = {
    # key: (example, Triton model name, label)
    "ours_f32": ("embeddings", "minilm_embeddings", "ours, f32"),
    "ours_bf16": ("embeddings-bf16", "minilm_embeddings_bf16", "ours, bf16"),
    "ours_int8": ("embeddings-int8", "minilm_embeddings_int8", "ours, int8"),
}
PYTHON = {
    "py_f32": ("minilm_py_fast", "model.onnx", "Python backend (fast tokenizer), f32"),
    "py_int8": ("minilm_py_fast_int8", "model.int8.xml", "Python backend (fast tokenizer) on our int8 model"),
}
# OpenVINO's inference precision each Python baseline asks for: on our int8
# model, the one our int8 engine runs its float parts in (bf16 where the CPU
# has it: codegen/emit/pipeline-spec.ts), so both run the same engine.
PYTHON_PRECISION = {"py_f32": "f32", "py_int8": "bf16"}
WORK = BUILD / "precision"


def build_ours(prebuilt=False):
    """Our three models built by `codegen build` into WORK/repo-ours, and the
    accuracy gates' reports. `prebuilt`: take what an earlier build left
    there (a machine without Node: tools/device/cpu_precision carries it)."""
    out, pipelines = WORK / "repo-ours", WORK / "pipelines"
    paths, gates = {}, {}
    for key, (example, name, _) in OURS.items():
        if not prebuilt:
            cmd = ["node", "bin/codegen.js", "build", f"examples/{example}/pipeline.ts", "--out", str(out),
                   "--build-dir", str(pipelines)]
            say("building " + " ".join(cmd))
            result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if result.returncode != 0:
                raise BenchError(f"codegen build {example} failed:\n{result.stdout}{result.stderr}")
        gate = pipelines / name / "precision" / "report.json"
        if gate.exists():
            gates[key] = json.loads(gate.read_text())
            say(f"  {key}: accuracy gate ran as {gates[key]['ran_as']}")
        if not (out / name / "config.pbtxt").exists():
            raise BenchError(f"{out / name} holds no built model")
        paths[key] = out / name
    return paths, gates


def assemble(args, ours_paths):
    repo = WORK / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    # Only the measured systems: an idle model still holds memory and threads.
    for key, path in ours_paths.items():
        if key in args.systems:
            folder = repo / OURS[key][1]
            folder.mkdir()
            (folder / "1").symlink_to(path / "1", target_is_directory=True)
            config = serving(args, (path / "config.pbtxt").read_text())
            (folder / "config.pbtxt").write_text(with_response_thread(config) if args.response_thread else config)
    # The Python backend's model folder for our int8 model: its tokenizer.json beside our IR.
    int8_dir = WORK / "int8-model"
    if int8_dir.exists():
        shutil.rmtree(int8_dir)
    int8_dir.mkdir()
    (int8_dir / "tokenizer.json").symlink_to(args.model_dir / "tokenizer.json")
    for f in ("model.int8.xml", "model.int8.bin"):
        (int8_dir / f).symlink_to(ours_paths["ours_int8"] / "1" / f)
    for key, (name, model_file, _) in PYTHON.items():
        if key not in args.systems:
            continue
        python_model_folder(repo, "minilm_py_fast", name, int8_dir if key == "py_int8" else args.model_dir,
                            256, {"model_file": model_file, "inference_precision": PYTHON_PRECISION[key]})
        config = repo / name / "config.pbtxt"
        config.write_text(serving(args, config.read_text()))
    return repo


def serving(args, config):
    """A config.pbtxt with the run's instance count, queue delay and
    preferred batch sizes, the settings Triton users tune per deployment
    (our backend checks the rest of the config against its pipeline at
    load, not these)."""
    for pattern, value in ((r"(instance_group \[\s*\{\s*count: )\d+", args.instances),
                           (r"(max_queue_delay_microseconds: )\d+", args.queue_delay_us)):
        config, found = re.subn(pattern, lambda m: m.group(1) + str(value), config)
        if found != 1:
            raise BenchError(f"config.pbtxt has no single match for {pattern!r}")
    if args.preferred_batch_sizes:
        if "preferred_batch_size" in config:
            raise BenchError("config.pbtxt already names preferred batch sizes")
        sizes = ", ".join(str(n) for n in args.preferred_batch_sizes)
        config = re.sub(r"(max_queue_delay_microseconds: \d+)", rf"\1\n  preferred_batch_size: [ {sizes} ]", config)
    return config


def with_response_thread(config):
    """Our backend's config.pbtxt answering from a response thread of each
    instance (its parameter, backend-cpp/triton/response_thread.h)."""
    return config + 'parameters { key: "response_thread" value { string_value: "true" } }\n'


def text_sets(model_dir):
    """bench/texts.py's sets, counted with the model's own tokenizer (no
    truncation, no padding), and that count."""
    from tokenizers import Tokenizer
    counter = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    counter.no_truncation()
    counter.no_padding()

    def count_tokens(text):
        return len(counter.encode(text).ids)
    return bench_texts.build_sets(count_tokens), count_tokens


class OpenVinoTuning(NamedTuple):
    """config.pbtxt's OpenVINO parameters for ours (backend-cpp/triton/config_check.h):
    threads of all streams (0: as built) and CPU pinning (None: OpenVINO's default)."""
    threads: int = 0
    pinning: Optional[bool] = None

    def config_parameters(self):
        out = ""
        if self.threads:
            out += f'parameters {{ key: "INFERENCE_NUM_THREADS" value {{ string_value: "{self.threads}" }} }}\n'
        if self.pinning is not None:
            value = "YES" if self.pinning else "NO"
            out += f'parameters {{ key: "ENABLE_CPU_PINNING" value {{ string_value: "{value}" }} }}\n'
        return out

    def described(self):
        return ((f", {self.threads} OpenVINO threads" if self.threads else "")
                + ("" if self.pinning is None else f", pinning {'on' if self.pinning else 'off'}"))


def built_engine(path, model_dir, streams, tuning=OpenVinoTuning()):
    """One of ours' engine as its build left it: its model folder's
    pipeline.json names the engine's model file, precision and token budget;
    the OpenVINO properties are the backend's (bench/run.py's Reference),
    with `tuning` as config.pbtxt would set it.
    (reference, model file, maxBatchTokens or 0)."""
    ir = json.loads((path / "1" / "pipeline.json").read_text())
    engine = ir["engine"]
    # codegen/emit/pipeline-spec.ts: bf16 and int8 engines compute their float parts in bf16.
    precision = "f32" if engine["precision"] == "f32" else "bf16"
    threads = tuning.threads or engine.get("numThreads", 0) * max(1, streams)
    reference = Reference(model_dir, 256, path / "1" / engine["model"]["file"], precision, streams=streams,
                          threads=threads, pinning=tuning.pinning)
    return reference, engine["model"]["file"], ir.get("maxBatchTokens") or 0


def engine_alone(ours_paths, args, sets):
    """Each of ours alone (built_engine). {key: {set: engine_alone}}."""
    out = {}
    for key, path in ours_paths.items():
        if key not in args.systems:
            continue
        reference, model_file, budget = built_engine(path, args.model_dir, args.instances)
        out[key] = {"model_file": model_file, "inference_precision": reference.inference_precision,
                    "streams": reference.streams, "max_batch_tokens": budget, "sets": {}}
        for name in args.sets:
            e = time_engine_alone(reference, sets[name], args.engine_seconds, budget)
            out[key]["sets"][name] = e
            say(f"  {key} {name}: batch 1 {e[1]['ms_per_batch']:.2f} ms, batch 32 "
                      f"{e[32]['ms_per_batch']:.1f} ms in {e[32]['calls_per_batch']:.1f} calls "
                      f"({e[32]['rows_per_s']:.0f} texts/s)")
        del reference
    return out


HELD_OUT = ROOT / "tools" / "quantize" / "texts" / "held-out.txt"
# The cores this process (and so the server and the client it starts) may run on.
CORES = len(os.sched_getaffinity(0))


def cosines(got, want):
    return np.sum(got * want, 1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(want, axis=1))


def accuracy(server, reference, sets, systems):
    """Each system's min and mean cosine to the FP32 reference: the check
    texts in one request and the mixed set in requests of 8; and, apart, the
    build gate's held-out texts in requests of 8 as served on this CPU (the
    gate ran on the build machine's, which may compute otherwise)."""
    check = bench_texts.check_texts(sets)
    mixed = sets["mixed"]
    sys.path.insert(0, str(ROOT / "tools" / "quantize"))
    from quantize_engine import read_texts  # the gate's own reading of its texts
    held_out = read_texts(HELD_OUT)
    want_check, want_mixed, want_held = reference.embed(check), reference.embed(mixed), reference.embed(held_out)
    in_eights = lambda model, texts: np.vstack([server.infer(model, texts[i:i + 8]) for i in range(0, len(texts), 8)])  # noqa: E731
    out = {}
    for key, model in models(systems).items():
        got_check = server.infer(model, check)
        cos = [float(c) for got, want in ((got_check, want_check), (in_eights(model, mixed), want_mixed))
               for c in cosines(got, want)]
        held = cosines(in_eights(model, held_out), want_held)
        worst = int(np.argmin(held))
        out[key] = {"min": min(cos), "mean": float(np.mean(cos)), "texts": len(cos),
                    "held_out": {"min": float(held[worst]), "mean": float(np.mean(held)), "texts": len(held),
                                 "worst_text": held_out[worst]}}
        say(f"  {key:9s} min cosine to FP32 {out[key]['min']:.5f} (mean {out[key]['mean']:.5f}) on {len(cos)} texts; "
            f"held-out {held[worst]:.5f} (mean {np.mean(held):.5f}) on {len(held)}")
    return out


def models(systems=None):
    every = {**{k: v[1] for k, v in OURS.items()}, **{k: v[0] for k, v in PYTHON.items()}}
    return {k: v for k, v in every.items() if systems is None or k in systems}


def served_vs_engine(args, runs, engines):
    """The report's section on issue 21's 90% goal: per set, concurrency and
    precision, served rows/s over the same engine alone's rows/s."""
    lines = ["## Served against the same engine alone", "",
             "*Engine alone*: the served model's own engine in the bench process, no server, no tokenizer: "
             "its model file, compiled with the backend's OpenVINO properties (one instance: PERFORMANCE_HINT "
             "LATENCY, one stream; N instances: THROUGHPUT with N streams, each stream's batches run from its "
             "own thread at once; INFERENCE_PRECISION_HINT as below, threads left to OpenVINO as the backend "
             "leaves them); batches cut in order from the set's texts, tokenized beforehand, each batch split into "
             "the engine calls the pipeline makes under its token budget (rows longest first, rows x longest "
             "<= maxBatchTokens), each call padded to its longest row; a batch's time is the sum of its calls.", ""]
    for key, e in engines.items():
        lines.append(f"- `{key}`: {e['model_file']}, INFERENCE_PRECISION_HINT {e['inference_precision']}, "
                     f"{e.get('streams', 1)} stream(s), maxBatchTokens {e['max_batch_tokens']}")
    lines += ["", "| engine | set | " + " | ".join(f"batch {b}" for b in ENGINE_BATCH_SIZES) + " |",
              "| --- | --- | " + " | ".join("---:" for _ in ENGINE_BATCH_SIZES) + " |"]
    for key, e in engines.items():
        for name in args.sets:
            row = e["sets"][name]
            lines.append(f"| {key} | {name} texts/s (calls) | " + " | ".join(
                f"{row[b]['rows_per_s']:.0f} ({row[b]['calls_per_batch']:.1f})" for b in ENGINE_BATCH_SIZES) + " |")
    lines += ["", "**served / engine alone** = served infer/s (perf_analyzer; one text per request, so rows/s) "
              "divided by the engine alone's rows/s on the same batches: batches of the sizes Triton's "
              "statistics show the server executed in that run, weighted by their count, each timed as above "
              "(engine time interpolated linearly between the measured batch sizes). 100% would mean "
              "tokenizing, pooling, Triton and the client cost no throughput at all. *vs b32*: served over "
              "the engine alone at batch 32 (the server's largest batch). Triton's per-request averages (µs) "
              "beside: queue, compute input, compute infer (our backend: tokenize, engine, pool), compute output. "
              f"*Client / server cores*: CPU time perf_analyzer and tritonserver (with its children) used over "
              f"the run, in cores of this machine's {CORES}; the engine alone had every core, while served the "
              "client (here, on the same machine) took its share: *client's cores left out* is served / engine "
              f"alone scaled by {CORES} / ({CORES} - client cores), the share had the engine alone run on the "
              "cores the client left (if its speed scales with cores).",
              "", "| set | conc. | system | served infer/s | avg batch | engine alone rows/s (same batches) | "
              "**served / engine alone** | vs b32 | client cores | server cores | client's cores left out | "
              "queue µs | compute input µs | compute infer µs | compute output µs | stable |",
              "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
              "| --- |"]
    for name in args.sets:
        for c in args.concurrency:
            for key in engines:
                r = next((r for r in runs if (r["set"], r["concurrency"], r["system"]) == (name, c, key)), None)
                if not r or not r.get("throughput") or not r.get("engine_us_per_inf"):
                    lines.append(f"| {name} | {c} | {key} | failed ||||||||||||")
                    continue
                client = r.get("client_cores", 0.0)
                left_out = r["engine_same_batches_share"] * CORES / max(CORES - client, 1e-9)
                lines.append(
                    f"| {name} | {c} | {key} | {r['throughput']:.1f} | {r['avg_batch']:.1f} | "
                    f"{r['engine_same_batches_rows_per_s']:.1f} | **{100 * r['engine_same_batches_share']:.0f}%** | "
                    f"{100 * r['engine_b32_share']:.0f}% | {client:.2f} | {r.get('server_cores', 0.0):.2f} | "
                    f"{100 * left_out:.0f}% | {r['queue_us']:.0f} | {r['compute_input_us']:.0f} | "
                    f"{r['compute_infer_us']:.0f} | {r['compute_output_us']:.0f} | "
                    f"{ {True: 'yes', False: 'no'}.get(r.get('stable'), '–') } |")
    return lines + [""]


def write_report(args, runs, acc, gates, token_stats, command, started, load, engines):
    labels = {**{k: v[2] for k, v in OURS.items() if k in args.systems},
              **{k: v[2] for k, v in PYTHON.items() if k in args.systems}}
    machine = machine_info()
    caps = run_text([str(VENV / "bin" / "python"), "-c",
                           "import openvino as ov; print(' '.join(ov.Core().get_property('CPU', 'OPTIMIZATION_CAPABILITIES')))"])
    flags = open("/proc/cpuinfo").read()
    against = " vs the fast Python backend" if any(k in PYTHON for k in args.systems) else ", served and engine alone"
    lines = [f"# CPU precision: ours at f32, bf16, int8{against} ({started:%Y-%m-%d})", "",
             f"Command: `{command}`", "",
             f"Machine: {machine['cpu']}, {machine['cpus']} CPUs, {machine['memory_gib']} GiB, {machine['os']}; "
             f"avx512_bf16: {'avx512_bf16' in flags}, avx512_vnni: {'avx512_vnni' in flags}, amx_bf16: {'amx_bf16' in flags}; "
             f"OpenVINO CPU capabilities: {caps}. Load average before / after: {load[0]:.2f} / {load[1]:.2f}.", "",
             f"Systems, all in one tritonserver 2.51, {args.instances} CPU instance(s) each, the same dynamic "
             f"batching (max batch 32, {args.queue_delay_us} µs queue delay"
             f"{', preferred batch sizes ' + str(args.preferred_batch_sizes) if args.preferred_batch_sizes else ''}; ours "
             f"{'with' if args.response_thread else 'without'} a response thread), the same all-MiniLM-L6-v2 weights "
             "and max length 256:", ""]
    for key, label in labels.items():
        lines.append(f"- `{key}`: {label}")
    lines += ["", "Texts (tokens with [CLS]/[SEP]): " + "; ".join(
        f"{n}: {s['count']} texts, {s['min']}-{s['max']} (mean {s['mean']:.0f})" for n, s in token_stats.items()), ""]
    lines += ["## Throughput (infer/s) and p99 (ms)", "",
              "| set | conc. | " + " | ".join(labels) + " | int8/py f32 | bf16/py f32 | ours int8/py int8 |",
              "| --- | ---: | " + " | ".join("---:" for _ in labels) + " | ---: | ---: | ---: |"]
    find = lambda s, c, k: next((r for r in runs if (r["set"], r["concurrency"], r["system"]) == (s, c, k)), None)  # noqa: E731
    for s in args.sets:
        for c in args.concurrency:
            cells, tp = [], {}
            for key in labels:
                r = find(s, c, key)
                if r and r.get("throughput"):
                    tp[key] = r["throughput"]
                    cells.append(f"{r['throughput']:.1f} / {r['p99_ms']:.0f}" + ("" if r.get("stable") is not False else " (unstable)"))
                else:
                    cells.append("failed")
            ratio = lambda a, b: f"**{tp[a] / tp[b]:.2f}x**" if a in tp and b in tp else "-"  # noqa: E731
            lines.append(f"| {s} | {c} | " + " | ".join(cells) + f" | {ratio('ours_int8', 'py_f32')} | "
                         f"{ratio('ours_bf16', 'py_f32')} | {ratio('ours_int8', 'py_int8')} |")
    lines += [""] + served_vs_engine(args, runs, engines)
    lines += ["## Accuracy", "",
              "Served embeddings against the FP32 reference (HF tokenizers + OpenVINO f32 + numpy pooling), over "
              "the check texts (one request) and the mixed set (requests of 8), and apart over the build gate's "
              "held-out texts (requests of 8) as this CPU serves them:", "",
              "| system | min cosine | mean cosine | texts | held-out: min | mean | texts | worst held-out text |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for key, a in acc.items():
        h = a.get("held_out")
        worst = repr(h["worst_text"][:60]).replace("|", "\\|") if h else ""
        held = f"{h['min']:.5f} | {h['mean']:.5f} | {h['texts']} | {worst}" if h else "- | - | - | -"
        lines.append(f"| {key} | {a['min']:.5f} | {a['mean']:.5f} | {a['texts']} | {held} |")
    lines += ["", "The build's accuracy gate (held-out texts; the engine alone and in padded batches of 8):", ""]
    for key, g in gates.items():
        figures = "; ".join(f"{name}: min {f['min']:.5f}, mean {f['mean']:.5f}" for name, f in g["outputs"].items()
                            if f["measure"] == "cosine")
        lines.append(f"- `{key}`: ran as {g['ran_as']}, {figures} over {g['held_out_texts']} texts"
                     + (f"; {g['matmuls_kept_float']} MatMuls kept in floating point" if "matmuls_kept_float" in g else ""))
    folder = WORK if args.quick else ROOT / "bench" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    # Never over an earlier report of the same day (its hand-written findings).
    path, n = folder / f"{started:%Y-%m-%d}-cpu-precision.md", 1
    while path.exists() and not args.quick:
        n += 1
        path = folder / f"{started:%Y-%m-%d}-cpu-precision-{n}.md"
    path.write_text("\n".join(lines) + "\n\n## What it shows\n\n(written by hand below this line)\n")
    (WORK / "runs.json").write_text(json.dumps({"runs": runs, "accuracy": acc, "gates": gates, "engine_alone": engines},
                                               indent=1, default=str))
    return path


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", default="short,long,mixed")
    p.add_argument("--concurrency", default="1,16,64")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--measurement-interval", type=int, default=4000)
    p.add_argument("--max-trials", type=int, default=4)
    p.add_argument("--systems", default=",".join(models()))
    p.add_argument("--prebuilt", action="store_true",
                   help="serve the models an earlier run built (build/bench/precision), no codegen")
    p.add_argument("--instances", type=int, default=1, help="instance_group count of every served model")
    p.add_argument("--queue-delay-us", type=int, default=2000,
                   help="dynamic batching max_queue_delay_microseconds of every served model")
    p.add_argument("--preferred-batch-sizes", default="",
                   help="dynamic batching preferred_batch_size of every served model (comma-separated; none by "
                        "default): with a queue delay, the batcher waits up to it for a batch of such a size")
    p.add_argument("--response-thread", choices=("true", "false"), default="false",
                   help="our models send responses from a thread of each instance's own (true) or from the "
                        "instance's thread (false, the backend's default)")
    p.add_argument("--engine-seconds", type=float, default=None,
                   help="engine-alone timing per batch size (default 3, --quick 0.3)")
    mine = p.parse_args(argv)
    args = cpu_bench.parse_args(["--systems", mine.systems, "--sets", mine.sets, "--concurrency", mine.concurrency,
                                 "--measurement-interval", str(mine.measurement_interval),
                                 "--max-trials", str(mine.max_trials)] + (["--quick"] if mine.quick else []),
                                systems=models())
    args.instances, args.queue_delay_us = mine.instances, mine.queue_delay_us
    args.preferred_batch_sizes = [int(n) for n in mine.preferred_batch_sizes.split(",") if n]
    args.response_thread = mine.response_thread == "true"
    if mine.engine_seconds is not None:
        args.engine_seconds = mine.engine_seconds
    started = dt.datetime.now()
    command = "bench/precision/run.py " + " ".join(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    (BUILD / "logs").mkdir(parents=True, exist_ok=True)
    ours_paths, gates = build_ours(mine.prebuilt)
    sets, count_tokens = text_sets(args.model_dir)
    token_stats = {}
    for name in args.sets:
        n = [count_tokens(t) for t in sets[name]]
        token_stats[name] = {"count": len(n), "min": min(n), "mean": sum(n) / len(n), "max": max(n)}
    repo = assemble(args, ours_paths)
    # ours_int8 serves its int8 model even on a CPU without int8 dot products,
    # where the backend would load the FP32 fallback (int8_fallback.h): this
    # benchmark measures int8, as the Python backend on it does.
    server = Server(repo, env={"FASTERBERT_CPU_INT8_DOT_PRODUCT": "1"})
    load = [os.getloadavg()[0], None]
    try:
        server.wait_ready(list(models(args.systems).values()))
        say("server ready; accuracy against the FP32 reference")
        acc = accuracy(server, Reference(args.model_dir, 256), sets, args.systems)
        runs = sweep(server, args, sets, models(args.systems))
        load[1] = os.getloadavg()[0]
    finally:
        server.stop()
    say("server stopped; timing each of ours alone")
    engines = engine_alone(ours_paths, args, sets)
    for key, e in engines.items():
        derive([r for r in runs if r["system"] == key], e["sets"])
    path = write_report(args, runs, acc, gates, token_stats, command, started, load, engines)
    say(f"report: {path}")
    return 0 if all(r.get("throughput") for r in runs) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as error:
        say(f"ERROR: {error}")
        sys.exit(2)
