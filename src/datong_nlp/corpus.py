"""Running the pipeline over a corpus: one document at a time, isolated and written atomically."""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import tempfile
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .decode import doc_id_for, read_text
from .output import iter_json, remove_temp_files, sync_and_rename, text_sha256, write_atomic, write_temp
from .provenance import TOOL_VERSION, rules_sha256
from .segment import DEFAULT_BACKEND
from .types import DatongError

if TYPE_CHECKING:  # the pipeline is imported when an extractor is first needed
    from concurrent.futures import Future

    from .pipeline import Extractor

log = logging.getLogger("datong_nlp")
_EXTRACTORS: dict[tuple[Path | None, str], Extractor] = {}


# young objects allocated between two collections of the youngest generation (CPython: 700, 10, 10)
GC_THRESHOLD = (20_000, 10, 10)


def settle_gc() -> None:
    """For a batch run, once the extractor is loaded: freeze what is loaded (collections skip it, and
    forked workers share its pages), and collect young objects every 20,000 allocations instead of
    700.  A document makes hundreds of thousands of short-lived objects and almost no cycles: with
    the default thresholds the collector took about 5 % of the run (bench/throughput.py)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


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
    segmenter: str = DEFAULT_BACKEND
    doc_date: str | None = None  # extract --doc-date: the date relative times are resolved against
    doc_dates: tuple[tuple[str, str], ...] = ()  # extract --doc-dates: (doc_id, date) pairs, winning over doc_date

    def doc_id(self, path: Path) -> str:
        """The doc_id of an input file."""
        return doc_id_for(path, self.corpus)[0]

    def init_worker(self) -> None:
        """Get the extractor in this worker process (inherited when forked from a main process
        that loaded it, else loaded here); the main process handles Ctrl-C."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        extractor(self.rules_dir, self.segmenter)


def extractor(rules_dir: Path | None, segmenter: str = DEFAULT_BACKEND) -> Extractor:
    """The process's extractor for `rules_dir` and `segmenter`, loaded on first use (logged at INFO)."""
    key = (rules_dir, segmenter)
    if key not in _EXTRACTORS:
        from .pipeline import Extractor

        started = time.perf_counter()
        _EXTRACTORS[key] = Extractor(rules_dir, segmenter=segmenter)
        log.info("extractor loaded (rules %s, segmenter %s) in %.2f s", rules_dir or "shipped", segmenter,
                 time.perf_counter() - started)
    return _EXTRACTORS[key]


# a made-up sentence with a figure, a place and a titled person: what it runs through loads the
# parts that load lazily (the pinyin table for name_en, compiled patterns)
WARM_UP_TEXT = "大同市市长王明介绍，今年全市煤炭产量达到1.6亿吨，同比增长3.5%。"


def warm_up(rules_dir: Path | None, segmenter: str = DEFAULT_BACKEND, long_texts: bool = False) -> None:
    """Run the extractor once on `WARM_UP_TEXT`, so that workers forked after it inherit
    everything it loads lazily instead of each loading it again; with `long_texts` (some input is
    long enough) also what long texts load (numpy and the code-point tables of normalise, places,
    gazetteer, names and masks: 0.1 s and 30 MB that every worker would otherwise make for itself);
    the long text is the sentence padded with ideographic spaces, which make those tables without
    the work of a long text's figures."""
    ex = extractor(rules_dir, segmenter)
    ex.extract_text(WARM_UP_TEXT)
    if long_texts:
        from .normalize import LONG

        ex.extract_text(WARM_UP_TEXT + "\u3000" * LONG)


def is_current(run: CorpusRun, path: Path) -> bool:
    """Whether the output of `path` is up to date (`--resume`): it exists, is newer than the
    input and has the input's text hash.  Needs no extractor."""
    doc_id, _source = doc_id_for(path, run.corpus)
    try:
        text, _encoding = read_text(path)
    except (DatongError, OSError):
        return False
    return _up_to_date(run.outdir / f"{doc_id}.json", path, text, rules_sha256(run.rules_dir))


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


