"""Find quantities: a number expression and its unit, resolved through the unit table.

Works on the normalised (simplified, folded) text; offsets returned here are
offsets of that text.  Comparators, modality, property and time are added
later by `claims`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import regex

from .layout import Layout
from .numerals import ParsedNumber, parse_number
from .rules import LOCAL_CURRENCY, RuleSet, UnitSurface
from .types import RulesError

PERCENT_WORDS, RANK = "percent-words", "rank"  # ids of the units.yaml `forms` this finder emits
FORMS = (PERCENT_WORDS, RANK)

_SEPARATORS = ",  "


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


class QuantityFinder:
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
        self.candidate = regex.compile("[" + "".join(regex.escape(c) for c in sorted(firsts)) + "]")
        self._parsed: dict[str, ParsedNumber | None] = {}

    def _parse(self, number: str) -> ParsedNumber | None:
        """parse_number, remembered (the same figures recur across a corpus)."""
        try:
            return self._parsed[number]
        except KeyError:
            if len(self._parsed) > 100_000:
                self._parsed.clear()
            parsed = self._parsed[number] = parse_number(number, self.table)
            return parsed

    def find(self, text: str, layout: Layout, currency: str) -> list[Quantity]:
        """Every quantity of `text`, in order, ranges merged, lists split."""
        found: list[Quantity] = []
        i, n = 0, len(text)
        while i < n:
            m = self.candidate.search(text, i)
            if m is None:
                break
            i = m.start()
            ch = text[i]
            if ch == "第" and i + 1 < n and text[i + 1] in self.start_chars:
                q, i = self._rank(text, i)
            elif self._starts_number(text, i):
                q, i = self._quantity(text, i, layout, currency)
            else:
                i += 1
                continue
            if q:
                found.extend(q)
        return _merge_ranges(text, _merge_compounds(found, self.rules.compounds), self.table.range_connectors)

    def _starts_number(self, text: str, i: int) -> bool:
        """Whether a number expression starts at `i` (not a digit glued to Latin letters, an identifier)."""
        ch = text[i]
        if text.startswith("百分之", i):
            return True
        if ch in self.start_chars:
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
        return 0

    def _unit_at(self, text: str, pos: int, layout: Layout) -> UnitSurface | None:
        for length in range(min(self.max_surface, len(text) - pos), 0, -1):
            unit = self.surfaces.get(text[pos:pos + length])
            if unit is None:
                continue
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
            if "分之" in number:  # 百分之二十, 四分之一: a share, complete only as the whole run
                parsed = self._parse(number) if k == len(run) else None
                if parsed is not None and parsed.percent:
                    q = Quantity(i, i + k, i, i + k, parsed.value, parsed.value_max, "%", "percent",
                                 parsed.approx, PERCENT_WORDS, number)
                    return [q], end
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
        code, kind = self._code(unit, currency)
        if parsed is None:  # a list sharing one unit: 7.499、6.871微克
            return self._list(text, i, i + k, unit, code, kind, unit_end), unit_end
        approx = parsed.approx
        value = parsed.value
        more = next((w for w in self.table.approx_after_unit if text.startswith(w, unit_end)), "")
        half = next((w for w in self.table.half_after_unit if text.startswith(w, unit_end)), "")
        if unit.trailing_approx and more:
            unit_end += len(more)
            approx = ">"
        elif unit.trailing_half and half and parsed.value_max is None:
            unit_end += len(half)  # 一倍半, 两年半
            value += 0.5
        number = run[:k]
        q = Quantity(i, unit_end, i, i + k, value * unit.multiplier,
                     None if parsed.value_max is None else parsed.value_max * unit.multiplier,
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

    def _code(self, unit: UnitSurface, currency: str) -> tuple[str, str]:
        if unit.unit == LOCAL_CURRENCY:
            return currency, "money"
        return unit.unit, unit.kind


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
