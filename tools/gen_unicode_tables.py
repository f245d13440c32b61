#!/usr/bin/env python3
"""Generates backend-cpp/text/unicode_data.cc, the Unicode tables of the C++
BERT tokenizer.

Source of truth: Python 3.11's `unicodedata`, which is Unicode 14.0.0 (the
script refuses to run on another version, because the HF-compatibility
deltas below are relative to 14.0.0).

HF `tokenizers` (0.23.x) does not use one Unicode version, it uses whatever
its Rust crates embed:
  * general categories (control / punctuation / nonspacing mark) come from the
    crate `unicode_categories` 0.1.1, which is Unicode 8.0; its `is_other()`
    is Cc | Cf | Co only (no Cn, and a Rust char is never Cs), so unassigned
    code points are NOT removed by clean_text, despite HF's comment;
  * NFD comes from `unicode-normalization-alignments` 0.1.12, Unicode 9.0:
    code points assigned later have combining class 0 and no decomposition;
  * lowercase is Rust's `char::to_lowercase`, a newer Unicode (16.0) than 14.0;
  * whitespace is Rust's `char::is_whitespace` (the White_Space property).
The HF_* lists below are those deltas, found by probing every code point
through HF itself; `--check-hf` re-probes all of them against the installed
`tokenizers` and fails on any difference, printing it.

Usage:
  python tools/gen_unicode_tables.py            # rewrite unicode_data.cc
  python tools/gen_unicode_tables.py --check-hf # verify tables against HF
"""

import unicodedata

import unicode_table_cli
from unicode_table_cli import fmt_items

MAX_CP = 0x110000

# --- HF-compatibility deltas (relative to Unicode 14.0.0) -------------------
# Cf code points assigned after Unicode 8.0: HF's clean_text keeps them.
HF_NOT_CONTROL = [(0x0890, 0x0891), (0x08E2, 0x08E2), (0x110CD, 0x110CD),
                  (0x13430, 0x13438)]
# Punctuation in Unicode 8.0 that is no longer P* in 14.0.
HF_EXTRA_PUNCTUATION = [(0x166D, 0x166D), (0x111C9, 0x111C9)]
# P* code points assigned after Unicode 8.0: HF does not split on them.
HF_NOT_PUNCTUATION = [
    (0x061D, 0x061D), (0x09FD, 0x09FD), (0x0A76, 0x0A76), (0x0C77, 0x0C77),
    (0x0C84, 0x0C84), (0x1B7D, 0x1B7E), (0x2E43, 0x2E4F), (0x2E52, 0x2E5D),
    (0x10EAD, 0x10EAD), (0x10F55, 0x10F59), (0x10F86, 0x10F89),
    (0x1144B, 0x1144F), (0x1145A, 0x1145B), (0x1145D, 0x1145D),
    (0x11660, 0x1166C), (0x116B9, 0x116B9), (0x1183B, 0x1183B),
    (0x11944, 0x11946), (0x119E2, 0x119E2), (0x11A3F, 0x11A46),
    (0x11A9A, 0x11A9C), (0x11A9E, 0x11AA2), (0x11C41, 0x11C45),
    (0x11C70, 0x11C71), (0x11EF7, 0x11EF8), (0x11FFF, 0x11FFF),
    (0x12FF1, 0x12FF2), (0x16E97, 0x16E9A), (0x16FE2, 0x16FE2),
    (0x1E95E, 0x1E95F)]
