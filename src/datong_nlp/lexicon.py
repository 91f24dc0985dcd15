"""jieba's dictionary as a lookup table that loads in milliseconds.

The segmenter's word frequencies and the entity and phrase stages' part-of-speech tags
are questions about jieba's 350,000 dictionary words, yet a run asks a few thousand
distinct ones (about 3,700 over the benchmark's 1.5 MB).  Three dicts over every word
took 0.2 s of every process's start; here the words lie sorted in one UTF-8 string
(UTF-8 sorts as code points do), with their offsets, frequencies and tags in arrays
beside them, and a word is found by bisection, once: the answer is remembered.

Answers are those of the dicts they replace: a word listed twice keeps its lines in
file order (the frequency is the last line's; a tag is that of the last line that
qualifies, as `dict(...)` over the filtered lines keeps it).
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Callable, ItemsView, Iterator, Mapping
from itertools import accumulate
from pathlib import Path
from typing import overload

Entries = tuple[tuple[int, str], ...]  # a word's (frequency, tag) lines, in file order
_LINES = 1 << 16  # a word's place in the memo: first line * _LINES + number of lines (0: not a word)
State = tuple[bytes, bytes, bytes, bytes, list[str], dict[str, tuple[int, int]], int]  # `Lexicon.state`
MEMO = 200_000  # words whose lines are remembered (then forgotten at once): a long run asks ever new ones


class Lexicon(Mapping[str, int]):
    """Word -> frequency of a jieba dictionary file (the last line of a word listed twice), plus the
    words `add`ed to the segmenter (their frequency wins); `entries` gives a file word's lines."""

    def __init__(self, blob: bytes, offsets: array, freqs: array, tag_index: bytes, tag_names: list[str],
                 first: dict[str, tuple[int, int]], distinct: int) -> None:
        """`blob`: the file's words, sorted (as UTF-8 bytes, stably: a repeated word's lines in file
        order), concatenated; word i is `blob[offsets[i]:offsets[i + 1]]`, with frequency `freqs[i]`
        and tag `tag_names[tag_index[i]]`; `first`: the range of the words of each first character;
        `distinct`: how many different words."""
        self._blob, self._offsets, self._freqs, self._first = blob, offsets, freqs, first
        self._tag_index, self._tag_names = tag_index, tag_names
        self._n = len(freqs)
        self._distinct = distinct
        self._added: dict[str, int] = {}
        self._places: dict[str, int] = {}  # words looked up (integers: nothing for the collector); shared by `fresh` copies

    @classmethod
    def from_columns(cls, words: list[str], freqs: list[int], tags: list[str]) -> Lexicon:
        """The lexicon of a dictionary's lines (`segment.DictionaryFile`'s columns, in file order)."""
        encoded = [w.encode("utf-8", "surrogatepass") for w in words]
        order = sorted(range(len(words)), key=encoded.__getitem__)  # stable: repeated words in file order
        names = sorted(set(tags))
        number = {name: i for i, name in enumerate(names)}
        first: dict[str, tuple[int, int]] = {}
        for rank, i in enumerate(order):
            lo, _hi = first.get(words[i][:1], (rank, rank))
            first[words[i][:1]] = (lo, rank + 1)
        return cls(b"".join(encoded[i] for i in order), array("I", accumulate((len(encoded[i]) for i in order), initial=0)),
                   array("I", (freqs[i] for i in order)), bytes(number[tags[i]] for i in order), names, first,
                   len(set(words)))

    def state(self) -> State:
        """What `from_state` rebuilds the lexicon (without added words) from: bytes, a list, a dict, integers."""
        return (self._blob, self._offsets.tobytes(), self._freqs.tobytes(), self._tag_index, self._tag_names,
                self._first, self._distinct)

    @classmethod
    def from_state(cls, state: State) -> Lexicon:
        blob, offsets, freqs, tag_index, names, first, distinct = state
        off, fr = array("I"), array("I")
        off.frombytes(offsets)
        fr.frombytes(freqs)
        if not (len(off) == len(fr) + 1 == len(tag_index) + 1 and off[-1] == len(blob)
                and max(tag_index, default=0) < len(names) and isinstance(first, dict)):
            raise ValueError("lexicon arrays of different lengths")
        return cls(blob, off, fr, tag_index, names, first, distinct)

    def fresh(self) -> Lexicon:
        """A lexicon of the same file without the words added to this one (one per segmenter)."""
        copy = Lexicon(self._blob, self._offsets, self._freqs, self._tag_index, self._tag_names, self._first,
                       self._distinct)
        copy._places = self._places
        return copy

    def entries(self, word: str) -> Entries:
        """The (frequency, tag) of every line of `word` in the dictionary file, in file order."""
        first, count = divmod(self._place(word), _LINES)
        names, index, freqs = self._tag_names, self._tag_index, self._freqs
        return tuple((freqs[i], names[index[i]]) for i in range(first, first + count))

    def _place(self, word: str) -> int:
        found = self._places.get(word)
        if found is None:
            if len(self._places) >= MEMO:
                self._places.clear()
            found = self._places[word] = self._find(word)
        return found

    def _find(self, word: str) -> int:
        span = self._first.get(word[:1])
        if span is None:
            return 0
        key = word.encode("utf-8", "surrogatepass")  # a lone surrogate matches no word
        blob, off = self._blob, self._offsets
        lo, hi = span
        top = hi
        while lo < hi:
            mid = (lo + hi) >> 1
            if blob[off[mid]:off[mid + 1]] < key:
                lo = mid + 1
            else:
                hi = mid
        end = lo
        while end < top and blob[off[end]:off[end + 1]] == key:
            end += 1
        return lo * _LINES + min(end - lo, _LINES - 1) if end > lo else 0

    def add(self, word: str, freq: int) -> None:
        """Give `word` the frequency `freq` (a word added to the segmenter)."""
        self._added[word] = freq

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        found = self._added.get(word)
        if found is not None:
            return found
        first, count = divmod(self._place(word), _LINES)
        return self._freqs[first + count - 1] if count else default

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __bool__(self) -> bool:  # without `__len__`, which looks every added word up
        return self._n > 0 or bool(self._added)

    def __len__(self) -> int:
        return self._distinct + sum(not self.entries(w) for w in self._added)

    def as_dict(self) -> dict[str, int]:
        """Every word and its frequency, as the dict this lexicon stands for (0.1 s: for tests and tools)."""
        blob, off, freqs = self._blob, self._offsets, self._freqs
        words = (blob[off[i]:off[i + 1]].decode("utf-8", "surrogatepass") for i in range(self._n))
        return dict(zip(words, freqs, strict=False)) | self._added

    def items(self) -> ItemsView[str, int]:  # what `==` and `dict(...)` read: not one lookup per word
        return self.as_dict().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())


