"""Time and not-a-claim patterns tried only near their literals (`PatternScanner.scan`) find exactly
what a plain `finditer` finds, over the whole text and within windows (pos, endpos): on random
strings of the patterns' own characters and literals, for every shipped rule and for built ones."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.anchors import PatternScanner, anchor, anchor_parts
from datong_nlp.claims.filters import ClaimFilter
from datong_nlp.claims.times import find_times

Windows = list[tuple[int, int]]
Found = list[tuple[int, tuple[int, int], str]]

# a lookbehind that reads before `pos`, a lookahead cut by `endpos`, `^` of a line, a lazy run, no literal
_BUILT = [
    r"(?<![\d年])\d{1,2}(?:-|至)\d{1,2}月",
    r"\d{4}年(?:底|末)?(?=[，：])",
    r"^[ \t]*[\d一二三]+(?:、|[.．](?!\d))",
    r"第[\d一二三]+?(?:次|届)",
    r"\d+",
]
_ALPHABET = list("0123456789一二三年月底末至第次届、.．，：- \t\n")


def _full(patterns: list[regex.Pattern[str]], text: str, windows: Windows | None) -> Found:
    spans = [(0, len(text))] if windows is None else windows
    return [(i, m.span(), m.group()) for i, p in enumerate(patterns) for ws, we in spans for m in p.finditer(text, ws, we)]


def _fast(scanner: PatternScanner, text: str, windows: Windows | None) -> Found:
    return [(i, m.span(), m.group()) for i, m in scanner.scan(text, windows)]


def _windows(data: st.DataObject, size: int) -> Windows:
    """Disjoint windows in order, as the filter merges them."""
    cuts = sorted(data.draw(st.lists(st.integers(0, size), max_size=6)))
    return [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]


def _shipped(patterns: list[regex.Pattern[str]]) -> tuple[list[regex.Pattern[str]], PatternScanner, list[str]]:
    scanner = PatternScanner(patterns)
    words = {lit for a in scanner.anchors if a is not None for lit in a.literals}
    words |= {c for p in patterns for c in p.pattern} | set("0123456789 \n，。")
    return patterns, scanner, sorted(words)


@pytest.fixture(scope="module")
def times(extractor: Extractor) -> tuple[list[regex.Pattern[str]], PatternScanner, list[str]]:
    return _shipped([rule.pattern for rule in extractor.rules.times])


@pytest.fixture(scope="module")
def non_claims(extractor: Extractor) -> tuple[list[regex.Pattern[str]], PatternScanner, list[str]]:
    return _shipped([pattern for _, pattern in extractor.rules.non_claims])


def test_shipped_patterns_are_anchored(extractor: Extractor) -> None:
    assert [a for a in PatternScanner([r.pattern for r in extractor.rules.times]).anchors if a is None] == []
    unanchored = ClaimFilter(extractor.rules).scanner.anchors
    assert [r for (r, _), a in zip(extractor.rules.non_claims, unanchored, strict=True) if a is None] == ["identifier"]


def test_known_text(extractor: Extractor) -> None:
    text = "据介绍，2023年底至今，全市第3次会议召开；近5年来新增就业岗位12万个，上午9点发布。\n二、2024年投资增长6.5%"
    found = [(t.start, t.end, t.rule) for t in find_times(text, extractor.rules)]
    assert found == [(4, 10, "calendar-date"), (10, 12, "present"), (23, 27, "recent-years"), (48, 53, "calendar-date")]
    scanner = ClaimFilter(extractor.rules).scanner
    rules = [r for r, _ in extractor.rules.non_claims]
    hits = [(rules[i], m.span()) for i, m in scanner.scan(text, [(0, 19), (36, len(text))])]
    # 第3次会议 (15-20) is cut by the first window's end, which still holds 第3次
    assert hits == [("time-of-day", (38, 42)), ("legal-and-list-references", (46, 48)), ("sequence-ordinals", (15, 18))]
    whole = [(rules[i], m.span()) for i, m in scanner.scan(text, [(0, len(text))])]
    assert ("session-and-congress", (15, 20)) in whole and list(scanner.scan(text, [])) == []


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_built_patterns_match_finditer(data: st.DataObject) -> None:
    patterns = [regex.compile(p, regex.MULTILINE) for p in _BUILT]
    scanner = PatternScanner(patterns)
    assert scanner.anchors[-1] is None  # scanned in full
    text = "".join(data.draw(st.lists(st.sampled_from(_ALPHABET), max_size=60)))
    windows = _windows(data, len(text))
    assert _fast(scanner, text, None) == _full(patterns, text, None)
    assert _fast(scanner, text, windows) == _full(patterns, text, windows)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_time_patterns_match_finditer(times: tuple[list[regex.Pattern[str]], PatternScanner, list[str]],
                                      data: st.DataObject) -> None:
    patterns, scanner, words = times
    text = "".join(data.draw(st.lists(st.sampled_from(words), max_size=40)))
    assert _fast(scanner, text, None) == _full(patterns, text, None)
    windows = _windows(data, len(text))
    assert _fast(scanner, text, windows) == _full(patterns, text, windows)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_non_claim_patterns_match_finditer(non_claims: tuple[list[regex.Pattern[str]], PatternScanner, list[str]],
                                           data: st.DataObject) -> None:
    patterns, scanner, words = non_claims
    text = "".join(data.draw(st.lists(st.sampled_from(words), max_size=40)))
    windows = _windows(data, len(text))
    assert _fast(scanner, text, windows) == _full(patterns, text, windows)
    assert _fast(scanner, text, None) == _full(patterns, text, None)


# two anchors in one alternative (到|至 or 年; 年|个月 or 前|后; 产业 or 第), so a text can make either the rarer
_CHOICES = [
    r"(?<!截|截止)(?:到|至)\d{4}年(?:底|末)?(?=[，,：:])",
    r"(?:\d+|几)(?:年|个月)(?:前|后)|每年",
    r"第[一二三]产业|三次产业",
    # alternatives of one anchor each at a fixed offset (第, 号) and after a run (、 or . of a list item)
    r"(?m)第[一二三\d]+条?|^[ \t]*[\d一二三]+(?:、|[.．](?!\d))|[(（][一二三]+[)）]|[一二三]号",
]
_CHOICE_ALPHABET = ["到", "至", "截", "年", "底", "，", "2011", "5", "几", "个月", "前", "后", "每年", "第", "一", "三",
                    "产业", "三次产业", " ", "\n", "条", "、", ".", "．", "(", ")", "号", "\t"]


def test_anchor_parts_keep_the_other_anchors_of_an_alternative() -> None:
    until = anchor_parts(_CHOICES[0])
    assert until is not None and [[(set(a.literals), a.min_off, a.max_off) for a in part] for part in until] == \
        [[({"年"}, 5, 5), ({"到", "至"}, 0, 0)]]
    ago = anchor_parts(_CHOICES[1])  # the alternative of one anchor (每年) apart
    assert ago is not None and [[set(a.literals) for a in part] for part in ago] == [[{"每年"}], [{"年", "个月"}, {"前", "后"}]]
    assert anchor_parts(r"\d+") is None and anchor_parts(r"市委|省委") == ((anchor(r"市委|省委"),),)
    items = anchor_parts(_CHOICES[3])  # 第 and 号 (fixed offsets) apart from 、.． (after a run of its own characters)
    assert items is not None and [[(set(a.literals), a.min_off, a.max_off) for a in part] for part in items][:2] == \
        [[({"第"}, 0, 0)], [({"、", ".", "．"}, 1, None)]]
    assert items[1][0].chars is not None and regex.fullmatch(f"[{items[1][0].chars}]+", "\t12、") \
        and not regex.search(f"[{items[1][0].chars}]", "第条()")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_patterns_of_several_anchors_match_finditer(data: st.DataObject) -> None:
    patterns = [regex.compile(p) for p in _CHOICES]
    scanner = PatternScanner(patterns)
    text = "".join(data.draw(st.lists(st.sampled_from(_CHOICE_ALPHABET), max_size=40)))
    assert _fast(scanner, text, None) == _full(patterns, text, None)
    windows = _windows(data, len(text))
    assert _fast(scanner, text, windows) == _full(patterns, text, windows)
