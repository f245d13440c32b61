#!/usr/bin/env python3
"""Deterministic multilingual text, for training the test tokenizers
(tools/tokenizer_assets/make_tokenizers.py) and for the family parity
corpus (family_parity.py).

Sources, all on this machine: English prose from the Python docs
(pydoc_data), Chinese from handwritten sentences and the committed
bert-base-chinese vocab (test/assets), handwritten sentences in Japanese,
Korean, Arabic, Hindi, Russian and Ukrainian, and made-up words drawn from
each script's Unicode block so that rarer characters appear too. Nothing
here is downloaded.
"""

import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

SENTENCES = {
    "ja": ["私は東京に住んでいます。", "今日はとても良い天気ですね。", "この本はとても面白かったです！",
           "日本語の文章をトークン化します。", "カタカナのコンピューターとひらがなのことば。",
           "明日の会議は午後三時からです。", "ラーメンを食べに行きましょう。", "富士山は日本で一番高い山です。"],
    "ko": ["안녕하세요, 만나서 반갑습니다.", "오늘 날씨가 정말 좋네요!", "한국어 문장을 토큰화합니다.",
           "서울은 대한민국의 수도입니다.", "저는 커피를 좋아해요.", "내일 아침에 회의가 있습니다."],
    "ar": ["مرحبا بالعالم", "اللغة العربية جميلة جدا.", "أين المكتبة؟", "ذهبت إلى السوق يوم الجمعة.",
           "الذكاء الاصطناعي يغير العالم.", "كتب الطالب الدرس في الدفتر."],
    "hi": ["नमस्ते दुनिया", "मैं हिंदी बोलता हूँ।", "आज मौसम बहुत अच्छा है।", "भारत एक विशाल देश है।",
           "कृपया दरवाज़ा बंद कर दीजिए।", "यह पुस्तक बहुत रोचक है।"],
    "ru": ["Привет, мир!", "Я люблю читать книги по вечерам.", "Москва — столица России.",
           "Съешь же ещё этих мягких французских булок, да выпей чаю.", "Ёжик в тумане шёл домой."],
    "uk": ["Добрий день! Як справи?", "Їжак і ґава п'ють каву.", "Київ — столиця України."],
    "zh": ["我爱北京天安门。", "今天天气很好，我们去公园散步吧！", "人工智能正在改变世界。",
           "他说：“你好，世界！”", "《红楼梦》是中国古典小说。", "學習中文不容易，但是很有意思。",
           "中文、English、日本語、한국어混合文本。", "价格是￥128.50元。"],
    "fullwidth": ["ＡＢＣ　ｄｅｆ　１２３！", "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ", "（全角）カッコ＆記号＃"],
    "emoji": ["I ❤️ NY 🗽", "👍🏽 great job 🎉🎉", "family: 👨‍👩‍👧‍👦 flags: 🇫🇷🇯🇵", "🙂🙃😀😂🤖 ok"],
}

# Script blocks for made-up words: (first, last) code points.
BLOCKS = {
    "hiragana": (0x3041, 0x3096), "katakana": (0x30A1, 0x30FA), "hangul": (0xAC00, 0xD7A3),
    "arabic": (0x0621, 0x064A), "devanagari": (0x0905, 0x0939), "cyrillic": (0x0410, 0x044F),
    "cjk": (0x4E00, 0x9FFF), "greek": (0x03B1, 0x03C9), "hebrew": (0x05D0, 0x05EA),
    "thai": (0x0E01, 0x0E2E), "fullwidth": (0xFF21, 0xFF5A), "latin_ext": (0x00C0, 0x017F),
}
EMOJI = [chr(c) for c in range(0x1F600, 0x1F64F)] + [chr(c) for c in range(0x1F300, 0x1F35F)]


def english_sentences():
    """Sentences of the Python docs, in a fixed order."""
    import pydoc_data.topics as topics

    seen, out = set(), []
    for key in sorted(topics.topics):
        for paragraph in re.split(r"\n\s*\n", topics.topics[key]):
            paragraph = " ".join(paragraph.split())
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
                if 20 <= len(sentence) <= 240 and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
    return out


def chinese_words():
    path = os.path.join(REPO, "test", "assets", "bert-base-chinese", "vocab.txt")
    with open(path, encoding="utf-8") as f:
        words = [w.strip() for w in f]
    return [w for w in words if w and all(0x4E00 <= ord(c) <= 0x9FFF for c in w)]


class TextSource:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.english = english_sentences()
        self.chinese = chinese_words()

    def made_up_word(self, block):
        lo, hi = BLOCKS[block]
        return "".join(chr(self.rng.randint(lo, hi)) for _ in range(self.rng.randint(1, 6)))

    def made_up_sentence(self, block):
        sep = "" if block in ("cjk", "hiragana", "katakana", "thai") else " "
        return sep.join(self.made_up_word(block) for _ in range(self.rng.randint(2, 10)))

    def chinese_sentence(self):
        return "".join(self.rng.choice(self.chinese) for _ in range(self.rng.randint(3, 20))) + self.rng.choice("。，！？")

    def line(self):
        """One line of training text, mostly real sentences."""
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(self.english)
        if r < 0.6:
            return self.rng.choice(SENTENCES[self.rng.choice(sorted(SENTENCES))])
        if r < 0.7:
            return self.chinese_sentence()
        if r < 0.9:
            return self.made_up_sentence(self.rng.choice(sorted(BLOCKS)))
        words = [self.rng.choice(self.english).split()[0], self.rng.choice(EMOJI),
                 self.made_up_word(self.rng.choice(sorted(BLOCKS))), self.rng.choice(SENTENCES["fullwidth"])]
        self.rng.shuffle(words)
        return " ".join(words)

    def lines(self, count):
        return [self.line() for _ in range(count)]
