"""The transformer from its parts / Parçalarından dönüştürücü.

Token embeddings, scaled dot-product attention, causal masks, multi-head
attention, sinusoidal positional encoding, layer norm, and the encoder and
decoder blocks, each written out and checked against PyTorch's own
implementation (``F.scaled_dot_product_attention``, ``nn.MultiheadAttention``,
``nn.LayerNorm``, ``nn.TransformerEncoderLayer``,
``nn.TransformerDecoderLayer``) with the weights copied across.

Needs: torch, matplotlib (plot only). Runs in a second on a CPU.

    python -m snippets.attention.transformer
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


# --8<-- [start:embedding]
def embed_tokens(
    text: str, d_model: int = 8, seed: int = 0
) -> tuple[list[str], torch.Tensor, torch.Tensor]:
    """Split ``text`` into words, give each distinct word an id, and look the
    ids up in an embedding table.

    Returns the vocabulary, the ids ``(1, T)`` and the vectors ``(1, T,
    d_model)``."""
    torch.manual_seed(seed)
    words = text.split()
    vocabulary = sorted(set(words))
    ids = torch.tensor([[vocabulary.index(w) for w in words]])  # (batch=1, T)
    table = nn.Embedding(
        num_embeddings=len(vocabulary), embedding_dim=d_model
    )  # one learnable row per word
    return vocabulary, ids, table(ids)


# --8<-- [end:embedding]


# --8<-- [start:attention]
def attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product attention: ``softmax(q·kᵀ / √d) · v``.

    ``q`` is ``(…, T_q, d)``, ``k`` and ``v`` are ``(…, T_k, d)``; ``mask`` is
    boolean ``(T_q, T_k)`` with True where attending is allowed. Returns the
    output ``(…, T_q, d)`` and the attention weights ``(…, T_q, T_k)``, each row
    summing to 1."""
    scores = (
        q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    )  # how well each query matches each key
    if mask is not None:
        scores = scores.masked_fill(
            ~mask, float("-inf")
        )  # e^-inf = 0: forbidden positions get no weight
    weights = scores.softmax(dim=-1)
    return weights @ v, weights


def causal_mask(steps: int) -> torch.Tensor:
    """Lower-triangular ``(steps, steps)`` boolean mask: position i may look at
    positions 0…i only."""
    return torch.ones(steps, steps, dtype=torch.bool).tril()


# --8<-- [end:attention]


def causal_example(steps: int = 4, seed: int = 0) -> torch.Tensor:
    """Attention weights ``(steps, steps)`` of a random causal self-attention:
    zeros above the diagonal."""
    torch.manual_seed(seed)
    q, k, v = (torch.randn(1, steps, 2) for _ in range(3))
    return attention(q, k, v, mask=causal_mask(steps))[1][0]


def compare_attention(seed: int = 0) -> dict[str, float]:
    """Largest differences between :func:`attention` and
    ``F.scaled_dot_product_attention``."""
    torch.manual_seed(seed)
    q, k, v = (
        torch.randn(2, 3, 5, 4) for _ in range(3)
    )  # (batch, heads, T, d)
    plain, _ = attention(q, k, v)
    causal, _ = attention(q, k, v, causal_mask(5))
    return {
        "plain": (plain - F.scaled_dot_product_attention(q, k, v))
        .abs()
        .max()
        .item(),
        "causal": (
            causal - F.scaled_dot_product_attention(q, k, v, is_causal=True)
        )
        .abs()
        .max()
        .item(),
    }


