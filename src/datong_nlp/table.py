"""Tables over an output folder: one row per claim (or entity mention), as CSV, JSON lines,
Parquet or a pandas DataFrame."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from .texts import corpus_candidates, iter_outputs, original_text
from .types import DatongError

FORMATS = (".csv", ".jsonl", ".parquet")
_FLOAT_FIELDS = {"value", "value_max"}
MISSING_PYARROW = "writing Parquet needs pyarrow: pip install 'datong-nlp[table]'"


def _flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted columns (`rules.unit`), `sentence` two columns, lists one
    `; `-joined string."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        name = prefix + key
        if isinstance(value, dict):
            row.update(_flatten(value, name + "."))
        elif key == "sentence" and not prefix and isinstance(value, list) and len(value) == 2:
            row["sentence_start"], row["sentence_end"] = value
        elif isinstance(value, list):
            row[name] = "; ".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value) or None
        else:
            row[name] = value
    return row


def rows(out: Path, entities: bool = False, corpus: Path | None = None) -> list[dict[str, Any]]:
    """The rows of the claim table (or, with `entities`, of the entity table) of an output folder.

    A claim row: `doc_id`, `claim_id`, every claim field (nested ones dotted, lists `; `-joined),
    `entities` (text and type of each mention in `entity_refs`) and `sentence_text`, which is
    empty when the original text is not found (see `texts.corpus_candidates`)."""
    candidates = corpus_candidates(out if out.is_dir() else out.parent, corpus)
    table: list[dict[str, Any]] = []
    for _path, doc in iter_outputs(out):
        head = {"doc_id": doc.get("doc_id")}
        if entities:
            for e in doc.get("entities", []):
                e = dict(e)
                table.append({**head, "mention_id": e.pop("mention_id", None), **_flatten(e)})
            continue
        mentions = {e.get("mention_id"): e for e in doc.get("entities", [])}
        text = original_text(doc, candidates)
        for c in doc.get("claims", []):
            c = dict(c)
            row = {**head, "claim_id": c.pop("id", None), **_flatten(c)}
            refs = [mentions[r] for r in c.get("entity_refs", []) if r in mentions]
            row["entities"] = "; ".join(f"{m['text']} ({m['type']})" for m in refs) or None
            s = c.get("sentence")
            row["sentence_text"] = text[s[0]:s[1]] if text is not None and s else None
            table.append(row)
    return table


def _columns(table: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in table:
        seen.update(dict.fromkeys(row))
    return list(seen)


def write_table(table: list[dict[str, Any]], dest: Path) -> None:
    """Write rows as CSV (UTF-8, empty cell for null), JSON lines or Parquet, by `dest`'s extension."""
    suffix = dest.suffix.lower()
    if suffix not in FORMATS:
        raise DatongError(f"{dest}: unknown table format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    columns = _columns(table)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with dest.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, columns)
            writer.writeheader()
            writer.writerows(table)
    elif suffix == ".jsonl":
        with dest.open("w", encoding="utf-8") as fh:
            for row in table:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        _write_parquet(table, columns, dest)


def _write_parquet(table: list[dict[str, Any]], columns: list[str], dest: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise DatongError(MISSING_PYARROW) from None
    fields = []
    for col in columns:
        values = [row.get(col) for row in table if row.get(col) is not None]
        if col in _FLOAT_FIELDS or (values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
                                    and any(isinstance(v, float) for v in values)):
            kind = pa.float64()
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kind = pa.int64()
        elif values and all(isinstance(v, bool) for v in values):
            kind = pa.bool_()
        else:
            kind = pa.string()
        fields.append(pa.field(col, kind))
    schema = pa.schema(fields)
    data = {col: [_cell(row.get(col), f.type) for row in table] for col, f in zip(columns, fields, strict=True)}
    pq.write_table(pa.table(data, schema=schema), dest)


def _cell(value: Any, kind: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    if kind == pa.float64():
        return float(value)
    if kind == pa.string() and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def read_outputs(out_dir: str | Path, entities: bool = False, corpus: str | Path | None = None) -> Any:
    """The claim table (or entity table) of an output folder: a pandas DataFrame when pandas is
    installed, else a list of dicts, one per row, with the same columns."""
    table = rows(Path(out_dir), entities, Path(corpus) if corpus is not None else None)
    try:
        import pandas as pd
    except ImportError:
        return table
    return pd.DataFrame(table, columns=_columns(table))
