"""Running the pipeline over a corpus: one document at a time, isolated and written atomically."""

from __future__ import annotations

import json
import os
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .decode import doc_id_for, read_text
from .output import iter_json, remove_temp_files, text_sha256, write_atomic
from .pipeline import Extractor
from .provenance import TOOL_VERSION
from .types import DatongError

_EXTRACTORS: dict[Path | None, Extractor] = {}


@dataclass(frozen=True)
class DocResult:
    """What happened to one document."""

    doc_id: str
    status: str  # ok, failed, skipped
    message: str = ""
    claims: int = 0
    entities: int = 0


@dataclass(frozen=True)
class CorpusRun:
    """The settings of one `extract` run; picklable, so worker processes get it too."""

    corpus: Path
    outdir: Path
    rules_dir: Path | None
    locale: str | None
    resume: bool
    doc_date: str | None = None  # extract --doc-date: the date relative times are resolved against
    doc_dates: tuple[tuple[str, str], ...] = ()  # extract --doc-dates: (doc_id, date) pairs, winning over doc_date

    def init_worker(self) -> None:
        """Load the extractor once in this worker process; the main process handles Ctrl-C."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        extractor(self.rules_dir)


def extractor(rules_dir: Path | None) -> Extractor:
    """The process's extractor for `rules_dir`, loaded on first use."""
    if rules_dir not in _EXTRACTORS:
        _EXTRACTORS[rules_dir] = Extractor(rules_dir)
    return _EXTRACTORS[rules_dir]


def prepare_output_dir(outdir: Path) -> None:
    """Create `outdir` and prove it is writable, before any work starts; remove the
    temporary files a killed run may have left."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        remove_temp_files(outdir)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=outdir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise DatongError(f"{outdir}: output folder is not writable ({exc.strerror or exc})") from None


def _up_to_date(out: Path, path: Path, text: str, rules_hash: str) -> bool:
    """Whether `out` is newer than `path` and was made from the same text, by this version with these rules."""
    try:
        if out.stat().st_mtime < path.stat().st_mtime:
            return False
        with out.open(encoding="utf-8") as fh:
            head = json.load(fh)
        return (head.get("text_sha256") == text_sha256(text) and head.get("tool_version") == TOOL_VERSION
                and head.get("rules_sha256") == rules_hash)
    except (OSError, ValueError, AttributeError):
        return False


def process_document(run: CorpusRun, path: Path) -> DocResult:
    """Extract one file and write its JSON; any failure is reported, never raised."""
    doc_id, source = doc_id_for(path, run.corpus)
    try:
        text, encoding = read_text(path)
        out = run.outdir / f"{doc_id}.json"
        if run.resume and _up_to_date(out, path, text, extractor(run.rules_dir).rules_sha256):
            return DocResult(doc_id, "skipped", "up to date")
        parts = extractor(run.rules_dir).extract_parts(text, encoding, run.locale,
                                                       doc_date=dict(run.doc_dates).get(doc_id, run.doc_date))
        counts = [0, 0]
        write_atomic(out, iter_json(parts, doc_id, source, counts))  # streamed: a long text never sits whole in memory
        return DocResult(doc_id, "ok", claims=counts[0], entities=counts[1])
    except DatongError as exc:
        return DocResult(doc_id, "failed", str(exc))
    except Exception as exc:
        return DocResult(doc_id, "failed", f"{path}: {type(exc).__name__}: {exc}")
