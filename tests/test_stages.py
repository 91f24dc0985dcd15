"""The claim stages on their own: comparator, modality, time and property, each with its rule id."""

from __future__ import annotations

import dataclasses

from datong_nlp import Extractor
from datong_nlp.claims import ClaimBuilder, Judged
from datong_nlp.claims.modality import CuePositions
from datong_nlp.claims.properties import Affixes
from datong_nlp.claims.spans import Visible
from datong_nlp.claims.times import TimeIndex, find_times
from datong_nlp.layout import build_layout
from datong_nlp.rules import RuleSet


def _judge(extractor: Extractor, text: str, rules: RuleSet | None = None) -> list[Judged]:
    norm = extractor.normalise(text).text
    builder = ClaimBuilder(rules or extractor.rules)
    analysis = extractor.analyse(norm, "CNY")
    return builder.judge(norm, analysis.layout, analysis.quantities, analysis.edges, analysis.times)


def test_affixes_strip_longest_first_and_keep_one_character() -> None:
    trailing = Affixes(("达", "达到", "的"), leading=False)
    assert trailing.strip("产量达到的") == "产量"
    assert trailing.strip("达到") == "达到"  # stripping 达到 would leave nothing, and it does not end in 达
    assert trailing.strip("到达") == "到"
    leading = Affixes(("全国", "全", "其中"), leading=True)
    assert leading.strip("其中全国产量") == "产量"
    assert leading.strip("全国") == "国"  # 全国 itself would leave nothing: the shorter 全 goes
    assert leading.strip("") == ""
    assert Affixes((), leading=True).strip("产量") == "产量"


def test_visible_skips_hidden_spans_and_non_han_characters() -> None:
    text = "甲1乙(丙)丁GDP"
    assert Visible(text, []).positions(0, len(text)) == [0, 2, 4, 6, 7, 8, 9]
    assert Visible(text, [(2, 5)]).positions(0, len(text)) == [0, 6, 7, 8, 9]
    assert Visible(text, [(0, 4), (7, 20)]).positions(3, 8) == [4, 6]
    assert Visible(text, []).positions(5, 5) == []


def test_cue_positions_take_the_latest_cue_within_reach() -> None:
    cues = CuePositions([(0, 2, "a"), (5, 6, "b"), (4, 7, "c")])
    assert cues.latest(0, 2) == "a"
    assert cues.latest(0, 6) == "b"  # ends by 6: a and b; b starts later
    assert cues.latest(5, 7) == "b"  # c starts before the reach, b does not
    assert cues.latest(6, 7) is None
    assert cues.latest(0, 1) is None


def test_time_index_prefers_the_clause_then_a_carrying_earlier_time(extractor: Extractor) -> None:
    text = "去年产量增长5%，较2011年增加16%，连续3年下降2%"
    times = find_times(text, extractor.rules)
    assert [(t.text, t.rule, t.base) for t in times] == [("去年", "relative-year", False),
                                                         ("2011年", "calendar-date", True),
                                                         ("连续3年", "streak", False)]
    layout = build_layout(text, (), 20)
    index = TimeIndex(times)
    governing = [index.governing(j.quantity, layout) for j in _judge(extractor, text) if j.dropped is None]
    # 5%: its own clause; 16%: a base never counts, the earlier carrying 去年 does; 2%: its own clause
    assert [t.text if t else None for t in governing] == ["去年", "去年", "连续3年"]


def test_a_dropped_figure_does_not_change_the_next_property(extractor: Extractor) -> None:
    text = "全年销售三台，增长5%"
    kept = [(j.quantity.number_text, j.dropped, j.property) for j in _judge(extractor, text)]
    assert [(n, d, p.value, p.rule) for n, d, p in kept] == [
        ("三", None, "销售", "property-before"), ("5", None, "销售增长", "property-bare-change")]
    rules = dataclasses.replace(extractor.rules, articles=frozenset({"一", "三"}))  # the first figure is now an article
    dropped = [(j.quantity.number_text, j.dropped, j.property.value) for j in _judge(extractor, text, rules)]
    assert dropped == [("三", "article", "销售"), ("5", None, "销售增长")]


def test_cue_windows_grow_with_the_longest_cue(extractor: Extractor) -> None:
    base = extractor.rules
    rules = dataclasses.replace(
        base,
        comparator_prefixes={**base.comparator_prefixes, "无论如何不少于": (">=", False)},
        comparator_suffixes={**base.comparator_suffixes, "或者更加多一些": ">="},
        comparator_rules={**base.comparator_rules, ("prefix", "无论如何不少于"): "long-cue",
                          ("suffix", "或者更加多一些"): "long-suffix"},
        modality_cues={**base.modality_cues, "按照中长期规划": "sentence"},
        modality_rules={**base.modality_rules, "按照中长期规划": "long-modality"})
    judged = _judge(extractor, "按照中长期规划，投资无论如何不少于  5亿元，人数3万人或者更加多一些", rules)
    got = [(j.quantity.number_text, j.comparator.value, j.comparator.rule, j.modality.rule) for j in judged]
    assert got == [("5亿", ">=", "long-cue", "long-modality"), ("3万", ">=", "long-suffix", "long-modality")]


def test_stage_rules_for_defaults_are_none(extractor: Extractor) -> None:
    (j,) = _judge(extractor, "会场里有300名代表")
    assert (j.comparator.value, j.comparator.rule, j.modality.value, j.modality.rule, j.time.rule) == \
        ("=", None, "actual", None, None)
