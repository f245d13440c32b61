"""The engine alone on the GPU machine: the .pt2 package through
torch._inductor.aoti_load_package on padded batches of the benchmark texts,
timed with CUDA events; the measured FP16 matmul rate; and the GEMM roofline
of each batch (2 x encoder parameters x tokens FLOPs at that rate).

usage: engine_alone.py --pt2 model.pt2 --tokenizer tokenizer.json --data DIR
prints one JSON object.
"""
import argparse
import json

import torch
from tokenizers import Tokenizer

from roofline import ENCODER_MATMUL_PARAMS, matmul_tflops


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pt2", required=True)
    ap.add_argument("--loader", choices=["aoti_package", "aoti_loader", "eager"], default="aoti_package")
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    if args.loader == "aoti_package":
        engine = torch._inductor.aoti_load_package(args.pt2, device_index=0)
    elif args.loader == "aoti_loader":
        runner = torch._C._aoti.AOTIModelPackageLoader(args.pt2, "model", False, 1, 0)
        engine = lambda *inputs: runner.run(list(inputs))[0]  # noqa: E731
    else:  # the baseline's engine when Python cannot load the package
        import os, sys
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "torch_export"))
        import export_bert_pt2 as exporter
        engine = exporter.make_model(exporter.load_config("bert-base"),
                                     argparse.Namespace(weights=None, seed=0, dtype="fp16"))
    tok = Tokenizer.from_file(args.tokenizer)
    tok.enable_truncation(max_length=256)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
    rate = matmul_tflops()
    report = {"loader": args.loader, "matmul_tflops_fp16": rate,
              "encoder_matmul_params": ENCODER_MATMUL_PARAMS, "sets": {}}
    for name in ("short", "long", "mixed"):
        texts = [row["text"]["content"][0] for row in json.load(open(f"{args.data}/{name}.json"))["data"]]
        for batch in (1, 16, 64):
            rows = (texts * ((batch + len(texts) - 1) // len(texts)))[:batch]
            enc = tok.encode_batch(rows)
            ids = torch.tensor([e.ids for e in enc], device="cuda")
            mask = torch.tensor([e.attention_mask for e in enc], device="cuda")
            types = torch.zeros_like(ids)
            with torch.inference_mode():
                for _ in range(5):
                    engine(ids, mask, types)
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                reps = {"short": 50, "mixed": 30}.get(name, 20)
                start.record()
                for _ in range(reps):
                    engine(ids, mask, types)
                end.record()
                torch.cuda.synchronize()
            ms = start.elapsed_time(end) / reps
            tokens = ids.numel()  # padded tokens: what the GPU computes
            roofline_ms = 2 * ENCODER_MATMUL_PARAMS * tokens / (rate * 1e12) * 1e3
            report["sets"][f"{name}/b{batch}"] = {
                "gpu_ms_per_batch": ms, "padded_tokens": tokens, "real_tokens": int(mask.sum()),
                "rows_per_s": batch / (ms / 1e3), "gemm_roofline_ms": roofline_ms,
                "roofline_fraction": roofline_ms / ms}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
