"""snippets/attention/transformer.py: every part equals PyTorch's own implementation."""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F

from snippets.attention import transformer as tf
from tests.conftest import declared

TOLERANCE = 1e-5


@pytest.mark.parametrize("shape", [(1, 4, 3), (2, 3, 7, 8), (5, 1, 16)])
def test_attention_equals_fused_function(shape, device):
    torch.manual_seed(1)
    q, k, v = (torch.randn(shape, device=device) for _ in range(3))
    ours, weights = tf.attention(q, k, v)
    assert torch.allclose(ours, F.scaled_dot_product_attention(q, k, v), atol=TOLERANCE)
    assert torch.allclose(weights.sum(-1), torch.ones_like(weights.sum(-1)))


def test_causal_attention_equals_fused_function(device):
    torch.manual_seed(2)
    q, k, v = (torch.randn(2, 4, 9, 8, device=device) for _ in range(3))
    ours, _ = tf.attention(q, k, v, tf.causal_mask(9).to(device))
    assert torch.allclose(ours, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=TOLERANCE)


def test_masked_positions_get_zero_weight():
    torch.manual_seed(3)
    q, k, v = (torch.randn(1, 6, 4) for _ in range(3))
    _, weights = tf.attention(q, k, v, tf.causal_mask(6))
    above = torch.ones(6, 6, dtype=torch.bool).triu(diagonal=1)
    assert torch.all(weights[0][above] == 0)
    assert torch.all(weights[0][~above] > 0)
    # The future cannot leak: changing the last value leaves every earlier output unchanged.
    v2 = v.clone()
    v2[0, -1] += 100
    assert torch.equal(tf.attention(q, k, v, tf.causal_mask(6))[0][0, :-1],
                       tf.attention(q, k, v2, tf.causal_mask(6))[0][0, :-1])


def test_multi_head_equals_torch_module():
    difference, shapes = tf.compare_multi_head(d_model=24, heads=6)
    assert difference < TOLERANCE
    assert shapes["q after projection and split"] == (2, 6, 6, 4)
    assert shapes["attention weights"] == (2, 6, 6, 6)
    assert shapes["after out_proj"] == shapes["input"]


def test_multi_head_refuses_uneven_split():
    with pytest.raises(ValueError, match="divisible"):
        tf.MultiHeadAttention(10, 3)


def test_layer_norm_and_blocks_equal_torch_modules():
    assert all(value < TOLERANCE for value in tf.compare_blocks().values())


def test_positional_encoding_formula():
    encoding = tf.positional_encoding(50, 16)
    assert encoding.shape == (50, 16)
    assert torch.allclose(encoding[:, 0], torch.sin(torch.arange(50.0)))  # i = 0: frequency 1
    assert torch.allclose(encoding[:, 1], torch.cos(torch.arange(50.0)))
    assert math.isclose(encoding[7, 4].item(), math.sin(7 / 10000 ** (4 / 16)), rel_tol=1e-5)
    assert len({tuple(row) for row in encoding.round(decimals=4).tolist()}) == 50  # every position differs


def test_embedding_shapes():
    vocabulary, ids, vectors = tf.embed_tokens("a b a c", d_model=5)
    assert vocabulary == ["a", "b", "c"] and ids.tolist() == [[0, 1, 0, 2]]
    assert vectors.shape == (1, 4, 5) and torch.equal(vectors[0, 0], vectors[0, 2])  # same word, same vector


def test_published_checks_are_the_codes(root):
    folder = root / "generated/attention"
    checks = json.loads((folder / "transformer.blocks_check.json").read_text(encoding="utf-8"))
    for key, value in tf.compare_blocks().items():
        shown = float(f"{value:.1e}")  # the page shows two significant digits
        assert float(checks[key]) == pytest.approx(shown, **declared("attention/transformer.blocks_check.json",
                                                                        f"{key}#0"))
    facts = json.loads((folder / "transformer.causal_facts.json").read_text(encoding="utf-8"))
    assert facts["above_diagonal_max"] == 0.0 and facts["row_sums"] == [1.0] * 4


def test_nearby_positions_have_similar_encodings():
    encoding = tf.positional_encoding(64, 64)
    similarity = encoding @ encoding[10]
    assert similarity[10] > similarity[11] > similarity[15] > similarity[30] > similarity[60]
