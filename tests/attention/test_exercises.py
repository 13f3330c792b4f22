"""snippets/attention/exercises.py: each solution's claim, on the generated values and the functions."""

from __future__ import annotations

from snippets.attention import exercises


def test_no_scaling_saturates_the_softmax_at_large_d(outputs):
    """no_scaling: without /√d the largest weight approaches 1 at d = 256 (nearly one-hot) and exceeds
    the scaled one at both sizes; with /√d it hardly depends on d."""
    weights = outputs.json("attention/exercises.no_scaling")
    small, large = weights["4"], weights["256"]
    assert large["raw"] > 0.9 and large["raw"] > small["raw"]
    for w in (small, large):
        assert w["raw"] > w["scaled"]
    assert abs(small["scaled"] - large["scaled"]) < 0.2


def test_pre_norm_block_matches_norm_first_layer(outputs):
    """pre_norm: same weights, same output as nn.TransformerEncoderLayer(norm_first=True); the post-norm
    order of the same weights does not match."""
    differences = {k: float(v) for k, v in outputs.json("attention/exercises.pre_norm").items()}
    assert differences["pre_norm"] < 1e-5
    assert differences["post_norm"] > 0.1


def test_permutation_without_positions_only(outputs):
    """permutation: without positions the encoder's rows move with the tokens; with positions they don't."""
    result = outputs.json("attention/exercises.permutation")
    assert result["moved"] >= 2  # the permutation really shuffles
    assert float(result["without_positions"]) < 1e-5
    assert result["with_positions"] > 0.1


def test_permutation_holds_for_other_seeds():
    for seed in (1, 2):
        assert exercises.shuffle_check(seed=seed)["without_positions"] < 1e-5


def test_pre_norm_block_matches_for_other_sizes():
    assert exercises.compare_pre_norm(d_model=8, heads=2, d_ff=16, seed=1)["pre_norm"] < 1e-5
