"""Score predictions against gold files, as section 4 of the annotation guide says."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .decode import read_text
from .output import text_sha256
from .rules import RuleSet, UnitCode
from .schema import validate_document
from .types import DatongError

TOLERANCE = 1e-6
ATTRIBUTES = ("comparator", "modality", "property", "time")


class GoldError(DatongError):
    """A gold file breaks the schema or the offset invariant."""


@dataclass
class Score:
    """Counts and the precision, recall and F1 they give."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "pred": self.pred, "gold": self.gold}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class Report:
    """All the numbers of one evaluation run, and the errors behind them."""

    claims: Score = field(default_factory=Score)
    claims_strict: Score = field(default_factory=Score)
    entities: Score = field(default_factory=Score)
    entities_span_only: Score = field(default_factory=Score)
    claims_by_kind: dict[str, Score] = field(default_factory=dict)
    entities_by_type: dict[str, Score] = field(default_factory=dict)
    attributes: dict[str, Accuracy] = field(default_factory=lambda: {a: Accuracy() for a in ATTRIBUTES})
    link: Accuracy = field(default_factory=Accuracy)
    per_doc: dict[str, dict[str, Score]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "claims": self.claims.as_dict(),
            "claims_strict": self.claims_strict.as_dict(),
            "entities": self.entities.as_dict(),
            "entities_span_only": self.entities_span_only.as_dict(),
            "claims_by_kind": {k: s.as_dict() for k, s in sorted(self.claims_by_kind.items())},
            "entities_by_type": {k: s.as_dict() for k, s in sorted(self.entities_by_type.items())},
            "claim_attributes": {a: _round(acc.value) for a, acc in self.attributes.items()},
            "claim_attribute_counts": {a: {"right": acc.right, "total": acc.total} for a, acc in self.attributes.items()},
            "entity_link_accuracy": _round(self.link.value),
            "per_doc": {d: {"claims_f1": round(s["claims"].f1, 4), "entities_f1": round(s["entities"].f1, 4),
                            "claims": s["claims"].as_dict(), "entities": s["entities"].as_dict()}
                        for d, s in sorted(self.per_doc.items())},
            "warnings": self.warnings,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def char_f1(a: str, b: str) -> float:
    """F1 of the character multisets of `a` and `b`."""
    ca, cb = Counter(a), Counter(b)
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


def attribute_right(name: str, pred: Any, gold: Any) -> bool:
    """Whether a predicted claim attribute counts as right against the gold one."""
    if name in ("property", "time"):
        if pred is None or gold is None:
            return pred is None and gold is None
        return char_f1(str(pred), str(gold)) >= 0.5
    return pred == gold


def normalise_name(name: str) -> str:
    """Lowercase, punctuation dropped, spaces collapsed."""
    kept = "".join(" " if unicodedata.category(c).startswith("P") else c for c in name.lower())
    return " ".join(kept.split())


class UnitTable:
    """Converts values between units of one dimension, per the rules' unit codes."""

    def __init__(self, codes: dict[str, UnitCode]) -> None:
        self.codes = codes

    def base(self, value: float | None, unit: str) -> tuple[str, float | None]:
        code = self.codes.get(unit)
        if code is None:  # counts and unknown units compare as written
            return unit, value
        return code.dimension, None if value is None else value * code.factor

    def same(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        dim_a, va = self.base(a.get("value"), a["unit"])
        dim_b, vb = self.base(b.get("value"), b["unit"])
        if dim_a != dim_b or not _close(va, vb):
            return False
        _, ma = self.base(a.get("value_max"), a["unit"])
        _, mb = self.base(b.get("value_max"), b["unit"])
        return _close(ma, mb)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-12)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _same_span(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] == b["start"] and a["end"] == b["end"]


def match_pairs(preds: list[dict], golds: list[dict], ok: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one pairing of predictions and golds under `ok` (Kuhn's algorithm)."""
    edges = [[p for p, pred in enumerate(preds) if ok(pred, gold)] for gold in golds]
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(golds)):
        augment(g, set())
    return sorted((p, g) for p, g in owner.items())


def _context(text: str | None, start: int, end: int, width: int = 15) -> str | None:
    if text is None:
        return None
    return (text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]).replace("\n", "⏎")


def evaluate_documents(pairs: Iterable[tuple[str, dict | None, dict, str | None]], rules: RuleSet) -> Report:
    """Score (doc_id, prediction or None, gold, original text or None) tuples."""
    units = UnitTable(rules.unit_codes)
    report = Report()
    for doc_id, pred, gold, text in pairs:
        if pred is None:
            report.warnings.append(f"{doc_id}: no prediction; every gold item counts as missed")
            pred = {"claims": [], "entities": []}
        elif pred.get("text_sha256") and gold.get("text_sha256") and pred["text_sha256"] != gold["text_sha256"]:
            report.warnings.append(f"{doc_id}: text_sha256 differs between prediction and gold: "
                                   "the gold was made on another version of the text")
        _score_claims(report, doc_id, pred.get("claims", []), gold.get("claims", []), units, text)
        _score_entities(report, doc_id, pred.get("entities", []), gold.get("entities", []), text)
    return report


def _doc_scores(report: Report, doc_id: str) -> dict[str, Score]:
    return report.per_doc.setdefault(doc_id, {"claims": Score(), "entities": Score()})


def _error(report: Report, doc_id: str, what: str, kind: str, item: dict, text: str | None, **extra: Any) -> None:
    report.errors.append({"doc_id": doc_id, "what": what, "error": kind, "start": item["start"], "end": item["end"],
                          "text": item.get("text"), "context": _context(text, item["start"], item["end"]), **extra})


def _score_claims(report: Report, doc_id: str, preds: list[dict], golds: list[dict], units: UnitTable,
                  text: str | None) -> None:
    pairs = match_pairs(preds, golds, lambda p, g: _overlap(p, g) and units.same(p, g))
    strict = match_pairs(preds, golds, lambda p, g: _same_span(p, g) and units.same(p, g))
    score = Score(len(pairs), len(preds), len(golds))
    report.claims.add(score)
    _doc_scores(report, doc_id)["claims"].add(score)
    report.claims_strict.add(Score(len(strict), len(preds), len(golds)))
    matched_p, matched_g = {p for p, _ in pairs}, {g for _, g in pairs}
    for kind in {c.get("kind", "other") for c in preds + golds}:
        ks = Score(sum(1 for _, g in pairs if golds[g].get("kind") == kind),
                   sum(1 for c in preds if c.get("kind") == kind), sum(1 for c in golds if c.get("kind") == kind))
        report.claims_by_kind.setdefault(kind, Score()).add(ks)
    for p, g in pairs:
        for attr in ATTRIBUTES:
            if attr not in golds[g]:
                continue
            acc = report.attributes[attr]
            acc.total += 1
            if attribute_right(attr, preds[p].get(attr), golds[g][attr]):
                acc.right += 1
            else:
                _error(report, doc_id, "claim", f"wrong {attr}", golds[g], text,
                       gold=golds[g][attr], predicted=preds[p].get(attr))
    for g, gold in enumerate(golds):
        if g not in matched_g:
            _error(report, doc_id, "claim", "missed", gold, text, value=gold.get("value"), unit=gold.get("unit"))
    for p, pred in enumerate(preds):
        if p not in matched_p:
            _error(report, doc_id, "claim", "spurious", pred, text, value=pred.get("value"), unit=pred.get("unit"))


def _score_entities(report: Report, doc_id: str, preds: list[dict], golds: list[dict], text: str | None) -> None:
    pairs = match_pairs(preds, golds, lambda p, g: _same_span(p, g) and p.get("type") == g.get("type"))
    spans = match_pairs(preds, golds, _same_span)
    score = Score(len(pairs), len(preds), len(golds))
    report.entities.add(score)
    _doc_scores(report, doc_id)["entities"].add(score)
    report.entities_span_only.add(Score(len(spans), len(preds), len(golds)))
    for etype in {e.get("type") for e in preds + golds}:
        ts = Score(sum(1 for _, g in pairs if golds[g].get("type") == etype),
                   sum(1 for e in preds if e.get("type") == etype), sum(1 for e in golds if e.get("type") == etype))
        report.entities_by_type.setdefault(str(etype), Score()).add(ts)
    matched_p, matched_g = {p for p, _ in pairs}, {g for _, g in pairs}
    for p, g in pairs:
        accepted = golds[g].get("name_en")
        if not accepted:
            continue
        accepted = [accepted] if isinstance(accepted, str) else accepted
        report.link.total += 1
        predicted = preds[p].get("name_en")
        if isinstance(predicted, str) and normalise_name(predicted) in {normalise_name(a) for a in accepted}:
            report.link.right += 1
        else:
            _error(report, doc_id, "entity", "wrong name_en", golds[g], text, gold=accepted, predicted=predicted)
    for g, gold in enumerate(golds):
        if g not in matched_g:
            _error(report, doc_id, "entity", "missed", gold, text, type=gold.get("type"))
    for p, pred in enumerate(preds):
        if p not in matched_p:
            _error(report, doc_id, "entity", "spurious", pred, text, type=pred.get("type"))


def load_json(path: Path) -> dict[str, Any]:
    """Read a JSON document file."""
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: cannot be read as JSON ({exc})") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path}: not a JSON object")
    return data


