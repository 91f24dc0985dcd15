"""corpus.process_documents: each document's fsync overlaps the next one's extraction, and a result
comes only once its file is in place, whole, with the mode of a plain write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from datong_nlp import corpus as corpus_module
from datong_nlp.corpus import CorpusRun, process_document, process_documents
from datong_nlp.output import write_atomic


def _corpus(tmp_path: Path, n: int = 4) -> tuple[CorpusRun, list[Path]]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    paths = []
    for i in range(n):
        paths.append(folder / f"d{i}.txt")
        paths[-1].write_text(f"产量{i + 1}万吨，增长{i + 2}%。", encoding="utf-8")
    return CorpusRun(folder, tmp_path / "out", None, None, False), paths


def test_each_result_comes_with_its_file_in_place(tmp_path: Path) -> None:
    run, paths = _corpus(tmp_path)
    seen = []
    for path, result in zip(paths, process_documents(run, paths), strict=True):
        out = run.outdir / f"{path.stem}.json"
        assert result.doc_id == path.stem and result.status == "ok" and result.claims == 2
        assert out.is_file() and out.read_text(encoding="utf-8").endswith("}\n")
        seen.append(result.doc_id)
    assert seen == ["d0", "d1", "d2", "d3"]
    assert not list(run.outdir.glob(".*"))  # no temporary file left


def test_the_files_are_those_of_write_atomic(tmp_path: Path) -> None:
    run, paths = _corpus(tmp_path)
    list(process_documents(run, paths))
    other = CorpusRun(run.corpus, tmp_path / "plain", None, None, False)
    for path in paths:
        assert process_document(other, path, write_atomic).status == "ok"
        mine, plain = run.outdir / f"{path.stem}.json", other.outdir / f"{path.stem}.json"
        assert mine.read_bytes() == plain.read_bytes()
        assert stat.S_IMODE(mine.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_a_failed_sync_fails_its_document_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run, paths = _corpus(tmp_path)
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(corpus_module.os, "fsync", fsync)
    results = list(process_documents(run, paths))
    assert [r.status for r in results] == ["ok", "failed", "ok", "ok"]
    assert "d1.txt: OSError" in results[1].message and "Input/output error" in results[1].message
    assert sorted(p.name for p in run.outdir.iterdir()) == ["d0.json", "d2.json", "d3.json"]  # no temp file


def test_a_failed_document_comes_at_once(tmp_path: Path) -> None:
    """--fail-fast stops at a failing document: nothing after it is extracted first."""
    run, paths = _corpus(tmp_path)
    paths[1].write_bytes(b"\xff\xfe\x00\xd8 broken")
    documents = process_documents(run, paths)
    assert next(documents).status == "ok"
    assert next(documents).status == "failed"
    documents.close()
    assert sorted(p.name for p in run.outdir.iterdir()) == ["d0.json"]
