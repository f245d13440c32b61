"""The encoder's four matmuls at one call's token count: cuBLAS (what the
AOTInductor package calls, `addmm` / `_addmm_activation` with the GELU
epilogue) against Inductor's max-autotune Triton GEMM templates (GELU fused
into their epilogue), each timed from a CUDA graph that runs the matmul once
per layer with the layer's own weights (12 weight sets: they do not fit in L2,
as in the model). Issue 20: does a ~1,000-row call have a faster GEMM than
the one cuBLAS picks (kernel_profile.py: 44% of the FP16 rate at 64 x 20)?

usage: gemm_probe.py [--tokens 1054,4462] [--variants triton,persistent] [--deadline-s 240]
prints one JSON object per line; Inductor's own autotune table goes to stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import torch

from kernel_profile import graph_ms
from roofline import ENCODER_MATMUL_PARAMS, FFN, HIDDEN, LAYERS, matmul_tflops

# name: (in features, out features, GELU after it)
GEMMS = {"qkv": (HIDDEN, 3 * HIDDEN, False), "attn_out": (HIDDEN, HIDDEN, False),
         "ffn_up": (HIDDEN, FFN, True), "ffn_down": (FFN, HIDDEN, False)}
# Inductor options per variant (the Triton templates alone, so their best is
# what is reported; cuBLAS is timed separately as "cublas").
VARIANTS = {
    "triton": {"max_autotune": True, "max_autotune_gemm_backends": "TRITON"},
    "persistent": {"max_autotune": True, "max_autotune_gemm_backends": "TRITON",
                   "triton.enable_persistent_tma_matmul": True},
    "exhaustive": {"max_autotune": True, "max_autotune_gemm_backends": "TRITON",
                   "max_autotune_gemm_search_space": "EXHAUSTIVE"},
}


def cublas(x, w, b, gelu: bool):
    if gelu:
        return torch.ops.aten._addmm_activation(b, x, w.t(), use_gelu=True)
    return torch.addmm(b, x, w.t())


def plain(x, w, b, gelu: bool):
    y = torch.addmm(b, x, w.t())
    return torch.nn.functional.gelu(y, approximate="tanh") if gelu else y


def layer_ms(fn, x, weights) -> float:
    """Median time of one matmul per layer: the layers' matmuls replayed from one CUDA graph."""
    def run():
        for w, b in weights:
            fn(x, w, b)
    return graph_ms(run, ()) / len(weights)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokens", default="1054,4462")
    ap.add_argument("--variants", default="triton,persistent")
    ap.add_argument("--deadline-s", type=float, default=240)
    args = ap.parse_args()
    t0 = time.time()
    rate = matmul_tflops()
    print(json.dumps({"matmul_tflops_fp16": round(rate, 1), "torch": torch.__version__,
                      "gpu": torch.cuda.get_device_name()}), flush=True)
    gen = torch.Generator(device="cuda").manual_seed(0)
    totals: dict[tuple[int, str], float] = {}
    measured: dict[tuple[int, str], int] = {}
    for tokens in (int(t) for t in args.tokens.split(",")):
        x_all = {k: torch.randn(tokens, fin, device="cuda", dtype=torch.float16, generator=gen)
                 for k, (fin, _, _) in GEMMS.items()}
        for name, (fin, fout, gelu) in GEMMS.items():
            weights = [(torch.randn(fout, fin, device="cuda", dtype=torch.float16, generator=gen) * 0.02,
                        torch.randn(fout, device="cuda", dtype=torch.float16, generator=gen) * 0.02)
                       for _ in range(LAYERS)]
            x = x_all[name]
            flop = 2 * tokens * fin * fout
            ref = cublas(x, *weights[0], gelu).float()
            for variant in ["cublas"] + args.variants.split(","):
                if time.time() - t0 > args.deadline_s:
                    print(json.dumps({"tokens": tokens, "gemm": name, "variant": variant, "skipped": "deadline"}),
                          flush=True)
                    continue
                tc = time.time()
                try:
                    if variant == "cublas":
                        fn = lambda x, w, b, g=gelu: cublas(x, w, b, g)  # noqa: E731
                    else:
                        torch._dynamo.reset()
                        compiled = torch.compile(plain, dynamic=False, options=VARIANTS[variant])
                        fn = lambda x, w, b, g=gelu, c=compiled: c(x, w, b, g)  # noqa: E731
                    with torch.inference_mode():
                        out = fn(x, *weights[0]).float()
                        compile_s = time.time() - tc
                        ms = layer_ms(fn, x, weights)
                except Exception as e:  # noqa: BLE001 - one variant's failure is a result
                    print(json.dumps({"tokens": tokens, "gemm": name, "variant": variant,
                                      "error": f"{type(e).__name__}: {e}"[:500]}), flush=True)
                    continue
                totals[(tokens, variant)] = totals.get((tokens, variant), 0.0) + ms * LAYERS
                measured[(tokens, variant)] = measured.get((tokens, variant), 0) + 1
                print(json.dumps({
                    "tokens": tokens, "gemm": name, "variant": variant, "us": round(ms * 1e3, 2),
                    "tflops": round(flop / (ms / 1e3) / 1e12, 1), "share_of_rate": round(flop / (ms / 1e3) / 1e12 / rate, 3),
                    "max_abs_diff_vs_cublas": round(float((out - ref).abs().max()), 5),
                    "compile_s": round(compile_s, 1)}), flush=True)
    # The encoder's GEMM time per call (12 layers x 4 matmuls), where all four were measured.
    for (tokens, variant), ms in totals.items():
        if measured[(tokens, variant)] != len(GEMMS):
            continue
        flop = 2 * tokens * ENCODER_MATMUL_PARAMS
        print(json.dumps({"tokens": tokens, "variant": variant, "encoder_gemm_ms": round(ms, 4),
                          "share_of_rate": round(flop / (ms / 1e3) / 1e12 / rate, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
