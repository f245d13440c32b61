"""Exports a BERT encoder as a LibTorch AOTInductor package (.pt2) for the
`aotInductor` engine, with dynamic batch and sequence dims, plus the
signature file `<out>.json` (inputs and outputs by position, as codegen and
the C++ engine read them).

The encoder is plain PyTorch written here (no transformers needed), with Hugging
Face BertModel's parameter names and semantics: embeddings (word + position +
token type, LayerNorm), post-LN layers with GELU (erf; --gelu tanh-epilogue
fuses its tanh form into the GEMM), additive attention mask. Weights come from a safetensors file or are seeded random (BERT init:
normal(0, 0.02), LayerNorm 1/0), so a model of BERT-base shape can be made on a
machine that cannot receive 400 MB of weights.

usage:
  export_bert_pt2.py --config CONFIG.json|bert-base|minilm-l6 (--weights W.safetensors | --random-weights --seed N)
                     [--dtype fp32|fp16] [--max-batch 64] [--max-seq 512] [--gelu erf|tanh-epilogue]
                     [--pack-tokens [--attention triton|varlen|varlen-efficient|padded]] --out DIR/model.pt2
  export_bert_pt2.py --config ... --signature-only --out DIR/model.pt2   # the JSON only, no torch needed
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time

# Shapes of the two configs the benchmarks use; a path to a config.json works too.
KNOWN_CONFIGS = {
    "bert-base": dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                      intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2,
                      layer_norm_eps=1e-12),
    "minilm-l6": dict(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                      intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2,
                      layer_norm_eps=1e-12),
}


def load_config(name_or_path: str) -> dict:
    if name_or_path in KNOWN_CONFIGS:
        return dict(KNOWN_CONFIGS[name_or_path])
    with open(name_or_path) as f:
        cfg = json.load(f)
    return {k: cfg[k] for k in KNOWN_CONFIGS["bert-base"] if k in cfg} | {
        "layer_norm_eps": cfg.get("layer_norm_eps", 1e-12)}


def signature(cfg: dict, max_batch: int, max_seq: int, pack_tokens: bool = False) -> dict:
    """What codegen's engine check reads: tensors in positional order."""
    ids = {"dtype": "INT64", "shape": ["batch", "sequence"]}
    # The packed encoder's fourth input: the real tokens' flat positions,
    # which the runtime computes from the attention mask (PackedBert).
    packing = [{"name": "token_index", "dtype": "INT64", "shape": ["tokens"]}] if pack_tokens else []
    return {
        "format": "aot-inductor-pt2",
        "inputs": [dict(name="input_ids", **ids), dict(name="attention_mask", **ids),
                   dict(name="token_type_ids", **ids), *packing],
        "outputs": [{"name": "last_hidden_state", "dtype": "FP32",
                     "shape": ["batch", "sequence", cfg["hidden_size"]]}],
        "max_position_embeddings": cfg["max_position_embeddings"],
        "max_batch": max_batch,
        "max_sequence": max_seq,
    }


# Attention of the packed encoder. "varlen" runs FlashAttention 2's
# variable-length kernel on the packed rows (cumulative lengths from the mask);
# "varlen-efficient" the memory-efficient one, whose 64-row query tiles waste
# less on short rows: faster where every batch is padded to 64 tokens or fewer,
# slower beyond (tools/device/gpu_e2e/attention_probe.py). One package cannot
# choose per batch: AOTInductor's package with a torch.cond between the two
# crashes at load (PyTorch 2.11). "triton" is ours (triton_attention.py): FA2's
# kernel is built for sm80 and cuDNN's has no C shim; AOTInductor compiles a
# Triton kernel for the GPU at hand into the package (tile sizes: that file).
# "padded" gathers Q, K and V into the padded layout for SDPA and back.
PACKED_ATTENTION = ("varlen", "varlen-efficient", "triton", "padded")
# Ours: on an H100 our C++ engine ran 64 short texts in 0.77 ms with it against
# 0.92 with "varlen" (bench/reports/2026-12-06-h100-packed-triton.md).
DEFAULT_PACKED_ATTENTION = "triton"
# "erf" is BERT's GELU as HF computes it, a pass of its own after the GEMM;
# "tanh-epilogue" is cuBLASLt's GELU epilogue fused into the GEMM (tanh
# approximation, within 5e-4 of erf: below FP16's resolution of the values).
GELU = ("erf", "tanh-epilogue")


