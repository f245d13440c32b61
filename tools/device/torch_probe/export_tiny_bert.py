"""Exports a tiny BERT-shaped encoder (input_ids, attention_mask) ->
last_hidden_state [B, S, H] with dynamic batch and sequence dims, as an
AOTInductor package (.pt2) and as TorchScript, plus inputs and expected outputs
for two shapes, so aoti_probe.cc can check that C++ loads and runs both.

usage: python3 export_tiny_bert.py OUT_DIR
"""
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

H, HEADS, FFN, LAYERS, VOCAB = 256, 4, 1024, 2, 1000


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = torch.nn.Linear(H, 3 * H)
        self.proj = torch.nn.Linear(H, H)
        self.ln1 = torch.nn.LayerNorm(H)
        self.ff1 = torch.nn.Linear(H, FFN)
        self.ff2 = torch.nn.Linear(FFN, H)
        self.ln2 = torch.nn.LayerNorm(H)

    def forward(self, x, bias):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, HEADS, H // HEADS).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = self.ln1(x + self.proj(a.transpose(1, 2).reshape(b, s, H)))
        return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))


class TinyBert(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = torch.nn.Embedding(VOCAB, H)
        self.pos = torch.nn.Embedding(512, H)
        self.ln = torch.nn.LayerNorm(H)
        self.layers = torch.nn.ModuleList([Layer() for _ in range(LAYERS)])

    def forward(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        pos = torch.arange(s, device=input_ids.device)
        x = self.ln(self.tok(input_ids) + self.pos(pos)[None])
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        for layer in self.layers:
            x = layer(x, bias)
        return x


def inputs(b, s, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, VOCAB, (b, s), generator=g)
    lens = torch.randint(1, s + 1, (b,), generator=g)
    mask = (torch.arange(s)[None, :] < lens[:, None]).to(torch.int64)
    return ids.cuda(), mask.cuda()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = TinyBert().cuda().eval()
    example = inputs(4, 16, 1)
    t0 = time.time()
    batch = torch.export.Dim("batch", min=1, max=256)
    seq = torch.export.Dim("seq", min=1, max=512)
    dyn = {"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}}
    with torch.no_grad():
        try:
            ep = torch.export.export(model, example, dynamic_shapes=dyn)
        except Exception as e:  # noqa: BLE001 - log and fall back
            print(f"export with min=1 dims failed ({type(e).__name__}: {e}); retrying Dim.AUTO")
            auto = {0: torch.export.Dim.AUTO, 1: torch.export.Dim.AUTO}
            ep = torch.export.export(model, example,
                                     dynamic_shapes={"input_ids": auto, "attention_mask": auto})
        print(f"torch.export: {time.time() - t0:.1f}s")
        t0 = time.time()
        pt2 = torch._inductor.aoti_compile_and_package(ep, package_path=os.path.join(out, "tiny_bert.pt2"))
        print(f"aoti_compile_and_package: {time.time() - t0:.1f}s -> {pt2} "
              f"({os.path.getsize(pt2) / 1e6:.1f} MB)")
        t0 = time.time()
        ts = torch.jit.trace(model, example, check_trace=False)
        ts.save(os.path.join(out, "tiny_bert.ts"))
        print(f"torch.jit.trace: {time.time() - t0:.1f}s")
        for name, (b, s, seed) in {"case_a": (4, 16, 2), "case_b": (7, 33, 3)}.items():
            ids, mask = inputs(b, s, seed)
            ref = model(ids, mask).float().cpu().contiguous()
            ids.cpu().numpy().tofile(os.path.join(out, f"{name}_ids.bin"))
            mask.cpu().numpy().tofile(os.path.join(out, f"{name}_mask.bin"))
            ref.numpy().tofile(os.path.join(out, f"{name}_ref.bin"))
            with open(os.path.join(out, f"{name}_shape.txt"), "w") as f:
                f.write(f"{b} {s} {H}\n")
    print("export ok")


if __name__ == "__main__":
    main()
