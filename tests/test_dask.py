"""`extract --dask`: byte-identical outputs on a LocalCluster, both write paths, faults, URL inputs.

The cluster tests are marked `slow` (each starts worker processes); the batching, the
missing extra and fsspec inputs run by default.  Every address is loopback.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from datong_nlp import distributed as dd
from datong_nlp.cli import extract_main
from datong_nlp.schema import validate_document

ROOT = Path(__file__).resolve().parent.parent
EXTRACT = [sys.executable, "-c", "from datong_nlp.cli import run_extract; run_extract()"]

# made-up sentences (not from any dev text), mixed with the paragraphs of corpus/
OWN_SENTENCES = [
    "今年一季度，该市新能源汽车产量达到3.2万辆，同比增长45%。",
    "公司计划到2027年将研发投入提高到营业收入的8%以上。",
    "這座港口去年的集裝箱吞吐量超過1200萬標準箱。",
    "项目总投资约15亿元，预计明年6月建成投产。",
    "全省森林覆盖率已提高到23.5%，比五年前增加2个百分点。",
    "該校今年招收新生三千二百人，其中研究生不少於八百人。",
    "新建的数据中心可容纳5万台服务器，年耗电量不超过4亿千瓦时。",
    "市民平均通勤时间缩短了12分钟。",
]


def _paragraphs() -> list[str]:
    return [p for f in sorted((ROOT / "corpus").glob("*.txt"))
            for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]


def make_corpus(folder: Path, n: int = 300, seed: int = 16, bad: bool = True) -> Path:
    """`n` documents of 1-12 lines (corpus/ paragraphs and own sentences) in three subfolders,
    some GB18030-encoded; with `bad`, one binary file that must be reported."""
    rng = random.Random(seed)
    pool = _paragraphs() + OWN_SENTENCES
    for i in range(n):
        lines = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
        path = folder / f"part{i % 3}" / f"doc{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(lines) + "\n"
        try:
            data = text.encode("gb18030") if i % 7 == 3 else text.encode("utf-8")
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        path.write_bytes(data)
    if bad:
        (folder / "part1" / "doc0150b.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    return folder


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _run(args: list[str], env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*EXTRACT, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def _lines(stderr: str) -> list[str]:
    """stderr without the elapsed time of the summary line."""
    return [re.sub(r", [0-9.]+ s$", "", line) for line in stderr.splitlines()]


# --- batching and inputs (fast) ---------------------------------------------------------------

def test_batches_are_sized_by_bytes() -> None:
    assert dd.batches([10, 10, 10, 10, 10], 25) == [range(0, 2), range(2, 4), range(4, 5)]
    assert dd.batches([100, 1, 1, 100], 50) == [range(0, 1), range(1, 3), range(3, 4)]  # a big one goes alone
    assert dd.batches([], 50) == []
    assert dd.batch_target(10, 2) == dd.MIN_BATCH_BYTES
    assert dd.batch_target(10**12, 2) == dd.MAX_BATCH_BYTES
    assert dd.batch_target(32 * 200_000, 2) == 200_000


def test_missing_dask_extra_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['distributed'] = None; "
            "from datong_nlp.cli import run_extract; run_extract()")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "corpus"), "-o", str(tmp_path / "out"),
                           "--dask", "local"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == ("error: --dask needs dask.distributed, which is not installed: "
                           "pip install 'datong-nlp[dask]'\n")
    assert not list((tmp_path / "out").glob("*.json"))


def test_memory_and_file_urls_give_the_local_outputs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    fsspec = pytest.importorskip("fsspec")
    corpus = make_corpus(tmp_path / "corpus", n=12)
    assert extract_main([str(corpus), "-o", str(tmp_path / "local"), "-j", "1", "-q"]) == 1
    fs = fsspec.filesystem("memory")
    for path in corpus.rglob("*.txt"):
        fs.pipe(f"/h16-corpus/{path.relative_to(corpus).as_posix()}", path.read_bytes())
    try:
        assert extract_main(["memory://h16-corpus", "-o", str(tmp_path / "mem"), "-j", "1", "-q"]) == 1
        assert extract_main(["memory://h16-corpus", "-o", str(tmp_path / "mem"), "-j", "1", "-q", "--resume"]) == 1
        err = capsys.readouterr().err
        assert err.count("extract: 13 documents (ok 12, failed 1, skipped 0)") == 2  # local folder, memory://
        local_error = next(line for line in err.splitlines() if line.startswith("error: /"))
        reason = local_error.split("doc0150b.txt: ", 1)[1]  # the same reason, named by its URL
        assert f"error: memory://h16-corpus/part1/doc0150b.txt: {reason}" in err
        assert "extract: 13 documents (ok 0, failed 1, skipped 12)" in err
    finally:
        fs.rm("/h16-corpus", recursive=True)
    assert extract_main([corpus.as_uri(), "-o", str(tmp_path / "file"), "-j", "1", "-q"]) == 1
    assert "extract: 13 documents (ok 12, failed 1, skipped 0)" in capsys.readouterr().err
    local = _tree(tmp_path / "local")
    assert len(local) == 12
    assert _tree(tmp_path / "mem") == local
    assert _tree(tmp_path / "file") == local


def test_url_corpus_not_found_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("fsspec")
    assert extract_main(["memory://h16-nothing-here", "-o", str(tmp_path / "out")]) == 2
    assert "memory://h16-nothing-here: corpus not found" in capsys.readouterr().err


@pytest.mark.slow
def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    proc = _run(["corpus", "-o", str(tmp_path / "out"), "--dask", "tcp://127.0.0.1:9"],
                env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --dask tcp://127.0.0.1:9: cannot reach the scheduler (")
    assert proc.stderr.count("\n") == 1
    assert not list((tmp_path / "out").glob("*.json"))


# --- on a LocalCluster (slow) -----------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A generated corpus of 300 documents (+1 bad) and its `--jobs 1` outputs and stderr."""
    tmp = tmp_path_factory.mktemp("dask")
    corpus = make_corpus(tmp / "corpus")
    proc = _run([str(corpus), "-o", str(tmp / "jobs1"), "--jobs", "1"])
    assert proc.returncode == 1, proc.stderr
    return corpus, tmp / "jobs1", proc.stderr


