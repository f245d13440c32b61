"""Summarizes one or more results.tgz of tools/device/gpu_e2e/run.sh into a
JSON file and the markdown tables of bench/reports/<date>-h100.md.

Triton's statistics add a batch's compute time once per request of the
batch, so per-batch times here are the per-request sums divided by the
request count.

usage: summarize.py OUT.json RUN_NAME=results.tgz [RUN_NAME=results.tgz ...]
"""
import csv
import io
import json
import sys
import tarfile

SYSTEMS = {"bert_base_gpu_embeddings": "ours", "bert_py_gpu": "python"}


def read_run(path):
    tar = tarfile.open(path)
    files = {m.name.lstrip("./"): m for m in tar.getmembers() if m.isfile()}
    text = lambda name: tar.extractfile(files[name]).read().decode()  # noqa: E731
    run = {"perf": {}, "check": None, "engine_bench": {}, "engine_alone": None}
    if "check.json" in files:
        run["check"] = json.loads(text("check.json"))
    # engine_bench_<set>.jsonl (earlier runs: phases) or engine_bench_<set>_t<threads>.jsonl
    # (the pipeline against the engine alone, per tokenizer thread count).
    for name in sorted(files):
        if name.startswith("engine_bench_") and name.endswith(".jsonl"):
            key = name[len("engine_bench_"):-len(".jsonl")]
            run["engine_bench"][key] = [json.loads(line) for line in text(name).splitlines() if line.startswith("{")]
    if "engine_alone.json" in files and text("engine_alone.json").strip():
        run["engine_alone"] = json.loads(text("engine_alone.json"))
    for name in files:
        if not (name.startswith("perf/") and name.endswith(".after.json")):
            continue
        tag = name[len("perf/"):-len(".after.json")]
        text_set, conc, model = tag.split("_", 2)
        after = json.loads(text(name))["model_stats"][0]
        before = json.loads(text(name.replace(".after", ".before")))["model_stats"][0]
        n = after["inference_stats"]["success"]["count"] - before["inference_stats"]["success"]["count"]
        delta = lambda k: (after["inference_stats"][k]["ns"] - before["inference_stats"][k]["ns"]) / max(n, 1) / 1e3  # noqa: E731
        executions = after["execution_count"] - before["execution_count"]
        row = {"avg_batch": (after["inference_count"] - before["inference_count"]) / max(executions, 1),
               "compute_input_us": delta("compute_input"), "compute_infer_us": delta("compute_infer"),
               "compute_output_us": delta("compute_output"), "queue_us": delta("queue")}
        if f"perf/{tag}.csv" in files:
            r = next(csv.DictReader(io.StringIO(text(f"perf/{tag}.csv"))))
            row.update(throughput=float(r["Inferences/Second"]), p50_ms=float(r["p50 latency"]) / 1e3,
                       p99_ms=float(r["p99 latency"]) / 1e3)
        run["perf"][f"{text_set}/{conc}/{SYSTEMS.get(model, model)}"] = row
    return run


def table(run):
    lines = ["| texts | concurrency | ours infer/s | python infer/s | ratio | ours p50 / p99 ms | python p50 / p99 ms | p99 ratio |",
             "| --- | --- | ---: | ---: | ---: | --- | --- | ---: |"]
    for text_set in ("short", "long", "mixed"):
        for conc in ("c1", "c16", "c64"):
            ours, py = run["perf"].get(f"{text_set}/{conc}/ours"), run["perf"].get(f"{text_set}/{conc}/python")
            if not ours or not py:
                continue
            if "throughput" in ours and "throughput" in py:
                lines.append(f"| {text_set} | {conc[1:]} | {ours['throughput']:.0f} | {py['throughput']:.0f} | "
                             f"**{ours['throughput'] / py['throughput']:.2f}x** | {ours['p50_ms']:.1f} / {ours['p99_ms']:.1f} | "
                             f"{py['p50_ms']:.1f} / {py['p99_ms']:.1f} | {ours['p99_ms'] / py['p99_ms']:.2f} |")
            else:
                lines.append(f"| {text_set} | {conc[1:]} | unstable | {py.get('throughput', 0):.0f} | - | - | - | - |")
    return "\n".join(lines)


def main():
    out = sys.argv[1]
    runs = {}
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        runs[name] = read_run(path)
    json.dump(runs, open(out, "w"), indent=1)
    for name, run in runs.items():
        print(f"### {name}\n\n{table(run)}\n")


if __name__ == "__main__":
    main()
