# The TensorRT engine, built only where TensorRT is installed: TENSORRT_ROOT
# (a tar install or /usr) must hold include/NvInfer.h and the libraries.
#  - Full TensorRT (libnvinfer + libnvonnxparser, NVIDIA's tritonserver
#    containers under /usr): loads plans and builds ONNX models at load.
#  - The lean runtime alone (libnvinfer_lean, e.g. PyPI
#    tensorrt-lean-cu13-libs, with the headers beside it): loads plans only,
#    a far smaller install; an ONNX model is refused with a message.
# No package registry ships TensorRT's C++ headers, so elsewhere the engine
# is skipped with a message.
set(TENSORRT_ROOT "$ENV{TENSORRT_ROOT}" CACHE PATH "TensorRT install prefix")
option(FASTERBERT_WITH_TENSORRT "Require the TensorRT engine (set by codegen for TensorRT pipelines)" OFF)
find_path(FASTERBERT_TENSORRT_INCLUDE NvInfer.h
  HINTS ${TENSORRT_ROOT} PATH_SUFFIXES include include/x86_64-linux-gnu)
find_library(FASTERBERT_NVINFER nvinfer
  HINTS ${TENSORRT_ROOT} PATH_SUFFIXES lib lib64 lib/x86_64-linux-gnu)
# The ONNX parser: an `onnx` model with provider 'tensorrt' is built at load.
find_library(FASTERBERT_NVONNXPARSER nvonnxparser
  HINTS ${TENSORRT_ROOT} PATH_SUFFIXES lib lib64 lib/x86_64-linux-gnu)
# The wheel ships only the versioned file name.
find_library(FASTERBERT_NVINFER_LEAN NAMES nvinfer_lean libnvinfer_lean.so.11 libnvinfer_lean.so.10
  HINTS ${TENSORRT_ROOT} PATH_SUFFIXES lib lib64 lib/x86_64-linux-gnu tensorrt_lean_libs)
if(FASTERBERT_TENSORRT_INCLUDE AND FASTERBERT_NVINFER AND FASTERBERT_NVONNXPARSER AND TARGET fasterbert_ops_cuda)
  message(STATUS "faster-bert: TensorRT engine with ${FASTERBERT_NVINFER}")
  add_library(fasterbert_tensorrt STATIC ${CMAKE_CURRENT_LIST_DIR}/tensorrt_engine.cc
                                         ${CMAKE_CURRENT_LIST_DIR}/tensorrt_onnx_build.cc)
  target_compile_definitions(fasterbert_tensorrt PRIVATE FASTERBERT_TENSORRT_ONNX=1)
  target_link_libraries(fasterbert_tensorrt PUBLIC ${FASTERBERT_NVINFER} ${FASTERBERT_NVONNXPARSER} CUDA::cudart)
elseif(FASTERBERT_TENSORRT_INCLUDE AND FASTERBERT_NVINFER_LEAN AND TARGET fasterbert_ops_cuda)
  message(STATUS "faster-bert: TensorRT engine with the lean runtime ${FASTERBERT_NVINFER_LEAN} (plans only)")
  add_library(fasterbert_tensorrt STATIC ${CMAKE_CURRENT_LIST_DIR}/tensorrt_engine.cc)
  target_link_libraries(fasterbert_tensorrt PUBLIC ${FASTERBERT_NVINFER_LEAN} CUDA::cudart)
endif()
if(TARGET fasterbert_tensorrt)
  target_include_directories(fasterbert_tensorrt PUBLIC ${FASTERBERT_DIR})
  target_include_directories(fasterbert_tensorrt SYSTEM PRIVATE ${FASTERBERT_TENSORRT_INCLUDE})
  target_compile_definitions(fasterbert_engines PRIVATE FASTERBERT_WITH_TENSORRT=1)
  target_link_libraries(fasterbert_engines PUBLIC fasterbert_tensorrt)
elseif(FASTERBERT_WITH_TENSORRT)
  # codegen asks for it (a pipeline with a TensorRT engine): fail here, not at model load.
  message(FATAL_ERROR "faster-bert: the pipeline's engine is TensorRT but no TensorRT was found "
                      "under TENSORRT_ROOT='${TENSORRT_ROOT}' (needs include/NvInfer.h, "
                      "lib/libnvinfer.so or libnvinfer_lean, and CUDA); build where TensorRT is installed, e.g. docker/")
else()
  message(STATUS "faster-bert: TensorRT not found (set TENSORRT_ROOT; needs CUDA too), "
                 "TensorRT engine skipped")
endif()
