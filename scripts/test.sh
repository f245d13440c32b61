#!/usr/bin/env bash
# npm test: installs what is missing, then runs every test: the C++ unit
# tests (ctest, plus an ASan+UBSan build of them), and vitest (codegen,
# tokenizer parity, ONNX export, end-to-end against the real tritonserver).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

bash scripts/setup.sh

ov_dir=$(.venv/bin/python -c 'import openvino, os; print(os.path.join(os.path.dirname(openvino.__file__), "cmake"))')
export FASTERBERT_TEST_MODEL_DIR=$PWD/models/all-MiniLM-L6-v2
export FASTERBERT_TOKENIZE_BIN=$PWD/build/backend-cpp/text/fasterbert_tokenize
mkdir -p build/logs

run_ctest() {  # build dir, ctest exclude regex, extra cmake args...
  local dir=$1 exclude=$2; shift 2
  rm -f "$dir.ctest.log" "$dir.ctest.xml"
  cmake -S backend-cpp -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOpenVINO_DIR="$ov_dir" \
    -DFASTERBERT_BUILD_TESTS=ON "$@" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
  cmake --build "$dir" -j "$(nproc)" || return 1
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" --output-junit "$PWD/$dir.ctest.xml" \
    ${exclude:+-E "$exclude"} | tee "$dir.ctest.log"
}

# A failing runner does not stop the others: one run shows every failure.
status=0
echo "[test] C++ unit tests"
mkdir -p build
run_ctest build/backend-cpp "" || status=1
echo "[test] C++ unit tests under ASan+UBSan"
# -O1 (the level the sanitizers' docs suggest) with line tables only:
# reports keep their file:line, and files compile 2.2-2.8x faster than at
# RelWithDebInfo's -O2 -g (the ASan build was 7 of CI's 45 minutes).
sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
# OpenVINO's CPU plugin dlopens TBB's tbbbind with RTLD_DEEPBIND, which the
# sanitizer runtime refuses; the real-engine tests run in the plain build.
ASAN_OPTIONS=detect_leaks=1 run_ctest build/backend-cpp-asan OpenVinoEngineTest \
  -DFASTERBERT_SANITIZE=ON "${sanitizer_flags[@]}" || status=1

echo "[test] the threaded C++ code under ThreadSanitizer"
# Only the tests of our own threads (tokenizer, responses): a whole TSan build would double the C++ time.
rm -f build/backend-cpp-tsan.ctest.log build/backend-cpp-tsan.ctest.xml
{ cmake -S backend-cpp -B build/backend-cpp-tsan -G Ninja "${sanitizer_flags[@]}" \
    -DFASTERBERT_WITH_OPENVINO=OFF -DFASTERBERT_BUILD_TESTS=ON -DFASTERBERT_SANITIZE_THREADS=ON \
    >build/backend-cpp-tsan.configure.log 2>&1 &&
  cmake --build build/backend-cpp-tsan -j "$(nproc)" --target parallel_rows_test response_thread_test &&
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build/backend-cpp-tsan --output-on-failure -R '^(Parallel|ResponseThread)' \
    --output-junit "$PWD/build/backend-cpp-tsan.ctest.xml" |
    tee build/backend-cpp-tsan.ctest.log; } || status=1

echo "[test] vitest"
rm -f build/logs/vitest.json build/logs/vitest-errors.json
# The errors reporter keeps what the JSON one leaves out: a hook's error (a
# failed beforeAll skips its tests) and errors outside any test.
FASTERBERT_VITEST_ERRORS=build/logs/vitest-errors.json npx vitest run --reporter=default --reporter=json \
  --outputFile=build/logs/vitest.json --reporter=./scripts/vitest-errors-reporter.mjs || status=1

echo "[test] wall time $(( $(date +%s) - start )) s"
# One closing line over every runner: tests (not files), and each skip with its reason.
node scripts/test-summary.mjs --ctest build/backend-cpp.ctest.xml build/backend-cpp-asan.ctest.xml \
  build/backend-cpp-tsan.ctest.xml --vitest build/logs/vitest.json \
  --vitest-errors build/logs/vitest-errors.json || status=1
exit $status
