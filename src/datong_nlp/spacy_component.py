"""The spaCy component `datong_claims`: the same claims and entities as `extract`, on a spaCy Doc.

    nlp = spacy.blank("zh")
    nlp.add_pipe("datong_claims", config={"locale": "hk", "rules": None})

The factory is registered through the `spacy_factories` entry point, so spaCy finds it without an
import.  It fills `doc._.claims` and `doc._.entities` (the output's dicts, with ids, sentences and
entity refs), `doc.spans["claims"]` (label: the kind), `doc.spans["entities"]` (label: the type,
`kb_id_`: the gazetteer id) and, when no two mentions share a token, `doc.ents`.  spaCy's tokens
are not our words: a span covers every token its characters touch (`alignment_mode="expand"`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .output import to_json
from .pipeline import LOCALES, Extractor

_EXTRACTORS: dict[str | None, Extractor] = {}


def _extractor(rules: str | None) -> Extractor:
    if rules not in _EXTRACTORS:
        _EXTRACTORS[rules] = Extractor(Path(rules) if rules else None)
    return _EXTRACTORS[rules]


for _name in ("claims", "entities"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class DatongClaims:
    """Runs the datong-nlp pipeline on `doc.text`; the extractor loads on first use in each process,
    so the component pickles small for `nlp.pipe(..., n_process=2)`."""

    def __init__(self, name: str = "datong_claims", locale: str | None = None, rules: str | None = None) -> None:
        if locale is not None and locale not in LOCALES:
            raise ValueError(f"datong_claims: locale {locale!r} is not one of {', '.join(LOCALES)}")
        self.name, self.locale, self.rules = name, locale, rules

    def __call__(self, doc: Doc) -> Doc:
        result = to_json(_extractor(self.rules).extract_text(doc.text, locale=self.locale), "spacy", "spacy")
        claims, entities = result["claims"], result["entities"]
        doc._.claims, doc._.entities = claims, entities
        doc.spans["claims"] = [self._span(doc, c, c["kind"], c["id"]) for c in claims]
        mentions = [self._span(doc, e, e["type"], e.get("id") or "") for e in entities]
        doc.spans["entities"] = mentions
        if len(filter_spans(mentions)) == len(mentions):  # no two mentions share a token
            doc.ents = mentions
        return doc

    @staticmethod
    def _span(doc: Doc, item: dict[str, Any], label: str, kb_id: str) -> Span:
        span = doc.char_span(item["start"], item["end"], label=label, kb_id=kb_id, alignment_mode="expand")
        if span is None:  # only white space under the span: cannot happen for our spans, but stay total
            raise ValueError(f"datong_claims: no tokens under {item['start']}:{item['end']} {item['text']!r}")
        return span


@Language.factory("datong_claims", default_config={"locale": None, "rules": None})
def make_datong_claims(nlp: Language, name: str, locale: str | None, rules: str | None) -> DatongClaims:
    """spaCy factory of `DatongClaims`; `locale` (cn, hk, tw, mo, or null: inferred per text) and
    `rules` (a rules folder, or null: the shipped rules) come from the config."""
    return DatongClaims(name, locale, rules)
