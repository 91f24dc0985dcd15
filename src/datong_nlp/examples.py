"""Run the `examples:` and `negatives:` of a rules folder, each against its own stage.

A numeral example checks the number parser, a time example the time finder, a
boilerplate example the layout, an entity example the entity finder, and a
claim example (units, comparators, modality, property, non-claims, locales)
the quantity finder for its span, value and unit, and the stage of each other
field it states (comparator, modality, time, property).  So a change in one
rule file breaks only the examples whose stage it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .claims import Judged
from .numerals import parse_number
from .pipeline import Extractor
from .rules import Example

STAGE_FIELDS = ("comparator", "modality", "time", "property")  # checked by the claim stage of that name
QUANTITY_FIELDS = ("value", "value_max", "unit", "kind")


@dataclass(frozen=True)
class Failure:
    """One example whose stage gives something else than it states."""

    file: str
    rule: str
    text: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.file}: entry {self.rule}: {self.text!r}: expected {self.expected}, got {self.got}"


def run_examples(rules_dir: Path | None = None, extractor: Extractor | None = None) -> list[Failure]:
    """Every failing example of `rules_dir` (default: the packaged rules), in file order."""
    extractor = extractor or Extractor(rules_dir)
    return [f for ex in extractor.rules.examples if (f := check_example(extractor, ex)) is not None]


def check_example(extractor: Extractor, ex: Example) -> Failure | None:
    """The failure of one example against its stage, or None when it holds."""
    text: str = ex.data["text"]

    def fail(expected: str, got: Any) -> Failure:
        return Failure(ex.file, ex.rule, text, expected, str(got))

    if ex.file == "numerals.yaml":
        return _numeral(extractor, ex, fail)
    norm = extractor.normalise(text)
    place, currency = extractor.currency_for(norm.text)
    analysis = extractor.analyse(norm.text, currency, place)
    if ex.file == "time.yaml":
        found = [t.text for t in analysis.times]
        times = [] if ex.negative else [ex.data["time"]]
        return None if found == times else fail(f"times {times}", found)
    if ex.file == "boilerplate.yaml":
        got = analysis.layout.in_boilerplate(0)
        return None if got is bool(ex.data.get("boilerplate", not ex.negative)) else fail(
            f"boilerplate={not got}", f"boilerplate={got}")
    span = ex.data.get("span", text)
    start = text.index(span)
    end = start + len(span)
    if ex.file in ("entities.yaml", "entity_patterns.yaml", "entity_context.yaml", "places.yaml"):
        entities = [(*norm.to_original(e.start, e.end), e.type, e.name_en) for e in analysis.entities]
        if ex.negative:
            return fail("no entity", entities) if entities else None
        overlapping = [h for h in entities if h[0] < end and start < h[1]]
        entity = (start, end, ex.data["type"])
        if len(overlapping) != 1 or overlapping[0][:3] != entity:
            return fail(f"one entity {entity}", overlapping)
        if "name_en" in ex.data and overlapping[0][3] != ex.data["name_en"]:
            return fail(f"name_en {ex.data['name_en']!r}", overlapping[0][3])
        return None
    judged = [(norm.to_original(j.quantity.start, j.quantity.end), j) for j in analysis.judged]
    if ex.negative:
        kept = [text[s:e] for (s, e), j in judged if j.dropped is None]
        return fail("no claim", kept) if kept else None
    at_span = [((s, e), j) for (s, e), j in judged if s < end and start < e]
    if len(at_span) != 1 or at_span[0][0] != (start, end):
        return fail(f"one quantity {span!r}", [text[s:e] for (s, e), _ in at_span])
    return _claim(ex, at_span[0][1], fail)


def _numeral(extractor: Extractor, ex: Example, fail: Any) -> Failure | None:
    parsed = parse_number(ex.data["text"], extractor.rules.numerals)
    if ex.negative:
        return fail("no number", parsed) if parsed is not None else None
    if parsed is None:
        return fail(f"value {ex.data['value']}", None)
    got = {"value": parsed.value, "value_max": parsed.value_max, "approx": parsed.approx, "percent": parsed.percent}
    want = {"value": ex.data["value"], "value_max": ex.data.get("value_max"), "approx": ex.data.get("approx"),
            "percent": bool(ex.data.get("percent", False))}
    bad = [k for k in want if not _same(want[k], got[k])]
    return fail(", ".join(f"{k}={want[k]!r}" for k in bad), ", ".join(f"{k}={got[k]!r}" for k in bad)) if bad else None


def _claim(ex: Example, j: Judged, fail: Any) -> Failure | None:
    q = j.quantity
    got: dict[str, Any] = {"value": q.value, "value_max": q.value_max, "unit": q.unit, "kind": q.kind,
                           "comparator": j.comparator.value, "modality": j.modality.value, "time": j.time.value,
                           "property": j.property.value}
    bad = [k for k in (*QUANTITY_FIELDS, *STAGE_FIELDS) if k in ex.data and not _same(ex.data[k], got[k])]
    if ex.file == "non_claims.yaml" and j.dropped is not None:
        return fail("a claim", f"dropped by {j.dropped}")
    if bad:
        return fail(", ".join(f"{k}={ex.data[k]!r}" for k in bad), ", ".join(f"{k}={got[k]!r}" for k in bad))
    return None


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool) and isinstance(got, int | float):
        return abs(want - got) <= 1e-9 * max(1.0, abs(want))
    return bool(want == got)
