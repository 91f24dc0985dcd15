"""Word segmentation: jieba's exact tokens, by jieba-rs (`rjieba`, the default) or jieba itself.

The segmenter knows every name and unit of the rules as a word.  `words` gives
the (start, end) of every token, aligned on whitespace the way spaCy's `zh`
tokenizer does, without building a Doc; `doc` gives the spaCy Doc with the same
tokens for anyone who wants spaCy's Matcher on them.

Two backends give the same tokens (tested on random strings, every rule example,
`corpus/` and the dev texts):

- `jieba`: a private `jieba.Tokenizer` (jieba 0.42.1, pure Python).
- `rjieba` (default): jieba-rs, about 25 times faster, with four shims where
  jieba-rs and jieba 0.42.1 differ:

  1. user words get jieba's own frequency (`suggest_freq(tune=False)`, computed
     here exactly as jieba does, in floating point, against jieba's running total);
  2. a balancing entry keeps the frequency total equal to jieba's, which counts
     `add_word` of a word already in the dictionary twice;
  3. jieba-rs keeps runs of unknown ASCII characters joined by symbols whole
     (`2011-08-25`, `20-60`), where jieba cuts them with its own pattern; such runs
     are cut again with jieba's pattern;
  4. jieba-rs counts more code points as Han (Extension A, U+9FD6-9FFF,
     compatibility ideographs, the supplementary planes); the text is cut at them,
     and each is a word on its own, as in jieba.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import accumulate, compress, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .lexicon import Lexicon
from .lexicon import load as load_lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BACKENDS = ("rjieba", "jieba")
DEFAULT_BACKEND = "rjieba"
USER_WORD_MIN_FREQ = 1000  # a rule word is kept whole even where the dictionary would cut it

# code points jieba-rs puts in Han blocks and jieba 0.42.1 does not; lone surrogates (not valid for Rust)
_EXTRA_HAN = re.compile("([\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002A6DF\U0002A700-\U0002EBEF"
                        "\U0002F800-\U0002FA1F\ud800-\udfff])")
_SYMBOL_NEXT_TO_ALNUM = re.compile(r"[a-zA-Z0-9][+#&._%\-]|[+#&._%\-][a-zA-Z0-9]")  # where shim 3 may apply
# a stretch of `[a-zA-Z0-9+#&._%-]` holding a symbol (possessive, anchored, opening with a character of it)
_SYMBOL_BLOCK = re.compile(r"[a-zA-Z0-9+#&._%\-](?<![a-zA-Z0-9+#&._%\-][a-zA-Z0-9+#&._%\-])"
                           r"(?:(?<=[+#&._%\-])|[a-zA-Z0-9]*+[+#&._%\-])[a-zA-Z0-9+#&._%\-]*")
# the characters of `str.isspace` (tested), and the runs of them `words` must look at: two or more, or a space
WHITESPACE = "\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WHITESPACE_RUN = re.compile(f"[{WHITESPACE}](?:(?<= )|[{WHITESPACE}])[{WHITESPACE}]*")
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip
_BALANCE_WORD = "\x00total"  # never inside a Han block, so never matched


def jieba_dictionary_path() -> Path:
    """The main dictionary file (`dict.txt`: word, frequency, part-of-speech tag a line) of the pinned jieba."""
    spec = importlib.util.find_spec("jieba")  # found, not imported: importing jieba costs 0.1-0.3 s
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(spec.submodule_search_locations[0]) / "dict.txt"


class DictionaryFile:
    """The lines of a jieba dictionary file as three columns (word, frequency, part-of-speech tag),
    in file order; iterating gives (word, frequency, tag) triples.  Tags are shared strings."""

    def __init__(self, words: list[str], freqs: list[int], tags: list[str]) -> None:
        self.words, self.freqs, self.tags = words, freqs, tags
        self.total = sum(freqs)  # jieba's frequency total: a word listed twice counts twice

    def __iter__(self) -> Iterator[tuple[str, int, str]]:
        return zip(self.words, self.freqs, self.tags, strict=True)

    def __len__(self) -> int:
        return len(self.words)


def dictionary_entries(path: Path | None = None) -> DictionaryFile:
    """The lines of a jieba dictionary file (default: the pinned jieba's `dict.txt`); read once per
    process and shared by the segmenter, the entity tags and the phrase chunker."""
    return _read_dictionary(Path(path) if path is not None else jieba_dictionary_path())


@functools.lru_cache(maxsize=2)
def _read_dictionary(path: Path) -> DictionaryFile:
    from .loadcache import dictionary_columns

    return DictionaryFile(*dictionary_columns(path, lambda: _parse_dictionary(path)))


def _parse_dictionary(path: Path) -> tuple[list[str], list[int], list[str]]:
    with open(path, "rb") as fh:
        fields = fh.read().decode("utf-8").split()  # every line: word frequency tag
    if len(fields) % 3:
        raise ValueError(f"{path}: not a jieba dictionary (a line without word, frequency and tag)")
    shared: dict[str, str] = {}  # a few dozen tags: one string each, not one per line
    return fields[0::3], list(map(int, fields[1::3])), [shared.setdefault(t, t) for t in fields[2::3]]


def lexicon(path: Path | None = None) -> Lexicon:
    """The `lexicon.Lexicon` of a jieba dictionary file (default: the pinned jieba's `dict.txt`), read
    once per process and path (from the load cache when it holds it) and shared: add words to a `fresh` copy."""
    return _lexicon(Path(path) if path is not None else jieba_dictionary_path())


@functools.lru_cache(maxsize=2)
def _lexicon(path: Path) -> Lexicon:
    def columns() -> tuple[list[str], list[int], list[str]]:
        entries = dictionary_entries(path)
        return entries.words, entries.freqs, entries.tags

    return load_lexicon(path, columns)


def jieba_dictionary() -> tuple[dict[str, int], int]:
    """jieba's main dictionary (the file of the pinned jieba): word -> frequency, and jieba's
    frequency total (the sum over all lines: a word listed twice counts twice)."""
    entries = dictionary_entries()
    return dict(zip(entries.words, entries.freqs, strict=True)), entries.total


def rjieba_extension_path() -> Path:
    """The file of the jieba-rs extension module (`rjieba/rjieba.*.so`), found without importing it."""
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("rjieba is not installed")
    folder = Path(spec.submodule_search_locations[0])
    return next(folder.glob("rjieba.*.so"), None) or next(folder.glob("rjieba.*.pyd"))


def _rjieba_class() -> Any:
    """`rjieba.Jieba`, from the extension module itself: the package's `__init__` builds a default
    instance (a dictionary load, 0.1-0.4 s) that nothing here uses."""
    try:
        path = rjieba_extension_path()
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
        spec = importlib.util.spec_from_loader("rjieba.rjieba", loader)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        return module.Jieba
    except Exception:  # any other layout: the ordinary import
        import rjieba

        return rjieba.Jieba


class Segmenter:
    """Cuts simplified text into words (`words`), or into a spaCy Doc (`doc`) with the same tokens."""

    def __init__(self, user_words: Iterable[str] = (), backend: str = DEFAULT_BACKEND) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmenter {backend!r} (choose from {', '.join(BACKENDS)})")
        self.backend = backend
        self._nlp: Language | None = None
        self._jieba: Any = None
        self._cut_bounds: Callable[[str], tuple[list[str], list[int] | None]]  # the words, and their offsets if known
        if backend == "jieba":
            self._init_jieba(user_words)
        else:
            self._init_rjieba(user_words)

    def _init_jieba(self, user_words: Iterable[str]) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        for word in user_words:
            tok.add_word(word, freq=max(tok.suggest_freq(word, tune=False), USER_WORD_MIN_FREQ))
        self._jieba = tok
        self.freq: Mapping[str, int] = tok.FREQ
        self._cut = tok.lcut
        self._cut_bounds = lambda text: (tok.lcut(text), None)
        self._cut_dag = lambda text: tok.lcut(text, HMM=False)

    def _init_rjieba(self, user_words: Iterable[str]) -> None:
        from .loadcache import segmenter_words

        rj = _rjieba_class()()  # jieba-rs's embedded dictionary: jieba's dict.txt (tested)
        words = [w for w in user_words if w]
        built: list[bool] = []

        def build() -> list[tuple[str, int]]:  # the frequencies need a dict of the dictionary
            built.append(True)
            return self._add_user_words(rj, *jieba_dictionary(), words)

        try:
            files = [jieba_dictionary_path(), rjieba_extension_path()]
        except (ImportError, StopIteration):  # another layout: no cache
            files = []
        calls = segmenter_words(words, files, build) if files else build()
        freq = lexicon().fresh()  # word -> frequency without a dict of 350k words (lexicon.py)
        for word, f in calls:
            if not built:  # from the load cache: the same calls, without the cuts that chose them
                rj.add_word(word, f, None)
            if word != _BALANCE_WORD:
                freq.add(word, f)
        self._rjieba = rj
        self.freq = freq
        self._cut = lambda text: _cut_rs_bounds(rj, text, True, freq)[0]
        self._cut_bounds = lambda text: _cut_rs_bounds(rj, text, True, freq)
        self._cut_dag = lambda text: _cut_rs_bounds(rj, text, False, None)[0]

    def _add_user_words(self, rj: Any, freq: dict[str, int], jieba_total: int, words: list[str]) -> list[tuple[str, int]]:
        """Add `words` to `rj` (and `freq`) with jieba's frequencies (shims 1 and 2); returns the
        (word, frequency) of every `add_word`, in order, balance entries included."""
        calls: list[tuple[str, int]] = []
        rs_total = sum(freq.values())  # jieba-rs sums each word once
        balance = 0
        for word in words:
            # jieba's suggest_freq(word, tune=False), against jieba's total (kept in rjieba by the balance
            # entry).  jieba's FREQ gives 0, not 1, for a piece that only starts a word; either way such a
            # piece makes the product at most 2, below USER_WORD_MIN_FREQ, so `freq.get(seg, 1)` is exact.
            if jieba_total - rs_total != balance:
                balance = jieba_total - rs_total
                rj.add_word(_BALANCE_WORD, balance, None)
                calls.append((_BALANCE_WORD, balance))
            p, ftotal = 1.0, float(jieba_total)
            for seg in _cut_rs_bounds(rj, word, False, None)[0]:
                p *= freq.get(seg, 1) / ftotal
            f = max(int(p * jieba_total) + 1, freq.get(word, 1))
            f = max(f, USER_WORD_MIN_FREQ)
            rs_total += f - freq.get(word, 0)  # jieba-rs replaces the old frequency
            jieba_total += f  # jieba adds the new one without removing the old
            freq[word] = f
            rj.add_word(word, f, None)
            calls.append((word, f))
        if jieba_total - rs_total != balance:
            rj.add_word(_BALANCE_WORD, jieba_total - rs_total, None)
            calls.append((_BALANCE_WORD, jieba_total - rs_total))
        return calls

    @property
    def nlp(self) -> Language:
        """A spaCy blank `zh` pipeline (built on first use: importing spaCy costs over a second)."""
        if self._nlp is None:
            import spacy

            if self.backend == "jieba":
                self._nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
                self._nlp.tokenizer.jieba_seg = self._jieba  # type: ignore[union-attr]  # our instance, not the global
            else:
                self._nlp = spacy.blank("zh")  # character segmenter: `doc` builds the Doc from `words`
        return self._nlp

    def cut(self, text: str) -> list[str]:
        """The words of `text` as jieba's `cut(text)` gives them (whitespace included)."""
        return list(self._cut(text))

    def cut_dictionary_only(self, text: str) -> list[str]:
        """The words of `text` as jieba's `lcut(text, HMM=False)` gives them: dictionary words only,
        no unknown words guessed (the part-of-speech lookup of `phrase.py` needs dictionary words)."""
        return list(self._cut_dag(text))

    def words(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every token of `text`, as `doc(text)` has them.

        Whitespace is not a word; a single space after a word belongs to it
        (spaCy's trailing space), any other run of whitespace is a token.
        """
        cut, bounds = self._cut_bounds(text)
        return _spans(text, cut, list(accumulate(map(len, cut), initial=0)) if bounds is None else bounds)

    def doc(self, text: str) -> Doc:
        """The spaCy Doc of `text` (tokens as `words`)."""
        if self.backend == "jieba":
            return self.nlp.make_doc(text)
        from spacy.tokens import Doc

        spans = self.words(text)
        words = [text[s:e] for s, e in spans]
        spaces = [e < len(text) and text[e] == " " and (i + 1 == len(spans) or spans[i + 1][0] == e + 1)
                  for i, (_s, e) in enumerate(spans)]
        return Doc(self.nlp.vocab, words=words, spaces=spaces)


def _spans(text: str, cut: list[str], bounds: list[int]) -> list[tuple[int, int]]:
    """`words` of the tokens `cut` of `text`, starting at `bounds` (and ending at its last)."""
    runs = _whitespace_runs(text, bounds)
    spans: list[tuple[int, int]] = []  # built a stretch of words at a time, between runs of whitespace
    copied = 0  # the words before this one are in `spans`
    for first, last in _blank_runs(cut) if runs is None else runs:
        start = bounds[first]
        after_word = first > 0 and text[start] == " "  # a space after a word belongs to the word
        if first == last and not after_word:
            continue  # one whitespace word: a token as it is
        spans += pairwise(bounds[copied:first + 1])
        end = bounds[last + 1]
        if end > start + after_word:
            spans.append((start + after_word, end))
        copied = last + 1
    if not copied:
        return list(pairwise(bounds))
    spans += pairwise(bounds[copied:])
    return spans


def _blank_runs(cut: list[str]) -> list[tuple[int, int]]:
    """(first, last) of each run of whitespace words of `cut`."""
    runs: list[tuple[int, int]] = []
    for k in compress(range(len(cut)), map(str.isspace, cut)):
        if runs and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def _whitespace_runs(text: str, bounds: list[int]) -> list[tuple[int, int]] | None:
    """`_blank_runs` from the runs of whitespace in `text` (one pattern, not a test of every word), but a lone
    whitespace character other than a space (a token as it is); None where a word holds whitespace and more."""
    runs: list[tuple[int, int]] = []
    for m in _WHITESPACE_RUN.finditer(text):
        start, end = m.span()
        first, after = bisect_left(bounds, start), bisect_left(bounds, end)
        if bounds[first] != start or bounds[after] != end:
            return None
        runs.append((first, after - 1))
    return runs


def _cut_rs_bounds(rj: Any, text: str, hmm: bool, freq: Mapping[str, int] | None) -> tuple[list[str], list[int] | None]:
    """jieba's `cut(text, HMM=hmm)` through jieba-rs, with the shims of the module docstring, and
    the offsets where the words start (and the text's end) if the shims had to find them."""
    if _EXTRA_HAN.search(text) is None:
        words = rj.cut(text, hmm)
    else:  # split with the code points kept (odd pieces): each is a word, the text between them is cut
        words = []
        for k, piece in enumerate(_EXTRA_HAN.split(text)):
            if k % 2:
                words.append(piece)
            elif piece:
                words.extend(rj.cut(piece, hmm))
    if hmm and _SYMBOL_NEXT_TO_ALNUM.search(text) is not None:
        return _resplit_numbers(text, words, freq or {})
    return words, None


def _resplit_numbers(text: str, words: list[str], freq: Mapping[str, int]) -> tuple[list[str], list[int]]:
    """jieba's cut of each run of unknown non-Han characters (shim 3), and the offsets of the words.

    A run is a stretch of tokens of `[a-zA-Z0-9+#&._%-]` that are single characters or
    no dictionary word: one span of a jieba HMM buffer.  A run holding a multi-character
    piece with a symbol in it is cut again with jieba's pattern (`finalseg.re_skip`).
    Such a run lies inside one stretch of those characters of `text` holding a symbol,
    so only the tokens of those stretches are looked at.
    """
    bounds = list(accumulate(map(len, words), initial=0))
    changes: list[tuple[int, int, list[str]]] = []  # (first word, end word, their new cut)
    for m in _SYMBOL_BLOCK.finditer(text):
        s, e = m.span()
        if e - s < 2:
            continue  # a lone symbol: a word of its own
        i, j = bisect_left(bounds, s), bisect_right(bounds, e) - 1  # words[i:j] lie inside the stretch
        if j == i + 1 and (_JIEBA_SKIP.fullmatch(words[i]) or words[i] in freq):
            continue  # one word (its neighbours hold other characters) that jieba's pattern leaves whole
        while i < j:
            if not _in_run(words[i], freq):
                i += 1
                continue
            start, trigger = i, False
            while i < j and _in_run(words[i], freq):
                w = words[i]
                trigger = trigger or (len(w) > 1 and not w.isalnum() and w not in freq)
                i += 1
            if trigger:
                cut = [x for x in _JIEBA_SKIP.split("".join(words[start:i])) if x]
                if cut != words[start:i]:
                    changes.append((start, i, cut))
    if not changes:
        return words, bounds
    out: list[str] = []
    out_bounds: list[int] = []
    copied = 0
    for start, end, cut in changes:
        out.extend(words[copied:start])
        out.extend(cut)
        out_bounds.extend(bounds[copied:start])
        out_bounds.extend(accumulate(map(len, cut[:-1]), initial=bounds[start]))
        copied = end
    out.extend(words[copied:])
    out_bounds.extend(bounds[copied:])
    return out, out_bounds


def _in_run(word: str, freq: Mapping[str, int]) -> bool:
    """Whether a token inside a stretch of `[a-zA-Z0-9+#&._%-]` can be part of a run."""
    return len(word) == 1 or (len(word) > 1 and word not in freq)
