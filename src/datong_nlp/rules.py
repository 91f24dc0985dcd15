"""Load and validate the rule files (`rules/*.yaml`) into one `RuleSet`.

Every error names the file, the entry and what is wrong with it.  Strings in
the rules may be written in either script; they are folded and converted to
simplified with the same `Normaliser` that prepares the texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from .entity_rules import EntityContext, load_entity_context
from .gazetteer_rules import ENTITY_SLOTS, load_places, read_places
from .normalize import Normaliser
from .numerals import NumeralTable
from .types import RulesError

KINDS = ("money", "power", "energy", "mass", "length", "area", "volume", "percent",
         "count", "duration", "ratio", "rank", "other")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "FAC", "EVENT")
COMPARATORS = ("=", ">", ">=", "<", "<=", "~")
LOCAL_CURRENCY = "@currency"
NUM = r"(?=[\d零〇一二两三四五六七八九十百千万亿廿几])(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿廿几])+"
RULE_FILES = ("numerals.yaml", "units.yaml", "comparators.yaml", "modality.yaml", "time.yaml",
              "non_claims.yaml", "boilerplate.yaml", "property.yaml", "locales.yaml",
              "entities.yaml", "places.yaml", "entity_patterns.yaml", "entity_context.yaml")


def default_rules_dir() -> Path:
    """The rules shipped with the package (or, in a source checkout, `rules/`)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent.parent / "rules"):
        if (candidate / "units.yaml").is_file():
            return candidate
    raise RulesError(f"{here}: the packaged rules folder is missing")


@dataclass(frozen=True)
class UnitCode:
    code: str
    kind: str
    dimension: str
    factor: float


@dataclass(frozen=True)
class UnitSurface:
    rule: str
    surface: str
    unit: str  # a code, LOCAL_CURRENCY, or (count) the surface itself
    kind: str
    multiplier: float = 1.0
    needs_context: regex.Pattern[str] | None = None
    not_followed_by: regex.Pattern[str] | None = None
    trailing_approx: bool = False
    followed_by: regex.Pattern[str] | None = None
    trailing_half: bool = False


@dataclass(frozen=True)
class TimeRule:
    rule: str
    pattern: regex.Pattern[str]
    future: bool = False
    frames: bool = False
    carries: bool = True


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    type: str
    name_en: str | None
    aliases: tuple[str, ...]
    short: str | None = None  # a one-character form used only in lists (中、美、日)
    place: str | None = None  # the region it lies in or is (cn, hk, tw, mo, jp, ...), for locale inference
    level: str | None = None  # of a place: country, region, province, prefecture, county, district, city, ...


@dataclass(frozen=True)
class EntityPattern:
    rule: str
    type: str
    pattern: regex.Pattern[str]
    name_group: str | None
    name_en: str | None


@dataclass(frozen=True)
class SuffixRule:
    rule: str
    type: str
    suffixes: tuple[str, ...]
    stem_words: int
    stem: str | None = None  # how the stem is read (stems.py): adjacent, known, first; None: by type


@dataclass(frozen=True)
class Locale:
    code: str
    currency: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    """An `examples:` or `negatives:` item of a rule entry, for the test suite."""

    file: str
    rule: str
    data: dict[str, Any]
    negative: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.rule}:{self.data.get('text')!r}"


