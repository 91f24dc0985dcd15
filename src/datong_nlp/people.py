"""People named without a gazetteer entry, found by what stands around them.

A candidate is a surname (single or compound) and a given name of one or two
characters that ends on a word boundary and is not a common word of the
dictionary.  It is a PERSON when a cue confirms it: a title or byline before it
(`局长张建华`, `（作者：赵一鸣）`), a speech or action verb after it (`李晓东表示`),
a colon after it at the start of a line (a Q&A speaker, `王  磊：` with spaced
characters), or a neighbour in a list joined by `、` that is confirmed.  After a
title a transliterated foreign name (`首席执行官库克`) or a Latin-script name
(`CEO Tim Cook`) is accepted as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import ahocorasick
import regex

from .gazetteer import COMMON_WORD_FREQ, Tags
from .normalize import LONG
from .rules import EntityContext

_LATIN_NAME = regex.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}")
_SPACED = regex.compile(r"(?m)^[ \t\u3000]*(\p{Han}{1,2})[ \u3000]+(\p{Han}{1,2})[ \u3000]*[：:]")
_SPEAKER_END = "：:"
_COLON = re.compile("[：:]")
_HAN_RUN = regex.compile(r"\p{Han}+")
VERY_COMMON_FREQ = 500
_LENGTHS_CACHE = 50_000  # candidate strings remembered at most; then the cache starts again
_JOINERS = ("、", "和", "与", "及", "或", "以及")
NOT_GIVEN = frozenset("你我他她它们的了是在与及或副等这那都也就将把被对从向为以于之其每各该此")


class PersonSpan(NamedTuple):
    """A confirmed name (a named tuple: made several times faster than a frozen dataclass)."""

    start: int
    end: int
    cue: str  # title, byline, verb, speaker, list, foreign, latin


class PeopleFinder:
    """Context-confirmed person names in normalised text."""

    def __init__(self, surnames: tuple[str, ...], titles: tuple[str, ...], context: EntityContext,
                 word_freq: Mapping[str, int], tags: Tags) -> None:
        self.surnames = frozenset(surnames)
        self.surname_max = max((len(s) for s in surnames), default=1)
        heads = sorted({s[0] for s in surnames if len(s) <= 2})  # a candidate starts with one
        self._head_chars = heads
        self._head_lut: Any = None  # heads marked in an array by code point (numpy), made on the first long text
        # the standard library's scan of a plain character class is ~9x faster than regex's
        self.heads = re.compile("[" + "".join(re.escape(c) for c in heads) + "]") if heads else None
        self.titles = tuple(sorted(set(titles), key=len, reverse=True))
        self.automaton: Any = ahocorasick.Automaton()  # every occurrence of every title, in one pass
        for i, title in enumerate(self.titles):
            self.automaton.add_word(title, i)
        if self.titles:
            self.automaton.make_automaton()
        self.title_set = frozenset(titles)
        self._verbs, self._titles = _Affixes(context.verbs, 0), _Affixes(self.titles, -1)
        self._bylines, self._before = _Affixes(context.bylines, -1), _Affixes(context.before, -1)
        self.ctx = context
        self.word_freq = word_freq
        self.tags = tags
        self._key_len = min(self.surname_max, 2) + context.given_name_max  # the characters a candidate can span
        self._lengths: dict[str, tuple[int, ...]] = {}  # text from a start -> `_lengths_of` it

    def find(self, text: str, edges: set[int], blocked: set[int], seeds: dict[int, int] | None = None) -> list[PersonSpan]:
        """Confirmed names; `blocked` are starts of known (gazetteer) names, which are not people;
        `seeds` (start -> end) are people already found by patterns, which confirm a list."""
        candidates = self._candidates(text, edges, blocked)
        found: dict[int, PersonSpan] = {}
        for s, e in candidates.items():
            cue = self._cue(text, s, e)
            if cue is not None:
                found[s] = PersonSpan(s, e, cue)
        for s, e in (seeds or {}).items():
            candidates[s] = e
            found.setdefault(s, PersonSpan(s, e, "pattern"))
        self._lists(text, candidates, found)
        for s, e in (seeds or {}).items():
            if found.get(s) == PersonSpan(s, e, "pattern"):
                del found[s]  # the pattern's own mention stays the pattern's
        for m in _speakers(text):
            surname, given = m.group(1), m.group(2)
            if surname in self.surnames and len(given) <= self.ctx.given_name_max:
                found[m.start(1)] = PersonSpan(m.start(1), m.end(2), "speaker")
        self._after_titles(text, edges, found)
        return sorted(found.values(), key=lambda p: p.start)

    def _candidates(self, text: str, edges: set[int], blocked: set[int]) -> dict[int, int]:
        """Start -> end of each candidate (`_candidate`) at a head on a word boundary, not `blocked`, by start."""
        candidates: dict[int, int] = {}
        known, k = self._lengths, self._key_len
        heads = self._heads(text)
        for s in sorted(edges.intersection(heads).difference(blocked)):
            key = text[s:s + k]
            lengths = known.get(key)
            if lengths is None:
                lengths = self._lengths_of(key)
            for n in lengths:
                if s + n in edges:
                    candidates[s] = s + n
                    break
        return candidates

    def _heads(self, text: str) -> list[int]:
        """Where a head (the first character of a surname) stands in `text`."""
        if self.heads is None:
            return []
        if len(text) < LONG:
            return [m.start() for m in self.heads.finditer(text)]
        import numpy as np

        from . import codepoints  # a long text: one array lookup per character

        if self._head_lut is None:
            self._head_lut = np.zeros(codepoints.CODES, dtype=bool)
            self._head_lut[[ord(c) for c in self._head_chars]] = True
        return np.flatnonzero(self._head_lut[codepoints.code_points(text)]).tolist()

    def _lengths_of(self, key: str) -> tuple[int, ...]:
        """The lengths a candidate at the start of `key` (the text from a head on) may have, first
        the one `_candidate` takes where all end on word boundaries: all that a candidate depends on
        but the boundaries, which alone differ between two places of the same `key`."""
        ends = set(range(1, len(key) + 1))
        lengths = []
        while (e := self._candidate(key, 0, ends)) is not None:
            lengths.append(e)
            ends.discard(e)  # the next one tried at a different end
        if len(self._lengths) >= _LENGTHS_CACHE:
            self._lengths.clear()
        self._lengths[key] = found = tuple(lengths)
        return found

    def _candidate(self, text: str, s: int, edges: set[int]) -> int | None:
        """The end of the name candidate at `s` (the reference that `find` reads through `_lengths_of`)."""
        surnames, titles = self.surnames, self.title_set
        for n in range(min(self.surname_max, 2), 0, -1):
            if text[s:s + n] not in surnames:
                continue
            for g in range(self.ctx.given_name_max, 0, -1):
                e = s + n + g
                if e not in edges or e > len(text) or not _HAN_RUN.fullmatch(text, s, e):
                    continue
                given = text[s + n:e]
                if not NOT_GIVEN.isdisjoint(given) or given in titles:
                    continue  # 黄议员: a surname and a title, not a name
                if self._common(text[s:e]):  # (a given name may be a word: 建军, 志强)
                    continue
                return e
        return None

    def _common(self, word: str) -> bool:
        """A dictionary word that is not a person's name (同时, 高速)."""
        freq = self.word_freq.get(word) or 0
        if freq >= VERY_COMMON_FREQ:
            return True  # 谢谢: whatever its tag says
        if freq < COMMON_WORD_FREQ:
            return False
        return not (self.tags.get(word) or "").startswith("nr")

    def _cue(self, text: str, s: int, e: int) -> str | None:
        if self._verbs.starts(text, e):
            return "verb"
        if e < len(text) and text[e] in _SPEAKER_END and (s == 0 or text[s - 1] == "\n" or _line_starts(text, s)):
            return "speaker"
        before = text[max(0, s - 8):s].rstrip(" \u3000")
        if self._titles.ends(before):
            return "title"
        if self._bylines.ends(before):
            return "byline"
        if self._before.ends(before):
            return "before"
        return None

    def _lists(self, text: str, candidates: dict[int, int], found: dict[int, PersonSpan]) -> None:
        """Names joined by `、` (or 和 与 及 或) with a confirmed one are all confirmed."""
        chains: list[list[int]] = []
        for s in sorted(candidates):
            if chains and text[candidates[chains[-1][-1]]:s] in _JOINERS:
                chains[-1].append(s)
            else:
                chains.append([s])
        for chain in chains:
            listed = text.startswith("等", candidates[chain[-1]])  # 刘建国、孙丽华等
            if len(chain) > 1 and (listed or any(s in found for s in chain)):
                for s in chain:
                    found.setdefault(s, PersonSpan(s, candidates[s], "list"))

    def _after_titles(self, text: str, edges: set[int], found: dict[int, PersonSpan]) -> None:
        """Foreign names after a title: a run of transliteration characters, or Latin words."""
        at: list[list[int]] = [[] for _ in self.titles]  # per title, where it occurs
        for end, i in self.automaton.iter(text) if self.titles else ():
            at[i].append(end + 1 - len(self.titles[i]))
        for title, places in zip(self.titles, at, strict=True):
            for pos in places:
                s = pos + len(title)
                while s < len(text) and text[s] in " \u3000":
                    s += 1
                if s not in found:
                    m = _LATIN_NAME.match(text, s)
                    if m:
                        found[s] = PersonSpan(s, m.end(), "latin")
                    else:
                        e = s
                        while e < len(text) and text[e] in self.ctx.foreign_chars and e - s < 6:
                            e += 1
                        while e - s >= 2 and e not in edges:
                            e -= 1
                        if e - s >= 2 and not self._common(text[s:e]) and text[s:s + 1] not in self.surnames:
                            found[s] = PersonSpan(s, e, "foreign")


