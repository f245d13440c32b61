"""The benchmark's request texts: real English and Chinese sentences.

Short texts are single sentences of about 16 tokens ([CLS] and [SEP]
included). Long texts join consecutive sentences of one language until the
next one would pass `LONG_TARGET` tokens, so a long text is about 250 tokens
and is never truncated at 256. Token counts come from the model's own
tokenizer (see `build_sets`), and the report prints them.

Mixed texts spread their lengths as real traffic does: target token counts
drawn log-uniformly from MIXED_MIN to MIXED_MAX (fixed seed), each text cut
from the running English words or Chinese characters to the longest prefix
within its target, English and Chinese interleaved. A batch of them padded to
its longest row is mostly padding, which the uniform sets hide.
"""
import math
import random

ENGLISH = [
    "The quarterly report shows that revenue grew faster than expected in most regions.",
    "Please remember to water the tomato plants before you leave for the weekend.",
    "The train to the airport was delayed by twenty minutes because of heavy snow.",
    "Our team fixed the login bug and deployed the patch late on Tuesday night.",
    "She borrowed three novels from the library and finished two of them in a week.",
    "The museum opens a new exhibition about ancient maps and early sea voyages.",
    "Customers can return unused items within thirty days if they keep the receipt.",
    "A light breeze carried the smell of fresh bread through the narrow street.",
    "The city council approved a plan to add more bicycle lanes next spring.",
    "He checked the weather forecast twice before deciding to climb the mountain.",
    "The new phone has a brighter screen, a larger battery, and a slower charger.",
    "Scientists measured the water temperature at twelve points along the coast.",
    "The restaurant on the corner serves noodles, dumplings, and strong black tea.",
    "Students must submit their final projects before the end of the month.",
    "The old bridge will be closed for repairs until the middle of next year.",
    "Our search engine ranks documents by how similar their embeddings are to the query.",
    "The children built a small wooden boat and sailed it across the pond.",
    "The hotel offers free breakfast, a quiet garden, and a view of the harbor.",
    "Engineers replaced the cooling fans after the servers started to overheat.",
    "The concert was cancelled, so the band played a short set in the park instead.",
    "Farmers expect a good harvest this year thanks to the long and warm summer.",
    "The recipe asks for two eggs, a cup of flour, and a pinch of salt.",
    "Most visitors arrive in the morning, so the afternoon is usually less crowded.",
    "The doctor recommended more sleep, less coffee, and a short walk every day.",
    "The support team answered every ticket within an hour during the holiday sale.",
    "A sudden storm knocked out the power in several neighborhoods last night.",
    "The translation keeps the meaning of the original poem but changes its rhythm.",
    "Our company will open a second office in the north of the city next year.",
    "The price of fresh vegetables rose sharply after the flood damaged the fields.",
    "The committee will announce the winners of the design contest on Friday.",
    "The robot vacuum cleaned the whole apartment while we were at work.",
    "Nobody noticed that the clock in the hallway had stopped at half past three.",
]

CHINESE = [
    "下午我们讨论了新产品的发布计划。",
    "这家餐厅的牛肉面好吃又便宜。",
    "明早的火车可能因为大雪晚点。",
    "他每晚花一小时学习英语和数学。",
    "图书馆新到了一批历史书籍。",
    "团队昨天修复了登录页面的错误。",
    "这个城市的地铁越来越方便了。",
    "春天到了，公园里的花都开了。",
    "请在月底前把报告发到我的邮箱。",
    "医生建议他少喝咖啡多散步。",
    "这部电影讲了一个寻找家人的故事。",
    "周末会下雨，出门记得带伞。",
    "新手机的屏幕更亮，电池更大。",
    "科学家在海边测量了十二个点的水温。",
    "孩子们做了一条小木船放在池塘里。",
    "这家酒店有免费早餐和安静的花园。",
    "工程师更换了服务器的风扇。",
    "音乐会取消了，乐队在公园表演。",
    "今年夏天很长，农民期待好收成。",
    "这个菜谱需要两个鸡蛋和一杯面粉。",
    "大部分游客上午到，下午人少。",
    "客服在一小时内回复了所有问题。",
    "昨晚的暴风雨让几个小区停电了。",
    "这首诗的翻译保留了原来的意思。",
    "公司明年会在城北开第二个办公室。",
    "洪水以后，蔬菜的价格涨了很多。",
    "委员会周五公布比赛的获奖名单。",
    "我们上班时，机器人打扫了房间。",
    "走廊里的钟停在三点半，没人注意。",
    "搜索引擎按向量相似度给文档排序。",
    "老桥要封闭维修到明年年中。",
    "她借了三本小说，一周读完两本。",
]