# Mn in Unicode 8.0, Mc in 14.0.
HF_EXTRA_NONSPACING_MARK = [(0x1734, 0x1734)]
# Mn code points assigned after 8.0 (or no longer Mn): accents not stripped.
HF_NOT_NONSPACING_MARK = [
    (0x07FD, 0x07FD), (0x0898, 0x089F), (0x08CA, 0x08E1), (0x09FE, 0x09FE),
    (0x0AFA, 0x0AFF), (0x0B55, 0x0B55), (0x0C04, 0x0C04), (0x0C3C, 0x0C3C),
    (0x0D00, 0x0D00), (0x0D3B, 0x0D3C), (0x0D81, 0x0D81), (0x0EBA, 0x0EBA),
    (0x180F, 0x180F), (0x1885, 0x1886), (0x1ABF, 0x1ACE), (0x1DF6, 0x1DFB),
    (0xA82C, 0xA82C), (0xA8C5, 0xA8C5), (0xA8FF, 0xA8FF), (0xA9BD, 0xA9BD),
    (0x10D24, 0x10D27), (0x10EAB, 0x10EAC), (0x10F46, 0x10F50),
    (0x10F82, 0x10F85), (0x11070, 0x11070), (0x11073, 0x11074),
    (0x110C2, 0x110C2), (0x111C9, 0x111C9), (0x111CF, 0x111CF),
    (0x1123E, 0x1123E), (0x1133B, 0x1133B), (0x11438, 0x1143F),
    (0x11442, 0x11444), (0x11446, 0x11446), (0x1145E, 0x1145E),
    (0x1182F, 0x11837), (0x11839, 0x1183A), (0x1193B, 0x1193C),
    (0x1193E, 0x1193E), (0x11943, 0x11943), (0x119D4, 0x119D7),
    (0x119DA, 0x119DB), (0x119E0, 0x119E0), (0x11A01, 0x11A0A),
    (0x11A33, 0x11A38), (0x11A3B, 0x11A3E), (0x11A47, 0x11A47),
    (0x11A51, 0x11A56), (0x11A59, 0x11A5B), (0x11A8A, 0x11A96),
    (0x11A98, 0x11A99), (0x11C30, 0x11C36), (0x11C38, 0x11C3D),
    (0x11C3F, 0x11C3F), (0x11C92, 0x11CA7), (0x11CAA, 0x11CB0),
    (0x11CB2, 0x11CB3), (0x11CB5, 0x11CB6), (0x11D31, 0x11D36),
    (0x11D3A, 0x11D3A), (0x11D3C, 0x11D3D), (0x11D3F, 0x11D45),
    (0x11D47, 0x11D47), (0x11D90, 0x11D91), (0x11D95, 0x11D95),
    (0x11D97, 0x11D97), (0x11EF3, 0x11EF4), (0x16F4F, 0x16F4F),
    (0x16FE4, 0x16FE4), (0x1CF00, 0x1CF2D), (0x1CF30, 0x1CF46),
    (0x1E000, 0x1E006), (0x1E008, 0x1E018), (0x1E01B, 0x1E021),
    (0x1E023, 0x1E024), (0x1E026, 0x1E02A), (0x1E130, 0x1E136),
    (0x1E2AE, 0x1E2AE), (0x1E2EC, 0x1E2EF), (0x1E944, 0x1E94A)]
# Combining marks assigned after Unicode 9.0: combining class 0 in HF's NFD.
HF_CCC_ZERO = [
    (0x07FD, 0x07FD), (0x0898, 0x089F), (0x08CA, 0x08D3), (0x09FE, 0x09FE),
    (0x0C3C, 0x0C3C), (0x0D3B, 0x0D3C), (0x0EBA, 0x0EBA), (0x1715, 0x1715),
    (0x1ABF, 0x1ACE), (0x1DF6, 0x1DFA), (0xA82C, 0xA82C), (0x10D24, 0x10D27),
    (0x10EAB, 0x10EAC), (0x10F46, 0x10F50), (0x10F82, 0x10F85),
    (0x11070, 0x11070), (0x1133B, 0x1133B), (0x1145E, 0x1145E),
    (0x11839, 0x1183A), (0x1193D, 0x1193E), (0x11943, 0x11943),
    (0x119E0, 0x119E0), (0x11A34, 0x11A34), (0x11A47, 0x11A47),
    (0x11A99, 0x11A99), (0x11D42, 0x11D42), (0x11D44, 0x11D45),
    (0x11D97, 0x11D97), (0x16FF0, 0x16FF1), (0x1E130, 0x1E136),
    (0x1E2AE, 0x1E2AE), (0x1E2EC, 0x1E2EF)]
