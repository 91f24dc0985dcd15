"""Folding and conversion keep a correct map back to the original text."""

from __future__ import annotations

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp.normalize import _SCRIPT_RANGES, LONG, Normaliser, fold, s2t_characters


def test_fold_keeps_length_and_folds_forms() -> None:
    text = "１７５５萬千瓦，約２０％\u3000年\uf98e晉創谷‧大同"
    out = fold(text)
    assert len(out) == len(text)
    assert out == "1755萬千瓦,約20% 年年晉創谷·大同"


def test_traditional_converts_with_identity_map() -> None:
    norm = Normaliser().normalise("全市電力總裝機達到1755萬千瓦")
    assert norm.text == "全市电力总装机达到1755万千瓦"
    assert norm.to_original(9, 16) == (9, 16)


def _length_changing(text: str) -> str:
    """A phrase conversion that changes length: 乾隆 -> 乾隆帝, 裡頭 -> 里."""
    return text.replace("乾隆", "乾隆帝").replace("裡頭", "里").replace("萬", "万")


def test_length_changing_conversion_maps_back() -> None:
    original = "乾隆年間，裡頭有3萬人，\n第二行5萬噸"
    norm = Normaliser(convert=_length_changing).normalise(original)
    assert norm.text == "乾隆帝年間,里有3万人,\n第二行5万噸"
    start = norm.text.index("3万人")
    s, e = norm.to_original(start, start + 3)
    assert original[s:e] == "3萬人"
    start = norm.text.index("5万噸")
    s, e = norm.to_original(start, start + 3)
    assert original[s:e] == "5萬噸"
    s, e = norm.to_original(norm.text.index("里"), norm.text.index("里") + 1)
    assert original[s:e] == "裡頭"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("乾隆裡頭萬人年間，3 \n甲乙")), max_size=40))
def test_any_span_maps_inside_the_original(text: str) -> None:
    norm = Normaliser(convert=_length_changing).normalise(text)
    n = len(norm.text)
    for start in range(n):
        for end in range(start + 1, min(n, start + 4) + 1):
            s, e = norm.to_original(start, end)
            assert 0 <= s < e <= len(text)


def test_script_detection() -> None:
    normaliser = Normaliser()
    assert normaliser.script("這是繁體中文的句子，關於經濟發展。") == "traditional"
    assert normaliser.script("这是简体中文的句子，关于经济发展。") == "simplified"
    assert normaliser.script("這是繁體。这是简体，关于经济发展。關於經濟發展") == "mixed"
    assert normaliser.script("12345") == "simplified"


# long texts go through code-point arrays: they must give what str.translate and a Counter give
_CJKISH = st.text(st.one_of(st.sampled_from("萬國與臺灣乾隆后裡头里發髮干幹，（）：　\uf98e\u2f00\n\r a1𠀾𠁞"),
                            st.characters(codec="utf-8")),
                  max_size=300)
_SHARED = Normaliser()


@settings(max_examples=150, deadline=None)
@given(_CJKISH)
def test_long_text_fold_and_charwise_equal_translate(text: str) -> None:
    from datong_nlp.normalize import FOLD_TABLE
    norm = _SHARED
    text = text + "乾隆裡頭萬國與臺灣，　\uf98e" * 400 + text  # long: the array path (normalize.LONG)
    assert fold(text) == text.translate(FOLD_TABLE)
    charwise = norm._charwise(text)
    assert charwise == "".join(norm._char_cache[c] for c in text)
    assert len(charwise) == len(text)


def _script_reference(norm: Normaliser, text: str) -> str:
    trad = simp = 0
    for ch in text:
        if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"):
            continue
        t2s, s2t = norm._t2s.convert(ch), norm._s2t.convert(ch)
        if len(t2s) == 1 and t2s != ch:
            trad += 1
        elif len(s2t) == 1 and s2t != ch:
            simp += 1
    share = trad / (trad + simp) if trad + simp else 0.0
    return "simplified" if trad + simp == 0 or share <= 0.2 else "traditional" if share >= 0.8 else "mixed"


@settings(max_examples=150, deadline=None)
@given(_CJKISH)
def test_script_equals_counting_each_character(text: str) -> None:
    norm = _SHARED
    assert norm.script(text) == _script_reference(norm, text)
    long = (text or "a") * (LONG // max(1, len(text)) + 1)  # the array path
    assert norm.script(long) == _script_reference(norm, long)


def test_script_counts_repeated_characters() -> None:
    norm = Normaliser()
    assert norm.script("國國國國國国") == "traditional"  # 5 of 6
    assert norm.script("國國國国国国国国国国") == "mixed"  # 3 of 10
    assert norm.script("abc 123") == "simplified"
    # outside the counted ranges a character OpenCC converts (𠀾 -> 𠁞, Extension B) is not counted,
    # on the array path too: three traditional characters among ten counted ones
    for n in (1, LONG):
        assert norm.script(("國國國国国国国国国国" + "𠀾" * 20) * n) == "mixed"


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("乾隆裡頭萬國與臺灣發髮干幹後面頭髮皇后，\n\r\x0b\x0c\x1c\x85\u2028 ab1"), max_size=80))
def test_opencc_converts_a_text_as_it_converts_its_lines(text: str) -> None:
    """What `normalise` converting whole texts rests on: no OpenCC phrase spans a line break."""
    convert = _SHARED._t2s.convert
    assert convert(text) == "".join(convert(line) for line in text.splitlines(keepends=True))
    norm = _SHARED.normalise(text)
    assert norm.text == "".join(convert(fold(line)) for line in text.splitlines(keepends=True))


