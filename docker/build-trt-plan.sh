#!/usr/bin/env bash
# Builds a TensorRT plan from an ONNX BERT with trtexec: FP16, with the
# LayerNorm layers and their outputs kept in FP32 (seed 003), FP32 outputs
# for the pipeline, one optimisation profile over batch 1..MAX_BATCH and
# sequence 1..MAX_SEQ; writes the plan's signature file <plan>.json beside it
# (codegen checks the pipeline's wiring against it).
#
# usage: docker/build-trt-plan.sh MODEL.onnx OUT.plan [MAX_BATCH=32] [MAX_SEQ=256]
# Needs trtexec (NVIDIA's containers: /usr/src/tensorrt/bin) and the
# project's .venv (onnx) for the two helpers.
set -euo pipefail
cd "$(dirname "$0")/.."
onnx=$1 plan=$2 max_batch=${3:-32} max_seq=${4:-256}
py=${PYTHON:-.venv/bin/python}
trtexec=${TRTEXEC:-$(command -v trtexec || echo /usr/src/tensorrt/bin/trtexec)}

fp32_layers=$("$py" docker/layernorm_layers.py "$onnx")
inputs=$("$py" tools/bert_onnx/onnx_signature.py "$onnx" | "$py" -c \
  'import json, sys; print(" ".join(t["name"] for t in json.load(sys.stdin)["inputs"]))')
shapes() { local dims=$1 out=""; for name in $inputs; do out+="${out:+,}$name:$dims"; done; echo "$out"; }

"$trtexec" --onnx="$onnx" --saveEngine="$plan" --fp16 \
  --precisionConstraints=obey --layerPrecisions="$fp32_layers" --layerOutputTypes="$fp32_layers" \
  --minShapes="$(shapes 1x1)" --optShapes="$(shapes "${max_batch}x$(( max_seq < 128 ? max_seq : 128 ))")" \
  --maxShapes="$(shapes "${max_batch}x${max_seq}")" --outputIOFormats=fp32:chw
# The profile's bounds go in too: the pipeline splits larger batches and
# codegen rejects a maxLength over max_sequence.
"$py" tools/bert_onnx/onnx_signature.py "$onnx" | "$py" -c '
import json, sys
signature = json.load(sys.stdin)
signature.update(max_batch=int(sys.argv[1]), max_sequence=int(sys.argv[2]))
json.dump(signature, sys.stdout, indent=2)' "$max_batch" "$max_seq" > "$plan.json"
echo "wrote $plan and $plan.json"
