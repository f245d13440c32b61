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

Run it through bench/run.sh (installs what is missing first). --quick runs
tiny windows for a smoke test. The report reports; nothing here asserts a
timing.
"""
import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import texts as bench_texts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "bench"
VENV = ROOT / ".venv"
SITE_PACKAGES = VENV / "lib" / "python3.11" / "site-packages"
TRITON_DIR = SITE_PACKAGES / "pytriton" / "tritonserver"
PERF_ANALYZER = VENV / "bin" / "perf_analyzer"
BASELINES = ROOT / "bench" / "baselines" / "python_backend"
DEFAULT_MODEL_DIR = ROOT / "models" / "all-MiniLM-L6-v2"
PIPELINE = ROOT / "examples" / "embeddings" / "pipeline.ts"

SYSTEMS = {
    # key: (Triton model name, label in the report)
    "ours": ("minilm_embeddings", "ours (native backend)"),
    "py_fast": ("minilm_py_fast", "Python backend, fast tokenizer"),
    "py_seed": ("minilm_py_seed", "Python backend, seed (slow BertTokenizer)"),
}
COSINE_MIN = 0.9999
ENGINE_BATCH_SIZES = (1, 2, 4, 8, 16, 32)

T0 = time.monotonic()


def say(message):
    elapsed = time.monotonic() - T0
    print(f"[bench {int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}] {message}", flush=True)


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------
# settings


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Benchmark our native Triton backend against the Python-backend baselines.")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 3 small windows per run, no stability wait, short engine "
                   "timing; the report goes to build/bench/reports")
    p.add_argument("--systems", default="ours,py_fast,py_seed",
                   help="comma list of: " + ", ".join(SYSTEMS) + " (default: all)")
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
        if s not in SYSTEMS:
            p.error(f"unknown system '{s}' (known: {', '.join(SYSTEMS)})")
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
# small helpers


def run_text(cmd, **kwargs):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, **kwargs).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


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


def sha256_short(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


# --------------------------------------------------------------------------
# the reference pipeline in this process (also the engine-alone timing)


class Reference:
    """HF fast tokenizer + OpenVINO with the backend's settings + numpy pooling."""

    def __init__(self, model_dir, max_length, model_path=None, inference_precision="f32"):
        """`model_path` (default model_dir/model.onnx) and `inference_precision`
        ("f32" or "bf16") let the same class stand for another engine of ours
        (bench/precision/run.py): the backend's OpenVINO engine compiles with
        exactly these properties (backend-cpp/engines/openvino/openvino_engine.cc),
        bf16 only where the CPU reports BF16, as the engine does."""
        import openvino as ov
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        core = ov.Core()
        if inference_precision == "bf16" and "BF16" not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
            inference_precision = "f32"
        self.inference_precision = inference_precision
        model = core.read_model(str(model_path or model_dir / "model.onnx"))
        self.input_names = {n for port in model.inputs for n in port.get_names()}
        compiled = core.compile_model(model, "CPU", {
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": inference_precision,
        })
        self.request = compiled.create_infer_request()

    def encode(self, batch):
        encodings = self.tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            inputs["token_type_ids"] = np.zeros_like(ids)
        return inputs

    def run(self, inputs):
        self.request.infer(inputs)
        return self.request.get_output_tensor(0).data

    def embed(self, batch):
        inputs = self.encode(batch)
        hidden = self.run(inputs)
        mask = inputs["attention_mask"].astype(np.float32)
        pooled = np.einsum("bs,bsh->bh", mask, hidden) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def engine_calls(lengths, max_batch_tokens):
    """The engine calls our pipeline cuts one dynamic batch into under a
    token budget (backend-cpp/pipeline/engine_call_plan.h, call cost 0):
    rows longest first, packed greedily while rows x longest <= the budget.
    Lists of row indices; one call of every row when the budget is 0."""
    if not max_batch_tokens:
        return [list(range(len(lengths)))]
    calls = []
    for row in sorted(range(len(lengths)), key=lambda i: -lengths[i]):  # stable: ties keep order
        if calls and (len(calls[-1]) + 1) * lengths[calls[-1][0]] <= max_batch_tokens:
            calls[-1].append(row)
        else:
            calls.append([row])
    return calls


