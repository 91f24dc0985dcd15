"""The entity stage's fast paths give what the plain reads they stand for give: the person
candidates remembered per string, the speaker lines tried only where a colon is, and the words
of the other automata found by the gazetteer's pass (`Replay`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.entities import EntityFinder
from datong_nlp.gazetteer import LONG, AliasMatcher, Replay
from datong_nlp.people import _SPACED, _Affixes, _line_starts, _speakers

ROOT = Path(__file__).resolve().parent.parent

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# surnames (compound too), given-name characters, characters no given name holds, titles, cues
_PEOPLE = ["王", "李", "张", "欧阳", "司马", "建", "华", "国", "强", "同时", "的", "副", "局长", "议员", "表示",
           "、", "：", "  ", "\n", "A", "1"]
_SPEAKER = ["王", "李", "欧阳", "磊", "建华", " ", "\u3000", "\t", "：", ":", "\n", "说", "A"]


@pytest.fixture(scope="module")
def finder(extractor: Extractor) -> EntityFinder:
    return extractor.entities


def _texts(pieces: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


@_SETTINGS
@given(_texts(_PEOPLE), st.data())
def test_candidates_equal_one_candidate_read_per_head(finder: EntityFinder, text: str, data: st.DataObject) -> None:
    edges = set(data.draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 1)))
    blocked = set(data.draw(st.lists(st.integers(0, len(text)), max_size=3)))
    people = finder.people
    assert people.heads is not None
    expected = {}
    for m in people.heads.finditer(text):
        s = m.start()
        if s in edges and s not in blocked and (e := people._candidate(text, s, edges)) is not None:
            expected[s] = e
    assert people._candidates(text, edges, blocked) == expected


@_SETTINGS
@given(_texts(_SPEAKER))
def test_speakers_equal_the_scan_of_the_whole_text(text: str) -> None:
    def read(matches: list) -> list:  # type: ignore[type-arg]
        return [(m.span(), m.groups()) for m in matches]

    assert read(_speakers(text)) == read(list(_SPACED.finditer(text)))


@pytest.fixture(scope="module")
def pieces(finder: EntityFinder) -> st.SearchStrategy[str]:
    """Variant characters and their standard forms, the riders' words (titles, pattern literals, suffix and
    meeting words) also in variant characters (干綫 of 干线), aliases."""
    riders = sorted(word for rider in finder.matcher.riders for word, _ in rider.automaton.items())
    variants = [*sorted(c for pair in finder.context.variants.items() for c in pair), "，", " ", "1"]
    as_variants = str.maketrans({v: k for k, v in finder.context.variants.items()})
    in_variants = sorted({w.translate(as_variants) for w in riders} - set(riders))
    return st.one_of(*(st.sampled_from(p) for p in (variants, in_variants, riders, sorted(finder.aliases))))


@pytest.fixture(scope="module")
def alone(finder: EntityFinder) -> AliasMatcher:
    """The gazetteer matcher without riders."""
    return AliasMatcher(finder.aliases, finder.word_freq, finder.tags, frozenset(finder.rules.titles), finder.context.variants)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_riders_hear_what_their_own_automata_find(finder: EntityFinder, pieces: st.SearchStrategy[str],
                                                  alone: AliasMatcher, data: st.DataObject) -> None:
    text = data.draw(st.lists(pieces, max_size=12).map("".join))
    edges = set(range(len(text) + 1))
    assert list(finder.matcher.find(text, edges)) == list(alone.find(text, edges))
    for rider in finder.matcher.riders:
        assert list(rider.iter(text)) == list(rider.automaton.iter(text))


def test_a_rider_reads_another_text_itself() -> None:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    automaton.add_word("局长", 1)
    automaton.make_automaton()
    rider = Replay(automaton)
    rider.text, rider.hits = "副局长", [(2, 1)]
    assert list(rider.iter("局长说")) == [(1, 1)]
    assert list(rider.iter(rider.text)) == [(2, 1)]


@pytest.fixture(scope="module")
def tuned(finder: EntityFinder, extractor: Extractor) -> AliasMatcher:
    """A matcher whose first text is long: its automaton's root follows that text's characters."""
    matcher = AliasMatcher(finder.aliases, finder.word_freq, finder.tags, frozenset(finder.rules.titles),
                           finder.context.variants)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("corpus/*.txt")))
    text = text * (LONG // len(text) + 1)
    list(matcher.find(text, set(range(len(text) + 1))))
    return matcher


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_automaton_built_on_a_long_text_finds_the_same(pieces: st.SearchStrategy[str], alone: AliasMatcher,
                                                            tuned: AliasMatcher, data: st.DataObject) -> None:
    text = data.draw(st.lists(pieces, max_size=12).map("".join))
    edges = set(range(len(text) + 1))
    assert list(tuned.find(text, edges)) == list(alone.find(text, edges))
    long = (text or "王") * (LONG // max(1, len(text)) + 1)  # the fold of a long text (code-point arrays)
    assert tuned.folded(long) == alone.folded(long) == "".join(alone.folded(c) for c in long)


@_SETTINGS
@given(_texts(_PEOPLE))
def test_heads_of_a_long_text_equal_the_scan(finder: EntityFinder, text: str) -> None:
    people = finder.people
    assert people.heads is not None
    long = (text + "王") * (LONG // (len(text) + 1) + 1)
    assert people._heads(long) == [m.start() for m in people.heads.finditer(long)]


_WORDS = st.lists(st.text("王局长：:", max_size=3), max_size=6).map(tuple)


@_SETTINGS
@given(_WORDS, st.text("王局长：: \n", max_size=12), st.integers(0, 13))
def test_affixes_equal_startswith_and_endswith(words: tuple[str, ...], text: str, pos: int) -> None:
    assert _Affixes(words, 0).starts(text, pos) == text.startswith(words, pos)
    assert _Affixes(words, -1).ends(text) == text.endswith(words)


@_SETTINGS
@given(st.text(" \t\u3000\n王", max_size=12), st.data())
def test_line_starts_equals_the_stripped_prefix(text: str, data: st.DataObject) -> None:
    s = data.draw(st.integers(0, len(text)))
    assert _line_starts(text, s) == text[:s].rstrip(" \t\u3000").endswith("\n")
