"""Rewritten hot paths give what the plain loops they replaced give."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp.claims.spans import merge, visible
from datong_nlp.links import sentence_span

_HAN = regex.compile(r"[\p{Han}·A-Za-z]+")


def _visible_reference(text: str, start: int, end: int, hidden: list[tuple[int, int]]) -> list[int]:
    return [p for p in range(start, end) if not any(s <= p < e for s, e in hidden) and _HAN.match(text[p])]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("全年增长5%，GDP·达到1.2万亿元 "), max_size=40), st.data())
def test_visible_equals_a_loop_over_characters(text: str, data: st.DataObject) -> None:
    n = len(text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, 8)), max_size=5))
    hidden = merge([(s, min(n, s + k)) for s, k in spans])
    assert visible(text, start, end, hidden) == _visible_reference(text, start, end, hidden)


def test_visible_skips_hidden_spans() -> None:
    text = "去年投资12亿元，GDP增长5%"
    assert visible(text, 0, len(text), [(2, 8)]) == [0, 1, 9, 10, 11, 12, 13]


def _sentence_span_reference(text: str, start: int, end: int) -> tuple[int, int]:
    """links.sentence_span as first written: one rfind per end mark."""
    lo = max(0, start - 4000)
    s = max((text.rfind(ch, lo, start) for ch in "。｡！？!?\n\r"), default=-1) + 1 or lo
    m = regex.compile("[。｡！？!?\n\r]").search(text, max(end, s))
    e = len(text) if m is None else m.start()
    if e > end + 4000:
        e = end + 4000
    elif e < len(text) and text[e] not in "\n\r":
        e += 1
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("今年增长5%。｡！？!?\n\r 投资"), max_size=60), st.data())
def test_sentence_span_equals_one_search_per_end_mark(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentence_span(text, start, end) == _sentence_span_reference(text, start, end)


def test_sentence_span_of_a_claim() -> None:
    text = "去年投资12亿元。今年增长5%！\n下一行"
    assert sentence_span(text, 11, 13) == (9, 16)
    assert sentence_span(text, 2, 4) == (0, 9)
