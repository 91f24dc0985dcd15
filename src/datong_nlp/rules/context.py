"""The validation context of one rule file: typed readers whose errors name the file and the entry,
and the collection of the file's `examples:` and `negatives:`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..normalize import Normaliser
from ..types import RulesError
from .model import Example

EXAMPLE_KEYS = ("examples", "negatives")


@dataclass(frozen=True)
class Schema:
    """The keys a rule file may hold at its top level."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


class Context:
    """Reads the values of one rule file; raises errors that name the file and the entry."""

    def __init__(self, path: Path, normaliser: Normaliser) -> None:
        self.path = path
        self.norm = normaliser
        self.examples: list[Example] = []

    def fail(self, entry: str | None, reason: str) -> RulesError:
        where = f"{self.path.name}: entry {entry}" if entry else self.path.name
        return RulesError(f"{where}: {reason}")

    def top(self, data: dict[str, Any], schema: Schema) -> dict[str, Any]:
        """`data` checked against the file's schema."""
        return self.keys(data, None, schema.required, schema.optional)

    def keys(self, obj: Any, entry: str | None, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
        if not isinstance(obj, dict):
            raise self.fail(entry, f"must be a mapping, got {type(obj).__name__}")
        need, allowed = set(required), set(required) | set(optional)
        missing = sorted(need - set(obj))
        if missing:
            raise self.fail(entry, f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(obj) - allowed, key=str)
        if unknown:
            raise self.fail(entry, f"unknown key(s): {', '.join(map(str, unknown))} (allowed: {', '.join(sorted(allowed))})")
        return obj

    def string(self, value: Any, entry: str | None, what: str, simplify: bool = True) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(entry, f"{what} must be a non-empty string, got {value!r}")
        return self.norm.simplify(value) if simplify else value

    def strings(self, value: Any, entry: str | None, what: str, simplify: bool = True) -> list[str]:
        if not isinstance(value, list) or not value:
            raise self.fail(entry, f"{what} must be a non-empty list of strings")
        return [self.string(v, entry, what, simplify) for v in value]

    def number(self, value: Any, entry: str | None, what: str, minimum: float = 0.0) -> float:
        """A number greater than `minimum`."""
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= minimum:
            raise self.fail(entry, f"{what} must be a positive number")
        return float(value)

    def regex(self, pattern: Any, entry: str | None, subst: dict[str, str], flags: int = 0) -> regex.Pattern[str]:
        text = self.string(pattern, entry, "pattern", simplify=False)
        for key, value in subst.items():
            text = text.replace("{" + key + "}", value)
        leftover = regex.search(r"\{[A-Z]+\}", text)
        if leftover:
            raise self.fail(entry, f"unknown placeholder {leftover.group()} in pattern")
        try:
            return regex.compile(text, flags)
        except regex.error as exc:
            raise self.fail(entry, f"invalid regex: {exc}") from None

    def entries(self, data: dict[str, Any], key: str, required: bool = True) -> list[tuple[str, dict[str, Any]]]:
        """The list `data[key]` of entries, each a mapping with a unique `id`."""
        items = data.get(key)
        if items is None and not required:
            return []
        if not isinstance(items, list) or not items:
            raise self.fail(None, f"`{key}` must be a non-empty list")
        out: list[tuple[str, dict[str, Any]]] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"#{i + 1}", "must be a mapping")
            ident = item.get("id")
            if not isinstance(ident, str) or not regex.fullmatch(r"[A-Za-z0-9_.\-]+", ident):
                raise self.fail(f"#{i + 1}", f"`id` must be a name of letters, digits, - or _, got {ident!r}")
            if any(ident == other for other, _ in out):
                raise self.fail(ident, f"duplicate id (entry #{i + 1})")
            out.append((ident, item))
        return out

    def add_examples(self, entry_id: str, item: dict[str, Any]) -> None:
        """Collect the `examples:` and `negatives:` of one entry (or of the whole file)."""
        for key, negative in (("examples", False), ("negatives", True)):
            values = item.get(key)
            if values is None:
                continue
            if not isinstance(values, list) or not values:
                raise self.fail(entry_id, f"`{key}` must be a non-empty list")
            for value in values:
                if negative:
                    value = {"text": value} if isinstance(value, str) else value
                if not isinstance(value, dict) or not isinstance(value.get("text"), str):
                    raise self.fail(entry_id, f"each of `{key}` needs a `text` string, got {value!r}")
                if "span" in value and value["span"] not in value["text"]:
                    raise self.fail(entry_id, f"example span {value['span']!r} is not in its text {value['text']!r}")
                self.examples.append(Example(self.path.name, entry_id, dict(value), negative))


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, longest first (one that never matches if there are none)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(regex.escape(w) for w in ordered) + ")" if ordered else "(?!)"