@pytest.mark.slow
def test_local_cluster_is_byte_identical_to_jobs_1(generated: tuple[Path, Path, str], tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus, jobs1, jobs1_err = generated
    proc = _run([str(corpus), "-o", str(tmp_path / "dask"), "--dask", "local", "--jobs", "2"])
    assert proc.returncode == 1, proc.stderr
    assert _lines(proc.stderr) == _lines(jobs1_err)  # same lines, same order, same summary
    assert "extract: 301 documents (ok 300, failed 1, skipped 0)" in proc.stderr
    assert _tree(tmp_path / "dask") == _tree(jobs1)
    # and over corpus/ itself, against the committed outputs' run
    proc = _run(["corpus", "-o", str(tmp_path / "c_dask"), "--dask", "local", "--jobs", "2", "-q"])
    assert proc.returncode == 0, proc.stderr
    assert _run(["corpus", "-o", str(tmp_path / "c_j1"), "--jobs", "1", "-q"]).returncode == 0
    assert _tree(tmp_path / "c_dask") == _tree(tmp_path / "c_j1")
    # --resume with the workers writing: everything current is skipped
    proc = _run([str(corpus), "-o", str(tmp_path / "dask"), "--dask", "local", "--jobs", "2", "-q", "--resume"])
    assert "extract: 301 documents (ok 0, failed 1, skipped 300)" in proc.stderr


@pytest.mark.slow
def test_client_writes_when_workers_cannot_see_the_output(generated: tuple[Path, Path, str], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("distributed")
    jobs1 = generated[1]
    corpus = tmp_path / "corpus"
    shutil.copytree(generated[0], corpus)
    seen: list[bool] = []
    probe = dd.outdir_visible

    def hidden(*args: object) -> bool:
        seen.append(probe(*args))  # type: ignore[arg-type]
        return False  # as if the workers were on other machines

    monkeypatch.setattr(dd, "outdir_visible", hidden)
    out = tmp_path / "client"
    assert extract_main([str(corpus), "-o", str(out), "--dask", "local", "-j", "2", "-q"]) == 1
    assert seen == [True]  # the real probe: a local cluster does see the folder
    assert _tree(out) == _tree(jobs1)
    capsys.readouterr()
    (corpus / "part0" / "doc0000.txt").write_text("今年产量增长了5%。\n", encoding="utf-8")  # one changed input
    assert extract_main([str(corpus), "-o", str(out), "--dask", "local", "-j", "2", "-q", "--resume"]) == 1
    assert "extract: 301 documents (ok 1, failed 1, skipped 299)" in capsys.readouterr().err
    assert json.loads((out / "part0" / "doc0000.json").read_text(encoding="utf-8"))["claims"][0]["value"] == 5


@pytest.mark.slow
def test_each_worker_loads_the_extractor_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    distributed = pytest.importorskip("distributed")
    corpus = make_corpus(tmp_path / "corpus", n=120, bad=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        assert extract_main([str(corpus), "-o", str(tmp_path / "out"), "--dask", cluster.scheduler_address,
                             "-q"]) == 0
        with distributed.Client(cluster) as client:
            stats = client.run(dd.worker_stats)
    assert len(stats) == 2
    assert all(s["extractor_loads"] == 1 and s["extractors_cached"] == 1 for s in stats.values())
    assert sum(s["documents"] for s in stats.values()) == 120
    assert sum(s["batches"] for s in stats.values()) < 120  # batches, not one task per document
    assert "extract: 120 documents (ok 120, failed 0, skipped 0)" in capsys.readouterr().err


@pytest.mark.slow
def test_memory_url_on_a_threaded_cluster(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    distributed = pytest.importorskip("distributed")
    fsspec = pytest.importorskip("fsspec")
    corpus = make_corpus(tmp_path / "corpus", n=20, bad=False)
    assert extract_main([str(corpus), "-o", str(tmp_path / "local"), "-j", "1", "-q"]) == 0
    fs = fsspec.filesystem("memory")
    for path in corpus.rglob("*.txt"):
        fs.pipe(f"/h16-dask/{path.relative_to(corpus).as_posix()}", path.read_bytes())
    try:  # worker threads in this process: they see this process's memory file system
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                      processes=False, protocol="tcp://") as cluster:
            assert extract_main(["memory://h16-dask", "-o", str(tmp_path / "mem"), "--dask",
                                 cluster.scheduler_address, "-q"]) == 0
    finally:
        fs.rm("/h16-dask", recursive=True)
    assert _tree(tmp_path / "mem") == _tree(tmp_path / "local")


def _worker_pids(parent: int) -> list[int]:
    import psutil

    return [p.pid for p in psutil.Process(parent).children(recursive=True)
            if any("spawn_main" in part for part in p.cmdline())]


@pytest.mark.slow
def test_killed_worker_still_completes_every_document(generated: tuple[Path, Path, str], tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus, jobs1, _ = generated
    out = tmp_path / "out"
    proc = subprocess.Popen([*EXTRACT, str(corpus), "-o", str(out), "--dask", "local", "--jobs", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and len(list(out.rglob("*.json"))) < 30:
        time.sleep(0.05)
    pids = _worker_pids(proc.pid)
    assert proc.poll() is None and len(pids) == 2, "the run ended before a worker could be killed"
    os.kill(pids[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "extract: 301 documents (ok 300, failed 1, skipped 0)" in err
    assert _tree(out) == _tree(jobs1)  # every document, no temp file left
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.slow
def test_poisoned_document_is_reported_and_the_run_goes_on(generated: tuple[Path, Path, str], tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus, jobs1, _ = generated
    out = tmp_path / "out"
    proc = _run([str(corpus), "-o", str(out), "--dask", "local", "--jobs", "2", "-q"],
                env={dd.CRASH_ENV: "doc0042"})
    assert proc.returncode == 1, proc.stderr
    assert "extract: 301 documents (ok 299, failed 2, skipped 0)" in proc.stderr
    assert f"error: {corpus}/part0/doc0042.txt: a dask worker died processing it 2 times; not retried" in proc.stderr
    expected = _tree(jobs1)
    del expected["part0/doc0042.json"]
    assert _tree(out) == expected


@pytest.mark.slow
def test_ctrl_c_cancels_and_leaves_only_complete_files(generated: tuple[Path, Path, str], tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus, _, _ = generated
    out = tmp_path / "out"
    proc = subprocess.Popen([*EXTRACT, str(corpus), "-o", str(out), "--dask", "local", "--jobs", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and len(list(out.rglob("*.json"))) < 10:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the client and its worker processes
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.startswith("extract: interrupted by SIGINT:"), err  # one line: no worker tracebacks
    assert err.count("\n") == 1
    done = list(out.rglob("*.json"))
    assert 10 <= len(done) < 300
    assert all(validate_document(json.loads(p.read_text(encoding="utf-8"))) == [] for p in done)
    assert not list(out.rglob(".*.tmp"))


def test_client_side_write_failure_is_a_failed_document(tmp_path: Path) -> None:
    from datong_nlp.corpus import CorpusRun, DocResult

    (tmp_path / "blocked").write_text("a file where the folder should be", encoding="utf-8")
    run = CorpusRun(tmp_path, tmp_path / "blocked", None, None, False)
    result = dd._write(run, DocResult("sub/a", "ok", claims=1), "{}\n")
    assert result.status == "failed"
    assert result.message.startswith(f"{tmp_path}/blocked/sub/a.json: cannot be written (")
    ok = dd._write(replace(run, outdir=tmp_path / "out"), DocResult("sub/a", "ok", claims=1), "{}\n")
    assert ok == DocResult("sub/a", "ok", claims=1)
    assert (tmp_path / "out" / "sub" / "a.json").read_text(encoding="utf-8") == "{}\n"
