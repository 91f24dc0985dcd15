#!/usr/bin/env python3
"""Gazetteer scale: load a places file of N aliases and match it over a text, against N.

Builds a synthetic `places.yaml` of `--aliases` aliases (two per entry, made-up
names) in a copy of the rules folder, then times `load_rules` on it (best of
`--rounds`), the Aho-Corasick automaton's construction, and one matching pass
over a text of `--chars` characters.  Usage: python bench/gazetteer.py [--aliases 50000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from datong_nlp.gazetteer import AliasMatcher, Tags
from datong_nlp.normalize import Normaliser
from datong_nlp.rules import default_rules_dir, load_rules

HAN = "东南西北中山水江河湖海天云风雨金木火土石林森田禾米竹草花青红白黑黄安平宁和康泰兴隆昌盛华荣富贵福"


def synthetic_places(n_aliases: int, seed: int = 7) -> list[str]:
    """Rows of made-up places, two aliases each (X县 and X)."""
    rng = random.Random(seed)
    rows: list[str] = []
    seen: set[str] = set()
    while len(rows) * 2 < n_aliases:
        stem = "".join(rng.choice(HAN) for _ in range(rng.choice((3, 4))))
        if stem in seen:
            continue
        seen.add(stem)
        rows.append(f"  - bench-{len(rows)}|GPE|xx|county|Bench {len(rows)}||{stem}县 {stem}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=int, default=50_000)
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rules_dir = Path(tmp) / "rules"
        shutil.copytree(default_rules_dir(), rules_dir)
        header = [line for line in (rules_dir / "places.yaml").read_text(encoding="utf-8").splitlines()
                  if not line.startswith("  - ")]
        (rules_dir / "places.yaml").write_text("\n".join(header + synthetic_places(args.aliases)) + "\n",
                                               encoding="utf-8")
        norm = Normaliser()
        load_rules(rules_dir, norm)  # warm caches (OpenCC, imports)
        loads = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            rules = load_rules(rules_dir, norm)
            loads.append(time.perf_counter() - t)
        index = rules.alias_index()
        t = time.perf_counter()
        matcher = AliasMatcher(index, {}, Tags())
        build = time.perf_counter() - t
        rng = random.Random(1)
        text = "".join(rng.choice(HAN + "的了在是，。") for _ in range(args.chars))
        edges = set(range(len(text) + 1))  # every position a boundary: the most hits
        t = time.perf_counter()
        hits = sum(1 for _ in matcher.find(text, edges))
        scan = time.perf_counter() - t
    print(f"aliases                    {len(index):,}")
    print(f"load_rules (all files)     {min(loads):.2f} s (best of {args.rounds})")
    print(f"automaton build            {build:.2f} s")
    print(f"match {args.chars:,} chars     {scan:.2f} s, {args.chars / scan:,.0f} chars/s, {hits:,} hits")


if __name__ == "__main__":
    main()
