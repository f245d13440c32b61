"""Steady load through the balancer: `concurrency` workers over one aiohttp
session (keep-alive connections), each sending embedding requests of 1-4
texts back to back until told to stop. Every request ends in exactly one
outcome, recorded with its start and end time:

  ok         200 and every row within COSINE of its reference embedding
  wrong      200 but a row that is not its text's embedding (wrong or swapped)
  error      an explicit error: an HTTP status other than 200 with its message
  timeout    no answer within the client's timeout (a hung request)
  transport  the connection closed without an HTTP answer (the client learns
             it at once; HAProxy does this, without retries, when a replica
             dies under a request that was not its connection's first)

Requests are counted when sent and when they end; `in_flight` after the
workers have stopped holds any that vanished (none should)."""
import asyncio
import json
import random
import threading
import time

import aiohttp
import numpy as np

# As test/e2e/embeddings.test.ts: OpenVINO f32 against ONNX Runtime f32.
COSINE = 0.99999
OUTPUT = "embedding"


class Outcome:
    __slots__ = ("path", "start", "end", "kind", "status", "message", "served_by", "retries", "version", "rows")

    def __init__(self, path, start):
        self.path = path
        self.start = start
        self.end = None
        self.kind = None
        self.status = None
        self.message = None
        self.served_by = None
        self.retries = 0
        self.version = None
        self.rows = 0

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}


def parse_embeddings(body, header_length):
    """Triton's binary response: a JSON header of header_length bytes, then
    the FP32 rows of the output requested with binary_data."""
    header = json.loads(body[:header_length])
    out = next(o for o in header["outputs"] if o["name"] == OUTPUT)
    rows, dim = out["shape"]
    values = np.frombuffer(body[header_length:header_length + rows * dim * 4], dtype="<f4")
    return header, values.reshape(rows, dim).astype(np.float64)


def min_cosine(got, want):
    got = got / np.linalg.norm(got, axis=1, keepdims=True)
    want = want / np.linalg.norm(want, axis=1, keepdims=True)
    return float(np.min(np.sum(got * want, axis=1)))


class Load:
    """paths: {path name: (base URL, worker count)}, e.g. the balancer's
    frontend with retries and the one without."""

    def __init__(self, paths, model, texts, references, timeout_s, seed=7):
        self.paths = paths
        self.model = model
        self.texts = texts
        self.references = np.asarray(references, dtype=np.float64)
        self.timeout_s = timeout_s
        self.seed = seed
        self.t0 = None
        self.outcomes = []
        self.in_flight = {}
        self.sent = 0
        self._stop = None
        self._loop = None
        self._thread = None

    def now(self):
        return time.monotonic() - self.t0

    def start(self):
        """Runs the workers on their own thread and event loop; returns at once."""
        self.t0 = time.monotonic()
        ready = threading.Event()

        def run():
            self._loop = asyncio.new_event_loop()
            self._stop = asyncio.Event()
            ready.set()
            self._loop.run_until_complete(self._run())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="load", daemon=True)
        self._thread.start()
        ready.wait()

    def stop(self):
        """Stops sending; waits for the requests in flight (each bounded by the
        client timeout)."""
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=self.timeout_s + 30)
        if self._thread.is_alive():
            raise RuntimeError("load workers did not stop")

    async def _run(self):
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            workers = []
            for path, (base_url, count) in self.paths.items():
                for i in range(count):
                    rng = random.Random(f"{self.seed}-{path}-{i}")
                    workers.append(self._worker(session, path, base_url, rng))
            await asyncio.gather(*workers)

    async def _worker(self, session, path, base_url, rng):
        url = f"{base_url}/v2/models/{self.model}/infer"
        while not self._stop.is_set():
            picks = [rng.randrange(len(self.texts)) for _ in range(rng.randint(1, 4))]
            body = json.dumps({
                "inputs": [{"name": "text", "shape": [len(picks), 1], "datatype": "BYTES",
                            "data": [self.texts[i] for i in picks]}],
                "outputs": [{"name": OUTPUT, "parameters": {"binary_data": True}}],
            }).encode()
            outcome = Outcome(path, self.now())
            outcome.rows = len(picks)
            self.sent += 1
            key = id(outcome)
            self.in_flight[key] = outcome
            try:
                # The session timeout bounds the request; wait_for is a second
                # guard so that nothing can hang the worker.
                await asyncio.wait_for(self._send(session, url, body, picks, outcome), self.timeout_s + 5)
            except asyncio.TimeoutError:
                outcome.kind, outcome.message = "timeout", f"no answer in {self.timeout_s} s"
            except aiohttp.ClientError as error:
                outcome.kind, outcome.message = "transport", repr(error)
            outcome.end = self.now()
            del self.in_flight[key]
            self.outcomes.append(outcome)

    async def _send(self, session, url, body, picks, outcome):
        async with session.post(url, data=body, headers={"content-type": "application/json"}) as res:
            payload = await res.read()
            outcome.status = res.status
            outcome.served_by = res.headers.get("X-Served-By")
            outcome.retries = int(res.headers.get("X-Retries", "0") or 0)
            if res.status != 200:
                outcome.kind = "error"
                outcome.message = payload[:300].decode("utf-8", "replace")
                return
            header_length = res.headers.get("Inference-Header-Content-Length")
            if header_length is None:
                outcome.kind, outcome.message = "wrong", "200 without a binary output"
                return
            header, got = parse_embeddings(payload, int(header_length))
            outcome.version = header.get("model_version")
            if got.shape != (len(picks), self.references.shape[1]):
                outcome.kind, outcome.message = "wrong", f"shape {list(got.shape)}"
                return
            cosine = min_cosine(got, self.references[picks])
            if cosine >= COSINE:
                outcome.kind = "ok"
            else:
                outcome.kind, outcome.message = "wrong", f"min cosine {cosine:.6f}"
