"""The commands as a researcher runs them: exit codes, messages, files left on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from datong_nlp.cli import evaluate_main, extract_main, main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub dir").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "datong_interview_2025.txt", root / "datong_interview_2025.txt")
    (root / "sub dir" / "新 文件.txt").write_text("全市电力总装机达到1755万千瓦。\r\n今年增长5%。", encoding="utf-8")
    (root / "big5.txt").write_bytes("全年煤炭產量達到1.6億噸。".encode("big5"))
    return root


def test_extract_writes_one_json_per_document(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    assert extract_main([str(corpus), "-o", str(out), "-j", "1"]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert files == ["big5.json", "datong_interview_2025.json", "sub dir/新 文件.json"]
    doc = json.loads((out / "sub dir" / "新 文件.json").read_text(encoding="utf-8"))
    assert doc["doc_id"] == "sub dir/新 文件" and doc["source"] == "sub dir/新 文件.txt"
    assert [(c["start"], c["end"], c["text"]) for c in doc["claims"]] == [(9, 16, "1755万千瓦"), (23, 25, "5%")]
    assert json.loads((out / "big5.json").read_text(encoding="utf-8"))["encoding"] == "big5"
    err = capsys.readouterr().err
    assert "3 documents (ok 3, failed 0, skipped 0)" in err and "claims" in err and "entities" in err
    assert not list(out.rglob("*.tmp"))


def test_workers_take_the_largest_documents_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture) -> None:
    """With --jobs 2 the largest document is among the first two taken (it sorts last by name), and
    every document is still reported once with its own counts."""
    import datong_nlp.corpus as corpus_module

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"a{i}.txt").write_text(f"产量{i + 1}万吨。", encoding="utf-8")
    (corpus / "z.txt").write_text("全年增长5%。\n" * 400, encoding="utf-8")
    log = tmp_path / "order.txt"
    real = corpus_module.process_document

    def spy(run: corpus_module.CorpusRun, path: Path, *args: object) -> corpus_module.DocResult:  # in the workers
        with log.open("a", encoding="utf-8") as fh:
            fh.write(path.name + "\n")
        return real(run, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "process_document", spy)
    assert extract_main([str(corpus), "-o", str(tmp_path / "out"), "-j", "2"]) == 0
    order = log.read_text(encoding="utf-8").split()
    assert sorted(order) == sorted(p.name for p in corpus.iterdir()) and "z.txt" in order[:2]
    err = capsys.readouterr().err
    assert "7 documents (ok 7, failed 0, skipped 0)" in err and "ok: z (400 claims" in err


def test_jobs_give_identical_output(corpus: Path, tmp_path: Path) -> None:
    assert extract_main([str(corpus), "-o", str(tmp_path / "a"), "-j", "1", "-q"]) == 0
    assert extract_main([str(corpus), "-o", str(tmp_path / "b"), "-j", "2", "-q"]) == 0
    for path in (tmp_path / "a").rglob("*.json"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_bad_document_is_reported_and_skipped(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary\xff" * 10)
    out = tmp_path / "out"
    assert extract_main([str(corpus), "-o", str(out), "-j", "1", "-q"]) == 1
    err = capsys.readouterr().err
    assert "broken.txt: binary data" in err
    assert "(ok 3, failed 1, skipped 0)" in err
    assert not (out / "broken.json").exists()
    assert (out / "datong_interview_2025.json").is_file()


def test_missing_or_empty_corpus_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert extract_main([str(tmp_path / "nope")]) == 2
    assert "corpus not found" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert extract_main([str(tmp_path / "empty")]) == 2
    assert "no .txt files" in capsys.readouterr().err


def test_single_file_and_resume(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    target = corpus / "datong_interview_2025.txt"
    assert extract_main([str(target), "-o", str(out), "-j", "1", "-q"]) == 0
    assert (out / "datong_interview_2025.json").is_file()
    assert extract_main([str(target), "-o", str(out), "-j", "1", "-q", "--resume"]) == 0
    assert "skipped 1" in capsys.readouterr().err


def test_bad_rules_exit_2_before_any_work(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    units = rules / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("unit: kW\n", "unit: kilowatt\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert extract_main([str(corpus), "-o", str(out), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "units.yaml: entry power-kw: unknown unit code 'kilowatt'" in err
    assert not list(out.rglob("*.json"))


def test_evaluate_json_and_thresholds(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status = evaluate_main([str(ROOT / "outputs"), str(ROOT / "corpus" / "gold"), "--json",
                            "--errors", str(tmp_path / "errors.jsonl"), "--min-claims-f1", "0.99"])
    assert status == 0
    report = json.loads(capsys.readouterr().out)
    for key in ("claims", "claims_strict", "entities", "entities_span_only"):
        assert set(report[key]) >= {"p", "r", "f1", "tp", "pred", "gold"}
    assert set(report["claim_attributes"]) == {"comparator", "modality", "property", "time"}
    assert "entity_link_accuracy" in report and "datong_interview_2025" in report["per_doc"]
    assert report["claims"]["f1"] == 1.0
    assert (tmp_path / "errors.jsonl").read_text(encoding="utf-8") == ""


def test_evaluate_threshold_fails(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    empty = tmp_path / "pred"
    empty.mkdir()
    status = evaluate_main([str(empty), str(ROOT / "corpus" / "gold"), "--min-claims-f1", "0.5"])
    assert status == 1
    err = capsys.readouterr().err
    assert "no prediction" in err and "claims F1 0.0000 is below 0.5" in err


def test_datong_nlp_help_lists_commands(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert all(cmd in out for cmd in ("extract", "evaluate", "check-rules"))
    assert main(["check-rules"]) == 0
