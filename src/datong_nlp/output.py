"""Schema-v1 JSON for a document, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .types import Document

SCHEMA_ID = "datong-nlp/extraction/v1"


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**63 else value


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def to_json(doc: Document, doc_id: str, source: str) -> dict[str, Any]:
    """The schema-v1 object of one document."""
    return {
        "schema": SCHEMA_ID,
        "doc_id": doc_id,
        "source": source,
        "encoding": doc.encoding,
        "text_sha256": text_sha256(doc.text),
        "script": doc.script,
        "locale": doc.locale,
        "claims": [
            {"start": c.start, "end": c.end, "text": c.text, "value": _number(c.value),
             "value_max": _number(c.value_max), "unit": c.unit, "kind": c.kind, "comparator": c.comparator,
             "modality": c.modality, "property": c.property, "time": c.time, "rule": c.rule}
            for c in doc.claims
        ],
        "entities": [
            {"start": e.start, "end": e.end, "text": e.text, "type": e.type, "name_en": e.name_en, "id": e.id}
            for e in doc.entities
        ],
    }


def dumps(obj: dict[str, Any]) -> str:
    """Stable, readable JSON text."""
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_atomic(path: Path, content: str) -> None:
    """Write `content` to `path` via a temporary file and a rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
