"""Patterns run only where they can match, with the matches of a full scan.

Every match of a pattern holds one of a set of literal strings, at a bounded distance from its
start, with only certain characters between (`literals.py` reads them from the pattern).  A match
then starts at most that far before an occurrence of a literal, so the pattern is tried (`match`
at a position, on the whole text) only there: one Aho-Corasick pass over the text finds the
literals of every pattern.  A pattern that this reading cannot bound is scanned in full, as
before.  `PatternScanner.finditer` gives the overlapped matches (entity patterns),
`PatternScanner.scan` the plain ones, within windows (time and not-a-claim patterns).

Also here: `WordScanner` (an alternation of literal words, overlapped) and `folded_automaton`
(an Aho-Corasick automaton made fast on a large alphabet), used for gazetteer names and cues.
"""

from __future__ import annotations

import bisect
import itertools
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import ahocorasick
import regex

from .literals import Anchor, analyse, anchor, anchor_parts

__all__ = ["Anchor", "PatternScanner", "WordScanner", "anchor", "anchor_parts", "folded_automaton"]

_FILL, _NEVER = "\x00", "\x01"  # a folded text's filler, and a character it never holds
# a text this long has its literals found in its folded form, once numpy is loaded (else this long, which loads it)
_FOLD_FROM, _FOLD_NUMPY_FROM = 512, 4096


