#!/usr/bin/env bash
# One lease of the GPU machine for the end-to-end H100 benchmark (issue 7):
#  1. export a BERT-base-shaped encoder (fixed random weights, FP16) as an
#     AOTInductor package, in the background;
#  2. build backend-cpp there with LibTorch + CUDA (no OpenVINO), run its unit
#     tests (device_outputs_test and pooling_cuda_test need the GPU), and
#     build our generated backend for examples/embeddings-gpu;
#  3. serve ours and the Python-backend baseline (same .pt2) in one
#     tritonserver (the pytriton wheel's, carried), check both against an
#     independent reference, then perf_analyzer at concurrency 1/16/64 on
#     short and long texts, alternating the two systems, plus Triton's
#     per-model statistics; and the engine alone with the GEMM roofline.
# Everything it measures lands in $OUT. Prepare the carry first:
#   bash tools/device/gpu_e2e/prepare.sh   (then carry build/gpu-e2e-carry)
# REUSE=1: a second call on the still-warm machine keeps the first's unpacked
# server, build and packages (steps 1-2) and goes on from the measurements.
# PACKED_ALT=<attention>: a second token-packed package with that attention
# (e.g. varlen while PACKED_ATTENTION=triton), benchmarked as PACKED=alt and
# served as bert_gpu_packed_<attention>, to compare the two in one run.
# GRAPH_LIMIT_ALT=N: the packed example also built with cudaGraphMaxTokens N
# (its generated spec edited) and served as bert_gpu_packed_g<N>, to compare
# graph limits in one run.
set -u
FINAL=${OUT:-/tmp/out}; OUT=/tmp/gpu-e2e-out; rm -rf "$OUT"; mkdir -p "$OUT" "$FINAL"
# The device tool brings back only a few files: everything goes into one archive.
trap 'tar czf "$FINAL/results.tgz" -C "$OUT" . 2>/dev/null; cp "$OUT/steps.log" "$FINAL/" 2>/dev/null' EXIT
ROOT=$(pwd); C=$ROOT/build/gpu-e2e-carry; W=/tmp/gpu-e2e
REUSE=${REUSE:-0}
[ "$REUSE" = 1 ] && [ -x "$W/build/fasterbert/fasterbert_engine_bench" ] || { REUSE=0; rm -rf "$W"; mkdir -p "$W"; }
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*" | tee -a "$OUT/steps.log"; }
J=$(nproc)
WINDOW_MS=${WINDOW_MS:-2500}
SETS=${SETS:-short long mixed}
CONCURRENCY=${CONCURRENCY:-1 16 64}
# Our served models: the example, its "before" (examples/embeddings-gpu/eager.ts)
# and its token-packed variant (examples/embeddings-gpu/packed.ts).
OURS=${OURS:-bert_base_gpu_embeddings bert_gpu_eager bert_gpu_packed}
# The package a served model loads: the packed example's is exported with --pack-tokens.
PACKED_ALT=${PACKED_ALT:-}
package_of() {
  case "$1" in
    bert_gpu_packed | bert_gpu_packed_g* | 1) echo "$W/model-packed/model.pt2" ;;
    bert_gpu_packed_$PACKED_ALT | alt) echo "$W/model-packed-alt/model.pt2" ;;
    *) echo "$W/model/model.pt2" ;;
  esac
}
# Whether the package of a PACKED value (0, 1, alt) takes token_index.
packs_tokens() { [ "$1" = 0 ] && echo 0 || echo 1; }
[ -n "$PACKED_ALT" ] && OURS="$OURS bert_gpu_packed_$PACKED_ALT"
GRAPH_LIMIT_ALT=${GRAPH_LIMIT_ALT:-}
LIMITED=${GRAPH_LIMIT_ALT:+bert_gpu_packed_g$GRAPH_LIMIT_ALT}
[ -n "$LIMITED" ] && OURS="$OURS $LIMITED"
TS=$W/triton/pytriton/tritonserver
export PYTHONPATH=$W/pyextra
TP=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$OUT/gpu.txt" 2>&1
if [ "$REUSE" = 1 ]; then
  stamp "reuse the unpacked server, build and packages in $W"
else

