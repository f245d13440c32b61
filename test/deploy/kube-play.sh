#!/usr/bin/env bash
# Runs the Deployment that `codegen deploy` writes with `podman kube play`
# (no cluster can run here): the pod must start from the CPU image as a
# non-root user with a read-only root filesystem and no capabilities, pass
# the embeddings check through its HTTP and gRPC ports (HF tokenizers + ONNX
# Runtime reference), and on SIGTERM serve the requests in flight before it
# exits. Needs podman and the image (`npm run test:image` builds one):
#
#   FASTERBERT_IMAGE=localhost/faster-bert-cpu:test bash test/deploy/kube-play.sh
#
# Ports are published on 127.0.0.1 only; the pod is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${FASTERBERT_IMAGE:-localhost/faster-bert-cpu:latest}
name=fb-kube-play-$$
work=$(mktemp -d)
say() { echo "[kube-play] $*"; }

podman image exists "$image" || { say "image $image not found: build it first (npm run test:image) or set FASTERBERT_IMAGE"; exit 2; }

# runc and explicit ulimits: this machine's podman fails with crun and the default limits.
cat >"$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$work/containers.conf

cleanup() {
  podman kube down "$work/play.yaml" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "codegen deploy (config.pbtxt from codegen build --sources-only)"
node bin/codegen.js build examples/embeddings/pipeline.ts --sources-only --build-dir "$work/generated" >/dev/null
node bin/codegen.js deploy "$work/generated" --out "$work/k8s" --name "$name" --image "$image" \
  --image-pull-policy Never --no-autoscaling --replicas 1 >/dev/null

# kube play publishes only hostPorts: add free loopback ones to a copy of the Deployment.
# It also turns each emptyDir into a named volume (root-owned, where Kubernetes makes
# emptyDirs world-writable), so the copy names them per run and /dev/shm is not checked.
read -r http grpc metrics < <(.venv/bin/python - "$work/k8s/deployment.yaml" "$work/play.yaml" <<'PY'
import socket, sys, yaml
deployment = yaml.safe_load(open(sys.argv[1]))
ports = []
for port in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port["hostPort"] = s.getsockname()[1]; s.close()
    port["hostIP"] = "127.0.0.1"
    ports.append(str(port["hostPort"]))
pod = deployment["spec"]["template"]["spec"]
prefix = deployment["metadata"]["name"]
for item in pod["volumes"] + pod["containers"][0]["volumeMounts"]:
    item["name"] = f"{prefix}-{item['name']}"
yaml.safe_dump(deployment, open(sys.argv[2], "w"))
print(" ".join(ports))
PY
)
say "podman kube play (http 127.0.0.1:$http, grpc $grpc, metrics $metrics)"
podman kube play "$work/play.yaml" >/dev/null 2>"$work/play.log" || { cat "$work/play.log"; exit 1; }
container=$(podman ps --filter "pod=$name-pod-0" --format '{{.Names}}' | grep tritonserver)

for _ in $(seq 1 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/v2/health/ready")" = 200 ] && break
  sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/v2/health/ready")" = 200 ] || { podman logs "$container" | tail -20; say "FAIL: not ready"; exit 1; }

fail=0
check() { if eval "$2"; then say "ok: $1"; else say "FAIL: $1"; fail=1; fi; }
check "runs as uid 1000, not root" '[ "$(podman exec "$container" id -u)" = 1000 ]'
check "root filesystem is read-only" '! podman exec "$container" touch /probe 2>/dev/null'
check "no capabilities" '[ "$(podman exec "$container" grep CapEff /proc/1/status | tr -d "[:space:]")" = CapEff:0000000000000000 ]'
check "tritonserver runs with the generated args" 'podman exec "$container" cat /proc/1/cmdline | tr "\0" " " | grep -q -- "--model-repository=/models --http-port=8000 --grpc-port=8001 --metrics-port=8002 --exit-timeout-secs=30"'
check "liveness endpoint" '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$http/v2/health/live")" = 200 ]'

report=$(.venv/bin/python test/e2e/embeddings_check.py --http-port="$http" --grpc-port="$grpc" --model=minilm_embeddings \
  --model-dir=models/all-MiniLM-L6-v2 --max-length=256)
check "embeddings match the HF tokenizers + ONNX Runtime reference (cosine >= 0.9999)" \
  "echo '$report' | .venv/bin/python -c 'import json,sys; r=json.load(sys.stdin); sys.exit(0 if min(r[\"http_batch_min_cosine\"], r[\"grpc_batch_min_cosine\"], r[\"concurrent_min_cosine\"]) >= 0.9999 and r[\"concurrent_failed\"] == 0 else 1)'"
check "the adapter rule's counters are on the metrics port" \
  'curl -s "http://127.0.0.1:$metrics/metrics" | grep -q "^nv_inference_queue_duration_us{model=\"minilm_embeddings\"" &&
   curl -s "http://127.0.0.1:$metrics/metrics" | grep -q "^nv_inference_request_success{model=\"minilm_embeddings\""'

say "SIGTERM with 4 requests in flight"
drain=$(.venv/bin/python - "$http" "$container" <<'PY'
import json, subprocess, sys, threading, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/v2/models/minilm_embeddings/infer"
body = json.dumps({"inputs": [{"name": "text", "shape": [16, 1], "datatype": "BYTES",
                   "data": [" ".join(f"word{i}" for i in range(120))] * 16}]}).encode()
results = []
def send():
    try:
        results.append(urllib.request.urlopen(urllib.request.Request(url, body, {"content-type": "application/json"}), timeout=60).status)
    except Exception as error:
        results.append(type(error).__name__)
threads = [threading.Thread(target=send) for _ in range(4)]
for thread in threads: thread.start()
time.sleep(0.3)
subprocess.run(["podman", "kill", "--signal", "TERM", sys.argv[2]], check=True, capture_output=True)
for thread in threads: thread.join()
print(" ".join(str(result) for result in results))
PY
)
check "every request in flight at SIGTERM answered 200 ($drain)" '[ "$drain" = "200 200 200 200" ]'
check "Triton waited for them (its log)" 'podman logs "$container" 2>&1 | grep -q "Signal (15) received"'

[ $fail = 0 ] && say "all checks passed" || say "some checks failed"
exit $fail
