"""Soak/load run against a served faster-bert embedding model (loopback only).

`concurrency` workers send requests back to back for `duration` seconds (or
until `max_requests`): 1-4 rows each, texts of mixed length and script drawn
from a pool whose reference embeddings (HF tokenizers + ONNX Runtime + numpy,
test/e2e/embeddings_check.py) are computed first, and a share of bad
requests (empty text, an empty row among good ones, a wrong datatype, a
wrong shape) that must each get an error of their own. A good request
succeeds only when every row is its own text's embedding (cosine > 0.9999),
so swapped or mixed-up results count as unexpected. Prints one JSON object:
requests sent, succeeded, failed as expected, unexpected outcomes, lost (no
answer), latency percentiles of the good requests, the server's RSS at start,
every --rss-every seconds and at the end, whether its growth stayed within
--max-rss-growth-mib, and the server's statistics.
"""
import argparse
import asyncio
import json
import math
import os
import random
import sys
import time

import aiohttp
import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "test", "e2e"))
from embeddings_check import Reference  # noqa: E402

POOL_SIZE = 96  # texts with a reference embedding; good requests draw from them

WORDS = (
    "the quick brown fox jumps over a lazy dog while triton serves bert models with dynamic "
    "batching tokenization wordpiece embeddings pooling normalize request response latency"
).split()
CHINESE = "今天天气很好我们去公园散步吧我爱北京天安门中文分词测试句子"


