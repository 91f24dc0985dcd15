"""Loaders of the number forms beyond number + unit: in `numerals.yaml`, 兆 as a trillion, Latin
multipliers (12k) and magnitudes that never start a figure; in `units.yaml`, symbols in any case,
currency prefixes, money in parts, halves, whole words (对折), discounts and per-units."""

from __future__ import annotations

from typing import Any

from .context import EXAMPLE_KEYS, Context
from .model import NumberForms, UnitCode

NUMBER_FORM_KEYS = ("trillion", "latin_multipliers", "not_first")
UNIT_FORM_KEYS = ("ignore_case", "currency_prefixes", "dollar", "money_parts", "part_joiners", "halves",
                  "whole_words", "discount_surfaces", "per_units")


def numeral_forms(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """The optional number forms of numerals.yaml, as `NumeralTable` fields."""
    out: dict[str, Any] = {}
    if "trillion" in data:
        item = ctx.keys(data["trillion"], "trillion", ["magnitude", "value", "locales", "before"])
        if not isinstance(item["value"], int) or item["magnitude"] not in data["magnitudes"]:
            raise ctx.fail("trillion", "needs a `magnitude` of `magnitudes` and a whole `value`")
        out["trillion"] = (item["magnitude"], item["value"], frozenset(ctx.strings(item["locales"], "trillion", "locales")),
                           frozenset(ctx.strings(item["before"], "trillion", "before")))
    if "latin_multipliers" in data:
        table = data["latin_multipliers"]
        if not isinstance(table, dict) or not all(isinstance(k, str) and len(k) == 1 and k.isascii()
                                                  and isinstance(v, int) for k, v in table.items()):
            raise ctx.fail("latin_multipliers", "must map single Latin letters to whole numbers")
        out["latin_multipliers"] = dict(table)
    if "not_first" in data:
        chars = ctx.strings(data["not_first"], "not_first", "not_first", simplify=False)
        if not all(c in data["magnitudes"] for c in chars):
            raise ctx.fail("not_first", "must list magnitudes of `magnitudes`")
        out["not_first"] = frozenset(chars)
    return out


def _optional_strings(ctx: Context, data: dict[str, Any], key: str, simplify: bool = True) -> list[str]:
    return ctx.strings(data[key], key, key, simplify) if key in data else []


def load_unit_forms(ctx: Context, data: dict[str, Any], codes: dict[str, UnitCode]) -> NumberForms:
    """The number forms of units.yaml; every unit they name must be one of `codes`."""
    ignore = {s.lower() for s in _optional_strings(ctx, data, "ignore_case", simplify=False)}
    prefixes: dict[str, tuple[str, str]] = {}
    for ident, item in ctx.entries(data, "currency_prefixes", required=False):
        ctx.keys(item, ident, ["id", "prefixes", "unit"], EXAMPLE_KEYS)
        if item["unit"] != "@dollar" and item["unit"] not in codes:
            raise ctx.fail(ident, f"unknown unit code {item['unit']!r} (not in `codes`)")
        for prefix in ctx.strings(item["prefixes"], ident, "prefixes", simplify=False):
            prefixes[prefix] = (ident, item["unit"])
        ctx.add_examples(ident, item)
    dollar = {str(k): str(v) for k, v in (data.get("dollar") or {}).items()}
    if any(v not in codes for v in dollar.values()):
        raise ctx.fail("dollar", "every place must map to a money code of `codes`")
    parts = []
    for ident, item in ctx.entries(data, "money_parts", required=False):
        ctx.keys(item, ident, ["id", "after", "parts"], ["bare", "not_followed_by", *EXAMPLE_KEYS])
        bare = item.get("bare") or {}
        if not isinstance(bare, dict) or not all(isinstance(v, int | float) for v in bare.values()):
            raise ctx.fail(ident, "bare must map a unit surface to the worth of a lone digit after it")
        table = item["parts"]
        if not isinstance(table, dict) or not all(isinstance(v, int | float) and 0 < v < 1 for v in table.values()):
            raise ctx.fail(ident, "parts must map surfaces to fractions of the whole unit")
        parts.append((ident, frozenset(ctx.strings(item["after"], ident, "after")),
                      {ctx.string(k, ident, "parts"): float(v) for k, v in table.items()},
                      {ctx.string(k, ident, "bare"): float(v) for k, v in bare.items()},
                      ctx.regex(item["not_followed_by"], ident, {}) if "not_followed_by" in item else None))
        ctx.add_examples(ident, item)
    halves = data.get("halves") or {}
    if halves:
        ctx.keys(halves, "halves", ["after_kinds", "after_surfaces", "before_kinds", "between", "not_followed_by",
                                    "not_after"], EXAMPLE_KEYS)
        halves = {**halves, "not_followed_by": ctx.regex(halves["not_followed_by"], "halves", {}),
                  "not_after": ctx.regex(halves["not_after"], "halves", {})}
        ctx.add_examples("halves", data["halves"])
    words = []
    for ident, item in ctx.entries(data, "whole_words", required=False):
        ctx.keys(item, ident, ["id", "text", "value", "unit"], ["after", "not_followed_by", *EXAMPLE_KEYS])
        if item["unit"] not in codes:
            raise ctx.fail(ident, f"unknown unit code {item['unit']!r} (not in `codes`)")
        not_followed = ctx.regex(item["not_followed_by"], ident, {}) if "not_followed_by" in item else None
        words.append((ident, ctx.string(item["text"], ident, "text"), item.get("after", ""), float(item["value"]),
                      item["unit"], not_followed))
        ctx.add_examples(ident, item)
    per = data.get("per_units") or {"separators": [], "words": {}}
    ctx.keys(per, "per_units", ["separators", "words"], EXAMPLE_KEYS)
    if any(v not in codes and v != k for k, v in (per["words"] or {}).items()):
        raise ctx.fail("per_units", "words must map to unit codes of `codes` (or, for a count, to themselves)")
    if "examples" in per:
        ctx.add_examples("per_units", per)
    return NumberForms(
        frozenset(ignore), prefixes, dollar, parts, tuple(_optional_strings(ctx, data, "part_joiners")), halves, words,
        frozenset(_optional_strings(ctx, data, "discount_surfaces")),
        tuple(per["separators"] or ()), {ctx.string(k, "per_units", "words"): v for k, v in (per["words"] or {}).items()})
