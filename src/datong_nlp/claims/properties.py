"""Stage 5: the property of a figure (what it measures), cut from the words around it (`property.yaml`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import regex

from ..layout import LIST_SEP, Layout
from ..phrase import PhraseChunker, remember
from ..quantities import Quantity
from ..rules import RuleSet
from ..types import RulesError
from .comparator import PrefixCue
from .spans import HAN, NO_DECISION, Affixes, Decision, Lazy, Visible, alternation, last_match, space_after

PROPERTY_REACH = 60  # the words naming a property lie at most this far before the figure
# the words before a figure that can name its property start after the last of these
PROPERTY_START = frozenset(LIST_SEP | set("(（“「《"))
OPEN, CLOSE = "(（", ")）"
# the last of these characters in a span (one reverse search, not one rfind per character)
_LAST_START, _LAST_OPEN, _LAST_CLOSE = (regex.compile("(?r)[" + "".join(map(regex.escape, sorted(cs))) + "]")
                                        for cs in (PROPERTY_START, OPEN, CLOSE))
COUNTED = frozenset({"count", "percent", "rank", "duration"})  # kinds of figure that count, rank or last the noun after them
_ARTICLE_END = regex.compile(r"(?:了|一[\p{Han}])$")  # 产出了, 买入一伙: no part of the subject

# how a property was found: the ids of the `methods` entries of property.yaml
AFTER, BEFORE, JOINED = "property-after", "property-before", "property-joined"
RANGE, INHERITED, BARE_CHANGE = "property-range", "property-inherited", "property-bare-change"
# reshaped by phrase structure (phrase.yaml): function words, a shared subject, one activity verb;
# one listed subject per figure after 分别; the compared indicator of a difference
PHRASE, RESPECTIVELY, DIFFERENCE = "property-phrase", "property-respectively", "property-difference"
# a figure after a noun and an opening bracket (销量(7000台)); a rank or a figure with no
# property of its own under a topic frame (从GDP总量来看，…居全国第一)
BRACKET, TOPIC = "property-bracket", "property-topic"
RESTATED = "property-restated"  # …比重将维持不变，即约七成: the subject of the clause restated
METHODS = (AFTER, BEFORE, JOINED, RANGE, INHERITED, BARE_CHANGE, PHRASE, RESPECTIVELY, DIFFERENCE, BRACKET, TOPIC,
           RESTATED)


class PropertyStage:
    """Finds the property of every figure of a text, in order."""

    def __init__(self, rules: RuleSet, chunker: PhraseChunker | None = None) -> None:
        missing = sorted(set(METHODS) - set(rules.property_methods))
        if missing:  # the trace names them: they must exist in the rules
            raise RulesError(f"property.yaml: `methods` lacks {', '.join(missing)}")
        self.prop = rules.property
        self.chunker = chunker  # phrase structure of properties (phrase.py); None: character runs only
        self.suffixes = sorted(rules.comparator_suffixes, key=len, reverse=True)
        # a subject joined by one of these (水质及水价) gives only its last member to a noun after the figure
        self.conjunctions = regex.compile("|".join(map(regex.escape, rules.property["conjunctions"])))
        self.leading = Affixes(rules.property["trim_leading"], leading=True)
        self.trailing = Affixes(rules.property["trim_trailing"], leading=False)
        # the words before a figure end before one of these (电池由只可走百多公里: 电池)
        self.from_words = rules.property["from_words"]
        # a lone trimmed word (全国, 当中) names nothing
        self.lone = frozenset(rules.property["trim_trailing"]) | frozenset(rules.property["trim_leading"])
        # a sentence opening with a topic frame (从GDP总量来看，) names the indicator of its ranks
        frames = [f.split("…") for f in rules.property["topic_frames"]]
        self.topic = regex.compile("|".join(f"(?:{regex.escape(a)}(?P<t{i}>[\\p{{Han}}A-Za-z]{{2,12}}?){regex.escape(b)})"
                                            for i, (a, b) in enumerate(frames)) + r"(?=[，,：:])")
        # a transaction verb ending the words before a figure names its noun (企业共销售 -> 企业销量)
        self.nominal = dict(w.split(">", 1) for w in rules.property["nominalize"])
        self.nominal_ends = tuple(self.nominal)
        # precompiled: the first of the suffixes at a position (longest first, as the list is ordered);
        # whether any `cut_after` or `after_stop` word occurs at all (most words hold none)
        self.suffix = alternation(self.suffixes)
        self.suffix_first = None if "" in self.suffixes else frozenset(w[0] for w in self.suffixes)  # None: anywhere
        # looked up for every figure: sets, and the words of `after_stop` with its length limit
        self.change_words, self.bare = frozenset(rules.property["change_words"]), frozenset(rules.property["bare_changes"])
        self.after_stop, self.after_max = rules.property["after_stop"], rules.property["after_max_chars"]
        self.any_cut = alternation(rules.property["cut_after"])
        self.any_stop = alternation(rules.property["after_stop"])
        self._trimmed: dict[str, str] = {}  # the words before a figure -> `_trim`, where no boundary decides
        self.take_last_after = tuple(rules.property["after_take_last_after"])

    def decide_all(self, text: str, layout: Layout, quantities: Sequence[Quantity],
                   prefixes: Sequence[PrefixCue | None], hidden: list[tuple[int, int]],
                   boundaries: set[int], in_time: Sequence[bool],
                   spans: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> list[Decision[str | None]]:
        """The property of each of `quantities`, kept as claims or not.

        A figure with no property of its own inherits from the previous figure of its sentence
        that is not part of a time (`in_time`), whether or not the filter keeps that figure:
        no property depends on which figures are dropped.  `hidden`: spans left out of a
        property (times with their comparison word, figures with their comparator word);
        `spans`: each figure's sentence and clause (`Layout.spans`)."""
        out: list[Decision[str | None]] = []
        vis = Visible(text, hidden)  # what every figure slices: computed once for the text
        by_sentence: dict[int, list[Quantity]] = {}  # sentence start -> its figures, in order
        for q, ((ss, _), _) in zip(quantities, spans, strict=True):
            by_sentence.setdefault(ss, []).append(q)
        last = -1  # the previous figure that is not part of a time
        for i, q in enumerate(quantities):
            sentence, clause = spans[i]
            p = last if last >= 0 and spans[last][0] == sentence else -1
            nxt = quantities[i + 1] if i + 1 < len(quantities) else None
            out.append(self._decide(text, layout, (sentence[0], by_sentence[sentence[0]]), clause, q, prefixes[i], vis, nxt,
                                    boundaries, out[p] if p >= 0 else None, quantities[p] if p >= 0 else None))
            if not in_time[i]:
                last = i
        return out

    def _decide(self, text: str, layout: Layout, sentence: tuple[int, Sequence[Quantity]], clause: tuple[int, int],
                q: Quantity, prefix: PrefixCue | None, vis: Visible, nxt: Quantity | None, boundaries: set[int],
                prev: Decision[str | None] | None, prev_q: Quantity | None) -> Decision[str | None]:
        """`sentence`: where q's sentence starts, and its figures in order; `clause`: q's clause."""
        prev_prop = prev.value if prev else None
        ss, (cs, ce) = sentence[0], clause
        if prev_prop and prev_q and self._continues(prev_q, q, vis):
            own: Decision[str | None] = Decision(prev_prop, RANGE)
        else:
            own = self._own(text, layout, q, prefix, vis, nxt, boundaries, (ss, cs, ce))
        if self.chunker is not None:  # phrase structure (phrase.py): 分别 lists, differences, function words
            own = self._phrase(self.chunker, text, q, sentence[1], layout, vis, own, prev_prop, (ss, cs))
        if q.kind == "rank" and own.value in self.lone:  # 从全国第五提升到第三: 全国 names no indicator
            own = NO_DECISION
        if q.kind == "rank" or not (own.value or prev_prop):  # 从GDP总量来看，广东稳居全国第一
            topic = self._topic(text, layout, ss, cs)
            if topic:
                return Decision(topic, TOPIC)
        if not own.value and prev_prop:
            return Decision(self._without_change(prev_prop), INHERITED)
        if not own.value:
            restated = self._restated(layout, q, vis, ss, cs)
            if restated:
                return Decision(restated, RESTATED)
        if own.value is not None and own.value in self.bare and prev_prop:
            return Decision(self._without_change(prev_prop) + own.value, BARE_CHANGE)
        return own

    def _phrase(self, chunker: PhraseChunker, text: str, q: Quantity, sentence: Sequence[Quantity],
                layout: Layout, vis: Visible, own: Decision[str | None],
                prev_prop: str | None, starts: tuple[int, int]) -> Decision[str | None]:
        """`own` reshaped by phrase structure: one listed subject per figure after 分别, the compared
        indicator of a difference (高于全国1.4个百分点), no function word at either end.  `prev_prop`:
        the decided property of the previous figure of the sentence (the one inheritance uses);
        `sentence`: the figures of its sentence; `starts`: where its sentence and clause start."""
        prop = own.value
        ss, cs = starts
        words = vis.words
        at = text.rfind(chunker.rules.respectively, ss, q.start)
        if at >= 0:
            after = [x for x in sentence if x.start > at]
            listed = after[:1]
            for a, b in itertools.pairwise(after):
                if text[a.end:b.start].strip(" 、,，和及与"):
                    break
                listed.append(b)
            if q in listed:
                change = words(at + len(chunker.rules.respectively), listed[0].start)
                start, end = layout.clause(at)[0], at
                if not text[start:at].strip():  # ，分别达到: the clause before, or the one before it that lists
                    start, end = layout.clause(max(ss, start - 1))
                    if start > ss and not self._lists(text[start:end]):
                        start, end = layout.clause(start - 1)
                start = max(ss, start)
                marks = {k for k in range(start, end) if text[k] == "、"}
                subjects = "".join(text[k] for k in sorted(set(vis.positions(start, end)) | marks))
                listed_prop = chunker.respectively(subjects, change, len(listed), listed.index(q))
                if listed_prop:
                    return Decision(listed_prop, RESPECTIVELY)
        # the words before the figure are read only for a difference figure after a property
        compared = chunker.difference(words(cs, q.start), q.unit, prev_prop) \
            if prev_prop and q.unit in chunker.rules.difference_units else None
        if compared:
            return Decision(compared, DIFFERENCE)
        # …的支出, 销量(, 7个市地: a noun by its place (after 的, before a bracket, after a count), whatever its tag
        if prop and (own.rule in (JOINED, BRACKET) or (own.rule == AFTER and q.kind == "count"
                                                         and not chunker.opens_with_verb(prop))):
            stripped = chunker.strip(prop)
            if len(stripped) < 2:  # 市地 keeps its particle-tagged 地; a bare time word (今年) names nothing
                return own if any(chunker.nounish(w, t) for w, t in chunker.tokens(prop)) else Decision(None, PHRASE)
            return own if stripped == prop else Decision(stripped, PHRASE)
        if own.rule == BEFORE and prop:
            prop = chunker.drop_adverbs(prop)
        cleaned = chunker.clean(prop)
        if cleaned is None and "、" in text[cs:q.start]:  # 连跨4个台阶、突破7万亿元: the list shares the clause's subject
            subject = chunker.subject(words(cs, q.start))
            if subject:
                return Decision(self.leading.strip(subject), PHRASE)
        if cleaned is None and prop and not prev_prop:  # 实现就业2万多人: a verb naming an activity
            stripped = chunker.strip(prop)
            cleaned = stripped if len(stripped) > 1 and len(chunker.tokens(stripped)) == 1 else None
        return own if cleaned == own.value else Decision(cleaned, PHRASE)

    def _restated(self, layout: Layout, q: Quantity, vis: Visible, ss: int, cs: int) -> str | None:
        """The subject of the clause before, when the figure's clause restates it (`restating`: 即约七成);
        the figure's sentence starts at `ss`, its clause at `cs`."""
        if self.chunker is None or cs <= ss or not vis.words(cs, q.start).startswith(self.prop["restating"]):
            return None
        p0, p1 = layout.clause(cs - 1)
        p0 = max(ss, p0)
        subject = self.chunker.opening(self._trim(vis.words(p0, p1), lambda: vis.positions(p0, p1), set()))
        return subject if len(subject) > 1 else None

    def _lists(self, clause: str) -> bool:
        """Whether `clause` lists subjects (甲、乙; 甲及乙)."""
        return "、" in clause or self.conjunctions.search(clause) is not None

    def _topic(self, text: str, layout: Layout, ss: int, cs: int) -> str | None:
        """The topic of a frame (从GDP总量来看，) opening a clause of the figure's sentence (starting at
        `ss`) before its clause (starting at `cs`)."""
        m = self.topic.search(text, ss, cs)
        if not m or layout.clause(m.start())[0] != m.start():
            return None
        return next(v for v in m.groups() if v)

    def _without_change(self, prop: str) -> str:
        """`prop` without a bare change word at its end (收入增长 -> 收入), when something is left."""
        word = next((w for w in self.prop["bare_changes"] if prop.endswith(w) and len(prop) > len(w)), "")
        return prop[: len(prop) - len(word)]

    def _continues(self, prev: Quantity, q: Quantity, vis: Visible) -> bool:
        """Whether `q` is the other end of a change or range that starts at `prev`."""
        if q.start - prev.end > PROPERTY_REACH:
            return False
        words = vis.words(prev.end, q.start).removesuffix("的")
        words = self.leading.strip(words)
        return words in self.change_words

    def _own(self, text: str, layout: Layout, q: Quantity, prefix: PrefixCue | None,
             vis: Visible, nxt: Quantity | None, boundaries: set[int], edges: tuple[int, int, int]) -> Decision[str | None]:
        """The property from the figure's own clause (`edges`: where its sentence starts, where its
        clause starts and ends): the noun phrase after it, else the words before it."""
        ss, cs, ce = edges
        start = prefix.start if prefix else q.start
        bracket = start > cs and text[start - 1] in OPEN  # 销量(7000台): the words before the bracket
        if bracket:
            start -= 1
        cs = max(cs, start - PROPERTY_REACH)
        before = self._trim(*self._before_positions(text, layout, ss, cs, start, vis), boundaries)
        if bracket and before:
            return Decision(before, BRACKET)
        after, modifies, relative = self._after_phrase(text, q, ce, nxt, boundaries)
        if after and modifies and before:  # 总消费仍有16.5%的增幅 -> 总消费增幅; 水质及水价有5.8%的升幅 -> 水价升幅
            subject = self._subject(before)
            return Decision(subject + after if len(subject) > 1 else after, JOINED)
        if after and relative and before and q.kind not in COUNTED:  # 年收入20万元家庭的比例: what the amount is of
            return Decision(before, BEFORE)
        if after and relative and before:  # 检控3名逾期逗留的旅客: the verb counted and the head noun
            verb = self._verb(before)
            return Decision(verb + after if verb else after, AFTER)
        if after:
            return Decision(after, AFTER)
        return Decision(before, BEFORE) if before else NO_DECISION

    def _before_positions(self, text: str, layout: Layout, ss: int, cs: int, start: int,
                          vis: Visible) -> tuple[str, Callable[[], list[int]]]:
        """The words before a figure in its clause text[cs:start] and their offsets, from the last 、
        or opening bracket or quote on (`ss`: where the sentence holding cs starts);
        an aside in brackets before the figure (旅客总数(不计过境)为, (不含出口，下同)销量, opened in
        this clause or an earlier one) is left out, and the words before it count."""
        close = last_match(_LAST_CLOSE, text, cs, start)
        if close >= 0:
            opened = last_match(_LAST_OPEN, text, ss, close)
            if opened >= 0 and (opened < cs or len(vis.words(opened, close)) > 1):
                c0 = max(layout.clause(opened)[0], cs - PROPERTY_REACH)
                c0 = last_match(_LAST_START, text, c0, opened) + 1 or c0
                return (vis.words(c0, opened) + vis.words(close + 1, start),
                        lambda: vis.positions(c0, opened) + vis.positions(close + 1, start))
        cut = last_match(_LAST_START, text, cs, start) + 1 or cs
        return vis.words(cut, start), lambda: vis.positions(cut, start)

    def _subject(self, before: str) -> str:
        """The subject a figure modifying the noun after it joins (…有12%的增幅): the last member of
        `before` (水质及水价 -> 水价), or its last verb when it ends in one (以5%的能耗产出了6%的GDP -> 产出)."""
        subject = self.conjunctions.split(before)[-1]
        verb = self._verb(subject)
        if verb in self.bare:  # 平均增速6.1%的水平, 减少70%的支出: the change is the subject
            verb = ""
        subject = self._last_phrase(subject)
        return verb or ("" if subject in self.lone else subject)

    def _last_phrase(self, words: str) -> str:
        """The words after the last verb of `words` that has a noun before it (环保署开展为期 -> 为期);
        `words` when there is none (出口总额)."""
        if self.chunker is None:
            return words
        toks = self.chunker.tokens(words)
        nouns = [self.chunker.nounish(w, t) for w, t in toks]
        cut = max((i + 1 for i, (w, t) in enumerate(toks) if t.startswith("v") and len(w) > 1
                   and any(nouns[:i]) and i + 1 < len(toks)), default=0)
        return "".join(w for w, _ in toks[cut:])

    def _verb(self, before: str) -> str:
        """The verb `before` ends with (检控, 买入一伙 -> 买入, 产出了 -> 产出), or ''."""
        if self.chunker is None:
            return ""
        words = _ARTICLE_END.sub("", before)
        toks = self.chunker.tokens(words)
        if len(toks) > 0 and toks[-1][1].startswith("v") and len(toks[-1][0]) > 1:
            return toks[-1][0]
        return ""

    def _after_phrase(self, text: str, q: Quantity, clause_end: int, nxt: Quantity | None,
                      boundaries: set[int]) -> tuple[str | None, bool, bool]:
        """The noun phrase after the figure (`nxt` is the next figure), whether the figure modifies
        it (…的X), and whether a modifying clause comes between (3名逾期逗留的旅客: 旅客)."""
        pos = q.end
        if nxt is not None and (nxt.start <= pos or (text[pos].isspace() and not text[pos:nxt.start].strip())):
            pos = nxt.end  # 4台66万千瓦机组: the count's noun follows the second figure
        spaced = space_after(text, pos) if pos < len(text) and text[pos].isspace() else pos  # most have none: no call
        pos = min(spaced, max(pos, clause_end))
        if pos >= clause_end:
            return None, False, False  # nothing of the clause after the figure (HAN matches no empty span)
        first = self.suffix_first
        suffix = self.suffix.match(text, pos, clause_end) if first is None or text[pos] in first else None
        if suffix:
            pos = suffix.end()
        m = HAN.match(text, pos, max(pos, clause_end))
        if not m:
            return None, False, False
        phrase = m.group()
        modifies = phrase.startswith("的") and pos == q.end
        relative, clause = False, ""
        for word in self.take_last_after:  # the head noun after a modifying clause
            idx = phrase.rfind(word)
            if idx >= 0:
                relative, clause = idx > 0, phrase[:idx + len(word)]
                pos, phrase = pos + idx + len(word), phrase[idx + len(word):]
        # only the words the phrase holds can cut it, as it only gets shorter
        for word in [w for w in self.after_stop if w in phrase] if self.any_stop.search(phrase) else ():
            idx = phrase.find(word)
            while idx >= 0 and not (pos + idx in boundaries and pos + idx + len(word) in boundaries):
                idx = phrase.find(word, idx + 1)
            if idx >= 0:
                phrase = phrase[:idx]
        if relative and len(phrase) > 1 and q.kind in ("rank", "percent") \
                and len(clause + phrase) <= self.after_max:
            # 第一个获准设厂的城市, 60%家庭的收入: the rank or share is the whole phrase's
            phrase, relative = clause + phrase, False
        elif clause and len(phrase) > 2 and phrase.endswith(self.prop["locative_ends"]):
            # 3小时车程可达的范围内, 增长5%的基础上: a place or frame, not what is measured
            phrase, relative, modifies = clause[:-1], False, False
        if len(phrase) < 2 or len(phrase) > self.after_max:
            return None, False, False
        return phrase, modifies, relative

    def _trim(self, words: str, offsets: Callable[[], list[int]], boundaries: set[int]) -> str:
        """The property in `words`, the characters at `offsets()`: linking verbs, scope words and what
        precedes the last governing verb (a whole word of `cut_after`) left out; what follows a
        `from_words` word (电池由只可走) too; a closing verb of `nominalize` named by its noun."""
        cached = self._trimmed.get(words)
        if cached is not None:
            return cached
        positions = Lazy(offsets)  # wanted only where a word of `cut_after` or `from_words` occurs
        out = self._cut(words, positions, boundaries)
        if positions.items is None:  # decided by the words alone: the same wherever they stand
            remember(self._trimmed, words, out)
        return out

    def _cut(self, words: str, positions: Lazy, boundaries: set[int]) -> str:
        words = self.trailing.strip(words)
        cut = 0
        for w in self.prop["cut_after"] if len(words) > 1 and self.any_cut.search(words, 0, len(words) - 1) else ():
            idx = words.rfind(w, 0, len(words) - 1)
            while idx >= 0 and not (positions[idx] in boundaries and positions[idx + len(w) - 1] + 1 in boundaries):
                idx = words.rfind(w, 0, idx)
            if idx >= 0:
                cut = max(cut, idx + len(w))
        end = len(words)
        for w in self.from_words:
            idx = words.find(w, cut + 2)
            while idx >= 0 and not (positions[idx] in boundaries and positions[idx + len(w) - 1] + 1 in boundaries):
                idx = words.find(w, idx + 1)
            if idx >= 0:
                end = min(end, idx)
        words = words[cut:end]
        noun = next(((v, n) for v, n in self.nominal.items() if words.endswith(v) and len(words) > len(v) + 1),
                    None) if words.endswith(self.nominal_ends) else None
        if noun:
            words = self.trailing.strip(words[: -len(noun[0])]) + noun[1]
        if not words.startswith(self.prop["keep_leading"]):
            words = self.leading.strip(words)
        return words if len(words) > 1 else ""  # one character (即, 及, 占) names nothing
