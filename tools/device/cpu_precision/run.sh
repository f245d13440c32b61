#!/usr/bin/env bash
# The CPU precision benchmark (bench/precision/run.py) on the GPU machine's
# host CPU, from the four carries prepare.sh makes. One step per call, in
# order, while the machine stays warm (what a step unpacks stays in /tmp):
#   bash tools/device/cpu_precision/run.sh c1      carry build/cpu-precision-carry/c1
#   bash tools/device/cpu_precision/run.sh c2      carry .../c2
#   bash tools/device/cpu_precision/run.sh c3      carry .../c3
#   SETS=short,long CONCURRENCY=16,64 bash tools/device/cpu_precision/run.sh bench   carry .../c4
#   bash tools/device/cpu_precision/run.sh c5      carry .../c5 (after c1-c3), then
#   bash tools/device/cpu_precision/run.sh probe   carry .../c6: the int8 schemes' engines alone,
#   bench/precision/int8_schemes.py --prebuilt (ROUNDS, SECONDS_EACH; SCHEMES: a subset, default all)
#   (CONFIGS="1:2000 2:0 1:0:true": one run per instance count and queue delay, as bench/precision/run.py's
#   --instances and --queue-delay-us, and ":true" for its --response-thread true; default 1:2000, what codegen writes)
#   VARIANTS=p16:4000:16,p16n:4000:16:1:t14+nopin bash tools/device/cpu_precision/run.sh batching   carry .../c4:
#   bench/precision/batching.py --engine-alone on the same layout (SYSTEMS default ours_bf16, SETS short,
#   CONCURRENCY 16, ROUNDS 3): served / engine alone per batching variant and OpenVINO tuning;
#   SERVER_CORES=0-1: the server and the engine alone on those cores, perf_analyzer on the others (a 2-core
#   server, remote clients); BENCH_CORES=0-1: the whole run (server, perf_analyzer, engine alone) on those
#   cores, as on a 2-core machine
# `bench` lays out what the benchmark expects of this checkout (a .venv whose
# python sees OpenVINO, tritonserver and perf_analyzer where bench/harness/paths.py
# looks, the python backend and its stub env as bench/setup.sh makes them) and
# runs the benchmark on the models built by prepare.sh (--prebuilt). Per config,
# the report and a tarball of runs.json, the bench log and the server logs come back in $OUT.
set -uo pipefail
step=${1:?"usage: $0 c1|c2|c3|c5|bench|batching|probe"}
carry=${step/batching/c4}; carry=${carry/bench/c4}; carry=${carry/probe/c6}
ROOT=$(pwd); C=$ROOT/build/cpu-precision-carry/$carry; X=/tmp/cpu-precision
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"

case $step in
c1)
  rm -rf "$X"; mkdir -p "$X/site" "$X/triton" "$X/bin"
  tar xJf "$C/openvino.txz" -C "$X/site" && tar xJf "$C/triton.txz" -C "$X/triton" \
    && xz -dc "$C/perf_analyzer.xz" > "$X/bin/perf_analyzer" && chmod +x "$X/bin/perf_analyzer" || exit 1
  lscpu | grep -E "Model name|^CPU\(s\)|Thread|Socket|L2|L3"
  grep -o -w -E "avx512f|avx512_vnni|avx_vnni|avx512_bf16|amx_bf16|amx_int8|amx_tile" /proc/cpuinfo | sort | uniq -c
  PYTHONPATH=$X/site python3 -c "import openvino as ov; c = ov.Core(); print('openvino', ov.__version__, \
    c.get_property('CPU', 'OPTIMIZATION_CAPABILITIES'), c.get_property('CPU', 'FULL_DEVICE_NAME'))"
  du -sh "$X" ;;
