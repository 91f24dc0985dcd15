"""Encodings: UTF-8 (with or without BOM), GB18030, Big5; bad bytes give a clear error."""

from __future__ import annotations

import pytest

from datong_nlp.decode import decode_bytes
from datong_nlp.types import InputError

TRAD = "大同市委書記張強表示，全年煤炭產量達到1.6億噸，全市電力總裝機達到1755萬千瓦。"
SIMP = "大同市委书记张强表示，全年煤炭产量达到1.6亿吨，全市电力总装机达到1755万千瓦。"


def test_utf8_and_bom() -> None:
    assert decode_bytes(SIMP.encode("utf-8")) == (SIMP, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + SIMP.encode("utf-8")) == (SIMP, "utf-8")


def test_gb18030() -> None:
    assert decode_bytes(SIMP.encode("gb18030")) == (SIMP, "gb18030")


def test_big5() -> None:
    assert decode_bytes(TRAD.encode("big5")) == (TRAD, "big5")


def test_crlf_kept() -> None:
    text = "第一行\r\n第二行\r\n"
    assert decode_bytes(text.encode("utf-8"))[0] == text


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff\xfe" * 20, bytes(range(256)) * 4])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"x\.txt"):
        decode_bytes(data, "x.txt")
