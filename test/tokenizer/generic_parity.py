#!/usr/bin/env python3
"""Parity of fasterbert_tokenize --tokenizer-json (the generic C++ runtime,
text/tokenizer.h) with HF `tokenizers` on one tokenizer.json, over random
strings made here from a seed: many scripts, combining marks, controls,
zero-width and full-width chars, emoji, runs of spaces, and the file's added
tokens written into the text. Each string is checked alone and as a pair
with the next one, without truncation and under every truncation strategy
at a few max lengths. ids, type ids, attention mask and offsets must be
equal (HF's char offsets are turned into byte offsets); where HF fails, ours
must fail with TextTooLongError; under do_not_truncate ours must fail
exactly when the untruncated encoding is longer than max_length.

Prints `generic parity: N passed, M failed` and the first mismatches; exits
1 on any mismatch.

Usage: generic_parity.py --bin PATH --tokenizer-json FILE [--count N] [--seed S]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

from tokenizers import Tokenizer

POOLS = [
    "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789",
    ".,;:!?'\"()[]{}-_/\\@#$%^&*+=<>|~`",
    "абвгдежзийклмнопрстАБВГД", "東京大阪世界日本語中国人学生", "こんにちはありがとうカタカナ",
    "안녕하세요감사합니다", "مرحباشكرا", "नमस्तेधन्यवाद", "éèêëàâäôöüçñÉÀ",
    "ＡＢＣｄｅｆ１２３！？", "ﬁﬂ½²™…①ℌ㍻", "\u0301\u0308\u0323\u20dd\u093f\u0bcd",
    "\u200b\u200c\u200d\u2060\ufeff\u00ad", "\t\n\r\x0b\x0c\x00\x01\x7f\x85",
    "\u00a0\u2003\u3000\u2028", "😀👍🏽👨‍👩‍👧🇯🇵🇫🇷❤️", "ǅǈ\u1e9eİ",
]


def random_text(rng, specials):
    parts = []
    for _ in range(rng.randint(0, 12)):
        r = rng.random()
        if r < 0.15:
            parts.append(" " * rng.randint(1, 4))
        elif r < 0.2 and specials:
            parts.append(rng.choice(specials))
        else:
            pool = rng.choice(POOLS)
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 8))))
            if rng.random() < 0.6:
                parts.append(" ")
    if rng.random() < 0.02:
        parts.append("x" * rng.randint(50, 300))
    return "".join(parts)


def byte_offsets(text, offsets):
    starts = [0]
    for ch in text:
        starts.append(starts[-1] + len(ch.encode("utf-8")))
    return [(starts[s], starts[e]) for s, e in offsets]


def expected(tok, a, b, max_length, strategy):
    """('ok', ids, type_ids, mask, offsets) or ('error', kind)."""
    if max_length is None or strategy == "do_not_truncate":
        tok.no_truncation()
    else:
        tok.enable_truncation(max_length, strategy=strategy)
    try:
        enc = tok.encode(a, b) if b is not None else tok.encode(a)
    except Exception:
        return ("error", "TextTooLongError")
    if strategy == "do_not_truncate" and max_length is not None and len(enc.ids) > max_length:
        return ("error", "TextTooLongError")
    offs = []
    for off, seq in zip(enc.offsets, enc.sequence_ids):
        offs.append(byte_offsets(b if seq == 1 else a, [off])[0])
    return ("ok", enc.ids, enc.type_ids, enc.attention_mask, offs)


def parse(line):
    f = line.rstrip("\n").split("\t")
    if f[0] != "ok":
        return ("error", f[1])
    nums = lambda s: [int(x) for x in s.split(",")] if s else []
    offs = [tuple(int(v) for v in p.split(":")) for p in f[4].split(",")] if f[4] else []
    return ("ok", nums(f[1]), nums(f[2]), nums(f[3]), offs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--tokenizer-json", required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    tok = Tokenizer.from_file(args.tokenizer_json)
    tok.no_padding()  # the file's own padding/truncation are not what is compared
    specials = [t["content"] for t in json.load(open(args.tokenizer_json, encoding="utf-8"))["added_tokens"]]
    rng = random.Random(args.seed)
    texts = [random_text(rng, specials) for _ in range(args.count)]
    configs = [(None, "longest_first")] + [
        (m, s) for m in (5, 12, 40) for s in ("longest_first", "only_first", "only_second", "do_not_truncate")
    ]
    passed = failed = 0
    shown = 0
    with tempfile.TemporaryDirectory() as tmp:
        for max_length, strategy in configs:
            records = []
            for i, a in enumerate(texts):
                records.append((a, None))
                if i % 2 == 0:
                    records.append((a, texts[(i + 1) % len(texts)]))
            inp = os.path.join(tmp, "in.txt")
            with open(inp, "w") as f:
                for a, b in records:
                    line = a.encode().hex() + ("\t" + b.encode().hex() if b is not None else "")
                    f.write(line + "\n")
            cmd = [args.bin, "--tokenizer-json", args.tokenizer_json, "--truncation", strategy]
            if max_length is not None:
                cmd += ["--max-length", str(max_length)]
            out = subprocess.run(cmd + [inp], check=True, capture_output=True, text=True).stdout
            lines = out.splitlines()
            for (a, b), line in zip(records, lines):
                want = expected(tok, a, b, max_length, strategy)
                got = parse(line)
                if want == got:
                    passed += 1
                else:
                    failed += 1
                    if shown < args.show:
                        shown += 1
                        print(f"MISMATCH max_length={max_length} {strategy} a={a!r} b={b!r}\n  hf:   {want}\n  ours: {got}")
            if len(lines) != len(records):
                failed += 1
                print(f"line count {len(lines)} != {len(records)}")
    print(f"generic parity: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
