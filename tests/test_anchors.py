"""Entity patterns tried only near their literals (anchors.py) find exactly what a full overlapped
scan finds: on random strings over the patterns' own characters, for the shipped patterns and
for patterns built to test each bound."""

from __future__ import annotations

from collections import Counter

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.anchors import PatternScanner, WordScanner, anchor

# one per kind of bound: fixed offset, bounded window, unbounded run, branches, lookarounds
_BUILT = [
    r"(?:局长|市长)[ ]?(?P<n>[王李]\p{Han}{1,2})",
    r"(?P<n>[王李](?:\p{Han}{1,2})?)(?:先生|议员)",
    r"(?P<_GPE>[\p{Han}A-Za-z][\p{Han}A-Za-z·]{0,19}?)市委",
    r"(?:中共|市)第?[一二三十\d]+(?:次党代会|次会议)|(?:党的)[一二三十]+大",
    r"(?<=^|[^\p{Han}]|[在与])(?P<p>[王李]\p{Han}{1,2})案(?![件子])",
    r"(?<![\d.])\d{1,3}号(?:码头|泊位)",
    r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}",
    r"第?(?:\d++(?:\.\d++)?|[一二三十])+届\p{Han}{0,6}?(?:大会|委员会)第?[一二三]+次会议",
]
_ALPHABET = list("王李张局长市委先生议员中共党的第一二三十届次会议代表大会案件号码头泊位在与至铁路") + \
    list("0123456789.AaBbZz ，。、\n") + ["\u3000", "·"]


@pytest.fixture(scope="module")
def shipped(extractor: Extractor) -> tuple[list[regex.Pattern[str]], PatternScanner, list[str]]:
    """The shipped patterns, their scanner, and words to build texts of: their literals, the
    surnames, numerals and the test alphabet."""
    patterns = [p.pattern for p in extractor.rules.entity_patterns]
    scanner = PatternScanner(patterns)
    words = {lit for a in scanner.anchors if a is not None for lit in a.literals}
    words |= set(extractor.rules.surnames[:40]) | set("一二三十百第届次省市县区") | set(_ALPHABET)
    return patterns, scanner, sorted(words)


def _full(patterns: list[regex.Pattern[str]], text: str) -> list[tuple[int, tuple[int, int], str]]:
    return [(i, m.span(), m.group()) for i, p in enumerate(patterns) for m in p.finditer(text, overlapped=True)]


def _fast(scanner: PatternScanner, text: str) -> list[tuple[int, tuple[int, int], str]]:
    return [(i, m.span(), m.group()) for i, m in scanner.finditer(text)]


def test_anchors_of_built_patterns() -> None:
    title = anchor(_BUILT[0])
    assert title is not None and title.literals == {"局长", "市长"} and (title.min_off, title.max_off) == (0, 0)
    address = anchor(_BUILT[1])
    assert address is not None and address.literals == {"先生", "议员"} and (address.min_off, address.max_off) == (1, 3)
    committee = anchor(_BUILT[2])
    assert committee is not None and committee.literals == {"市委"} and (committee.min_off, committee.max_off) == (1, 20)
    congress = anchor(_BUILT[3])  # unbounded (a numeral run): bounded by the characters a match holds
    assert congress is not None and congress.literals == {"党代会", "会议", "党的"} and congress.max_off is None
    assert congress.chars is not None and regex.fullmatch(f"[{congress.chars}]+", "市第十二次党代会")
    assert anchor(r"\p{Han}+") is None  # no literal: scanned in full
    assert anchor(r".*市委") is None  # any character, no bound
    assert anchor(r"(?i)市委") is None  # flags: left to the full scan
    assert anchor(r"\p{Latin}市委") is None  # what the standard parser cannot read
    assert anchor(r"(?:市委){e<=1}") is None  # regex's fuzzy matching, which re would read as text
    assert anchor(r"[[:alpha:]]市委") is None  # a POSIX class, which re would read as characters


def test_shipped_patterns_are_all_anchored(shipped: tuple[list[regex.Pattern[str]], PatternScanner, list[str]]) -> None:
    patterns, scanner, _ = shipped
    assert [p.pattern for p, a in zip(patterns, scanner.anchors, strict=True) if a is None] == []


def test_known_text(shipped: tuple[list[regex.Pattern[str]], PatternScanner, list[str]]) -> None:
    patterns, scanner, _ = shipped
    text = ("大同市委书记张强表示，中共湖南省委十一届三次全会召开。\n省第十二次党代会提出，10号码头和"
            "沙田至大埔连接路；据总裁 Anna Berg 介绍，法院在“吴志明案”中裁定，黄议员。")
    found = _fast(scanner, text)
    assert found == _full(patterns, text)
    assert {(span, group) for _, span, group in found} >= {
        ((4, 9), "书记张强表"), ((0, 4), "大同市委"), ((1, 4), "同市委"), ((20, 24), "三次全会"),
        ((11, 24), "中共湖南省委十一届三次全会"), ((58, 67), "Anna Berg"), ((75, 79), "吴志明案"),
        ((39, 44), "10号码头"), ((84, 87), "黄议员")}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_built_patterns_match_full_scan(text: str) -> None:
    patterns = [regex.compile(p) for p in _BUILT]
    assert _fast(PatternScanner(patterns), text) == _full(patterns, text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_shipped_patterns_match_full_scan(shipped: tuple[list[regex.Pattern[str]], PatternScanner, list[str]],
                                          data: st.DataObject) -> None:
    patterns, scanner, words = shipped
    text = "".join(data.draw(st.lists(st.sampled_from(words), max_size=40)))
    assert _fast(scanner, text) == _full(patterns, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="港澳区公司集团", min_size=1, max_size=3), min_size=1, max_size=6),
       st.text(alphabet="港澳区公司集团的", max_size=40))
def test_word_scanner_matches_overlapped_alternation(words: list[str], text: str) -> None:
    alternation = regex.compile("|".join(regex.escape(w) for w in words))
    assert WordScanner(words).spans(text) == [m.span() for m in alternation.finditer(text, overlapped=True)]


def test_word_scanner_takes_the_first_listed_word() -> None:
    assert WordScanner(["园区", "工业园", "工业园区"]).spans("苏州工业园区") == [(2, 5), (4, 6)]
    assert WordScanner(["工业园区", "工业园", "园区"]).spans("苏州工业园区") == [(2, 6), (4, 6)]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_place_cues_match_the_regex_scan(extractor: Extractor, data: st.DataObject) -> None:
    guesser = extractor.places
    pattern = guesser.cue_pattern()
    assert pattern is not None and guesser.automaton is not None
    cues = sorted(guesser.cues)
    words = data.draw(st.lists(st.sampled_from(cues) | st.sampled_from(list("港特区台湾澳门的，\n 1")), max_size=30))
    text = "".join(words)
    expected = Counter(m.group() for m in pattern.finditer(text))
    assert list(guesser.hits(text).items()) == list(expected.items())


def test_place_cues_of_a_known_text(extractor: Extractor) -> None:
    hits = extractor.places.hits("香港特区政府今日公布，香港的失业率下降。")
    assert list(hits.items()) == [("香港", 2), ("特区政府", 1)]  # the longer cue, not its part 特区
