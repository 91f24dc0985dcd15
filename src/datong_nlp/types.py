"""Shared result types and errors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import DatongError, InputError, RulesError

__all__ = ["LOCALES", "Claim", "ClaimRules", "DatongError", "Document", "Entity", "InputError", "RulesError"]

LOCALES = ("cn", "hk", "tw", "mo")  # the places `--locale` accepts (also `pipeline.LOCALES`)


C = TypeVar("C", bound=type)


def one_update(cls: C) -> C:
    """A frozen dataclass built once per figure or entity (tens of thousands per megabyte) with an
    `__init__` that fills the instance dict in one update instead of one `object.__setattr__` per
    field: 2-3 times cheaper.  Its signature, defaults and annotations are those of the generated
    `__init__`; frozen, equality, hash, repr, pickle and `dataclasses.replace` stay the dataclass's
    own (tests/test_frozen_types.py checks them).  Use it above `@dataclass(frozen=True)`."""
    fields = dataclasses.fields(cls)
    if any(f.default_factory is not dataclasses.MISSING or not f.init for f in fields):
        raise TypeError(f"{cls.__name__}: one_update takes plain fields only")
    defaults = {f"_default_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    params = ", ".join(f.name if f.default is dataclasses.MISSING else f"{f.name}=_default_{f.name}" for f in fields)
    items = ", ".join(f"{f.name!r}: {f.name}" for f in fields)
    exec(f"def __init__(self, {params}):\n    self.__dict__.update({{{items}}})", defaults)  # as dataclasses makes it
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = dict(cls.__init__.__annotations__)  # type: ignore[misc]
    cls.__init__ = init  # type: ignore[misc]
    return cls


@one_update
@dataclass(frozen=True)
class ClaimRules:
    """The ids of the rules that decided a claim's unit, comparator, modality, time and property
    (None: the default, no rule fired)."""

    unit: str | None
    comparator: str | None = None
    modality: str | None = None
    time: str | None = None
    property: str | None = None


    def as_dict(self) -> dict[str, str | None]:
        return {"unit": self.unit, "comparator": self.comparator, "modality": self.modality,
                "time": self.time, "property": self.property}


@one_update
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
    rules: ClaimRules | None = None  # the trace of every stage
    time_norm: str | None = None  # `time` as ISO 8601 (timenorm.py)
    time_source: str | None = None  # clause, frame, or None when time_norm is None



@one_update
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
