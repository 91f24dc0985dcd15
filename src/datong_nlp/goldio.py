"""Gold files to and from annotation tools: Label Studio (JSON export and pre-annotation tasks)
and doccano (JSONL export of a sequence-labelling project).

Label Studio offsets count UTF-16 code units (JavaScript string indices); ours count code
points.  They differ only past a character outside the Basic Multilingual Plane, and are
converted both ways.  A region's label is the claim `kind` or the entity `type`; the claim's
attributes are per-region answers (`LABEL_CONFIG`).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from .output import SCHEMA_ID, text_sha256
from .provenance import TOOL_VERSION
from .rules import COMPARATORS, ENTITY_TYPES, KINDS
from .types import DatongError

MODALITIES = ("actual", "projected")
CLAIM_TEXT_FIELDS = ("value", "value_max", "unit", "property", "time")  # TextArea answers
CLAIM_CHOICE_FIELDS = {"comparator": COMPARATORS, "modality": MODALITIES}
ENTITY_TEXT_FIELDS = {"name_en": "name_en", "entity_id": "id"}  # answer name -> field
HEAD_FIELDS = ("doc_id", "source", "encoding", "text_sha256", "script")
_NUMERIC = ("value", "value_max")


class GoldImportError(DatongError):
    """Spans of an export that do not fit its text; one line per bad span."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def label_config() -> str:
    """The Label Studio labelling config for claims and entities (XML)."""
    from .show import COLOURS

    labels = "\n".join(f'    <Label value="{v}" background="{COLOURS.get(v, "#dddddd")}"/>' for v in (*KINDS, *ENTITY_TYPES))
    areas = "\n".join(f'    <TextArea name="{f}" toName="text" perRegion="true" maxSubmissions="1" editable="true" '
                      f'placeholder="{f}" displayMode="region-list"/>' for f in CLAIM_TEXT_FIELDS)
    choices = "\n".join(f'    <Header value="{f}" size="6"/>\n    <Choices name="{f}" toName="text" perRegion="true" '
                        f'choice="single" showInline="true">\n'
                        + "\n".join(f'      <Choice value="{escape(c)}"/>' for c in options) + "\n    </Choices>"
                        for f, options in CLAIM_CHOICE_FIELDS.items())
    entity = ('    <TextArea name="name_en" toName="text" perRegion="true" editable="true" '
              'placeholder="name_en: one accepted English name per line" displayMode="region-list"/>\n'
              '    <TextArea name="entity_id" toName="text" perRegion="true" maxSubmissions="1" editable="true" '
              'placeholder="gazetteer id" displayMode="region-list"/>')
    return (f'<View>\n  <Style>.htx-text {{ white-space: pre-wrap; }}</Style>\n'
            f'  <Labels name="label" toName="text">\n{labels}\n  </Labels>\n'
            f'  <Text name="text" value="$text" granularity="symbol"/>\n'
            f'  <View visibleWhen="region-selected">\n'
            f'    <Header value="claim: value (a number), value_max, unit (a code: CNY, kW, %…), property, time; '
            f'comparator and modality"/>\n{areas}\n{choices}\n'
            f'    <Header value="entity: name_en (one per line), gazetteer id"/>\n{entity}\n  </View>\n</View>\n')