def engine_alone(reference, texts, min_seconds, max_batch_tokens=0):
    """Engine-only time for batches cut in order from `texts` (cycled), as
    the dynamic batcher cuts them: pre-tokenized, padded to each batch's
    longest. With `max_batch_tokens`, each batch is split into the engine
    calls our pipeline makes under that budget (each call padded to its
    longest) and a batch's time is the sum of its calls.
    {batch size: {ms_per_batch, rows_per_s, batches}}."""
    results = {}
    for b in ENGINE_BATCH_SIZES:
        count = max(4, len(texts) // b)  # distinct batches, cycled
        batches = []
        for i in range(count):
            batch = [texts[(i * b + j) % len(texts)] for j in range(b)]
            lengths = [int(n) for n in reference.encode(batch)["attention_mask"].sum(1)]
            batches.append([reference.encode([batch[r] for r in call])
                            for call in engine_calls(lengths, max_batch_tokens)])
        for calls in batches[:2]:  # warm-up
            for inputs in calls:
                reference.run(inputs)
        times = []
        start = time.perf_counter()
        i = 0
        while time.perf_counter() - start < min_seconds or len(times) < 3:
            t = time.perf_counter()
            for inputs in batches[i % count]:
                reference.run(inputs)
            times.append(time.perf_counter() - t)
            i += 1
        total = sum(times)
        results[b] = {
            "ms_per_batch": 1e3 * total / len(times),
            "ms_per_batch_median": 1e3 * float(np.median(times)),
            "rows_per_s": b * len(times) / total,
            "batches": len(times),
            "calls_per_batch": sum(len(c) for c in batches) / count,
        }
    return results


def engine_us_per_row(engine, batch_size):
    """Engine time per row at a batch size, interpolated between the
    measured sizes (linear in the batch size)."""
    sizes = sorted(engine)
    ms = [engine[b]["ms_per_batch"] for b in sizes]
    batch_ms = float(np.interp(batch_size, sizes, ms))
    return 1e3 * batch_ms / batch_size


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


def python_model_folder(repo, baseline, name, model_dir, max_length, parameters=None):
    """repo/NAME: the Python-backend baseline BASELINES/BASELINE (its model.py
    and config.pbtxt) on MODEL_DIR, with `parameters` added to its config."""
    source = BASELINES / baseline
    (repo / name / "1").mkdir(parents=True)
    shutil.copy2(source / "1" / "model.py", repo / name / "1" / "model.py")
    config = (source / "config.pbtxt").read_text().replace(f'name: "{baseline}"', f'name: "{name}"')
    config = config.replace("@MODEL_DIR@", str(model_dir)).replace("@MAX_LENGTH@", str(max_length))
    # The python backend's stub embeds Debian's libpython3.11 and ignores
    # PYTHONPATH; EXECUTION_ENV_PATH names a venv of that Python whose
    # .pth file adds the project .venv's site-packages (bench/setup.sh).
    stub_env = BUILD / "stub-env"
    for key, value in {**(parameters or {}), "EXECUTION_ENV_PATH": stub_env}.items():
        config += f'parameters {{\n  key: "{key}"\n  value: {{ string_value: "{value}" }}\n}}\n'
    (repo / name / "config.pbtxt").write_text(config)


class Server:
    def __init__(self, repo, env=None):
        self.ports = {"http": free_port(), "grpc": free_port(), "metrics": free_port()}
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.log_path = BUILD / "logs" / f"tritonserver-{stamp}.log"
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
                                        stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
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
    """Per batch size: executions and backend time (ns) between two
    /v2/models/<m>/stats readings."""
    if not before or not after:
        return {}

    def table(stats):
        rows = {}
        for entry in stats.get("batch_stats", []):
            ns = sum(int(entry.get(k, {}).get("ns", 0))
                     for k in ("compute_input", "compute_infer", "compute_output"))
            rows[int(entry["batch_size"])] = (int(entry["compute_infer"]["count"]), ns)
        return rows

    a, b = table(before), table(after)
    delta = {}
    for size, (count, ns) in b.items():
        c0, n0 = a.get(size, (0, 0))
        if count - c0 > 0:
            delta[size] = {"executions": count - c0, "ns": ns - n0}
    return delta


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
# perf_analyzer


def perf_env():
    env = dict(os.environ)
    lib = str(BUILD / "lib")
    env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    return env


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
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, env=perf_env(), timeout=timeout)
        output = result.stdout + result.stderr
        code = result.returncode
    except subprocess.TimeoutExpired as error:
        output = (error.stdout or b"").decode(errors="replace") if isinstance(error.stdout, bytes) \
            else (error.stdout or "")
        code = "timeout"
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
        **counts,
    }, None


