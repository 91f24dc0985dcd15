"""Loader of `entity_context.yaml`: organ words, sub-unit words, person cues and event suffixes."""

from __future__ import annotations

from typing import Any

from .context import EXAMPLE_KEYS, Context, Schema
from .model import EntityContext, Organ

ENTITY_CONTEXT = Schema(("organs", "units", "unit_parents", "unit_stem_words", "people", "events"), ("variants",))


def load_entity_context(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`entity_context`: the data of `entity_context.yaml`."""
    ctx.top(data, ENTITY_CONTEXT)
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
        ctx.add_examples(ident, item)
    out.unit_parents = tuple(ctx.strings(data["unit_parents"], "unit_parents", "unit_parents"))
    out.unit_stem_words = _whole(ctx, data["unit_stem_words"], "unit_stem_words", 0, 4)
    for ident, item in ctx.entries(data, "units"):
        ctx.keys(item, ident, ["id", "words"], EXAMPLE_KEYS)
        for word in ctx.strings(item["words"], ident, "words"):
            out.units[word] = ident
        ctx.add_examples(ident, item)
    people = ctx.keys(data["people"], "people", ["verbs", "bylines", "before", "given_name_max", "foreign_chars"],
                      EXAMPLE_KEYS)
    out.before = tuple(ctx.strings(people["before"], "people", "before"))
    out.verbs = tuple(sorted(set(ctx.strings(people["verbs"], "people", "verbs")), key=len, reverse=True))
    out.bylines = tuple(ctx.strings(people["bylines"], "people", "bylines"))
    out.given_name_max = _whole(ctx, people["given_name_max"], "people", 1, 3)
    out.foreign_chars = frozenset(ctx.string(people["foreign_chars"], "people", "foreign_chars"))
    ctx.add_examples("people", people)
    events = ctx.keys(data["events"], "events", ["scope_words", "suffixes", "stem_words"], EXAMPLE_KEYS)
    out.event_scope = frozenset(ctx.strings(events["scope_words"], "events", "scope_words"))
    out.event_suffixes = tuple(sorted(set(ctx.strings(events["suffixes"], "events", "suffixes")), key=len, reverse=True))
    out.event_stem_words = _whole(ctx, events["stem_words"], "events", 1, 6)
    ctx.add_examples("events", events)
    out.rule_ids = (*dict.fromkeys(o.rule for o in out.organs.values()), *dict.fromkeys(out.units.values()),
                    "people", "events")
    return {"entity_context": out}


def _whole(ctx: Context, value: object, entry: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ctx.fail(entry, f"must be a whole number from {low} to {high}, got {value!r}")
    return value
