// Compiled by the host C++ compiler with the project's warnings: the engine
// stage includes pooling_cuda.h from plain C++ translation units.
#include "ops/cuda/pooling_cuda.h"

int HeaderCheckCallsCompile() {
  namespace cuops = fasterbert::ops::cuda;
  // Empty problems: nothing is launched, so null pointers are fine.
  int bad = 0;
  bad += cuops::MeanPoolDevice(nullptr, nullptr, 0, 0, 0, nullptr, nullptr) != cudaSuccess;
  bad += cuops::MeanPoolDeviceHalf(nullptr, nullptr, 0, 0, 0, nullptr, nullptr) != cudaSuccess;
  bad += cuops::MaxPoolDevice(nullptr, nullptr, 0, 0, 0, nullptr, nullptr) != cudaSuccess;
  bad += cuops::ClsPoolDevice(nullptr, 0, 0, 0, nullptr, nullptr) != cudaSuccess;
  bad += cuops::L2NormalizeRowsDevice(nullptr, 0, 0, nullptr) != cudaSuccess;
  bad += cuops::FiniteRowsDevice(nullptr, 0, 768, nullptr, nullptr) != cudaSuccess;
  bad += cuops::SoftmaxRowsDevice(nullptr, 0, 0, nullptr, nullptr) != cudaSuccess;
  return bad;
}
