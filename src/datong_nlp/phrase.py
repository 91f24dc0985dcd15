"""Phrase structure of a figure's property, from jieba's part-of-speech tags.

The property cutter (claims.py) takes the words around a figure; this module
reads their structure: it drops function words at the ends (`涨幅在` -> `涨幅`,
`销量有望` -> `销量`), distributes listed subjects over listed figures after
`分别`, and names the compared indicator of a difference (`高于全国1.4个百分点`).
Word classes are the tags of jieba's dictionary (the words of the segmenter's
own tokenizer); the data are in `rules/phrase.yaml`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import regex

from .lexicon import TagView
from .rules.phrase_file import PhraseRules
from .segment import Segmenter, lexicon

T = TypeVar("T")
_CONJUNCTION = regex.compile(r"和|及|与|以及")
TOKEN_CACHE = 50_000  # tagged phrases kept (cleared when full); as many of each memoised answer


def remember(cache: dict[str, T], key: str, value: T) -> T:
    """`value`, kept in `cache` under `key` (the cache emptied first when it holds TOKEN_CACHE)."""
    if len(cache) >= TOKEN_CACHE:
        cache.clear()
    cache[key] = value
    return value


@lru_cache(maxsize=4)
def dictionary_tags(tags: frozenset[str]) -> TagView:
    """Word -> tag (`get`) of the words of jieba's dictionary whose tag is one of `tags`."""
    return TagView(lexicon(), lambda _freq, tag: tag in tags)


