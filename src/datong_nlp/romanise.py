"""Pinyin of person names without loading pypinyin: `pinyin_text(s)` is `"".join(lazy_pinyin(s))`.

pypinyin's import costs 0.2-0.3 s and 49 MB (its phrase dictionary as nested lists, and a
prefix set over it).  What `lazy_pinyin` does with a string of Han characters is small:
pypinyin's forward maximum matching (`pypinyin.seg.mmseg`, strict mode) cuts it into
phrases of its phrase dictionary and single characters, and each piece gets its own
romanisation.  This module keeps exactly those answers in one load-cache entry (built once
by pypinyin itself: `lazy_pinyin([piece])` of every phrase and every character), grouped by
first character and unpacked a group at a time, and runs the same matching over them.

A string with a character outside the table (no reading in pypinyin, or outside pypinyin's
Han ranges) goes to pypinyin itself, as does everything when the load cache is off.  The
entry is keyed by pypinyin's version, its dictionary files and `PYPINYIN_NO_PHRASES`; a
process that changes pypinyin's dictionaries at run time (`load_phrases_dict`) is not seen.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
from pathlib import Path

from . import loadcache

_FORMAT = 1  # bumped when the entry's layout changes
Table = dict[str, str]  # character -> its romanisation, then one line per phrase (or phrase prefix) it starts
_Group = tuple[str, dict[str, str | None]]  # a character's own romanisation; rest of a phrase -> its romanisation
# (None: only the start of longer phrases)


def pinyin_text(text: str) -> str:
    """`"".join(pypinyin.lazy_pinyin(text))`, from the table where every character of `text` is in it."""
    if not text:
        return ""  # as lazy_pinyin(""): a one-character name has no given name
    table = _table()
    if table is None or not all(c in table for c in text):
        return _lazy_pinyin(text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:  # pypinyin.seg.mmseg.Seg.cut with no_non_phrases=True, piece by piece
        own, phrases = _group(text[i])
        if not phrases:  # the character starts no phrase: a piece of its own
            out.append(own)
            i += 1
            continue
        last_end, last = 0, ""
        k = i + 1  # text[i:k + 1] is the candidate
        while k < n:
            rest = phrases.get(text[i + 1:k + 1], _MISSING)
            if rest is _MISSING:  # no phrase starts so: the longest phrase found, else one character
                break
            if rest is not None:
                last_end, last = k + 1, rest
            k += 1
        if last_end:
            out.append(last)
            i = last_end
        elif k < n:
            out.append(own)
            i += 1
        else:  # every start up to the end is a phrase prefix and none a phrase: all single characters
            out.extend(_group(c)[0] for c in text[i:])
            i = n
    return "".join(out)


_MISSING = "\0missing"


def _lazy_pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # imported when first needed: it costs 0.2-0.3 s and 49 MB

    return "".join(lazy_pinyin(text))


@functools.lru_cache(maxsize=1)
def _table() -> Table | None:
    """The table from the load cache (built there on a miss), or None without a cache or pypinyin files."""
    if loadcache.cache_dir() is None:
        return None
    name = _entry_name()
    if name is None:
        return None
    return loadcache.cached(name, _build, marshal.dumps, _loads)


@functools.cache
def _group(char: str) -> _Group:
    table = _table()
    assert table is not None
    own, *lines = table[char].split("\n")
    phrases: dict[str, str | None] = {}
    for line in lines:
        rest, _tab, roman = line.partition("\t")
        phrases[rest] = roman if _tab else None
    return own, phrases


def _entry_name() -> str | None:
    """The load-cache entry of the table: keyed by pypinyin's version and dictionary files."""
    spec = importlib.util.find_spec("pypinyin")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0])
    key = [loadcache.code_fingerprint(), str(_FORMAT), os.environ.get("PYPINYIN_NO_PHRASES", "")]
    try:
        for file in ("__init__.py", "pinyin_dict.json", "phrases_dict.json", "constants.py", "converter.py"):
            st = (folder / file).stat()
            key.append(f"{folder / file}\0{st.st_size}\0{st.st_mtime_ns}")
    except OSError:
        return None
    return hashlib.sha256("\0".join(key).encode()).hexdigest()[:40] + ".pinyin"


def _build() -> Table:
    """Every character pypinyin reads (in its Han ranges) and every phrase, romanised by pypinyin;
    empty (pypinyin for every name) if pypinyin has one-character phrases, which it does not model."""
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS

    if any(len(p) < 2 for p in PHRASES_DICT):
        return {}
    chars = {chr(c) for c in PINYIN_DICT if RE_HANS.match(chr(c))}
    groups: dict[str, dict[str, str | None]] = {c: {} for c in chars}
    for phrase in PHRASES_DICT:
        reach = next((k for k, c in enumerate(phrase) if c not in chars), len(phrase))  # what a text of
        if reach == 0:  # table characters can match of it
            continue
        group = groups[phrase[0]]
        for k in range(2, min(reach, len(phrase) - 1) + 1):
            group.setdefault(phrase[1:k], None)  # a prefix: the matching goes on through it
        if reach == len(phrase):
            group[phrase[1:]] = "".join(lazy_pinyin([phrase]))  # one piece, as the matching hands it over
    return {c: "\n".join(["".join(lazy_pinyin([c])), *(r if v is None else f"{r}\t{v}" for r, v in group.items())])
            for c, group in groups.items()}


def _loads(data: bytes) -> Table:
    table = marshal.loads(data)
    if not (isinstance(table, dict) and {*map(type, table), *map(type, table.values())} <= {str}):  # by C loops
        raise ValueError("not a table of strings")
    return table
