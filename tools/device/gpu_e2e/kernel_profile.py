"""Where a BERT-base engine call spends its GPU time, and which compile
options change it (issue 20, item 2: "whatever else the profile shows").

The exporter's encoder (export_bert_pt2.build_encoder, FP16, fixed random
weights) is run eagerly and through Inductor (the compiler AOTInductor uses)
with dynamic shapes as the .pt2 export has them, under each option set given;
per shape it reports the time of one call replayed from a CUDA graph (no launch
cost: what the engine's graphs pay), the GEMM roofline on that call's real tokens,
and the profiler's kernel time split into GEMM, attention, fused elementwise
(Inductor's Triton kernels) and other.

usage: kernel_profile.py [--variants eager,default,autotune,varlen-default,varlen+gelu-default]
                         [--shapes 64x32,64x256,64x256m] [--profile-shapes 64x256] [--deadline-s 480] [--top 8]
prints one JSON object per line. A variant is [<encoder>-]<option set> (OPTION_SETS, or eager); the encoder
(ENCODERS, default padded) is the exporter's padded one, or token-packed (export_bert_pt2.py --pack-tokens)
with its attention on the padded layout (packed) or a variable-length kernel: FlashAttention's (varlen)
or the memory-efficient one (efficient), or ours in Triton (triton);
"+gelu" fuses GELU into the GEMM (--gelu tanh-epilogue); "+pool" compiles the mean pooling of the
pipeline's embeddings into the call (one [B, hidden] FP32 output instead of [B, S, hidden]) and "+epool"
runs it after the compiled call as PyTorch's separate kernels, where our pipeline runs its own pooling
kernel (both replayed in the one graph). A shape BxS holds rows of 70-100% real tokens;
BxSm mixed lengths (log-uniform from 8 to S). Each row reports the minimum cosine of the mean-pooled
embeddings to the FP32 eager encoder's (the issue's accuracy gate: 0.9999).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch_export"))
import export_bert_pt2 as exporter  # noqa: E402
from roofline import ENCODER_MATMUL_PARAMS, matmul_tflops  # noqa: E402

# Inductor option sets tried (the AOTInductor export takes the same dict).
OPTION_SETS = {
    "default": {},
    "autotune": {"max_autotune": True},
    "autotune_cublas": {"max_autotune": True, "max_autotune_gemm_backends": "ATEN"},
    "autotune_triton": {"max_autotune": True, "max_autotune_gemm_backends": "TRITON"},
    "freezing": {"freezing": True},
}


# Encoders by name: (pack_tokens, attention of the packed one).
ENCODERS = {"padded": (False, "padded"), "packed": (True, "padded"), "varlen": (True, "varlen"),
            "efficient": (True, "varlen-efficient"), "triton": (True, "triton")}


def encoder(config, name: str):
    """The exporter's encoder for "<encoder>[+gelu][+pool]", FP16, seed 0."""
    base, *flags = name.split("+")
    pack, attention = ENCODERS[base]
    net = exporter.make_model(config, argparse.Namespace(
        weights=None, seed=0, dtype="fp16", pack_tokens=pack, attention=attention,
        gelu="tanh-epilogue" if "gelu" in flags else "erf"))
    return Pooled(net) if "pool" in flags else net


def mean_pool(hidden, mask):
    """sentence-transformers' mean pooling: [B, S, H] over the mask -> [B, H]."""
    m = mask[..., None].to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


