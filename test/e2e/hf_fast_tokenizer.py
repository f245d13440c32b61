"""HF's fast tokenizer for a model folder, as transformers' pipelines hold it:
the folder's tokenizer.json with the special tokens its family's tokenizer
class names (the QA pipeline keeps every cls position open for the null
answer; the NER pipeline's unk_token_id decides which words it takes from
the text)."""
import os

from transformers import PreTrainedTokenizerFast

XLM_ROBERTA_SPECIALS = {"unk_token": "<unk>", "cls_token": "<s>", "sep_token": "</s>", "pad_token": "<pad>",
                        "mask_token": "<mask>", "bos_token": "<s>", "eos_token": "</s>"}
BERT_SPECIALS = {"unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                 "mask_token": "[MASK]"}


def fast_tokenizer(model_dir, config):
    """`config`: the folder's config.json, read; its model_type picks the family."""
    specials = XLM_ROBERTA_SPECIALS if config.get("model_type") == "xlm-roberta" else BERT_SPECIALS
    return PreTrainedTokenizerFast(tokenizer_file=os.path.join(model_dir, "tokenizer.json"), **specials)
