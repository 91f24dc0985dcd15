"""Resolve a claim's `time` string to ISO 8601 (`time_norm`) against a document date.

`2024年` -> `2024`, `2025年12月` -> `2025-12`, `2021年1-6月` -> `2021-01/2021-06`,
`未来三年` in a 2025 text -> `2026/2028`, `十四五时期` -> `2021/2025`.  An expression
without a year (`全年`, `1-6月`, `年末`) takes the year of the document's frame (a
year in its title, lead sentence or latest section heading), else that of the
document date.  Whatever cannot be resolved (`每年`, `春节后`, `今年` with no
document date) gives None.  The data are in `rules/time_norm.yaml`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import regex

from .rules.time_norm import TimeNormRules
from .types import DatongError

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CONNECTOR = regex.compile(r"至|到|—+|–|-|~|～")
_QUOTES = regex.compile(r"[“”\"'「」『』《》\s]")
_PAREN_YEAR = regex.compile(r"(?P<word>[\p{Han}]{1,3})?[(（](?P<year>\d{4})年?[)）]")
_DATE = regex.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?:(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*"
                      r"(?:(?P<d>\d{1,2})\s*[日号]?)?)?")
_SENTENCE_END = "。！？!?"
_HEADING_MAX = 30  # a line this short without a sentence end is a heading


@dataclass(frozen=True)
class DocDate:
    """The date a document speaks from, at the precision known."""

    year: int
    month: int | None = None
    day: int | None = None
    source: str = "given"  # given, labelled-date, dateline or title-year

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out


def parse_doc_date(value: str, source: str = "given") -> DocDate:
    """A `YYYY[-MM[-DD]]` string as a `DocDate`; ValueError when it is not one."""
    m = regex.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a date YYYY[-MM[-DD]]")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r}: month must be 1-12")
    if day is not None and not 1 <= int(day) <= 31:
        raise ValueError(f"{value!r}: day must be 1-31")
    return DocDate(year, int(month) if month else None, int(day) if day else None, source)


def _date_of(m: regex.Match[str], source: str) -> DocDate | None:
    month = int(m.group("m")) if m.group("m") else None
    day = int(m.group("d")) if m.group("d") and month else None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return DocDate(int(m.group("y")), month, day, source)


def find_doc_date(text: str, rules: TimeNormRules) -> DocDate | None:
    """The document date written in `text` (simplified): a labelled date (`发布时间：2011-08-25`),
    else a dateline (a line near the top that starts with a full date), else a relative year
    glossed with its year (`今年(2017)`), else a year in the title (first line); None when
    there is none."""
    if rules.labels:
        label = "|".join(regex.escape(w) for w in rules.labels)
        m = regex.search(rf"(?:{label})\s*[:：]\s*(?={_DATE.pattern})", text)
        if m:
            date = _date_of(_DATE.match(text, m.end()), "labelled-date")  # type: ignore[arg-type]
            if date:
                return date
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines[: rules.dateline_lines]:
        m = _DATE.match(line.strip())
        if m and m.group("d"):
            date = _date_of(m, "dateline")
            if date:
                return date
    if rules.glossed_year:  # 今年(2017): the year glossed in brackets after a relative year word
        words = "|".join(regex.escape(w) for w, r in rules.relative_years.items() if r.anchor == "doc")
        m = regex.search(rf"({words})\s*[(（]((?:19|20)\d{{2}})年?[)）]", text)
        if m:
            return DocDate(int(m.group(2)) - rules.relative_years[m.group(1)].offset, source="glossed-year")
    if rules.title_year and lines:
        m = regex.search(r"((?:19|20)\d{2})年", lines[0])
        if m:
            return DocDate(int(m.group(1)), source="title-year")
    return None


def _small_number(text: str) -> int | None:
    """1-99 written in digits or Chinese numerals (`7`, `十二`, `二十三`), else None."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or units == "十":  # 十十 is no number
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


@dataclass(frozen=True)
class _Point:
    """A resolved expression: first and last (year, month, day), None parts unknown."""

    start: tuple[int, int | None, int | None]
    end: tuple[int, int | None, int | None]

    def iso(self) -> str:
        a, b = _fmt(self.start), _fmt(self.end)
        return a if a == b else f"{a}/{b}"


def _fmt(ymd: tuple[int, int | None, int | None]) -> str:
    y, m, d = ymd
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


