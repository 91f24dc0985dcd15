"""Throughput benchmark: the pipeline against jieba alone on the same (simplified) text, in one
process and in whole processes.

    python bench/throughput.py                 # 1.5 MB and 10 MB corpora, 3 rounds
    python bench/throughput.py --quick         # a 0.3 MB corpus only, for development
    python bench/throughput.py --mb 1.5 --large-mb 10 --rounds 5

Corpora are built from the paragraphs of corpus/*.txt and, when present, ../shared/dev/*.txt
(many files of 1-20 KB, like interviews and press releases, and two of 5 % of the total
each), in a temporary folder.  Every figure is measured in at least three alternating rounds
and printed as min / median; the machine may be shared, so the spread matters.

1. In one process: jieba alone (its accurate mode, the rules' words added, as the `jieba`
   backend has them) over the *simplified* text the pipeline segments, the rjieba backend
   alone on the same text, and the whole pipeline (read, decode, normalise, extract, JSON
   text; no file written) over the files.
2. Whole processes: `extract --jobs 1` against a script that reads each file, converts it
   with OpenCC and runs `jieba.lcut`; `extract --jobs 2` against `--jobs 1`; on each corpus.
   Beside them, what two processes gain on this machine: two jieba scripts at once, each over
   a half of the files, against one script over all of them.
3. Cold start (`extract` on one small file; with the load cache filled, and with it off),
   time to the first document's progress line, peak RSS of the largest process, `extract
   --resume` with nothing to do.
4. A stage breakdown of one process, in CPU seconds: imports and extractor load (fresh
   processes; the rules from YAML and from the load cache), then normalise, layout,
   segmentation, quantities, claims, entities, JSON.

Every process of the run uses the run's own load cache (`DATONG_NLP_CACHE` in the temporary
folder), filled by an untimed `extract` on one sentence before anything is timed: the figures
depend neither on the user's cache nor on which round happened to fill it.  Python's bytecode
is cached as after a normal install (`pip install` compiles every module, jieba's too): a
`PYTHONDONTWRITEBYTECODE` of the shell is dropped and the run's processes write their bytecode
under its temporary folder (`PYTHONPYCACHEPREFIX`), also filled by that untimed `extract`.
Without it every process would compile the package's 70 modules again (0.05 s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_DEV = ROOT.parent / "shared" / "dev"
MB = 1024 * 1024
CACHE_ENV = "DATONG_NLP_CACHE"  # loadcache.CACHE_ENV
JIEBA_SCRIPT = """import sys, pathlib, jieba, opencc
jieba.setLogLevel(60)
cc = opencc.OpenCC("t2s")
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")):
    jieba.lcut(cc.convert(p.read_bytes().decode("utf-8")))
"""
LOAD_SCRIPT = """import json, sys, time
t0 = time.process_time()
from datong_nlp.loadcache import load_rules_cached
from datong_nlp.normalize import Normaliser
from datong_nlp.pipeline import Extractor
from datong_nlp.rules import load_rules
from datong_nlp.segment import Segmenter
t1 = time.process_time(); n = Normaliser()
t2 = time.process_time(); r = load_rules(None, n)
t3 = time.process_time(); load_rules_cached(None, n)
t4 = time.process_time(); Segmenter(r.user_words(), sys.argv[1])
t5 = time.process_time(); Extractor(segmenter=sys.argv[1])
t6 = time.process_time()
print(json.dumps({"imports": t1 - t0, "OpenCC": t2 - t1, "rules (YAML)": t3 - t2, "rules (load cache)": t4 - t3,
                  "segmenter (dictionary from the cache)": t5 - t4, "whole extractor, again (warm caches)": t6 - t5}))
