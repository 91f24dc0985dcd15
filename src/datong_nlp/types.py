"""Shared result types and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import DatongError, InputError, RulesError

__all__ = ["LOCALES", "Claim", "ClaimRules", "DatongError", "Document", "Entity", "InputError", "RulesError"]

LOCALES = ("cn", "hk", "tw", "mo")  # the places `--locale` accepts (also `pipeline.LOCALES`)


# The frozen dataclasses built once per figure or entity (tens of thousands per megabyte) are
# `init=False` with their own `__init__` that fills the instance dict in one update, instead of
# one `object.__setattr__` per field: 2-3 times cheaper; frozen, equality, hash, repr, pickle and
# `dataclasses.replace` are the dataclass's own (tests/test_frozen_types.py checks them).


@dataclass(frozen=True, init=False)
class ClaimRules:
    """The ids of the rules that decided a claim's unit, comparator, modality, time and property
    (None: the default, no rule fired)."""

    unit: str | None
    comparator: str | None = None
    modality: str | None = None
    time: str | None = None
    property: str | None = None

    def __init__(self, unit: str | None, comparator: str | None = None, modality: str | None = None,
                 time: str | None = None, property: str | None = None) -> None:
        self.__dict__.update({"unit": unit, "comparator": comparator, "modality": modality, "time": time,
                              "property": property})

    def as_dict(self) -> dict[str, str | None]:
        return {"unit": self.unit, "comparator": self.comparator, "modality": self.modality,
                "time": self.time, "property": self.property}


@dataclass(frozen=True, init=False)
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
    rules: ClaimRules | None = None  # the trace of every stage
    time_norm: str | None = None  # `time` as ISO 8601 (timenorm.py)
    time_source: str | None = None  # clause, frame, or None when time_norm is None

    def __init__(self, start: int, end: int, text: str, value: float, value_max: float | None, unit: str, kind: str,
                 comparator: str = "=", modality: str = "actual", property: str | None = None, time: str | None = None,
                 rule: str | None = None, rules: ClaimRules | None = None, time_norm: str | None = None,
                 time_source: str | None = None) -> None:
        self.__dict__.update({"start": start, "end": end, "text": text, "value": value, "value_max": value_max,
                              "unit": unit, "kind": kind, "comparator": comparator, "modality": modality,
                              "property": property, "time": time, "rule": rule, "rules": rules,
                              "time_norm": time_norm, "time_source": time_source})


@dataclass(frozen=True, init=False)
class Entity:
    """An entity mention; offsets index the original text."""

    start: int
    end: int
    text: str
    type: str
    name_en: str | None = None
    id: str | None = None

    def __init__(self, start: int, end: int, text: str, type: str, name_en: str | None = None,
                 id: str | None = None) -> None:
        self.__dict__.update({"start": start, "end": end, "text": text, "type": type, "name_en": name_en, "id": id})


@dataclass
class Document:
    """The extraction result for one text."""

    text: str
    encoding: str
    script: str
    locale: str
    claims: list[Claim] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    locale_cues: dict[str, Any] | None = None  # how `locale` was decided: method, scores, cues
    rules_sha256: str | None = None  # of the rules folder that made it (`provenance.rules_sha256`)
    doc_id: str | None = None  # set by `extract_file`/`extract_text`, used by `to_dict`
    source: str | None = None
    doc_date: str | None = None  # ISO date the relative times were resolved against

    def to_dict(self, doc_id: str | None = None, source: str | None = None) -> dict[str, Any]:
        """The schema-v1 object `extract` writes for this document."""
        from .output import to_json

        doc_id = doc_id or self.doc_id or "text"
        return to_json(self, doc_id, source or self.source or f"{doc_id}.txt")

    def to_json(self, doc_id: str | None = None, source: str | None = None) -> str:
        """`to_dict()` as the JSON text `extract` writes."""
        from .output import dumps

        return dumps(self.to_dict(doc_id, source))
