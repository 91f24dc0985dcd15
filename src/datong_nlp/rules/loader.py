"""`load_rules`: read and validate every file of a rules folder into one `RuleSet`.

Each file has its own loader; what one needs from another is passed to it
explicitly (units, times, non-claims and entity patterns need the `{NUM}`
regex of the numerals; non-claims and locales need the unit codes; entity
patterns need the gazetteer), so no loader depends on the order others ran in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..normalize import Normaliser
from ..numerals import NumeralTable
from ..provenance import default_rules_dir
from ..types import RulesError
from .claim_files import (
    load_boilerplate,
    load_comparators,
    load_locales,
    load_modality,
    load_non_claims,
    load_property,
    load_time,
)
from .context import Context
from .entity_context_file import load_entity_context
from .entity_files import load_entities, load_entity_patterns
from .model import RuleSet
from .numbers import load_numerals, load_units, num_pattern, numeral_table
from .phrase_file import FILE as PHRASE_FILE
from .phrase_file import load_phrase_rules
from .places_file import load_places, read_places
from .reader import read_yaml
from .time_norm import FILE as TIME_NORM_FILE
from .time_norm import load_time_norm

RULE_FILES = ("numerals.yaml", "units.yaml", "comparators.yaml", "modality.yaml", "time.yaml",
              "non_claims.yaml", "boilerplate.yaml", "property.yaml", "locales.yaml",
              "entities.yaml", "places.yaml", "entity_patterns.yaml", "entity_context.yaml")
OPTIONAL_FILES = (TIME_NORM_FILE, PHRASE_FILE)  # read when present: time normalisation, phrase structure


def load_numeral_table(path: Path) -> NumeralTable:
    """Load only the numeral table of one `numerals.yaml` (for the pure number parser)."""
    return numeral_table(Context(path, Normaliser()), read_yaml(path))


def load_rules(directory: Path | None = None, normaliser: Normaliser | None = None) -> RuleSet:
    """Load and validate every rule file of `directory` (default: the packaged rules)."""
    directory = Path(directory) if directory is not None else default_rules_dir()
    if not directory.is_dir():
        raise RulesError(f"{directory}: rules folder not found")
    for name in RULE_FILES:
        if not (directory / name).is_file():
            raise RulesError(f"{name}: missing from {directory}")
    extra = sorted(p.name for p in directory.glob("*.yaml") if p.name not in RULE_FILES + OPTIONAL_FILES)
    if extra:
        raise RulesError(f"{extra[0]}: unknown rule file (known: {', '.join(RULE_FILES)})")
    norm = normaliser or Normaliser()
    ctx = {name: Context(directory / name, norm) for name in RULE_FILES}

    def data(name: str) -> dict[str, Any]:
        if name == "places.yaml":  # thousands of rows: the C loader, no duplicate-key walk (ids are checked)
            return read_places(directory / name)
        return read_yaml(directory / name)

    numerals = load_numerals(ctx["numerals.yaml"], data("numerals.yaml"))
    num = num_pattern(numerals)
    fields: dict[str, Any] = load_units(ctx["units.yaml"], data("units.yaml"), num)
    codes = fields["unit_codes"]
    fields |= load_comparators(ctx["comparators.yaml"], data("comparators.yaml"))
    fields |= load_modality(ctx["modality.yaml"], data("modality.yaml"))
    fields |= load_time(ctx["time.yaml"], data("time.yaml"), num)
    fields |= load_non_claims(ctx["non_claims.yaml"], data("non_claims.yaml"), num, codes)
    fields |= load_boilerplate(ctx["boilerplate.yaml"], data("boilerplate.yaml"))
    fields |= load_property(ctx["property.yaml"], data("property.yaml"))
    fields |= load_locales(ctx["locales.yaml"], data("locales.yaml"), codes)
    fields |= load_entities(ctx["entities.yaml"], data("entities.yaml"))
    fields["gazetteer"] = fields["gazetteer"] + load_places(ctx["places.yaml"], data("places.yaml"), fields["gazetteer"])
    fields |= load_entity_patterns(ctx["entity_patterns.yaml"], data("entity_patterns.yaml"), num)
    fields |= load_entity_context(ctx["entity_context.yaml"], data("entity_context.yaml"))
    examples = [ex for name in RULE_FILES for ex in ctx[name].examples]
    if (directory / TIME_NORM_FILE).is_file():
        fields["time_norm"] = load_time_norm(directory / TIME_NORM_FILE, norm.simplify)
    if (directory / PHRASE_FILE).is_file():
        fields["phrase"] = load_phrase_rules(directory / PHRASE_FILE, norm.simplify)
    rules = RuleSet(directory, numerals, examples=examples, **fields)
    check_ids(rules)
    return rules


def check_ids(rules: RuleSet) -> None:
    """Rule ids are unique across all files, so every result traces back to one rule."""
    owners: dict[str, str] = {}
    named = [("units.yaml", u.rule) for u in rules.unit_surfaces.values()]
    named += [("units.yaml", f) for f in rules.unit_forms] + [("property.yaml", m) for m in rules.property_methods]
    named += [("time.yaml", t.rule) for t in rules.times] + [("non_claims.yaml", r) for r, _ in rules.non_claims]
    named += [("places.yaml" if e.level else "entities.yaml", e.id) for e in rules.gazetteer]
    named += [("entity_patterns.yaml", p.rule) for p in rules.entity_patterns]
    named += [("entity_patterns.yaml", s.rule) for s in rules.suffix_rules]
    named += [("entity_context.yaml", r) for r in rules.entity_context.rule_ids]
    for file, ident in dict.fromkeys(named):
        if ident in owners:
            raise RulesError(f"{file}: entry {ident}: id already used in {owners[ident]}")
        owners[ident] = file