def _speakers(text: str) -> list[regex.Match[str]]:
    """`_SPACED.finditer(text)`, tried only at the start of a line that holds a colon: a match starts a
    line and ends at a colon within it (none of its characters is a line break)."""
    lines: list[int] = []
    end = -1  # where the line of the last colon ends
    for c in _COLON.finditer(text):
        if c.start() > end:  # each line is read once back and once forward
            lines.append(text.rfind("\n", 0, c.start()) + 1)
            end = text.find("\n", c.start())
            end = len(text) if end < 0 else end
    return [m for pos in lines if (m := _SPACED.match(text, pos)) is not None]


def _line_starts(text: str, s: int) -> bool:
    """Whether only white space (space, tab, ideographic space) lies between the last line break before
    `s` and `s`: `text[:s].rstrip(" \t\u3000").endswith("\n")`, read back no further than needed."""
    i = s - 1
    while i >= 0 and text[i] in " \t\u3000":
        i -= 1
    return i >= 0 and text[i] == "\n"


class _Affixes:
    """`text.startswith(words, pos)` and `text.endswith(words)`, trying only the words whose first (`at`
    0) or last (`at` -1) character is there."""

    def __init__(self, words: tuple[str, ...], at: int) -> None:
        self.words = words
        self.by_char: dict[str, tuple[str, ...]] | None = None  # None: an empty word, which is everywhere
        if all(words):
            grouped: dict[str, list[str]] = {}
            for word in words:
                grouped.setdefault(word[at], []).append(word)
            self.by_char = {c: tuple(group) for c, group in grouped.items()}

    def starts(self, text: str, pos: int) -> bool:
        if self.by_char is None:
            return text.startswith(self.words, pos)
        return text.startswith(self.by_char.get(text[pos:pos + 1], ()), pos)

    def ends(self, text: str) -> bool:
        if self.by_char is None:
            return text.endswith(self.words)
        return text.endswith(self.by_char.get(text[-1:], ()))