@dataclass
class RuleSet:
    """Everything the extractor knows, loaded from one rules folder."""

    directory: Path
    numerals: NumeralTable | None = None
    unit_codes: dict[str, UnitCode] = field(default_factory=dict)
    unit_surfaces: dict[str, UnitSurface] = field(default_factory=dict)
    compounds: dict[tuple[str, str], float] = field(default_factory=dict)  # (larger, smaller unit) -> smaller per larger
    comparator_prefixes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    comparator_suffixes: dict[str, str] = field(default_factory=dict)
    modality_cues: dict[str, str] = field(default_factory=dict)  # cue word -> scope (sentence or clause)
    times: list[TimeRule] = field(default_factory=list)
    comparison_prefixes: tuple[str, ...] = ()
    non_claims: list[tuple[str, regex.Pattern[str]]] = field(default_factory=list)
    articles: frozenset[str] = frozenset()
    boilerplate_cues: tuple[str, ...] = ()
    footer_line_max: int = 20
    property: dict[str, Any] = field(default_factory=dict)
    locales: list[Locale] = field(default_factory=list)
    default_currency: str = "CNY"
    gazetteer: list[GazetteerEntry] = field(default_factory=list)
    titles: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    entity_patterns: list[EntityPattern] = field(default_factory=list)
    suffix_rules: list[SuffixRule] = field(default_factory=list)
    stem_stop: frozenset[str] = frozenset()
    entity_not_followed_by: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    title_words: tuple[str, ...] = ()
    entity_context: EntityContext = field(default_factory=EntityContext)
    examples: list[Example] = field(default_factory=list)

    def alias_index(self) -> dict[str, GazetteerEntry]:
        """Every gazetteer alias (simplified) to its entry."""
        return {alias: entry for entry in self.gazetteer for alias in entry.aliases}

    def user_words(self) -> list[str]:
        """Words the segmenter must keep whole: names, units, titles."""
        words = set(self.alias_index()) | set(self.titles)
        for surface, unit in self.unit_surfaces.items():
            if unit.kind != "count" and len(surface) > 1:
                words.update((surface, "万" + surface, "亿" + surface))
        return sorted(w for w in words if len(w) > 1)


class _Context:
    """Raises errors that name the file and the entry."""

    def __init__(self, path: Path, normaliser: Normaliser) -> None:
        self.path = path
        self.norm = normaliser

    def fail(self, entry: str | None, reason: str) -> RulesError:
        where = f"{self.path.name}: entry {entry}" if entry else self.path.name
        return RulesError(f"{where}: {reason}")

    def keys(self, obj: Any, entry: str | None, required: Iterable[str], optional: Iterable[str] = ()) -> dict:
        if not isinstance(obj, dict):
            raise self.fail(entry, f"must be a mapping, got {type(obj).__name__}")
        required, allowed = set(required), set(required) | set(optional)
        missing = sorted(required - set(obj))
        if missing:
            raise self.fail(entry, f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(obj) - allowed)
        if unknown:
            raise self.fail(entry, f"unknown key(s): {', '.join(map(str, unknown))} (allowed: {', '.join(sorted(allowed))})")
        return obj

    def string(self, value: Any, entry: str | None, what: str, simplify: bool = True) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, f"{what} must be a non-empty string, got {value!r}")
        return self.norm.simplify(value) if simplify else value

    def strings(self, value: Any, entry: str | None, what: str, simplify: bool = True) -> list[str]:
        if not isinstance(value, list) or not value:
            raise self.fail(entry, f"{what} must be a non-empty list of strings")
        return [self.string(v, entry, what, simplify) for v in value]

    def regex(self, pattern: Any, entry: str | None, subst: dict[str, str], flags: int = 0) -> regex.Pattern[str]:
        text = self.string(pattern, entry, "pattern", simplify=False)
        for key, value in subst.items():
            text = text.replace("{" + key + "}", value)
        leftover = regex.search(r"\{[A-Z]+\}", text)
        if leftover:
            raise self.fail(entry, f"unknown placeholder {leftover.group()} in pattern")
        try:
            return regex.compile(text, flags)
        except regex.error as exc:
            raise self.fail(entry, f"invalid regex: {exc}") from None

    def entries(self, data: dict, key: str, required: bool = True) -> list[tuple[str, dict]]:
        items = data.get(key)
        if items is None and not required:
            return []
        if not isinstance(items, list) or not items:
            raise self.fail(None, f"`{key}` must be a non-empty list")
        out: list[tuple[str, dict]] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"#{i + 1}", "must be a mapping")
            ident = item.get("id")
            if not isinstance(ident, str) or not regex.fullmatch(r"[A-Za-z0-9_.\-]+", ident):
                raise self.fail(f"#{i + 1}", f"`id` must be a name of letters, digits, - or _, got {ident!r}")
            if any(ident == other for other, _ in out):
                raise self.fail(ident, f"duplicate id (entry #{i + 1})")
            out.append((ident, item))
        return out


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(regex.escape(w) for w in ordered) + ")" if ordered else "(?!)"


