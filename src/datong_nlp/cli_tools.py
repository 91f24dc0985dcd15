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
