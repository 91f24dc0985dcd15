"""Gazetteer matching on word boundaries (Aho-Corasick), and the segmenter's part-of-speech tags.

An alias matches only where the segmenter's words start and end, as spaCy's
PhraseMatcher matches token sequences.  An alias that the dictionary reads as
two or more common words (中国 + 风电) is a name only when no noun follows it:
`中国风电装机` is about wind power in China, `中国风电宣布` about the company.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from .anchors import folded_automaton
from .lexicon import TagView
from .normalize import LONG  # texts this long are folded through a code-point array
from .rules import GazetteerEntry
from .segment import lexicon

COMMON_WORD_FREQ = 100  # jieba dictionary frequency from which a word is a common word
MIN_FREQ = 10  # rarer dictionary words carry no tag here (they count as unknown, like names)
PART_FREQ = 20  # a part of a compositional alias is a dictionary word at least this frequent
_NOUN_TAGS = ("n", "nz", "ng", "nl", "an")
_RANK = 10**9  # a character's count in the first text weighs more than any dictionary frequency
# a name ending in one of these is a body whatever follows (国家统计局数据): never compositional
_BODY_ENDS = ("局", "部", "委", "会", "院", "署", "厅", "办", "处", "司", "行", "党", "社", "所",
              "中心", "集团", "公司", "大学")


class Tags:
    """Part-of-speech tags of jieba's dictionary words of frequency >= MIN_FREQ (rarer words count
    as unknown, like names), read word by word from the dictionary the segmenter read."""

    def __init__(self, dictionary: Path | None = None) -> None:
        self._path = dictionary
        self._view: TagView | None = None

    def get(self, word: str) -> str | None:
        """The tag of `word` (nr, ns, n, v, ...), or None when the dictionary lacks it."""
        if self._view is None:
            self._view = TagView(lexicon(self._path), lambda freq, _tag: freq >= MIN_FREQ)
        return self._view.get(word)

    def is_noun(self, word: str) -> bool:
        return (self.get(word) or "").startswith(_NOUN_TAGS)


class AliasHit(NamedTuple):
    start: int
    end: int
    alias: str
    entry: GazetteerEntry


new_tuple = tuple.__new__  # a named tuple from its fields' tuple, without its Python-level `__new__` (4x faster)


class Replay:
    """Stands for an Aho-Corasick automaton whose matches in one text another pass found already:
    `iter` of that very text gives them, `iter` of any other text what the automaton itself finds."""

    def __init__(self, automaton: Any) -> None:
        self.automaton = automaton
        self.text: str | None = None
        self.hits: list[tuple[int, Any]] = []

    def iter(self, text: str, *window: int) -> Iterator[tuple[int, Any]]:
        """The automaton's `iter(text, start, end)`: the pass's hits when it is the whole of that text."""
        whole = text is self.text and (not window or window == (0, len(text)))
        return iter(self.hits) if whole else self.automaton.iter(text, *window)


class AliasMatcher:
    """Every gazetteer alias in a text, on word boundaries, by one Aho-Corasick pass."""

    def __init__(self, aliases: Mapping[str, GazetteerEntry], word_freq: Mapping[str, int], tags: Tags,
                 titles: frozenset[str] = frozenset(), variants: Mapping[str, str] | None = None,
                 riders: Sequence[Any] = ()) -> None:
        """`word_freq`: the segmenter's dictionary frequencies; `titles`: nouns that may follow
        any name (国家电网董事长); `variants`: characters read as another (one to one) before matching;
        `riders`: other automata (pyahocorasick, of plain words) whose matches the same pass finds:
        `self.riders` stand for them (`Replay`), each fed by `find` for the text it reads."""
        self.aliases = aliases
        self.titles = titles
        self.tags = tags
        self.variants = {ord(k): ord(v) for k, v in (variants or {}).items()}
        self.riders = [Replay(a) for a in riders]
        changed = set(self.variants) | set(self.variants.values())
        # per word as the pass reads it: (rider, value, the word to check in the text or None)
        self.extra: dict[str, list[tuple[Replay, Any, str | None]]] = {}
        for rider in self.riders:
            for word, value in rider.automaton.items():
                key = word.translate(self.variants)  # a variant matches as its standard form: check
                check = word if any(ord(c) in changed for c in word) else None
                self.extra.setdefault(key, []).append((rider, value, check))
        self.words = [*aliases, *(w for w in self.extra if w not in aliases)]
        self.word_freq = word_freq
        self.automaton: Any = None  # built on the first text (`_build`)
        self.fold: list[int] | dict[int, int] = {}
        self.pre: dict[int, int] | None = self.variants  # applied before the fold, unless folded into it
        self._fold_lut: Any = None  # the fold as a code-point array (numpy), made on the first long text
        self.compositional = {a for a, e in aliases.items()
                              if e.type != "GPE" and not a.endswith(_BODY_ENDS) and _compositional(a, word_freq)}
        # a county's short form (惠民 of 惠民县) before a noun is a word of the phrase (惠民工程), not the county
        self.compositional |= {a for a, e in aliases.items() if e.level == "county" and a != e.aliases[0]
                               and (word_freq.get(a) or 0) >= PART_FREQ}
        info = {a: (len(a), e, a in self.compositional) for a, e in aliases.items()}  # what `find` asks of a hit
        # per word the automaton finds: the alias's (length, entry, compositional) and the riders' words, or None
        self._table = {w: (info.get(w), self.extra.get(w)) for w in self.words}

    def __len__(self) -> int:
        return len(self.aliases)

    def folded(self, text: str) -> str:
        """`text` as the automaton reads it: variants in their standard form, then the fold."""
        if self.automaton is None:
            self._build(text)
        if self.pre is not None:
            text = text.translate(self.pre)
        if len(text) < LONG or not isinstance(self.fold, list):
            return text.translate(self.fold)
        from . import codepoints  # numpy: an array lookup per character is a fraction of translate's

        if self._fold_lut is None:
            self._fold_lut = codepoints.identity()
            self._fold_lut[:len(self.fold)] = self.fold
        return codepoints.translate(text, self._fold_lut)

    def _build(self, text: str) -> None:
        """The automaton and the fold, made for the first text read: pyahocorasick looks a node's children
        up one by one, so the root's come in the order of how often that text, when long, holds their
        characters (a domain's own, digits, Latin letters), else of the dictionary's frequencies.
        The hits are the same in any order."""
        rank = self.word_freq
        if len(text) >= LONG:
            import numpy as np

            from . import codepoints

            codes = codepoints.code_points(text.translate(self.variants))
            counts = np.bincount(codes[codes < 0x10000], minlength=0x10000)
            rank = {c: int(counts[ord(c)]) * _RANK + min(self.word_freq.get(c) or 0, _RANK - 1)
                    for c in set("".join(self.words)) if ord(c) < 0x10000}
        self.automaton, self.fold = folded_automaton(self.words, rank)
        if isinstance(self.fold, list) and all(k < len(self.fold) for k in self.variants):
            plain = list(self.fold)
            for k, v in self.variants.items():  # one table: the variant's standard form, then the fold
                self.fold[k] = plain[v] if v < len(plain) else v
            self.pre = None

    def find(self, text: str, edges: set[int], words: Sequence[tuple[int, int]] | None = None,
             require_end: bool = True) -> list[AliasHit]:
        """Aliases starting and ending on word boundaries (`require_end=False`: starting on one), in the
        order the automaton finds them; `words` are the (start, end) of the words, sorted (for the
        compositional check).  The riders' hits in `text` go to the riders, from the same pass."""
        if not self.aliases:
            return []
        folded = self.folded(text)  # first, as it builds the automaton on the first text
        if self.extra:
            for rider in self.riders:
                rider.text, rider.hits = text, []
        out, table, startswith = [], self._table, text.startswith
        for end_index, word in self.automaton.iter(folded):
            info, extra = table[word]  # one lookup per hit: the alias's, and the riders' words there
            if extra is not None:
                for rider, value, check in extra:
                    if check is None or startswith(check, end_index + 1 - len(check)):
                        rider.hits.append((end_index, value))
            if info is None:
                continue  # a rider's word only
            length, entry, compositional = info
            end = end_index + 1
            start = end - length
            if start not in edges or (require_end and end not in edges):
                continue
            if compositional and words is not None:
                nxt = word_end(words, end)
                if nxt is not None and (following := text[end:nxt].translate(self.variants)) not in self.titles \
                        and self.tags.is_noun(following):
                    continue  # 中国风电装机: the noun goes on
            out.append(new_tuple(AliasHit, (start, end, word, entry)))
        return out


@contextmanager
def adding(edges: set[int], extra: set[int]) -> Iterator[None]:
    """`edges` (word boundaries) with `extra` (positions not in it) added for the block, taken out after
    it: no copy of a large set."""
    edges.update(extra)
    try:
        yield
    finally:
        edges.difference_update(extra)


def word_end(words: Sequence[tuple[int, int]], pos: int) -> int | None:
    """The end of the word of `words` (sorted (start, end) spans) that starts at `pos`, or None."""
    i = bisect.bisect_left(words, (pos,))
    return words[i][1] if i < len(words) and words[i][0] == pos else None


def tail_is_word(text: str, end: int, words: Sequence[tuple[int, int]], word_freq: Mapping[str, int]) -> bool:
    """Whether a name may end at `end` inside a word of `words` (sorted (start, end) spans): the rest of
    that word is a common word of its own (全国人大|代表 of 人大代表, 大同市委|书记 of 市委书记)."""
    i = bisect.bisect_left(words, (end + 1,)) - 1  # the last word starting at or before `end`
    if i < 0 or words[i][1] <= end:
        return False
    tail = text[end:words[i][1]]
    return len(tail) >= 2 and (word_freq.get(tail) or 0) >= COMMON_WORD_FREQ


def _compositional(alias: str, word_freq: Mapping[str, int]) -> bool:
    """Whether `alias` is two dictionary words of two or more characters each (中国 + 风电)."""
    return any((word_freq.get(alias[:k]) or 0) >= PART_FREQ and (word_freq.get(alias[k:]) or 0) >= PART_FREQ
               for k in range(2, len(alias) - 1))
