"""Small pieces the claim stages share: a decision with its rule, span merging, cue lookup, affixes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import regex

from ..normalize import LONG  # texts this long are masked through code-point arrays: 4-5 times faster
from ..phrase import remember
from ..types import one_update

HAN = regex.compile(r"[\p{Han}·A-Za-z]+")  # Latin letters too: GDP, PM
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

@one_update
@dataclass(frozen=True)
class Decision(Generic[T_co]):
    """What a stage decided for one figure and the id of the rule that decided it (None: the default).
    Built by `types.one_update` (several per figure)."""

    value: T_co
    rule: str | None = None


NO_DECISION: Decision[None] = Decision(None)  # no value, by no rule: one shared (a decision never changes)

def space_before(text: str, pos: int) -> int:
    """The offset where the run of whitespace ending at `pos` starts."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos

def space_after(text: str, pos: int) -> int:
    """The offset after the run of whitespace starting at `pos`."""
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos

def word_before(text: str, pos: int, words: Mapping[str, T], longest: int) -> tuple[str, T] | None:
    """The longest of `words` (at most `longest` characters) ending at `pos`, with its value."""
    for length in range(min(longest, pos), 0, -1):
        word = text[pos - length:pos]
        if word in words:
            return word, words[word]
    return None

def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters (touching ones joined)."""
    out: list[tuple[int, int]] = []
    if not spans:
        return out
    ordered = iter(sorted(spans))
    start, end = next(ordered)
    for s, e in ordered:  # the span being built is out only once the next one starts after it
        if s > end:
            out.append((start, end))
            start, end = s, e
        elif e > end:
            end = e
    out.append((start, end))
    return out


_HIDDEN = "\0"  # what stands for a character no property shows, in `Visible.masked`
_NOT_HAN = regex.compile(r"[^\p{Han}·A-Za-z]")  # one character outside HAN's class
_SHOWN = regex.compile("[^\0]+")


class Visible:
    """The characters of one text that a property may show, for any span: the text with every
    character outside HAN's class or inside a `hidden` span masked, so a span's characters are a
    slice of it."""

    def __init__(self, text: str, hidden: list[tuple[int, int]]) -> None:
        masked = mask(text)
        pieces: list[str] = []
        add, pos, n = pieces.append, 0, len(text)
        for s, e in hidden:  # one span per figure and time: comparisons, not max() and min()
            if s < pos:
                s = pos
            if e > n:
                e = n
            if s < e:
                add(masked[pos:s])
                add(_HIDDEN * (e - s))
                pos = e
        add(masked[pos:])
        self.masked = "".join(pieces)

    def words(self, start: int, end: int) -> str:
        """The shown characters of text[start:end], joined."""
        return self.masked[start:end].replace(_HIDDEN, "")

    def positions(self, start: int, end: int) -> list[int]:
        """The offsets of the shown characters of text[start:end]."""
        return [k for m in _SHOWN.finditer(self.masked, start, max(start, end)) for k in range(m.start(), m.end())]


_IN_CLASS: list[Any] = []  # per code point: 0 not known yet, 1 in HAN's class, 2 not


def mask(text: str, long: int = LONG) -> str:
    """`text` with every character outside HAN's class replaced by `_HIDDEN`."""
    if len(text) < long:
        return _NOT_HAN.sub(_HIDDEN, text)
    import numpy as np

    from .. import codepoints

    if not _IN_CLASS:
        _IN_CLASS.append(np.zeros(codepoints.CODES, dtype=np.uint8))
    shown = _IN_CLASS[0]
    codes = codepoints.code_points(text)
    for cp in codepoints.distinct(codes[shown[codes] == 0]):  # each code point classified once per process
        shown[cp] = 2 if _NOT_HAN.match(chr(cp)) else 1
    return codepoints.from_code_points(np.where(shown[codes] == 1, codes, ord(_HIDDEN)))


class Lazy:
    """The list `make()` returns, made on first indexing."""

    def __init__(self, make: Callable[[], list[int]]) -> None:
        self.make = make
        self.items: list[int] | None = None

    def __getitem__(self, i: int) -> int:
        if self.items is None:
            self.items = self.make()
        return self.items[i]


def alternation(words: Sequence[str]) -> regex.Pattern[str]:
    """One pattern matching any of `words`, tried in their order."""
    return regex.compile("|".join(map(regex.escape, words)) or "(?!)")


def last_match(pattern: regex.Pattern[str], text: str, start: int, end: int) -> int:
    """The offset of the last match of the reverse `pattern` in text[start:end], or -1."""
    m = pattern.search(text, start, end) if start < end else None
    return m.start() if m else -1


class Affixes:
    """Words stripped repeatedly from one end of a string, longest first, keeping at least one
    character: one compiled alternation instead of a loop over the words."""

    def __init__(self, words: tuple[str, ...], leading: bool) -> None:
        self.leading = leading
        ordered = sorted(words, key=len, reverse=True)
        self.pattern = regex.compile("|".join(regex.escape(w if leading else w[::-1]) for w in ordered) or "(?!)")
        self._stripped: dict[str, str] = {}

    def strip(self, words: str) -> str:
        """`words` without any of the affixes repeated at its start (or end)."""
        cached = self._stripped.get(words)
        return cached if cached is not None else remember(self._stripped, words, self._strip(words))

    def _strip(self, words: str) -> str:
        s = words if self.leading else words[::-1]
        pos = 0
        while len(s) - pos > 1 and (m := self.pattern.match(s, pos, len(s) - 1)) and m.end() > pos:
            pos = m.end()  # the match ends before the last character: one is always left
        if not pos:
            return words
        return s[pos:] if self.leading else s[pos:][::-1]
