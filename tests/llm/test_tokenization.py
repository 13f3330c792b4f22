"""snippets/llm/tokenization.py: byte vs character counts, BPE merges, temperature and top-k."""

from __future__ import annotations

import pytest
import torch

from snippets.llm import tokenization as tok


def test_turkish_letters_take_two_bytes():
    assert len(tok.char_tokens("ağaç")) == 4
    assert len(tok.byte_tokens("ağaç")) == 6  # ğ and ç are two bytes each in UTF-8
    assert len(tok.byte_tokens("kedi")) == 4


def test_merge_replaces_pairs_left_to_right():
    assert tok.merge(list("aaab"), ("a", "a")) == ["aa", "a", "b"]
    assert tok.most_frequent_pair(list("abcd")) is None  # nothing repeats: nothing to merge


def test_bpe_compresses_and_round_trips():
    learned, tokens = tok.learn_bpe(tok.SAMPLE, 40)
    assert "".join(tokens) == tok.SAMPLE  # merging never loses text
    assert len(tokens) < 0.6 * len(tok.SAMPLE)
    assert learned[0] == ("e", "r")


def test_temperature_sharpens_and_flattens():
    logits = torch.tensor(list(tok.EXAMPLE_LOGITS.values()))
    base = tok.next_token_probabilities(logits)
    assert torch.allclose(base, logits.softmax(-1))
    sharp, flat = tok.next_token_probabilities(logits, 0.5), tok.next_token_probabilities(logits, 2.0)
    assert sharp.max() > base.max() > flat.max()


def test_top_k_zeroes_the_rest_and_renormalises():
    probabilities = tok.next_token_probabilities(torch.tensor([2.0, 1.5, 1.0, 0.0]), top_k=2)
    assert torch.count_nonzero(probabilities) == 2
    assert probabilities.sum().item() == pytest.approx(1.0)


def test_zero_temperature_is_refused():
    with pytest.raises(ValueError, match="positive"):
        tok.next_token_probabilities(torch.zeros(3), temperature=0)
