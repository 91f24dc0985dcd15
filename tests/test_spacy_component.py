"""The `datong_claims` spaCy component: found through the entry point, configured by a config string,
the same values as `extract`, and `nlp.pipe(..., n_process=2)`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import spacy

from datong_nlp import Extractor
from datong_nlp.output import to_json

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ["华能集团在北京投资了50亿元。\n大同市今年光伏装机达到300万千瓦！", "香港今年的預算約為50億元。", "没有数字。"]
CONFIG = """
[nlp]
lang = "zh"
pipeline = ["datong_claims"]

[components]

[components.datong_claims]
factory = "datong_claims"
locale = "hk"
rules = null
"""


def test_add_pipe_works_without_importing_the_package() -> None:
    code = ("import spacy; nlp = spacy.blank('zh'); nlp.add_pipe('datong_claims'); "
            "doc = nlp('华能集团在北京投资了50亿元。'); "
            "print([(s.text, s.label_) for s in doc.spans['claims']], [(e.text, e.label_, e.kb_id_) for e in doc.ents])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[('50亿元', 'money')] [('华能集团', 'ORG', 'huaneng'), ('北京', 'GPE', 'cn-110000')]"


def test_same_values_as_extract(extractor: Extractor) -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("datong_claims")
    text = (ROOT / "corpus" / "datong_interview_2025.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    expected = to_json(extractor.extract_text(text), "x", "x.txt")
    assert doc._.claims == expected["claims"] and doc._.entities == expected["entities"]
    spans = doc.spans["claims"]
    pairs = zip(spans, expected["claims"], strict=True)
    assert [(s.start_char <= c["start"], s.end_char >= c["end"], s.label_) for s, c in pairs] \
        == [(True, True, c["kind"]) for c in expected["claims"]]
    assert len(doc.spans["entities"]) == len(expected["entities"]) == 51
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        [(e["start"], e["end"], e["type"]) for e in expected["entities"]]  # one character a token: exact


def test_overlapping_mentions_go_to_spans_only() -> None:
    from spacy.tokens import Doc

    from datong_nlp.spacy_component import DatongClaims

    nlp = spacy.blank("zh")
    doc = DatongClaims()(nlp.make_doc("华能集团在北京"))
    assert [e.text for e in doc.ents] == ["华能集团", "北京"]
    coarse = Doc(nlp.vocab, words=["华能集团在北京"], spaces=[False])  # both mentions expand to the one token
    coarse = DatongClaims()(coarse)
    assert coarse.ents == () and [s.text for s in coarse.spans["entities"]] == ["华能集团在北京", "华能集团在北京"]


def test_pipeline_from_a_config_string_and_two_processes() -> None:
    config = spacy.util.load_config_from_str(CONFIG)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    assert nlp.pipe_names == ["datong_claims"]
    one = [[(c["text"], c["unit"]) for c in doc._.claims] for doc in nlp.pipe(TEXTS)]
    assert one == [[("50亿元", "HKD"), ("300万千瓦", "kW")], [("50億元", "HKD")], []]  # locale hk: a bare 元 is HKD
    two = [[(c["text"], c["unit"]) for c in doc._.claims] for doc in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert two == one
