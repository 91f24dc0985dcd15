"""What the rule files mean once loaded: frozen records and one immutable `RuleSet`.

Nothing here reads a file; the loaders of this package build these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..numerals import NumeralTable
from .phrase_file import PhraseRules
from .time_norm import TimeNormRules

__all__ = ["COMPARATORS", "ENTITY_TYPES", "KINDS", "LOCAL_CURRENCY", "EntityPattern", "Example", "GazetteerEntry",
           "Locale", "NumeralTable", "RuleSet", "SuffixRule", "TimeRule", "UnitCode", "UnitSurface", "user_words"]

KINDS = ("money", "power", "energy", "mass", "length", "area", "volume", "percent",
         "count", "duration", "ratio", "rank", "other")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "FAC", "EVENT")
COMPARATORS = ("=", ">", ">=", "<", "<=", "~")
LOCAL_CURRENCY = "@currency"


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
    trailing_approx: bool = False  # an approx_after_unit of numerals.yaml (多) may follow
    followed_by: regex.Pattern[str] | None = None
    trailing_half: bool = False  # a half_after_unit of numerals.yaml (半) may follow
    whole_word: bool = False  # no unit where it starts a longer dictionary word (成 in 成为)


@dataclass(frozen=True)
class TimeRule:
    rule: str
    pattern: regex.Pattern[str]
    future: bool = False
    carries: bool = True
    weak: bool = False  # a recurrence (每月): governs only when no other time is in the claim's clause


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


@dataclass(frozen=True)
class Locale:
    code: str
    currency: str
    cues: tuple[str, ...]
    weights: dict[str, float] = field(default_factory=dict)  # cue -> weight (the `cues` weigh 1)


@dataclass(frozen=True)
class NumberForms:
    """The number forms of units.yaml beyond number + unit (see its comments)."""

    ignore_case: frozenset[str] = frozenset()
    currency_prefixes: dict[str, tuple[str, str]] = field(default_factory=dict)  # prefix -> (rule, code)
    dollar: dict[str, str] = field(default_factory=dict)  # locale -> code of a bare $ ("*": elsewhere)
    # rule, surfaces of the whole unit, part surface -> worth, bare (unit surface -> worth of a lone digit),
    # what must not follow a part
    money_parts: list[tuple[str, frozenset[str], dict[str, float], dict[str, float], regex.Pattern[str] | None]] = \
        field(default_factory=list)
    part_joiners: tuple[str, ...] = ()
    halves: dict[str, Any] = field(default_factory=dict)
    # rule, word, the word it must follow, value, unit, not_followed_by
    whole_words: list[tuple[str, str, str, float, str, regex.Pattern[str] | None]] = field(default_factory=list)
    discount_surfaces: frozenset[str] = frozenset()
    per_separators: tuple[str, ...] = ()
    per_words: dict[str, str] = field(default_factory=dict)  # denominator word -> unit code


@dataclass(frozen=True)
class Example:
    """An `examples:` or `negatives:` item of a rule entry, for the test suite and `check-rules`."""

    file: str
    rule: str
    data: dict[str, Any]
    negative: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.rule}:{self.data.get('text')!r}"


@dataclass(frozen=True)
class RuleSet:
    """Everything the extractor knows, loaded from one rules folder (immutable: derive
    a variant with `dataclasses.replace`)."""

    directory: Path
    numerals: NumeralTable
    unit_codes: dict[str, UnitCode] = field(default_factory=dict)
    unit_surfaces: dict[str, UnitSurface] = field(default_factory=dict)
    compounds: dict[tuple[str, str], float] = field(default_factory=dict)  # (larger, smaller unit) -> smaller per larger
    comparator_prefixes: dict[str, tuple[str, bool]] = field(default_factory=dict)  # word -> (comparator, magnitude only)
    comparator_suffixes: dict[str, str] = field(default_factory=dict)
    comparator_rules: dict[tuple[str, str], str] = field(default_factory=dict)  # ("prefix"|"suffix", word) -> id
    modality_cues: dict[str, str] = field(default_factory=dict)  # cue word -> scope (sentence or clause)
    modality_rules: dict[str, str] = field(default_factory=dict)  # cue word -> id
    times: list[TimeRule] = field(default_factory=list)
    comparison_prefixes: tuple[str, ...] = ()
    base_ends: tuple[str, ...] = ()  # a comparison-base phrase (相比2020年…) ends at the first of these
    non_claims: list[tuple[str, regex.Pattern[str]]] = field(default_factory=list)
    articles: frozenset[str] = frozenset()
    calendar_year_unit: str = "year"  # a figure in this unit of at least calendar_year_min is a date, not a claim
    calendar_year_min: float = 1000.0
    boilerplate_cues: tuple[str, ...] = ()
    footer_line_max: int = 20
    property: dict[str, Any] = field(default_factory=dict)
    locales: list[Locale] = field(default_factory=list)
    default_currency: str = "CNY"
    locale_threshold: float = 2.0
    gazetteer_place_weight: float = 0.0
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
    unit_forms: tuple[str, ...] = ()  # ids of units.yaml `forms` (percent-words, rank)
    number_forms: NumberForms = field(default_factory=lambda: NumberForms())
    property_methods: tuple[str, ...] = ()  # ids of property.yaml `methods`
    time_norm: TimeNormRules | None = None  # time_norm.yaml (optional file), read by rules/time_norm.py
    phrase: PhraseRules | None = None  # phrase.yaml (optional file), read by rules/phrase_file.py

    def alias_index(self) -> dict[str, GazetteerEntry]:
        """Every gazetteer alias (simplified) to its entry."""
        return {alias: entry for entry in self.gazetteer for alias in entry.aliases}

    def user_words(self) -> list[str]:
        """Words the segmenter must keep whole (see `user_words`)."""
        return user_words(self)


def user_words(rules: RuleSet) -> list[str]:
    """Words the segmenter must keep whole: names, units (also after 万 and 亿), titles."""
    words = set(rules.alias_index()) | set(rules.titles)
    for surface, unit in rules.unit_surfaces.items():
        if unit.kind != "count" and len(surface) > 1:
            words.update((surface, "万" + surface, "亿" + surface))
    return sorted(w for w in words if len(w) > 1)
