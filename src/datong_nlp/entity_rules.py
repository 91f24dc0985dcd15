"""Load `entity_context.yaml`: organ words, sub-unit words, person cues and event suffixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import RuleSet, _Context


@dataclass(frozen=True)
class Organ:
    rule: str
    word: str
    name_en: str


@dataclass
class EntityContext:
    """Context knowledge for names that no list holds."""

    organs: dict[str, Organ] = field(default_factory=dict)  # organ word -> its rule
    unit_parents: tuple[str, ...] = ()
    unit_stem_words: int = 2
    units: dict[str, str] = field(default_factory=dict)  # unit word -> rule id
    verbs: tuple[str, ...] = ()
    bylines: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    given_name_max: int = 2
    foreign_chars: frozenset[str] = frozenset()
    event_scope: frozenset[str] = frozenset()
    event_suffixes: tuple[str, ...] = ()
    event_stem_words: int = 4
    rule_ids: tuple[str, ...] = ()
    variants: dict[str, str] = field(default_factory=dict)  # variant character -> the form of the aliases


def load_entity_context(ctx: _Context, data: dict, rules: RuleSet) -> None:
    """Fill `rules.entity_context` from the data of `entity_context.yaml`."""
    from .rules import EXAMPLE_KEYS, _examples

    ctx.keys(data, None, ["organs", "units", "unit_parents", "unit_stem_words", "people", "events"], ["variants"])
    out = EntityContext()
    for variant, standard in (data.get("variants") or {}).items():
        if not (isinstance(variant, str) and isinstance(standard, str) and len(variant) == len(standard) == 1):
            raise ctx.fail("variants", f"each variant must map one character to one, got {variant!r}: {standard!r}")
        out.variants[variant] = standard
    for ident, item in ctx.entries(data, "organs"):
        ctx.keys(item, ident, ["id", "words"], EXAMPLE_KEYS)
        if not isinstance(item["words"], dict) or not item["words"]:
            raise ctx.fail(ident, "`words` must map each organ word to its English name")
        for word, english in item["words"].items():
            word = ctx.string(word, ident, "organ word")
            if word in out.organs:
                raise ctx.fail(ident, f"organ word {word!r} already belongs to {out.organs[word].rule}")
            out.organs[word] = Organ(ident, word, ctx.string(english, ident, "English name", simplify=False))
        _examples(ctx, rules, ident, item)
    out.unit_parents = tuple(ctx.strings(data["unit_parents"], "unit_parents", "unit_parents"))
    out.unit_stem_words = _whole(ctx, data["unit_stem_words"], "unit_stem_words", 0, 4)
    for ident, item in ctx.entries(data, "units"):
        ctx.keys(item, ident, ["id", "words"], EXAMPLE_KEYS)
        for word in ctx.strings(item["words"], ident, "words"):
            out.units[word] = ident
        _examples(ctx, rules, ident, item)
    people = ctx.keys(data["people"], "people", ["verbs", "bylines", "before", "given_name_max", "foreign_chars"],
                      EXAMPLE_KEYS)
    out.before = tuple(ctx.strings(people["before"], "people", "before"))
    out.verbs = tuple(sorted(set(ctx.strings(people["verbs"], "people", "verbs")), key=len, reverse=True))
    out.bylines = tuple(ctx.strings(people["bylines"], "people", "bylines"))
    out.given_name_max = _whole(ctx, people["given_name_max"], "people", 1, 3)
    out.foreign_chars = frozenset(ctx.string(people["foreign_chars"], "people", "foreign_chars"))
    _examples(ctx, rules, "people", people)
    events = ctx.keys(data["events"], "events", ["scope_words", "suffixes", "stem_words"], EXAMPLE_KEYS)
    out.event_scope = frozenset(ctx.strings(events["scope_words"], "events", "scope_words"))
    out.event_suffixes = tuple(sorted(set(ctx.strings(events["suffixes"], "events", "suffixes")), key=len, reverse=True))
    out.event_stem_words = _whole(ctx, events["stem_words"], "events", 1, 6)
    _examples(ctx, rules, "events", events)
    out.rule_ids = (*dict.fromkeys(o.rule for o in out.organs.values()), *dict.fromkeys(out.units.values()),
                    "people", "events")
    rules.entity_context = out


def _whole(ctx: _Context, value: object, entry: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ctx.fail(entry, f"must be a whole number from {low} to {high}, got {value!r}")
    return value
