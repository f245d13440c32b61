"""The GEMM roofline the GPU reports count against: the BERT-base encoder's
matmul parameters (2 FLOP each per token) and the FP16 matmul rate measured on
the machine at hand (an 8192^3 product, CUDA events)."""
import torch

HIDDEN, LAYERS, FFN = 768, 12, 3072
# Weights the matmuls touch per token (Q, K, V, O, and the two FFN dense).
ENCODER_MATMUL_PARAMS = LAYERS * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN)


def matmul_tflops() -> float:
    n = 8192
    a = torch.randn(n, n, device="cuda", dtype=torch.float16)
    b = torch.randn(n, n, device="cuda", dtype=torch.float16)
    for _ in range(3):
        a @ b
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(20):
        a @ b
    end.record()
    torch.cuda.synchronize()
    return 2 * n ** 3 * 20 / (start.elapsed_time(end) / 1e3) / 1e12
