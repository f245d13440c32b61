#!/usr/bin/env bash
# Prepares, on this machine, the CPU precision benchmark (bench/precision/run.py)
# for the GPU machine's host CPU (16 cores of a server Xeon; the development
# machine has 2 AVX2 cores, without the int8 dot products and bf16 that
# issue 21's goals are about). That machine has no Node, no network and a
# 64 MiB carry per call, so what the benchmark needs is cut into carries
# under build/cpu-precision-carry/ (git-ignored), sent by calls in a row
# while the machine stays warm (tools/device/cpu_precision/run.sh):
#   c1  OpenVINO (the pinned wheel's CPU plugin, ONNX and IR readers, Python
#       binding for the 3.12 there), tritonserver and perf_analyzer
#   c2, c3  all-MiniLM-L6-v2's model.onnx in two halves (90 MB)
#   c4  our three built models (codegen here), the int8 IR, tokenizer files,
#       numpy 1.26 for the python backend stub
#   c5, c6  the int8 schemes bench/precision/int8_schemes.py compares, quantized
#       here (--save), for its engine-alone probe there (--prebuilt): c5 the
#       build's static scheme, the tokenized texts and the list; c6 the build's
#       scheme until 2026-12-05 (attention products int8 too)
# usage: bash tools/device/cpu_precision/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/cpu-precision-carry
work=build/bench/precision
rm -rf "$out"; mkdir -p "$out"/c1 "$out"/c2 "$out"/c3 "$out"/c4 "$out"/c5 "$out"/c6 build/cpu-precision-wheels

# Our three models, built as bench/precision/run.py builds them (and gated).
.venv/bin/python - <<'PY'
import importlib.util
spec = importlib.util.spec_from_file_location("precision_run", "bench/precision/run.py")
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)
paths, gates = run.build_ours()
print("built:", ", ".join(str(p) for p in paths.values()), "| gates:", ", ".join(gates))
PY

# c1: OpenVINO for Python 3.12, only what a CPU run reads (no GPU/NPU plugins,
# no TensorFlow/Paddle/PyTorch/JAX/GGUF readers, no headers); xz keeps it small.
wheels=build/cpu-precision-wheels
pull() { ls "$wheels"/$1-*.whl >/dev/null 2>&1 || .venv/bin/pip download -q --no-deps --only-binary=:all: \
  --python-version 3.12 --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 "$1==$2" -d "$wheels"; }
pull openvino "$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("openvino"))')"
pull openvino_telemetry "$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("openvino-telemetry"))')"
pull numpy 1.26.4
rm -rf "$wheels/ov" && mkdir "$wheels/ov"
(cd "$wheels/ov" && for w in ../openvino-*.whl ../openvino_telemetry-*.whl; do python3 -m zipfile -e "$w" .; done)
tar cJf "$out/c1/openvino.txz" -C "$wheels/ov" \
  --exclude='openvino/libs/libopenvino_intel_gpu_plugin.so' --exclude='openvino/libs/libopenvino_intel_npu_plugin.so' \
  --exclude='openvino/libs/*tensorflow*' --exclude='openvino/libs/*paddle*' --exclude='openvino/libs/*pytorch*' \
  --exclude='openvino/libs/*jax*' --exclude='openvino/libs/*gguf*' --exclude='openvino/libs/cache.json' \
  --exclude='openvino/include' .
# tritonserver, its python backend and 3.12 stub, and perf_analyzer.
bash tools/device/bundle_server.sh "$out/c1"

# c2, c3: the FP32 model, split in two (each half under one call's limit).
split -n 2 -d models/all-MiniLM-L6-v2/model.onnx "$out/model.onnx.part"
mv "$out/model.onnx.part00" "$out/c2/"; mv "$out/model.onnx.part01" "$out/c3/"
sha256sum models/all-MiniLM-L6-v2/model.onnx | cut -d' ' -f1 > "$out/c4/model.onnx.sha256"

# c4: the built models without their model.onnx (the host rebuilds it from
# c2 + c3), the gates' reports, the tokenizer files, numpy 1.26.
tar cJf "$out/c4/ours.txz" --exclude='model.onnx' \
  "$work/repo-ours" "$work"/pipelines/*/precision/report.json \
  models/all-MiniLM-L6-v2/tokenizer.json models/all-MiniLM-L6-v2/vocab.txt
cp "$wheels"/numpy-1.26.4-*.whl "$out/c4/"

# c5: the build's int8 scheme (with OpenVINO's Snippets on and off), the one
# before it (which lost accuracy on AMX), f32 and bf16 beside them, and the
# tokenized texts; in two carries, as a call carries the work tree too.
.venv/bin/python bench/precision/int8_schemes.py --save "$out/c5" \
  --schemes f32,bf16,static-build,static-build-nosnip,static-keep-both,static-keep-both-nosnip 2>/dev/null
mv "$out"/c5/static-keep-both.* "$out/c6/"
du -sh "$out"/c*
