#!/usr/bin/env bash
# npm run soak: builds examples/embeddings (or, with SOAK_MODEL=tiny, the same
# pipeline on a tiny random BERT), serves it with tritonserver on
# loopback ports, runs bench/soak/soak.py against it (concurrency 64 for
# SOAK_DURATION seconds, default 300, at most SOAK_MAX_REQUESTS requests),
# then stops the server by its PID. Writes build/soak/report.json and prints it.
# Bounded: the run ends at the duration or request cap, whichever comes first.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash scripts/setup.sh
npm run --silent build:ts
mkdir -p build/soak build/logs
# SOAK_MODEL=tiny: the same pipeline on a tiny random BERT (bench/soak/tiny-pipeline.ts)
# for runs of a million requests; the default serves all-MiniLM-L6-v2.
case "${SOAK_MODEL:-minilm}" in
  minilm) pipeline=examples/embeddings/pipeline.ts model=minilm_embeddings model_dir=models/all-MiniLM-L6-v2 ;;
  tiny)
    pipeline=bench/soak/tiny-pipeline.ts model=tiny_embeddings model_dir=models/random-bert-tiny
    if [ ! -f "$model_dir/model.onnx" ]; then
      mkdir -p "$model_dir"
      cp models/all-MiniLM-L6-v2/tokenizer.json models/all-MiniLM-L6-v2/vocab.txt "$model_dir/"
      .venv/bin/python - models/random-bert-classifier/config.json > "$model_dir/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
for key in ("id2label", "label2id"):
    config.pop(key, None)
config["architectures"] = ["BertModel"]
print(json.dumps(config, indent=2))
PY
      .venv/bin/python tools/bert_onnx/export_bert_onnx.py --random-weights --seed 6 \
        --config "$model_dir/config.json" --out "$model_dir/model.onnx" >/dev/null
    fi ;;
  *) echo "SOAK_MODEL is minilm or tiny"; exit 2 ;;
esac
rm -rf build/soak/model_repository
node bin/codegen.js build "$pipeline" --out build/soak/model_repository

triton=$(.venv/bin/python -c 'import pytriton, os; print(os.path.join(os.path.dirname(pytriton.__file__), "tritonserver"))')
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
http_port=$(free_port); grpc_port=$(free_port); metrics_port=$(free_port)
log=build/logs/tritonserver-soak.log
"$triton/bin/tritonserver" --model-repository="$PWD/build/soak/model_repository" \
  --backend-directory="$triton/backends" \
  --http-address=127.0.0.1 --grpc-address=127.0.0.1 --metrics-address=127.0.0.1 \
  --http-port="$http_port" --grpc-port="$grpc_port" --metrics-port="$metrics_port" \
  --exit-timeout-secs=10 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "tritonserver exited; see $log"; tail -20 "$log"; exit 1; fi
  sleep 0.5
done

echo "[soak] tritonserver pid $pid on 127.0.0.1:$http_port; ${SOAK_DURATION:-300} s at concurrency ${SOAK_CONCURRENCY:-64}"
.venv/bin/python bench/soak/soak.py --http-port="$http_port" --server-pid="$pid" \
  --model="$model" --model-dir="$model_dir" \
  --concurrency="${SOAK_CONCURRENCY:-64}" --duration="${SOAK_DURATION:-300}" \
  --max-requests="${SOAK_MAX_REQUESTS:-1000000}" --max-rss-growth-mib="${SOAK_MAX_RSS_GROWTH_MIB:-64}" \
  | tee build/soak/report.json
alive=$(kill -0 "$pid" 2>/dev/null && echo true || echo false)
echo "[soak] server alive after the run: $alive"
.venv/bin/python - build/soak/report.json "$alive" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ok = (report["lost"] == 0 and report["unexpected"] == 0 and sys.argv[2] == "true"
      and report["rss_within_bound"])
print("[soak] " + ("PASS" if ok else "FAIL") + f": {report['sent']} sent, {report['succeeded']} succeeded, "
      f"{report['failed_as_expected']} failed as expected, {report['unexpected']} unexpected, {report['lost']} lost, "
      f"RSS +{report['rss_growth_mib']} MiB (bound {report['max_rss_growth_mib']})")
sys.exit(0 if ok else 1)
PY