"""

# what `--jobs N` does before it forks, beyond `--jobs 1`'s load, when some input is long: numpy and
# the long-text code-point tables, made once for all workers (`corpus.warm_up`); serial too
WARM_SCRIPT = """import time
from datong_nlp.corpus import extractor, warm_up
extractor(None)
warm_up(None)
t = time.perf_counter()
warm_up(None, long_texts=True)
print(time.perf_counter() - t)
"""


def source_texts() -> list[Path]:
    """The texts the corpora are built from, each once: a corpus with no repeated paragraph."""
    return sorted((ROOT / "corpus").glob("*.txt")) + (sorted(SHARED_DEV.glob("*.txt")) if SHARED_DEV.is_dir() else [])


def build_corpus(folder: Path, total_mb: float, seed: int = 7) -> list[Path]:
    """Write about `total_mb` MB of UTF-8 text files built from the paragraphs of the sample texts."""
    sources = source_texts()
    paragraphs = [p for f in sources for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(seed)
    target = int(total_mb * MB)
    sizes = [int(0.05 * target)] * 2  # two large files
    while sum(sizes) < target:
        sizes.append(rng.randint(1024, 20 * 1024))
    folder.mkdir(parents=True, exist_ok=True)
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


def isolate(work: Path) -> None:
    """The run's own load cache and bytecode, under `work`, for every process it starts: the cache
    filled by the run's first `extract`, the bytecode as after an install (see the module's docstring)."""
    os.environ[CACHE_ENV] = str(work / "load-cache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")


def spread(values: list[float]) -> str:
    """'min / median' of a list of figures."""
    return f"{min(values):8.3f} / {statistics.median(values):8.3f}"


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def fresh_extractor() -> Any:
    """A newly built extractor (from the load cache): a round does not replay what an earlier round
    left in the extractor's caches of phrases, times and names.  Then the collector is set as
    `extract` sets it after its load (`settle_gc`), for jieba's rounds too."""
    from datong_nlp.corpus import settle_gc
    from datong_nlp.pipeline import Extractor

    ex = Extractor(None)
    settle_gc()
    return ex


def in_process(paths: list[Path], rounds: int) -> dict[str, list[float]]:
    """Seconds per round: jieba alone and rjieba alone on the simplified texts, and the pipeline on the
    files, each round with a new extractor; also the pipeline and jieba on the source texts, each once
    (the built corpora repeat paragraphs, which the extractor's caches of phrases and times profit from)."""
    from datong_nlp.decode import read_text
    from datong_nlp.output import iter_json
    from datong_nlp.segment import Segmenter

    ex = fresh_extractor()
    slow, fast = Segmenter(ex.rules.user_words(), "jieba"), ex.segmenter
    simplified = [ex.normalise(read_text(p)[0]).text for p in paths]
    sources = source_texts()
    simplified_sources = [ex.normalise(read_text(p)[0]).text for p in sources]

    def pipeline(ex: Any, files: list[Path]) -> None:
        for path in files:
            text, encoding = read_text(path)
            for _piece in iter_json(ex.extract_parts(text, encoding), path.stem, path.name):
                pass  # the JSON text as extract writes it, without the file

    times: dict[str, list[float]] = {k: [] for k in ("jieba", "rjieba", "pipeline", "jieba, sources", "pipeline, sources")}
    for _ in range(rounds):  # alternating: a shared machine drifts
        times["jieba"].append(timed(lambda: [slow.cut(t) for t in simplified]))
        times["rjieba"].append(timed(lambda: [fast.cut(t) for t in simplified]))
        new = fresh_extractor()
        times["pipeline"].append(timed(lambda: pipeline(new, paths)))  # noqa: B023 (called at once)
        times["jieba, sources"].append(timed(lambda: [slow.cut(t) for t in simplified_sources]))
        new = fresh_extractor()
        times["pipeline, sources"].append(timed(lambda: pipeline(new, sources)))  # noqa: B023
    return times