def text_of(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        n = rng.randint(2, 12)
    elif kind < 0.8:
        n = rng.randint(20, 60)
    elif kind < 0.95:
        n = rng.randint(150, 400)  # over maxLength: truncated
    else:
        return "".join(rng.choice(CHINESE) for _ in range(rng.randint(5, 80)))
    return " ".join(rng.choice(WORDS) for _ in range(n))


BAD_KINDS = ("empty_text", "empty_row", "wrong_datatype", "wrong_shape")


def request_of(rng: random.Random, bad_share: float, pool):
    """(kind, JSON body, indices of the pool's texts): kind is 'good' or one of BAD_KINDS."""
    rows = rng.randint(1, 4)
    if rng.random() >= bad_share:
        picked = [rng.randrange(len(pool)) for _ in range(rows)]
        data = [pool[i] for i in picked]
        return "good", {"inputs": [{"name": "text", "shape": [rows, 1], "datatype": "BYTES", "data": data}]}, picked
    kind = rng.choice(BAD_KINDS)
    if kind == "empty_text":
        body = {"inputs": [{"name": "text", "shape": [1, 1], "datatype": "BYTES", "data": [""]}]}
    elif kind == "empty_row":
        data = [text_of(rng) for _ in range(rows)] + [""]
        body = {"inputs": [{"name": "text", "shape": [len(data), 1], "datatype": "BYTES", "data": data}]}
    elif kind == "wrong_datatype":
        body = {"inputs": [{"name": "text", "shape": [1, 1], "datatype": "INT32", "data": [7]}]}
    else:
        body = {"inputs": [{"name": "text", "shape": [1, 2], "datatype": "BYTES", "data": ["a", "b"]}]}
    return kind, body, []


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="utf8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[index]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--model", default="minilm_embeddings")
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--bad-share", type=float, default=0.05)
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--rss-every", type=float, default=30.0, help="seconds between RSS samples")
    parser.add_argument("--model-dir", default=os.path.join(REPO, "models", "all-MiniLM-L6-v2"))
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--max-rss-growth-mib", type=float, default=64.0,
                        help="RSS at the end may exceed RSS after warm-up by this much")
    args = parser.parse_args()

    pool_rng = random.Random(args.seed)
    pool = [text_of(pool_rng) for _ in range(POOL_SIZE)]
    reference = Reference(args.model_dir, args.max_length)
    want = np.array([reference.embed(t) for t in pool])
    hidden = want.shape[1]  # the model's width (384 for MiniLM)

    base = f"http://127.0.0.1:{args.http_port}"
    infer_url = f"{base}/v2/models/{args.model}/infer"
    counts = {"sent": 0, "succeeded": 0, "failed_as_expected": 0, "unexpected": 0, "lost": 0}
    bad_by_kind = {kind: 0 for kind in BAD_KINDS}
    unexpected_examples = []
    latencies_ms = []
    rows_ok = 0
    timeout = aiohttp.ClientTimeout(total=args.request_timeout)
    connector = aiohttp.TCPConnector(limit=args.concurrency)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        # Warm up (first engine calls compile kernels), then take the start RSS.
        for _ in range(8):
            async with session.post(infer_url, json=request_of(random.Random(0), 0.0, pool)[1]) as res:
                await res.read()
        rss_start = rss_kib(args.server_pid)
        started = time.monotonic()
        deadline = started + args.duration

        async def worker(index: int) -> None:
            nonlocal rows_ok
            rng = random.Random(args.seed * 1000 + index)
            while time.monotonic() < deadline and counts["sent"] < args.max_requests:
                kind, body, picked = request_of(rng, args.bad_share, pool)
                rows = len(picked)
                counts["sent"] += 1
                t0 = time.monotonic()
                try:
                    async with session.post(infer_url, json=body) as res:
                        payload = await res.json(content_type=None)
                        status = res.status
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    counts["lost"] += 1
                    if len(unexpected_examples) < 5:
                        unexpected_examples.append(f"lost {kind}: {error!r}")
                    continue
                elapsed_ms = (time.monotonic() - t0) * 1000
                if kind == "good":
                    out = (payload.get("outputs") or [{}])[0] if status == 200 else {}
                    right = False
                    if status == 200 and out.get("shape") == [rows, hidden]:
                        got = np.asarray(out.get("data"), dtype=np.float64).reshape(rows, hidden)
                        expected = want[picked]
                        cos = (got * expected).sum(1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1))
                        right = bool(cos.min() > 0.9999)
                    if right:
                        counts["succeeded"] += 1
                        rows_ok += rows
                        latencies_ms.append(elapsed_ms)
                    else:
                        counts["unexpected"] += 1
                        if len(unexpected_examples) < 5:
                            unexpected_examples.append(
                                f"good request got {status} (or values not its texts'): {str(payload)[:200]}")
                elif status == 400 and isinstance(payload.get("error"), str):
                    counts["failed_as_expected"] += 1
                    bad_by_kind[kind] += 1
                else:
                    counts["unexpected"] += 1
                    if len(unexpected_examples) < 5:
                        unexpected_examples.append(f"{kind} got {status}: {str(payload)[:200]}")

        rss_samples = []  # (seconds since start, KiB): growth that levels off is caches, steady growth a leak

        async def sample_rss() -> None:
            while time.monotonic() < deadline and counts["sent"] < args.max_requests:
                rss_samples.append((round(time.monotonic() - started), rss_kib(args.server_pid)))
                await asyncio.sleep(args.rss_every)

        await asyncio.gather(sample_rss(), *(worker(i) for i in range(args.concurrency)))
        wall = time.monotonic() - started
        rss_end = rss_kib(args.server_pid)
        async with session.get(f"{base}/v2/models/{args.model}/stats") as res:
            stats = (await res.json())["model_stats"][0]

    latencies_ms.sort()
    inference = stats["inference_stats"]
    report = {
        **counts,
        "bad_by_kind": bad_by_kind,
        "concurrency": args.concurrency,
        "duration_s": round(wall, 1),
        "requests_per_s": round(counts["sent"] / wall, 1),
        "rows_per_s": round(rows_ok / wall, 1),
        "latency_ms": {
            "p50": round(percentile(latencies_ms, 0.50), 1) if latencies_ms else None,
            "p90": round(percentile(latencies_ms, 0.90), 1) if latencies_ms else None,
            "p99": round(percentile(latencies_ms, 0.99), 1) if latencies_ms else None,
            "max": round(latencies_ms[-1], 1) if latencies_ms else None,
        },
        "rss_kib": {"start": rss_start, "end": rss_end, "samples": rss_samples + [(round(wall), rss_end)]},
        "rss_growth_mib": round((rss_end - rss_start) / 1024, 1),
        "rss_within_bound": (rss_end - rss_start) / 1024 <= args.max_rss_growth_mib,
        "max_rss_growth_mib": args.max_rss_growth_mib,
        "server_stats": {
            "success": inference["success"]["count"],
            "fail": inference["fail"]["count"],
            "inference_count": stats["inference_count"],
            "execution_count": stats["execution_count"],
            "mean_rows_per_execution": round(stats["inference_count"] / max(1, stats["execution_count"]), 2),
            "mean_queue_ms": round(inference["queue"]["ns"] / max(1, inference["queue"]["count"]) / 1e6, 2),
            "mean_compute_input_ms": round(inference["compute_input"]["ns"] / max(1, inference["compute_input"]["count"]) / 1e6, 2),
            "mean_compute_infer_ms": round(inference["compute_infer"]["ns"] / max(1, inference["compute_infer"]["count"]) / 1e6, 2),
            "mean_compute_output_ms": round(inference["compute_output"]["ns"] / max(1, inference["compute_output"]["count"]) / 1e6, 2),
        },
        "unexpected_examples": unexpected_examples,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
