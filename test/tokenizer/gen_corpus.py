#!/usr/bin/env python3
"""Writes the tokenizer parity corpus under test/tokenizer/corpus/.

Deterministic: a seeded generator, English prose from the standard library's
own documentation (pydoc_data), Chinese from the bert-base-chinese vocab and a
few handwritten sentences, everything else built from Unicode data. Rerun it
only to change the corpus, and commit the result; parity.py reads the files.

Each corpus/<suite>.jsonl starts with a header line
  {"suite": ..., "configs": [{...}, ...]}
followed by one record per line: {"text": "..."}, {"pair": ["a", "b"]}, or
{"hex": "..."} (raw bytes that are not valid UTF-8; only our tokenizer sees
them, and it must reject them). Every record is checked under every config.

A config: vocab ("minilm" | "chinese"), reference ("tokenizer_json": MiniLM's
tokenizer.json, or "bert_wordpiece": BertWordPieceTokenizer with the options
below), lowercase, strip_accents (null = follows lowercase), clean_text,
handle_chinese_chars, max_length (null = none), truncation (longest_first,
only_first, only_second, do_not_truncate).

Usage: python test/tokenizer/gen_corpus.py [--chinese-vocab PATH]
"""

import argparse
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(HERE, "corpus")
SEED = 20240611

ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

ENGLISH_EXTRA = [
    "The quick brown fox jumps over the lazy dog.",
    "I have a new GPU!",
    "John Johanson's house",
    "Don't you think it's un-believable that they'd've done it?",
    "E-mail me at jane.doe+news@example.com or visit https://example.org/a?b=c&d=e#frag.",
    "Prices rose 3.5% to $1,234.56 (approx. EUR 1.100,00) on 2024-06-11.",
    "Hello!!! How are you??? Fine... thanks :-)",
    "C++ and C# are languages; so is F#. #hashtag @mention",
    "UNBELIEVABLY, the UnAffable CEO said: \"no comment\".",
    "tl;dr - see sec. 4(b)(ii), pp. 12-15.",
    "The temperature is -40°C, i.e. -40°F.",
    "Rock 'n' roll; O'Neil's café—naïve coöperation, résumé, façade.",
    "Mr. Smith paid £5 and ¥300 and ₹20 and €7.",
    "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "WordPiece tokenization splits unaffable into un ##aff ##able.",
]

CHINESE_SENTENCES = [
    "我爱北京天安门。", "今天天气很好，我们去公园散步吧！", "这是一个测试句子，用来检查分词器。",
    "人工智能正在改变世界。", "他说：“你好，世界！”", "请问，洗手间在哪里？",
    "《红楼梦》是中国古典小说。", "我们在2024年6月11日发布了新版本。", "价格是￥128.50元。",
    "欢迎使用BERT模型进行中文文本分类。", "机器学习（Machine Learning）很有趣。",
    "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。", "他买了3个苹果、2个香蕉和1个西瓜。",
    "上海、广州、深圳都是大城市；北京是首都。", "「你吃饭了吗？」她问。", "这家餐厅的菜非常好吃，服务也很周到。",
    "电脑坏了，我需要修理一下。", "學習中文不容易，但是很有意思。", "請把門關上，謝謝！",
    "我們明天見。", "数据显示，增长率为5.6%。", "iPhone 15 Pro Max 的价格是多少？",
    "他跑得比我快多了！！！", "你知道吗……我其实不太喜欢下雨天。", "中文、English、日本語、한국어混合文本。",
]

WORD_CHARS_RE = re.compile(r"[A-Za-z]+")


def english_sentences():
    """Sentences of the Python docs, shortest first, de-duplicated."""
    import pydoc_data.topics as topics

    seen, out = set(), []
    for key in sorted(topics.topics):
        text = topics.topics[key]
        for paragraph in re.split(r"\n\s*\n", text):
            paragraph = " ".join(paragraph.split())
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
                if 20 <= len(sentence) <= 240 and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
    return out


