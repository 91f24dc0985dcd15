"""Entity mentions: gazetteer names, bodies by structure, patterns, name suffixes and people
in context; outermost wins."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from typing import NamedTuple

import regex

from .anchors import PatternScanner, WordScanner
from .gazetteer import COMMON_WORD_FREQ, AliasHit, AliasMatcher, Tags, adding, new_tuple, tail_is_word, word_end
from .layout import Layout
from .numerals import parse_number
from .people import NOT_GIVEN, PeopleFinder
from .romanise import pinyin_text
from .rules import EntityPattern, GazetteerEntry, RuleSet
from .stems import StemReader

_ORDINAL_WORDS = ["Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
                  "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth",
                  "Seventeenth", "Eighteenth", "Nineteenth", "Twentieth"]
_HAN = regex.compile(r"\p{Han}+")
_TITLE_QUOTES = {"“": "”", "「": "」", "『": "』", "《": "》", "‘": "’"}
# Preference when two candidates have the same span: gazetteer, then patterns, then suffixes.
_PRIORITY = {"gazetteer": 0, "pattern": 1, "structure": 2, "person": 3, "context": 4, "suffix": 5}
_LEVEL_CHARS = "省市县区州镇乡"
_GLUE = "而和与及对向由被把将让给跟在从为是"
_OWN_ROMANISATION = frozenset({"hk", "tw", "mo"})
_BOOK_TITLE = regex.compile(r"《[^《》\n]{1,60}》")
_AGREEMENTS = ("协议", "协定", "公约", "条约", "宣言", "议定书")
_GLOSS = regex.compile(r"[（(]([A-Za-z][A-Za-z .&'-]{1,60}[A-Za-z.])[）)]")
_GLUE_CHAR = re.compile(f"[{_GLUE}]")  # the standard library scans a plain character class faster
_TEMPLATE_REF = regex.compile(r"\{(\w+):(\w+)\}")
_PINYIN_CACHE = 20_000  # names romanised at most; then the cache starts again


class EntityDraft(NamedTuple):
    """An entity in normalised-text offsets (a named tuple: made several times faster than a frozen dataclass)."""

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
        self.tags = Tags()
        self.context = rules.entity_context
        self.people = PeopleFinder(rules.surnames, rules.titles, self.context, self.word_freq, self.tags)
        organs = self.context.organs  # by first character: the lengths of organ words, longest first
        self.organ_lengths = {c: sorted({len(o) for o in organs if o[:1] == c}, reverse=True) for c in {o[:1] for o in organs}}
        self.levels = {e.id: e.level for e in rules.gazetteer}
        units = sorted(self.context.units, key=len, reverse=True)
        self.unit_re = regex.compile("|".join(regex.escape(u) for u in units)) if units else None
        events = self.context.event_suffixes
        self.event_words = WordScanner(events)
        self.stems = StemReader(self.aliases, self.tags, rules.stem_stop, self.context.event_scope, self.word_freq)
        self.scanner = PatternScanner([p.pattern for p in rules.entity_patterns])
        self.surnames = sorted(rules.surnames, key=len, reverse=True)
        self._pinyin: dict[str, str] = {}
        suffixes = sorted({s for r in rules.suffix_rules for s in r.suffixes}, key=len, reverse=True)
        self.suffix_words = WordScanner(suffixes)
        self.suffix_rule = {s: r for r in rules.suffix_rules for s in r.suffixes}
        # one pass finds the aliases and the words of the other automata (they read its hits: `Replay`)
        users = [u for u in (self.people, self.scanner, self.event_words, self.suffix_words) if u.automaton is not None]
        self.matcher = AliasMatcher(self.aliases, self.word_freq, self.tags, frozenset(rules.titles), self.context.variants,
                                    [u.automaton for u in users])
        for user, rider in zip(users, self.matcher.riders, strict=True):
            user.automaton = rider
        self.shorts = {e.short: e for e in rules.gazetteer if e.short}
        if self.shorts:
            one = "[" + "".join(re.escape(c) for c in self.shorts) + "]"
            # 中、欧、美、日 — or a pair before 两地 (粤港两地); the standard library scans it ~4x faster
            self.short_re: re.Pattern[str] | None = re.compile(f"{one}(?:、{one})+|{one}{one}(?=两地|三地|两岸)")
        else:
            self.short_re = None

    def find(self, text: str, layout: Layout, words: list[tuple[int, int]], edges: set[int],
             place: str | None = None) -> list[EntityDraft]:
        """Outermost entity mentions of `text`, in order; `edges` are the word boundaries of `words`
        (positions are added to it during the call, and taken out again: no copy of the large set);
        `place` the text's locale (cn, hk, tw, mo), which decides what a bare generic alias names."""
        hits = self.matcher.find(text, edges, words, require_end=False)  # variants read as their standard form
        glued = glued_starts(text, words, edges)
        inner = {h.end for h in hits if h.end not in edges and tail_is_word(text, h.end, words, self.word_freq)}
        with adding(edges, inner):
            glued -= inner
            candidates = self._gazetteer(text, edges, hits, place) + self._organs(text, edges, hits)
            with adding(edges, glued):  # where a name may start
                patterns = self._patterns(text, edges)
            candidates += self._short_lists(text, edges) + patterns
            named_ends = {h.end for h in hits if h.entry.type != "GPE" and h.end in edges}
            candidates += self._suffixes(text, words, edges, named_ends) + self._events(text, words, edges)
            candidates += self._subunits(text, words, edges, candidates)
            blocked = {c.start for c in candidates if c.type != "PERSON"}
            seeds = {c.start: c.end for c in candidates if c.type == "PERSON"}
            with adding(edges, glued):
                people = self.people.find(text, edges, blocked, seeds)
            romanise = place not in _OWN_ROMANISATION  # Hong Kong, Taiwan, Macau names are not spelt in pinyin
            for p in people:
                name = text[p.start:p.end]
                name_en = self.pinyin_name(name) if romanise and _HAN.fullmatch(name) else None
                candidates.append(EntityDraft(p.start, p.end, "PERSON", name_en, "people", "context"))
            candidates += self._person_mentions(text, edges, candidates)
            candidates = self._directions(text, edges, candidates)
        titles = [(m.start() + 1, m.end() - 1) for m in _BOOK_TITLE.finditer(text)]
        title_starts = [t[0] for t in titles]
        chosen: list[EntityDraft] = []
        taken = bytearray(len(text) + 1)  # 1 where a chosen (longer) mention already lies
        boilerplate = layout.in_boilerplate if layout.boilerplate else None  # (most texts have none)
        for c in sorted(candidates, key=lambda c: (c.start - c.end, _PRIORITY[c.source], c.start)):
            s, e, _, _, _, source = c
            if (boilerplate is not None and boilerplate(s)) or taken.find(1, s, e) >= 0:
                continue
            if source in ("suffix", "structure") and self._opens_title(text, s, e):
                continue  # 「深澳电厂更新扩建计划」: the name of a scheme
            k = bisect.bisect_right(title_starts, s) - 1 if titles else -1
            if k >= 0 and e <= titles[k][1] and (s, e) != titles[k]:
                continue  # a name inside a book title (《2021年广东经济运行情况》) is part of the title
            chosen.append(c)
            taken[s:e] = b"\x01" * (e - s)
        chosen = _join_compounds(text, sorted(chosen, key=lambda c: c.start))
        glosses = self._glosses(text, chosen)
        return sorted(chosen + glosses, key=lambda c: c.start)

    def _gazetteer(self, text: str, edges: set[int], hits: list[AliasHit], place: str | None) -> list[EntityDraft]:
        out = []
        not_followed_by, organs = self.rules.entity_not_followed_by, self.context.organs
        for s, e, alias, entry in hits:
            if e not in edges:
                continue
            not_followed = not_followed_by.get(entry.type)
            if not_followed is not None and not_followed.match(text, e):
                continue  # 香港人: a demonym, not the place
            if s and text[s - 1] in _TITLE_QUOTES and self._opens_title(text, s, e):
                continue  # a place that opens a quoted title or scheme name (“香港港口发展策略”)
            if entry.type == "GPE" and text.startswith(_AGREEMENTS, e):
                continue  # 巴黎协议: the place names an agreement
            if alias in organs and entry.place is not None and (
                    (s > 0 and text[s - 1] in _LEVEL_CHARS) or (place is not None and place != entry.place)):
                continue  # a bare generic name (教育局) names one place's body only in a text of that place
            out.append(new_tuple(EntityDraft, (s, e, entry.type, entry.name_en, entry.id, "gazetteer")))
        return out

    def _directions(self, text: str, edges: set[int], found: list[EntityDraft]) -> list[EntityDraft]:
        """北台湾, 南韩国 ...: a compass word before a region or country on a word boundary is part of the place."""
        out = list(found)
        for c in found:
            if (c.type == "GPE" and c.source == "gazetteer" and c.start > 0 and text[c.start - 1] in "东南西北"
                    and c.start - 1 in edges and (c.start < 2 or not _HAN.match(text, c.start - 2))
                    and c.id is not None and self.levels.get(c.id) in ("country", "region", "province")):
                out.append(EntityDraft(c.start - 1, c.end, "GPE", None, c.id, "gazetteer"))
        return out

    def _organs(self, text: str, edges: set[int], hits: list[AliasHit]) -> list[EntityDraft]:
        """{GPE} + organ word = one ORG (四川省统计局, 台中市议会)."""
        out = []
        organs, organ_lengths = self.context.organs, self.organ_lengths
        for start, end, _, entry in hits:
            if entry.type != "GPE" or (lengths := organ_lengths.get(text[end:end + 1])) is None:
                continue  # not a place, or no organ word starts after it
            word = next((w for n in lengths if end + n in edges and (w := text[end:end + n]) in organs), None)
            if word is None:
                continue
            organ = organs[word]
            name_en = f"{entry.name_en} {organ.name_en}" if entry.name_en else None
            out.append(EntityDraft(start, end + len(word), "ORG", name_en, organ.rule, "structure"))
        return out

    def _opens_title(self, text: str, s: int, e: int) -> bool:
        """Whether text[s:e] opens a book title (《…》) or a quoted name ending in a title word (“…计划”)."""
        if s == 0 or text[s - 1] not in _TITLE_QUOTES or not (_HAN.match(text, e) or text[e:e + 1] in "―-—·"):
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
        patterns = self.rules.entity_patterns
        for i, m in self.scanner.finditer(text):
            pattern = patterns[i]
            if not self._slots_ok(m, edges):
                continue
            s, e = m.span(pattern.name_group) if pattern.name_group else m.span()
            if pattern.type == "PERSON":
                if s not in edges or any(ch in NOT_GIVEN for ch in text[s + 1:e]):
                    continue  # a name starts a word: not 何 in 任何议员; no 副 in a given name
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

    def _slots_ok(self, m: regex.Match[str], edges: set[int]) -> bool:
        """Whether every {GPE}/{ORG}/{FAC} slot of a pattern match is an alias of that type starting a word."""
        for slot, value in m.groupdict().items():
            if slot.startswith("_") and value is not None:
                entry = self.aliases.get(value)
                if entry is None or entry.type != slot[1:] or (m.start(slot) == m.start() and m.start(slot) not in edges):
                    return False
        return True

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

        rendered = _TEMPLATE_REF.sub(fill, template)
        return None if failed else rendered

    def pinyin_name(self, name: str) -> str:
        """张强 -> 'Zhang Qiang' (surname first, given name joined)."""
        done = self._pinyin.get(name)
        if done is not None:
            return done
        surname = next((s for s in self.surnames if name.startswith(s) and len(name) > len(s)), name[:1])
        family = pinyin_text(surname).capitalize()  # pypinyin's lazy_pinyin, joined (romanise.py)
        given = pinyin_text(name[len(surname):]).capitalize()
        if len(self._pinyin) >= _PINYIN_CACHE:
            self._pinyin.clear()
        self._pinyin[name] = done = f"{family} {given}".strip()
        return done

    def _suffixes(self, text: str, words: list[tuple[int, int]], edges: set[int],
                  named_ends: set[int]) -> list[EntityDraft]:
        """Names ending in a suffix word of `suffix_rules`, with a proper stem (深澳电厂, 重庆燃气集团)."""
        out = []
        longest: dict[int, int] = {}  # per end, the start of the longest suffix (发电厂, not 电厂)
        for s, e in self.suffix_words.spans(text):  # the longest at each start: 工业园|园区 of 苏州工业园区
            longest.setdefault(e, s)
        for e, s in longest.items():
            word = text[s:e]
            rule = self.suffix_rule[word]
            if e not in edges or e in named_ends:
                continue  # not on a boundary, or the end of a known name (启德邮轮码头)
            mode = rule.stem or ("adjacent" if rule.type == "FAC" else "first")
            start = self.stems.stem_start(text, s, words, rule.stem_words, mode, rule.type == "EVENT")
            if start is not None and e - start >= len(word) + 2:
                out.append(EntityDraft(start, e, rule.type, None, rule.rule, "suffix"))
        return out

    def _events(self, text: str, words: list[tuple[int, int]], edges: set[int]) -> list[EntityDraft]:
        """Named meetings: a proper stem and a meeting word (全国金融工作会议, 博鳌亚洲论坛)."""
        out = []
        for s, e in self.event_words.spans(text):
            if e not in edges:
                continue
            start = self.stems.stem_start(text, s, words, self.context.event_stem_words, "first",
                                          stop_at_place=False)
            if start is not None and s - start >= 2:
                out.append(EntityDraft(start, e, "EVENT", None, "events", "suffix"))
        return out

    def _subunits(self, text: str, words: list[tuple[int, int]], edges: set[int],
                  found: list[EntityDraft]) -> list[EntityDraft]:
        """A university, academy or association and its school or department: one ORG (清华大学环境学院)."""
        if self.unit_re is None:
            return []
        out = []
        for c in found:
            if c.type != "ORG" or not text.endswith(self.context.unit_parents, c.start, c.end):
                continue
            pos, taken = c.end, 0
            while True:
                m = self.unit_re.match(text, pos)
                if m is not None and m.end() in edges:
                    out.append(EntityDraft(c.start, m.end(), "ORG", None, self.context.units[m.group()], "structure"))
                    break
                nxt = word_end(words, pos)
                if nxt is None or taken >= self.context.unit_stem_words:
                    break
                word = text[pos:nxt]
                unit = next((u for u in self.context.units if word.endswith(u) and len(word) > len(u)), None)
                if unit is not None:  # 环工系: the unit word closes the segmenter's word
                    out.append(EntityDraft(c.start, nxt, "ORG", None, self.context.units[unit], "structure"))
                    break
                if not self.stems.is_noun(word):
                    break
                pos, taken = nxt, taken + 1
        return out

    def _glosses(self, text: str, chosen: list[EntityDraft]) -> list[EntityDraft]:
        """A Latin-script gloss in brackets right after a mention has its type and gives its English
        name: 马克宏（Emmanuel Macron）.  Changes `chosen` in place; returns the glosses."""
        out = []
        for i, c in enumerate(chosen):
            m = _GLOSS.match(text, c.end) if text[c.end:c.end + 1] in "（(" else None
            if m is not None:
                chosen[i] = c._replace(name_en=m.group(1))
                out.append(EntityDraft(m.start(1), m.end(1), c.type, m.group(1), c.id, c.source))
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


def glued_starts(text: str, words: list[tuple[int, int]], edges: set[int]) -> set[int]:
    """Where a name may start after a function character that the segmenter glued to it (而林 健锋): one
    after a glue character that starts a word of two or more characters (`edges`: the words' boundaries,
    so one character on is none, as words never overlap)."""
    return {a + 1 for m in _GLUE_CHAR.finditer(text)
            if (a := m.start()) in edges and a + 1 not in edges and (word_end(words, a) or a) - a >= 2}


def _join_compounds(text: str, chosen: list[EntityDraft]) -> list[EntityDraft]:
    """Two events joined by 暨 are one (…大会暨…论坛)."""
    if "暨" not in text:
        return chosen
    out: list[EntityDraft] = []
    for c in chosen:
        prev = out[-1] if out else None
        if prev is not None and prev.type == c.type == "EVENT" and text[prev.end:c.start] == "暨":
            out[-1] = EntityDraft(prev.start, c.end, "EVENT", None, prev.id, prev.source)
        else:
            out.append(c)
    return out
