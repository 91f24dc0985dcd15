"""Scoring, pinned on small hand-made prediction/gold pairs."""

from __future__ import annotations

import pytest

from datong_nlp.rules import load_rules
from datong_nlp.scoring import attribute_right, char_f1, evaluate_documents, normalise_name

RULES = load_rules()


def claim(start: int, end: int, value: float, unit: str, kind: str = "power", value_max: float | None = None,
          **attrs: object) -> dict:
    return {"start": start, "end": end, "text": "x" * (end - start), "value": value, "value_max": value_max,
            "unit": unit, "kind": kind, **attrs}


def score(preds: list[dict], golds: list[dict], ents_p: list[dict] = (), ents_g: list[dict] = ()):  # type: ignore[assignment]
    return evaluate_documents([("d", {"claims": preds, "entities": list(ents_p)},
                                {"claims": golds, "entities": list(ents_g)}, None)], RULES)


def test_overlap_matches_but_strict_needs_identical_span() -> None:
    r = score([claim(0, 5, 17550000, "kW")], [claim(2, 7, 17550000, "kW")])
    assert (r.claims.tp, r.claims_strict.tp) == (1, 0)


def test_no_overlap_no_match() -> None:
    r = score([claim(0, 5, 1, "kW")], [claim(5, 7, 1, "kW")])
    assert r.claims.tp == 0 and r.claims.p == 0.0 and r.claims.r == 0.0


def test_units_convert_within_a_kind() -> None:
    # 1755万千瓦 = 17,550,000 kW = 17.55 GW (the guide's "1.755 GW" is off by ten)
    r = score([claim(0, 5, 17.55, "GW")], [claim(0, 5, 17550000, "kW")])
    assert r.claims.tp == 1
    assert score([claim(0, 5, 1.755, "GW")], [claim(0, 5, 17550000, "kW")]).claims.tp == 0
    r = score([claim(0, 5, 17.55, "GWh", kind="energy")], [claim(0, 5, 17550000, "kW")])
    assert r.claims.tp == 0


def test_counts_compare_as_written() -> None:
    assert score([claim(0, 3, 68, "台", "count")], [claim(0, 3, 68, "个", "count")]).claims.tp == 0
    assert score([claim(0, 3, 68, "台", "count")], [claim(0, 3, 68, "台", "count")]).claims.tp == 1


def test_tolerance_and_ranges() -> None:
    assert score([claim(0, 3, 20.0000001, "%", "percent", 30)], [claim(0, 3, 20, "%", "percent", 30)]).claims.tp == 1
    assert score([claim(0, 3, 20, "%", "percent", None)], [claim(0, 3, 20, "%", "percent", 30)]).claims.tp == 0
    assert score([claim(0, 3, 20, "%", "percent", 31)], [claim(0, 3, 20, "%", "percent", 30)]).claims.tp == 0


def test_one_to_one_pairing_with_duplicates() -> None:
    preds = [claim(0, 4, 10, "minute", "duration"), claim(10, 14, 10, "minute", "duration")]
    golds = [claim(0, 14, 10, "minute", "duration")]
    r = score(preds, golds)
    assert (r.claims.tp, r.claims.pred, r.claims.gold) == (1, 2, 1)
    assert r.claims.p == 0.5 and r.claims.r == 1.0
    # a maximum pairing, not a greedy one
    preds = [claim(0, 10, 5, "t", "mass")]
    golds = [claim(0, 4, 5, "t", "mass"), claim(5, 9, 5, "t", "mass")]
    assert score(preds, golds).claims.tp == 1


def test_attributes_and_null_handling() -> None:
    gold = claim(0, 3, 1, "kW", comparator=">", modality="actual", property="煤炭产量", time=None)
    pred = claim(0, 3, 1, "kW", comparator="=", modality="actual", property="全年煤炭产量", time=None)
    r = score([pred], [gold])
    assert r.attributes["comparator"].value == 0.0
    assert r.attributes["modality"].value == 1.0
    assert r.attributes["property"].value == 1.0
    assert r.attributes["time"].value == 1.0
    assert any(e["error"] == "wrong comparator" for e in r.errors)
    pred["time"] = "今年"
    assert score([pred], [gold]).attributes["time"].value == 0.0


def test_attribute_omitted_in_gold_is_not_scored() -> None:
    r = score([claim(0, 3, 1, "kW", comparator="=")], [claim(0, 3, 1, "kW")])
    assert r.attributes["comparator"].total == 0


def test_char_f1_threshold() -> None:
    assert char_f1("大同大数据全产业链营收", "全产业链营收") >= 0.5
    assert char_f1("大同算力产业累计完成产业投资", "产业投资") < 0.5
    assert attribute_right("property", None, None) and not attribute_right("property", "a", None)


def test_missing_document_counts_all_missed() -> None:
    r = evaluate_documents([("d", None, {"claims": [claim(0, 3, 1, "kW")], "entities": []}, None)], RULES)
    assert (r.claims.tp, r.claims.gold, r.claims.f1) == (0, 1, 0.0)
    assert r.warnings == ["d: no prediction; every gold item counts as missed"]


def test_entities_strict_span_only_and_links() -> None:
    golds = [{"start": 0, "end": 2, "text": "大同", "type": "GPE", "name_en": ["Datong"]},
             {"start": 3, "end": 7, "text": "宁德时代", "type": "ORG",
              "name_en": ["Contemporary Amperex Technology Co., Limited"]}]
    preds = [{"start": 0, "end": 2, "text": "大同", "type": "ORG", "name_en": "Datong"},
             {"start": 3, "end": 7, "text": "宁德时代", "type": "ORG",
              "name_en": "contemporary amperex technology co limited"}]
    r = score([], [], preds, golds)
    assert (r.entities.tp, r.entities_span_only.tp) == (1, 2)
    assert r.link.value == 1.0
    assert r.entities_by_type["GPE"].r == 0.0
    assert normalise_name("Co., Limited") == "co limited"


def test_hash_mismatch_warns() -> None:
    r = evaluate_documents([("d", {"claims": [], "entities": [], "text_sha256": "a" * 64},
                             {"claims": [], "entities": [], "text_sha256": "b" * 64}, None)], RULES)
    assert "another version of the text" in r.warnings[0]


@pytest.mark.parametrize("p", [0.0])
def test_empty_scores_are_defined(p: float) -> None:
    r = score([], [])
    assert r.claims.f1 == 1.0 and r.claims.p == 1.0