def test_short_texts_and_the_rules_import_no_numpy() -> None:
    """numpy (codepoints.py) is imported on the first long text only, not by loading the rules; and
    not its masked arrays (`numpy.ma`, 0.05 s), which `np.unique` imports."""
    import subprocess
    import sys
    probe = ("import sys; from datong_nlp.corpus import extractor; ex = extractor(None); "
             "ex.extract_text('大同市投资3亿元。'); print('numpy' in sys.modules); "
             "ex.extract_text('大同市投资3亿元，臺灣。' * 500); print('numpy' in sys.modules, 'numpy.ma' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "False"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 0x10FFFF), max_size=60))
def test_distinct_code_points_are_numpys_unique(values: list[int]) -> None:
    import numpy as np

    from datong_nlp import codepoints

    codes = np.array(values, dtype="<u4")
    assert codepoints.distinct(codes) == np.unique(codes).tolist() == sorted(set(values))


def test_characters_only_s2t_converts_every_counted_character_as_s2t() -> None:
    full, chars = opencc.OpenCC("s2t"), s2t_characters()
    counted = "".join(chr(cp) for lo, hi in _SCRIPT_RANGES for cp in range(lo, hi + 1))
    assert len(counted) == 28_160
    assert [chars.convert(ch) for ch in counted] == [full.convert(ch) for ch in counted]
    assert chars.convert("发") == "發" and full.convert("头发") != chars.convert("头发")  # phrases: only the full one


def _difflib_align(a: str, b: str) -> list[tuple[int, int]]:
    """`Normaliser._align` with difflib always (the fast path `_aligned_in_place` off)."""
    from unittest import mock

    from datong_nlp import normalize
    with mock.patch.object(normalize, "_aligned_in_place", lambda a, b: False):
        return Normaliser(convert=lambda s: s)._align(a, b)


_ALIGN_CHARS = st.sampled_from("ab干乾后後 ，")


@st.composite
def _substituted(draw: st.DrawFn) -> tuple[str, str]:
    a = draw(st.text(_ALIGN_CHARS, max_size=30))
    b = list(a)
    for i in draw(st.lists(st.integers(0, max(0, len(a) - 1)), max_size=5)) if a else []:
        b[i] = draw(_ALIGN_CHARS)
    return a, "".join(b)


@settings(max_examples=1000, deadline=None)
@given(_substituted() | st.tuples(st.text(_ALIGN_CHARS, max_size=12), st.text(_ALIGN_CHARS, max_size=12)))
def test_alignment_in_place_is_what_difflib_gives(pair: tuple[str, str]) -> None:
    """`_aligned_in_place` says so only where difflib maps the texts position by position."""
    from datong_nlp.normalize import _aligned_in_place
    a, b = pair
    in_place = [(k, k + 1) for k in range(len(b))]
    if _aligned_in_place(a, b):
        assert _difflib_align(a, b) == in_place
    assert Normaliser(convert=lambda s: s)._align(a, b) == _difflib_align(a, b)


def test_alignment_in_place_cases() -> None:
    from datong_nlp.normalize import _aligned_in_place
    assert _aligned_in_place("干a后", "乾a後")
    assert not _aligned_in_place("aXa", "aaY")  # difflib pairs the second a with the first: not in place
    assert _difflib_align("aXa", "aaY") != [(0, 1), (1, 2), (2, 3)]
    assert not _aligned_in_place("ab", "abc")
    assert _aligned_in_place("", "")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("乾隆裡頭萬國與臺灣發髮干幹後面頭髮皇后於，。\n\r\x0b\u2028 ab1"), max_size=120),
       st.integers(0, 3))
def test_normalise_equals_converting_line_by_line_and_difflib(text: str, repeat: int) -> None:
    """The whole-text conversion split at line breaks, and the in-place alignment, give the offset
    map that converting each line and aligning with difflib give."""
    from unittest import mock

    from datong_nlp import normalize
    text = text * (1 + repeat * 20)  # past 1024 characters: the offsets array grows
    norm = _SHARED.normalise(text)
    with mock.patch.object(normalize, "_aligned_in_place", lambda a, b: False):
        ref = Normaliser(convert=_SHARED._t2s.convert).normalise(text)  # a given converter: line by line
    assert norm.text == ref.text
    assert (norm.starts is None) == (ref.starts is None)
    assert norm.starts == ref.starts and norm.ends == ref.ends


@settings(max_examples=150, deadline=None)
@given(_CJKISH)
def test_mid_size_texts_after_a_long_one_take_the_arrays_alike(text: str) -> None:
    """Once numpy is loaded, texts of `ARRAYS_FROM` characters or more go through the arrays too."""
    from datong_nlp.normalize import ARRAYS_FROM, FOLD_TABLE
    norm = _SHARED
    norm.normalise("乾隆裡頭萬國" * LONG)  # a long text: the arrays exist
    mid = (text + "乾隆裡頭萬國與臺灣，\uf98e" * ARRAYS_FROM)[:ARRAYS_FROM + len(text)]
    assert ARRAYS_FROM <= len(mid) < LONG
    assert fold(mid) == mid.translate(FOLD_TABLE)
    assert norm._charwise(mid) == "".join(norm._char_cache[c] for c in mid)
    assert norm.script(mid) == _script_reference(norm, mid)
