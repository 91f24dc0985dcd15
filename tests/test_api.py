"""The Python API as the README shows it."""

from __future__ import annotations

import json
from pathlib import Path

import datong_nlp as dn
from datong_nlp.schema import validate_document

ROOT = Path(__file__).resolve().parent.parent


def test_extract_text_and_to_dict() -> None:
    doc = dn.extract_text("华能集团在北京投资了50亿元。", doc_id="note")
    assert [(c.text, c.value, c.unit) for c in doc.claims] == [("50亿元", 5_000_000_000, "CNY")]
    d = doc.to_dict()
    assert d["doc_id"] == "note" and d["source"] == "note.txt" and validate_document(d) == []
    assert d["claims"][0]["entity_refs"] == ["e0001", "e0002"]
    assert json.loads(doc.to_json()) == d


def test_extract_file_matches_the_committed_output() -> None:
    doc = dn.extract_file(ROOT / "corpus" / "datong_interview_2025.txt")
    assert doc.to_json() == (ROOT / "outputs" / "datong_interview_2025.json").read_text(encoding="utf-8")


def test_evaluate_and_read_outputs() -> None:
    report = dn.evaluate(ROOT / "outputs", ROOT / "corpus" / "gold")
    assert report.claims.f1 == 1.0 and report.entities.f1 == 1.0
    assert report.as_json()["claims"]["f1"] == 1.0
    table = dn.read_outputs(ROOT / "outputs")
    assert len(table) == len(json.loads((ROOT / "outputs" / "datong_interview_2025.json").read_text(encoding="utf-8"))["claims"])
