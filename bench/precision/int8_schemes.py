"""Which int8 scheme buys speed without losing accuracy (issue 21): the
all-MiniLM-L6-v2 encoder under several quantization schemes, each compared
with FP32 OpenVINO on the held-out texts (plus four repetitive ones, where
int8 fails first) and timed alone on padded batches, in rounds that
alternate the schemes (this machine's 2 shared cores vary by +-20%).

Schemes (static ones use tools/quantize/quantize_engine.py's calibration
batches and NNCF's transformer preset; float parts run in bf16):
  static-build       today's build (quantize_engine.kept_float): static-keep-both with the attention's
                     products of activations (Q.K^T, softmax.V) in floating point too
  static-build-nosnip  the same with OpenVINO's Snippets (its fused attention among them) disabled
  static-keep-both   the build until 2026-12-05: attention-output and FFN-output projections in floating
                     point (on AMX, its quantized attention products lost accuracy in the fused attention)
  static-keep-both-f32  the same model with its float parts in f32 (does bf16 there cost accuracy?)
  static-keep-both-nosnip  static-keep-both with OpenVINO's Snippets disabled (SNIPPETS_MODE DISABLE)
  static-keep-attn   FFN-output projections int8 too
  static-keep-attn-L the same with layer L's FFN-output kept in floating point
  static-all         every MatMul int8 (asymmetric activations, NNCF's mixed preset)
  static-all-sq0.5   the same with SmoothQuant alpha 0.5 (NNCF's default is 0.95)
  dynamic-G          int8 weights (nncf.compress_weights INT8_ASYM) and OpenVINO's dynamic activation
                     quantization in groups of G (DYNAMIC_QUANTIZATION_GROUP_SIZE; 0 = weights only)
  hybrid-G           static-build, its kept output projections then with int8 weights and dynamic activation
                     quantization in groups of G (the attention products stay float)

usage: .venv/bin/python bench/precision/int8_schemes.py [--schemes a,b,...] [--rounds 2] [--seconds 4]
       .venv/bin/python bench/precision/int8_schemes.py --schemes ... --save DIR
       python3 bench/precision/int8_schemes.py --prebuilt DIR --onnx model.onnx [--schemes a,b,...] [--rounds 2] [--seconds 4]
--save quantizes here and writes each scheme's model (OpenVINO IR), its compile properties and the
tokenized texts to DIR; --prebuilt measures them on a machine that has OpenVINO and numpy only (no NNCF,
no tokenizer: tools/device/cpu_precision/ runs it on the GPU machine's AMX host).
prints one JSON object per line
"""
import argparse
import contextlib
import functools
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
import openvino as ov

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "all-MiniLM-L6-v2"
INPUTS = {"inputIds": "input_ids", "attentionMask": "attention_mask", "tokenTypeIds": "token_type_ids"}
OUTPUT = "last_hidden_state"
REPETITIVE = [" ".join(["long"] * 300), " ".join(["the cat sat on the mat."] * 40), "a " * 200, "新年快乐" * 60]
ATTENTION_OUT = r".*attention[./]output[./]dense.*MatMul$"
SHORT = "the quick brown fox jumps over the lazy dog again and again today"
LONG = " ".join(f"word{i % 50}" for i in range(240))
BATCHES = {"short16": [SHORT] * 16, "short32": [SHORT] * 32, "long16": [LONG] * 16, "long32": [LONG] * 32}
DEFAULT_SCHEMES = ("f32,bf16,static-build,static-keep-both,static-keep-attn,static-keep-attn-3,static-all,static-all-sq0.5,"
                   "dynamic-0,dynamic-64,dynamic-128,dynamic-384")


def static(core, qe, groups, tok, keep, preset, smooth_quant=None):
    import nncf
    import re
    model = core.read_model(MODEL / "model.onnx")
    kept = qe.kept_float(model) if keep == "build" else [
        op.get_friendly_name() for op in model.get_ops()
        if op.get_type_name() == "MatMul" and keep and re.match(keep, op.get_friendly_name())]
    extra = {}
    if smooth_quant is not None:
        extra["advanced_parameters"] = nncf.AdvancedQuantizationParameters(
            smooth_quant_alphas=nncf.AdvancedSmoothQuantParameters(matmul=smooth_quant))
    dataset = nncf.Dataset(groups, lambda group: qe.feeds(tok, group, INPUTS)[0])
    return nncf.quantize(model, dataset, model_type=nncf.ModelType.TRANSFORMER, preset=preset,
                         subset_size=len(groups), ignored_scope=nncf.IgnoredScope(names=kept), **extra)


@functools.cache
def int8_weights(core):
    """The FP32 model with int8 weights, shared by every dynamic-G scheme."""
    import nncf
    return nncf.compress_weights(core.read_model(MODEL / "model.onnx"), mode=nncf.CompressWeightsMode.INT8_ASYM)


_HYBRID = {}