# Canonical decompositions added after Unicode 9.0: HF leaves them composed.
HF_NO_DECOMPOSITION = [(0x11938, 0x11938)]
# Lowercase mappings of code points assigned after Unicode 14.0 that Rust's
# char::to_lowercase (Unicode 16.0) knows: (first, last, delta) or a single.
HF_EXTRA_LOWERCASE = [
    (0x1C89, 0x1C89, 0x1C8A - 0x1C89), (0xA7CB, 0xA7CB, 0x0264 - 0xA7CB),
    (0xA7CC, 0xA7CC, 1), (0xA7CE, 0xA7CE, 1), (0xA7D2, 0xA7D2, 1),
    (0xA7D4, 0xA7D4, 1), (0xA7DA, 0xA7DA, 1), (0xA7DC, 0xA7DC, 0x019B - 0xA7DC),
    (0x10D50, 0x10D65, 0x20), (0x16EA0, 0x16EB8, 0x1B)]

# Rust's char::is_whitespace: the White_Space property (stable since 6.3).
WHITE_SPACE = [(0x09, 0x0D), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0),
               (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029),
               (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)]
# HF's is_chinese_char, including its 0x2B920 lower bound (should be 0x2B820).
CHINESE = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF),
           (0x2A700, 0x2B73F), (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF),
           (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]
ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

# Flag bits; must match backend-cpp/text/unicode_data.h.
F_REMOVED_BY_CLEAN = 1 << 0
F_WHITESPACE = 1 << 1
F_PUNCTUATION = 1 << 2
F_NONSPACING_MARK = 1 << 3
F_CHINESE = 1 << 4
F_HAS_DECOMPOSITION = 1 << 5
F_HAS_LOWERCASE = 1 << 6
F_NON_STARTER = 1 << 7

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
BLOCK_BITS = 7  # 128 code points per second-stage block
MAX_DECOMPOSITION_LENGTH = 4  # kMaxDecompositionLength in unicode_properties.h
MAX_LOWERCASE_LENGTH = 3  # kMaxLowercaseLength in unicode_properties.h


def range_set(ranges):
    out = set()
    for lo, hi in ranges:
        out.update(range(lo, hi + 1))
    return out


def is_surrogate(cp):
    return 0xD800 <= cp <= 0xDFFF


def build():
    """Returns (flags[cp], ccc{cp:int}, decomp{cp:[cps]}, lower{cp:[cps]})."""
    not_control = range_set(HF_NOT_CONTROL)
    extra_punct = range_set(HF_EXTRA_PUNCTUATION)
    not_punct = range_set(HF_NOT_PUNCTUATION)
    extra_mn = range_set(HF_EXTRA_NONSPACING_MARK)
    not_mn = range_set(HF_NOT_NONSPACING_MARK)
    ccc_zero = range_set(HF_CCC_ZERO)
    no_decomp = range_set(HF_NO_DECOMPOSITION)
    white = range_set(WHITE_SPACE)
    chinese = range_set(CHINESE)
    extra_lower = {}
    for lo, hi, delta in HF_EXTRA_LOWERCASE:
        for cp in range(lo, hi + 1):
            extra_lower[cp] = [cp + delta]

    flags = [0] * MAX_CP
    ccc, decomp, lower = {}, {}, {}
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue  # never reaches the tokenizer: UTF-8 validation rejects it
        ch = chr(cp)
        cat = unicodedata.category(ch)
        f = 0
        is_other = cat in ("Cc", "Cf", "Co") and cp not in not_control
        if (cp == 0 or cp == 0xFFFD or is_other) and ch not in "\t\n\r":
            f |= F_REMOVED_BY_CLEAN
        if cp in white:
            f |= F_WHITESPACE
        punct = (cat.startswith("P") and cp not in not_punct) or cp in extra_punct
        if (cp < 0x80 and ch in ASCII_PUNCTUATION) or punct:
            f |= F_PUNCTUATION
        if (cat == "Mn" and cp not in not_mn) or cp in extra_mn:
            f |= F_NONSPACING_MARK
        if cp in chinese:
            f |= F_CHINESE
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            f |= F_HAS_DECOMPOSITION  # algorithmic, not in the table
        else:
            d = unicodedata.decomposition(ch)
            if d and not d.startswith("<") and cp not in no_decomp:
                decomp[cp] = [ord(c) for c in unicodedata.normalize("NFD", ch)]
                f |= F_HAS_DECOMPOSITION
        low = extra_lower.get(cp)
        if low is None:
            s = ch.lower()  # full mapping of a lone char: no Final_Sigma context
            low = [ord(c) for c in s] if s != ch else None
        if low is not None:
            lower[cp] = low
            f |= F_HAS_LOWERCASE
        c = unicodedata.combining(ch)
        if c and cp not in ccc_zero:
            ccc[cp] = c
            f |= F_NON_STARTER
        flags[cp] = f
    return flags, ccc, decomp, lower