def check_gold(path: Path, gold: dict[str, Any], text: str | None) -> None:
    """Refuse a gold file that breaks the schema or the offset invariant."""
    problems = validate_document(gold)
    if problems:
        raise GoldError(f"{path}: breaks the schema: {problems[0]}")
    if text is None:
        return
    if gold.get("text_sha256") and gold["text_sha256"] != text_sha256(text):
        raise GoldError(f"{path}: text_sha256 does not match the text of {gold.get('source')}")
    for item in gold.get("claims", []) + gold.get("entities", []):
        if text[item["start"]:item["end"]] != item["text"]:
            raise GoldError(f"{path}: span {item['start']}-{item['end']} is {text[item['start']:item['end']]!r} "
                            f"in the text, not {item['text']!r}")


def format_table(report: Report) -> str:
    """A readable terminal summary."""
    lines = []
    head = f"{'':24} {'P':>7} {'R':>7} {'F1':>7} {'tp':>5} {'pred':>5} {'gold':>5}"
    lines.append(head)
    rows = [("claims", report.claims), ("claims (strict)", report.claims_strict),
            ("entities", report.entities), ("entities (span only)", report.entities_span_only)]
    rows += [(f"  claims/{k}", s) for k, s in sorted(report.claims_by_kind.items())]
    rows += [(f"  entities/{k}", s) for k, s in sorted(report.entities_by_type.items())]
    for name, row in rows:
        lines.append(f"{name:24} {row.p:7.3f} {row.r:7.3f} {row.f1:7.3f} {row.tp:5d} {row.pred:5d} {row.gold:5d}")
    lines.append("")
    lines.append("claim attributes (accuracy over matched claims):")
    for attr, acc in report.attributes.items():
        value = "n/a" if acc.value is None else f"{acc.value:.3f}"
        lines.append(f"  {attr:12} {value:>7}  ({acc.right}/{acc.total})")
    link = "n/a" if report.link.value is None else f"{report.link.value:.3f}"
    lines.append(f"entity name_en accuracy: {link}  ({report.link.right}/{report.link.total})")
    lines.append("")
    lines.append(f"{'document':44} {'claims F1':>10} {'entities F1':>12}")
    for doc_id, s in sorted(report.per_doc.items()):
        lines.append(f"{doc_id:44} {s['claims'].f1:10.3f} {s['entities'].f1:12.3f}")
    return "\n".join(lines)


