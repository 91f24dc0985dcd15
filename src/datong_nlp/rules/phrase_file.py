"""Load and validate `rules/phrase.yaml` (the data of `phrase.py`'s property reshaping), for `loader.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..types import RulesError

FILE = "phrase.yaml"
_LISTS = ("function_tags", "verb_tags", "drop_trailing", "keep", "differences", "difference_units", "heads")


@dataclass(frozen=True)
class PhraseRules:
    """The data of one `phrase.yaml`."""

    function_tags: frozenset[str]
    verb_tags: frozenset[str]
    drop_trailing: frozenset[str]
    keep: frozenset[str]
    differences: tuple[str, ...]
    difference_units: frozenset[str]
    respectively: str
    list_item_end: str
    heads: tuple[str, ...] = ()
    examples: list[dict[str, Any]] = field(default_factory=list)


def load_phrase_rules(path: Path, simplify: Callable[[str], str] = str) -> PhraseRules:
    """The rules of `path` (a `phrase.yaml`), validated; errors name the file and the key."""
    import yaml  # here: the records above are unpickled from the load cache without it

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path.name}: cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path.name}: must hold a mapping at the top level")
    known = {*_LISTS, "respectively", "list_item_end", "examples"}
    unknown, missing = sorted(set(data) - known), sorted(known - set(data) - {"examples"})
    if unknown or missing:
        raise RulesError(f"{path.name}: unknown key(s) {unknown}, missing key(s) {missing}")
    lists: dict[str, list[str]] = {}
    for key in _LISTS:
        words = data[key]
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise RulesError(f"{path.name}: entry {key}: must be a non-empty list of strings")
        lists[key] = [simplify(w) for w in words]
    for key in ("respectively", "list_item_end"):
        if not isinstance(data[key], str) or not data[key]:
            raise RulesError(f"{path.name}: entry {key}: must be a non-empty string")
    examples = data.get("examples") or []
    for ex in examples:
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str) or ex.get("span", "") not in ex["text"]:
            raise RulesError(f"{path.name}: entry examples: {ex!r} needs a `text` holding its `span`")
    return PhraseRules(frozenset(lists["function_tags"]), frozenset(lists["verb_tags"]),
                       frozenset(lists["drop_trailing"]), frozenset(lists["keep"]),
                       tuple(sorted(lists["differences"], key=len, reverse=True)),
                       frozenset(lists["difference_units"]), simplify(data["respectively"]),
                       simplify(data["list_item_end"]), tuple(sorted(lists["heads"], key=len, reverse=True)),
                       list(examples))
