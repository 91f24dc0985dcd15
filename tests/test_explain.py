"""`datong-nlp explain`: every stage's result on one sentence with the rules that fired."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATONG_NLP = str(Path(sys.executable).with_name("datong-nlp"))

EXPECTED = """\
text: 到2027年，全市新能源装机将达到1800万千瓦，约为去年的2倍
locale: cn (bare 元 = CNY)
times:
  0-6 到2027年  [target-year]  future
  27-29 去年  [relative-year]
quantities:
  1-6 2027年  2027 year (duration)  [duration-year]  dropped: calendar-year
  17-24 1800万千瓦  18000000 kW (power)  [power-kw]  claim
  30-32 2倍  2 x (ratio)  [ratio-times]  claim
claims:
  17-24 1800万千瓦
    unit        kW  [power-kw]
    comparator  =  [equal]
    modality    projected  [plan-and-forecast]
    time        到2027年  [target-year]
    property    新能源装机  [property-before]
  30-32 2倍
    unit        x  [ratio-times]
    comparator  =  [default]
    modality    projected  [plan-and-forecast]
    time        去年  [relative-year]
    property    新能源装机  [property-inherited]
entities:
  (none)
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DATONG_NLP, "explain", *args], capture_output=True, text=True, encoding="utf-8", check=False)


def test_explain_prints_every_stage_with_its_rule() -> None:
    done = _run("到2027年，全市新能源装机将达到1800万千瓦，约为去年的2倍")
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED


def test_explain_json_offsets_point_into_the_traditional_sentence() -> None:
    text = "政府會預留約100億元，陳茂波司長表示"
    done = _run(text, "--json", "--locale", "hk")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["locale"], result["currency"]) == ("hk", "HKD")
    (claim,) = result["claims"]
    assert (claim["start"], claim["end"], claim["text"]) == (6, 11, "100億元")
    assert claim["rules"] == {"unit": "currency-local", "comparator": "about", "modality": "plan-nouns",
                              "time": None, "property": "property-before"}
    assert claim["property"] == "政府会预留"  # properties are written in simplified characters
    assert [(e["text"], e["type"]) for e in result["entities"]] == [("陳茂波", "PERSON")]
    assert all(text[x["start"]:x["end"]] == x["text"] for key in ("quantities", "claims", "entities")
               for x in result[key])


def test_explain_with_a_broken_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = _run("3个", "--rules", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith("error: rules: ")