def english_words(sentences):
    words = set()
    for s in sentences:
        words.update(WORD_CHARS_RE.findall(s))
    return sorted(words)


def chars_of_categories(prefixes, limit_cp=0x30000):
    return [chr(cp) for cp in range(limit_cp)
            if not 0xD800 <= cp <= 0xDFFF and unicodedata.category(chr(cp))[:len(prefixes[0])] in prefixes]


DEFAULT_CONFIG = {"vocab": "minilm", "reference": "bert_wordpiece", "lowercase": True,
                  "strip_accents": None, "clean_text": True, "handle_chinese_chars": True,
                  "max_length": None, "truncation": "longest_first"}


class Builder:
    def __init__(self, rng):
        self.rng = rng
        self.suites = []

    def suite(self, name, records, *configs, **config):
        """One suite: its records, run under each config (overrides of DEFAULT)."""
        if config:
            configs = configs + (config,)
        full = []
        for c in configs or ({},):
            unknown = set(c) - set(DEFAULT_CONFIG)
            assert not unknown, unknown
            full.append({**DEFAULT_CONFIG, **c})
        self.suites.append((name, full, records))

    def write(self):
        os.makedirs(CORPUS, exist_ok=True)
        for old in os.listdir(CORPUS):
            if old.endswith(".jsonl"):
                os.remove(os.path.join(CORPUS, old))
        total = checks = 0
        for name, configs, records in self.suites:
            with open(os.path.join(CORPUS, name + ".jsonl"), "w", encoding="utf-8") as f:
                f.write(json.dumps({"suite": name, "configs": configs}, ensure_ascii=False) + "\n")
                for r in records:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            total += len(records)
            checks += len(records) * len(configs)
            print(f"{name}: {len(records)} records x {len(configs)} configs")
        print(f"total: {total} records, {checks} checks, in {len(self.suites)} suites")


def text(s):
    return {"text": s}


