"""The entity stage without a dict of the words or copies of the edge set: the lookups by bisection
give what the dict gave, the glued-name starts what the plain reading of the words gives, and
`find` hands the edge set back as it was."""

from __future__ import annotations

import bisect
from itertools import chain

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.entities import _GLUE_CHAR, EntityFinder, glued_starts
from datong_nlp.gazetteer import COMMON_WORD_FREQ, tail_is_word, word_end
from datong_nlp.layout import Layout, build_layout

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# glue characters alone, starting words (在于, 和平, 为了) and after one (而林), names, spaces, other words
_PIECES = ["而", "和", "在", "为", "是", "在于", "和平", "为了", "是否", "林", "健锋", "而林", "王", "建华",
           "表示", "市委", "书记", "全国人大", "代表", " ", "  ", "\n", "A", "1", "，"]


def _edges(words: list[tuple[int, int]], n: int) -> set[int]:
    """What the pipeline hands the entity stage: every start and end, the text's start and end."""
    edges = set(chain.from_iterable(words))
    edges.update((0, n))
    return edges


@st.composite
def _spans(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) spans, with gaps or without."""
    out, pos = [], 0
    for length, gap in draw(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 2)), max_size=12)):
        pos += gap
        out.append((pos, pos + length))
        pos += length
    return out


@_SETTINGS
@given(_spans(), st.integers(-1, 50))
def test_word_end_equals_the_dict_of_the_words(words: list[tuple[int, int]], pos: int) -> None:
    assert word_end(words, pos) == dict(words).get(pos)


@_SETTINGS
@given(_spans(), st.data())
def test_tail_is_word_equals_the_lookup_by_the_list_of_starts(words: list[tuple[int, int]], data: st.DataObject) -> None:
    n = words[-1][1] if words else 0
    text, end = data.draw(st.text("书记", min_size=n, max_size=n)), data.draw(st.integers(0, n + 1))
    freq = {"书记": COMMON_WORD_FREQ, "记书": 500, "书书": COMMON_WORD_FREQ - 1, "书记书": COMMON_WORD_FREQ}
    i = bisect.bisect_right([s for s, _ in words], end) - 1  # (as the entity stage read it before)
    tail = text[end:words[i][1]] if i >= 0 and words[i][1] > end else ""
    assert tail_is_word(text, end, words, freq) == (len(tail) >= 2 and freq.get(tail, 0) >= COMMON_WORD_FREQ)


@_SETTINGS
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_glued_starts_equal_the_dict_of_the_segmented_words(extractor: Extractor, text: str) -> None:
    words = extractor.segmenter.words(text)
    ends = dict(words)
    expected = {a + 1 for a in (m.start() for m in _GLUE_CHAR.finditer(text)) if ends.get(a, a) - a >= 2}
    assert glued_starts(text, words, _edges(words, len(text))) == expected


def _layout(extractor: Extractor, text: str) -> Layout:
    return build_layout(text, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)


@pytest.fixture(scope="module")
def finder(extractor: Extractor) -> EntityFinder:
    return extractor.entities


_TEXT = "全国人大代表王建华表示，而林健锋在于香港特区政府工作。大同市委书记李晓东说，广东省统计局发布数据。"


def test_find_hands_the_edges_back_as_they_were(extractor: Extractor, finder: EntityFinder) -> None:
    text = extractor.normalise(_TEXT).text
    words = extractor.segmenter.words(text)
    edges = _edges(words, len(text))
    before = set(edges)
    found = finder.find(text, _layout(extractor, text), words, edges, "cn")
    assert found and edges == before
    assert finder.find(text, _layout(extractor, text), words, set(before), "cn") == found


def test_find_hands_the_edges_back_when_a_stage_fails(extractor: Extractor, finder: EntityFinder,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    text = extractor.normalise(_TEXT).text
    words = extractor.segmenter.words(text)
    edges = _edges(words, len(text))
    before = set(edges)

    def fail(*_args: object) -> None:
        assert edges - before, "the inner ends and glued starts are in the set while the people are read"
        raise RuntimeError("stage failed")

    monkeypatch.setattr(finder.people, "find", fail)
    with pytest.raises(RuntimeError, match="stage failed"):
        finder.find(text, _layout(extractor, text), words, edges, "cn")
    assert edges == before
