"""Small pieces the claim stages share: a decision with its rule, span merging, cue lookup."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import regex

HAN = regex.compile(r"[\p{Han}·A-Za-z]+")  # Latin letters too: GDP, PM
T = TypeVar("T")

@dataclass(frozen=True)
class Decision(Generic[T]):
    """What a stage decided for one figure and the id of the rule that decided it (None: the default)."""

    value: T
    rule: str | None = None

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
    """Sorted, disjoint spans covering the same characters."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def visible(text: str, start: int, end: int, hidden: list[tuple[int, int]]) -> list[int]:
    """Offsets of the Han characters of text[start:end] outside the (sorted, disjoint) `hidden` spans."""
    out: list[int] = []
    pos = start
    i = max(0, bisect.bisect_right(hidden, (start, start)) - 1)
    while pos < end:
        while i < len(hidden) and hidden[i][1] <= pos:
            i += 1
        if i < len(hidden) and hidden[i][0] <= pos:
            pos = hidden[i][1]
            continue
        stop = min(end, hidden[i][0]) if i < len(hidden) else end
        for m in HAN.finditer(text, pos, stop):
            out.extend(range(m.start(), m.end()))
        pos = stop
    return out
