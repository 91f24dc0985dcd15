"""romanise.pinyin_text against pypinyin's lazy_pinyin: every phrase and character of its
dictionaries, random strings made of their pieces, the names of the outputs, and the fallbacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from datong_nlp import Extractor, romanise
from datong_nlp.loadcache import CACHE_ENV

ROOT = Path(__file__).resolve().parent.parent
PHRASES = sorted(PHRASES_DICT)
CHARS = sorted(chr(c) for c in PINYIN_DICT)
# pieces of phrases (whole, their starts, their ends), characters, and what the table lacks
PIECES = st.one_of(st.sampled_from(PHRASES), st.sampled_from(PHRASES).map(lambda p: p[:-1]),
                   st.sampled_from(PHRASES).map(lambda p: p[1:]), st.sampled_from(CHARS),
                   st.sampled_from(["a", "Z9", " ", "·", "〇", "\U00020000", "\U0002b740", "〆", "々", "⺀"]))

GIVEN_NAMES = st.one_of(st.text(st.sampled_from(CHARS), min_size=1, max_size=2), st.sampled_from(PHRASES).map(lambda p: p[:2]))


def reference(text: str) -> str:
    return "".join(lazy_pinyin(text))


def test_the_table_is_used() -> None:
    assert romanise._table()  # the session's load cache: built by pypinyin on the first call
    assert romanise.pinyin_text("王明") == "wangming"
    assert romanise.pinyin_text("") == ""


def test_every_phrase_and_character() -> None:
    for text in ["", *PHRASES, *CHARS]:
        assert romanise.pinyin_text(text) == reference(text), text


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=6).map("".join))
def test_strings_of_pieces(text: str) -> None:
    assert romanise.pinyin_text(text) == reference(text)


def _reference_name(surnames: list[str], name: str) -> str:
    """`EntityFinder.pinyin_name` as it was, through pypinyin."""
    surname = next((s for s in surnames if name.startswith(s) and len(name) > len(s)), name[:1])
    return f"{reference(surname).capitalize()} {reference(name[len(surname):]).capitalize()}".strip()


def test_the_names_of_the_outputs(extractor: Extractor) -> None:
    """Every person's name_en in outputs/ is pypinyin's, surname first (the rule of pinyin_name)."""
    finder = extractor.entities
    names = [(e["text"], e["name_en"]) for path in sorted((ROOT / "outputs").rglob("*.json"))
             for e in json.loads(path.read_text(encoding="utf-8"))["entities"] if e["type"] == "PERSON" and e["name_en"]]
    assert names
    for text, name_en in names:
        name = extractor.normaliser.simplify(text)
        assert finder.pinyin_name(name) == _reference_name(finder.surnames, name) == name_en


@settings(max_examples=2000, deadline=None)
@given(st.data())
def test_names_of_a_surname_and_one_or_two_characters(extractor: Extractor, data: st.DataObject) -> None:
    finder = extractor.entities
    surname = data.draw(st.sampled_from(finder.surnames))
    given_name = data.draw(GIVEN_NAMES)
    finder._pinyin.clear()
    assert finder.pinyin_name(surname + given_name) == _reference_name(finder.surnames, surname + given_name)


def test_without_the_load_cache_pypinyin_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    romanise._table.cache_clear()
    try:
        assert romanise._table() is None
        assert romanise.pinyin_text("欧阳修") == reference("欧阳修")
    finally:
        monkeypatch.undo()
        romanise._table.cache_clear()
        romanise._group.cache_clear()


def test_a_one_character_phrase_turns_the_table_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PHRASES_DICT, "王", [["wàng"]])
    assert romanise._build() == {}
