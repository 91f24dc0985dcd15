"""The number forms beyond number + unit (units.yaml `forms`: currency prefixes, money in parts,
money per unit, signs, whole words) as methods `QuantityFinder` inherits, the `Quantity` record,
and the helpers of `quantities.py` (compound units, ranges, the compacted text of spaced numerals)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

import regex

from .layout import Layout
from .numerals import NumeralTable, ParsedNumber
from .rules import LOCAL_CURRENCY, NumberForms, RuleSet, UnitSurface

_SEPARATORS = ",  "
_SIGNS = {"-": -1, "−": -1, "负": -1, "+": 1}  # a sign written with the figure (-22.2%, 负3.9%)
_NOT_BEFORE_SIGN = frozenset("0123456789.-−+/:~正负%") | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DOLLAR = "@dollar"


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, in normalised-text offsets."""

    start: int
    end: int
    number_start: int
    number_end: int
    value: float
    value_max: float | None
    unit: str
    kind: str
    approx: str | None
    rule: str
    number_text: str


class FormsMixin:
    """The number-form steps of `QuantityFinder` (which sets these attributes and `_run`, `_parse`)."""

    rules: RuleSet
    table: NumeralTable
    forms: NumberForms
    surfaces: dict[str, UnitSurface]
    numeral_chars: frozenset[str] | set[str]
    start_chars: frozenset[str] | set[str]
    latin_surfaces: set[str]
    max_surface: int
    prefix_max: int
    prefix_ends: set[str]
    per_max: int
    whole_words: regex.Pattern[str] | None

    def _run(self, text: str, i: int) -> int:
        raise NotImplementedError

    def _parse(self, number: str) -> ParsedNumber | None:
        raise NotImplementedError

    def _prefixed(self, text: str, i: int, found: list[Quantity], end: int, currency: str,
                  locale: str | None) -> tuple[list[Quantity], int]:
        """A currency symbol or code before the figure (US$5亿, ￥300, HK$1,200)."""
        if not self.prefix_max or i == 0 or text[i - 1] not in self.prefix_ends:
            return found, end
        prefix = None
        for length in range(min(self.prefix_max, i), 0, -1):
            for gap in (0, 1):
                p = self.forms.currency_prefixes.get(text[i - length - gap:i - gap])
                if p is not None and (not gap or text[i - 1] == " ") and i - length - gap >= 0:
                    pstart = i - length - gap
                    if not (pstart > 0 and text[pstart - 1].isascii() and text[pstart - 1].isalpha()):
                        prefix = (pstart, *p)
                        break
            if prefix:
                break
        if prefix is None:
            return found, end
        pstart, rule, code = prefix
        if code == _DOLLAR:
            code = self.forms.dollar.get(locale or "", self.forms.dollar.get("*", "USD"))
        if found and found[0].start == i and found[0].kind == "money":
            q = found[0]
            local = self.surfaces.get(text[q.number_end:q.end].strip(), None)
            unit = code if local is not None and local.unit == LOCAL_CURRENCY else q.unit
            return [replace(q, start=pstart, unit=unit), *found[1:]], end
        if found:
            return found, end
        run_end = self._run(text, i)
        for k in range(run_end - i, 0, -1):
            number = text[i:i + k].rstrip(_SEPARATORS)
            parsed = self._parse(number) if number else None
            if parsed is not None and not parsed.percent:
                q = Quantity(pstart, i + len(number), i, i + len(number), parsed.value, parsed.value_max, code,
                             "money", parsed.approx, rule, number)
                return [q], i + len(number)
        return found, end

    def _money_forms(self, text: str, found: list[Quantity], layout: Layout) -> list[Quantity]:
        """Figures in parts (五元三毛, 8块5, 七成六) and money per unit (12.8万元/人) after the last figure."""
        q = self._money_parts(text, found[-1])
        if q.kind != "money":
            return [*found[:-1], q]
        q = self._per_unit(text, q)
        return [*found[:-1], q]

    def _money_parts(self, text: str, q: Quantity) -> Quantity:
        surface = text[q.number_end:q.end].strip()
        for _rule, after, parts, bare, not_followed in self.forms.money_parts:
            if surface not in after or q.value_max is not None:
                continue
            pos, value, longest = q.end, q.value, max((len(p) for p in parts), default=0)
            while pos < len(text):
                at = pos + (1 if text[pos:pos + 1] in self.forms.part_joiners else 0)
                digit = _digit(text[at:at + 1], self.table)
                if digit is None:
                    break
                part = next((text[at + 1:at + 1 + n] for n in range(longest, 0, -1)
                             if text[at + 1:at + 1 + n] in parts), None)
                if part is None:
                    if surface in bare and pos == q.end and at == pos and self._free_after(text, at + 1):
                        value, pos = value + digit * bare[surface], at + 1  # 8块5
                    break
                if not_followed is not None and not_followed.match(text, at + 1 + len(part)):
                    break
                value, pos = value + digit * parts[part], at + 1 + len(part)
            if pos > q.end:
                return replace(q, end=pos, value=round(value, 10), number_text=q.number_text)
        return q

    def _free_after(self, text: str, pos: int) -> bool:
        """Whether no numeral, Latin letter or unit follows at `pos` (8块5 ends there; 七成六个 does not)."""
        ch = text[pos:pos + 1]
        if not ch:
            return True
        if ch in self.start_chars or (ch.isascii() and ch.isalnum()):
            return False
        return not any(text[pos:pos + n] in self.surfaces for n in range(1, self.max_surface + 1))

    def _per_unit(self, text: str, q: Quantity) -> Quantity:
        """12.8万元/人 -> CNY/人, 800元/吨 -> CNY/t: one figure with a compound unit of kind other."""
        if text[q.end:q.end + 1] not in self.forms.per_separators:
            return q
        pos = q.end + 1
        for length in range(max(self.max_surface, self.per_max), 0, -1):
            word = text[pos:pos + length]
            if len(word) < length:
                continue
            if word in self.forms.per_words:
                denominator = self.forms.per_words[word]
            elif word in self.surfaces and self.surfaces[word].kind != "money":
                denominator = self.surfaces[word].unit
            else:
                continue
            if word in self.latin_surfaces and _continues_word(text, pos + length):
                continue
            return replace(q, end=pos + length, unit=f"{q.unit}/{denominator}", kind="other")
        return q

    def _signed(self, text: str, q: Quantity, found: list[Quantity]) -> Quantity:
        """-22.2%, 负3.9%, 增长-2.3%: a sign written with the figure; a dash after a figure is a connector."""
        s = q.start
        sign = _SIGNS.get(text[s - 1]) if s > 0 else None
        if sign is None or (found and found[-1].end >= s - 1):
            return q
        if s > 1 and (text[s - 2] in _NOT_BEFORE_SIGN or text[s - 2] in self.numeral_chars):
            return q
        if sign > 0:
            return replace(q, start=s - 1)
        low, high = -q.value, None if q.value_max is None else -q.value_max
        if high is not None:
            low, high = high, low
        return replace(q, start=s - 1, value=low, value_max=high)

    def _add_whole_words(self, text: str, found: list[Quantity]) -> list[Quantity]:
        """对折, 半成: words that are whole amounts, where no figure was found."""
        assert self.whole_words is not None
        words = {w[1]: w for w in self.forms.whole_words}
        extra = []
        for m in self.whole_words.finditer(text):
            rule, word, after, value, unit, not_followed = words[m.group()]
            if after and not text.endswith(after, 0, m.start()):
                continue
            if not_followed is not None and not_followed.match(text, m.end()):
                continue
            if any(q.start < m.end() and m.start() < q.end for q in found):
                continue
            code = self.rules.unit_codes[unit]
            extra.append(Quantity(m.start(), m.end(), m.start(), m.end(), value, None, unit, code.kind, None, rule,
                                  word))
        return sorted(found + extra, key=lambda q: (q.start, q.end)) if extra else found


