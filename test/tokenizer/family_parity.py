#!/usr/bin/env python3
"""Tokenizer parity per family: our C++ tokenizer (the fasterbert_tokenize
CLI with --tokenizer-json) against HF `tokenizers` on the trained
tokenizer.json files of test/assets/tokenizers/ (XLM-R SentencePiece
Unigram, RoBERTa byte-level BPE, HF Unigram + Metaspace, BPE + Whitespace).

The corpus is generated here, deterministically (seeded), about 20,000
strings per family plus a truncation suite run under every strategy and
several max_length values. Checked: ids, type ids, attention mask and
offsets; HF's char offsets become byte offsets into the text the token came
from (the second text for tokens of a pair's second sequence, taken from
HF's sequence_ids, since XLM-R and RoBERTa give type id 0 to both). Errors
follow parity.py: HF's truncation error = our TextTooLongError, under
do_not_truncate ours fails exactly when HF's encoding is longer than
max_length, invalid UTF-8 = our InvalidTextError.

For each family prints one line:
  family parity NAME: S strings, N passed, M failed
or, when our CLI refuses the file as a component it does not support yet,
  family parity NAME: skipped: <the CLI's message>
and the first mismatches. Exits 1 on a mismatch, a CLI failure that is not
'not supported', or when nothing was checked (a skip alone exits 0; the
vitest file reports it as skipped).

Variants (--variant): a committed file with one component swapped (NFC,
NFKD, Digits, ...), on the suites of VARIANT_SUITES; a skip is a failure
there.

Usage: family_parity.py [--bin PATH] [--family NAME ...] [--show N]
       family_parity.py [--bin PATH] --variant NAME ...
       family_parity.py [--bin PATH] --tokenizer-json FILE   (any other file,
         e.g. a real one from a registry package; no sha256 check)
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
ASSETS = os.path.join(REPO, "test", "assets", "tokenizers")
sys.path.insert(0, HERE)
from multilingual_text import BLOCKS, EMOJI, SENTENCES, TextSource  # noqa: E402
from cli_records import Tally, by_config  # noqa: E402

# sha256 of the committed files (test/assets/tokenizers/README.md).
FAMILIES = {
    "xlmr-unigram": "6e48d229a5d61c628c0620fd857322c5f27c55bd0fa400a805dfb56e43902c53",
    "xlmr-unigram-bytefallback": "68026926ec38cd0b8d92db3410800fe542c7f4c9229afea4f84775fd274807ee",
    "roberta-bpe": "4ed424d90587e8aec6b54488396159d0b4ab1f35e2ae1df8f2275d2fd25f8105",
    "hf-unigram-metaspace": "a072fa18d6c3064cb946b8b5986e5363e11f90e1e340c662acfa486b48c65ee4",
    "bpe-whitespace": "fa851486df959996d38695ddfe33dbbbc702011daa294c28d52675d0beedeee5",
    "mpnet-wordpiece": "e2b246726c34fd0644c3baf2d6e88e228d2120b3e8f5f4609bf5ca818193aa36",
}
# Hand-made variants of a committed family: its tokenizer.json with one
# component swapped, written to a temporary file, for the normalizers and
# pre-tokenizers that no committed file uses. name: (family, field, component).
METASPACE = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
VARIANTS = {
    "nfc": ("hf-unigram-metaspace", "normalizer", {"type": "NFC"}),
    "nfkd": ("hf-unigram-metaspace", "normalizer", {"type": "NFKD"}),
    "nfkd-nfc-lowercase": ("hf-unigram-metaspace", "normalizer", {"type": "Sequence", "normalizers": [
        {"type": "NFKD"}, {"type": "Lowercase"}, {"type": "NFC"}]}),
    "digits-individual": ("bpe-whitespace", "pre_tokenizer", {"type": "Sequence", "pretokenizers": [
        {"type": "Whitespace"}, {"type": "Digits", "individual_digits": True}]}),
    "digits-contiguous": ("hf-unigram-metaspace", "pre_tokenizer", {"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": False}, METASPACE]}),
}
# The suites a variant runs (its family runs them all, truncation included).
VARIANT_SUITES = {"script", "combining", "fullwidth", "random_unicode", "mixed", "edge", "normalization", "pairs"}
SEED = 19_2026
TRUNCATIONS = ["longest_first", "only_first", "only_second", "do_not_truncate"]
MAX_LENGTHS = [5, 20, 128]
# Pairs whose sides' lengths (chars) multiply past this skip max_length 5 under longest_first (see Corpus.make).
TINY_MAX_PAIR_CHARS = 50_000
SPECIAL_WORDS = ["<s>", "</s>", "<mask>", "<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]",
                 "<s", "s>", "</s", "<mask", "<MASK>", "< s >", "<<s>>", "▁", "Ġ", "##"]
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "\u2003", "\u2028", "\u0085", "\x0b", "\x0c"]
CONTROLS = ([chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
            "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\ufff9", "\ufffd", "\U000e0001", "\U000e0041"])
COMBINING = [chr(c) for c in range(0x0300, 0x0370)] + [chr(c) for c in range(0x1AB0, 0x1ABF)] + \
    ["\u093c", "\u094d", "\u0e31", "\u3099", "\u309a", "\u20dd", "\ufe0f", "\ufe0e"]
EMOJI_SEQ = ["👨‍👩‍👧‍👦", "👍🏽", "🇫🇷", "🇯🇵", "❤️", "🏳️‍🌈", "🧑🏿‍💻", "#️⃣", "1️⃣", "👁‍🗨", "😀", "🤖"]
# For the normalization suite: what the Unicode normalization forms treat
# specially (the NFC/NFKC/NFKD/Digits variants and the NFKC family).
NF_BASES = list("aAeEiIoOuUnNcCsSyYzZwW<=>") + list("αεηιουωΑΩρ") + list("иеуИЕУ") + \
    list("かきくはひふカハウ") + ["क", "ड", "ଇ", "ெ", "ᄀ", "ㄱ"]
NF_MARKS = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u030a", "\u030c", "\u0323", "\u0327",
            "\u0328", "\u031b", "\u0338", "\u0345", "\u0342", "\u0306", "\u3099", "\u309a", "\u093c",
            "\u05b7", "\u05bc", "\u0f71", "\u0f72", "\u0f74", "\u0b3e", "\u0bbe", "\u0334", "\u0316"]
# Compatibility characters: ligatures, full-width, superscripts, squared and
# circled forms, fractions, math letters, half-width kana, spaces.
NF_COMPAT = ["ﬁ", "ﬂ", "ﬀ", "ﬃ", "ﬆ", "Ａ", "ｚ", "１", "９", "！", "＃", "²", "³", "¹", "⁴", "ⁿ", "₂", "₉", "㎏", "㎞",
             "㍿", "㍻", "①", "⑳", "⒜", "⓪", "Ⅻ", "ⅷ", "½", "¼", "⅞", "…", "™", "℃", "℉", "ｶ", "ﾞ", "ﾟ", "ｱ", "ﾊ",
             "ǅ", "Ǆ", "ǈ", "ſ", "ẛ", "µ", "ℌ", "ℵ", "𝐀", "𝕫", "𝟘", "𝟡", "㈜", "㈎", "㋀", "㉑", "︵", "﹏", "ﷺ", "ﷻ", "ﻻ",
             "ﺀ", "\u00a0", "\u2002", "\u2009", "\u3000", "\u00a8", "\u00af", "\u00b4", "\u02d8", "\u1fed", "\u1fee",
             "\u0385", "\u03d3", "\u1e9b", "\u2474", "\u3250", "\U0001f130", "\U0001f190", "\uff9e\uff9f",
             "\u3131", "\u314f", "\uffa1", "\uffc2"]
# Canonical singletons and composition exclusions (and the pairs that would
# make them): they decompose but never recompose.
NF_NO_COMPOSE = ["\u212b", "\u2126", "\u212a", "\u0340", "\u0341", "\u0343", "\u0344", "\u0374", "\u037e",
                 "\u0387", "\u1f71", "\u1fbb", "\u2000", "\u2001", "\uf900", "\uf9ff", "\uface",
                 "\U0002f800", "\u0958", "\u0959", "\u095f", "\u09dc", "\u0a33", "\u0f43", "\u0f73",
                 "\u0f75", "\u0f81", "\ufb1d", "\ufb1f", "\ufb2a", "\ufb4e", "\u2adc", "\U0001d15e",
                 "\U0001d160", "\U0001d1bb", "\u0915\u093c", "\u0921\u093c", "\u05e9\u05c1",
                 "\u2add\u0338", "\U0001d157\U0001d165", "\U00011099\U000110ba", "\U00011935\U00011930",
                 "\U00011938"]
# Numerals of several scripts and kinds (Nd, Nl, No), for Digits.
NF_DIGITS = ["0", "7", "42", "3.14", "1,000", "١٢٣", "۴۵", "०१२", "৩", "๑๒", "߀", "፩", "²", "½", "Ⅻ", "ⅷ", "①", "⑳",
             "𝟙", "１２", "〇", "〡", "𐄇", "𑁒", "\U00011f50", "\U0001e4f0", "\U00011de0", "\U00016ff4", "一",
             "萬", "x2", "v1.2.3", "2024-01-01", "३४"]



class Corpus:
    """Deterministic records: {"text": s}, {"pair": [a, b]} or {"hex": h}."""

    def __init__(self, seed):
        self.src = TextSource(seed)
        self.rng = self.src.rng

    def script_text(self):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(self.src.english)
        if r < 0.5:
            return self.rng.choice(SENTENCES[self.rng.choice(sorted(SENTENCES))])
        if r < 0.6:
            return self.src.chinese_sentence()
        return self.src.made_up_sentence(self.rng.choice(sorted(BLOCKS)))

    def english_words(self):
        words = self.rng.choice(self.src.english).split()
        return " ".join(self.rng.sample(words, min(len(words), self.rng.randint(1, 4))))

    def emoji(self):
        parts = [self.rng.choice(EMOJI_SEQ + EMOJI) for _ in range(self.rng.randint(1, 5))]
        return self.rng.choice(["", " ", "a"]).join(parts) + self.rng.choice(["", " ok", "!"])

    def combining(self):
        base = self.rng.choice(["a", "e", "o", "n", "क", "ก", "か", "A", " ", "1", "z"])
        marks = "".join(self.rng.choice(COMBINING) for _ in range(self.rng.randint(1, 6)))
        return self.rng.choice(["", "caf", "word "]) + base + marks + self.rng.choice(["", "x", " end"])

    def controls(self):
        words = self.script_text().split(" ")
        out = []
        for w in words[:8]:
            out.append(w)
            out.append(self.rng.choice(CONTROLS + WHITESPACE))
        return "".join(out)

    def fullwidth(self):
        s = self.rng.choice(self.src.english)[:60]
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and self.rng.random() < 0.7 else
                       ("\u3000" if c == " " else c) for c in s)

    def long_word(self):
        kind = self.rng.randrange(5)
        n = self.rng.choice([100, 257, 1000, 3000])
        if kind == 0:
            return self.rng.choice("aZ9") * n
        if kind == 1:
            return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
        if kind == 2:
            return self.src.made_up_word("cjk") * (n // 6)
        if kind == 3:
            return "".join(self.rng.choice(EMOJI) for _ in range(n // 4))
        return "x" + "".join(self.rng.choice("\u0301\u0308\u200d") for _ in range(n // 4))

    def whitespace(self):
        words = self.script_text().split()[:6] or ["a"]
        runs = ["".join(self.rng.choice(WHITESPACE) for _ in range(self.rng.randint(1, 6))) for _ in words]
        s = "".join(w + r for w, r in zip(words, runs))
        return self.rng.choice(["", " ", "  ", "\t"]) + s

    def special(self):
        parts = []
        for _ in range(self.rng.randint(1, 6)):
            parts.append(self.rng.choice(SPECIAL_WORDS) if self.rng.random() < 0.5 else self.english_words())
        return self.rng.choice(["", " "]).join(parts)

    def random_unicode(self):
        out = []
        for _ in range(self.rng.randint(1, 12)):
            cp = self.rng.choice([self.rng.randint(0, 0x7F), self.rng.randint(0x80, 0x2FFF),
                                  self.rng.randint(0x3000, 0xFFFF), self.rng.randint(0x10000, 0x10FFFF)])
            if 0xD800 <= cp <= 0xDFFF:
                cp = 0xFFFD
            out.append(chr(cp))
        return "".join(out)

    def mixed(self):
        return " ".join(self.rng.choice([self.script_text, self.emoji, self.english_words, self.fullwidth,
                                         self.special])()[:80] for _ in range(self.rng.randint(2, 4)))

    def edge(self):
        return self.rng.choice(["", " ", "  ", "\n", "\t \n", "a", ".", "▁", "Ġ", "<s>", "<mask>", "\u200b", "\x00",
                                "\ufeff", "é", "e\u0301", "ﬁ", "Ⅻ", "㍿", "①", "ｶ", "ﾞ", "À" * 3])

    def hangul(self):
        """Precomposed syllables, their conjoining jamo (L V, L V T), LV
        syllables followed by a trailing jamo, and jamo runs that do not
        compose (L L, V alone, T after an LVT syllable)."""
        out = []
        for _ in range(self.rng.randint(1, 6)):
            kind = self.rng.randrange(5)
            if kind == 0:
                out.append(chr(self.rng.randint(0xAC00, 0xD7A3)))
            elif kind == 1:
                jamo = [0x1100 + self.rng.randrange(19), 0x1161 + self.rng.randrange(21)]
                if self.rng.random() < 0.6:
                    jamo.append(0x11A7 + self.rng.randrange(28))  # 0x11A7 itself is no trailing consonant
                out.append("".join(map(chr, jamo)))
            elif kind == 2:
                lv = 0xAC00 + self.rng.randrange(19 * 21) * 28
                out.append(chr(lv) + chr(0x11A8 + self.rng.randrange(27)))
            elif kind == 3:
                out.append("".join(chr(self.rng.choice([0x1100 + self.rng.randrange(19), 0x1161 + self.rng.randrange(21),
                                                        0x11A8 + self.rng.randrange(27)])) for _ in range(3)))
            else:
                out.append(chr(self.rng.randint(0xAC00, 0xD7A3)) + chr(0x11A8 + self.rng.randrange(27)))
            if self.rng.random() < 0.2:
                out.append(self.rng.choice(NF_MARKS))
        return self.rng.choice(["", " "]).join(out)

    def normalization(self):
        """Marks in random order after bases (canonical ordering, blocked
        and unblocked composition), compatibility characters, singletons and
        exclusions, precomposed letters and their decompositions, numerals."""
        kind = self.rng.randrange(6)
        if kind == 0:
            return "".join(self.rng.choice(NF_BASES) + "".join(self.rng.choice(NF_MARKS)
                                                               for _ in range(self.rng.randint(0, 4)))
                           for _ in range(self.rng.randint(1, 5)))
        if kind == 1:
            return self.rng.choice(["", " "]).join(self.rng.choice(NF_COMPAT + NF_BASES + NF_MARKS)
                                                   for _ in range(self.rng.randint(1, 8)))
        if kind == 2:
            return " ".join(self.rng.choice(NF_NO_COMPOSE) + self.rng.choice(["", "", "\u0301", "\u0323"])
                            for _ in range(self.rng.randint(1, 5)))
        if kind == 3:
            return self.hangul()
        if kind == 4:  # code points from the blocks with decompositions
            first, last = self.rng.choice([(0xC0, 0x24F), (0x1E00, 0x1FFF), (0x3040, 0x30FF), (0x3200, 0x33FF),
                                           (0xFB00, 0xFB4F), (0xFE30, 0xFEFF), (0xFF00, 0xFFEF), (0x2460, 0x24FF),
                                           (0x1D400, 0x1D7FF), (0x2F800, 0x2FA1F), (0x0370, 0x03FF)])
            return "".join(chr(self.rng.randint(first, last)) for _ in range(self.rng.randint(1, 8)))
        return " ".join(self.rng.choice(NF_DIGITS) + self.rng.choice(["", "a", "ab", "\u0301", ""])
                        for _ in range(self.rng.randint(1, 5)))

    def make(self):
        """[(suite, records, configs)]."""
        plain = [{"max_length": None, "truncation": "longest_first"}]
        suites = []
        kinds = [("script", self.script_text, 3000), ("english_words", self.english_words, 1500),
                 ("emoji", self.emoji, 1200), ("combining", self.combining, 1200),
                 ("controls", self.controls, 1200), ("fullwidth", self.fullwidth, 1000),
                 ("long_words", self.long_word, 300), ("whitespace", self.whitespace, 1200),
                 ("special_tokens", self.special, 1500), ("random_unicode", self.random_unicode, 1500),
                 ("mixed", self.mixed, 1500), ("edge", self.edge, 200)]
        for name, make, count in kinds:
            suites.append((name, [{"text": make()} for _ in range(count)], plain))
        makers = [m for _, m, _ in kinds if m is not self.long_word]
        pairs = [{"pair": [self.rng.choice(makers)(), self.rng.choice(makers)()]} for _ in range(4000)]
        suites.append(("pairs", pairs, plain))
        # A few raw byte strings that are not UTF-8: ours must reject them.
        bad = [b"\xff", b"abc\x80", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"ok \xe4\xb8"]
        suites.append(("invalid_utf8", [{"hex": b.hex()} for b in bad], plain))
        trunc = []
        for _ in range(800):
            a = " ".join(self.rng.choice(makers)() for _ in range(self.rng.randint(1, 3)))
            b = " ".join(self.rng.choice(makers)() for _ in range(self.rng.randint(1, 3)))
            trunc.append({"pair": [a, b]} if self.rng.random() < 0.6 else {"text": a})
        configs = [{"max_length": m, "truncation": t} for t in TRUNCATIONS for m in MAX_LENGTHS]
        tiny = {"max_length": min(MAX_LENGTHS), "truncation": "longest_first"}
        suites.append(("truncation", trunc, [c for c in configs if c != tiny]))
        # HF builds every overflow piece of both sides of a pair and pairs them
        # up: two 1,000-char sides cut to 5 tokens cost it most of a second, and
        # 34 such pairs were half of a family's run. They stay under every other
        # config; this one keeps the rest.
        suites.append(("truncation_tiny", [r for r in trunc if "pair" not in r or
                                           len(r["pair"][0]) * len(r["pair"][1]) <= TINY_MAX_PAIR_CHARS], [tiny]))
        suites.append(("normalization", [{"text": self.normalization()} for _ in range(1500)], plain))
        return suites


def check_file(name):
    path = os.path.join(ASSETS, name + ".json")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != FAMILIES[name]:
        raise SystemExit(f"{path}: sha256 {digest}, expected {FAMILIES[name]} (see test/assets/tokenizers/README.md)")
    return path


def write_variant(name, directory):
    """The variant's tokenizer.json in `directory`; its path."""
    family, field, component = VARIANTS[name]
    with open(check_file(family), encoding="utf-8") as f:
        data = json.load(f)
    data[field] = component
    path = os.path.join(directory, f"{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    return path


def hf_tokenizer(path, config):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    tok.no_padding()
    return truncating(tok, config)


def truncating(tok, config):
    """`tok` with config's truncation."""
    if config["max_length"] is None or config["truncation"] == "do_not_truncate":
        tok.no_truncation()
    else:
        tok.enable_truncation(config["max_length"], strategy=config["truncation"])
    return tok


def cli_args(binary, path, config):
    args = [binary, "--tokenizer-json", path, "--truncation", config["truncation"]]
    if config["max_length"] is not None:
        args += ["--max-length", str(config["max_length"])]
    return args


def unsupported(binary, path):
    """The CLI's message when it refuses the file as not supported, else None."""
    proc = subprocess.run(cli_args(binary, path, {"max_length": None, "truncation": "longest_first"}) + ["-"],
                          input=b"61\n", capture_output=True)
    message = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0 and ("not supported" in message.lower() or "unsupported" in message.lower()):
        return " ".join(message.split())[:300]
    return None


def check_family(binary, name, suites, show, path=None):
    path = path or check_file(name)
    reason = unsupported(binary, path)
    if reason:
        print(f"family parity {name}: skipped: {reason}")
        return None
    tally = Tally(show)
    # One tokenizer, set per config by truncating(): Tally reuses its encodings where the setting repeats.
    tok = hf_tokenizer(path, {"max_length": None, "truncation": "longest_first"})
    checks = [(config, records, f"{name}/{suite} max_length={config['max_length']} {config['truncation']}")
              for suite, records, configs in suites for config in configs]
    for config, records, labels in by_config(checks):
        tally.check(cli_args(binary, path, config), truncating(tok, config), records, config, labels)
    strings = len({id(record) for _, records, _ in suites for record in records})  # truncation_tiny reuses records
    tally.print_mismatches()
    print(f"family parity {name}: {strings} strings, {tally.passed} passed, {tally.failed} failed")
    return tally.ok()


def main():
    ap = argparse.ArgumentParser(description="C++ tokenizer vs HF tokenizers, per tokenizer family")
    ap.add_argument("--bin", default=os.environ.get("FASTERBERT_TOKENIZE_BIN", os.path.join(
        REPO, "build", "backend-cpp", "text", "fasterbert_tokenize")))
    ap.add_argument("--family", nargs="*", choices=sorted(FAMILIES))
    ap.add_argument("--show", type=int, default=8, help="mismatches to print per family")
    ap.add_argument("--variant", nargs="*", choices=sorted(VARIANTS),
                    help="check these hand-made variants instead of the committed families")
    ap.add_argument("--tokenizer-json", help="check this file instead of the committed families")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"family parity: no executable at {args.bin} (pass --bin or set FASTERBERT_TOKENIZE_BIN)",
              file=sys.stderr)
        return 2
    suites = Corpus(SEED).make()
    if args.tokenizer_json:
        path = os.path.abspath(args.tokenizer_json)
        return 0 if check_family(args.bin, path, suites, args.show, path) is not False else 1
    if args.variant:
        variant_suites = [suite for suite in suites if suite[0] in VARIANT_SUITES]
        ok = True
        with tempfile.TemporaryDirectory() as directory:
            for name in args.variant:
                result = check_family(args.bin, name, variant_suites, args.show, write_variant(name, directory))
                ok = ok and result is True
        return 0 if ok else 1
    ok = True
    for name in args.family or sorted(FAMILIES):
        result = check_family(args.bin, name, suites, args.show)
        ok = ok and result is not False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
