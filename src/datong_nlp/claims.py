"""Turn quantities into claims: drop what is not a claim, add comparator,
modality, property and time from the words around each figure."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import regex

from .layout import LIST_SEP, Layout
from .phrase import PhraseChunker
from .quantities import Quantity
from .rules import RuleSet

_HAN = regex.compile(r"[\p{Han}·A-Za-z]+")  # Latin letters too: GDP, PM
_WINDOW = 40  # characters either side of a figure searched for not-a-claim patterns
_PROPERTY_REACH = 60  # the words naming a property lie at most this far before the figure
# the words before a figure that can name its property start after the last of these
PROPERTY_START = frozenset(LIST_SEP | set("(（“「《"))
# a subject joined by one of these (水质及水价) gives only its last member to a noun after the figure
CONJUNCTIONS = r"及|和|与|或"


@dataclass(frozen=True)
class TimeMention:
    """A time expression in normalised-text offsets."""

    start: int
    end: int
    text: str
    rule: str
    future: bool
    carries: bool
    base: bool  # a comparison base (较2011年): never a claim's time, except of a figure inside its phrase
    weak: bool = False  # a recurrence (每月): yields to any other time of the clause
    base_until: int = -1  # a base's phrase runs to here (a change word, else the clause end): 相比2020年GDP总量…


@dataclass(frozen=True)
class ClaimDraft:
    """A quantity with its attributes, still in normalised-text offsets."""

    quantity: Quantity
    comparator: str
    modality: str
    property: str | None
    time: str | None


def find_times(text: str, rules: RuleSet) -> list[TimeMention]:
    """Every time expression of `text` (longest first where they overlap), in order."""
    found: list[TimeMention] = []
    for rule in rules.times:
        for m in rule.pattern.finditer(text):
            if m.end() == m.start():
                continue
            before = text[max(0, m.start() - 4):m.start()].rstrip()
            base = any(before.endswith(p) for p in rules.comparison_prefixes)
            until = min((i for i in (text.find(w, m.end()) for w in rules.base_ends) if i >= 0), default=len(text)) \
                if base else -1
            found.append(TimeMention(m.start(), m.end(), m.group().replace(" ", ""), rule.rule, rule.future, rule.carries,
                                     base, rule.weak, until))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[TimeMention] = []
    for t in found:
        if kept and t.start < kept[-1].end:
            continue
        kept.append(t)
    return kept


class ClaimBuilder:
    """Filters quantities and adds the attributes the annotation guide defines."""

    def __init__(self, rules: RuleSet, chunker: PhraseChunker | None = None) -> None:
        self.rules = rules
        self.chunker = chunker  # phrase structure of properties (phrase.py); None: character runs only
        self.prefix_max = max(map(len, rules.comparator_prefixes), default=0)
        self.suffixes = sorted(rules.comparator_suffixes, key=len, reverse=True)
        self.magnitudes = set(rules.numerals.magnitudes) if rules.numerals else set()
        self.cues = sorted(rules.modality_cues, key=len, reverse=True)
        self.prop = rules.property

    def build(self, text: str, layout: Layout, quantities: list[Quantity], boundaries: set[int]) -> list[ClaimDraft]:
        """Claims of `text` (normalised) from its quantities."""
        times = find_times(text, self.rules)
        blocked = _merge([(t.start, t.end) for t in times] + self._non_claims(text, quantities))
        # spans left out of a property: times (with their comparison word) and other figures
        hidden = _merge([(t.start - self._base_len(text, t), t.end) for t in times]
                        + [(q.start - self._prefix_len(text, q), q.end) for q in quantities])
        drafts: list[ClaimDraft] = []
        for i, q in enumerate(quantities):
            if self._not_a_claim(q, layout, blocked, boundaries):
                continue
            prev = drafts[-1] if drafts and layout.sentence(drafts[-1].quantity.start) == layout.sentence(q.start) else None
            prop = None
            if prev and self._continues(text, prev.quantity, q, hidden):
                prop = prev.property
            nxt = quantities[i + 1] if i + 1 < len(quantities) else None
            prop = prop or self._property(text, q, layout, hidden, nxt, boundaries)
            if self.chunker is not None:  # phrase structure (phrase.py): 分别 lists, differences, function words
                prop = self._phrase(text, q, quantities, layout, hidden, prop, prev)
            if not prop and prev and prev.property:
                prop = self._without_change(prev.property)
            elif prop in self.prop["bare_changes"] and prev and prev.property:
                prop = self._without_change(prev.property) + prop
            drafts.append(ClaimDraft(q, self._comparator(text, q), self._modality(text, q, layout, times, boundaries),
                                     prop, self._time(q, layout, times)))
        return drafts

    def _phrase(self, text: str, q: Quantity, quantities: list[Quantity], layout: Layout,
                hidden: list[tuple[int, int]], prop: str | None, prev: ClaimDraft | None) -> str | None:
        """`prop` reshaped by phrase structure: one listed subject per figure after 分别, the compared
        indicator of a difference (高于全国1.4个百分点), no function word at either end."""
        assert self.chunker is not None
        chunker = self.chunker
        ss, _ = layout.sentence(q.start)
        cs, _ = layout.clause(q.start)
        at = text.rfind(chunker.rules.respectively, ss, q.start)
        if at >= 0:
            after = [x for x in quantities if x.start > at and layout.sentence(x.start)[0] == ss]
            listed = after[:1]
            for a, b in itertools.pairwise(after):
                if text[a.end:b.start].strip(" 、,，和及与"):
                    break
                listed.append(b)
            if q in listed:
                end = at + len(chunker.rules.respectively)
                change = "".join(text[k] for k in _visible(text, end, listed[0].start, hidden))
                c0, _ = layout.clause(at)
                start = c0 if text[c0:at].strip() else layout.clause(max(ss, c0 - 1))[0]  # ，分别达到: the clause before
                marks = {k for k in range(max(ss, start), at) if text[k] == "、"}
                subjects = "".join(text[k] for k in sorted(set(_visible(text, max(ss, start), at, hidden)) | marks))
                listed_prop = chunker.respectively(subjects, change, len(listed), listed.index(q))
                if listed_prop:
                    return listed_prop
        if prev is not None:
            words = "".join(text[k] for k in _visible(text, cs, q.start, hidden))
            compared = chunker.difference(words, q.unit, prev.property)
            if compared:
                return compared
        cleaned = chunker.clean(prop)
        if cleaned is None and "、" in text[cs:q.start]:  # 连跨4个台阶、突破7万亿元: the list shares the clause's subject
            subject = chunker.subject("".join(text[k] for k in _visible(text, cs, q.start, hidden)))
            if subject:
                return self._strip(subject, self.prop["trim_leading"], leading=True)
        if cleaned is None and prop and not (prev and prev.property):  # 实现就业2万多人: a verb naming an activity
            stripped = chunker.strip(prop)
            return stripped if len(stripped) > 1 and len(chunker.tokens(stripped)) == 1 else None
        return cleaned

    def _without_change(self, prop: str) -> str:
        """`prop` without a bare change word at its end (收入增长 -> 收入), when something is left."""
        word = next((w for w in self.prop["bare_changes"] if prop.endswith(w) and len(prop) > len(w)), "")
        return prop[: len(prop) - len(word)]

    def _non_claims(self, text: str, quantities: list[Quantity]) -> list[tuple[int, int]]:
        """Matches of the not-a-claim patterns near a figure (scanning only there keeps long texts fast)."""
        spans: list[tuple[int, int]] = []
        windows = _merge([(max(0, q.start - _WINDOW), min(len(text), q.end + _WINDOW)) for q in quantities])
        for _, pattern in self.rules.non_claims:
            for ws, we in windows:
                spans.extend(m.span() for m in pattern.finditer(text, ws, we) if m.end() > m.start())
        return spans

    def _base_len(self, text: str, t: TimeMention) -> int:
        """Length of the comparison word (and spaces) before a comparison-base time, else 0."""
        if not t.base:
            return 0
        before = text[max(0, t.start - 5):t.start]
        stripped = before.rstrip()
        word = next((p for p in self.rules.comparison_prefixes if stripped.endswith(p)), "")
        return len(word) + len(before) - len(stripped)

    def _continues(self, text: str, prev: Quantity, q: Quantity, hidden: list[tuple[int, int]]) -> bool:
        """Whether `q` is the other end of a change or range that starts at `prev`."""
        if q.start - prev.end > _PROPERTY_REACH:
            return False
        words = "".join(text[i] for i in _visible(text, prev.end, q.start, hidden)).removesuffix("的")
        words = self._strip(words, self.prop["trim_leading"], leading=True)
        return words in self.prop["change_words"]

    def _not_a_claim(self, q: Quantity, layout: Layout, blocked: list[tuple[int, int]], boundaries: set[int]) -> bool:
        if layout.in_boilerplate(q.start):
            return True
        if q.number_text[-1] not in "0123456789" and not any(b in boundaries for b in range(q.start + 1, q.end + 1)):
            return True  # a Chinese numeral inside one longer word (零部件, 百年一遇, 三年级)
        if q.kind == "count" and q.number_text in self.rules.articles:
            return True
        if q.unit == "year" and q.value >= 1000 and q.value_max is None:
            return True  # a calendar year written without its digits' context
        i = bisect.bisect_left(blocked, (q.end, q.end)) - 1
        return i >= 0 and blocked[i][1] > q.start

    # --- comparator
    def _comparator(self, text: str, q: Quantity) -> str:
        if q.approx:
            return q.approx
        after = text[q.end:q.end + 4].lstrip()
        for word in self.suffixes:
            if after.startswith(word):
                return self.rules.comparator_suffixes[word]
        cue = self._prefix_cue(text, q)
        return cue[1] if cue else "="

    def _prefix_cue(self, text: str, q: Quantity) -> tuple[int, str] | None:
        """(length including spaces, comparator) of the comparator word just before `q`, if any."""
        before = text[max(0, q.start - self.prefix_max - 2):q.start]
        stripped = before.rstrip()
        for length in range(min(self.prefix_max, len(stripped)), 0, -1):  # longest word first
            cue = self.rules.comparator_prefixes.get(stripped[-length:])
            if cue is None:
                continue
            comparator, magnitude_only = cue
            if magnitude_only and text[q.number_start] not in self.magnitudes:
                continue
            return length + len(before) - len(stripped), comparator
        return None

    def _prefix_len(self, text: str, q: Quantity) -> int:
        cue = self._prefix_cue(text, q)
        return cue[0] if cue else 0

    # --- modality
    def _modality(self, text: str, q: Quantity, layout: Layout, times: list[TimeMention],
                  boundaries: set[int]) -> str:
        s, _ = layout.sentence(q.start)
        clause_start, clause_end = layout.clause(q.start)
        window = text[s:q.start]
        for cue in self.cues:
            reach = s if self.rules.modality_cues[cue] == "sentence" else clause_start
            pos = window.find(cue)
            while pos >= 0:
                at = s + pos
                if at >= reach and at in boundaries and at + len(cue) in boundaries:
                    return "projected"
                pos = window.find(cue, pos + 1)
            if self.rules.modality_cues[cue] == "sentence":  # 其中1座今年将停产: a cue after the figure, same clause
                at = text.find(cue, q.end, clause_end)
                while at >= 0:
                    if at in boundaries and at + len(cue) in boundaries:
                        return "projected"
                    at = text.find(cue, at + 1, clause_end)
        governing = self._time_mention(q, layout, times)
        if governing is not None and governing.future:
            return "projected"
        return "actual"

    # --- time
    def _time_mention(self, q: Quantity, layout: Layout, times: list[TimeMention]) -> TimeMention | None:
        cs, ce = layout.clause(q.start)
        ss, _ = layout.sentence(q.start)
        times = times[bisect.bisect_left(times, ss, key=_start):bisect.bisect_right(times, ce, key=_start)]
        # a comparison base governs only a figure inside its own phrase (相比2020年GDP总量[11万亿元])
        own = [t for t in times if cs <= t.start and t.end <= ce and (not t.base or t.end <= q.start < t.base_until)]
        if any(not t.weak for t in own):
            own = [t for t in own if not t.weak]
        before = [t for t in own if t.end <= q.start]
        if before:
            return before[-1]
        after = [t for t in own if t.start >= q.end]
        if after:
            return after[0]
        earlier = [t for t in times if ss <= t.start and t.end <= cs and not t.base and t.carries]
        return earlier[-1] if earlier else None

    def _time(self, q: Quantity, layout: Layout, times: list[TimeMention]) -> str | None:
        t = self._time_mention(q, layout, times)
        return t.text if t else None

    # --- property
    def _property(self, text: str, q: Quantity, layout: Layout, hidden: list[tuple[int, int]],
                  nxt: Quantity | None, boundaries: set[int]) -> str | None:
        cs, ce = layout.clause(q.start)
        start = q.start - self._prefix_len(text, q)
        cs = max(cs, start - _PROPERTY_REACH)
        own = text[cs:start]
        cut = max((own.rfind(sep) + 1 for sep in PROPERTY_START), default=0)
        before = self._trim(text, _visible(text, cs + cut, start, hidden), boundaries)
        after, modifies = self._after_phrase(text, q, ce, nxt, boundaries)
        if after and modifies and before:  # 总消费仍有16.5%的增幅 -> 总消费增幅; 水质及水价有5.8%的升幅 -> 水价升幅
            subject = regex.split(CONJUNCTIONS, before)[-1]
            return subject + after if len(subject) > 1 else after
        return after or before or None

    def _after_phrase(self, text: str, q: Quantity, clause_end: int, nxt: Quantity | None,
                      boundaries: set[int]) -> tuple[str | None, bool]:
        """The noun phrase after the figure (`nxt` is the next figure), and whether the figure modifies it (…的X)."""
        pos = q.end
        if nxt is not None and not text[pos:nxt.start].strip():
            pos = nxt.end  # 4台66万千瓦机组: the count's noun follows the second figure
        rest = text[pos:clause_end]
        pos += len(rest) - len(rest.lstrip())
        rest = rest.lstrip()
        for word in self.suffixes:
            if rest.startswith(word):
                rest, pos = rest[len(word):], pos + len(word)
                break
        m = _HAN.match(rest)
        if not m:
            return None, False
        phrase = m.group()
        modifies = phrase.startswith("的") and pos == q.end
        for word in self.prop["after_stop"]:
            idx = phrase.find(word)
            while idx >= 0 and not (pos + idx in boundaries and pos + idx + len(word) in boundaries):
                idx = phrase.find(word, idx + 1)
            if idx >= 0:
                phrase = phrase[:idx]
        for word in self.prop["after_take_last_after"]:
            idx = phrase.rfind(word)
            if idx >= 0:
                phrase = phrase[idx + len(word):]
        if len(phrase) < 2 or len(phrase) > self.prop["after_max_chars"]:
            return None, False
        return phrase, modifies

    def _trim(self, text: str, positions: list[int], boundaries: set[int]) -> str:
        """The property in the characters at `positions`: linking verbs, scope words and what
        precedes the last governing verb (a whole word of `cut_after`) left out."""
        words = self._strip("".join(text[i] for i in positions), self.prop["trim_trailing"], leading=False)
        cut = 0
        for w in self.prop["cut_after"]:
            idx = words.rfind(w, 0, len(words) - 1)
            while idx >= 0 and not (positions[idx] in boundaries and positions[idx + len(w) - 1] + 1 in boundaries):
                idx = words.rfind(w, 0, idx)
            if idx >= 0:
                cut = max(cut, idx + len(w))
        words = self._strip(words[cut:], self.prop["trim_leading"], leading=True)
        return words if len(words) > 1 else ""  # one character (即, 及, 占) names nothing

    @staticmethod
    def _strip(words: str, affixes: tuple[str, ...], leading: bool) -> str:
        """`words` without any of `affixes` (longest first) repeated at its start (or end),
        keeping at least one character."""
        changed = True
        while changed and words:
            changed = False
            for w in affixes:
                if len(words) > len(w) and (words.startswith(w) if leading else words.endswith(w)):
                    words, changed = (words[len(w):] if leading else words[: -len(w)]), True
                    break
        return words


def _visible(text: str, start: int, end: int, hidden: list[tuple[int, int]]) -> list[int]:
    """Offsets of the Han characters of text[start:end] outside the (sorted, disjoint) `hidden` spans."""
    out: list[int] = []
    i = max(0, bisect.bisect_right(hidden, (start, start)) - 1)
    for pos in range(start, end):
        while i < len(hidden) and hidden[i][1] <= pos:
            i += 1
        if i < len(hidden) and hidden[i][0] <= pos:
            continue
        if _HAN.match(text[pos]):
            out.append(pos)
    return out


def _start(t: TimeMention) -> int:
    return t.start


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
