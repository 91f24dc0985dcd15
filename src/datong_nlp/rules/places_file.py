"""Load `places.yaml`, the generated place gazetteer (`scripts/build_gazetteer.py`), into a `RuleSet`.

The file holds thousands of entries, so it is read with PyYAML's C loader and
its aliases are converted to simplified in one OpenCC call; ids and aliases are
checked for duplicates with sets.  Errors name the file, the entry and the problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .context import Context
from .model import ENTITY_TYPES, GazetteerEntry
from .reader import read_yaml

# {GPE} {ORG} {FAC} in an entity pattern: a run of characters that the matcher accepts
# only when it is an alias of that type (checked after the match: no regex of
# thousands of alternatives).  The group's name says the type.
ENTITY_SLOTS = {t: rf"(?P<_{t}>[\p{{Han}}A-Za-z][\p{{Han}}A-Za-z·]{{0,19}}?)" for t in ("GPE", "ORG", "FAC")}
COLUMNS = ("id", "type", "place", "level", "name_en", "short", "aliases")


def read_places(path: Path) -> dict[str, Any]:
    """The top-level mapping of a places file, read with the C loader and no duplicate-key walk
    (`load_places` checks ids and aliases with sets)."""
    return read_yaml(path, unique_keys=False)


def load_places(ctx: Context, data: dict[str, Any], gazetteer: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """The place rows of `data` as gazetteer entries; no id, alias or short form may repeat one of
    `gazetteer` (the entries of entities.yaml)."""
    ctx.keys(data, None, ["columns", "places"], ["source"])
    if data["columns"] != list(COLUMNS):
        raise ctx.fail("columns", f"must be [{', '.join(COLUMNS)}], got {data['columns']!r}")
    items = data["places"]
    if not isinstance(items, list) or not items:
        raise ctx.fail(None, "`places` must be a non-empty list")
    raw: list[list[str]] = []
    ids: set[str] = {e.id for e in gazetteer}
    n_columns = len(COLUMNS)
    for i, item in enumerate(items):
        cells = item.split("|") if isinstance(item, str) else []
        if len(cells) != n_columns:
            raise ctx.fail(f"#{i + 1}", f"must be a row of {n_columns} cells separated by '|', got {item!r}")
        ident, etype, place, _level, _name_en, short, aliases = cells
        if not ident or ident in ids:
            raise ctx.fail(ident or f"#{i + 1}", f"duplicate or empty id (row #{i + 1})")
        ids.add(ident)
        if etype not in ENTITY_TYPES:
            raise ctx.fail(ident, f"unknown type {etype!r} (one of {', '.join(ENTITY_TYPES)})")
        if not place:
            raise ctx.fail(ident, "empty place (a region code: cn, hk, tw, mo, ...)")
        if len(short) > 1:
            raise ctx.fail(ident, f"short {short!r} must be one character")
        if not aliases or aliases != aliases.strip() or "  " in aliases:
            raise ctx.fail(ident, f"aliases must be names separated by single spaces, got {aliases!r}")
        raw.append(cells)
    flat = " ".join(r[6] for r in raw).split(" ")
    simplified = ctx.norm.simplify("\n".join(flat)).split("\n")  # one conversion for all aliases
    if len(simplified) != len(flat):
        raise ctx.fail(None, "alias conversion changed the number of aliases")
    owner = {alias: e.id for e in gazetteer for alias in e.aliases}
    shorts = {e.short: e.id for e in gazetteer if e.short}
    places: list[GazetteerEntry] = []
    pos = 0
    for ident, etype, place, level, name_en, short, aliases in raw:
        n = aliases.count(" ") + 1
        mine = simplified[pos:pos + n]
        pos += n
        for alias in mine:
            if owner.setdefault(alias, ident) != ident:
                raise ctx.fail(ident, f"alias {alias!r} already belongs to entry {owner[alias]}")
        if short:
            short = ctx.norm.simplify(short)
            if shorts.setdefault(short, ident) != ident:
                raise ctx.fail(ident, f"short {short!r} already belongs to entry {shorts[short]}")
        places.append(GazetteerEntry(ident, etype, name_en or None, tuple(dict.fromkeys(mine)), short or None,
                                     place, level or None))
    return places
