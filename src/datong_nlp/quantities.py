"""Find quantities: a number expression and its unit, resolved through the unit table.

Works on the normalised (simplified, folded) text; offsets returned here are
offsets of that text.  Comparators, modality, property and time are added
later by `claims`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import regex

from .layout import Layout
from .numerals import ParsedNumber, parse_number
from .quantity_forms import (
    _SEPARATORS,
    FormsMixin,
    Quantity,
    _after_latin_word,
    _Compaction,
    _discount,
    _MappedLayout,
    _merge_compounds,
    _merge_ranges,
    _scaled,
)
from .rules import LOCAL_CURRENCY, NumberForms, RuleSet, UnitSurface
from .types import RulesError

PERCENT_WORDS, RANK = "percent-words", "rank"  # ids of the units.yaml `forms` this finder emits
FORMS = (PERCENT_WORDS, RANK)
__all__ = ["FORMS", "PERCENT_WORDS", "RANK", "Quantity", "QuantityFinder"]

_URL = regex.compile(r"(?:https?://|www\.)\S+")


class QuantityFinder(FormsMixin):
    """Scans normalised text for number + unit expressions."""

    def __init__(self, rules: RuleSet, dictionary: Mapping[str, int] | None = None) -> None:
        missing = sorted(set(FORMS) - set(rules.unit_forms))
        if missing:  # the trace names them: they must exist in the rules
            raise RulesError(f"units.yaml: `forms` lacks {', '.join(missing)}")
        self.rules = rules
        self.dictionary = dictionary or {}  # word -> frequency, for `whole_word` units
        table = rules.numerals
        assert table is not None
        self.table = table
        self.numeral_chars = table.numeral_chars
        self.start_chars = self.numeral_chars | set("0123456789")
        self.run_chars = self.start_chars | table.approx_suffixes | table.decimal_points
        self.surfaces = rules.unit_surfaces
        self.max_surface = max((len(s) for s in self.surfaces), default=1)
        self.rank_classifiers = {s for s, u in self.surfaces.items() if u.kind == "count" and len(s) == 1}
        # where a number may start: a numeral, 第, 百分之 or a vague prefix (几百); checked in full by _starts_number
        firsts = self.start_chars | set(table.vague_prefixes) | {"第", "百"}
        self.forms: NumberForms = rules.number_forms
        self.latin_surfaces = {s for s in self.surfaces if regex.search("[A-Za-z]", s)}
        self.folded_surfaces = {s.lower(): u for s, u in self.surfaces.items() if s.lower() in self.forms.ignore_case}
        if self.forms.halves:
            firsts |= {"半"}
        self.candidate = regex.compile("[" + "".join(regex.escape(c) for c in sorted(firsts)) + "]")
        spaced = "".join(regex.escape(c) for c in sorted(self._spaced_chars()))
        # spaces inside one run of numeral and unit characters (百 分 之 2.4), one side not ASCII
        self.inner_space = regex.compile(rf"(?<=[{spaced}])[ ]+(?=[{spaced}])")
        self.prefix_max = max((len(p) for p in self.forms.currency_prefixes), default=0)
        self.prefix_ends = {p[-1] for p in self.forms.currency_prefixes} | {" "}
        self.per_max = max((len(w) for w in self.forms.per_words), default=1)
        self.whole_words = (regex.compile("|".join(regex.escape(w[1]) for w in self.forms.whole_words))
                            if self.forms.whole_words else None)
        self._parsed: dict[tuple[int, str], ParsedNumber | None] = {}

    def _spaced_chars(self) -> set[str]:
        chars = set(self.numeral_chars) | set("0123456789") | set(self.table.decimal_points) | set("百分之")
        return {c for c in chars | {c for s in self.surfaces for c in s} if (c != " " and not c.isascii()) or c.isdigit()}

    def _parse(self, number: str) -> ParsedNumber | None:
        """parse_number, remembered (the same figures recur across a corpus); a Latin multiplier
        after digits (12k, 3w) multiplies."""
        key = (id(self.table), number)
        try:
            return self._parsed[key]
        except KeyError:
            if len(self._parsed) > 100_000:
                self._parsed.clear()
            parsed = self._parsed[key] = self._parse_multiplied(number)
            return parsed

    def _parse_multiplied(self, number: str) -> ParsedNumber | None:
        mult = self.table.latin_multipliers.get(number[-1:]) if len(number) > 1 else None
        if mult is None or not number[-2].isdigit():
            return parse_number(number, self.table)
        parsed = parse_number(number[:-1], self.table)
        if parsed is None:
            return None
        return replace(parsed, value=parsed.value * mult,
                       value_max=None if parsed.value_max is None else parsed.value_max * mult)

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
                      locale: str | None) -> tuple[list[Quantity], _Compaction]:
        """Quantities of `text` with the spaces inside numeral runs taken out, and the map back."""
        cuts = [m.span() for m in self.inner_space.finditer(text)
                if not (text[m.start() - 1].isascii() and text[m.end()].isascii())]
        pieces, last = [], 0
        for s, e in cuts:
            pieces.append(text[last:s])
            last = e
        pieces.append(text[last:])
        shift = _Compaction(cuts)
        mapped = _MappedLayout(layout, shift)
        return self._find("".join(pieces), mapped, currency, locale), shift  # type: ignore[arg-type]

    def _find(self, text: str, layout: Layout, currency: str, locale: str | None) -> list[Quantity]:
        found: list[Quantity] = []
        urls = [m.span() for m in _URL.finditer(text)] if "://" in text or "www." in text else []
        i, n = 0, len(text)
        while i < n:
            m = self.candidate.search(text, i)
            if m is None:
                break
            i = m.start()
            ch = text[i]
            if urls and any(s <= i < e for s, e in urls):
                i = next(e for s, e in urls if s <= i < e)
                continue
            if ch == "第" and i + 1 < n and text[i + 1] in self.start_chars:
                q, i = self._rank(text, i)
            elif self._starts_number(text, i):
                start = i
                q, i = self._quantity(text, i, layout, currency)
                q, i = self._prefixed(text, start, q, i, currency, locale)
                if q:
                    q = self._money_forms(text, q, layout)
                    i = max(i, q[-1].end)
                    q[0] = self._signed(text, q[0], found)
            elif ch == "半":
                q, i = self._half_lead(text, i, layout, currency)
            else:
                i += 1
                continue
            if q:
                found.extend(q)
        if self.whole_words is not None:
            found = self._add_whole_words(text, found)
        return _merge_ranges(text, _merge_compounds(found, self.rules.compounds), self.table.range_connectors)

    def _starts_number(self, text: str, i: int) -> bool:
        """Whether a number expression starts at `i` (not a digit glued to Latin letters, an identifier)."""
        ch = text[i]
        if text.startswith("百分之", i):
            return True
        if ch in self.start_chars:
            if ch in self.table.not_first:
                return False
            if ch in self.table.digits and not self.table.digits[ch] and text[i + 1:i + 2].isdigit():
                return False  # 找零3元: 零 before Arabic digits is a word, not part of the figure
            return not (i > 0 and text[i - 1].isascii() and text[i - 1].isalpha())
        return ch in self.table.vague_prefixes and text[i + 1:i + 2] in self.table.magnitudes

    def _run(self, text: str, i: int) -> int:
        """End of the numeral run starting at `i`."""
        j = i + 3 if text.startswith("百分之", i) else i
        while j < len(text):
            step = self._step(text, i, j)
            if not step:
                break
            j += step
        return j

    def _step(self, text: str, i: int, j: int) -> int:
        """How many characters at `j` continue the run that started at `i` (0: none)."""
        ch = text[j]
        nxt = text[j + 1] if j + 1 < len(text) else ""
        prev = text[j - 1] if j > i else ""
        if ch in self.start_chars or (ch in self.table.approx_suffixes and j > i):
            return 1
        if j == i and ch in self.table.vague_prefixes and nxt in self.table.magnitudes:
            return 1  # 几百, 数千
        if ch in _SEPARATORS and prev.isdigit():  # 4 800, 1,755: exactly three digits follow
            group = text[j + 1:j + 5]
            return 1 if group[:3].isdigit() and not group[3:].isdigit() else 0
        if ch in self.table.decimal_points and prev and nxt:
            arabic = prev.isdigit() and nxt.isdigit()
            chinese = prev in self.numeral_chars and nxt in self.table.digits
            return 1 if arabic or chinese else 0
        if (ch in self.table.range_connectors or ch == "、") and prev and nxt in self.start_chars:
            return 1
        if text.startswith("分之", j) and text[j + 2:j + 3] in self.start_chars:
            return 2
        if ch in self.table.latin_multipliers and prev.isascii() and prev.isdigit() and not (nxt.isascii() and nxt.isalnum()):
            return 1  # 12k, 3w: read as a multiplier only where no unit symbol is taken instead
        return 0

    def _unit_at(self, text: str, pos: int, layout: Layout) -> UnitSurface | None:
        for length in range(min(self.max_surface, len(text) - pos), 0, -1):
            written = text[pos:pos + length]
            unit = self.surfaces.get(written)
            if unit is None and written[0].isascii():
                unit = self.folded_surfaces.get(written.lower())
            if unit is None:
                continue
            if unit.surface in self.latin_surfaces and text[pos + length:pos + length + 1].isascii() \
                    and text[pos + length:pos + length + 1].isalnum():
                continue  # 5mins, 3cmx: a Latin symbol never runs into a word
            after = text[pos + length:pos + length + 4]
            if unit.not_followed_by is not None and unit.not_followed_by.match(after):
                continue
            if unit.followed_by is not None and not unit.followed_by.match(text, pos + length):
                continue
            if unit.whole_word and any(self.dictionary.get(text[pos:pos + length + k], 0) > 0
                                       for k in (1, 2, 3) if pos + length + k <= len(text)):
                continue  # the surface starts a longer word: 成 in 成为, 成本
            if unit.needs_context is not None:
                s, e = layout.sentence(pos)
                if not unit.needs_context.search(text, s, e):
                    continue
            return unit
        return None

    def _quantity(self, text: str, i: int, layout: Layout, currency: str) -> tuple[list[Quantity], int]:
        end = self._run(text, i)
        run = text[i:end]
        best: tuple[int, int, UnitSurface, ParsedNumber, int] | None = None
        for k in range(len(run), 0, -1):
            number = run[:k].rstrip(_SEPARATORS)
            if "分之" in number:  # 百分之二十, 四分之一: a share, the longest run that reads as one
                parsed = self._parse(number)
                if parsed is not None and parsed.percent:
                    q = Quantity(i, i + k, i, i + k, parsed.value, parsed.value_max, "%", "percent",
                                 parsed.approx, PERCENT_WORDS, number)
                    return [q], i + k
                continue
            pos = i + k
            gap = 1 if pos < len(text) and text[pos] == " " else 0
            unit = self._unit_at(text, pos + gap, layout)
            if unit is None:
                continue
            parsed = self._parse(number)  # never a share: shares (分之) were handled above
            if parsed is None and "、" not in number:
                continue
            key = (len(unit.surface), k)
            if best is None or key > best[:2]:
                best = (len(unit.surface), k, unit, parsed, gap)  # type: ignore[assignment]
        if best is None:
            return [], max(end, i + 1)
        _, k, unit, parsed, gap = best
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
            share = _discount(value)
            if share is None or parsed.value_max is not None:
                return [], max(end, i + 1)
            value = share / unit.multiplier
        more = next((w for w in self.table.approx_after_unit if text.startswith(w, unit_end)), "")
        half_word = next((w for w in self.table.half_after_unit if text.startswith(w, unit_end)), "")
        if unit.trailing_approx and more:
            unit_end += len(more)
            approx = ">"
        elif unit.trailing_half and not half and half_word and parsed.value_max is None:
            unit_end += len(half_word)  # 一倍半, 两年半
            value += 0.5
        number = run[:k]
        q = Quantity(i, unit_end, i, i + k, _scaled(value, unit.multiplier),
                     None if parsed.value_max is None else _scaled(parsed.value_max, unit.multiplier),
                     code, kind, approx, unit.rule, number)
        return [q], unit_end

    def _list(self, text: str, start: int, end: int, unit: UnitSurface, code: str, kind: str,
              unit_end: int) -> list[Quantity]:
        out: list[Quantity] = []
        pos = start
        parts = text[start:end].split("、")
        for n_part, part in enumerate(parts):
            parsed = parse_number(part, self.table)
            last = n_part == len(parts) - 1
            if parsed is not None and part:
                q_end = unit_end if last else pos + len(part)
                out.append(Quantity(pos, q_end, pos, pos + len(part), parsed.value * unit.multiplier,
                                    None if parsed.value_max is None else parsed.value_max * unit.multiplier,
                                    code, kind, parsed.approx, unit.rule, part))
            pos += len(part) + 1
        return out

    def _rank(self, text: str, i: int) -> tuple[list[Quantity], int]:
        end = self._run(text, i + 1)
        number = text[i + 1:end]
        parsed = parse_number(number, self.table)
        if parsed is None or parsed.value_max is not None or parsed.approx or not parsed.value.is_integer():
            return [], end
        q_end = end
        if end < len(text) and text[end] in self.rank_classifiers:
            q_end = end + 1
        return [Quantity(i, q_end, i + 1, end, parsed.value, None, "rank", "rank", None, RANK, number)], q_end

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

    def _code(self, unit: UnitSurface, currency: str) -> tuple[str, str]:
        if unit.unit == LOCAL_CURRENCY:
            return currency, "money"
        return unit.unit, unit.kind
