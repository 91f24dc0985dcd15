"""Chinese, Arabic and mixed numerals to numbers: one pure parser.

`parse_number("1.6亿", table)` gives 160000000; `parse_number("2到3", table)`
a range; `parse_number("2万多", table)` a lower bound.  The characters it knows come from a
`NumeralTable` the caller passes (`RuleSet.numerals`, loaded from
`rules/numerals.yaml`); this module reads no file and keeps no default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

import regex

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {"．": ".", "，": ",", "－": "-", "～": "~"}


@dataclass(frozen=True)
class NumeralTable:
    """The characters of numerals and what they mean."""

    digits: dict[str, int]
    tens: dict[str, int]
    magnitudes: dict[str, int]
    approx_suffixes: frozenset[str]
    vague_prefixes: frozenset[str]
    range_connectors: tuple[str, ...]
    decimal_points: frozenset[str]
    thousands_separators: frozenset[str]
    approx_after_unit: tuple[str, ...] = ("多",)  # 4成多: after a unit that allows it (units.yaml trailing_approx)
    half_after_unit: tuple[str, ...] = ("半",)  # 两年半: after a unit that allows it (units.yaml trailing_half)
    magnitude_only_starts: frozenset[str] = frozenset()  # where a before_magnitude_only cue counts (上万)
    trillion: tuple[str, int, frozenset[str], frozenset[str]] | None = None  # (兆, 10¹², locales, 亿-words)
    latin_multipliers: dict[str, int] = field(default_factory=dict)
    not_first: frozenset[str] = frozenset()  # magnitudes that never begin a figure (兆)
    _arabic: regex.Pattern[str] = field(init=False, repr=False, compare=False)
    _trillion_table: NumeralTable | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        seps = "".join(regex.escape(s) for s in sorted(self.thousands_separators))
        pattern = rf"\d{{1,3}}(?:[{seps}]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?" if seps else r"\d+(?:\.\d+)?"
        object.__setattr__(self, "_arabic", regex.compile(pattern))

    def for_locale(self, locale: str | None) -> NumeralTable:
        """This table as read in a text of `locale` (兆 is 10¹² in Taiwan)."""
        if self.trillion is None or locale not in self.trillion[2]:
            return self
        return self.as_trillion()

    def as_trillion(self) -> NumeralTable:
        """This table with 兆 as 10¹² (Taiwan, and money written with 兆: 1000兆日元)."""
        if self.trillion is None:
            return self
        if self._trillion_table is None:  # made once: the parse caches are keyed by the table
            char, value, _, _ = self.trillion
            object.__setattr__(self, "_trillion_table", replace(self, magnitudes=self.magnitudes | {char: value}, trillion=None))
        assert self._trillion_table is not None
        return self._trillion_table

    @property
    def numeral_chars(self) -> frozenset[str]:
        """Every character that can stand inside a Chinese numeral."""
        return frozenset(self.digits) | frozenset(self.tens) | frozenset(self.magnitudes)


@dataclass(frozen=True)
class ParsedNumber:
    """A parsed number expression.

    `approx` is ">" when a suffix (多, 余, 几) or a vague prefix (几百, 数千)
    makes the figure a lower bound; `percent` marks 百分之N and N分之M forms,
    whose value is already in percent.
    """

    value: float
    value_max: float | None = None
    approx: str | None = None
    percent: bool = False
    has_magnitude: bool = False


def _fold(text: str) -> str:
    return "".join(_FULLWIDTH.get(c, c) for c in text).strip()


def parse_number(text: str, table: NumeralTable) -> ParsedNumber | None:
    """Parse a whole number expression with the characters of `table`, or return None if it is not one."""
    s = _fold(text)
    if not s or s[0] in table.not_first:
        return None
    if s.startswith("百分之"):
        inner = _parse_range(s[3:], table)
        if inner is None or inner.percent:
            return None
        return ParsedNumber(inner.value, inner.value_max, inner.approx, True, inner.has_magnitude)
    if "分之" in s:
        den_text, _, num_text = s.partition("分之")
        den, num = _parse_simple(den_text, table), _parse_simple(num_text, table)
        if den is None or num is None or den.value == 0 or den.value_max or num.value_max:
            return None
        return ParsedNumber(_clean(Decimal(str(num.value)) * 100 / Decimal(str(den.value))), percent=True)
    return _parse_range(s, table)


def _parse_range(s: str, table: NumeralTable) -> ParsedNumber | None:
    for conn in table.range_connectors:
        idx = s.find(conn, 1)
        if idx <= 0:
            continue
        left, right = _parse_simple(s[:idx], table), _parse_simple(s[idx + len(conn):], table)
        if left is None or right is None or left.value_max is not None or right.value_max is not None:
            return None
        low = Decimal(str(left.value))
        if not left.has_magnitude and right.has_magnitude:
            scale = _trailing_magnitude(s[idx + len(conn):], table)
            if scale and low * scale <= Decimal(str(right.value)):
                low *= scale
        if low > Decimal(str(right.value)):
            return None
        return ParsedNumber(_clean(low), right.value, right.approx, False, right.has_magnitude)
    if "、" in s:
        parts = s.split("、")
        nums = [_parse_simple(p, table) for p in parts]
        if len(parts) == 2 and all(n is not None for n in nums):
            a, b = nums[0].value, nums[1].value  # type: ignore[union-attr]
            if float(a).is_integer() and b == a + 1:
                return ParsedNumber(a, b)
        return None
    return _parse_simple(s, table)


def _trailing_magnitude(s: str, table: NumeralTable) -> Decimal:
    scale = Decimal(1)
    for ch in reversed(s.rstrip("".join(table.approx_suffixes))):
        if ch not in table.magnitudes:
            break
        scale *= table.magnitudes[ch]
    return scale


def _clean(value: Decimal) -> float:
    return float(value)


def _parse_simple(s: str, table: NumeralTable) -> ParsedNumber | None:
    """A single number: Arabic, Chinese or mixed, with approximation marks."""
    if not s:
        return None
    approx: str | None = None
    # Vague prefix before a magnitude: 几百, 数千.
    if s[0] in table.vague_prefixes and len(s) > 1 and s[1] in table.magnitudes:
        approx = ">"
        s = "一" + s[1:] if "一" in table.digits else s[1:]
    # Approximation suffix at the end, or between digits and a magnitude (400多万).
    while s and s[-1] in table.approx_suffixes:
        approx = ">"
        s = s[:-1]
    inner = [i for i, c in enumerate(s) if c in table.approx_suffixes]
    for i in reversed(inner):
        if 0 < i < len(s) - 1 and s[i + 1] in table.magnitudes:
            approx = ">"
            s = s[:i] + s[i + 1:]
        else:
            return None
    tokens = _tokenize(s, table)
    if not tokens:
        return None
    has_mag = any(kind == "m" for kind, _ in tokens)
    ranged = _neighbour_range(tokens)
    if ranged is not None:
        low, high = (_evaluate(t) for t in ranged)
        if low is None or high is None:
            return None
        return ParsedNumber(_clean(low), _clean(high), approx, False, has_mag)
    value = _evaluate(tokens)
    if value is None:
        return None
    return ParsedNumber(_clean(value), None, approx, False, has_mag)


# A token is ("n", value) for a number, ("c", digit) for a Chinese digit, ("t", 20) for 廿,
# ("z", 0) for 零 and ("m", magnitude) for a magnitude word.
Token = tuple[str, Decimal]
_NOT_DIGIT = regex.compile(r"[^\d.]")
_MYRIAD = Decimal(10000)


def _tokenize(s: str, table: NumeralTable) -> list[Token] | None:
    tokens: list[Token] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit() and ch.isascii():
            m = table._arabic.match(s, i)
            if m is None:
                return None
            digits = _NOT_DIGIT.sub("", m.group())
            end = m.end()
            if end < len(s) and s[end].isascii() and (s[end].isdigit() or s[end] in ",."):
                return None  # a malformed separator or decimal point
            tokens.append(("n", Decimal(digits)))
            i = end
        elif ch in table.digits:
            value = table.digits[ch]
            if value == 0:
                tokens.append(("z", Decimal(0)))
            else:
                tokens.append(("c", Decimal(value)))
            i += 1
        elif ch in table.tens:
            tokens.append(("t", Decimal(table.tens[ch])))
            i += 1
        elif ch in table.magnitudes:
            tokens.append(("m", Decimal(_magnitude(s, i, table))))
            i += 1
        elif ch in table.decimal_points and ch != "." and tokens and tokens[-1][0] in "mt" and i + 1 < len(s):
            # 一百二十点五: the whole number so far, then the fraction digits
            whole = _evaluate(tokens)
            frac = ""
            j = i + 1
            while j < len(s) and s[j] in table.digits:
                frac += str(table.digits[s[j]])
                j += 1
            if whole is None or not frac:
                return None
            tokens = [("n", whole + Decimal("0." + frac))]
            i = j
        elif ch in table.decimal_points and ch != "." and tokens and tokens[-1][0] in "cz":  # 三点五, 零点五
            # 三点五: a Chinese decimal; the fraction digits follow one by one.
            frac = ""
            j = i + 1
            while j < len(s) and s[j] in table.digits:
                frac += str(table.digits[s[j]])
                j += 1
            if not frac:
                return None
            tokens[-1] = ("n", tokens[-1][1] + Decimal("0." + frac))
            i = j
        else:
            return None
    # Merge stacked large magnitudes that do not rise (亿万, 万万) into one.
    merged: list[Token] = []
    for tok in tokens:
        if tok[0] == "m" and merged and merged[-1][0] == "m" and merged[-1][1] < tok[1] < _MYRIAD:
            return None  # 十百, 百千: a small magnitude never rises to another below 万
        if (tok[0] == "m" and merged and merged[-1][0] == "m" and merged[-1][1] >= tok[1] >= _MYRIAD):
            merged[-1] = ("m", merged[-1][1] * tok[1])
        else:
            merged.append(tok)
    return merged


def _magnitude(s: str, i: int, table: NumeralTable) -> int:
    """The value of the magnitude at `s[i]`: 兆 is 10¹² where 亿 follows it in the figure."""
    if table.trillion is not None and s[i] == table.trillion[0] and any(c in table.trillion[3] for c in s[i + 1:]):
        return table.trillion[1]
    return table.magnitudes[s[i]]


def _neighbour_range(tokens: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """两三万, 五六十: two neighbouring Chinese digits make a range."""
    for i in range(len(tokens) - 1):
        (k1, v1), (k2, v2) = tokens[i], tokens[i + 1]
        if k1 == "c" and k2 == "c" and v2 == v1 + 1:
            if all(k in ("c", "z") for k, _ in tokens) and len(tokens) > 2:
                return None  # a digit string such as 一二三四
            return [*tokens[:i], tokens[i], *tokens[i + 2:]], [*tokens[:i], tokens[i + 1], *tokens[i + 2:]]
    return None


def _evaluate(tokens: list[Token]) -> Decimal | None:
    if not tokens:
        return None
    mags = [i for i, (k, _) in enumerate(tokens) if k == "m"]
    if not mags:
        numbers = [t for t in tokens if t[0] != "z"] if len(tokens) > 1 else tokens
        if len(tokens) == 1:
            return tokens[0][1]
        if len(tokens) == 2 and tokens[0][0] == "t" and tokens[1][0] == "c":  # 廿五
            return tokens[0][1] + tokens[1][1]
        if all(k in ("c", "z") for k, _ in tokens):  # 二〇二五
            return Decimal("".join(str(int(v)) for _, v in tokens))
        if len(numbers) == 1 and tokens[0][0] == "z":
            return numbers[0][1]
        return None
    top = max(mags, key=lambda i: (tokens[i][1], -i))
    mag = tokens[top][1]
    left, right = tokens[:top], tokens[top + 1:]
    if left and left[-1][0] == "z":
        return None
    lv = _evaluate(left) if left else Decimal(1)
    if lv is None:
        return None
    rv: Decimal | None
    if not right:
        rv = Decimal(0)
    elif len(right) == 1 and right[0][0] == "c" and mag >= 100:
        rv = right[0][1] * mag / 10  # 三千五 = 3500, 一万五 = 15000
    else:
        rest = right[1:] if right[0][0] == "z" else right
        rv = _evaluate(rest) if rest else None
        if rv is None or rv >= mag:
            return None
    return lv * mag + rv
