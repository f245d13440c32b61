"""End-to-end check of a served embedding pipeline against an independent
reference: HF tokenizers + ONNX Runtime (Python) + numpy mean-pool (or the
first token's state, --pooling cls) + L2. With --prompt, the reference puts
the prompt in front of each text itself, as sentence-transformers does, and
the report also says how close the served embeddings are to those of the
texts without it.

Prints one JSON object with what it measured; the vitest file asserts on it.
"""
import argparse
import json
import re
import sys

import numpy as np
import onnxruntime as ort
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from tokenizers import Tokenizer

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello!",
    "a",
    "Triton serves BERT models with dynamic batching.",
    "Café au lait, naïve façade, coöperate — résumé.",
    "ÀÉÎÕÜ ñ Ç ß ø å",
    "今天天气很好,我们去公园散步吧。",
    "我爱北京天安门",
    "Mixed 中文 and English text, with numbers 12345 and symbols €©™.",
    "Emoji are not words 😀🎉👍 but they still get tokens.",
    "Punctuation!!! ??? ... ;;; :-) (parentheses) [brackets] {braces}",
    "   leading and trailing whitespace   ",
    "tab\tseparated\tvalues and\nnew lines\r\nin text",
    "UPPERCASE TEXT SHOULD BE LOWERCASED BY THE TOKENIZER",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "http://example.com/path?query=1&other=2#fragment",
    "user@example.com sent 3.14159 to +1-555-0100",
    "Ｆｕｌｌ－ｗｉｄｔｈ ｆｏｒｍｓ ａｎｄ ＡＢＣ",
    "Zero\u200bwidth\u200dspace and soft\u00adhyphen",
    "Ελληνικά κείμενα και русский текст",
    "한국어 문장과 日本語の文章",
    "x" * 150,
    " ".join(["long"] * 400),
    " ".join(f"word{i} of a sentence that keeps going" for i in range(80)),
    "How do I serve a sentence-transformers model on Triton with TensorRT?",
    "The m3e-base model is a BERT encoder for Chinese sentence embeddings.",
    "Mean pooling averages the token embeddings where the attention mask is one.",
    "Normalization makes cosine similarity a dot product.",
    "What is the capital of France?",
    "Paris is the capital and most populous city of France.",
    "1 2 3 4 5 6 7 8 9 10",
    "[CLS] and [SEP] written in the text itself",
    "don't won't can't shouldn't",
    "Ünïcödé nörmälïzätïön",
    "¿Dónde está la biblioteca?",
    "中文标点:“引号”、『书名号』【括号】",
    "A sentence with\u3000ideographic space",
    "mañana",
    "The end.",
    "faster-bert replaces a Python model.py with generated native code.",
]

BAD_CASES = {
    "empty": [b""],
    "invalid_utf8": [b"valid start \xff\xfe invalid"],
    "truncated_utf8": [b"cut \xe4\xbd"],
}


class Reference:
    def __init__(self, model_dir, max_length, pooling="mean", prompt=""):
        self.pooling = pooling
        self.prompt = prompt
        self.tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(f"{model_dir}/model.onnx", opts, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}

    def embed(self, text, prompted=True):
        # sentence-transformers: prompt + text, one string, then the tokenizer.
        enc = self.tokenizer.encode(self.prompt + text if prompted else text)
        feeds = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        feeds = {k: v for k, v in feeds.items() if k in self.input_names}
        hidden = self.session.run(None, feeds)[0][0].astype(np.float64)
        mask = feeds["attention_mask"][0].astype(np.float64)[:, None]
        if self.pooling == "cls":
            pooled = hidden[0]
        else:
            pooled = (hidden * mask).sum(0) / max(mask.sum(), 1e-9)
        return pooled / max(np.linalg.norm(pooled), 1e-12)


def cosines(got, want):
    got = np.asarray(got, dtype=np.float64)
    return [float(np.dot(g, w) / (np.linalg.norm(g) * np.linalg.norm(w))) for g, w in zip(got, want)]


def bytes_rows(texts):
    return np.array([[t.encode("utf-8") if isinstance(t, str) else t] for t in texts], dtype=np.object_)


