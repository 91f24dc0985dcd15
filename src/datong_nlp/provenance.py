"""Where an output came from: the tool's version and a hash of the rules that made it."""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

from .errors import RulesError


def _version() -> str:
    """The installed distribution's version: from the first `datong_nlp-*.dist-info/METADATA` on
    `sys.path`, as `importlib.metadata` finds it (whose import costs 35 ms of every start-up)."""
    for entry in sys.path:
        for info in sorted(Path(entry or ".").glob("datong_nlp-*.dist-info")):
            try:
                with open(info / "METADATA", encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break  # the end of the headers
            except OSError:
                continue
    from importlib import metadata

    try:
        return metadata.version("datong-nlp")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0.1.0"


TOOL_VERSION = _version()


def default_rules_dir() -> Path:
    """The rules shipped with the package (`datong_nlp/rules/data` in a wheel), or in a source checkout
    `rules/` (found here, not in the rules package, so that `--resume` can hash them without loading it)."""
    here = Path(__file__).resolve().parent / "rules"
    for candidate in (here / "data", here.parents[2] / "rules"):
        if (candidate / "units.yaml").is_file():
            return candidate
    raise RulesError(f"{here}: the packaged rules folder is missing")


@lru_cache(maxsize=16)
def rules_sha256(directory: Path | None) -> str:
    """Hex SHA-256 over the `*.yaml` files of a rules folder, in sorted name order: each file's
    name, a NUL byte, its length in bytes, a NUL byte, its bytes.  Any edit, added or removed
    file changes it; the folder's location and file times do not.  None: the shipped rules."""
    digest = hashlib.sha256()
    folder = Path(directory) if directory is not None else default_rules_dir()
    for path in sorted(folder.glob("*.yaml"), key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