stamp "unpack"
mkdir -p "$W/triton" "$W/pyextra" "$W/bin" "$W/palib" "$W/model" "$W/model-packed" "$W/model-packed-alt" "$W/top"
tar xJf "$C/triton.txz" -C "$W/triton"
tar xzf "$C/googletest.tgz" -C "$W"
xz -dc "$C/perf_analyzer.xz" > "$W/bin/perf_analyzer" && chmod +x "$W/bin/perf_analyzer"
(cd "$W/pyextra" && python3 -m zipfile -e "$C"/tokenizers-*.whl .)
mkdir -p "$W/numpy1" && (cd "$W/numpy1" && python3 -m zipfile -e "$C"/numpy-1.26*.whl .)
cp "$TS/python_backend_stubs/3.12/triton_python_backend_stub" "$TS/backends/python/"
ln -sf "$W"/triton/nvidia_pytriton.libs/libb64-*.so.0d "$W/palib/libb64.so.0d"
ln -sf "$W"/triton/nvidia_pytriton.libs/libcudart-*.so.12* "$W/palib/libcudart.so.12"
cp "$C/model/vocab.txt" "$C/model/tokenizer.json" "$W/model/"
cp "$C/model/vocab.txt" "$C/model/tokenizer.json" "$W/model-packed/"

stamp "export (background)"
# export_pt2 PT2 LOG [exporter options]: the BERT-base-shaped encoder (fixed
# random weights, FP16) as the package PT2, its output in $OUT/LOG.
export_pt2() {
  local out=$1 log=$2; shift 2
  ( PYTHONUNBUFFERED=1 timeout 400 python3 tools/torch_export/export_bert_pt2.py --config bert-base \
      --random-weights --seed 0 --dtype fp16 --max-batch 64 --max-seq 256 "$@" --out "$out" ) > "$OUT/$log" 2>&1
}
PACKED_OPTIONS="--pack-tokens --gelu ${PACKED_GELU:-tanh-epilogue}"
export_pt2 "$W/model/model.pt2" export.log &
EXPORT_PID=$!
export_pt2 "$W/model-packed/model.pt2" export_packed.log $PACKED_OPTIONS --attention ${PACKED_ATTENTION:-triton} &
EXPORT_PACKED_PID=$!
if [ -n "$PACKED_ALT" ]; then
  export_pt2 "$W/model-packed-alt/model.pt2" export_packed_alt.log $PACKED_OPTIONS --attention $PACKED_ALT &
  EXPORT_ALT_PID=$!
fi

