"""The word spans' shortcuts against their plain forms: the runs of whitespace words found as runs of
whitespace in the text, the symbol stretches of shim 3 found by a pattern opening with a character."""

from __future__ import annotations

import os
import re
from itertools import accumulate
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import segment
from datong_nlp.segment import WHITESPACE, _spans

EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))
TEXT = st.lists(st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "\u3000", "\xa0", "a", "中", "文", "1", "-"]),
                max_size=20).map("".join)
# the old form of the pattern: a lookahead, then a lookbehind, at every position
_LOOKAHEAD_BLOCK = re.compile(r"(?=[a-zA-Z0-9+#&._%\-])(?<![a-zA-Z0-9+#&._%\-])[a-zA-Z0-9]*+[+#&._%\-][a-zA-Z0-9+#&._%\-]*")


def test_whitespace_is_every_character_of_isspace() -> None:
    chars = re.compile(f"[{WHITESPACE}]")
    assert [c for c in map(chr, range(0x110000)) if chars.match(c)] == \
        [c for c in map(chr, range(0x110000)) if c.isspace()]


def _plain(text: str, cut: list[str], bounds: list[int]) -> list[tuple[int, int]]:
    with mock.patch.object(segment, "_whitespace_runs", lambda text, bounds: None):
        return _spans(text, cut, bounds)


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXT, st.data())
def test_spans_equal_a_test_of_every_word(text: str, data: st.DataObject) -> None:
    """Any cut of the text, whitespace alone or inside words (where the shortcut gives way)."""
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)))) if len(text) > 1 else set())
    cut = [text[s:e] for s, e in zip([0, *cuts], [*cuts, len(text)], strict=True) if e > s] if text else []
    bounds = list(accumulate(map(len, cut), initial=0))
    assert _spans(text, cut, bounds) == _plain(text, cut, bounds)


def test_spans_of_words_split_at_whitespace() -> None:
    text = "大同 市\n\n  煤炭 \t产量\r\n"
    cut = ["大同", " ", "市", "\n", "\n", " ", " ", "煤炭", " ", "\t", "产量", "\r\n"]
    bounds = list(accumulate(map(len, cut), initial=0))
    assert _spans(text, cut, bounds) == _plain(text, cut, bounds) == \
        [(0, 2), (3, 4), (4, 8), (8, 10), (11, 12), (12, 14), (14, 16)]
    mixed = ["大同", " ", "市", "\n\n", "  煤炭", " ", "\t", "产量", "\r\n"]  # a word holding whitespace and more
    bounds = list(accumulate(map(len, mixed), initial=0))
    assert _spans(text, mixed, bounds) == _plain(text, mixed, bounds)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(list("aZ09+#&._%- 中\n")), max_size=24).map("".join))
def test_symbol_stretches_equal_the_lookahead_form(text: str) -> None:
    assert [m.span() for m in segment._SYMBOL_BLOCK.finditer(text)] == \
        [m.span() for m in _LOOKAHEAD_BLOCK.finditer(text)]
