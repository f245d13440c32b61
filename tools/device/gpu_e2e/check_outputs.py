"""Checks served embeddings on the GPU machine against an independent
reference: HF `tokenizers` (truncation to 256) + the same encoder run eagerly
in PyTorch with the same seeded weights (tools/torch_export/export_bert_pt2.py)
+ numpy masked mean-pool and L2 normalize. Each model is asked over HTTP/JSON
one text per request and all texts in one request.

usage: check_outputs.py --url 127.0.0.1:8000 --models a,b --texts T.json
                        --tokenizer tokenizer.json --seed 0 --dtype fp16
prints one JSON object.
"""
import argparse
import json
import os
import sys
import urllib.request

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch_export"))
import export_bert_pt2 as exporter  # noqa: E402


def infer(url, model, texts):
    body = {"inputs": [{"name": "text", "shape": [len(texts), 1], "datatype": "BYTES", "data": texts}]}
    req = urllib.request.Request(f"http://{url}/v2/models/{model}/infer", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        out = json.load(r)["outputs"][0]
    return np.asarray(out["data"], dtype=np.float32).reshape(out["shape"])


def reference(args, texts):
    import torch
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(args.tokenizer)
    tok.enable_truncation(max_length=256)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    enc = tok.encode_batch(texts)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    cfg = exporter.load_config("bert-base")
    model = exporter.make_model(cfg, argparse.Namespace(weights=None, seed=args.seed, dtype=args.dtype))
    with torch.inference_mode():
        hidden = model(torch.from_numpy(ids).cuda(), torch.from_numpy(mask).cuda(),
                       torch.zeros_like(torch.from_numpy(ids)).cuda()).cpu().numpy().astype(np.float64)
    m = mask.astype(np.float64)[:, :, None]
    pooled = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return pooled, [int(x) for x in mask.sum(1)]


def compare(got, want):
    cos = (got * want).sum(1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(want, axis=1))
    return {"min_cosine": float(cos.min()), "max_abs_diff": float(np.abs(got - want).max())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--texts", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dtype", default="fp16")
    args = ap.parse_args()
    texts = json.load(open(args.texts))
    want, lengths = reference(args, texts)
    report = {"texts": len(texts), "token_counts": lengths}
    for model in args.models.split(","):
        try:
            batch = infer(args.url, model, texts)
            singles = np.concatenate([infer(args.url, model, [t]) for t in texts])
            report[model] = {"batch": compare(batch, want), "singles": compare(singles, want)}
        except Exception as error:  # noqa: BLE001 - report and go on with the next model
            report[model] = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
