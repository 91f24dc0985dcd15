"""The stem of a name that ends in a suffix word (深澳 of 深澳电厂, 全国金融 of 全国金融工作会议).

The stem is read backwards, word by word, from the suffix: words that are
nouns or names, at most `max_words`, never a `stem_stop` word.  A stem must be
proper: for facilities the word next to the suffix is a name (a place, a
dictionary name, or a word the dictionary does not know); for bodies and events
the first word is (or is a scope word such as 全国).  A place in the stem
starts the name: nothing before it is taken.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping

import regex

from .gazetteer import Tags
from .rules import GazetteerEntry

_PROPER_TAGS = ("ns", "nz", "nt")
LOCAL_LEVELS = frozenset({"prefecture", "county", "district", "city", "area", "parish"})
_NOUN_TAGS = ("n", "j", "l", "an", "vn")
_WORD = regex.compile(r"[\p{Han}A-Za-z0-9·]+")


class StemReader:
    """Reads proper-noun stems before suffix words."""

    def __init__(self, aliases: Mapping[str, GazetteerEntry], tags: Tags, stem_stop: frozenset[str],
                 scope: frozenset[str] = frozenset(), word_freq: Mapping[str, int] | None = None) -> None:
        self.aliases = aliases
        self.word_freq = word_freq or {}
        self.tags = tags
        self.stop = stem_stop
        self.scope = scope

    def is_place(self, word: str) -> bool:
        entry = self.aliases.get(word)
        return entry is not None and entry.type in ("GPE", "ORG")

    def is_local_place(self, word: str) -> bool:
        """A place below the province level (a city, county or district), which may start a facility's name."""
        entry = self.aliases.get(word)
        return entry is not None and entry.type == "GPE" and entry.level in LOCAL_LEVELS

    def is_proper(self, word: str, scope: bool = False, numeral: bool = False, known: bool = False) -> bool:
        """A place or body, a scope word (`scope`), a numeral (`numeral`: 九一一), a place or brand name
        of the dictionary (ns, nz, nt; a person tag only when rare: the tags are noisy), or a word
        of two or more characters that the dictionary does not know."""
        if self.is_place(word) or (scope and word in self.scope):
            return True
        tag = self.tags.get(word)
        if numeral and (tag or "").startswith("m"):
            return True
        if tag is None:
            return (not known and len(word) >= 2 and not self.word_freq.get(word) and _WORD.fullmatch(word) is not None
                    and not word.isdigit())
        return tag.startswith(_PROPER_TAGS) or (tag.startswith("nr") and (self.word_freq.get(word) or 0) < 100)

    def is_noun(self, word: str, numeral: bool = False) -> bool:
        return self.is_proper(word, numeral=numeral) or (self.tags.get(word) or "").startswith(_NOUN_TAGS)

    def stem_start(self, text: str, s: int, words: list[tuple[int, int]], max_words: int,
                   mode: str, numeral: bool = False, stop_at_place: bool = True) -> int | None:
        """Start of the proper stem before position `s` (a suffix), or None.
        `mode`: "adjacent" (the word next to the suffix is proper), "known" (it is a place or a name
        the dictionary knows) or "first" (the first word is)."""
        pieces: list[tuple[int, str]] = []
        i = bisect.bisect_left(words, (s,)) - 1  # the word holding the character before the suffix
        while i >= 0 and len(pieces) < max_words:
            ws, we = words[i]
            if we < (pieces[-1][0] if pieces else s):
                break  # whitespace between
            piece = text[ws:min(we, s)]
            if not _WORD.fullmatch(piece) or piece in self.stop or not self.is_noun(piece, numeral):
                break
            pieces.append((ws, piece))
            i -= 1
            if stop_at_place and self.is_place(piece) and not (i >= 0 and self.is_place(text[words[i][0]:words[i][1]])):
                break  # a place starts the name (深圳宝安国际机场: two places in a row)
        if not pieces:
            return None
        if mode == "known":  # zones and parks: a place or a dictionary name, not an unknown word (绿电产业园)
            if not self.is_proper(pieces[0][1], known=True):
                # a place, or a word the segmenter glued onto a place (苏州工业 of 苏州工业园区)
                local = [k for k, (_, piece) in enumerate(pieces)
                         if any(self.is_local_place(piece[:n]) for n in range(2, len(piece) + 1))]
                return pieces[local[-1]][0] if local else None
            return pieces[0][0]
        if mode == "adjacent":
            local = [k for k, (_, piece) in enumerate(pieces) if self.is_local_place(piece)]
            if local and not self.is_proper(pieces[0][1]):
                return pieces[local[-1]][0]  # 将军澳海水化淡厂: a local place and nouns
            if not self.is_proper(pieces[0][1]):
                return None
            keep = 1
            while keep < len(pieces) and self.is_proper(pieces[keep][1]):
                keep += 1
            return pieces[keep - 1][0]
        for k in range(len(pieces) - 1, -1, -1):  # the longest stem whose first word is proper
            if self.is_proper(pieces[k][1], scope=True, numeral=numeral):
                return pieces[k][0]
        return None
