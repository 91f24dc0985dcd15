"""Stage 1: time expressions (`time.yaml`), found before the quantities, and the time that governs a figure."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from dataclasses import dataclass

import regex

from ..anchors import PatternScanner
from ..layout import CLAUSE_END, SENTENCE_END, Layout
from ..quantities import Quantity
from ..rules import RuleSet, TimeRule
from ..types import one_update
from .spans import space_before


@one_update
@dataclass(frozen=True)
class TimeMention:
    """A time expression in normalised-text offsets.  Built by `types.one_update`."""

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
    spans: list[tuple[int, int, int]] = []  # (start, end, rule number) of every match
    for n, m in _scanner_of(rules).scan(text):
        if m.end() > m.start():
            spans.append((m.start(), m.end(), n))
    spans.sort(key=lambda t: (t[0], t[0] - t[1]))  # stable: among equal spans, the earlier rule first
    kept: list[TimeMention] = []
    last_end = -1
    ends = _ends_pattern(rules.base_ends)
    prefixes = rules.comparison_prefixes
    last_chars = _last_chars(prefixes)
    for start, end, n in spans:  # only what is kept is looked at further (its comparison word)
        if kept and start < last_end:
            continue
        rule = rules.times[n]
        before = space_before(text, start)
        word = next((p for p in prefixes if text.endswith(p, 0, before)), None) \
            if last_chars is None or (before and text[before - 1] in last_chars) else None
        hidden = before - len(word) if word else start
        stop = ends.search(text, end) if word else None
        until = (stop.start() if stop else len(text)) if word else -1
        kept.append(TimeMention(start, end, text[start:end].replace(" ", ""), rule.rule, rule.future,
                                rule.carries, word is not None, hidden, rule.weak, until))
        last_end = end
    return kept


_LAST: list[tuple[list[TimeRule], PatternScanner]] = []  # the time rules of the last rule set, with their scanner


def _scanner_of(rules: RuleSet) -> PatternScanner:
    """The scanner of the time patterns of `rules`: the last one when its rules are the same list (a
    rule set is immutable; a line of the lead is scanned for its time frame on its own, so this is
    asked for often)."""
    if not _LAST or _LAST[0][0] is not rules.times:
        _LAST[:] = [(rules.times, _scanner(tuple(rule.pattern for rule in rules.times)))]
    return _LAST[0][1]


@functools.lru_cache(maxsize=8)
def _scanner(patterns: tuple[regex.Pattern[str], ...]) -> PatternScanner:
    """The time patterns, each tried only near its literals."""
    return PatternScanner(patterns)


@functools.lru_cache(maxsize=8)
def _last_chars(words: tuple[str, ...]) -> frozenset[str] | None:
    """The characters `words` end with: a comparison word is looked for only before one of them
    (None: anywhere, as an empty word ends everywhere)."""
    return None if "" in words else frozenset(w[-1] for w in words)


@functools.lru_cache(maxsize=8)
def _ends_pattern(base_ends: tuple[str, ...]) -> regex.Pattern[str]:
    """Where a base's phrase ends: a change word, else its clause's end (only figures of the clause ask)."""
    return regex.compile("|".join([*map(regex.escape, sorted(base_ends, key=len, reverse=True)),
                                   "[" + regex.escape("".join(sorted(SENTENCE_END | CLAUSE_END))) + "]"]))


class TimeIndex:
    """The times of one text (sorted, disjoint), searchable by figure in logarithmic time."""

    def __init__(self, times: list[TimeMention]) -> None:
        self.times = times
        self.ends = [t.end for t in times]
        self.starts = [t.start for t in times]
        self.bases = [i for i, t in enumerate(times) if t.base]
        # last_carrying[i]: index of the last time at or before i that carries over clauses and is no base
        self.last_carrying = _last(times, lambda t: t.carries and not t.base)
        # the last (next) time at or before (after) i that is no base, of a strong or a weak (每月) rule
        self.last_strong, self.last_weak = _last(times, _strong), _last(times, _weak)
        self.next_strong, self.next_weak = _next(times, _strong), _next(times, _weak)

    def governing(self, q: Quantity, layout: Layout,
                  spans: tuple[tuple[int, int], tuple[int, int]] | None = None) -> TimeMention | None:
        """The time of `q` among those of its clause: the nearest one before it, else the first after
        it; a comparison base only for a figure inside its own phrase (相比2020年GDP总量[11万亿元]),
        a recurrence (`weak`, 每月) only when no other time is there.  Else the last carrying one of
        an earlier clause of its sentence (bases never count).  `spans`: q's sentence and clause
        (`Layout.spans`), when known."""
        if not self.times:
            return None
        sentence, (cs, ce) = spans or (None, layout.clause(q.start))
        lo, hi = bisect.bisect_left(self.starts, cs), bisect.bisect_right(self.ends, ce)  # the clause: [lo, hi)
        before = bisect.bisect_right(self.ends, q.start) - 1  # the last time ending by q.start
        after = bisect.bisect_left(self.starts, q.end)
        covering = [k for k in self.bases[bisect.bisect_left(self.bases, lo):bisect.bisect_right(self.bases, before)]
                    if self.times[k].base_until > q.start] if self.bases else []  # bases whose phrase holds q
        found = self._nearest(self.last_strong, self.next_strong, False, covering, lo, hi, before, after) \
            or self._nearest(self.last_weak, self.next_weak, True, covering, lo, hi, before, after)
        if found is not None:
            return found
        i = bisect.bisect_right(self.ends, cs) - 1
        k = self.last_carrying[i] if i >= 0 else -1
        return self.times[k] if k >= 0 and self.times[k].start >= (sentence or layout.sentence(q.start))[0] else None

    def _nearest(self, last: list[int], nxt: list[int], weak: bool, covering: list[int], lo: int, hi: int,
                 before: int, after: int) -> TimeMention | None:
        """The nearest time of one strength in the clause [lo, hi): the last before the figure (or a
        base covering it), else the first after it."""
        k = last[before] if before >= 0 else -1
        for c in covering:
            if self.times[c].weak == weak and c > k:
                k = c
        if k >= lo:
            return self.times[k]
        k = nxt[after] if after < len(nxt) else len(self.times)
        return self.times[k] if k < hi else None


def _strong(t: TimeMention) -> bool:
    return not t.base and not t.weak


def _weak(t: TimeMention) -> bool:
    return not t.base and t.weak


def _last(times: list[TimeMention], keep: Callable[[TimeMention], bool]) -> list[int]:
    """out[i]: the index of the last time at or before i that `keep` accepts (-1: none)."""
    out, last = [], -1
    for i, t in enumerate(times):
        if keep(t):
            last = i
        out.append(last)
    return out


def _next(times: list[TimeMention], keep: Callable[[TimeMention], bool]) -> list[int]:
    """out[i]: the index of the first time at or after i that `keep` accepts (len(times): none)."""
    out, nxt = [0] * len(times), len(times)
    for i in range(len(times) - 1, -1, -1):
        if keep(times[i]):
            nxt = i
        out[i] = nxt
    return out
