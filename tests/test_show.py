"""`datong-nlp show` and `evaluate --html`: self-contained pages, rendered in headless Chromium where it is installed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "outputs" / "datong_interview_2025.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=120)


def _chromium(page: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium); no browser render")
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900", *flags, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def _self_contained(page: str) -> None:
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=", page)


def test_show_one_document(tmp_path: Path) -> None:
    page = tmp_path / "doc.html"
    r = _run("datong-nlp", "show", str(OUTPUT), "-o", str(page))
    assert r.returncode == 0, r.stderr
    html = page.read_text(encoding="utf-8")
    _self_contained(html)
    doc = json.loads(OUTPUT.read_text(encoding="utf-8"))
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    ids = set(re.findall(r'data-what="claim" data-id="(c\d+)"', dom))
    assert ids == {c["id"] for c in doc["claims"]}
    mentions = set(re.findall(r'data-what="entity" data-id="(e\d+)"', dom))
    assert mentions == {e["mention_id"] for e in doc["entities"]}
    first = doc["claims"][0]
    tip = re.search(rf'data-id="{first["id"]}"[^>]*>.*?<span class="tip">(.*?)</span>', dom, re.S).group(1)
    assert f"value: {first['value']}" in tip and f"unit: {first['unit']}" in tip and f"rule: {first['rule']}" in tip
    assert "<table class=\"summary\">" in dom and f"<td>{len(doc['claims'])}</td>" in dom
    shot = tmp_path / "shot.png"
    _chromium(page, tmp_path, f"--screenshot={shot}")
    image = pytest.importorskip("PIL.Image").open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert image.size == (1200, 900) and colours is not None and len(colours) > 10


def test_show_folder_writes_an_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    r = _run("datong-nlp", "show", str(ROOT / "outputs"), "-o", str(site))
    assert r.returncode == 0, r.stderr
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="datong_interview_2025.html"' in index and (site / "datong_interview_2025.html").is_file()
    assert 'href="./index.html"' in (site / "datong_interview_2025.html").read_text(encoding="utf-8")


def test_show_without_the_text_says_so(tmp_path: Path) -> None:
    r = _run("datong-nlp", "show", str(OUTPUT), "-o", str(tmp_path / "x.html"), "--corpus", str(tmp_path))
    assert r.returncode == 1 and "was not found (give --corpus)" in r.stderr


def test_evaluate_html_marks_misses_spurious_and_wrong_attributes(tmp_path: Path) -> None:
    doc = json.loads(OUTPUT.read_text(encoding="utf-8"))
    missed = doc["claims"].pop(0)
    doc["claims"][0]["comparator"] = "<" if doc["claims"][0]["comparator"] != "<" else ">"
    wrong = doc["claims"][0]
    spurious = {**doc["entities"][0], "type": "EVENT"}
    doc["entities"][0] = spurious
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "datong_interview_2025.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "report"
    r = _run("evaluate", str(pred), str(ROOT / "corpus" / "gold"), "--html", str(report))
    assert r.returncode == 0, r.stderr
    page = report / "datong_interview_2025.html"
    _self_contained(page.read_text(encoding="utf-8"))
    assert 'href="datong_interview_2025.html"' in (report / "index.html").read_text(encoding="utf-8")
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    gold, predicted = dom.split('<div class="pred">')
    assert re.search(rf'class="m claim \w+ missed"[^>]*data-start="{missed["start"]}"', gold)
    assert re.search(rf'class="m claim \w+ wrong"[^>]*data-start="{wrong["start"]}"', gold)
    assert "wrong comparator" in gold
    assert re.search(rf'class="m entity EVENT spurious"[^>]*data-start="{spurious["start"]}"', predicted)
    assert re.search(rf'class="m entity \w+ missed"[^>]*data-start="{spurious["start"]}"', gold)
    assert " missed\"" not in predicted  # misses are marked on the gold side only
