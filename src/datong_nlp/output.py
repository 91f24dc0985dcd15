"""Schema-v1 JSON for a document, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .links import claim_id, claim_links, link, mention_ids
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
    claims, entities = link(doc)
    return {**_head(doc, doc_id, source),
            "claims": [_linked(_claim(c), x) for c, x in zip(doc.claims, claims, strict=True)],
            "entities": [_linked(_entity(e), x) for e, x in zip(doc.entities, entities, strict=True)]}


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
    """Stable, readable JSON text: `json.dumps(obj, ensure_ascii=False, indent=1)` and a newline."""
    return encode(obj) + "\n"


def encode(obj: Any, newline: str = "\n") -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=1)`, byte for byte, for any JSON-able value, about
    five times faster on the flat dicts of claims and entities (the standard library drops to its
    pure-Python encoder whenever `indent` is set; strings here go through its C escaper).
    `newline` is the line break and indentation the value starts at (`"\n  "`: nested twice)."""
    t = type(obj)
    if t is str:
        return _escape(obj)
    if t is int:
        return int.__repr__(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if t is float and obj - obj == 0:  # finite: the repr json uses (not NaN or Infinity)
        return float.__repr__(obj)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        inner = newline + " "
        prefixes = _PREFIXES.get(inner)
        if prefixes is None:
            prefixes = {}
            if len(_PREFIXES) < 64:  # nesting depths remembered
                _PREFIXES[inner] = prefixes
        parts = []
        for k, v in obj.items():  # the scalars of flat claim and entity dicts inline: no call per value
            prefix = prefixes.get(k) if type(k) is str else None
            if prefix is None:
                prefix = inner + (_escape(k) if type(k) is str else _key(k)) + ": "
                if type(k) is str and len(prefixes) < 1000:
                    prefixes[k] = prefix
            tv = type(v)
            if tv is str:
                parts.append(prefix + _escape(v))
            elif tv is int:
                parts.append(prefix + int.__repr__(v))
            elif v is None:
                parts.append(prefix + "null")
            else:
                parts.append(prefix + encode(v, inner))
        return "{" + ",".join(parts) + newline + "}"
    if isinstance(obj, (list, tuple)):
        if not obj:
            return "[]"
        inner = newline + " "
        return "[" + ",".join([inner + (_escape(v) if type(v) is str else int.__repr__(v) if type(v) is int
                                        else encode(v, inner)) for v in obj]) + newline + "]"
    return json.dumps(obj, ensure_ascii=False)  # subclasses, NaN, and errors for what JSON cannot hold


def _key(key: Any) -> str:
    """A non-string dict key as json writes it (`1` -> `"1"`)."""
    return json.dumps({key: None}, ensure_ascii=False)[1:-7]


_escape = json.encoder.encode_basestring  # the C escaper (what json uses with ensure_ascii=False)
_PREFIXES: dict[str, dict[str, str]] = {}  # indentation -> key -> `indentation "key": ` (the field names recur)

TEMP_SUFFIX = ".tmp"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once, at import (single-threaded): setting it is process-wide


def write_atomic(path: Path, content: str | Iterable[str]) -> None:
    """Write `content` (a string, or pieces of one) to `path` via a temporary file and a
    rename: never a half-written file.  The file gets the mode a plain write would give
    under the process's umask."""
    sync_and_rename(*write_temp(path, content), path)


def write_temp(path: Path, content: str | Iterable[str]) -> tuple[int, str]:
    """The first half of `write_atomic`: `content` in a new temporary file beside `path`, with
    the mode a plain write gives; its still open descriptor and its name (removed on failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp gives 0600: give what a plain open() would (0644 under umask 022)
        with os.fdopen(fd, "w", encoding="utf-8", closefd=False) as fh:
            fh.writelines([content] if isinstance(content, str) else content)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return fd, tmp


def sync_and_rename(fd: int, tmp: str, path: Path) -> None:
    """The second half of `write_atomic`: sync and close `fd`, then rename `tmp` to `path`
    (the temporary file removed on failure)."""
    try:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
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
        yield f' {_escape(key)}: {encode(value, NESTED_1)},\n'
    n_claims = n_entities = 0
    # entities follow all claims: kept aside while the claims stream out, the first part's as a string,
    # from a second part on all in a file (on disk past 4 MB): a one-part text needs no file
    held, spill = "", None
    with contextlib.ExitStack() as stack:
        yield ' "claims": ['
        for part in itertools.chain([first], parts):  # each part's claims as one piece, its entities as one write
            ids = mention_ids(n_entities, len(part.entities))  # ids count on across parts
            if part.claims:
                yield ("\n" if n_claims == 0 else ",\n") + ",\n".join(
                    [_claim_item(c, claim_id(n_claims + i), s, e, refs)
                     for i, (c, (s, e, refs)) in enumerate(zip(part.claims, claim_links(part, ids), strict=True))])
                n_claims += len(part.claims)
            if part.entities:
                piece = ("\n" if n_entities == 0 else ",\n") + ",\n".join(
                    [_entity_item(e, mid) for e, mid in zip(part.entities, ids, strict=True)])
                n_entities += len(part.entities)
                if spill is None and not held:
                    held = piece
                    continue
                if spill is None:
                    spill = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+",
                                                                              encoding="utf-8"))
                    spill.write(held)
                    held = ""
                spill.write(piece)
        yield "\n ],\n" if n_claims else "],\n"
        yield ' "entities": ['
        if spill is None:
            if held:
                yield held
        else:
            spill.seek(0)
            while piece := spill.read(1 << 16):
                yield piece
        yield "\n ]\n}\n" if n_entities else "]\n}\n"
    if counts is not None:
        counts[:] = [n_claims, n_entities]


NESTED_1 = "\n "
_NESTED_3 = "\n   "
_NAMES = (str, type(None))  # the types a field may have to be written by a remembered template
_TAILS_MAX = 5_000  # remembered pieces of claims and entities at most; then they start again
_CLAIM_TAILS: dict[tuple[Any, ...], str] = {}  # the fields from `unit` to `rules` -> their text
_ENTITY_TAILS: dict[tuple[Any, ...], str] = {}  # text, type, name_en, id -> their text


def _claim_item(c: Claim, cid: str, s: int, e: int, refs: list[str]) -> str:
    """The array element `dumps` writes of `_linked(_claim(c), links)`, filled into a template, for the
    links `links.claim_links` gives (`cid`: the claim id, `s`, `e`: its sentence, `refs`: the mention
    ids in it).  The fields from `unit` to `rules` recur across claims: their text is remembered
    (for strings and None only, which no value of another type equals)."""
    r = c.rules
    key = (c.unit, c.kind, c.comparator, c.modality, c.property, c.time, c.rule, c.time_norm, c.time_source) \
        if r is None else (c.unit, c.kind, c.comparator, c.modality, c.property, c.time, c.rule, c.time_norm,
                           c.time_source, r.unit, r.comparator, r.modality, r.time, r.property)
    try:
        tail = _CLAIM_TAILS.get(key)  # (the remembered text without a call)
    except TypeError:  # an unhashable field
        tail = None
    if tail is None:
        tail = _remembered(_CLAIM_TAILS, key, lambda: _claim_tail(c))
    start, end, text, value_max, esc = c.start, c.end, c.text, c.value_max, _escape
    refs_text = "[" + ",".join(["\n    " + esc(x) for x in refs]) + "\n   ]" if refs else "[]"
    # an f-string, not `str.format`: its pieces are joined without parsing a template (3 times faster)
    return (f'  {{\n   "id": {esc(cid)}'
            f',\n   "start": {int.__repr__(start) if type(start) is int else _scalar(start)}'
            f',\n   "end": {int.__repr__(end) if type(end) is int else _scalar(end)}'
            f',\n   "text": {esc(text) if type(text) is str else _scalar(text)}'
            f',\n   "value": {_value(c.value)}'
            f',\n   "value_max": {"null" if value_max is None else _value(value_max)}'
            f'{tail},\n   "sentence": [\n    {int.__repr__(s)},\n    {int.__repr__(e)}\n   ]'
            f',\n   "entity_refs": {refs_text}\n  }}')


def _claim_tail(c: Claim) -> str:
    """The fields of a claim item from `unit` to `rules` (each line after a comma)."""
    esc, r = _escape, c.rules
    if r is None:
        rules = ""
    elif type(r.unit) is str and type(r.comparator) in _NAMES and type(r.modality) in _NAMES \
            and type(r.time) in _NAMES and type(r.property) in _NAMES:
        rules = (f',\n   "rules": {{\n    "unit": {esc(r.unit)}'
                 f',\n    "comparator": {"null" if r.comparator is None else esc(r.comparator)}'
                 f',\n    "modality": {"null" if r.modality is None else esc(r.modality)}'
                 f',\n    "time": {"null" if r.time is None else esc(r.time)}'
                 f',\n    "property": {"null" if r.property is None else esc(r.property)}\n   }}')
    else:
        rules = ',\n   "rules": ' + encode(r.as_dict(), _NESTED_3)
    unit, kind, comparator, modality, prop, time, rule = c.unit, c.kind, c.comparator, c.modality, c.property, c.time, c.rule
    tnorm, tsource = c.time_norm, c.time_source
    return (f',\n   "unit": {esc(unit) if type(unit) is str else _scalar(unit)}'
            f',\n   "kind": {esc(kind) if type(kind) is str else _scalar(kind)}'
            f',\n   "comparator": {esc(comparator) if type(comparator) is str else _scalar(comparator)}'
            f',\n   "modality": {esc(modality) if type(modality) is str else _scalar(modality)}'
            f',\n   "property": {"null" if prop is None else esc(prop) if type(prop) is str else _scalar(prop)}'
            f',\n   "time": {"null" if time is None else esc(time) if type(time) is str else _scalar(time)}'
            f',\n   "rule": {"null" if rule is None else esc(rule) if type(rule) is str else _scalar(rule)}'
            f',\n   "time_norm": {"null" if tnorm is None else esc(tnorm) if type(tnorm) is str else _scalar(tnorm)}'
            f',\n   "time_source": {"null" if tsource is None else esc(tsource) if type(tsource) is str else _scalar(tsource)}'
            f'{rules}')


def _value(v: Any) -> str:
    """`_scalar(_number(v))`: a finite float that is whole (and fits 64 bits) as an int."""
    if type(v) is float and v - v == 0:
        return int.__repr__(int(v)) if v.is_integer() and abs(v) < 2**63 else float.__repr__(v)
    return _scalar(_number(v))


def _entity_item(e: Entity, mid: str) -> str:
    """The array element `dumps` writes of `_linked(_entity(e), {"mention_id": mid})`, filled into a template (entities are flat;
    the text of the fields after the offsets is remembered, as for claims)."""
    key = (e.text, e.type, e.name_en, e.id)
    try:
        tail = _ENTITY_TAILS.get(key)
    except TypeError:
        tail = None
    if tail is None:
        tail = _remembered(_ENTITY_TAILS, key, lambda: _entity_tail(e))
    start, end = e.start, e.end
    return (f'  {{\n   "mention_id": {_escape(mid)}'
            f',\n   "start": {int.__repr__(start) if type(start) is int else _scalar(start)}'
            f',\n   "end": {int.__repr__(end) if type(end) is int else _scalar(end)}{tail}')


def _entity_tail(e: Entity) -> str:
    """The fields of an entity item after its offsets (each line after a comma), and its closing brace."""
    esc, text, etype, name_en, eid = _escape, e.text, e.type, e.name_en, e.id
    return (f',\n   "text": {esc(text) if type(text) is str else _scalar(text)}'
            f',\n   "type": {esc(etype) if type(etype) is str else _scalar(etype)}'
            f',\n   "name_en": {"null" if name_en is None else esc(name_en) if type(name_en) is str else _scalar(name_en)}'
            f',\n   "id": {"null" if eid is None else esc(eid) if type(eid) is str else _scalar(eid)}\n  }}')


def _remembered(cache: dict[tuple[Any, ...], str], key: tuple[Any, ...], build: Callable[[], str]) -> str:
    """`build()`, kept in `cache` under `key` when every field of the key is a string or None (which no
    value of another type equals: 1, 1.0 and True never share a text); the cache starts again at
    `_TAILS_MAX` entries."""
    try:
        found = cache.get(key)
    except TypeError:  # an unhashable field: never remembered
        found = None
    if found is None:
        found = build()
        if all(type(v) in _NAMES for v in key):
            if len(cache) >= _TAILS_MAX:
                cache.clear()
            cache[key] = found
    return found


def _scalar(v: Any) -> str:
    """`encode(v)` at the depth of an item's fields."""
    t = type(v)
    if t is str:
        return _escape(v)
    if t is int:
        return int.__repr__(v)
    return "null" if v is None else encode(v, "\n   ")


def remove_temp_files(outdir: Path) -> None:
    """Remove the temporary files of `write_atomic` (`.<name>.json.<random>.tmp`) below `outdir`."""
    for tmp in outdir.rglob(f".*.json.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            tmp.unlink()
