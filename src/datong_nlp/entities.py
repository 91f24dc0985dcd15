"""Entity mentions: gazetteer names, patterns and name suffixes; outermost wins."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

import regex

from .layout import Layout
from .numerals import parse_number
from .rules import EntityPattern, GazetteerEntry, RuleSet

_ORDINAL_WORDS = ["Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
                  "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth",
                  "Seventeenth", "Eighteenth", "Nineteenth", "Twentieth"]
_HAN = regex.compile(r"\p{Han}+")
_TITLE_QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》", "‘": "’"}
# Preference when two candidates have the same span: gazetteer, then patterns, then suffixes.
COMMON_WORD_FREQ = 100  # jieba dictionary frequency from which a word is too common to be a name
_PRIORITY = {"gazetteer": 0, "pattern": 1, "person": 2, "suffix": 3}


@dataclass(frozen=True)
class EntityDraft:
    """An entity in normalised-text offsets."""

    start: int
    end: int
    type: str
    name_en: str | None
    id: str | None
    source: str


def ordinal(n: int) -> str:
    """14 -> '14th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal_word(n: int) -> str:
    """3 -> 'Third' (up to twenty; larger numbers as digits)."""
    return _ORDINAL_WORDS[n] if 0 <= n < len(_ORDINAL_WORDS) else ordinal(n)


