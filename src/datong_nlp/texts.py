"""Finding the original text of an output file (outputs carry offsets, not the text)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .decode import read_text
from .output import text_sha256
from .types import DatongError


def corpus_candidates(out_dir: Path, corpus: Path | None = None) -> list[Path]:
    """Where the texts of the outputs in `out_dir` are looked for: `corpus` when given, else
    `corpus/` beside `out_dir`, the folder holding `out_dir`, `./corpus` and `.`."""
    if corpus is not None:
        return [corpus]
    parent = out_dir.resolve().parent
    return [parent / "corpus", parent, Path.cwd() / "corpus", Path.cwd()]


def original_text(doc: dict[str, Any], candidates: list[Path]) -> str | None:
    """The text of `doc`: the file `source` below the first candidate folder whose copy has the
    output's `text_sha256` (or is the candidate itself, for a single-file corpus); None if none does."""
    source = doc.get("source")
    if not isinstance(source, str):
        return None
    for folder in candidates:
        for path in (folder / source, folder):
            if not path.is_file():
                continue
            try:
                text = read_text(path)[0]
            except DatongError:
                continue
            if doc.get("text_sha256") in (None, text_sha256(text)):
                return text
    return None


def iter_outputs(out: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, document) of every output JSON file of a folder (recursively, sorted), or of one file."""
    paths = [out] if out.is_file() else sorted(out.rglob("*.json"))
    for path in paths:
        try:
            with path.open(encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError) as exc:
            raise DatongError(f"{path}: cannot be read as JSON ({exc})") from None
        if isinstance(doc, dict) and "claims" in doc:
            yield path, doc
