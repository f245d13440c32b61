// Device-resident post-processing for the engine stage: pooling, L2
// normalisation and softmax on buffers that already live in GPU memory, so
// only the pooled [batch, hidden] (or [rows, classes]) result has to cross to
// the host. Same semantics as the CPU ops in ops/pooling.h, ops/normalize.h
// and ops/activation.h; the unit test (tests/pooling_cuda_test.cu) holds them
// to those.
//
// Every function:
//  - takes device pointers only (hidden states, mask and output all in the
//    memory of the current device), row-major and densely packed;
//  - enqueues its work on `stream` and returns without synchronising;
//  - returns the launch's status (cudaSuccess, or the error the launch
//    raised); an empty problem (a size of 0) launches nothing and succeeds.
//
// Accuracy: sums (mean pool, sum of squares, softmax denominator) are
// accumulated in double, as the CPU ops do, and only the final value is
// rounded to float. The result then differs from the CPU op by at most one
// float rounding (about 6e-8 relative), whatever the sequence length;
// only the order of the double additions differs.
//
// Plain C++ may include this header: it needs only the CUDA runtime API
// declarations, no CUDA compiler.
#pragma once

#include <cstdint>

#include <cuda_runtime_api.h>

struct __half;  // IEEE binary16, as cuda_fp16.h defines it.

namespace fasterbert::ops::cuda {

// hidden: [batch, seq, hidden_size] float; mask: [batch, seq], nonzero = real
// token; out: [batch, hidden_size].
// Masked mean: sum(mask * x) / max(sum(mask != 0), 1e-9); a row whose mask is
// all zero gives 0 (not NaN), like sentence-transformers.
cudaError_t MeanPoolDevice(const float* hidden, const int64_t* mask, int64_t batch,
                           int64_t seq, int64_t hidden_size, float* out,
                           cudaStream_t stream);
// The same over an FP16 engine output (TensorRT FP16 engines); each element is
// widened to float exactly, accumulation in double, output float.
cudaError_t MeanPoolDeviceHalf(const __half* hidden, const int64_t* mask, int64_t batch,
                               int64_t seq, int64_t hidden_size, float* out,
                               cudaStream_t stream);
// The first position ([CLS]) of each row; the mask is not consulted.
cudaError_t ClsPoolDevice(const float* hidden, int64_t batch, int64_t seq,
                          int64_t hidden_size, float* out, cudaStream_t stream);
// Max over the real positions; padded positions never win; a row whose mask is
// all zero gives 0.
cudaError_t MaxPoolDevice(const float* hidden, const int64_t* mask, int64_t batch,
                          int64_t seq, int64_t hidden_size, float* out,
                          cudaStream_t stream);

// rows: [count, dim], normalised in place: x / max(||x||_2, 1e-12), as
// torch.nn.functional.normalize(p=2, eps=1e-12). An all-zero row stays zero.
// With `finite` ([count] on the device), also writes each normalised row's
// flag as FiniteRowsDevice does, in the same pass over the row.
cudaError_t L2NormalizeRowsDevice(float* rows, int64_t count, int64_t dim,
                                  cudaStream_t stream, uint8_t* finite = nullptr);

// rows: [count, dim] -> finite: [count], 1 where every value of the row is
// finite, 0 where one is NaN or infinite: the check the heads make before a
// row goes out (pipeline/heads/head.h AllFinite), done where the rows are, so
// the host reads count bytes instead of scanning count * dim floats.
// Rows of no values (dim 0) are finite: unlike the other ops' empty
// problems, their flags are still written (a memset), here and in L2.
cudaError_t FiniteRowsDevice(const float* rows, int64_t count, int64_t dim, uint8_t* finite,
                             cudaStream_t stream);

// logits: [count, classes] -> out: [count, classes], softmax over the last dim,
// numerically stable (the row's max is subtracted before exp). `out` may equal
// `logits`.
cudaError_t SoftmaxRowsDevice(const float* logits, int64_t count, int64_t classes,
                              float* out, cudaStream_t stream);

}  // namespace fasterbert::ops::cuda