class TagView:
    """Word -> tag of the dictionary lines that `keep(frequency, tag)` accepts (the last such line of a
    word listed twice), read from a `Lexicon` word by word and remembered."""

    def __init__(self, lexicon: Lexicon, keep: Callable[[int, str], bool]) -> None:
        self._lexicon = lexicon
        self._keep = keep
        self._memo: dict[str, str | None] = {}

    @overload
    def get(self, word: str) -> str | None: ...
    @overload
    def get(self, word: str, default: str) -> str: ...

    def get(self, word: str, default: str | None = None) -> str | None:
        try:
            found = self._memo[word]
        except KeyError:
            found = self._memo[word] = next((t for f, t in reversed(self._lexicon.entries(word)) if self._keep(f, t)), None)
        return default if found is None else found


def load(path: Path, columns: Callable[[], tuple[list[str], list[int], list[str]]]) -> Lexicon:
    """The lexicon of the dictionary file `path` from the load cache (an entry `*.lexicon`, keyed as the
    file's columns are), else made from its `columns` (words, frequencies, tags in file order) and stored."""
    from . import loadcache

    def loads(data: bytes) -> State:
        state = marshal.loads(data)
        if not (isinstance(state, tuple) and len(state) == 7 and all(isinstance(x, bytes) for x in state[:4])):
            raise ValueError("not the arrays of a lexicon")
        return state

    name = loadcache.dictionary_entry(path).removesuffix(".dict") + ".lexicon"
    return Lexicon.from_state(loadcache.cached(name, lambda: Lexicon.from_columns(*columns()).state(), marshal.dumps, loads))
