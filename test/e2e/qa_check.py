"""End-to-end check of an extractive QA pipeline (a BERT or XLM-R QA head with
fixed random weights; any tokenizer.json family) against an independent reference: HF tokenizers' own pair
encoding with overflowing windows (truncation only_second + stride), ONNX
Runtime (Python) per window, and span decoding written here in numpy:
per-window softmax over [CLS] + context tokens, score p_start * p_end,
spans inside the context and at most max_answer_length tokens, one answer
per character span (its best score over windows), the null answer's score
the smallest [CLS] product over windows, n best by score.

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

PARIS = (
    "Paris is the capital and most populous city of France. With an estimated population of "
    "2,102,650 residents in January 2023 in an area of more than 105 km2, Paris is the fourth-most "
    "populous city in the European Union and the 30th most densely populated city in the world in 2022. "
    "Since the 17th century, Paris has been one of the world's major centres of finance, diplomacy, "
    "commerce, culture, fashion, and gastronomy. Because of its leading role in the arts and sciences "
    "and its early adoption of extensive street lighting, it became known as the City of Light in the 19th century."
)
TRITON = (
    "Triton Inference Server is open-source software that standardizes AI model deployment and execution "
    "across every workload. A backend is the implementation that executes a model; it may wrap a framework "
    "such as PyTorch, TensorFlow, TensorRT or ONNX Runtime, or it may be custom C++ code. Dynamic batching "
    "combines individual inference requests into a larger batch that often executes much more efficiently."
)
PAIRS = [
    ("What is the capital of France?", PARIS),
    ("How many residents does Paris have?", PARIS),
    ("What is Paris known as?", PARIS),
    ("What does a backend do?", TRITON),
    ("What does dynamic batching combine?", TRITON),
    ("Where is the café?", "The café is on the Rue de Rivoli, next to the Louvre. Crème brûlée costs €8."),
    ("这是什么?", "北京是中华人民共和国的首都,也是全国的政治和文化中心。"),
    ("Who?", "Nobody."),
    ("Is this a very long question that takes up a good part of the window, more than most questions do?", TRITON),
    ("Emoji?", "Emoji 😀🎉👍 are not words but they still get tokens, and offsets count characters."),
    ("Wo liegt Straßburg?", "Straßburg liegt im Elsass an der Grenze zu Deutschland, nahe Kehl und Offenburg."),
    ("Где живёт Владимир?", "Владимир живёт в Москве, а его сестра Анна — в Санкт-Петербурге."),
]


class Reference:
    def __init__(self, model_dir, max_length, doc_stride, n_best, max_answer_length, null_answer):
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length, stride=doc_stride, strategy="only_second")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}  # XLM-R has no token_type_ids
        self.n_best, self.max_answer_length, self.null_answer = n_best, max_answer_length, null_answer

    def windows(self, question, context):
        first = self.tokenizer.encode(question, context)
        return [first] + list(first.overflowing)

    @staticmethod
    def probabilities(logits, allowed):
        x = np.where(allowed, logits.astype(np.float64), -np.inf)
        e = np.exp(x - x[allowed].max())
        return e / e.sum()

    def answers(self, question, context):
        best = {}
        null = np.inf
        windows = self.windows(question, context)
        for w in windows:
            feeds = {
                "input_ids": np.array([w.ids], dtype=np.int64),
                "attention_mask": np.array([w.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([w.type_ids], dtype=np.int64),
            }
            feeds = {k: v for k, v in feeds.items() if k in self.inputs}
            start_logits, end_logits = (v[0] for v in self.session.run(["start_logits", "end_logits"], feeds))
            in_context = np.array([s == 1 for s in w.sequence_ids])
            allowed = in_context.copy()
            allowed[0] = True  # [CLS] (<s>): the null answer
            ps, pe = self.probabilities(start_logits, allowed), self.probabilities(end_logits, allowed)
            null = min(null, ps[0] * pe[0])
            positions = np.nonzero(in_context)[0]
            for s in positions:
                for e in positions:
                    if s <= e < s + self.max_answer_length:
                        span = (w.offsets[s][0], w.offsets[e][1])
                        best[span] = max(best.get(span, 0.0), ps[s] * pe[e])
        ranked = [(score, False, span) for span, score in best.items()]
        if self.null_answer:
            ranked.append((null, True, (0, 0)))
        ranked.sort(key=lambda a: (-a[0], not a[1], a[2]))
        ranked = ranked[: self.n_best]
        texts = ["" if is_null else context[a:b] for _, is_null, (a, b) in ranked]
        scores = [float(score) for score, _, _ in ranked]
        starts = [a for _, _, (a, _) in ranked]
        ends = [b for _, _, (_, b) in ranked]
        pad = self.n_best - len(ranked)
        margin = min((abs(x[0] - y[0]) for x, y in zip(ranked, ranked[1:])), default=1.0)
        return {
            "answer": texts + [""] * pad,
            "score": scores + [0.0] * pad,
            "start": starts + [-1] * pad,
            "end": ends + [-1] * pad,
            "windows": len(windows),
            "margin": margin,
        }


def compare(got, want):
    """Texts and offsets exactly, scores within what the report gives."""
    return {
        "texts_equal": decode(got["answer"]) == want["answer"],
        "offsets_equal": list(map(int, got["start"])) == want["start"] and list(map(int, got["end"])) == want["end"],
        "score_diff": float(np.max(np.abs(np.asarray(got["score"], dtype=np.float64) - np.array(want["score"])))),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--max-length", type=int, required=True)
    ap.add_argument("--doc-stride", type=int, required=True)
    ap.add_argument("--n-best", type=int, required=True)
    ap.add_argument("--max-answer-length", type=int, required=True)
    ap.add_argument("--null-answer", action="store_true")
    args = ap.parse_args()

    ref = Reference(args.model_dir, args.max_length, args.doc_stride, args.n_best, args.max_answer_length,
                    args.null_answer)
    want = [ref.answers(q, c) for q, c in PAIRS]
    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}", concurrency=16, network_timeout=120)
    report = {
        "pairs": len(PAIRS),
        "windows": [w["windows"] for w in want],
        "reference_min_margin": float(min(w["margin"] for w in want)),
        "null_first": sum(1 for w in want if w["answer"][0] == "" and w["start"][0] == 0),
    }

    got = infer(http, args.model, {"question": [q for q, _ in PAIRS], "context": [c for _, c in PAIRS]})
    report["outputs"] = {name: [str(v.dtype), list(v.shape)] for name, v in got.items()}
    rows = [{name: got[name][i] for name in ("answer", "score", "start", "end")} for i in range(len(PAIRS))]
    checks = [compare(r, w) for r, w in zip(rows, want)]
    report["texts_equal"] = all(c["texts_equal"] for c in checks)
    report["offsets_equal"] = all(c["offsets_equal"] for c in checks)
    report["score_max_abs_diff"] = max(c["score_diff"] for c in checks)
    report["mismatches"] = [
        {"pair": i, "got": decode(r["answer"]), "want": w["answer"], "got_start": list(map(int, r["start"])), "want_start": w["start"]}
        for i, (r, w, c) in enumerate(zip(rows, want, checks))
        if not (c["texts_equal"] and c["offsets_equal"])
    ]
    # Offsets index the context as Python strings do.
    report["offsets_slice_to_answer"] = all(
        c[s:e] == a for (_, c), w in zip(PAIRS, want) for a, s, e in zip(w["answer"], w["start"], w["end"]) if s > 0 or e > 0
    )

    # Concurrent single-pair requests, some naming only the answer text, merged by the batcher.
    plan = [(i % len(PAIRS), None if i % 2 else ["answer"]) for i in range(20)]
    before = executions(http, args.model)
    answers = infer_all_at_once(
        f"127.0.0.1:{args.grpc_port}", args.model, [({"question": [PAIRS[i][0]], "context": [PAIRS[i][1]]}, outs) for i, outs in plan]
    )
    report["concurrent_executions"] = executions(http, args.model) - before
    report["concurrent_requests"] = len(plan)
    report["concurrent_wrong"] = [
        {"pair": i, "error": e}
        for (i, outs), (values, e) in zip(plan, answers)
        if e is not None
        or (outs is not None and sorted(values) != sorted(outs))
        or decode(values["answer"][0]) != want[i]["answer"]
    ]

    report["long_question_error"] = error_of(
        lambda: infer(http, args.model, {"question": [" ".join(["why"] * 80)], "context": ["Because."]}))
    report["row_count_mismatch_error"] = error_of(
        lambda: infer(http, args.model, {"question": ["a", "b"], "context": ["c"]}))
    report["empty_context_error"] = error_of(lambda: infer(http, args.model, {"question": ["a"], "context": [""]}))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
