"""Run the `examples:` and `negatives:` of a rules folder through the full pipeline.

Each example is checked with the strictness of `tests/test_rule_examples.py`
(Duckling's): a numeral example must parse to exactly its value; a time
example must be the only time found; a claim or entity example must be the
only result overlapping its span, with exactly that span and every field the
example states; a negative must give nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .claims import find_times
from .layout import build_layout
from .numerals import parse_number
from .pipeline import Extractor
from .rules import Example

CLAIM_FIELDS = ("value", "value_max", "unit", "kind", "comparator", "modality", "property", "time")


@dataclass(frozen=True)
class Failure:
    """One example whose result differs from what it states."""

    file: str
    rule: str
    text: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.file}: {self.rule}: {self.text}: expected {self.expected}, got {self.got}"


def run_examples(rules_dir: Path | None = None) -> list[Failure]:
    """The failing examples of the rules folder `rules_dir` (default: the shipped rules), in file order."""
    extractor = Extractor(rules_dir)
    failures = []
    for ex in extractor.rules.examples:
        outcome = check_example(ex, extractor)
        if outcome is not None:
            failures.append(Failure(ex.file, ex.rule, ex.data["text"], *outcome))
    return failures


def check_example(ex: Example, extractor: Extractor) -> tuple[str, str] | None:
    """(expected, got) if `ex` fails with `extractor`, else None."""
    if ex.file == "numerals.yaml":
        return _numeral(ex, extractor)
    if ex.file == "time.yaml":
        norm = extractor.normalise(ex.data["text"]).text
        found = [t.text for t in find_times(norm, extractor.rules)]
        return None if found == [ex.data["time"]] else (f"time {ex.data['time']!r}", f"times {found}")
    if ex.file == "boilerplate.yaml":
        norm = extractor.normalise(ex.data["text"]).text
        layout = build_layout(norm, extractor.rules.boilerplate_cues, extractor.rules.footer_line_max)
        got = layout.in_boilerplate(0)
        return None if got is bool(ex.data["boilerplate"]) else (f"boilerplate {not got}", f"boilerplate {got}")
    if ex.file in ("entities.yaml", "entity_patterns.yaml"):
        return _entity(ex, extractor)
    return _claim(ex, extractor)


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, int | float) and not isinstance(expected, bool) and isinstance(actual, int | float):
        return math.isclose(actual, expected, rel_tol=1e-6, abs_tol=1e-12)
    return bool(expected == actual)


def _numeral(ex: Example, extractor: Extractor) -> tuple[str, str] | None:
    parsed = parse_number(ex.data["text"], extractor.rules.numerals)
    if ex.negative:
        return None if parsed is None else ("no number", f"value {parsed.value:g}")
    if parsed is None:
        return f"value {ex.data.get('value')}", "no number"
    wanted = {"value": ex.data.get("value"), "value_max": ex.data.get("value_max"), "approx": ex.data.get("approx"),
              "percent": bool(ex.data.get("percent", False))}
    for name, expected in wanted.items():
        actual = getattr(parsed, name)
        if not (_same(expected, actual) if expected is not None else actual is None):
            return f"{name} {expected!r}", f"{name} {actual!r}"
    return None


def _span(ex: Example) -> tuple[int, int]:
    span = ex.data.get("span", ex.data["text"])
    start = ex.data["text"].index(span)
    return start, start + len(span)


def _entity(ex: Example, extractor: Extractor) -> tuple[str, str] | None:
    doc = extractor.extract_text(ex.data["text"])
    if ex.negative:
        return None if not doc.entities else ("no entity", ", ".join(f"{e.type} {e.text!r}" for e in doc.entities))
    start, end = _span(ex)
    hits = [e for e in doc.entities if e.start < end and start < e.end]
    expected = f"one {ex.data['type']} {ex.data['text'][start:end]!r}"
    if len(hits) != 1 or (hits[0].start, hits[0].end, hits[0].type) != (start, end, ex.data["type"]):
        return expected, ", ".join(f"{e.type} {e.text!r}" for e in hits) or "none"
    if "name_en" in ex.data and hits[0].name_en != ex.data["name_en"]:
        return f"name_en {ex.data['name_en']!r}", f"name_en {hits[0].name_en!r}"
    return None


def _claim(ex: Example, extractor: Extractor) -> tuple[str, str] | None:
    doc = extractor.extract_text(ex.data["text"])
    if ex.negative:
        return None if not doc.claims else ("no claim", ", ".join(repr(c.text) for c in doc.claims))
    start, end = _span(ex)
    hits = [c for c in doc.claims if c.start < end and start < c.end]
    span = ex.data["text"][start:end]
    if len(hits) != 1 or (hits[0].start, hits[0].end) != (start, end):
        return f"one claim {span!r}", ", ".join(repr(c.text) for c in hits) or "none"
    for name in CLAIM_FIELDS:
        if name in ex.data and not _same(ex.data[name], getattr(hits[0], name)):
            return f"{name} {ex.data[name]!r}", f"{name} {getattr(hits[0], name)!r}"
    return None