class PhraseChunker:
    """Tags the words of a property with jieba's tokenizer and dictionary, and reshapes it."""

    def __init__(self, rules: PhraseRules, segmenter: Segmenter) -> None:
        self.rules = rules
        self.segmenter = segmenter
        self._tags: TagView | None = None
        self._tokens: dict[str, tuple[tuple[str, str], ...]] = {}  # phrase -> its tagged words
        # answers of the pure functions of a phrase the property stage asks for every figure
        self._cleaned: dict[str, str | None] = {}
        self._stripped: dict[str, str] = {}
        self._no_adverbs: dict[str, str] = {}

    @property
    def tags(self) -> TagView:
        if self._tags is None:  # loaded on first use: start-up without a claim pays nothing
            self._tags = dictionary_tags(self.rules.function_tags | self.rules.verb_tags | {"f"})
        return self._tags

    def tokens(self, phrase: str) -> list[tuple[str, str]]:
        """(word, tag) of `phrase`; a word outside the tagged classes is a noun (`n`).  A phrase that
        is itself a dictionary word is that one word (市地, not 市 + the particle 地)."""
        cached = self._tokens.get(phrase)
        if cached is not None:  # a property is tagged several times (clean, strip, is_fragment)
            return list(cached)
        if len(phrase) > 1 and self.segmenter.freq.get(phrase):
            out = [(phrase, self.tags.get(phrase, "n"))]
        else:
            out = [(w, self.tags.get(w, "n")) for w in self.segmenter.cut_dictionary_only(phrase) if w.strip()]
        if len(self._tokens) >= TOKEN_CACHE:
            self._tokens.clear()
        self._tokens[phrase] = tuple(out)
        return out

    def nounish(self, word: str, tag: str) -> bool:
        """Whether a tagged word can belong to a noun phrase (not a function word, verb or locative)."""
        return tag not in self.rules.function_tags and tag not in self.rules.verb_tags and tag != "f"

    def _function_end(self, word: str, tag: str) -> bool:
        return word not in self.rules.keep and (tag in self.rules.function_tags or word in self.rules.drop_trailing)

    def is_fragment(self, prop: str | None) -> bool:
        """Whether `prop` names nothing: words without a noun (`可减少排放`), or a preposition,
        adverb or particle at its end (`在`, `有望`, `分别`, `了`); a change word at the end is
        right (`增加值增长`), and one verb word names an activity (`就业`)."""
        if not prop:
            return False
        toks = self.tokens(prop)
        if not toks:
            return False
        if len(toks) > 1 and not any(self.nounish(w, t) for w, t in toks) and prop not in self.rules.keep:
            return True  # a verb phrase (可减少排放); one verb word names an activity (就业, 停电)
        return self._function_end(*toks[-1])

    def clean(self, prop: str | None) -> str | None:
        """`prop` without function words at its ends; None when what is left names nothing."""
        if not prop:
            return prop
        if prop in self._cleaned:  # None is an answer too
            return self._cleaned[prop]
        return remember(self._cleaned, prop, self._clean(prop))

    def _clean(self, prop: str) -> str | None:
        out = self.strip(prop)
        if out in self.rules.keep:
            return out
        if len(out) < 2 or not any(self.nounish(w, t) for w, t in self.tokens(out)):
            return None
        return out

    def strip(self, prop: str) -> str:
        """`prop` without function words at its ends (what is left may be only verbs: 就业)."""
        cached = self._stripped.get(prop)
        return cached if cached is not None else remember(self._stripped, prop, self._strip(prop))

    def _strip(self, prop: str) -> str:
        toks = self.tokens(prop)
        while toks and self._function_end(*toks[-1]):
            toks.pop()
        # leading adverbs, conjunctions, particles and prepositions go (也增加了 -> 增加, 在销量 -> 销量),
        # except a preposition that opens a phrase modifying a noun (跟旅客有关的总消费); a leading
        # time-tagged word is a modifier (过夜游客)
        while toks and toks[0][1] in self.rules.function_tags - {"t"} and toks[0][0] not in self.rules.keep:
            if toks[0][1] == "p" and any(w == "的" for w, _ in toks[2:]):
                break
            toks.pop(0)
        return "".join(w for w, _ in toks)

    def opens_with_verb(self, phrase: str) -> bool:
        """Whether `phrase` opens with a verb (被判入狱): a predicate, not a noun phrase (重大应用, 市地)."""
        toks = self.tokens(phrase)
        return bool(toks) and toks[0][1].startswith("v")

    def opening(self, words: str) -> str:
        """The words `words` opens with, up to its first adverb, preposition or conjunction
        (本港人口比重将维持不变 -> 本港人口比重)."""
        toks = self.tokens(words)
        n = next((i for i, (_, t) in enumerate(toks) if t in self.rules.function_tags and not t.startswith("u")
                  and t != "t"), len(toks))
        return self.strip("".join(w for w, _ in toks[:n])) if n else ""

    def drop_adverbs(self, prop: str) -> str:
        """`prop` without the one-character adverbs inside it (英国还剩下 -> 英国剩下, 改建就讨论 ->
        改建讨论); negations and degree words (`keep`: 不, 最) stay."""
        cached = self._no_adverbs.get(prop)
        return cached if cached is not None else remember(self._no_adverbs, prop, self._drop_adverbs(prop))

    def _drop_adverbs(self, prop: str) -> str:
        toks = self.tokens(prop)
        out = [w for i, (w, t) in enumerate(toks)
               if not (0 < i < len(toks) - 1 and len(w) == 1 and t == "d" and w not in self.rules.keep)]
        return "".join(out)

    def respectively(self, subjects: str, change: str, count: int, index: int) -> str | None:
        """The property of figure `index` of `count` listed after `分别`, from the list of subjects
        before it (`汽车、电子、化工行业增加值` -> `汽车行业增加值`) and the change word between
        (`增长`); when the counts differ, the shared head.  None when there is no list."""
        items = subjects.split("、")
        if len(items) < 2:  # 甲县及乙县的污染量分别为…: two subjects joined by a conjunction
            items = _CONJUNCTION.split(subjects, maxsplit=1)
            if len(items) < 2:
                return None
        else:
            items[-1:] = _CONJUNCTION.split(items[-1], maxsplit=1)
        items[0] = self._last_phrase(items[0])
        head = ""
        if self.rules.list_item_end in items[-1]:  # 光伏电池等绿色低碳产品产量: the category's noun
            item, _, category = items[-1].partition(self.rules.list_item_end)
            items[-1], head = item, self._head_noun(category)
        elif "的" in items[-1]:  # 小学、中学的寄宿学生: the noun after 的 is every item's
            items[-1], _, head = items[-1].rpartition("的")
        else:
            # 家具类、家电类和通讯器材零售额: the last item ends with the indicator all share
            word = next((w for w in self.rules.heads if items[-1].endswith(w) and len(items[-1]) > len(w)), "")
            if word and not items[0].endswith(word):
                items[-1], head = items[-1][: -len(word)], word
            # 汽车、电子、化工行业增加值: items as long as the first, where a word starts (not 通讯器|材)
            n = len(items[0])
            rest = items[-1][n:]
            if rest and (n in self._boundaries(items[-1]) or (len(rest) > 1 and self.segmenter.freq.get(rest))):
                items[-1], head = items[-1][:n], items[-1][n:] + head
        head = head.removeprefix("的")
        change = change if change in self.rules.keep else ""
        if len(items) != count or not all(items):
            return head + change if head else None
        return items[index] + head + change

    def subject(self, clause: str) -> str | None:
        """The noun phrase a clause opens with (`全省地区生产总值连跨…` -> `全省地区生产总值`), or None."""
        toks = self.tokens(clause)
        n = next((i for i, (w, t) in enumerate(toks) if not self.nounish(w, t)), len(toks))
        phrase = "".join(w for w, _ in toks[:n])
        return phrase if len(phrase) > 1 and n < len(toks) else None

    def _boundaries(self, words: str) -> set[int]:
        """The offsets in `words` where one of its dictionary words ends."""
        ends, pos = set(), 0
        for w in self.segmenter.cut_dictionary_only(words):
            pos += len(w)
            ends.add(pos)
        return ends

    def _head_noun(self, phrase: str) -> str:
        """The shortest dictionary word (two characters or more) that ends `phrase` (建材产品产量 -> 产量)."""
        for i in range(len(phrase) - 2, -1, -1):
            if self.segmenter.freq.get(phrase[i:]):
                return phrase[i:]
        return phrase

    def _last_phrase(self, words: str) -> str:
        """The noun phrase at the end of `words` (after its last verb, preposition or locative; a
        one-character preposition inside a noun run stays: 娱乐用品类)."""
        toks = self.tokens(words)
        nouns = [self.nounish(w, t) for w, t in toks]

        def inside(i: int) -> bool:  # one character between two nouns (娱乐|用|品类)
            return len(toks[i][0]) == 1 and 0 < i < len(toks) - 1 and nouns[i - 1] and nouns[i + 1]

        cut = max((i + 1 for i in range(len(toks)) if not nouns[i] and not inside(i)), default=0)
        return "".join(w for w, _ in toks[cut:]) or words

    def difference(self, words: str, unit: str, previous: str | None) -> str | None:
        """`previous` + the comparison (`高于全国`) when `words` before a difference figure
        (`N个百分点`, `N倍`) open with a difference word; else None."""
        if not previous or unit not in self.rules.difference_units:
            return None
        word = next((w for w in self.rules.differences if words.startswith(w)), None)
        return previous + words if word else None


def fragment_report(pred_dir: Path, chunker: PhraseChunker) -> str:
    """One line: how many properties of the JSON outputs below `pred_dir` hold no noun or end in a
    preposition, adverb or particle, and the most frequent of them."""
    import json
    from collections import Counter

    props = [c.get("property") for path in sorted(pred_dir.rglob("*.json"))
             for c in json.loads(path.read_text(encoding="utf-8")).get("claims", [])]
    props = [p for p in props if p]
    bad = Counter(p for p in props if chunker.is_fragment(p))
    share = sum(bad.values()) / len(props) if props else 0.0
    top = ", ".join(f"{p} ×{n}" for p, n in bad.most_common(8))
    return (f"properties that are function words or fragments: {share:.3f} ({sum(bad.values())}/{len(props)})"
            + (f": {top}" if top else ""))

