"""The quantity scan's shortcuts find what the full steps find: a run with no unit character inside
looked up after its whole length only; a numeral start checked and its run taken in line."""

from __future__ import annotations

import copy
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.layout import build_layout
from datong_nlp.quantities import QuantityFinder

EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))
PIECES = st.sampled_from(["一", "两", "3", "2023", "1.5", "十", "百", "千", "万", "亿", "兆", "零", "几", "数", "第", "半",
                          "多", "余", "年", "元", "万元", "%", "吨", "个", "公里", "km", "成", "折", "倍", "块", "毛",
                          "$", "US$", "￥", "HK$", "/", "人", "至", "-", "~", "、", "分之", "百分之", " ", "\n",
                          "一些", "统一", "的", "，", "。", "a", "iPhone ", "https://x.cn/1"])


class _NeverDisjoint(frozenset[str]):
    """A set that claims to share a character with anything: every run takes the loop over its prefixes."""

    def isdisjoint(self, other: object) -> bool:
        return False


def _reference(finder: QuantityFinder) -> QuantityFinder:
    slow = copy.copy(finder)
    slow.unit_or_space = _NeverDisjoint(finder.unit_or_space)
    slow.plain_starts = frozenset()  # every start through `_starts_number`, every run through `_run`
    return slow


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PIECES, max_size=16).map("".join), st.sampled_from([None, "tw", "hk"]))
def test_shortcuts_find_what_the_full_steps_find(extractor: Extractor, text: str, locale: str | None) -> None:
    finder = extractor.quantities
    layout = build_layout(text, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)
    assert finder.find(text, layout, "CNY", locale) == _reference(finder).find(text, layout, "CNY", locale)


def test_reference_takes_the_full_steps(extractor: Extractor) -> None:
    finder = extractor.quantities
    text = "统一了3个一些，2023年"
    layout = build_layout(text, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)
    found = finder.find(text, layout, "CNY", None)
    assert [text[q.start:q.end] for q in found] == ["3个", "2023年"]
    assert _reference(finder).find(text, layout, "CNY", None) == found
