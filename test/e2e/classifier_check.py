"""End-to-end check of the classifier examples (a BERT sequence classifier
with fixed random weights) against an independent reference: HF tokenizers +
ONNX Runtime (Python) + numpy softmax/sigmoid, top-k and threshold, label
names read here from config.json's id2label or the labels file.

Prints one JSON object with what it measured; the vitest file asserts on it."""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import tritonclient.http as httpclient
from tokenizers import Tokenizer

from e2e_client import decode, error_of, executions, infer, infer_all_at_once

TEXTS = [
    "The home team won the championship in overtime.",
    "Parliament passed the budget after a long debate.",
    "Researchers observed a new exoplanet with the telescope.",
    "The orchestra played Beethoven's ninth symphony.",
    "We took the night train from Vienna to Venice.",
    "Hello!",
    "a",
    "Café au lait, naïve façade, coöperate — résumé.",
    "今天天气很好,我们去公园散步吧。",
    "Emoji are not words 😀🎉👍 but they still get tokens.",
    "UPPERCASE TEXT SHOULD BE LOWERCASED BY THE TOKENIZER",
    " ".join(["long"] * 300),
    "How do I serve a classifier on Triton?",
    "1 2 3 4 5 6 7 8 9 10",
]


class Reference:
    def __init__(self, model_dir, max_length):
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), opts,
                                            providers=["CPUExecutionProvider"])

    def logits(self, text):
        enc = self.tokenizer.encode(text)
        feeds = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        return self.session.run(["logits"], feeds)[0][0].astype(np.float64)


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def top_labels(scores, names, k, threshold):
    """Best first, ties to the lower class id; below the threshold left out;
    slots past the last kept hold "" and 0."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    kept = [i for i in order if threshold is None or scores[i] >= threshold][:k]
    labels = [names[i] for i in kept] + [""] * (k - len(kept))
    values = [float(scores[i]) for i in kept] + [0.0] * (k - len(kept))
    return labels, values


def label_names(model_dir, source):
    if source == "config":
        with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
            id2label = json.load(f)["id2label"]
        return [id2label[str(i)] for i in range(len(id2label))]
    with open(os.path.join(model_dir, "labels.txt"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.rstrip("\n")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--activation", choices=["softmax", "sigmoid"], required=True)
    ap.add_argument("--labels-from", choices=["config", "file"], required=True)
    ap.add_argument("--top-k", type=int, required=True)
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--labels-output", required=True)
    ap.add_argument("--label-scores-output", required=True)
    ap.add_argument("--scores-output", required=True)
    ap.add_argument("--logits-output", default=None)
    args = ap.parse_args()

    ref = Reference(args.model_dir, args.max_length)
    names = label_names(args.model_dir, args.labels_from)
    activate = softmax if args.activation == "softmax" else sigmoid
    logits = [ref.logits(t) for t in TEXTS]
    scores = [activate(x) for x in logits]
    tops = [top_labels(s, names, args.top_k, args.threshold) for s in scores]
    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}", concurrency=16, network_timeout=120)
    report = {"texts": len(TEXTS)}

    got = infer(http, args.model, {"text": TEXTS})
    report["outputs"] = {name: [str(v.dtype), list(v.shape)] for name, v in got.items()}
    got_labels = [decode(row) for row in got[args.labels_output]]
    report["labels_equal"] = got_labels == [t[0] for t in tops]
    report["argmax_equal"] = [row[0] for row in got_labels] == [names[int(np.argmax(s))] if (args.threshold is None or s.max() >= args.threshold) else "" for s in scores]
    report["label_mismatches"] = [
        {"text": i, "got": g, "want": t[0]} for i, (g, t) in enumerate(zip(got_labels, tops)) if g != t[0]
    ]
    report["label_scores_max_abs_diff"] = float(np.max(np.abs(got[args.label_scores_output] - np.array([t[1] for t in tops]))))
    report["scores_max_abs_diff"] = float(np.max(np.abs(got[args.scores_output] - np.array(scores))))
    if args.logits_output:
        report["logits_max_abs_diff"] = float(np.max(np.abs(got[args.logits_output] - np.array(logits))))
    report["empty_slots"] = sum(row.count("") for row in got_labels)
    # How close the reference comes to a tie or to the threshold: a margin far
    # above the engines' float differences makes the exact label check fair.
    margins = []
    for s in scores:
        ordered = np.sort(s)[::-1]
        margins.extend(np.diff(ordered[: args.top_k + 1]).tolist())
        if args.threshold is not None:
            margins.extend(np.abs(s - args.threshold).tolist())
    report["reference_min_margin"] = float(np.min(np.abs(margins)))

    # Concurrent single-row requests, some naming only the labels, merged by the batcher.
    plan = [(i % len(TEXTS), None if i % 2 else [args.labels_output]) for i in range(24)]
    before = executions(http, args.model)
    answers = infer_all_at_once(f"127.0.0.1:{args.grpc_port}", args.model, [({"text": [TEXTS[i]]}, outs) for i, outs in plan])
    report["concurrent_executions"] = executions(http, args.model) - before
    report["concurrent_requests"] = len(plan)
    report["concurrent_wrong"] = [
        {"text": i, "error": e}
        for (i, outs), (values, e) in zip(plan, answers)
        if e is not None
        or (outs is not None and sorted(values) != sorted(outs))
        or decode(values[args.labels_output][0]) != tops[i][0]
    ]

    report["empty_text_error"] = error_of(lambda: infer(http, args.model, {"text": [""]}))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
