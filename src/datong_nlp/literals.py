"""What literals every match of a regex pattern holds, read from the pattern (for `anchors.py`).

Each pattern is read once, with the standard library's regex parser: a set of literal strings one
of which every match holds (`市委` of `{GPE}市委`), how far into a match it can lie, and the
characters a match can consist of (lookarounds aside).  `anchor` gives the best such set of a
pattern; `anchor_parts`, per top-level alternative, the best few, of which a scan takes the one
whose literals occur least in the text at hand.  A pattern this reading cannot bound gets None.
`analyse` gives both for a list of patterns through the load cache (`loadcache.py`), so that a new
process does not parse every pattern again.
"""

from __future__ import annotations

import functools
import importlib
import marshal
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import regex

__all__ = ["Anchor", "Parts", "analyse", "anchor", "anchor_parts"]

# the standard library's own regex parser (no public name, no type stubs)
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")
_HAN = "\ue000"  # stands for \p{Han} while the standard parser reads a pattern
_HAN_ESCAPE = regex.compile(r"(?<!\\)((?:\\\\)*)\\p\{Han\}")
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


Parts = tuple[tuple[Anchor, ...], ...]  # what `anchor_parts` gives: per alternative, its anchors


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


def anchor_parts(pattern: str, most: int = 2, few: int = _FEW) -> Parts | None:
    """Per alternative of the pattern (its top-level `|`, else the whole), up to `most` anchors that
    every match of it has, best first (`anchor`'s choice is the union of the best ones), the others
    of at most `few` literals (a class of characters or names occurs everywhere): a scan takes, text
    by text, the one whose literals occur least.  An anchor's `chars` are those of its alternative's
    matches (a run before a list item's 、 holds no 第 or 条 of another alternative).  None when
    `anchor` gives None."""
    whole = anchor(pattern)
    tree = _parse(pattern)
    if whole is None or tree is None:
        return None
    items = list(tree.data)
    alternatives = items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [tree]
    parts: list[tuple[Anchor, ...]] = []
    kinds: list[set[str] | None] = []  # per alternative, the characters its matches consist of (None: any)
    for alt in alternatives:
        try:
            kinds.append(_chars(alt.data) if len(alternatives) > 1 else None)
        except _Unknown:  # not met: `anchor` read every alternative
            return None
        chars = whole.chars if len(alternatives) == 1 or kinds[-1] is None else "".join(sorted(kinds[-1]))
        options = [o for o in _options(alt, (0, 0)) if o.max_off is not None or chars is not None]
        options.sort(key=_Option.score, reverse=True)  # stable: of equal scores the first, as `_required`
        kept: list[Anchor] = []
        for o in options:
            a = Anchor(o.literals, o.min_off, o.max_off, chars)
            if len(kept) < most and (not kept or len(a.literals) <= few) \
                    and all(a.literals != b.literals for b in kept):  # the same literals occur as often
                kept.append(a)
        if not kept:
            return None
        parts.append(tuple(kept))
    if all(len(options) == 1 for options in parts):
        return ((whole,),)  # one choice only: `anchor`'s
    # the alternatives of one anchor each are tried as one per span of offsets, as `anchor` joins them (fewer
    # slots to fill; a fixed offset is not joined to a run, 第 of 第N条 to 、 of a list item: `[\d]+、`)
    singles: dict[tuple[int, int | None], list[tuple[Anchor, set[str] | None]]] = {}
    for part, kind in zip(parts, kinds, strict=True):
        if len(part) == 1:
            singles.setdefault((part[0].min_off, part[0].max_off), []).append((part[0], kind))
    joined: list[tuple[Anchor, ...]] = []
    for (low, high), group in singles.items():
        found = [k for _, k in group]
        chars = None if None in found else "".join(sorted(set().union(*(k for k in found if k is not None))))
        joined.append((Anchor(frozenset().union(*(a.literals for a, _ in group)), low, high, chars),))
    return (*joined, *(part for part in parts if len(part) > 1))


def analyse(patterns: Sequence[str]) -> list[tuple[Anchor | None, Parts | None]]:
    """(`anchor`, `anchor_parts`) of each pattern string, from the load cache when it holds them
    (an entry per list of patterns; it depends on nothing but the strings and this code)."""
    from .loadcache import pattern_anchors  # here: the cache's module needs this one's types only

    sources = list(patterns)
    return pattern_anchors(sources, lambda: [(anchor(p), anchor_parts(p)) for p in sources],
                           _dumps, lambda data: _loads(data, len(sources)))


_Stored = tuple[tuple[str, ...], int, int | None, str | None]  # an `Anchor` as marshal stores it


def _dumps(analysis: list[tuple[Anchor | None, Parts | None]]) -> bytes:
    def plain(a: Anchor) -> _Stored:
        return tuple(sorted(a.literals)), a.min_off, a.max_off, a.chars

    return marshal.dumps([(None if a is None else plain(a),
                           None if parts is None else tuple(tuple(plain(o) for o in options) for options in parts))
                          for a, parts in analysis])


def _loads(data: bytes, count: int) -> list[tuple[Anchor | None, Parts | None]]:
    def anchor_of(item: Any) -> Anchor:
        literals, low, high, chars = item
        if not (isinstance(literals, tuple) and literals and all(isinstance(x, str) for x in literals)
                and isinstance(low, int) and (high is None or isinstance(high, int))
                and (chars is None or isinstance(chars, str))):
            raise ValueError("not an anchor")
        return Anchor(frozenset(literals), low, high, chars)

    items = marshal.loads(data)
    if not isinstance(items, list) or len(items) != count:
        raise ValueError("not one analysis per pattern")
    return [(None if a is None else anchor_of(a),
             None if parts is None else tuple(tuple(anchor_of(o) for o in options) for options in parts))
            for a, parts in items]


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
