"""The lexicon answers as the dicts over jieba's dictionary that it replaces."""

from __future__ import annotations

from collections import Counter
from itertools import compress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import loadcache
from datong_nlp.gazetteer import MIN_FREQ, Tags
from datong_nlp.lexicon import Lexicon, TagView, load
from datong_nlp.phrase import dictionary_tags
from datong_nlp.segment import dictionary_entries, lexicon

ENTRIES = dictionary_entries()
FREQ = dict(zip(ENTRIES.words, ENTRIES.freqs, strict=True))  # what the segmenter's `freq` was
TWICE = [w for w, n in Counter(ENTRIES.words).items() if n > 1]
SOME = ENTRIES.words[::4] + TWICE  # a quarter of the words (every word costs seconds), and the one listed twice
WORDS = st.sampled_from(ENTRIES.words)
# dictionary words, their pieces and joins, and characters no word starts with
KEYS = st.one_of(WORDS, WORDS.map(lambda w: w[:-1]), WORDS.map(lambda w: w[1:]), st.tuples(WORDS, WORDS).map("".join),
                 st.text(alphabet=st.sampled_from("中国风电a1 \ud800😀市长"), max_size=4))


def test_every_dictionary_word_has_the_frequency_of_its_last_line() -> None:
    lex = lexicon()
    assert [lex.get(w) for w in SOME] == [FREQ[w] for w in SOME]
    assert TWICE and lex.as_dict() == FREQ  # one word is listed twice
    assert len(lex) == len(FREQ)


@settings(max_examples=1000, deadline=None)
@given(KEYS)
def test_any_string_gets_what_the_dict_gives(key: str) -> None:
    lex = lexicon()
    assert lex.get(key) == FREQ.get(key) and (key in lex) == (key in FREQ)
    if key in FREQ:
        assert lex[key] == FREQ[key]
    else:
        with pytest.raises(KeyError):
            lex[key]


def test_tags_are_those_of_the_tables_they_replace() -> None:
    old_tags = dict(compress(zip(ENTRIES.words, ENTRIES.tags, strict=True), [f >= MIN_FREQ for f in ENTRIES.freqs]))
    tags = Tags()
    assert all(tags.get(w) == old_tags.get(w) for w in SOME)
    chosen = frozenset({"v", "vn", "p", "c", "u", "f"})
    old_view = {w: t for w, _f, t in ENTRIES if t in chosen}
    view = dictionary_tags(chosen)
    assert all(view.get(w, "n") == old_view.get(w, "n") for w in SOME)
    assert view.get("不是一个词", "n") == "n" and view.get("不是一个词") is None


def test_a_word_listed_twice_keeps_every_line_in_file_order() -> None:
    lex = Lexicon.from_columns(["乙", "甲", "乙", "丙"], [5, 7, 30, 2], ["n", "v", "ns", "n"])
    assert lex.entries("乙") == ((5, "n"), (30, "ns")) and lex.get("乙") == 30
    assert TagView(lex, lambda f, _t: f < 10).get("乙") == "n"  # the last line that qualifies
    assert TagView(lex, lambda _f, t: t == "v").get("乙") is None
    assert lex.get("丁") is None and lex.get("") is None and len(lex) == 3


def test_added_words_belong_to_one_copy() -> None:
    shared = lexicon()
    mine, other = shared.fresh(), shared.fresh()
    mine.add("大同煤矿集团", 2000)
    mine.add("中国", 5)  # a dictionary word given another frequency
    assert mine.get("大同煤矿集团") == 2000 and mine.get("中国") == 5 and "大同煤矿集团" in mine
    assert other.get("大同煤矿集团") is None and other.get("中国") == FREQ["中国"]
    assert len(mine) == len(FREQ) + 1 and bool(Lexicon.from_columns([], [], []).fresh()) is False


def test_the_lexicon_comes_back_from_the_load_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loadcache.CACHE_ENV, str(tmp_path))
    path = tmp_path / "dict.txt"
    path.write_text("中国 100 ns\n风电 20 n\n中国 3 n\n", encoding="utf-8")
    entries = dictionary_entries(path)
    built = Lexicon.from_columns(entries.words, entries.freqs, entries.tags)
    first = load(path, lambda: (entries.words, entries.freqs, entries.tags))
    assert list(tmp_path.glob("*.lexicon"))
    again = load(path, lambda: pytest.fail("rebuilt"))
    assert first.state() == built.state() == again.state() and again.as_dict() == {"中国": 3, "风电": 20}
    assert again.entries("中国") == ((100, "ns"), (3, "n"))
    with pytest.raises(ValueError, match="lengths"):
        Lexicon.from_state((b"x", b"", b"", b"", [], {}, 0))