class TimeNormaliser:
    """Resolves time strings with the data of one `time_norm.yaml`."""

    def __init__(self, rules: TimeNormRules) -> None:
        self.rules = rules
        self.rel_words = sorted(rules.relative_years, key=len, reverse=True)
        self.part_words = sorted(rules.year_parts, key=len, reverse=True)
        self.plan_words = sorted(rules.plans, key=len, reverse=True)

    def normalise(self, time: str | None, doc: DocDate | None, frame_year: int | None = None) -> str | None:
        """`time` (simplified) as ISO 8601, or None when it does not resolve."""
        if not time:
            return None
        s = _QUOTES.sub("", time)
        s = _PAREN_YEAR.sub(lambda m: m.group("year") + "年" if m.group("word") in self.rules.relative_years
                            or not m.group("word") else m.group(), s)
        s = regex.sub(r"(?<!\d)([零〇一二两三四五六七八九十]{1,3})(?=月|日|号)",
                      lambda m: str(_small_number(m.group(1)) or m.group(1)), s)
        s = regex.sub(r"(\d{4})(?=上半年|下半年|[一二三四]季|第[一二三四]季|全年)", r"\1年", s)
        point = self._expression(s, doc, frame_year)
        return point.iso() if point else None

    def _expression(self, s: str, doc: DocDate | None, frame_year: int | None) -> _Point | None:
        if s in self.rules.present:
            return _Point(*(((doc.year, doc.month, doc.day),) * 2)) if doc else None
        plan = self._plan(s, doc)
        if plan is not None:
            return plan
        for span in self.rules.year_spans:
            m = span.pattern.fullmatch(s)
            if m:
                n = _small_number(next(g for g in m.groups() if g))
                if n is None or n > 100:
                    continue  # 2016年来 is a year, not a count of years
                if doc is None:
                    return None
                a, b = (doc.year + k * n + c for k, c in (span.start, span.end))
                return _Point((a, None, None), (b, None, None))
        for word in self.rules.since:
            if s.endswith(word) and len(s) > len(word):
                head = self._expression(s[: -len(word)], doc, frame_year)
                if head is None or doc is None:
                    return None
                start: tuple[int, int | None, int | None]
                if doc.month:
                    start = (head.start[0], head.start[1] or 1, head.start[2])
                    end: tuple[int, int | None, int | None] = (doc.year, doc.month, None)
                else:
                    start, end = head.start, (doc.year, None, None)
                return _Point(start, end) if _key(end) >= _key(start) else head
        if s.endswith("起") and len(s) > 1:
            return self._expression(s[:-1] + "以来", doc, frame_year)
        return self._range(s, doc, frame_year)

    def _plan(self, s: str, doc: DocDate | None) -> _Point | None:
        for word in self.plan_words:
            if not s.startswith(word):
                continue
            rest = s[len(word):]
            _, first, last = self.rules.plans[word]
            if rest in self.rules.plan_whole:
                return _Point((first, None, None), (last, None, None))
            if rest in self.rules.plan_end:
                return _Point((last, None, None), (last, None, None))
            if rest in self.rules.since and doc is not None:
                return _Point((first, None, None), (max(first, doc.year), None, None))
            return None
        return None

    def _range(self, s: str, doc: DocDate | None, frame_year: int | None) -> _Point | None:
        """`left<connector>right`: the right side inherits the left's year (2011年9月至12月)
        and takes its unit from the right (1-6月: the left is a month too)."""
        m = _CONNECTOR.search(s, 1)
        if m is None:
            return self._point(s, doc, frame_year)
        left, right = s[: m.start()], s[m.end():]
        m = regex.fullmatch(r"(\d{4}|\d{2})(年|年度|学年|财年|财政年度)?(?:连续[^年]{1,3}年)?", right)
        if regex.fullmatch(r"\d{4}", left) and m:
            year_b = int(m.group(1)) if len(m.group(1)) == 4 else int(left[:2] + m.group(1))
            if year_b < int(left):
                return None
            months = self.rules.split_years.get(m.group(2) or "")
            if months is not None and year_b == int(left) + 1:  # 2013-14年度: a fiscal or school year
                return _Point((int(left), months[0], None), (year_b, months[1], None))
            return _Point((int(left), None, None), (year_b, None, None))
        if regex.fullmatch(r".*\d", left) and not regex.fullmatch(r"\d{4}", left) and right.endswith(("月", "月份")):
            left += "月"
        if _has_year(right) and not _has_year(left):  # 9月至2012年3月: the left takes the right's year
            rp = self._point(right, doc, frame_year)
            lp = self._point(left, doc, frame_year, inherit=rp.start[0]) if rp else None
        else:  # 2011年9月至12月: the right takes the left's year
            lp = self._point(left, doc, frame_year)
            rp = self._point(right, doc, frame_year, inherit=lp.start[0] if lp and not _has_year(right) else None) \
                if lp else None
        if lp is None or rp is None:
            return None
        return _Point(lp.start, rp.end) if _key(rp.end) >= _key(lp.start) else None

    def _point(self, s: str, doc: DocDate | None, frame_year: int | None,
               inherit: int | None = None) -> _Point | None:
        """One year, month, day or part of a year, all of `s` consumed."""
        year: int | None = None
        span = 1
        m = regex.match(r"(\d{4})年?", s)
        if m:
            year, s = int(m.group(1)), s[m.end():]
        else:
            for word in self.rel_words:
                if s.startswith(word):
                    rel = self.rules.relative_years[word]
                    base = doc.year if rel.anchor == "doc" and doc else frame_year if rel.anchor == "frame" else None
                    if base is None:
                        return None
                    year, span, s = base + rel.offset, rel.span, s[len(word):]
                    break
        explicit = year is not None
        if s.startswith("年") and explicit:
            s = s[1:]
        if year is None:
            year = inherit or frame_year or (doc.year if doc else None)
            if year is None or not s:
                return None
        if not s:
            return _Point((year, None, None), (year + span - 1, None, None))
        if s in self.rules.year_parts:
            _, a, b = self.rules.year_parts[s]
            if (a, b) == (1, 12):
                return _Point((year, None, None), (year, None, None))
            return _Point((year, a, None), (year, b, None))
        m = regex.fullmatch(r"前(\d{1,2}|[一二两三四五六七八九十]{1,2})个?月", s)
        if m:
            n = _small_number(m.group(1))
            return _Point((year, 1, None), (year, n, None)) if n and 1 <= n <= 12 else None
        m = regex.fullmatch(r"(\d{1,2})月份?(?:(\d{1,2})[日号])?(底|末|初|中旬|上旬|下旬)?", s)
        if m:
            month = int(m.group(1))
            day = int(m.group(2)) if m.group(2) else None
            if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                return None
            return _Point((year, month, day), (year, month, day))
        m = regex.fullmatch(r"(\d{1,2})[日号]", s)
        if m and inherit is not None:
            return None  # a day without its month is left alone
        return None


