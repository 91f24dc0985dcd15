"""The scan: every quantity of a text, number + unit with its forms, ranges and compounds merged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import regex

from ..layout import Layout
from ..numerals import ParsedNumber, parse_number
from ..rules import UnitSurface
from .core import SEPARATORS
from .forms import SIGNS, FormsFinder, discount_share
from .quantity import PERCENT_WORDS, Quantity
from .spacing import Compaction, MappedLayout

_URL = regex.compile(r"(?:https?://|www\.)\S+")


class QuantityFinder(FormsFinder):
    """Scans normalised text for number + unit expressions."""

    def find(self, text: str, layout: Layout, currency: str, locale: str | None = None) -> list[Quantity]:
        """Every quantity of `text`, in order, ranges merged, lists split; `locale` is the text's place
        (兆 as 10¹² in Taiwan, a bare $)."""
        base = self.table
        self.table = base.for_locale(locale)
        try:
            if not self.inner_space.search(text):
                return self._find(text, layout, currency, locale)
            found, shift = self._find_compact(text, layout, currency, locale)
            return shift.restore(found)
        finally:
            self.table = base

    def _find_compact(self, text: str, layout: Layout, currency: str,
                      locale: str | None) -> tuple[list[Quantity], Compaction]:
        """Quantities of `text` with the spaces inside numeral runs taken out, and the map back."""
        cuts = [m.span() for m in self.inner_space.finditer(text)
                if not (text[m.start() - 1].isascii() and text[m.end()].isascii())]
        pieces, last = [], 0
        for s, e in cuts:
            pieces.append(text[last:s])
            last = e
        pieces.append(text[last:])
        shift = Compaction(cuts)
        mapped = MappedLayout(layout, shift)
        return self._find("".join(pieces), mapped, currency, locale), shift  # type: ignore[arg-type]

    def _find(self, text: str, layout: Layout, currency: str, locale: str | None) -> list[Quantity]:
        found: list[Quantity] = []
        urls = [m.span() for m in _URL.finditer(text)] if "://" in text or "www." in text else []
        i, n = 0, len(text)
        search, starts_number, quantity, prefixed = self.candidate.search, self._starts_number, self._quantity, self._prefixed
        start_chars, plain, over_numerals, continues = self.start_chars, self.plain_starts, self.numerals_at.match, \
            self.run_continues
        # what comes before a figure that `_prefixed` and `_signed` look at: mostly neither, so no call
        prefix_ends = self.prefix_ends if self.prefix_max else frozenset()
        while i < n:
            m = search(text, i)
            if m is None:
                break
            i = m.start()
            ch = text[i]
            if urls and any(s <= i < e for s, e in urls):
                i = next(e for s, e in urls if s <= i < e)
                continue
            if ch == "第" and i + 1 < n and text[i + 1] in start_chars:
                q, i = self._rank(text, i)
            elif (ch not in plain and starts_number(text, i)) or \
                    (ch in plain and not (i and text[i - 1].isascii() and text[i - 1].isalpha())):
                start = i  # `_run`'s first step inlined: mostly the numerals are the whole run
                end = over_numerals(text, i).end() if ch in plain else i  # type: ignore[union-attr]
                if end == i or (end < n and text[end] in continues):
                    end = self._run(text, i)
                q, i = quantity(text, i, end, layout, currency)
                if start and text[start - 1] in prefix_ends:
                    q, i = prefixed(text, start, q, i, currency, locale)
                if q:
                    q = self._money_forms(text, q, layout)
                    i = max(i, q[-1].end)
                    if q[0].start and text[q[0].start - 1] in SIGNS:
                        q[0] = self._signed(text, q[0], found)
            elif ch == "半":
                q, i = self._half_lead(text, i, layout, currency)
            else:
                i += 1
                continue
            if q:
                found.extend(q)
        if self.whole_words is not None and any(w in text for w in self.whole_word_texts):  # mostly none
            found = self._add_whole_words(text, found)
        return _merge_ranges(text, _merge_compounds(found, self.rules.compounds), self.table.range_connectors)

    def _quantity(self, text: str, i: int, end: int, layout: Layout, currency: str) -> tuple[list[Quantity], int]:
        """The figure of the numeral run text[i:end] (`_run`) and its unit, and where the scan goes on."""
        run = text[i:end]
        # a unit can follow a shorter prefix of the run only where a unit character or a space is inside it
        if "分之" in run or not self.unit_or_space.isdisjoint(run[1:]):
            found = self._best_unit(text, i, run, layout, range(len(run), 0, -1))
        else:  # the whole run only: `_best_unit` of one length, in line (mostly no unit starts after the run)
            first = end + 1 if text.startswith(" ", end) else end
            if text[first:first + 1] not in self.unit_lengths:
                return [], max(end, i + 1)
            unit = self._unit_at(text, first, layout)
            number = run.rstrip(SEPARATORS)
            parsed = self._parse(number) if unit is not None else None
            if unit is None or (parsed is None and "、" not in number):
                return [], max(end, i + 1)
            found = (len(run), unit, parsed, first - end)
        if found is None:
            return [], max(end, i + 1)
        if isinstance(found, Quantity):
            return [found], found.end
        k, unit, parsed, gap = found
        unit_end = i + k + gap + len(unit.surface)
        if unit.surface in self.latin_surfaces and _after_latin_word(text, i):
            return [], max(end, i + 1)  # iPhone 15, Win 10: a model number, not a figure
        half = 0.0
        if self.forms.halves and text.startswith("半", unit_end) and parsed is not None and parsed.value_max is None:
            unit, unit_end, half = self._half_after(text, unit, unit_end)
        code, kind = self._code(unit, currency)
        if parsed is not None and kind == "money" and self.table.trillion and self.table.trillion[0] in run[:k]:
            parsed = parse_number(run[:k], self.table.as_trillion()) or parsed  # 2兆元, 1000兆日元: trillions
        if parsed is None:  # a list sharing one unit: 7.499、6.871微克
            return self._list(text, i, i + k, unit, code, kind, unit_end), unit_end
        approx = parsed.approx
        value = parsed.value + half
        if unit.surface in self.forms.discount_surfaces:
            share = discount_share(value)
            if share is None or parsed.value_max is not None:
                return [], max(end, i + 1)
            value = share / unit.multiplier
        table = self.table  # `startswith` over all the words first: mostly none follows
        more = _word_at(text, unit_end, table.approx_after_unit) \
            if unit.trailing_approx and text.startswith(table.approx_after_unit, unit_end) else ""
        if more:
            unit_end += len(more)
            approx = ">"
        elif unit.trailing_half and not half and parsed.value_max is None and \
                text.startswith(table.half_after_unit, unit_end) and \
                (half_word := _word_at(text, unit_end, table.half_after_unit)):
            unit_end += len(half_word)  # 一倍半, 两年半
            value += 0.5
        number = run[:k]
        q = Quantity(i, unit_end, i, i + k, _scaled(value, unit.multiplier),
                     None if parsed.value_max is None else _scaled(parsed.value_max, unit.multiplier),
                     code, kind, approx, unit.rule, number)
        return [q], unit_end

    def _best_unit(self, text: str, i: int, run: str, layout: Layout, lengths: Iterable[int]
                   ) -> tuple[int, UnitSurface, ParsedNumber | None, int] | Quantity | None:
        """The longest unit after a prefix of the numeral run `run` at `i`, of one of `lengths` (the longer
        prefix on a tie): (prefix length, unit, parsed prefix, space before the unit), or a share
        (百分之二十) whole."""
        best: tuple[int, int, UnitSurface, ParsedNumber | None, int] | None = None
        has_share = "分之" in run
        unit_firsts, n = self.unit_lengths, len(text)
        for k in lengths:
            pos = i + k
            if not has_share:  # no unit can start here: `_unit_at` would say None
                first = pos + 1 if pos < n and text[pos] == " " else pos
                if text[first:first + 1] not in unit_firsts:
                    continue
            number = run[:k].rstrip(SEPARATORS)
            if "分之" in number:  # 百分之二十, 四分之一: a share, the longest run that reads as one
                parsed = self._parse(number)
                if parsed is not None and parsed.percent:
                    return Quantity(i, i + k, i, i + k, parsed.value, parsed.value_max, "%", "percent",
                                    parsed.approx, PERCENT_WORDS, number)
                continue
            gap = 1 if pos < n and text[pos] == " " else 0
            unit = self._unit_at(text, pos + gap, layout)
            if unit is None:
                continue
            parsed = self._parse(number)  # never a share: shares (分之) were handled above
            if parsed is None and "、" not in number:
                continue
            if best is None or (len(unit.surface), k) > best[:2]:
                best = (len(unit.surface), k, unit, parsed, gap)
        return None if best is None else best[1:]


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


def _word_at(text: str, pos: int, words: tuple[str, ...]) -> str:
    """The first of `words` written at `pos` of `text`, or ""."""
    return next((w for w in words if text.startswith(w, pos)), "")


def _after_latin_word(text: str, i: int) -> bool:
    """Whether the figure at `i` follows a Latin word and one space (iPhone 15, Windows 10)."""
    return i >= 2 and text[i - 1] == " " and text[i - 2].isascii() and text[i - 2].isalpha()


def _scaled(value: float, multiplier: float) -> float:
    """`value * multiplier` without binary noise (3‰ = 0.3, not 0.30000000000000004)."""
    return value * multiplier if multiplier == 1 else float(f"{value * multiplier:.12g}")
