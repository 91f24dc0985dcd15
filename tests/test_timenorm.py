"""time_norm: claim times as ISO 8601, resolved against a document date (timenorm.py, rules/time_norm.yaml)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from datong_nlp import Extractor
from datong_nlp.rules import default_rules_dir
from datong_nlp.rules.time_norm import load_time_norm
from datong_nlp.timenorm import DocDate, TimeNormaliser, find_doc_date, parse_doc_date
from datong_nlp.types import RulesError

RULES = load_time_norm(default_rules_dir() / "time_norm.yaml")
NORM = TimeNormaliser(RULES)

# (time string, document date, frame year, expected time_norm); all made up
CASES = [
    # absolute
    ("2024年", "2025", None, "2024"),
    ("2025年12月", None, None, "2025-12"),
    ("2025年3月12日", None, None, "2025-03-12"),
    ("2011年 9月", None, None, "2011-09"),
    ("2025年底", None, None, "2025-12"),
    ("2024年初", None, None, "2024-01"),
    ("2021年全年", "2022-01", None, "2021"),
    ("2020年下半年", None, None, "2020-07/2020-12"),
    ("2017上半年", None, None, "2017-01/2017-06"),
    ("2016年第一季", None, None, "2016-01/2016-03"),
    ("2019年四季度", None, None, "2019-10/2019-12"),
    ("2013年1月份", None, None, "2013-01"),
    # ranges
    ("2021年1-6月", None, None, "2021-01/2021-06"),
    ("2017年1——6月", None, None, "2017-01/2017-06"),
    ("2011年9月至12月", None, None, "2011-09/2011-12"),
    ("2011年10月至2012年12月", None, None, "2011-10/2012-12"),
    ("2014-2016年", None, None, "2014/2016"),
    ("2014-2016年连续三年", None, None, "2014/2016"),
    ("今年(2017)一月至四月", None, None, "2017-01/2017-04"),
    ("去年(2016)十一月", None, None, "2016-11"),
    # fiscal and school years, plan periods
    ("2013-14年度", None, None, "2013-04/2014-03"),
    ("2012-2013学年", None, None, "2012-09/2013-08"),
    ("十四五时期", None, None, "2021/2025"),
    ("“十二五”期间", None, None, "2011/2015"),
    ("十五五", None, None, "2026/2030"),
    ("十一五末", None, None, "2010"),
    ("十三五以来", "2019-06", None, "2016/2019"),
    # relative to the document date
    ("今年", "2025-05-01", None, "2025"),
    ("去年", "2025", None, "2024"),
    ("上年末", "2025", None, "2024-12"),
    ("前年", "2018", None, "2016"),
    ("明年底", "2025", None, "2026-12"),
    ("今明两年", "2013", None, "2013/2014"),
    ("今年上半年", "2021-08", None, "2021-01/2021-06"),
    ("今年前7个月", "2017-08", None, "2017-01/2017-07"),
    ("去年全年", "2017", None, "2016"),
    ("未来三年", "2025", None, "2026/2028"),
    ("未来2到3年", "2025", None, None),
    ("过去5年", "2013", None, "2008/2012"),
    ("十年来", "2022", None, "2012/2022"),
    ("12年前", "2018", None, "2006"),
    ("目前", "2011-08-25", None, "2011-08-25"),
    ("今年以来", "2017-08", None, "2017-01/2017-08"),
    ("2013年以来", "2020", None, "2013/2020"),
    ("2016年来", "2022", None, "2016/2022"),
    # year-less: the frame year, else the document date's year
    ("全年", "2022-01", 2021, "2021"),
    ("年末", "2022", 2021, "2021-12"),
    ("一季度", "2011-05-12", None, "2011-01/2011-03"),
    ("1-7月", "2017-08", None, "2017-01/2017-07"),
    ("6月12日", "2013", None, "2013-06-12"),
    ("当年", "2025", 2019, "2019"),
    # unresolvable: null, never a guess
    ("今年", None, None, None),
    ("去年", None, 2021, None),
    ("全年", None, None, None),
    ("当年", "2025", None, None),
    ("未来三年", None, None, None),
    ("每年", "2025", None, None),
    ("每月", "2025", 2025, None),
    ("春节后", "2011", None, None),
    ("去冬今春", "2011", None, None),
    ("同期", "2017", 2017, None),
    ("连续8年", "2021", None, None),
    ("最近四个月", None, None, None),
    ("2025年13月", None, None, None),
    ("十十年来", "2022", None, None),  # not a numeral (a KeyError once)
]


@pytest.mark.parametrize(("time", "doc_date", "frame_year", "expected"), CASES)
def test_time_norm_table(time: str, doc_date: str | None, frame_year: int | None, expected: str | None) -> None:
    doc = parse_doc_date(doc_date) if doc_date else None
    assert NORM.normalise(time, doc, frame_year) == expected


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert sum(expected is None for *_, expected in CASES) >= 10


def test_rule_file_examples() -> None:
    """Every example of time_norm.yaml: a normalisation (`norm`) or a document date (`doc_date`)."""
    assert len(RULES.examples) >= 30
    for rule, ex, _negative in RULES.examples:
        if "norm" in ex:
            doc = parse_doc_date(ex["doc_date"]) if ex.get("doc_date") else None
            frame = int(ex["frame"]) if ex.get("frame") else None
            assert NORM.normalise(ex["text"], doc, frame) == ex["norm"], (rule, ex)
        else:
            found = find_doc_date(ex["text"], RULES)
            assert (found.iso() if found else None) == ex["doc_date"], (rule, ex)


def test_doc_date_sources() -> None:
    assert find_doc_date("标题\n发布时间：2011-08-25\n今年(2010)", RULES) == DocDate(2011, 8, 25, "labelled-date")
    assert find_doc_date("标题\n2019/3/7 来源：某报\n", RULES) == DocDate(2019, 3, 7, "dateline")
    assert find_doc_date("某地新闻\n正文说去年（2016）销量", RULES) == DocDate(2017, source="glossed-year")
    assert find_doc_date("2021年全省经济运行情况\n正文", RULES) == DocDate(2021, source="title-year")
    assert find_doc_date("无日期的标题\n正文2020年", RULES) is None
    with pytest.raises(ValueError, match="not a date"):
        parse_doc_date("2025/03")
    with pytest.raises(ValueError, match="month"):
        parse_doc_date("2025-13")


def test_claims_get_time_norm_and_source(extractor: Extractor) -> None:
    text = "2021年全省经济运行情况\n全省粮食产量增长3.1%。\n今年一季度，全市用电量增长8.5%，未来三年将新增装机200万千瓦。\n"
    doc = extractor.extract_text(text)
    assert doc.doc_date == "2021"
    got = [(c.text, c.time, c.time_norm, c.time_source) for c in doc.claims]
    assert got == [("3.1%", None, "2021", "frame"),
                   ("8.5%", "今年一季度", "2021-01/2021-03", "clause"),
                   ("200万千瓦", "未来三年", "2022/2024", "clause")]


def test_lead_frames_only_with_an_opening_time(extractor: Extractor) -> None:
    opening = extractor.extract_text("标题\n2021年，全省粮食产量增长3.1%。\n")
    inside = extractor.extract_text("标题\n政府早在2001年成立基金。全省粮食产量增长3.1%。\n")
    assert [(c.time_norm, c.time_source) for c in opening.claims] == [("2021", "clause")]
    assert [(c.time_norm, c.time_source) for c in inside.claims] == [(None, None)]


def test_doc_date_argument_wins(extractor: Extractor) -> None:
    doc = extractor.extract_text("报道\n去年全市用电量增长8.5%。\n", doc_date="2019-05")
    assert doc.doc_date == "2019-05"
    assert [(c.time, c.time_norm, c.time_source) for c in doc.claims] == [("去年", "2018", "clause")]
    doc = extractor.extract_text("报道\n去年全市用电量增长8.5%。\n")
    assert doc.doc_date is None
    assert [(c.time, c.time_norm, c.time_source) for c in doc.claims] == [("去年", None, None)]


def test_cli_doc_date(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("报道\n今年全市用电量增长8.5%。\n", encoding="utf-8")
    cmd = [str(Path(sys.executable).parent / "extract"), str(corpus), "-o", str(tmp_path / "o"), "-q",
           "--doc-date", "2024-03", "--jobs", "1"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads((tmp_path / "o" / "a.json").read_text(encoding="utf-8"))
    assert out["doc_date"] == "2024-03"
    assert [(c["time"], c["time_norm"], c["time_source"]) for c in out["claims"]] == [("今年", "2024", "clause")]
    bad = subprocess.run([*cmd[:-4], "--doc-date", "March"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "not a date" in bad.stderr


def test_bad_time_norm_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "time_norm.yaml"
    text = (default_rules_dir() / "time_norm.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("months: [1, 6]", "months: [6, 1]", 1), encoding="utf-8")
    with pytest.raises(RulesError, match=r"time_norm.yaml: entry first-half: `months`"):
        load_time_norm(path)


def test_cli_doc_dates_file(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("报道\n去年全市用电量增长8.5%。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("报道\n去年全市用电量增长8.5%。\n", encoding="utf-8")
    dates = tmp_path / "dates.csv"
    dates.write_text("doc_id,date\na,2020-06\n", encoding="utf-8")
    cmd = [str(Path(sys.executable).parent / "extract"), str(corpus), "-o", str(tmp_path / "o"), "-q", "--jobs", "1",
           "--doc-date", "2015", "--doc-dates", str(dates)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    norms = {name: json.loads((tmp_path / "o" / f"{name}.json").read_text(encoding="utf-8"))["claims"][0]["time_norm"]
             for name in "ab"}
    assert norms == {"a": "2019", "b": "2014"}
    dates.write_text("a,June\n", encoding="utf-8")
    bad = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "line 1" in bad.stderr


def test_a_doubled_ten_is_no_number(extractor: Extractor) -> None:
    """`十十` (a typo or an insertion) is no count of years: no time_norm, and no crash."""
    from datong_nlp.timenorm import _small_number

    assert _small_number("十十") is None
    assert _small_number("二十三") == 23
    doc = extractor.extract_text("近十十年来，全市投资超600亿元。")
    assert [c.text for c in doc.claims] == ["600亿元"]