def _examples(ctx: _Context, rules: RuleSet, entry_id: str, item: dict) -> None:
    for key, negative in (("examples", False), ("negatives", True)):
        values = item.get(key)
        if values is None:
            continue
        if not isinstance(values, list) or not values:
            raise ctx.fail(entry_id, f"`{key}` must be a non-empty list")
        for value in values:
            if negative:
                value = {"text": value} if isinstance(value, str) else value
            if not isinstance(value, dict) or not isinstance(value.get("text"), str):
                raise ctx.fail(entry_id, f"each of `{key}` needs a `text` string, got {value!r}")
            if "span" in value and value["span"] not in value["text"]:
                raise ctx.fail(entry_id, f"example span {value['span']!r} is not in its text {value['text']!r}")
            rules.examples.append(Example(ctx.path.name, entry_id, dict(value), negative))


EXAMPLE_KEYS = ("examples", "negatives")


def _load_numerals(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["digits", "tens", "magnitudes", "approx_suffixes", "vague_prefixes",
                          "range_connectors", "decimal_points", "thousands_separators"], EXAMPLE_KEYS)
    rules.numerals = load_numeral_table_from(ctx, data)
    _examples(ctx, rules, "numerals", data)


def load_numeral_table_from(ctx: _Context, data: dict) -> NumeralTable:
    maps = {}
    for key in ("digits", "tens", "magnitudes"):
        table = data[key]
        if not isinstance(table, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, int)
                                                  for k, v in table.items()):
            raise ctx.fail(key, "must map single characters to whole numbers")
        maps[key] = dict(table)
    lists = {}
    for key in ("approx_suffixes", "vague_prefixes", "range_connectors", "decimal_points", "thousands_separators"):
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ctx.fail(key, "must be a list of non-empty strings")
        lists[key] = value
    return NumeralTable(
        digits=maps["digits"], tens=maps["tens"], magnitudes=maps["magnitudes"],
        approx_suffixes=frozenset(lists["approx_suffixes"]), vague_prefixes=frozenset(lists["vague_prefixes"]),
        range_connectors=tuple(lists["range_connectors"]), decimal_points=frozenset(lists["decimal_points"]),
        thousands_separators=frozenset(lists["thousands_separators"]),
    )


def load_numeral_table(path: Path) -> NumeralTable:
    """Load only the numeral table (for the pure number parser)."""
    ctx = _Context(path, Normaliser())
    data = _read_yaml(path)
    return load_numeral_table_from(ctx, data)


