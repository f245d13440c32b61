#!/usr/bin/env python3
"""Check the task heads of tools/bert_onnx/export_bert_onnx.py against numpy.

A tiny seeded random-weights BERT (2 layers, hidden 64) is exported with
--head sequence-classification, question-answering and token-classification, its weights
saved beside it; numpy_bert.py gives the encoder's hidden states from those
weights, and the heads are computed here from the saved head weights:
  logits = classifier(tanh(pooler.dense(h[:, 0])))        (BertForSequenceClassification)
  logits = classifier.out_proj(tanh(classifier.dense(h[:, 0])))  (XLMRobertaForSequenceClassification,
           one label, its weights under HF's names for that class)
  start_logits, end_logits = qa_outputs(h)[..., 0], [..., 1] (BertForQuestionAnswering)
  logits = classifier(h)                                   (BertForTokenClassification)
ONNX Runtime's outputs of the exported graphs must match within 1e-4.

Prints ``heads: classification X, xlm-r classification W, question answering Y, token classification Z``
(max abs diffs) and
exits non-zero on any failure."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tools", "bert_onnx")
sys.path.insert(0, TOOLS)

import onnxruntime as ort  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402

from numpy_bert import NumpyBert  # noqa: E402

CONFIG = {"vocab_size": 120, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
          "intermediate_size": 128, "max_position_embeddings": 64, "type_vocab_size": 2}
XLMR_CONFIG = {**CONFIG, "model_type": "xlm-roberta", "architectures": ["XLMRobertaForSequenceClassification"],
               "max_position_embeddings": 66, "type_vocab_size": 1, "pad_token_id": 1, "layer_norm_eps": 1e-5}
TOLERANCE = 1e-4


def export(tmp: str, head: str, *extra: str) -> tuple:
    out_dir = os.path.join(tmp, head)
    os.makedirs(out_dir, exist_ok=True)
    config = os.path.join(tmp, "config.json")
    model = os.path.join(out_dir, "model.onnx")
    subprocess.run([sys.executable, os.path.join(TOOLS, "export_bert_onnx.py"), "--random-weights", "--config", config,
                    "--seed", "5", "--head", head, *extra, "--save-weights", out_dir, "--out", model],
                   check=True, capture_output=True)
    return model, out_dir


def main() -> int:
    rng = np.random.default_rng(11)
    ids = rng.integers(5, CONFIG["vocab_size"], size=(3, 12)).astype(np.int64)
    ids[:, 0] = 2
    mask = np.ones_like(ids)
    mask[1, 8:] = 0
    types = np.zeros_like(ids)
    types[:, 6:] = 1
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "config.json"), "w", encoding="utf-8") as f:
            json.dump(CONFIG, f)
        diffs = {}

        model, out_dir = export(tmp, "sequence-classification", "--num-labels", "4")
        w = load_file(os.path.join(out_dir, "model.safetensors"))
        hidden = NumpyBert(os.path.join(out_dir, "config.json"), os.path.join(out_dir, "model.safetensors"))(ids, mask, types)
        pooled = np.tanh(hidden[:, 0] @ w["pooler.dense.weight"].T.astype(np.float64) + w["pooler.dense.bias"])
        want = pooled @ w["classifier.weight"].T.astype(np.float64) + w["classifier.bias"]
        got = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(["logits"], feeds)[0]
        assert got.shape == (3, 4), got.shape
        diffs["classification"] = float(np.abs(got - want).max())

        # XLMRobertaForSequenceClassification (as bge-reranker-v2-m3, one logit): its weights under HF's
        # names for that class, RoBERTa positions, no token type input.
        xlmr_tmp = os.path.join(tmp, "xlmr")
        os.makedirs(xlmr_tmp)
        with open(os.path.join(xlmr_tmp, "config.json"), "w", encoding="utf-8") as f:
            json.dump(XLMR_CONFIG, f)
        model, out_dir = export(xlmr_tmp, "sequence-classification", "--num-labels", "1")
        w = load_file(os.path.join(out_dir, "model.safetensors"))
        head_names = sorted(k for k in w if k.startswith(("classifier.", "pooler.")))
        want_names = ["classifier.dense.bias", "classifier.dense.weight", "classifier.out_proj.bias", "classifier.out_proj.weight"]
        assert head_names == want_names, head_names
        xlmr_ids = np.where(mask == 1, ids, XLMR_CONFIG["pad_token_id"])
        hidden = NumpyBert(os.path.join(out_dir, "config.json"), os.path.join(out_dir, "model.safetensors"))(xlmr_ids, mask)
        dense = np.tanh(hidden[:, 0] @ w["classifier.dense.weight"].T.astype(np.float64) + w["classifier.dense.bias"])
        want = dense @ w["classifier.out_proj.weight"].T.astype(np.float64) + w["classifier.out_proj.bias"]
        got = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(
            ["logits"], {"input_ids": xlmr_ids, "attention_mask": mask})[0]
        assert got.shape == (3, 1), got.shape
        diffs["xlm-r classification"] = float(np.abs(got - want).max())

        model, out_dir = export(tmp, "question-answering")
        w = load_file(os.path.join(out_dir, "model.safetensors"))
        hidden = NumpyBert(os.path.join(out_dir, "config.json"), os.path.join(out_dir, "model.safetensors"))(ids, mask, types)
        qa = hidden @ w["qa_outputs.weight"].T.astype(np.float64) + w["qa_outputs.bias"]
        start, end = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(["start_logits", "end_logits"], feeds)
        assert start.shape == (3, 12) and end.shape == (3, 12), (start.shape, end.shape)
        real = mask.astype(bool)
        diffs["question answering"] = float(max(np.abs(start - qa[..., 0])[real].max(), np.abs(end - qa[..., 1])[real].max()))

        model, out_dir = export(tmp, "token-classification", "--num-labels", "9")
        w = load_file(os.path.join(out_dir, "model.safetensors"))
        hidden = NumpyBert(os.path.join(out_dir, "config.json"), os.path.join(out_dir, "model.safetensors"))(ids, mask, types)
        want = hidden @ w["classifier.weight"].T.astype(np.float64) + w["classifier.bias"]
        got = ort.InferenceSession(model, providers=["CPUExecutionProvider"]).run(["logits"], feeds)[0]
        assert got.shape == (3, 12, 9), got.shape
        diffs["token classification"] = float(np.abs(got - want)[real].max())

    print("heads: " + ", ".join(f"{k} {v:.3e}" for k, v in diffs.items()))
    bad = {k: v for k, v in diffs.items() if not v <= TOLERANCE}
    if bad:
        print(f"FAIL: over {TOLERANCE}: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
