"""Malformed rule files fail with the file, the entry and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from datong_nlp.rules import load_rules
from datong_nlp.types import RulesError

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("units.yaml", "unit: kW\n", "unit: kilowatt\n", "units.yaml: entry power-kw: unknown unit code 'kilowatt'"),
    ("property.yaml", "topic_frames: [从…来看,", "topic_frames: [从来看,",
     "property.yaml: entry topic_frames: each entry must be a frame with one …"),
    ("property.yaml", "nominalize: [销售>销量,", "nominalize: [销售销量,",
     "property.yaml: entry nominalize: each entry must be a verb, > and the noun"),
    ("units.yaml", "    unit: MW\n", "    unit: MW\n    colour: red\n", "units.yaml: entry power-mw: unknown key(s): colour"),
    ("units.yaml", "  - id: power-gw\n", "  - id: power-mw\n", "units.yaml: entry power-mw: duplicate id"),
    ("time.yaml", "pattern: '(?:全年", "pattern: '((?:全年", "time.yaml: entry whole-year: invalid regex"),
    ("entities.yaml", "aliases: [宁德时代]", "aliases: ['']", "entities.yaml: entry catl: aliases must be a non-empty string"),
    ("entities.yaml", "type: ORG, name_en: Douyin", "type: BRAND, name_en: Douyin",
     "entities.yaml: entry douyin: unknown type 'BRAND'"),
    ("comparators.yaml", 'comparator: "~"', 'comparator: "≈"', "comparators.yaml: entry about: unknown comparator"),
    ("modality.yaml", "cues:", "cues: [", "modality.yaml: malformed YAML"),
    ("non_claims.yaml", "articles:", "articles: x\narticles:", "non_claims.yaml: malformed YAML at line"),
    ("entity_patterns.yaml", "pattern: '(?P<gpe>{GPE})市委'", "pattern: '(?P<gpe>{CITY})市委'", "unknown placeholder {CITY}"),
    ("units.yaml", "larger: minute, smaller: second", "larger: minute, smaller: sec",
     "units.yaml: entry minutes-and-seconds: smaller: unknown unit code 'sec'"),
    ("units.yaml", "smaller: second, per: 60", "smaller: second, per: 0", "units.yaml: entry minutes-and-seconds: per must be"),
    ("units.yaml", "followed_by: ' ?{NUM} ?秒'", "followed_by: '(秒'",
     "units.yaml: entry duration-minute-before-seconds: invalid regex"),
    ("entities.yaml", "short: 欧,", "short: 欧洲,", "entities.yaml: entry europe: short '欧洲' must be one character"),
    ("entities.yaml", "short: 欧,", "short: 中,",
     "places.yaml: entry country-cn: short '中' already belongs to entry europe"),
    ("entities.yaml", "  GPE: '人", "  PLACE: '人", "entities.yaml: entry not_followed_by: unknown type 'PLACE'"),
])
def test_bad_rule_is_named(rules_dir: Path, file: str, old: str, new: str, message: str) -> None:
    _edit(rules_dir / file, old, new)
    with pytest.raises(RulesError) as exc:
        load_rules(rules_dir)
    assert message in str(exc.value)


def test_unknown_rule_file(rules_dir: Path) -> None:
    (rules_dir / "extra.yaml").write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"extra\.yaml: unknown rule file"):
        load_rules(rules_dir)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="rules folder not found"):
        load_rules(tmp_path / "none")
