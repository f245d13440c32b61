"""Variable-length attention forward in Triton, as a custom op AOTInductor can
package: `torch.ops.fasterbert.varlen_attention(q, k, v, cu, max_len)`.

The packed encoder (export_bert_pt2.py --pack-tokens --attention triton) lays
a batch's real tokens out as Q, K, V of [T, heads, D] (D 32 or 64, FP16) with
cumulative row lengths `cu` (int32, [b + 1]); `max_len` bounds every row's
length. Non-causal, no dropout, scale 1/sqrt(D), FP32 accumulation, FP16 out.
Why our own: FlashAttention 2's kernel that ATen ships is built for sm80 and
its 128-row query tiles waste much on short rows, cuDNN's fused attention has
no AOTInductor C shim, and a Triton kernel is compiled by AOTInductor into the
package itself (torch.library.triton_op: export keeps the op whole, Inductor
then traces it into the kernel's launch).

Rows past cu[-1] (the padding entries of a token bucket) are neither read nor
written: their output is whatever torch.empty left there.
"""
from __future__ import annotations

import math
import os

import torch
import triton
import triton.language as tl
from torch.library import wrap_triton

# (BLOCK_M, BLOCK_N, num_warps, num_stages), read at each call. One set for
# every batch: the package is traced with a symbolic max_len, so a choice by
# length would be a guard on it (or specialize the package to the example's
# length). BLOCK_M 64 is one Hopper warpgroup of 4 warps (wgmma) and wastes
# half as much as FA2's 128 on short rows; sm90 build: 122 registers, no
# spills, 56 KiB shared memory. attention_probe.py --triton-configs times others.
TILES = (64, 64, 4, 3)
# Triton's interpreter (TRITON_INTERPRET=1: CPU tensors, triton_attention_check.py)
# makes kernels wrap_triton does not take; there the op calls the kernel as is.
_INTERPRET = os.environ.get("TRITON_INTERPRET") == "1"


@triton.jit
def _attend(acc, m_i, l_i, q, K, V, key0, length, offs_n, offs_d, stride_kt, stride_vt,
            QK_SCALE: tl.constexpr, BLOCK_N: tl.constexpr, MASKED: tl.constexpr):
    """One key block of the online softmax; MASKED for the row's last, partial block."""
    cols = key0 + offs_n
    k_ptrs = K + cols[None, :] * stride_kt + offs_d[:, None]  # [D, BLOCK_N]
    v_ptrs = V + cols[:, None] * stride_vt + offs_d[None, :]  # [BLOCK_N, D]
    if MASKED:  # keys past the row's end: not read (they belong to the next row or the padding)
        k = tl.load(k_ptrs, mask=cols[None, :] < length, other=0.0)
        v = tl.load(v_ptrs, mask=cols[:, None] < length, other=0.0)
    else:
        k = tl.load(k_ptrs)
        v = tl.load(v_ptrs)
    qk = tl.dot(q, k) * QK_SCALE  # log2 units: exp2 below
    if MASKED:
        qk = tl.where(cols[None, :] < length, qk, float("-inf"))
    m_new = tl.maximum(m_i, tl.max(qk, 1))
    p = tl.math.exp2(qk - m_new[:, None])
    alpha = tl.math.exp2(m_i - m_new)
    l_i = l_i * alpha + tl.sum(p, 1)
    acc = tl.dot(p.to(v.dtype), v, acc * alpha[:, None])
    return acc, m_new, l_i


@triton.jit
def _varlen_attention_kernel(Q, K, V, O, CU, stride_qt, stride_qh, stride_kt, stride_kh, stride_vt, stride_vh,
                             stride_ot, stride_oh, QK_SCALE: tl.constexpr, HEADS: tl.constexpr, HEAD_DIM: tl.constexpr,
                             BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    """Program (m, r * HEADS + h): query rows [m * BLOCK_M, +BLOCK_M) of row r, head h."""
    start_m = tl.program_id(0)
    row_head = tl.program_id(1)
    row = row_head // HEADS
    head = row_head % HEADS
    begin = tl.load(CU + row)
    length = tl.load(CU + row + 1) - begin
    # The grid covers max_len; this row is shorter. (Every program returns here
    # when AOTInductor runs the kernel at compile time: its example integers are 0.)
    if start_m * BLOCK_M >= length:
        return
    offs_m = start_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = tl.arange(0, BLOCK_N)
    offs_d = tl.arange(0, HEAD_DIM)
    # The row's base offset in 64 bits (T x stride may pass 2^31 on a large
    # bucket); offsets within the row stay 32-bit.
    begin = begin.to(tl.int64)
    q = tl.load(Q + (begin + offs_m)[:, None] * stride_qt + head * stride_qh + offs_d[None, :],
                mask=offs_m[:, None] < length, other=0.0)
    K += begin * stride_kt + head * stride_kh
    V += begin * stride_vt + head * stride_vh
    m_i = tl.full([BLOCK_M], float("-inf"), tl.float32)
    l_i = tl.zeros([BLOCK_M], tl.float32)
    acc = tl.zeros([BLOCK_M, HEAD_DIM], tl.float32)
    full = length // BLOCK_N * BLOCK_N  # whole key blocks go without masks
    for key0 in range(0, full, BLOCK_N):
        acc, m_i, l_i = _attend(acc, m_i, l_i, q, K, V, key0, length, offs_n, offs_d, stride_kt, stride_vt,
                                QK_SCALE, BLOCK_N, False)
    if full < length:
        acc, m_i, l_i = _attend(acc, m_i, l_i, q, K, V, full, length, offs_n, offs_d, stride_kt, stride_vt,
                                QK_SCALE, BLOCK_N, True)
    out = acc / l_i[:, None]  # every query row saw >= 1 key: l_i > 0
    tl.store(O + (begin + offs_m)[:, None] * stride_ot + head * stride_oh + offs_d[None, :],
             out.to(O.dtype.element_ty), mask=offs_m[:, None] < length)


@torch.library.triton_op("fasterbert::varlen_attention", mutates_args=())
def varlen_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, cu: torch.Tensor,
                     max_len: int) -> torch.Tensor:
    """softmax(q k^T / sqrt(D)) v per row of packed [T, heads, D] q, k, v; rows
    cu[i]..cu[i+1] (int32), each at most max_len long. Returns [T, heads, D]."""
    t, heads, dim = q.shape
    block_m, block_n, num_warps, num_stages = TILES
    # The last dim must be contiguous (q, k, v may be views into one QKV matmul's output).
    torch._check(q.stride(2) == 1 and k.stride(2) == 1 and v.stride(2) == 1)
    out = torch.empty((t, heads, dim), dtype=q.dtype, device=q.device)
    # Grid dims: query blocks of the longest row, then rows x heads (<= 65535).
    grid = (triton.cdiv(max_len, block_m), (cu.shape[0] - 1) * heads)
    kernel = _varlen_attention_kernel if _INTERPRET else wrap_triton(_varlen_attention_kernel)
    kernel[grid](
        q, k, v, out, cu, q.stride(0), q.stride(1), k.stride(0), k.stride(1), v.stride(0), v.stride(1),
        out.stride(0), out.stride(1),
        # log2(e) / sqrt(D), a constexpr: AOTInductor passes a float argument as fp64, which made the
        # softmax's running values fp64 and tl.dot's accumulator type wrong (export failed, PyTorch 2.11).
        QK_SCALE=1.4426950408889634 / math.sqrt(dim),
        HEADS=heads, HEAD_DIM=dim, BLOCK_M=block_m, BLOCK_N=block_n, num_warps=num_warps, num_stages=num_stages)
    return out