def _key(ymd: tuple[int, int | None, int | None]) -> tuple[int, int, int]:
    return ymd[0], ymd[1] or 0, ymd[2] or 0


def _has_year(s: str) -> bool:
    return bool(regex.match(r"\d{4}|今年|去年|明年|前年|后年|上年|本年|当年", s))


@dataclass(frozen=True)
class Frame:
    """A time that frames the claims after `start` (a title, lead sentence or heading)."""

    start: int
    norm: str
    kind: str  # title, lead or heading

    @property
    def year(self) -> int | None:
        """The frame's year when it lies within one year."""
        a, _, b = self.norm.partition("/")
        return int(a[:4]) if not b or a[:4] == b[:4] else None


def frame_lines(text: str, first: bool = True) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the lines of `text` that can frame claims: the title (first
    non-empty line), the lead sentence (first sentence of the next line; only a time it
    opens with frames) and headings (short lines without a sentence end).  `first`: `text`
    starts the document (else it is a later chunk: headings only)."""
    out: list[tuple[int, int, str]] = []
    pos, seen = 0, 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        start, pos = pos, pos + len(line)
        if not body:
            continue
        end = start + len(line.rstrip())
        seen += 1 if first else 3
        if seen == 1:
            out.append((start, end, "title"))
        elif seen == 2:
            cut = min((line.find(c) for c in _SENTENCE_END if c in line), default=len(line.rstrip()))
            out.append((start, start + cut, "lead"))
        elif len(body) <= _HEADING_MAX and not any(c in body for c in _SENTENCE_END + "，,；;"):
            out.append((start, end, "heading"))
    return out


class FrameIndex:
    """The frame of any position: the latest heading frame before it, else the title's, else the lead's."""

    def __init__(self, frames: list[Frame], fallback: Frame | None = None) -> None:
        self.whole = next((f for kind in ("title", "lead") for f in frames if f.kind == kind), fallback)
        self.headings = sorted((f for f in frames if f.kind == "heading"), key=lambda f: f.start)
        self.starts = [f.start for f in self.headings]

    def at(self, pos: int) -> Frame | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.headings[i] if i >= 0 else self.whole


def resolve_claim(normaliser: TimeNormaliser, time: str | None, doc: DocDate | None,
                  frame: Frame | None) -> tuple[str | None, str | None]:
    """(time_norm, time_source) of a claim: its own time resolved (`clause`), else, when it has
    no time, the frame's (`frame`); (None, None) when neither resolves."""
    if time:
        norm = normaliser.normalise(time, doc, frame.year if frame else None)
        return (norm, "clause") if norm else (None, None)
    if frame is not None:
        return frame.norm, "frame"
    return None, None


def read_doc_dates(path: Path) -> tuple[tuple[str, str], ...]:
    """(doc_id, ISO date) pairs (extract --doc-dates) of a `doc_id,date` CSV file (a header line and `#` comments allowed)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatongError(f"{path}: cannot be read ({exc})") from None
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(lines, 1):
        row = [cell.strip() for cell in line.split(",")]
        if not line.strip() or line.lstrip().startswith("#") or (number == 1 and row[-1].lower() == "date"):
            continue
        try:
            if len(row) != 2 or not row[0]:
                raise ValueError("expected `doc_id,date`")
            pairs.append((row[0].removesuffix(".txt"), parse_doc_date(row[1]).iso()))
        except ValueError as exc:
            raise DatongError(f"{path}: line {number}: {exc}") from None
    return tuple(pairs)
