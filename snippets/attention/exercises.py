"""Solutions to the chapter's exercises / Bölümün alıştırmalarının çözümleri.

Attention without the ``√d`` division, a pre-norm encoder block checked
against ``nn.TransformerEncoderLayer(norm_first=True)``, and what an encoder
without positions does to shuffled tokens. Self-contained: the few lines of
``transformer.py`` they need are repeated here.

Needs: torch. Runs in a second on a CPU.

    python -m snippets.attention.exercises
"""

from __future__ import annotations

import math

import torch
from torch import nn


# --8<-- [start:no_scaling]
def largest_weight(
    d: int, scaled: bool, tokens: int = 8, seed: int = 0
) -> float:
    """Mean over the rows of the largest attention weight, for random
    queries and keys with unit-variance entries in ``d`` dimensions.

    The dot product of two such vectors has variance ``d``: without the
    division its size grows like ``√d`` and the softmax saturates."""
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(tokens, d, generator=generator)
    k = torch.randn(tokens, d, generator=generator)
    scores = q @ k.T
    if scaled:
        scores = scores / math.sqrt(d)
    return scores.softmax(dim=-1).max(dim=-1).values.mean().item()


def compare_scaling(
    sizes: tuple[int, ...] = (4, 256),
) -> dict[int, dict[str, float]]:
    """The largest weight with and without ``/√d`` for every ``d`` in
    ``sizes``."""
    return {
        d: {s: largest_weight(d, s == "scaled") for s in ("scaled", "raw")}
        for d in sizes
    }


# --8<-- [end:no_scaling]


# --8<-- [start:pre_norm]
class PreNormEncoderBlock(nn.Module):
    """The chapter's encoder block with the norms moved in front:
    ``x = x + attention(norm1(x))``, then ``x = x + ffn(norm2(x))``.

    The residual path is never normalised, which is what lets deep pre-norm
    stacks (GPT-2, ViT) train without a warm-up."""

    def __init__(self, d_model: int, heads: int, d_ff: int) -> None:
        super().__init__()
        self.attention = nn.MultiheadAttention(d_model, heads, batch_first=True)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model)
        )
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x: torch.Tensor, post_norm: bool = False) -> torch.Tensor:
        """``(B, T, d_model)`` → ``(B, T, d_model)``; ``post_norm=True`` runs
        the same weights in the original order, for contrast."""

        def attend(h: torch.Tensor) -> torch.Tensor:
            return self.attention(h, h, h, need_weights=False)[0]

        if post_norm:
            x = self.norm1(x + attend(x))
            return self.norm2(x + self.ffn(x))
        x = x + attend(self.norm1(x))
        return x + self.ffn(self.norm2(x))


def compare_pre_norm(
    d_model: int = 16, heads: int = 4, d_ff: int = 32, seed: int = 0
) -> dict[str, float]:
    """Largest difference to PyTorch's pre-norm layer with the same weights,
    in pre-norm order and (for contrast) in post-norm order."""
    torch.manual_seed(seed)
    reference = nn.TransformerEncoderLayer(
        d_model, heads, d_ff, dropout=0.0, batch_first=True, norm_first=True
    ).eval()
    block = PreNormEncoderBlock(d_model, heads, d_ff).eval()
    block.attention.load_state_dict(reference.self_attn.state_dict())
    block.ffn[0].load_state_dict(reference.linear1.state_dict())
    block.ffn[2].load_state_dict(reference.linear2.state_dict())
    block.norm1.load_state_dict(reference.norm1.state_dict())
    block.norm2.load_state_dict(reference.norm2.state_dict())
    x = torch.randn(2, 6, d_model)
    with torch.no_grad():
        expected = reference(x)
        return {
            "pre_norm": (block(x) - expected).abs().max().item(),
            "post_norm": (block(x, post_norm=True) - expected)
            .abs()
            .max()
            .item(),
        }


# --8<-- [end:pre_norm]


# --8<-- [start:permutation]
def positions(steps: int, d_model: int) -> torch.Tensor:
    """The chapter's sinusoidal positional encoding ``(steps, d_model)``."""
    position = torch.arange(steps, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(
        torch.arange(0, d_model, 2, dtype=torch.float32)
        * (-math.log(10000.0) / d_model)
    )
    encoding = torch.zeros(steps, d_model)
    encoding[:, 0::2] = torch.sin(position * frequency)
    encoding[:, 1::2] = torch.cos(position * frequency)
    return encoding


def shuffle_check(
    d_model: int = 16, steps: int = 6, seed: int = 0
) -> dict[str, float]:
    """``encoder(x[perm])`` against ``encoder(x)[perm]``: equal without
    positions (attention sees a set), different once positions are added."""
    torch.manual_seed(seed)
    encoder = nn.TransformerEncoderLayer(
        d_model, 4, 32, dropout=0.0, batch_first=True
    ).eval()
    x = torch.randn(1, steps, d_model)
    perm = torch.randperm(steps)
    where = positions(steps, d_model)
    with torch.no_grad():
        plain = encoder(x[:, perm]) - encoder(x)[:, perm]
        placed = encoder(x[:, perm] + where) - encoder(x + where)[:, perm]
    return {
        "without_positions": plain.abs().max().item(),
        "with_positions": placed.abs().max().item(),
        "moved": int((perm != torch.arange(steps)).sum()),
    }


# --8<-- [end:permutation]


def main() -> int:
    """Print every solution."""
    for d, weights in compare_scaling().items():
        print(
            f"d = {d:3}: largest weight {weights['scaled']:.3f} with /√d, "
            f"{weights['raw']:.3f} without"
        )
    print(
        "pre-norm block vs norm_first=True:",
        {k: f"{v:.1e}" for k, v in compare_pre_norm().items()},
    )
    print(
        "shuffled tokens:",
        {k: f"{v:.1e}" for k, v in shuffle_check().items()},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
