"""The document-date options of `extract` (`--doc-date`, `--doc-dates`), for time normalisation."""

from __future__ import annotations

import argparse
from pathlib import Path

# timenorm (and through it the rules package, YAML and OpenCC) is imported only when a date is given:
# `extract --resume` on a current corpus starts without them


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
    from .timenorm import parse_doc_date

    try:
        return parse_doc_date(value).iso()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def read_doc_dates(path: Path) -> tuple[tuple[str, str], ...]:
    """The (doc_id, date) pairs of a `--doc-dates` file (`timenorm.read_doc_dates`)."""
    from .timenorm import read_doc_dates as read

    return read(path)
