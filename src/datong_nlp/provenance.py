"""Where an output came from: the tool's version and a hash of the rules that made it."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path


def _version() -> str:
    try:
        return metadata.version("datong-nlp")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0.1.0"


TOOL_VERSION = _version()


@lru_cache(maxsize=16)
def rules_sha256(directory: Path) -> str:
    """Hex SHA-256 over the `*.yaml` files of a rules folder, in sorted name order: each file's
    name, a NUL byte, its length in bytes, a NUL byte, its bytes.  Any edit, added or removed
    file changes it; the folder's location and file times do not."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.yaml"), key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