def _merge_compounds(found: list[Quantity], compounds: dict[tuple[str, str], float]) -> list[Quantity]:
    """`两分40秒`: a figure in a larger unit directly followed by one in a smaller unit is one figure."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        per = compounds.get((prev.unit, q.unit)) if prev is not None else None
        if prev is not None and per and prev.end == q.start and prev.value_max is None and q.value_max is None:
            out[-1] = replace(prev, end=q.end, value=prev.value * per + q.value, unit=q.unit, kind=q.kind,
                              approx=prev.approx or q.approx, rule=q.rule,
                              number_text=prev.number_text + q.number_text)
            continue
        out.append(q)
    return out


def _merge_ranges(text: str, found: list[Quantity], connectors: tuple[str, ...]) -> list[Quantity]:
    """`20%至 30%`: two figures of one unit joined by a connector make one range."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if prev is not None and prev.unit == q.unit and prev.value_max is None and q.value_max is None:
            between = text[prev.end:q.start].strip()
            if between in connectors and q.value >= prev.value and prev.approx is None:
                out[-1] = replace(prev, end=q.end, value_max=q.value, approx=q.approx,
                                  number_text=prev.number_text + between + q.number_text)
                continue
        out.append(q)
    return out


class _Compaction:
    """The offsets of a text with some runs of spaces (`cuts`, sorted) taken out."""

    def __init__(self, cuts: list[tuple[int, int]]) -> None:
        self.cuts = cuts
        self.cut_starts = [s for s, _ in cuts]
        self.compact_starts: list[int] = []  # where each cut falls in the compact text
        self.removed: list[int] = []  # characters removed up to and including each cut
        total = 0
        for s, e in cuts:
            self.compact_starts.append(s - total)
            total += e - s
            self.removed.append(total)

    def to_text(self, pos: int, end: bool = False) -> int:
        """The offset in the text as written of a compact offset (an end stays before the cut)."""
        i = bisect.bisect_left(self.compact_starts, pos) if end else bisect.bisect_right(self.compact_starts, pos)
        return pos + (self.removed[i - 1] if i else 0)

    def to_compact(self, pos: int) -> int:
        """The compact offset of an offset of the text as written."""
        i = bisect.bisect_right(self.cut_starts, pos) - 1
        if i < 0:
            return pos
        s, e = self.cuts[i]
        before = self.removed[i - 1] if i else 0
        return s - before if pos < e else pos - self.removed[i]

    def restore(self, found: list[Quantity]) -> list[Quantity]:
        """Quantities of the compact text, in offsets of the text as written."""
        return [replace(q, start=self.to_text(q.start), end=self.to_text(q.end, end=True),
                        number_start=self.to_text(q.number_start), number_end=self.to_text(q.number_end, end=True))
                for q in found]


