"""Stage 2: what is not a claim (`non_claims.yaml`, times, boilerplate, numerals inside words)."""

from __future__ import annotations

import bisect

from ..anchors import PatternScanner
from ..layout import Layout
from ..quantities import Quantity
from ..rules import RuleSet
from .spans import merge
from .times import TimeMention

WINDOW = 40  # characters either side of a figure searched for not-a-claim patterns


class Blocked:
    """The spans of one text where no claim may lie, each with the rule that blocked it."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = sorted(spans)
        self.merged = merge([(s, e) for s, e, _ in self.spans])

    def rule_at(self, start: int, end: int) -> str | None:
        """The id of a blocking rule whose span overlaps [start, end), else None."""
        i = bisect.bisect_left(self.merged, (end, end)) - 1
        if i < 0 or self.merged[i][1] <= start:
            return None
        lo = bisect.bisect_left(self.spans, (self.merged[i][0], -1, ""))
        for s, e, rule in self.spans[lo:]:
            if s >= end:
                break
            if e > start:
                return rule
        return None


class ClaimFilter:
    """Decides which quantities are no claims, and why."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.scanner = PatternScanner([pattern for _, pattern in rules.non_claims])

    def blocked(self, text: str, quantities: list[Quantity], times: list[TimeMention]) -> Blocked:
        """Times, and matches of the not-a-claim patterns near a figure (scanning only there keeps long texts fast)."""
        spans = [(t.start, t.end, t.rule) for t in times]
        windows = merge([(max(0, q.start - WINDOW), min(len(text), q.end + WINDOW)) for q in quantities])
        rules = self.rules.non_claims
        spans.extend((m.start(), m.end(), rules[i][0]) for i, m in self.scanner.scan(text, windows) if m.end() > m.start())
        return Blocked(spans)

    def reason(self, q: Quantity, layout: Layout, blocked: Blocked, boundaries: set[int]) -> str | None:
        """Why `q` is not a claim (a rule id or a short reason), or None when it is one."""
        if layout.in_boilerplate(q.start):
            return "boilerplate"
        if q.number_text[-1] not in "0123456789" and not any(b in boundaries for b in range(q.start + 1, q.end + 1)):
            return "inside-a-word"  # a Chinese numeral inside one longer word (零部件, 百年一遇, 三年级)
        if q.kind == "count" and q.number_text in self.rules.articles:
            return "article"
        if q.unit == self.rules.calendar_year_unit and q.value >= self.rules.calendar_year_min and q.value_max is None:
            return "calendar-year"  # a calendar year written without its digits' context
        return blocked.rule_at(q.start, q.end)
