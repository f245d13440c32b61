"""End-to-end check of an extractive QA pipeline (a BERT or XLM-R QA head with
fixed random weights; any tokenizer.json family) against HF's own
question-answering code: HF's fast tokenizer called as the pipeline calls it
(question and context as a pair, truncation only_second, stride, overflowing
windows), ONNX Runtime (Python) per window, and HF transformers'
select_starts_ends / decode_spans, the span scoring of QuestionAnsweringPipeline
(transformers 5 dropped that pipeline; its span code lives on in
document_question_answering.py, which is what runs here). The pipeline's last
step, which transformers 5 no longer ships, is written here as transformers 4
did it: offsets from the windows' offset mapping, widened with
--align-to-words true (HF's default) to whole words by HF's own
Encoding.token_to_word / word_to_chars on the window's encoding, as the
pipeline's get_indices does; an answer whose text equals (ignoring case) one
found before adds its score to it, the null answer last, a stable sort by
score, the top k.

Prints one JSON object with what it measured; the vitest file asserts on it."""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import tritonclient.http as httpclient
from transformers.pipelines.document_question_answering import select_starts_ends

from e2e_client import decode, error_of, executions, infer, infer_all_at_once
from hf_fast_tokenizer import fast_tokenizer

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
    ("أين تقع القاهرة؟", "القاهرة هي عاصمة مصر وأكبر مدنها، وتقع على ضفاف نهر النيل. يعيش فيها محمد وفاطمة منذ عام ٢٠١٠."),
    # Combining marks (e + U+0301, n + U+0303) and emoji of several code points.
    ("Qui a mangé?", "Le cafe\u0301 de Jose\u0301 et la man\u0303ana: 👩‍👩‍👧 ont mange\u0301 🇫🇷 une cre\u0300me bru\u0302le\u0301e."),
    ("谁在东京?", "王小明和Satya Nadella在東京见面了，他们讨论了Microsoft的未来。😀"),
    # Answers inside words: long rare words of many subword tokens,
    # punctuation inside words, accents, Japanese.
    ("What is pneumonoultramicroscopicsilicovolcanoconiosis?",
     "Pneumonoultramicroscopicsilicovolcanoconiosis is a lung disease; antidisestablishmentarianism is a "
     "political position, and floccinaucinihilipilification means estimating something as worthless."),
    ("Who sent the e-mail?",
     "The co-operative's e-mail, sent at 10:45 a.m. by O'Brien-Smith (née Müller), cost $1,234.56 — naïvely."),
    ("東京はどこ?", "東京都は日本の首都であり、人口は約1400万人です。Zürich und Genève sind Städte."),
    # Hangul and Devanagari: BERT's normalization splits a char into several pieces of the same offsets.
    ("서울은 어디에 있나요?", "안녕하세요, 만나서 반갑습니다. 서울은 한국의 수도입니다. कृपया दरवाज़ा बंद कर दीजिए।"),
]


class Reference:
    def __init__(self, model_dir, max_length, doc_stride, n_best, max_answer_length, null_answer, align_to_words):
        config = json.load(open(os.path.join(model_dir, "config.json")))
        self.tok = fast_tokenizer(model_dir, config)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}  # XLM-R has no token_type_ids
        self.max_length, self.doc_stride = max_length, doc_stride
        self.n_best, self.max_answer_length, self.null_answer = n_best, max_answer_length, null_answer
        self.zero_score_spans = 0  # spans HF's top k fills with when a window has too few (ours has none)
        self.align_to_words = align_to_words
        self.widened_spans = 0  # spans that whole words make longer than their tokens

    def indices(self, window, s, e):
        """The pipeline's get_indices (transformers 4): the tokens' offsets, or
        with align_to_words the characters of the start token's word to the end
        token's, by HF tokenizers' word_to_chars on the window's encoding (the
        context is the pair's sequence 1); the tokens' offsets where that fails."""
        a, b = window.offsets[s][0], window.offsets[e][1]
        try:
            wa = window.word_to_chars(window.token_to_word(s), sequence_index=1)[0]
            wb = window.word_to_chars(window.token_to_word(e), sequence_index=1)[1]
        except Exception:  # noqa: BLE001 - as the pipeline: keep the tokens' offsets
            wa, wb = a, b
        if (wa, wb) != (a, b):
            self.widened_spans += 1
        return (wa, wb) if self.align_to_words else (a, b)

    def windows(self, question, context):
        """The pipeline's preprocess: one encoding per window (raises where HF does)."""
        return self.tok(text=question, text_pair=context, truncation="only_second", max_length=self.max_length,
                        stride=self.doc_stride, return_token_type_ids=True, return_overflowing_tokens=True,
                        return_offsets_mapping=True, return_special_tokens_mask=True)

    def answers(self, question, context):
        enc = self.windows(question, context)
        found = []  # {"answer", "score", "start", "end"} in the order found
        merged = 0
        null = 1000000  # the pipeline's start value: large and positive
        for i, ids in enumerate(enc["input_ids"]):
            ids = np.array([ids], dtype=np.int64)
            attention = np.array([enc["attention_mask"][i]], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": attention,
                     "token_type_ids": np.array([enc["token_type_ids"][i]], dtype=np.int64)}
            start_logits, end_logits = self.session.run(
                ["start_logits", "end_logits"], {k: v for k, v in feeds.items() if k in self.inputs})
            # p_mask as the pipeline builds it: 1 outside the context, 0 on [CLS].
            p_mask = np.array([seq != 1 for seq in enc.sequence_ids(i)], dtype=np.int64)
            p_mask[ids[0] == self.tok.cls_token_id] = 0
            starts, ends, scores, null = select_starts_ends(
                start_logits, end_logits, p_mask, attention, null, self.n_best, self.null_answer, self.max_answer_length)
            for s, e, score in zip(starts, ends, scores):
                if score == 0:
                    self.zero_score_spans += 1
                a, b = self.indices(enc.encodings[i], s, e)
                same = next((x for x in found if x["answer"].lower() == context[a:b].lower()), None)
                if same is not None:
                    same["score"] += score.item()
                    merged += 1
                else:
                    found.append({"answer": context[a:b], "score": score.item(), "start": a, "end": b})
        if self.null_answer:
            found.append({"answer": "", "score": null, "start": 0, "end": 0})
        ranked = sorted(found, key=lambda x: x["score"], reverse=True)[: self.n_best]
        pad = self.n_best - len(ranked)
        margin = min((abs(x["score"] - y["score"]) for x, y in zip(ranked, ranked[1:])), default=1.0)
        return {
            "answer": [a["answer"] for a in ranked] + [""] * pad,
            "score": [a["score"] for a in ranked] + [0.0] * pad,
            "start": [a["start"] for a in ranked] + [-1] * pad,
            "end": [a["end"] for a in ranked] + [-1] * pad,
            "windows": len(enc["input_ids"]),
            "merged": merged,
            "margin": margin,
        }


