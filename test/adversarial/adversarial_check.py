"""Hostile requests against one tritonserver that serves the embeddings, QA,
NER and rerank examples with test-only faults injected
(FASTERBERT_FAULT_INJECTION: rows holding the --throw-word make the engine
throw, rows holding the --nan-word come back NaN, a row whose text is
--batch-fault-text makes the whole batch throw).

While the hostile requests run, worker threads send good embedding requests
and compare every answer with the reference (HF tokenizers + ONNX Runtime +
numpy, test/e2e/embeddings_check.py). Prints one JSON report: per case the
HTTP status, the message and the seconds it took; the good requests'
mismatches; the server's RSS before, at its peak and after; whether it is
still alive. Loopback only; every loop is bounded.
"""
import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from e2e_client import infer_all_at_once  # noqa: E402
from embeddings_check import Reference, cosines  # noqa: E402

EMBEDDINGS = "minilm_embeddings"
QA = "extractive_qa"
NER = "ner_tagger"
RERANK = "passage_reranker"
GOOD_TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Triton serves many models at once.",
    "我爱北京天安门",
    "A longer sentence about dynamic batching, tokenization and pooling in one process.",
    "emoji 🙂 and accents: café, naïve",
]


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def post_json(port, model, body, timeout=120):
    """(HTTP status, parsed body, seconds) of one JSON infer request."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v2/models/{model}/infer", data=json.dumps(body).encode(),
        headers={"content-type": "application/json"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, payload = e.code, e.read()
    seconds = time.monotonic() - start
    try:
        parsed = json.loads(payload)
    except ValueError:
        parsed = {"raw": payload[:200].decode("utf-8", "replace")}
    return status, parsed, seconds


def text_input(name, texts, shape=None):
    return {"name": name, "datatype": "BYTES", "shape": shape or [len(texts), 1], "data": texts}


def case(port, model, inputs, outputs=None):
    body = {"inputs": inputs}
    if outputs is not None:
        body["outputs"] = [{"name": o} for o in outputs]
    status, parsed, seconds = post_json(port, model, body)
    return {"status": status, "error": parsed.get("error"), "seconds": round(seconds, 3),
            "outputs": {o["name"]: o["shape"] for o in parsed.get("outputs", [])},
            "data": {o["name"]: o.get("data") for o in parsed.get("outputs", [])}}


def binary_case(port, model, columns):
    """Binary BYTES tensors (a list too large for JSON); columns: name -> 2-D object array."""
    client = httpclient.InferenceServerClient(f"127.0.0.1:{port}", network_timeout=300)
    inputs = []
    for name, array in columns.items():
        inp = httpclient.InferInput(name, list(array.shape), "BYTES")
        inp.set_data_from_numpy(array, binary_data=True)
        inputs.append(inp)
    start = time.monotonic()
    try:
        client.infer(model, inputs)
        status, error = 200, None
    except InferenceServerException as e:
        status, error = int(e.status() or 0), e.message()
    return {"status": status, "error": error, "seconds": round(time.monotonic() - start, 3)}


class GoodTraffic:
    """Threads sending good embedding requests until stopped; every answer is
    compared with the reference embedding of its own texts."""

    def __init__(self, port, reference, threads=3):
        self.port = port
        self.want = {t: reference.embed(t) for t in GOOD_TEXTS}
        self.stop = threading.Event()
        self.sent = self.correct = 0
        self.wrong = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, seed):
        rng = np.random.default_rng(seed)
        deadline = time.monotonic() + 600  # bounded even if never stopped
        while not self.stop.is_set() and time.monotonic() < deadline:
            texts = [GOOD_TEXTS[i] for i in rng.integers(0, len(GOOD_TEXTS), size=rng.integers(1, 4))]
            status, parsed, _ = post_json(self.port, EMBEDDINGS, {"inputs": [text_input("text", texts)]})
            ok = status == 200
            if ok:
                got = np.array(parsed["outputs"][0]["data"], dtype=np.float64).reshape(len(texts), -1)
                ok = min(cosines(got, [self.want[t] for t in texts])) > 0.99999
            with self.lock:
                self.sent += 1
                if ok:
                    self.correct += 1
                elif len(self.wrong) < 5:
                    self.wrong.append({"texts": texts, "status": status, "body": str(parsed)[:300]})

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def stats(port, model):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/models/{model}/stats") as r:
        s = json.load(r)["model_stats"][0]
    return s["inference_count"], s["execution_count"]


def shared_batch(grpc_port, texts_per_request):
    """Sends every request before reading any answer (the batcher merges
    them); returns [(embedding rows, None) or (None, error message)]."""
    return infer_all_at_once(f"127.0.0.1:{grpc_port}", EMBEDDINGS,
                             [({"text": texts}, ["embedding"]) for texts in texts_per_request])


def check_shared(answers, texts_per_request, want, bad):
    """Good requests of a shared batch got their own reference embeddings."""
    wrong = []
    for texts, (outputs, error) in zip(texts_per_request, answers):
        if bad(texts):
            continue
        if error is not None or min(cosines(outputs["embedding"], [want(t) for t in texts])) <= 0.99999:
            wrong.append({"texts": texts, "error": error})
    return wrong


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--server-pid", type=int, required=True)
    ap.add_argument("--embedding-model-dir", required=True)
    ap.add_argument("--throw-word", required=True)
    ap.add_argument("--nan-word", required=True)
    ap.add_argument("--batch-fault-text", required=True)
    args = ap.parse_args()
    port = args.http_port
    reference = Reference(args.embedding_model_dir, 256)
    report = {"rss_mib_before": rss_mib(args.server_pid)}
    peak = [report["rss_mib_before"]]
    sampling = threading.Event()

    def sample_rss():
        while not sampling.wait(0.2):
            peak[0] = max(peak[0], rss_mib(args.server_pid))

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    cases = {}
    with GoodTraffic(port, reference) as good:
        # 1. The QA repro: a 1 MiB context of "!" (one token per byte).
        context = "!" * (1024 * 1024 - 1)
        cases["qa_1mib_context"] = case(port, QA, [text_input("question", ["a"]), text_input("context", [context])])
        cases["qa_16_rows_of_1mib"] = case(
            port, QA, [text_input("question", ["a"] * 16), text_input("context", [context] * 16)])
        cases["qa_within_max_windows"] = case(
            port, QA, [text_input("question", ["what is it?"]), text_input("context", ["word " * 300])])
        # 2. Texts at and over the 1 MiB byte limit.
        at_limit = ("hello world " * 100000)[: 1024 * 1024]
        cases["embedding_1mib_text"] = case(port, EMBEDDINGS, [text_input("text", [at_limit])])
        if cases["embedding_1mib_text"]["status"] == 200:
            got = np.array(cases["embedding_1mib_text"]["data"]["embedding"], dtype=np.float64).reshape(1, -1)
            cases["embedding_1mib_text"]["cosine"] = cosines(got, [reference.embed(at_limit)])[0]
        cases["embedding_over_1mib"] = case(port, EMBEDDINGS, [text_input("text", [at_limit + "x"])])
        cases["ner_1mib_text"] = case(port, NER, [text_input("text", [at_limit] * 4)], outputs=["entities"])
        # 3. Zero rows, multi-string queries, a huge passage list.
        cases["embedding_zero_rows"] = case(port, EMBEDDINGS, [text_input("text", [], shape=[0, 1])])
        cases["rerank_two_queries"] = case(
            port, RERANK, [text_input("query", ["q1", "q2"], shape=[1, 2]), text_input("passages", ["p"], shape=[1, 1])])
        cases["rerank_two_rows"] = case(
            port, RERANK, [text_input("query", ["q1", "q2"], shape=[2, 1]),
                           text_input("passages", ["p", "p", "p", "p"], shape=[2, 2])])
        many = np.array([[b"" for _ in range(4_000_000)]], dtype=np.object_)
        cases["rerank_4m_empty_passages"] = binary_case(
            port, RERANK, {"query": np.array([[b"query"]], dtype=np.object_), "passages": many})
        del many
        # 4. Faults injected into the engine and the batch.
        cases["engine_throw"] = case(port, EMBEDDINGS, [text_input("text", [f"a {args.throw_word} erupted"])])
        cases["engine_nan"] = case(port, EMBEDDINGS, [text_input("text", [f"the {args.nan_word} melted"])])
        cases["ner_nan"] = case(port, NER, [text_input("text", [f"the {args.nan_word} in Norway"])])
        cases["rerank_nan_passage"] = case(
            port, RERANK, [text_input("query", ["which one?"]),
                           text_input("passages", ["fine", f"a {args.nan_word}", "also fine"], shape=[1, 3])])
        # On NER: a batch that throws fails every request in it, so not on the good traffic's model.
        cases["batch_throw"] = case(port, NER, [text_input("text", [args.batch_fault_text])], outputs=["entities"])

        # 5. Shared batches: faulty requests beside good ones in one execution.
        texts = [["shared batch one"], [f"with {args.throw_word}"], ["shared batch two", "and three"],
                 [f"{args.nan_word} here"], ["shared batch four"]] * 4
        inferences, executions = stats(port, EMBEDDINGS)
        answers = shared_batch(args.grpc_port, texts)
        inferences2, executions2 = stats(port, EMBEDDINGS)
        bad = lambda ts: any(args.throw_word in t or args.nan_word in t for t in ts)  # noqa: E731
        report["shared_batch"] = {
            "requests": len(texts),
            "executions": executions2 - executions,
            "inferences": inferences2 - inferences,
            "wrong_good": check_shared(answers, texts, reference.embed, bad),
            "bad_errors": sorted({str(error)[:200] for ts, (_, error) in zip(texts, answers) if bad(ts)}),
        }
        time.sleep(1.0)  # good traffic keeps running over the server after the faults
    sampling.set()
    sampler.join()
    report["cases"] = {k: {kk: vv for kk, vv in v.items() if kk != "data"} for k, v in cases.items()}
    report["good_traffic"] = {"sent": good.sent, "correct": good.correct, "wrong": good.wrong}
    report["rss_mib_peak"] = peak[0]
    time.sleep(0.5)
    report["rss_mib_after"] = rss_mib(args.server_pid)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/health/ready", timeout=10) as r:
            report["ready_after"] = r.status == 200
    except OSError:
        report["ready_after"] = False
    print(json.dumps(report))


if __name__ == "__main__":
    main()
