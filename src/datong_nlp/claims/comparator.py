"""Stage 3: the comparator of a figure (`comparators.yaml`), from a cue word before or after it."""

from __future__ import annotations

from dataclasses import dataclass

from ..quantities import Quantity
from ..rules import RuleSet
from ..types import one_update
from .spans import Decision, space_after, space_before

APPROX_RULE = "approx-in-number"  # the comparators.yaml entry for a mark inside the number (2万多, 几百)


_EQUAL = Decision("=")  # the default, shared


@one_update
@dataclass(frozen=True)
class PrefixCue:
    """A comparator word just before a figure.  Built by `types.one_update`."""

    start: int  # where the word starts (the spaces after it belong to the cue)
    comparator: str
    rule: str



class ComparatorStage:
    """Finds comparator cues; the window is as long as the longest cue in the rules."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.prefixes = rules.comparator_prefixes
        self.prefix_max = max(map(len, self.prefixes), default=0)
        self.suffixes = sorted(rules.comparator_suffixes, key=len, reverse=True)
        self.suffix_lengths = sorted({len(w) for w in self.suffixes}, reverse=True)  # looked up by length
        self.magnitudes = set(rules.numerals.magnitude_only_starts)
        # a cue word ends (starts) with one of these: most figures have none before (after) them
        self.prefix_last = frozenset(w[-1] for w in self.prefixes if w)
        self.suffix_first = None if "" in self.suffixes else frozenset(w[0] for w in self.suffixes)

    def prefix(self, text: str, q: Quantity) -> PrefixCue | None:
        """The comparator word just before `q` (longest first), if any; computed once per figure."""
        end = space_before(text, q.start)
        if not end or text[end - 1] not in self.prefix_last:
            return None
        for length in range(min(self.prefix_max, end), 0, -1):
            word = text[end - length:end]
            cue = self.prefixes.get(word)
            if cue is None:
                continue
            comparator, magnitude_only = cue
            if magnitude_only and text[q.number_start] not in self.magnitudes:
                continue
            return PrefixCue(end - length, comparator, self.rules.comparator_rules.get(("prefix", word), ""))
        return None

    def suffix(self, text: str, q: Quantity) -> str | None:
        """The comparator word right after `q` (after spaces), if any."""
        pos = space_after(text, q.end)
        if self.suffix_first is not None and (pos >= len(text) or text[pos] not in self.suffix_first):
            return None
        for length in self.suffix_lengths:  # longest first: of one length at most one word can match
            word = text[pos:pos + length]
            if len(word) == length and word in self.rules.comparator_suffixes:
                return word
        return None

    def decide(self, text: str, q: Quantity, prefix: PrefixCue | None) -> Decision[str]:
        """An approximation inside the number wins, then a suffix, then a prefix; else `=`."""
        if q.approx:
            return Decision(q.approx, APPROX_RULE)
        word = self.suffix(text, q)
        if word is not None:
            return Decision(self.rules.comparator_suffixes[word], self.rules.comparator_rules.get(("suffix", word)))
        if prefix:
            return Decision(prefix.comparator, prefix.rule)
        return _EQUAL
