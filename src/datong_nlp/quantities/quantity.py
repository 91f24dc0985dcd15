"""The quantity found: a number with its unit, and the ids of the unit forms the finder emits."""

from __future__ import annotations

from dataclasses import dataclass

PERCENT_WORDS, RANK = "percent-words", "rank"  # ids of the units.yaml `forms` this finder emits
FORMS = (PERCENT_WORDS, RANK)


@dataclass(frozen=True, init=False)
class Quantity:
    """A number with its unit, in normalised-text offsets.  Immutable; built with one dict update,
    not the eleven `object.__setattr__` calls of a frozen dataclass's own `__init__` (the finder
    builds tens of thousands per megabyte)."""

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

    def __init__(self, start: int, end: int, number_start: int, number_end: int, value: float,
                 value_max: float | None, unit: str, kind: str, approx: str | None, rule: str,
                 number_text: str) -> None:
        self.__dict__.update({"start": start, "end": end, "number_start": number_start, "number_end": number_end,
                              "value": value, "value_max": value_max, "unit": unit, "kind": kind,
                              "approx": approx, "rule": rule, "number_text": number_text})