def pair(a, b):
    return {"pair": [a, b]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chinese-vocab", default=os.path.join(
        REPO, "test", "assets", "bert-base-chinese", "vocab.txt"))
    args = ap.parse_args()
    if unicodedata.unidata_version != "14.0.0":
        sys.exit("run with Python 3.11 (Unicode 14.0.0) so the corpus stays the same")

    rng = random.Random(SEED)
    b = Builder(rng)
    sentences = english_sentences()
    words = english_words(sentences)
    punct_p = chars_of_categories(["P"])
    symbols_s = chars_of_categories(["S"])
    marks_mn = chars_of_categories(["Mn"])
    marks_mc_me = chars_of_categories(["Mc", "Me"])
    letters = chars_of_categories(["L"])

    # --- English, MiniLM's own tokenizer.json --------------------------------
    minilm = {"reference": "tokenizer_json"}
    cased = {"lowercase": False}
    keep_accents = {"lowercase": True, "strip_accents": False}
    cased_strip = {"lowercase": False, "strip_accents": True}
    en = ENGLISH_EXTRA + rng.sample(sentences, 400)
    b.suite("en_sentences", [text(s) for s in en], minilm, cased)

    def mangle(w):
        r = rng.random()
        if r < 0.2:
            return w.upper()
        if r < 0.4:
            return w.capitalize()
        if r < 0.55:
            return w + rng.choice(["ness", "ization", "ably", "ers", "ing", "ed", "'s", "s"])
        if r < 0.65:
            return rng.choice(["un", "re", "anti", "pre", "over", "non-"]) + w
        if r < 0.75:
            return "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(3, 12)))
        return w
    b.suite("en_words", [text(mangle(w)) for w in rng.sample(words, 300)], minilm, cased)

    # --- punctuation and symbols ----------------------------------------------
    recs = [text(c) for c in ASCII_PUNCTUATION]
    recs.append(text(ASCII_PUNCTUATION))
    recs.append(text(" ".join(ASCII_PUNCTUATION)))
    for c in ASCII_PUNCTUATION:
        recs.append(text(f"word{c}word {c}{c}x"))
    for c in rng.sample(punct_p, 120):
        recs.append(text(f"a{c}b {rng.choice(words)}{c}"))
    for c in rng.sample(symbols_s, 120):
        recs.append(text(f"a{c}b {c}{rng.choice(words)} 5{c}"))
    b.suite("punctuation_symbols", recs, {}, cased)

    # --- accents, combining marks, case --------------------------------------
    latin = [chr(cp) for cp in range(0xC0, 0x250) if unicodedata.category(chr(cp)).startswith("L")]
    accent_recs = []
    for _ in range(90):
        w = "".join(rng.choice(latin + list("aeiouxyz")) for _ in range(rng.randint(2, 10)))
        accent_recs.append(text(f"{w} {rng.choice(words)}"))
    for _ in range(60):
        base = rng.choice("aeiouAEIOUnNcCxq")
        ms = "".join(rng.choice(marks_mn + marks_mc_me) for _ in range(rng.randint(1, 4)))
        accent_recs.append(text(f"{base}{ms}{rng.choice('bcd')} {rng.choice(words)}{ms}"))
    accent_recs += [text(s) for s in [
        "Café naïve résumé façade coöperate", "ÀÉÎÕÜ àéîõü", "Ångström Å Å", "ﬁnancial ﬂow",
        "İstanbul ıi İI", "Straße STRASSE ẞ", "Ελληνικά ΟΔΟΣ Σίσυφος", "Tiếng Việt có dấu",
        "Москва ЁЖИК ёжик", "a\u0301\u302e b", "a\u0316\u0301\u302f", "x\u0301\u0316\U0001d165y",
        "e\u0301\u0301\u0300", "\u0301leading mark", "한국어 텍스트 가나다", "ǅungla ǈ ǋ",
        "Ǆ ǆ ǉ", "Ωhm Ω K Kelvin", "\u212b\u2126\u212a", "ḱṓṩ", "\u1e9e\u00df",
        "\u0345\u0399\u03b9", "\u1f80\u1f88\u1fb3\u1fbc", "\U0001d15e\U0001d160", "\u0f73\u0f75\u0f81",
        "\u0344\u0316", "\u1734 \u0898 \u1dfa \u0ebb", "a\u0898\u0334b", "\u05b0\u05b1\u05d0\u05b2",
        "\u0958\u0929\u0931", "\u00c5\u030a", "\u1e0b\u0323 \u1e0d\u0307", "\u01d5\u0304",
        "q\u0307\u0323", "\u0041\u030A\u0301", "\U00011938 \U00011935\U00011930",
    ]]
    b.suite("accents", accent_recs, minilm, keep_accents, cased, cased_strip)

    # --- full-width forms ------------------------------------------------------
    fw = [chr(cp) for cp in range(0xFF01, 0xFF5F)]
    recs = [text("".join(fw))]
    for _ in range(100):
        recs.append(text("".join(rng.choice(fw + [" ", "a", "\u3000"]) for _ in range(rng.randint(1, 20)))))
    b.suite("fullwidth", recs, {}, cased)

    # --- control characters and odd whitespace -------------------------------
    controls = [chr(c) for c in list(range(0, 0x20)) + [0x7F] + list(range(0x80, 0xA0))]
    odd = controls + ["\u00a0", "\u1680", "\u2000", "\u2007", "\u200a", "\u200b", "\u200c",
                      "\u200d", "\u200e", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
                      "\ufeff", "\ufffd", "\ufffe", "\uffff", "\ue000", "\uf8ff", "\U000f0000",
                      "\U0010fffd", "\u0378", "\u0890", "\u08e2", "\U000110cd", "\U00013430",
                      "\u00ad", "\u061c", "\u180e", "\U000e0001", "\U000e007f", "\u0600"]
    recs = [text(f"a{c}b {c}word{c} x") for c in odd]
    for _ in range(80):
        recs.append(text("".join(rng.choice(odd + list("abc ")) for _ in range(rng.randint(1, 15)))))
    b.suite("controls_whitespace", recs, minilm, {"clean_text": False})

    # --- emoji -------------------------------------------------------------------
    emoji = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "🇺🇸", "❤️", "☺︎", "🏳️‍🌈", "1️⃣", "🤷‍♀️", "🚀", "🧑🏿‍💻",
             "⭐", "©️", "™", "🎉🎉🎉", "🐍", "😂😂", "🫠", "🪿"]
    recs = [text(e) for e in emoji]
    for _ in range(100):
        recs.append(text(" ".join(rng.choice(emoji + words[:2000]) for _ in range(rng.randint(1, 8)))))
    b.suite("emoji", recs, minilm, keep_accents)

    # --- very long words ---------------------------------------------------------
    recs = []
    for n in [98, 99, 100, 101, 102, 150, 300]:
        recs.append(text("a" * n))
        recs.append(text("ab" * (n // 2) + " end"))
        recs.append(text("é" * n))            # 1 char each, before and after stripping
        recs.append(text("e\u0301" * (n // 2 + 1)))  # 2 chars each before stripping
        recs.append(text("中" + "x" * n))
    for _ in range(30):
        w = "".join(rng.choice(words) for _ in range(rng.randint(8, 30)))
        recs.append(text(f"start {w} stop"))
    b.suite("long_words", recs, minilm, keep_accents, cased)

    # --- mixed scripts and random code points ---------------------------------
    scripts = {
        "cyrillic": (0x410, 0x44F), "greek": (0x391, 0x3C9), "arabic": (0x621, 0x64A),
        "hebrew": (0x5D0, 0x5EA), "devanagari": (0x905, 0x939), "thai": (0xE01, 0xE2E),
        "hangul": (0xAC00, 0xAD00), "hiragana": (0x3041, 0x3096), "katakana": (0x30A1, 0x30FA),
        "cjk": (0x4E00, 0x4FFF), "latin": (0x41, 0x7A),
    }
    recs = []
    for _ in range(200):
        parts = []
        for _ in range(rng.randint(1, 6)):
            lo, hi = scripts[rng.choice(sorted(scripts))]
            parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 8))))
        recs.append(text(rng.choice([" ", "", "-", ", "]).join(parts)))
    b.suite("mixed_scripts", recs, minilm, cased, {"handle_chinese_chars": False})

    def random_scalar():
        r = rng.random()
        if r < 0.5:
            cp = rng.randint(0x80, 0x2FFF)
        elif r < 0.8:
            cp = rng.randint(0x3000, 0xFFFF)
        else:
            cp = rng.randint(0x10000, 0x10FFFF)
        return chr(0xFFFD if 0xD800 <= cp <= 0xDFFF else cp)
    recs = []
    for _ in range(300):
        recs.append(text("".join(random_scalar() if rng.random() < 0.6 else rng.choice("ab .")
                                 for _ in range(rng.randint(1, 24)))))
    # Every letter / mark / punctuation class at least a bit.
    for group in (letters, marks_mn, marks_mc_me, punct_p, symbols_s):
        for _ in range(20):
            recs.append(text("x" + "".join(rng.choice(group) for _ in range(rng.randint(1, 6))) + " y"))
    b.suite("random_unicode", recs, minilm, cased, keep_accents, {"clean_text": False},
            {"handle_chinese_chars": False})

    # --- special tokens written in the text -----------------------------------
    specials = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]
    recs = [text(s) for s in specials]
    recs += [text(s) for s in ["[sep]", "[ SEP ]", "[[SEP]]", "[SEP", "SEP]", "a[SEP]b", "[CLS][SEP]",
                               "x [MASK] y [MASK]", "[Mask]", "［SEP］", "[SEP]\u0301", "é[SEP]é",
                               "中[SEP]文", "[UNK][UNK]", "[PAD] [PAD]"]]
    for _ in range(80):
        parts = [rng.choice(specials) if rng.random() < 0.3 else rng.choice(words)
                 for _ in range(rng.randint(2, 8))]
        recs.append(text(rng.choice([" ", ""]).join(parts)))
    b.suite("special_tokens_in_text", recs, minilm, cased)
    b.suite("special_tokens_pairs", [pair(recs[i]["text"], recs[i + 1]["text"]) for i in range(0, 60, 2)])

    # --- truncation ----------------------------------------------------------------
    def paragraph(n_sentences):
        return " ".join(rng.choice(en) for _ in range(n_sentences))
    long_texts = [paragraph(rng.randint(1, 4)) for _ in range(60)] + ["", "a"]
    b.suite("truncation", [text(t) for t in long_texts],
            {**minilm, "max_length": 32}, {**minilm, "max_length": 128}, {"max_length": 2},
            {"max_length": 32, "truncation": "only_first"},
            {"max_length": 32, "truncation": "only_second"},
            {"max_length": 32, "truncation": "do_not_truncate"})

    pair_texts = []
    for _ in range(50):
        a = paragraph(rng.randint(0, 3)) if rng.random() < 0.9 else ""
        c = paragraph(rng.randint(0, 3)) if rng.random() < 0.9 else ""
        pair_texts.append((a, c))
    pair_texts += [("short", paragraph(4)), (paragraph(4), "short"), ("", ""), ("a", "b"),
                   ("one two three four", "five six seven eight")]
    pair_configs = [{**minilm, "max_length": n, "truncation": t}
                    for t in ["longest_first", "only_first", "only_second"] for n in [8, 32, 128]]
    pair_configs += [{"max_length": 3, "truncation": "longest_first"},
                     {"max_length": 3, "truncation": "only_second"},
                     {"max_length": 64, "truncation": "do_not_truncate"}, minilm]
    b.suite("pairs", [pair(a, c) for a, c in pair_texts], *pair_configs)

    # --- Chinese, bert-base-chinese vocab ---------------------------------------
    if os.path.exists(args.chinese_vocab):
        with open(args.chinese_vocab, encoding="utf-8") as f:
            vocab = [line.rstrip("\n") for line in f]
        hanzi = [t for t in vocab if len(t) == 1 and "\u4e00" <= t <= "\u9fff"]
        subwords = [t for t in vocab if t.startswith("##") and len(t) > 3]
        cn_punct = list("，。！？、；：「」『』（）《》“”‘’…—·")
        recs = [text(s) for s in CHINESE_SENTENCES]
        for _ in range(220):
            parts = []
            for _ in range(rng.randint(1, 12)):
                r = rng.random()
                if r < 0.6:
                    parts.append("".join(rng.choice(hanzi) for _ in range(rng.randint(1, 6))))
                elif r < 0.7:
                    parts.append(rng.choice(cn_punct))
                elif r < 0.8:
                    parts.append(str(rng.randint(0, 100000)))
                elif r < 0.9:
                    parts.append(rng.choice(words) + rng.choice(subwords)[2:])
                else:
                    parts.append(chr(rng.choice([rng.randint(0x20000, 0x2A6DF), rng.randint(0xF900, 0xFAD9),
                                                 rng.randint(0x2F800, 0x2FA1D), rng.randint(0x3400, 0x4DBF),
                                                 rng.randint(0x2B820, 0x2B91F)])))
            recs.append(text(rng.choice(["", " "]).join(parts)))
        chinese = {"vocab": "chinese"}
        b.suite("chinese", recs, chinese, {**chinese, "lowercase": False})
        b.suite("chinese_truncation", [text(rng.choice(CHINESE_SENTENCES) * rng.randint(1, 4))
                                       for _ in range(30)],
                {**chinese, "max_length": 32}, {**chinese, "max_length": 32, "truncation": "do_not_truncate"})
        b.suite("chinese_pairs", [pair(rng.choice(CHINESE_SENTENCES), rng.choice(CHINESE_SENTENCES) * 2)
                                  for _ in range(30)],
                *[{**chinese, "max_length": 40, "truncation": t}
                  for t in ["longest_first", "only_first", "only_second"]])
    else:
        print(f"warning: {args.chinese_vocab} missing, no Chinese suites", file=sys.stderr)

    # --- invalid UTF-8: only our tokenizer sees these ------------------------------
    bad = ["ff", "80", "c0af", "c1bf", "e080af", "eda080", "edbfbf", "f4908080", "f5808080", "e282",
           "616263e2", "f09f98", "61c3", "c328", "e228a1", "f0288c28", "fe", "68656c6c6fc0",
           "f8888080a0", "2020eda0bd"]
    b.suite("invalid_utf8", [{"hex": h} for h in bad])

    # The larger suites below draw from their own generator, so the suites
    # above stay as they were.
    more_suites(b, random.Random(SEED + 1), sentences, words, args.chinese_vocab)

    b.write()


GENERAL_CATEGORIES = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd",
                      "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc",
                      "Cf", "Co", "Cn"]  # Cs cannot be written in UTF-8


