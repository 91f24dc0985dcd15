"""Find input files, detect their encoding and decode them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .types import InputError

_BOM = b"\xef\xbb\xbf"
# UTF-32 first: its little-endian BOM begins with UTF-16's
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode `data` as UTF-8 (BOM stripped), UTF-16 or UTF-32 (with a BOM, stripped), GB18030 or Big5;
    return (text, encoding)."""
    for bom, wide in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(wide), wide  # the codec reads the byte order from the BOM and drops it
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: has a {wide.upper()} BOM but is not valid {wide.upper()} "
                                 f"(byte {exc.start})") from None
    if data.startswith(_BOM):
        data = data[len(_BOM):]
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: has a UTF-8 BOM but is not valid UTF-8 (byte {exc.start})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InputError(f"{name}: binary data (NUL bytes), not a text file")
    candidates: list[tuple[float, str, str]] = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), encoding, text))
    if not candidates:
        raise InputError(f"{name}: not valid UTF-8, GB18030 or Big5")
    score, encoding, text = max(candidates, key=lambda c: c[0])
    if score < 0.5:
        raise InputError(f"{name}: not valid UTF-8, and as {encoding} it does not read as Chinese text")
    return text, encoding


def _plausibility(text: str) -> float:
    """Share of the letters of `text` that are common Chinese characters or ASCII."""
    common = _common_chars()
    sample = [c for c in text[:4000] if not c.isspace()]
    if not sample:
        return 1.0
    good = sum(1 for c in sample if c.isascii() or c in common)
    return good / len(sample)


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The commonest Chinese characters in both scripts, from the codecs themselves: the 3,755
    level-1 characters of GB2312 (rows 16-55) and the 5,401 frequent characters of Big5
    (0xA440-0xC67E), with the common punctuation."""
    pairs = [(bytes((row, cell)), "gb2312") for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)]
    pairs += [(bytes((lead, trail)), "big5") for lead in range(0xA4, 0xC7)
              for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)) if (lead, trail) <= (0xC6, 0x7E)]
    chars = "".join(pair.decode(codec, errors="ignore") for pair, codec in pairs)
    return frozenset(chars) - frozenset("\ufffd") | frozenset("，。、；：？！“”‘’（）《》「」『』·—…％")


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode one file; offsets of the result are code points, newlines kept."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decode_bytes(data, str(path))


def find_inputs(root: Path) -> Iterator[Path]:
    """Every `*.txt` under `root` (or `root` itself if it is a file), sorted, symlink loops skipped."""
    if root.is_file():
        yield root
        return
    seen: set[tuple[int, int]] = set()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            dirnames[:] = []
            continue
        seen.add(key)
        dirnames.sort()
        found.extend(Path(dirpath) / f for f in filenames if f.endswith(".txt"))
    yield from sorted(found)


def doc_id_for(path: Path, root: Path) -> tuple[str, str]:
    """(doc_id, source) of `path` relative to the corpus root, `/`-separated."""
    rel = path.name if root.is_file() else path.relative_to(root).as_posix()
    doc_id = rel[: -len(path.suffix)] if path.suffix else rel
    return doc_id, rel
