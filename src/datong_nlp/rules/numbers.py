"""Loaders of `numerals.yaml` (no dependency) and `units.yaml` (needs the numerals, for `{NUM}`)."""

from __future__ import annotations

from typing import Any

import regex

from ..numerals import NumeralTable
from .context import EXAMPLE_KEYS, Context, Schema
from .forms import NUMBER_FORM_KEYS, UNIT_FORM_KEYS, load_unit_forms, numeral_forms
from .model import KINDS, LOCAL_CURRENCY, UnitCode, UnitSurface

_MAPS = ("digits", "tens", "magnitudes")
_LISTS = ("approx_suffixes", "vague_prefixes", "range_connectors", "decimal_points", "thousands_separators")
_AFTER_UNIT = {"approx_after_unit": ["多"], "half_after_unit": ["半"]}  # the defaults, for older rule folders
NUMERALS = Schema((*_MAPS, *_LISTS), (*_AFTER_UNIT, "magnitude_only_starts", *NUMBER_FORM_KEYS, *EXAMPLE_KEYS))
UNITS = Schema(("codes", "units"), ("compounds", "forms", *UNIT_FORM_KEYS))
_UNIT_KEYS = ("unit", "kind", "multiplier", "needs_context", "not_followed_by", "followed_by", "trailing_approx",
              "trailing_half", "whole_word", *EXAMPLE_KEYS)


def load_numerals(ctx: Context, data: dict[str, Any]) -> NumeralTable:
    """The numeral table of `numerals.yaml` (its examples collected in `ctx`)."""
    ctx.top(data, NUMERALS)
    table = numeral_table(ctx, data)
    ctx.add_examples("numerals", data)
    return table


def numeral_table(ctx: Context, data: dict[str, Any]) -> NumeralTable:
    """The `NumeralTable` of the mapping of a `numerals.yaml`."""
    maps: dict[str, dict[str, int]] = {}
    for key in _MAPS:
        table = data[key]
        if not isinstance(table, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, int)
                                                  for k, v in table.items()):
            raise ctx.fail(key, "must map single characters to whole numbers")
        maps[key] = dict(table)
    lists: dict[str, list[str]] = {}
    for key in _LISTS:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ctx.fail(key, "must be a list of non-empty strings")
        lists[key] = value
    after = {key: tuple(ctx.strings(data.get(key, default), key, key)) for key, default in _AFTER_UNIT.items()}
    starts = data.get("magnitude_only_starts", list(maps["magnitudes"]))
    if not isinstance(starts, list) or not all(isinstance(c, str) and len(c) == 1 for c in starts):
        raise ctx.fail("magnitude_only_starts", "must be a list of single characters")
    return NumeralTable(
        digits=maps["digits"], tens=maps["tens"], magnitudes=maps["magnitudes"],
        approx_suffixes=frozenset(lists["approx_suffixes"]), vague_prefixes=frozenset(lists["vague_prefixes"]),
        range_connectors=tuple(lists["range_connectors"]), decimal_points=frozenset(lists["decimal_points"]),
        thousands_separators=frozenset(lists["thousands_separators"]),
        approx_after_unit=after["approx_after_unit"], half_after_unit=after["half_after_unit"],
        magnitude_only_starts=frozenset(starts),
        **numeral_forms(ctx, data),
    )


def num_pattern(table: NumeralTable) -> str:
    """The regex `{NUM}` stands for in patterns: Arabic figures, and runs of the table's
    numeral characters and vague prefixes (几百)."""
    chars = "".join(regex.escape(c) for c in sorted(table.numeral_chars | table.vague_prefixes))
    return rf"(?:\d++(?:\.\d++)?|[{chars}])+"  # digit runs possessive: no catastrophic backtracking