def sweep(server, args, sets):
    runs = []
    plan = [(s, c, k) for s in args.sets for c in args.concurrency for k in args.systems]
    data_paths = {s: write_input_data(s, sets[s]) for s in args.sets}
    started = time.monotonic()
    for index, (set_name, concurrency, key) in enumerate(plan, 1):
        model = SYSTEMS[key][0]
        tag = f"{set_name}-c{concurrency}-{key}"
        if not args.quick:
            say(f"[{index}/{len(plan)}] {set_name:8s} c={concurrency:<3d} {key:8s} measuring ...")
        load_before = os.getloadavg()[0]
        before = server.stats(model)
        t = time.monotonic()
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
        if server.process.poll() is not None:
            raise BenchError(server.died_message())
        run = {"set": set_name, "concurrency": concurrency, "system": key, "model": model,
               "stable": stable if result else None, "seconds": time.monotonic() - t,
               "load_before": load_before,
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


# --------------------------------------------------------------------------
# derived numbers


def derive(runs, engines):
    for run in runs:
        if run.get("throughput") is None:
            continue
        engine = engines.get(run["set"])
        run["wall_us_per_inf"] = 1e6 / run["throughput"] if run["throughput"] > 0 else None
        batches = run.get("batches") or {}
        rows = sum(size * v["executions"] for size, v in batches.items())
        executions = sum(v["executions"] for v in batches.values())
        if rows and engine:
            run["avg_batch"] = rows / executions
            run["backend_us_per_inf"] = sum(v["ns"] for v in batches.values()) / 1e3 / rows
            run["engine_us_per_inf"] = sum(
                v["executions"] * size * engine_us_per_row(engine, size)
                for size, v in batches.items()) / rows
            run["non_engine_us_per_inf"] = run["backend_us_per_inf"] - run["engine_us_per_inf"]
            # Served rows/s over the engine alone's rows/s on batches of the sizes Triton formed.
            run["engine_same_batches_share"] = run["throughput"] * run["engine_us_per_inf"] / 1e6
        if engine:
            run["engine_b32_share"] = run["throughput"] / engine[32]["rows_per_s"]
            run["engine_peak_share"] = run["throughput"] / max(e["rows_per_s"] for e in engine.values())


def find(runs, set_name, concurrency, system):
    for run in runs:
        if (run["set"], run["concurrency"], run["system"]) == (set_name, concurrency, system):
            return run
    return None


# --------------------------------------------------------------------------
# report


def machine_info():
    lscpu = run_text(["lscpu"])
    fields = dict(re.findall(r"^([^:\n]+):\s*(.*)$", lscpu, flags=re.M))
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    except (OSError, AttributeError):
        pass
    return {
        "cpu": fields.get("Model name", platform.processor() or "?"),
        "cpus": os.cpu_count(),
        "threads_per_core": fields.get("Thread(s) per core", "?"),
        "flags_avx512": "avx512f" in fields.get("Flags", ""),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": run_text(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
    }


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


def chart(path, runs, engines, args):
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
                ax.plot(xs, ys, marker="o", color=colors.get(key), label=SYSTEMS[key][1])
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


def write_report(args, runs, engines, token_stats, cosines, machine, vers, load, command, started):
    args.report_dir.mkdir(parents=True, exist_ok=True)
    stem = started.strftime("%Y-%m-%d") + "-cpu" + ("-quick" if args.quick else "")
    md_path = args.report_dir / f"{stem}.md"
    png_path = args.report_dir / f"{stem}.png"
    json_path = args.report_dir / f"{stem}.json"
    chart(png_path, runs, engines, args)

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
        add(f"| {SYSTEMS[key][1]} | `{SYSTEMS[key][0]}` | {what[key]} |")
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
        runs = sweep(server, args, sets)
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
    md, png = write_report(args, runs, engines, token_stats, cosines, machine_info(),
                           versions(server_info, ours_path), load, command, started)
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
