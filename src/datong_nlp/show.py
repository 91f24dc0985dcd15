"""Self-contained HTML views: one document with its claims and entities marked the way
displaCy's entity view does, an index page, and gold and predictions side by side with the
errors of `evaluate` marked.  No scripts, fonts or images are fetched: one file per page."""

from __future__ import annotations

import html
import itertools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .output import write_atomic

CLAIM_FIELDS = ("value", "value_max", "unit", "comparator", "modality", "property", "time", "rule")
ENTITY_FIELDS = ("name_en", "id")
COLOURS = {  # by claim kind and entity type; kinds not listed are grey
    "money": "#f6c85f", "power": "#9fd3ff", "energy": "#7fcdbb", "mass": "#d4b9f7", "length": "#ffd8a8",
    "area": "#c7e9c0", "volume": "#a6cee3", "percent": "#ffb3c6", "count": "#e0e0a0", "duration": "#ffe08a",
    "ratio": "#f4a3a3", "rank": "#c9c9ff",
    "PERSON": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "FAC": "#9cc9cc", "EVENT": "#ffeb80",
}
_DEFAULT_COLOUR = "#dddddd"

_CSS = """
body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
.text{white-space:pre-wrap;line-height:2.4;font-size:1.05em;border:1px solid #eee;padding:1em}
mark.m{position:relative;padding:.15em .3em;border-radius:.35em;cursor:help;outline-offset:1px}
mark.m:focus{outline:2px solid #333}
mark.claim{border-bottom:3px solid #555}
mark.entity{border-bottom:3px dotted #555}
.lbl{font-size:.65em;font-weight:bold;text-transform:uppercase;margin-left:.35em;vertical-align:middle}
.tip{display:none;position:absolute;left:0;top:1.9em;z-index:10;background:#222;color:#fff;padding:.4em .6em;
border-radius:.3em;font-size:.8em;line-height:1.4;white-space:pre;min-width:12em}
mark.m:hover>.tip,mark.m:focus>.tip{display:block}
mark.missed{outline:3px solid #d00;background:repeating-linear-gradient(45deg,#fff,#fff 4px,#fcc 4px,#fcc 8px)!important}
mark.spurious{outline:3px dashed #e67e00;text-decoration:line-through}
mark.wrong{outline:3px double #7a00cc}
.legend span{margin-right:1em;padding:.1em .4em}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}
"""


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(title)}</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


def _label(item: dict[str, Any], what: str) -> str:
    return str(item.get("kind") if what == "claim" else item.get("type"))


def _tip(item: dict[str, Any], what: str, note: str | None) -> str:
    fields = CLAIM_FIELDS if what == "claim" else ENTITY_FIELDS
    lines = [f"{_label(item, what)}  {item.get('id') if what == 'claim' else item.get('mention_id') or ''}".rstrip()]
    lines += [f"{f}: {item.get(f)}" for f in fields if f in item and item.get(f) is not None]
    rules = item.get("rules")
    if isinstance(rules, dict):
        lines += [f"rules.{k}: {v}" for k, v in rules.items() if v is not None]
    if note:
        lines.append(note)
    return "\n".join(lines)


def mark_text(text: str, items: Iterable[tuple[str, dict[str, Any], str, str | None]]) -> str:
    """`text` as HTML with a `<mark>` over each item (what: claim/entity, the item, an extra class such
    as missed/spurious/wrong or "", a note for its tip).  Overlapping items nest; a mark that would
    cross another is cut in pieces, the label and tip on its last piece."""
    spans = [(int(it["start"]), int(it["end"]), what, it, cls, note) for what, it, cls, note in items
             if 0 <= int(it["start"]) < int(it["end"]) <= len(text)]
    cuts = sorted({0, len(text)} | {s[0] for s in spans} | {s[1] for s in spans})
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = sorted((s for s in spans if s[0] <= a and b <= s[1]), key=lambda s: (s[0] - s[1], s[0]))
        piece = _esc(text[a:b])
        for start, end, what, item, cls, note in reversed(active):  # innermost first, outermost last
            label = _label(item, what)
            colour = COLOURS.get(label, _DEFAULT_COLOUR)
            tail = ""
            if b == end:
                tail = f'<span class="lbl">{_esc(label)}</span><span class="tip">{_esc(_tip(item, what, note))}</span>'
            key = item.get("id") if what == "claim" else item.get("mention_id")
            classes = " ".join(c for c in ("m", what, _esc(label), cls) if c)
            piece = (f'<mark class="{classes}" tabindex="0" style="background:{colour}" '
                     f'data-what="{what}" data-id="{_esc(key)}" data-start="{start}" data-end="{end}">{piece}{tail}</mark>')
        out.append(piece)
    return '<div class="text">' + "".join(out) + "</div>"


