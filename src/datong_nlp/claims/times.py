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
    base: bool  # a comparison base (较2011年): never a claim's time, except of a figure inside its phrase
    hidden_start: int = -1  # where the comparison word before a base starts (else `start`)
    weak: bool = False  # a recurrence (每月): yields to any other time of the clause
    base_until: int = -1  # a base's phrase runs to here (a change word, else the text end): 相比2020年GDP总量…


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
            until = min((i for i in (text.find(w, m.end()) for w in rules.base_ends) if i >= 0), default=len(text)) \
                if word else -1
            found.append(TimeMention(m.start(), m.end(), m.group().replace(" ", ""), rule.rule, rule.future,
                                     rule.carries, word is not None, hidden, rule.weak, until))
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
        """The time of `q` among those of its clause: the nearest one before it, else the first after
        it; a comparison base only for a figure inside its own phrase (相比2020年GDP总量[11万亿元]),
        a recurrence (`weak`, 每月) only when no other time is there.  Else the last carrying one of
        an earlier clause of its sentence (bases never count)."""
        cs, ce = layout.clause(q.start)
        ss, _ = layout.sentence(q.start)
        lo, hi = bisect.bisect_left(self.starts, cs), bisect.bisect_right(self.ends, ce)
        own = [t for t in self.times[lo:max(lo, hi)]
               if cs <= t.start and t.end <= ce and (not t.base or t.end <= q.start < t.base_until)]
        if any(not t.weak for t in own):
            own = [t for t in own if not t.weak]
        before = [t for t in own if t.end <= q.start]
        if before:
            return before[-1]
        after = [t for t in own if t.start >= q.end]
        if after:
            return after[0]
        i = bisect.bisect_right(self.ends, cs) - 1
        k = self.last_carrying[i] if i >= 0 else -1
        return self.times[k] if k >= 0 and self.times[k].start >= ss else None
