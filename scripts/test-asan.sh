#!/usr/bin/env bash
# npm run test:asan: the end-to-end suites (test/e2e, test/serving,
# test/adversarial) with every backend built with ASan+UBSan and loaded in
# the real tritonserver, the ASan
# runtime preloaded (scripts/asan/tritonserver.sh says how and why). Fails
# when a test fails or when a sanitizer wrote any report (memory error,
# undefined behaviour, or a leak found when a model is finalized).
# The C++ unit tests under ASan+UBSan run in `npm test` already.
# FASTERBERT_LIFECYCLE_CYCLES (default here 20) sets the load/unload cycles.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

bash scripts/setup.sh
npm run --silent build:ts

mkdir -p build/asan
shim=$PWD/build/asan/libdlopen_without_deepbind.so
gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -shared -fPIC \
  -o "$shim" scripts/asan/dlopen_without_deepbind.c -ldl

log_dir=$PWD/build/logs/asan
rm -rf "$log_dir"
mkdir -p "$log_dir"

export FASTERBERT_SANITIZE=1
export FASTERBERT_TRITON_WRAPPER=$PWD/scripts/asan/tritonserver.sh
export FASTERBERT_ASAN_DLOPEN_SHIM=$shim
export FASTERBERT_ASAN_LOG_DIR=$log_dir
export FASTERBERT_LIFECYCLE_CYCLES=${FASTERBERT_LIFECYCLE_CYCLES:-20}

echo "[test:asan] end-to-end suites with ASan+UBSan backends in tritonserver"
status=0
# Arguments narrow the run to some test files, e.g. `npm run test:asan -- test/serving`.
if [ $# -eq 0 ]; then set -- test/e2e test/serving test/adversarial; fi
npx vitest run "$@" || status=$?

reports=$(find "$log_dir" -type f | sort)
if [ -n "$reports" ]; then
  echo "[test:asan] sanitizer reports:"
  for report in $reports; do echo "== $report"; head -80 "$report"; done
  status=1
else
  echo "[test:asan] no sanitizer reports"
fi
echo "[test:asan] wall time $(( $(date +%s) - start )) s"
exit $status
