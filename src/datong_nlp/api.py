"""The Python API: the commands as functions.

    import datong_nlp as dn
    doc = dn.extract_text("华能集团在北京投资了50亿元。")
    doc.claims[0].value, doc.to_dict()["claims"][0]["entity_refs"]
    df = dn.read_outputs("outputs/")           # a pandas DataFrame (or a list of dicts)
    report = dn.evaluate("outputs/", "corpus/gold/")
"""

from __future__ import annotations

from pathlib import Path

from .decode import read_text
from .pipeline import Extractor
from .rules import load_rules
from .scoring import Report, check_gold, evaluate_documents, load_json
from .types import DatongError, Document

_EXTRACTORS: dict[str | None, Extractor] = {}


def _extractor(rules: str | Path | None) -> Extractor:
    key = None if rules is None else str(rules)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(None if rules is None else Path(rules))
    return _EXTRACTORS[key]


def extract_text(text: str, locale: str | None = None, rules: str | Path | None = None, doc_id: str = "text") -> Document:
    """Claims and entities of one text (the extractor for `rules` loads once per process);
    `doc.to_dict()` is what `extract` writes, with `doc_id` and source `<doc_id>.txt`."""
    doc = _extractor(rules).extract_text(text, locale=locale)
    doc.doc_id, doc.source = doc_id, f"{doc_id}.txt"
    return doc


def extract_file(path: str | Path, locale: str | None = None, rules: str | Path | None = None) -> Document:
    """Claims and entities of one file, decoded as `extract` does (UTF-8/16/32, GB18030, Big5);
    doc_id is the file name without its extension."""
    path = Path(path)
    text, encoding = read_text(path)
    doc = _extractor(rules).extract_text(text, encoding, locale)
    doc.doc_id, doc.source = path.stem, path.name
    return doc


def evaluate(pred_dir: str | Path, gold_dir: str | Path, corpus: str | Path | None = None,
             rules: str | Path | None = None) -> Report:
    """Score a folder of predictions against a folder of gold files, as `evaluate` does; `corpus`
    (default: the folder above `gold_dir`) holds the texts that check gold offsets.  The report's
    `claims`/`entities` scores have `p`, `r`, `f1`; `as_json()` is `evaluate --json`."""
    pred_dir, gold_dir = Path(pred_dir), Path(gold_dir)
    corpus = Path(corpus) if corpus is not None else gold_dir.parent
    preds = {p.relative_to(pred_dir).with_suffix("").as_posix(): p for p in pred_dir.rglob("*.json")}
    pairs = []
    for gold_path in sorted(gold_dir.rglob("*.json")):
        doc_id = gold_path.relative_to(gold_dir).with_suffix("").as_posix()
        gold = load_json(gold_path)
        text = None
        source = gold.get("source")
        if isinstance(source, str) and (corpus / source).is_file():
            try:
                text = read_text(corpus / source)[0]
            except DatongError:
                text = None
        check_gold(gold_path, gold, text)
        pairs.append((doc_id, load_json(preds[doc_id]) if doc_id in preds else None, gold, text))
    return evaluate_documents(pairs, load_rules(None if rules is None else Path(rules)))