def chars_by_category():
    """{category: [chars]} over all scalar values (Co and Cn sampled by plane)."""
    out = {c: [] for c in GENERAL_CATEGORIES}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(chr(cp))
        if cat in out:
            out[cat].append(chr(cp))
    return out


def more_suites(b, rng, sentences, words, chinese_vocab_path):
    """About 25,000 more records: every general category, and more of each
    kind of text above, each pair and truncation strategy included."""
    cats = chars_by_category()
    minilm = {"reference": "tokenizer_json"}
    cased = {"lowercase": False}
    keep_accents = {"lowercase": True, "strip_accents": False}
    cased_strip = {"lowercase": False, "strip_accents": True}
    no_clean = {"clean_text": False}
    no_cjk = {"handle_chinese_chars": False}

    def pick(pool, k):
        return "".join(rng.choice(pool) for _ in range(k))

    # --- every Unicode general category, in a few contexts --------------------
    recs = []
    for cat in GENERAL_CATEGORIES:
        pool = cats[cat]
        for i in range(150):
            c = rng.choice(pool)
            w = rng.choice(words)
            pattern = i % 6
            if pattern == 0:
                recs.append(text(c))
            elif pattern == 1:
                recs.append(text(f"x{c}y"))
            elif pattern == 2:
                recs.append(text(f"{w}{c}{w}"))
            elif pattern == 3:
                recs.append(text(f" {c} {pick(pool, rng.randint(2, 5))} ."))
            elif pattern == 4:
                recs.append(text(f"{w.upper()}{c}{rng.choice(words)} {c}"))
            else:
                recs.append(text(pick(pool + list("ab .,"), rng.randint(3, 12))))
    b.suite("general_categories", recs, {}, cased, keep_accents, no_clean, no_cjk)

    # --- English ---------------------------------------------------------------
    b.suite("en_sentences_more", [text(s) for s in rng.sample(sentences, 3000)], minilm, cased)

    def mangle(w):
        r = rng.random()
        if r < 0.2:
            return w.upper()
        if r < 0.35:
            return w.capitalize()
        if r < 0.5:
            return w + rng.choice(["ness", "ization", "ably", "ers", "ing", "ed", "'s", "s", "ful"])
        if r < 0.6:
            return rng.choice(["un", "re", "anti", "pre", "over", "non-", "co", "mis"]) + w
        if r < 0.7:
            return pick("bcdfghjklmnpqrstvwxz", rng.randint(3, 14))
        if r < 0.8:
            return w + str(rng.randint(0, 9999))
        return w
    b.suite("en_words_more", [text(" ".join(mangle(rng.choice(words)) for _ in range(rng.randint(1, 4))))
                              for _ in range(3000)], minilm, cased)

    # --- mixed scripts, emoji, accents, full-width, controls -----------------------
    scripts = ["Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Devanagari",
               "Bengali", "Thai", "Georgian", "Hangul", "Hiragana", "Katakana", "Han", "Ethiopic"]
    blocks = {"Latin": (0x41, 0x24F), "Greek": (0x370, 0x3FF), "Cyrillic": (0x400, 0x4FF),
              "Armenian": (0x531, 0x58A), "Hebrew": (0x591, 0x5F4), "Arabic": (0x600, 0x6FF),
              "Devanagari": (0x900, 0x97F), "Bengali": (0x980, 0x9FE), "Thai": (0xE01, 0xE5B),
              "Georgian": (0x10A0, 0x10FF), "Hangul": (0xAC00, 0xD7A3), "Hiragana": (0x3041, 0x309F),
              "Katakana": (0x30A0, 0x30FF), "Han": (0x4E00, 0x9FFF), "Ethiopic": (0x1200, 0x137F)}
    recs = []
    for _ in range(2500):
        parts = []
        for _ in range(rng.randint(1, 6)):
            lo, hi = blocks[rng.choice(scripts)]
            parts.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 8))))
        recs.append(text(rng.choice([" ", "", "-", ", ", "\u3000", "\u00a0"]).join(parts)))
    b.suite("mixed_scripts_more", recs, minilm, cased, keep_accents, no_cjk)

    emoji = ["😀", "😂", "🥲", "👍", "👍🏻", "👍🏿", "👨\u200d👩\u200d👧\u200d👦", "👩🏽\u200d🔬",
             "🇯🇵", "🇩🇪", "🏴\u200d☠\ufe0f", "❤\ufe0f", "❤", "✌\ufe0f", "☕", "⚽", "🎉", "🐍",
             "🦀", "🫠", "🪿", "#\ufe0f\u20e3", "©", "®", "™", "🔟", "🅰\ufe0f",
             "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"]
    recs = [text(" ".join(rng.choice(emoji + words[:3000]) for _ in range(rng.randint(1, 10))))
            for _ in range(1200)]
    recs += [text(pick(emoji, rng.randint(1, 6))) for _ in range(300)]
    b.suite("emoji_more", recs, minilm, keep_accents, no_clean)

    marks = cats["Mn"] + cats["Mc"] + cats["Me"]
    latin = [chr(cp) for cp in range(0xC0, 0x250)] + [chr(cp) for cp in range(0x1E00, 0x1F00)]
    recs = []
    for _ in range(2000):
        r = rng.random()
        if r < 0.4:
            recs.append(text(f"{pick(latin + list('aeiou'), rng.randint(1, 10))} {rng.choice(words)}"))
        elif r < 0.8:
            base = rng.choice("aeiouAEIOUnNcCsSzZ\u0391\u03b1\u0418\u0438\u3042\uac00")
            recs.append(text(base + pick(marks, rng.randint(1, 5)) + rng.choice(["", "b", " x"])))
        else:
            recs.append(text(unicodedata.normalize(rng.choice(["NFD", "NFC", "NFKD", "NFKC"]),
                                                   pick(latin, rng.randint(2, 8)))))
    b.suite("accents_more", recs, minilm, keep_accents, cased, cased_strip)

    fw = [chr(cp) for cp in range(0xFF01, 0xFFEF)]
    recs = [text(pick(fw + [" ", "a", "\u3000", "中"], rng.randint(1, 25))) for _ in range(1000)]
    b.suite("fullwidth_more", recs, {}, cased, keep_accents)

    controls = cats["Cc"] + cats["Cf"] + cats["Zs"] + cats["Zl"] + cats["Zp"] + ["\ufffd", "\x00"]
    recs = [text(pick(controls + list("ab c"), rng.randint(1, 20))) for _ in range(1000)]
    recs += [text(f"{rng.choice(words)}{rng.choice(controls)}{rng.choice(words)}") for _ in range(500)]
    b.suite("controls_more", recs, {}, no_clean, cased)

    # --- long words around the 100-char limit ----------------------------------------
    recs = []
    for _ in range(500):
        n = rng.choice([rng.randint(95, 105), rng.randint(1, 300)])
        unit = rng.choice(["a", "é", "e\u0301", "中", "😀", "\u0130", "x\u0308", "ab", "z"])
        recs.append(text(unit * n + rng.choice(["", " end", "!"])))
    for _ in range(200):
        recs.append(text("".join(rng.choice(words) for _ in range(rng.randint(10, 40)))))
    b.suite("long_words_more", recs, minilm, keep_accents, cased)

    # --- pairs and every truncation strategy ------------------------------------------------
    strategies = ["longest_first", "only_first", "only_second", "do_not_truncate"]

    def passage():
        return " ".join(rng.choice(sentences) for _ in range(rng.randint(0, 2)))
    # (HF's longest_first builds every overflow window, which is slow for a
    # long pair and a tiny max_length: tiny limits get short pairs.)
    pair_recs = [pair(passage(), passage()) for _ in range(1500)]
    b.suite("pairs_more", pair_recs,
            *[{**minilm, "max_length": n, "truncation": t} for t in strategies for n in [12, 48]],
            minilm)

    def words_text():
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
    b.suite("pairs_short_more", [pair(words_text(), words_text()) for _ in range(800)],
            *[{**minilm, "max_length": n, "truncation": t} for t in strategies for n in [3, 5, 7]])
    single_recs = [text(passage()) for _ in range(1200)]
    b.suite("truncation_more", single_recs,
            *[{**minilm, "max_length": n, "truncation": t} for t in strategies for n in [2, 9, 40]])

    specials = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]
    recs = []
    for _ in range(600):
        parts = [rng.choice(specials) if rng.random() < 0.3 else rng.choice(words + ["[", "]", "é", "中"])
                 for _ in range(rng.randint(1, 8))]
        recs.append(text(rng.choice([" ", "", "\u00a0"]).join(parts)))
    b.suite("special_tokens_more", recs, minilm, cased, {"max_length": 6})

    # --- random scalar values -------------------------------------------------------------------
    def scalar():
        cp = rng.randrange(0x110000)
        return chr(0xFFFD if 0xD800 <= cp <= 0xDFFF else cp)
    recs = [text("".join(scalar() if rng.random() < 0.5 else rng.choice("ab .,")
                         for _ in range(rng.randint(1, 30)))) for _ in range(2000)]
    b.suite("random_unicode_more", recs, minilm, cased, no_clean, no_cjk)

    # --- Chinese, bert-base-chinese vocab ---------------------------------------------------------
    if not os.path.exists(chinese_vocab_path):
        return
    with open(chinese_vocab_path, encoding="utf-8") as f:
        vocab = [line.rstrip("\n") for line in f]
    hanzi = [t for t in vocab if len(t) == 1 and "\u4e00" <= t <= "\u9fff"]
    subwords = [t for t in vocab if t.startswith("##") and len(t) > 3]
    cn_punct = list("，。！？、；：「」『』（）《》“”‘’…—·【】〔〕")
    recs = []
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 14)):
            r = rng.random()
            if r < 0.6:
                parts.append(pick(hanzi, rng.randint(1, 8)))
            elif r < 0.72:
                parts.append(rng.choice(cn_punct))
            elif r < 0.8:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 7))))
            elif r < 0.9:
                parts.append(rng.choice(words) + rng.choice(subwords)[2:])
            elif r < 0.95:
                parts.append(chr(rng.choice([rng.randint(0x20000, 0x2A6DF), rng.randint(0xF900, 0xFAD9),
                                             rng.randint(0x2F800, 0x2FA1D), rng.randint(0x3400, 0x4DBF),
                                             rng.randint(0x2B81D, 0x2B925), rng.randint(0x3040, 0x30FF)])))
            else:
                parts.append(pick([chr(cp) for cp in range(0xFF01, 0xFF5F)], rng.randint(1, 4)))
        recs.append(text(rng.choice(["", " "]).join(parts)))
    chinese = {"vocab": "chinese"}
    b.suite("chinese_more", recs, chinese, {**chinese, "lowercase": False},
            {**chinese, "max_length": 24, "truncation": "only_first"})
    b.suite("chinese_pairs_more", [pair(rng.choice(recs)["text"], rng.choice(recs)["text"])
                                   for _ in range(800)],
            *[{**chinese, "max_length": 48, "truncation": t}
              for t in ["longest_first", "only_first", "only_second", "do_not_truncate"]])


if __name__ == "__main__":
    main()
