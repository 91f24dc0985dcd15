"""`anchors._candidates` reads the run of match characters before each literal character by character,
through the literal before it: it gives exactly the starts a match could have, checked against the
definition (a literal `min_off` to `max_off` characters on, only match characters between)."""

from __future__ import annotations

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from datong_nlp.anchors import _candidates, _Members
from datong_nlp.literals import Anchor

_TOKENS = ["1", "2", "12", "a", " ", "第", ".", "年", "年", "月", "、", "年月"]  # literals often
_CLASSES = [r"\d年", r"\d年月、\.", r"\p{Han}", r"a\ 1"]


def _defined(a: Anchor, literals: list[int], text: str) -> list[int]:
    """The starts s with a literal at p, min_off <= p - s <= max_off, and only match characters in text[s:p]."""
    member = regex.compile(f"[{a.chars}]") if a.chars is not None else None
    return [s for s in range(len(text) + 1)
            if any(a.min_off <= p - s and (a.max_off is None or p - s <= a.max_off)
                   and (member is None or all(member.match(c) for c in text[s:p])) for p in literals)]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join), st.sampled_from([*_CLASSES, None]),
       st.integers(0, 5), st.sampled_from([None, 0, 0, 1, 3, 8]), st.sampled_from(["年", "月", "、", "年月"]))
@example("11年1年", r"\d年", 2, None, "年")  # the run before the second 年 goes on through the first
@example("1年", r"\d年", 1, 0, "年")
def test_candidates_are_the_defined_starts(text: str, chars: str | None, low: int, span: int | None,
                                           literal: str) -> None:
    high = None if span is None else low + span
    if chars is None and high is None:
        return  # no anchor: such a pattern is scanned in full
    a = Anchor(frozenset([literal]), low, high, chars)
    literals = [m.start() for m in regex.finditer(regex.escape(literal), text, overlapped=True)]
    member = _Members(chars) if chars is not None else None
    assert _candidates(a, member, literals, text) == _defined(a, literals, text)


def test_members_read_as_the_class() -> None:
    member = _Members(r"\d\p{Han}\-")
    assert [member[c] for c in "1年-a "] == [True, True, True, False, False] and member["٣"]  # a Unicode digit
