"""The number parser: a table of forms it must read, and forms it must refuse."""

from __future__ import annotations

import pytest

from datong_nlp.numerals import parse_number as _parse
from datong_nlp.rules import load_rules

TABLE = load_rules().numerals


def parse_number(text: str):  # the shipped table: the parser itself has no default
    return _parse(text, TABLE)


# text, value, value_max, approx, percent
ACCEPTED = [
    ("1.6亿", 160_000_000, None, None, False),
    ("1.6億", 160_000_000, None, None, False),
    ("1755万", 17_550_000, None, None, False),
    ("1755萬", 17_550_000, None, None, False),
    ("千亿", 100_000_000_000, None, None, False),
    ("千億", 100_000_000_000, None, None, False),
    ("二十三", 23, None, None, False),
    ("两千", 2000, None, None, False),
    ("兩千", 2000, None, None, False),
    ("2万多", 20_000, None, ">", False),
    ("2萬多", 20_000, None, ">", False),
    ("1,755", 1755, None, None, False),
    ("3,000", 3000, None, None, False),
    ("1,234,567", 1_234_567, None, None, False),
    ("１７５５", 1755, None, None, False),
    ("１．６亿", 160_000_000, None, None, False),
    ("4 800万", 48_000_000, None, None, False),
    ("187 000", 187_000, None, None, False),
    ("2到3", 2, 3, None, False),
    ("2至3", 2, 3, None, False),
    ("2-3", 2, 3, None, False),
    ("2~3", 2, 3, None, False),
    ("2到3万", 20_000, 30_000, None, False),
    ("百分之五十四", 54, None, None, True),
    ("百分之七十", 70, None, None, True),
    ("百分之2.5", 2.5, None, None, True),
    ("四分之一", 25, None, None, True),
    ("二分之一", 50, None, None, True),
    ("十", 10, None, None, False),
    ("十五", 15, None, None, False),
    ("二十", 20, None, None, False),
    ("一百零五", 105, None, None, False),
    ("一千零五", 1005, None, None, False),
    ("一千九百多", 1900, None, ">", False),
    ("十五万多", 150_000, None, ">", False),
    ("十五萬多", 150_000, None, ">", False),
    ("400多万", 4_000_000, None, ">", False),
    ("1200多万", 12_000_000, None, ">", False),
    ("60余", 60, None, ">", False),
    ("二十多", 20, None, ">", False),
    ("百多", 100, None, ">", False),
    ("几百", 100, None, ">", False),
    ("幾百", 100, None, ">", False),
    ("数千", 1000, None, ">", False),
    ("十几万", 100_000, None, ">", False),
    ("一万五千", 15_000, None, None, False),
    ("一萬五千", 15_000, None, None, False),
    ("一万五", 15_000, None, None, False),
    ("三千五", 3500, None, None, False),
    ("三千五百万", 35_000_000, None, None, False),
    ("一亿二千万", 120_000_000, None, None, False),
    ("万亿", 1_000_000_000_000, None, None, False),
    ("8.2亿万", 8_200_000_000_000, None, None, False),
    ("两三万", 20_000, 30_000, None, False),
    ("五六", 5, 6, None, False),
    ("五六十", 50, 60, None, False),
    ("5、6", 5, 6, None, False),
    ("廿", 20, None, None, False),
    ("廿五", 25, None, None, False),
    ("二〇二五", 2025, None, None, False),
    ("三点五", 3.5, None, None, False),
    ("八十万", 800_000, None, None, False),
    ("0.19", 0.19, None, None, False),
    ("万", 10_000, None, None, False),
    ("萬", 10_000, None, None, False),
    ("零", 0, None, None, False),
    ("五亿四", 540_000_000, None, None, False),
    ("一二三四五", 12345, None, None, False),
]

REFUSED = ["", " ", "多", "几", "abc", "1..2", "1,23", "1,2345", "百分之", "分之一", "十十", "3到2", "5、8", "1.", "廿廿", "五点"]


@pytest.mark.parametrize(("text", "value", "value_max", "approx", "percent"), ACCEPTED)
def test_parses(text: str, value: float, value_max: float | None, approx: str | None, percent: bool) -> None:
    parsed = parse_number(text)
    assert parsed is not None, text
    assert parsed.value == pytest.approx(value, rel=1e-12)
    if value_max is None:
        assert parsed.value_max is None
    else:
        assert parsed.value_max == pytest.approx(value_max, rel=1e-12)
    assert parsed.approx == approx
    assert parsed.percent is percent


@pytest.mark.parametrize("text", REFUSED)
def test_refuses(text: str) -> None:
    assert parse_number(text) is None


def test_table_is_large_enough() -> None:
    assert len(ACCEPTED) + len(REFUSED) >= 60


@pytest.mark.parametrize("text", ["123456789012345678901234567890亿", "萬萬萬萬萬", "亿" * 50])
def test_extremes_do_not_crash(text: str) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.value > 0


def test_the_trillion_table_is_made_once_per_table() -> None:
    """Taiwan texts read 兆 as 10¹² through one table, the same object every time: the parse caches
    are keyed by the table, so a new one per text would never hit."""
    trillions = TABLE.as_trillion()
    assert trillions is TABLE.as_trillion() is TABLE.for_locale("tw")
    assert TABLE.for_locale("cn") is TABLE and trillions.as_trillion() is trillions
    assert _parse("3兆2千亿", trillions).value == 3_200_000_000_000 and trillions.trillion is None