def hybrid(core, qe, groups, tok):
    """static-build with int8 weights on its float output projections (one model for every hybrid-G)."""
    if "model" not in _HYBRID:
        _HYBRID["model"] = hybrid_model(core, qe, groups, tok)
    return _HYBRID["model"]


def hybrid_model(core, qe, groups, tok):
    import nncf
    import re
    model = static(core, qe, groups, tok, "build", nncf.QuantizationPreset.PERFORMANCE)
    # Only the output projections get int8 weights; the MatMuls NNCF quantized
    # statically (and the weightless attention products) are left alone.
    others = [op.get_friendly_name() for op in model.get_ops()
              if op.get_type_name() == "MatMul" and not re.match(qe.KEEP_FLOAT.pattern, op.get_friendly_name())]
    return nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM,
                                 ignored_scope=nncf.IgnoredScope(names=others, validate=False))


def build_scheme(core, qe, name, groups, tok):
    """(model key, ov.Model or None for the FP32 ONNX, compile properties): schemes that differ only in
    their properties share a key, so --save writes their model once."""
    import nncf
    preset = nncf.QuantizationPreset
    bf16 = {"INFERENCE_PRECISION_HINT": "bf16"}
    if name in ("f32", "bf16"):
        return "onnx", None, {"INFERENCE_PRECISION_HINT": name}
    no_snippets = {**bf16, "SNIPPETS_MODE": "DISABLE"}
    if name in ("static-build", "static-build-nosnip"):
        return "static-build", static(core, qe, groups, tok, "build", preset.PERFORMANCE), \
            bf16 if name == "static-build" else no_snippets
    if name in ("static-keep-both", "static-keep-both-f32", "static-keep-both-nosnip"):
        properties = {"static-keep-both": bf16, "static-keep-both-f32": {"INFERENCE_PRECISION_HINT": "f32"},
                      "static-keep-both-nosnip": no_snippets}[name]
        return "static-keep-both", static(core, qe, groups, tok, qe.KEEP_FLOAT.pattern, preset.PERFORMANCE), properties
    if name == "static-keep-attn":
        return name, static(core, qe, groups, tok, ATTENTION_OUT, preset.PERFORMANCE), bf16
    if name.startswith("static-keep-attn-"):
        layer = int(name.rsplit("-", 1)[1])
        return name, static(core, qe, groups, tok, rf"{ATTENTION_OUT}|.*layer\.{layer}[./]output[./]dense.*MatMul$",
                            preset.PERFORMANCE), bf16
    if name == "static-all":
        return name, static(core, qe, groups, tok, None, preset.MIXED), bf16
    if name.startswith("static-all-sq"):
        return name, static(core, qe, groups, tok, None, preset.MIXED, float(name.removeprefix("static-all-sq"))), bf16
    if name.startswith("dynamic-"):
        return "int8-weights", int8_weights(core), {**bf16, "DYNAMIC_QUANTIZATION_GROUP_SIZE": name.removeprefix("dynamic-")}
    if name.startswith("hybrid-"):
        return "hybrid", hybrid(core, qe, groups, tok), {**bf16, "DYNAMIC_QUANTIZATION_GROUP_SIZE": name.removeprefix("hybrid-")}
    raise SystemExit(f"unknown scheme {name}")


def token_embeddings(compiled, text_feeds):
    """Each text's last_hidden_state cut to its tokens, one text per call (as the build's gate runs them)."""
    request = compiled.create_infer_request()
    result = []
    for feed in text_feeds:
        out = request.infer(feed)
        length = int(feed[INPUTS["attentionMask"]].sum())
        result.append(np.array(out[compiled.output(OUTPUT)], dtype=np.float64)[0, :length])
    return result


def cosines(reference, candidate):
    """Each text's cosine of mean-pooled embeddings to the reference's."""
    return [float(a.mean(0) @ b.mean(0) / (np.linalg.norm(a.mean(0)) * np.linalg.norm(b.mean(0))))
            for a, b in zip(reference, candidate)]


def texts_per_second(compiled, batch_feeds, seconds):
    request, result = compiled.create_infer_request(), {}
    for name, feed in batch_feeds.items():
        request.infer(feed)
        calls, start = 0, time.time()
        while time.time() - start < seconds:
            request.infer(feed)
            calls += 1
        result[name] = round(len(feed[INPUTS["inputIds"]]) * calls / (time.time() - start), 1)
    return result


def tokenized(qe):
    """The held-out texts (one feed each) and the timing batches (one padded feed each), and the calibration
    groups: what every scheme is built from, checked on and timed on."""
    tok = qe.make_tokenizer({"kind": "tokenizerJson", "tokenizerJson": str(MODEL / "tokenizer.json"), "maxLength": 256})
    calibration = qe.read_texts(ROOT / "tools" / "quantize" / "texts" / "calibration.txt")
    order = np.random.default_rng(0).permutation(len(calibration))
    groups = qe.batches([calibration[i] for i in order], qe.BATCH)
    held_out = qe.read_texts(ROOT / "tools" / "quantize" / "texts" / "held-out.txt") + REPETITIVE
    text_feeds = [qe.feeds(tok, [text], INPUTS)[0] for text in held_out]
    batch_feeds = {name: qe.feeds(tok, texts, INPUTS)[0] for name, texts in BATCHES.items()}
    return tok, groups, text_feeds, batch_feeds


