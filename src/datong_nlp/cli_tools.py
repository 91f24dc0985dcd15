"""The researcher's commands: `datong-nlp table`, `show` and `gold` — thin layers over
`table`, `show` and `goldio`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .provenance import TOOL_VERSION
from .types import DatongError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("--version", action="version", version=f"%(prog)s {TOOL_VERSION}")
    return p


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=None,
                   help="folder of the original texts (default: corpus/ beside OUT_DIR, OUT_DIR/.., ./corpus, .); "
                        "a text is used only when its SHA-256 matches the output's text_sha256")


def table_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp table") -> int:
    """Run `datong-nlp table`."""
    from .table import FORMATS, rows, write_table

    p = _parser(prog, "One row per claim (or, with --entities, per entity mention) of every output JSON "
                      "below OUT_DIR, as CSV, JSON lines or Parquet (by the extension of --to).")
    p.add_argument("out_dir", type=Path, help="a folder of output JSON files (or one file)")
    p.add_argument("--to", type=Path, required=True, help=f"the table file: {', '.join('*' + f for f in FORMATS)}")
    p.add_argument("--entities", action="store_true", help="the entity table instead of the claim table")
    _corpus_arg(p)
    args = p.parse_args(argv)
    if not args.out_dir.exists():
        return _fail(f"{args.out_dir}: not found")
    try:
        table = rows(args.out_dir, args.entities, args.corpus)
        write_table(table, args.to)
    except DatongError as exc:
        return _fail(str(exc))
    missing = sum(1 for r in table if "sentence_text" in r and r["sentence_text"] is None)
    if missing:
        print(f"warning: {missing} rows without sentence_text (original text not found; give --corpus)", file=sys.stderr)
    print(f"table: {len(table)} rows -> {args.to}", file=sys.stderr)
    return EXIT_OK


def show_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp show") -> int:
    """Run `datong-nlp show`."""
    from .show import render_document, write_site
    from .texts import corpus_candidates, iter_outputs, original_text

    p = _parser(prog, "Self-contained HTML: one output JSON file as a page with its claims and entities marked "
                      "(-o page.html), or a folder of them as pages and an index.html (-o site/).")
    p.add_argument("path", type=Path, help="an output JSON file, or a folder of them")
    p.add_argument("-o", "--output", type=Path, required=True, help="the page (for a file) or folder (for a folder)")
    _corpus_arg(p)
    args = p.parse_args(argv)
    if not args.path.exists():
        return _fail(f"{args.path}: not found")
    try:
        candidates = corpus_candidates(args.path if args.path.is_dir() else args.path.parent, args.corpus)
        docs = [(doc, original_text(doc, candidates)) for _, doc in iter_outputs(args.path)]
        if not docs:
            return _fail(f"{args.path}: no output JSON files")
        if args.path.is_file():
            doc, text = docs[0]
            if text is None:
                return _fail(f"{args.path}: the original text {doc.get('source')} was not found (give --corpus)", EXIT_FAILED)
            from .output import write_atomic

            write_atomic(args.output, render_document(doc, text))
            print(f"show: {args.output}", file=sys.stderr)
            return EXIT_OK
        missing = write_site(docs, args.output)
    except (DatongError, OSError) as exc:
        return _fail(str(exc))
    for doc_id in missing:
        print(f"error: {doc_id}: the original text was not found (give --corpus); no page", file=sys.stderr)
    print(f"show: {len(docs) - len(missing)} pages and {args.output / 'index.html'}", file=sys.stderr)
    return EXIT_FAILED if missing else EXIT_OK
