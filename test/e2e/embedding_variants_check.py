"""End-to-end check of the embedding-variants example (all-MiniLM-L6-v2:
sentence-transformers folder pooling, CLS, max, token count) against an
independent reference: HF tokenizers + ONNX Runtime (Python) + numpy, with the
pooling read from the folder's modules.json and 1_Pooling/config.json here too.

Prints one JSON object with what it measured; the vitest file asserts on it."""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import tritonclient.http as httpclient
from tokenizers import Tokenizer, normalizers

from e2e_client import error_of, executions, infer, infer_all_at_once

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello!",
    "a",
    "Café au lait, naïve façade, coöperate — résumé.",
    "今天天气很好,我们去公园散步吧。",
    "Mixed 中文 and English text, with numbers 12345 and symbols €©™.",
    "Emoji are not words 😀🎉👍 but they still get tokens.",
    "   leading and trailing whitespace   ",
    "tab\tseparated\tvalues and\nnew lines",
    "UPPERCASE TEXT SHOULD BE LOWERCASED BY THE TOKENIZER",
    " ".join(["long"] * 400),
    "What is the capital of France?",
    "Paris is the capital and most populous city of France.",
    "[CLS] and [SEP] written in the text itself",
    "¿Dónde está la biblioteca?",
    "The end.",
]
OUTPUTS = ["embedding", "cls_embedding", "max_embedding", "token_count"]


def folder_pooling(model_dir):
    """What sentence-transformers does for this folder: its pooling mode and
    whether a Normalize module follows."""
    with open(os.path.join(model_dir, "modules.json"), encoding="utf-8") as f:
        modules = json.load(f)
    pooling = next(m for m in modules if m["type"].endswith("Pooling"))
    with open(os.path.join(model_dir, pooling["path"], "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    modes = [m for m in ("cls_token", "mean_tokens", "max_tokens") if config.get(f"pooling_mode_{m}")]
    assert len(modes) == 1, modes
    return modes[0], any(m["type"].endswith("Normalize") for m in modules)


def unit(v):
    return v / max(np.linalg.norm(v), 1e-12)


def file_tokenizer(model_dir, max_length):
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


class Reference:
    def __init__(self, model_dir, max_length, lowercase=None):
        self.tokenizer = file_tokenizer(model_dir, max_length)
        if lowercase is not None:
            # The pipeline's lowercase beside the file: HF's BertNormalizer with
            # the file's other settings and that one.
            n = json.loads(self.tokenizer.to_str())["normalizer"]
            self.tokenizer.normalizer = normalizers.BertNormalizer(
                clean_text=n["clean_text"], handle_chinese_chars=n["handle_chinese_chars"],
                strip_accents=n["strip_accents"], lowercase=lowercase)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.mode, self.normalize = folder_pooling(model_dir)

    def outputs(self, text):
        enc = self.tokenizer.encode(text)
        feeds = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        hidden = self.session.run(None, feeds)[0][0].astype(np.float64)
        pooled = {"mean_tokens": hidden.mean(0), "cls_token": hidden[0], "max_tokens": hidden.max(0)}
        st = pooled[self.mode]
        return {
            "embedding": unit(st) if self.normalize else st,
            "cls_embedding": hidden[0],
            "max_embedding": unit(hidden.max(0)),
            "token_count": np.array([len(enc.ids)]),
        }


def max_diff(got, want):
    return float(np.max(np.abs(np.asarray(got, dtype=np.float64) - np.asarray(want, dtype=np.float64))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--lowercase", choices=["true", "false"], default=None,
                    help="the pipeline sets lowercase beside the tokenizer.json")
    args = ap.parse_args()

    lowercase = None if args.lowercase is None else args.lowercase == "true"
    ref = Reference(args.model_dir, args.max_length, lowercase)
    want = [ref.outputs(s) for s in SENTENCES]
    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}", concurrency=16, network_timeout=120)
    report = {"sentences": len(SENTENCES), "folder_pooling": ref.mode, "folder_normalize": ref.normalize}

    # One request naming no outputs: Triton asks for all of them.
    got = infer(http, args.model, {"text": SENTENCES})
    report["default_outputs"] = sorted(got)
    report["max_abs_diff"] = {
        name: max_diff(got[name], [w[name] for w in want]) for name in OUTPUTS if name != "token_count"
    }
    report["token_counts_equal"] = bool(np.array_equal(got["token_count"], np.array([w["token_count"] for w in want])))
    report["token_count_dtype"] = str(got["token_count"].dtype)
    # Whether the served counts are also those of the file's own settings
    # (false shows that an overriding option changed the tokenization).
    plain = file_tokenizer(args.model_dir, args.max_length)
    report["file_settings_token_counts_equal"] = bool(np.array_equal(
        got["token_count"], np.array([[len(plain.encode(s).ids)] for s in SENTENCES])))
    report["norms"] = {name: [float(np.linalg.norm(v)) for v in got[name][:3]] for name in ("embedding", "cls_embedding")}

    # Requests naming some outputs get those only.
    only = infer(http, args.model, {"text": SENTENCES[:2]}, ["token_count"])
    report["only_token_count"] = sorted(only)
    pair = infer(http, args.model, {"text": SENTENCES[:2]}, ["max_embedding", "cls_embedding"])
    report["only_max_and_cls"] = sorted(pair)
    report["only_max_diff"] = max_diff(pair["max_embedding"], [w["max_embedding"] for w in want[:2]])

    # Concurrent single-row requests with different output choices, merged by the batcher.
    choices = [["embedding"], ["token_count"], ["cls_embedding", "token_count"], None]
    plan = [(i % len(SENTENCES), choices[i % len(choices)]) for i in range(32)]
    before = executions(http, args.model)
    answers = infer_all_at_once(f"127.0.0.1:{args.grpc_port}", args.model, [({"text": [SENTENCES[i]]}, outs) for i, outs in plan])
    report["mixed_executions"] = executions(http, args.model) - before
    report["mixed_requests"] = len(plan)
    wrong = []
    worst = 0.0
    for (i, outs), (values, error) in zip(plan, answers):
        names = OUTPUTS if outs is None else outs
        if error is not None or sorted(values) != sorted(names):
            wrong.append({"row": i, "asked": outs, "got": None if values is None else sorted(values), "error": error})
            continue
        for name in names:
            if name == "token_count":
                if int(values[name][0][0]) != int(want[i]["token_count"][0]):
                    wrong.append({"row": i, "output": name})
            else:
                worst = max(worst, max_diff(values[name][0], want[i][name]))
    report["mixed_wrong"] = wrong
    report["mixed_max_abs_diff"] = worst

    report["unknown_output_error"] = error_of(lambda: infer(http, args.model, {"text": ["x"]}, ["no_such_output"]))
    report["empty_text_error"] = error_of(lambda: infer(http, args.model, {"text": [""]}))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
