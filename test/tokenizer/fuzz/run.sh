#!/usr/bin/env bash
# Fuzzes the C++ tokenizer with libFuzzer under ASan+UBSan for a bounded time.
#
#   test/tokenizer/fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
#
# Installs clang and its runtime from Debian when missing (clang-14 and
# libclang-rt-14-dev on Debian 12), builds backend-cpp/text standalone with
# FASTERBERT_FUZZ and FASTERBERT_SANITIZE into build/tokenizer-fuzz/, and
# runs the target (backend-cpp/text/tests/tokenizer_fuzz.cc) on the seed
# corpus below plus what earlier runs found (build/tokenizer-fuzz/corpus/).
# SECONDS defaults to 60. Exits non-zero on a crash or a failed check; the
# input that did it is left in build/tokenizer-fuzz/ (<run>-crash-*), and can be
# replayed with: build/tokenizer-fuzz/fasterbert_tokenizer_fuzz FILE
#
# Runs may go on at the same time (npm test fuzzes two targets at once on a
# 2-core machine): the build is done under a lock, and each run keeps its
# seeds, log and crash inputs under its own name (<run>: "wordpiece", or the
# tokenizer file's name); the found corpus is shared.
#
# FUZZ_TOKENIZER_JSON=FILE fuzzes one tokenizer family: the seeds become
# multilingual texts of test/tokenizer/multilingual_text.py plus shrunken
# copies of FILE behind 0xFF (vocab and merges cut to fit -max_len, for the
# reader), and FILE is passed to the target as FASTERBERT_FUZZ_TOKENIZER_JSON
# (absolute path) for it to build its tokenizer from. E.g.
#   FUZZ_TOKENIZER_JSON=test/assets/tokenizers/xlmr-unigram.json test/tokenizer/fuzz/run.sh 120
# (A target that does not read FASTERBERT_FUZZ_TOKENIZER_JSON fuzzes its
# built-in WordPiece vocab on those texts, and the reader on the copies.)
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds=${1:-60}
shift || true

say() { printf '[fuzz] %s\n' "$*"; }

out=build/tokenizer-fuzz
mkdir -p "$out"
# Installing and building under a lock: runs at the same time do it once.
exec 9>"$out/build.lock"
flock 9
clang_version=14
if ! command -v "clang++-$clang_version" >/dev/null 2>&1 ||
   ! ls /usr/lib/llvm-$clang_version/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  say "apt-get install clang-$clang_version libclang-rt-$clang_version-dev"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "clang-$clang_version" \
    "libclang-rt-$clang_version-dev" cmake ninja-build >/dev/null
fi

family=${FUZZ_TOKENIZER_JSON:-}
if [ -n "$family" ]; then
  [ -f "$family" ] || { say "FUZZ_TOKENIZER_JSON: no file $family"; exit 2; }
  family=$(cd "$(dirname "$family")" && pwd)/$(basename "$family")
  export FASTERBERT_FUZZ_TOKENIZER_JSON="$family"
fi
run=wordpiece
[ -n "$family" ] && run=$(basename "$family" .json)
cmake -S backend-cpp/text -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="clang++-$clang_version" -DFASTERBERT_BUILD_TESTS=OFF \
  -DFASTERBERT_FUZZ=ON -DFASTERBERT_SANITIZE=ON >"$out/configure.log" 2>&1 ||
  { cat "$out/configure.log"; exit 1; }
cmake --build "$out" --target fasterbert_tokenizer_fuzz -j2 >"$out/build.log" 2>&1 ||
  { cat "$out/build.log"; exit 1; }
flock -u 9

# Seeds: texts of the parity corpus behind a few option bytes, and a
# tokenizer.json, written fresh each run (the found corpus is kept).
seeds="$out/seeds-$run"
rm -rf "$seeds"
mkdir -p "$seeds" "$out/corpus"
python3 - "$seeds" "$family" <<'PY'
import glob, json, os, sys
out, family = sys.argv[1], sys.argv[2]
n = 0
def write(data):
    global n
    with open(os.path.join(out, f"seed-{n:05d}"), "wb") as f:
        f.write(data)
    n += 1
