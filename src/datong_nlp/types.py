"""Shared result types and errors."""

from __future__ import annotations

from dataclasses import dataclass, field


class DatongError(Exception):
    """Base class of the errors this package raises on purpose."""


class RulesError(DatongError):
    """A rule file is malformed; the message names the file, the entry and the reason."""


class InputError(DatongError):
    """An input document cannot be read or decoded; the message says why."""


@dataclass(frozen=True)
class Claim:
    """A numeric claim; offsets index the original text."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str
    kind: str
    comparator: str = "="
    modality: str = "actual"
    property: str | None = None
    time: str | None = None
    rule: str | None = None
    time_norm: str | None = None  # `time` as ISO 8601 (timenorm.py)
    time_source: str | None = None  # clause, frame, or None when time_norm is None


@dataclass(frozen=True)
class Entity:
    """An entity mention; offsets index the original text."""

    start: int
    end: int
    text: str
    type: str
    name_en: str | None = None
    id: str | None = None


@dataclass
class Document:
    """The extraction result for one text."""

    text: str
    encoding: str
    script: str
    locale: str
    doc_date: str | None = None  # ISO date the relative times were resolved against
    claims: list[Claim] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
