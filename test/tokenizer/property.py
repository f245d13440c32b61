#!/usr/bin/env python3
"""Property test: random Unicode strings, weighted towards the tokenizer's
edge cases, through our C++ tokenizer (the fasterbert_tokenize CLI) and HF
`tokenizers`; ids, type ids, masks and offsets must be identical.

Each run draws new strings from a seed (printed; FASTERBERT_PROPERTY_SEED or
--seed replays a run) and stops after --count checks or --max-seconds,
whichever comes first. Strings mix: ASCII, control and format chars, every
kind of whitespace, combining marks, precomposed and special-case letters
(İ, ẞ, Σ, Ω, ǅ...), Hangul, CJK from every HF range (the 0x2B920 boundary
included), compatibility ideographs, kana, full-width forms, emoji with ZWJ,
variation selectors and skin tones, private-use and unassigned code points,
any scalar value, vocab words, [SEP]-like special tokens, and long words.
Configs rotate over both vocabs, the normalizer options, pairs and every
truncation strategy.

Prints `property parity: N passed, M failed (seed S)` and the first
mismatches with the string's repr; exits 1 on a mismatch.
"""

import argparse
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import parity  # noqa: E402  (same directory)
from cli_records import Tally  # noqa: E402

ASCII_WORDY = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
WHITESPACE = ["\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\xa0", "\u1680", "\u2000", "\u2001",
              "\u2007", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\x1c", "\x1f"]
FORMAT = ["\x00", "\x01", "\x7f", "\x9f", "\u00ad", "\u061c", "\u180e", "\u200b", "\u200c",
          "\u200d", "\u200e", "\u200f", "\u2060", "\u2066", "\ufeff", "\ufffd", "\ufffe", "\uffff",
          "\ue000", "\uf8ff", "\U000f0000", "\U0010fffd", "\U000e0001", "\U000e0041",
          "\u0600", "\u08e2", "\u0890", "\U000110cd", "\U00013430"]
SPECIAL_CASE = ["\u0130", "\u0131", "\u1e9e", "\u00df", "\u03a3", "\u03c2", "\u2126", "\u212a",
                "\u212b", "\u01c5", "\u01c4", "\u01c6", "\u0345", "\u1f88", "\u1fbc", "\u0149",
                "\u1e96", "\ufb00", "\ufb01", "\u0587", "\u1e9a", "\u2c2f", "\ua7c0", "\U00010400",
                "\U0001e900", "\u13a0", "\uab70"]
EMOJI = ["\U0001f600", "\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
         "\U0001f1eb\U0001f1f7", "\u2764\ufe0f", "\u263a\ufe0e", "1\ufe0f\u20e3", "\U0001f3f3\ufe0f\u200d\U0001f308",
         "\u00a9", "\u2122", "\u20ac", "\U0001fae0", "\U0001f9d1\U0001f3ff\u200d\U0001f4bb"]
SPECIAL_TOKENS = ["[SEP]", "[CLS]", "[PAD]", "[UNK]", "[MASK]", "[sep]", "[SEP", "SEP]", "[[SEP]]",
                  "\uff3bSEP\uff3d"]
# (lo, hi) code point ranges, each drawn uniformly.
RANGES = [
    (0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A), (0x064B, 0x065F),
    (0x0900, 0x0983), (0x0E31, 0x0E4E), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20F0),
    (0xFE20, 0xFE2F), (0x1D165, 0x1D1AD),                        # combining marks
    (0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x0370, 0x03FF), (0x1F00, 0x1FFF),
    (0x0400, 0x04FF), (0x0530, 0x058F), (0x10A0, 0x10FF),      # letters with case/decompositions
    (0x1100, 0x11FF), (0xAC00, 0xD7A3), (0x3130, 0x318F),      # Hangul
    (0x3040, 0x30FF), (0x3000, 0x303F), (0xFF00, 0xFFEF),      # kana, CJK punctuation, full-width
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F), (0x2B81D, 0x2B92F), (0x2B920, 0x2CEAF), (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F), (0x2E80, 0x2FDF),                      # CJK, HF's ranges and edges
    (0x2000, 0x206F), (0x2E00, 0x2E7F), (0x0600, 0x06FF), (0x0E00, 0x0E7F),  # punctuation
    (0x2100, 0x22FF), (0x1F300, 0x1FAFF), (0x20A0, 0x20CF),    # symbols
    (0x0378, 0x037F), (0x0870, 0x089F), (0x1C80, 0x1CBF), (0x2FE0, 0x2FEF),
    (0x31350, 0x323AF), (0x3FFF0, 0x40010),                    # recent or unassigned
]


def scalar(rng):
    cp = rng.randrange(0x110000)
    return chr(0xFFFD if 0xD800 <= cp <= 0xDFFF else cp)


