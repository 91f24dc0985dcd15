"""Linear time without sentence ends: the same text with and without them, at the same speed.

    python bench/linear.py [--chars 200000] [--rounds 3]

Builds a text of about --chars characters from the paragraphs of corpus/*.txt (or --texts)
(every other one in traditional characters), once as written (sentences and lines) and once with every sentence end and line
break (。！？!? and newlines) replaced by a space: one sentence of the whole length.
Extracts each in this process (rules, OpenCC and jieba loaded once, best of
--rounds, alternating) and prints the speed of both in characters per second.
Exits 1 when the text without sentence ends is more than 1.5 times slower.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
MAX_RATIO = 1.5


def build_text(chars: int, folder: Path) -> str:
    """About `chars` characters of the corpus texts, repeated as needed, every other paragraph
    in traditional characters (OpenCC s2t), so that the offset alignment of converted text runs too."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    paragraphs = [p for f in sorted(folder.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")]
    source = "\n".join(s2t.convert(p) if i % 2 else p for i, p in enumerate(paragraphs))
    repeats = chars // max(1, len(source)) + 1
    return ("\n".join([source] * repeats))[:chars]


def without_sentence_ends(text: str) -> str:
    """`text` with every sentence end and line break replaced by a space (same length)."""
    return regex.sub(r"[。！？!?\r\n]", " ", text)


def timed(extract: Callable[[str], object], text: str) -> float:
    """Seconds `extract(text)` takes."""
    started = time.perf_counter()
    extract(text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--chars", type=int, default=200_000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--texts", type=Path, default=ROOT / "corpus", help="folder of the source texts (default: corpus/)")
    args = p.parse_args(argv)
    from datong_nlp import Extractor

    extractor = Extractor()
    normal = build_text(args.chars, args.texts)
    flat = without_sentence_ends(normal)
    assert not regex.search(r"[。！？!?\n]", flat)
    extractor.extract_text(normal[:2000])  # warm up lazy loading
    t_normal = t_flat = float("inf")
    for _ in range(args.rounds):  # alternating, so machine load affects both alike
        t_normal = min(t_normal, timed(extractor.extract_text, normal))
        t_flat = min(t_flat, timed(extractor.extract_text, flat))
    ratio = t_flat / t_normal
    print(f"text with sentence ends:    {len(normal):>8} chars  {t_normal:6.2f} s  {len(normal) / t_normal:>9.0f} chars/s")
    print(f"text without sentence ends: {len(flat):>8} chars  {t_flat:6.2f} s  {len(flat) / t_flat:>9.0f} chars/s")
    print(f"slowdown without sentence ends: {ratio:.2f}x (limit {MAX_RATIO}x)")
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
