"""Solutions to the chapter's exercises / Bölümün alıştırmalarının çözümleri.

4×4 patches for the 8×8 digits, the mean of the patch tokens instead of the
class token, and the parameters of ``vit_l_16`` from the chapter's formula.
Self-contained: the tiny ViT and its training loop of ``vit.py`` are repeated
here, with a ``pool`` switch.

Needs: torch, torchvision, scikit-learn. Trains in seconds on a CPU.

    python -m snippets.vit.exercises
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


# --8<-- [start:patch4]
@dataclass(frozen=True)
class Config:
    """The chapter's tiny ViT, with the patch size and the pooling as
    settings."""

    image_size: int = 8
    patch: int = 2
    dim: int = 64
    depth: int = 2
    heads: int = 4
    mlp_dim: int = 128
    epochs: int = 20
    batch_size: int = 64
    learning_rate: float = 2e-3
    seed: int = 0
    pool: str = "cls"  # "cls": the class token; "mean": all patch tokens


class TinyViT(nn.Module):
    """Patches → tokens (+ class token) + positions → encoder → pooled
    token → classes."""

    def __init__(self, config: Config, num_classes: int = 10) -> None:
        super().__init__()
        self.pool = config.pool
        patches = (config.image_size // config.patch) ** 2
        self.to_tokens = nn.Conv2d(
            1, config.dim, kernel_size=config.patch, stride=config.patch
        )
        self.class_token = nn.Parameter(torch.zeros(1, 1, config.dim))
        self.positions = nn.Parameter(
            torch.randn(1, patches + 1, config.dim) * 0.02
        )
        layer = nn.TransformerEncoderLayer(
            config.dim,
            config.heads,
            config.mlp_dim,
            dropout=0.0,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(
            layer, config.depth, enable_nested_tensor=False
        )
        self.norm = nn.LayerNorm(config.dim)
        self.head = nn.Linear(config.dim, num_classes)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """``(B, 1, H, W)`` → logits ``(B, num_classes)``."""
        x = self.to_tokens(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.class_token.expand(len(x), -1, -1), x], dim=1)
        x = self.encoder(x + self.positions)
        pooled = x[:, 0] if self.pool == "cls" else x[:, 1:].mean(dim=1)
        return self.head(self.norm(pooled))


def tokens(config: Config) -> int:
    """Patch tokens plus the class token."""
    return (config.image_size // config.patch) ** 2 + 1


def train(config: Config) -> float:
    """Train as the chapter does (AdamW, cosine schedule, the same split);
    return the final test accuracy."""
    torch.manual_seed(config.seed)
    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32) / 16.0
    images, labels = images.unsqueeze(1), torch.tensor(digits.target)
    train_idx, test_idx = train_test_split(
        range(len(labels)),
        test_size=0.2,
        stratify=labels,
        random_state=config.seed,
    )
    model = TinyViT(config)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=0.05
    )
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=config.epochs
    )
    order = torch.Generator().manual_seed(config.seed)
    x, y = images[train_idx], labels[train_idx]
    for _ in range(config.epochs):
        model.train()
        for batch in torch.randperm(len(x), generator=order).split(
            config.batch_size
        ):
            loss = F.cross_entropy(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        schedule.step()
    model.eval()
    with torch.no_grad():
        predicted = model(images[test_idx]).argmax(1)
    return (predicted == labels[test_idx]).float().mean().item()


# --8<-- [end:patch4]


# --8<-- [start:mean_pool]
def compare_pooling(epochs: int = 10) -> dict[str, float]:
    """Test accuracy of the 4×4-patch ViT read from the class token and from
    the mean of the patch tokens, trained alike."""
    config = Config(patch=4, epochs=epochs)
    return {pool: train(replace(config, pool=pool)) for pool in ("cls", "mean")}


# --8<-- [end:mean_pool]


# --8<-- [start:vit_l_16]
def vit_parameters(
    dim: int, layers: int, mlp: int, patch: int = 16, image: int = 224
) -> int:
    """The chapter's count: patch embedding, class token, positions, encoder
    layers (two layer norms, q/k/v and output projections, the MLP), final
    norm and the 1,000-class head."""
    per_layer = 2 * 2 * dim + (3 * dim * dim + 3 * dim) + (dim * dim + dim)
    per_layer += (dim * mlp + mlp) + (mlp * dim + dim)
    positions = (image // patch) ** 2 + 1
    return (
        3 * patch * patch * dim
        + dim  # conv_proj
        + dim  # class token
        + positions * dim
        + layers * per_layer
        + 2 * dim  # encoder.ln
        + dim * 1000
        + 1000  # heads
    )


def vit_l_16_count() -> dict[str, int]:
    """The formula for ViT-L/16 next to the module's own count (built on the
    meta device: shapes only, no memory, no download)."""
    from torchvision.models import vit_l_16

    with torch.device("meta"):
        model = vit_l_16(weights=None)
    return {
        "formula": vit_parameters(1024, 24, 4096),
        "module": sum(p.numel() for p in model.parameters()),
        "vit_b_16_formula": vit_parameters(768, 12, 3072),
    }


# --8<-- [end:vit_l_16]


def main() -> int:
    """Print every solution (the pooling comparison with 2 epochs)."""
    print(f"tokens with 4×4 patches: {tokens(Config(patch=4))}")
    print("accuracy by pooling, 2 epochs:", compare_pooling(epochs=2))
    print("ViT-L/16 parameters:", vit_l_16_count())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
