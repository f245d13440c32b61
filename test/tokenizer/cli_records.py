"""What the parity checks share: records (a text, a pair, or raw hex bytes)
sent to our fasterbert_tokenize CLI and to HF tokenizers, HF's encoding in
the CLI's form (byte offsets), and the comparison with its tally.

A record is {"text": str}, {"pair": [str, str]} or {"hex": bytes-as-hex}
(not valid UTF-8: both sides must reject it). A config holds at least
"max_length" (None: no limit) and "truncation".

HF's result is kept as the line our CLI prints for it ("ok", ids, type ids,
mask, start:end byte offsets, tab-separated; or "error" and the error
kind), so a check is one string comparison; only lines that differ are
parsed and compared field by field (an error's message is no part of it)."""

import json
import subprocess
import tempfile
from itertools import accumulate
from operator import getitem, itemgetter

TOO_LONG = "error\tTextTooLongError"
NOT_UTF8 = "error\tInvalidTextError"


def byte_offsets(text):
    """cum[i] = UTF-8 length of text[:i] (a range for ASCII text)."""
    if text.isascii():
        return range(len(text) + 1)
    return list(accumulate(map(len, map(str.encode, text)), initial=0))


def record_hex(record):
    if "hex" in record:
        return record["hex"]
    if "pair" in record:
        return "\t".join(t.encode("utf-8").hex() for t in record["pair"])
    return record["text"].encode("utf-8").hex()


def describe(record):
    if "hex" in record:
        return f"hex {record['hex']}"
    if "pair" in record:
        return f"pair {record['pair'][0]!r:.200} / {record['pair'][1]!r:.200}"
    return f"{record['text']!r:.300}"


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


def encoding_line(enc, texts):
    """HF's encoding as our CLI's line: its char offsets become byte offsets
    into the text each token came from (sequence_ids; specials: the first)."""
    chars = enc.offsets
    if all(map(str.isascii, texts)):
        offsets = chars
    else:
        table = dict(enumerate(byte_offsets(t) for t in texts))
        table[None] = table[0]
        # map/zip keep the per-token work in C: tokens can number millions per run.
        cums = list(map(table.__getitem__, enc.sequence_ids))
        offsets = zip(map(getitem, cums, map(itemgetter(0), chars)), map(getitem, cums, map(itemgetter(1), chars)))
    return "\t".join(["ok", ",".join(map(str, enc.ids)), ",".join(map(str, enc.type_ids)),
                      ",".join(map(str, enc.attention_mask)), ",".join(map("%d:%d".__mod__, offsets))])


def texts_of(record):
    return record["pair"] if "pair" in record else [record["text"]]


def encoded(enc, record):
    return encoding_line(enc, texts_of(record)), len(enc.ids)


def encode_one(tok, record):
    """HF's (line, token count) for one record; (error line, None) where it fails."""
    if "hex" in record:
        return NOT_UTF8, None
    try:
        enc = tok.encode(*texts_of(record))
    except Exception as e:  # HF's truncation errors
        if "Truncation error" not in str(e):
            raise
        return TOO_LONG, None
    return encoded(enc, record)


def encode_all(tok, records, chunk=256):
    """encode_one of every record, through encode_batch where it can (a
    chunk with a truncation error is redone one record at a time)."""
    out = []
    for i in range(0, len(records), chunk):
        part = records[i:i + chunk]
        try:
            encs = iter(tok.encode_batch([tuple(r["pair"]) if "pair" in r else r["text"]
                                          for r in part if "hex" not in r]))
        except Exception as e:
            if "Truncation error" not in str(e):
                raise
            out += [encode_one(tok, r) for r in part]
        else:
            out += [(NOT_UTF8, None) if "hex" in r else encoded(next(encs), r) for r in part]
    return out


def expected_lines(results, config):
    """The lines our CLI must print, from encode_all's results: HF's, except
    that under do_not_truncate ours fails exactly where HF's encoding is
    longer than max_length."""
    limit = config["max_length"] if config["truncation"] == "do_not_truncate" else None
    if limit is None:
        return [line for line, _ in results]
    return [TOO_LONG if n is not None and n > limit else line for line, n in results]


