"""The rjieba backend (jieba-rs with shims) gives exactly jieba's tokens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.decode import find_inputs, read_text
from datong_nlp.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent
SHARED_DEV = ROOT.parent / "shared" / "dev"
EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))

# pieces where the backends could part: dictionary words and near-ties, ASCII runs joined by
# symbols, code points only jieba-rs counts as Han, whitespace, CRLF, surrogates
PIECES = st.sampled_from([
    "管理", "方面", "可支配", "收入", "大同", "煤炭", "产量", "达到", "亿吨", "万千瓦", "宁德时代", "的", "了", "在",
    "中华人民共和国", "研究生命", "起源", "结婚的和尚未结婚的", "小明硕士毕业于中国科学院计算所",
    "2011", "-", "08", "_", ".", "%", "+", "#", "&", "20", "60", "1.6", "a", "B", "x86", "3.5%",
    " ", "  ", "\n", "\r\n", "\t", "　", "，", "。", "、", "（", "）", "/",
    "㐀", "䶵", "鿖", "鿿", "豈", "𠀀", "𪜀", "丽", "👍", "é", "\ud800",
])
CHARS = st.characters(codec="utf-8", categories=["Lo", "Nd", "Lu", "Ll", "Po", "Pd", "Zs", "Cc", "So"])


@pytest.fixture(scope="module")
def pair(extractor: Extractor) -> tuple[Segmenter, Segmenter]:
    """(rjieba, jieba) segmenters with the rules' words."""
    fast = extractor.segmenter
    assert fast.backend == "rjieba"
    return fast, Segmenter(extractor.rules.user_words(), "jieba")


def _assert_same(pair: tuple[Segmenter, Segmenter], text: str) -> None:
    fast, slow = pair
    assert fast.cut(text) == slow.cut(text)
    assert fast.words(text) == slow.words(text)


def test_default_backend_is_rjieba(extractor: Extractor) -> None:
    assert extractor.segmenter.backend == "rjieba"


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segmenter 'hanlp'"):
        Segmenter((), "hanlp")


def test_word_frequencies_equal_jieba(pair: tuple[Segmenter, Segmenter]) -> None:
    fast, slow = pair
    assert dict(fast.freq.items()) == {w: f for w, f in slow.freq.items() if f}  # jieba also stores prefixes as 0


@pytest.mark.parametrize(("text", "words"), [
    ("时间:2011-08-25", ["时间", ":", "2011", "-", "08", "-", "25"]),  # jieba-rs alone keeps 2011-08-25 whole
    ("增长20-60个", ["增长", "20", "-", "60", "个"]),
    ("㐀大同", ["㐀", "大同"]),  # Extension A: a word of its own, as in jieba
    ("a\r\nb", ["a", "\r\n", "b"]),
])
def test_known_differences_are_shimmed(pair: tuple[Segmenter, Segmenter], text: str, words: list[str]) -> None:
    assert pair[1].cut(text) == words
    _assert_same(pair, text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_same_tokens_on_pieces(pair: tuple[Segmenter, Segmenter], text: str) -> None:
    _assert_same(pair, text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(CHARS, max_size=60))
def test_same_tokens_on_any_text(pair: tuple[Segmenter, Segmenter], text: str) -> None:
    _assert_same(pair, text)


def test_same_tokens_on_every_rule_example(pair: tuple[Segmenter, Segmenter], extractor: Extractor) -> None:
    texts = {ex.data["text"] for ex in extractor.rules.examples if isinstance(ex.data.get("text"), str)}
    assert len(texts) > 100
    for text in sorted(texts):
        for form in (text, extractor.normalise(text).text):
            _assert_same(pair, form)


def _texts(folder: Path) -> list[Path]:
    return sorted(find_inputs(folder))


@pytest.mark.parametrize("folder", [ROOT / "corpus", SHARED_DEV], ids=["corpus", "shared-dev"])
def test_same_tokens_on_real_texts(pair: tuple[Segmenter, Segmenter], extractor: Extractor, folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    paths = _texts(folder)
    assert paths
    for path in paths:
        text = read_text(path)[0]
        _assert_same(pair, extractor.normalise(text).text)  # what the pipeline segments


def test_rjieba_doc_has_the_same_tokens(extractor: Extractor) -> None:
    text = "大同 市  煤炭产量达到1.6亿吨 。\n结尾 "
    doc = extractor.segmenter.doc(text)
    assert doc.text == text
    assert [(t.idx, t.idx + len(t.text)) for t in doc] == extractor.segmenter.words(text)


@settings(max_examples=max(EXAMPLES // 10, 20), deadline=None)
@given(st.lists(PIECES.filter(lambda p: p != "\ud800"), max_size=30).map("".join))  # spaCy holds no lone surrogate
def test_rjieba_words_equal_spacy_jieba_tokens(pair: tuple[Segmenter, Segmenter], text: str) -> None:
    """The rjieba words are exactly the tokens of spaCy's `zh` pipeline with its jieba segmenter."""
    fast, slow = pair
    assert fast.words(text) == [(t.idx, t.idx + len(t.text)) for t in slow.doc(text)]
