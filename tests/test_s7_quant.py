"""The quantity finder's shortcuts against its full steps: the spaced-numeral pattern (`re`, opening
with its space) finds the runs of spaces its lookbehind form finds; starts checked and runs taken in
line (`plain_starts`) find what `_starts_number` and `_run` find."""

from __future__ import annotations

import copy
import os

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.layout import build_layout
from datong_nlp.quantities import QuantityFinder


class _NeverDisjoint(frozenset[str]):
    """A set that claims to share a character with anything: every run takes the loop over its prefixes."""

    def isdisjoint(self, other: object) -> bool:
        return False


def _reference(finder: QuantityFinder) -> QuantityFinder:
    """`finder` taking its full steps: every start through `_starts_number`, every run through `_run`,
    every run looked up after each of its prefixes, the whole words looked for in every text."""
    slow = copy.copy(finder)
    slow.unit_or_space = _NeverDisjoint(finder.unit_or_space)
    slow.plain_starts = frozenset()
    slow.whole_word_texts = ("",)  # in every text: the whole-word pattern run on each
    return slow

EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))
CHARS = st.sampled_from(list(" 百分之2.4一万元a b\n，。"))


def _lookbehind_form(extractor: Extractor) -> regex.Pattern[str]:
    spaced = "".join(regex.escape(c) for c in sorted(extractor.quantities._spaced_chars()))
    return regex.compile(rf"(?<=[{spaced}])[ ]+(?=[{spaced}])")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(CHARS, max_size=30).map("".join))
def test_inner_spaces_equal_the_lookbehind_form(extractor: Extractor, text: str) -> None:
    plain = _lookbehind_form(extractor)
    assert [m.span() for m in extractor.quantities.inner_space.finditer(text)] == \
        [m.span() for m in plain.finditer(text)]


def test_inner_spaces_of_a_spaced_share(extractor: Extractor) -> None:
    text = "百 分 之 2.4， a 3  吨"
    spans = [m.span() for m in extractor.quantities.inner_space.finditer(text)]
    assert spans == [(1, 2), (3, 4), (5, 6), (14, 16)]
    assert spans == [m.span() for m in _lookbehind_form(extractor).finditer(text)]


SPACED = st.sampled_from(["3", "15", "1,000", "2.5", " ", "  ", "km", "kg", "%", "a", "iPhone", "零", "〇", "百", "百分之",
                          "兆", "亿", "数", "万", "元", "吨", "第", "半", "-", "至", "、", "分之", "k", "w", "对折", "半成"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(SPACED, max_size=10).map("".join), st.sampled_from([None, "tw"]))
def test_in_line_starts_and_runs_equal_the_full_steps(extractor: Extractor, text: str, locale: str | None) -> None:
    finder = extractor.quantities
    layout = build_layout(text, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)
    assert finder.find(text, layout, "CNY", locale) == _reference(finder).find(text, layout, "CNY", locale)


@pytest.mark.parametrize("text", ["3 km", "长3 km", "3  kg", "a3 km", "零3元", "〇五年", "百分之3", "兆3元", "1,000 km",
                                  "数百万元", "2.5%至3 %", "iPhone 15", "第3 个", "打对折",
                                  "半成", "三成半成"])
def test_in_line_steps_on_examples(extractor: Extractor, text: str) -> None:
    finder = extractor.quantities
    layout = build_layout(text, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)
    assert finder.find(text, layout, "CNY", None) == _reference(finder).find(text, layout, "CNY", None)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(list("。！？!?\n，,；;：:、甲 \r")), max_size=30).map("".join))
def test_sentence_starts_picked_from_clause_ends_equal_a_loop_over_every_character(text: str) -> None:
    layout = build_layout(text, (), 10)
    assert layout.sentence_starts == [0] + [i + 1 for i, c in enumerate(text) if c in "。！？!?\n"]
    assert layout.clause_starts == [0] + [i + 1 for i, c in enumerate(text) if c in "。！？!?\n，,；;：:"]
