"""Property from phrase structure (phrase.py, rules/phrase.yaml): no property is a bare function word."""

from __future__ import annotations

from pathlib import Path

import pytest

from datong_nlp import Extractor
from datong_nlp.phrase import PhraseChunker
from datong_nlp.rules import default_rules_dir, load_rules
from datong_nlp.rules.phrase_file import load_phrase_rules
from datong_nlp.types import RulesError

RULES = load_rules()
assert RULES.phrase is not None
PHRASE_EXAMPLES = RULES.phrase.examples
SENTENCES = sorted({ex.data["text"] for ex in RULES.examples if not ex.negative} |
                   {ex["text"] for ex in PHRASE_EXAMPLES})


@pytest.fixture(scope="module")
def chunker(extractor: Extractor) -> PhraseChunker:
    assert extractor.claims.chunker is not None
    return extractor.claims.chunker


@pytest.mark.parametrize("example", PHRASE_EXAMPLES, ids=lambda ex: f"{ex['text']}:{ex['span']}")
def test_phrase_examples(example: dict, extractor: Extractor) -> None:
    doc = extractor.extract_text(example["text"])
    start = example["text"].index(example["span"])
    hits = [c for c in doc.claims if (c.start, c.end) == (start, start + len(example["span"]))]
    assert len(hits) == 1, doc.claims
    assert hits[0].property == example["property"]


def test_no_property_is_a_function_word_or_fragment(extractor: Extractor, chunker: PhraseChunker) -> None:
    """Over every `examples:` sentence of every rule file: no predicted property holds no noun
    or ends in a preposition, adverb or particle."""
    bad = [(text, c.property) for text in SENTENCES for c in extractor.extract_text(text).claims
           if chunker.is_fragment(c.property)]
    assert len(SENTENCES) > 150
    assert bad == []


@pytest.mark.parametrize(("prop", "fragment"), [
    ("涨幅在", True), ("销量有望", True), ("化工行业增加值分别", True), ("增加了", True), ("在", True),
    ("大幅", True), ("可减少排放", True), ("就业", False),
    ("增加值增长", False), ("销量", False), ("煤炭产量", False), ("规上工业增加值", False),
])
def test_is_fragment(prop: str, fragment: bool, chunker: PhraseChunker) -> None:
    assert chunker.is_fragment(prop) is fragment


@pytest.mark.parametrize(("prop", "clean"), [
    ("涨幅在", "涨幅"), ("销量有望", "销量"), ("也增加了", "增加"), ("分别", None), ("煤炭产量", "煤炭产量"),
    ("跟旅客有关的总消费", "跟旅客有关的总消费"),
])
def test_clean(prop: str, clean: str | None, chunker: PhraseChunker) -> None:
    assert chunker.clean(prop) == clean


def test_respectively_counts(chunker: PhraseChunker) -> None:
    assert chunker.respectively("汽车、电子、化工行业增加值", "增长", 3, 1) == "电子行业增加值增长"
    assert chunker.respectively("钢材、水泥等建材产品产量", "下降", 2, 0) == "钢材产量下降"
    # two subjects, three figures: all share the head
    assert chunker.respectively("汽车、化工行业增加值", "增长", 3, 2) == "行业增加值增长"
    assert chunker.respectively("全省工业增加值", "增长", 2, 0) is None
    # two subjects joined by a conjunction; an indicator of `heads` ending the last item; the noun after 的
    assert chunker.respectively("甲县及乙县的排放量", "为", 2, 1) == "乙县排放量"
    assert chunker.respectively("家具类、家电类和通讯器材零售额", "增长", 3, 2) == "通讯器材零售额增长"
    assert chunker.respectively("家具类、家电类和通讯器材零售额", "增长", 3, 0) == "家具类零售额增长"
    assert chunker.respectively("小学、初中和高中的寄宿学生", "为", 3, 1) == "初中寄宿学生"


def test_phrase_helpers(chunker: PhraseChunker) -> None:
    assert chunker.opening("本港人口比重将维持不变") == "本港人口比重"
    assert chunker.opening("将维持不变") == ""
    assert chunker.drop_adverbs("英国还剩下") == "英国剩下"
    assert chunker.drop_adverbs("还剩下") == "还剩下"  # only inside: an adverb at an end is strip()'s
    assert chunker.drop_adverbs("不合格产品") == "不合格产品"
    assert chunker.opens_with_verb("被判入狱") is True
    assert chunker.opens_with_verb("重大应用") is False
    assert chunker.tokens("市地") == [("市地", "n")]  # a dictionary word as a whole, not 市 + the particle 地


def test_bad_phrase_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "phrase.yaml"
    text = (default_rules_dir() / "phrase.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("respectively: 分别", "respectively: []"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"phrase.yaml: entry respectively"):
        load_phrase_rules(path)


def test_fragment_report_command(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    claims = [{"property": "涨幅在"}, {"property": "煤炭产量"}, {"property": None}]
    (tmp_path / "a.json").write_text(json.dumps({"claims": claims}, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "datong_nlp.fragments", str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "properties that are function words or fragments: 0.500 (1/2): 涨幅在 ×1"
    assert subprocess.run([sys.executable, "-m", "datong_nlp.fragments"], capture_output=True,
                          check=False).returncode == 2
