"""The command line and the C++ layout shared by the generators whose tables are Python 3.11's UCD
(Unicode 14.0) plus or minus deltas probed from HF tokenizers:
gen_unicode_tables.py and gen_normalization_tables.py. `--check-hf` probes
HF and exits with the check's status; otherwise the table is written to
`--out` (default: backend-cpp/text/<table>)."""
import argparse
import os
import sys
import unicodedata

UNICODE_VERSION = "14.0.0"


def fmt_items(items, width=100):
    """Packs already-formatted C++ initializers into lines of about `width`."""
    lines, line = [], "   "
    for item in items:
        if len(line) + len(item) + 2 > width:
            lines.append(line)
            line = "   "
        line += " " + item + ","
    lines.append(line)
    return "\n".join(lines)


def run(description, table, check_help, check_hf, emit):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--check-hf", action="store_true", help=check_help)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "backend-cpp", "text", table))
    args = ap.parse_args()
    if unicodedata.unidata_version != UNICODE_VERSION:
        sys.exit(f"need unicodedata {UNICODE_VERSION} (Python 3.11), have "
                 f"{unicodedata.unidata_version}: the HF deltas are relative to it")
    if args.check_hf:
        sys.exit(check_hf())
    emit(os.path.normpath(args.out))
