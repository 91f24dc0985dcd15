"""Character tables as arrays indexed by code point, for long texts: `str.translate` with a dict
costs a lookup per character, an array lookup costs a fraction of that.  Imported (with numpy)
only when a long text is normalised."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

CODES = 0x110000  # every code point


def identity() -> np.ndarray:
    """The table that maps every code point to itself."""
    return np.arange(CODES, dtype=np.uint32)


def table(mapping: dict[int, str]) -> np.ndarray:
    """A `str.translate` table of one-character values as an array."""
    lut = identity()
    for cp, out in mapping.items():
        lut[cp] = ord(out)
    return lut


def code_points(text: str) -> np.ndarray:
    """The code points of `text` as an array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def from_code_points(codes: np.ndarray) -> str:
    """The text of an array of code points."""
    return codes.astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def translate(text: str, lut: np.ndarray) -> str:
    """`text.translate` for a table whose values are single characters, given as an array."""
    return from_code_points(lut[code_points(text)])


def distinct(codes: np.ndarray) -> list[int]:
    """The distinct values of `codes`, in order: `np.unique(codes).tolist()` without `np.unique`,
    whose first call imports `numpy.ma` (0.05 s of every process that reads a long text)."""
    ordered = np.sort(codes)
    keep = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep].tolist()


def unseen(codes: np.ndarray, seen: np.ndarray) -> list[int]:
    """The distinct code points of `codes` not marked in `seen`, in order."""
    return distinct(codes[~seen[codes]])


def class_counts(text: str, classes: np.ndarray, classify: Callable[[int], int], n_classes: int) -> list[int]:
    """How many characters of `text` fall in each of `n_classes` classes of `classes` (code point ->
    class; 0: not known yet, then set by `classify(code point)`)."""
    codes = code_points(text)
    found = classes[codes]
    unknown = distinct(codes[found == 0])
    if unknown:
        for cp in unknown:
            classes[cp] = classify(cp)
        found = classes[codes]
    return np.bincount(found, minlength=n_classes).tolist()
