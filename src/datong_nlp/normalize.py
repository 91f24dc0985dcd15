"""Normalise text for matching: fold odd characters, convert to simplified.

Matching runs on the normalised text; every offset found there is mapped back
to the original text through `Normalised.to_original`.  Folding keeps the
length (one character for one); OpenCC's phrase conversion may not, so lines
whose length changes are aligned character by character.
"""

from __future__ import annotations

import difflib
import itertools
import json
import os
import tempfile
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import opencc
import regex

if TYPE_CHECKING:
    import numpy as np


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = chr(cp - 0xFEE0)
    for cp in (0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000):
        table[cp] = " "
    for cp in (0x2027, 0x30FB, 0xFF65, 0x2022, 0x2219, 0x22C5):  # middle dots in names (晋创谷·大同)
        table[cp] = "\u00b7"
    ranges = [(0xF900, 0xFB00), (0x2F800, 0x2FA20), (0x2F00, 0x2FD6), (0x2E80, 0x2EF4)]
    for lo, hi in ranges:  # CJK compatibility ideographs, Kangxi and supplementary radicals
        for cp in range(lo, hi):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    return table


FOLD_TABLE = _build_fold_table()
# a long line is aligned a piece at a time, cut after these (no conversion phrase spans them)
_PIECE_END = regex.compile(r"[。！？!?，,；;：:、\s]")
_PIECE_MAX = 2000  # a piece with no such character is cut here (checked: the pieces must convert alike)
LONG = 4096  # texts this long are translated and counted through code-point arrays (codepoints.py)
ARRAYS_FROM = 128  # once numpy is loaded (a long text came), texts this long go through the arrays too (faster)
_SCRIPT_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))  # the characters `script` counts (inclusive)
_SCRIPT_MARKS = (None, "\x01", "\x02", None)  # `_script_class` -> the mark `script` counts (1: traditional, 2: simplified)
_fold_lut: list[Any] = []  # FOLD_TABLE as an array, made on the first long text


def fold(text: str) -> str:
    """Fold full-width forms, odd spaces, middle dots and compatibility ideographs (same length)."""
    if len(text) < (ARRAYS_FROM if _fold_lut else LONG):
        return text.translate(FOLD_TABLE)
    from . import codepoints
    if not _fold_lut:
        _fold_lut.append(codepoints.table(FOLD_TABLE))
    return codepoints.translate(text, _fold_lut[0])


_IDENTITY_MAX = 1 << 21  # offsets kept in `_identity`'s array at most (16 MB)
_identity_array = array("l")


def _identity(n: int) -> array:
    """An array holding 0, 1, ... up to at least n - 1, whose slices copy runs of offsets at C speed:
    one array kept for the process, grown by doubling up to `_IDENTITY_MAX`."""
    if n <= len(_identity_array):
        return _identity_array
    if n > _IDENTITY_MAX:
        return array("l", range(n))
    size = max(n, 2 * len(_identity_array), 1024)
    _identity_array.extend(range(len(_identity_array), min(size, _IDENTITY_MAX)))
    return _identity_array


@dataclass(frozen=True)
class Normalised:
    """A text and its normalised form, with the map between their offsets.

    `starts[i]`/`ends[i]` give the original span of normalised character i;
    both are None when the two texts have the same length, position for position.
    """

    original: str
    text: str
    starts: array | None = None
    ends: array | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to a span of the original."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def s2t_characters() -> opencc.OpenCC:
    """OpenCC's `s2t` without its phrase dictionaries: the same conversion of any one character
    (checked over every character `script` counts, tests/test_normalize.py), 26 MB less memory.

    OpenCC finds a configuration's dictionaries beside it or in the working folder, so the
    configuration is written with absolute paths to a temporary file, read, and removed."""
    share = os.path.join(os.path.dirname(opencc.__file__), "clib", "share", "opencc")
    config = {"name": "s2t, characters only",
              "normalization": [{"dict": {"type": "ocd2", "file": os.path.join(share, "CJK_Compatibility_Ideographs.ocd2")}}],
              "conversion_chain": [{"dict": {"type": "ocd2", "file": os.path.join(share, "STCharacters.ocd2")}}]}
    try:
        fd, path = tempfile.mkstemp(suffix=".json", prefix="datong-s2t-")
    except OSError:  # no writable temporary folder: the whole converter, same answers
        return opencc.OpenCC("s2t")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        return opencc.OpenCC(path)
    finally:
        os.unlink(path)