class _MappedLayout:
    """A `Layout` seen through a compacted text."""

    def __init__(self, layout: Layout, shift: _Compaction) -> None:
        self.layout, self.shift = layout, shift

    def sentence(self, pos: int) -> tuple[int, int]:
        s, e = self.layout.sentence(self.shift.to_text(pos))
        return self.shift.to_compact(s), self.shift.to_compact(e)


def _after_latin_word(text: str, i: int) -> bool:
    """Whether the figure at `i` follows a Latin word and one space (iPhone 15, Windows 10)."""
    return i >= 2 and text[i - 1] == " " and text[i - 2].isascii() and text[i - 2].isalpha()


def _continues_word(text: str, pos: int) -> bool:
    """Whether a letter, digit or Chinese character follows at `pos` (the unit would run into a word)."""
    ch = text[pos:pos + 1]
    return bool(ch) and (ch.isalnum() or "\u4e00" <= ch <= "\u9fff")


def _digit(ch: str, table: NumeralTable) -> int | None:
    """A single digit 1-9, Arabic or Chinese."""
    if ch.isascii() and ch.isdigit() and ch != "0":
        return int(ch)
    value = table.digits.get(ch)
    return value if value else None


def _scaled(value: float, multiplier: float) -> float:
    """`value * multiplier` without binary noise (3‰ = 0.3, not 0.30000000000000004)."""
    return value * multiplier if multiplier == 1 else float(f"{value * multiplier:.12g}")


def _discount(n: float) -> float | None:
    """A discount as the share paid, in percent: 八折 = 80, 9.9折 = 99, 75折 = 75 (十折, 20折: none)."""
    if 0 < n < 10:
        return n * 10
    if 10 < n < 100 and float(n).is_integer() and n % 10:
        return n
    return None
