"""End-to-end check of a NER pipeline (a BERT or XLM-R token classifier with
RANDOM WEIGHTS; WordPiece, Unigram or byte-level BPE tokenizer.json) through
tritonserver against an independent reference: HF's fast
tokenizer (truncation at --max-length) + ONNX Runtime for the logits + HF
transformers' own TokenClassificationPipeline aggregation (its
gather_pre_entities and aggregate, run on numpy scores without a PyTorch
model). Entities, labels, words and offsets must be equal, scores within
1e-5; the typed outputs must be the same entities. Prints one JSON report."""
import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import tritonclient.http as httpclient
from transformers.pipelines.token_classification import AggregationStrategy, TokenClassificationPipeline

from e2e_client import decode, error_of, executions, infer, infer_all_at_once
from hf_fast_tokenizer import fast_tokenizer

TEXTS = [
    "John Smith works at Google in New York.",
    "Angela Merkel met Emmanuel Macron in Paris on Tuesday.",
    "你好，世界！北京大学的王小明今天去了上海。",
    "Mixed 中文 and English: Satya Nadella visited 東京 with Microsoft.",
    "Emoji 😀 between Zoë and café\u0301 owners in Zürich 🇨🇭 naïve résumé.",
    "Washington-based Microsoft's CEO don't it's e-mail O'Neil",
    "Die Bundeskanzlerin besuchte München und Straßburg; Владимир поехал в Москву.",
    "محمد يعيش في القاهرة. राम दिल्ली में रहता है। 東京タワーは日本にあります。",
    # Longer than 64 tokens: the entities come from the kept part only.
    " ".join(["Barack Obama flew from Chicago to London with Michelle and Sasha."] * 8),
]


