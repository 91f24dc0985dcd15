"""datong-nlp: numeric claims and named entities from Chinese interview and policy texts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .types import Claim, Document, Entity, InputError, RulesError

if TYPE_CHECKING:
    from .pipeline import Extractor
    from .rules import RuleSet, load_rules

__all__ = ["Claim", "Document", "Entity", "Extractor", "InputError", "RuleSet", "RulesError", "load_rules"]
__version__ = "0.1.0"

_LAZY = {"Extractor": "pipeline", "RuleSet": "rules", "load_rules": "rules"}


def __getattr__(name: str) -> Any:
    """`Extractor`, `RuleSet` and `load_rules` are imported on first use: a command that needs none
    of them (`extract --resume` on a current corpus) starts without loading the pipeline."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
