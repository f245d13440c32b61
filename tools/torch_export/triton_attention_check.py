"""Checks triton_attention's varlen_attention against an independent reference
(per row softmax(q k^T / sqrt(D)) v in FP32 with torch.matmul), and that
torch.export keeps the op with a dynamic token count, batch and max_len.

Runs on the GPU, or on CPU tensors in Triton's interpreter (Triton 3.6's
interpreter needs numpy < 2.3: it turns 1-element arrays into ints):
  TRITON_INTERPRET=1 python3 tools/torch_export/triton_attention_check.py   # small shapes
  python3 tools/torch_export/triton_attention_check.py [--heads 12]         # CUDA
The bucket's padding entries (past cu[-1]) hold NaN in q, k and v: a real row
that read one as a key would come out NaN. max_len is the longest row plus 64,
as a padded batch's length can be: whole query blocks of no row. Exit 1 when a
difference passes --tolerance (FP16 output) or the export fails.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import triton_attention  # noqa: E402,F401 - registers torch.ops.fasterbert.varlen_attention

# Row lengths per case: single tokens, lengths around the 64-token tiles, a
# long row beside a short one.
LENGTH_SETS = [[1, 7, 33, 64], [17] * 8, [250, 3, 128], [65, 128, 129, 1]]
PADDING = 5  # bucket entries after cu[-1]


def reference(q, k, v, lengths) -> torch.Tensor:
    """[sum(lengths), heads, D] FP32, row by row."""
    out, start = [], 0
    for n in lengths:
        qs, ks, vs = (x[start:start + n].float().transpose(0, 1) for x in (q, k, v))  # [heads, n, D]
        scores = torch.matmul(qs, ks.transpose(1, 2)) / math.sqrt(q.shape[-1])
        out.append(torch.matmul(torch.softmax(scores, dim=-1), vs).transpose(0, 1))
        start += n
    return torch.cat(out)


def check_kernel(lengths, heads: int, dim: int, device: str, gen: torch.Generator) -> float:
    real = sum(lengths)
    cu = torch.tensor([0] + lengths, dtype=torch.int64).cumsum(0).to(torch.int32).to(device)
    # q, k and v as views into one [T, 3, heads, D] buffer, as the encoder's fused QKV matmul gives them.
    qkv = torch.randn(real + PADDING, 3, heads, dim, generator=gen).half()
    qkv[real:] = float("nan")
    qkv = qkv.to(device)
    q, k, v = qkv.unbind(1)
    out = torch.ops.fasterbert.varlen_attention(q, k, v, cu, max(lengths) + 64)
    assert out.shape == q.shape and out.dtype == torch.float16
    ref = reference(q[:real].cpu(), k[:real].cpu(), v[:real].cpu(), lengths)
    return float((out[:real].float().cpu() - ref).abs().max())  # NaN if padding was read


def pretend_sm90() -> None:
    """torch's analysis of which arguments the kernel writes builds its Triton IR
    for the active GPU; with none it assumes all are written (and copies q, k, v).
    On a machine without one, an sm90 target stands in: only Triton's front end
    runs, nothing is launched."""
    import triton
    from triton.backends.compiler import GPUTarget

    class Sm90:
        def get_current_target(self):
            return GPUTarget("cuda", 90, 32)

    triton.runtime.driver.set_active(Sm90())


def check_export(device: str) -> str:
    """torch.export of a module calling the op, with T, the batch and max_len
    dynamic; then the decomposition AOTInductor compiles: one launch of the
    kernel that writes only its output, with a symbolic grid and T."""
    class Attend(torch.nn.Module):
        def forward(self, qkv, cu, positions):  # positions: [max_len], only its length matters
            q, k, v = qkv.unbind(1)
            return torch.ops.fasterbert.varlen_attention(q, k, v, cu, positions.shape[0]) * 2

    qkv = torch.randn(18, 3, 2, 64, device=device).half()
    cu = torch.tensor([0, 5, 8, 16], dtype=torch.int32, device=device)
    dims = {"qkv": {0: torch.export.Dim("tokens", min=2, max=4096)},
            "cu": {0: torch.export.Dim("batch_plus_1", min=2, max=65)},
            "positions": {0: torch.export.Dim("max_len", min=2, max=512)}}
    exported = torch.export.export(Attend(), (qkv, cu, torch.arange(8, device=device)), dynamic_shapes=dims)
    if not any(n.target is torch.ops.fasterbert.varlen_attention.default for n in exported.graph.nodes):
        raise RuntimeError(f"the op is not in the exported graph:\n{exported.graph}")
    decomposed = exported.run_decompositions(decompose_custom_triton_ops=True)
    launches = [n for n in decomposed.graph.nodes
                if n.target is torch.ops.higher_order.triton_kernel_wrapper_functional]
    if len(launches) != 1:
        raise RuntimeError(f"{len(launches)} kernel launches after decomposition:\n{decomposed.graph}")
    clones, args = launches[0].kwargs["tensors_to_clone"], launches[0].kwargs["kwargs"]
    out_shape = tuple(args["O"].meta["val"].shape)
    if clones != ["O"] or isinstance(out_shape[0], int):
        raise RuntimeError(f"copies {clones} (only O expected), output {out_shape} (T dynamic expected)")
    return f"one launch, grid {launches[0].kwargs['grid']}, writes {clones}, output {out_shape}"


def export_step(device: str) -> int:
    if device == "cpu":
        pretend_sm90()
    try:
        print(f"ok   torch.export (dynamic tokens, batch, max_len): {check_export(device)}", flush=True)
        return 0
    except Exception as e:  # noqa: BLE001 - reported as a failure
        print(f"FAIL torch.export: {type(e).__name__}: {e}"[:3000], flush=True)
        return 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--heads", type=int, default=None, help="default: 12 on CUDA, 2 in the interpreter")
    ap.add_argument("--tolerance", type=float, default=2e-3)
    ap.add_argument("--export-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    interpret = os.environ.get("TRITON_INTERPRET") == "1"
    device = "cuda" if torch.cuda.is_available() and not interpret else "cpu"
    if args.export_only:
        return export_step(device)
    if device == "cpu" and not interpret:
        ap.error("no CUDA here: run with TRITON_INTERPRET=1")
    heads = args.heads or (12 if device == "cuda" else 2)
    gen = torch.Generator().manual_seed(0)
    failed = 0
    for dim in (64, 32):  # BERT-base's heads, MiniLM's
        for lengths in LENGTH_SETS:
            diff = check_kernel(lengths, heads, dim, device, gen)
            ok = diff <= args.tolerance  # False for NaN
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} D={dim} heads={heads} lengths={lengths} max_abs_diff={diff:.2e}",
                  flush=True)
    if interpret:  # tracing needs the compiled kernel object: a process without the interpreter
        env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
        failed += subprocess.run([sys.executable, os.path.abspath(__file__), "--export-only"], env=env).returncode != 0
    else:
        failed += export_step(device)
    print(f"{'passed' if not failed else f'{failed} failed'} (torch {torch.__version__}, {device}, "
          f"tiles {triton_attention.TILES})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
