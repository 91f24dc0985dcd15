"""Entities found by the generated gazetteer, structure and context, on made-up sentences."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from datong_nlp import Extractor
from datong_nlp.rules import default_rules_dir, load_rules

ROOT = Path(__file__).resolve().parent.parent

# Fresh made-up sentences, none from the development texts: (text, span, type).
SENTENCES = [
    ("王建军表示，明年将扩大投资。", "王建军", "PERSON"),
    ("赵丽娜说，这个项目进展顺利。", "赵丽娜", "PERSON"),
    ("林志豪指出，兩岸貿易持續增長。", "林志豪", "PERSON"),
    ("黄伟强坦言，压力很大。", "黄伟强", "PERSON"),
    ("郑雅文認為，房價仍會上升。", "郑雅文", "PERSON"),
    ("司马南强调，要注重质量。", "司马南", "PERSON"),
    ("张  伟：谢谢主持人。", "张  伟", "PERSON"),
    ("周海涛、吴晓梅表示支持。", "周海涛", "PERSON"),
    ("记者刘洋报道", "刘洋", "PERSON"),
    ("首席执行官马斯克宣布降价", "马斯克", "PERSON"),
    ("甘肃省统计局公布了数据。", "甘肃省统计局", "ORG"),
    ("深圳市人民政府发布通知", "深圳市人民政府", "ORG"),
    ("高雄市議會昨日開議", "高雄市議會", "ORG"),
    ("沙田區議會討論交通問題", "沙田區議會", "ORG"),
    ("湖北省发展和改革委员会批复了项目", "湖北省发展和改革委员会", "ORG"),
    ("复旦大学经济学院的教授", "复旦大学经济学院", "ORG"),
    ("中共江苏省委召开会议", "中共江苏省委", "ORG"),
    ("新北市環保局派員稽查", "新北市環保局", "ORG"),
    ("中央经济工作会议在北京举行", "中央经济工作会议", "EVENT"),
    ("第十四届全国人民代表大会第二次会议开幕", "第十四届全国人民代表大会第二次会议", "EVENT"),
    ("党的二十大报告提出", "党的二十大", "EVENT"),
    ("他出席达沃斯论坛", "达沃斯论坛", "EVENT"),
    ("中国国际消费品博览会在海口开幕", "中国国际消费品博览会", "EVENT"),
    ("哈尔滨国际冰雪节吸引游客", "哈尔滨国际冰雪节", "EVENT"),
    ("他来自凉山彝族自治州", "凉山彝族自治州", "GPE"),
    ("我们去了花蓮縣", "花蓮縣", "GPE"),
    ("游客涌入湾仔", "湾仔", "GPE"),
    ("仁寿县的农民", "仁寿县", "GPE"),
    ("埃塞俄比亚和肯尼亚签署协议", "肯尼亚", "GPE"),
    pytest.param("白鹤滩水电站全面投产", "白鹤滩水电站", "FAC",
                 marks=pytest.mark.xfail(reason="the segmenter cuts 白鹤|滩: no proper stem", strict=True)),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _spans(extractor: Extractor, text: str, locale: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(e.text, e.type, e.id) for e in extractor.extract_text(text, locale=locale).entities]


@pytest.mark.parametrize(("text", "span", "etype"), SENTENCES)
def test_made_up_sentence(extractor: Extractor, text: str, span: str, etype: str) -> None:
    doc = extractor.extract_text(text)
    start = text.index(span)
    assert [(e.start, e.end, e.type) for e in doc.entities if e.start < start + len(span) and start < e.end] == [
        (start, start + len(span), etype)]


def test_alias_needs_word_boundaries_and_no_noun_after_a_compositional_name(extractor: Extractor) -> None:
    assert all(t != "ORG" for _, t, _ in _spans(extractor, "中国风电装机容量增长"))
    assert ("中国风电", "ORG", "china-windpower") in _spans(extractor, "中国风电宣布增资")


def test_a_place_and_its_organ_are_one_body_not_the_place(extractor: Extractor) -> None:
    assert _spans(extractor, "大同市教育局发布通知") == [("大同市教育局", "ORG", "organ-bureau")]


def test_a_bare_generic_alias_names_one_place_body_only_in_that_place(extractor: Extractor) -> None:
    assert _spans(extractor, "教育局发布通知", locale="hk") == [("教育局", "ORG", "hk-education-bureau")]
    assert _spans(extractor, "教育局发布通知", locale="cn") == []
    assert _spans(extractor, "市教育局发布通知", locale="hk") == []


def test_places_carry_their_place_and_short_forms_follow_the_rule() -> None:
    rules = load_rules()
    index = rules.alias_index()
    assert index["包头"].id == index["包头市"].id == "cn-150200" and index["包头"].place == "cn"
    assert index["湘西州"].id == index["湘西"].id == "cn-433100"
    assert index["台中"].place == "tw" and index["沙田区"].place == "hk" and index["花地玛堂区"].place == "mo"
    assert index["和平区"].level == "county" and "和平" not in index  # a common word: full form only
    assert "城区" not in index and "大关" not in index and index["大关县"].place == "cn"
    assert index["肯尼亚"].place == "ke" and index["开罗"].place == "eg"
    assert index["韩国"].short == "韩"


def test_every_entity_id_names_a_rule_entry(extractor: Extractor) -> None:
    rules = load_rules()
    known = {e.id for e in rules.gazetteer} | {p.rule for p in rules.entity_patterns}
    known |= {r.rule for r in rules.suffix_rules} | set(rules.entity_context.rule_ids)
    files = sorted((ROOT / "corpus").rglob("*.txt"))[:15]
    assert files
    ids = {e.id for f in files for e in extractor.extract_text(f.read_text(encoding="utf-8", errors="replace")).entities}
    assert None not in ids
    assert ids <= known, ids - known


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("cpca", "babel", "pycountry")),
                    reason="the gazetteer sources are not installed (pip install 'datong-nlp[gazetteer]')")
def test_build_script_regenerates_the_committed_gazetteer(tmp_path: Path) -> None:
    import importlib.metadata

    import yaml

    committed = yaml.safe_load((default_rules_dir() / "places.yaml").read_text(encoding="utf-8"))["source"]
    installed = {p: importlib.metadata.version(p) for p in committed}
    if installed != committed:
        pytest.skip(f"other source versions installed ({installed}) than the file was built from ({committed})")
    out = tmp_path / "places.yaml"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == (default_rules_dir() / "places.yaml").read_text(encoding="utf-8")


def test_places_file_errors_name_file_entry_and_problem(tmp_path: Path) -> None:
    from datong_nlp.types import RulesError

    for name in (p.name for p in default_rules_dir().glob("*.yaml")):
        (tmp_path / name).write_text((default_rules_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "places.yaml"
    text = path.read_text(encoding="utf-8")
    row = "cn-150200|GPE|cn|prefecture|Baotou||包头市 包头"
    assert row in text
    path.write_text(text.replace(row, row.replace("|GPE|", "|PLACE|")), encoding="utf-8")
    with pytest.raises(RulesError, match=r"places.yaml: entry cn-150200: unknown type 'PLACE'"):
        load_rules(tmp_path)
    path.write_text(text.replace(row, row.replace(" 包头", " 香港")), encoding="utf-8")
    with pytest.raises(RulesError, match=r"places.yaml: entry cn-150200: alias '香港' already belongs to entry hk"):
        load_rules(tmp_path)
    path.write_text(text.replace(row, "cn-150200|GPE|cn"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"places.yaml: entry #\d+: must be a row of 7 cells"):
        load_rules(tmp_path)


def test_extract_writes_rule_ids_for_pattern_entities(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("李晓东表示，四川省统计局将发布数据。", encoding="utf-8")
    run = subprocess.run([str(Path(sys.executable).parent / "extract"), str(corpus), "-o", str(tmp_path / "out"), "-q"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    ents = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))["entities"]
    assert [(e["text"], e["type"], e["id"]) for e in ents] == [("李晓东", "PERSON", "people"),
                                                               ("四川省统计局", "ORG", "organ-bureau")]


def test_names_inside_titles_and_agreements_are_not_mentions(extractor: Extractor) -> None:
    assert _spans(extractor, "《2019年湖北统计年鉴》显示") == []
    assert _spans(extractor, "《人民日报》报道") == [("人民日报", "ORG", "peoples-daily")]
    assert all(t != "GPE" for _, t, _ in _spans(extractor, "各国签署了京都议定书"))
    assert _spans(extractor, "巴黎协定生效") == []


def test_a_compass_word_before_a_region_is_part_of_it(extractor: Extractor) -> None:
    assert _spans(extractor, "今年，南台湾雨量偏少") == [("南台湾", "GPE", "tw")]


def test_a_latin_gloss_has_the_mention_type_and_gives_its_english_name(extractor: Extractor) -> None:
    doc = extractor.extract_text("德国总理默克尔（Angela Merkel）表示")
    assert [(e.text, e.type, e.name_en) for e in doc.entities if e.type == "PERSON"] == [
        ("默克尔", "PERSON", "Angela Merkel"), ("Angela Merkel", "PERSON", "Angela Merkel")]


def test_landforms_and_quoted_scheme_names_are_not_mentions(extractor: Extractor) -> None:
    assert _spans(extractor, "冷空气吹进四川盆地") == []
    assert _spans(extractor, "居民要求撤回「合川电厂扩建计划」") == []
    assert _spans(extractor, "推动“中国―东盟自由贸易区”升级") == []