class PatternScanner:
    """The matches of several patterns in a text, in pattern order and then by start: what
    `pattern.finditer(text, overlapped=True)` of each gives (`finditer`), or a plain `finditer` (`scan`)."""

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        analysis = analyse([p.pattern for p in self.patterns])  # through the load cache
        self.anchors = [a for a, _ in analysis]
        # per pattern and alternative, its anchors (each a slot the literal occurrences go to)
        self.parts = [parts for _, parts in analysis]
        # by the characters of an alternative, which of them are match characters (filled as met)
        self.members: dict[str | None, _Members] = {
            a.chars: _Members(a.chars) for parts in self.parts if parts is not None
            for options in parts for a in options if a.chars is not None and a.max_off != 0}
        # a slot per distinct literal set of an anchor (anchors of one set find the same occurrences)
        self.slots: list[list[list[int]] | None] = []  # pattern -> alternative -> the slots of its anchors
        slot_of: dict[frozenset[str], int] = {}
        slot_patterns: list[set[int]] = []  # slot -> the patterns with an anchor of its literals
        for i, parts in enumerate(self.parts):
            if parts is None:
                self.slots.append(None)
                continue
            ids: list[list[int]] = []
            self.slots.append(ids)
            for options in parts:
                ids.append([slot_of.setdefault(a.literals, len(slot_of)) for a in options])
                slot_patterns.extend(set() for _ in range(len(slot_of) - len(slot_patterns)))
                for slot in ids[-1]:
                    slot_patterns[slot].add(i)
        self.slot_patterns = [tuple(ps) for ps in slot_patterns]
        self.n_slots = len(slot_of)
        table: dict[str, list[int]] = {}  # literal -> the slots it goes to
        for literals, slot in slot_of.items():
            for lit in sorted(literals):
                table.setdefault(lit, []).append(slot)
        self.automaton: Any = None
        self.values = {lit: (len(lit), tuple(owners)) for lit, owners in table.items()}
        if table:
            self.automaton = ahocorasick.Automaton()
            for lit, value in self.values.items():
                self.automaton.add_word(lit, value)
            self.automaton.make_automaton()
        self._plain = self.automaton
        self._folded: tuple[Any, Any] | None = None  # (folded automaton, its fold as a code-point array), on a long text

    def starts(self, text: str, windows: Sequence[tuple[int, int]] | None = None) -> list[list[int] | None]:
        """Per pattern, the positions where a match may start (sorted), or None: anywhere; with
        `windows` (pos, endpos), those of the matches that lie in one (their literals too lie there).
        Linear in the text: the literal occurrences of each anchor are taken in order, and the run
        of match characters before each is read back only as far as the one before it.  Of the
        anchors of an alternative, the one whose literals occur least in `text` is taken."""
        found: list[list[int] | None] = [None] * self.n_slots  # per slot, where its literals start
        automaton, read = self._reader(text)
        for pos, endpos in [(0, len(text))] if windows is None else windows:
            for end, (length, owners) in automaton.iter(read, pos, endpos) if automaton is not None else ():
                p = end - length + 1
                for slot in owners:
                    hits = found[slot]
                    if hits is None:
                        found[slot] = [p]
                    else:
                        hits.append(p)
        out: list[list[int] | None] = [None if parts is None else [] for parts in self.parts]
        # the patterns hit, at C speed (most texts are short, a line whose time frames it, and hit few)
        for i in sorted(set(itertools.chain.from_iterable(itertools.compress(self.slot_patterns, found)))):
            parts, slots = self.parts[i], self.slots[i]
            assert parts is not None and slots is not None
            each = []
            for options, ids in zip(parts, slots, strict=True):
                chosen, j = found[ids[0]], 0  # the anchor of the fewest literal occurrences
                for k in range(1, len(ids) if chosen else 0):
                    hits = found[ids[k]]
                    if not hits:
                        chosen = None
                        break
                    if len(hits) < len(chosen):  # type: ignore[arg-type]
                        chosen, j = hits, k
                if chosen:  # else an anchor's literals do not occur: no match of this alternative
                    each.append(_candidates(options[j], self.members.get(options[j].chars), chosen, text))
            out[i] = [] if not each else each[0] if len(each) == 1 else sorted(set().union(*each))
        return out

    def _reader(self, text: str) -> tuple[Any, str]:
        """The automaton to find the literals with, and the text it reads: a long text folded (every
        character no literal holds made one filler, `folded_automaton`), as pyahocorasick passes the
        root, a child per first character of a literal, one by one; the same hits (offsets kept).
        Not when another pass gives the hits (`gazetteer.Replay` stands for the automaton)."""
        if len(text) < (_FOLD_FROM if "datong_nlp.codepoints" in sys.modules else _FOLD_NUMPY_FROM) \
                or self.automaton is not self._plain or self.automaton is None:
            return self.automaton, text
        from . import codepoints  # numpy: an array lookup per character is a fraction of translate's

        if self._folded is None:
            import numpy as np

            codes = codepoints.code_points(text)
            counts = np.bincount(codes[codes < 0x10000], minlength=0x10000)
            automaton, fold = folded_automaton(self.values, {c: int(counts[ord(c)]) for c in
                                                             {c for lit in self.values for c in lit} if ord(c) < 0x10000})
            lut = None
            if isinstance(fold, list):
                lut = codepoints.identity()
                lut[:len(fold)] = fold
            self._folded = automaton, lut
        automaton, lut = self._folded
        return (self.automaton, text) if lut is None else (automaton, codepoints.translate(text, lut))

    def finditer(self, text: str) -> Iterator[tuple[int, regex.Match[str]]]:
        """(pattern index, match) for every overlapped match of every pattern."""
        for i, (pattern, starts) in enumerate(zip(self.patterns, self.starts(text), strict=True)):
            if starts is None or len(starts) > len(text) // 4:  # a text the literals do not thin out
                for m in pattern.finditer(text, overlapped=True):
                    yield i, m
                continue
            match = pattern.match
            for s in starts:
                found = match(text, s)
                if found is not None:
                    yield i, found


    def scan(self, text: str, windows: Sequence[tuple[int, int]] | None = None) -> Iterator[tuple[int, regex.Match[str]]]:
        """(pattern index, match) for every match of `pattern.finditer(text, pos, endpos)`, plain (not
        overlapped), of every pattern and then window `(pos, endpos)` (default: the whole text).  An
        anchored pattern never matches empty (its literal lies inside), so the next try is at or
        after the end of a match; one whose literals do not occur is not tried at all."""
        if windows is not None and not windows:
            return
        spans = [(0, len(text))] if windows is None else windows
        per_pattern = self.starts(text, windows)
        for i in [i for i, starts in enumerate(per_pattern) if starts is None or starts]:  # the patterns hit, or unanchored
            pattern, starts = self.patterns[i], per_pattern[i]
            if starts is None or len(starts) > len(text) // 4:  # a text the literals do not thin out
                for pos, endpos in spans:
                    yield from ((i, m) for m in pattern.finditer(text, pos, endpos))
                continue
            match, n = pattern.match, len(starts)
            for pos, endpos in spans:
                k = bisect.bisect_left(starts, pos)
                while k < n and starts[k] < endpos:
                    found = match(text, starts[k], endpos)
                    if found is None:
                        k += 1
                    else:
                        yield i, found
                        k = bisect.bisect_left(starts, found.end(), k + 1)


class _Members(dict[str, bool]):
    """Whether a character is one of a regex class body's (`[chars]`), looked up once per character."""

    def __init__(self, chars: str) -> None:
        super().__init__()
        self.test = regex.compile(f"[{chars}]").match

    def __missing__(self, c: str) -> bool:
        found = self[c] = self.test(c) is not None
        return found


