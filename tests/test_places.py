"""The place cues of a long text (folded through a code-point array) are those of the regex scan."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from datong_nlp import Extractor
from datong_nlp.normalize import LONG


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_place_cues_of_a_long_text_match_the_regex_scan(extractor: Extractor, data: st.DataObject) -> None:
    guesser = extractor.places
    pattern = guesser.cue_pattern()
    assert pattern is not None and isinstance(guesser.fold, list)
    pieces = st.sampled_from(sorted(guesser.cues)) | st.sampled_from(list("港特区台湾澳门的，\n 1𠀀\ud800")) | st.characters()
    text = "".join(data.draw(st.lists(pieces, min_size=1, max_size=30)))
    text = text * (LONG // len(text) + 1)
    expected = Counter(m.group() for m in pattern.finditer(text))
    assert list(guesser.hits(text).items()) == list(expected.items())
    assert guesser._folded(text) == text.translate(guesser.fold)
