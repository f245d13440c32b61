#!/usr/bin/env python3
"""Word ids parity: which tokens share a word in our tokenizer
(Tokenizer::TokenizeWords through the fasterbert_tokenize CLI's --words)
against HF tokenizers' Encoding.word_ids, on the single texts of
family_parity.py's corpus (seeded). QA widens answers to these words, as HF's
question-answering pipeline does with word_to_chars.

Compared: the ids (so that the words are of the same tokens) and the word
boundaries: for each token, whether it starts a new word. Word numbers
themselves are not compared: QA needs only which tokens are one word.

Tokenizers: the committed tokenizer.json families of test/assets/tokenizers
(the generic runtime: words are its pre-tokenizer's splits) and a plain BERT
tokenizer.json (FASTERBERT_TEST_MODEL_DIR, the fast WordPiece path: words
from the ## pieces).

Prints per tokenizer one line:
  word ids NAME: S strings, N passed, M failed
and the first mismatches; exits 1 on any mismatch or CLI failure.

Usage: word_ids_parity.py [--bin PATH] [--family NAME ...] [--show N]
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from family_parity import FAMILIES, Corpus, check_file  # noqa: E402

SEED = 20261204


def bert_file():
    model_dir = os.environ.get("FASTERBERT_TEST_MODEL_DIR", os.path.join(REPO, "models", "all-MiniLM-L6-v2"))
    return os.path.join(model_dir, "tokenizer.json")


def starts(words):
    """Per token: does it start a word (a word other than the previous token's)."""
    return [i == 0 or w != words[i - 1] for i, w in enumerate(words)]


def ours(binary, path, texts):
    with tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False) as f:
        for text in texts:
            f.write(text.encode("utf-8").hex() + "\n")
        name = f.name
    try:
        proc = subprocess.run([binary, "--tokenizer-json", path, "--words", "true", name],
                              capture_output=True, check=False)
    finally:
        os.unlink(name)
    if proc.returncode != 0:
        raise SystemExit(f"{binary} failed on {path}: {proc.stderr.decode('utf-8', 'replace')[:500]}")
    results = []
    for line in proc.stdout.decode("utf-8").splitlines():
        fields = line.split("\t")
        if fields[0] != "ok":
            results.append(("error", fields[1] if len(fields) > 1 else line))
            continue
        ints = [[int(v) for v in s.split(",")] if s else [] for s in fields[1:3]]
        results.append(("ok", ints[0], starts(ints[1])))
    return results


def check(binary, name, path, texts, show):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    got = ours(binary, path, texts)
    passed = failed = 0
    for text, mine in zip(texts, got):
        enc = tok.encode(text, add_special_tokens=False)
        want = ("ok", list(enc.ids), starts(list(enc.word_ids)))
        if mine == want:
            passed += 1
            continue
        failed += 1
        if failed <= show:
            print(f"  {name}: {text!r:.200}\n    ours {mine}\n    HF   {want}")
    if len(got) != len(texts):
        failed += 1
        print(f"  {name}: {len(got)} results for {len(texts)} texts")
    print(f"word ids {name}: {len(texts)} strings, {passed} passed, {failed} failed")
    return failed == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("FASTERBERT_TOKENIZE_BIN", os.path.join(
        REPO, "build", "backend-cpp", "text", "fasterbert_tokenize")))
    ap.add_argument("--family", action="append", help="a family of family_parity.py, or 'bert'")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    # The single texts of every suite (pairs, raw bytes and truncation are not words' business).
    texts = [r["text"] for _, records, _ in Corpus(SEED).make() for r in records if "text" in r]
    ok = True
    for name in args.family or [*FAMILIES, "bert"]:
        path = bert_file() if name == "bert" else check_file(name)
        ok = check(args.bin, name, path, texts, args.show) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