def tight_question(ref):
    """The shortest question of repeated words that leaves windows of at most doc_stride context tokens."""
    added = ref.tok.num_special_tokens_to_add(pair=True)
    words = ["why"]
    while ref.max_length - added - len(ref.tok(" ".join(words), add_special_tokens=False)["input_ids"]) > ref.doc_stride:
        words.append("why")
    return " ".join(words)


def same_answers(a, b):
    return all(a[k] == b[k] for k in ("answer", "start", "end"))


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
    ap.add_argument("--align-to-words", choices=["true", "false"], required=True)
    args = ap.parse_args()

    ref = Reference(args.model_dir, args.max_length, args.doc_stride, args.n_best, args.max_answer_length,
                    args.null_answer, args.align_to_words == "true")
    want = [ref.answers(q, c) for q, c in PAIRS]
    # The reference with the other align_to_words: how many pairs' answers the setting changes.
    other = Reference(args.model_dir, args.max_length, args.doc_stride, args.n_best, args.max_answer_length,
                      args.null_answer, args.align_to_words != "true")
    changed = sum(1 for (q, c), w in zip(PAIRS, want) if not same_answers(other.answers(q, c), w))
    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}", concurrency=16, network_timeout=120)
    report = {
        "pairs": len(PAIRS),
        "windows": [w["windows"] for w in want],
        "reference_min_margin": float(min(w["margin"] for w in want)),
        "null_first": sum(1 for w in want if w["answer"][0] == "" and w["start"][0] == 0),
        # Spans that HF's pipeline merged into an answer of the same text.
        "merged_answers": sum(w["merged"] for w in want),
        "reference_zero_score_spans": ref.zero_score_spans,
        # Spans of the reference that start or end inside a word (whatever the setting).
        "reference_widened_spans": ref.widened_spans,
        "pairs_changed_by_align_to_words": changed,
    }

    # Requests of at most maxBatchSize (16) rows.
    parts = [infer(http, args.model, {"question": [q for q, _ in PAIRS[i:i + 16]], "context": [c for _, c in PAIRS[i:i + 16]]})
             for i in range(0, len(PAIRS), 16)]
    got = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
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
    # A question that leaves windows no longer than the stride: HF tokenizers
    # does not cut a context that fits in one window, and refuses to cut one
    # that does not (a Rust panic, hence BaseException).
    tight = tight_question(ref)
    report["tight_question_room"] = ref.max_length - ref.tok.num_special_tokens_to_add(pair=True) - len(
        ref.tok(tight, add_special_tokens=False)["input_ids"])
    fits = "Yes, because it is."
    want_fits = ref.answers(tight, fits)
    report["tight_question_fits_windows"] = want_fits["windows"]
    try:
        got_fits = infer(http, args.model, {"question": [tight], "context": [fits]})
        check = compare({name: got_fits[name][0] for name in ("answer", "score", "start", "end")}, want_fits)
        report["tight_question_fits_equal"] = check["texts_equal"] and check["offsets_equal"] and check["score_diff"] <= 1e-5
    except Exception as e:  # noqa: BLE001 - the report says what came back
        report["tight_question_fits_equal"] = f"error: {e}"
    try:
        ref.windows(tight, PARIS)
        report["tight_question_hf_error"] = None
    except BaseException as e:  # noqa: BLE001
        report["tight_question_hf_error"] = str(e).splitlines()[0]
    report["tight_question_error"] = error_of(lambda: infer(http, args.model, {"question": [tight], "context": [PARIS]}))
    report["row_count_mismatch_error"] = error_of(
        lambda: infer(http, args.model, {"question": ["a", "b"], "context": ["c"]}))
    report["empty_context_error"] = error_of(lambda: infer(http, args.model, {"question": ["a"], "context": [""]}))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
