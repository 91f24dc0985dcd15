"""Gold files to and from Label Studio and doccano, through the commands."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from datong_nlp.goldio import from_label_studio, label_config, to_label_studio

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _gold(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "datong-nlp"), "gold", *args], capture_output=True, text=True, timeout=120)


def _load(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def test_corpus_gold_round_trip_is_lossless(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.json"
    assert _gold("export", str(ROOT / "corpus" / "gold"), "--to", "label-studio", "-o", str(tasks),
                 "--corpus", str(ROOT / "corpus")).returncode == 0
    r = _gold("import", "--from", "label-studio", str(tasks), "-o", str(tmp_path / "gold"), "--predictions")
    assert r.returncode == 0, r.stderr
    assert _load(tmp_path / "gold") == _load(ROOT / "corpus" / "gold")


def test_predictions_round_trip_keeps_spans_labels_and_values(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.json"
    r = _gold("export", str(ROOT / "outputs"), "--to", "label-studio", "-o", str(tasks))
    assert r.returncode == 0 and "1 tasks" in r.stderr, r.stderr
    [task] = json.loads(tasks.read_text(encoding="utf-8"))
    assert set(task) == {"data", "predictions"} and task["predictions"][0]["model_version"].startswith("datong-nlp ")
    r = _gold("import", "--from", "label-studio", str(tasks), "-o", str(tmp_path / "gold"))
    assert r.returncode == 0 and "no annotation; skipped" in r.stderr and not list((tmp_path / "gold").glob("*.json"))
    assert _gold("import", "--from", "label-studio", str(tasks), "-o", str(tmp_path / "gold"), "--predictions").returncode == 0
    pred = json.loads((ROOT / "outputs" / "datong_interview_2025.json").read_text(encoding="utf-8"))
    gold = json.loads((tmp_path / "gold" / "datong_interview_2025.json").read_text(encoding="utf-8"))
    fields = ("start", "end", "text", "value", "value_max", "unit", "kind", "comparator", "modality", "property", "time")
    assert [{f: c[f] for f in fields} for c in gold["claims"]] == [{f: c[f] for f in fields} for c in pred["claims"]]
    assert [(e["start"], e["end"], e["type"], e.get("id")) for e in gold["entities"]] == \
        [(e["start"], e["end"], e["type"], e["id"]) for e in pred["entities"]]
    assert [e["name_en"] for e in gold["entities"]] == [[e["name_en"]] if e["name_en"] else None for e in pred["entities"]]


def test_an_annotation_wins_over_the_pre_annotation() -> None:
    text = "大同市明年光伏装机将达到300万千瓦。"
    doc = {"doc_id": "a", "source": "a.txt", "claims": [
        {"id": "c0001", "start": 12, "end": 18, "text": "300万千瓦", "value": 3000000, "value_max": None, "unit": "kW",
         "kind": "power", "comparator": "=", "modality": "projected", "property": "光伏装机", "time": "明年"}],
        "entities": [{"mention_id": "e0001", "start": 0, "end": 3, "text": "大同市", "type": "GPE", "name_en": "Datong"}]}
    [task] = to_label_studio([(doc, text)])
    result = json.loads(json.dumps(task["predictions"][0]["result"]))
    for r in result:
        if r["from_name"] == "comparator":
            r["value"]["choices"] = [">="]
    task["annotations"] = [{"result": [], "was_cancelled": True}, {"result": result}]
    [gold], warnings = from_label_studio([task])
    assert warnings == [] and gold["claims"][0]["comparator"] == ">=" and gold["entities"][0]["name_en"] == ["Datong"]


def test_offsets_past_an_astral_character_are_utf16_in_label_studio() -> None:
    text = "𠀀大同市投资5亿元。"
    doc = {"doc_id": "b", "source": "b.txt", "claims": [
        {"start": 6, "end": 9, "text": "5亿元", "value": 500000000, "value_max": None, "unit": "CNY", "kind": "money"}],
        "entities": [{"start": 1, "end": 4, "text": "大同市", "type": "GPE", "name_en": None}]}
    [task] = to_label_studio([(doc, text)])
    label = next(r for r in task["predictions"][0]["result"] if r["from_name"] == "label" and r["id"] == "r0001")
    assert (label["value"]["start"], label["value"]["end"]) == (7, 10)  # JavaScript string indices
    [gold], _ = from_label_studio([task], use_predictions=True)
    assert [(c["start"], c["end"], c["text"]) for c in gold["claims"]] == [(6, 9, "5亿元")]
    assert [(e["start"], e["end"], e["text"]) for e in gold["entities"]] == [(1, 4, "大同市")]


def test_bad_spans_are_listed_one_line_each_and_nothing_is_written(tmp_path: Path) -> None:
    tasks = [{"id": 7, "data": {"text": "华能集团在北京投资了50亿元。", "doc_id": "x"}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 4, "text": "华能集团", "labels": ["ORG"]}},
        {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 5, "end": 8, "text": "北京", "labels": ["GPE"]}},
        {"id": "c", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 10, "end": 99, "text": "50亿元", "labels": ["money"]}},
        {"id": "d", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 10, "end": 14, "text": "50亿元", "labels": ["money"]}}]}]}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    r = _gold("import", "--from", "label-studio", str(export), "-o", str(tmp_path / "gold"))
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert r.returncode == 1 and len(errors) == 3, r.stderr
    assert "x: region b: the text at 5:8 is '北京投', the export says '北京'" in errors[0]
    assert "x: region c: offsets 10:99 are not a span of the text (15 characters)" in errors[1]
    assert "x: region d '50亿元': a claim needs a value and a unit" in errors[2]
    assert not (tmp_path / "gold").exists()


def test_doccano_import(tmp_path: Path) -> None:
    lines = [{"id": 1, "text": "华能集团在北京投资了50亿元。", "doc_id": "news/a",
              "label": [[0, 4, "ORG"], [5, 7, "GPE"], [10, 14, "money"]]},
             {"id": 2, "text": "大同市的装机达到300万千瓦。", "entities": [
                 {"id": 9, "start_offset": 0, "end_offset": 3, "label": "GPE"},
                 {"id": 10, "start_offset": 8, "end_offset": 14, "label": "power"}]}]
    export = tmp_path / "admin.jsonl"
    export.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    r = _gold("import", "--from", "doccano", str(export), "-o", str(tmp_path / "gold"))
    assert r.returncode == 0, r.stderr
    a = json.loads((tmp_path / "gold" / "news" / "a.json").read_text(encoding="utf-8"))
    assert a["source"] == "news/a.txt"
    assert [(e["text"], e["type"]) for e in a["entities"]] == [("华能集团", "ORG"), ("北京", "GPE")]
    assert [(c["text"], c["value"], c["unit"], c["kind"], c["comparator"]) for c in a["claims"]] == \
        [("50亿元", 5000000000, "CNY", "money", "=")]
    b = json.loads((tmp_path / "gold" / "doccano_2.json").read_text(encoding="utf-8"))
    assert [(c["text"], c["value"], c["unit"]) for c in b["claims"]] == [("300万千瓦", 3000000, "kW")]
    export.write_text(json.dumps({"id": 3, "text": "装机300万千瓦。", "label": [[0, 2, "power"], [2, 20, "GPE"]]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    r = _gold("import", "--from", "doccano", str(export), "-o", str(tmp_path / "gold2"))
    assert r.returncode == 1 and r.stderr.count("error:") == 2 and "no value and unit can be read" in r.stderr


def test_label_studio_config_is_shipped_and_names_every_answer() -> None:
    r = _gold("config")
    assert r.returncode == 0 and r.stdout == label_config()
    assert (ROOT / "docs" / "label-studio-config.xml").read_text(encoding="utf-8") == label_config()
    dom = xml.dom.minidom.parseString(label_config())
    names = {el.getAttribute("name") for tag in ("Labels", "TextArea", "Choices") for el in dom.getElementsByTagName(tag)}
    assert names == {"label", "value", "value_max", "unit", "property", "time", "comparator", "modality", "name_en", "entity_id"}
    assert {el.getAttribute("value") for el in dom.getElementsByTagName("Choice")} >= {"<=", ">", "~", "projected"}


@pytest.mark.parametrize("tool", ["doccano"])
def test_doccano_export_lines(tool: str, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    assert _gold("export", str(ROOT / "outputs"), "--to", tool, "-o", str(out)).returncode == 0
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["doc_id"] == "datong_interview_2025" and all(line["text"][s:e] for s, e, _ in line["label"])