stamp "googletest"
{ cmake -S "$W/googletest" -B "$W/gtest-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF \
    -DCMAKE_INSTALL_PREFIX="$W/gtest" && cmake --build "$W/gtest-build" -j "$J" \
    && cmake --install "$W/gtest-build"; } > "$OUT/gtest.log" 2>&1 || stamp "googletest FAILED"

stamp "configure + build backend-cpp and the generated backend"
cat > "$W/top/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.18)
project(gpu_backend LANGUAGES CXX)
enable_testing()
add_subdirectory($ROOT/backend-cpp fasterbert)
fasterbert_add_backend(NAME bert_base_gpu_embeddings
  SPEC_SOURCE "$C/sources/bert_base_gpu_embeddings/pipeline_spec.cc")
fasterbert_add_backend(NAME bert_gpu_eager SPEC_SOURCE "$C/sources/bert_gpu_eager/pipeline_spec.cc")
fasterbert_add_backend(NAME bert_gpu_packed SPEC_SOURCE "$C/sources/bert_gpu_packed/pipeline_spec.cc")
CM
if [ -n "$LIMITED" ]; then
  mkdir -p "$W/top/$LIMITED"
  sed -e "s#spec.name = \"bert_gpu_packed\"#spec.name = \"$LIMITED\"#" \
    -e "s#cuda_graph_max_tokens = [0-9]*;#cuda_graph_max_tokens = $GRAPH_LIMIT_ALT;#" \
    "$C/sources/bert_gpu_packed/pipeline_spec.cc" > "$W/top/$LIMITED/pipeline_spec.cc"
  grep -n "spec.name\|cuda_graph_max_tokens" "$W/top/$LIMITED/pipeline_spec.cc"
  echo "fasterbert_add_backend(NAME $LIMITED SPEC_SOURCE \"$W/top/$LIMITED/pipeline_spec.cc\")" >> "$W/top/CMakeLists.txt"
fi
configure() {
  cmake -S "$W/top" -B "$W/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFASTERBERT_BUILD_TESTS=ON \
    -DFASTERBERT_WITH_OPENVINO=OFF -DFASTERBERT_WITH_TORCH=ON -DCMAKE_PREFIX_PATH="$TP;$W/gtest"
}
{ configure && cmake --build "$W/build" -j "$J"; } > "$OUT/build.log" 2>&1
BUILD_RC=$?
stamp "build rc=$BUILD_RC"
if [ $BUILD_RC != 0 ]; then
  grep -E "error|Error" "$OUT/build.log" | head -20
  exit 1
fi
grep -E "faster-bert:" "$OUT/build.log" | sort -u
stamp "ctest"
(cd "$W/build" && ctest -j "$J" --output-on-failure --timeout 120) > "$OUT/ctest.log" 2>&1
tail -3 "$OUT/ctest.log"; grep -E "Failed|\*\*\*" "$OUT/ctest.log" | head
grep -E "DeviceOutputs|pooling_cuda" "$OUT/ctest.log" | head

stamp "wait for the export"
wait $EXPORT_PID; echo "export rc=$?"; tail -3 "$OUT/export.log"
wait $EXPORT_PACKED_PID; echo "export --pack-tokens rc=$?"; tail -3 "$OUT/export_packed.log"
if [ -n "$PACKED_ALT" ]; then
  wait $EXPORT_ALT_PID; echo "export --pack-tokens --attention $PACKED_ALT rc=$?"; tail -3 "$OUT/export_packed_alt.log"
fi
fi  # REUSE
[ -s "$W/model/model.pt2" ] || { stamp "no model.pt2"; exit 1; }

if [ "${SKIP_PROBES:-0}" = 1 ]; then  # a repeat run: loader known, engines already measured
  ENGINE_LOADER=${ENGINE_LOADER:-eager}
else
stamp "python AOTI smoke tests"
# torch._inductor.aoti_load_package segfaulted in Python here (the C++ loader
# works); try it with an explicit device, and the C++ loader's own binding.
aoti_smoke() {  # name, python expression that makes `run(ids, mask, types)`
  timeout 120 python3 -X faulthandler -c "
import sys, torch
path = sys.argv[1]
$2
ids = torch.randint(0, 30000, (4, 16), device='cuda'); mask = torch.ones_like(ids)
print('ok', tuple(run(ids, mask, torch.zeros_like(ids)).shape), flush=True)" "$W/model/model.pt2" > "$OUT/aoti_$1.txt" 2>&1
  echo "$1 rc=$? $(tail -1 "$OUT/aoti_$1.txt")"
}
aoti_smoke package_device0 "m = torch._inductor.aoti_load_package(path, device_index=0); run = m" &
aoti_smoke loader_binding "l = torch._C._aoti.AOTIModelPackageLoader(path, 'model', False, 1, 0); run = lambda *x: l.run(list(x))[0]" &
wait
ENGINE_LOADER=eager
grep -q "^ok" "$OUT/aoti_loader_binding.txt" && ENGINE_LOADER=aoti_loader
grep -q "^ok" "$OUT/aoti_package_device0.txt" && ENGINE_LOADER=aoti_package
stamp "python engine loader for the baseline: $ENGINE_LOADER"

stamp "engine alone + roofline"
# The baseline's engine in Python, and the matmul rate for the roofline.
timeout 150 python3 -X faulthandler tools/device/gpu_e2e/engine_alone.py --loader $ENGINE_LOADER \
  --pt2 "$W/model/model.pt2" --tokenizer "$W/model/tokenizer.json" --data "$C/data" \
  > "$OUT/engine_alone.json" 2> "$OUT/engine_alone.err"
head -c 2500 "$OUT/engine_alone.json"; tail -2 "$OUT/engine_alone.err"
fi

if [ "${SKIP_GRAPHS_TEST:-0}" != 1 ]; then
stamp "CUDA graphs against eager calls on the real package"
for packed in 0 1 $([ -n "$PACKED_ALT" ] && echo alt); do
  FASTERBERT_TEST_PT2=$(package_of $packed) \
    FASTERBERT_TEST_PT2_PACKED=$(packs_tokens $packed) timeout 150 "$W/build/fasterbert/tests/aot_inductor_graphs_test" \
    > "$OUT/graphs_test_packed$packed.log" 2>&1
  echo "aot_inductor_graphs_test packed=$packed rc=$?"
  grep -E "^\[|OK|FAILED|max \|diff" "$OUT/graphs_test_packed$packed.log" | head -30
done
fi

stamp "our pipeline against its engine alone"
# TextPipeline as the backend runs it vs the same engine on the same padded
# batch; CUDA graphs off and on (GRAPHS), and how the pipeline cuts a batch
# into engine calls (PLANS of max_batch_tokens:call_cost_tokens; 0:0 is one
# call); tokenizing on the GPU instances' default 4 threads (THREADS="1 4");
# ROUNDS=N repeats each set's measurements N times (files end in _r<n>), to
# see how far two runs of the same thing differ.
for packed in ${PACKED:-0 1}; do
# GRAPHS: 0 (none), 1 (every call replayed: the padded example's default) or 1:N
# (graphs for calls of at most N tokens of work; 1:2048 is the packed example's default).
for graphs in ${GRAPHS:-0 1}; do
  for set in $([ "${SKIP_ENGINE_BENCH:-0}" = 1 ] || echo ${BENCH_SETS:-short long mixed}); do
    for plan in $([ $set = mixed ] && echo ${MIXED_PLANS:-0:0 2048:0 0:1024} || echo ${PLANS:-0:0}); do
      for round in $(seq ${ROUNDS:-1}); do
      for threads in ${THREADS:-4}; do
        f="$OUT/engine_bench_${set}_k${packed}_g${graphs/:/-}_p${plan/:/-}_t$threads$([ ${ROUNDS:-1} -gt 1 ] && echo _r$round).jsonl"
        timeout 120 "$W/build/fasterbert/fasterbert_engine_bench" --kind aotInductor \
          --model "$(package_of $packed)" --pack-tokens $(packs_tokens $packed) \
          --vocab "$W/model/vocab.txt" --texts "$C/data/$set.txt" --hidden 768 --batches ${BATCHES:-1,16,64} \
          --reps 100 --tokenize-threads $threads --cuda-graphs ${graphs%%:*} \
          $([ "${graphs#*:}" != "$graphs" ] && echo --graph-max-tokens ${graphs#*:}) --max-batch-tokens ${plan%%:*} \
          --call-cost-tokens ${plan##*:} > "$f" 2>&1
        echo "engine_bench $set packed=$packed graphs=$graphs plan=$plan threads=$threads round=$round rc=$?"
        grep -v Warning "$f"
      done
      done
    done
  done
done
done

# The FP16 matmul rate the roofline counts against, on this GPU in this call.
(cd tools/device/gpu_e2e && python3 -c "from roofline import matmul_tflops; print(round(matmul_tflops(), 1))") \
  > "$OUT/matmul_tflops.txt" 2>&1
echo "FP16 matmul rate (8192^3): $(tail -1 "$OUT/matmul_tflops.txt") TFLOPS"

if [ "${SKIP_PEER:-0}" != 1 ]; then
stamp "peer: sentence-transformers encode (FP16, batch 64)"
timeout 150 python3 tools/device/gpu_e2e/st_encode.py --data "$C/data" --vocab "$W/model/vocab.txt" \
  --tokenizer "$W/model/tokenizer.json" > "$OUT/st_encode.json" 2> "$OUT/st_encode.err"
cat "$OUT/st_encode.json"; tail -3 "$OUT/st_encode.err"
fi

# The tokenizer threads alone on this host's scheduler.
for set in short long mixed; do
  "$W/build/fasterbert/fasterbert_tokenize_threads_bench" "$W/model/vocab.txt" "$C/data/$set.txt" \
    1,2,4,8 16,64 > "$OUT/tokenize_threads_$set.jsonl" 2>&1
done
cat "$OUT"/tokenize_threads_*.jsonl

# SKIP_SERVE=1: the engine measurements only.
[ "${SKIP_SERVE:-0}" = 1 ] && { stamp "done (SKIP_SERVE)"; exit 0; }

stamp "model repository"
R=$W/repo
rm -rf "$R"; mkdir -p "$R/bert_py_gpu/1"
for m in $OURS; do
  src=$m; lib=$m
  [ "$m" = "bert_gpu_packed_$PACKED_ALT" ] && { src=bert_gpu_packed; lib=$src; }  # the same backend, the other package
  [ "$m" = "$LIMITED" ] && src=bert_gpu_packed  # its own backend, the packed example's config
  mkdir -p "$R/$m/1"
  sed -e "s#^name: \"$src\"#name: \"$m\"#" -e "s#^backend: \"$src\"#backend: \"$lib\"#" \
    "$C/sources/$src/config.pbtxt" > "$R/$m/config.pbtxt"
  cp "$W/build/libtriton_$lib.so" "$R/$m/1/"
  cp "$(package_of $m)" "$W/model/vocab.txt" "$R/$m/1/"
done
sed -e "s#@MODEL_DIR@#$W/model#" -e "s#@EXTRA_SYS_PATH@#$W/pyextra#" -e "s#@ENGINE_LOADER@#$ENGINE_LOADER#" \
  -e "s#@EXPORTER_DIR@#$ROOT/tools/torch_export#" \
  bench/baselines/python_backend_gpu/bert_py_gpu/config.pbtxt > "$R/bert_py_gpu/config.pbtxt"
cp bench/baselines/python_backend_gpu/bert_py_gpu/1/model.py "$R/bert_py_gpu/1/"
# THREAD_TOO=1: each of ours also as <name>_thread, the same backend sending its
# responses from a thread of each instance's own (parameter response_thread "true"),
# to measure the response thread in the same server.
if [ "${THREAD_TOO:-0}" = 1 ]; then
  for m in $OURS; do
    rm -rf "$R/${m}_thread"; cp -r "$R/$m" "$R/${m}_thread"
    sed -i "s#^name: \"$m\"#name: \"${m}_thread\"#" "$R/${m}_thread/config.pbtxt"
    echo 'parameters { key: "response_thread" value { string_value: "true" } }' >> "$R/${m}_thread/config.pbtxt"
    grep -n "^name\|response_thread" "$R/${m}_thread/config.pbtxt"
  done
  OURS="$OURS $(for m in $OURS; do printf '%s_thread ' $m; done)"
fi
# DELAY0_TOO=1: each of ours also as <name>_d0, with no queue delay (Triton then
# batches whatever waits when an instance is free), to compare in the same server.
if [ "${DELAY0_TOO:-0}" = 1 ]; then
  for m in $OURS; do
    rm -rf "$R/${m}_d0"; cp -r "$R/$m" "$R/${m}_d0"
    sed -i -e "s#^name: \"$m\"#name: \"${m}_d0\"#" \
      -e "s#max_queue_delay_microseconds: [0-9]*#max_queue_delay_microseconds: 0#" "$R/${m}_d0/config.pbtxt"
    grep -n "^name\|max_queue_delay\|preferred" "$R/${m}_d0/config.pbtxt"
  done
  OURS="$OURS $(for m in $OURS; do printf '%s_d0 ' $m; done)"
fi
# PREFERRED_BATCH=N: both models form batches of N as soon as N requests
# wait (a second batch can then be in flight while the first is on the GPU).
if [ -n "${PREFERRED_BATCH:-}" ]; then
  # (a model whose pipeline file sets preferredBatchSizes keeps its own)
  sed -i "s#max_queue_delay_microseconds: 2000#&\n  preferred_batch_size: [ $PREFERRED_BATCH ]#" \
    $(for m in $OURS; do grep -q preferred_batch_size "$R/$m/config.pbtxt" || echo "$R/$m/config.pbtxt"; done) \
    "$R/bert_py_gpu/config.pbtxt"
  grep -n "preferred_batch_size" "$R"/*/config.pbtxt
fi

stamp "start tritonserver"
export LD_LIBRARY_PATH=$W/triton/nvidia_pytriton.libs:${LD_LIBRARY_PATH:-}
# The python backend stub here is built with a pybind11 that predates numpy 2
# and the image has numpy 2.5: BYTES inputs arrive as garbage. The stub
# ignores PYTHONPATH, so a .pth file puts numpy 1.26 first while the stubs
# start; it is removed once the models are loaded (other Python here keeps 2.5).
SITE=$(python3 -c 'import site; print(site.getsitepackages()[0])')
echo "import sys; sys.path.insert(0, '$W/numpy1')" > "$SITE/000-fasterbert-numpy1.pth"
"$TS/bin/tritonserver" --model-repository="$R" --backend-directory="$TS/backends" \
  --http-port 8000 --grpc-port 8001 --metrics-port 8002 --log-verbose=0 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  curl -sf localhost:8000/v2/health/ready >/dev/null && break
  kill -0 $SERVER_PID 2>/dev/null || break
  sleep 1
done
curl -sf localhost:8000/v2/health/ready >/dev/null && stamp "server ready" || { stamp "server NOT ready"; tail -30 "$OUT/server.log"; }
rm -f "$SITE/000-fasterbert-numpy1.pth"
for m in $OURS bert_py_gpu; do
  printf '%s ready: %s\n' $m "$(curl -s -o /dev/null -w '%{http_code}' localhost:8000/v2/models/$m/ready)"
done

stamp "check against the reference"
timeout 180 python3 tools/device/gpu_e2e/check_outputs.py --url 127.0.0.1:8000 \
  --models $(echo $OURS | tr ' ' ,),bert_py_gpu --texts "$C/data/check_texts.json" \
  --tokenizer "$W/model/tokenizer.json" --seed 0 --dtype fp16 > "$OUT/check.json" 2> "$OUT/check.err"
cat "$OUT/check.json"; tail -3 "$OUT/check.err"
# A bad request (invalid UTF-8, by base64-free binary protocol is awkward in
# curl): an empty text must get an error while the server stays up.
curl -s -X POST localhost:8000/v2/models/bert_base_gpu_embeddings/infer \
  -d '{"inputs":[{"name":"text","shape":[1,1],"datatype":"BYTES","data":[""]}]}' > "$OUT/bad_request.txt"
echo; cat "$OUT/bad_request.txt"; echo

top -bn1 | head -15 > "$OUT/top_before_perf.txt"
stamp "perf_analyzer sweep"
export LD_LIBRARY_PATH=$W/palib:$LD_LIBRARY_PATH
mkdir -p "$OUT/perf"
for set in $SETS; do
  for c in $CONCURRENCY; do
    for m in $OURS ${BASELINE-bert_py_gpu}; do  # BASELINE= : ours alone
      [ $(( $(date +%s) - T0 )) -gt ${PERF_DEADLINE_S:-540} ] && { stamp "perf deadline: skip $set c$c $m"; continue; }
      curl -s localhost:8000/v2/models/$m/stats > "$OUT/perf/${set}_c${c}_${m}.before.json"
      timeout 60 "$W/bin/perf_analyzer" -m $m -u localhost:8000 -i http --input-data "$C/data/$set.json" \
        --concurrency-range $c $(if [ "${PERF_MODE:-count}" = count ]; then
          echo --measurement-mode count_windows --measurement-request-count $(( c < 16 ? 600 : 250 * c ))
        else echo --measurement-interval $WINDOW_MS; fi) \
        --stability-percentage ${STABILITY:-25} --max-trials 6 \
        -f "$OUT/perf/${set}_c${c}_${m}.csv" > "$OUT/perf/${set}_c${c}_${m}.log" 2>&1
      rc=$?
      echo "$set c$c $m rc=$rc $(grep -E 'Throughput|p99' "$OUT/perf/${set}_c${c}_${m}.log" | tail -2 | tr -s ' ' | tr '\n' ' ')"
      [ $rc = 0 ] || tail -3 "$OUT/perf/${set}_c${c}_${m}.log"
      curl -s localhost:8000/v2/models/$m/stats > "$OUT/perf/${set}_c${c}_${m}.after.json"
    done
  done
done
curl -s localhost:8002/metrics | grep -E "^nv_gpu_utilization|^nv_gpu_memory_used" > "$OUT/gpu_metrics.txt"

grep -iE "error|exception|traceback|fault" "$OUT/server.log" | head -20
stamp "stop server"
kill $SERVER_PID; sleep 3; kill -9 $SERVER_PID 2>/dev/null

stamp "done"
