"""Word segmentation: jieba, with the same tokens as a spaCy blank `zh` pipeline.

The segmenter owns a `jieba.Tokenizer` instance (not jieba's process-wide
global) that knows every name and unit of the rules as a word.  `words` cuts
with that tokenizer directly and aligns whitespace the way spaCy's `zh`
tokenizer does, so it gives exactly the tokens of `doc` without building a
Doc (which cost a third of the segmentation time); `doc` gives the spaCy Doc
for anyone who wants spaCy's Matcher on the same words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jieba

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Cuts simplified text into words (`words`), or into a spaCy Doc (`doc`) with the same tokens."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        for word in user_words:
            self.jieba.add_word(word, freq=max(self.jieba.suggest_freq(word, tune=False), 1000))
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The spaCy blank `zh` pipeline on this segmenter's jieba, built on first use
        (importing spaCy and building it costs over a second of start-up)."""
        if self._nlp is None:
            import spacy

            self._nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
            self._nlp.tokenizer.jieba_seg = self.jieba  # type: ignore[union-attr]  # use our instance, not the global
        return self._nlp

    def words(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every token of `text`, as `doc(text)` has them.

        Whitespace is not a word; a single space after a word belongs to it
        (spaCy's trailing space), any other run of whitespace is a token.
        """
        out: list[tuple[int, int]] = []
        pos, n = 0, len(text)
        for word, start, end in self.jieba.tokenize(text):
            if word.isspace():
                continue
            if start > pos:
                out.append((pos, start))
            out.append((start, end))
            pos = end + 1 if end < n and text[end] == " " else end
        if pos < n:
            out.append((pos, n))
        return out

    def doc(self, text: str) -> Doc:
        """The spaCy Doc of `text` (tokens as `words`)."""
        return self.nlp.make_doc(text)
