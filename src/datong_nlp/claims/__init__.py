"""Turn quantities into claims, stage by stage, each stage in its own module:

`times` (found before the quantities, in the pipeline) -> `filters` (not a claim) ->
`comparator` -> `modality` -> `properties`.  Each stage returns its value with the id of
the rule that decided it; `ClaimBuilder` only composes them into drafts with a trace.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..layout import Layout
from ..phrase import PhraseChunker
from ..quantities import Quantity
from ..rules import RuleSet
from ..types import ClaimRules, one_update
from .comparator import ComparatorStage
from .filters import Blocked, ClaimFilter
from .modality import ModalityStage
from .properties import PropertyStage
from .spans import NO_DECISION, Decision, merge
from .times import TimeIndex, TimeMention, find_times

__all__ = ["ClaimBuilder", "ClaimDraft", "Judged", "TimeMention", "find_times"]


@one_update
@dataclass(frozen=True)
class ClaimDraft:
    """A quantity with its attributes, still in normalised-text offsets.  Built by
    `types.one_update` (one per claim)."""

    quantity: Quantity
    comparator: str
    modality: str
    property: str | None
    time: str | None
    rules: ClaimRules



@one_update
@dataclass(frozen=True)
class Judged:
    """One quantity with every stage's decision, and the reason it is no claim (None: it is one).

    The stages run on every quantity, kept or not, so each can be checked on its own.  Built by
    `types.one_update` (one per figure)."""

    quantity: Quantity
    dropped: str | None
    comparator: Decision[str]
    modality: Decision[str]
    time: Decision[str | None]
    property: Decision[str | None]


    def draft(self) -> ClaimDraft | None:
        """The claim, unless the quantity was dropped."""
        if self.dropped is not None:
            return None
        q = self.quantity
        trace = ClaimRules(q.rule, self.comparator.rule, self.modality.rule, self.time.rule, self.property.rule)
        return ClaimDraft(q, self.comparator.value, self.modality.value, self.property.value, self.time.value, trace)


class ClaimBuilder:
    """Filters quantities and adds the attributes the annotation guide defines."""

    def __init__(self, rules: RuleSet, chunker: PhraseChunker | None = None) -> None:
        self.rules = rules
        self.filter = ClaimFilter(rules)
        self.comparator = ComparatorStage(rules)
        self.modality = ModalityStage(rules)
        self.chunker = chunker  # phrase structure of properties (phrase.py); None: character runs only
        self.property = PropertyStage(rules, chunker)

    def build(self, text: str, layout: Layout, quantities: list[Quantity], boundaries: set[int],
              times: list[TimeMention] | None = None) -> list[ClaimDraft]:
        """Claims of `text` (normalised) from its quantities and times (found here when not given)."""
        return [d for j in self.judge(text, layout, quantities, boundaries, times) if (d := j.draft()) is not None]

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
        spans = list(zip(*layout.spans(q.start for q in quantities), strict=True))  # each figure's sentence, clause
        properties = self.property.decide_all(text, layout, quantities, prefixes, hidden, boundaries, in_time, spans)
        cues = self.modality.positions(text, boundaries)
        index = TimeIndex(times)
        out: list[Judged] = []
        for q, prefix, prop, edges in zip(quantities, prefixes, properties, spans, strict=True):
            time = index.governing(q, layout, edges)
            out.append(Judged(q, self.filter.reason(q, layout, blocked, boundaries),
                              self.comparator.decide(text, q, prefix),
                              self.modality.decide(q, cues, time, edges),
                              Decision(time.text, time.rule) if time else NO_DECISION, prop))
        return out