def _load_units(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["codes", "units"], ["compounds"])
    for i, code in enumerate(data["codes"] or []):
        entry = f"codes #{i + 1}"
        ctx.keys(code, entry, ["code", "kind", "dimension", "factor"])
        name = ctx.string(code["code"], entry, "code", simplify=False)
        if code["kind"] not in KINDS:
            raise ctx.fail(entry, f"unknown kind {code['kind']!r} (one of {', '.join(KINDS)})")
        if not isinstance(code["factor"], (int, float)) or code["factor"] <= 0:
            raise ctx.fail(entry, "factor must be a positive number")
        if name in rules.unit_codes:
            raise ctx.fail(entry, f"duplicate unit code {name!r}")
        rules.unit_codes[name] = UnitCode(name, code["kind"], str(code["dimension"]), float(code["factor"]))
    for ident, item in ctx.entries(data, "units"):
        ctx.keys(item, ident, ["id", "surfaces"], ["unit", "kind", "multiplier", "needs_context", "not_followed_by",
                                                  "followed_by", "trailing_approx", "trailing_half", *EXAMPLE_KEYS])
        surfaces = ctx.strings(item["surfaces"], ident, "surfaces")
        unit = item.get("unit")
        if unit is None:
            if item.get("kind") != "count":
                raise ctx.fail(ident, "needs a `unit` code (only `kind: count` may leave it out)")
            kind = "count"
        elif unit == LOCAL_CURRENCY:
            kind = "money"
        elif unit in rules.unit_codes:
            kind = rules.unit_codes[unit].kind
            if item.get("kind") not in (None, kind):
                raise ctx.fail(ident, f"kind {item.get('kind')!r} disagrees with unit {unit!r} ({kind})")
        else:
            raise ctx.fail(ident, f"unknown unit code {unit!r} (not in `codes`)")
        multiplier = item.get("multiplier", 1)
        if not isinstance(multiplier, (int, float)) or multiplier <= 0:
            raise ctx.fail(ident, "multiplier must be a positive number")
        context = ctx.regex(item["needs_context"], ident, {}) if "needs_context" in item else None
        not_followed = ctx.regex(item["not_followed_by"], ident, {}) if "not_followed_by" in item else None
        followed = ctx.regex(item["followed_by"], ident, {"NUM": NUM}) if "followed_by" in item else None
        for surface in surfaces:
            if surface in rules.unit_surfaces:
                other = rules.unit_surfaces[surface].rule
                if other == ident:
                    continue  # the same surface written in both scripts
                raise ctx.fail(ident, f"surface {surface!r} is already defined by entry {other}")
            rules.unit_surfaces[surface] = UnitSurface(
                ident, surface, unit if unit is not None else surface, kind, float(multiplier),
                context, not_followed, bool(item.get("trailing_approx", False)), followed,
                bool(item.get("trailing_half", False)))
        _examples(ctx, rules, ident, item)
    for ident, item in ctx.entries(data, "compounds"):
        ctx.keys(item, ident, ["id", "larger", "smaller", "per"], EXAMPLE_KEYS)
        for key in ("larger", "smaller"):
            if item[key] not in rules.unit_codes:
                raise ctx.fail(ident, f"{key}: unknown unit code {item[key]!r} (not in `codes`)")
        if not isinstance(item["per"], (int, float)) or item["per"] <= 0:
            raise ctx.fail(ident, "per must be a positive number")
        rules.compounds[(item["larger"], item["smaller"])] = float(item["per"])
        _examples(ctx, rules, ident, item)


def _load_comparators(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["cues"])
    for ident, item in ctx.entries(data, "cues"):
        ctx.keys(item, ident, ["id", "comparator"], ["prefixes", "suffixes", "before_magnitude_only", *EXAMPLE_KEYS])
        if item["comparator"] not in COMPARATORS:
            raise ctx.fail(ident, f"unknown comparator {item['comparator']!r} (one of {' '.join(COMPARATORS)})")
        if "prefixes" not in item and "suffixes" not in item:
            raise ctx.fail(ident, "needs `prefixes` or `suffixes`")
        only_mag = bool(item.get("before_magnitude_only", False))
        for word in ctx.strings(item["prefixes"], ident, "prefixes") if "prefixes" in item else []:
            if word in rules.comparator_prefixes:
                raise ctx.fail(ident, f"prefix {word!r} is listed twice")
            rules.comparator_prefixes[word] = (item["comparator"], only_mag)
        for word in ctx.strings(item["suffixes"], ident, "suffixes") if "suffixes" in item else []:
            if word in rules.comparator_suffixes:
                raise ctx.fail(ident, f"suffix {word!r} is listed twice")
            rules.comparator_suffixes[word] = item["comparator"]
        _examples(ctx, rules, ident, item)


def _load_modality(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["cues"])
    for ident, item in ctx.entries(data, "cues"):
        ctx.keys(item, ident, ["id", "words", "scope"], EXAMPLE_KEYS)
        if item["scope"] not in ("sentence", "clause"):
            raise ctx.fail(ident, f"scope must be `sentence` or `clause`, got {item['scope']!r}")
        for word in ctx.strings(item["words"], ident, "words"):
            if word in rules.modality_cues:
                raise ctx.fail(ident, f"cue {word!r} is listed twice")
            rules.modality_cues[word] = item["scope"]
        _examples(ctx, rules, ident, item)


def _load_time(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["times"], ["comparison_prefixes"])
    rules.comparison_prefixes = tuple(ctx.strings(data.get("comparison_prefixes", ["较"]), "comparison_prefixes",
                                                  "comparison_prefixes"))
    for ident, item in ctx.entries(data, "times"):
        ctx.keys(item, ident, ["id", "pattern"], ["future", "frames", "carries", *EXAMPLE_KEYS])
        pattern = ctx.regex(item["pattern"], ident, {"NUM": f" ?{NUM} ?"})
        rules.times.append(TimeRule(ident, pattern, bool(item.get("future", False)),
                                    bool(item.get("frames", False)), bool(item.get("carries", True))))
        _examples(ctx, rules, ident, item)