def two_stage(flags):
    size = 1 << BLOCK_BITS
    blocks, index, stage1 = [], {}, []
    for start in range(0, MAX_CP, size):
        block = tuple(flags[start:start + size])
        if block not in index:
            index[block] = len(blocks)
            blocks.append(block)
        stage1.append(index[block])
    return stage1, blocks


def emit(path):
    flags, ccc, decomp, lower = build()
    stage1, blocks = two_stage(flags)
    stage2 = [v for b in blocks for v in b]
    assert len(blocks) < 0x10000

    pool = []
    decomp_rows = []
    for cp in sorted(decomp):
        seq = decomp[cp]
        decomp_rows.append((cp, len(pool), len(seq)))
        pool.extend(seq)
    lower_rows = []
    for cp in sorted(lower):
        seq = lower[cp]
        lower_rows.append((cp, len(pool), len(seq)))
        pool.extend(seq)
    assert len(pool) < 0x10000
    # Buffer sizes in unicode_properties.h.
    assert max(n for _, _, n in decomp_rows) <= MAX_DECOMPOSITION_LENGTH
    assert max(n for _, _, n in lower_rows) <= MAX_LOWERCASE_LENGTH
    ccc_rows = sorted(ccc.items())

    out = []
    out.append("// GENERATED by tools/gen_unicode_tables.py from Python 3.11's unicodedata "
               f"(Unicode {unicodedata.unidata_version})")
    out.append("// plus the HF-compatibility deltas listed in that script. Do not edit.")
    out.append('#include "text/unicode_data.h"')
    out.append("")
    out.append("namespace fasterbert::text::unicode_data {")
    out.append("")
    out.append(f"const uint16_t kFlagsStage1[{len(stage1)}] = {{")
    out.append(fmt_items(str(v) for v in stage1))
    out.append("};")
    out.append("")
    out.append(f"const uint8_t kFlagsStage2[{len(stage2)}] = {{")
    out.append(fmt_items(str(v) for v in stage2))
    out.append("};")
    out.append("")
    out.append(f"const char32_t kMappingPool[{len(pool)}] = {{")
    out.append(fmt_items(hex(v) for v in pool))
    out.append("};")
    out.append("")
    out.append(f"const Mapping kDecompositions[{len(decomp_rows)}] = {{")
    out.append(fmt_items(f"{{{hex(cp)}, {off}, {n}}}" for cp, off, n in decomp_rows))
    out.append("};")
    out.append(f"const size_t kDecompositionCount = {len(decomp_rows)};")
    out.append("")
    out.append(f"const Mapping kLowercase[{len(lower_rows)}] = {{")
    out.append(fmt_items(f"{{{hex(cp)}, {off}, {n}}}" for cp, off, n in lower_rows))
    out.append("};")
    out.append(f"const size_t kLowercaseCount = {len(lower_rows)};")
    out.append("")
    out.append(f"const CombiningClass kCombiningClasses[{len(ccc_rows)}] = {{")
    out.append(fmt_items(f"{{{hex(cp)}, {c}}}" for cp, c in ccc_rows))
    out.append("};")
    out.append(f"const size_t kCombiningClassCount = {len(ccc_rows)};")
    out.append("")
    out.append("}  // namespace fasterbert::text::unicode_data")
    out.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    print(f"wrote {path}: {len(blocks)} flag blocks, {len(decomp_rows)} decompositions, "
          f"{len(lower_rows)} lowercase mappings, {len(ccc_rows)} combining classes")


