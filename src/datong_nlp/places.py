"""The place of a text (cn, hk, tw, mo) from everything in it: weighted cues of
`rules/locales.yaml` and the aliases of gazetteer entries that carry a `place`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from .anchors import folded_automaton
from .normalize import LONG
from .rules import RuleSet


@dataclass(frozen=True)
class PlaceChoice:
    """The place chosen, its currency, and the record of why (`locale_cues` in the output)."""

    locale: str
    currency: str
    record: dict[str, Any]


class PlaceGuesser:
    """Counts the cues of each place in a text and weighs them."""

    def __init__(self, rules: RuleSet) -> None:
        self.locales = {loc.code: loc for loc in rules.locales}
        self.default = next((loc.code for loc in rules.locales if loc.currency == rules.default_currency), "cn")
        self.threshold = rules.locale_threshold
        # cue -> (place, weight, source); a rule cue wins over a gazetteer alias that is or holds it
        # (香港特区 counts as its cues 香港 and 特区, not as one alias that would hide them)
        self.cues: dict[str, tuple[str, float, str]] = {}
        for loc in rules.locales:
            for cue in loc.cues:
                self.cues[cue] = (loc.code, 1.0, "rules")
            for cue, weight in loc.weights.items():
                self.cues[cue] = (loc.code, weight, "rules")
        rule_cues = list(self.cues)
        if rules.gazetteer_place_weight > 0:
            for entry in rules.gazetteer:
                place = getattr(entry, "place", None)
                if place in self.locales and place != self.default:
                    for alias in entry.aliases:
                        if len(alias) > 1 and not any(cue in alias for cue in rule_cues):
                            self.cues[alias] = (place, rules.gazetteer_place_weight, f"gazetteer:{entry.id}")
        ordered = sorted(self.cues, key=lambda c: (-len(c), c))
        self._ordered = ordered
        self._pattern: regex.Pattern[str] | None = None  # `cue_pattern`, compiled on first use (5 ms)
        # the cues' matches by one Aho-Corasick pass (by `cue_pattern` where a cue is empty, which regex matches between)
        self.automaton: Any = None
        self.fold: list[int] | dict[int, int] = {}
        self._fold_lut: Any = None  # the fold as a code-point array (numpy), made on the first long text
        if ordered and "" not in self.cues:
            self.automaton, self.fold = folded_automaton(ordered)

    def cue_pattern(self) -> regex.Pattern[str] | None:
        """The cues as one alternation, longest first (None without cues): the matches `hits` counts."""
        if self._pattern is None and self._ordered:
            self._pattern = regex.compile("|".join(regex.escape(c) for c in self._ordered))
        return self._pattern

    def hits(self, text: str) -> Counter[str]:
        """How often each cue occurs in a normalised text (leftmost, then longest cue first, no overlaps)."""
        if self.automaton is None:
            pattern = self.cue_pattern()
            return Counter(m.group() for m in pattern.finditer(text)) if pattern is not None else Counter()
        longest: dict[int, str] = {}  # start -> the longest cue there
        for last, cue in self.automaton.iter(self._folded(text)):
            s = last + 1 - len(cue)
            if len(cue) > len(longest.get(s, "")):
                longest[s] = cue
        found: Counter[str] = Counter()
        pos = 0
        for s in sorted(longest):
            if s >= pos:
                cue = longest[s]
                found[cue] += 1
                pos = s + len(cue)
        return found

    def _folded(self, text: str) -> str:
        """`text.translate(self.fold)`; for a long text through a code-point array (numpy), a fraction
        of the cost of a lookup per character."""
        if len(text) < LONG or not isinstance(self.fold, list):
            return text.translate(self.fold)
        from . import codepoints

        if self._fold_lut is None:
            self._fold_lut = codepoints.identity()  # characters beyond the list stay as they are
            self._fold_lut[:len(self.fold)] = self.fold
        return codepoints.translate(text, self._fold_lut)

    def choose(self, hits: Counter[str], override: str | None = None) -> PlaceChoice:
        """The override if given, else the best-scoring place when it reaches the threshold and
        beats the default, else the default."""
        scores = dict.fromkeys(self.locales, 0.0)
        for cue, count in hits.items():
            place, weight, _ = self.cues[cue]
            scores[place] += count * weight
        if override in self.locales:
            chosen, method = override, "override"
        else:
            best = max(self.locales, key=lambda code: (scores[code], code == self.default))
            inferred = best != self.default and scores[best] >= self.threshold and scores[best] > scores[self.default]
            chosen, method = (best, "inferred") if inferred else (self.default, "default")
        ranked = sorted(hits.items(), key=lambda hit: (-hit[1] * self.cues[hit[0]][1], hit[0]))
        cues = [{"cue": cue, "locale": self.cues[cue][0], "count": count, "weight": self.cues[cue][1],
                 "source": self.cues[cue][2]} for cue, count in ranked]
        record = {"method": method, "scores": {k: round(v, 3) for k, v in scores.items()}, "cues": cues}
        return PlaceChoice(chosen, self.locales[chosen].currency, record)