class Reference:
    def __init__(self, model_dir, max_length, aggregation):
        config = json.load(open(os.path.join(model_dir, "config.json")))
        self.tok = fast_tokenizer(model_dir, config)
        self.max_length = max_length
        self.labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
        self.session = ort.InferenceSession(os.path.join(model_dir, "model.onnx"))
        self.inputs = {i.name for i in self.session.get_inputs()}  # XLM-R has no token_type_ids
        # The pipeline's own aggregation code, without a model: it reads only
        # model.config.id2label and the tokenizer.
        pipe = TokenClassificationPipeline.__new__(TokenClassificationPipeline)
        pipe.tokenizer = self.tok
        pipe.model = type("Model", (), {"config": type("Config", (), {"id2label": dict(enumerate(self.labels))})()})()
        self.pipe = pipe
        self.strategy = AggregationStrategy(aggregation)

    def pre_inputs(self, text):
        """gather_pre_entities' arguments after the text: ids, scores, offsets, special tokens mask."""
        enc = self.tok(text, truncation=True, max_length=self.max_length, return_offsets_mapping=True,
                       return_special_tokens_mask=True)
        ids = np.array([enc["input_ids"]], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        logits = self.session.run(["logits"], {k: v for k, v in feeds.items() if k in self.inputs})[0][0]
        shifted = np.exp(logits - logits.max(-1, keepdims=True))
        scores = shifted / shifted.sum(-1, keepdims=True)
        return ids[0], scores, np.array(enc["offset_mapping"]), np.array(enc["special_tokens_mask"])

    def entities(self, text):
        pre = self.pipe.gather_pre_entities(text, *self.pre_inputs(text), self.strategy)
        grouped = self.pipe.aggregate(pre, self.strategy)
        key = "entity" if self.strategy == AggregationStrategy.NONE else "entity_group"
        return [e for e in grouped if e[key] != "O"], key


def same(ours, ref, key, text):
    if len(ours) != len(ref):
        return False
    for o, r in zip(ours, ref):
        if o[key] != r[key] or o["word"] != r["word"] or o["start"] != r["start"] or o["end"] != r["end"]:
            return False
        if abs(o["score"] - float(r["score"])) > 1e-5:
            return False
        # Byte offsets cut the same characters as the character offsets.
        if text.encode()[o["start_byte"]:o["end_byte"]].decode() != text[o["start"]:o["end"]]:
            return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", required=True)
    ap.add_argument("--grpc-port", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--aggregation", default="simple")
    ap.add_argument("--max-entities", type=int, default=16)
    args = ap.parse_args()

    ref = Reference(args.model_dir, args.max_length, args.aggregation)
    label_ids = {name: i for i, name in enumerate(ref.labels)}
    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}", concurrency=8, network_timeout=120)
    report = {"texts": len(TEXTS), "mismatches": [], "typed_mismatches": []}
    want = [ref.entities(t) for t in TEXTS]
    report["reference_entities"] = sum(len(w[0]) for w in want)

    got = infer(http, args.model, {"text": TEXTS})
    report["outputs"] = {name: [str(v.dtype), list(v.shape)] for name, v in got.items()}
    for i, text in enumerate(TEXTS):
        ours = json.loads(decode(got["entities"][i])[0])
        entities, key = want[i]
        if not same(ours, entities, key, text):
            report["mismatches"].append({"text": i, "ours": ours[:3], "ref": [{k: (float(v) if k == "score" else v) for k, v in e.items()} for e in entities[:3]]})
        # The typed outputs: the same entities, padded past the last.
        n = min(len(entities), args.max_entities)
        typed_ok = (
            [int(x) for x in got["entity_labels"][i][:n]] == [label_ids.get(e.get("entity", ""), label_ids.get("B-" + e.get("entity_group", ""), -2)) for e in entities[:n]]
            if key == "entity" else True
        ) and [int(x) for x in got["entity_starts"][i][:n]] == [e["start"] for e in entities[:n]] \
            and [int(x) for x in got["entity_ends"][i][:n]] == [e["end"] for e in entities[:n]] \
            and np.allclose(got["entity_scores"][i][:n], [float(e["score"]) for e in entities[:n]], atol=1e-5) \
            and all(int(x) == -1 for x in got["entity_starts"][i][n:]) \
            and all(0 <= int(x) < len(ref.labels) for x in got["entity_labels"][i][:n])
        if not typed_ok:
            report["typed_mismatches"].append(i)
    report["truncated_text_tokens"] = len(ref.tok(TEXTS[-1])["input_ids"])
    # What the texts exercise: words of several tokens (where the strategies
    # differ) and HF's unknown token.
    report["multi_token_words"] = sum(1 for t in TEXTS for e in ref.pipe.gather_pre_entities(
        t, *ref.pre_inputs(t), AggregationStrategy.SIMPLE) if e["is_subword"])
    report["unknown_tokens"] = sum(ref.tok(t)["input_ids"].count(ref.tok.unk_token_id) for t in TEXTS)

    # Concurrent requests with bad ones among them, merged by the batcher:
    # each bad one gets its own error, the good ones their entities.
    plan = [("good", i % len(TEXTS)) for i in range(12)] + [("empty", ""), ("utf8", b"caf\xc3"), ("utf8", b"\xff\xfe")]
    before = executions(http, args.model)
    answers = infer_all_at_once(f"127.0.0.1:{args.grpc_port}", args.model,
                                [({"text": [TEXTS[x] if kind == "good" else x]}, ["entities"]) for kind, x in plan])
    report["concurrent_executions"] = executions(http, args.model) - before
    report["concurrent_wrong"] = []
    for (kind, x), (values, error) in zip(plan, answers):
        if kind == "good":
            ok = error is None and same(json.loads(decode(values["entities"][0])[0]), want[x][0], want[x][1], TEXTS[x])
        else:
            ok = error is not None and ("empty" in error if kind == "empty" else "UTF-8" in error)
        if not ok:
            report["concurrent_wrong"].append({"kind": kind, "error": error})
    report["empty_text_error"] = error_of(lambda: infer(http, args.model, {"text": [""]}))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