def stage_breakdown(paths: list[Path], rounds: int) -> list[defaultdict[str, float]]:
    """CPU seconds per stage of each of `rounds` passes of the pipeline over `paths`, each with a new extractor."""
    from datong_nlp import pipeline as pipeline_module
    from datong_nlp.decode import read_text
    from datong_nlp.output import iter_json

    rounds_cpu: list[defaultdict[str, float]] = []

    def wrap(owner: object, name: str, label: str) -> None:
        fn = getattr(owner, name, None)
        if fn is None:  # a stage renamed elsewhere: left out of the table
            return

        def timer(*args: object, **kwargs: object) -> object:
            started = time.process_time()
            try:
                result = fn(*args, **kwargs)
                return list(result) if isinstance(result, types.GeneratorType) else result
            finally:
                rounds_cpu[-1][label] += time.process_time() - started

        setattr(owner, name, timer)

    wrap(pipeline_module, "build_layout", "layout")
    wrap(pipeline_module, "find_times", "times")
    for _ in range(rounds):
        ex = fresh_extractor()
        for owner, name, label in [(ex.normaliser, "normalise", "normalise"), (ex.normaliser, "script", "normalise"),
                                   (ex.normaliser, "simplify", "normalise"), (ex.segmenter, "words", "segmentation"),
                                   (ex.quantities, "find", "quantities"), (ex.claims, "judge", "claims"),
                                   (ex.entities, "find", "entities")]:
            wrap(owner, name, label)
        rounds_cpu.append(defaultdict(float))
        cpu = rounds_cpu[-1]
        for path in paths:
            started = time.process_time()
            text, encoding = read_text(path)
            cpu["read + decode"] += time.process_time() - started
            started = time.process_time()
            parts = list(ex.extract_parts(text, encoding))
            cpu["extract (all stages above)"] += time.process_time() - started
            started = time.process_time()
            for _piece in iter_json(parts, path.stem, path.name):
                pass
            cpu["JSON"] += time.process_time() - started
    return rounds_cpu


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float | None, float]:
    """(wall seconds, peak RSS MB of the largest process, seconds to the first stderr line that
    reports a document, CPU seconds of all its processes) of a command in a fresh process."""
    probe = ("import json, resource, subprocess, sys, time; t = time.perf_counter(); first = None\n"
             "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
             "lines = []\n"
             "for line in p.stderr:\n"
             "    lines.append(line)\n"
             "    if first is None and line.startswith('ok: '): first = time.perf_counter() - t\n"
             "code = p.wait(); w = time.perf_counter() - t\n"
             "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "sys.exit(''.join(lines[-5:])) if code else print(json.dumps([w, r.ru_maxrss, first, "
             "r.ru_utime + r.ru_stime]))")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    if out.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {out.stderr}")
    wall, rss_kb, first, cpu = json.loads(out.stdout)
    return wall, rss_kb // 1024, first, cpu


def extract_cmd(corpus: Path, outdir: Path, jobs: int, *extra: str) -> list[str]:
    """The installed `extract` command (as a researcher runs it) for `corpus`."""
    script = Path(sys.executable).parent / "extract"
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from datong_nlp.cli import run_extract; run_extract()"]
    return [*base, str(corpus), "-o", str(outdir), "--jobs", str(jobs), *extra]


def whole_processes(corpus: Path, work: Path, rounds: int, mb: float, start: float, warm: float) -> list[float]:
    """extract --jobs 1 / --jobs 2 / the jieba script over `corpus`, alternating; returns the
    seconds to the first document's progress line of each --jobs 1 run.  `start`: the cold start
    (seconds of `extract` on one small file) and `warm`: the long-text warm-up `--jobs 2` adds
    before it forks, for the best speed-up they leave `--jobs 2`."""
    work.mkdir(parents=True, exist_ok=True)
    script = work / "jieba_alone.py"
    script.write_text(JIEBA_SCRIPT, encoding="utf-8")
    # the machine's own two-process speed-up, for --jobs 2 to be read against: two jieba scripts at
    # once, each over a half of the files (equal bytes, largest first to the lighter half)
    halves = [work / "half-a", work / "half-b"]
    load = [0, 0]
    for path in sorted(corpus.rglob("*.txt"), key=lambda q: -q.stat().st_size):
        side = load.index(min(load))
        halves[side].mkdir(exist_ok=True)
        (halves[side] / path.name).symlink_to(path)
        load[side] += path.stat().st_size
    pair = ["/bin/sh", "-c", '"$0" "$1" "$2" & "$0" "$1" "$3"; wait', sys.executable, str(script), *map(str, halves)]
    walls: dict[str, list[float]] = {"jieba script": [], "--jobs 1": [], "--jobs 2": [], "2 jieba scripts, halves": []}
    cpus: dict[str, list[float]] = {label: [] for label in walls}
    rss: dict[str, int] = Counter()
    first: list[float] = []
    for i in range(rounds):
        for label, cmd in (("jieba script", [sys.executable, str(script), str(corpus)]),
                           ("--jobs 1", extract_cmd(corpus, work / f"o1-{i}", 1)),  # progress lines: first doc
                           ("--jobs 2", extract_cmd(corpus, work / f"o2-{i}", 2, "-q")),
                           ("2 jieba scripts, halves", pair)):
            wall, peak, first_doc, cpu = run(cmd)
            if first_doc is not None:
                first.append(first_doc)
            walls[label].append(wall)
            cpus[label].append(cpu)
            rss[label] = max(rss[label], peak)
    print(f"whole processes over {mb:.2f} MB   wall s min / median     MB/s (median)  peak RSS MB   "
          "CPU s (all processes) min / median")
    for label, values in walls.items():
        print(f"  {label:<26} {spread(values)}   {mb / statistics.median(values):8.3f}   {rss[label]:8d}   "
              f"{spread(cpus[label])}")
    ratio = [j / e for j, e in zip(walls["jieba script"], walls["--jobs 1"], strict=True)]
    speedup = [a / b for a, b in zip(walls["--jobs 1"], walls["--jobs 2"], strict=True)]
    print(f"  extract --jobs 1 vs jieba script (x)  {spread(ratio)}   (target >= 1.0)")
    print(f"  speed-up --jobs 2 / --jobs 1    {spread(speedup)}   (target >= 1.8)")
    pair_up = [a / b for a, b in zip(walls["jieba script"], walls["2 jieba scripts, halves"], strict=True)]
    print(f"  the machine's, for jieba: one script / two on halves at once  {spread(pair_up)}")
    # the start (load, one small document, exit) is serial, and so is the long-text warm-up of --jobs 2
    # (which --jobs 1 pays within its work); the rest at best halves: (S + W) / (S + L + (W - L) / 2)
    work_s = statistics.median(walls["--jobs 1"]) - start
    print(f"  best speed-up the start leaves  {(start + work_s) / (start + work_s / 2):8.3f}   "
          f"(start {start:.2f} s serial, the other {work_s:.2f} s of --jobs 1 on two cores)")
    print(f"  ... and the long-text warm-up   {(start + work_s) / (start + warm + (work_s - warm) / 2):8.3f}   "
          f"(and {warm:.2f} s of numpy and code-point tables before --jobs 2 forks)")
    return first


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mb", type=float, default=1.5, help="main corpus size in MB (default 1.5)")
    p.add_argument("--large-mb", type=float, default=10.0, help="second corpus size in MB (default 10; 0: none)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds, at least 3 (default 3)")
    p.add_argument("--quick", action="store_true", help="a 0.3 MB corpus only, no second corpus")
    args = p.parse_args()
    rounds = max(3, args.rounds)
    if args.quick:
        args.mb, args.large_mb = 0.3, 0.0

    with tempfile.TemporaryDirectory(prefix="datong-bench.") as tmp:
        work = Path(tmp)
        isolate(work)
        corpus = work / "corpus"
        paths = build_corpus(corpus, args.mb)
        size = sum(p.stat().st_size for p in paths) / MB
        fill = work / "fill"  # the load cache's entries (rules, dictionary, words, names' pinyin), untimed
        fill.mkdir()
        (fill / "one.txt").write_text("大同市市长王明介绍，今年全市煤炭产量达到1.6亿吨，同比增长3.5%。", encoding="utf-8")
        run(extract_cmd(fill, work / "fill-out", 1, "-q"))
        run([sys.executable, "-c", JIEBA_SCRIPT, str(fill)])  # jieba's and OpenCC's bytecode too
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {platform.system()}; figures: min / median of {rounds} rounds")
        print(f"corpus: {len(paths)} files, {size:.2f} MB (paragraphs of corpus/"
              f"{' and ../shared/dev' if SHARED_DEV.is_dir() else ''})")
        print()

        t = in_process(paths, rounds)
        print("in one process                           s min / median      MB/s (median)")
        for label, key in (("jieba alone, simplified text", "jieba"), ("rjieba backend alone, same", "rjieba"),
                           ("full pipeline (read..JSON text)", "pipeline")):
            print(f"  {label:<34} {spread(t[key])}   {size / statistics.median(t[key]):8.3f}")
        ratio = [j / q for j, q in zip(t["jieba"], t["pipeline"], strict=True)]
        print(f"  pipeline speed / jieba alone       {spread(ratio)}")
        print(f"  pipeline MB/s per core             {spread([size / x for x in t['pipeline']])}   (target >= 0.8)")
        sources = source_texts()
        src_size = sum(p.stat().st_size for p in sources) / MB
        print(f"  the {len(sources)} source texts, each once ({src_size:.2f} MB, no repeated paragraph):")
        for label, key in (("jieba alone, simplified text", "jieba, sources"), ("full pipeline", "pipeline, sources")):
            print(f"  {label:<34} {spread(t[key])}   {src_size / statistics.median(t[key]):8.3f}")
        ratio = [j / q for j, q in zip(t["jieba, sources"], t["pipeline, sources"], strict=True)]
        print(f"  pipeline speed / jieba alone       {spread(ratio)}")
        print()

        small = work / "small"
        small.mkdir()
        (small / "one.txt").write_text(paths[-1].read_text(encoding="utf-8")[:2000], encoding="utf-8")
        cold, cold_off = [], []
        for i in range(rounds):
            cold.append(run(extract_cmd(small, work / f"cold-{i}", 1, "-q"))[0])
            cold_off.append(run(extract_cmd(small, work / f"cold-off-{i}", 1, "-q"), {CACHE_ENV: "off"})[0])

        warm = [float(subprocess.run([sys.executable, "-c", WARM_SCRIPT], capture_output=True, text=True,
                                     check=True).stdout) for _ in range(rounds)]
        first = whole_processes(corpus, work, rounds, size, statistics.median(cold), statistics.median(warm))
        if args.large_mb:
            large = work / "large"
            large_paths = build_corpus(large, args.large_mb, seed=11)
            whole_processes(large, work / "L", rounds, sum(p.stat().st_size for p in large_paths) / MB,
                            statistics.median(cold), statistics.median(warm))
        print()
        run(extract_cmd(corpus, work / "resume", 2, "-q"))
        resume = [run(extract_cmd(corpus, work / "resume", 2, "-q", "--resume"))[0] for _ in range(rounds)]
        print("start-up                                    s min / median")
        print(f"  cold start: extract on one small file  {spread(cold)}   (target <= 0.8)")
        print(f"  the same, load cache off               {spread(cold_off)}")
        print(f"  long-text warm-up before --jobs 2 forks {spread(warm)}   (numpy, code-point tables)")
        print(f"  time to the first document (--jobs 1)  {spread(first)}   (the first file is one of the two large ones)")
        print(f"  --resume with nothing to do            {spread(resume)}   (target <= 0.5)")
        print()

        loads = [json.loads(subprocess.run([sys.executable, "-c", LOAD_SCRIPT, backend], capture_output=True,
                                           text=True, check=True).stdout) for _ in range(rounds)
                 for backend in ("rjieba", "jieba")]
        print("load, fresh processes (CPU s)               rjieba min / median      jieba min / median")
        for key in loads[0]:
            fast = [d[key] for d in loads[0::2]]
            slow = [d[key] for d in loads[1::2]]
            print(f"  {key:<40} {spread(fast)}   {spread(slow)}")
        stages = stage_breakdown(paths, rounds)
        print(f"stages of one process over {size:.2f} MB (CPU s)     min / median")
        for key in sorted(stages[0], key=lambda k: -stages[0][k]):
            print(f"  {key:<40} {spread([s[key] for s in stages])}")


if __name__ == "__main__":
    main()