class Normaliser:
    """Folding plus OpenCC traditional-to-simplified conversion, with offsets."""

    def __init__(self, config: str = "t2s", convert: Callable[[str], str] | None = None) -> None:
        self._t2s = opencc.OpenCC(config)
        self._s2t = s2t_characters()  # only ever asked about single characters
        self._convert = convert or self._t2s.convert
        self._whole = convert is None  # OpenCC's own conversion: a text may be converted whole
        self._char_cache: dict[str, str] = {}
        self._char_table: dict[int, str] = {}  # str.translate table of the characters that change
        self._t2s_cache: dict[str, str] = {}
        self._s2t_cache: dict[str, str] = {}
        # str.translate table of `script`: a counted character to its class mark (deleted if neither
        # class); the marks themselves deleted, every other character left as it is
        self._script_table: dict[int, str | None] = dict.fromkeys(map(ord, _SCRIPT_MARKS[1:3]), None)
        self._script_seen: set[str] = set()  # the characters `_script_table` has decided
        self._arrays: _Arrays | None = None  # the caches as code-point arrays, made on the first long text

    def simplify(self, text: str) -> str:
        """Fold and convert a short string (a rule word, an alias): with `str.translate` whatever its
        length, so that loading the rules (all aliases in one string) imports no numpy."""
        return self._convert(text.translate(FOLD_TABLE))

    def normalise(self, original: str) -> Normalised:
        """Fold and convert `original`, keeping the offset map back to it."""
        folded = fold(original)
        charwise = self._charwise(folded)
        text = self._convert(folded) if self._whole else ""
        if self._whole and text == charwise:
            return Normalised(original, text)
        lines = folded.splitlines(keepends=True)
        # OpenCC's phrases never span a line break: the whole text converts as its lines do, so
        # its lines are theirs (unless a line break changed, never seen: then line by line)
        converted = text.splitlines(keepends=True) if self._whole else []
        if len(converted) != len(lines):
            converted = [self._convert(line) for line in lines]
            text = "".join(converted)
        # A line keeps positions when its phrase conversion equals its character-by-character
        # conversion (each character maps to one); otherwise it is aligned.  All lines keep them
        # when the whole texts are equal (their line breaks then fall at the same places).
        if text == charwise:
            return Normalised(original, text)
        identity = _identity(len(folded) + 1)
        starts, ends = array("l"), array("l")
        offset = kept = 0  # [kept, offset): a run of lines that keep their positions, mapped at once
        for line, out in zip(lines, converted, strict=True):
            if len(line) != len(out) or charwise[offset:offset + len(line)] != out:
                starts.extend(identity[kept:offset])
                ends.extend(identity[kept + 1:offset + 1])
                spans = self._align_pieces(line, out)
                starts.extend([offset + s for s, _ in spans])
                ends.extend([offset + e for _, e in spans])
                kept = offset + len(line)
            offset += len(line)
        starts.extend(identity[kept:offset])
        ends.extend(identity[kept + 1:offset + 1])
        return Normalised(original, text, starts, ends)

    def _char(self, ch: str) -> str:
        out = self._char_cache.get(ch)
        if out is None:
            out = self._convert(ch)
            out = out if len(out) == 1 else ch
            self._char_cache[ch] = out
            if out != ch:
                self._char_table[ord(ch)] = out
            if self._arrays is not None:
                self._arrays.seen[ord(ch)] = True
                self._arrays.chars[ord(ch)] = ord(out)
        return out

    def _charwise(self, line: str) -> str:
        """`line` converted one character at a time: always the same length."""
        if len(line) < (ARRAYS_FROM if self._arrays is not None else LONG):
            for c in set(line).difference(self._char_cache):
                self._char(c)
            return line.translate(self._char_table)
        from . import codepoints
        arrays = self._get_arrays()
        codes = codepoints.code_points(line)
        for cp in codepoints.unseen(codes, arrays.seen):
            self._char(chr(cp))
        return codepoints.from_code_points(arrays.chars[codes])

    def _get_arrays(self) -> _Arrays:
        if self._arrays is None:
            self._arrays = _Arrays(self._char_cache, self._char_table)
        return self._arrays

    def _align_pieces(self, line: str, out: str) -> list[tuple[int, int]]:
        """`_align` a piece at a time, so that a line with no sentence end costs linear time;
        the whole line at once where the pieces convert differently from it."""
        cuts = [0]
        for m in _PIECE_END.finditer(line):
            while m.end() - cuts[-1] > _PIECE_MAX:
                cuts.append(cuts[-1] + _PIECE_MAX)
            if m.end() - cuts[-1] >= 200:
                cuts.append(m.end())
        while len(line) - cuts[-1] > _PIECE_MAX:
            cuts.append(cuts[-1] + _PIECE_MAX)
        cuts.append(len(line))
        if len(cuts) <= 2:
            return self._align(line, out)
        pieces = [line[a:b] for a, b in itertools.pairwise(cuts) if b > a]
        outs = [self._convert(piece) for piece in pieces]
        if "".join(outs) != out:
            return self._align(line, out)
        spans: list[tuple[int, int]] = []
        offset = 0
        for piece, piece_out in zip(pieces, outs, strict=True):
            if len(piece) == len(piece_out) and self._charwise(piece) == piece_out:
                spans.extend((offset + k, offset + k + 1) for k in range(len(piece)))
            else:
                spans.extend((offset + a, offset + b) for a, b in self._align(piece, piece_out))
            offset += len(piece)
        return spans

    def _align(self, line: str, out: str) -> list[tuple[int, int]]:
        """Original span of each character of `out`, the phrase conversion of `line`."""
        charwise = self._charwise(line)
        if _aligned_in_place(charwise, out):  # what difflib gives there, without it
            return [(k, k + 1) for k in range(len(out))]
        spans: list[tuple[int, int]] = []
        matcher = difflib.SequenceMatcher(None, charwise, out, autojunk=False)
        blocks: list[list[int]] = []  # runs of equal text, and merged runs of changed text
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            changed = tag != "equal"
            if changed and blocks and blocks[-1][4]:
                blocks[-1][1], blocks[-1][3] = i2, j2
            else:
                blocks.append([i1, i2, j1, j2, changed])
        for i1, i2, j1, j2, _ in blocks:
            if (i2 - i1) == (j2 - j1):
                spans.extend((i1 + k, i1 + k + 1) for k in range(j2 - j1))
            elif i2 > i1:
                spans.extend((i1, i2) for _ in range(j2 - j1))
            else:  # inserted text: attach to the character before (or after, at the start)
                anchor = (i1 - 1, i1) if i1 > 0 else (0, min(1, len(line)))
                spans.extend(anchor for _ in range(j2 - j1))
        return spans

    def script(self, text: str) -> str:
        """`traditional`, `simplified` or `mixed`, from the characters that differ."""
        trad = simp = 0
        if len(text) >= (ARRAYS_FROM if self._arrays is not None else LONG):
            from . import codepoints
            counts = codepoints.class_counts(text, self._get_arrays().script, self._script_class, 4)
            trad, simp = counts[1], counts[2]
        else:  # each counted character translated to its class mark, the marks counted
            table = self._script_table
            for ch in set(text).difference(self._script_seen):
                self._script_seen.add(ch)
                if any(lo <= ord(ch) <= hi for lo, hi in _SCRIPT_RANGES):
                    table[ord(ch)] = _SCRIPT_MARKS[self._script_class(ord(ch))]
            marks = text.translate(table)
            trad, simp = marks.count(_SCRIPT_MARKS[1]), marks.count(_SCRIPT_MARKS[2])
        if trad + simp == 0:
            return "simplified"
        share = trad / (trad + simp)
        if share >= 0.8:
            return "traditional"
        if share <= 0.2:
            return "simplified"
        return "mixed"

    def _script_class(self, cp: int) -> int:
        """1: a traditional character, 2: a simplified one, 3: neither (as `script` counts them)."""
        ch = chr(cp)
        return 1 if self._t2s_char(ch) != ch else 2 if self._s2t_char(ch) != ch else 3

    def _t2s_char(self, ch: str) -> str:
        return _convert_char(self._t2s, ch, self._t2s_cache)

    def _s2t_char(self, ch: str) -> str:
        return _convert_char(self._s2t, ch, self._s2t_cache)


