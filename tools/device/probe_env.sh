#!/usr/bin/env bash
# What the GPU machine offers for a GPU engine: CUDA toolkit, cuBLAS, PyTorch's
# libtorch and headers (AOTInductor loader), onnxruntime, TensorRT, Triton.
# Prints a plain-text report on stdout. Read-only: installs nothing.
set -u
py=python3
sec() { printf '\n== %s\n' "$*"; }
sec date; date -u
sec GPU; nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1
sec "CUDA toolkit"; command -v nvcc; nvcc --version 2>&1 | tail -2
CUDA_HOME_GUESS=$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")
echo "toolkit root: $CUDA_HOME_GUESS"; ls -d /usr/local/cuda* 2>/dev/null
for h in cuda_runtime.h cuda_fp16.h cublas_v2.h cublasLt.h; do
  f=$(find "$CUDA_HOME_GUESS" /usr/local/cuda*/ -name "$h" 2>/dev/null | head -1); echo "header $h: ${f:-MISSING}"
done
sec cuBLAS libraries
find "$CUDA_HOME_GUESS" /usr/local/cuda*/ /usr/lib/x86_64-linux-gnu -name 'libcublas*.so*' 2>/dev/null | sort -u | head
sec "tools"; cmake --version | head -1; ninja --version; g++ --version | head -1; nproc; free -g | head -2; df -h / /tmp | tail -2
sec PyTorch
$py - <<'PY'
import os, glob, torch
d = os.path.dirname(torch.__file__)
print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())
print("cxx11 abi", torch._C._GLIBCXX_USE_CXX11_ABI)
print("site dir", d)
print("cmake_prefix_path", torch.utils.cmake_prefix_path)
print("device", torch.cuda.get_device_name(0), torch.cuda.get_device_capability(0))
libs = sorted(glob.glob(os.path.join(d, "lib", "*.so*")))
tot = sum(os.path.getsize(p) for p in libs)
print(f"torch/lib: {len(libs)} shared libraries, {tot/2**20:.0f} MiB")
for p in libs:
    n = os.path.basename(p)
    if n.startswith(("libtorch", "libc10", "libaoti", "libshm")):
        print(f"  {n}  {os.path.getsize(p)/2**20:.1f} MiB")
inc = os.path.join(d, "include")
for rel in ["torch/script.h", "torch/csrc/api/include/torch/torch.h",
            "torch/csrc/inductor/aoti_package/model_package_loader.h",
            "torch/csrc/inductor/aoti_runner/model_container_runner_cuda.h",
            "torch/csrc/inductor/aoti_runtime/model_container.h",
            "torch/csrc/inductor/aoti_torch/c/shim.h",
            "ATen/cuda/CUDAContext.h", "c10/cuda/CUDAStream.h"]:
    print(f"header {rel}: {'present' if os.path.exists(os.path.join(inc, rel)) else 'MISSING'}")
share = os.path.join(d, "share", "cmake")
print("cmake configs:", sorted(os.listdir(share)) if os.path.isdir(share) else "none")
try:
    import torch._inductor
    print("torch._inductor.aoti_compile_and_package:", hasattr(torch._inductor, "aoti_compile_and_package"))
    print("torch._inductor.aoti_load_package:", hasattr(torch._inductor, "aoti_load_package"))
except Exception as e:
    print("inductor import failed", e)
PY
grep -n "AOTIModelPackageLoader(" "$($py -c 'import torch,os;print(os.path.dirname(torch.__file__))')/include/torch/csrc/inductor/aoti_package/model_package_loader.h" 2>/dev/null | head -3
grep -n -A3 "std::vector<at::Tensor> run(" "$($py -c 'import torch,os;print(os.path.dirname(torch.__file__))')/include/torch/csrc/inductor/aoti_package/model_package_loader.h" 2>/dev/null | head -8
sec onnxruntime
$py -c 'import onnxruntime as o; print("onnxruntime", o.__version__, o.get_available_providers())' 2>&1
$py -m pip show onnxruntime-gpu onnxruntime-gpu-cu13 2>&1 | grep -E '^(Name|Version|WARNING)' ; true
find / -xdev -name 'libonnxruntime_providers_cuda.so' 2>/dev/null | head -3
sec TensorRT
$py -m pip show tensorrt tensorrt-cu13 2>&1 | grep -E '^(Name|Version|WARNING)'; true
ldconfig -p | grep -i nvinfer || echo "no libnvinfer in ldconfig"
find / -xdev \( -name 'NvInfer.h' -o -name 'libnvinfer.so*' -o -name trtexec \) 2>/dev/null | head -3
sec "Triton / cuDNN / NCCL wheels"
command -v tritonserver || echo "no tritonserver on PATH"
$py -m pip show nvidia-pytriton tritonclient nvidia-cudnn-cu13 nvidia-cublas nvidia-cuda-runtime 2>&1 | grep -E '^(Name|Version|Location|WARNING)'; true
