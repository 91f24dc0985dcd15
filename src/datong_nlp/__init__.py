"""datong-nlp: numeric claims and named entities from Chinese interview and policy texts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .provenance import TOOL_VERSION
from .types import Claim, Document, Entity, InputError, RulesError

if TYPE_CHECKING:
    from . import table
    from .api import evaluate, extract_file, extract_text
    from .pipeline import Extractor
    from .rules import RuleSet, load_rules
    from .table import read_outputs

__all__ = ["Claim", "Document", "Entity", "Extractor", "InputError", "RuleSet", "RulesError", "evaluate", "extract_file",
           "extract_text", "load_rules", "read_outputs", "table"]
__version__ = TOOL_VERSION

# loaded on first use, so that `import datong_nlp.decode` (say) loads neither jieba nor OpenCC
_LAZY = {"Extractor": "pipeline", "RuleSet": "rules", "load_rules": "rules", "evaluate": "api",
         "extract_file": "api", "extract_text": "api", "read_outputs": "table"}


def __getattr__(name: str) -> Any:
    from importlib import import_module

    if name == "table":
        return import_module(".table", __name__)
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
