"""Turn quantities into claims, stage by stage, each stage in its own module:

`times` (found before the quantities, in the pipeline) -> `filters` (not a claim) ->
`comparator` -> `modality` -> `property`.  Each stage returns its value with the id of
the rule that decided it; `ClaimBuilder` only composes them into drafts with a trace.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..layout import Layout
from ..quantities import Quantity
from ..rules import RuleSet
from ..types import ClaimRules
from .comparator import ComparatorStage
from .filters import Blocked, ClaimFilter
from .modality import ModalityStage
from .property import PropertyStage
from .spans import merge
from .times import TimeIndex, TimeMention, find_times

__all__ = ["ClaimBuilder", "ClaimDraft", "Judged", "TimeMention", "find_times"]


@dataclass(frozen=True)
class ClaimDraft:
    """A quantity with its attributes, still in normalised-text offsets."""

    quantity: Quantity
    comparator: str
    modality: str
    property: str | None
    time: str | None
    rules: ClaimRules


@dataclass(frozen=True)
class Judged:
    """One quantity and what became of it: a draft, or the reason it is no claim."""

    quantity: Quantity
    draft: ClaimDraft | None
    dropped: str | None = None


class ClaimBuilder:
    """Filters quantities and adds the attributes the annotation guide defines."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.filter = ClaimFilter(rules)
        self.comparator = ComparatorStage(rules)
        self.modality = ModalityStage(rules)
        self.property = PropertyStage(rules)

    def build(self, text: str, layout: Layout, quantities: list[Quantity], boundaries: set[int],
              times: list[TimeMention] | None = None) -> list[ClaimDraft]:
        """Claims of `text` (normalised) from its quantities and times (found here when not given)."""
        return [j.draft for j in self.judge(text, layout, quantities, boundaries, times) if j.draft]

    def judge(self, text: str, layout: Layout, quantities: list[Quantity], boundaries: set[int],
              times: list[TimeMention] | None = None) -> list[Judged]:
        """Every quantity with its claim draft or the reason it was dropped, in order."""
        if not quantities:
            return []
        if times is None:
            times = find_times(text, self.rules)
        blocked = self.filter.blocked(text, quantities, times)
        prefixes = [self.comparator.prefix(text, q) for q in quantities]
        # spans left out of a property: times (with their comparison word) and other figures (with their cue)
        hidden = merge([(t.hidden_start, t.end) for t in times]
                       + [(p.start if p else q.start, q.end) for q, p in zip(quantities, prefixes, strict=True)])
        time_spans = Blocked([(t.start, t.end, t.rule) for t in times])
        in_time = [time_spans.rule_at(q.start, q.end) is not None for q in quantities]
        properties = self.property.decide_all(text, layout, quantities, prefixes, hidden, boundaries, in_time)
        cues = self.modality.positions(text, boundaries)
        index = TimeIndex(times)
        out: list[Judged] = []
        for q, prefix, prop in zip(quantities, prefixes, properties, strict=True):
            reason = self.filter.reason(q, layout, blocked, boundaries)
            if reason is not None:
                out.append(Judged(q, None, reason))
                continue
            time = index.governing(q, layout)
            comparator = self.comparator.decide(text, q, prefix)
            modality = self.modality.decide(q, layout, cues, time)
            trace = ClaimRules(q.rule, comparator.rule, modality.rule, time.rule if time else None, prop.rule)
            out.append(Judged(q, ClaimDraft(q, comparator.value, modality.value, prop.value,
                                            time.text if time else None, trace)))
        return out
