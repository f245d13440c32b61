#!/usr/bin/env bash
# Prepares, on this machine, what tools/device/gpu_e2e/run.sh needs on the
# GPU machine (which has no Node and no internet): the generated sources of
# examples/embeddings-gpu, the tokenizer files, the benchmark texts as
# perf_analyzer input data, and the server/perf_analyzer/tokenizers bundle.
# Everything lands in build/gpu-e2e-carry/ (git-ignored; pass it as `carry`).
#
# usage: bash tools/device/gpu_e2e/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=build/gpu-e2e-carry
mkdir -p "$out/data" "$out/model"

# The GPU example reads the model folder at build time: tokenizer files and
# the .pt2 signature are real; the .pt2 itself is made on the GPU machine, so
# an empty placeholder stands in for the sources-only render.
model=models/bert-base-random-pt2
mkdir -p "$model"
cp -u models/all-MiniLM-L6-v2/vocab.txt models/all-MiniLM-L6-v2/tokenizer.json "$model/"
.venv/bin/python tools/torch_export/export_bert_pt2.py --config bert-base --signature-only \
  --max-batch 64 --max-seq 256 --out "$model/model.pt2"  # as run.sh exports it
[ -s "$model/model.pt2" ] || : > "$model/model.pt2"
cp "$model/vocab.txt" "$model/tokenizer.json" "$model/model.pt2.json" "$out/model/"
# The same encoder token-packed (examples/embeddings-gpu/packed.ts).
packed=models/bert-base-random-pt2-packed
mkdir -p "$packed"
cp -u "$model/vocab.txt" "$model/tokenizer.json" "$packed/"
.venv/bin/python tools/torch_export/export_bert_pt2.py --config bert-base --signature-only --pack-tokens \
  --max-batch 64 --max-seq 256 --out "$packed/model.pt2"
[ -s "$packed/model.pt2" ] || : > "$packed/model.pt2"
node bin/codegen.js build examples/embeddings-gpu/pipeline.ts --sources-only --build-dir "$out/sources"
node bin/codegen.js build examples/embeddings-gpu/packed.ts --sources-only --build-dir "$out/sources"
# The same pipeline without CUDA graphs and priced calls: the "before".
node bin/codegen.js build examples/embeddings-gpu/eager.ts --sources-only --build-dir "$out/sources"

# Benchmark texts (bench/texts.py), counted with the model's own tokenizer.
.venv/bin/python - "$out/data" <<'PY'
import json, sys
sys.path.insert(0, "bench")
from tokenizers import Tokenizer
from texts import build_sets, check_texts
tok = Tokenizer.from_file("models/all-MiniLM-L6-v2/tokenizer.json")
tok.no_truncation(); tok.no_padding()
sets = build_sets(lambda t: len(tok.encode(t).ids))
for name in ("short", "long", "mixed"):
    data = {"data": [{"text": {"content": [t], "shape": [1]}} for t in sets[name]]}
    json.dump(data, open(f"{sys.argv[1]}/{name}.json", "w"), ensure_ascii=False)
    # One text per line for fasterbert_engine_bench (no text holds a newline).
    open(f"{sys.argv[1]}/{name}.txt", "w").write("".join(t + "\n" for t in sets[name]))
json.dump(check_texts(sets), open(f"{sys.argv[1]}/check_texts.json", "w"), ensure_ascii=False)
print({k: len(v) for k, v in sets.items()})
PY

bash tools/device/bundle_server.sh "$out"
# The `tokenizers` wheel (abi3: the GPU machine's Python 3.12 takes it), and
# numpy 1.26 for the python backend stub there (see run.sh).
pull() { ls "$out"/$1-*.whl >/dev/null 2>&1 || .venv/bin/pip download --no-deps --only-binary=:all: \
  --python-version 3.12 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 "$1==$2" -d "$out" >/dev/null; }
pull tokenizers 0.23.3
pull numpy 1.26.4
# GoogleTest sources (the GPU machine has none) for backend-cpp's unit tests.
[ -f "$out/googletest.tgz" ] || tar czf "$out/googletest.tgz" -C /usr/src googletest
du -sh "$out"
