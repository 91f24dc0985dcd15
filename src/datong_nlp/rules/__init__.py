"""The rule files (`rules/*.yaml`) loaded and validated into one immutable `RuleSet`.

- `model`: the frozen records and `RuleSet` (no file reading);
- `reader`: YAML with unique keys; `context`: validation helpers whose errors name file and entry;
- `numbers`, `claim_files`, `entity_files`: one loader (and its schema of keys) per rule file;
- `loader`: `load_rules`, which runs them with their dependencies passed explicitly.

Strings in the rules may be written in either script; they are folded and converted
to simplified with the same `Normaliser` that prepares the texts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .model import (
                    COMPARATORS,
                    ENTITY_TYPES,
                    KINDS,
                    LOCAL_CURRENCY,
                    EntityContext,
                    EntityPattern,
                    Example,
                    GazetteerEntry,
                    Locale,
                    NumberForms,
                    NumeralTable,
                    RuleSet,
                    SuffixRule,
                    TimeRule,
                    UnitCode,
                    UnitSurface,
                    user_words,
)

if TYPE_CHECKING:
    from .context import Context, Schema
    from .loader import RULE_FILES, check_ids, default_rules_dir, load_numeral_table, load_rules
    from .numbers import num_pattern
    from .reader import read_yaml

# the loading side (YAML, the file loaders and their checks) is imported on first use: a process
# that takes its rule set from the load cache (loadcache.py) needs only the records of `model`
_LAZY = {"Context": "context", "Schema": "context", "RULE_FILES": "loader", "check_ids": "loader",
         "default_rules_dir": "loader", "load_numeral_table": "loader", "load_rules": "loader",
         "num_pattern": "numbers", "read_yaml": "reader"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

__all__ = ["COMPARATORS", "ENTITY_TYPES", "KINDS", "LOCAL_CURRENCY", "RULE_FILES", "Context", "EntityContext",
           "EntityPattern", "Example", "GazetteerEntry", "Locale", "NumberForms", "NumeralTable", "RuleSet",
           "Schema", "SuffixRule", "TimeRule", "UnitCode", "UnitSurface", "check_ids", "default_rules_dir",
           "load_numeral_table", "load_rules", "num_pattern", "read_yaml", "user_words"]
