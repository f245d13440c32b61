"""What the parity checks share: records (a text, a pair, or raw hex bytes)
sent to our fasterbert_tokenize CLI and to HF tokenizers, HF's encoding in
the CLI's form (byte offsets), and the comparison with its tally.

A record is {"text": str}, {"pair": [str, str]} or {"hex": bytes-as-hex}
(not valid UTF-8: both sides must reject it). A config holds at least
"max_length" (None: no limit) and "truncation"."""

import subprocess
import tempfile


def byte_offsets(text):
    """cum[i] = UTF-8 length of text[:i]."""
    cum = [0]
    for ch in text:
        cum.append(cum[-1] + len(ch.encode("utf-8")))
    return cum


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


def result_of(enc, texts, config):
    """HF's encoding as ("ok", ids, type_ids, mask, byte offsets)."""
    if config["truncation"] == "do_not_truncate" and config["max_length"] is not None \
            and len(enc.ids) > config["max_length"]:
        return ("error", "TextTooLongError")
    cums = [byte_offsets(t) for t in texts]
    offsets = []
    for (start, end), seq in zip(enc.offsets, enc.sequence_ids):
        cum = cums[seq if seq is not None else 0]
        offsets.append((cum[start], cum[end]))
    return ("ok", list(enc.ids), list(enc.type_ids), list(enc.attention_mask), offsets)


def expected_one(tok, record, config):
    """HF's result for one record, or ("error", kind)."""
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


def expected_results(tok, records, config, chunk=256):
    """expected_one of every record, through encode_batch where it can (a
    chunk with a truncation error is redone one record at a time)."""
    out = []
    for i in range(0, len(records), chunk):
        part = records[i:i + chunk]
        if not any("hex" in r for r in part):
            try:
                encs = tok.encode_batch([tuple(r["pair"]) if "pair" in r else r["text"] for r in part])
            except Exception as e:
                if "Truncation error" not in str(e):
                    raise
            else:
                out += [result_of(enc, r["pair"] if "pair" in r else [r["text"]], config)
                        for r, enc in zip(part, encs)]
                continue
        out += [expected_one(tok, r, config) for r in part]
    return out


def start_cli(argv, records):
    """Starts our CLI (argv, reading records from stdin) so it runs while HF computes."""
    source = tempfile.TemporaryFile()
    source.write("".join(record_hex(r) + "\n" for r in records).encode())
    source.seek(0)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    proc = subprocess.Popen(list(argv) + ["-"], stdin=source, stdout=out, stderr=err)
    return proc, source, out, err, len(records)


def finish_cli(handle):
    """(results, None) or (None, problem)."""
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
    return [parse_cli_line(line) for line in lines], None


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

    def check(self, argv, tok, records, config, label):
        """Our CLI (argv) against HF's `tok` on the records under config."""
        handle = start_cli(argv, records)
        wanted = expected_results(tok, records, config)
        results, problem = finish_cli(handle)
        if results is None:
            self.failed += len(records)
            self.mismatches.append(f"{label}: our CLI failed: {problem}")
            return
        for record, want, got in zip(records, wanted, results):
            if want == got:
                self.passed += 1
                self.rejected += want[0] == "error"
            else:
                self.failed += 1
                if len(self.mismatches) < self.show:
                    self.mismatches.append(f"{label}\n    text: {describe(record)}\n    {first_difference(want, got)}")

    def print_mismatches(self):
        for m in self.mismatches[:self.show]:
            print("MISMATCH " + m)

    def ok(self):
        return self.failed == 0 and self.passed > 0
