"""Start-up: what `extract` loads, and when."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# runs extract in a fresh interpreter, then reports which heavy modules it imported
PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.INFO, format="log: %(message)s")
from datong_nlp.cli import extract_main
status = extract_main(sys.argv[1:])
heavy = ["datong_nlp.pipeline", "jieba", "rjieba", "opencc", "jsonschema", "pypinyin", "yaml", "spacy",
         "multiprocessing", "importlib.metadata"]
print(json.dumps({"status": status, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def _extract(*args: str) -> tuple[dict, str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("全年增长5%。", encoding="utf-8")
    (corpus / "b.txt").write_text("投资3亿元。", encoding="utf-8")
    return corpus, tmp_path / "out"


def test_resume_on_a_current_corpus_loads_no_extractor(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path)
    first, err = _extract(str(corpus), "-o", str(out), "-j", "1", "-q")
    assert first["status"] == 0 and "log: extractor loaded" in err
    again, err = _extract(str(corpus), "-o", str(out), "-j", "2", "--resume")
    assert again == {"status": 0, "loaded": []}
    assert "extractor loaded" not in err
    assert "(ok 0, failed 0, skipped 2)" in err and "skipped: a (up to date)" in err


def test_resume_loads_the_extractor_once_for_what_changed(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path)
    _extract(str(corpus), "-o", str(out), "-j", "1", "-q")
    (corpus / "b.txt").write_text("投资4亿元。", encoding="utf-8")
    result, err = _extract(str(corpus), "-o", str(out), "-j", "2", "-q", "--resume")
    assert result["status"] == 0 and err.count("extractor loaded") == 1
    assert "(ok 1, failed 0, skipped 1)" in err
    assert json.loads((out / "b.json").read_text(encoding="utf-8"))["claims"][0]["value"] == 400000000


def test_workers_share_the_extractor_loaded_before_forking(tmp_path: Path) -> None:
    """With --jobs 2 the extractor is loaded once, in the main process, not again in each worker."""
    corpus, out = _corpus(tmp_path)
    for i in range(6):
        (corpus / f"c{i}.txt").write_text(f"产量{i + 1}万吨。", encoding="utf-8")
    result, err = _extract(str(corpus), "-o", str(out), "-j", "2", "-q")
    assert result["status"] == 0 and err.count("extractor loaded") == 1
    assert len(list(out.glob("*.json"))) == 8


def test_extract_imports_no_validator(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path)
    result, _err = _extract(str(corpus), "-o", str(out), "-j", "1", "-q")
    assert "jsonschema" not in result["loaded"] and "jieba" not in result["loaded"]
    assert "multiprocessing" not in result["loaded"] and "importlib.metadata" not in result["loaded"]  # -j 1


def test_rules_from_the_load_cache_import_no_yaml_and_no_rule_file_loaders(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path)
    probe = PROBE.replace('"importlib.metadata"]', '"importlib.metadata", "datong_nlp.rules.loader", "datong_nlp.rules.reader"]')
    for run in ("first", "again"):  # the first may fill the load cache
        proc = subprocess.run([sys.executable, "-c", probe, str(corpus), "-o", str(out / run), "-j", "1", "-q"],
                              capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])["loaded"]
    assert "yaml" not in loaded and "datong_nlp.rules.loader" not in loaded and "datong_nlp.rules.reader" not in loaded
    assert (out / "first" / "a.json").read_bytes() == (out / "again" / "a.json").read_bytes()


def test_jieba_segmenter_gives_the_same_outputs(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path)
    (corpus / "c.txt").write_text((ROOT / "corpus" / "datong_interview_2025.txt").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    fast, _ = _extract(str(corpus), "-o", str(out / "fast"), "-j", "1", "-q")
    slow, _ = _extract(str(corpus), "-o", str(out / "slow"), "-j", "1", "-q", "--segmenter", "jieba")
    assert "jieba" in slow["loaded"] and "jieba" not in fast["loaded"]
    for name in ("a.json", "b.json", "c.json"):
        assert (out / "fast" / name).read_bytes() == (out / "slow" / name).read_bytes()


def test_forked_workers_inherit_what_loads_lazily(tmp_path: Path) -> None:
    """The main process runs a warm-up sentence before forking: no worker imports pypinyin or reads
    the pinyin table (romanise.py) again."""
    probe = PROBE.replace("from datong_nlp.cli import extract_main", "import builtins, os\n"
                          "real_import = builtins.__import__\n"
                          "def where(): return 'main' if os.getpid() == MAIN else 'worker'\n"
                          "def spy(name, *a, **k):\n"
                          "    if name == 'pypinyin' and 'pypinyin' not in sys.modules:\n"
                          "        print('imports pypinyin in', where(), file=sys.stderr)\n"
                          "    return real_import(name, *a, **k)\n"
                          "MAIN = os.getpid(); builtins.__import__ = spy\n"
                          "import datong_nlp.loadcache as lc\n"
                          "real_read = lc.read\n"
                          "def read(name):\n"
                          "    print('reads', name.rsplit('.', 1)[1], 'in', where(), file=sys.stderr)\n"
                          "    return real_read(name)\n"
                          "lc.read = read\n"
                          "from datong_nlp.cli import extract_main")
    corpus, out = _corpus(tmp_path)
    for i in range(4):
        (corpus / f"p{i}.txt").write_text(f"市长李{'一二三四'[i]}强介绍，产量{i + 1}万吨。", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", probe, str(corpus), "-o", str(out), "-j", "2", "-q"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert "reads pinyin in main" in proc.stderr
    assert "in worker" not in proc.stderr
    names = [e["name_en"] for i in range(4) for e in json.loads((out / f"p{i}.json").read_text(encoding="utf-8"))["entities"]
             if e["type"] == "PERSON"]
    assert names == ["Li Yiqiang", "Li Erqiang", "Li Sanqiang", "Li Siqiang"]


NUMPY_SPY = PROBE.replace("from datong_nlp.cli import extract_main", "import builtins, os\n"
                          "real_import = builtins.__import__\n"
                          "def spy(name, *a, **k):\n"
                          "    if name == 'numpy' and 'numpy' not in sys.modules:\n"
                          "        print('imports numpy in', 'main' if os.getpid() == MAIN else 'worker', file=sys.stderr)\n"
                          "    return real_import(name, *a, **k)\n"
                          "MAIN = os.getpid(); builtins.__import__ = spy\n"
                          "from datong_nlp.cli import extract_main")


def test_workers_inherit_the_tables_of_long_texts(tmp_path: Path) -> None:
    """With a long input, the main process makes what long texts need (numpy, code-point tables)
    before forking; without one it makes nothing of it."""
    corpus, out = _corpus(tmp_path)
    proc = subprocess.run([sys.executable, "-c", NUMPY_SPY, str(corpus), "-o", str(out / "short"), "-j", "2", "-q"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert "imports numpy" not in proc.stderr
    (corpus / "long.txt").write_text("全年煤炭产量达到1.6亿吨，同比增长3.5%。\n" * 300, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", NUMPY_SPY, str(corpus), "-o", str(out / "long"), "-j", "2", "-q"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert "imports numpy in main" in proc.stderr and "in worker" not in proc.stderr
    assert len(json.loads((out / "long" / "long.json").read_text(encoding="utf-8"))["claims"]) == 600


def test_the_warm_up_before_the_fork_makes_every_table_of_long_texts() -> None:
    """Normalise, places, the gazetteer, names and masks each keep a code-point table for long texts:
    the warm-up makes them all, so forked workers share them instead of each making its own."""
    code = ("from datong_nlp.corpus import extractor, warm_up\nfrom datong_nlp.claims import spans\n"
            "ex = extractor(None)\nwarm_up(None, long_texts=False)\n"
            "tables = lambda: [ex.normaliser._arrays, ex.places._fold_lut, ex.entities.matcher._fold_lut, "
            "ex.entities.people._head_lut, spans._IN_CLASS or None]\n"
            "print(sum(t is not None for t in tables()), end=' ')\nwarm_up(None, long_texts=True)\n"
            "print(sum(t is not None for t in tables()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split() == ["0", "5"]


def test_names_need_no_pypinyin_once_the_table_is_cached(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path)
    (corpus / "p.txt").write_text("市长欧阳明介绍，产量3万吨。", encoding="utf-8")
    _extract(str(corpus), "-o", str(out / "first"), "-j", "1", "-q")  # builds the table if the cache lacks it
    result, _err = _extract(str(corpus), "-o", str(out / "again"), "-j", "1", "-q")
    assert "pypinyin" not in result["loaded"]
    assert (out / "first" / "p.json").read_bytes() == (out / "again" / "p.json").read_bytes()
    assert "Ouyang Ming" in (out / "again" / "p.json").read_text(encoding="utf-8")


def test_a_document_of_names_imports_no_pypinyin(tmp_path: Path) -> None:
    """Not even for a one-character name (a surname alone: the given name is empty)."""
    corpus, out = _corpus(tmp_path)
    (corpus / "p.txt").write_text("市长王介绍，书记欧阳明强调，王书记表示，产量3万吨。", encoding="utf-8")
    (corpus / "q.txt").write_text((ROOT / "corpus" / "datong_interview_2025.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _extract(str(corpus), "-o", str(out / "first"), "-j", "1", "-q")
    result, _err = _extract(str(corpus), "-o", str(out / "again"), "-j", "1", "-q")
    assert "pypinyin" not in result["loaded"]


def test_the_loaded_extractor_is_frozen_out_of_the_collector(tmp_path: Path) -> None:
    """After the load, `extract` freezes what it loaded: the run's collections (and the one at exit)
    skip the extractor's objects, and forked workers do not copy the pages a collection would touch;
    and it collects young objects every 20,000 allocations, not every 700."""
    from datong_nlp.corpus import GC_THRESHOLD

    probe = PROBE.replace("print(json.dumps({", "import gc\nthreshold = gc.get_threshold(); gc.collect()\n"
                          "print(json.dumps({'frozen': gc.get_freeze_count(), 'threshold': threshold, "
                          "'tracked': len(gc.get_objects()), ")
    corpus, out = _corpus(tmp_path)
    proc = subprocess.run([sys.executable, "-c", probe, str(corpus), "-o", str(out), "-j", "1", "-q"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["status"] == 0
    assert result["frozen"] > 10 * result["tracked"]  # all but what the two documents left
    assert tuple(result["threshold"]) == GC_THRESHOLD and GC_THRESHOLD[0] > 700  # CPython: 700


def test_the_tool_version_is_read_without_importlib_metadata() -> None:
    code = ("import sys; from datong_nlp.provenance import TOOL_VERSION; loaded = 'importlib.metadata' in sys.modules\n"
            "from importlib import metadata; print(TOOL_VERSION, metadata.version('datong-nlp'), loaded)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    mine, theirs, loaded = out.split()
    assert mine == theirs and loaded == "False"

