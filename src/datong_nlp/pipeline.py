"""The extraction pipeline: decode -> normalise -> segment -> match -> assemble.

An `Extractor` loads the rules, OpenCC and jieba once; `extract_text` then
runs on any number of texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from .claims import ClaimBuilder, Judged, TimeMention, find_times
from .entities import EntityDraft, EntityFinder
from .layout import Layout, build_layout
from .loadcache import load_rules_cached
from .normalize import Normalised, Normaliser
from .phrase import PhraseChunker
from .places import PlaceGuesser
from .provenance import rules_sha256
from .quantities import Quantity, QuantityFinder
from .rules import RuleSet
from .segment import DEFAULT_BACKEND, Segmenter
from .timenorm import DocDate, Frame, FrameIndex, TimeNormaliser, find_doc_date, frame_lines, parse_doc_date, resolve_claim
from .types import LOCALES, Claim, Document, Entity

__all__ = ["CHUNK_CHARS", "LOCALES", "Extractor", "split_chunks"]
CHUNK_CHARS = 400_000  # longer texts are processed a chunk at a time
_SENTENCE_ENDS = "。！？!?"


def split_chunks(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive chunks of at most about `size` characters covering `text`,
    each ending after a line break where there is one, else after a sentence end."""
    start, n = 0, len(text)
    while n - start > size:
        end = text.rfind("\n", start + size // 2, start + size) + 1
        if end <= 0:
            end = max(text.rfind(ch, start + size // 2, start + size) for ch in _SENTENCE_ENDS) + 1
        if end <= 0:
            end = start + size  # no break at all: a hard cut
        yield start, end
        start = end
    yield start, n


@dataclass(frozen=True)
class Analysis:
    """The intermediate results of one normalised chunk, stage by stage (normalised offsets)."""

    layout: Layout
    edges: set[int]
    times: list[TimeMention]
    quantities: list[Quantity]
    judged: list[Judged]
    entities: list[EntityDraft]


class Extractor:
    """Everything loaded once per process; `extract_text` per document."""

    def __init__(self, rules_dir: Path | None = None, locale: str | None = None,
                 segmenter: str = DEFAULT_BACKEND) -> None:
        """`segmenter`: "rjieba" (jieba-rs, the default) or "jieba"; both give the same words."""
        self.normaliser = Normaliser()
        self.rules: RuleSet = load_rules_cached(rules_dir, self.normaliser)  # validated once per rules edit
        self.segmenter = Segmenter(self.rules.user_words(), segmenter)
        self.quantities = QuantityFinder(self.rules, self.segmenter.freq)
        chunker = PhraseChunker(self.rules.phrase, self.segmenter) if self.rules.phrase else None
        self.claims = ClaimBuilder(self.rules, chunker)
        self.entities = EntityFinder(self.rules, self.segmenter.freq)
        self.locale = locale
        self.rules_sha256 = rules_sha256(self.rules.directory)
        self.places = PlaceGuesser(self.rules)
        self.time_norm = TimeNormaliser(self.rules.time_norm) if self.rules.time_norm else None

    def currency_for(self, text: str, locale: str | None = None) -> tuple[str, str]:
        """(locale, currency) of a normalised text: the override, else the place its cues weigh for."""
        choice = self.places.choose(self.places.hits(text), locale or self.locale)
        return choice.locale, choice.currency

    def extract_text(self, text: str, encoding: str = "utf-8", locale: str | None = None,
                     chunk_chars: int = CHUNK_CHARS, doc_date: str | None = None) -> Document:
        """Extract claims and entities from one decoded text (`doc_date`: YYYY[-MM[-DD]], else read from the text)."""
        parts = self.extract_parts(text, encoding, locale, chunk_chars, doc_date)
        doc = next(parts)
        for part in parts:
            doc.claims.extend(part.claims)
            doc.entities.extend(part.entities)
        return doc

    def extract_parts(self, text: str, encoding: str = "utf-8", locale: str | None = None,
                      chunk_chars: int = CHUNK_CHARS, doc_date: str | None = None) -> Iterator[Document]:
        """The extraction of one text as consecutive parts, each a `Document` (same text, script and
        locale) holding the claims and entities of one chunk, in order.

        A text longer than `chunk_chars` is processed a chunk at a time (cut after a line
        break, else after a sentence end), so a writer that streams the parts needs memory
        for one chunk only; sentences and clauses never cross a line break, so claims are
        those of the whole text.  Only a person's re-mention in a later chunk (the name
        without its title) is not found.
        """
        script = self.normaliser.script(text)
        chunks = list(split_chunks(text, chunk_chars))
        if len(chunks) == 1:
            norm = self.normaliser.normalise(text)
            choice = self.places.choose(self.places.hits(norm.text), locale or self.locale)
            date = self._doc_date(norm.text, doc_date)
            yield self._extract_chunk(Document(text, encoding, script, choice.locale, locale_cues=choice.record,
                                               doc_date=_iso(date)), 0, norm, choice.currency, _TimeState(date))
            return
        # a first light pass over the chunks, one at a time, decides the place of the whole text
        hits: Counter[str] = Counter()
        for s, e in chunks:
            hits.update(self.places.hits(self.normaliser.simplify(text[s:e])))
        choice = self.places.choose(hits, locale or self.locale)
        state = _TimeState(self._doc_date(self.normaliser.simplify(text[chunks[0][0]:chunks[0][1]]), doc_date))
        for s, e in chunks:
            yield self._extract_chunk(Document(text, encoding, script, choice.locale, locale_cues=choice.record,
                                               doc_date=_iso(state.date)), s,
                                      self.normaliser.normalise(text[s:e]), choice.currency, state)

    def _doc_date(self, norm_text: str, given: str | None) -> DocDate | None:
        """The document date: `given` (YYYY[-MM[-DD]]), else the one written in the text."""
        if given:
            return parse_doc_date(given)
        return find_doc_date(norm_text, self.rules.time_norm) if self.rules.time_norm else None

    def _frames(self, text: str, state: _TimeState) -> FrameIndex:
        """The time frames of a normalised chunk (title and lead only in the first), continuing `state`."""
        frames: list[Frame] = []
        if self.time_norm is not None:
            for s, e, kind in frame_lines(text, first=not state.seen_start):
                for t in find_times(text[s:e], self.rules):
                    if kind == "lead" and text[s:s + t.start].strip():
                        break  # a lead sentence frames only with the time it opens with (2021年，全省…)
                    norm = None if t.base or t.text in self.time_norm.rules.present else \
                        self.time_norm.normalise(t.text, state.date)
                    if norm:
                        frames.append(Frame(s, norm, kind))
                        break
        index = FrameIndex(frames, state.last)
        state.seen_start = True
        state.last = index.at(len(text))
        return index

    def _extract_chunk(self, doc: Document, offset: int, norm: Normalised, currency: str,
                       state: _TimeState | None = None) -> Document:
        """`doc` with the claims and entities of one normalised chunk starting at `offset` of `doc.text`."""
        state = state or _TimeState(None)
        frames = self._frames(norm.text, state)
        text = doc.text
        doc.rules_sha256 = self.rules_sha256
        analysis = self.analyse(norm.text, currency, doc.locale)
        for j in analysis.judged:
            d = j.draft()
            if d is None:
                continue
            q = d.quantity
            start, end = norm.to_original(q.start, q.end)
            start, end = start + offset, end + offset
            time_norm, time_source = resolve_claim(self.time_norm, d.time, state.date, frames.at(q.start)) \
                if self.time_norm else (None, None)
            doc.claims.append(Claim(start, end, text[start:end], q.value, q.value_max, q.unit, q.kind,
                                    d.comparator, d.modality, d.property, d.time, q.rule, d.rules,
                                    time_norm, time_source))
        for e in analysis.entities:
            start, end = norm.to_original(e.start, e.end)
            start, end = start + offset, end + offset
            doc.entities.append(Entity(start, end, text[start:end], e.type, e.name_en, e.id))
        doc.claims.sort(key=lambda c: (c.start, c.end))
        doc.entities.sort(key=lambda e: (e.start, e.end))
        return doc

    def analyse(self, text: str, currency: str, locale: str | None = None) -> Analysis:
        """Every stage's result on one normalised chunk of a text whose place is `locale`: layout,
        words, times, quantities, claims, entities."""
        layout = build_layout(text, self.rules.boilerplate_cues, self.rules.footer_line_max)
        words = self.segmenter.words(text)
        edges = set(chain.from_iterable(words))  # every start and end, in one pass at C speed
        edges.update((0, len(text)))
        times = find_times(text, self.rules)  # before the quantities: times decide which are dropped
        quantities = self.quantities.find(text, layout, currency, locale)
        judged = self.claims.judge(text, layout, quantities, edges, times)
        entities = self.entities.find(text, layout, words, edges, locale)
        return Analysis(layout, edges, times, quantities, judged, entities)

    def normalise(self, text: str) -> Normalised:
        """The normalised form of `text` with its offset map."""
        return self.normaliser.normalise(text)


class _TimeState:
    """What time normalisation carries from one chunk of a document to the next."""

    def __init__(self, date: DocDate | None) -> None:
        self.date = date
        self.seen_start = False  # the title and lead sentence lie in the first chunk only
        self.last: Frame | None = None  # the frame in force at the end of the previous chunk


def _iso(date: DocDate | None) -> str | None:
    return date.iso() if date else None