def _counts(doc: dict[str, Any]) -> str:
    rows = []
    for what, key in (("claims", "kind"), ("entities", "type")):
        counts: dict[str, int] = {}
        for item in doc.get(what, []):
            counts[str(item.get(key))] = counts.get(str(item.get(key)), 0) + 1
        cells = " ".join(f'<span style="background:{COLOURS.get(k, _DEFAULT_COLOUR)}">{_esc(k)} {n}</span>'
                         for k, n in sorted(counts.items()))
        rows.append(f"<tr><th>{what}</th><td>{len(doc.get(what, []))}</td><td class='legend'>{cells}</td></tr>")
    return "<table class='summary'>" + "".join(rows) + "</table>"


def _claim_table(doc: dict[str, Any]) -> str:
    head = "".join(f"<th>{f}</th>" for f in ("id", "text", *CLAIM_FIELDS))
    body = "".join("<tr>" + "".join(f"<td>{_esc(c.get(f))}</td>" for f in ("id", "text", *CLAIM_FIELDS)) + "</tr>"
                   for c in doc.get("claims", []))
    return f"<table class='claims'><tr>{head}</tr>{body}</table>"


def render_document(doc: dict[str, Any], text: str) -> str:
    """One page: a summary table, the text with every claim and entity marked, then a table of the claims."""
    items = [("claim", c, "", None) for c in doc.get("claims", [])]
    items += [("entity", e, "", None) for e in doc.get("entities", [])]
    body = (f"<h1>{_esc(doc.get('doc_id'))}</h1><p>source {_esc(doc.get('source'))} · {_esc(doc.get('encoding'))} · "
            f"{_esc(doc.get('script'))} · locale {_esc(doc.get('locale'))} · datong-nlp {_esc(doc.get('tool_version'))}"
            f"</p>{_counts(doc)}<h2>Text</h2>{mark_text(text, items)}<h2>Claims</h2>{_claim_table(doc)}")
    return _page(str(doc.get("doc_id")), body)


def page_name(doc_id: str) -> str:
    """The file name of a document's page below a site or report folder."""
    return f"{doc_id}.html"


def render_index(title: str, rows: list[tuple[str, list[str]]], header: list[str]) -> str:
    """An index page: one row per document (its page link, then cells)."""
    head = "".join(f"<th>{_esc(h)}</th>" for h in ["document", *header])
    body = "".join(f'<tr><td><a href="{_esc(page_name(d))}">{_esc(d)}</a></td>' + "".join(f"<td>{_esc(c)}</td>" for c in cells)
                   + "</tr>" for d, cells in rows)
    return _page(title, f"<h1>{_esc(title)}</h1><table class='index'><tr>{head}</tr>{body}</table>")


def write_site(docs: list[tuple[dict[str, Any], str | None]], dest: Path) -> list[str]:
    """One page per document (whose text was found) and an index.html in `dest`; returns the doc_ids
    left out for want of their text."""
    rows, missing = [], []
    for doc, text in docs:
        doc_id = str(doc.get("doc_id"))
        if text is None:
            missing.append(doc_id)
            continue
        write_atomic(dest / page_name(doc_id), _relink(render_document(doc, text), doc_id))
        rows.append((doc_id, [str(len(doc.get("claims", []))), str(len(doc.get("entities", [])))]))
    write_atomic(dest / "index.html", render_index(f"datong-nlp: {len(rows)} documents", rows, ["claims", "entities"]))
    return missing


