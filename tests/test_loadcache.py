"""The load cache: a hit skips the rules load, an edit misses, a damaged entry is ignored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import datong_nlp.rules
from datong_nlp import loadcache
from datong_nlp.loadcache import CACHE_ENV, cache_dir, dictionary_columns, load_rules_cached, rules_entry
from datong_nlp.normalize import Normaliser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    calls: list[Path | None] = []
    real = datong_nlp.rules.load_rules

    def spy(directory: Path | None = None, normaliser: Normaliser | None = None) -> datong_nlp.rules.RuleSet:
        calls.append(directory)
        return real(directory, normaliser)

    monkeypatch.setattr(datong_nlp.rules, "load_rules", spy)
    return calls


def test_where_it_lives_and_how_to_turn_it_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "datong-nlp"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "datong-nlp"
    for off in ("off", "0", "", "No"):
        monkeypatch.setenv(CACHE_ENV, off)
        assert cache_dir() is None
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def test_a_hit_skips_the_load_and_gives_the_same_rules(cache: Path, rules_dir: Path, normaliser: Normaliser,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_loads(monkeypatch)
    first = load_rules_cached(rules_dir, normaliser)
    assert calls == [rules_dir] and (cache / rules_entry(rules_dir)).is_file()
    again = load_rules_cached(rules_dir, normaliser)
    assert calls == [rules_dir]  # from the cache
    assert again is not first and again.directory == first.directory == rules_dir
    assert again.user_words() == first.user_words() and again.unit_codes == first.unit_codes
    assert [e.id for e in again.gazetteer] == [e.id for e in first.gazetteer]


def test_an_edit_of_the_rules_misses(cache: Path, rules_dir: Path, normaliser: Normaliser,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_loads(monkeypatch)
    load_rules_cached(rules_dir, normaliser)
    before = rules_entry(rules_dir)
    path = rules_dir / "modality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert rules_entry(rules_dir) != before  # in the same process: not the process's cached hash
    load_rules_cached(rules_dir, normaliser)
    assert calls == [rules_dir, rules_dir]
    assert len(list(cache.glob("*.rules"))) == 2


def test_the_same_rules_in_another_folder_are_another_entry(cache: Path, rules_dir: Path) -> None:
    assert rules_entry(rules_dir) != rules_entry(None)  # `directory` is part of the rule set


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache: Path, rules_dir: Path, normaliser: Normaliser,
                                                monkeypatch: pytest.MonkeyPatch, damage: bytes | None) -> None:
    calls = _count_loads(monkeypatch)
    load_rules_cached(rules_dir, normaliser)
    entry = cache / rules_entry(rules_dir)
    good = entry.read_bytes()
    entry.write_bytes(good[:-100] if damage is None else damage)  # None: truncated
    rules = load_rules_cached(rules_dir, normaliser)
    assert calls == [rules_dir, rules_dir] and rules.unit_codes
    assert entry.read_bytes() == good  # rewritten whole


def test_an_entry_that_no_longer_loads_is_rebuilt(cache: Path) -> None:
    builds: list[int] = []

    def build() -> tuple[list[str], list[int], list[str]]:
        builds.append(1)
        return ["大同", "市长"], [5, 7], ["ns", "n"]

    path = cache.parent / "dict.txt"
    path.write_text("大同 5 ns\n市长 7 n\n", encoding="utf-8")
    assert dictionary_columns(path, build) == (["大同", "市长"], [5, 7], ["ns", "n"])
    assert dictionary_columns(path, build) == (["大同", "市长"], [5, 7], ["ns", "n"]) and len(builds) == 1
    loadcache.write(loadcache.dictionary_entry(path), b"\xff not marshal")  # a good checksum, a bad payload
    assert dictionary_columns(path, build)[0] == ["大同", "市长"] and len(builds) == 2
    path.write_text("大同 5 ns\n市长 8 n\n", encoding="utf-8")  # another size: another entry
    dictionary_columns(path, build)
    assert len(builds) == 3


def test_turned_off_it_writes_nothing(tmp_path: Path, rules_dir: Path, normaliser: Normaliser,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    calls = _count_loads(monkeypatch)
    load_rules_cached(rules_dir, normaliser)
    load_rules_cached(rules_dir, normaliser)
    assert calls == [rules_dir, rules_dir] and not (tmp_path / "xdg").exists()


def test_a_folder_others_may_write_to_is_not_used(cache: Path, rules_dir: Path, normaliser: Normaliser,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir()
    cache.chmod(0o777)
    calls = _count_loads(monkeypatch)
    load_rules_cached(rules_dir, normaliser)
    load_rules_cached(rules_dir, normaliser)
    assert calls == [rules_dir, rules_dir] and not list(cache.iterdir())


def test_at_most_max_entries_are_kept(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loadcache, "MAX_ENTRIES", 3)
    for i in range(5):
        loadcache.write(f"{i}.rules", b"x")
        os.utime(cache / f"{i}.rules", ns=(i * 10**9, i * 10**9))
    (cache / ".tmp-killed").write_bytes(b"half")
    os.utime(cache / ".tmp-killed", ns=(0, 0))
    (cache / ".tmp-writing").write_bytes(b"half")  # another process's, just now
    loadcache.write("5.rules", b"x")
    assert sorted(p.name for p in cache.iterdir()) == [".tmp-writing", "3.rules", "4.rules", "5.rules"]


PROBE = """
import json, sys
import datong_nlp.rules
def refuse(*args, **kwargs):
    raise SystemExit("the rules were loaded from YAML")
if sys.argv[1] == "cached":
    datong_nlp.rules.load_rules = refuse
from datong_nlp.cli import extract_main
status = extract_main(sys.argv[2:])
print(json.dumps({"status": status}))
"""


def test_a_new_process_loads_the_rules_from_the_cache(tmp_path: Path, rules_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("大同市市长王明介绍，今年全市煤炭产量达到1.6亿吨。", encoding="utf-8")
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}

    def extract(mode: str, out: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", PROBE, mode, str(corpus), "-o", str(tmp_path / out), "-j", "1",
                               "-q", "--rules", str(rules_dir)], capture_output=True, text=True, cwd=ROOT, env=env)

    refused = extract("cached", "none")  # nothing cached yet: the load is needed
    assert refused.returncode != 0 and "loaded from YAML" in refused.stderr
    first = extract("load", "first")
    assert json.loads(first.stdout)["status"] == 0
    second = extract("cached", "second")
    assert second.returncode == 0 and json.loads(second.stdout)["status"] == 0
    assert (tmp_path / "first" / "a.json").read_bytes() == (tmp_path / "second" / "a.json").read_bytes()


def test_the_segmenter_from_the_cache_cuts_as_one_built_afresh(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datong_nlp.segment import Segmenter

    words = ["大同煤矿集团", "煤炭产量", "同比增长", "市长王明", "宁德时代"]
    fresh = Segmenter(words)  # fills the cache
    assert list(cache.glob("*.words"))

    def refuse(*args: object) -> None:
        raise AssertionError("user words recomputed")

    monkeypatch.setattr(Segmenter, "_add_user_words", refuse)
    again = Segmenter(words)
    assert again.freq == fresh.freq
    for text in ("大同煤矿集团今年煤炭产量同比增长3.5%。", "市长王明说，宁德时代的投资达到20-60亿元。"):
        assert again.cut(text) == fresh.cut(text) and again.cut_dictionary_only(text) == fresh.cut_dictionary_only(text)
    with pytest.raises(AssertionError, match="recomputed"):
        Segmenter([*words, "新的词"])  # other words: another entry
