"""`python -m datong_nlp.fragments PRED_DIR`: the share of properties that name nothing (phrase.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from .phrase import PhraseChunker, fragment_report
from .rules import load_rules
from .segment import Segmenter


def main(argv: list[str] | None = None) -> int:
    """`python -m datong_nlp.fragments PRED_DIR`: the fragment report of a folder of outputs."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m datong_nlp.fragments PRED_DIR", file=sys.stderr)
        return 2
    rules = load_rules()
    if rules.phrase is None:
        print("no phrase.yaml in the rules", file=sys.stderr)
        return 2
    print(fragment_report(Path(args[0]), PhraseChunker(rules.phrase, Segmenter(rules.user_words()))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
