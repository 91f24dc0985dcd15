"""The JSON writer: byte-identical to `json.dumps(indent=1)`, files readable as a plain write makes them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.output import dumps, encode, iter_json, to_json, write_atomic
from datong_nlp.types import Claim, ClaimRules, Document, Entity

EXAMPLES = int(os.environ.get("DATONG_HYPOTHESIS_EXAMPLES", "2000"))
ROOT = Path(__file__).resolve().parent.parent

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(st.characters(codec="utf-8") | st.sampled_from(["\x00", "\x1f", "\x7f", "\u2028", '"', "\\"])))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                            max_size=4), max_leaves=20)


@settings(max_examples=EXAMPLES, deadline=None)
@given(VALUES)
def test_encode_is_json_dumps_indent_1(value: object) -> None:
    assert encode(value) == json.dumps(value, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("value", [{1: "a", 2.5: None, None: []}, {True: 0}, ("a", (1, 2)), {"x": {}}, [[]], 1e16, -0.0,
                                   1.5e-07, 2**70, float("nan"), {"nested": {"deep": [{"k": "v"}]}}])
def test_encode_odd_values(value: object) -> None:
    assert encode(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_encode_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        encode({"a": object()})


def test_streamed_json_equals_dumps_with_extra_fields(extractor: Extractor) -> None:
    text = "大同市2020年煤炭产量达到1.6亿吨，同比增长3.5%。中国石化在香港投资10亿元。"
    doc = extractor.extract_text(text)
    assert doc.claims and doc.entities
    streamed = "".join(iter_json([doc], "d", "d.txt"))
    assert streamed == dumps(to_json(doc, "d", "d.txt"))
    json.loads(streamed)


_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(["\x00", "\u2028", '"', "\\"]), max_size=6)
_OPT = st.none() | _TEXT
_NUMBER = st.integers(-2**70, 2**70) | st.floats(allow_nan=True, allow_infinity=True)


@st.composite
def _documents(draw: st.DrawFn) -> Document:
    text = "大同市投资10亿元。\n中国石化增长3.5%！" * 2
    n = len(text)
    claims = sorted((Claim(s, s + 2, text[s:s + 2], draw(_NUMBER), draw(st.none() | _NUMBER), draw(_TEXT), draw(_TEXT),
                           draw(_TEXT), draw(_TEXT), draw(_OPT), draw(_OPT), draw(_OPT),
                           draw(st.none() | st.builds(ClaimRules, _OPT, _OPT, _OPT, _OPT, _OPT)), draw(_OPT), draw(_OPT))
                     for s in draw(st.lists(st.integers(0, n - 2), max_size=4))), key=lambda c: (c.start, c.end))
    entities = sorted((Entity(s, s + 2, text[s:s + 2], draw(_TEXT), draw(_OPT), draw(_OPT))
                       for s in draw(st.lists(st.integers(0, n - 2), max_size=4))), key=lambda e: (e.start, e.end))
    return Document(text, "utf-8", "simplified", "cn", claims, entities, rules_sha256="0" * 64)


@settings(max_examples=min(EXAMPLES, 300), deadline=None)
@given(_documents())
def test_streamed_items_equal_dumps_for_any_values(doc: Document) -> None:
    """The claim and entity templates of `iter_json` write what the generic encoder writes."""
    assert "".join(iter_json([doc], "d", "d.txt")) == dumps(to_json(doc, "d", "d.txt"))


# few values: the remembered pieces are read again (a list: a key that cannot be looked up)
_FEW = st.sampled_from(["a", "\u2028", None, 1, 1.0, True, ("a",), ["a"]])


@st.composite
def _repetitive_documents(draw: st.DrawFn) -> Document:
    text = "大同市投资10亿元。\n中国石化增长3.5%！" * 2
    n = len(text)
    rules = st.none() | st.builds(ClaimRules, _FEW, _FEW, _FEW, _FEW, _FEW)
    claims = sorted((Claim(s, s + 2, draw(_FEW), 1.0, None, *draw(st.lists(_FEW, min_size=7, max_size=7)),
                           draw(rules), draw(_FEW), draw(_FEW))
                     for s in draw(st.lists(st.integers(0, n - 2), max_size=8))), key=lambda c: (c.start, c.end))
    entities = sorted((Entity(s, s + 2, draw(_FEW), draw(_FEW), draw(_FEW), draw(_FEW))
                       for s in draw(st.lists(st.integers(0, n - 2), max_size=8))), key=lambda e: (e.start, e.end))
    return Document(text, "utf-8", "simplified", "cn", claims, entities, rules_sha256="0" * 64)


@settings(max_examples=min(EXAMPLES, 500), deadline=None)
@given(_repetitive_documents())
def test_remembered_item_pieces_equal_dumps(doc: Document) -> None:
    """The pieces of claim and entity items the writer remembers are read back only for equal fields
    of the same types (1, 1.0 and True are equal keys, but none of them is remembered)."""
    assert "".join(iter_json([doc], "d", "d.txt")) == dumps(to_json(doc, "d", "d.txt"))


def test_remembered_item_pieces_tell_every_field_apart() -> None:
    """Claims (entities) that differ in one field only, each field in turn, after the first is remembered."""
    base = Claim(0, 2, "大同", 1.0, None, "t", "mass", "=", "actual", "p", "2020年", "r", ClaimRules("u", "c", "m", "t", "p"),
                 "2020", "clause")
    claims = [base]
    for name in ("unit", "kind", "comparator", "modality", "property", "time", "rule", "time_norm", "time_source"):
        claims.append(replace(base, **{name: "x"}))
    assert base.rules is not None
    for name in ("unit", "comparator", "modality", "time", "property"):
        claims.append(replace(base, rules=replace(base.rules, **{name: "x"})))
    claims.append(replace(base, rules=None))
    entity = Entity(0, 2, "大同", "GPE", "Datong", "datong")
    entities = [entity] + [replace(entity, **{name: "x"}) for name in ("text", "type", "name_en", "id")]
    doc = Document("大同市", "utf-8", "simplified", "cn", claims, entities, rules_sha256="0" * 64)
    assert "".join(iter_json([doc], "d", "d.txt")) == dumps(to_json(doc, "d", "d.txt"))


def test_output_files_get_the_umask_mode(tmp_path: Path) -> None:
    """mkstemp makes 0600 files; outputs get what a plain write gives (0644 under umask 022, 0640 under 027)."""
    script = ("import os, sys; os.umask(int(sys.argv[2], 8)); from pathlib import Path; "
              "from datong_nlp.output import write_atomic; write_atomic(Path(sys.argv[1]), 'x')")
    for mask, mode in (("022", 0o644), ("027", 0o640), ("077", 0o600), ("002", 0o664)):
        out = tmp_path / f"m{mask}.json"
        subprocess.run([sys.executable, "-c", script, str(out), mask], check=True)
        assert stat.S_IMODE(out.stat().st_mode) == mode
        assert out.read_text() == "x"


def test_extract_writes_world_readable_outputs(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("煤炭产量达到1.6亿吨。", encoding="utf-8")
    cli = "import sys; from datong_nlp.cli import main; sys.exit(main())"
    subprocess.run(["sh", "-c", 'umask 022 && exec "$@"', "sh", sys.executable, "-c", cli, "extract",
                    str(corpus), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"], check=True, cwd=ROOT)
    assert stat.S_IMODE((tmp_path / "out" / "a.json").stat().st_mode) == 0o644


def test_write_atomic_leaves_no_temp_file_on_error(tmp_path: Path) -> None:
    def pieces():
        yield "{"
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "x.json", pieces())
    assert list(tmp_path.iterdir()) == []
