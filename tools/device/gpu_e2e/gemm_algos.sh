#!/usr/bin/env bash
# Issue 20: is there a faster cuBLASLt algorithm for the encoder's matmuls than
# the one cuBLASLt's heuristic ranks first (what PyTorch's addmm runs, and so
# the AOTInductor package)? One call of the GPU machine, from the repository
# root, with build/gpu-e2e-carry carried (tools/device/gpu_e2e/prepare.sh):
#   engine: fasterbert_engine_bench on the token-packed package (run.sh), by
#     default (a), with PyTorch's TunableOp tuning every matmul shape at its
#     first call (b: cuBLAS's default and cuBLASLt's first 8 timed, the
#     fastest kept; the bench's warm-up calls take the tuning, its timed calls
#     the result), and by default again (a2);
#   lt: lt_algo_probe.cu, every algorithm cuBLASLt's heuristic offers (and
#     split-K variants of its first 8), each matmul timed alone;
#   attention: attention_probe.py, tile sets of our attention not timed before.
# usage: OUT=dir [STEPS="engine lt attention"] [TOKENS=1054,4462,15541] bash tools/device/gpu_e2e/gemm_algos.sh
set -uo pipefail
OUT=${OUT:-/tmp/gemm-algos}
STEPS=${STEPS:-engine lt attention}
TOKENS=${TOKENS:-1054,4462,15541}
mkdir -p "$OUT"
here=tools/device/gpu_e2e

if [[ " $STEPS " == *" engine "* ]]; then
  export SKIP_PROBES=1 SKIP_PEER=1 SKIP_SERVE=1 SKIP_GRAPHS_TEST=1 PACKED=1 GRAPHS=1:2048 PLANS=0:0 \
    MIXED_PLANS=0:0 BATCHES=${BATCHES:-1,16,64}
  OUT=$OUT/a bash $here/run.sh > /dev/null 2>&1
  # The results file goes into run.sh's working folder, which it archives.
  PYTORCH_TUNABLEOP_ENABLED=1 PYTORCH_TUNABLEOP_TUNING=1 PYTORCH_TUNABLEOP_FILENAME=/tmp/gpu-e2e-out/tunableop.csv \
    REUSE=1 OUT=$OUT/b bash $here/run.sh > /dev/null 2>&1
  REUSE=1 OUT=$OUT/a2 bash $here/run.sh > /dev/null 2>&1
  for run in a b a2; do
    mkdir -p "/tmp/gemm-algos-$run" && tar xzf "$OUT/$run/results.tgz" -C "/tmp/gemm-algos-$run" 2>/dev/null
    for f in /tmp/gemm-algos-$run/engine_bench_*.jsonl; do
      python3 -c 'import json, sys
for line in open(sys.argv[1]):
    if line.startswith("{"):
        r = json.loads(line)
        print(sys.argv[2], sys.argv[1].split("engine_bench_")[1].split("_")[0], r["rows"], r["real_tokens"],
              r["engine_us"], r["non_engine_share"])' "$f" "$run"
    done
  done
fi

if [[ " $STEPS " == *" lt "* ]]; then
  # Built against the cuBLAS PyTorch loads (its pip package), with only
  # cuBLAS's own headers from there (the rest from nvcc's toolkit).
  cublas=$(python3 -c 'import glob, nvidia
print(sorted(g for p in nvidia.__path__ for g in glob.glob(p + "/*/lib/libcublasLt.so.*"))[0])')
  root=$(dirname "$(dirname "$cublas")")
  mkdir -p /tmp/cublas-include && ln -sf "$root"/include/cublas*.h /tmp/cublas-include/
  nvcc -O2 -std=c++17 -arch=sm_90 -I/tmp/cublas-include $here/lt_algo_probe.cu -L"$root/lib" \
    -l:"$(basename "$cublas")" -Xlinker -rpath="$root/lib" -o /tmp/lt_algo_probe \
    && timeout "${LT_TIMEOUT_S:-150}" /tmp/lt_algo_probe --tokens "$TOKENS" > "$OUT/lt_algos.jsonl"
  echo "lt_algo_probe ($cublas): exit $?"
  grep '"best"\|encoder_gemm' "$OUT/lt_algos.jsonl"
fi

if [[ " $STEPS " == *" attention "* ]]; then
  (cd $here && timeout "${ATTENTION_TIMEOUT_S:-90}" python3 attention_probe.py --shapes 64x20,64x256m,64x256 \
    --triton-configs 64x128w4s2,64x128w4s3,128x64w4s3,128x128w8s2,64x64w4s4,64x64w8s3) > "$OUT/attention.jsonl"
  echo "attention_probe: exit $?"
  python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "layers_ms" in r: print(r["shape"], r["kernel"], r["layers_ms"])' "$OUT/attention.jsonl"
fi
