"""Running a corpus on a Dask cluster (`extract --dask SCHEDULER`) and reading inputs by URL (fsspec).

The per-document work is `corpus.process_document`, unchanged: this module only decides
where it runs.  Documents go to the workers in batches sized by bytes; each worker loads
the rules and dictionaries once (a worker plugin filling `corpus.extractor`'s per-process
cache).  When the workers see the output folder (a probe file written by the client and
looked for by every worker) they write their outputs atomically, as a local run does;
otherwise the JSON text comes back and the client writes it.  A batch whose worker died
is split and its documents go out again one by one; a document whose worker died twice
is reported failed with its name, and the run goes on.

`dask.distributed`, `fsspec` and `universal-pathlib` are the optional extra
`datong-nlp[dask]`; this module imports them only when they are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .corpus import CorpusRun, DocResult, _up_to_date, extractor, process_document
from .decode import read_text
from .output import TEMP_SUFFIX, remove_temp_files, write_atomic
from .provenance import rules_sha256
from .types import DatongError

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # the extra is missing: `require_dask` says so before anything runs
    WorkerPlugin = object  # type: ignore[assignment,misc]

EXTRA = "pip install 'datong-nlp[dask]'"
CRASH_ENV = "DATONG_DASK_TEST_CRASH"  # test hook: a worker exits when a document's file name contains this
MIN_BATCH_BYTES = 64 * 1024
MAX_BATCH_BYTES = 8 * 1024 * 1024
BATCHES_PER_WORKER = 16  # enough batches for the scheduler to balance the load and to retry cheaply
CRASHES_ALLOWED = 1  # a document whose worker died more often than this is reported failed

#: per worker process: extractor loads by the plugin, batches and documents run (read by tests and the benchmark)
WORKER_STATS: Counter[str] = Counter()


def require_dask() -> Any:
    """The `distributed` module, or a `DatongError` naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise DatongError(f"--dask needs dask.distributed, which is not installed: {EXTRA}") from None
    return distributed


def is_url(location: str | os.PathLike[str]) -> bool:
    """Whether `location` names a file system by protocol (`s3://bucket/x`, `memory://x`, `file:///x`)."""
    return "://" in str(location) if isinstance(location, str) else type(location).__module__.startswith("upath")


def corpus_location(value: str) -> Path:
    """The corpus argument: a local `Path`, or for a URL a `UPath` (pathlib over fsspec), which
    `process_document` reads like a local file.  Raises `ValueError` when the extra is missing."""
    if "://" not in value:
        return Path(value)
    try:
        from upath import UPath
    except ImportError:
        raise ValueError(f"{value}: a corpus given by URL needs fsspec and universal-pathlib: {EXTRA}") from None
    return UPath(value)  # type: ignore[return-value]


def find_url_inputs(root: Path) -> Iterator[Path]:
    """Every `*.txt` below a URL corpus (or the URL itself if it names a file), sorted."""
    if root.is_file():
        yield root
        return
    yield from sorted((p for p in root.rglob("*.txt") if p.is_file()), key=lambda p: str(p))


def batches(sizes: Sequence[int], target: int) -> list[range]:
    """Consecutive index ranges over documents of `sizes` bytes, each of about `target` bytes
    (a document larger than `target` goes alone)."""
    out: list[range] = []
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > target:
            out.append(range(start, i))
            start, total = i, 0
        total += size
    if start < len(sizes):
        out.append(range(start, len(sizes)))
    return out


