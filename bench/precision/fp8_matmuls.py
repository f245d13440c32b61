"""Would FP8 matmuls keep a sentence-embedding model inside the GPU issue's
accuracy gate (cosine 0.9999 to FP32)? Issue 20's goal for 64 short texts
needs GEMMs faster than FP16 runs at ~1,000 rows
(bench/reports/2026-12-06-h100-nan-check-gemm-probe.md); Hopper runs e4m3
matmuls at twice the FP16 rate.

Runs the numpy reference encoder (tools/bert_onnx/numpy_bert.py, float64)
with each dense layer's input rounded to e4m3 per token and its weight per
output channel, each scaled so its largest magnitude is e4m3's largest value
(448), as FP8 GEMM recipes do; the rounding is ml_dtypes' float8_e4m3fn.
Mean-pools the real tokens and L2-normalises (sentence-transformers), and
prints the smallest cosine to the unrounded encoder over the benchmark's
check texts and mixed-length set (bench/texts.py), for every dense layer
rounded and for the feed-forward pair alone.

usage: fp8_matmuls.py [--model-dir models/all-MiniLM-L6-v2]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import ml_dtypes
import numpy as np
from tokenizers import Tokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "bert_onnx"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from numpy_bert import NumpyBert  # noqa: E402
from texts import build_sets, check_texts  # noqa: E402

E4M3_MAX = float(ml_dtypes.finfo(ml_dtypes.float8_e4m3fn).max)  # 448
FEED_FORWARD = (".intermediate.dense", ".output.dense")  # not attention.output.dense


def e4m3_rows(x: np.ndarray) -> np.ndarray:
    """x rounded to e4m3 with one scale per row (last axis), back in float64."""
    scale = np.maximum(np.abs(x).max(axis=-1, keepdims=True), 1e-30) / E4M3_MAX
    return (x / scale).astype(ml_dtypes.float8_e4m3fn).astype(np.float64) * scale


class Fp8Bert(NumpyBert):
    """The reference encoder with the chosen dense layers' matmuls in e4m3."""

    def __init__(self, model_dir: str, which: str):
        super().__init__(os.path.join(model_dir, "config.json"), os.path.join(model_dir, "model.safetensors"))
        self.which = which

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        if self.which == "all" or (name.endswith(FEED_FORWARD) and "attention" not in name):
            w = e4m3_rows(self.t[name + ".weight"])  # [out, in]: per output channel
            return e4m3_rows(x) @ w.T + self.t[name + ".bias"]
        return super()._dense(x, name)


def embedding(bert: NumpyBert, ids: list[int]) -> np.ndarray:
    e = bert(np.array([ids]))[0].mean(axis=0)  # one text, no padding: every token is real
    return e / np.linalg.norm(e)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default=os.path.join(ROOT, "models", "all-MiniLM-L6-v2"))
    args = ap.parse_args()
    tok = Tokenizer.from_file(os.path.join(args.model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    sets = build_sets(lambda t: len(tok.encode(t).ids))
    texts = check_texts(sets) + sets["mixed"]
    reference = NumpyBert.from_dir(args.model_dir)
    variants = {"all": Fp8Bert(args.model_dir, "all"), "ffn": Fp8Bert(args.model_dir, "ffn")}
    worst = {name: 1.0 for name in variants}
    for text in texts:
        ids = tok.encode(text).ids
        ref = embedding(reference, ids)
        for name, bert in variants.items():
            worst[name] = min(worst[name], float(embedding(bert, ids) @ ref))
    print(json.dumps({"model": os.path.basename(os.path.normpath(args.model_dir)), "texts": len(texts),
                      "min_cosine_every_dense_e4m3": round(worst["all"], 6),
                      "min_cosine_feed_forward_e4m3": round(worst["ffn"], 6), "gate": 0.9999}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
