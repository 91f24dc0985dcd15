"""Dask benchmark: `extract --dask local` against `extract --jobs 2`, and a 20,000-document simulation.

    python bench/dask_bench.py [--mb 10] [--rounds 3] [--docs 20000] [--workers 2]

1. Builds a corpus of about --mb MB from the paragraphs of corpus/ (bench/throughput.py's
   builder) and runs `extract --jobs 2` and `extract --dask local --jobs 2` over it in fresh
   processes, alternating, --rounds times: min and median wall time of each, their ratio
   (throughput of --dask local relative to --jobs 2; 1.0 = no cost) and peak RSS.
2. Simulation on one LocalCluster of --workers processes, started once:
   a. scheduler overhead per task: --docs no-op tasks submitted at once, wall time per task,
      and the memory this process (client and scheduler) holds per pending task;
   b. --docs small documents (one to three lines each) through the real `run_on_dask`, workers
      writing: documents per second per worker; then the same with the client writing
      (results transferred back): the JSON bytes that come back per document.
   Each worker's extractor load time is read from the workers.
The machine may be shared: figures are noisy, hence min and median.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import MB, ROOT, build_corpus, extract_cmd, run


def _noop(i: int) -> int:
    return i


def compare(corpus: Path, work: Path, rounds: int, workers: int) -> None:
    """Alternating fresh-process runs of --jobs N and --dask local --jobs N."""
    size = sum(p.stat().st_size for p in corpus.rglob("*.txt")) / MB
    walls: dict[str, list[float]] = {"jobs": [], "dask": []}
    rss: dict[str, int] = {"jobs": 0, "dask": 0}
    for i in range(rounds):
        for mode in ("jobs", "dask"):
            cmd = extract_cmd(corpus, work / f"{mode}-{i}", workers, "-q")
            if mode == "dask":
                cmd += ["--dask", "local"]
            wall, peak, _first, _cpu = run(cmd)
            walls[mode].append(wall)
            rss[mode] = max(rss[mode], peak)
    print(f"extract over {size:.2f} MB, {rounds} alternating rounds   min s  median s   MB/s(min)  peak RSS MB")
    for mode, label in (("jobs", f"--jobs {workers}"), ("dask", f"--dask local --jobs {workers}")):
        lo, mid = min(walls[mode]), statistics.median(walls[mode])
        print(f"  {label:<38} {lo:7.2f} {mid:9.2f} {size / lo:11.3f} {rss[mode]:12d}")
    print(f"  ratio --dask local / --jobs {workers} (throughput)  min {min(walls['jobs']) / min(walls['dask']):.2f}, "
          f"median {statistics.median(walls['jobs']) / statistics.median(walls['dask']):.2f}")


def small_corpus(folder: Path, n: int, seed: int = 20) -> int:
    """`n` small documents of one to three paragraphs of corpus/; returns their bytes."""
    paragraphs = [p for f in sorted((ROOT / "corpus").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(seed)
    total = 0
    for i in range(n):
        path = folder / f"{i // 1000:03d}" / f"d{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n".join(rng.choice(paragraphs) for _ in range(rng.randint(1, 3))) + "\n").encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def simulate(work: Path, docs: int, workers: int) -> None:
    """Scheduler overhead per task and small documents per second per worker, on one LocalCluster."""
    import logging

    import psutil  # type: ignore[import-untyped]  # no stubs installed
    from distributed import Client, LocalCluster

    from datong_nlp import distributed as dd
    from datong_nlp.corpus import CorpusRun, DocResult
    from datong_nlp.decode import find_inputs

    corpus = work / "small"
    total = small_corpus(corpus, docs)
    inputs = list(find_inputs(corpus))
    print(f"simulation: {docs:,} documents, {total / docs:.0f} bytes each on average, "
          f"LocalCluster of {workers} processes")
    with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        me = psutil.Process()
        client.submit(_noop, -1).result()
        before = me.memory_info().rss
        started = time.perf_counter()
        futures = client.map(_noop, range(docs), pure=False)
        held = me.memory_info().rss - before
        client.gather(futures)
        per_task = (time.perf_counter() - started) / docs
        del futures
        print(f"  no-op tasks, {docs:,} at once: {1000 * per_task:.3f} ms per task (scheduler + client round trip), "
              f"{held / docs / 1024:.1f} KB per pending task in client+scheduler")

        for shared in (True, False):
            out = work / ("small-out-workers" if shared else "small-out-client")
            out.mkdir()
            run = CorpusRun(corpus, out, None, None, False)
            results: list[DocResult] = []

            def report(result: DocResult, keep: Callable[[DocResult], None] = results.append) -> bool:
                keep(result)
                return False  # go on
            visible = dd.outdir_visible
            if not shared:
                def nowhere(client: object, outdir: Path, first_input: Path | None, rules_dir: Path | None) -> bool:
                    return False  # the workers do not see the folder: results come back to the client

                dd.outdir_visible = nowhere
            try:
                with Client(cluster) as c2:  # run_on_dask closes its client
                    started = time.perf_counter()
                    dd.run_on_dask(run, inputs, "local", workers, report, client=c2)
                    wall = time.perf_counter() - started
            finally:
                dd.outdir_visible = visible
            ok = sum(r.status == "ok" for r in results)
            out_bytes = sum(p.stat().st_size for p in out.rglob("*.json"))
            how = "workers write" if shared else "client writes (JSON comes back)"
            print(f"  pipeline, {how}: {wall:.2f} s, {ok:,} ok, {docs / wall:,.0f} docs/s, "
                  f"{docs / wall / workers:,.0f} docs/s per worker, {total / wall / MB:.2f} MB/s; "
                  f"JSON {out_bytes / docs:,.0f} bytes per document ({out_bytes / total:.1f}x the input)")
        stats = client.run(dd.worker_stats)
        loads = [s.get("extractor_load_ms", 0) / 1000 for s in stats.values()]
        mem = client.run(lambda: psutil.Process().memory_info().rss)
        print(f"  per worker: extractor loaded {[s.get('extractor_loads', 0) for s in stats.values()]} times in "
              f"{[s.get('plugin_setups', 0) for s in stats.values()]} plugin setups (one per run), "
              f"load {min(loads):.2f}-{max(loads):.2f} s, "
              f"RSS {min(mem.values()) // MB}-{max(mem.values()) // MB} MB, batches "
              f"{[s.get('batches', 0) for s in stats.values()]}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mb", type=float, default=10.0, help="corpus size in MB for the comparison (default 10; 0: skip it)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    p.add_argument("--docs", type=int, default=20_000, help="documents in the simulation (default 20,000; 0: skip it)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    args = p.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="datong-dask-bench.") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        if args.mb > 0:
            build_corpus(corpus, args.mb)
            compare(corpus, work, args.rounds, args.workers)
        if args.docs > 0:
            simulate(work, args.docs, args.workers)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
