"""Patterns run only where they can match, with the matches of a full scan.

Each pattern is read once, at load, with the standard library's regex parser: a set of literal
strings one of which every match holds (`市委` of `{GPE}市委`), how far into a match it can lie,
and the characters a match can consist of (lookarounds aside).  A match then starts at most that
far before an occurrence of a literal, with nothing but those characters between, so the
pattern is tried (`match` at a position, on the whole text) only there: one Aho-Corasick pass
over the text finds the literals of every pattern.  A pattern that this reading cannot bound
is scanned in full, as before.  `PatternScanner.finditer` gives the overlapped matches (entity
patterns), `PatternScanner.scan` the plain ones, within windows (time and not-a-claim patterns).

Also here: `WordScanner` (an alternation of literal words, overlapped) and `folded_automaton`
(an Aho-Corasick automaton made fast on a large alphabet), used for gazetteer names and cues.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick
import regex

# the standard library's own regex parser (no public name, no type stubs)
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")
_HAN = "\ue000"  # stands for \p{Han} while the standard parser reads a pattern
_HAN_ESCAPE = regex.compile(r"(?<!\\)((?:\\\\)*)\\p\{Han\}")
_FILL, _NEVER = "\x00", "\x01"  # a folded text's filler, and a character it never holds
_NOT_A_COUNT = regex.compile(r"(?<!\\)\{(?!\d*,?\d*\})")
_MAX_CLASS = 64  # a character class of at most this many literals counts as literals
_FEW = 8  # an anchor besides the best one has at most this many literals


@dataclass(frozen=True)
class Anchor:
    """Every match holds one of `literals`, starting `min_off` to `max_off` (None: any number)
    characters after the match start; `chars` (a regex class body, None: any character) are
    the characters a match consists of."""

    literals: frozenset[str]
    min_off: int
    max_off: int | None
    chars: str | None


@dataclass(frozen=True)
class _Option:
    literals: frozenset[str]
    min_off: int
    max_off: int | None

    def score(self) -> tuple[int, int, int]:
        """Longer literals first, then fewer; white space is common (a space between Latin words)."""
        return min(len(x.strip()) for x in self.literals), min(len(x) for x in self.literals), -len(self.literals)


def anchor(pattern: str) -> Anchor | None:
    """The anchor of a `regex` pattern string, or None when it has none (scan it in full)."""
    tree = _parse(pattern)
    if tree is None:
        return None
    try:
        chars = _chars(tree.data)
        option = _required(tree)
    except _Unknown:
        return None
    if option is None or (option.max_off is None and chars is None):
        return None
    body = None if chars is None else "".join(sorted(chars))
    return Anchor(option.literals, option.min_off, option.max_off, body)


def anchor_parts(pattern: str, most: int = 2, few: int = _FEW) -> tuple[tuple[Anchor, ...], ...] | None:
    """Per alternative of the pattern (its top-level `|`, else the whole), up to `most` anchors that
    every match of it has, best first (`anchor`'s choice is the union of the best ones), the others
    of at most `few` literals (a class of characters or names occurs everywhere): a scan takes, text
    by text, the one whose literals occur least.  None when `anchor` gives None."""
    whole = anchor(pattern)
    tree = _parse(pattern)
    if whole is None or tree is None:
        return None
    items = list(tree.data)
    alternatives = items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [tree]
    parts: list[tuple[Anchor, ...]] = []
    for alt in alternatives:
        options = [o for o in _options(alt, (0, 0)) if o.max_off is not None or whole.chars is not None]
        options.sort(key=_Option.score, reverse=True)  # stable: of equal scores the first, as `_required`
        kept: list[Anchor] = []
        for o in options:
            a = Anchor(o.literals, o.min_off, o.max_off, whole.chars)
            if len(kept) < most and (not kept or len(a.literals) <= few) \
                    and all(a.literals != b.literals for b in kept):  # the same literals occur as often
                kept.append(a)
        if not kept:
            return None
        parts.append(tuple(kept))
    if all(len(options) == 1 for options in parts):
        return ((whole,),)  # one choice only: `anchor`'s
    # the alternatives of one anchor each are tried as one, as `anchor` joins them (fewer slots to fill)
    singles = [options[0] for options in parts if len(options) == 1]
    chosen = tuple(options for options in parts if len(options) > 1)
    if not singles:
        return chosen
    highs = [a.max_off for a in singles]
    joined = Anchor(frozenset().union(*(a.literals for a in singles)), min(a.min_off for a in singles),
                    None if None in highs else max(h for h in highs if h is not None), whole.chars)
    return ((joined,), *chosen)


@functools.lru_cache(maxsize=512)
def _parse(pattern: str) -> Any:
    """The standard parser's tree of a `regex` pattern string, or None when it cannot be read alike."""
    source = _HAN_ESCAPE.sub(lambda m: m.group(1) + _HAN, pattern)
    if _HAN in pattern or _NOT_A_COUNT.search(source):
        return None  # a brace that is no count: regex's fuzzy matching ({e<=1}), which re reads as text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # re warns of what it reads differently ([[:alpha:]])
            tree = sre_parse.parse(source)
    except (sre.error, RecursionError, Warning):
        return None
    if tree.state.flags & ~(sre.SRE_FLAG_UNICODE | sre.SRE_FLAG_MULTILINE) or tree.getwidth()[0] == 0:
        return None
    return tree


class _Unknown(Exception):
    """A construct this reading does not know: the pattern is scanned in full."""


def _width(items: Sequence[Any], state: Any) -> tuple[int, int | None]:
    lo, hi = sre_parse.SubPattern(state, list(items)).getwidth()
    return lo, (None if hi >= sre.MAXREPEAT else hi)


def _chars(items: Sequence[Any]) -> set[str] | None:
    """Regex class items (escaped characters, ranges, \\d, \\p{Han}) covering every character a
    match of `items` consumes; None when any character may be."""
    out: set[str] = set()
    for op, av in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT, sre.GROUPREF):
            continue  # zero width, or a copy of characters counted already
        if op is sre.LITERAL:
            out.add(_char(av))
        elif op is sre.IN:
            for iop, iav in av:
                if iop is sre.LITERAL:
                    out.add(_char(iav))
                elif iop is sre.RANGE:
                    if iav[0] <= ord(_HAN) <= iav[1]:
                        raise _Unknown
                    out.add(f"{regex.escape(chr(iav[0]))}-{regex.escape(chr(iav[1]))}")
                elif iop is sre.CATEGORY and iav in _CATEGORIES:
                    out.add(_CATEGORIES[iav])
                elif iop is sre.NEGATE or iop is sre.CATEGORY:
                    return None
                else:
                    raise _Unknown
        elif op in (sre.ANY, sre.NOT_LITERAL):
            return None
        elif op is sre.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unknown  # flags inside a group
            sub = _chars(av[3].data)
            if sub is None:
                return None
            out |= sub
        elif op is sre.BRANCH:
            for alt in av[1]:
                sub = _chars(alt.data)
                if sub is None:
                    return None
                out |= sub
        elif op in _REPEATS:
            sub = _chars(av[2].data)
            if sub is None:
                return None
            out |= sub
        elif op is sre.ATOMIC_GROUP:
            sub = _chars(av.data)
            if sub is None:
                return None
            out |= sub
        else:
            raise _Unknown
    return out


