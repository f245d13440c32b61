#!/usr/bin/env bash
# Packs tritonserver (the pinned pytriton wheel's, with its python backend,
# the 3.12 stub the GPU machine's Python needs and its libraries, less the
# libpython that machine has) and perf_analyzer into DIR as triton.txz and
# perf_analyzer.xz, for a device call to carry; a file already there is kept.
# xz, not gzip: a call carries at most 64 MiB.
# usage: bash tools/device/bundle_server.sh DIR   (from the checkout's root)
set -euo pipefail
out=${1:?"usage: $0 DIR"}
site=.venv/lib/python3.11/site-packages
mkdir -p "$out"; out=$(cd "$out" && pwd)
[ -f "$out/triton.txz" ] || (cd "$site" && tar cJf "$out/triton.txz" \
  pytriton/tritonserver/bin/tritonserver pytriton/tritonserver/backends/python \
  pytriton/tritonserver/python_backend_stubs/3.12 pytriton/tritonserver/caches \
  $(ls -d nvidia_pytriton.libs/* | grep -v libpython3))
[ -f "$out/perf_analyzer.xz" ] || xz -9 -c .venv/bin/perf_analyzer > "$out/perf_analyzer.xz"
