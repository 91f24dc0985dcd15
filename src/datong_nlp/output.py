"""Schema-v1 JSON for a document, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .links import link
from .provenance import TOOL_VERSION

if TYPE_CHECKING:
    from .types import Claim, Document, Entity

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
    claim_links, entity_links = link(doc)
    return {**_head(doc, doc_id, source),
            "claims": [_linked(_claim(c), x) for c, x in zip(doc.claims, claim_links, strict=True)],
            "entities": [_linked(_entity(e), x) for e, x in zip(doc.entities, entity_links, strict=True)]}


def _linked(item: dict[str, Any], links: dict[str, Any]) -> dict[str, Any]:
    """A claim or entity dict with its link fields (`links.link`): the id first, the rest last."""
    key = "id" if "entity_refs" in links else "mention_id"
    return {key: links[key], **item, **{k: v for k, v in links.items() if k != key}}


def _head(doc: Document, doc_id: str, source: str) -> dict[str, Any]:
    return {"schema": SCHEMA_ID, "doc_id": doc_id, "source": source, "encoding": doc.encoding,
            "text_sha256": text_sha256(doc.text), "script": doc.script, "locale": doc.locale,
            "doc_date": doc.doc_date, "tool_version": TOOL_VERSION, "rules_sha256": doc.rules_sha256,
            **({"locale_cues": doc.locale_cues} if doc.locale_cues is not None else {})}


def _claim(c: Claim) -> dict[str, Any]:
    return {"start": c.start, "end": c.end, "text": c.text, "value": _number(c.value),
            "value_max": _number(c.value_max), "unit": c.unit, "kind": c.kind, "comparator": c.comparator,
            "modality": c.modality, "property": c.property, "time": c.time, "rule": c.rule,
            "time_norm": c.time_norm, "time_source": c.time_source,
            **({"rules": c.rules.as_dict()} if c.rules is not None else {})}


def _entity(e: Entity) -> dict[str, Any]:
    return {"start": e.start, "end": e.end, "text": e.text, "type": e.type, "name_en": e.name_en, "id": e.id}


def dumps(obj: dict[str, Any]) -> str:
    """Stable, readable JSON text."""
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, content: str | Iterable[str]) -> None:
    """Write `content` (a string, or pieces of one) to `path` via a temporary file and a
    rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines([content] if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def iter_json(parts: Iterable[Document], doc_id: str, source: str, counts: list[int] | None = None) -> Iterator[str]:
    """The text of `dumps(to_json(doc))`, piece by piece, for a document given as consecutive parts
    (`Extractor.extract_parts`): memory for one part only.  `counts`, if given, receives the
    numbers of claims and entities."""
    parts = iter(parts)
    first = next(parts)
    yield "{\n"
    for key, value in _head(first, doc_id, source).items():
        nested = json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n ")  # as `dumps` nests it
        yield f' "{key}": {nested},\n'
    n_claims = n_entities = 0
    # entities follow all claims: kept aside (on disk past 4 MB) while the claims stream out
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+", encoding="utf-8") as entities:
        yield ' "claims": ['
        for part in itertools.chain([first], parts):
            claim_links, entity_links = link(part, n_claims, n_entities)  # ids count on across parts
            for c, x in zip(part.claims, claim_links, strict=True):
                yield ("\n" if n_claims == 0 else ",\n") + _item(_linked(_claim(c), x))
                n_claims += 1
            for e, x in zip(part.entities, entity_links, strict=True):
                entities.write(("\n" if n_entities == 0 else ",\n") + _item(_linked(_entity(e), x)))
                n_entities += 1
        yield "\n ],\n" if n_claims else "],\n"
        yield ' "entities": ['
        entities.seek(0)
        while piece := entities.read(1 << 16):
            yield piece
        yield "\n ]\n}\n" if n_entities else "]\n}\n"
    if counts is not None:
        counts[:] = [n_claims, n_entities]


def _item(obj: dict[str, Any]) -> str:
    """One array element as `dumps` writes it (indent 1, at depth 2)."""
    return "\n".join("  " + line for line in json.dumps(obj, ensure_ascii=False, indent=1).split("\n"))


def remove_temp_files(outdir: Path) -> None:
    """Remove the temporary files of `write_atomic` (`.<name>.json.<random>.tmp`) below `outdir`."""
    for tmp in outdir.rglob(f".*.json.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            tmp.unlink()