def by_config(checks):
    """checks [(config, records, label)] joined per distinct config, in
    first-seen order: (config, records, one label per record). One CLI run
    per config, since its start-up (reading the vocab or tokenizer file)
    costs as much as thousands of records. A config of one check keeps that
    check's list, so that Tally can reuse HF's encodings of it."""
    groups = {}
    for config, records, label in checks:
        groups.setdefault(json.dumps(config, sort_keys=True), (config, []))[1].append((records, label))
    for config, parts in groups.values():
        if len(parts) == 1:
            records, label = parts[0]
            yield config, records, [label] * len(records)
        else:
            yield config, [r for records, _ in parts for r in records], \
                [label for records, label in parts for _ in records]


def start_cli(argv, records):
    """Starts our CLI (argv, reading records from stdin) so it runs while HF computes."""
    source = tempfile.TemporaryFile()
    source.write("".join(record_hex(r) + "\n" for r in records).encode())
    source.seek(0)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    proc = subprocess.Popen(list(argv) + ["-"], stdin=source, stdout=out, stderr=err)
    return proc, source, out, err, len(records)


def finish_cli(handle):
    """(output lines, None) or (None, problem)."""
    proc, source, out, err, count = handle
    proc.wait()
    source.close()
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    out.close()
    err.close()
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {stderr.decode('utf-8', 'replace').strip()[:500]}"
    lines = stdout.decode("utf-8").splitlines()
    if len(lines) != count:
        return None, f"{len(lines)} output lines for {count} records"
    return lines, None


def first_difference(want, got):
    if want[0] != got[0]:
        return f"HF {want[0]} {want[1:] if want[0] == 'error' else ''}, ours {got[0]} {got[1] if got[0] != 'ok' else ''}"
    if want[0] == "error":
        return f"error kind: HF {want[1]}, ours {got[1]}"
    for name, w, g in zip(["ids", "type_ids", "attention_mask", "offsets"], want[1:], got[1:]):
        if w != g:
            return f"{name}:\n      HF   {w}\n      ours {g}"
    return "?"


class Tally:
    """Passed and failed checks, and the first `show` mismatches."""

    def __init__(self, show):
        self.show = show
        self.passed = self.failed = self.rejected = 0
        self.mismatches = []
        self.memo_records, self.memo = None, {}

    def encode(self, tok, records):
        """encode_all, reused while the records and the tokenizer's state stay
        the same (do_not_truncate under several max_length gives HF the same
        work). An entry holds its `tok`, so that id is not reused."""
        if records is not self.memo_records:
            self.memo_records, self.memo = records, {}
        key = (id(tok), repr(tok.truncation), repr(tok.padding))
        if key not in self.memo:
            self.memo[key] = (tok, encode_all(tok, records))
        return self.memo[key][1]

    def check(self, argv, tok, records, config, label):
        """Our CLI (argv) against HF's `tok` on the records under config;
        label: for all records, or a list with one per record (by_config)."""
        labels = [label] * len(records) if isinstance(label, str) else label
        handle = start_cli(argv, records)
        wanted = expected_lines(self.encode(tok, records), config)
        lines, problem = finish_cli(handle)
        if lines is None:
            self.failed += len(records)
            self.mismatches.append(f"{', '.join(dict.fromkeys(labels))}: our CLI failed: {problem}")
            return
        for record, where, want, got in zip(records, labels, wanted, lines):
            # Equal lines are equal results; others (an error's message field) are compared parsed.
            if want == got or parse_cli_line(want) == parse_cli_line(got):
                self.passed += 1
                self.rejected += want.startswith("error\t")
            else:
                self.failed += 1
                if len(self.mismatches) < self.show:
                    self.mismatches.append(f"{where}\n    text: {describe(record)}\n"
                                           f"    {first_difference(parse_cli_line(want), parse_cli_line(got))}")

    def print_mismatches(self):
        for m in self.mismatches[:self.show]:
            print("MISMATCH " + m)

    def ok(self):
        return self.failed == 0 and self.passed > 0
