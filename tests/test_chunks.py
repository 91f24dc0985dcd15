"""Long texts are processed in chunks with the same claims and exact offsets."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.output import dumps, iter_json, to_json
from datong_nlp.pipeline import split_chunks

ROOT = Path(__file__).resolve().parent.parent


def _seed_text() -> str:
    return next((ROOT / "corpus").glob("*.txt")).read_text(encoding="utf-8")


@given(st.text(alphabet="ab。\n", max_size=300), st.integers(min_value=2, max_value=50))
def test_chunks_cover_the_text_in_order(text: str, size: int) -> None:
    chunks = list(split_chunks(text, size))
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    assert all(e - s <= size for s, e in chunks[:-1]) and all(e > s for s, e in chunks[:-1])


def test_chunks_end_after_a_line_break_then_a_sentence_end() -> None:
    assert list(split_chunks("一二三四五\n六七八九", 8)) == [(0, 6), (6, 10)]
    assert list(split_chunks("一二三四五。六七\n八九", 8)) == [(0, 6), (6, 11)]  # the line break is past the end
    assert list(split_chunks("一二三四五六七八九十", 4)) == [(0, 4), (4, 8), (8, 10)]


def test_chunked_extraction_equals_whole(extractor: Extractor) -> None:
    text = _seed_text() * 3
    whole = extractor.extract_text(text)
    chunked = extractor.extract_text(text, chunk_chars=800)
    assert len(list(split_chunks(text, 800))) > 5
    assert chunked.claims == whole.claims
    assert chunked.locale == whole.locale and chunked.script == whole.script
    # a person named only by surname + given name in a later chunk is the one thing chunks may miss
    assert {e for e in chunked.entities if e.type != "PERSON"} == {e for e in whole.entities if e.type != "PERSON"}
    for item in [*chunked.claims, *chunked.entities]:
        assert text[item.start:item.end] == item.text


def test_streamed_json_equals_dumps(extractor: Extractor) -> None:
    for text in (_seed_text() * 2, "", "增长5%", "大同市"):
        whole = dumps(to_json(extractor.extract_text(text), "d", "d.txt"))
        counts: list[int] = []
        streamed = "".join(iter_json(extractor.extract_parts(text, chunk_chars=700), "d", "d.txt", counts))
        assert streamed == whole
        assert counts == [len(json.loads(whole)["claims"]), len(json.loads(whole)["entities"])]
