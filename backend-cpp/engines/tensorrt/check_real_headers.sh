#!/usr/bin/env bash
# Compiles the TensorRT adapter's three units (engine with the ONNX build,
# engine alone as linked with the lean runtime, the ONNX build) with
# -Wall -Wextra -Wpedantic -Werror against TensorRT's real public headers,
# which no registry ships: pass the folder holding NvInfer.h (e.g. the
# include/ of NVIDIA's open-source TensorRT repository at a release tag; keep
# it out of the repository) and, where NvOnnxParser.h is elsewhere, its
# folder. CUDA's headers come pinned from PyPI into build/cuda-headers.
# Usage: bash backend-cpp/engines/tensorrt/check_real_headers.sh TENSORRT_INCLUDE [ONNX_PARSER_INCLUDE]
set -euo pipefail
cd "$(dirname "$0")/../../.."
trt=${1:?"usage: $0 TENSORRT_INCLUDE [ONNX_PARSER_INCLUDE]"}
parser=${2:-$trt}
cuda=build/cuda-headers
if [ ! -f "$cuda/nvidia/cu13/include/crt/host_defines.h" ]; then
  mkdir -p "$cuda/wheels"
  .venv/bin/pip download -q --no-deps --only-binary :all: -d "$cuda/wheels" \
    nvidia-cuda-runtime==13.5.37 nvidia-cuda-crt==13.5.37
  for w in "$cuda"/wheels/*.whl; do .venv/bin/python -m zipfile -e "$w" "$cuda"; done
fi
grep -h "define NV_TENSORRT_\(MAJOR\|MINOR\|PATCH\)\|define TRT_\(MAJOR\|MINOR\|PATCH\)_ENTERPRISE" "$trt/NvInferVersion.h" || true
check() {
  g++ -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -Ibackend-cpp \
    -isystem "$trt" -isystem "$parser" -isystem "$cuda/nvidia/cu13/include" "$@"
}
status=0
for unit in "-DFASTERBERT_TENSORRT_ONNX=1 backend-cpp/engines/tensorrt/tensorrt_engine.cc" \
            "backend-cpp/engines/tensorrt/tensorrt_engine.cc" \
            "backend-cpp/engines/tensorrt/tensorrt_onnx_build.cc"; do
  # shellcheck disable=SC2086
  if check $unit; then echo "ok: $unit"; else echo "FAILED: $unit"; status=1; fi
done
exit $status
