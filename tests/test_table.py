"""`datong-nlp table` and `read_outputs`: one row per claim, and pandas reads CSV and Parquet back alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import datong_nlp

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHARED_GOLD = ROOT.parent / "shared" / "dev" / "gold"


def _table(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "datong-nlp"), "table", *args], capture_output=True, text=True, timeout=120)


def _normalised(df: pd.DataFrame) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


def test_csv_and_parquet_hold_one_row_per_claim_with_the_same_values(tmp_path: Path) -> None:
    out = ROOT / "outputs"
    doc = json.loads((out / "datong_interview_2025.json").read_text(encoding="utf-8"))
    for name in ("claims.csv", "claims.parquet", "claims.jsonl"):
        r = _table(str(out), "--to", str(tmp_path / name))
        assert r.returncode == 0 and f"table: {len(doc['claims'])} rows" in r.stderr, r.stderr
    pq = pd.read_parquet(tmp_path / "claims.parquet")
    strings = {c: "string" for c in pq.columns if pq[c].dtype == object}
    csv = pd.read_csv(tmp_path / "claims.csv", dtype=strings)
    assert list(csv.columns) == list(pq.columns) and len(pq) == len(doc["claims"])
    assert _normalised(csv) == _normalised(pq)
    first = _normalised(pq)[0]
    claim = doc["claims"][0]
    assert first["doc_id"] == "datong_interview_2025" and first["claim_id"] == claim["id"] == "c0001"
    assert (first["start"], first["end"], first["text"], first["value"], first["unit"]) == (
        claim["start"], claim["end"], claim["text"], claim["value"], claim["unit"])
    text = (ROOT / "corpus" / doc["source"]).read_text(encoding="utf-8")
    assert first["sentence_text"] == text[claim["sentence"][0]:claim["sentence"][1]]
    assert claim["text"] in first["sentence_text"]
    lines = (tmp_path / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["claim_id"] for line in lines] == [c["id"] for c in doc["claims"]]


def test_entity_table_and_read_outputs(tmp_path: Path) -> None:
    out = ROOT / "outputs"
    doc = json.loads((out / "datong_interview_2025.json").read_text(encoding="utf-8"))
    assert _table(str(out), "--entities", "--to", str(tmp_path / "e.csv")).returncode == 0
    ents = pd.read_csv(tmp_path / "e.csv")
    assert list(ents["mention_id"]) == [e["mention_id"] for e in doc["entities"]]
    assert list(ents["type"]) == [e["type"] for e in doc["entities"]]
    df = datong_nlp.read_outputs(out)
    assert isinstance(df, pd.DataFrame) and len(df) == len(doc["claims"])
    assert list(df["claim_id"]) == [c["id"] for c in doc["claims"]]


def test_nested_trace_fields_become_dotted_columns(tmp_path: Path) -> None:
    doc = {"schema": "datong-nlp/extraction/v1", "doc_id": "x", "source": "x.txt", "text_sha256": "0" * 64,
           "claims": [{"id": "c0001", "start": 0, "end": 2, "text": "5%", "value": 5, "unit": "%", "kind": "percent",
                       "rules": {"unit": "percent-sign", "comparator": None}, "entity_refs": ["e0001", "e0002"]}],
           "entities": []}
    (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    [row] = datong_nlp.table.rows(tmp_path)
    assert row["rules.unit"] == "percent-sign" and row["rules.comparator"] is None
    assert row["entity_refs"] == "e0001; e0002" and row["sentence_text"] is None


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="../shared/dev/gold is absent")
def test_rows_over_the_dev_gold_match_claim_counts(tmp_path: Path) -> None:
    total = sum(len(json.loads(p.read_text(encoding="utf-8"))["claims"]) for p in SHARED_GOLD.glob("*.json"))
    assert len(datong_nlp.table.rows(SHARED_GOLD, corpus=SHARED_GOLD.parent)) == total


def test_parquet_without_pyarrow_is_one_clear_line(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['pyarrow'] = None; from datong_nlp.cli import main; "
            f"sys.exit(main(['table', {str(ROOT / 'outputs')!r}, '--to', {str(tmp_path / 'c.parquet')!r}]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip() == "error: writing Parquet needs pyarrow: pip install 'datong-nlp[table]'"
