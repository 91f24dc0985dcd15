"""Turn quantities into claims: drop what is not a claim, add comparator,
modality, property and time from the words around each figure."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from .layout import LIST_SEP, Layout
from .quantities import Quantity
from .rules import RuleSet

_HAN = regex.compile(r"[\p{Han}·]+")


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


@dataclass(frozen=True)
class ClaimDraft:
    """A quantity with its attributes, still in normalised-text offsets."""

    quantity: Quantity
    comparator: str
    modality: str
    property: str | None
    time: str | None


def find_times(text: str, rules: RuleSet) -> list[TimeMention]:
    """Every time expression of `text` (longest first where they overlap), in order."""
    found: list[TimeMention] = []
    for rule in rules.times:
        for m in rule.pattern.finditer(text):
            if m.end() == m.start():
                continue
            before = text[max(0, m.start() - 3):m.start()]
            base = any(before.endswith(p) for p in rules.comparison_prefixes)
            found.append(TimeMention(m.start(), m.end(), m.group(), rule.rule, rule.future, rule.carries, base))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[TimeMention] = []
    for t in found:
        if kept and t.start < kept[-1].end:
            continue
        kept.append(t)
    return kept


class ClaimBuilder:
    """Filters quantities and adds the attributes the annotation guide defines."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.prefixes = sorted(rules.comparator_prefixes, key=len, reverse=True)
        self.suffixes = sorted(rules.comparator_suffixes, key=len, reverse=True)
        self.magnitudes = set(rules.numerals.magnitudes) if rules.numerals else set()
        self.cues = sorted(rules.modality_cues, key=len, reverse=True)
        self.prop = rules.property

    def build(self, text: str, layout: Layout, quantities: list[Quantity], boundaries: set[int]) -> list[ClaimDraft]:
        """Claims of `text` (normalised) from its quantities."""
        times = find_times(text, self.rules)
        blocked = [(t.start, t.end) for t in times]
        for _, pattern in self.rules.non_claims:
            blocked.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
        blocked = _merge(blocked)
        drafts: list[ClaimDraft] = []
        for q in quantities:
            if self._not_a_claim(q, layout, blocked):
                continue
            prop = None
            if drafts and self._continues(text, drafts[-1].quantity, q, layout, times):
                prop = drafts[-1].property
            prop = prop or self._property(text, q, layout, times)
            drafts.append(ClaimDraft(q, self._comparator(text, q), self._modality(text, q, layout, times, boundaries),
                                     prop, self._time(q, layout, times)))
        return drafts

    def _continues(self, text: str, prev: Quantity, q: Quantity, layout: Layout, times: list[TimeMention]) -> bool:
        """Whether `q` is the other end of a change or range that starts at `prev`."""
        if layout.clause(prev.start) != layout.clause(q.start):
            return False
        between = text[prev.end:q.start - self._prefix_len(text, q)]
        for t in times:
            if prev.end <= t.start and t.end <= q.start:
                between = between.replace(t.text, "")
        words = "".join(_HAN.findall(between)).removesuffix("的")
        return words in self.prop["change_words"]

    def _not_a_claim(self, q: Quantity, layout: Layout, blocked: list[tuple[int, int]]) -> bool:
        if layout.in_boilerplate(q.start):
            return True
        if q.kind == "count" and q.number_text in self.rules.articles:
            return True
        if q.unit == "year" and q.value >= 1000 and q.value_max is None:
            return True  # a calendar year written without its digits' context
        i = bisect.bisect_left(blocked, (q.end, q.end)) - 1
        return i >= 0 and blocked[i][1] > q.start

    # --- comparator
    def _comparator(self, text: str, q: Quantity) -> str:
        if q.approx:
            return q.approx
        after = text[q.end:q.end + 4].lstrip()
        for word in self.suffixes:
            if after.startswith(word):
                return self.rules.comparator_suffixes[word]
        cue = self._prefix_cue(text, q)
        return cue[1] if cue else "="

    def _prefix_cue(self, text: str, q: Quantity) -> tuple[int, str] | None:
        """(length including spaces, comparator) of the comparator word just before `q`, if any."""
        before = text[max(0, q.start - 5):q.start]
        stripped = before.rstrip()
        for word in self.prefixes:
            if stripped.endswith(word):
                comparator, magnitude_only = self.rules.comparator_prefixes[word]
                if magnitude_only and text[q.number_start] not in self.magnitudes:
                    continue
                return len(word) + len(before) - len(stripped), comparator
        return None

    def _prefix_len(self, text: str, q: Quantity) -> int:
        cue = self._prefix_cue(text, q)
        return cue[0] if cue else 0

    # --- modality
    def _modality(self, text: str, q: Quantity, layout: Layout, times: list[TimeMention],
                  boundaries: set[int]) -> str:
        s, _ = layout.sentence(q.start)
        clause_start, _ = layout.clause(q.start)
        window = text[s:q.start]
        for cue in self.cues:
            reach = s if self.rules.modality_cues[cue] == "sentence" else clause_start
            pos = window.find(cue)
            while pos >= 0:
                at = s + pos
                if at >= reach and at in boundaries and at + len(cue) in boundaries:
                    return "projected"
                pos = window.find(cue, pos + 1)
        governing = self._time_mention(q, layout, times)
        if governing is not None and governing.future:
            return "projected"
        return "actual"

    # --- time
    def _time_mention(self, q: Quantity, layout: Layout, times: list[TimeMention]) -> TimeMention | None:
        cs, ce = layout.clause(q.start)
        ss, _ = layout.sentence(q.start)
        own = [t for t in times if cs <= t.start and t.end <= ce and not t.base]
        before = [t for t in own if t.end <= q.start]
        if before:
            return before[-1]
        after = [t for t in own if t.start >= q.end]
        if after:
            return after[0]
        earlier = [t for t in times if ss <= t.start and t.end <= cs and not t.base and t.carries]
        return earlier[-1] if earlier else None

    def _time(self, q: Quantity, layout: Layout, times: list[TimeMention]) -> str | None:
        t = self._time_mention(q, layout, times)
        return t.text if t else None

    # --- property
    def _property(self, text: str, q: Quantity, layout: Layout, times: list[TimeMention]) -> str | None:
        cs, ce = layout.clause(q.start)
        after = self._after_phrase(text, q.end, ce)
        if after:
            return after
        start = q.start - self._prefix_len(text, q)
        words = text[cs:start]
        for sep in LIST_SEP:
            words = words.rsplit(sep, 1)[-1]
        offset = start - len(words)
        for t in reversed(times):
            if offset <= t.start and t.end <= start:
                cut = t.start
                if t.base:  # drop the comparison word too (较2011年)
                    cut -= next((len(p) for p in self.rules.comparison_prefixes
                                 if text.endswith(p, offset, t.start)), 0)
                words = words[:cut - offset] + words[t.end - offset:]
        return self._trim(words) or None

    def _after_phrase(self, text: str, pos: int, clause_end: int) -> str | None:
        rest = text[pos:clause_end].lstrip()
        for word in self.suffixes:
            if rest.startswith(word):
                rest = rest[len(word):]
                break
        m = _HAN.match(rest)
        if not m:
            return None
        phrase = m.group()
        for word in self.prop["after_stop"]:
            idx = phrase.find(word)
            if idx >= 0:
                phrase = phrase[:idx]
        for word in self.prop["after_take_last_after"]:
            idx = phrase.rfind(word)
            if idx >= 0:
                phrase = phrase[idx + len(word):]
        if len(phrase) < 2 or len(phrase) > self.prop["after_max_chars"]:
            return None
        return phrase

    def _trim(self, words: str) -> str:
        words = "".join(_HAN.findall(words))
        changed = True
        while changed and words:
            changed = False
            for w in self.prop["trim_trailing"]:
                if words.endswith(w) and len(words) > len(w):
                    words, changed = words[: -len(w)], True
                    break
        cut = max((words.rfind(w) + len(w) for w in self.prop["cut_after"] if w in words[:-1]), default=0)
        if cut < len(words):
            words = words[cut:]
        changed = True
        while changed and words:
            changed = False
            for w in self.prop["trim_leading"]:
                if words.startswith(w) and len(words) > len(w):
                    words, changed = words[len(w):], True
                    break
        return words


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