def _load_non_claims(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["patterns"], ["articles"])
    rules.articles = frozenset(ctx.strings(data.get("articles", ["一"]), "articles", "articles"))
    for ident, item in ctx.entries(data, "patterns"):
        ctx.keys(item, ident, ["id", "pattern"], EXAMPLE_KEYS)
        rules.non_claims.append((ident, ctx.regex(item["pattern"], ident, {"NUM": NUM}, regex.MULTILINE)))
        _examples(ctx, rules, ident, item)


def _load_boilerplate(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["cues"], ["footer_line_max"])
    limit = data.get("footer_line_max", 20)
    if not isinstance(limit, int) or limit < 0:
        raise ctx.fail("footer_line_max", "must be a whole number >= 0")
    rules.footer_line_max = limit
    cues: list[str] = []
    for ident, item in ctx.entries(data, "cues"):
        ctx.keys(item, ident, ["id", "words"], EXAMPLE_KEYS)
        cues.extend(ctx.strings(item["words"], ident, "words"))
        _examples(ctx, rules, ident, item)
    rules.boilerplate_cues = tuple(cues)


_PROPERTY_LISTS = ("trim_trailing", "trim_leading", "cut_after", "after_stop", "after_take_last_after", "change_words",
                   "bare_changes")


def _load_property(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, [*_PROPERTY_LISTS, "after_max_chars"], EXAMPLE_KEYS)
    for key in _PROPERTY_LISTS:
        words = ctx.strings(data[key], key, key)
        rules.property[key] = tuple(sorted(set(words), key=len, reverse=True))
    if not isinstance(data["after_max_chars"], int) or data["after_max_chars"] < 1:
        raise ctx.fail("after_max_chars", "must be a whole number >= 1")
    rules.property["after_max_chars"] = data["after_max_chars"]
    _examples(ctx, rules, "property", data)


def _load_locales(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["default", "locales"])
    for ident, item in ctx.entries(data, "locales"):
        ctx.keys(item, ident, ["id", "currency", "cues"], EXAMPLE_KEYS)
        if item["currency"] not in rules.unit_codes or rules.unit_codes[item["currency"]].kind != "money":
            raise ctx.fail(ident, f"currency {item['currency']!r} is not a money code of units.yaml")
        rules.locales.append(Locale(ident, item["currency"], tuple(ctx.strings(item["cues"], ident, "cues"))))
        _examples(ctx, rules, ident, item)
    default = data["default"]
    if default not in {loc.code for loc in rules.locales}:
        raise ctx.fail("default", f"{default!r} is not one of the locales")
    rules.default_currency = next(loc.currency for loc in rules.locales if loc.code == default)


def _load_entities(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["entities"], ["not_followed_by", "title_words"])
    rules.title_words = tuple(ctx.strings(data.get("title_words", []), "title_words", "title_words"))
    for etype, pattern in (data.get("not_followed_by") or {}).items():
        if etype not in ENTITY_TYPES:
            raise ctx.fail("not_followed_by", f"unknown type {etype!r} (one of {', '.join(ENTITY_TYPES)})")
        rules.entity_not_followed_by[etype] = ctx.regex(pattern, "not_followed_by", {})
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
        rules.gazetteer.append(GazetteerEntry(ident, item["type"], name_en, tuple(dict.fromkeys(aliases)), short,
                                              item.get("place")))
        _examples(ctx, rules, ident, item)


