"""Compare two folders of schema-v1 JSON files, ignoring the claims' `rules` trace.

Usage: python scripts/compare_outputs.py BASELINE_DIR NEW_DIR   (not used by the tests)
Prints one line per differing claim or entity and exits 1 when anything differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

IGNORED = ("rules",)


def _strip(doc: dict) -> dict:
    doc["claims"] = [{k: v for k, v in c.items() if k not in IGNORED} for c in doc["claims"]]
    return doc


def main(base_dir: Path, new_dir: Path) -> int:
    differ = 0
    for base_path in sorted(base_dir.rglob("*.json")):
        rel = base_path.relative_to(base_dir)
        new_path = new_dir / rel
        if not new_path.is_file():
            print(f"{rel}: missing")
            differ += 1
            continue
        base = _strip(json.loads(base_path.read_text(encoding="utf-8")))
        new = _strip(json.loads(new_path.read_text(encoding="utf-8")))
        for key in ("claims", "entities"):
            old_items = [json.dumps(x, ensure_ascii=False, sort_keys=True) for x in base[key]]
            new_items = [json.dumps(x, ensure_ascii=False, sort_keys=True) for x in new[key]]
            for item in sorted(set(old_items) - set(new_items)):
                print(f"{rel}: - {item}")
                differ += 1
            for item in sorted(set(new_items) - set(old_items)):
                print(f"{rel}: + {item}")
                differ += 1
        rest = {k: v for k, v in base.items() if k not in ("claims", "entities")}
        if rest != {k: v for k, v in new.items() if k not in ("claims", "entities")}:
            print(f"{rel}: header differs")
            differ += 1
    print(f"{differ} difference(s)", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
