"""Texts of the tokenizer benchmark: four sets, deterministic.

  en_short  English sentences of 18-22 tokens ([CLS] and [SEP] included)
  en_long   English passages of about 500 tokens (480-520)
  zh_short  Chinese sentences of 16-24 tokens
  zh_long   Chinese passages of about 500 tokens (480-520)

English comes from Python's own documentation (the standard library's
pydoc_data) plus the everyday sentences below; Chinese from the sentences
below, written for this benchmark. Token counts come from HF tokenizers
with the set's vocab, so both tokenizers see exactly the same strings.
No text contains a newline (the C++ bench reads one text per line).
"""

import random
import re

SEED = 20260611

ENGLISH = [
    "The bakery on the corner sells warm bread every morning before seven o'clock.",
    "Our engineers rewrote the billing service so that invoices are generated twice as fast.",
    "If the package does not arrive by Friday, please contact customer support again.",
    "She spent the whole afternoon reading old letters that her grandmother had kept.",
    "The committee postponed the vote because several members were stuck in traffic.",
    "A cold front will bring strong winds and heavy rain to the coast tonight.",
    "He forgot his umbrella at the office, so he walked home through the storm.",
    "Most of the students passed the exam, although the last question was very hard.",
    "The new library downtown has a rooftop garden and a quiet reading room.",
    "During the meeting we agreed to release the update at the end of the quarter.",
    "The museum's collection includes paintings, sculptures, and hand-drawn maps from 1650.",
    "Please make sure the printer has enough paper before the conference starts.",
    "Local farmers said the dry summer reduced their harvest by almost a third.",
    "My sister adopted a shy gray cat that now sleeps on the piano all day.",
    "The airline apologized for the delay and offered every passenger a free meal.",
    "Researchers found that people remember stories better than lists of facts.",
    "The server crashed at midnight, but the backup system took over immediately.",
    "They painted the kitchen yellow and replaced the old wooden table with a new one.",
    "You can reset your password from the settings page or by calling the help desk.",
    "The orchestra rehearsed the symphony for six weeks before the opening night.",
    "After the flood, volunteers helped families clean their homes and repair fences.",
    "The company's profits rose 12% last year, driven by strong sales in Asia.",
    "Our hiking group reached the summit just as the sun began to rise.",
    "The doctor asked him to avoid sugar and to walk for thirty minutes a day.",
    "When the power went out, we lit candles and told stories until dawn.",
    "The software update fixes a memory leak and improves battery life on older phones.",
    "Tickets for the festival sold out within an hour of going on sale.",
    "The teacher explained fractions by cutting an apple into eight equal pieces.",
    "Traffic on the bridge will be limited to one lane while workers repaint it.",
    "I'd like to book a table for four people at half past eight, please.",
]

CHINESE = [
    "今天早上我在公园里看到很多老人在打太极拳。",
    "这家公司去年的销售额比前年增长了百分之二十。",
    "由于天气原因，今天下午的航班全部被取消了。",
    "妈妈在厨房里做红烧肉，整个房子都是香味。",
    "我们计划明年春天去云南旅游，看看那里的风景。",
    "这本书讲述了一个普通家庭在战争年代的故事。",
    "老师让我们每天读半个小时的课外书。",
    "新的地铁线路开通以后，上班的时间缩短了一半。",
    "医生说他的病需要好好休息，不能太累。",
    "昨天晚上的音乐会非常成功，观众们热烈鼓掌。",
    "小明考试得了第一名，爸爸妈妈都很高兴。",
    "这个城市的夏天很热，冬天却很少下雪。",
    "请大家把手机调成静音，会议马上就要开始了。",
    "图书馆周末开放到晚上九点，欢迎大家来学习。",
    "他们在山上种了几千棵树，希望改善当地的环境。",
    "我的电脑突然坏了，所有的文件都没有保存。",
    "这道菜的做法很简单，只需要鸡蛋、西红柿和盐。",
    "经过三年的努力，这座大桥终于建成通车了。",
    "孩子们在操场上踢足球，玩得非常开心。",
    "专家认为，人工智能将会改变很多行业的工作方式。",
    "她每天早上六点起床，先跑步再吃早饭。",
    "这次展览展出了一百多件古代的青铜器。",
    "因为下大雨，比赛推迟到了下个星期六。",
    "我们的客服人员会在二十四小时内回复您的问题。",
    "爷爷年轻的时候是一名火车司机，走遍了全国。",
    "超市里的水果今天打八折，很多人都在排队。",
    "这个软件可以帮助用户管理每天的时间和任务。",
    "春节期间，很多人都会回老家和家人团聚。",
    "他把旧自行车修好了，送给了邻居家的孩子。",
    "研究人员发现，多喝水对身体健康很有好处。",
    "这条河的水很清，可以看到河底的小鱼。",
    "公司决定明年在上海开设一个新的办事处。",
    "请在下周五之前把申请表交到办公室。",
    "晚饭后我们一起去河边散步，聊了很多事情。",
    "这部电影的导演以前拍过很多有名的纪录片。",
    "学校的新食堂提供十几种不同的饭菜。",
]

