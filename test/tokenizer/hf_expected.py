#!/usr/bin/env python3
"""Writes HF `tokenizers`' encodings for the C++ unit test
backend-cpp/text/tests/generic_tokenizer_test.cc: trains small tokenizers
here (Unigram + Metaspace under each prepend scheme, with Strip / Replace /
Prepend / NFD / StripAccents / Lowercase normalizers; byte-level BPE with RobertaProcessing and
with Sequence[ByteLevel, TemplateProcessing]), then encodes seeded random
strings (generic_parity.random_text); the Unigram model is also put behind
WhitespaceSplit + Punctuation, Whitespace and Split pre-tokenizers, alone and in pairs, untruncated and
under every truncation strategy.

Usage: hf_expected.py OUT_DIR
Writes OUT_DIR/<name>.json and OUT_DIR/expected.tsv, one line per case:
  file  max_length(-1: none)  strategy  hex(a)  hex(b)|-  ok|error  ids  type_ids  offsets
(offsets as start:end byte pairs).
"""

import os
import random
import sys

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generic_parity import expected, random_text  # noqa: E402


def corpus(rng):
    return [random_text(rng, []) for _ in range(3000)]


def make_tokenizers(out_dir, lines):
    made = []
    for scheme, split in (("always", True), ("first", True), ("never", False)):
        t = Tokenizer(models.Unigram())
        extra = normalizers.Prepend("▁") if scheme == "never" else normalizers.Sequence(
            [normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase()])
        t.normalizer = normalizers.Sequence([normalizers.Strip(), normalizers.Replace("é", "e"), extra])
        t.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme=scheme, split=split)
        t.train_from_iterator(lines, trainers.UnigramTrainer(vocab_size=500, special_tokens=["<s>", "</s>", "<unk>"], unk_token="<unk>"))
        t.post_processor = processors.TemplateProcessing(
            single="<s> $A </s>", pair="<s> $A </s> $B:1 </s>:1", special_tokens=[("<s>", 0), ("</s>", 1)])
        made.append((f"unigram_{scheme}", t))
        if scheme == "always":
            # The same model behind other pre-tokenizers.
            for b in ("isolated", "merged_with_previous", "contiguous"):
                v = Tokenizer.from_str(t.to_str())
                v.pre_tokenizer = pre_tokenizers.Sequence([
                    pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(behavior=b), pre_tokenizers.Metaspace()])
                made.append((f"unigram_punct_{b}", v))
            v = Tokenizer.from_str(t.to_str())
            v.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace(), pre_tokenizers.Metaspace()])
            made.append(("unigram_whitespace", v))
            for b in ("removed", "merged_with_next"):
                v = Tokenizer.from_str(t.to_str())
                v.pre_tokenizer = pre_tokenizers.Sequence([
                    pre_tokenizers.Split(" ", behavior=b, invert=b == "removed"), pre_tokenizers.Metaspace(split=False)])
                made.append((f"unigram_split_{b}", v))
    for name, aps in (("roberta", False), ("roberta_prefix", True), ("bytelevel_template", False)):
        t = Tokenizer(models.BPE())
        t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=aps)
        t.decoder = decoders.ByteLevel()
        t.train_from_iterator(lines, trainers.BpeTrainer(
            vocab_size=600, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
        if name == "bytelevel_template":
            t.post_processor = processors.Sequence([
                processors.ByteLevel(trim_offsets=True),
                processors.TemplateProcessing(single="<s> $A </s>", pair="<s> $A </s> $B:1 </s>:1",
                                              special_tokens=[("<s>", 0), ("</s>", 2)])])
        else:
            t.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True, add_prefix_space=aps)
        made.append((name, t))
    # The reference is HF loading the saved file, as a server does: a freshly
    # trained model holds scores that the file's shortest-repr floats, read
    # back by serde_json's (not correctly rounded) parser, can miss by 1 ulp,
    # which flips Viterbi between equal-looking segmentations.
    loaded = []
    for name, t in made:
        path = os.path.join(out_dir, name + ".json")
        t.save(path)
        loaded.append((name, Tokenizer.from_file(path)))
    return loaded


def main():
    out_dir = sys.argv[1]
    rng = random.Random(19)
    made = make_tokenizers(out_dir, corpus(rng))
    specials = ["<s>", "</s>", "<mask>", "<unk>"]
    with open(os.path.join(out_dir, "expected.tsv"), "w") as out:
        for name, tok in made:
            texts = ["", " ", "Hello world", "  two  spaces  ", "<s>x</s>", "a <mask> b"] + [
                random_text(rng, specials) for _ in range(150)]
            for i, a in enumerate(texts):
                b = texts[(i + 1) % len(texts)] if i % 3 == 0 else None
                for max_length, strategy in ((None, "longest_first"), (6, "longest_first"),
                                             (7, "only_first"), (7, "only_second"), (9, "do_not_truncate")):
                    if strategy == "only_second" and b is None:
                        continue
                    got = expected(tok, a, b, max_length, strategy)
                    fields = [name + ".json", str(-1 if max_length is None else max_length), strategy,
                              a.encode().hex(), "-" if b is None else b.encode().hex(), got[0]]
                    if got[0] == "ok":
                        fields += [",".join(map(str, got[1])), ",".join(map(str, got[2])),
                                   ",".join(f"{s}:{e}" for s, e in got[4])]
                    out.write("\t".join(fields) + "\n")


if __name__ == "__main__":
    main()