def batch_target(total_bytes: int, workers: int) -> int:
    """Bytes per batch: about `BATCHES_PER_WORKER` batches per worker, within 64 KB-8 MB."""
    return max(MIN_BATCH_BYTES, min(MAX_BATCH_BYTES, total_bytes // max(1, workers * BATCHES_PER_WORKER)))


class LoadExtractor(WorkerPlugin):
    """Worker plugin: load the rules, OpenCC and jieba once per worker process, before its first task
    (off the event loop), into the per-process cache `process_document` uses."""

    idempotent = False

    def __init__(self, rules_dir: Path | None, ignore_sigint: bool = False) -> None:
        self.rules_dir = rules_dir
        self.ignore_sigint = ignore_sigint

    async def setup(self, worker: Any) -> None:
        if self.ignore_sigint:  # a local cluster's worker: Ctrl-C in the terminal is the client's to handle
            with contextlib.suppress(ValueError):  # not the main thread: leave it
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        await asyncio.get_running_loop().run_in_executor(None, self._load)

    def _load(self) -> None:
        from . import corpus

        WORKER_STATS["plugin_setups"] += 1
        if self.rules_dir in corpus._EXTRACTORS:
            return  # a second run on the same worker: already loaded
        started = time.perf_counter()
        extractor(self.rules_dir)
        WORKER_STATS["extractor_loads"] += 1
        WORKER_STATS["extractor_load_ms"] += round(1000 * (time.perf_counter() - started))

    def teardown(self, worker: Any) -> None:
        """Nothing to release: the cache lives as long as the worker process."""


def run_batch(run: CorpusRun, paths: list[Path], collect: bool) -> list[tuple[DocResult, str | None]]:
    """On a worker: `process_document` for each path.  With `collect`, nothing is written and
    the JSON text of each document comes back with its result."""
    crash = os.environ.get(CRASH_ENV)
    WORKER_STATS["batches"] += 1
    out: list[tuple[DocResult, str | None]] = []
    for path in paths:
        if crash and crash in path.name:
            os._exit(70)  # the test hook: this document kills its worker
        WORKER_STATS["documents"] += 1
        if not collect:
            out.append((process_document(run, path), None))
            continue
        texts: list[str] = []

        def keep(_out: Path, content: str | Iterable[str], texts: list[str] = texts) -> None:
            texts.append(content if isinstance(content, str) else "".join(content))

        result = process_document(run, path, write=keep)
        out.append((result, texts[0] if texts else None))
    return out


def worker_stats() -> dict[str, int]:
    """This worker process's `WORKER_STATS` and the number of extractors in its cache."""
    from . import corpus

    return {**WORKER_STATS, "extractors_cached": len(corpus._EXTRACTORS)}


def _probe(probe: str, token: str, first_input: str | None, rules_dir: str | None) -> dict[str, bool]:
    """On a worker: does it see the client's probe file, the first input and the rules folder?"""
    try:
        with open(probe, encoding="utf-8") as fh:
            sees_out = fh.read() == token
    except OSError:
        sees_out = False
    return {"outdir": sees_out, "corpus": first_input is None or os.path.isfile(first_input),
            "rules": rules_dir is None or os.path.isdir(rules_dir)}


def outdir_visible(client: Any, outdir: Path, first_input: Path | None, rules_dir: Path | None) -> bool:
    """Whether every worker sees `outdir` (a probe file written here and read there); raises
    `DatongError` when a worker cannot see a local corpus or the rules folder."""
    token = secrets.token_hex(16)
    fd, probe = tempfile.mkstemp(prefix=".dask-probe.json.", suffix=TEMP_SUFFIX, dir=outdir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(token)
        seen = client.run(_probe, probe, token, None if first_input is None else str(first_input),
                          None if rules_dir is None else str(rules_dir))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(probe)
    for worker, sees in seen.items():
        if not sees["corpus"]:
            raise DatongError(f"{first_input}: the corpus is not visible to dask worker {worker} "
                              "(put it on a shared folder or give it by URL, e.g. s3://...)")
        if not sees["rules"]:
            raise DatongError(f"{rules_dir}: the rules folder is not visible to dask worker {worker}")
    return all(sees["outdir"] for sees in seen.values())


@dataclass
class _Task:
    """One submitted batch: the indices of its documents in the input list."""

    indices: list[int]


def _client_for(scheduler: str, workers: int) -> tuple[Any, Any]:
    """(client, cluster or None): a `LocalCluster` of `workers` processes on loopback for `local`."""
    distributed = require_dask()
    import dask

    if scheduler != "local":
        try:
            return distributed.Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect")), None
        except (OSError, TimeoutError) as exc:
            raise DatongError(f"--dask {scheduler}: cannot reach the scheduler ({exc})") from None
    # A worker death marks its task failed at once, and this module retries its documents one by
    # one; a worker holds one task at a time, so a death implicates only the task it was running.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}):
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                           silence_logs=logging.CRITICAL)
    return distributed.Client(cluster), cluster


def run_on_dask(run: CorpusRun, inputs: list[Path], scheduler: str, workers: int,
                report: Callable[[DocResult], bool], *, client: Any = None) -> None:
    """Process `inputs` on a Dask cluster, calling `report` for each result in input order (as a
    local run does) until it returns True (--fail-fast).  `scheduler` is `tcp://host:port` or
    `local` (a `LocalCluster` of `workers` processes); `client`, if given, is used instead.

    Raises `DatongError` before any document is touched when the cluster cannot be used.  On
    any exception (Ctrl-C included) the futures are cancelled and a local cluster is closed
    before the exception goes on.
    """
    cluster = None
    if client is None:
        client, cluster = _client_for(scheduler, workers)
    remote = cluster is None
    try:
        client.wait_for_workers(1, timeout=120)
        if remote and not is_url(run.corpus):  # remote workers have other working folders
            run = replace(run, corpus=run.corpus.resolve(), outdir=run.outdir.resolve(),
                          rules_dir=run.rules_dir.resolve() if run.rules_dir else None)
            inputs = [p.resolve() for p in inputs]
        shared = outdir_visible(client, run.outdir.resolve(), None if is_url(run.corpus) else inputs[0],
                                run.rules_dir.resolve() if run.rules_dir else None)
        client.register_plugin(LoadExtractor(run.rules_dir, ignore_sigint=cluster is not None),
                               name="datong-nlp-extractor")
        _run(client, run, inputs, shared, report)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _run(client: Any, run: CorpusRun, inputs: list[Path], shared: bool, report: Callable[[DocResult], bool]) -> None:
    """Submit the batches, retry what died with its worker, report in input order."""
    from distributed import KilledWorker, as_completed

    results: dict[int, DocResult] = {}
    task_run = run
    todo = list(range(len(inputs)))
    if not shared and run.resume:  # the workers cannot see the old outputs: the client checks them
        task_run = replace(run, resume=False)
        todo = []
        for i, path in enumerate(inputs):
            skipped = _skipped(run, path)
            if skipped is None:
                todo.append(i)
            else:
                results[i] = skipped
    workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    sizes = [_size(inputs[i]) for i in todo]
    groups = [[todo[j] for j in r] for r in batches(sizes, batch_target(sum(sizes), workers))]
    crashes: Counter[int] = Counter()
    tasks: dict[Any, _Task] = {}

    def submit(indices: list[int]) -> Any:
        future = client.submit(run_batch, task_run, [inputs[i] for i in indices], not shared, pure=False,
                               key=f"datong-batch-{indices[0]}-{len(indices)}-{secrets.token_hex(4)}")
        tasks[future] = _Task(indices)
        return future

    pending = as_completed([submit(g) for g in groups])
    next_report = 0
    try:
        for future in pending:
            task = tasks.pop(future)
            try:
                batch = future.result()
            except KilledWorker:
                for i in task.indices:
                    crashes[i] += 1
                    if crashes[i] > CRASHES_ALLOWED:
                        doc_id = _doc_id(run, inputs[i])
                        results[i] = DocResult(doc_id, "failed", f"{inputs[i]}: a dask worker died processing "
                                                                 f"it {crashes[i]} times; not retried")
                    else:
                        pending.add(submit([i]))  # alone, so a document that kills its worker is found
                future.release()
            except Exception as exc:  # not a document's failure (process_document reports those): the task's
                future.release()
                for i in task.indices:
                    results[i] = DocResult(_doc_id(run, inputs[i]), "failed",
                                           f"{inputs[i]}: dask task failed: {type(exc).__name__}: {exc}")
            else:
                future.release()
                for i, (result, text) in zip(task.indices, batch, strict=True):
                    results[i] = result if text is None else _write(run, result, text)
            while next_report in results:
                if report(results.pop(next_report)):
                    return
                next_report += 1
        while next_report in results:  # documents the client skipped after the last batch
            if report(results.pop(next_report)):
                return
            next_report += 1
    finally:
        client.cancel(list(tasks), force=True)
    if shared:
        remove_temp_files(run.outdir)  # what a worker killed mid-write left


def _write(run: CorpusRun, result: DocResult, text: str) -> DocResult:
    """The client writes a document's JSON as a worker would: atomically, a failure reported."""
    out = run.outdir / f"{result.doc_id}.json"
    try:
        write_atomic(out, text)
    except OSError as exc:
        return DocResult(result.doc_id, "failed", f"{out}: cannot be written ({exc.strerror or exc})")
    return result


def _skipped(run: CorpusRun, path: Path) -> DocResult | None:
    """The client's --resume check for a document whose output only the client sees."""
    try:
        text, _encoding = read_text(path)
    except DatongError:
        return None  # the worker reports it
    doc_id = _doc_id(run, path)
    if _up_to_date(run.outdir / f"{doc_id}.json", path, text, rules_sha256(run.rules_dir)):
        return DocResult(doc_id, "skipped", "up to date")
    return None


def _doc_id(run: CorpusRun, path: Path) -> str:
    from .decode import doc_id_for

    return doc_id_for(path, run.corpus)[0]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except (OSError, ValueError):
        return MIN_BATCH_BYTES  # unreadable: the worker reports it
