"""The quantity found: a number with its unit, and the ids of the unit forms the finder emits."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import one_update

PERCENT_WORDS, RANK = "percent-words", "rank"  # ids of the units.yaml `forms` this finder emits
FORMS = (PERCENT_WORDS, RANK)


@one_update
@dataclass(frozen=True)
class Quantity:
    """A number with its unit, in normalised-text offsets.  Immutable; built by `types.one_update`
    (the finder builds tens of thousands per megabyte)."""

    start: int
    end: int
    number_start: int
    number_end: int
    value: float
    value_max: float | None
    unit: str
    kind: str
    approx: str | None
    rule: str
    number_text: str
