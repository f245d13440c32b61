#!/usr/bin/env bash
# npm start: installs what is missing, builds examples/embeddings with
# `codegen build`, starts tritonserver on 127.0.0.1 and prints a curl.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
node bin/codegen.js build examples/embeddings/pipeline.ts --out model_repository

triton=$(.venv/bin/python -c 'import pytriton, os; print(os.path.join(os.path.dirname(pytriton.__file__), "tritonserver"))')
http_port=${HTTP_PORT:-8000}
mkdir -p build/logs
log=build/logs/tritonserver-start.log
"$triton/bin/tritonserver" --model-repository="$PWD/model_repository" \
  --backend-directory="$triton/backends" \
  --http-address=127.0.0.1 --grpc-address=127.0.0.1 --metrics-address=127.0.0.1 \
  --http-port="$http_port" --grpc-port="${GRPC_PORT:-8001}" --metrics-port="${METRICS_PORT:-8002}" \
  >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null; then break; fi
  if ! kill -0 $pid 2>/dev/null; then echo "tritonserver exited; see $log"; tail -20 "$log"; exit 1; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$http_port/v2/health/ready" >/dev/null || { echo "tritonserver not ready; see $log"; exit 1; }

cat <<MSG

tritonserver (pid $pid) serves model 'minilm_embeddings' on 127.0.0.1:$http_port (log: $log). Try:

curl -s http://127.0.0.1:$http_port/v2/models/minilm_embeddings/infer \\
  -H 'content-type: application/json' \\
  -d '{"inputs":[{"name":"text","shape":[2,1],"datatype":"BYTES","data":["Hello, Triton!","你好,世界"]}]}'

Ctrl-C stops the server.
MSG
wait $pid
