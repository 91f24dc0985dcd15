"""Loaders of the files that turn quantities into claims: `comparators.yaml`, `modality.yaml`,
`time.yaml` and `non_claims.yaml` (both need `{NUM}`), `boilerplate.yaml`, `property.yaml`,
and `locales.yaml` (needs the unit codes)."""

from __future__ import annotations

from typing import Any

import regex

from .context import EXAMPLE_KEYS, Context, Schema
from .model import COMPARATORS, Locale, TimeRule, UnitCode

COMPARATOR_FILE = Schema(("cues",))
MODALITY = Schema(("cues",))
TIME = Schema(("times",), ("comparison_prefixes", "base_ends"))
NON_CLAIMS = Schema(("patterns",), ("articles", "calendar_year"))
BOILERPLATE = Schema(("cues",), ("footer_line_max",))
PROPERTY_LISTS = ("trim_trailing", "trim_leading", "cut_after", "after_stop", "after_take_last_after", "change_words",
                  "bare_changes", "conjunctions", "keep_leading", "restating", "locative_ends", "from_words",
                  "topic_frames", "nominalize")
# how the entries of these lists are written: a frame around its topic, a verb and the noun it names
PROPERTY_SHAPES = {"topic_frames": ("…", "a frame with one … where the topic goes (从…来看)"),
                   "nominalize": (">", "a verb, > and the noun it names (销售>销量)")}
PROPERTY = Schema((*PROPERTY_LISTS, "after_max_chars"), ("methods", *EXAMPLE_KEYS))
LOCALES = Schema(("default", "locales"), ("threshold", "gazetteer_weight"))


