"""Word segmentation: jieba inside a spaCy blank `zh` pipeline.

The segmenter owns a `jieba.Tokenizer` instance (not jieba's process-wide
global) that knows every name and unit of the rules as a word.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import jieba
import spacy
from spacy.language import Language

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Cuts simplified text into words; `boundaries` gives word edges as offsets."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        for word in user_words:
            self.jieba.add_word(word, freq=max(self.jieba.suggest_freq(word, tune=False), 1000))
        self.nlp: Language = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        self.nlp.tokenizer.jieba_seg = self.jieba  # use our instance, not the global

    def words(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every word of `text`, whitespace excluded, in order."""
        doc = self.nlp.make_doc(text)
        return [(tok.idx, tok.idx + len(tok.text)) for tok in doc]