def _relink(page: str, doc_id: str) -> str:
    """A page below a sub-folder gets a link back to the index."""
    up = os.path.relpath(".", os.path.dirname(page_name(doc_id)) or ".")
    return page.replace("<body>\n", f'<body>\n<p><a href="{_esc(up)}/index.html">index</a></p>', 1)


def _error_marks(errors: list[dict[str, Any]], doc_id: str) -> dict[tuple[str, str, int, int], tuple[str, str]]:
    """(side, what, start, end) -> (class, note) of the evaluator's errors of one document."""
    marks: dict[tuple[str, str, int, int], tuple[str, str]] = {}
    for err in errors:
        if err.get("doc_id") != doc_id:
            continue
        kind = str(err["error"])
        side = "pred" if kind == "spurious" else "gold"
        cls = "wrong" if kind.startswith("wrong") else kind
        note = kind if cls != "wrong" else f"{kind}: gold {err.get('gold')!r}, predicted {err.get('predicted')!r}"
        key = (side, str(err["what"]), int(err["start"]), int(err["end"]))
        previous = marks.get(key)
        marks[key] = (cls, note if previous is None else previous[1] + "\n" + note)
    return marks


def render_comparison(doc_id: str, pred: dict[str, Any] | None, gold: dict[str, Any], text: str | None,
                      errors: list[dict[str, Any]], scores: dict[str, Any]) -> str:
    """Gold and predictions side by side: misses (red, hatched), spurious marks (orange, dashed,
    struck through) and wrong attributes (purple, double) marked differently."""
    marks = _error_marks(errors, doc_id)
    pred = pred or {"claims": [], "entities": []}

    def column(side: str, doc: dict[str, Any]) -> str:
        if text is None:
            return "<p>(original text not found: give --corpus)</p>"
        items = []
        for what, key in (("claim", "claims"), ("entity", "entities")):
            for item in doc.get(key, []):
                cls, note = marks.get((side, what, int(item["start"]), int(item["end"])), ("", None))
                items.append((what, item, cls, note))
        return mark_text(text, items)

    legend = ('<p class="legend"><mark class="m missed">missed</mark> <mark class="m spurious">spurious</mark> '
              '<mark class="m wrong">wrong attribute</mark></p>')
    score_row = " · ".join(f"{k}: P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f}" for k, v in scores.items())
    body = (f"<h1>{_esc(doc_id)}</h1><p>{_esc(score_row)}</p>{legend}<div class='cols'>"
            f"<div class='gold'><h2>gold</h2>{column('gold', gold)}</div>"
            f"<div class='pred'><h2>predicted</h2>{column('pred', pred)}</div></div>")
    return _page(f"{doc_id}: gold and predictions", body)


def write_report(dest: Path, pairs: list[tuple[str, dict | None, dict, str | None]], errors: list[dict[str, Any]],
                 per_doc: dict[str, dict[str, Any]]) -> None:
    """`evaluate --html DEST`: one comparison page per gold document and an index of their scores."""
    rows = []
    for doc_id, pred, gold, text in pairs:
        scores = {k: v.as_dict() for k, v in per_doc.get(doc_id, {}).items()}
        page = render_comparison(doc_id, pred, gold, text, errors, scores)
        write_atomic(dest / page_name(doc_id), _relink(page, doc_id))
        n_err = sum(1 for e in errors if e.get("doc_id") == doc_id)
        rows.append((doc_id, [f"{scores[k]['f1']:.3f}" if k in scores else "" for k in ("claims", "entities")] + [str(n_err)]))
    write_atomic(dest / "index.html", render_index("datong-nlp evaluation", rows, ["claims F1", "entities F1", "errors"]))
