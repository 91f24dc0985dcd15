"""`extract corpus/` reproduces the gold files, and the committed outputs are current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datong_nlp import Extractor
from datong_nlp.decode import doc_id_for, find_inputs, read_text
from datong_nlp.output import dumps, to_json
from datong_nlp.schema import validate_document
from datong_nlp.scoring import char_f1

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDS = sorted((CORPUS / "gold").glob("*.json"))
INPUTS = [p for p in find_inputs(CORPUS) if "gold" not in p.parts]


def _output(extractor: Extractor, path: Path) -> dict:
    text, encoding = read_text(path)
    doc_id, source = doc_id_for(path, CORPUS)
    return to_json(extractor.extract_text(text, encoding), doc_id, source)


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_reproduces_gold(gold_path: Path, extractor: Extractor) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out = _output(extractor, CORPUS / gold["source"])
    assert out["text_sha256"] == gold["text_sha256"]
    assert (out["encoding"], out["script"]) == (gold["encoding"], gold["script"])
    exact = ("start", "end", "text", "value", "value_max", "unit", "kind", "comparator", "modality")
    assert [{k: c[k] for k in exact} for c in out["claims"]] == [{k: c[k] for k in exact} for c in gold["claims"]]
    for pred, ref in zip(out["claims"], gold["claims"], strict=True):
        for attr in ("property", "time"):
            if ref[attr] is None:
                assert pred[attr] is None, (ref["text"], attr)
            else:
                assert pred[attr] is not None and char_f1(pred[attr], ref[attr]) >= 0.5, (ref["text"], attr)
    assert [(e["start"], e["end"], e["text"], e["type"]) for e in out["entities"]] == [
        (e["start"], e["end"], e["text"], e["type"]) for e in gold["entities"]]
    for pred, ref in zip(out["entities"], gold["entities"], strict=True):
        if ref["name_en"]:
            assert pred["name_en"] in ref["name_en"], ref["text"]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_outputs_are_current_and_valid(path: Path, extractor: Extractor) -> None:
    out = _output(extractor, path)
    assert validate_document(out) == []
    text = read_text(path)[0]
    for item in out["claims"] + out["entities"]:
        assert text[item["start"]:item["end"]] == item["text"]
    committed = ROOT / "outputs" / f"{out['doc_id']}.json"
    assert committed.is_file(), f"{committed} missing: run `extract corpus/`"
    assert committed.read_text(encoding="utf-8") == dumps(out), f"{committed} is stale: run `extract corpus/`"


def test_gold_files_validate() -> None:
    for path in GOLDS:
        assert validate_document(json.loads(path.read_text(encoding="utf-8"))) == [], path
