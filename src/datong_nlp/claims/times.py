"""Stage 1: time expressions (`time.yaml`), found before the quantities, and the time that governs a figure."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..layout import Layout
from ..quantities import Quantity
from ..rules import RuleSet
from .spans import space_before


@dataclass(frozen=True)
class TimeMention:
    """A time expression in normalised-text offsets."""

    start: int
    end: int
    text: str
    rule: str
    future: bool
    carries: bool
    base: bool  # a comparison base (较2011年): never a claim's time
    hidden_start: int = -1  # where the comparison word before a base starts (else `start`)


def find_times(text: str, rules: RuleSet) -> list[TimeMention]:
    """Every time expression of `text` (longest first where they overlap), in order."""
    found: list[TimeMention] = []
    for rule in rules.times:
        for m in rule.pattern.finditer(text):
            if m.end() == m.start():
                continue
            before = space_before(text, m.start())
            word = next((p for p in rules.comparison_prefixes if text.endswith(p, 0, before)), None)
            hidden = before - len(word) if word else m.start()
            found.append(TimeMention(m.start(), m.end(), m.group().replace(" ", ""), rule.rule, rule.future,
                                     rule.carries, word is not None, hidden))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[TimeMention] = []
    for t in found:
        if kept and t.start < kept[-1].end:
            continue
        kept.append(t)
    return kept


class TimeIndex:
    """The times of one text (sorted, disjoint), searchable by figure in logarithmic time."""

    def __init__(self, times: list[TimeMention]) -> None:
        self.times = times
        self.ends = [t.end for t in times]
        self.starts = [t.start for t in times]
        # last_carrying[i]: index of the last time at or before i that carries over clauses and is no base
        self.last_carrying: list[int] = []
        last = -1
        for i, t in enumerate(times):
            if t.carries and not t.base:
                last = i
            self.last_carrying.append(last)

    def governing(self, q: Quantity, layout: Layout) -> TimeMention | None:
        """The time of `q`: the nearest one before it in its clause, else the first after it in its
        clause, else the last carrying one of an earlier clause of its sentence (bases never count)."""
        cs, ce = layout.clause(q.start)
        ss, _ = layout.sentence(q.start)
        i = bisect.bisect_right(self.ends, q.start) - 1
        while i >= 0 and self.times[i].start >= cs:
            if not self.times[i].base:
                return self.times[i]
            i -= 1
        i = bisect.bisect_left(self.starts, q.end)
        while i < len(self.times) and self.times[i].end <= ce:
            if not self.times[i].base:
                return self.times[i]
            i += 1
        i = bisect.bisect_right(self.ends, cs) - 1
        k = self.last_carrying[i] if i >= 0 else -1
        return self.times[k] if k >= 0 and self.times[k].start >= ss else None