class _Offsets:
    """Code point <-> UTF-16 offsets of one text."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]  # each counts two UTF-16 units

    def to_utf16(self, pos: int) -> int:
        return pos + bisect.bisect_left(self.astral, pos)

    def from_utf16(self, pos: int) -> int:
        lo, hi = 0, len(self.astral)
        while lo < hi:  # the number of astral characters before the code point `pos` maps to
            mid = (lo + hi) // 2
            if self.astral[mid] + mid + 1 < pos:
                lo = mid + 1
            else:
                hi = mid
        return pos - lo


def _number_text(value: Any) -> str:
    return json.dumps(value)


def to_label_studio(docs: Iterable[tuple[dict[str, Any], str]], as_predictions: bool = True) -> list[dict[str, Any]]:
    """Label Studio tasks, one per (document, original text): the text and document fields as task
    data, claims and entities as regions: pre-annotations (`predictions`) or, with
    `as_predictions=False`, `annotations`."""
    tasks = []
    for doc, text in docs:
        offsets = _Offsets(text)
        result: list[dict[str, Any]] = []
        for n, (what, item) in enumerate([("claim", c) for c in doc.get("claims", [])]
                                         + [("entity", e) for e in doc.get("entities", [])]):
            key = "id" if what == "claim" else "mention_id"  # an entity's `id` is its gazetteer entry
            region = str(item[key]) if item.get(key) else f"r{n + 1:04d}"
            span = {"start": offsets.to_utf16(item["start"]), "end": offsets.to_utf16(item["end"]), "text": item["text"]}

            origin = "prediction" if as_predictions else "manual"

            def add(name: str, kind: str, value: dict[str, Any], region: str = region, span: dict = span,
                    out: list[dict[str, Any]] = result, origin: str = origin) -> None:
                out.append({"id": region, "from_name": name, "to_name": "text", "type": kind,
                            "value": {**span, **value}, "origin": origin})

            add("label", "labels", {"labels": [item["kind"] if what == "claim" else item["type"]]})
            if what == "claim":
                for f in CLAIM_TEXT_FIELDS:
                    if item.get(f) is not None:
                        add(f, "textarea", {"text": [_number_text(item[f]) if f in _NUMERIC else str(item[f])]})
                for f in CLAIM_CHOICE_FIELDS:
                    if item.get(f) is not None:
                        add(f, "choices", {"choices": [item[f]]})
            else:
                names = item.get("name_en")
                if names:
                    add("name_en", "textarea", {"text": [names] if isinstance(names, str) else list(names)})
                if item.get("id"):
                    add("entity_id", "textarea", {"text": [item["id"]]})
        data = {"text": text, **{k: doc[k] for k in HEAD_FIELDS if doc.get(k) is not None}}
        key = "predictions" if as_predictions else "annotations"
        entry: dict[str, Any] = {"result": result}
        if as_predictions:
            entry["model_version"] = f"datong-nlp {doc.get('tool_version') or TOOL_VERSION}"
        tasks.append({"data": data, key: [entry]})
    return tasks


def _task_name(task: dict[str, Any], n: int) -> str:
    data = task.get("data") or {}
    return str(data.get("doc_id") or (f"task {task['id']}" if "id" in task else f"task #{n + 1}"))


def _doc_head(data: dict[str, Any], text: str, name: str, problems: list[str]) -> dict[str, Any]:
    doc_id = str(data.get("doc_id") or Path(str(data.get("source") or name)).with_suffix("").as_posix().replace(" ", "_"))
    head = {"schema": SCHEMA_ID, "doc_id": doc_id, "source": str(data.get("source") or f"{doc_id}.txt")}
    if data.get("encoding"):
        head["encoding"] = data["encoding"]
    head["text_sha256"] = text_sha256(text)
    if data.get("text_sha256") and data["text_sha256"] != head["text_sha256"]:
        problems.append(f"{name}: text_sha256 of the task data does not match its text")
    if data.get("script"):
        head["script"] = data["script"]
    return head


def _check_span(text: str, start: Any, end: Any, shown: Any, where: str, problems: list[str]) -> bool:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        problems.append(f"{where}: offsets {start}:{end} are not a span of the text ({len(text)} characters)")
        return False
    if shown is not None and text[start:end] != shown:
        problems.append(f"{where}: the text at {start}:{end} is {text[start:end]!r}, the export says {shown!r}")
        return False
    return True


def _number(raw: str, where: str, problems: list[str]) -> float | int | None:
    try:
        value = json.loads(raw.strip().replace(",", ""))
    except ValueError:
        value = None
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: {raw!r} is not a number")
        return None
    return value


def from_label_studio(tasks: list[dict[str, Any]], use_predictions: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Gold documents from a Label Studio JSON export, and warnings; raises `GoldImportError` with one
    line per bad span.  Each task gives its last annotation that was not cancelled; a task without
    one is skipped with a warning, or (with `use_predictions`) gives its first pre-annotation."""
    docs, problems, warnings = [], [], []
    for n, task in enumerate(tasks):
        name = _task_name(task, n)
        data = task.get("data") or {}
        text = data.get("text")
        if not isinstance(text, str):
            problems.append(f"{name}: the task has no data.text")
            continue
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if done:
            result = done[-1].get("result") or []
        elif use_predictions and task.get("predictions"):
            result = task["predictions"][0].get("result") or []
        else:
            warnings.append(f"{name}: no annotation; skipped" + ("" if use_predictions else " (--predictions imports "
                                                                  "pre-annotations of tasks nobody annotated)"))
            continue
        offsets = _Offsets(text)
        regions: dict[str, dict[str, Any]] = {}
        order: list[str] = []
        for r in result:
            value = r.get("value") or {}
            if "start" not in value:
                continue
            rid = str(r.get("id"))
            if rid not in regions:
                regions[rid] = {"start": value.get("start"), "end": value.get("end"), "text": value.get("text")}
                order.append(rid)
            regions[rid][r.get("from_name")] = value.get("labels") or value.get("choices") or value.get("text")
        head = _doc_head(data, text, name, problems)
        claims, entities = [], []
        for rid in order:
            reg = regions[rid]
            start, end = reg["start"], reg["end"]
            if isinstance(start, int) and isinstance(end, int):
                start, end = offsets.from_utf16(start), offsets.from_utf16(end)
            shown = reg["text"] if isinstance(reg["text"], str) else None
            where = f"{name}: region {rid}"
            if not _check_span(text, start, end, shown, where, problems):
                continue
            labels = reg.get("label") or []
            label = labels[0] if labels else None
            span = {"start": start, "end": end, "text": text[start:end]}
            if label in ENTITY_TYPES:
                names = [s for s in (reg.get("name_en") or []) if s.strip()]
                entity = {**span, "type": label, "name_en": names or None}
                if reg.get("entity_id"):
                    entity["id"] = reg["entity_id"][0]
                entities.append(entity)
            elif label in KINDS:
                claims.append(_claim(span, label, reg, where, problems))
            else:
                problems.append(f"{where} {span['text']!r}: label {label!r} is neither a claim kind nor an entity type")
        docs.append({**head, "claims": sorted(claims, key=_pos), "entities": sorted(entities, key=_pos)})
    if problems:
        raise GoldImportError(problems)
    return docs, warnings


