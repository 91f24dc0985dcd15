"""Rewritten hot paths give what the plain loops they replaced give."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datong_nlp.claims.comparator import ComparatorStage, PrefixCue
from datong_nlp.claims.modality import ModalityStage
from datong_nlp.claims.properties import (
    _LAST_CLOSE,
    _LAST_OPEN,
    _LAST_START,
    CLOSE,
    OPEN,
    PROPERTY_START,
    PropertyStage,
)
from datong_nlp.claims.spans import Lazy, Visible, last_match, mask, merge, space_after, space_before
from datong_nlp.claims.times import find_times
from datong_nlp.layout import build_layout
from datong_nlp.links import sentence_span
from datong_nlp.rules import RuleSet, load_rules

_HAN = regex.compile(r"[\p{Han}·A-Za-z]+")


def _visible_reference(text: str, start: int, end: int, hidden: list[tuple[int, int]]) -> list[int]:
    """What the property stage shows of text[start:end]: the Han (and Latin, ·) characters outside `hidden`."""
    return [p for p in range(start, min(end, len(text))) if not any(s <= p < e for s, e in hidden) and _HAN.match(text[p])]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("全年增长5%，GDP·达到1.2万亿元 "), max_size=40), st.data())
def test_visible_equals_a_loop_over_characters(text: str, data: st.DataObject) -> None:
    n = len(text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, 8)), max_size=5))
    hidden = merge([(s, min(n, s + k)) for s, k in spans])
    assert Visible(text, hidden).positions(start, end) == _visible_reference(text, start, end, hidden)


def test_visible_skips_hidden_spans() -> None:
    text = "去年投资12亿元，GDP增长5%"
    assert Visible(text, [(2, 8)]).positions(0, len(text)) == [0, 1, 9, 10, 11, 12, 13]


def _sentence_span_reference(text: str, start: int, end: int) -> tuple[int, int]:
    """links.sentence_span as first written: one rfind per end mark."""
    lo = max(0, start - 4000)
    s = max((text.rfind(ch, lo, start) for ch in "。｡！？!?\n\r"), default=-1) + 1 or lo
    m = regex.compile("[。｡！？!?\n\r]").search(text, max(end, s))
    e = len(text) if m is None else m.start()
    if e > end + 4000:
        e = end + 4000
    elif e < len(text) and text[e] not in "\n\r":
        e += 1
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("今年增长5%。｡！？!?\n\r 投资"), max_size=60), st.data())
def test_sentence_span_equals_one_search_per_end_mark(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentence_span(text, start, end) == _sentence_span_reference(text, start, end)


def test_sentence_span_of_a_claim() -> None:
    text = "去年投资12亿元。今年增长5%！\n下一行"
    assert sentence_span(text, 11, 13) == (9, 16)
    assert sentence_span(text, 2, 4) == (0, 9)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("全年增长5%，GDP·达到1.2万亿元 \0"), max_size=40), st.data())
def test_visible_index_slices_what_the_reference_shows(text: str, data: st.DataObject) -> None:
    n = len(text)
    spans = data.draw(st.lists(st.tuples(st.integers(0, n + 2), st.integers(0, 8)), max_size=5))
    hidden = merge([(s, s + k) for s, k in spans])
    index = Visible(text, hidden)
    start = data.draw(st.integers(0, n + 2))
    end = data.draw(st.integers(0, n + 2))
    assert index.positions(start, end) == _visible_reference(text, start, end, hidden)
    assert index.words(start, end) == "".join(text[k] for k in _visible_reference(text, start, end, hidden))


def test_visible_index_of_a_sentence() -> None:
    text = "去年投资12亿元，GDP增长5%"
    index = Visible(text, [(2, 8)])
    assert index.words(0, len(text)) == "去年GDP增长"
    assert index.positions(1, 11) == [1, 9, 10]
    assert index.words(8, 3) == ""


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("、(（“「《)）年增长"), max_size=30), st.data())
def test_last_separator_equals_one_rfind_per_character(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    for pattern, chars in ((_LAST_START, PROPERTY_START), (_LAST_OPEN, OPEN), (_LAST_CLOSE, CLOSE)):
        assert last_match(pattern, text, start, end) == max(text.rfind(c, start, end) for c in chars)


@pytest.fixture(scope="module")
def stage() -> PropertyStage:
    return PropertyStage(load_rules())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_suffix_pattern_takes_the_first_listed_suffix(stage: PropertyStage, data: st.DataObject) -> None:
    text = data.draw(st.text(st.sampled_from("".join(stage.suffixes) + "的万元"), max_size=12))
    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(0, len(text)))
    loop = next((pos + len(w) for w in stage.suffixes if text.startswith(w, pos, end)), pos)
    m = stage.suffix.match(text, pos, end) if pos < end else None
    assert (m.end() if m else pos) == loop


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_memoised_trim_equals_the_cut_for_any_boundaries(stage: PropertyStage, data: st.DataObject) -> None:
    # words of cut_after / from_words / nominalize / trim lists, so the boundary checks matter
    pieces = ["实现", "开展", "由", "从", "销售", "全市", "分别为", "企业", "收入", "的", "占"]
    words = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=6)))
    offset = data.draw(st.integers(0, 5))
    positions = list(range(offset, offset + len(words)))
    for _ in range(3):  # the same words, other boundaries: a memoised answer must not depend on them
        boundaries = set(data.draw(st.lists(st.integers(0, offset + len(words) + 1), max_size=12)))
        expected = stage._cut(words, Lazy(lambda: positions), boundaries)
        assert stage._trim(words, lambda: positions, boundaries) == expected


def test_trim_cuts_at_a_governing_verb_only_on_word_boundaries(stage: PropertyStage) -> None:
    words = "企业实现收入"  # made up: 企业实现收入20亿元
    positions = list(range(10, 16))
    assert stage._trim(words, lambda: positions, {10, 12, 14, 16}) == "收入"
    assert stage._trim(words, lambda: positions, {10, 16}) == "企业实现收入"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def _cues_reference(rules: RuleSet, text: str, boundaries: set[int]) -> dict[str, list[tuple[int, int, str]]]:
    """The modality cues of `text` as first found: one `str.find` loop per cue."""
    found: dict[str, list[tuple[int, int, str]]] = {"sentence": [], "clause": []}
    for cue, scope in rules.modality_cues.items():
        pos = text.find(cue)
        while pos >= 0:
            if pos in boundaries and pos + len(cue) in boundaries:
                found[scope].append((pos, pos + len(cue), rules.modality_rules.get(cue, "")))
            pos = text.find(cue, pos + 1)
    return {scope: sorted(items) for scope, items in found.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_modality_cues_in_one_pass_equal_a_find_loop_per_cue(rules: RuleSet, data: st.DataObject) -> None:
    pieces = [*rules.modality_cues, "增长", "5%", "，", "。", "将"]
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=12)))
    boundaries = set(data.draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 1)))
    cues = ModalityStage(rules).positions(text, boundaries)
    assert {scope: c.by_start for scope, c in cues.items()} == _cues_reference(rules, text, boundaries)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_comparison_word_of_a_time_equals_a_loop_over_the_words(rules: RuleSet, data: st.DataObject) -> None:
    pieces = [*rules.comparison_prefixes, "2011年", "去年", "今年", "同期", " ", "增长", "，"]
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=10)))
    for t in find_times(text, rules):
        before = space_before(text, t.start)
        word = next((p for p in rules.comparison_prefixes if text.endswith(p, 0, before)), None)
        assert t.base == (word is not None)
        assert t.hidden_start == (before - len(word) if word else t.start)


def _prefix_reference(stage: ComparatorStage, text: str, start: int, number_start: int) -> PrefixCue | None:
    """ComparatorStage.prefix as first written: every length tried, longest first."""
    end = space_before(text, start)
    for length in range(min(stage.prefix_max, end), 0, -1):
        word = text[end - length:end]
        cue = stage.prefixes.get(word)
        if cue is None or (cue[1] and text[number_start] not in stage.magnitudes):
            continue
        return PrefixCue(end - length, cue[0], stage.rules.comparator_rules.get(("prefix", word), ""))
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_comparator_cues_checked_by_their_end_characters_equal_every_length_tried(rules: RuleSet,
                                                                                  data: st.DataObject) -> None:
    stage = ComparatorStage(rules)
    words = [*rules.comparator_prefixes, *rules.comparator_suffixes, " ", "增长", "万"]
    before = "".join(data.draw(st.lists(st.sampled_from(words), max_size=4)))
    after = "".join(data.draw(st.lists(st.sampled_from(words), max_size=4)))
    number = data.draw(st.sampled_from(["5", "万", "几"]))
    text = before + number + after
    q = SimpleNamespace(start=len(before), number_start=len(before), end=len(before) + 1)
    assert stage.prefix(text, q) == _prefix_reference(stage, text, q.start, q.number_start)  # type: ignore[arg-type]
    pos = space_after(text, q.end)
    suffix = next((w for n in stage.suffix_lengths for w in [text[pos:pos + n]] if len(w) == n
                   and w in rules.comparator_suffixes), None)
    assert stage.suffix(text, q) == suffix  # type: ignore[arg-type]


def _merge_reference(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spans.merge as first written: the last merged span rebuilt at each overlap."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12))
def test_merge_equals_rebuilding_the_last_span(spans: list[tuple[int, int]]) -> None:
    assert merge(spans) == _merge_reference(spans)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("增长5%，。；:！\n 甲"), max_size=40), st.data())
def test_layout_spans_equal_sentence_and_clause(text: str, data: st.DataObject) -> None:
    layout = build_layout(text, (), 0)
    positions = data.draw(st.lists(st.integers(0, len(text)), max_size=12))
    sentences, clauses = layout.spans(positions)
    assert sentences == [layout.sentence(p) for p in positions]
    assert clauses == [layout.clause(p) for p in positions]


def _boilerplate_reference(text: str, cues: tuple[str, ...], footer_line_max: int) -> list[tuple[int, int]]:
    """build_layout's boilerplate lines as first written: every line looked at."""
    boiler, in_footer, pos = [], False, 0
    for line in text.splitlines(keepends=True):
        if any(cue in line for cue in cues):
            in_footer = True
            boiler.append((pos, pos + len(line)))
        elif in_footer and len(line.strip()) <= footer_line_max:
            boiler.append((pos, pos + len(line)))
        else:
            in_footer = False
        pos += len(line)
    return boiler


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["版权", "所有", "甲", "。", "\n", "\r", "\r\n", "\u2028", " "]), max_size=30),
       st.lists(st.sampled_from(["版权所有", "所有", "甲。", "\n甲", ""]), max_size=3), st.integers(0, 4))
def test_boilerplate_lines_equal_a_loop_over_every_line(parts: list[str], cues: list[str], footer: int) -> None:
    text = "".join(parts)
    layout = build_layout(text, tuple(cues), footer)
    assert layout.boilerplate == _boilerplate_reference(text, tuple(cues), footer)
    assert layout.sentence_starts == [0] + [i + 1 for i, c in enumerate(text) if c in "。！？!?\n"]
    assert layout.clause_starts == [0] + [i + 1 for i, c in enumerate(text) if c in "。！？!?\n，,；;：:"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.sampled_from("全年增长5%，GDP·达到1.2万亿元 \0㐀𠀀豈"), st.characters()), max_size=60))
def test_masking_through_code_point_arrays_equals_the_regex(text: str) -> None:
    assert mask(text, long=0) == mask(text, long=len(text) + 1) == regex.sub(r"[^\p{Han}·A-Za-z]", "\0", text)
