"""Read one rule file: YAML that refuses duplicate keys, parsed by libyaml where it is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from ..types import RulesError

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_BASE):  # type: ignore[misc,valid-type]
    """The safe YAML loader (libyaml's where available) refusing duplicate keys instead of keeping the last."""


def _mapping(loader: SafeConstructor, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` merges another mapping; its keys may be overridden here
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return SafeConstructor.construct_mapping(loader, node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path, unique_keys: bool = True) -> dict[str, Any]:
    """The top-level mapping of the YAML file `path`; errors name the file (and the line).
    `unique_keys=False` skips the duplicate-key walk, for a generated file of thousands of rows
    whose loader checks its ids itself (places.yaml)."""
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=UniqueKeyLoader if unique_keys else _BASE)
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesError(f"{path.name}: malformed YAML{where}: {problem}") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path.name}: not UTF-8") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path.name}: must hold a mapping at the top level")
    return data
