"""The small result types built with their own `__init__` (one dict update) behave exactly as the
plain frozen dataclass with the same fields: each is compared with a twin made by `make_dataclass`."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from datong_nlp.claims import ClaimDraft, Judged
from datong_nlp.claims.comparator import PrefixCue
from datong_nlp.claims.spans import Decision
from datong_nlp.claims.times import TimeMention
from datong_nlp.quantities import Quantity
from datong_nlp.types import Claim, ClaimRules, Entity

TYPES = [Claim, ClaimRules, Entity, ClaimDraft, Judged, Decision, TimeMention, PrefixCue, Quantity]


def twin(cls: type) -> type:
    """The plain frozen dataclass with `cls`'s name and fields (its generated `__init__`)."""
    fields = [(f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory))
              for f in dataclasses.fields(cls)]
    made = dataclasses.make_dataclass(cls.__name__, fields, frozen=True)
    made.__qualname__ = cls.__qualname__
    return made


def values(cls: type, tag: str = "") -> list[Any]:
    """A distinct, hashable value for every field."""
    return [f"{f.name}-{tag}{i}" for i, f in enumerate(dataclasses.fields(cls))]


def state(obj: Any) -> list[tuple[str, Any]]:
    """The instance dict in order (what pickle writes)."""
    return list(vars(obj).items())


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_same_as_a_plain_frozen_dataclass(cls: type) -> None:
    plain = twin(cls)
    params = dataclasses.fields(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert cls.__match_args__ == plain.__match_args__  # type: ignore[attr-defined]
    ours, theirs = inspect.signature(cls), inspect.signature(plain)
    assert [(p.name, p.kind, p.default, p.annotation) for p in ours.parameters.values()] \
        == [(p.name, p.kind, p.default, p.annotation) for p in theirs.parameters.values()]

    args = values(cls)
    obj, ref = cls(*args), plain(*args)
    assert state(obj) == state(ref)
    assert repr(obj) == repr(ref)
    assert hash(obj) == hash(ref)
    assert dataclasses.asdict(obj) == dataclasses.asdict(ref)
    assert dataclasses.astuple(obj) == dataclasses.astuple(ref)
    assert obj.__reduce_ex__(5)[2] == ref.__reduce_ex__(5)[2]

    by_name = cls(**{f.name: v for f, v in zip(params, args, strict=True)})
    assert by_name == obj and hash(by_name) == hash(obj) and state(by_name) == state(obj)
    required = [v for f, v in zip(params, args, strict=True) if f.default is dataclasses.MISSING]
    assert state(cls(*required)) == state(plain(*required))  # the defaults

    other = values(cls, "x")
    for i, f in enumerate(params):  # any field differing: not equal
        changed = cls(*args[:i], other[i], *args[i + 1:])
        assert changed != obj
        assert dataclasses.replace(obj, **{f.name: other[i]}) == changed
        assert state(dataclasses.replace(obj, **{f.name: other[i]})) == state(changed)

    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, params[0].name, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(obj, params[-1].name)
    with pytest.raises(TypeError):
        cls(*args, "one too many")

    back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(back) is cls and back == obj and state(back) == state(obj) and hash(back) == hash(obj)
