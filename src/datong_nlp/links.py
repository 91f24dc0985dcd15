"""Mention ids, the sentence of each claim and the entities in it: the keys that join a figure
to "which company, which city" in a table."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    from .types import Document

# sentence ends in the original text, in both widths (the layout stage sees them folded)
_ENDS = "。｡！？!?\n\r"
_END_RE = re.compile("[" + re.escape(_ENDS) + "]")  # the standard library's: it lists them faster
_LAST_END_RE = regex.compile("[" + regex.escape(_ENDS) + "]", regex.REVERSE)  # searches from the right
_LOOKBACK = 4000  # a sentence is cut at this many characters before its claim at most


def claim_id(n: int) -> str:
    """The id of the `n`-th claim of a document (0-based): c0001, c0002, …"""
    return "c" + str(n + 1).zfill(4)  # f"c{n + 1:04d}" (zfill: without parsing a format spec)


def mention_id(n: int) -> str:
    """The id of the `n`-th entity mention of a document (0-based): e0001, e0002, …"""
    return "e" + str(n + 1).zfill(4)


class _NextEnd:
    """The first sentence end at or after a position; asked in increasing order, it scans each part of
    the text once (a 20 MB text without any end mark stays linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.asked, self.found = -1, -1  # no end mark lies in [asked, found)

    def __call__(self, pos: int) -> int:
        if not self.asked <= pos <= self.found:
            m = _END_RE.search(self.text, pos)
            self.asked, self.found = pos, (len(self.text) if m is None else m.start())
        return self.found


def sentence_span(text: str, start: int, end: int, next_end: _NextEnd | None = None) -> tuple[int, int]:
    """[start, end) of the sentence of `text` holding the span `start:end`: from after the previous
    sentence end (。！？!? or a line break) to its own end mark included, surrounding white space
    left out; cut 4,000 characters before and after the span where no end mark comes sooner."""
    lo = max(0, start - _LOOKBACK)
    last = _LAST_END_RE.search(text, lo, start)  # the last end mark before the span (one scan, not one per mark)
    s = last.start() + 1 if last else lo
    return _sentence(text, s, (next_end or _NextEnd(text))(max(end, s)), end)


def _sentence(text: str, s: int, mark: int, end: int) -> tuple[int, int]:
    """The sentence from `s` (after the previous end mark, or the look-back cut) to the end `mark` (its
    position, or the text's end) of a span ending at `end`: cut `_LOOKBACK` after the span, the end
    mark included, surrounding white space left out."""
    e = mark
    if e > end + _LOOKBACK:
        e = end + _LOOKBACK  # a sentence without an end in sight is cut
    elif e < len(text) and text[e] not in "\n\r":
        e += 1  # the end mark belongs to the sentence
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def link(doc: Document, claim_base: int = 0, entity_base: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The added fields of each claim (`id`, `sentence`, `entity_refs`) and of each entity mention
    (`mention_id`) of `doc`, whose claims and entities are numbered from `claim_base` and
    `entity_base` on (a part of a longer text continues the numbering of the parts before it)."""
    ids = mention_ids(entity_base, len(doc.entities))
    claims = [{"id": claim_id(claim_base + i), "sentence": [s, e], "entity_refs": refs}
              for i, (s, e, refs) in enumerate(claim_links(doc, ids))]
    return claims, [{"mention_id": m} for m in ids]


def mention_ids(base: int, n: int) -> list[str]:
    """The ids of `n` entity mentions numbered from `base` on."""
    return [mention_id(j) for j in range(base, base + n)]


def claim_links(doc: Document, ids: list[str]) -> list[tuple[int, int, list[str]]]:
    """Per claim of `doc`: its sentence (`sentence_span`) and the ids (of `ids`, one per entity) of
    the entities inside it.  The end marks around the claims are listed once (the sentences of
    claims `_LOOKBACK` apart at most reach no further), then each claim's are found by bisection."""
    claims, entities, text = doc.claims, doc.entities, doc.text
    if not claims:
        return []
    lo = max(0, min(c.start for c in claims) - _LOOKBACK)
    hi = max(c.end for c in claims) + _LOOKBACK + 1  # every mark up to a claim's end + _LOOKBACK is listed
    marks = [m.start() for m in _END_RE.finditer(text, lo, hi)]
    starts = [e.start for e in entities]
    left, n, n_marks = bisect.bisect_left, len(text), len(marks)
    out = []
    for c in claims:
        start, end = c.start, c.end
        i = left(marks, start)  # the last mark before the claim, if no further back than _LOOKBACK
        s = marks[i - 1] + 1 if i and marks[i - 1] >= start - _LOOKBACK else max(0, start - _LOOKBACK)
        j = left(marks, max(end, s))
        # (a mark past the list lies past end + _LOOKBACK: `_sentence` cuts there)
        s, e = _sentence(text, s, marks[j] if j < n_marks else n, end)
        first, last = left(starts, s), left(starts, e)
        out.append((s, e, [ids[k] for k in range(first, last) if entities[k].end <= e] if first < last else []))
    return out
