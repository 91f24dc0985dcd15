"""Bad input gets a clear error, one bad file never stops a run, and no output is ever half-written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datong_nlp import Extractor
from datong_nlp.cli import extract_main, main
from datong_nlp.output import write_atomic
from datong_nlp.schema import validate_document

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "datong_interview_2025.txt"


def _spans_hold(text: str, doc_json: dict) -> None:
    for item in [*doc_json["claims"], *doc_json["entities"]]:
        assert text[item["start"]:item["end"]] == item["text"]


def _outputs(out: Path) -> dict[str, dict]:
    return {p.relative_to(out).as_posix(): json.loads(p.read_text(encoding="utf-8")) for p in out.rglob("*.json")}


# --- inputs: none crashes, offsets stay exact -------------------------------------------------

ODD_TEXTS = {
    "empty": "",
    "whitespace": " \n\t\r\n\u3000 ",
    "crlf": "第一行增长5%。\r\n第二行达到1755万千瓦。\r\n\r\n第三行3亿元\n末行2个",
    "long-number": "总额为123456789012345678901234567890億元，或123,456,789,012,345,678,901,234,567,890億元。",
    "magnitudes": "萬萬萬萬萬元，億億億億人，一萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬噸。",
    "private-use": "产量\ue000达到\uf8ff1.6亿吨\ue123，增长\U000f0000 5%。",
    "combining": "产量达到1.6\u0301亿吨，香港\u0308的增长5%。",
    "emoji": "👍产量达到1.6亿吨👍🏽，增长5%🇭🇰，大同市👨‍👩‍👧投资3亿元。",
    "non-bmp": "𠀀𪚥产量达到𠮷1.6亿吨，𡃁增长5%。",
    "compat": "2013\uf98e增長5%，香港\uf9d1",
}


@pytest.mark.parametrize("name", sorted(ODD_TEXTS))
def test_odd_text_keeps_offsets(extractor: Extractor, name: str) -> None:
    text = ODD_TEXTS[name]
    doc = extractor.extract_text(text)
    for item in [*doc.claims, *doc.entities]:
        assert text[item.start:item.end] == item.text


def test_crlf_offsets_point_at_the_figures(extractor: Extractor) -> None:
    text = ODD_TEXTS["crlf"]
    doc = extractor.extract_text(text)
    assert [(c.text, c.start) for c in doc.claims] == [
        ("5%", text.index("5%")), ("1755万千瓦", text.index("1755万千瓦")), ("3亿元", text.index("3亿元")),
        ("2个", text.index("2个"))]


def test_long_and_stacked_numbers_are_finite(extractor: Extractor) -> None:
    doc = extractor.extract_text(ODD_TEXTS["long-number"])
    # a bare run of 7+ digits reads as an identifier (non_claims.yaml); with separators it is a figure
    assert [(c.text, c.value) for c in doc.claims] == [
        ("123,456,789,012,345,678,901,234,567,890億元", pytest.approx(1.2345678901234568e37))]
    doc = extractor.extract_text(ODD_TEXTS["magnitudes"])
    assert all(c.value < float("inf") for c in doc.claims)


def test_long_single_line_is_chunked_with_exact_offsets(extractor: Extractor) -> None:
    text = ("产量达到1.6亿吨，" + "x" * 3000 + "增长5%") * 40  # one line, no sentence end
    doc = extractor.extract_text(text, chunk_chars=5000)
    assert len(doc.claims) == 80
    for item in [*doc.claims, *doc.entities]:
        assert text[item.start:item.end] == item.text


@pytest.mark.slow
def test_twenty_megabyte_single_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    line = ("产量达到1.6亿吨，" + "x" * 9990) * 2000  # 20 MB, no line break, no sentence end
    (corpus / "line.txt").write_text(line + "增长5%", encoding="utf-8")
    out = tmp_path / "out"
    assert extract_main([str(corpus), "-o", str(out), "-j", "1", "-q"]) == 0
    doc = _outputs(out)["line.json"]
    assert len(doc["claims"]) == 2001
    assert doc["claims"][-1]["start"] == len(line) + 2
    _spans_hold(line + "增长5%", doc)


# --- a corpus of bad files -------------------------------------------------------------------

@pytest.fixture()
def bad_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(SEED, root / "nested" / "deeper" / "大同 访谈.txt")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes(b"  \r\n\n\t ")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (root / "latin1.txt").write_bytes("café naïve résumé ".encode("latin-1") * 20 + b"\xff\xfe\xfd")
    (root / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "全年增长5%。".encode())
    (root / "gbk.txt").write_bytes("全年煤炭产量达到1.6亿吨。".encode("gb18030"))
    (root / "dangling.txt").symlink_to(root / "does-not-exist.txt")
    (root / "nested" / "loop").symlink_to(root, target_is_directory=True)
    return root


def test_bad_files_are_reported_and_the_run_goes_on(bad_corpus: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    assert extract_main([str(bad_corpus), "-o", str(out), "-j", "1", "-q"]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = sorted(line for line in err if line.startswith("error:"))
    assert errors == [
        f"error: {bad_corpus / 'binary.txt'}: binary data (NUL bytes), not a text file",
        f"error: {bad_corpus / 'dangling.txt'}: cannot be read (No such file or directory)",
        f"error: {bad_corpus / 'latin1.txt'}: not valid UTF-8, GB18030 or Big5",
    ]
    assert "extract: 8 documents (ok 5, failed 3, skipped 0)" in err[-1]
    docs = _outputs(out)
    assert sorted(docs) == ["blank.json", "bom.json", "empty.json", "gbk.json", "nested/deeper/大同 访谈.json"]
    assert docs["empty.json"]["claims"] == [] and docs["blank.json"]["claims"] == []
    assert docs["bom.json"]["claims"][0]["start"] == 4  # offsets of the text without its BOM
    assert docs["gbk.json"]["encoding"] == "gb18030"
    for doc in docs.values():
        assert validate_document(doc) == []
    assert not [p for p in out.rglob("*") if p.is_file() and p.suffix != ".json"]


def test_fail_fast_stops_at_the_first_failure(bad_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    assert extract_main([str(bad_corpus), "-o", str(out), "-j", "1", "-q", "--fail-fast"]) == 1
    err = capsys.readouterr().err
    assert "binary.txt: binary data" in err  # the first file in sorted order
    assert "1 documents (ok 0, failed 1, skipped 0, 7 not run)" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    secret = corpus / "secret.txt"
    secret.write_text("增长5%", encoding="utf-8")
    secret.chmod(0)
    assert extract_main([str(corpus), "-o", str(tmp_path / "out"), "-q"]) == 1
    assert "secret.txt: cannot be read (Permission denied)" in capsys.readouterr().err


# --- output safety ---------------------------------------------------------------------------

def test_unwritable_output_folder_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "a.txt")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert extract_main([str(corpus), "-o", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {blocker / 'sub'}: output folder is not writable")
    assert "documents" not in err


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.json"
    target.write_text('{"old": true}\n', encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, '{"new": true}\n')
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["doc.json"]


def test_resume_skips_current_outputs_and_redoes_changed_inputs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("全年增长5%。", encoding="utf-8")
    (corpus / "b.txt").write_text("投资3亿元。", encoding="utf-8")
    out = tmp_path / "out"
    assert extract_main([str(corpus), "-o", str(out), "-j", "1", "-q"]) == 0
    capsys.readouterr()
    assert extract_main([str(corpus), "-o", str(out), "-j", "1", "-q", "--resume"]) == 0
    assert "(ok 0, failed 0, skipped 2)" in capsys.readouterr().err
    time.sleep(0.01)
    (corpus / "b.txt").write_text("投资4亿元。", encoding="utf-8")  # changed: newer, other hash
    (out / "a.json").write_text('{"text_sha256": "0"}', encoding="utf-8")  # newer but stale hash
    assert extract_main([str(corpus), "-o", str(out), "-j", "1", "-q", "--resume"]) == 0
    assert "(ok 2, failed 0, skipped 0)" in capsys.readouterr().err
    assert _outputs(out)["b.json"]["claims"][0]["value"] == 400000000


_QUICK_EXIT = """
import atexit, os, sys, threading
from datong_nlp.cli import run_extract
atexit.register(lambda: print("exit handlers ran", flush=True))
leave = os._exit
os._exit = lambda status: (print("no teardown", status, flush=True), leave(status))
if sys.argv[1] == "thread":  # a thread still running: the normal exit, which waits for it
    threading.Thread(target=lambda: (threading.main_thread().join(), print("thread finished", flush=True))).start()