def load_units(ctx: Context, data: dict[str, Any], num: str) -> dict[str, Any]:
    """`unit_codes`, `unit_surfaces` and `compounds` of `units.yaml`; `num` is the `{NUM}` regex."""
    ctx.top(data, UNITS)
    codes: dict[str, UnitCode] = {}
    for i, code in enumerate(data["codes"] or []):
        entry = f"codes #{i + 1}"
        ctx.keys(code, entry, ["code", "kind", "dimension", "factor"])
        name = ctx.string(code["code"], entry, "code", simplify=False)
        if code["kind"] not in KINDS:
            raise ctx.fail(entry, f"unknown kind {code['kind']!r} (one of {', '.join(KINDS)})")
        factor = ctx.number(code["factor"], entry, "factor")
        if name in codes:
            raise ctx.fail(entry, f"duplicate unit code {name!r}")
        codes[name] = UnitCode(name, code["kind"], str(code["dimension"]), factor)
    surfaces: dict[str, UnitSurface] = {}
    for ident, item in ctx.entries(data, "units"):
        ctx.keys(item, ident, ["id", "surfaces"], _UNIT_KEYS)
        unit, kind = _unit_and_kind(ctx, ident, item, codes)
        multiplier = ctx.number(item.get("multiplier", 1), ident, "multiplier")
        context = ctx.regex(item["needs_context"], ident, {}) if "needs_context" in item else None
        not_followed = ctx.regex(item["not_followed_by"], ident, {}) if "not_followed_by" in item else None
        followed = ctx.regex(item["followed_by"], ident, {"NUM": num}) if "followed_by" in item else None
        for surface in ctx.strings(item["surfaces"], ident, "surfaces"):
            if surface in surfaces:
                other = surfaces[surface].rule
                if other == ident:
                    continue  # the same surface written in both scripts
                raise ctx.fail(ident, f"surface {surface!r} is already defined by entry {other}")
            surfaces[surface] = UnitSurface(
                ident, surface, unit if unit is not None else surface, kind, multiplier,
                context, not_followed, bool(item.get("trailing_approx", False)), followed,
                bool(item.get("trailing_half", False)), bool(item.get("whole_word", False)))
        ctx.add_examples(ident, item)
    compounds: dict[tuple[str, str], float] = {}
    for ident, item in ctx.entries(data, "compounds"):
        ctx.keys(item, ident, ["id", "larger", "smaller", "per"], EXAMPLE_KEYS)
        for key in ("larger", "smaller"):
            if item[key] not in codes:
                raise ctx.fail(ident, f"{key}: unknown unit code {item[key]!r} (not in `codes`)")
        compounds[(item["larger"], item["smaller"])] = ctx.number(item["per"], ident, "per")
        ctx.add_examples(ident, item)
    forms: list[str] = []
    for ident, item in ctx.entries(data, "forms", required=False):  # number forms that carry their unit (百分之五)
        ctx.keys(item, ident, ["id", "unit"], EXAMPLE_KEYS)
        if item["unit"] not in codes:
            raise ctx.fail(ident, f"unknown unit code {item['unit']!r} (not in `codes`)")
        forms.append(ident)
        ctx.add_examples(ident, item)
    return {"unit_codes": codes, "unit_surfaces": surfaces, "compounds": compounds, "unit_forms": tuple(forms),
            "number_forms": load_unit_forms(ctx, data, codes)}


def _unit_and_kind(ctx: Context, ident: str, item: dict[str, Any], codes: dict[str, UnitCode]) -> tuple[str | None, str]:
    unit = item.get("unit")
    if unit is None:
        if item.get("kind") != "count":
            raise ctx.fail(ident, "needs a `unit` code (only `kind: count` may leave it out)")
        return None, "count"
    if unit == LOCAL_CURRENCY:
        return unit, "money"
    if unit not in codes:
        raise ctx.fail(ident, f"unknown unit code {unit!r} (not in `codes`)")
    kind = codes[unit].kind
    if item.get("kind") not in (None, kind):
        raise ctx.fail(ident, f"kind {item.get('kind')!r} disagrees with unit {unit!r} ({kind})")
    return unit, kind
