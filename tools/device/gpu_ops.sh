#!/usr/bin/env bash
# One lease of the GPU machine for backend-cpp/ops/cuda: environment probe,
# build of the CUDA ops, the unit test, compute-sanitizer, then kernel
# timings. Logs go to $OUT. (The first lease's libtorch/AOTInductor probe and
# backend-like top-level build are in git history; the engines' own tests
# cover both now.)
#
# usage (on the device, repo root): bash tools/device/gpu_ops.sh
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
ROOT=$(pwd)
J=$(nproc)
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

# SKIP_PROBE=1: only build, test and time the CUDA ops.
if [ "${SKIP_PROBE:-0}" != 1 ]; then
  stamp probe
  bash tools/device/probe_env.sh > "$OUT/probe.txt" 2>&1
fi

stamp "build: standalone"
{
  cmake -S backend-cpp/ops/cuda -B /tmp/b_sa -G Ninja -DCMAKE_BUILD_TYPE=Release \
    && cmake --build /tmp/b_sa -j "$J" -v
  echo "standalone rc=$?"
  cuobjdump --dump-resource-usage /tmp/b_sa/libfasterbert_ops_cuda.a 2>&1 | grep -E 'Function|REG' | head -40
  cuobjdump --list-elf /tmp/b_sa/libfasterbert_ops_cuda.a 2>&1 | head
  cuobjdump --dump-sass /tmp/b_sa/libfasterbert_ops_cuda.a 2>/dev/null | grep -cE 'LDG.E.128' | sed 's/^/LDG.E.128 count: /'
} > "$OUT/build.log" 2>&1
tail -3 "$OUT/build.log"

stamp "test"
{
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

stamp "bench"
# Twice: the spread between the two runs is the noise floor.
/tmp/b_sa/pooling_cuda_test --bench > "$OUT/bench.log" 2>&1
/tmp/b_sa/pooling_cuda_test --bench > "$OUT/bench2.log" 2>&1
paste <(sed -n '/shape (full masks)/,/^$/p' "$OUT/bench.log") \
      <(sed -n '/shape (full masks)/,/^$/p' "$OUT/bench2.log" | awk 'NF>1{print $(NF-1)}')
grep -A9 "^op " "$OUT/test.log" | head -12
stamp done