def load_comparators(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`comparator_prefixes` (word -> comparator, before a magnitude only) and `comparator_suffixes`."""
    ctx.top(data, COMPARATOR_FILE)
    prefixes: dict[str, tuple[str, bool]] = {}
    suffixes: dict[str, str] = {}
    rule_ids: dict[tuple[str, str], str] = {}  # ("prefix"|"suffix", word) -> id
    for ident, item in ctx.entries(data, "cues"):
        ctx.keys(item, ident, ["id", "comparator"], ["prefixes", "suffixes", "before_magnitude_only", "in_number",
                                                     *EXAMPLE_KEYS])
        if item["comparator"] not in COMPARATORS:
            raise ctx.fail(ident, f"unknown comparator {item['comparator']!r} (one of {' '.join(COMPARATORS)})")
        if "prefixes" not in item and "suffixes" not in item and not item.get("in_number"):
            raise ctx.fail(ident, "needs `prefixes` or `suffixes` (or `in_number: true`)")
        only_mag = bool(item.get("before_magnitude_only", False))
        for word in ctx.strings(item["prefixes"], ident, "prefixes") if "prefixes" in item else []:
            if word in prefixes:
                raise ctx.fail(ident, f"prefix {word!r} is listed twice")
            prefixes[word] = (item["comparator"], only_mag)
            rule_ids[("prefix", word)] = ident
        for word in ctx.strings(item["suffixes"], ident, "suffixes") if "suffixes" in item else []:
            if word in suffixes:
                raise ctx.fail(ident, f"suffix {word!r} is listed twice")
            suffixes[word] = item["comparator"]
            rule_ids[("suffix", word)] = ident
        ctx.add_examples(ident, item)
    return {"comparator_prefixes": prefixes, "comparator_suffixes": suffixes, "comparator_rules": rule_ids}


def load_modality(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`modality_cues`: cue word -> scope."""
    ctx.top(data, MODALITY)
    cues: dict[str, str] = {}
    rule_ids: dict[str, str] = {}  # cue word -> id
    for ident, item in ctx.entries(data, "cues"):
        ctx.keys(item, ident, ["id", "words", "scope"], EXAMPLE_KEYS)
        if item["scope"] not in ("sentence", "clause"):
            raise ctx.fail(ident, f"scope must be `sentence` or `clause`, got {item['scope']!r}")
        for word in ctx.strings(item["words"], ident, "words"):
            if word in cues:
                raise ctx.fail(ident, f"cue {word!r} is listed twice")
            cues[word] = item["scope"]
            rule_ids[word] = ident
        ctx.add_examples(ident, item)
    return {"modality_cues": cues, "modality_rules": rule_ids}


def load_time(ctx: Context, data: dict[str, Any], num: str) -> dict[str, Any]:
    """`times` (in file order), `comparison_prefixes` and `base_ends`; `num` is the `{NUM}` regex."""
    ctx.top(data, TIME)
    prefixes = tuple(ctx.strings(data.get("comparison_prefixes", ["较"]), "comparison_prefixes", "comparison_prefixes"))
    ends = tuple(ctx.strings(data["base_ends"], "base_ends", "base_ends")) if "base_ends" in data else ()
    times: list[TimeRule] = []
    for ident, item in ctx.entries(data, "times"):
        ctx.keys(item, ident, ["id", "pattern"], ["future", "carries", "weak", *EXAMPLE_KEYS])
        pattern = ctx.regex(item["pattern"], ident, {"NUM": f" ?{num} ?"})
        times.append(TimeRule(ident, pattern, bool(item.get("future", False)), bool(item.get("carries", True)),
                              bool(item.get("weak", False))))
        ctx.add_examples(ident, item)
    return {"times": times, "comparison_prefixes": prefixes, "base_ends": ends}


def load_non_claims(ctx: Context, data: dict[str, Any], num: str, codes: dict[str, UnitCode]) -> dict[str, Any]:
    """`non_claims` patterns, `articles` and the calendar-year rule (its unit must be one of `codes`)."""
    ctx.top(data, NON_CLAIMS)
    out: dict[str, Any] = {"articles": frozenset(ctx.strings(data.get("articles", ["一"]), "articles", "articles"))}
    if "calendar_year" in data:
        year = ctx.keys(data["calendar_year"], "calendar_year", ["unit", "min_value"])
        if year["unit"] not in codes:
            raise ctx.fail("calendar_year", f"unknown unit code {year['unit']!r} (not in units.yaml)")
        out["calendar_year_unit"] = year["unit"]
        out["calendar_year_min"] = ctx.number(year["min_value"], "calendar_year", "min_value")
    patterns: list[tuple[str, regex.Pattern[str]]] = []
    for ident, item in ctx.entries(data, "patterns"):
        ctx.keys(item, ident, ["id", "pattern"], EXAMPLE_KEYS)
        patterns.append((ident, ctx.regex(item["pattern"], ident, {"NUM": num}, regex.MULTILINE)))
        ctx.add_examples(ident, item)
    out["non_claims"] = patterns
    return out


def load_boilerplate(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`boilerplate_cues` and `footer_line_max`."""
    ctx.top(data, BOILERPLATE)
    limit = data.get("footer_line_max", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ctx.fail("footer_line_max", "must be a whole number >= 0")
    cues: list[str] = []
    for ident, item in ctx.entries(data, "cues"):
        ctx.keys(item, ident, ["id", "words"], EXAMPLE_KEYS)
        cues.extend(ctx.strings(item["words"], ident, "words"))
        ctx.add_examples(ident, item)
    return {"boilerplate_cues": tuple(cues), "footer_line_max": limit}


def load_property(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`property`: each word list (longest first) and `after_max_chars`."""
    ctx.top(data, PROPERTY)
    methods: list[str] = []
    for ident, item in ctx.entries(data, "methods", required=False):  # how a property is found, for the trace
        ctx.keys(item, ident, ["id", "doc"], EXAMPLE_KEYS)
        methods.append(ident)
        ctx.add_examples(ident, item)
    prop: dict[str, Any] = {}
    for key in PROPERTY_LISTS:
        words = ctx.strings(data[key], key, key)
        prop[key] = tuple(sorted(set(words), key=len, reverse=True))
        mark, shape = PROPERTY_SHAPES.get(key, ("", ""))
        if mark and not all(w.count(mark) == 1 and not w.startswith(mark) and not w.endswith(mark) for w in words):
            raise ctx.fail(key, f"each entry must be {shape}")
    limit = data["after_max_chars"]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ctx.fail("after_max_chars", "must be a whole number >= 1")
    prop["after_max_chars"] = limit
    ctx.add_examples("property", data)
    return {"property": prop, "property_methods": tuple(methods)}


def load_locales(ctx: Context, data: dict[str, Any], codes: dict[str, UnitCode]) -> dict[str, Any]:
    """`locales` (in file order) and `default_currency`; each currency must be a money code of `codes`."""
    ctx.top(data, LOCALES)
    for key in ("threshold", "gazetteer_weight"):
        if not isinstance(data.get(key, 0), int | float) or data.get(key, 0) < 0:
            raise ctx.fail(key, "must be a number, 0 or more")
    locales: list[Locale] = []
    for ident, item in ctx.entries(data, "locales"):
        ctx.keys(item, ident, ["id", "currency", "cues"], ["weighted_cues", *EXAMPLE_KEYS])
        if item["currency"] not in codes or codes[item["currency"]].kind != "money":
            raise ctx.fail(ident, f"currency {item['currency']!r} is not a money code of units.yaml")
        weighted = item.get("weighted_cues") or {}
        if not isinstance(weighted, dict) or not all(isinstance(w, int | float) and w > 0 for w in weighted.values()):
            raise ctx.fail(ident, "weighted_cues must map cue words to positive weights")
        weights = {ctx.string(k, ident, "weighted_cues"): float(w) for k, w in weighted.items()}
        locales.append(Locale(ident, item["currency"], tuple(ctx.strings(item["cues"], ident, "cues")), weights))
        ctx.add_examples(ident, item)
    default = data["default"]
    if default not in {loc.code for loc in locales}:
        raise ctx.fail("default", f"{default!r} is not one of the locales")
    return {"locales": locales, "default_currency": next(loc.currency for loc in locales if loc.code == default),
            "locale_threshold": float(data.get("threshold", 2.0)),
            "gazetteer_place_weight": float(data.get("gazetteer_weight", 0))}
