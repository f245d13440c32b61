"""Sorted [first, last] code point ranges and the C++ file that holds them,
for the generators whose table is one set of code points
(gen_mark_table.py, gen_word_char_table.py, gen_numeric_table.py)."""


def ranges_of(contains):
    """The maximal runs of code points (surrogates skipped) where contains(cp)."""
    ranges = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or not contains(cp):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def write_range_table(out, header_comments, include, range_type, array, count, ranges):
    """Writes `const <range_type> <array>[] = {...}; const size_t <count>`."""
    lines = list(header_comments) + [f'#include "{include}"', "", "namespace fasterbert::text {", "",
                                     f"const {range_type} {array}[] = {{"]
    lines += [f"    {{0x{lo:X}, 0x{hi:X}}}," for lo, hi in ranges]
    lines += ["};", f"const size_t {count} = {len(ranges)};", "", "}  // namespace fasterbert::text", ""]
    with open(out, "w") as f:
        f.write("\n".join(lines))
