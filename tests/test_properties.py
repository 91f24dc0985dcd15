"""Invariants over the whole pipeline, for arbitrary and for perturbed real text."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.output import to_json
from datong_nlp.schema import validate_document

EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SENTENCES = [
    "全年煤炭產量達到1.6億噸，全市電力總裝機達到1755萬千瓦。",
    "近年来，大同算力产业累计完成产业投资超600亿元，投运服务器68万台。",
    "約 70%至80%的食水由東江輸入，每立方米約為12元。",
    "刑期由8星期到1年，超過兩分40秒。",
    "“晉創谷·大同”已引入落地項目32個，其中產業化項目6個、數字經濟項目3個。",
]
PIECES = st.sampled_from(["萬", "億", "多", "%", "\r\n", "\u3000", "１", "\ue2e5", "\uf98e", "😀", "é", "\u0301",
                          "第", "约", "至", "、", " ", "元", "港元", "·", "“", "十", "二〇二五年"])


def _check(extractor: Extractor, text: str) -> None:
    doc = extractor.extract_text(text)
    for item in doc.claims + doc.entities:
        assert text[item.start:item.end] == item.text
        assert 0 <= item.start < item.end <= len(text)
    assert validate_document(to_json(doc, "x", "x.txt")) == []


@SETTINGS
@given(st.text(max_size=80))
def test_arbitrary_unicode(extractor: Extractor, text: str) -> None:
    _check(extractor, text)


@SETTINGS
@given(st.sampled_from(SENTENCES), st.lists(st.tuples(st.integers(0, 60), PIECES), max_size=6))
def test_real_sentences_with_insertions(extractor: Extractor, sentence: str, inserts: list[tuple[int, str]]) -> None:
    text = sentence
    for pos, piece in inserts:
        pos = min(pos, len(text))
        text = text[:pos] + piece + text[pos:]
    _check(extractor, text)
