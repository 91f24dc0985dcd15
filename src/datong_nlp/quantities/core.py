"""The finder core: where a number starts, its numeral run, the unit after it, lists and ranks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import regex

from ..layout import Layout
from ..numerals import ParsedNumber, parse_number
from ..rules import LOCAL_CURRENCY, NumberForms, RuleSet, UnitSurface
from ..types import RulesError
from .quantity import FORMS, RANK, Quantity

SEPARATORS = ",  "


class FinderCore:
    """The tables of one rule set and the scanning steps every number form builds on."""

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
        self.unit_lengths = self._unit_lengths()
        self.unit_or_space = frozenset(self.unit_lengths) | {" "}  # where a unit may start inside a run
        # the only characters `_step` may continue a run with (its table fields are the same in every
        # locale's table: `for_locale` changes the magnitudes only)
        self.run_continues = (self.start_chars | table.approx_suffixes | table.vague_prefixes | set(SEPARATORS)
                              | table.decimal_points | set(table.range_connectors) | {"、", "分"}
                              | set(table.latin_multipliers))
        if self.forms.halves:
            firsts |= {"半"}
        # where `_starts_number` says yes unless a Latin letter comes before (not 百: 百分之; not 零; not 兆)
        zeros = {c for c, v in table.digits.items() if not v}
        self.plain_starts = frozenset(self.start_chars - table.not_first - zeros - {"百"})
        self.numerals_at = re.compile("[" + "".join(re.escape(c) for c in sorted(self.start_chars)) + "]*")
        self.candidate = re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]")  # re: faster here
        spaced = "".join(re.escape(c) for c in sorted(self._spaced_chars()))
        # spaces inside one run of numeral and unit characters (百 分 之 2.4), one side not ASCII; the
        # pattern opens with its space, then looks behind (`re` scans for a first literal, not a lookbehind)
        self.inner_space = re.compile(rf" (?<=[{spaced}] )[ ]*(?=[{spaced}])")
        self.prefix_max = max((len(p) for p in self.forms.currency_prefixes), default=0)
        self.prefix_ends = {p[-1] for p in self.forms.currency_prefixes} | {" "}
        self.per_max = max((len(w) for w in self.forms.per_words), default=1)
        self.whole_word_texts = tuple(w[1] for w in self.forms.whole_words)
        self.whole_words = (regex.compile("|".join(regex.escape(w) for w in self.whole_word_texts))
                            if self.whole_word_texts else None)
        self._parsed: dict[tuple[int, str, bool], ParsedNumber | None] = {}

    def _unit_lengths(self) -> dict[str, tuple[int, ...]]:
        """First character -> the lengths (longest first) a unit surface starting with it can have;
        every length for an ASCII character that starts a case-folded surface (lower() may change lengths)."""
        lengths: dict[str, set[int]] = {}
        for surface in self.surfaces:
            lengths.setdefault(surface[0], set()).add(len(surface))
        folded_firsts = {key[0] for key in self.folded_surfaces if key}
        for cp in range(128):
            if chr(cp).lower() in folded_firsts:
                lengths.setdefault(chr(cp), set()).update(range(1, self.max_surface + 1))
        return {ch: tuple(sorted(ns, reverse=True)) for ch, ns in lengths.items()}

    def _spaced_chars(self) -> set[str]:
        chars = set(self.numeral_chars) | set("0123456789") | set(self.table.decimal_points) | set("百分之")
        return {c for c in chars | {c for s in self.surfaces for c in s} if (c != " " and not c.isascii()) or c.isdigit()}

    def _parse(self, number: str, multipliers: bool = True) -> ParsedNumber | None:
        """parse_number, remembered (the same figures recur across a corpus); with `multipliers`, a
        Latin multiplier after digits (12k, 3w) multiplies (not in ranks and list items)."""
        key = (id(self.table), number, multipliers)
        try:
            return self._parsed[key]
        except KeyError:
            if len(self._parsed) > 100_000:
                self._parsed.clear()
            parsed = self._parsed[key] = self._parse_multiplied(number) if multipliers else parse_number(number, self.table)
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
        n, over_numerals, continues = len(text), self.numerals_at.match, self.run_continues
        while j < n:
            j = over_numerals(text, j).end()  # type: ignore[union-attr]  # the first case of `_step`, without the call
            if j == n or text[j] not in continues:
                break
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
        if ch in SEPARATORS and prev.isdigit():  # 4 800, 1,755: exactly three digits follow
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
        lengths = self.unit_lengths.get(text[pos:pos + 1])
        if lengths is None:
            return None  # no surface starts with this character
        room = len(text) - pos
        for length in lengths:
            if length > room:
                continue
            written = text[pos:pos + length]
            unit = self.surfaces.get(written)
            if unit is None and written[0].isascii():
                unit = self.folded_surfaces.get(written.lower())
            if unit is None:
                continue
            if unit.surface in self.latin_surfaces and text[pos + length:pos + length + 1].isascii() \
                    and text[pos + length:pos + length + 1].isalnum():
                continue  # 5mins, 3cmx: a Latin symbol never runs into a word
            if unit.not_followed_by is not None and unit.not_followed_by.match(text[pos + length:pos + length + 4]):
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

    def _list(self, text: str, start: int, end: int, unit: UnitSurface, code: str, kind: str,
              unit_end: int) -> list[Quantity]:
        out: list[Quantity] = []
        pos = start
        parts = text[start:end].split("、")
        for n_part, part in enumerate(parts):
            parsed = self._parse(part, multipliers=False)
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
        parsed = self._parse(number, multipliers=False)
        if parsed is None or parsed.value_max is not None or parsed.approx or not parsed.value.is_integer():
            return [], end
        q_end = end
        if end < len(text) and text[end] in self.rank_classifiers:
            q_end = end + 1
        return [Quantity(i, q_end, i + 1, end, parsed.value, None, "rank", "rank", None, RANK, number)], q_end

    def _code(self, unit: UnitSurface, currency: str) -> tuple[str, str]:
        if unit.unit == LOCAL_CURRENCY:
            return currency, "money"
        return unit.unit, unit.kind
