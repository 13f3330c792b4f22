"""snippets/basics/self_supervised.py: the labels are taken from the sentence itself."""

from __future__ import annotations

from snippets.basics import self_supervised as ssl
from tests.conftest import cli_error

WORDS = "the cat slept on the mat".split()


def test_next_token_labels_rebuild_the_sentence():
    pairs = ssl.next_token_pairs(WORDS)
    assert len(pairs) == len(WORDS) - 1
    assert all(context == WORDS[:len(context)] for context, _ in pairs)
    assert [pairs[0][0][0], *(label for _, label in pairs)] == WORDS


def test_masked_labels_fill_the_masks_back():
    masked, labels = ssl.masked_pairs(WORDS)
    assert masked.count(ssl.MASK) == len(labels) == 1  # 15 % of six words, at least one
    filled = [labels.get(i, word) for i, word in enumerate(masked)]
    assert filled == WORDS


def test_mask_rate_sets_how_many_words_are_hidden():
    _, labels = ssl.masked_pairs(list("abcdefghijklmnopqrst"), rate=0.5)
    assert len(labels) == 10


def test_one_word_is_one_clear_error(capsys):
    assert "at least two words" in cli_error(ssl.main, ["kedi"], capsys)
