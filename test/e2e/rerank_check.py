"""End-to-end check of a reranking example (a BERT or XLM-R cross-encoder with
fixed random weights) against an independent reference: HF tokenizers' own pair
encoding with truncation only_second (the tokenizer.json's pair template:
[CLS] A [SEP] B [SEP] or <s> A </s></s> B </s>), ONNX Runtime (Python) per pair, numpy
sigmoid (one logit) or softmax (two classes, score = class 1), and numpy's
stable argsort of -score for the top k (ties by lower index).

A request is one batch row: query [1, 1], passages [1, n].
Prints one JSON object with what it measured; the vitest file asserts on it."""
import argparse
import json
import os
import threading
from functools import partial

import numpy as np
import onnxruntime as ort
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from tokenizers import Tokenizer

from e2e_client import error_of, executions, infer as infer_rows, infer_all_at_once

LONG = " ".join(
    "Triton Inference Server batches requests dynamically, and a backend runs the model on each batch "
    "it is given; long passages are truncated so that query and passage fit the model.".split() * 12
)
CASES = [
    ("What is the capital of France?", [
        "Paris is the capital and most populous city of France.",
        "Berlin is the capital of Germany.",
        "The Eiffel Tower is in Paris.",
        "Bananas are rich in potassium.",
    ]),
    ("北京是哪个国家的首都?", ["北京是中华人民共和国的首都。", "东京是日本的首都。", "巴黎是法国的首都。"]),
    ("Where is the café? 咖啡馆在哪里?", ["The café is on the Rue de Rivoli. 咖啡馆在里沃利街。", "Crème brûlée costs €8.", "Emoji 😀🎉 get tokens too."]),
    ("How does Triton batch requests?", [LONG, "It does not.", LONG[:200]]),
    ("one passage", ["only one"]),
    ("Wie hoch ist der Eiffelturm?", [
        "Der Eiffelturm ist 330 Meter hoch.",
        "La tour Eiffel mesure 330 mètres.",
        "Эйфелева башня находится в Париже.",
        "東京タワーの高さは333メートルです。",
    ]),
]
MANY = ("Which passage is best?", [f"Passage number {i} talks about topic {i % 7} and item {i * 13 % 31}." for i in range(60)])


class Reference:
    def __init__(self, model_dir, max_length, activation):
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length, strategy="only_second")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(os.path.join(model_dir, "model.onnx"), opts, providers=["CPUExecutionProvider"])
        # XLM-R models take no token_type_ids.
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.activation = activation
        self.truncated = 0

    def scores(self, query, passages):
        out = []
        for passage in passages:
            enc = self.tokenizer.encode(query, passage)
            if enc.overflowing:
                self.truncated += 1
            feeds = {
                "input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
            }
            feeds = {k: v for k, v in feeds.items() if k in self.input_names}
            logits = self.session.run(["logits"], feeds)[0][0].astype(np.float64)
            if self.activation == "sigmoid":
                out.append(1.0 / (1.0 + np.exp(-logits[-1])))
            elif self.activation == "softmax":
                e = np.exp(logits - logits.max())
                out.append((e / e.sum())[1])
            else:
                out.append(logits[-1])
        return np.array(out)

    @staticmethod
    def top(scores, k):
        order = np.argsort(-scores, kind="stable")[:k].tolist()
        return order + [-1] * (k - len(order))


def request_inputs(module, query, passages):
    q = np.array([[query.encode("utf-8") if isinstance(query, str) else query]], dtype=np.object_)
    p = np.array([[x.encode("utf-8") if isinstance(x, str) else x for x in passages]], dtype=np.object_).reshape(1, len(passages))
    inputs = [module.InferInput("query", [1, 1], "BYTES"), module.InferInput("passages", list(p.shape), "BYTES")]
    if module is httpclient:
        inputs[0].set_data_from_numpy(q, binary_data=True)
        inputs[1].set_data_from_numpy(p, binary_data=True)
    else:
        inputs[0].set_data_from_numpy(q)
        inputs[1].set_data_from_numpy(p)
    return inputs


def infer(client, model, query, passages):
    result = client.infer(model, request_inputs(httpclient, query, passages))
    return {o["name"]: result.as_numpy(o["name"]) for o in result.get_response()["outputs"]}


def all_at_once(grpc_url, model, requests):
    client = grpcclient.InferenceServerClient(grpc_url)
    done = threading.Semaphore(0)
    answers = [None] * len(requests)

    def on_answer(index, result, error):
        answers[index] = (None, str(error)) if error is not None else (
            {o.name: result.as_numpy(o.name) for o in result.get_response().outputs}, None)
        done.release()

    for index, (query, passages) in enumerate(requests):
        client.async_infer(model, request_inputs(grpcclient, query, passages), partial(on_answer, index))
    for _ in requests:
        done.acquire()
    client.close()
    return answers