def build_encoder(cfg: dict, pack_tokens: bool = False, attention: str = DEFAULT_PACKED_ATTENTION, gelu: str = "erf"):
    import torch
    import torch.nn.functional as F

    h, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    eps = cfg["layer_norm_eps"]
    if pack_tokens and attention == "triton":  # registers torch.ops.fasterbert.varlen_attention (needs triton)
        here = os.path.dirname(os.path.abspath(__file__))
        if here not in sys.path:
            sys.path.insert(0, here)
        import triton_attention  # noqa: F401

    class Embeddings(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.word_embeddings = torch.nn.Embedding(cfg["vocab_size"], h)
            self.position_embeddings = torch.nn.Embedding(cfg["max_position_embeddings"], h)
            self.token_type_embeddings = torch.nn.Embedding(cfg["type_vocab_size"], h)
            self.LayerNorm = torch.nn.LayerNorm(h, eps=eps)

        def forward(self, input_ids, positions, token_type_ids):
            return self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(positions)
                                  + self.token_type_embeddings(token_type_ids))

    class Dense(torch.nn.Module):  # HF's "<name>.dense" + optional LayerNorm
        def __init__(self, n_in, n_out, norm):
            super().__init__()
            self.dense = torch.nn.Linear(n_in, n_out)
            if norm:
                self.LayerNorm = torch.nn.LayerNorm(n_out, eps=eps)

    class SelfAttention(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.query = torch.nn.Linear(h, h)
            self.key = torch.nn.Linear(h, h)
            self.value = torch.nn.Linear(h, h)

    class Attention(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.self = SelfAttention()
            self.output = Dense(h, h, norm=True)

    class Layer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.attention = Attention()
            self.intermediate = Dense(h, cfg["intermediate_size"], norm=False)
            self.output = Dense(cfg["intermediate_size"], h, norm=True)

        def forward(self, x, bias):
            b, s, _ = x.shape
            sa = self.attention.self

            def split(t):
                return t.view(b, s, heads, h // heads).transpose(1, 2)

            a = F.scaled_dot_product_attention(split(sa.query(x)), split(sa.key(x)), split(sa.value(x)),
                                               attn_mask=bias)
            return self.after_attention(x, a.transpose(1, 2).reshape(b, s, h))

        def fuse_qkv(self):
            """Q, K and V as one [3h, h] matmul, its weights joined once here
            (joined in the graph, they were copied on every call)."""
            sa = self.attention.self
            fused = torch.nn.Linear(h, 3 * h, device=sa.query.weight.device, dtype=sa.query.weight.dtype)
            with torch.no_grad():
                fused.weight.copy_(torch.cat([sa.query.weight, sa.key.weight, sa.value.weight]))
                fused.bias.copy_(torch.cat([sa.query.bias, sa.key.bias, sa.value.bias]))
            sa.qkv = fused
            del sa.query, sa.key, sa.value

        def qkv(self, x):  # [.., 3h]; needs fuse_qkv
            return self.attention.self.qkv(x)

        def after_attention(self, x, a):
            """The layer's tail: attention output projection, feed-forward, both post-LN."""
            x = self.attention.output.LayerNorm(x + self.attention.output.dense(a))
            return self.output.LayerNorm(x + self.output.dense(self.gelu_intermediate(x)))

        def gelu_intermediate(self, x):
            dense = self.intermediate.dense
            if gelu == "erf":
                return F.gelu(dense(x))
            flat = x.reshape(-1, x.shape[-1])
            fused = torch.ops.aten._addmm_activation.default(dense.bias, flat, dense.weight.t(), use_gelu=True)
            return fused.reshape(*x.shape[:-1], fused.shape[-1])

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.ModuleList([Layer() for _ in range(cfg["num_hidden_layers"])])

    class Bert(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings = Embeddings()
            self.encoder = Encoder()

        def forward(self, input_ids, attention_mask, token_type_ids):
            positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None]
            x = self.embeddings(input_ids, positions, token_type_ids)
            # HF's extended mask: 0 where attended, dtype-min where padded.
            bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            for layer in self.encoder.layer:
                x = layer(x, bias)
            return x.float()  # the engine contract: FP32 outputs

    class PackedBert(Bert):
        """The same encoder on the batch's real tokens only: every per-token op
        (embeddings, the matmuls, LayerNorms, GELU) runs on the T rows
        `token_index` names (flat positions into [batch x sequence], in order;
        entries equal to batch x sequence pad T up to a shape bucket). Attention
        runs per row on its real tokens (PACKED_ATTENTION). The output is padded
        again (zeros at padding): the engine contract is unchanged but for the
        extra input."""

        def forward(self, input_ids, attention_mask, token_type_ids, token_index):
            b, s = input_ids.shape
            n, t = b * s, token_index.shape[0]
            rows = token_index.clamp(max=n - 1)  # a padding entry reads any real row
            # For each padded position, its packed row (t where it has none).
            packed_row = torch.full((n + 1,), t, dtype=torch.int64, device=token_index.device).scatter(
                0, token_index, torch.arange(t, device=token_index.device))[:n]
            real = (packed_row < t)[:, None]
            from_row = packed_row.clamp(max=t - 1)

            def unpack(packed):  # [t, w] -> [n, w], zeros at padding
                return torch.where(real, packed[from_row], 0)

            x = self.embeddings(input_ids.reshape(n)[rows], rows % s, token_type_ids.reshape(n)[rows])
            if attention != "padded":
                # A row's real tokens are consecutive packed rows; the bucket's
                # padding entries lie past the last sum and are never attended.
                ends = attention_mask.sum(1).cumsum(0)
                starts_and_ends = F.pad(ends, (1, 0)).to(torch.int32)
            else:
                bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            for layer in self.encoder.layer:
                qkv = layer.qkv(x)
                if attention != "padded":
                    q, k, v = (part.reshape(t, heads, h // heads) for part in qkv.split(h, dim=1))
                    kernel = {"varlen": flash_varlen, "varlen-efficient": efficient_varlen,
                              "triton": triton_varlen}[attention]
                    a = kernel(q, k, v, starts_and_ends, s).reshape(t, h)
                else:
                    q, k, v = (part.reshape(b, s, heads, h // heads).transpose(1, 2)
                               for part in unpack(qkv).split(h, dim=1))
                    a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
                    a = a.transpose(1, 2).reshape(n, h)[rows]
                x = layer.after_attention(x, a)
            return unpack(x).reshape(b, s, h).float()

    # The variable-length kernels on packed [t, heads, h/heads] Q, K and V;
    # s, the batch's padded length, bounds every row's.
    def flash_varlen(q, k, v, starts_and_ends, s):
        return torch.ops.aten._flash_attention_forward(
            q, k, v, starts_and_ends, starts_and_ends, s, s, 0.0, False, False)[0]

    def efficient_varlen(q, k, v, starts_and_ends, s):
        return torch.ops.aten._efficient_attention_forward(
            q[None], k[None], v[None], None, starts_and_ends, starts_and_ends, s, s, 0.0, 0, False)[0][0]

    def triton_varlen(q, k, v, starts_and_ends, s):  # ours: triton_attention.py
        return torch.ops.fasterbert.varlen_attention(q, k, v, starts_and_ends, s)

    return PackedBert() if pack_tokens else Bert()


@contextlib.contextmanager
def fused_gelu_kept():
    """Keeps aten._addmm_activation (the GEMM with cuBLASLt's GELU epilogue)
    whole through export and Inductor, whose decomposition tables would split
    it into a GEMM and a separate GELU pass; restores the tables after."""
    import torch
    from torch._decomp import decomposition_table
    from torch._inductor import decomposition

    op = torch.ops.aten._addmm_activation.default
    tables = [decomposition_table, decomposition.decompositions]
    saved = [table.pop(op, None) for table in tables]
    try:
        yield
    finally:
        for table, entry in zip(tables, saved):
            if entry is not None:
                table[op] = entry


def random_state(model, seed: int) -> None:
    import torch
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):
                p.fill_(1.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)


def load_safetensors(model, path: str) -> None:
    import torch
    from safetensors.torch import load_file
    raw = load_file(path)
    anchor = "embeddings.word_embeddings.weight"
    prefix = min((k for k in raw if k.endswith(anchor)), key=len)[: -len(anchor)]
    state = {k[len(prefix):]: v for k, v in raw.items() if k.startswith(prefix)}
    missing = [k for k in model.state_dict() if k not in state]
    if missing:
        raise SystemExit(f"{path}: missing {missing[:5]}")
    model.load_state_dict({k: state[k] for k in model.state_dict()}, strict=True)
    del torch


def make_model(cfg: dict, args) -> "object":
    import torch
    model = build_encoder(cfg, getattr(args, "pack_tokens", False), getattr(args, "attention", DEFAULT_PACKED_ATTENTION),
                          getattr(args, "gelu", "erf"))
    if args.weights:
        load_safetensors(model, args.weights)
    else:
        random_state(model, args.seed)
    if getattr(args, "pack_tokens", False):
        for layer in model.encoder.layer:
            layer.fuse_qkv()
    model = model.eval()
    if args.dtype == "fp16":
        model = model.half()
    return model.cuda() if torch.cuda.is_available() else model


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--weights")
    src.add_argument("--random-weights", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", choices=["fp32", "fp16"], default="fp16")
    ap.add_argument("--max-batch", type=int, default=64)
    ap.add_argument("--max-seq", type=int, default=512)
    ap.add_argument("--signature-only", action="store_true")
    ap.add_argument("--pack-tokens", action="store_true",
                    help="per-token work on the real tokens only (a fourth input, token_index)")
    ap.add_argument("--attention", choices=PACKED_ATTENTION, default=DEFAULT_PACKED_ATTENTION,
                    help="the packed encoder's attention (with --pack-tokens)")
    ap.add_argument("--gelu", choices=GELU, default="erf")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    if args.pack_tokens and args.attention != "padded" and args.dtype != "fp16" and not args.signature_only:
        ap.error(f"--attention {args.attention} (a variable-length kernel) needs --dtype fp16; "
                 "use --attention padded for fp32")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out + ".json", "w") as f:
        json.dump(signature(cfg, args.max_batch, args.max_seq, args.pack_tokens), f, indent=2)
        f.write("\n")
    if args.signature_only:
        return 0
    if not (args.weights or args.random_weights):
        ap.error("give --weights or --random-weights")

    import torch
    torch.backends.cuda.matmul.allow_tf32 = True
    model = make_model(cfg, args)
    b, s = 4, 32
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    example = (torch.randint(0, cfg["vocab_size"], (b, s), device=dev),
               torch.ones(b, s, dtype=torch.int64, device=dev),
               torch.zeros(b, s, dtype=torch.int64, device=dev))
    batch = torch.export.Dim("batch", min=1, max=args.max_batch)
    max_seq = min(args.max_seq, cfg["max_position_embeddings"])
    seq = torch.export.Dim("sequence", min=1, max=max_seq)
    dims = {0: batch, 1: seq}
    dynamic = {"input_ids": dims, "attention_mask": dims, "token_type_ids": dims}
    if args.pack_tokens:  # 4 rows of 25 real tokens, their 100 positions padded to 128 past the batch
        mask = (torch.arange(s, device=dev) < 25).long().expand(b, s).contiguous()
        index = mask.reshape(-1).nonzero().reshape(-1)
        example = (example[0], mask, example[2], torch.cat([index, torch.full((28,), b * s, device=dev)]))
        dynamic["token_index"] = {0: torch.export.Dim("tokens", min=2, max=args.max_batch * max_seq)}
    t0 = time.time()
    keep = fused_gelu_kept() if args.gelu == "tanh-epilogue" else contextlib.nullcontext()
    with torch.no_grad(), keep:
        exported = torch.export.export(model, example, dynamic_shapes=dynamic)
        print(f"torch.export {time.time() - t0:.1f}s", flush=True)
        t0 = time.time()
        path = torch._inductor.aoti_compile_and_package(exported, package_path=args.out)
    print(f"aoti_compile_and_package {time.time() - t0:.1f}s -> {path} "
          f"({os.path.getsize(path) / 1e6:.1f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
