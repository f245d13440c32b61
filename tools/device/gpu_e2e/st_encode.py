"""The peer a user without a server runs: sentence-transformers `encode` in
FP16 on the same fixed random BERT-base weights as the benchmark's .pt2
(export_bert_pt2.py's seeded init, loaded into transformers' BertModel by its
parameter names), mean pooling + Normalize, batch 64, on the benchmark sets.
Prints one JSON object: texts/s per set, and the largest cosine distance to
the exporter's own encoder mean-pooled in numpy-free torch (same weights, so
~1e-3 at FP16 says the weights really are the same).

usage: st_encode.py --data DIR (short.json, long.json, mixed.json) --vocab vocab.txt --tokenizer tokenizer.json
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--vocab", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    try:
        import torch
        import sentence_transformers
        import transformers
        from sentence_transformers import SentenceTransformer, models
    except Exception as e:  # the GPU machine may lack them: say so, don't fail the run
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return 0
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch_export"))
    import export_bert_pt2 as exporter

    cfg = exporter.load_config("bert-base")
    ours = exporter.make_model(cfg, argparse.Namespace(weights=None, seed=0, dtype="fp32"))
    folder = tempfile.mkdtemp()
    try:
        config = transformers.BertConfig(**cfg, hidden_act="gelu", pad_token_id=0)
        hf = transformers.BertModel(config, add_pooling_layer=False)
        missing, unexpected = hf.load_state_dict({k: v.cpu() for k, v in ours.state_dict().items()}, strict=False)
        missing = [k for k in missing if not k.endswith("position_ids")]
        if missing or unexpected:
            raise SystemExit(f"weights do not map: missing {missing[:5]} unexpected {unexpected[:5]}")
        hf.save_pretrained(folder)
        shutil.copy(args.vocab, os.path.join(folder, "vocab.txt"))
        shutil.copy(args.tokenizer, os.path.join(folder, "tokenizer.json"))
        json.dump({"do_lower_case": True, "model_max_length": 256, "tokenizer_class": "BertTokenizer"},
                  open(os.path.join(folder, "tokenizer_config.json"), "w"))
        word = models.Transformer(folder, max_seq_length=256)
        st = SentenceTransformer(modules=[word, models.Pooling(cfg["hidden_size"], "mean"), models.Normalize()],
                                 device="cuda")
        st.half()
        report = {"sentence_transformers": sentence_transformers.__version__,
                  "transformers": transformers.__version__, "torch": torch.__version__,
                  "batch": args.batch, "sets": {}}
        for name in ("short", "long", "mixed"):
            texts = [row["text"]["content"][0] for row in json.load(open(f"{args.data}/{name}.json"))["data"]]
            texts = (texts * (1024 // len(texts) + 1))[:1024]
            st.encode(texts[: args.batch * 2], batch_size=args.batch)  # warm-up
            torch.cuda.synchronize()
            start = time.perf_counter()
            embeddings = st.encode(texts, batch_size=args.batch, convert_to_tensor=True)
            torch.cuda.synchronize()
            seconds = time.perf_counter() - start
            # The exporter's encoder on the first texts, mean-pooled + L2.
            enc = st.tokenize(texts[:16])
            with torch.inference_mode():
                ids = enc["input_ids"].cuda()
                mask = enc["attention_mask"].cuda()
                hidden = ours(ids, mask, torch.zeros_like(ids)).float()
                pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                cos = (pooled * embeddings[:16].float()).sum(-1)
            report["sets"][name] = {"texts": len(texts), "texts_per_s": round(len(texts) / seconds, 1),
                                    "min_cosine_to_exporter_fp32": round(float(cos.min()), 6)}
        print(json.dumps(report))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
