"""Spaced numerals (百 分 之 2.4): the offsets of a text with the spaces inside numeral runs taken out."""

from __future__ import annotations

import bisect

from ..layout import Layout
from .quantity import Quantity


class Compaction:
    """The offsets of a text with some runs of spaces (`cuts`, sorted) taken out."""

    def __init__(self, cuts: list[tuple[int, int]]) -> None:
        self.cuts = cuts
        self.cut_starts = [s for s, _ in cuts]
        self.compact_starts: list[int] = []  # where each cut falls in the compact text
        self.removed: list[int] = []  # characters removed up to and including each cut
        total = 0
        for s, e in cuts:
            self.compact_starts.append(s - total)
            total += e - s
            self.removed.append(total)

    def to_text(self, pos: int, end: bool = False) -> int:
        """The offset in the text as written of a compact offset (an end stays before the cut)."""
        i = bisect.bisect_left(self.compact_starts, pos) if end else bisect.bisect_right(self.compact_starts, pos)
        return pos + (self.removed[i - 1] if i else 0)

    def to_compact(self, pos: int) -> int:
        """The compact offset of an offset of the text as written."""
        i = bisect.bisect_right(self.cut_starts, pos) - 1
        if i < 0:
            return pos
        s, e = self.cuts[i]
        before = self.removed[i - 1] if i else 0
        return s - before if pos < e else pos - self.removed[i]

    def restore(self, found: list[Quantity]) -> list[Quantity]:
        """Quantities of the compact text, in offsets of the text as written (`to_text`, inlined)."""
        starts, removed, n = self.compact_starts, self.removed, len(self.compact_starts)
        left, right = bisect.bisect_left, bisect.bisect_right
        out: list[Quantity] = []
        for q in found:
            start, end, number_start, number_end = q.start, q.end, q.number_start, q.number_end
            i = right(starts, start)
            if (i == n or starts[i] >= end) and start <= number_start < number_end <= end:
                # no cut inside the figure: its four offsets move alike (one search, not four)
                j = k = m = i
            else:
                j, k, m = left(starts, end), right(starts, number_start), left(starts, number_end)
            if not (i or j or k or m):  # before the first cut: nothing moves
                out.append(q)
                continue
            out.append(Quantity(start + (removed[i - 1] if i else 0), end + (removed[j - 1] if j else 0),
                                number_start + (removed[k - 1] if k else 0),
                                number_end + (removed[m - 1] if m else 0), q.value, q.value_max, q.unit, q.kind,
                                q.approx, q.rule, q.number_text))
        return out


class MappedLayout:
    """A `Layout` seen through a compacted text."""

    def __init__(self, layout: Layout, shift: Compaction) -> None:
        self.layout, self.shift = layout, shift

    def sentence(self, pos: int) -> tuple[int, int]:
        s, e = self.layout.sentence(self.shift.to_text(pos))
        return self.shift.to_compact(s), self.shift.to_compact(e)