def save_feeds(path, text_feeds, batch_feeds):
    arrays = {f"text{i}/{k}": v for i, feed in enumerate(text_feeds) for k, v in feed.items()}
    arrays.update({f"batch:{name}/{k}": v for name, feed in batch_feeds.items() for k, v in feed.items()})
    np.savez_compressed(path, **arrays)


def load_feeds(path):
    text_feeds, batch_feeds = {}, {}
    with np.load(path) as data:
        for key in data.files:
            group, input_name = key.rsplit("/", 1)
            if group.startswith("batch:"):
                batch_feeds.setdefault(group.removeprefix("batch:"), {})[input_name] = data[key]
            else:
                text_feeds.setdefault(int(group.removeprefix("text")), {})[input_name] = data[key]
    return [text_feeds[i] for i in sorted(text_feeds)], batch_feeds


def measure(core, schemes, text_feeds, batch_feeds, rounds, seconds):
    """schemes: {name: (model path or ov.Model, properties)}; f32 first, the reference."""
    compiled, reference = {}, None
    for name, (model, properties) in schemes.items():
        compiled[name] = core.compile_model(model, "CPU", properties)
        got = token_embeddings(compiled[name], text_feeds)
        reference = reference if reference is not None else got
        cos = cosines(reference, got)
        # The texts it loses most on, by index (the last len(REPETITIVE) are the repetitive ones).
        lowest = {int(i): round(cos[i], 5) for i in np.argsort(cos)[:3]}
        print(json.dumps({"scheme": name, "min_cosine": round(min(cos), 5), "mean_cosine": round(float(np.mean(cos)), 5),
                          "texts": len(text_feeds), "lowest": lowest, "properties": properties}), flush=True)
    for round_ in range(rounds):
        for name, engine in compiled.items():
            print(json.dumps({"round": round_, "scheme": name,
                              "texts_per_s": texts_per_second(engine, batch_feeds, seconds)}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schemes", default=DEFAULT_SCHEMES)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--save", type=Path, help="write the schemes' models and the tokenized texts here; measure nothing")
    ap.add_argument("--prebuilt", type=Path, help="measure the schemes --save wrote here")
    ap.add_argument("--onnx", type=Path, default=MODEL / "model.onnx", help="the FP32 model (with --prebuilt)")
    args = ap.parse_args()
    core = ov.Core()
    print(json.dumps({"cpu": core.get_property("CPU", "FULL_DEVICE_NAME"), "openvino": ov.__version__,
                      "capabilities": core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")}), flush=True)
    if args.prebuilt:
        manifest = json.loads((args.prebuilt / "schemes.json").read_text())
        text_feeds, batch_feeds = load_feeds(args.prebuilt / "feeds.npz")
        wanted = set(args.schemes.split(",")) | {"f32"} if args.schemes != DEFAULT_SCHEMES else None
        schemes = {s["name"]: (str(args.onnx if s["model"] == "onnx" else args.prebuilt / s["model"]), s["properties"])
                   for s in manifest if wanted is None or s["name"] in wanted}
        measure(core, schemes, text_feeds, batch_feeds, args.rounds, args.seconds)
        return
    sys.path.insert(0, str(ROOT / "tools" / "quantize"))
    import quantize_engine as qe  # NNCF and the tokenizer: only where schemes are built
    logging.getLogger("nncf").setLevel(logging.WARNING)  # its INFO lines would go to stdout
    tok, groups, text_feeds, batch_feeds = tokenized(qe)
    names = ["f32"] + [n for n in args.schemes.split(",") if n != "f32"]
    built, schemes = {}, {}
    for name in names:
        with contextlib.redirect_stdout(sys.stderr):  # NNCF's progress bars
            key, model, properties = build_scheme(core, qe, name, groups, tok)
        built.setdefault(key, model if model is not None else MODEL / "model.onnx")
        schemes[name] = (key, properties)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for key, model in built.items():
            if key != "onnx":
                ov.save_model(model, args.save / f"{key}.xml", compress_to_fp16=False)
        (args.save / "schemes.json").write_text(json.dumps(
            [{"name": n, "model": "onnx" if k == "onnx" else f"{k}.xml", "properties": p}
             for n, (k, p) in schemes.items()], indent=1))
        save_feeds(args.save / "feeds.npz", text_feeds, batch_feeds)
        return
    measure(core, {n: (built[k], p) for n, (k, p) in schemes.items()}, text_feeds, batch_feeds, args.rounds, args.seconds)


if __name__ == "__main__":
    main()
