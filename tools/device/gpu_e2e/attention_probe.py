"""Which variable-length attention kernel the packed encoder should call on
this GPU (issue 20: "a Hopper attention kernel"). BERT-base's attention
(12 heads of 64, FP16) on packed rows, as export_bert_pt2's packed encoder
lays them out ([tokens, heads, 64], cumulative lengths), run by each
candidate ATen op PyTorch ships and ours in Triton (tools/torch_export/triton_attention.py,
as `triton`, and as `triton:<BLOCK_M>x<BLOCK_N>w<warps>s<stages>` for each of
--triton-configs); per batch shape it prints the time of the 12
layers' calls replayed from a CUDA graph, the largest difference to FlashAttention's
output, and whether AOTInductor has a C shim for the op (an op without one
cannot be in an exported package; ours needs none: AOTInductor compiles it into
the package). cuDNN's variable-length op
(aten._cudnn_attention_forward with cumulative lengths) is left out: PyTorch
2.11 has no C shim for it and its call invalidates a CUDA graph capture.

usage: attention_probe.py [--shapes 64x256,64x256m,64x32,16x256m,64x64,64x128,1x16]
                          [--triton-configs 128x64w8s3,64x32w4s2]
prints one JSON object per line.
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import sys

import torch

from kernel_profile import graph_ms, lengths_for

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch_export"))
import triton_attention  # noqa: E402 - registers torch.ops.fasterbert.varlen_attention

HEADS, HEAD_DIM, LAYERS = 12, 64, 12


def shimmed(op: str | None) -> bool:
    """Whether torch's AOTInductor CUDA C shim declares the op (None: a Triton
    kernel, compiled into the package, needs no shim)."""
    if op is None:
        return True
    root = os.path.join(os.path.dirname(torch.__file__), "include", "torch", "csrc", "inductor", "aoti_torch")
    for header in glob.glob(os.path.join(root, "**", "c_shim_cuda.h"), recursive=True):
        with open(header) as f:
            if f"aoti_torch_cuda_{op}(" in f.read():
                return True
    return False


def candidates(q, k, v, cu, max_len, lengths, triton_configs=()):
    """name -> (op name for the shim check, callable returning [T, heads, dim])."""
    aten = torch.ops.aten
    scale = 1.0 / math.sqrt(HEAD_DIM)
    t = q.shape[0]

    def flash():
        return aten._flash_attention_forward(q, k, v, cu, cu, max_len, max_len, 0.0, False, False)[0]

    def efficient():  # xformers-style: [1, T, heads, dim] with cumulative lengths
        out = aten._efficient_attention_forward(q[None], k[None], v[None], None, cu, cu, max_len, max_len,
                                                0.0, 0, False, scale=scale)[0]
        return out.reshape(t, HEADS, HEAD_DIM)

    def ours(tiles=None):  # tiles: triton_attention.TILES for this candidate's calls
        def run():
            saved = triton_attention.TILES
            triton_attention.TILES = tiles or saved
            try:
                return torch.ops.fasterbert.varlen_attention(q, k, v, cu, max_len)
            finally:
                triton_attention.TILES = saved
        return run

    # Padded SDPA on a uniform batch without a mask (a bound for cuDNN's fused
    # kernel when no row is shorter than the batch): only meaningful on "BxS".
    b = lengths.numel()
    s = max_len
    qp = torch.randn(b, HEADS, s, HEAD_DIM, device="cuda", dtype=torch.float16)

    def cudnn_padded_nomask():
        from torch.nn.attention import SDPBackend, sdpa_kernel
        with sdpa_kernel([SDPBackend.CUDNN_ATTENTION]):
            return torch.nn.functional.scaled_dot_product_attention(qp, qp, qp)

    found = {"flash_varlen": ("_flash_attention_forward", flash),
             "efficient_varlen": ("_efficient_attention_forward", efficient),
             "triton": (None, ours())}
    for tiles in triton_configs:
        found["triton:{}x{}w{}s{}".format(*tiles)] = (None, ours(tiles))
    found["cudnn_padded_nomask (bound)"] = ("_scaled_dot_product_cudnn_attention", cudnn_padded_nomask)
    return found


def tile_config(text: str) -> tuple[int, int, int, int]:
    """"128x64w8s3" -> (BLOCK_M, BLOCK_N, warps, stages)."""
    m, rest = text.split("x")
    n, rest = rest.split("w")
    w, st = rest.split("s")
    return int(m), int(n), int(w), int(st)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shapes", default="64x256,64x256m,64x32,16x256m,64x64,64x128,1x16")
    ap.add_argument("--triton-configs", default="",
                    help="more tile sets for ours, e.g. 128x64w8s3,64x32w4s2 (the default: module constants)")
    args = ap.parse_args()
    triton_configs = [tile_config(c) for c in args.triton_configs.split(",") if c]
    print(json.dumps({"torch": torch.__version__, "gpu": torch.cuda.get_device_name(),
                      "cudnn": torch.backends.cudnn.version(),
                      "schemas": {op: str(getattr(torch.ops.aten, op).default._schema)
                                  for op in ("_cudnn_attention_forward", "_efficient_attention_forward",
                                             "_flash_attention_forward") if hasattr(torch.ops.aten, op)}}),
          flush=True)
    gen = torch.Generator().manual_seed(0)
    for shape in args.shapes.split(","):
        lengths = lengths_for(shape, gen)
        total, max_len = int(lengths.sum()), int(lengths.max())
        cu = torch.nn.functional.pad(lengths.cumsum(0), (1, 0)).to(torch.int32).cuda()
        q, k, v = (torch.randn(total, HEADS, HEAD_DIM, device="cuda", dtype=torch.float16) for _ in range(3))
        flops = 4 * HEAD_DIM * HEADS * float((lengths.double() ** 2).sum()) * LAYERS
        reference = None
        with torch.inference_mode():
            for name, (op, fn) in candidates(q, k, v, cu, max_len, lengths, triton_configs).items():
                row = {"shape": shape, "kernel": name, "real_tokens": total, "shim": shimmed(op)}
                try:
                    out = fn()
                    if name == "flash_varlen":
                        reference = out
                    if out.shape == q.shape and reference is not None:
                        row["max_abs_diff_vs_flash"] = float((out.float() - reference.float()).abs().max())
                    ms = graph_ms(lambda: [fn() for _ in range(LAYERS)], ())  # the 12 layers' calls
                    row |= {"layers_ms": round(ms, 4), "tflops": round(flops / (ms / 1e3) / 1e12, 1)}
                except Exception as e:  # noqa: BLE001 - a candidate's failure is a result
                    row["error"] = f"{type(e).__name__}: {e}"[:400]
                print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
