"""Load and validate `rules/time_norm.yaml` (the data `timenorm.py` resolves times with), for `loader.py`.

Errors name the file, the entry and the problem, like the other rule files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..types import RulesError

FILE = "time_norm.yaml"
_N = r"\d+|[零〇一二两三四五六七八九十百几]+"


@dataclass(frozen=True)
class RelativeYear:
    rule: str
    anchor: str  # "doc" (the document date's year) or "frame" (the year spoken of)
    offset: int
    span: int = 1  # how many years from the resolved one (今明两年 = 2)


@dataclass(frozen=True)
class YearSpan:
    rule: str
    pattern: regex.Pattern[str]
    start: tuple[int, int]  # (a, b): a*N + b years from the document year
    end: tuple[int, int]


@dataclass
class TimeNormRules:
    """Everything `timenorm.py` knows, from one `time_norm.yaml`."""

    labels: tuple[str, ...] = ()
    dateline_lines: int = 8
    title_year: bool = True
    glossed_year: bool = True
    relative_years: dict[str, RelativeYear] = field(default_factory=dict)  # word -> rule
    year_parts: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # word -> (rule, first, last month)
    present: tuple[str, ...] = ()
    year_spans: list[YearSpan] = field(default_factory=list)
    plans: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # word -> (rule, first, last year)
    plan_whole: tuple[str, ...] = ()
    plan_end: tuple[str, ...] = ()
    since: tuple[str, ...] = ()
    split_years: dict[str, tuple[int, int]] = field(default_factory=dict)  # 学年 -> (first month, last month)
    examples: list[tuple[str, dict[str, Any], bool]] = field(default_factory=list)  # (rule, example, negative)


class _Checker:
    def __init__(self, path: Path, simplify: Callable[[str], str]) -> None:
        self.path, self.simplify = path, simplify

    def fail(self, entry: str | None, reason: str) -> RulesError:
        return RulesError(f"{self.path.name}: entry {entry}: {reason}" if entry else f"{self.path.name}: {reason}")

    def words(self, item: dict, entry: str, key: str = "words") -> list[str]:
        words = item.get(key)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise self.fail(entry, f"`{key}` must be a non-empty list of strings")
        return [self.simplify(w) for w in words]

    def entries(self, data: dict, key: str) -> list[tuple[str, dict]]:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            raise self.fail(None, f"`{key}` must be a non-empty list")
        out: list[tuple[str, dict]] = []
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str) or not regex.fullmatch(r"[A-Za-z0-9_.\-]+", ident):
                raise self.fail(f"#{i + 1} of {key}", f"needs an `id` of letters, digits, - or _, got {ident!r}")
            out.append((ident, item))
        return out

    def examples(self, rules: TimeNormRules, entry: str, item: dict) -> None:
        for key, negative in (("examples", False), ("negatives", True)):
            for ex in item.get(key) or []:
                if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
                    raise self.fail(entry, f"each of `{key}` needs a `text` string, got {ex!r}")
                rules.examples.append((entry, ex, negative))


def _offset(value: Any, checker: _Checker, entry: str) -> tuple[int, int]:
    """`from`/`to` of a year span as (a, b), meaning a*N + b years from the document year:
    an integer, or N, -N, N+k, N-k (N = the number written)."""
    text = str(value).replace(" ", "")
    m = regex.fullmatch(r"(-?)N([+-]\d+)?", text)
    if m:
        return (-1 if m.group(1) else 1), int(m.group(2) or 0)
    if regex.fullmatch(r"-?\d+", text):
        return 0, int(text)
    raise checker.fail(entry, f"`from`/`to` must be an integer or N, -N, got {value!r}")


def load_time_norm(path: Path, simplify: Callable[[str], str] = str) -> TimeNormRules:
    """The rules of `path` (a `time_norm.yaml`), validated."""
    import yaml  # here: the records of this module are unpickled from the load cache without it

    checker = _Checker(path, simplify)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise checker.fail(None, f"cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise checker.fail(None, "must hold a mapping at the top level")
    known = {"doc_date", "relative_years", "year_parts", "present", "year_spans", "plan_periods", "plan_whole",
             "plan_end", "since", "split_years"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise checker.fail(None, f"unknown key(s): {', '.join(unknown)}")
    rules = TimeNormRules()
    for ident, item in checker.entries(data, "doc_date"):
        if ident == "labelled-date":
            rules.labels = tuple(sorted(checker.words(item, ident, "labels"), key=len, reverse=True))
        elif ident == "dateline":
            if not isinstance(item.get("lines", 8), int):
                raise checker.fail(ident, "`lines` must be a whole number")
            rules.dateline_lines = item.get("lines", 8)
        elif ident not in ("title-year", "glossed-year"):
            raise checker.fail(ident, "unknown document-date source (labelled-date, glossed-year, dateline, title-year)")
        checker.examples(rules, ident, item)
    sources = {ident for ident, _ in checker.entries(data, "doc_date")}
    rules.title_year, rules.glossed_year = "title-year" in sources, "glossed-year" in sources
    for ident, item in checker.entries(data, "relative_years"):
        if item.get("anchor") not in ("doc", "frame") or not isinstance(item.get("offset"), int):
            raise checker.fail(ident, "needs `anchor` (doc or frame) and an integer `offset`")
        rel = RelativeYear(ident, item["anchor"], item["offset"], int(item.get("span", 1)))
        for word in checker.words(item, ident):
            rules.relative_years[word] = rel
        checker.examples(rules, ident, item)
    for ident, item in checker.entries(data, "year_parts"):
        months = item.get("months")
        if not (isinstance(months, list) and len(months) == 2 and all(isinstance(m, int) and 1 <= m <= 12
                                                                      for m in months) and months[0] <= months[1]):
            raise checker.fail(ident, f"`months` must be [first, last], 1-12, got {months!r}")
        for word in checker.words(item, ident):
            rules.year_parts[word] = (ident, months[0], months[1])
        checker.examples(rules, ident, item)
    present = data.get("present")
    if not isinstance(present, dict):
        raise checker.fail("present", "must be a mapping with `id` and `words`")
    rules.present = tuple(checker.words(present, "present"))
    checker.examples(rules, "present", present)
    for ident, item in checker.entries(data, "year_spans"):
        if not isinstance(item.get("pattern"), str) or "{N}" not in item["pattern"]:
            raise checker.fail(ident, "`pattern` must be a regex holding {N}")
        try:
            pattern = regex.compile(item["pattern"].replace("{N}", _N))
        except regex.error as exc:
            raise checker.fail(ident, f"invalid regex: {exc}") from None
        rules.year_spans.append(YearSpan(ident, pattern, _offset(item.get("from"), checker, ident),
                                         _offset(item.get("to"), checker, ident)))
        checker.examples(rules, ident, item)
    for ident, item in checker.entries(data, "plan_periods"):
        years = item.get("years")
        if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)):
            raise checker.fail(ident, f"`years` must be [first, last], got {years!r}")
        for word in checker.words(item, ident):
            rules.plans[word] = (ident, years[0], years[1])
        checker.examples(rules, ident, item)
    for key in ("plan_whole", "plan_end", "since"):
        words = data.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise checker.fail(key, "must be a list of strings")
        setattr(rules, key, tuple(sorted((simplify(w) if w else w for w in words), key=len, reverse=True)))
    for word, months in (data.get("split_years") or {}).items():
        if not (isinstance(months, list) and len(months) == 2 and all(isinstance(m, int) and 1 <= m <= 12
                                                                      for m in months)):
            raise checker.fail("split_years", f"{word!r}: months must be [first, last], 1-12")
        rules.split_years[simplify(word)] = (months[0], months[1])
    return rules
