"""The time patterns' scanner is kept for the rule set it was made for, never given to another."""

from __future__ import annotations

import dataclasses

from datong_nlp import Extractor
from datong_nlp.anchors import PatternScanner
from datong_nlp.claims.times import _scanner_of, find_times

TEXT = "2021年全市产量增长3%，今年1月至3月产量增长5%，预计明年下半年投产。"


def test_a_scanner_per_rule_set(extractor: Extractor) -> None:
    rules = extractor.rules
    assert _scanner_of(rules) is _scanner_of(rules)
    fewer = dataclasses.replace(rules, times=[r for r in rules.times if "今年" not in r.pattern.pattern])
    assert [p.pattern for p in _scanner_of(fewer).patterns] == [r.pattern.pattern for r in fewer.times]
    for rule_set in (rules, fewer, rules):  # each time the scanner of the rules asked with
        plain = PatternScanner([r.pattern for r in rule_set.times])
        found = sorted((m.start(), m.end()) for _, m in plain.scan(TEXT))
        times = find_times(TEXT, rule_set)
        assert {(t.start, t.end) for t in times} <= set(found) and times
    assert {t.text for t in find_times(TEXT, rules)} - {t.text for t in find_times(TEXT, fewer)}