# --8<-- [start:multi_head]
class MultiHeadAttention(nn.Module):
    """``heads`` attentions side by side, each on a ``d_model / heads`` slice,
    merged by a linear layer."""

    def __init__(self, d_model: int, heads: int) -> None:
        super().__init__()
        if d_model % heads:
            raise ValueError(
                f"d_model={d_model} must be divisible by heads={heads}"
            )
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj = (
            nn.Linear(d_model, d_model) for _ in range(3)
        )
        self.out_proj = nn.Linear(d_model, d_model)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, T, d_model)`` → ``(B, heads, T, d_model / heads)``."""
        batch, steps, width = x.shape
        return x.view(batch, steps, self.heads, width // self.heads).transpose(
            1, 2
        )

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        mask: torch.Tensor | None = None,
        shapes: dict[str, tuple[int, ...]] | None = None,
    ) -> torch.Tensor:
        """Attend from ``query`` ``(B, T_q, d_model)`` to ``key``/``value``
        ``(B, T_k, d_model)``.

        Pass a dict as ``shapes`` to have the shape of every intermediate step
        recorded in it."""
        q, k, v = (
            self.split(self.q_proj(query)),
            self.split(self.k_proj(key)),
            self.split(self.v_proj(value)),
        )
        out, weights = attention(
            q, k, v, mask
        )  # (B, heads, T_q, d_head), (B, heads, T_q, T_k)
        merged = out.transpose(1, 2).reshape(
            query.shape
        )  # heads side by side again: (B, T_q, d_model)
        result = self.out_proj(merged)
        if shapes is not None:
            shapes.update(
                {
                    "input": tuple(query.shape),
                    "q after projection and split": tuple(q.shape),
                    "attention weights": tuple(weights.shape),
                    "output per head": tuple(out.shape),
                    "heads merged": tuple(merged.shape),
                    "after out_proj": tuple(result.shape),
                }
            )
        return result

    def load_from(self, torch_mha: nn.MultiheadAttention) -> MultiHeadAttention:
        """Copy the weights of a ``nn.MultiheadAttention``, which keeps q, k, v
        stacked in one matrix."""
        with torch.no_grad():
            for projection, weight, bias in zip(
                (self.q_proj, self.k_proj, self.v_proj),
                torch_mha.in_proj_weight.chunk(3),
                torch_mha.in_proj_bias.chunk(3),
                strict=True,
            ):
                projection.weight.copy_(weight)
                projection.bias.copy_(bias)
            self.out_proj.load_state_dict(torch_mha.out_proj.state_dict())
        return self


# --8<-- [end:multi_head]


def compare_multi_head(
    d_model: int = 16, heads: int = 4, seed: int = 0
) -> tuple[float, dict[str, tuple[int, ...]]]:
    """Largest difference to ``nn.MultiheadAttention`` (causal self-attention)
    and the recorded shapes."""
    torch.manual_seed(seed)
    theirs = nn.MultiheadAttention(d_model, heads, batch_first=True)
    ours = MultiHeadAttention(d_model, heads).load_from(theirs)
    x = torch.randn(2, 6, d_model)
    shapes: dict[str, tuple[int, ...]] = {}
    with torch.no_grad():
        mine = ours(x, x, x, causal_mask(6), shapes)
        # nn.MultiheadAttention's boolean mask means the opposite: True = *not*
        # allowed.
        reference, _ = theirs(
            x, x, x, attn_mask=~causal_mask(6), need_weights=False
        )
    return (mine - reference).abs().max().item(), shapes


# --8<-- [start:positional]
def positional_encoding(steps: int, d_model: int) -> torch.Tensor:
    """Sinusoidal positions of "Attention Is All You Need": ``(steps,
    d_model)``.

    Even columns ``sin(pos / 10000^(2i/d))``, odd columns ``cos(…)``: every
    position gets a unique pattern, and nearby positions get similar ones."""
    position = torch.arange(steps, dtype=torch.float32).unsqueeze(
        1
    )  # (steps, 1)
    frequency = torch.exp(
        torch.arange(0, d_model, 2, dtype=torch.float32)
        * (-math.log(10000.0) / d_model)
    )
    encoding = torch.zeros(steps, d_model)
    encoding[:, 0::2] = torch.sin(position * frequency)
    encoding[:, 1::2] = torch.cos(position * frequency)
    return encoding


# --8<-- [end:positional]


# --8<-- [start:layer_norm]
def layer_norm(x: torch.Tensor, norm: nn.LayerNorm) -> torch.Tensor:
    """Normalise every token's vector to mean 0 and variance 1, then scale and
    shift (learned)."""
    mean = x.mean(dim=-1, keepdim=True)
    variance = x.var(dim=-1, keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(
        variance + norm.eps
    ) * norm.weight + norm.bias


# --8<-- [end:layer_norm]


# --8<-- [start:blocks]
class EncoderBlock(nn.Module):
    """Self-attention and a feed-forward network, each wrapped in a residual
    connection and layer norm.

    Post-norm, as in the original paper and ``nn.TransformerEncoderLayer``'s
    default: ``x = norm1(x + attention(x))``, then ``x = norm2(x + ffn(x))``.
    """

    def __init__(self, d_model: int, heads: int, d_ff: int) -> None:
        super().__init__()
        self.attention = MultiHeadAttention(d_model, heads)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model)
        )
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(
        self, x: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """``(B, T, d_model)`` → ``(B, T, d_model)``: the shape never changes
        inside a block."""
        x = self.norm1(
            x + self.attention(x, x, x, mask)
        )  # residual: the block learns a correction
        return self.norm2(x + self.ffn(x))


class DecoderBlock(nn.Module):
    """Masked self-attention, then cross-attention to the encoder's output, then
    the feed-forward network."""

    def __init__(self, d_model: int, heads: int, d_ff: int) -> None:
        super().__init__()
        self.self_attention = MultiHeadAttention(d_model, heads)
        self.cross_attention = MultiHeadAttention(d_model, heads)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model)
        )
        self.norm1, self.norm2, self.norm3 = (
            nn.LayerNorm(d_model) for _ in range(3)
        )

    def forward(self, x: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        """``x`` ``(B, T, d_model)`` is the output so far, ``memory`` ``(B, S,
        d_model)`` the encoded input."""
        x = self.norm1(
            x + self.self_attention(x, x, x, causal_mask(x.size(1)))
        )  # no peeking ahead
        x = self.norm2(
            x + self.cross_attention(x, memory, memory)
        )  # queries from x, keys/values from input
        return self.norm3(x + self.ffn(x))


# --8<-- [end:blocks]


def _copy_feed_forward(ffn: nn.Sequential, layer: nn.Module) -> None:
    ffn[0].load_state_dict(layer.linear1.state_dict())
    ffn[2].load_state_dict(layer.linear2.state_dict())


def compare_blocks(
    d_model: int = 16, heads: int = 4, d_ff: int = 32, seed: int = 0
) -> dict[str, float]:
    """Largest differences of layer norm and both blocks to PyTorch's modules
    with the same weights."""
    torch.manual_seed(seed)
    x, memory = torch.randn(2, 6, d_model), torch.randn(2, 9, d_model)
    norm = nn.LayerNorm(d_model)
    with torch.no_grad():
        norm.weight.normal_()
        norm.bias.normal_()
    encoder_ref = nn.TransformerEncoderLayer(
        d_model, heads, d_ff, dropout=0.0, batch_first=True
    ).eval()
    decoder_ref = nn.TransformerDecoderLayer(
        d_model, heads, d_ff, dropout=0.0, batch_first=True
    ).eval()
    encoder, decoder = (
        EncoderBlock(d_model, heads, d_ff),
        DecoderBlock(d_model, heads, d_ff),
    )
    encoder.attention.load_from(encoder_ref.self_attn)
    decoder.self_attention.load_from(decoder_ref.self_attn)
    decoder.cross_attention.load_from(decoder_ref.multihead_attn)
    for ours, theirs in ((encoder, encoder_ref), (decoder, decoder_ref)):
        _copy_feed_forward(ours.ffn, theirs)
        for name in ("norm1", "norm2", "norm3"):
            if hasattr(ours, name):
                getattr(ours, name).load_state_dict(
                    getattr(theirs, name).state_dict()
                )
    with torch.no_grad():
        return {
            "layer_norm": (layer_norm(x, norm) - norm(x)).abs().max().item(),
            "encoder": (encoder(x) - encoder_ref(x)).abs().max().item(),
            "decoder": (
                decoder(x, memory)
                - decoder_ref(
                    x,
                    memory,
                    tgt_is_causal=True,
                    tgt_mask=nn.Transformer.generate_square_subsequent_mask(6),
                )
            )
            .abs()
            .max()
            .item(),
        }


PLOT_LABELS = {
    "tr": {"x": "Boyut (sütun)", "y": "Konum (token sırası)"},
    "en": {"x": "Dimension (column)", "y": "Position (token index)"},
}


def plot_positional(encoding: torch.Tensor, lang: str = "en"):
    """Heat map of a positional-encoding matrix, positions down, dimensions
    across."""
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(8, 3.8))
    image = axis.imshow(
        encoding,
        aspect="auto",
        cmap="RdBu",
        vmin=-1,
        vmax=1,
        interpolation="nearest",
    )
    axis.set(xlabel=PLOT_LABELS[lang]["x"], ylabel=PLOT_LABELS[lang]["y"])
    fig.colorbar(image, ax=axis)
    fig.tight_layout()
    return fig


def main() -> int:
    """Print every comparison with PyTorch's implementation."""
    vocabulary, ids, vectors = embed_tokens("the cat sat on the mat")
    print(
        f"vocabulary {vocabulary}, ids {ids.tolist()}, embeddings "
        f"{tuple(vectors.shape)}"
    )
    print(
        "attention vs F.scaled_dot_product_attention:",
        {k: f"{v:.1e}" for k, v in compare_attention().items()},
    )
    print("causal attention weights (rows sum to 1, zeros above the diagonal):")
    print(causal_example().numpy().round(3))
    difference, shapes = compare_multi_head()
    print(f"multi-head vs nn.MultiheadAttention: {difference:.1e}")
    for step, shape in shapes.items():
        print(f"  {step:30} {shape}")
    print(
        "blocks vs PyTorch:",
        {k: f"{v:.1e}" for k, v in compare_blocks().items()},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