class Generator:
    def __init__(self, rng, words, hanzi):
        self.rng = rng
        self.words = words
        self.hanzi = hanzi

    def unit(self):
        rng = self.rng
        r = rng.random()
        if r < 0.22:
            return "".join(rng.choice(ASCII_WORDY) for _ in range(rng.randint(1, 8)))
        if r < 0.30:
            return rng.choice(ASCII_PUNCT)
        if r < 0.40:
            return " " if rng.random() < 0.7 else rng.choice(WHITESPACE)
        if r < 0.46:
            return rng.choice(FORMAT)
        if r < 0.52:
            return rng.choice(SPECIAL_CASE)
        if r < 0.57:
            return rng.choice(EMOJI)
        if r < 0.60:
            return rng.choice(SPECIAL_TOKENS)
        if r < 0.70:
            w = rng.choice(self.words)
            return w.upper() if rng.random() < 0.2 else w.capitalize() if rng.random() < 0.2 else w
        if r < 0.75 and self.hanzi:
            return "".join(rng.choice(self.hanzi) for _ in range(rng.randint(1, 4)))
        if r < 0.95:
            lo, hi = rng.choice(RANGES)
            return chr(rng.randint(lo, hi))
        return scalar(rng)

    def text(self):
        rng = self.rng
        r = rng.random()
        if r < 0.05:
            return ""
        if r < 0.10:  # a very long word, around the 100-char limit
            base = rng.choice(["a", "é", "e\u0301", "x", rng.choice(self.words)])
            return base * rng.randint(30, 130) + rng.choice(["", " end"])
        n = rng.randint(1, 24) if rng.random() < 0.85 else rng.randint(60, 250)
        return "".join(self.unit() for _ in range(n))


def configs(chinese_ok):
    """The rotation of configs (same keys as the corpus configs)."""
    base = dict(parity_defaults())
    out = []
    for vocab in (["minilm", "chinese"] if chinese_ok else ["minilm"]):
        for lowercase, strip in [(True, None), (False, None), (True, False), (False, True)]:
            for clean, cjk in [(True, True), (False, True), (True, False)]:
                out.append({**base, "vocab": vocab, "lowercase": lowercase, "strip_accents": strip,
                            "clean_text": clean, "handle_chinese_chars": cjk})
    out.append({**base, "reference": "tokenizer_json"})
    for strategy in ["longest_first", "only_first", "only_second", "do_not_truncate"]:
        for max_length in [3, 8, 24]:
            out.append({**base, "max_length": max_length, "truncation": strategy})
    return out


def parity_defaults():
    return {"vocab": "minilm", "reference": "bert_wordpiece", "lowercase": True,
            "strip_accents": None, "clean_text": True, "handle_chinese_chars": True,
            "max_length": None, "truncation": "longest_first"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.environ.get("FASTERBERT_TOKENIZE_BIN", os.path.join(
        parity.REPO, "build", "backend-cpp", "text", "fasterbert_tokenize")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get(
        "FASTERBERT_PROPERTY_SEED", str(int.from_bytes(os.urandom(4), "little")))))
    ap.add_argument("--count", type=int, default=30000, help="checks at most")
    ap.add_argument("--max-seconds", type=float, default=45.0)
    ap.add_argument("--batch", type=int, default=300, help="strings per config and round")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"property parity: no executable at {args.bin}", file=sys.stderr)
        return 2

    start = time.monotonic()
    rng = random.Random(args.seed)
    minilm_vocab = [w for w in open(parity.vocab_path("minilm"), encoding="utf-8").read().split("\n")
                    if w and not w.startswith("[")]
    words = [w[2:] if w.startswith("##") else w for w in minilm_vocab]
    chinese_ok = os.path.exists(parity.vocab_path("chinese"))
    hanzi = []
    if chinese_ok:
        hanzi = [w for w in open(parity.vocab_path("chinese"), encoding="utf-8").read().split("\n")
                 if len(w) == 1 and "\u4e00" <= w <= "\u9fff"]
    gen = Generator(rng, words, hanzi)
    refs = parity.References()
    all_configs = configs(chinese_ok)
    tally = Tally(args.show)
    round_no = 0
    while tally.passed + tally.failed < args.count and time.monotonic() - start < args.max_seconds:
        config = all_configs[round_no % len(all_configs)]
        round_no += 1
        pairs = config["max_length"] is not None and rng.random() < 0.5
        records = []
        for _ in range(args.batch):
            if pairs:
                records.append({"pair": [gen.text(), gen.text()]})
            else:
                records.append({"text": gen.text()})
        label = str({k: v for k, v in config.items() if v is not None})
        tally.check(parity.cli_argv(args.bin, config), refs.get(config), records, config, label)
    tally.print_mismatches()
    print(f"property parity: {tally.passed} passed, {tally.failed} failed (seed {args.seed}, "
          f"{round_no} rounds, {time.monotonic() - start:.1f}s; replay with "
          f"FASTERBERT_PROPERTY_SEED={args.seed})")
    return 0 if tally.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
