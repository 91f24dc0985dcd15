"""The literals of the patterns (`literals.analyse`) from the load cache are those read afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from datong_nlp import Extractor, literals, loadcache
from datong_nlp.literals import analyse, anchor, anchor_parts
from datong_nlp.loadcache import CACHE_ENV


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _shipped(extractor: Extractor) -> list[list[str]]:
    rules = extractor.rules
    return [[p.pattern.pattern for p in rules.entity_patterns], [p.pattern for _, p in rules.non_claims],
            [r.pattern.pattern for r in rules.times], [r"\d{7,}", r"(?:今年|去年)\d月", r"(?P<n>[王李]\p{Han}{1,2})先生"]]


def test_a_hit_gives_what_a_fresh_read_gives(cache: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[int] = []
    real = literals.anchor_parts

    def spy(pattern: str) -> literals.Parts | None:
        builds.append(1)
        return real(pattern)

    monkeypatch.setattr(literals, "anchor_parts", spy)
    for sources in _shipped(extractor):
        fresh = [(anchor(p), real(p)) for p in sources]
        builds.clear()
        assert analyse(sources) == fresh and len(builds) == len(sources)  # a miss: read and stored
        assert analyse(sources) == fresh and len(builds) == len(sources)  # a hit: nothing read again
        assert anchor_parts(sources[0]) == fresh[0][1]
    assert len(list(cache.glob("*.anchors"))) == 4


def test_a_bad_entry_is_rebuilt(cache: Path) -> None:
    sources = [r"(?:局长|市长)[ ]?(?P<n>[王李]\p{Han}{1,2})", r"\d{7,}"]
    fresh = analyse(sources)
    (entry,) = cache.glob("*.anchors")
    for payload in (b"\xff not marshal", b"\xe9\x00\x00\x00\x00", literals._dumps(fresh[:1])):  # one of two
        loadcache.write(entry.name, payload)  # a good checksum, a bad payload
        assert analyse(sources) == fresh
