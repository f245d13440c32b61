"""The engine alone: the served model's engine timed in the bench process on
batches of the sizes Triton formed, and the served runs' numbers derived
from it (issue 21's "served against the engine alone")."""
import threading
import time

import numpy as np

ENGINE_BATCH_SIZES = (1, 2, 4, 8, 16, 32)


def engine_calls(lengths, max_batch_tokens):
    """The engine calls our pipeline cuts one dynamic batch into under a
    token budget (backend-cpp/pipeline/engine_call_plan.h, call cost 0):
    rows longest first, packed greedily while rows x longest <= the budget.
    Lists of row indices; one call of every row when the budget is 0."""
    if not max_batch_tokens:
        return [list(range(len(lengths)))]
    calls = []
    for row in sorted(range(len(lengths)), key=lambda i: -lengths[i]):  # stable: ties keep order
        if calls and (len(calls[-1]) + 1) * lengths[calls[-1][0]] <= max_batch_tokens:
            calls[-1].append(row)
        else:
            calls.append([row])
    return calls


def engine_alone(reference, texts, min_seconds, max_batch_tokens=0, sizes=ENGINE_BATCH_SIZES):
    """Engine-only time for batches cut in order from `texts` (cycled), as
    the dynamic batcher cuts them: pre-tokenized, padded to each batch's
    longest. With `max_batch_tokens`, each batch is split into the engine
    calls our pipeline makes under that budget (each call padded to its
    longest) and a batch's time is the sum of its calls. With several infer
    requests (a stream per served instance) each runs batches on its own
    thread at once, as the instances do; a batch's time is then a stream's
    (wall time x streams / batches) and rows_per_s what all streams make.
    {batch size (of `sizes`): {ms_per_batch, rows_per_s, batches, streams}}."""
    results = {}
    requests = reference.requests
    for b in sizes:
        count = max(4, len(texts) // b)  # distinct batches, cycled
        batches = []
        for i in range(count):
            batch = [texts[(i * b + j) % len(texts)] for j in range(b)]
            lengths = [int(n) for n in reference.encode(batch)["attention_mask"].sum(1)]
            batches.append([reference.encode([batch[r] for r in call])
                            for call in engine_calls(lengths, max_batch_tokens)])
        for request in requests:  # warm-up
            for calls in batches[:2]:
                for inputs in calls:
                    request.infer(inputs)
        times = [[] for _ in requests]

        def run(k, request, start):
            i = k
            while time.perf_counter() - start < min_seconds or len(times[k]) < 3:
                t = time.perf_counter()
                for inputs in batches[i % count]:
                    request.infer(inputs)  # OpenVINO lets go of the GIL while it computes
                times[k].append(time.perf_counter() - t)
                i += len(requests)

        start = time.perf_counter()
        threads = [threading.Thread(target=run, args=(k, r, start)) for k, r in enumerate(requests)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
        done = sum(len(t) for t in times)
        results[b] = {
            "ms_per_batch": 1e3 * wall * len(requests) / done,
            "ms_per_batch_median": 1e3 * float(np.median([x for t in times for x in t])),
            "rows_per_s": b * done / wall,
            "batches": done,
            "calls_per_batch": sum(len(c) for c in batches) / count,
            "streams": len(requests),
        }
    return results


def engine_us_per_row(engine, batch_size):
    """Engine time per row at a batch size, interpolated between the
    measured sizes (linear in the batch size)."""
    sizes = sorted(engine)
    ms = [engine[b]["ms_per_batch"] for b in sizes]
    batch_ms = float(np.interp(batch_size, sizes, ms))
    return 1e3 * batch_ms / batch_size


def derive(runs, engines):
    for run in runs:
        if run.get("throughput") is None:
            continue
        engine = engines.get(run["set"])
        run["wall_us_per_inf"] = 1e6 / run["throughput"] if run["throughput"] > 0 else None
        batches = run.get("batches") or {}
        rows = sum(size * v["executions"] for size, v in batches.items())
        executions = sum(v["executions"] for v in batches.values())
        if rows and engine:
            run["avg_batch"] = rows / executions
            run["backend_us_per_inf"] = sum(v["ns"] for v in batches.values()) / 1e3 / rows
            run["engine_us_per_inf"] = sum(
                v["executions"] * size * engine_us_per_row(engine, size)
                for size, v in batches.items()) / rows
            run["non_engine_us_per_inf"] = run["backend_us_per_inf"] - run["engine_us_per_inf"]
            if all("infer_ns" in v for v in batches.values()):
                # Per execution, the backend's three phases (input: reading the requests and
                # tokenizing; infer: the engine and pooling; output: the responses) beside the
                # engine alone on a batch of the same size: infer over it says whether the engine
                # itself runs slower in the server than alone.
                for phase in ("input", "infer", "output"):
                    run[f"{phase}_us_per_batch"] = sum(v[f"{phase}_ns"] for v in batches.values()) \
                        / 1e3 / executions
                run["engine_alone_us_per_batch"] = run["engine_us_per_inf"] * rows / executions
                run["served_infer_over_alone"] = run["infer_us_per_batch"] / run["engine_alone_us_per_batch"]
            # The engine alone's rows/s on batches of the sizes Triton formed (a stream's time per
            # row, with as many streams running at once as it timed), and served rows/s over it.
            streams = engine[max(engine)].get("streams", 1)
            run["engine_same_batches_rows_per_s"] = streams * 1e6 / run["engine_us_per_inf"]
            run["engine_same_batches_share"] = run["throughput"] / run["engine_same_batches_rows_per_s"]
        if engine and 32 in engine:
            run["engine_b32_share"] = run["throughput"] / engine[32]["rows_per_s"]
        if engine:
            run["engine_peak_share"] = run["throughput"] / max(e["rows_per_s"] for e in engine.values())
