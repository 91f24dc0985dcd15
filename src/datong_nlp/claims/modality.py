"""Stage 4: modality (`modality.yaml`): a projection cue before the figure, or a future time."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

import ahocorasick

from ..quantities import Quantity
from ..rules import RuleSet
from .spans import Decision
from .times import TimeMention

_ACTUAL = Decision("actual")  # the default, shared


class CuePositions:
    """Every whole-word occurrence of one scope's cues in a text, searchable by figure.

    Cues are found once per text (one pass for all cues), so a text with no
    sentence end costs no more than one split into sentences.
    """

    def __init__(self, found: Iterable[tuple[int, int, str]]) -> None:
        self.by_start = sorted(found)
        by_end = sorted(self.by_start, key=lambda f: (f[1], f[0]))
        self.ends = [e for _, e, _ in by_end]
        # best[i]: the occurrence with the latest start among the first i + 1 (by end)
        self.best: list[tuple[int, str]] = []
        for start, _, rule in by_end:
            if not self.best or start >= self.best[-1][0]:
                self.best.append((start, rule))
            else:
                self.best.append(self.best[-1])

    def latest(self, reach: int, before: int) -> str | None:
        """The rule of the latest-starting cue lying within [reach, before), else None."""
        i = bisect.bisect_right(self.ends, before) - 1
        if i < 0:
            return None
        start, rule = self.best[i]
        return rule if start >= reach else None

    def first_after(self, after: int, end: int) -> str | None:
        """The rule of the first cue starting at or after `after` and ending by `end`, else None."""
        i = bisect.bisect_left(self.by_start, (after, -1, ""))
        while i < len(self.by_start) and self.by_start[i][0] < end:
            if self.by_start[i][1] <= end:
                return self.by_start[i][2]
            i += 1
        return None


class ModalityStage:
    """`projected` when a cue stands before the figure within its scope (sentence or clause)
    as a whole word, or a sentence-scope cue after it in its clause (其中1座今年将停产), or when
    the figure's time is a future one; else `actual`."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.projected: dict[str, Decision[str]] = {}  # by rule id
        # every cue, found in one pass: (length, scope, rule) by the cue
        self.automaton: Any = ahocorasick.Automaton()
        for cue, scope in rules.modality_cues.items():
            self.automaton.add_word(cue, (len(cue), scope, rules.modality_rules.get(cue, "")))
        if rules.modality_cues:
            self.automaton.make_automaton()

    def positions(self, text: str, boundaries: set[int]) -> dict[str, CuePositions]:
        """The cue occurrences of `text` by scope (`sentence`, `clause`): every occurrence, overlapping
        ones too, that starts and ends at a word boundary."""
        found: dict[str, list[tuple[int, int, str]]] = {"sentence": [], "clause": []}
        for last, (length, scope, rule) in self.automaton.iter(text) if self.rules.modality_cues else ():
            end = last + 1
            if end in boundaries and end - length in boundaries:
                found[scope].append((end - length, end, rule))
        return {scope: CuePositions(items) for scope, items in found.items()}

    def decide(self, q: Quantity, cues: dict[str, CuePositions], time: TimeMention | None,
               spans: tuple[tuple[int, int], tuple[int, int]]) -> Decision[str]:
        """The modality of `q` and the cue (or future time) rule that made it projected; `spans`: q's
        sentence and clause (`Layout.spans`)."""
        (s, _), (cs, ce) = spans
        rule = cues["sentence"].latest(s, q.start) or cues["clause"].latest(cs, q.start) \
            or cues["sentence"].first_after(q.end, ce)
        if rule is None and time is not None and time.future:
            rule = time.rule
        if rule is None:
            return _ACTUAL
        found = self.projected.get(rule)  # one shared per rule (a decision never changes)
        if found is None:
            found = self.projected[rule] = Decision("projected", rule)
        return found