if sys.argv[1] == "daemon":  # a daemon thread: the normal exit would not wait for it either
    threading.Thread(target=lambda: __import__("time").sleep(600), daemon=True).start()
sys.argv[1:2] = []
run_extract()
"""


@pytest.mark.parametrize("thread", ["none", "thread", "daemon"])
def test_extract_exits_without_teardown_yet_runs_exit_handlers(tmp_path: Path, thread: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("投资4亿元。", encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"\xff\xfe\x00")  # fails: the status says so
    r = subprocess.run([sys.executable, "-c", _QUICK_EXIT, thread, str(corpus), "-o", str(tmp_path / "out"), "-j", "1", "-q"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr
    assert "(ok 1, failed 1, skipped 0)" in r.stderr
    # the teardown is skipped, unless a thread still runs: then the normal exit waits for it
    assert r.stdout.splitlines() == (["thread finished", "exit handlers ran"] if thread == "thread"
                                     else ["exit handlers ran", "no teardown 1"])
    assert _outputs(tmp_path / "out")["a.json"]["claims"][0]["value"] == 400000000


def _kill_mid_run(tmp_path: Path, sig: int) -> tuple[Path, Path, subprocess.Popen]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(300):
        shutil.copy(SEED, corpus / f"doc{i:03d}.txt")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", "from datong_nlp.cli import run_extract; run_extract()",
                             str(corpus), "-o", str(out), "-j", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 10:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    return corpus, out, proc


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_interrupted_run_leaves_only_complete_files(tmp_path: Path, sig: int) -> None:
    corpus, out, proc = _kill_mid_run(tmp_path, sig)
    done = sorted(out.glob("*.json"))
    assert 10 <= len(done) < 300
    for path in done:  # every output there is whole and valid
        assert validate_document(json.loads(path.read_text(encoding="utf-8"))) == []
    if sig != signal.SIGKILL:  # a catchable signal: the run stops cleanly, temp files removed
        assert proc.returncode in (130, 143)
        assert "interrupted" in proc.stderr.read().decode()  # type: ignore[union-attr]
        assert not list(out.glob(".*.tmp"))
    # the next run cleans what a kill left behind and finishes the rest
    assert extract_main([str(corpus), "-o", str(out), "-j", "1", "-q", "--resume"]) == 0
    assert len(list(out.glob("*.json"))) == 300
    assert not list(out.glob(".*.tmp"))


# --- rules safety ----------------------------------------------------------------------------

def test_check_rules_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check-rules", str(ROOT / "rules")]) == 0
    assert capsys.readouterr().out.startswith("rules OK:")
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "time.yaml").write_text("times: [", encoding="utf-8")
    assert main(["check-rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: rules: ") and "time.yaml: malformed YAML" in err and err.count("\n") == 1
