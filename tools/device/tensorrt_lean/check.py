"""Asserts on load_test.cc's report: every refusal is a clear error naming its
file, nothing crashed, and refusing many times kept host and GPU memory flat."""
import json
import sys

report = json.load(open(sys.argv[1]))
problems = []
if not report["runtime_created"]:
    problems.append("the lean runtime did not create an IRuntime")
expect = {
    "random.plan": "cannot load",
    "text.plan": "cannot load",
    "empty.plan": "cannot load",
    "missing.plan": "cannot open TensorRT model",
    "model.onnx": "lean runtime",
}
for name, words in expect.items():
    message = report["refusals"][name]
    if words not in message or name not in message:
        problems.append(f"{name}: expected an error with '{words}' naming the file, got {message!r}")
if report["leak_refused"] != report["leak_rounds"]:
    problems.append(f"only {report['leak_refused']} of {report['leak_rounds']} rounds refused")
# A few pages of allocator slack; a leaked engine or runtime per round would be far more.
if report["rss_growth_kib"] > 2048:
    problems.append(f"host memory grew {report['rss_growth_kib']} KiB over {report['leak_rounds']} refusals")
if report["gpu_free_drop_bytes"] > 8 << 20:
    problems.append(f"GPU free memory dropped {report['gpu_free_drop_bytes']} bytes")
print("\n".join(problems) if problems else "all checks passed")
sys.exit(1 if problems else 0)