class Pooled(torch.nn.Module):
    """The encoder followed by the mean pooling: inside the call when compiled
    whole ("+pool", Inductor then fuses it), after it around a compiled encoder ("+epool")."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, input_ids, attention_mask, *rest):
        return mean_pool(self.net(input_ids, attention_mask, *rest), attention_mask)


def min_cosine(out, ref, mask) -> float:
    """Smallest cosine between the rows' mean-pooled embeddings (real tokens);
    `out` may be pooled already ([B, H])."""
    a = out.float() if out.dim() == 2 else mean_pool(out.float(), mask)
    return float(torch.nn.functional.cosine_similarity(a, mean_pool(ref.float(), mask), dim=1).min())


def lengths_for(shape: str, gen: torch.Generator) -> torch.Tensor:
    """Row lengths of "BxS" (70-100% of S) or "BxSm" (log-uniform from 8 to S, the first row S)."""
    batch, seq = (int(x) for x in shape.rstrip("m").split("x"))
    if shape.endswith("m"):
        u = torch.rand(batch, generator=gen)
        lengths = torch.exp(math.log(8) + u * (math.log(seq) - math.log(8))).long().clamp(1, seq)
        lengths[0] = seq
        return lengths
    return torch.randint(max(1, int(seq * 0.7)), seq + 1, (batch,), generator=gen)


def inputs(shape: str, gen: torch.Generator):
    """A padded batch "BxS": rows of 70-100% real tokens, as a bucket padded to
    S holds; "BxSm": lengths log-uniform from 8 to S (mixed texts). With the
    packed model's token_index: real tokens' flat positions, padded to a
    multiple of 64 with B x S (the scratch row)."""
    batch, seq = (int(x) for x in shape.rstrip("m").split("x"))
    ids = torch.randint(1000, 30000, (batch, seq), generator=gen)
    lengths = lengths_for(shape, gen)  # drawn after the ids, as before
    mask = (torch.arange(seq)[None, :] < lengths[:, None]).long()
    index = mask.reshape(-1).nonzero().reshape(-1)
    padded_to = (index.numel() + 63) // 64 * 64
    index = torch.cat([index, torch.full((padded_to - index.numel(),), batch * seq)])
    return ids.cuda(), mask.cuda(), torch.zeros_like(ids).cuda(), index.cuda(), int(mask.sum())


def graph_ms(fn, args, reps: int = 20) -> float:
    """Median time of one call replayed from a captured CUDA graph."""
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            fn(*args)
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn(*args)
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(10):
            graph.replay()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end) / 10)
    return statistics.median(times)


def category(kernel: str) -> str:
    k = kernel.lower()
    if any(s in k for s in ("fmha", "attention", "flash", "efficient", "cudnn", "sdpa")):
        return "attention"
    if any(s in k for s in ("gemm", "nvjet", "cutlass", "xmma", "triton_tem", "sm90_", "cublas")):
        return "gemm"
    if k.startswith("triton_"):
        return "fused_elementwise"
    return "other"


def kernel_split(fn, args, calls: int = 10, top_n: int = 8) -> dict:
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(calls):
            fn(*args)
        torch.cuda.synchronize()
    split: dict[str, float] = {}
    top = []
    for ev in prof.key_averages():
        us = getattr(ev, "self_device_time_total", None) or getattr(ev, "self_cuda_time_total", 0)
        if us <= 0:
            continue
        split[category(ev.key)] = split.get(category(ev.key), 0.0) + us / calls / 1e3
        top.append((us / calls / 1e3, ev.count // calls, ev.key[:90]))
    top.sort(reverse=True)
    return {"kernel_ms": {k: round(v, 4) for k, v in split.items()},
            "kernels_per_call": sum(t[1] for t in top),
            "top": [{"ms": round(t[0], 4), "n": t[1], "kernel": t[2]} for t in top[:top_n]]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="eager,default,autotune")
    ap.add_argument("--shapes", default="64x24,64x32,64x128,64x256,64x256m,16x256m,1x16")
    ap.add_argument("--profile-shapes", default="64x32,64x256,64x256m")
    ap.add_argument("--deadline-s", type=float, default=480)
    ap.add_argument("--top", type=int, default=8, help="kernels listed per profiled shape")
    args = ap.parse_args()
    t0 = time.time()
    torch.backends.cuda.matmul.allow_tf32 = True
    rate = matmul_tflops()
    print(json.dumps({"matmul_tflops_fp16": round(rate, 1), "torch": torch.__version__,
                      "gpu": torch.cuda.get_device_name()}), flush=True)
    config = exporter.load_config("bert-base")
    fp32 = exporter.make_model(config, argparse.Namespace(weights=None, seed=0, dtype="fp32"))
    gen = torch.Generator().manual_seed(0)
    batches = {s: inputs(s, gen) for s in args.shapes.split(",")}
    torch.backends.cuda.matmul.allow_tf32 = False  # the reference in true FP32
    with torch.inference_mode():
        exact = {key: fp32(ids, mask, types) for key, (ids, mask, types, _, _) in batches.items()}
    del fp32
    torch.backends.cuda.matmul.allow_tf32 = True
    profiled = set(args.profile_shapes.split(","))
    reference = {}
    for variant in args.variants.split(","):
        if time.time() - t0 > args.deadline_s:
            print(json.dumps({"variant": variant, "skipped": "deadline"}), flush=True)
            continue
        torch._dynamo.reset()
        tc = time.time()
        name, _, options = variant.rpartition("-")
        name = name or "padded"
        net = encoder(config, name)
        base, *flags = name.split("+")
        is_packed = ENCODERS[base][0]
        fn = net if options == "eager" else torch.compile(net, dynamic=True, options=OPTION_SETS[options])
        if "epool" in flags:  # the pooling after the compiled call, eagerly
            fn = Pooled(fn)
        keep = exporter.fused_gelu_kept() if "gelu" in flags else contextlib.nullcontext()
        with keep:
            for key, (ids, mask, types, index, real) in batches.items():
                if time.time() - t0 > args.deadline_s:
                    break
                feed = (ids, mask, types, index) if is_packed else (ids, mask, types)
                try:
                    with torch.inference_mode():
                        out = fn(*feed)  # compiles on the first shape
                        compile_s = time.time() - tc
                        ref = reference.setdefault((key, out.dim()), out)
                        valid = mask.bool() if out.dim() == 3 else slice(None)
                        diff = float((out - ref)[valid].abs().max())
                        ms = graph_ms(fn, feed)
                except Exception as e:  # noqa: BLE001 - one variant's failure is a result
                    print(json.dumps({"variant": variant, "shape": key, "error": f"{type(e).__name__}: {e}"[:600]}),
                          flush=True)
                    break
                b, s = ids.shape
                row = {"variant": variant, "shape": key, "graph_ms": round(ms, 4),
                       "padded_tokens": b * s, "real_tokens": real,
                       "roofline_ms_real": round(2 * ENCODER_MATMUL_PARAMS * real / (rate * 1e12) * 1e3, 4),
                       "roofline_share_real": round(2 * ENCODER_MATMUL_PARAMS * real / (rate * 1e9) / ms, 3),
                       "min_cosine_fp32": round(min_cosine(out, exact[key], mask), 7),
                       "max_abs_diff_vs_first_variant": diff, "elapsed_s": round(compile_s, 1)}
                if key in profiled:
                    with torch.inference_mode():
                        row |= kernel_split(fn, feed, top_n=args.top)
                print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
