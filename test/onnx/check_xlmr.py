#!/usr/bin/env python3
"""Check the XLM-RoBERTa architecture of tools/bert_onnx/export_bert_onnx.py
against the numpy reference (tools/bert_onnx/numpy_bert.py).

A small XLM-R at real shapes (hidden 384, 6 layers, 12 heads, intermediate
1536, vocab of test/assets/tokenizers/xlmr-unigram.json, 514 positions,
pad id 1, one token type, LayerNorm eps 1e-5) with seeded random weights is
exported through the CLI (default: no token_type_ids input, as optimum's
export; also with --token-type-ids, and at opset 13). Multilingual texts
tokenized by HF tokenizers with that tokenizer.json, padded with <pad> on
the right and on the left (positions must skip padding either way), run
through ONNX Runtime and numpy; real positions are compared. Also checked:
each text alone gives the same result as inside its padded batch, and the
model is not position-blind (BERT-style positions 0..S-1 give a different
answer, so the RoBERTa numbering is actually exercised), and right padding
with id 0 instead of <pad> changes nothing (a runtime that pads with BERT's
[PAD] id still gets XLM-R right on the right; left padding would not).

Prints ``xlmr export: N texts, max abs diff X`` and exits non-zero on any
failure. HF transformers' XLMRobertaModel is not compared: .venv has no torch.
"""
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
sys.path.insert(0, os.path.join(ROOT, "test", "tokenizer"))

import onnxruntime as ort  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from numpy_bert import NumpyBert  # noqa: E402
from multilingual_text import TextSource  # noqa: E402

TOL = 1e-4
TOKENIZER = os.path.join(ROOT, "test", "assets", "tokenizers", "xlmr-unigram.json")
PAD = 1


def config(vocab_size: int) -> dict:
    return {"model_type": "xlm-roberta", "architectures": ["XLMRobertaModel"], "vocab_size": vocab_size,
            "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12, "intermediate_size": 1536,
            "hidden_act": "gelu", "max_position_embeddings": 514, "type_vocab_size": 1, "pad_token_id": PAD,
            "bos_token_id": 0, "eos_token_id": 2, "layer_norm_eps": 1e-5, "initializer_range": 0.02,
            "position_embedding_type": "absolute"}


def export(*args: str) -> None:
    subprocess.run([sys.executable, os.path.join(TOOLS, "export_bert_onnx.py"), *args], check=True,
                   stdout=subprocess.DEVNULL)


def batches(tok: Tokenizer, texts: list, left: bool):
    for i in range(0, len(texts), 8):
        encs = [tok.encode(t) for t in texts[i:i + 8]]
        width = max(len(e.ids) for e in encs)
        ids = np.full((len(encs), width), PAD, np.int64)
        for r, e in enumerate(encs):
            if left:
                ids[r, width - len(e.ids):] = e.ids
            else:
                ids[r, :len(e.ids)] = e.ids
        yield ids, (ids != PAD).astype(np.int64)


def run(sess, ids, mask):
    feeds = {"input_ids": ids, "attention_mask": mask}
    if any(i.name == "token_type_ids" for i in sess.get_inputs()):
        feeds["token_type_ids"] = np.zeros_like(ids)
    return sess.run(None, feeds)[0]


def masked_max_diff(a, b, mask) -> float:
    m = mask.astype(bool)
    return float(np.max(np.abs(a[m] - b[m])))


def main() -> int:
    tok = Tokenizer.from_file(TOKENIZER)
    tok.no_padding()
    tok.enable_truncation(256)
    texts = TextSource(3).lines(42) + ["", "a", "<mask>", "Hello <mask> world", "  spaces  ", "😀" * 30]
    failures = []
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = os.path.join(tmp, "config.json")
        with open(cfg_path, "w", encoding="utf-8") as f:
            json.dump(config(tok.get_vocab_size()), f)
        wdir = os.path.join(tmp, "weights")
        default_onnx = os.path.join(tmp, "xlmr.onnx")
        export("--random-weights", "--config", cfg_path, "--seed", "19", "--init-std", "0.05",
               "--save-weights", wdir, "--out", default_onnx)
        variants = {"default (no token_type_ids)": default_onnx}
        export("--config", cfg_path, "--weights", os.path.join(wdir, "model.safetensors"),
               "--token-type-ids", "--out", os.path.join(tmp, "xlmr_tt.onnx"))
        variants["--token-type-ids"] = os.path.join(tmp, "xlmr_tt.onnx")
        export("--config", cfg_path, "--weights", os.path.join(wdir, "model.safetensors"), "--opset", "13",
               "--out", os.path.join(tmp, "xlmr_13.onnx"))
        variants["opset 13"] = os.path.join(tmp, "xlmr_13.onnx")

        with open(default_onnx + ".json", encoding="utf-8") as f:
            meta = json.load(f)
        names = [i["name"] for i in meta["inputs"]]
        if names != ["input_ids", "attention_mask"] or meta["token_type_ids"] != "":
            failures.append(f"default export inputs {names}, token_type_ids {meta['token_type_ids']!r}")
        if meta.get("architecture") != "xlm-roberta" or meta.get("pad_token_id") != PAD:
            failures.append(f"sidecar architecture/pad: {meta.get('architecture')} {meta.get('pad_token_id')}")

        ref = NumpyBert.from_dir(wdir)
        bert_positions = NumpyBert.from_dir(wdir)
        bert_positions.roberta = False
        so = ort.SessionOptions()
        so.intra_op_num_threads = 2
        wanted = {}  # numpy's answer per batch, shared by the variants (same weights)
        for label, path in variants.items():
            sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
            for left in (False, True):
                for i, (ids, mask) in enumerate(batches(tok, texts, left)):
                    got = run(sess, ids, mask)
                    if (left, i) not in wanted:
                        wanted[(left, i)] = ref(ids, mask)
                    want = wanted[(left, i)]
                    d = masked_max_diff(got, want, mask)
                    worst = max(worst, d)
                    if d > TOL:
                        failures.append(f"{label} {'left' if left else 'right'} padding: max abs diff {d:.3g}")
                    if label.startswith("default") and not left:
                        # A runtime that pads with id 0 (BERT's [PAD]) on the right
                        # must get the same real-token outputs: positions count
                        # only the tokens before, and the mask hides the rest.
                        zero_padded = np.where(mask == 1, ids, 0)
                        d = masked_max_diff(run(sess, zero_padded, mask), got, mask)
                        worst = max(worst, d)
                        if d > TOL:
                            failures.append(f"right padding with id 0 instead of {PAD}: {d:.3g}")
                        blind = masked_max_diff(got, bert_positions(ids, mask), mask)
                        if blind < 1e-2:
                            failures.append(f"BERT positions give the same answer (diff {blind:.3g})")
                        for r in range(ids.shape[0]):
                            n = int(mask[r].sum())
                            alone = run(sess, ids[r:r + 1, :n], mask[r:r + 1, :n])
                            d = float(np.max(np.abs(alone[0] - got[r, :n])))
                            worst = max(worst, d)
                            if d > TOL:
                                failures.append(f"text {r} alone vs in batch: {d:.3g}")
    for f in failures[:10]:
        print("FAIL", f)
    print(f"xlmr export: {len(texts)} texts, max abs diff {worst:.3g}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
