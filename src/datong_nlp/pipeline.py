"""The extraction pipeline: decode -> normalise -> segment -> match -> assemble.

An `Extractor` loads the rules, OpenCC and jieba once; `extract_text` then
runs on any number of texts.
"""

from __future__ import annotations

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


class Extractor:
    """Everything loaded once per process; `extract_text` per document."""

    def __init__(self, rules_dir: Path | None = None, locale: str | None = None) -> None:
        self.normaliser = Normaliser()
        self.rules: RuleSet = load_rules(rules_dir, self.normaliser)
        self.segmenter = Segmenter(self.rules.user_words())
        self.quantities = QuantityFinder(self.rules)
        self.claims = ClaimBuilder(self.rules)
        self.entities = EntityFinder(self.rules)
        self.locale = locale

    def currency_for(self, text: str, locale: str | None = None) -> tuple[str, str]:
        """(locale, currency) of a normalised text: the override, else the locale whose cues occur most."""
        locales = {loc.code: loc for loc in self.rules.locales}
        chosen = locale or self.locale
        if chosen is None:
            best, best_hits = None, 1
            for loc in self.rules.locales:
                hits = sum(text.count(cue) for cue in loc.cues)
                if hits > best_hits:
                    best, best_hits = loc.code, hits
            chosen = best
        if chosen is None or chosen not in locales:
            default = next((loc for loc in self.rules.locales if loc.currency == self.rules.default_currency), None)
            return (default.code if default else "cn"), self.rules.default_currency
        return chosen, locales[chosen].currency

    def extract_text(self, text: str, encoding: str = "utf-8", locale: str | None = None) -> Document:
        """Extract claims and entities from one decoded text."""
        norm = self.normaliser.normalise(text)
        layout = build_layout(norm.text, self.rules.boilerplate_cues, self.rules.footer_line_max)
        words = self.segmenter.words(norm.text)
        edges = {0, len(norm.text)} | {w[0] for w in words} | {w[1] for w in words}
        place, currency = self.currency_for(norm.text, locale)
        quantities = self.quantities.find(norm.text, layout, currency)
        drafts = self.claims.build(norm.text, layout, quantities, edges)
        doc = Document(text=text, encoding=encoding, script=self.normaliser.script(text), locale=place)
        for d in drafts:
            q = d.quantity
            start, end = norm.to_original(q.start, q.end)
            doc.claims.append(Claim(start, end, text[start:end], q.value, q.value_max, q.unit, q.kind,
                                    d.comparator, d.modality, d.property, d.time, q.rule))
        for e in self.entities.find(norm.text, layout, words, edges):
            start, end = norm.to_original(e.start, e.end)
            doc.entities.append(Entity(start, end, text[start:end], e.type, e.name_en, e.id))
        doc.claims.sort(key=lambda c: (c.start, c.end))
        doc.entities.sort(key=lambda e: (e.start, e.end))
        return doc

    def normalise(self, text: str) -> Normalised:
        """The normalised form of `text` with its offset map."""
        return self.normaliser.normalise(text)
