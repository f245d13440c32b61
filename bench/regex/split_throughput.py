#!/usr/bin/env python3
"""Throughput of a regex Split pre-tokenizer (the Llama-3 pattern) in our
C++ tokenizer (fasterbert_tokenize, one thread) against HF tokenizers'
encode (one text at a time, one Python thread) and, as a baseline, our
tokenizer on the same BPE model with the Whitespace pre-tokenizer. 200
multilingual texts of ~4 KB; best of 3 runs; our time includes the CLI's
start, its reading hex lines and writing JSON lines.

Usage: bench/regex/split_throughput.py [--bin PATH]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "test", "tokenizer"))
from multilingual_text import TextSource  # noqa: E402
from regex_parity import PATTERNS, split_file  # noqa: E402


def best(f, runs=3):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "backend-cpp", "text", "fasterbert_tokenize"))
    args = ap.parse_args()
    from tokenizers import Tokenizer

    src = TextSource(3)
    texts = [" ".join(src.lines(60)) for _ in range(200)]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    lines = "".join(t.encode().hex() + "\n" for t in texts).encode()
    with tempfile.TemporaryDirectory() as d:
        regex_file = split_file(d, "llama3", PATTERNS["llama3"], "Isolated", False)
        whitespace = os.path.join(REPO, "test", "assets", "tokenizers", "bpe-whitespace.json")
        for label, path in [("ours, Split(llama3 regex)", regex_file), ("ours, Whitespace", whitespace)]:
            t = best(lambda: subprocess.run([args.bin, "--tokenizer-json", path, "-"], input=lines,
                                            capture_output=True, check=True))
            print(f"{label}: {mb:.2f} MB in {t:.3f} s = {mb / t:.2f} MB/s")
        tok = Tokenizer.from_file(regex_file)
        t = best(lambda: [tok.encode(x) for x in texts])
        print(f"HF encode, Split(llama3 regex): {mb:.2f} MB in {t:.3f} s = {mb / t:.2f} MB/s")


if __name__ == "__main__":
    main()