def check_hf():
    """Probes every code point through HF and compares with our tables."""
    from tokenizers import normalizers, pre_tokenizers

    flags, ccc, decomp, lower = build()

    def bert(clean=False, cjk=False, strip=False, low=False):
        return normalizers.BertNormalizer(clean_text=clean, handle_chinese_chars=cjk,
                                          strip_accents=strip, lowercase=low)

    clean_n, cjk_n, strip_n, lower_n = bert(clean=True), bert(cjk=True), bert(strip=True), bert(low=True)
    nfd_n = normalizers.NFD()
    pre = pre_tokenizers.BertPreTokenizer()

    def our_nfd(ch):
        cp = ord(ch)
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            return unicodedata.normalize("NFD", ch)
        return "".join(map(chr, decomp.get(cp, [cp])))

    problems = []
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue
        ch, f = chr(cp), flags[cp]
        framed = "a" + ch + "a"
        got = clean_n.normalize_str(framed)
        want = "aa" if f & F_REMOVED_BY_CLEAN else (
            "a a" if (f & F_WHITESPACE) else framed)
        if got != want:
            problems.append(f"clean_text U+{cp:04X}: hf {got!r} ours {want!r}")
        got = cjk_n.normalize_str(ch)
        want = f" {ch} " if f & F_CHINESE else ch
        if got != want:
            problems.append(f"chinese U+{cp:04X}")
        n = len(pre.pre_tokenize_str(framed))
        want = 2 if f & F_WHITESPACE else (3 if f & F_PUNCTUATION else 1)
        if n != want:
            problems.append(f"pre-tokenizer U+{cp:04X}: hf {n} pieces, ours {want}")
        if nfd_n.normalize_str(ch) != our_nfd(ch):
            problems.append(f"nfd U+{cp:04X}")
        want = "".join(c for c in our_nfd(ch) if not flags[ord(c)] & F_NONSPACING_MARK)
        if strip_n.normalize_str(ch) != want:
            problems.append(f"strip_accents U+{cp:04X}")
        want = "".join(map(chr, lower.get(cp, [cp])))
        if lower_n.normalize_str(ch) != want:
            problems.append(f"lowercase U+{cp:04X}")
        # Combining class: a mark of class 1 (U+0334) placed after the char is
        # moved before it iff the char's class is > 1; class 230 (U+0301)
        # placed before it is moved after iff its class is in 1..229.
        c = ccc.get(cp, 0)
        got1 = nfd_n.normalize_str("a" + ch + "\u0334")
        want1 = unicodedata.normalize("NFD", "a") + (("\u0334" + our_nfd(ch)) if c > 1 else (our_nfd(ch) + "\u0334"))
        got2 = nfd_n.normalize_str("a\u0301" + ch)
        want2 = "a" + ((our_nfd(ch) + "\u0301") if 0 < c < 230 else ("\u0301" + our_nfd(ch)))
        if (len(our_nfd(ch)) == 1) and (got1 != want1 or got2 != want2):
            problems.append(f"combining class U+{cp:04X} (ours {c})")
    for p in problems[:50]:
        print(p)
    print(f"check-hf: {len(problems)} differences over {MAX_CP - 2048} code points")
    return 1 if problems else 0


def main():
    unicode_table_cli.run(__doc__.split("\n")[0], "unicode_data.cc", "probe every code point through HF tokenizers and compare", check_hf, emit)


if __name__ == "__main__":
    main()
