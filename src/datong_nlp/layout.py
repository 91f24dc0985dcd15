"""Where sentences and clauses begin and end, and which lines are page boilerplate."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

SENTENCE_END = frozenset("。！？!?\n")
CLAUSE_END = frozenset("，,；;：:")
LIST_SEP = frozenset("、")


@dataclass(frozen=True)
class Layout:
    """Sentence and clause edges of one normalised text, for fast lookup."""

    text: str
    sentence_starts: list[int]
    clause_starts: list[int]
    boilerplate: list[tuple[int, int]]

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `pos`."""
        return _span(self.sentence_starts, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        """(start, end) of the clause holding `pos` (clauses split at ，,；;：: and sentence ends)."""
        return _span(self.clause_starts, pos, len(self.text))

    def spans(self, positions: Iterable[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The (sentence, clause) spans holding each of `positions`, as `sentence` and `clause` give them,
        in one pass (positions in order share the span of the one before when it holds them too)."""
        positions = list(positions)
        length = len(self.text)
        return _spans(self.sentence_starts, positions, length), _spans(self.clause_starts, positions, length)

    def in_boilerplate(self, pos: int) -> bool:
        """Whether `pos` lies on a boilerplate line (`boilerplate` is sorted and disjoint)."""
        if not self.boilerplate:  # most texts
            return False
        i = bisect.bisect_right(self.boilerplate, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.boilerplate[i][0] <= pos < self.boilerplate[i][1]


def _span(starts: list[int], pos: int, length: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, pos)
    start = starts[i - 1] if i else 0
    end = starts[i] - 1 if i < len(starts) else length
    return start, end if end > start else start


def _spans(starts: list[int], positions: list[int], length: int) -> list[tuple[int, int]]:
    """`_span` of each of `positions`, one tuple per distinct span."""
    out: list[tuple[int, int]] = []
    last, span = -1, (0, 0)
    bisect_right = bisect.bisect_right
    for pos in positions:
        i = bisect_right(starts, pos)
        if i != last:
            last, span = i, _span(starts, pos, length)
        out.append(span)
    return out


def _end_class(ends: frozenset[str]) -> re.Pattern[str]:
    # one class of literal characters: the standard `re` scans it about twice as fast as `regex`
    return re.compile("[" + "".join(re.escape(c) for c in sorted(ends)) + "]")


_CLAUSE_ENDS = _end_class(SENTENCE_END | CLAUSE_END)


def _starts(text: str) -> tuple[list[int], list[int]]:
    """(sentence starts, clause starts): one pass over the text for the clause ends, the sentence
    ends picked out of them (each is a clause end too)."""
    clauses = [0, *map(re.Match.end, _CLAUSE_ENDS.finditer(text))]
    return [0, *(p for p in clauses[1:] if text[p - 1] in SENTENCE_END)], clauses


def build_layout(text: str, boilerplate_cues: tuple[str, ...], footer_line_max: int) -> Layout:
    """Split `text` (normalised) into sentences and clauses and find boilerplate lines.

    A line holding a boilerplate cue is boilerplate, and so is each following
    line of at most `footer_line_max` characters, until a longer line.
    """
    boiler: list[tuple[int, int]] = []
    in_footer = False
    pos = 0
    # no line ending by the first cue's offset holds a cue, nor follows one (most texts hold none)
    first = min((i for cue in boilerplate_cues if (i := text.find(cue)) >= 0), default=-1)
    for line in text.splitlines(keepends=True) if first >= 0 else ():
        if pos + len(line) <= first:
            pos += len(line)
            continue
        body = line.strip()
        if any(cue in line for cue in boilerplate_cues):
            in_footer = True
            boiler.append((pos, pos + len(line)))
        elif in_footer and len(body) <= footer_line_max:
            boiler.append((pos, pos + len(line)))
        else:
            in_footer = False
        pos += len(line)
    return Layout(text, *_starts(text), boiler)
