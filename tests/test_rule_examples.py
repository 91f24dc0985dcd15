"""Every `examples:` and `negatives:` item of every rule file, run with Duckling's strictness."""

from __future__ import annotations

import pytest

from datong_nlp import Extractor
from datong_nlp.claims import find_times
from datong_nlp.layout import build_layout
from datong_nlp.numerals import parse_number
from datong_nlp.rules import Example, load_rules

EXAMPLES = load_rules().examples
CLAIM_FIELDS = ("value", "value_max", "unit", "kind", "comparator", "modality", "property", "time")


def _check_numeral(ex: Example) -> None:
    parsed = parse_number(ex.data["text"])
    if ex.negative:
        assert parsed is None
        return
    assert parsed is not None
    assert parsed.value == pytest.approx(ex.data["value"])
    assert parsed.value_max == (None if ex.data.get("value_max") is None else pytest.approx(ex.data["value_max"]))
    assert parsed.approx == ex.data.get("approx")
    assert parsed.percent is bool(ex.data.get("percent", False))


def _check_time(ex: Example, extractor: Extractor) -> None:
    norm = extractor.normalise(ex.data["text"]).text
    found = [t.text for t in find_times(norm, extractor.rules)]
    assert found == [ex.data["time"]]


def _check_boilerplate(ex: Example, extractor: Extractor) -> None:
    norm = extractor.normalise(ex.data["text"]).text
    layout = build_layout(norm, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)
    assert layout.in_boilerplate(0) is bool(ex.data["boilerplate"])


def _check_entity(ex: Example, extractor: Extractor) -> None:
    doc = extractor.extract_text(ex.data["text"])
    if ex.negative:
        assert doc.entities == []
        return
    span = ex.data.get("span", ex.data["text"])
    start = ex.data["text"].index(span)
    hits = [e for e in doc.entities if e.start < start + len(span) and start < e.end]
    assert len(hits) == 1, hits
    assert (hits[0].start, hits[0].end, hits[0].type) == (start, start + len(span), ex.data["type"])
    if "name_en" in ex.data:
        assert hits[0].name_en == ex.data["name_en"]


def _check_claim(ex: Example, extractor: Extractor) -> None:
    doc = extractor.extract_text(ex.data["text"])
    if ex.negative:
        assert doc.claims == [], doc.claims
        return
    span = ex.data.get("span", ex.data["text"])
    start = ex.data["text"].index(span)
    hits = [c for c in doc.claims if c.start < start + len(span) and start < c.end]
    assert len(hits) == 1, hits
    claim = hits[0]
    assert (claim.start, claim.end, claim.text) == (start, start + len(span), span)
    for name in CLAIM_FIELDS:
        if name in ex.data:
            expected = ex.data[name]
            actual = getattr(claim, name)
            assert actual == (pytest.approx(expected) if isinstance(expected, float | int) else expected), name


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_rule_example(example: Example, extractor: Extractor) -> None:
    if example.file == "numerals.yaml":
        _check_numeral(example)
    elif example.file == "time.yaml":
        _check_time(example, extractor)
    elif example.file == "boilerplate.yaml":
        _check_boilerplate(example, extractor)
    elif example.file in ("entities.yaml", "entity_patterns.yaml", "entity_context.yaml", "places.yaml"):
        _check_entity(example, extractor)
    else:
        _check_claim(example, extractor)


def test_every_unit_surface_has_an_example() -> None:
    """A unit table nobody checks goes wrong: every unit entry carries evidence."""
    rules = load_rules()
    with_examples = {ex.rule for ex in rules.examples if ex.file == "units.yaml" and not ex.negative}
    assert {u.rule for u in rules.unit_surfaces.values()} <= with_examples
