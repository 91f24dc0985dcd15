"""The per-claim `rules` trace: complete, and every id it names exists in a rule file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from datong_nlp import Extractor
from datong_nlp.output import to_json
from datong_nlp.rules import load_rules
from datong_nlp.schema import validate_document

TRACE_KEYS = ["unit", "comparator", "modality", "time", "property"]


def _yaml_ids(value: Any) -> set[str]:
    """Every `id:` of every mapping in a loaded YAML document."""
    if isinstance(value, dict):
        own = {value["id"]} if isinstance(value.get("id"), str) else set()
        return own.union(*(_yaml_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_yaml_ids(v) for v in value))
    return set()


def _rule_file_ids(root: Path) -> set[str]:
    return set().union(*(_yaml_ids(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in (root / "rules").glob("*.yaml")))


def test_every_traced_id_exists_in_a_rule_file(extractor: Extractor, root: Path) -> None:
    ids = _rule_file_ids(root)
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    texts += [ex.data["text"] for ex in load_rules().examples]
    traced: set[str] = set()
    n_claims = 0
    for text in texts:
        for claim in to_json(extractor.extract_text(text), "doc", "doc.txt")["claims"]:
            assert list(claim["rules"]) == TRACE_KEYS
            assert claim["rules"]["unit"] == claim["rule"]
            traced.update(v for v in claim["rules"].values() if v is not None)
            n_claims += 1
    assert n_claims > 100
    assert traced - ids == set()
    # the trace names comparator, modality, time and property rules, not only units
    assert {"approx-in-number", "plan-and-forecast", "relative-year", "property-before", "percent-words"} <= traced


def test_trace_of_one_claim(extractor: Extractor) -> None:
    doc = extractor.extract_text("预计明年全市新增就业超过5000人")
    (claim,) = doc.claims
    assert (claim.text, claim.comparator, claim.modality, claim.time, claim.property) == \
        ("5000人", ">", "projected", "明年", "就业")
    assert claim.rules is not None
    assert claim.rules.as_dict() == {"unit": "count-classifiers", "comparator": "more-than",
                                     "modality": "plan-and-forecast", "time": "relative-year",
                                     "property": "property-before"}


def test_defaults_have_no_rule(extractor: Extractor) -> None:
    (claim,) = extractor.extract_text("会场有300名代表").claims
    assert claim.rules is not None
    assert claim.rules.as_dict() == {"unit": "count-classifiers", "comparator": None, "modality": None,
                                     "time": None, "property": "property-after"}


def test_trace_in_the_written_json_is_schema_valid(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("到2027年，全市充电桩将超过10万个。", encoding="utf-8")
    extract = Path(sys.executable).with_name("extract")
    subprocess.run([str(extract), str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "-j", "1"],
                   check=True, capture_output=True)
    doc = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))
    assert [c["rules"] for c in doc["claims"]] == [{"unit": "count-classifiers", "comparator": "more-than",
                                                    "modality": "plan-and-forecast", "time": "target-year",
                                                    "property": "property-before"}]
    assert validate_document(doc) == []
    doc["claims"][0]["rules"]["extra"] = "x"
    assert validate_document(doc) != []