def process_document(run: CorpusRun, path: Path,
                     write: Callable[[Path, Iterable[str]], None] = write_atomic) -> DocResult:
    """Extract one file and write its JSON (by `write`: a Dask worker may hand the text back
    instead); any failure is reported, never raised."""
    doc_id, source = doc_id_for(path, run.corpus)
    try:
        text, encoding = read_text(path)
        out = run.outdir / f"{doc_id}.json"
        if run.resume and _up_to_date(out, path, text, rules_sha256(run.rules_dir)):
            return DocResult(doc_id, "skipped", "up to date")
        parts = extractor(run.rules_dir, run.segmenter).extract_parts(
            text, encoding, run.locale, doc_date=dict(run.doc_dates).get(doc_id, run.doc_date))
        counts = [0, 0]
        write(out, iter_json(parts, doc_id, source, counts))  # streamed: a long text never sits whole in memory
        return DocResult(doc_id, "ok", claims=counts[0], entities=counts[1])
    except DatongError as exc:
        return DocResult(doc_id, "failed", str(exc))
    except Exception as exc:
        return DocResult(doc_id, "failed", f"{path}: {type(exc).__name__}: {exc}")


class SyncWriter:
    """`write_atomic` in two halves: the text goes to the temporary file in the calling thread,
    the fsync and the rename happen in a background thread, so the next document is extracted
    while the disk syncs (an fsync waits 2-10 ms on this machine's disk, more when it is busy).
    A file is renamed into place only once synced, as `write_atomic` does."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor  # here: `--resume` on a current corpus needs no thread

        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="datong-sync")
        self.pending: Future[None] | None = None

    def write(self, path: Path, content: Iterable[str]) -> None:
        """Write `content` to a temporary file beside `path` and leave its sync and rename in `pending`."""
        self.pending = self._thread.submit(sync_and_rename, *write_temp(path, content), path)

    def close(self) -> None:
        self._thread.shutdown(wait=True)


def process_documents(run: CorpusRun, paths: Iterable[Path]) -> Generator[DocResult, None, None]:
    """`process_document` for each path, in order, each document's fsync overlapping the next
    one's extraction; a result comes once its file is in place (or the write failed)."""
    writer = SyncWriter()
    held: tuple[Path, DocResult, Future[None]] | None = None  # written, its sync under way
    try:
        for path in paths:
            writer.pending = None
            result = process_document(run, path, writer.write)
            if held is not None:
                yield _synced(*held)
                held = None
            if result.status == "ok" and writer.pending is not None:
                held = (path, result, writer.pending)
            else:  # failed or skipped: nothing to wait for (--fail-fast stops before the next document)
                yield result
        if held is not None:
            yield _synced(*held)
    finally:
        writer.close()  # waits for the last sync: every file left is complete


def _synced(path: Path, result: DocResult, pending: Future[None]) -> DocResult:
    """`result`, or a failure if its file could not be synced or renamed into place."""
    try:
        pending.result()
    except Exception as exc:
        return DocResult(result.doc_id, "failed", f"{path}: {type(exc).__name__}: {exc}")
    return result


BATCH_DOCS, BATCH_BYTES = 4, 64 * 1024  # a worker's task: a few documents (their fsyncs overlap their extraction)


def batches(order: list[int], sizes: list[int]) -> list[list[int]]:
    """Consecutive runs of `order` of at most BATCH_DOCS documents and BATCH_BYTES (a larger document alone)."""
    out: list[list[int]] = []
    total = 0
    for i in order:
        if not out or len(out[-1]) == BATCH_DOCS or total + sizes[i] > BATCH_BYTES:
            out.append([])
            total = 0
        out[-1].append(i)
        total += sizes[i]
    return out


def process_batch(run: CorpusRun, items: list[tuple[int, Path]]) -> list[tuple[int, DocResult]]:
    """`process_documents` in a worker, each result with the input's number (batches come back as they finish)."""
    return list(zip((i for i, _ in items), process_documents(run, [p for _, p in items]), strict=True))
