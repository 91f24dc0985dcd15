"""The rules package: its YAML reader, the immutable RuleSet and the names other modules import."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest
import yaml

from datong_nlp.rules import RuleSet, default_rules_dir, load_rules, read_yaml
from datong_nlp.rules.reader import UniqueKeyLoader
from datong_nlp.types import RulesError

ROOT = Path(__file__).resolve().parent.parent


def test_reader_uses_libyaml_where_installed() -> None:
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(UniqueKeyLoader, yaml.CSafeLoader)
    else:
        assert issubclass(UniqueKeyLoader, yaml.SafeLoader)


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\nb: 2\na: 3\n", 3),
    ("cues:\n  - id: x\n    words: [甲]\n    id: y\n", 4),
])
def test_duplicate_keys_are_refused(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "modality.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match=rf"^modality\.yaml: malformed YAML at line {line}: duplicate key"):
        read_yaml(path)


def test_yaml_merge_keys_and_scalars_still_read(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("base: &b {k: 1}\nother:\n  <<: *b\n  j: 2\nn: 0.5\n", encoding="utf-8")
    assert read_yaml(path) == {"base": {"k": 1}, "other": {"k": 1, "j": 2}, "n": 0.5}


def test_ruleset_is_immutable() -> None:
    rules = load_rules()
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.footer_line_max = 3  # type: ignore[misc]
    variant = dataclasses.replace(rules, footer_line_max=3)
    assert (variant.footer_line_max, rules.footer_line_max) == (3, 20)
    assert isinstance(variant, RuleSet)


def test_every_name_other_modules_import() -> None:
    import datong_nlp.rules as rules_pkg

    for name in ("load_rules", "RuleSet", "Example", "EntityPattern", "GazetteerEntry", "UnitCode", "UnitSurface",
                 "LOCAL_CURRENCY", "default_rules_dir", "load_numeral_table", "TimeRule", "Locale", "SuffixRule",
                 "KINDS", "ENTITY_TYPES", "COMPARATORS", "RULE_FILES", "NumeralTable"):
        assert hasattr(rules_pkg, name), name
    assert load_rules().user_words() == rules_pkg.user_words(load_rules())


def test_wheel_ships_the_rules_where_default_rules_dir_looks() -> None:
    """pyproject puts `rules/` into the wheel at the folder default_rules_dir() tries first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["rules"]
    assert target == "datong_nlp/rules/data"
    assert default_rules_dir() == ROOT / "rules"  # a source checkout: no data/ folder inside the package


def test_loaders_depend_on_what_they_are_given() -> None:
    """units need the {NUM} regex; locales need the unit codes: passed in, never read from a shared object."""
    from datong_nlp.normalize import Normaliser
    from datong_nlp.rules.claim_files import load_locales
    from datong_nlp.rules.context import Context

    ctx = Context(default_rules_dir() / "locales.yaml", Normaliser())
    with pytest.raises(RulesError, match=r"locales\.yaml: entry cn: currency .CNY. is not a money code of units\.yaml"):
        load_locales(ctx, read_yaml(default_rules_dir() / "locales.yaml"), {})


_LOADERS = ("numbers.py", "claim_files.py", "entity_files.py", "loader.py", "context.py")


def _source_outside_rules() -> str:
    """The source of every module but the loaders (the code that uses what they load)."""
    src = ROOT / "src" / "datong_nlp"
    return "\n".join(p.read_text(encoding="utf-8") for p in src.rglob("*.py")
                     if not (p.parent.name == "rules" and p.name in _LOADERS))


def test_every_property_key_is_read() -> None:
    """Each parameter of property.yaml is used by the code that cuts out properties."""
    code = _source_outside_rules()
    # `methods` are not parameters but the trace ids the stage emits (it checks they exist)
    keys = [k for k in read_yaml(ROOT / "rules" / "property.yaml") if k not in ("examples", "negatives", "methods")]
    assert [k for k in keys if f'"{k}"' not in code] == []


def test_no_loaded_field_is_dead() -> None:
    """Every field the loaders fill is read somewhere outside the rules package (no dead keys)."""
    from datong_nlp.rules import model

    code = _source_outside_rules()
    unread = [f"{cls.__name__}.{f.name}"
              for cls in (model.RuleSet, model.UnitSurface, model.TimeRule, model.GazetteerEntry, model.EntityPattern,
                          model.SuffixRule, model.Locale)
              for f in dataclasses.fields(cls) if f".{f.name}" not in code]
    assert unread == []