def _candidates(a: Anchor, member: _Members | None, literals: list[int], text: str) -> list[int]:
    """Every position (sorted, each once) where a match of the pattern of anchor `a` may start, given
    where its literals start: `min_off` to `max_off` characters before one, with only match
    characters (`member`, None: any) between.  The run of match characters before a literal is
    read back character by character (a table lookup each, where a reverse regex match costs more
    than the pattern's own), no further than the literal before it when the run reaches that."""
    if not literals:
        return []
    ps = sorted(set(literals)) if len(literals) > 1 else literals
    low, high = a.min_off, a.max_off
    if high == low:  # a fixed offset: one position per literal, where the characters before it are the match's
        if not low:
            return ps
        if member is None:
            return [p - low for p in ps if p >= low]
        out = []
        for p in ps:
            s = p - low
            if s >= 0:
                k = p
                while k > s and member[text[k - 1]]:
                    k -= 1
                if k == s:
                    out.append(s)
        return out
    out = []
    upto = -1  # the positions up to this one are out already
    prev, prev_first = -1, 0  # the last literal start read back, and where its run starts (at its `lo` the latest)
    for p in ps:
        hi = p - low
        if hi < 0:
            continue
        lo = 0 if high is None or p < high else p - high
        if member is not None:
            floor = prev if prev > lo else lo
            k = p
            while k > floor and member[text[k - 1]]:
                k -= 1
            first = (prev_first if prev_first > lo else lo) if k == prev else k  # through prev: its run's start
            prev, prev_first = p, first
            if first > hi:
                continue  # a character before the literal that no match holds
            lo = first
        if hi > upto:
            out.extend(range(lo if lo > upto else upto + 1, hi + 1))
            upto = hi
    return out


class WordScanner:
    """The overlapped matches of an alternation of literal words, `regex.compile("a|b|c")` with
    `finditer(text, overlapped=True)`: at each start, the first word of the list found there;
    by one Aho-Corasick pass."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.automaton: Any = ahocorasick.Automaton()
        for i, word in enumerate(self.words):
            if not word:
                raise ValueError("an empty word matches everywhere")
            if self.automaton.get(word, None) is None:
                self.automaton.add_word(word, (i, len(word)))
        if self.words:
            self.automaton.make_automaton()

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every match, by start."""
        if not self.words:
            return []
        best: dict[int, tuple[int, int]] = {}  # start -> (word index, end)
        for last, (i, n) in self.automaton.iter(text):
            s = last - n + 1
            found = best.get(s)
            if found is None or i < found[0]:
                best[s] = (i, last + 1)
        return [(s, best[s][1]) for s in sorted(best)]


def folded_automaton(words: Iterable[str] | Mapping[str, Any],
                     word_freq: Mapping[str, int] | None = None) -> tuple[Any, list[int] | dict[int, int]]:
    """An Aho-Corasick automaton of `words` (each its own value, or the mapping's), and a `str.translate`
    table that folds every other character (of the Basic Multilingual Plane) into one filler (NUL)
    before the automaton runs.

    pyahocorasick looks a character up among a node's children one by one, so the root, with a
    child per first character of an alias, is slow to pass.  Every character it can meet gets a
    root child, the filler first and then by the dictionary frequency of the character, each by
    a word ending in a character that the folded text never holds (SOH), which never matches: the
    hits are those of the plain automaton of the words (an empty table: that automaton, when a
    word holds the filler or that character)."""
    aliases = list(words)
    value = words.get if isinstance(words, Mapping) else lambda word: word
    word_freq = word_freq or {}
    automaton = ahocorasick.Automaton()
    chars = {c for alias in aliases for c in alias}
    if not chars or chars & {_FILL, _NEVER}:
        for alias in aliases:
            automaton.add_word(alias, value(alias))
        if chars:
            automaton.make_automaton()
        return automaton, {}
    for c in [_FILL, *sorted(chars, key=lambda c: (-(word_freq.get(c) or 0), c))]:
        automaton.add_word(c + _NEVER, None)
    for alias in aliases:
        automaton.add_word(alias, value(alias))
    automaton.make_automaton()
    fold = [ord(_FILL)] * 0x10000  # characters beyond it stay as they are
    for c in chars:
        if ord(c) < len(fold):
            fold[ord(c)] = ord(c)
    return automaton, fold
