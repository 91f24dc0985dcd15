"""The fast word cut gives exactly the tokens of the spaCy `zh` Doc."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor

EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))
PIECES = st.sampled_from(["大同", "煤炭产量", "达到", "1.6", "亿吨", " ", "  ", "\n", "\t", "\r\n", "，", "。",
                          "宁德时代", "A", "abc", "12", "　", "香港", "👍", "é"])


def _doc_tokens(extractor: Extractor, text: str) -> list[tuple[int, int]]:
    return [(tok.idx, tok.idx + len(tok.text)) for tok in extractor.segmenter.doc(text)]


@pytest.mark.parametrize("text", ["", " ", "大同 市", "a  b\n\n c", " 开头", "结尾 ", "两个  空格\t制表\r\n换行"])
def test_words_equal_spacy_tokens(extractor: Extractor, text: str) -> None:
    assert extractor.segmenter.words(text) == _doc_tokens(extractor, text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_words_equal_spacy_tokens_always(extractor: Extractor, text: str) -> None:
    assert extractor.segmenter.words(text) == _doc_tokens(extractor, text)
