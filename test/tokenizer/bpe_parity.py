#!/usr/bin/env python3
"""BPE parity: our C++ BPE model and GPT-2 split (through the
fasterbert_bpe_check CLI) against HF `tokenizers`.

Trains small BPE models here with HF's BpeTrainer in several configurations
(byte-level GPT-2/RoBERTa style; "##" prefix and "</w>" suffix with an
unknown token; unk_token with fuse_unk; byte_fallback; ignore_merges; merges
in the legacy "a b" string form), tokenizes many words with HF's
`tokenizer.model.tokenize` and with ours, and compares ids and byte offsets.
Then compares the GPT-2 split of thousands of generated strings with
`pre_tokenizers.ByteLevel(add_prefix_space=False).pre_tokenize_str` (its char
offsets turned into byte offsets). Strings mix English, Chinese, Japanese,
Korean, Arabic, Hindi, Cyrillic, emoji, combining marks, control and
zero-width chars, full-width forms, digits of several scripts, apostrophes,
long words, whitespace runs and random code points.

Prints `bpe parity: N passed, M failed` and the first mismatches; exits 1 on
any mismatch.

Usage: .venv/bin/python test/tokenizer/bpe_parity.py [--bin PATH] [--seed N] [--count N]
                                                     [--all-code-points]
  --bin defaults to build/text/fasterbert_bpe_check under the repo root.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

from tokenizers import Tokenizer, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def span(first, last):
    return [chr(c) for c in range(first, last + 1)]


POOLS = {
    "latin": list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèüßñçøåÀÉ"),
    "digits": list("0123456789") + list("٠١٢٣٤५६७８９²³½¾ⅫⅣ①"),
    "punct": list("'.,!?-\"()[]{}:;/@#$%^&*_+=<>|~`\\") + ["’", "“", "”", "…", "—", "«", "»", "¿", "、", "。", "，"],
    "chinese": list("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事"),
    "japanese": span(0x3041, 0x3096) + span(0x30A1, 0x30FA) + ["ー", "々"],
    "korean": [chr(random.Random(i).randint(0xAC00, 0xD7A3)) for i in range(200)] + span(0x1100, 0x1112),
    "arabic": span(0x0621, 0x064A) + span(0x064B, 0x0652) + span(0x0660, 0x0669),
    "hindi": span(0x0905, 0x0939) + span(0x093E, 0x094D) + ["।", "ं", "ः"],
    "cyrillic": span(0x0410, 0x044F) + ["ё", "Ё", "і", "ї"],
    "emoji": span(0x1F600, 0x1F64F) + ["\u200d", "\U0001F3FB", "\U0001F3FF", "\ufe0f", "❤", "\U0001F468", "\U0001F1FA", "\U0001F1F8"],
    "combining": span(0x0300, 0x036F) + ["\u20dd", "\u0e31", "\u0e47"],
    "control": span(0x00, 0x08) + span(0x0E, 0x1F) + span(0x7F, 0x9F),
    "zero_width": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"],
    "full_width": span(0xFF01, 0xFF5E) + span(0xFF10, 0xFF19),
    "space": [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "\u2028", "\u2029", "\u1680",
              "\u2003", "\u202f", "\u205f", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f"],
    "apostrophe": ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "'", "''", "'x", " '"],
}
WORDS = ["the", "tokenizer", "running", "don't", "I'm", "we'll", "they're", "hello", "world",
         "unbelievable", "Москва", "привет", "東京", "こんにちは", "안녕하세요", "مرحبا", "नमस्ते", "2024",
         "3.14", "e-mail", "naïve", "café", "Straße"]


def random_text(rng, max_len=40):
    parts = []
    for _ in range(rng.randint(0, max_len)):
        r = rng.random()
        if r < 0.3:
            parts.append(rng.choice(WORDS))
        elif r < 0.92:
            pool = POOLS[rng.choice(list(POOLS))]
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
        elif r < 0.97:
            # any scalar value, assigned or not
            cp = rng.randint(0, 0x10FFFF)
            while 0xD800 <= cp <= 0xDFFF:
                cp = rng.randint(0, 0x10FFFF)
            parts.append(chr(cp))
        else:
            parts.append(rng.choice(POOLS["latin"]) * rng.randint(20, 200))  # long words
    return "".join(parts)


def train(config, corpus):
    byte_alphabet = pre_tokenizers.ByteLevel.alphabet()
    if config == "byte_level":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        trainer = trainers.BpeTrainer(vocab_size=3000, initial_alphabet=byte_alphabet, show_progress=False)
    elif config == "affixes":
        tok = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##", end_of_word_suffix="</w>"))
        tok.pre_tokenizer = pre_tokenizers.Whitespace()
        trainer = trainers.BpeTrainer(vocab_size=3000, special_tokens=["[UNK]"], limit_alphabet=150,
                                      continuing_subword_prefix="##", end_of_word_suffix="</w>", show_progress=False)
    elif config == "fuse_unk":
        tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True))
        tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        trainer = trainers.BpeTrainer(vocab_size=2000, special_tokens=["<unk>"], limit_alphabet=120, show_progress=False)
    elif config == "byte_fallback":
        tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
        tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        # Byte tokens for all bytes but a few lead bytes, so that some chars
        # still end up unknown.
        byte_tokens = [f"<0x{b:02X}>" for b in range(256) if b not in (0xE4, 0xF0)]
        trainer = trainers.BpeTrainer(vocab_size=2500, special_tokens=["<unk>"] + byte_tokens,
                                      limit_alphabet=100, show_progress=False)
    elif config == "prefix_fallback":
        tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, continuing_subword_prefix="##"))
        tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        trainer = trainers.BpeTrainer(vocab_size=2500, special_tokens=["<unk>"] + [f"<0x{b:02X}>" for b in range(256)],
                                      limit_alphabet=100, continuing_subword_prefix="##", show_progress=False)
    else:
        raise ValueError(config)
    tok.train_from_iterator(corpus, trainer)
    return tok


def model_words(tok, texts, rng):
    """Words to give the model: what its pre-tokenizer makes of the texts,
    plus raw random strings (the model takes any string)."""
    words = []
    for text in texts:
        words.extend(w for w, _ in tok.pre_tokenizer.pre_tokenize_str(text))
    words.extend(texts[: len(texts) // 4])
    words.extend(random_text(rng, 4) for _ in range(len(texts) // 4))
    return [w for w in words if w]


def run_cli(binary, args, strings):
    with tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False) as f:
        for s in strings:
            f.write(s.encode("utf-8").hex() + "\n")
        path = f.name
    try:
        out = subprocess.run([binary] + args + [path], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    lines = out.split("\n")[:-1]
    if len(lines) != len(strings):
        raise SystemExit(f"{binary}: {len(lines)} lines for {len(strings)} strings")
    return lines


def char_to_byte_offsets(text):
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + len(ch.encode("utf-8")))
    return offsets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(REPO, "build", "text", "fasterbert_bpe_check"))
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--count", type=int, default=5000, help="generated texts per check")
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--all-code-points", action="store_true",
                        help="also split 'a'+c, '1'+c, '!'+c and ' '+c for every code point c (slow)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = [random_text(rng) for _ in range(4000)]
    texts = [random_text(rng) for _ in range(args.count)]
    split_texts = list(texts)
    if args.all_code_points:
        # Where the class of c (letter, number, other, space) shows.
        split_texts += [p + chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF for p in ("a", "1", "!", " ")]
    passed = failed = 0
    shown = 0

    def report(kind, s, ours, theirs):
        nonlocal shown
        if shown < args.show:
            print(f"MISMATCH {kind} {s!r}\n  ours: {ours}\n  hf:   {theirs}")
            shown += 1

    # The GPT-2 split, and the byte alphabet: each of HF's pieces must be
    # the bytes of our range, each written as our ByteLevelChar.
    alphabet = [chr(int(c)) for c in subprocess.run([args.bin, "alphabet"], check=True, capture_output=True,
                                                    text=True).stdout.split()]
    split = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    ours = run_cli(args.bin, ["split"], split_texts)
    for text, line in zip(split_texts, ours):
        to_byte = char_to_byte_offsets(text)
        pieces = split.pre_tokenize_str(text)
        theirs = " ".join(f"{to_byte[a]}:{to_byte[b]}" for _, (a, b) in pieces)
        data = text.encode("utf-8")
        mapped = ["".join(alphabet[b] for b in data[to_byte[a]:to_byte[b]]) for _, (a, b) in pieces]
        if line == theirs and mapped == [piece for piece, _ in pieces]:
            passed += 1
        else:
            failed += 1
            report("split", text, line, theirs)

    configs = ["byte_level", "affixes", "fuse_unk", "byte_fallback", "prefix_fallback"]
    with tempfile.TemporaryDirectory() as tmp:
        for config in configs:
            tok = train(config, corpus)
            doc = json.loads(tok.to_str())
            variants = {config: doc}
            if config == "byte_level":
                legacy = json.loads(tok.to_str())
                legacy["model"]["merges"] = [" ".join(m) for m in legacy["model"]["merges"]]
                variants["byte_level_legacy_merges"] = legacy
                ignore = json.loads(tok.to_str())
                ignore["model"]["ignore_merges"] = True
                variants["byte_level_ignore_merges"] = ignore
            words = model_words(tok, texts, rng)
            for name, variant in variants.items():
                hf = Tokenizer.from_str(json.dumps(variant))
                path = os.path.join(tmp, name + ".json")
                with open(path, "w") as f:
                    json.dump(variant, f)
                ours = run_cli(args.bin, ["bpe", path], words)
                special = {i for t, i in variant["model"]["vocab"].items() if t in ("[UNK]", "<unk>") or
                           (len(t) == 6 and t.startswith("<0x"))}
                special_hits = 0
                for word, line in zip(words, ours):
                    tokens = hf.model.tokenize(word)
                    special_hits += sum(t.id in special for t in tokens)
                    theirs = " ".join(f"{t.id}:{t.offsets[0]}:{t.offsets[1]}" for t in tokens)
                    if line == theirs:
                        passed += 1
                    else:
                        failed += 1
                        report(name, word, line, theirs)
                # Shows that the unknown / byte-fallback paths were exercised.
                print(f"  {name}: vocab {hf.get_vocab_size()}, {len(words)} words, "
                      f"{special_hits} unknown or byte tokens")

    print(f"bpe parity: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