_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w"}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _char(code: int) -> str:
    return r"\p{Han}" if chr(code) == _HAN else regex.escape(chr(code))


def _members(items: Sequence[Any]) -> frozenset[str] | None:
    """The characters of a small character class of literals and ranges ([A-Z], [王李]), else None."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL and chr(av) != _HAN:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS and not av[0] <= ord(_HAN) <= av[1]:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
        if len(out) > _MAX_CLASS:
            return None
    return frozenset(out) if out else None


def _required(seq: Any, base: tuple[int, int | None] = (0, 0)) -> _Option | None:
    """The best literal set that every match of the sequence `seq` holds, with its offsets."""
    best: _Option | None = None
    for option in _options(seq, base):
        if best is None or option.score() > best.score():
            best = option
    return best


@functools.lru_cache(maxsize=4096)
def _options(seq: Any, base: tuple[int, int | None]) -> list[_Option]:
    """Literal sets that every match of the sequence `seq` holds, with their offsets: the best of each
    of its items that has one, in order (remembered: `anchor` and `anchor_parts` read one tree)."""
    out: list[_Option] = []
    items = list(seq.data)
    # the width of items[:k], item by item (a sequence's width is the sum of its items')
    lo: int = 0
    hi: int | None = 0
    for k, (op, av) in enumerate(items):
        at = (base[0] + lo, None if hi is None or base[1] is None else base[1] + hi)
        item_lo, item_hi = _width(items[k:k + 1], seq.state)
        lo += item_lo
        hi = None if hi is None or item_hi is None or hi + item_hi >= sre.MAXREPEAT else hi + item_hi
        option: _Option | None = None
        if op is sre.LITERAL and chr(av) != _HAN and (k == 0 or items[k - 1][0] is not sre.LITERAL
                                                     or chr(items[k - 1][1]) == _HAN):
            run = ""
            for op2, av2 in items[k:]:
                if op2 is not sre.LITERAL or chr(av2) == _HAN:
                    break
                run += chr(av2)
            option = _Option(frozenset([run]), at[0], at[1])
        elif op is sre.IN and (members := _members(av)) is not None:
            option = _Option(members, at[0], at[1])
        elif op is sre.SUBPATTERN and not (av[1] or av[2]):
            option = _required(av[3], at)
        elif op is sre.ATOMIC_GROUP:
            option = _required(av, at)
        elif op in _REPEATS and av[0] >= 1:
            option = _required(av[2], at)
        elif op is sre.BRANCH:
            alts = [_required(alt, at) for alt in av[1]]
            if alts and all(a is not None for a in alts):
                found = [a for a in alts if a is not None]
                highs = [a.max_off for a in found]
                option = _Option(frozenset().union(*(a.literals for a in found)), min(a.min_off for a in found),
                                 None if None in highs else max(h for h in highs if h is not None))
        if option is not None:
            out.append(option)
    return out


class PatternScanner:
    """The matches of several patterns in a text, in pattern order and then by start: what
    `pattern.finditer(text, overlapped=True)` of each gives (`finditer`), or a plain `finditer` (`scan`)."""

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self.anchors = [anchor(p.pattern) for p in self.patterns]
        self.runs = [None if a is None or a.chars is None else regex.compile(f"(?r)[{a.chars}]*")
                     for a in self.anchors]
        # per pattern and alternative, its anchors (each a slot the literal occurrences go to)
        self.parts = [anchor_parts(p.pattern) for p in self.patterns]
        self.slots: list[list[list[int]] | None] = []  # pattern -> alternative -> the slots of its anchors
        self.slot_pattern: list[int] = []  # slot -> its pattern
        table: dict[str, list[int]] = {}
        n = 0
        for parts in self.parts:
            if parts is None:
                self.slots.append(None)
                continue
            ids: list[list[int]] = []
            self.slots.append(ids)
            for options in parts:
                ids.append(list(range(n, n + len(options))))
                self.slot_pattern.extend([len(self.slots) - 1] * len(options))
                for a in options:
                    for lit in sorted(a.literals):
                        table.setdefault(lit, []).append(n)
                    n += 1
        self.n_slots = n
        self.automaton: Any = None
        if table:
            self.automaton = ahocorasick.Automaton()
            for lit, owners in table.items():
                self.automaton.add_word(lit, (len(lit), tuple(owners)))
            self.automaton.make_automaton()

    def starts(self, text: str, windows: Sequence[tuple[int, int]] | None = None) -> list[list[int] | None]:
        """Per pattern, the positions where a match may start (sorted), or None: anywhere; with
        `windows` (pos, endpos), those of the matches that lie in one (their literals too lie there).
        Linear in the text: the literal occurrences of each anchor are taken in order, and the run
        of match characters before each is read back only as far as the one before it.  Of the
        anchors of an alternative, the one whose literals occur least in `text` is taken."""
        found: list[list[int] | None] = [None] * self.n_slots  # per slot, where its literals start
        for pos, endpos in [(0, len(text))] if windows is None else windows:
            for end, (length, owners) in self.automaton.iter(text, pos, endpos) if self.automaton is not None else ():
                p = end - length + 1
                for slot in owners:
                    hits = found[slot]
                    if hits is None:
                        found[slot] = [p]
                    else:
                        hits.append(p)
        out: list[list[int] | None] = [None if parts is None else [] for parts in self.parts]
        for i in sorted({self.slot_pattern[slot] for slot, hits in enumerate(found) if hits}):  # patterns hit
            parts, slots, run = self.parts[i], self.slots[i], self.runs[i]
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
                    each.append(_candidates(options[j], run, chosen, text))
            out[i] = [] if not each else each[0] if len(each) == 1 else sorted(set().union(*each))
        return out

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
        for i, (pattern, starts) in enumerate(zip(self.patterns, self.starts(text, windows), strict=True)):
            if starts is not None and not starts:
                continue
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


def _candidates(a: Anchor, run: regex.Pattern[str] | None, literals: list[int], text: str) -> list[int]:
    """Every position (sorted, each once) where a match of the pattern of anchor `a` may start, given
    where its literals start: `min_off` to `max_off` characters before one, with only match
    characters (the reverse pattern `run`, None: any) between."""
    if not literals:
        return []
    ps = sorted(set(literals)) if len(literals) > 1 else literals
    low, high = a.min_off, a.max_off
    if high == low:  # a fixed offset: one position per literal
        return [p - low for p in ps if p >= low] if low else ps
    out: list[int] = []
    upto = -1  # the positions up to this one are out already
    back = run.match if run is not None else None
    prev, prev_first = -1, -1  # the last literal start, and the true start of its run (-1: not known)
    for p in ps:
        hi = p - low
        if hi < 0:
            continue
        lo = 0 if high is None or p < high else p - high
        if back is not None and lo < hi:
            m = back(text, prev, p) if prev_first >= 0 else None  # reverse, anchored at p, back to prev
            if m is not None and m.start() == prev:
                first = prev_first  # the run goes on from the previous literal's
            else:
                m = back(text, lo, p)  # read back no further than lo
                first = p if m is None else m.start()
                if first == lo and lo > 0:
                    first = -1  # cut at lo: its true start is not known
            prev, prev_first = p, first
            if first > lo:
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


def folded_automaton(words: Iterable[str], word_freq: Mapping[str, int] | None = None) -> tuple[Any, list[int] | dict[int, int]]:
    """An Aho-Corasick automaton of `words` (each its own value), and a `str.translate` table that folds every other
    character (of the Basic Multilingual Plane) into one filler (NUL) before the automaton runs.

    pyahocorasick looks a character up among a node's children one by one, so the root, with a
    child per first character of an alias, is slow to pass.  Every character it can meet gets a
    root child, the filler first and then by the dictionary frequency of the character, each by
    a word ending in a character that the folded text never holds (SOH), which never matches: the
    hits are those of the plain automaton of the words (an empty table: that automaton, when a
    word holds the filler or that character)."""
    aliases = list(words)
    word_freq = word_freq or {}
    automaton = ahocorasick.Automaton()
    chars = {c for alias in aliases for c in alias}
    if not chars or chars & {_FILL, _NEVER}:
        for alias in aliases:
            automaton.add_word(alias, alias)
        if chars:
            automaton.make_automaton()
        return automaton, {}
    for c in [_FILL, *sorted(chars, key=lambda c: (-(word_freq.get(c) or 0), c))]:
        automaton.add_word(c + _NEVER, None)
    for alias in aliases:
        automaton.add_word(alias, alias)
    automaton.make_automaton()
    fold = [ord(_FILL)] * 0x10000  # characters beyond it stay as they are
    for c in chars:
        if ord(c) < len(fold):
            fold[ord(c)] = ord(c)
    return automaton, fold
