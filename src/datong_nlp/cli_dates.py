"""The document-date options of `extract` (`--doc-date`, `--doc-dates`), for time normalisation."""

from __future__ import annotations

import argparse
from pathlib import Path

from .timenorm import parse_doc_date, read_doc_dates

__all__ = ["add_date_options", "read_doc_dates"]


def add_date_options(p: argparse.ArgumentParser) -> None:
    """Add `--doc-date` and `--doc-dates` to the parser of `extract`."""
    p.add_argument("--doc-date", type=_doc_date, default=None, metavar="YYYY[-MM[-DD]]",
                   help="the date relative times (今年, 上年末, 未来三年) are resolved against "
                        "(default: read from each text: 发布时间/访谈时间, a dateline, a year in the title)")
    p.add_argument("--doc-dates", type=Path, default=None, metavar="FILE",
                   help="a CSV file of `doc_id,date` lines (date YYYY[-MM[-DD]]): each document's date; "
                        "overrides --doc-date and the date read from the text")


def _doc_date(value: str) -> str:
    """argparse type of --doc-date: a valid YYYY[-MM[-DD]], kept as written."""
    try:
        return parse_doc_date(value).iso()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
