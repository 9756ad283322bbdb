"""The compact copy of wordfreq's Chinese list gives wordfreq's own frequencies, and nothing for unlisted forms."""

from __future__ import annotations

import random

import wordfreq

from govsite.text import wordlist


def test_every_sampled_word_has_wordfreqs_frequency():
    listed = [(w, f) for w, f in wordfreq.get_frequency_dict("zh").items() if len(w) > 1]
    for word, freq in random.Random(7).sample(listed, 5000) + listed[:50]:
        assert wordlist.frequency(word) == freq, word


def test_unlisted_forms_and_single_characters_are_zero():
    assert wordlist.frequency("微信") > 1e-5
    assert wordlist.frequency("的") == 0.0  # single characters are never a form as written
    assert wordlist.frequency("谁也没写过这个词") == 0.0
    assert wordlist.frequency("") == 0.0
    assert wordlist.frequency("微信" * 40) == 0.0  # a length no word has
