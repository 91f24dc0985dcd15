"""Number forms beyond number + unit: signs, currency prefixes, money in parts, halves,
money per unit, discounts and whole words."""

from __future__ import annotations

import functools
from dataclasses import replace

from ..layout import Layout
from ..numerals import NumeralTable
from ..rules import LOCAL_CURRENCY, UnitSurface
from .core import SEPARATORS, FinderCore
from .quantity import Quantity

SIGNS = {"-": -1, "−": -1, "负": -1, "+": 1}  # a sign written with the figure (-22.2%, 负3.9%)
_NOT_BEFORE_SIGN = frozenset("0123456789.-−+/:~正负%") | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DOLLAR = "@dollar"


class FormsFinder(FinderCore):
    """The number forms, each a step the scan applies around a number + unit."""

    @functools.cached_property
    def part_units(self) -> frozenset[str]:
        """Every unit a figure in parts can follow (the `after` of each `money_parts` entry)."""
        return frozenset().union(*(after for _rule, after, *_ in self.forms.money_parts))

    def _half_after(self, text: str, unit: UnitSurface, unit_end: int) -> tuple[UnitSurface, int, float]:
        """一吨半, 三成半 (a half after the unit), 两个半月 (between a classifier and its unit)."""
        halves = self.forms.halves
        if unit.surface in halves["between"]:
            for length in range(self.max_surface, 0, -1):
                inner = self.surfaces.get(unit.surface + text[unit_end + 1:unit_end + 1 + length])
                if inner is not None and len(inner.surface) == len(unit.surface) + length:
                    return inner, unit_end + 1 + length, 0.5
            return unit, unit_end, 0.0
        if unit.trailing_half or not (unit.kind in halves["after_kinds"] or unit.surface in halves["after_surfaces"]):
            return unit, unit_end, 0.0
        if halves["not_followed_by"].match(text, unit_end + 1):
            return unit, unit_end, 0.0
        return unit, unit_end + 1, 0.5

    def _half_lead(self, text: str, i: int, layout: Layout, currency: str) -> tuple[list[Quantity], int]:
        """半公里 = 0.5 km: 半 before a unit of the kinds listed under `halves.before_kinds`."""
        halves = self.forms.halves
        if i > 0 and halves["not_after"].match(text[i - 1]):
            return [], i + 1
        unit = self._unit_at(text, i + 1, layout)
        if unit is None or unit.kind not in halves["before_kinds"]:
            return [], i + 1
        code, kind = self._code(unit, currency)
        end = i + 1 + len(unit.surface)
        return [Quantity(i, end, i, i + 1, 0.5 * unit.multiplier, None, code, kind, None, unit.rule, "半")], end

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
            number = text[i:i + k].rstrip(SEPARATORS)
            parsed = self._parse(number) if number else None
            if parsed is not None and not parsed.percent:
                q = Quantity(pstart, i + len(number), i, i + len(number), parsed.value, parsed.value_max, code,
                             "money", parsed.approx, rule, number)
                return [q], i + len(number)
        return found, end

    def _money_forms(self, text: str, found: list[Quantity], layout: Layout) -> list[Quantity]:
        """Figures in parts (五元三毛, 8块5, 七成六) and money per unit (12.8万元/人) after the last figure."""
        last = found[-1]  # (the first checks of `_money_parts` and `_per_unit` here: mostly neither applies)
        q = self._money_parts(text, last) if text[last.number_end:last.end].strip() in self.part_units else last
        if q.kind == "money" and text[q.end:q.end + 1] in self.forms.per_separators:
            q = self._per_unit(text, q)
        return found if q is last else [*found[:-1], q]

    def _money_parts(self, text: str, q: Quantity) -> Quantity:
        surface = text[q.number_end:q.end].strip()
        if surface not in self.part_units:  # no entry follows this unit
            return q
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
        sign = SIGNS.get(text[s - 1]) if s > 0 else None
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


def discount_share(n: float) -> float | None:
    """A discount as the share paid, in percent: 八折 = 80, 9.9折 = 99, 75折 = 75 (十折, 20折: none)."""
    if 0 < n < 10:
        return n * 10
    if 10 < n < 100 and float(n).is_integer() and n % 10:
        return n
    return None
