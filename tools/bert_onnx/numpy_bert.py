#!/usr/bin/env python3
"""Reference BERT encoder forward pass in plain numpy (float64 inside).

Independent of export_bert_onnx.py: it reads the same config.json and
safetensors file itself and computes HF ``BertModel``'s last_hidden_state,
or XLMRobertaModel's for a config with model_type xlm-roberta / roberta /
camembert (positions from pad_token_id + 1 that skip padding, as HF's
create_position_ids_from_input_ids).

  from numpy_bert import NumpyBert
  bert = NumpyBert.from_dir(model_dir)          # or NumpyBert(config_path, weights_path)
  h = bert(input_ids, attention_mask, token_type_ids)   # float64 [B, S, hidden]

CLI (smoke use): python tools/bert_onnx/numpy_bert.py --model-dir DIR --ids 101,7592,102
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Dict, Optional

import numpy as np

_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x: np.ndarray) -> np.ndarray:
    """Elementwise erf at double precision (math.erf; numpy has none)."""
    return _erf(x).astype(np.float64)


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _read_tensors(path: str) -> Dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    raw = load_file(path)
    # Find the checkpoint's prefix ("", "bert.", ...) from the word embeddings.
    suffix = "embeddings.word_embeddings.weight"
    keys = sorted((k for k in raw if k.endswith(suffix)), key=len)
    if not keys:
        raise KeyError(f"{path}: no word embeddings tensor")
    prefix = keys[0][: len(keys[0]) - len(suffix)]
    tensors: Dict[str, np.ndarray] = {}
    for key, value in raw.items():
        if not key.startswith(prefix):
            continue
        short = key[len(prefix):]
        if short.endswith(".gamma"):
            short = short[:-6] + ".weight"
        elif short.endswith(".beta"):
            short = short[:-5] + ".bias"
        tensors[short] = value.astype(np.float64)
    return tensors


class NumpyBert:
    def __init__(self, config_path: str, weights_path: str):
        with open(config_path, "r", encoding="utf-8") as f:
            cfg = json.load(f)
        self.hidden = int(cfg["hidden_size"])
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        # (XLM-)RoBERTa number positions from padding_idx + 1, skipping padding.
        self.roberta = cfg.get("model_type") in ("xlm-roberta", "roberta", "camembert")
        self.pad_id = int(cfg.get("pad_token_id", 1))
        act = cfg.get("hidden_act", "gelu")
        if act != "gelu":
            raise ValueError(f"unsupported hidden_act {act!r}")
        self.t = _read_tensors(weights_path)

    @classmethod
    def from_dir(cls, model_dir: str) -> "NumpyBert":
        return cls(os.path.join(model_dir, "config.json"), os.path.join(model_dir, "model.safetensors"))

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.t[name + ".weight"].T + self.t[name + ".bias"]

    def _ln(self, x: np.ndarray, name: str) -> np.ndarray:
        return layer_norm(x, self.t[name + ".weight"], self.t[name + ".bias"], self.eps)

    def position_ids(self, ids: np.ndarray) -> np.ndarray:
        """[B,S] rows of the position table."""
        bsz, seq = ids.shape
        if not self.roberta:
            return np.broadcast_to(np.arange(seq), (bsz, seq))
        # HF's create_position_ids_from_input_ids, written as a loop on purpose
        # (the exporter uses CumSum): count real tokens, padding stays on pad_id.
        out = np.full((bsz, seq), self.pad_id, np.int64)
        for b in range(bsz):
            count = 0
            for s in range(seq):
                if ids[b, s] != self.pad_id:
                    count += 1
                    out[b, s] = self.pad_id + count
        return out

    def __call__(self, input_ids, attention_mask=None, token_type_ids=None) -> np.ndarray:
        ids = np.asarray(input_ids, dtype=np.int64)
        if ids.ndim == 1:
            ids = ids[None, :]
        bsz, seq = ids.shape
        mask = np.ones((bsz, seq)) if attention_mask is None else np.asarray(attention_mask, dtype=np.float64).reshape(bsz, seq)
        types = np.zeros((bsz, seq), np.int64) if token_type_ids is None else np.asarray(token_type_ids, np.int64).reshape(bsz, seq)
        t = self.t

        x = (t["embeddings.word_embeddings.weight"][ids]
             + t["embeddings.position_embeddings.weight"][self.position_ids(ids)]
             + t["embeddings.token_type_embeddings.weight"][types])
        x = self._ln(x, "embeddings.LayerNorm")

        # Additive key mask, [B, 1, 1, S]; float32's lowest value as in HF.
        bias = ((1.0 - mask) * float(np.finfo(np.float32).min))[:, None, None, :]
        d = self.hidden // self.heads

        def split(z):  # [B,S,H] -> [B,heads,S,d]
            return z.reshape(bsz, seq, self.heads, d).transpose(0, 2, 1, 3)

        for n in range(self.layers):
            p = f"encoder.layer.{n}."
            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            att = softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(bsz, seq, self.hidden)
            x = self._ln(self._dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            ff = gelu(self._dense(x, p + "intermediate.dense"))
            x = self._ln(self._dense(ff, p + "output.dense") + x, p + "output.LayerNorm")
        return x


def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(description="numpy BERT reference forward pass")
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--ids", required=True, help="comma-separated token ids of one sequence")
    args = ap.parse_args(argv)
    ids = [int(s) for s in args.ids.split(",") if s.strip()]
    out = NumpyBert.from_dir(args.model_dir)(np.array([ids]))
    np.set_printoptions(precision=6, suppress=True, linewidth=120)
    print("last_hidden_state shape", out.shape)
    print(out[0, :, :8])
    return 0


if __name__ == "__main__":
    sys.exit(main())