class EntityFinder:
    """Finds entity mentions in normalised text."""

    def __init__(self, rules: RuleSet, word_freq: Mapping[str, int] | None = None) -> None:
        """`word_freq`: the segmenter's dictionary frequencies; a person's name of two or more
        characters that is a common word there (任何, 同时) is not a name."""
        self.rules = rules
        self.word_freq = word_freq or {}
        self.aliases = rules.alias_index()
        ordered = sorted(self.aliases, key=lambda a: (-len(a), a))
        self.alias_re = regex.compile("|".join(regex.escape(a) for a in ordered)) if ordered else None
        self.surnames = sorted(rules.surnames, key=len, reverse=True)
        suffixes = sorted({s for r in rules.suffix_rules for s in r.suffixes}, key=len, reverse=True)
        self.suffix_re = regex.compile("|".join(regex.escape(s) for s in suffixes)) if suffixes else None
        self.suffix_rule = {s: r for r in rules.suffix_rules for s in r.suffixes}
        self.shorts = {e.short: e for e in rules.gazetteer if e.short}
        if self.shorts:
            one = "[" + "".join(regex.escape(c) for c in self.shorts) + "]"
            # 中、欧、美、日 — or a pair before 两地 (粤港两地)
            self.short_re: regex.Pattern[str] | None = regex.compile(f"{one}(?:、{one})+|{one}{one}(?=两地|三地|两岸)")
        else:
            self.short_re = None

    def find(self, text: str, layout: Layout, words: list[tuple[int, int]], edges: set[int]) -> list[EntityDraft]:
        """Outermost entity mentions of `text`, in order; `edges` are the word boundaries of `words`."""
        candidates = (self._gazetteer(text, edges) + self._short_lists(text, edges) + self._patterns(text, edges)
                      + self._suffixes(text, words))
        candidates += self._person_mentions(text, edges, candidates)
        chosen: list[EntityDraft] = []
        taken = bytearray(len(text) + 1)  # 1 where a chosen (longer) mention already lies
        for c in sorted(candidates, key=lambda c: (-(c.end - c.start), _PRIORITY[c.source], c.start)):
            if layout.in_boilerplate(c.start) or any(taken[c.start:c.end]):
                continue
            chosen.append(c)
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        return sorted(chosen, key=lambda c: c.start)

    def _gazetteer(self, text: str, edges: set[int]) -> list[EntityDraft]:
        if self.alias_re is None:
            return []
        out = []
        for m in self.alias_re.finditer(text, overlapped=True):
            s, e = m.span()
            if e - s <= 2 and (s not in edges or e not in edges):
                continue
            entry = self.aliases[m.group()]
            not_followed = self.rules.entity_not_followed_by.get(entry.type)
            if not_followed is not None and not_followed.match(text, e):
                continue  # 香港人: a demonym, not the place
            if self._opens_title(text, s, e):
                continue  # a place that opens a quoted title or scheme name (“香港港口发展策略”)
            out.append(EntityDraft(s, e, entry.type, entry.name_en, entry.id, "gazetteer"))
        return out

    def _opens_title(self, text: str, s: int, e: int) -> bool:
        """Whether text[s:e] opens a book title (《…》) or a quoted name ending in a title word (“…计划”)."""
        if s == 0 or text[s - 1] not in _TITLE_QUOTES or not _HAN.match(text, e):
            return False
        close = text.find(_TITLE_QUOTES[text[s - 1]], e, e + 40)
        if close < 0:
            return False
        inner = text[s:close].rstrip()
        return text[s - 1] == "《" or inner.endswith(self.rules.title_words)

    def _short_lists(self, text: str, edges: set[int]) -> list[EntityDraft]:
        """One-character place names, only in lists (中、美、日) or pairs before 两地 (粤港两地)."""
        if self.short_re is None:
            return []
        out = []
        for m in self.short_re.finditer(text):
            short_list = m.group().count("、") >= 2  # three or more items: a list whatever the segmenter says
            if not short_list and ((m.start() not in edges and m.start() > 0 and _HAN.match(text, m.start() - 1))
                                   or (m.end() not in edges and _HAN.match(text, m.end()))):
                continue
            for i in range(m.start(), m.end()):
                entry = self.shorts.get(text[i])
                if entry is not None:
                    out.append(EntityDraft(i, i + 1, entry.type, entry.name_en, entry.id, "gazetteer"))
        return out

    def _patterns(self, text: str, edges: set[int]) -> list[EntityDraft]:
        out = []
        for pattern in self.rules.entity_patterns:
            for m in pattern.pattern.finditer(text, overlapped=True):
                s, e = m.span(pattern.name_group) if pattern.name_group else m.span()
                if pattern.type == "PERSON":
                    if s not in edges:
                        continue  # a name starts a word: not 何 in 任何议员
                    if e - s > 1 and (self.word_freq.get(text[s:e]) or 0) >= COMMON_WORD_FREQ:
                        continue  # a common word, not a name (任何议员)
                    if e == m.end():  # an open-ended name: trim it to a word boundary
                        while e - s > 2 and e not in edges:
                            e -= 1
                        if e not in edges:
                            continue
                    name_en = self._render(pattern, m, text[s:e])
                else:
                    name_en = self._render(pattern, m, None)
                out.append(EntityDraft(s, e, pattern.type, name_en, pattern.rule, "pattern"))
        return out

    def _render(self, pattern: EntityPattern, m: regex.Match[str], person: str | None) -> str | None:
        template = pattern.name_en
        if template is None:
            return None
        failed = False

        def fill(ref: regex.Match[str]) -> str:
            nonlocal failed
            group, conv = ref.group(1), ref.group(2)
            value = person if person is not None and group == pattern.name_group else m.group(group)
            if value is None:
                failed = True
                return ""
            if conv == "name_en":
                entry: GazetteerEntry | None = self.aliases.get(value)
                if entry is None or entry.name_en is None:
                    failed = True
                    return ""
                return entry.name_en
            if conv == "pinyin":
                return self.pinyin_name(value)
            number = parse_number(value, self.rules.numerals)
            if number is None or not number.value.is_integer():
                failed = True
                return ""
            return ordinal(int(number.value)) if conv == "ordinal" else ordinal_word(int(number.value))

        rendered = regex.sub(r"\{(\w+):(\w+)\}", fill, template)
        return None if failed else rendered

    def pinyin_name(self, name: str) -> str:
        """张强 -> 'Zhang Qiang' (surname first, given name joined)."""
        from pypinyin import lazy_pinyin  # imported when first needed: it costs 0.3 s of start-up

        surname = next((s for s in self.surnames if name.startswith(s) and len(name) > len(s)), name[:1])
        family = "".join(lazy_pinyin(surname)).capitalize()
        given = "".join(lazy_pinyin(name[len(surname):])).capitalize()
        return f"{family} {given}".strip()

    def _suffixes(self, text: str, words: list[tuple[int, int]]) -> list[EntityDraft]:
        if self.suffix_re is None:
            return []
        out = []
        starts = [w[0] for w in words]
        for m in self.suffix_re.finditer(text):
            rule = self.suffix_rule[m.group()]
            s = m.start()
            i = bisect.bisect_left(starts, s) - 1  # the word holding the character before the suffix
            stem_start = s
            taken = 0
            while i >= 0 and taken < rule.stem_words:
                ws, we = words[i]
                piece = text[ws:min(we, s)]
                if we < stem_start or not _HAN.fullmatch(piece) or piece in self.rules.stem_stop:
                    break
                stem_start = ws
                taken += 1
                i -= 1
            if s - stem_start >= 2:
                out.append(EntityDraft(stem_start, m.end(), rule.type, None, rule.rule, "suffix"))
        return out

    def _person_mentions(self, text: str, edges: set[int], found: list[EntityDraft]) -> list[EntityDraft]:
        """Further mentions of a person already named after a title."""
        out = []
        names = {text[c.start:c.end]: c for c in found if c.type == "PERSON"}
        for name, first in names.items():
            pos = text.find(name)
            while pos >= 0:
                if pos != first.start and pos in edges and pos + len(name) in edges:
                    out.append(EntityDraft(pos, pos + len(name), "PERSON", first.name_en, first.id, "person"))
                pos = text.find(name, pos + 1)
        return out
