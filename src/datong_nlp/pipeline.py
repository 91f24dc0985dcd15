"""The extraction pipeline: decode -> normalise -> segment -> match -> assemble.

An `Extractor` loads the rules, OpenCC and jieba once; `extract_text` then
runs on any number of texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .claims import ClaimBuilder
from .entities import EntityFinder
from .layout import build_layout
from .normalize import Normalised, Normaliser
from .quantities import QuantityFinder
from .rules import RuleSet, load_rules
from .segment import Segmenter
from .types import Claim, Document, Entity

LOCALES = ("cn", "hk", "tw", "mo")
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


class Extractor:
    """Everything loaded once per process; `extract_text` per document."""

    def __init__(self, rules_dir: Path | None = None, locale: str | None = None) -> None:
        self.normaliser = Normaliser()
        self.rules: RuleSet = load_rules(rules_dir, self.normaliser)
        self.segmenter = Segmenter(self.rules.user_words())
        self.quantities = QuantityFinder(self.rules)
        self.claims = ClaimBuilder(self.rules)
        self.entities = EntityFinder(self.rules, self.segmenter.jieba.FREQ)
        self.locale = locale

    def currency_for(self, text: str, locale: str | None = None) -> tuple[str, str]:
        """(locale, currency) of a normalised text: the override, else the locale whose cues occur most."""
        return self._choose_locale(self._cue_hits(text), locale)

    def _cue_hits(self, text: str) -> dict[str, int]:
        """How often the cues of each locale occur in a normalised text."""
        return {loc.code: sum(text.count(cue) for cue in loc.cues) for loc in self.rules.locales}

    def _choose_locale(self, hits: dict[str, int], locale: str | None) -> tuple[str, str]:
        locales = {loc.code: loc for loc in self.rules.locales}
        chosen = locale or self.locale
        if chosen is None:
            best, best_hits = None, 1
            for loc in self.rules.locales:  # in file order: the first of equals wins
                if hits.get(loc.code, 0) > best_hits:
                    best, best_hits = loc.code, hits[loc.code]
            chosen = best
        if chosen is None or chosen not in locales:
            default = next((loc for loc in self.rules.locales if loc.currency == self.rules.default_currency), None)
            return (default.code if default else "cn"), self.rules.default_currency
        return chosen, locales[chosen].currency

    def extract_text(self, text: str, encoding: str = "utf-8", locale: str | None = None,
                     chunk_chars: int = CHUNK_CHARS) -> Document:
        """Extract claims and entities from one decoded text."""
        parts = self.extract_parts(text, encoding, locale, chunk_chars)
        doc = next(parts)
        for part in parts:
            doc.claims.extend(part.claims)
            doc.entities.extend(part.entities)
        return doc

    def extract_parts(self, text: str, encoding: str = "utf-8", locale: str | None = None,
                      chunk_chars: int = CHUNK_CHARS) -> Iterator[Document]:
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
            place, currency = self.currency_for(norm.text, locale)
            yield self._extract_chunk(Document(text, encoding, script, place), 0, norm, currency)
            return
        # a first light pass over the chunks, one at a time, decides the place of the whole text
        hits: Counter[str] = Counter()
        for s, e in chunks:
            hits.update(self._cue_hits(self.normaliser.simplify(text[s:e])))
        place, currency = self._choose_locale(hits, locale)
        for s, e in chunks:
            yield self._extract_chunk(Document(text, encoding, script, place), s,
                                      self.normaliser.normalise(text[s:e]), currency)

    def _extract_chunk(self, doc: Document, offset: int, norm: Normalised, currency: str) -> Document:
        """`doc` with the claims and entities of one normalised chunk starting at `offset` of `doc.text`."""
        text = doc.text
        layout = build_layout(norm.text, self.rules.boilerplate_cues, self.rules.footer_line_max)
        words = self.segmenter.words(norm.text)
        edges = {0, len(norm.text)} | {w[0] for w in words} | {w[1] for w in words}
        quantities = self.quantities.find(norm.text, layout, currency)
        for d in self.claims.build(norm.text, layout, quantities, edges):
            q = d.quantity
            start, end = norm.to_original(q.start, q.end)
            start, end = start + offset, end + offset
            doc.claims.append(Claim(start, end, text[start:end], q.value, q.value_max, q.unit, q.kind,
                                    d.comparator, d.modality, d.property, d.time, q.rule))
        for e in self.entities.find(norm.text, layout, words, edges, doc.locale):
            start, end = norm.to_original(e.start, e.end)
            start, end = start + offset, end + offset
            doc.entities.append(Entity(start, end, text[start:end], e.type, e.name_en, e.id))
        doc.claims.sort(key=lambda c: (c.start, c.end))
        doc.entities.sort(key=lambda e: (e.start, e.end))
        return doc

    def normalise(self, text: str) -> Normalised:
        """The normalised form of `text` with its offset map."""
        return self.normaliser.normalise(text)
