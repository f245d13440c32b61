#!/usr/bin/env bash
# One lease of the GPU machine for backend-cpp/ops/cuda: environment probe,
# libtorch/AOTInductor probe (in the background), build of the CUDA ops for
# sm_90 (standalone and inside a backend-like top level), the unit test,
# compute-sanitizer, then kernel timings. Logs go to $OUT.
#
# usage (on the device, repo root): bash tools/device/h100_gpu_ops.sh
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
ROOT=$(pwd)
J=$(nproc)
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

# SKIP_PROBE=1: only build, test and time the CUDA ops.
if [ "${SKIP_PROBE:-0}" = 1 ]; then TORCH_PID=""; else
stamp probe
bash tools/device/probe_env.sh > "$OUT/probe.txt" 2>&1

# libtorch / AOTInductor probe, in the background (CPU-bound compiles).
set -m  # own process group, so the deadline can stop all of it
(
  set -x
  W=/tmp/torch_probe; mkdir -p $W
  PYTHONUNBUFFERED=1 timeout 240 python3 tools/device/torch_probe/export_tiny_bert.py $W/model || exit 1
  TP=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')
  if timeout 120 cmake -S tools/device/torch_probe -B $W/build -G Ninja -DCMAKE_PREFIX_PATH="$TP" -DCMAKE_BUILD_TYPE=Release \
     && timeout 200 cmake --build $W/build; then
    BIN=$W/build/aoti_probe
  else
    echo "find_package(Torch) build failed; trying plain g++"
    TD=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
    timeout 200 g++ -std=c++17 -O1 -D_GLIBCXX_USE_CXX11_ABI=1 tools/device/torch_probe/aoti_probe.cc \
      -I$TD/include -I$TD/include/torch/csrc/api/include -L$TD/lib \
      -Wl,--no-as-needed -ltorch -ltorch_cuda -ltorch_cpu -lc10_cuda -lc10 -Wl,--as-needed \
      -Wl,-rpath,$TD/lib -o $W/aoti_probe_gxx || exit 1
    BIN=$W/aoti_probe_gxx
  fi
  timeout 90 $BIN $W/model
) > "$OUT/torch_probe.log" 2>&1 &
TORCH_PID=$!
set +m
fi

stamp "build: standalone"
{
  cmake -S backend-cpp/ops/cuda -B /tmp/b_sa -G Ninja -DCMAKE_BUILD_TYPE=Release \
    && cmake --build /tmp/b_sa -j "$J" -v
  echo "standalone rc=$?"
  stamp "build: backend-like top level"
  cmake -S tools/device/cuda_ops_top -B /tmp/b_top -G Ninja -DCMAKE_BUILD_TYPE=Release \
    && cmake --build /tmp/b_top -j "$J"
  echo "top-level rc=$?"
  cuobjdump --dump-resource-usage /tmp/b_sa/libfasterbert_ops_cuda.a 2>&1 | grep -E 'Function|REG' | head -40
  cuobjdump --list-elf /tmp/b_sa/libfasterbert_ops_cuda.a 2>&1 | head
  cuobjdump --dump-sass /tmp/b_sa/libfasterbert_ops_cuda.a 2>/dev/null | grep -cE 'LDG.E.128' | sed 's/^/LDG.E.128 count: /'
} > "$OUT/build.log" 2>&1
tail -3 "$OUT/build.log"

stamp "test"
{
  (cd /tmp/b_top && ctest --output-on-failure)
  echo "ctest rc=$?"
  /tmp/b_sa/pooling_cuda_test
  echo "standalone test rc=$?"
} > "$OUT/test.log" 2>&1
grep -E "passed|rc=|FAIL" "$OUT/test.log" | head -20

stamp "compute-sanitizer"
{
  timeout 200 compute-sanitizer --tool memcheck --error-exitcode 9 /tmp/b_sa/pooling_cuda_test --quick; echo "memcheck rc=$?"
  timeout 150 compute-sanitizer --tool racecheck --error-exitcode 9 /tmp/b_sa/pooling_cuda_test --quick; echo "racecheck rc=$?"
  timeout 150 compute-sanitizer --tool initcheck --error-exitcode 9 /tmp/b_sa/pooling_cuda_test --quick; echo "initcheck rc=$?"
} > "$OUT/sanitizer.log" 2>&1
grep -E "rc=|ERROR SUMMARY|cuda ops" "$OUT/sanitizer.log"

if [ -n "$TORCH_PID" ]; then
stamp "waiting for torch probe (until ${PROBE_DEADLINE:=420}s)"
while kill -0 $TORCH_PID 2>/dev/null && [ $(( $(date +%s) - T0 )) -lt $PROBE_DEADLINE ]; do sleep 2; done
if kill -0 $TORCH_PID 2>/dev/null; then
  kill -- -$TORCH_PID 2>/dev/null || kill $TORCH_PID; echo "torch probe KILLED at deadline" >> "$OUT/torch_probe.log"
else
  wait $TORCH_PID; echo "torch probe rc=$?" >> "$OUT/torch_probe.log"
fi
tail -12 "$OUT/torch_probe.log"
fi

stamp "bench"
# Twice: the spread between the two runs is the noise floor.
/tmp/b_sa/pooling_cuda_test --bench > "$OUT/bench.log" 2>&1
/tmp/b_sa/pooling_cuda_test --bench > "$OUT/bench2.log" 2>&1
paste <(sed -n '/shape (full masks)/,/^$/p' "$OUT/bench.log") \
      <(sed -n '/shape (full masks)/,/^$/p' "$OUT/bench2.log" | awk 'NF>1{print $(NF-1)}')
grep -A9 "^op " "$OUT/test.log" | head -12
stamp done