def http_request(rows, output, datatype="BYTES"):
    inp = httpclient.InferInput("text", list(rows.shape), datatype)
    inp.set_data_from_numpy(rows, binary_data=True)
    return [inp], [httpclient.InferRequestedOutput(output, binary_data=True)]


def http_infer(client, model, output, rows, datatype="BYTES"):
    inputs, outputs = http_request(rows, output, datatype)
    return client.infer(model, inputs, outputs=outputs).as_numpy(output)


def http_send_all(client, model, output, texts, blocker=None):
    """Sends one single-row request per text at once (the HTTP client is
    gevent-based: its async_infer, not threads, gives real concurrency), so
    the dynamic batcher merges them. Returns (embedding, None) or (None, error).

    blocker: rows sent first as one request; while the single instance runs
    it, the requests after it queue up, so the next execution takes several of
    them whatever the machine's load (the queue delay alone is 1 ms)."""
    pending = []
    if blocker is not None:
        inputs, outputs = http_request(blocker, output)
        blocking = client.async_infer(model, inputs, outputs=outputs)
    for t in texts:
        inputs, outputs = http_request(bytes_rows([t]), output)
        pending.append(client.async_infer(model, inputs, outputs=outputs))
    results = []
    for p in pending:
        try:
            results.append((p.get_result().as_numpy(output)[0], None))
        except Exception as e:  # noqa: BLE001 - a per-request error is an answer here
            results.append((None, str(e)))
    if blocker is not None:
        blocking.get_result()
    return results


def grpc_infer(client, model, output, rows):
    inp = grpcclient.InferInput("text", list(rows.shape), "BYTES")
    inp.set_data_from_numpy(rows)
    result = client.infer(model, [inp], outputs=[grpcclient.InferRequestedOutput(output)])
    return result.as_numpy(output)


MIXED_ROUNDS = 10
# The backend's verbose line per execution (backend-cpp/triton/instance_state.cc).
EXECUTION_LINE = re.compile(r"requests=(\d+) rows=\d+ engine_calls=\d+ failed_requests=(\d+)")