WORD_LIMITS = {"short_en": (18, 22), "short_zh": (16, 24), "long": (480, 520)}


def english_sentences():
    """Everyday sentences plus prose sentences of the Python docs."""
    import pydoc_data.topics as topics

    seen, out = set(), []
    for s in ENGLISH:
        seen.add(s)
        out.append(s)
    for key in sorted(topics.topics):
        for paragraph in re.split(r"\n\s*\n", topics.topics[key]):
            # Prose only: skip code blocks and grammar rules.
            if paragraph.startswith("   ") or "::=" in paragraph or ">>>" in paragraph:
                continue
            paragraph = " ".join(paragraph.split())
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
                if 30 <= len(sentence) <= 300 and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
    return out


def build_sets(count_tokens_en, count_tokens_zh, short_count=2000, long_count=200):
    """{name: [texts]}; count_tokens_*(text) -> token count with specials."""
    rng = random.Random(SEED)
    sets = {}
    en = english_sentences()
    lo, hi = WORD_LIMITS["short_en"]
    en_short_pool = [s for s in en if lo <= count_tokens_en(s) <= hi]
    sets["en_short"] = [rng.choice(en_short_pool) for _ in range(short_count)]
    sets["en_long"] = [_passage(rng, en, count_tokens_en, " ") for _ in range(long_count)]

    zh = list(CHINESE)
    lo, hi = WORD_LIMITS["short_zh"]
    zh_pool = [s for s in zh if lo <= count_tokens_zh(s) <= hi]
    # Pairs of short sentences joined, so there are more distinct strings.
    for a in CHINESE:
        for b in CHINESE:
            if a != b and lo <= count_tokens_zh(a[: len(a) // 2] + b[len(b) // 2:]) <= hi:
                zh_pool.append(a[: len(a) // 2] + b[len(b) // 2:])
    sets["zh_short"] = [rng.choice(zh_pool) for _ in range(short_count)]
    sets["zh_long"] = [_passage(rng, zh, count_tokens_zh, "") for _ in range(long_count)]
    for name, texts in sets.items():
        assert texts and all("\n" not in t and "\r" not in t for t in texts), name
    return sets


def _passage(rng, sentences, count_tokens, joiner):
    """Random sentences joined until the text has 480-520 tokens."""
    lo, hi = WORD_LIMITS["long"]
    while True:
        parts = []
        while True:
            parts.append(rng.choice(sentences))
            n = count_tokens(joiner.join(parts))
            if n >= lo:
                break
        if n <= hi:
            return joiner.join(parts)


# --- multilingual sets, one pair per tokenizer family ------------------------
#
#   <family>_short  multilingual lines of 18-22 tokens (<s> and </s> in)
#   <family>_long   multilingual passages of about 500 tokens (480-520)
#
# Lines come from test/tokenizer/multilingual_text.py (seeded: Python-docs
# English, Chinese, Japanese, Korean, Arabic, Hindi, Cyrillic, full-width,
# emoji and made-up words of many scripts), the text the family tokenizers
# were trained on. Token counts come from HF tokenizers with the family's
# tokenizer.json, so both sides see exactly the same strings.

MULTILINGUAL_SEED = 20261204


def multilingual_lines(count=20000):
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "test", "tokenizer"))
    from multilingual_text import TextSource

    lines = TextSource(MULTILINGUAL_SEED).lines(count)
    # One text per line for the C++ bench: no line breaks inside a text.
    return [" ".join(t.split()) for t in lines if t.strip()]


def build_family_sets(families, short_count=2000, long_count=200):
    """{"<family>_short": [...], "<family>_long": [...]} for each family of
    families = {family: count_tokens(text) -> token count with specials}."""
    lines = multilingual_lines()
    sets = {}
    for family, count_tokens in families.items():
        rng = random.Random(f"{MULTILINGUAL_SEED}-{family}")
        lo, hi = WORD_LIMITS["short_en"]
        pool = [t for t in lines if lo <= count_tokens(t) <= hi]
        sets[f"{family}_short"] = [rng.choice(pool) for _ in range(short_count)]
        sets[f"{family}_long"] = [_passage(rng, lines, count_tokens, " ")
                                  for _ in range(long_count)]
    for name, texts in sets.items():
        assert texts and all("\n" not in t and "\r" not in t for t in texts), name
    return sets