def _load_entity_patterns(ctx: _Context, data: dict, rules: RuleSet) -> None:
    ctx.keys(data, None, ["titles", "surnames", "patterns"], ["suffix_rules", "stem_stop"])
    rules.titles = tuple(ctx.strings(data["titles"], "titles", "titles"))
    rules.surnames = tuple(ctx.strings(data["surnames"], "surnames", "surnames"))
    rules.stem_stop = frozenset(ctx.strings(data["stem_stop"], "stem_stop", "stem_stop")) if "stem_stop" in data \
        else frozenset()
    subst = {**ENTITY_SLOTS, "TITLE": _alternation(rules.titles),
             "SURNAME": _alternation(rules.surnames), "NUM": NUM}
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
                if ref[1] not in ("name_en", "pinyin", "ordinal", "ordinal_word"):
                    raise ctx.fail(ident, f"name_en uses unknown conversion {ref[1]!r}")
        rules.entity_patterns.append(EntityPattern(ident, item["type"], pattern, group, template))
        _examples(ctx, rules, ident, item)
    for ident, item in ctx.entries(data, "suffix_rules", required=False):
        ctx.keys(item, ident, ["id", "type", "suffixes", "stem_words"], ["stem", *EXAMPLE_KEYS])
        if item.get("stem") not in (None, "adjacent", "known", "first"):
            raise ctx.fail(ident, f"stem must be adjacent, known or first, got {item['stem']!r}")
        if item["type"] not in ENTITY_TYPES:
            raise ctx.fail(ident, f"unknown type {item['type']!r}")
        if not isinstance(item["stem_words"], int) or not 1 <= item["stem_words"] <= 5:
            raise ctx.fail(ident, "stem_words must be a whole number from 1 to 5")
        suffixes = tuple(sorted(ctx.strings(item["suffixes"], ident, "suffixes"), key=len, reverse=True))
        rules.suffix_rules.append(SuffixRule(ident, item["type"], suffixes, item["stem_words"], item.get("stem")))
        _examples(ctx, rules, ident, item)


_LOADERS: dict[str, Callable[[_Context, dict, RuleSet], None]] = {
    "numerals.yaml": _load_numerals,
    "units.yaml": _load_units,
    "comparators.yaml": _load_comparators,
    "modality.yaml": _load_modality,
    "time.yaml": _load_time,
    "non_claims.yaml": _load_non_claims,
    "boilerplate.yaml": _load_boilerplate,
    "property.yaml": _load_property,
    "locales.yaml": _load_locales,
    "entities.yaml": _load_entities,
    "places.yaml": load_places,
    "entity_context.yaml": load_entity_context,
    "entity_patterns.yaml": _load_entity_patterns,
}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys instead of keeping the last."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_UniqueKeyLoader)
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesError(f"{path.name}: malformed YAML{where}: {problem}") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path.name}: not UTF-8") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path.name}: must hold a mapping at the top level")
    return data


def load_rules(directory: Path | None = None, normaliser: Normaliser | None = None) -> RuleSet:
    """Load and validate every rule file of `directory` (default: the packaged rules)."""
    directory = Path(directory) if directory is not None else default_rules_dir()
    if not directory.is_dir():
        raise RulesError(f"{directory}: rules folder not found")
    normaliser = normaliser or Normaliser()
    rules = RuleSet(directory)
    for name in RULE_FILES:
        path = directory / name
        if not path.is_file():
            raise RulesError(f"{name}: missing from {directory}")
        data = read_places(path) if name == "places.yaml" else _read_yaml(path)  # thousands of entries: C loader
        _LOADERS[name](_Context(path, normaliser), data, rules)
    extra = sorted(p.name for p in directory.glob("*.yaml") if p.name not in _LOADERS)
    if extra:
        raise RulesError(f"{extra[0]}: unknown rule file (known: {', '.join(RULE_FILES)})")
    _check_ids(rules)
    return rules


def _check_ids(rules: RuleSet) -> None:
    """Rule ids are unique across all files, so every result traces back to one rule."""
    owners: dict[str, str] = {}
    named = [("units.yaml", u.rule) for u in rules.unit_surfaces.values()]
    named += [("time.yaml", t.rule) for t in rules.times] + [("non_claims.yaml", r) for r, _ in rules.non_claims]
    named += [("places.yaml" if e.place else "entities.yaml", e.id) for e in rules.gazetteer]
    named += [("entity_patterns.yaml", p.rule) for p in rules.entity_patterns]
    named += [("entity_patterns.yaml", s.rule) for s in rules.suffix_rules]
    named += [("entity_context.yaml", r) for r in rules.entity_context.rule_ids]
    for file, ident in dict.fromkeys(named):
        if ident in owners:
            raise RulesError(f"{file}: entry {ident}: id already used in {owners[ident]}")
        owners[ident] = file
