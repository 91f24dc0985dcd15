"""Issue 15, the command line as a researcher meets it: --jobs, --version, help, pipes, odd encodings,
single files, evaluate's pairing warnings, provenance and --resume, claim ids and sentences."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from datong_nlp import Extractor
from datong_nlp.decode import decode_bytes
from datong_nlp.output import dumps, iter_json, to_json
from datong_nlp.provenance import TOOL_VERSION, rules_sha256
from datong_nlp.schema import validate_document

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEXT = "华能集团在北京投资了50亿元。\n大同市今年光伏装机达到300万千瓦！明年将超过500万千瓦。"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    return root


def test_no_command_prints_help_and_exits_2() -> None:
    r = run("datong-nlp")
    assert r.returncode == 2 and "usage: datong-nlp" in r.stderr and "extract" in r.stderr


@pytest.mark.parametrize("command", [["datong-nlp"], ["datong-nlp", "extract"], ["datong-nlp", "evaluate"],
                                     ["datong-nlp", "check-rules"], ["extract"], ["evaluate"]])
def test_version_on_every_command(command: list[str]) -> None:
    r = run(*command, "--version")
    assert r.returncode == 0 and r.stdout.strip().endswith(TOOL_VERSION), r


def test_jobs_zero_is_all_cores_and_negative_a_usage_error(corpus: Path, tmp_path: Path) -> None:
    r = run("extract", str(corpus), "-o", str(tmp_path / "out"), "--jobs", "0", "-q")
    assert r.returncode == 0 and (tmp_path / "out" / "a.json").is_file()
    r = run("extract", str(corpus), "-o", str(tmp_path / "out"), "--jobs", "-1")
    assert r.returncode == 2 and "--jobs: -1 is negative" in r.stderr
    from datong_nlp.cli import _extract_parser

    assert _extract_parser().parse_args([str(corpus), "--jobs", "0"]).jobs == (os.cpu_count() or 1)
    assert _extract_parser().parse_args([str(corpus)]).jobs == (os.cpu_count() or 1)


@pytest.mark.parametrize(("encoding", "name"), [("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"),
                                                ("utf-32-le", "utf-32"), ("utf-32-be", "utf-32")])
def test_utf16_and_utf32_with_bom(encoding: str, name: str) -> None:
    bom = "\ufeff".encode(encoding)
    assert decode_bytes(bom + TEXT.encode(encoding)) == (TEXT, name)


def test_single_file_corpus_utf16_and_not_txt(tmp_path: Path) -> None:
    src = tmp_path / "interview.md"
    src.write_bytes("\ufeff".encode("utf-16-le") + TEXT.encode("utf-16-le"))
    r = run("extract", str(src), "-o", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr
    assert "warning:" in r.stderr and "not a .txt file" in r.stderr
    doc = json.loads((tmp_path / "out" / "interview.json").read_text(encoding="utf-8"))
    assert doc["encoding"] == "utf-16" and doc["source"] == "interview.md"
    assert [c["text"] for c in doc["claims"]] == ["50亿元", "300万千瓦", "500万千瓦"]
    assert validate_document(doc) == []


def test_closed_pipe_ends_quietly() -> None:
    cmd = f"'{BIN / 'evaluate'}' outputs corpus/gold --json | head -c 10"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.stdout == '{\n "claims'[:10] and "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def test_evaluate_warns_on_swapped_folders_and_unpaired_predictions(tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    shutil.copytree(ROOT / "outputs", pred)
    (pred / "extra.json").write_text((ROOT / "outputs" / "datong_interview_2025.json").read_text(encoding="utf-8"))
    r = run("evaluate", str(pred), str(ROOT / "corpus" / "gold"), "--corpus", str(ROOT / "corpus"))
    assert r.returncode == 0 and "1 prediction(s) without gold, not scored: extra" in r.stderr
    r = run("evaluate", str(ROOT / "corpus" / "gold"), str(pred), "--corpus", str(ROOT / "corpus"))
    assert "the folders look swapped" in r.stderr
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    (empty / "other.json").write_text(json.dumps({"schema": "datong-nlp/extraction/v1"}))
    r = run("evaluate", str(empty), str(ROOT / "corpus" / "gold"))
    assert "no prediction in" in r.stderr and "matches a gold file" in r.stderr


def test_outputs_record_provenance_and_resume_follows_the_rules(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    assert run("extract", str(corpus), "-o", str(out), "--rules", str(rules), "-q").returncode == 0
    doc = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert doc["tool_version"] == TOOL_VERSION and doc["rules_sha256"] == rules_sha256(rules)
    r = run("extract", str(corpus), "-o", str(out), "--rules", str(rules), "--resume")
    assert "skipped: a" in r.stderr
    with (rules / "modality.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# a comment changes the hash\n")
    rules_sha256.cache_clear()
    r = run("extract", str(corpus), "-o", str(out), "--rules", str(rules), "--resume")
    assert "ok: a" in r.stderr and "skipped" not in r.stderr.split("extract:")[0]
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["rules_sha256"] == rules_sha256(rules)


def test_claims_get_ids_sentences_and_entity_refs(extractor: Extractor) -> None:
    doc = to_json(extractor.extract_text(TEXT), "a", "a.txt")
    assert [c["id"] for c in doc["claims"]] == ["c0001", "c0002", "c0003"]
    assert [e["mention_id"] for e in doc["entities"]] == [f"e{i:04d}" for i in range(1, len(doc["entities"]) + 1)]
    sentences = [TEXT[slice(*c["sentence"])] for c in doc["claims"]]
    assert sentences == ["华能集团在北京投资了50亿元。", "大同市今年光伏装机达到300万千瓦！", "明年将超过500万千瓦。"]
    mentions = {e["mention_id"]: e["text"] for e in doc["entities"]}
    assert [mentions[r] for r in doc["claims"][0]["entity_refs"]] == ["华能集团", "北京"]
    assert [mentions[r] for r in doc["claims"][1]["entity_refs"]] == ["大同市"]
    assert doc["claims"][2]["entity_refs"] == []
    assert validate_document(doc) == []


def test_ids_stay_stable_across_streamed_chunks(extractor: Extractor) -> None:
    text = (TEXT + "\n") * 30
    whole = dumps(to_json(extractor.extract_text(text), "a", "a.txt"))
    streamed = "".join(iter_json(extractor.extract_parts(text, chunk_chars=200), "a", "a.txt"))
    assert streamed == whole
    assert json.loads(streamed)["claims"][-1]["id"] == "c0090"


def test_sentences_of_a_text_without_sentence_ends_stay_linear_and_bounded() -> None:
    import time

    from datong_nlp.links import _NextEnd, sentence_span

    line = ("产量达到1.6亿吨，" + "x" * 9990) * 2000  # 20 MB, no line break, no sentence end
    next_end, started = _NextEnd(line), time.perf_counter()
    spans = [sentence_span(line, i + 4, i + 9, next_end) for i in range(0, len(line), 10_000)]
    assert time.perf_counter() - started < 10
    assert spans[1] == (10_000 + 4 - 4000, 10_000 + 9 + 4000) and spans[0] == (0, 4009)
