#!/usr/bin/env bash
# Gathers what run.sh needs on the GPU machine (which has no network) into
# ignored folders of the checkout, to be carried with the run:
#   build/tensorrt-lean/    the lean runtime wheel, pinned (PyPI)
#   build/tensorrt-headers/ TensorRT 11's public headers: no registry ships
#                           them; pass a folder holding NvInfer.h, e.g. the
#                           include/ of NVIDIA's open-source TensorRT
#                           repository (never commit them)
# Usage: bash tools/device/tensorrt_lean/prepare.sh TENSORRT_INCLUDE_DIR
set -euo pipefail
cd "$(dirname "$0")/../../.."
headers=${1:?"usage: $0 TENSORRT_INCLUDE_DIR (the folder holding NvInfer.h of TensorRT 11)"}
[ -f "$headers/NvInfer.h" ] || { echo "no NvInfer.h in $headers" >&2; exit 1; }
rm -rf build/tensorrt-lean build/tensorrt-headers
mkdir -p build/tensorrt-lean build/tensorrt-headers
.venv/bin/pip download --no-deps --only-binary :all: "tensorrt-lean-cu13-libs==11.4.0.106" -d build/tensorrt-lean
cp "$headers"/NvInfer*.h build/tensorrt-headers/
du -sh build/tensorrt-lean build/tensorrt-headers