def _pos(item: dict[str, Any]) -> tuple[int, int]:
    return item["start"], item["end"]


def _first(answer: Any) -> str | None:
    if isinstance(answer, list):
        answer = answer[0] if answer else None
    return answer.strip() if isinstance(answer, str) and answer.strip() else None


def _claim(span: dict[str, Any], kind: str, reg: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    where = f"{where} {span['text']!r}"
    raw_value, raw_max, unit = _first(reg.get("value")), _first(reg.get("value_max")), _first(reg.get("unit"))
    if raw_value is None or unit is None:
        problems.append(f"{where}: a claim needs a value and a unit")
    value = _number(raw_value, where, problems) if raw_value is not None else None
    value_max = _number(raw_max, where, problems) if raw_max is not None else None
    comparator = _first(reg.get("comparator")) or "="
    modality = _first(reg.get("modality")) or "actual"
    for field, got, allowed in (("comparator", comparator, COMPARATORS), ("modality", modality, MODALITIES)):
        if got not in allowed:
            problems.append(f"{where}: {field} {got!r} is not one of {', '.join(allowed)}")
    return {**span, "value": value, "value_max": value_max, "unit": unit, "kind": kind, "comparator": comparator,
            "modality": modality, "property": _first(reg.get("property")), "time": _first(reg.get("time"))}


def from_doccano(lines: list[dict[str, Any]], parse_claim: Any = None) -> list[dict[str, Any]]:
    """Gold documents from a doccano sequence-labelling export (one JSON object per line, spans as
    `label`/`labels` [[start, end, LABEL], …] or `entities` [{start_offset, end_offset, label}]).
    doccano spans carry no attributes: an entity span gives its type only, and a claim span (label: a
    kind) gets value and unit from `parse_claim(span_text)` — (value, value_max, unit) or None — and
    the defaults = and actual.  Raises `GoldImportError`, one line per bad span."""
    docs, problems = [], []
    for n, line in enumerate(lines):
        raw_meta = line.get("meta")
        meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
        data = {**meta, **{k: line[k] for k in HEAD_FIELDS if k in line}}
        name = str(data.get("doc_id") or f"line {n + 1}" + (f" (id {line['id']})" if "id" in line else ""))
        text = line.get("text")
        if not isinstance(text, str):
            problems.append(f"{name}: no text")
            continue
        raw = line.get("label", line.get("labels", []))
        spans = [(s[0], s[1], s[2]) for s in raw if isinstance(s, list | tuple) and len(s) == 3]
        spans += [(e.get("start_offset"), e.get("end_offset"), e.get("label")) for e in line.get("entities") or []]
        head = _doc_head(data or {"doc_id": f"doccano_{line.get('id', n + 1)}"}, text, name, problems)
        claims, entities = [], []
        for start, end, label in spans:
            where = f"{name}: span {start}:{end} {label}"
            if not _check_span(text, start, end, None, where, problems):
                continue
            span = {"start": start, "end": end, "text": text[start:end]}
            if label in ENTITY_TYPES:
                entities.append({**span, "type": label, "name_en": None})
            elif label in KINDS:
                parsed = parse_claim(span["text"]) if parse_claim else None
                if parsed is None:
                    problems.append(f"{where} {span['text']!r}: no value and unit can be read from the span")
                    continue
                value, value_max, unit = parsed
                claims.append({**span, "value": value, "value_max": value_max, "unit": unit, "kind": label,
                               "comparator": "=", "modality": "actual", "property": None, "time": None})
            else:
                problems.append(f"{where}: label {label!r} is neither a claim kind nor an entity type")
        docs.append({**head, "claims": sorted(claims, key=_pos), "entities": sorted(entities, key=_pos)})
    if problems:
        raise GoldImportError(problems)
    return docs


def to_doccano(docs: Iterable[tuple[dict[str, Any], str]]) -> list[dict[str, Any]]:
    """doccano import lines: text, `label` [[start, end, kind or type]] and the document fields."""
    return [{"text": text, "label": [[c["start"], c["end"], c["kind"]] for c in doc.get("claims", [])]
             + [[e["start"], e["end"], e["type"]] for e in doc.get("entities", [])],
             **{k: doc[k] for k in HEAD_FIELDS if doc.get(k) is not None}} for doc, text in docs]