class _Arrays:
    """A `Normaliser`'s character caches as code-point arrays (codepoints.py), kept in step with them."""

    def __init__(self, char_cache: dict[str, str], char_table: dict[int, str]) -> None:
        import numpy as np

        from . import codepoints
        self.chars: np.ndarray = codepoints.table(char_table)  # `_char_table`
        self.seen: np.ndarray = np.zeros(codepoints.CODES, dtype=bool)  # the characters of `_char_cache`
        self.seen[[ord(c) for c in char_cache]] = True
        # `_script_class`, 0: not yet; 3 (neither, not counted) outside the ranges `script` counts
        self.script: np.ndarray = np.full(codepoints.CODES, 3, dtype=np.uint8)
        for lo, hi in _SCRIPT_RANGES:
            self.script[lo:hi + 1] = 0


def _aligned_in_place(a: str, b: str) -> bool:
    """Whether `difflib.SequenceMatcher(None, a, b, autojunk=False)` pairs `a` and `b` position by
    position, known without running it: so it does when they have the same length and each position
    where they differ holds, in `a`, a character `b` lacks and, in `b`, one `a` lacks.  (No common
    substring then holds such a position; in each range, equal in both, the longest match is the
    first longest run of equal positions, a run that is as long elsewhere in `b` being one in `a` too,
    so it lies on the diagonal, and so do the ranges either side of it.)  Checked by masking the
    characters only one side has: the masked texts are equal."""
    if len(a) != len(b):
        return False
    chars_a, chars_b = set(a), set(b)
    mask = next(ch for ch in map(chr, itertools.count()) if ch not in chars_a and ch not in chars_b)
    return (a.translate(dict.fromkeys(map(ord, chars_a - chars_b), mask))
            == b.translate(dict.fromkeys(map(ord, chars_b - chars_a), mask)))


def _convert_char(cc: opencc.OpenCC, ch: str, cache: dict[str, str]) -> str:
    """`ch` converted alone by `cc` (unchanged if it would become several characters), remembered in `cache`."""
    out = cache.get(ch)
    if out is None:
        out = cc.convert(ch)
        out = cache[ch] = out if len(out) == 1 else ch
    return out
