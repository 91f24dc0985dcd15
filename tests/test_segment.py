"""The fast word cut gives exactly the tokens of the spaCy `zh` Doc."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.segment import dictionary_entries, jieba_dictionary, jieba_dictionary_path

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


def test_the_dictionary_file_is_read_once_whatever_the_spelling_of_its_path() -> None:
    entries = dictionary_entries()
    assert dictionary_entries(jieba_dictionary_path()) is entries
    assert dictionary_entries(str(jieba_dictionary_path())) is entries  # type: ignore[arg-type]
    assert len(entries) == len(entries.words) == len(entries.freqs) == len(entries.tags) > 300_000
    freq, total = jieba_dictionary()
    assert total == sum(entries.freqs) and freq == {w: f for w, f, _tag in entries}
    word, f, tag = next(iter(entries))
    assert (word, f, tag) == (entries.words[0], entries.freqs[0], entries.tags[0])
    assert len({id(t) for t in entries.tags}) == len(set(entries.tags))  # one string per tag


def test_a_file_that_is_not_a_dictionary_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "dict.txt"
    bad.write_text("中国 100 ns\n风电 20\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a jieba dictionary"):
        dictionary_entries(bad)


@pytest.mark.parametrize(("text", "spans"), [
    # ASCII runs joined by dashes cut as jieba cuts them; a space after a word belongs to it; a longer
    # run of whitespace is one token; the space after the last word is no token
    ("截至2023-06-30 营收 20-60亿\n\n  同比增长3.5% ",
     [(0, 2), (2, 6), (6, 7), (7, 9), (9, 10), (10, 12), (13, 15), (16, 18), (18, 19), (19, 21), (21, 22),
      (22, 26), (26, 28), (28, 30), (30, 34)]),
    (" 首段\t\t次段 ", [(0, 1), (1, 3), (3, 5), (5, 7)]),  # a space opening the text is a token
])
def test_words_offsets(extractor: Extractor, text: str, spans: list[tuple[int, int]]) -> None:
    assert extractor.segmenter.words(text) == spans


def _words_reference(extractor: Extractor, text: str) -> list[tuple[int, int]]:
    """`Segmenter.words` the plain way: every word's span, whitespace words dropped or merged in place."""
    from itertools import accumulate, pairwise
    cut = extractor.segmenter.cut(text)
    bounds = list(accumulate(map(len, cut), initial=0))
    spans: list[tuple[int, int] | None] = list(pairwise(bounds))
    i = 0
    while i < len(cut):
        if not cut[i].isspace():
            i += 1
            continue
        last = i
        while last + 1 < len(cut) and cut[last + 1].isspace():
            last += 1
        after_word = i > 0 and text[bounds[i]] == " "
        if last > i or after_word:
            for k in range(i + 1, last + 1):
                spans[k] = None
            start, end = bounds[i] + after_word, bounds[last + 1]
            spans[i] = (start, end) if end > start else None
        i = last + 1
    return [s for s in spans if s is not None]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_words_equal_the_plain_merge_of_whitespace(extractor: Extractor, text: str) -> None:
    assert extractor.segmenter.words(text) == _words_reference(extractor, text)
