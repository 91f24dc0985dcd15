"""Where the wall time of `extract --jobs N` goes: the serial start, the warm-up before the fork,
each worker's busy time and how far apart the workers finish.

    python bench/jobs_timeline.py                  # the 1.5 MB corpus of bench/throughput.py, --jobs 2, 3 rounds
    python bench/jobs_timeline.py --mb 10 --jobs 2 --rounds 5

Each round runs `extract` in a fresh process whose `corpus.process_batch` and `corpus.warm_up` are
wrapped to log wall-clock times (the same code otherwise; the load cache and bytecode as in
bench/throughput.py).  Times are seconds since just before the process was started, so the
interpreter's own start is in "first batch".  It shows whether a `--jobs 2` shortfall is the serial
start (one core idle) or the end (one worker idle while the other finishes).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import MB, build_corpus, isolate  # the same corpus and settings

WRAPPER = """import os, sys, time
log = open(sys.argv[1], "a", buffering=1)
import datong_nlp.corpus as corpus
batch, warm = corpus.process_batch, corpus.warm_up
def process_batch(run, items):
    started = time.time()
    result = batch(run, items)
    log.write(f"batch {os.getpid()} {started} {time.time()}\\n")
    return result
def warm_up(*args, **kwargs):
    started = time.time()
    warm(*args, **kwargs)
    log.write(f"warm {os.getpid()} {started} {time.time()}\\n")
corpus.process_batch, corpus.warm_up = process_batch, warm_up
from datong_nlp.cli import main  # after the wrapping: cli takes warm_up from corpus when imported
sys.exit(main(sys.argv[2:]))
"""


def one_round(corpus: Path, outdir: Path, log: Path, jobs: int) -> dict[str, float]:
    """The timeline of one `extract --jobs N` process over `corpus`, in seconds from its start."""
    log.unlink(missing_ok=True)
    t0 = time.time()
    done = subprocess.run([sys.executable, "-c", WRAPPER, str(log), "extract", str(corpus), "-o", str(outdir),
                           "--jobs", str(jobs), "-q"], capture_output=True, text=True)
    wall = time.time() - t0
    if done.returncode:
        raise SystemExit(f"extract --jobs {jobs} failed: {done.stderr}")
    warm: list[tuple[float, float]] = []
    workers: dict[str, list[tuple[float, float]]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        kind, pid, start, end = line.split()
        span = (float(start) - t0, float(end) - t0)
        if kind == "warm":
            warm.append(span)
        else:
            workers.setdefault(pid, []).append(span)
    if len(workers) < 2:
        raise SystemExit(f"--jobs {jobs}: {len(workers)} worker process(es) took a batch; the corpus is too small")
    ends = [max(e for _, e in spans) for spans in workers.values()]
    busy = [sum(e - s for s, e in spans) for spans in workers.values()]
    return {"wall": wall,
            "warm-up starts (load done)": warm[-1][0] if warm else float("nan"),
            "warm-up": warm[-1][1] - warm[-1][0] if warm else float("nan"),
            "first batch": min(s for spans in workers.values() for s, _ in spans),
            "busy, least busy worker": min(busy),
            "busy, most busy worker": max(busy),
            "last end - first end": max(ends) - min(ends),
            "after the last end": wall - max(ends)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mb", type=float, default=1.5, help="corpus size in MB (default 1.5)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--rounds", type=int, default=3, help="rounds, at least 3 (default 3)")
    args = p.parse_args()
    if args.jobs < 2:
        p.error("--jobs: at least 2 (--jobs 1 has no worker processes to time)")
    with tempfile.TemporaryDirectory(prefix="datong-timeline.") as tmp:
        work = Path(tmp)
        isolate(work)
        paths = build_corpus(work / "corpus", args.mb)
        size = sum(q.stat().st_size for q in paths) / MB
        one_round(work / "corpus", work / "fill", work / "log", args.jobs)  # untimed: fills the caches
        rounds = [one_round(work / "corpus", work / f"out-{i}", work / "log", args.jobs)
                  for i in range(max(3, args.rounds))]
        print(f"extract --jobs {args.jobs} over {size:.2f} MB ({len(paths)} files), s from the process's start,"
              f" min / median of {len(rounds)} rounds")
        for key in rounds[0]:
            values = [r[key] for r in rounds]
            print(f"  {key:<30} {min(values):7.3f} / {statistics.median(values):7.3f}")


if __name__ == "__main__":
    main()
