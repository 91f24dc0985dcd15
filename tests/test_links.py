"""Claim links: the sentences and entity refs `claim_links` gives by bisection are `sentence_span`'s."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import links
from datong_nlp.links import claim_links, mention_id, mention_ids, sentence_span
from datong_nlp.types import Claim, Document, Entity

PIECES = st.sampled_from(["今年", "增长5%", "。", "｡", "！", "？", "!", "?", "\n", "\r", " ", "\u3000", "a" * 30, "b" * 4100])


@st.composite
def _documents(draw: st.DrawFn) -> Document:
    text = "".join(draw(st.lists(PIECES, max_size=20)))
    n = len(text)
    spans = st.tuples(st.integers(0, n), st.integers(0, 12)).map(lambda p: (p[0], min(n, p[0] + p[1])))
    claims = [Claim(s, e, text[s:e], 1.0, None, "%", "percent") for s, e in sorted(draw(st.lists(spans, max_size=6)))]
    entities = [Entity(s, e, text[s:e], "GPE") for s, e in sorted(draw(st.lists(spans, max_size=8)))]
    return Document(text, "utf-8", "simplified", "cn", claims, entities)


def _reference(doc: Document, ids: list[str]) -> list[tuple[int, int, list[str]]]:
    out = []
    for c in doc.claims:
        s, e = sentence_span(doc.text, c.start, c.end)
        out.append((s, e, [ids[k] for k, x in enumerate(doc.entities) if s <= x.start < e and x.end <= e]))
    return out


@settings(max_examples=300, deadline=None)
@given(_documents(), st.sampled_from([links._LOOKBACK, 1, 6, 40]))
def test_claim_links_are_the_sentence_spans(doc: Document, lookback: int) -> None:
    ids = mention_ids(7, len(doc.entities))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(links, "_LOOKBACK", lookback)
        assert claim_links(doc, ids) == _reference(doc, ids)


def test_claim_links_list_the_mark_right_at_the_cut() -> None:
    doc = Document("abcd。", "utf-8", "simplified", "cn", [Claim(0, 2, "ab", 1.0, None, "%", "percent")])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(links, "_LOOKBACK", 2)  # the end mark lies exactly _LOOKBACK after the claim: in the sentence
        assert claim_links(doc, []) == _reference(doc, []) == [(0, 5, [])]


def test_mention_ids_count_on_from_the_base() -> None:
    assert mention_ids(0, 3) == ["e0001", "e0002", "e0003"]
    assert mention_ids(9998, 3) == [mention_id(n) for n in range(9998, 10001)] == ["e9999", "e10000", "e10001"]