def check_pairs_per_row(args, http):
    """One (query, passage) pair per batch row: score [rows, 1] against the softmax reference."""
    ref = Reference(args.pair_model_dir, args.max_length, "softmax")
    queries = [q for q, ps in CASES for _ in ps]
    passages = [p for _, ps in CASES for p in ps]
    columns = {"query": queries, "passage": passages}
    got = infer_rows(http, args.pair_model, columns)
    want = np.array([ref.scores(q, [p])[0] for q, p in zip(queries, passages)])
    report = {
        "shape": list(got["score"].shape),
        "dtype": str(got["score"].dtype),
        "score_max_abs_diff": float(np.abs(got["score"][:, 0].astype(np.float64) - want).max()),
        "truncated_pairs": ref.truncated,
    }
    plan = [({"query": [q], "passage": [p]}, None) for q, p in zip(queries, passages)]
    plan.append(({"query": ["fine", "query"], "passage": ["fine", ""]}, None))
    before = executions(http, args.pair_model)
    answers = infer_all_at_once(f"127.0.0.1:{args.grpc_port}", args.pair_model, plan)
    report["concurrent_executions"] = executions(http, args.pair_model) - before
    report["concurrent_requests"] = len(plan)
    report["concurrent_wrong"] = [
        i for i, ((got_i, error), w) in enumerate(zip(answers[:-1], want))
        if error is not None or abs(float(got_i["score"][0, 0]) - w) > 1e-5
    ]
    report["bad_row_error"] = answers[-1][1]
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--max-length", type=int, required=True)
    ap.add_argument("--activation", required=True)
    ap.add_argument("--top-k", type=int, required=True)
    ap.add_argument("--max-passages", type=int, required=True)
    ap.add_argument("--pair-model", help="the one-pair-per-row model (two-class softmax), checked too when given")
    ap.add_argument("--pair-model-dir")
    args = ap.parse_args()
    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}")
    ref = Reference(args.model_dir, args.max_length, args.activation)
    report = {"score_max_abs_diff": 0.0, "top_mismatches": [], "shapes": [], "reference_min_gap": 1.0}

    def compare(query, passages, got):
        want = ref.scores(query, passages)
        scores = got["scores"]
        report["shapes"].append([list(scores.shape), list(got["top_indices"].shape), str(scores.dtype), str(got["top_indices"].dtype)])
        report["score_max_abs_diff"] = max(report["score_max_abs_diff"], float(np.abs(scores[0].astype(np.float64) - want).max()))
        ranked = np.sort(want)[::-1][: args.top_k + 1]
        if len(ranked) > 1:
            report["reference_min_gap"] = min(report["reference_min_gap"], float(np.min(-np.diff(ranked))))
        want_top = Reference.top(want, args.top_k)
        if got["top_indices"][0].tolist() != want_top:
            report["top_mismatches"].append({"query": query, "got": got["top_indices"][0].tolist(), "want": want_top})

    for query, passages in CASES:
        compare(query, passages, infer(http, args.model, query, passages))
    report["truncated_pairs"] = ref.truncated
    compare(MANY[0], MANY[1], infer(http, args.model, *MANY))
    report["many_passages"] = len(MANY[1])

    # Concurrent requests of different passage counts share dynamic batches;
    # bad ones among them fail alone.
    bad = [
        ("", ["a passage"]),
        ("query", []),
        ("query", ["p"] * (args.max_passages + 1)),
        ("query", ["fine", ""]),
        ("query", ["fine", b"\xff\xfe bad"]),
        (b"\xc3\x28", ["fine"]),
    ]
    plan = [case for case in CASES for _ in range(3)] + bad
    before = executions(http, args.model)
    answers = all_at_once(f"127.0.0.1:{args.grpc_port}", args.model, plan)
    report["concurrent_executions"] = executions(http, args.model) - before
    report["concurrent_requests"] = len(plan)
    wrong = []
    for (query, passages), (got, error) in zip(plan[: -len(bad)], answers[: -len(bad)]):
        if error is not None:
            wrong.append({"query": query, "error": error})
            continue
        want = ref.scores(query, passages)
        if np.abs(got["scores"][0] - want).max() > 1e-5 or got["top_indices"][0].tolist() != Reference.top(want, args.top_k):
            wrong.append({"query": query, "got": got["scores"][0].tolist()})
    report["concurrent_wrong"] = wrong
    report["bad_errors"] = [error for _, error in answers[-len(bad):]]

    report["single_bad"] = {
        "empty_query": error_of(lambda: infer(http, args.model, "", ["x"])),
        "too_many": error_of(lambda: infer(http, args.model, "q", ["p"] * (args.max_passages + 1))),
    }
    if args.pair_model:
        report["pairs_per_row"] = check_pairs_per_row(args, http)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
