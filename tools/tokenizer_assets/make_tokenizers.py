#!/usr/bin/env python3
"""Makes the tokenizer.json test files of test/assets/tokenizers/ (one per
tokenizer family), trained here on deterministic multilingual text
(test/tokenizer/multilingual_text.py). Rerun only to change them; commit the
result and update the sha256 lines of test/assets/tokenizers/README.md.

Needs a tool venv outside the repository (sentencepiece's model protobuf
needs a newer protobuf than the project's .venv pins):
  python3 -m venv /tmp/spvenv
  /tmp/spvenv/bin/pip install sentencepiece==0.2.3 protobuf==7.36.2 \
      transformers==5.23.0 tokenizers==0.23.3
  /tmp/spvenv/bin/python tools/tokenizer_assets/make_tokenizers.py

Files:
  xlmr-unigram.json     SentencePiece Unigram (nmt_nfkc -> precompiled_charsmap),
                        converted by transformers' XLMRobertaConverter as
                        real XLM-R files are: Sequence[Precompiled, Replace],
                        Metaspace, RobertaProcessing.
  xlmr-unigram-bytefallback.json  the same with byte_fallback=True.
  roberta-bpe.json      HF BpeTrainer, ByteLevel(add_prefix_space=False),
                        RobertaProcessing(trim_offsets=True), RoBERTa's specials.
  hf-unigram-metaspace.json  HF UnigramTrainer, NFKC, Metaspace(prepend_scheme
                        always), TemplateProcessing.
  bpe-whitespace.json   HF BpeTrainer with continuing_subword_prefix, NFD +
                        Lowercase + StripAccents, Whitespace pre-tokenizer,
                        TemplateProcessing.
  mpnet-wordpiece.json  HF WordPieceTrainer with BertNormalizer and
                        BertPreTokenizer, laid out as transformers'
                        MPNetConverter and all-mpnet-base-v2's file: <s> A </s>
                        </s> B </s>, [UNK], <mask> with lstrip. Needs only
                        tokenizers (the project's .venv pins the same one).
"""

import argparse
import hashlib
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "test", "tokenizer"))
from multilingual_text import TextSource  # noqa: E402

SEED = 20261204
LINES = 60_000
VOCAB = 8000
VERSIONS = {"sentencepiece": "0.2.3", "protobuf": "7.36.2", "transformers": "5.23.0", "tokenizers": "0.23.3"}


def check_versions(only):
    import importlib.metadata as md
    # mpnet-wordpiece needs tokenizers alone.
    needed = VERSIONS if set(only) - {"mpnet-wordpiece"} else {"tokenizers": VERSIONS["tokenizers"]}
    for name, want in needed.items():
        have = md.version(name)
        if have != want:
            raise SystemExit(f"{name} {have}, expected {want} (see this script's header)")


def sentencepiece_xlmr(lines, out, byte_fallback):
    import sentencepiece as spm
    from transformers import XLMRobertaTokenizer
    from transformers.convert_slow_tokenizer import XLMRobertaConverter

    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "train.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("\n".join(common_char_lines(lines, 4)) + "\n")
        prefix = os.path.join(tmp, "sp")
        # XLM-R's sentencepiece ids: <unk>=0 <s>=1 </s>=2 (pad unused); the
        # fairseq offset of the converter puts <s>=0 <pad>=1 </s>=2 <unk>=3.
        spm.SentencePieceTrainer.train(
            input=text, model_prefix=prefix, vocab_size=VOCAB - 4, model_type="unigram",
            character_coverage=0.98, byte_fallback=byte_fallback, num_threads=2,
            input_sentence_size=0, shuffle_input_sentence=False, seed_sentencepiece_size=200_000,
            normalization_rule_name="nmt_nfkc", minloglevel=2)
        converted = XLMRobertaConverter(XLMRobertaTokenizer(vocab_file=prefix + ".model")).converted()
    # The converter lists only <s> and </s> as added tokens; real XLM-R files
    # (saved by the fast tokenizer) list all five, <mask> with lstrip and
    # last in the vocab, so the test files do too.
    from tokenizers import AddedToken
    converted.add_special_tokens([AddedToken("<pad>", normalized=False, special=True),
                                  AddedToken("<unk>", normalized=False, special=True),
                                  AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    converted.save(out)
    if byte_fallback:
        # The converter drops sentencepiece's byte_fallback (it warns so);
        # HF's Unigram implements it, so switch it on for the <0xNN> pieces.
        import json
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        doc["model"]["byte_fallback"] = True
        with open(out, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)


def roberta_bpe(lines, out):
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers, decoders

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, min_frequency=2,
                                  special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(lines, trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")),
                                                      ("<s>", tok.token_to_id("<s>")),
                                                      trim_offsets=True, add_prefix_space=False)
    tok.save(out)


def common_char_lines(lines, min_count=10):
    """The lines whose characters all occur min_count times: HF's
    UnigramTrainer keeps every character, so rare ones would not fit the
    vocab (they become <unk>, which the parity corpus then covers)."""
    from collections import Counter
    counts = Counter(c for line in lines for c in line)
    return [line for line in lines if all(counts[c] >= min_count for c in line)]


def hf_unigram_metaspace(lines, out):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers, decoders

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(vocab_size=VOCAB, special_tokens=["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"],
                                      unk_token="<unk>", show_progress=False)
    tok.train_from_iterator(common_char_lines(lines), trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.save(out)


def bpe_whitespace(lines, out):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##"))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(), normalizers.StripAccents()])
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, min_frequency=2, continuing_subword_prefix="##",
                                  special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], limit_alphabet=1500,
                                  show_progress=False)
    tok.train_from_iterator(lines, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.save(out)


def mpnet_wordpiece(lines, out):
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(vocab_size=VOCAB, min_frequency=2, limit_alphabet=1500,
                                        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "[UNK]", "<mask>"],
                                        continuing_subword_prefix="##", show_progress=False)
    tok.train_from_iterator(lines, trainer)
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    cls, sep = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s>:0 $A:0 </s>:0", pair="<s>:0 $A:0 </s>:0 </s>:0 $B:1 </s>:1",
        special_tokens=[("<s>", cls), ("</s>", sep)])
    tok.save(out)


MAKERS = {
    "xlmr-unigram": lambda lines, out: sentencepiece_xlmr(lines, out, byte_fallback=False),
    "xlmr-unigram-bytefallback": lambda lines, out: sentencepiece_xlmr(lines, out, byte_fallback=True),
    "roberta-bpe": roberta_bpe,
    "hf-unigram-metaspace": hf_unigram_metaspace,
    "bpe-whitespace": bpe_whitespace,
    "mpnet-wordpiece": mpnet_wordpiece,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(REPO, "test", "assets", "tokenizers"))
    ap.add_argument("--only", nargs="*", choices=sorted(MAKERS))
    args = ap.parse_args()
    check_versions(args.only or sorted(MAKERS))
    lines = TextSource(SEED).lines(LINES)
    os.makedirs(args.out, exist_ok=True)
    for name in args.only or sorted(MAKERS):
        path = os.path.join(args.out, name + ".json")
        MAKERS[name](lines, path)
        with open(path, "rb") as f:
            data = f.read()
        print(f"{hashlib.sha256(data).hexdigest()}  {name}.json  ({len(data)} bytes)")


if __name__ == "__main__":
    main()