def mixed_executions_logged(log_path):
    """Executions in the server log that held good and bad requests together."""
    with open(log_path, encoding="utf-8", errors="replace") as f:
        counts = [(int(m[1]), int(m[2])) for m in EXECUTION_LINE.finditer(f.read())]
    return sum(1 for requests, failed in counts if 0 < failed < requests)


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any client error is the answer we want
        return str(e) or type(e).__name__
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--output", default="embedding")
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--pooling", choices=["mean", "cls"], default="mean")
    ap.add_argument("--prompt", default="", help="the text the reference puts in front of each sentence")
    ap.add_argument("--server-log", help="tritonserver's verbose log: repeat the mixed round until it shows a mixed execution")
    args = ap.parse_args()

    ref = Reference(args.model_dir, args.max_length, args.pooling, args.prompt)
    want = [ref.embed(s) for s in SENTENCES]
    report = {"sentences": len(SENTENCES)}

    http = httpclient.InferenceServerClient(f"127.0.0.1:{args.http_port}", concurrency=32, network_timeout=120)
    grpc = grpcclient.InferenceServerClient(f"127.0.0.1:{args.grpc_port}")

    # One request holding all rows (a client-side batch), over HTTP and gRPC.
    rows = bytes_rows(SENTENCES[:32])
    report["http_batch_min_cosine"] = min(cosines(http_infer(http, args.model, args.output, rows), want[:32]))
    report["grpc_batch_min_cosine"] = min(cosines(grpc_infer(grpc, args.model, args.output, rows), want[:32]))

    # One row per request, each alone.
    singles = [http_infer(http, args.model, args.output, bytes_rows([s]))[0] for s in SENTENCES]
    report["http_single_min_cosine"] = min(cosines(singles, want))
    report["output_dim"] = int(len(singles[0]))
    if args.prompt:
        # Served with the prompt, every sentence's embedding differs from the one without it.
        report["unprompted_max_cosine"] = max(cosines(singles, [ref.embed(s, prompted=False) for s in SENTENCES]))

    # Concurrent single-row requests that the dynamic batcher merges. They
    # queue behind a long client-side batch (the blocker, see http_send_all):
    # a loaded machine's client can send them further apart than the queue
    # delay, and then each would run alone. The counts include the blocker.
    blocker = bytes_rows([s for s in SENTENCES if len(s) > 400] * 4)
    stats_before = http.get_inference_statistics(args.model)["model_stats"][0]
    concurrent = http_send_all(http, args.model, args.output, SENTENCES * 3, blocker)
    stats_after = http.get_inference_statistics(args.model)["model_stats"][0]
    report["concurrent_failed"] = sum(1 for _, e in concurrent if e is not None)
    report["concurrent_min_cosine"] = min(cosines([v for v, _ in concurrent], want * 3))
    report["concurrent_requests"] = len(concurrent) + 1
    report["concurrent_rows"] = len(concurrent) + len(blocker)
    report["concurrent_inferences"] = int(stats_after["inference_count"]) - int(stats_before["inference_count"])
    report["concurrent_executions"] = int(stats_after["execution_count"]) - int(stats_before["execution_count"])

    # Bad requests: each gets its own error.
    errors = {}
    for name, bad in BAD_CASES.items():
        errors[name] = error_of(lambda bad=bad: http_infer(http, args.model, args.output, bytes_rows(bad)))
    errors["wrong_datatype"] = error_of(
        lambda: http_infer(http, args.model, args.output, np.array([[1]], dtype=np.int32), datatype="INT32"))
    errors["wrong_shape"] = error_of(
        lambda: http_infer(http, args.model, args.output, np.array([[b"a", b"b"]], dtype=np.object_)))
    errors["too_large_batch"] = error_of(
        lambda: http_infer(http, args.model, args.output, bytes_rows(["x"] * 1000)))
    report["bad_request_errors"] = errors

    # Good and bad requests sent together, so the batcher mixes them in one
    # execution: the good ones still get the right answer. They queue behind a
    # long client-side batch (the blocker) that keeps the one instance busy;
    # rounds still repeat until the server log shows an execution that held
    # both, at most MIXED_ROUNDS times, in case a round's requests arrive late.
    bad_texts = list(BAD_CASES.values())
    plan = [("good", i) if i % 3 else ("bad", i) for i in range(24)]
    texts = [SENTENCES[i] if kind == "good" else bad_texts[i % len(bad_texts)][0] for kind, i in plan]
    totals = {"executions": 0, "requests": 0, "good_ok": 0, "good_sent": 0, "bad_errors": 0, "bad_sent": 0}
    good_cosines = []
    rounds = 0
    while rounds < MIXED_ROUNDS:
        rounds += 1
        stats_before = http.get_inference_statistics(args.model)["model_stats"][0]
        mixed = http_send_all(http, args.model, args.output, texts, blocker)
        stats_after = http.get_inference_statistics(args.model)["model_stats"][0]
        totals["executions"] += int(stats_after["execution_count"]) - int(stats_before["execution_count"])
        totals["requests"] += len(plan)
        good = [(i, v) for (kind, i), (v, e) in zip(plan, mixed) if kind == "good" and e is None]
        totals["good_ok"] += len(good)
        totals["good_sent"] += sum(1 for kind, _ in plan if kind == "good")
        totals["bad_errors"] += sum(1 for (kind, _), (_, e) in zip(plan, mixed) if kind == "bad" and e is not None)
        totals["bad_sent"] += sum(1 for kind, _ in plan if kind == "bad")
        good_cosines += cosines([v for _, v in good], [want[i] for i, _ in good]) if good else []
        if args.server_log is None or mixed_executions_logged(args.server_log) > 0:
            break
    for key, value in totals.items():
        report[f"mixed_{key}"] = value
    report["mixed_rounds"] = rounds
    report["mixed_good_min_cosine"] = min(good_cosines) if good_cosines else None

    # The server is still up and answers correctly afterwards.
    after = http_infer(http, args.model, args.output, bytes_rows([SENTENCES[0]]))
    report["after_errors_cosine"] = cosines(after, want[:1])[0]
    report["server_live"] = bool(http.is_server_live())

    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
