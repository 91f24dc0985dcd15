"""Loaders of `entities.yaml` (the gazetteer) and `entity_patterns.yaml` (needs `{NUM}`; its `{GPE}`,
`{ORG}` and `{FAC}` slots are checked against the gazetteer when matched, not spelled out as regexes)."""

from __future__ import annotations

from typing import Any

import regex

from .context import EXAMPLE_KEYS, Context, Schema, alternation
from .model import ENTITY_TYPES, EntityPattern, GazetteerEntry, SuffixRule
from .places_file import ENTITY_SLOTS

ENTITIES = Schema(("entities",), ("not_followed_by", "title_words"))
ENTITY_PATTERNS = Schema(("titles", "surnames", "patterns"), ("suffix_rules", "stem_stop"))
_CONVERSIONS = ("name_en", "pinyin", "ordinal", "ordinal_word")


def load_entities(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`gazetteer`, `title_words` and `entity_not_followed_by`."""
    ctx.top(data, ENTITIES)
    title_words = tuple(ctx.strings(data.get("title_words", []), "title_words", "title_words"))
    not_followed: dict[str, regex.Pattern[str]] = {}
    for etype, pattern in (data.get("not_followed_by") or {}).items():
        if etype not in ENTITY_TYPES:
            raise ctx.fail("not_followed_by", f"unknown type {etype!r} (one of {', '.join(ENTITY_TYPES)})")
        not_followed[etype] = ctx.regex(pattern, "not_followed_by", {})
    gazetteer: list[GazetteerEntry] = []
    seen: dict[str, str] = {}
    shorts: dict[str, str] = {}
    for ident, item in ctx.entries(data, "entities"):
        ctx.keys(item, ident, ["id", "type", "name_en", "aliases"], ["short", "place", *EXAMPLE_KEYS])
        short = item.get("short")
        if short is not None:
            short = ctx.string(short, ident, "short")
            if len(short) != 1:
                raise ctx.fail(ident, f"short {short!r} must be one character")
            if short in shorts:
                raise ctx.fail(ident, f"short {short!r} already belongs to entry {shorts[short]}")
            shorts[short] = ident
        if item["type"] not in ENTITY_TYPES:
            raise ctx.fail(ident, f"unknown type {item['type']!r} (one of {', '.join(ENTITY_TYPES)})")
        name_en = item["name_en"]
        if name_en is not None:
            name_en = ctx.string(name_en, ident, "name_en", simplify=False)
        aliases = ctx.strings(item["aliases"], ident, "aliases")
        for alias in aliases:
            if alias in seen and seen[alias] != ident:
                raise ctx.fail(ident, f"alias {alias!r} already belongs to entry {seen[alias]}")
            seen[alias] = ident
        gazetteer.append(GazetteerEntry(ident, item["type"], name_en, tuple(dict.fromkeys(aliases)), short,
                                        item.get("place")))
        ctx.add_examples(ident, item)
    return {"gazetteer": gazetteer, "title_words": title_words, "entity_not_followed_by": not_followed}


def load_entity_patterns(ctx: Context, data: dict[str, Any], num: str) -> dict[str, Any]:
    """`titles`, `surnames`, `stem_stop`, `entity_patterns` and `suffix_rules`."""
    ctx.top(data, ENTITY_PATTERNS)
    titles = tuple(ctx.strings(data["titles"], "titles", "titles"))
    surnames = tuple(ctx.strings(data["surnames"], "surnames", "surnames"))
    stem_stop = frozenset(ctx.strings(data["stem_stop"], "stem_stop", "stem_stop")) if "stem_stop" in data else frozenset()
    subst = {**ENTITY_SLOTS, "TITLE": alternation(titles), "SURNAME": alternation(surnames), "NUM": num}
    patterns: list[EntityPattern] = []
    for ident, item in ctx.entries(data, "patterns"):
        ctx.keys(item, ident, ["id", "type", "pattern"], ["name", "name_en", *EXAMPLE_KEYS])
        if item["type"] not in ENTITY_TYPES:
            raise ctx.fail(ident, f"unknown type {item['type']!r}")
        pattern = ctx.regex(item["pattern"], ident, subst)
        group = item.get("name")
        if group is not None and group not in pattern.groupindex:
            raise ctx.fail(ident, f"`name` {group!r} is not a named group of the pattern")
        template = item.get("name_en")
        if template is not None:
            for ref in regex.findall(r"\{(\w+):(\w+)\}", template):
                if ref[0] not in pattern.groupindex:
                    raise ctx.fail(ident, f"name_en refers to unknown group {ref[0]!r}")
                if ref[1] not in _CONVERSIONS:
                    raise ctx.fail(ident, f"name_en uses unknown conversion {ref[1]!r}")
        patterns.append(EntityPattern(ident, item["type"], pattern, group, template))
        ctx.add_examples(ident, item)
    suffix_rules: list[SuffixRule] = []
    for ident, item in ctx.entries(data, "suffix_rules", required=False):
        ctx.keys(item, ident, ["id", "type", "suffixes", "stem_words"], ["stem", *EXAMPLE_KEYS])
        if item.get("stem") not in (None, "adjacent", "known", "first"):
            raise ctx.fail(ident, f"stem must be adjacent, known or first, got {item['stem']!r}")
        if item["type"] not in ENTITY_TYPES:
            raise ctx.fail(ident, f"unknown type {item['type']!r}")
        if not isinstance(item["stem_words"], int) or not 1 <= item["stem_words"] <= 5:
            raise ctx.fail(ident, "stem_words must be a whole number from 1 to 5")
        suffixes = tuple(sorted(ctx.strings(item["suffixes"], ident, "suffixes"), key=len, reverse=True))
        suffix_rules.append(SuffixRule(ident, item["type"], suffixes, item["stem_words"], item.get("stem")))
        ctx.add_examples(ident, item)
    return {"titles": titles, "surnames": surnames, "stem_stop": stem_stop, "entity_patterns": patterns,
            "suffix_rules": suffix_rules}