c2) cp "$C/model.onnx.part00" "$X/" && ls -la "$X" ;;
c3) cp "$C/model.onnx.part01" "$X/" && ls -la "$X" ;;
c5) rm -rf "$X/schemes" && cp -r "$C" "$X/schemes" && ls -la "$X/schemes" ;;
probe)
  [ -f "$X/model.onnx.part01" ] && [ -f "$X/schemes/schemes.json" ] || { echo "run c1-c3 and c5 first"; exit 1; }
  cat "$X/model.onnx.part00" "$X/model.onnx.part01" > "$X/model.onnx"
  cp "$C"/* "$X/schemes/"
  PYTHONPATH=$X/site timeout ${PROBE_TIMEOUT_S:-540} python3 bench/precision/int8_schemes.py --prebuilt "$X/schemes" \
    --onnx "$X/model.onnx" ${SCHEMES:+--schemes "$SCHEMES"} --rounds "${ROUNDS:-3}" --seconds "${SECONDS_EACH:-1.5}" | tee "$OUT/int8_schemes.jsonl"
  exit "${PIPESTATUS[0]}" ;;
bench|batching)
  [ -x "$X/bin/perf_analyzer" ] && [ -f "$X/model.onnx.part01" ] || { echo "c1-c3 are not on this machine: run them first"; exit 1; }
  cat "$X/model.onnx.part00" "$X/model.onnx.part01" > "$X/model.onnx"
  [ "$(sha256sum "$X/model.onnx" | cut -d' ' -f1)" = "$(cat "$C/model.onnx.sha256")" ] || { echo "model.onnx: wrong sha256"; exit 1; }
  tar xJf "$C/ours.txz" -C "$ROOT" || exit 1
  M=$ROOT/models/all-MiniLM-L6-v2
  ln -sf "$X/model.onnx" "$M/model.onnx"
  for d in "$ROOT"/build/bench/precision/repo-ours/*/1; do ln -sf "$X/model.onnx" "$d/model.onnx"; done
  mkdir -p "$X/numpy1" && (cd "$X/numpy1" && python3 -m zipfile -e "$C"/numpy-1.26*.whl .)
  # .venv as bench/harness/paths.py reads it (never over a real one).
  V=$ROOT/.venv
  [ -f "$V/pyvenv.cfg" ] && { echo "$V is a real venv: this step is for the GPU machine's checkout"; exit 1; }
  rm -rf "$V"; mkdir -p "$V/bin" "$V/lib/python3.11/site-packages/pytriton"
  printf '#!/bin/sh\nPYTHONPATH=%s exec python3 "$@"\n' "$X/site" > "$V/bin/python"; chmod +x "$V/bin/python"
  ln -s "$X/bin/perf_analyzer" "$V/bin/perf_analyzer"
  TS=$X/triton/pytriton/tritonserver
  ln -s "$TS" "$V/lib/python3.11/site-packages/pytriton/tritonserver"
  # bench/setup.sh's layout: the python backend with the stub of this Python,
  # perf_analyzer's libraries, and the stub's env (a venv whose .pth file puts
  # numpy 1.26 first: the stub predates numpy 2, see gpu_e2e/run.sh).
  B=$ROOT/build/bench; rm -rf "$B/backends" "$B/lib" "$B/stub-env"; mkdir -p "$B/backends/python" "$B/lib" "$B/logs"
  for f in libtriton_python.so triton_python_backend_utils.py; do ln -s "$TS/backends/python/$f" "$B/backends/python/$f"; done
  ln -s "$TS/python_backend_stubs/3.12/triton_python_backend_stub" "$B/backends/python/triton_python_backend_stub"
  ln -s "$(ls "$X"/triton/nvidia_pytriton.libs/libcudart-*.so.12* | head -1)" "$B/lib/libcudart.so.12"
  ln -s "$(ls "$X"/triton/nvidia_pytriton.libs/libb64-*.so.0d | head -1)" "$B/lib/libb64.so.0d"
  python3 -m venv --without-pip "$B/stub-env" || exit 1
  SP=$(python3 -c 'import site; print(site.getsitepackages()[0])')
  STUB_SP=$(ls -d "$B"/stub-env/lib/python3.*/site-packages)
  printf 'import sys; sys.path.insert(0, "%s")\n%s\n%s\n' "$X/numpy1" "$X/site" "$SP" > "$STUB_SP/faster_bert.pth"
  export PYTHONPATH=$X/site
  export LD_LIBRARY_PATH=$X/site/openvino/libs:$X/triton/nvidia_pytriton.libs:${LD_LIBRARY_PATH:-}
  export PYTHONUNBUFFERED=1
  if [ "$step" = batching ]; then
    rm -rf "$B/logs" "$B/perf"; mkdir -p "$B/logs"
    set -x
    timeout ${BENCH_TIMEOUT_S:-540} ${BENCH_CORES:+taskset -c "$BENCH_CORES"} python3 bench/precision/batching.py --engine-alone \
      --variants "${VARIANTS:?set VARIANTS}" --systems "${SYSTEMS:-ours_bf16}" --sets "${SETS:-short}" \
      --concurrency "${CONCURRENCY:-16}" --rounds "${ROUNDS:-3}" ${SERVER_CORES:+--server-cores "$SERVER_CORES"} \
      2>&1 | tee "$B/logs/bench.log"
    rc=${PIPESTATUS[0]}
    set +x
    ls -t "$ROOT"/bench/reports/*cpu-batching*.md | head -1 | xargs -r -I{} cp {} "$OUT/report_batching.md"
    tar czf "$OUT/result_batching.tgz" -C "$B" logs perf 2>/dev/null
    exit $rc
  fi
  sets=${SETS:-short,long}; conc=${CONCURRENCY:-16,64}; rc=0
  # CONFIGS: serving settings to run one after another, "instances:queue delay µs" each,
  # optionally ":true" for ours with the response thread.
  for config in ${CONFIGS:-1:2000}; do
    IFS=: read -r instances delay thread <<< "$config"; thread=${thread:-false}
    tag=${sets//,/-}_c${conc//,/-}_i${instances}_d${delay}_r${thread}
    rm -rf "$B/logs" "$B/perf"; mkdir -p "$B/logs"
    set -x
    timeout ${BENCH_TIMEOUT_S:-540} python3 bench/precision/run.py --prebuilt --sets "$sets" \
      --concurrency "$conc" --systems "${SYSTEMS:-ours_f32,ours_bf16,ours_int8,py_f32,py_int8}" \
      --instances "$instances" --queue-delay-us "$delay" --response-thread "$thread" \
      --measurement-interval "${INTERVAL_MS:-3000}" --max-trials "${MAX_TRIALS:-4}" \
      --engine-seconds "${ENGINE_SECONDS:-1.5}" 2>&1 | tee "$B/logs/bench.log"
    one=${PIPESTATUS[0]}
    set +x
    # (bench/precision/run.py names its report by date, never over an earlier one: take the newest)
    ls -t "$ROOT"/bench/reports/*cpu-precision*.md | head -1 | xargs -r -I{} cp {} "$OUT/report_$tag.md"
    cp "$B/precision/runs.json" "$B/logs/runs.json" 2>/dev/null
    # Two files a config: at most 8 come back from a call.
    tar czf "$OUT/result_$tag.tgz" -C "$B" logs perf 2>/dev/null
    [ $one = 0 ] || { rc=$one; tail -40 "$(ls -t "$B"/logs/tritonserver-*.log | head -1)"; }
  done
  exit $rc ;;
*) echo "unknown step $step"; exit 2 ;;
esac
