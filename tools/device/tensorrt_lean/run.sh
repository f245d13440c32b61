#!/usr/bin/env bash
# On the GPU machine: builds the TensorRT adapter against TensorRT 11's real
# headers, links it with the real lean runtime (libnvinfer_lean.so.11 from
# PyPI tensorrt-lean-cu13-libs) and runs load_test.cc; check.py asserts on
# its report. With compute-sanitizer present, the test runs again under its
# leak check. Results land in $OUT. Prepare first (prepare.sh) and carry
# build/tensorrt-lean and build/tensorrt-headers.
set -euo pipefail
OUT=${OUT:-/tmp/out}; W=/tmp/tensorrt-lean; rm -rf "$W"; mkdir -p "$W/lib" "$W/files" "$OUT"
python3 -m zipfile -e build/tensorrt-lean/tensorrt_lean_cu13_libs-*.whl "$W/lib"
LEAN=$W/lib/tensorrt_lean_libs
CUDA_HOME=${CUDA_HOME:-$(dirname "$(dirname "$(command -v nvcc)")")}
nvidia-smi -L > "$OUT/gpu.txt"
g++ --version | head -1 > "$OUT/build.txt"
g++ -std=c++17 -O1 -g -Wall -Wextra -Wpedantic -Werror -I backend-cpp \
  -isystem build/tensorrt-headers -isystem "$CUDA_HOME/include" \
  backend-cpp/engines/tensorrt/tensorrt_engine.cc tools/device/tensorrt_lean/load_test.cc \
  -o "$W/load_test" "$LEAN/libnvinfer_lean.so.11" -L"$CUDA_HOME/lib64" -lcudart \
  -Wl,-rpath,"$LEAN:$CUDA_HOME/lib64" 2>&1 | tee -a "$OUT/build.txt"
"$W/load_test" "$W/files" > "$OUT/load_test.json" 2> "$OUT/load_test.stderr"
cat "$OUT/load_test.json"
python3 tools/device/tensorrt_lean/check.py "$OUT/load_test.json" | tee "$OUT/check.txt"
if command -v compute-sanitizer > /dev/null || [ -x "$CUDA_HOME/bin/compute-sanitizer" ]; then
  CS=$(command -v compute-sanitizer || echo "$CUDA_HOME/bin/compute-sanitizer")
  timeout 300 "$CS" --tool memcheck --leak-check full --error-exitcode 3 "$W/load_test" "$W/files" \
    > "$OUT/compute-sanitizer.txt" 2>&1; echo "compute-sanitizer exit $?" | tee -a "$OUT/compute-sanitizer.txt"
fi
