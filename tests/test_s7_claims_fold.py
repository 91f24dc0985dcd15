"""A long text's literals are found in its folded form (`PatternScanner._reader`): the starts and
matches are those of the plain automaton on the text itself, for the shipped time and not-a-claim
patterns, over the whole text and within windows."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor, anchors, codepoints  # noqa: F401  (numpy loaded: texts from 512 fold)
from datong_nlp.anchors import PatternScanner


def _plain(scanner: PatternScanner, text: str, windows: list[tuple[int, int]] | None) -> list[list[int] | None]:
    """`starts` with the literals found by the plain automaton."""
    folded, scanner._folded = scanner._folded, (scanner.automaton, None)
    try:
        return scanner.starts(text, windows)
    finally:
        scanner._folded = folded


@pytest.fixture(scope="module")
def scanners(extractor: Extractor) -> list[tuple[PatternScanner, list[str]]]:
    out = []
    for patterns in ([r.pattern for r in extractor.rules.times], [p for _, p in extractor.rules.non_claims]):
        scanner = PatternScanner(patterns)
        words = {lit for a in scanner.anchors if a is not None for lit in a.literals}
        out.append((scanner, [*sorted(words | set("0123456789 \n，。的是在经济增长")), "\U00020000", "\x00", "\x01"]))
    return out


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_folded_literals_give_the_plain_starts(scanners: list[tuple[PatternScanner, list[str]]],
                                               data: st.DataObject) -> None:
    for scanner, words in scanners:
        text = "".join(data.draw(st.lists(st.sampled_from(words), min_size=anchors._FOLD_FROM, max_size=700)))
        cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
        windows = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
        for w in (None, windows):
            assert scanner.starts(text, w) == _plain(scanner, text, w)
            assert scanner._folded is not None and scanner._folded[1] is not None  # the folded path ran
        patterns = scanner.patterns
        assert [(i, m.span()) for i, m in scanner.scan(text, windows)] == \
            [(i, m.span()) for i, p in enumerate(patterns) for a, b in windows for m in p.finditer(text, a, b)]


def test_short_and_replayed_texts_are_read_plain(extractor: Extractor) -> None:
    scanner = PatternScanner([regex.compile("年")])
    assert scanner._reader("2021年")[1] == "2021年"  # short: as it is
    text = "2021年" * 200
    assert scanner._reader(text)[1] != text and scanner._reader(text)[0] is not scanner.automaton
    scanner.automaton = object()  # a rider's stand-in (gazetteer.Replay): reads the text itself
    assert scanner._reader(text) == (scanner.automaton, text)
