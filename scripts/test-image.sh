#!/usr/bin/env bash
# npm run test:image: builds the CPU image (docker/Dockerfile) with buildah,
# starts it with podman on free loopback ports, runs test/image/ against it
# (embeddings vs HF tokenizers + ONNX Runtime + numpy, bad requests, non-root,
# HEALTHCHECK, no compilers), and always removes the container. Prints the
# build time and the image size.
#   FASTERBERT_IMAGE            image name (default localhost/faster-bert-cpu:latest,
#                               what test/deploy/kube-play.sh runs)
#   FASTERBERT_IMAGE_NO_CACHE=1 build without the layer cache (a cold build)
#   FASTERBERT_REBUILD_BASE=1   remake the debootstrap base image
# Needs root (buildah/podman with the system's container storage) and Debian's
# mirror; no container registry: the base image is made here (scripts/image/make-base.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[image] %s\n' "$*"; }
if [ "$(id -u)" != 0 ]; then
  say "run as root: buildah and podman use the system's container storage here"
  exit 1
fi
image=${FASTERBERT_IMAGE:-localhost/faster-bert-cpu:latest}
# crun, podman's default runtime, fails on this kernel's cgroup setup; runc works.
podman=(podman --runtime /usr/sbin/runc)

# Debian packages: buildah builds, podman runs, debootstrap makes the base.
missing=()
for pkg in buildah podman runc debootstrap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The host side of the check: the reference (HF tokenizers, ONNX Runtime,
# tritonclient in .venv; the model's tokenizer and ONNX in models/), hadolint
# and vitest.
if ! .venv/bin/python -c 'import tokenizers, onnxruntime, tritonclient.http, tritonclient.grpc' 2>/dev/null \
  || [ ! -x .venv/bin/hadolint ] || [ ! -f models/all-MiniLM-L6-v2/model.onnx ] || [ ! -d node_modules/vitest ]; then
  bash scripts/setup.sh
fi

bash scripts/image/make-base.sh

# Build secrets: this machine's CA bundle and package-manager settings reach
# the downloading RUN steps only (docker/build-secrets.sh), never a layer.
secrets=()
add_secret() {  # id, candidate files (the first that exists)
  local id=$1 file; shift
  for file in "$@"; do
    if [ -f "$file" ]; then secrets+=(--secret "id=$id,src=$file"); return; fi
  done
}
add_secret ca "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt
add_secret pipconf "${PIP_CONFIG_FILE:-}" /etc/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf"
add_secret npmrc "${NPM_CONFIG_USERCONFIG:-}" "$HOME/.npmrc" /etc/npmrc

cache=()
if [ "${FASTERBERT_IMAGE_NO_CACHE:-0}" = 1 ]; then cache=(--no-cache); fi
mkdir -p build/logs
build_log=build/logs/image-build.log
previous=$(buildah inspect --type image --format '{{.FromImageID}}' "$image" 2>/dev/null || true)
say "buildah bud -f docker/Dockerfile -t $image (log: $build_log)"
started=$(date +%s)
# --format docker: the OCI image format has no HEALTHCHECK.
if ! buildah bud --pull-never --isolation chroot --format docker --layers "${cache[@]}" \
    --ignorefile docker/Dockerfile.dockerignore "${secrets[@]}" \
    -f docker/Dockerfile -t "$image" . >"$build_log" 2>&1; then
  tail -n 40 "$build_log"
  say "build failed; full log: $build_log"
  exit 1
fi
build_seconds=$(( $(date +%s) - started ))
# The image this tag named before, now untagged: removed unless something uses it.
if [ -n "$previous" ] && [ "$previous" != "$(buildah inspect --type image --format '{{.FromImageID}}' "$image")" ]; then
  buildah rmi "$previous" >/dev/null 2>&1 || true
fi
size_bytes=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")
say "built in ${build_seconds} s; image size $(( size_bytes / 1000000 )) MB ($size_bytes bytes)"

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
http_port=$(free_port); grpc_port=$(free_port); metrics_port=$(free_port)
container=faster-bert-image-test-$$
cleanup() {
  "${podman[@]}" logs "$container" >build/logs/image-container.log 2>&1 || true
  "${podman[@]}" rm --force --time 10 "$container" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "podman run $image as $container on 127.0.0.1:$http_port (HTTP), :$grpc_port (gRPC), :$metrics_port (metrics), CPU limit 1"
# Explicit ulimits: podman's defaults fail setrlimit here. podman schedules
# the HEALTHCHECK with a systemd timer; without systemd (this machine) it logs
# two errors and runs the container without the timer: those lines are left
# out, and the test runs the HEALTHCHECK itself (podman healthcheck run).
run_log=build/logs/image-podman-run.log
# A CPU limit, as Kubernetes' limits.cpu sets one (a CFS quota, not fewer
# visible cores): the backend sizes OpenVINO's threads to it.
cpus=1
if ! "${podman[@]}" run --detach --name "$container" --cpus "$cpus" \
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    -p "127.0.0.1:$http_port:8000" -p "127.0.0.1:$grpc_port:8001" -p "127.0.0.1:$metrics_port:8002" \
    "$image" >/dev/null 2>"$run_log"; then
  cat "$run_log"
  exit 1
fi
grep -v 'unable to get systemd connection' "$run_log" >&2 || true

started=$(date +%s)
until curl -fsS -o /dev/null "http://127.0.0.1:$http_port/v2/health/ready" 2>/dev/null; do
  if [ "$("${podman[@]}" inspect --format '{{.State.Running}}' "$container")" != true ]; then
    "${podman[@]}" logs "$container" | tail -n 40
    say "the container stopped before it was ready"
    exit 1
  fi
  if [ $(( $(date +%s) - started )) -ge 120 ]; then
    "${podman[@]}" logs "$container" | tail -n 40
    say "not ready after 120 s"
    exit 1
  fi
  sleep 1
done
say "ready after $(( $(date +%s) - started )) s"

status=0
FASTERBERT_IMAGE="$image" FASTERBERT_IMAGE_CONTAINER="$container" FASTERBERT_IMAGE_HTTP_PORT="$http_port" \
  FASTERBERT_IMAGE_GRPC_PORT="$grpc_port" FASTERBERT_IMAGE_METRICS_PORT="$metrics_port" FASTERBERT_IMAGE_CPUS="$cpus" \
  npx vitest run test/image || status=$?
say "image $image: built in ${build_seconds} s, $(( size_bytes / 1000000 )) MB"
exit $status
