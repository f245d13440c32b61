#!/usr/bin/env python3
"""Regex patterns in Split pre-tokenizers and Replace normalizers: our C++
tokenizer (fasterbert_tokenize, whose regex engine is text/regex.h) against
HF tokenizers (which runs them with Oniguruma) on tokenizer.json files made
here from the committed families of test/assets/tokenizers/:

- Split: bpe-whitespace's BPE model (no normalizer, so case, marks and
  contractions reach the regex) with a Split of each pattern of PATTERNS
  as its pre-tokenizer, under every behavior and invert; the
  (Isolated, invert false) variant on SPLIT_STRINGS strings, the nine
  others on OTHER_STRINGS each.
- Replace: hf-unigram-metaspace (Unigram + Metaspace, where spaces matter)
  with a Sequence of a regex Replace and its NFKC as normalizer, for each
  of REPLACES, on SPLIT_STRINGS strings.

Strings: the family parity corpus (family_parity.Corpus: scripts, emoji,
combining marks, CJK, Arabic, controls, whitespace runs, random Unicode)
plus contractions with ASCII and non-ASCII apostrophes and \\r\\n line
breaks. Checked: ids, type ids, masks and byte offsets.

Prints one line per variant and then
  regex parity: V variants, S strings, N passed, M failed
Exits 1 on any mismatch or when our CLI refuses a file.

Usage: regex_parity.py [--bin PATH] [--show N]
"""

import argparse
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cli_records import Tally  # noqa: E402
from family_parity import Corpus, check_file, cli_args, hf_tokenizer, unsupported  # noqa: E402

PATTERNS = {
    "gpt2": r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
    "llama3": r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+",
    "words": r"\w+|[^\w\s]+",
    "spaces": r"\s+",
    "digit": r"\p{N}",
    "digits-1-3": r"\d{1,3}",
    "marks-symbols": r"[\p{M}\p{S}]+|\P{L}",
    "lazy-dot": r".+?(?=\s|$)",
}
BEHAVIORS = ["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext", "Contiguous"]
REPLACES = {
    "spaces-2": (r" {2,}", " "),
    "whitespace": (r"\s+", " "),
    "marks": (r"\p{M}+", ""),
    "punct-run": (r"[\p{P}\p{S}]{2,}", "\u2026"),
}
SPLIT_STRINGS = 3000
OTHER_STRINGS = 500
SEED = 19_2027
APOSTROPHES = ["'", "\u2019", "\u02bc", "\uff07"]
CONTRACTIONS = ["it's", "don't", "we're", "I'VE", "you'll", "she'd", "I'm", "They'Re", "o'clock", "'s", "'", "''s"]
BREAKS = ["\r\n", "\n", "\r", "\r\n\r\n", " \r\n ", "\n\n  "]


def contraction_text(src):
    rng = src.rng
    words = []
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.5:
            words.append(rng.choice(CONTRACTIONS).replace("'", rng.choice(APOSTROPHES)))
        elif r < 0.8:
            words.append(rng.choice(rng.choice(src.src.english).split() or ["x"]))
        else:
            words.append(src.script_text()[:30])
    seps = [" ", " ", "  ", "\t", rng.choice(BREAKS)]
    return "".join(w + rng.choice(seps) for w in words).rstrip(" ") if rng.random() < 0.7 else \
        rng.choice(BREAKS).join(words)


def strings():
    """SPLIT_STRINGS records, drawn from every suite of the family corpus
    (not truncation, pairs or invalid UTF-8) plus contractions and breaks."""
    corpus = Corpus(SEED)
    pool = []
    for name, records, _ in corpus.make():
        if name in ("truncation", "pairs", "invalid_utf8"):
            continue
        pool.extend(records)
    rng = corpus.rng
    rng.shuffle(pool)
    extra = [{"text": contraction_text(corpus)} for _ in range(SPLIT_STRINGS // 4)]
    records = pool[: SPLIT_STRINGS - len(extra)] + extra
    rng.shuffle(records)
    return records


def split_file(directory, name, pattern, behavior, invert):
    with open(check_file("bpe-whitespace"), encoding="utf-8") as f:
        data = json.load(f)
    data["normalizer"] = None
    data["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": pattern}, "behavior": behavior, "invert": invert}]}
    path = os.path.join(directory, f"split-{name}-{behavior}-{invert}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    return path


def replace_file(directory, name, pattern, content):
    with open(check_file("hf-unigram-metaspace"), encoding="utf-8") as f:
        data = json.load(f)
    data["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Replace", "pattern": {"Regex": pattern}, "content": content}, data["normalizer"]]}
    path = os.path.join(directory, f"replace-{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    return path


def main():
    ap = argparse.ArgumentParser(description="regex Split and Replace: C++ tokenizer vs HF tokenizers")
    ap.add_argument("--bin", default=os.environ.get("FASTERBERT_TOKENIZE_BIN", os.path.join(
        HERE, "..", "..", "build", "backend-cpp", "text", "fasterbert_tokenize")))
    ap.add_argument("--show", type=int, default=8)
    args = ap.parse_args()
    records = strings()
    config = {"max_length": None, "truncation": "longest_first"}
    tally = Tally(args.show)
    variants = total = 0
    with tempfile.TemporaryDirectory() as directory:
        jobs = []
        for name, pattern in PATTERNS.items():
            for behavior in BEHAVIORS:
                for invert in (False, True):
                    n = SPLIT_STRINGS if (behavior, invert) == ("Isolated", False) else OTHER_STRINGS
                    jobs.append((f"split {name} {behavior} invert={invert}",
                                 split_file(directory, name, pattern, behavior, invert), records[:n]))
        for name, (pattern, content) in REPLACES.items():
            jobs.append((f"replace {name}", replace_file(directory, name, pattern, content), records))
        for label, path, subset in jobs:
            reason = unsupported(args.bin, path)
            if reason:
                print(f"{label}: our CLI refuses it: {reason}")
                tally.failed += 1
                continue
            before = tally.failed
            tally.check(cli_args(args.bin, path, config), hf_tokenizer(path, config), subset, config, label)
            print(f"{label}: {len(subset)} strings, {tally.failed - before} failed")
            variants += 1
            total += len(subset)
    tally.print_mismatches()
    print(f"regex parity: {variants} variants, {total} strings, {tally.passed} passed, {tally.failed} failed")
    return 0 if tally.ok() and variants == len(jobs) else 1


if __name__ == "__main__":
    sys.exit(main())
