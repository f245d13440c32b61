"""Which int8 scheme buys speed without losing accuracy (issue 21): the
all-MiniLM-L6-v2 encoder under several quantization schemes, each compared
with FP32 OpenVINO on the held-out texts (plus four repetitive ones, where
int8 fails first) and timed alone on two padded batches, in rounds that
alternate the schemes (this machine's 2 shared cores vary by +-20%).

Schemes (static ones use tools/quantize/quantize_engine.py's calibration
batches and NNCF's transformer preset; float parts run in bf16):
  static-keep-both   today's build: attention-output and FFN-output projections in floating point
  static-keep-attn   FFN-output projections int8 too
  static-keep-attn-L the same with layer L's FFN-output kept in floating point
  static-all         every MatMul int8 (asymmetric activations, NNCF's mixed preset)
  static-all-sq0.5   the same with SmoothQuant alpha 0.5 (NNCF's default is 0.95)
  dynamic-G          int8 weights (nncf.compress_weights INT8_ASYM) and OpenVINO's dynamic activation
                     quantization in groups of G (DYNAMIC_QUANTIZATION_GROUP_SIZE; 0 = weights only)

usage: .venv/bin/python bench/precision/int8_schemes.py [--schemes a,b,...] [--rounds 2] [--seconds 4]
prints one JSON object per line
"""
import argparse
import contextlib
import json
import logging
import re
import sys
import time
from pathlib import Path

import nncf
import numpy as np
import openvino as ov

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "quantize"))
import quantize_engine as qe  # noqa: E402

MODEL = ROOT / "models" / "all-MiniLM-L6-v2"
INPUTS = {"inputIds": "input_ids", "attentionMask": "attention_mask", "tokenTypeIds": "token_type_ids"}
OUTPUTS = [{"name": "last_hidden_state", "kind": "tokenEmbeddings"}]
REPETITIVE = [" ".join(["long"] * 300), " ".join(["the cat sat on the mat."] * 40), "a " * 200, "新年快乐" * 60]
ATTENTION_OUT = r".*attention[./]output[./]dense.*MatMul$"
BATCHES = {"short16": ["the quick brown fox jumps over the lazy dog again and again today"] * 16,
           "long16": [" ".join(f"word{i % 50}" for i in range(240))] * 16}
DEFAULT_SCHEMES = ("f32,bf16,static-keep-both,static-keep-attn,static-keep-attn-3,static-all,static-all-sq0.5,"
                   "dynamic-0,dynamic-64,dynamic-128,dynamic-384")


def static(core, groups, tok, keep: str | None, preset, smooth_quant=None):
    model = core.read_model(MODEL / "model.onnx")
    kept = [op.get_friendly_name() for op in model.get_ops()
            if op.get_type_name() == "MatMul" and keep and re.match(keep, op.get_friendly_name())]
    extra = {}
    if smooth_quant is not None:
        extra["advanced_parameters"] = nncf.AdvancedQuantizationParameters(
            smooth_quant_alphas=nncf.AdvancedSmoothQuantParameters(matmul=smooth_quant))
    dataset = nncf.Dataset(groups, lambda group: qe.feeds(tok, group, INPUTS)[0])
    quantized = nncf.quantize(model, dataset, model_type=nncf.ModelType.TRANSFORMER, preset=preset,
                              subset_size=len(groups), ignored_scope=nncf.IgnoredScope(names=kept), **extra)
    return core.compile_model(quantized, "CPU", {"INFERENCE_PRECISION_HINT": "bf16"})


def compile_scheme(core, name, groups, tok):
    preset = nncf.QuantizationPreset
    if name in ("f32", "bf16"):
        return core.compile_model(core.read_model(MODEL / "model.onnx"), "CPU", {"INFERENCE_PRECISION_HINT": name})
    if name == "static-keep-both":
        return static(core, groups, tok, qe.KEEP_FLOAT.pattern, preset.PERFORMANCE)
    if name == "static-keep-attn":
        return static(core, groups, tok, ATTENTION_OUT, preset.PERFORMANCE)
    if name.startswith("static-keep-attn-"):
        layer = int(name.rsplit("-", 1)[1])
        return static(core, groups, tok, rf"{ATTENTION_OUT}|.*layer\.{layer}[./]output[./]dense.*MatMul$",
                      preset.PERFORMANCE)
    if name == "static-all":
        return static(core, groups, tok, None, preset.MIXED)
    if name.startswith("static-all-sq"):
        return static(core, groups, tok, None, preset.MIXED, float(name.removeprefix("static-all-sq")))
    if name.startswith("dynamic-"):
        weights = nncf.compress_weights(core.read_model(MODEL / "model.onnx"), mode=nncf.CompressWeightsMode.INT8_ASYM)
        return core.compile_model(weights, "CPU", {"INFERENCE_PRECISION_HINT": "bf16",
                                                   "DYNAMIC_QUANTIZATION_GROUP_SIZE": name.removeprefix("dynamic-")})
    raise SystemExit(f"unknown scheme {name}")


def texts_per_second(compiled, tok, seconds):
    request, result = compiled.create_infer_request(), {}
    for name, texts in BATCHES.items():
        feed, _ = qe.feeds(tok, texts, INPUTS)
        request.infer(feed)
        calls, start = 0, time.time()
        while time.time() - start < seconds:
            request.infer(feed)
            calls += 1
        result[name] = round(len(texts) * calls / (time.time() - start), 1)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--schemes", default=DEFAULT_SCHEMES)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=4)
    args = ap.parse_args()
    logging.getLogger("nncf").setLevel(logging.WARNING)  # its INFO lines would go to stdout
    core = ov.Core()
    tok = qe.make_tokenizer({"kind": "tokenizerJson", "tokenizerJson": str(MODEL / "tokenizer.json"), "maxLength": 256})
    calibration = qe.read_texts(ROOT / "tools" / "quantize" / "texts" / "calibration.txt")
    order = np.random.default_rng(0).permutation(len(calibration))
    groups = qe.batches([calibration[i] for i in order], qe.BATCH)
    held_out = qe.read_texts(ROOT / "tools" / "quantize" / "texts" / "held-out.txt") + REPETITIVE
    fp32 = compile_scheme(core, "f32", groups, tok)
    reference = qe.run_all(fp32, tok, held_out, INPUTS, OUTPUTS, 1)
    compiled = {}
    for name in args.schemes.split(","):
        with contextlib.redirect_stdout(sys.stderr):  # NNCF's progress bars
            compiled[name] = fp32 if name == "f32" else compile_scheme(core, name, groups, tok)
        figures = qe.compare(reference, qe.run_all(compiled[name], tok, held_out, INPUTS, OUTPUTS, 1), OUTPUTS)
        cosine = figures["last_hidden_state"]
        print(json.dumps({"scheme": name, "min_cosine": round(cosine["min"], 5), "mean_cosine": round(cosine["mean"], 5),
                          "texts": len(held_out)}), flush=True)
    for round_ in range(args.rounds):
        for name, engine in compiled.items():
            print(json.dumps({"round": round_, "scheme": name, "texts_per_s": texts_per_second(engine, tok, args.seconds)}),
                  flush=True)


if __name__ == "__main__":
    main()
