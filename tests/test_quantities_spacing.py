"""Spaced numerals: `Compaction.restore` moves each offset as `to_text` does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp.quantities import Quantity
from datong_nlp.quantities.spacing import Compaction


@st.composite
def _cuts(draw: st.DrawFn) -> list[tuple[int, int]]:
    """Sorted runs of spaces taken out, a character at least between two."""
    cuts, pos = [], draw(st.integers(0, 3))
    for gap, width in draw(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 3)), max_size=5)):
        cuts.append((pos, pos + width))
        pos += width + gap
    return cuts


@settings(max_examples=1000, deadline=None)
@given(_cuts(), st.lists(st.lists(st.integers(0, 25), min_size=4, max_size=4), max_size=6), st.booleans())
def test_restore_moves_offsets_as_to_text(cuts: list[tuple[int, int]], offsets: list[list[int]], ordered: bool) -> None:
    shift = Compaction(cuts)
    found = []
    for points in offsets:
        a, b, c, d = sorted(points) if ordered else points  # a figure (start <= number <= end), or any four
        found.append(Quantity(a, d, b, c, 1.0, None, "t", "mass", None, "r", "1") if ordered
                      else Quantity(a, b, c, d, 1.0, None, "t", "mass", None, "r", "1"))
    expected = [Quantity(shift.to_text(q.start), shift.to_text(q.end, end=True), shift.to_text(q.number_start),
                         shift.to_text(q.number_end, end=True), q.value, q.value_max, q.unit, q.kind, q.approx, q.rule,
                         q.number_text) for q in found]
    assert shift.restore(found) == expected
