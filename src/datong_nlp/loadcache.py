"""A cache of what the extractor load builds from files: the validated rule set, the columns of
jieba's dictionary and its lexicon (`lexicon.py`), the frequencies the segmenter gives the rules'
words (and, by `romanise.py`, pypinyin's answers for names; by `literals.py`, the literals of the
rules' patterns), so that a new process (`extract` on one file, every worker of a cluster) skips
the YAML, the checks, the dictionary parse, the cuts that choose those frequencies, pypinyin's
import and the patterns' parse.

Where: `$DATONG_NLP_CACHE` if set, else `$XDG_CACHE_HOME/datong-nlp`, else `~/.cache/datong-nlp`.
`DATONG_NLP_CACHE=off` (or `0`, `no`, or empty) turns it off.

An entry's name is a SHA-256 over everything its content depends on: the rules' hash
(`provenance.rules_sha256`) and folder, the tool version, the source of this package (a
checkout's edits change it though the version does not), the Python version and the versions
of PyYAML, regex and OpenCC; for the dictionary's columns, the file's path, size and time; for
the words' frequencies, the words themselves, the dictionary file and the jieba-rs extension's
file.  An edit
to any of them is a miss, never a stale hit.  Entries are written atomically (a temporary file
renamed) and hold a SHA-256 of their payload; one that is unreadable, truncated or altered is
ignored (and rebuilt).  The folder must belong to the user and be writable by no one else,
since a pickle is code: otherwise the cache is not used.  At most `MAX_ENTRIES` are kept.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .provenance import TOOL_VERSION, default_rules_dir, rules_sha256

if TYPE_CHECKING:
    from .normalize import Normaliser
    from .rules import RuleSet

log = logging.getLogger("datong_nlp")
CACHE_ENV = "DATONG_NLP_CACHE"
MAX_ENTRIES = 32  # a version of the code and rules writes eight: four versions fit
_MAGIC = b"datong-nlp load cache 1\n"
_OFF = ("", "0", "off", "no", "false")
_SUFFIXES = (".rules", ".dict", ".words", ".pinyin", ".lexicon", ".anchors")  # the kinds of entry
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "datong-nlp"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over this package's Python source and the versions of what builds the cached objects."""
    import opencc
    import regex

    digest = hashlib.sha256(f"{TOOL_VERSION}\0{sys.version}\0{_yaml_version()}\0{regex.__version__}\0"
                            f"{getattr(opencc, '__version__', '')}\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _yaml_version() -> str:
    """PyYAML's version, without importing it (a process that reads its rules from the cache never
    does): the name of its `PyYAML-*.dist-info` folder, else the size and time of its package file."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return ""
    origin = Path(spec.origin)
    infos = sorted(p.name for p in origin.parent.parent.glob("[Pp]y[Yy][Aa][Mm][Ll]-*.dist-info"))
    st = origin.stat()
    return f"{infos}\0{origin}\0{st.st_size}\0{st.st_mtime_ns}"


def _usable(folder: Path) -> bool:
    """Whether `folder` exists (created if not), belongs to the user and is writable by no one else."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(name: str) -> bytes | None:
    """The payload of the entry `name`, or None (no cache, no entry, or a damaged one)."""
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if not data.startswith(_MAGIC) or hashlib.sha256(data[head:]).digest() != data[len(_MAGIC):head]:
        log.info("load cache: ignoring damaged entry %s", folder / name)
        return None
    return data[head:]


def write(name: str, payload: bytes) -> None:
    """Store `payload` as the entry `name`, atomically; any failure leaves the cache as it was."""
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(folder)
    except OSError as exc:
        log.info("load cache: cannot write %s (%s)", folder / name, exc)


def _prune(folder: Path) -> None:
    """Keep the `MAX_ENTRIES` most recently written entries; remove temporary files a killed
    process left over an hour ago."""
    files = [(p, p.stat().st_mtime_ns) for p in folder.iterdir()]
    entries = sorted(((p, t) for p, t in files if p.suffix in _SUFFIXES), key=lambda e: e[1], reverse=True)
    hour_ago = time.time_ns() - 3600 * 10**9
    for old in [p for p, _t in entries[MAX_ENTRIES:]] + [p for p, t in files if p.name.startswith(".tmp-") and t < hour_ago]:
        old.unlink(missing_ok=True)


def cached(name: str, build: Callable[[], T], dumps: Callable[[T], bytes], loads: Callable[[bytes], T]) -> T:
    """The object of the entry `name`: loaded from the cache when it holds a good one, else built
    (and stored)."""
    payload = read(name)
    if payload is not None:
        try:
            return loads(payload)
        except Exception as exc:  # an entry that no longer loads: rebuilt below
            log.info("load cache: ignoring entry %s (%s: %s)", name, type(exc).__name__, exc)
    value = build()
    try:
        data = dumps(value)
    except Exception as exc:  # something that does not pickle: no cache, same result
        log.info("load cache: cannot store %s (%s: %s)", name, type(exc).__name__, exc)
        return value
    write(name, data)
    return value


def rules_entry(directory: Path | None) -> str:
    """The entry name of the rule set of `directory` (None: the shipped rules)."""
    folder = (Path(directory) if directory is not None else default_rules_dir()).resolve()
    # hashed afresh, not through the process's cache of hashes: rules edited since are a miss
    key = f"{code_fingerprint()}\0{folder}\0{rules_sha256.__wrapped__(directory)}"
    return hashlib.sha256(key.encode()).hexdigest()[:40] + ".rules"


def load_rules_cached(directory: Path | None, normaliser: Normaliser) -> RuleSet:
    """`rules.load_rules(directory, normaliser)` (a default `Normaliser`), through the cache."""
    def build() -> RuleSet:
        from .rules import load_rules  # here: a hit needs no YAML and no file loaders

        return load_rules(directory, normaliser)

    return cached(rules_entry(directory), build, lambda rules: pickle.dumps(rules, protocol=5), pickle.loads)


def dictionary_entry(path: Path) -> str:
    """The entry name of the columns of the dictionary file `path`."""
    st = path.stat()
    key = f"{code_fingerprint()}\0{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}"
    return hashlib.sha256(key.encode()).hexdigest()[:40] + ".dict"


def dictionary_columns(path: Path, build: Callable[[], tuple[list[str], list[int], list[str]]]
                       ) -> tuple[list[str], list[int], list[str]]:
    """The (words, frequencies, tags) columns of the dictionary file `path`, by `build` or the cache
    (marshal: plain lists of strings and integers)."""

    def loads(data: bytes) -> tuple[list[str], list[int], list[str]]:
        words, freqs, tags = marshal.loads(data)
        if not (isinstance(words, list) and isinstance(freqs, list) and isinstance(tags, list)
                and len(words) == len(freqs) == len(tags)):
            raise ValueError("not three columns of one length")
        return words, freqs, tags

    return cached(dictionary_entry(path), build, marshal.dumps, loads)


def segmenter_words(words: list[str], files: list[Path], build: Callable[[], list[tuple[str, int]]]
                    ) -> list[tuple[str, int]]:
    """The (word, frequency) `add_word` calls that give jieba-rs jieba's frequencies for the user
    `words` (`segment.Segmenter`), by `build` or the cache; keyed by the words and the `files` that
    decide the cuts (jieba's dictionary, the jieba-rs extension with its embedded one)."""
    try:
        stats = [(path.resolve(), path.stat()) for path in files]
    except OSError:
        return build()
    key = code_fingerprint() + "".join(f"\0{p}\0{st.st_size}\0{st.st_mtime_ns}" for p, st in stats)
    name = hashlib.sha256(f"{key}\0{chr(10).join(words)}".encode()).hexdigest()[:40] + ".words"

    def loads(data: bytes) -> list[tuple[str, int]]:
        calls = marshal.loads(data)
        if not (isinstance(calls, list) and all(isinstance(c, tuple) and len(c) == 2 and isinstance(c[0], str)
                                                and isinstance(c[1], int) for c in calls)):
            raise ValueError("not a list of (word, frequency)")
        return calls

    return cached(name, build, marshal.dumps, loads)


def pattern_anchors(patterns: list[str], build: Callable[[], T], dumps: Callable[[T], bytes],
                    loads: Callable[[bytes], T]) -> T:
    """What `literals.analyse` reads from the regex pattern strings `patterns`, by `build` or the
    cache (keyed by the strings and this package's source)."""
    name = hashlib.sha256(f"{code_fingerprint()}\0{patterns!r}".encode()).hexdigest()[:40] + ".anchors"
    return cached(name, build, dumps, loads)
