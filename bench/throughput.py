"""Throughput benchmark: the full pipeline against jieba alone, in the same run.

    python bench/throughput.py [--mb 5] [--large-mb 20] [--rounds 3]

1. Builds a corpus of about --mb MB from the paragraphs of the texts in corpus/
   (many files of 1-20 KB, like interviews and press releases, and two large
   files of 5 % of the total each), in a temporary folder.
2. In this process, round by round and alternating: jieba's accurate mode alone
   over every text of the corpus, then the whole pipeline (read and decode,
   extract, JSON text; no file written) over the same texts.  The best round of each is kept; their ratio is the
   pipeline's per-core speed relative to the segmenter.
3. In fresh processes: `extract --jobs 1` and `extract --jobs 2` over the corpus
   (wall time, best of --rounds, alternating; speed-up), `extract` on one small
   file (cold start, best of 3), and, with
   --large-mb, `extract` on a single file of that size (bounded memory).  Peak
   RSS is that of the largest single process (the main one or a worker).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def build_corpus(folder: Path, total_mb: float, seed: int = 7) -> list[Path]:
    """Write about `total_mb` MB of UTF-8 text files built from the paragraphs of corpus/*.txt."""
    paragraphs = [p for f in sorted((ROOT / "corpus").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(seed)
    target = int(total_mb * MB)
    sizes = [int(0.05 * target)] * 2  # two large files
    while sum(sizes) < target:
        sizes.append(rng.randint(1024, 20 * 1024))
    paths = []
    for i, size in enumerate(sizes):
        lines, written = [], 0
        while written < size:
            line = rng.choice(paragraphs)
            lines.append(line)
            written += len(line.encode("utf-8")) + 1
        path = folder / f"doc{i:05d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def in_process(paths: list[Path], rounds: int) -> dict[str, float]:
    """Best-of-`rounds` seconds for jieba alone and for the pipeline over the same texts."""
    from datong_nlp.corpus import extractor
    from datong_nlp.decode import read_text
    from datong_nlp.output import iter_json

    started = time.perf_counter()
    ex = extractor(None)
    load = time.perf_counter() - started
    tokenizer = ex.segmenter.jieba  # the same dictionary and user words as the pipeline
    texts = [read_text(p)[0] for p in paths]
    best_jieba = best_pipeline = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            for _word in tokenizer.cut(text):
                pass
        best_jieba = min(best_jieba, time.perf_counter() - started)
        started = time.perf_counter()
        for path in paths:
            text, encoding = read_text(path)
            for _piece in iter_json(ex.extract_parts(text, encoding), path.stem, path.name):
                pass  # the JSON text as extract writes it, without the file
        best_pipeline = min(best_pipeline, time.perf_counter() - started)
    chars = sum(len(t) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts)
    return {"chars": chars, "bytes": size, "load": load, "jieba": best_jieba, "pipeline": best_pipeline}


def timed_run(args: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB of the largest process) of a command run in a fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
             "w = time.perf_counter() - t; "
             "sys.exit(r.stderr.decode()) if r.returncode else "
             "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    wall, rss_kb = out.stdout.split()
    return float(wall), int(rss_kb) // 1024


def extract_cmd(corpus: Path, outdir: Path, jobs: int) -> list[str]:
    """The installed `extract` command (as a researcher runs it) for `corpus`."""
    script = Path(sys.executable).parent / "extract"
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from datong_nlp.cli import run_extract; run_extract()"]
    return [*base, str(corpus), "-o", str(outdir), "-q", "--jobs", str(jobs)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    p.add_argument("--large-mb", type=float, default=0.0, help="also time one single file of this size (e.g. 20)")
    p.add_argument("--rounds", type=int, default=3, help="in-process rounds, best kept (default 3)")
    args = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="datong-bench.") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        paths = build_corpus(corpus, args.mb)
        r = in_process(paths, args.rounds)
        mb = r["bytes"] / MB
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {platform.system()}")
        print(f"corpus: {len(paths)} files, {mb:.2f} MB, {r['chars']:,} characters")
        print()
        print("in one process (best of rounds)          chars/s      MB/s")
        print(f"  jieba alone (accurate mode)      {r['chars'] / r['jieba']:>14,.0f}  {mb / r['jieba']:8.3f}")
        print(f"  full pipeline (read..JSON text)  {r['chars'] / r['pipeline']:>14,.0f}  {mb / r['pipeline']:8.3f}")
        print(f"  ratio pipeline / jieba alone     {r['jieba'] / r['pipeline']:14.2f}")
        print(f"  extractor load in this process   {r['load']:13.2f} s")
        print()
        wall1 = wall2 = float("inf")
        rss1 = rss2 = 0
        for i in range(args.rounds):  # alternating, best of rounds: a shared machine is noisy
            w, r1 = timed_run(extract_cmd(corpus, work / f"out1-{i}", 1))
            wall1, rss1 = min(wall1, w), max(rss1, r1)
            w, r2 = timed_run(extract_cmd(corpus, work / f"out2-{i}", 2))
            wall2, rss2 = min(wall2, w), max(rss2, r2)
        print("extract over the corpus (fresh processes, best  wall s      MB/s   peak RSS MB")
        print("  of rounds; start-up and fsync'd atomic writes included)")
        print(f"  --jobs 1                             {wall1:10.2f}  {mb / wall1:8.3f}  {rss1:10d}")
        print(f"  --jobs 2                             {wall2:10.2f}  {mb / wall2:8.3f}  {rss2:10d}")
        print(f"  speed-up --jobs 2 / --jobs 1         {wall1 / wall2:10.2f}")
        small = work / "small"
        small.mkdir()
        (small / "one.txt").write_text(paths[-1].read_text(encoding="utf-8")[:2000], encoding="utf-8")
        cold = min(timed_run(extract_cmd(small, work / "out3", 1))[0] for _ in range(3))
        print(f"cold start: extract on one small file  {cold:10.2f} s (best of 3)")
        if args.large_mb:
            large = work / "large"
            large.mkdir()
            build_corpus(large, args.large_mb)
            text = "".join(f.read_text(encoding="utf-8") for f in sorted(large.glob("*.txt")))
            for f in large.glob("*.txt"):
                f.unlink()
            (large / "large.txt").write_text(text, encoding="utf-8")
            size = (large / "large.txt").stat().st_size / MB
            wall, rss = timed_run(extract_cmd(large, work / "out4", 1))
            print(f"one {size:.1f} MB file, --jobs 1: {wall:.2f} s, {size / wall:.3f} MB/s, peak RSS {rss} MB")


if __name__ == "__main__":
    main()