def format_errors(report: Report) -> str:
    """One line per error, for people."""
    out = []
    for e in report.errors:
        detail = ""
        if e["error"].startswith("wrong"):
            detail = f" gold={e.get('gold')!r} predicted={e.get('predicted')!r}"
        elif "value" in e:
            detail = f" value={e.get('value')} unit={e.get('unit')}"
        elif "type" in e:
            detail = f" type={e.get('type')}"
        out.append(f"{e['doc_id']}:{e['start']}-{e['end']} {e['what']} {e['error']}: {e.get('context') or e.get('text')}"
                   f"{detail}")
    return "\n".join(out)


def pairing_warnings(pred_dir: Path, gold_dir: Path, preds: dict[str, Path], gold_ids: list[str]) -> list[str]:
    """What looks wrong with how predictions and gold files pair up: none match, the folders look
    swapped (the "gold" files carry the extractor's `tool_version` and the predictions do not), and
    predictions without gold."""
    warnings = []
    if not set(preds) & set(gold_ids):
        warnings.append(f"no prediction in {pred_dir} matches a gold file of {gold_dir} (files pair by <doc_id>.json)")
    gold_made = made_by_tool(gold_dir.rglob("*.json"))
    if gold_made and not made_by_tool(preds.values()):
        warnings.append(f"the folders look swapped: {gold_dir} holds extractor outputs (tool_version) and {pred_dir} "
                        "does not; the order is `evaluate PRED_DIR GOLD_DIR`")
    extra = sorted(set(preds) - set(gold_ids))
    if extra:
        shown = ", ".join(extra[:20]) + (f" … ({len(extra) - 20} more)" if len(extra) > 20 else "")
        warnings.append(f"{len(extra)} prediction(s) without gold, not scored: {shown}")
    return warnings


def made_by_tool(paths: Iterable[Path]) -> bool:
    """Whether the first readable JSON file of `paths` records a `tool_version` (an extractor output)."""
    for path in paths:
        try:
            return "tool_version" in load_json(path)
        except GoldError:
            continue
    return False


def gold_text(corpus: Path, gold: dict) -> str | None:
    source = gold.get("source")
    if not isinstance(source, str):
        return None
    path = corpus / source
    if not path.is_file():
        return None
    try:
        return read_text(path)[0]
    except DatongError:
        return None