for path in sorted(glob.glob("test/tokenizer/corpus/*.jsonl")):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()[1:]
    for i, line in enumerate(lines[:40]):
        r = json.loads(line)
        if "hex" in r:
            text = bytes.fromhex(r["hex"])
        elif "pair" in r:
            text = (r["pair"][0] + r["pair"][1]).encode()
        else:
            text = r["text"].encode()
        header = bytes([i % 8, (i // 8) % 8, [0, 16, 3, 64][i % 4], 128])
        write(header + text[:512])
doc = {"normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                      "strip_accents": None, "lowercase": True},
       "pre_tokenizer": {"type": "BertPreTokenizer"},
       "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 1], "cls": ["[CLS]", 0]},
       "added_tokens": [{"id": 1, "content": "[SEP]"}],
       "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[CLS]": 0, "[SEP]": 1,
                 "[UNK]": 2, "a": 3, "##b": 4}}}
write(b"\xff" + json.dumps(doc).encode())
# Regex Split and Replace patterns (text/regex.h): mutations of these
# documents fuzz the regex parser, and the text encoded after loading its
# matcher.
regex_splits = [r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
                r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+",
                r"\w+|[^\w\s]+", r"\d{1,3}", r"(a|a)*b|.+?(?=\s|$)", r"[\x41-\x{5A}\u00e9]{2,5}?|\P{L}"]
for i, pattern in enumerate(regex_splits):
    doc = {"normalizer": {"type": "Replace", "pattern": {"Regex": [r" {2,}", r"\s+", r"\p{M}+"][i % 3]}, "content": " "},
           "pre_tokenizer": {"type": "Split", "pattern": {"Regex": pattern},
                             "behavior": ["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext", "Contiguous"][i % 5],
                             "invert": i % 2 == 1},
           "model": {"type": "BPE", "unk_token": "<unk>", "vocab": {"<unk>": 0, "a": 1, "b": 2, "ab": 3, "H": 4},
                     "merges": ["a b"]}}
    write(b"\xff" + json.dumps(doc).encode())
if family:
    sys.path.insert(0, "test/tokenizer")
    from multilingual_text import TextSource
    src = TextSource(7)
    for i in range(400):
        header = bytes([i % 8, (i // 8) % 8, [0, 16, 3, 64][i % 4], 128])
        write(header + src.line().encode()[:512])
    with open(family, encoding="utf-8") as f:
        full = json.load(f)
    for keep in (8, 40, 120):
        doc = json.loads(json.dumps(full))
        model = doc.get("model", {})
        vocab = model.get("vocab")
        if isinstance(vocab, dict):
            model["vocab"] = dict(sorted(vocab.items(), key=lambda kv: kv[1])[:keep])
        elif isinstance(vocab, list):
            model["vocab"] = vocab[:keep]
        if isinstance(model.get("merges"), list):
            model["merges"] = model["merges"][:keep]
        # The Precompiled charsmap (~240 KB) does not fit -max_len: keep the
        # normalizer's shape, empty the map.
        norm = doc.get("normalizer") or {}
        for part in norm.get("normalizers", [norm]):
            if part.get("type") == "Precompiled":
                part["precompiled_charsmap"] = ""
        write(b"\xff" + json.dumps(doc, ensure_ascii=False).encode())
PY

[ -n "$family" ] && say "tokenizer family: $family (FASTERBERT_FUZZ_TOKENIZER_JSON)"
say "fuzzing for ${seconds}s ($(ls "$seeds" | wc -l) seeds, $(ls "$out/corpus" | wc -l) in the kept corpus)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
set +e
log="$out/fuzz-$run.log"
# The fuzzer's own exit status, taken before anything else runs: read
# after "| tee | grep || true", PIPESTATUS held 0 whatever the fuzzer
# returned, and a crash passed for a clean run.
"$out/fasterbert_tokenizer_fuzz" "$out/corpus" "$seeds" -max_total_time="$seconds" \
  -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/$run-" "$@" >"$log" 2>&1
status=$?
grep -E "^#[0-9]+ +(DONE|pulse|INITED)|ERROR|failed|SUMMARY|stat::" "$log" || true
set -e
if [ "$status" -ne 0 ]; then
  say "FAILED (exit $status); see $log and $out/$run-crash-*"
  tail -40 "$log"
  exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
say "tokenizer fuzz: ${runs:-?} runs in ${seconds}s, no crash, no failed check"
