"""`datong-nlp explain "句子"`: every stage's result on one sentence with the rules that fired,
like Duckling's debug view."""

from __future__ import annotations

from typing import Any

from .output import _number
from .pipeline import Extractor


def explain(extractor: Extractor, text: str, locale: str | None = None) -> dict[str, Any]:
    """Times, quantities (kept or dropped, and why), claims with their rule trace, and entities of
    `text`, with offsets into `text`."""
    norm = extractor.normalise(text)
    place, currency = extractor.currency_for(norm.text, locale)
    analysis = extractor.analyse(norm.text, currency, place)

    def span(start: int, end: int) -> dict[str, Any]:
        s, e = norm.to_original(start, end)
        return {"start": s, "end": e, "text": text[s:e]}

    times = [{**span(t.start, t.end), "time": t.text, "rule": t.rule, "future": t.future, "base": t.base}
             for t in analysis.times]
    quantities, claims = [], []
    for j in analysis.judged:
        q = j.quantity
        quantities.append({**span(q.start, q.end), "value": _number(q.value), "value_max": _number(q.value_max),
                           "unit": q.unit, "kind": q.kind, "rule": q.rule, "dropped": j.dropped})
        d = j.draft()
        if d is not None:
            claims.append({**span(q.start, q.end), "unit": q.unit, "comparator": d.comparator, "modality": d.modality,
                           "time": d.time, "property": d.property, "rules": d.rules.as_dict()})
    entities = [{**span(e.start, e.end), "type": e.type, "name_en": e.name_en, "id": e.id, "source": e.source}
                for e in analysis.entities]
    return {"text": text, "locale": place, "currency": currency, "times": times, "quantities": quantities,
            "claims": claims, "entities": entities}


def format_explanation(result: dict[str, Any]) -> str:
    """The explanation as aligned lines: one block per stage, each result with its rule."""
    lines = [f"text: {result['text']}", f"locale: {result['locale']} (bare 元 = {result['currency']})", "times:"]
    lines += [f"  {_at(t)}" + (f" ({t['time']})" if t["time"] != t["text"] else "") + f"  [{t['rule']}]"
              + ("  future" if t["future"] else "")
              + ("  comparison base" if t["base"] else "") for t in result["times"]] or ["  (none)"]
    lines.append("quantities:")
    for q in result["quantities"]:
        value = q["value"] if q["value_max"] is None else f"{q['value']}-{q['value_max']}"
        fate = f"dropped: {q['dropped']}" if q["dropped"] else "claim"
        lines.append(f"  {_at(q)}  {value} {q['unit']} ({q['kind']})  [{q['rule']}]  {fate}")
    if not result["quantities"]:
        lines.append("  (none)")
    lines.append("claims:")
    for c in result["claims"]:
        lines.append(f"  {_at(c)}")
        for key in ("unit", "comparator", "modality", "time", "property"):
            value = "-" if c[key] is None else c[key]
            lines.append(f"    {key:<11} {value}  [{c['rules'][key] or 'default'}]")
    if not result["claims"]:
        lines.append("  (none)")
    lines.append("entities:")
    lines += [f"  {_at(e)}  {e['type']}  {e['name_en'] or '-'}  [{e['source']}: {e['id'] or '-'}]"
              for e in result["entities"]] or ["  (none)"]
    return "\n".join(lines)


def _at(item: dict[str, Any]) -> str:
    return f"{item['start']}-{item['end']} {item['text']}"