LONG_TARGET = 250  # tokens, [CLS] and [SEP] included; below the 256 truncation

MIXED_MIN, MIXED_MAX = 8, 256  # tokens, [CLS] and [SEP] included
MIXED_COUNT = 64  # per language
MIXED_SEED = 2026

SET_NAMES = ("short", "long", "mixed", "short-en", "short-zh", "long-en", "long-zh", "mixed-en", "mixed-zh")


def _long_texts(sentences, count, token_count, joiner):
    """`count` texts, each consecutive sentences (wrapping around) from a
    different start, as many as fit in LONG_TARGET tokens."""
    texts = []
    for start in range(count):
        parts = []
        index = start
        while True:
            candidate = joiner.join(parts + [sentences[index % len(sentences)]])
            if parts and token_count(candidate) > LONG_TARGET:
                break
            parts.append(sentences[index % len(sentences)])
            index += 1
        texts.append(joiner.join(parts))
    return texts


def mixed_targets(count, seed):
    """`count` token targets, log-uniform in [MIXED_MIN, MIXED_MAX]."""
    rng = random.Random(seed)
    low, high = math.log(MIXED_MIN), math.log(MIXED_MAX)
    return [int(round(math.exp(rng.uniform(low, high)))) for _ in range(count)]


def _mixed_texts(units, joiner, targets, token_count):
    """For each target, the longest run of `units` (words or characters,
    starting where the previous text ended, wrapping around) whose text has
    at most that many tokens; at least one unit."""
    texts = []
    start = 0
    for target in targets:
        def text_of(n):
            return joiner.join(units[(start + i) % len(units)] for i in range(n))
        low, high = 1, 1
        while token_count(text_of(high * 2)) <= target and high * 2 <= 4 * MIXED_MAX:
            high *= 2
        high *= 2
        # Binary search: text_of(low) fits (or is the one-unit minimum), text_of(high) may not.
        while high - low > 1:
            middle = (low + high) // 2
            if token_count(text_of(middle)) <= target:
                low = middle
            else:
                high = middle
        texts.append(text_of(low))
        start = (start + low) % len(units)
    return texts


def _interleave(a, b):
    out = []
    for x, y in zip(a, b):
        out.extend([x, y])
    return out


def build_sets(token_count):
    """{set name: [texts]}. `token_count(text)` counts tokens with specials.

    "short" and "long" interleave English and Chinese texts, one after the
    other, so every concurrency level sees both languages."""
    long_en = _long_texts(ENGLISH, len(ENGLISH), token_count, " ")
    long_zh = _long_texts(CHINESE, len(CHINESE), token_count, "")
    words = " ".join(ENGLISH).split(" ")
    characters = list("".join(CHINESE))
    mixed_en = _mixed_texts(words, " ", mixed_targets(MIXED_COUNT, MIXED_SEED), token_count)
    mixed_zh = _mixed_texts(characters, "", mixed_targets(MIXED_COUNT, MIXED_SEED + 1), token_count)
    return {
        "short": _interleave(ENGLISH, CHINESE),
        "long": _interleave(long_en, long_zh),
        "mixed": _interleave(mixed_en, mixed_zh),
        "short-en": list(ENGLISH),
        "short-zh": list(CHINESE),
        "long-en": long_en,
        "long-zh": long_zh,
        "mixed-en": mixed_en,
        "mixed-zh": mixed_zh,
    }


# Texts for the correctness check: short and long, both languages, one that
# is truncated (over 256 tokens), and a few shapes of text.
def check_texts(sets):
    over_long = " ".join(ENGLISH * 2)  # about 500 tokens: exercises truncation
    return [
        sets["short-en"][0], sets["short-zh"][0], sets["short-en"][5], sets["short-zh"][7],
        sets["long-en"][0], sets["long-zh"][3],
        over_long,
        "Hello, Triton!", "你好，世界", "Mixed 中文 and English, numbers 12345 and symbols!",
    ]
