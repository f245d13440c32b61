#!/usr/bin/env python3
"""A stand-in for fasterbert_tokenize --tokenizer-json backed by HF
tokenizers itself (same hex record I/O, see fasterbert_tokenize.cc), to
check family_parity.py's plumbing before the C++ runtime reads a family:
  family_parity.py --bin test/tokenizer/hf_tokenize_cli.py   -> 0 failed
  HF_CLI_BREAK=offsets family_parity.py --bin ...            -> mismatches
It proves the harness, never the C++ tokenizer."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cli_records import byte_offsets  # noqa: E402


def main():
    args, path, max_length, truncation = sys.argv[1:], None, None, "longest_first"
    i = 0
    while i < len(args) - 1:
        flag, value = args[i], args[i + 1]
        if flag == "--tokenizer-json":
            path = value
        elif flag == "--max-length":
            max_length = int(value)
        elif flag == "--truncation":
            truncation = value
        i += 2
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    tok.no_padding()
    if max_length is None or truncation == "do_not_truncate":
        tok.no_truncation()
    else:
        tok.enable_truncation(max_length, strategy=truncation)
    brk = os.environ.get("HF_CLI_BREAK")
    out = []
    for line in sys.stdin.buffer.read().decode().splitlines():
        try:
            texts = [bytes.fromhex(h).decode("utf-8") for h in line.split("\t")]
        except UnicodeDecodeError:
            out.append("error\tInvalidTextError\tinvalid UTF-8")
            continue
        try:
            enc = tok.encode(*texts)
        except Exception:
            out.append("error\tTextTooLongError\ttruncation")
            continue
        if truncation == "do_not_truncate" and max_length is not None and len(enc.ids) > max_length:
            out.append("error\tTextTooLongError\ttoo long")
            continue
        cums = [byte_offsets(t) for t in texts]
        offs = []
        for (s, e), seq in zip(enc.offsets, enc.sequence_ids):
            cum = cums[seq or 0]
            offs.append(f"{cum[s]}:{cum[e] + (brk == 'offsets' and e > s and len(texts) == 2)}")
        ids = list(enc.ids)
        out.append("\t".join(["ok", ",".join(map(str, ids)), ",".join(map(str, enc.type_ids)),
                              ",".join(map(str, enc.attention_mask)), ",".join(offs)]))
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main()
