"""Progress of an `extract` run: a tqdm bar on a terminal (documents n/N, MB/s, ETA), plain
`ok:`/`skipped:`/`error:` lines when stderr is a file or a pipe."""

from __future__ import annotations

import os
import sys
from typing import IO, Any

from .corpus import DocResult


class Progress:
    """Reports each finished document; `close()` at the end of the run."""

    def __init__(self, total_docs: int, total_bytes: int, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total_docs, self.done = total_docs, 0
        self.quiet = quiet
        self.bar: Any = None
        if not quiet and _is_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1000, file=self.stream,
                            desc=self._desc(), ncols=_window(self.stream)[0], nrows=_window(self.stream)[1],
                            smoothing=0.1,
                            bar_format="{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                       "[{elapsed}<{remaining}, {rate_fmt}]")

    def _desc(self) -> str:
        return f"extract {self.done}/{self.total_docs} docs"

    def advance(self, result: DocResult, nbytes: int) -> None:
        """One document is done: move the bar, or print its line (errors always)."""
        self.done += 1
        if result.status == "failed":
            self._write(f"error: {result.message}")
        elif self.bar is None and not self.quiet:
            self._write(f"{result.status}: {result.doc_id} ({result.claims} claims, {result.entities} entities)")
        if self.bar is not None:
            self.bar.set_description_str(self._desc(), refresh=False)
            self.bar.update(nbytes)

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _window(stream: IO[str]) -> tuple[int, int]:
    """The terminal's (columns, rows); one that reports none (a bare pty) counts as 100 x 24."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return 100, 24
    return size.columns or 100, size.lines or 24


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
