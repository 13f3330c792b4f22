"""Vision Transformer / Görüntü dönüştürücüsü (ViT).

"An Image is Worth 16×16 Words" step by step: an image cut into patches, each
patch turned into a token vector, a class token and position embeddings added,
and a transformer encoder on top. Shows the shapes for a 224×224 image, builds
torchvision's ``vit_b_16`` without weights (nothing is downloaded) to count its
parameters, and trains a tiny ViT on scikit-learn's 8×8 digits.

Needs: torch, torchvision, scikit-learn, matplotlib (plot only). Trains in
seconds on a CPU.

    python -m snippets.vit.vit --device auto --epochs 20
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


# --8<-- [start:patches]
def patch_embedding_shapes(
    image_size: int = 224, patch: int = 16, dim: int = 768, seed: int = 0
) -> list[tuple[str, tuple[int, ...]]]:
    """Follow one RGB image through the ViT input stage and record the shape
    after every step."""
    torch.manual_seed(seed)
    image = torch.randn(1, 3, image_size, image_size)  # (B, C, H, W)
    # A convolution with kernel = stride = patch size is a linear map applied to
    # each patch on its own.
    to_tokens = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
    class_token = torch.zeros(1, 1, dim)  # learned in a real model
    positions = torch.zeros(
        1, (image_size // patch) ** 2 + 1, dim
    )  # learned, one per token
    steps = [("image", image)]
    x = to_tokens(image)
    steps.append(
        ("Conv2d(3, dim, kernel=patch, stride=patch)", x)
    )  # (1, dim, 14, 14)
    x = x.flatten(2)
    steps.append(("flatten(2)", x))  # (1, dim, 196)
    x = x.transpose(1, 2)
    steps.append(
        ("transpose(1, 2)", x)
    )  # (1, 196, dim): one row per patch, like word tokens
    x = torch.cat([class_token.expand(len(x), -1, -1), x], dim=1)
    steps.append(("cat(class token)", x))  # (1, 197, dim)
    x = x + positions
    steps.append(("+ position embeddings", x))
    return [(name, tuple(t.shape)) for name, t in steps]


# --8<-- [end:patches]


def conv_equals_linear_on_patches(
    patch: int = 16, dim: int = 32, seed: int = 0
) -> float:
    """Largest difference between the conv patch embedding and cutting patches +
    one ``nn.Linear``."""
    torch.manual_seed(seed)
    image = torch.randn(2, 3, 64, 64)
    conv = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
    linear = nn.Linear(3 * patch * patch, dim)
    with torch.no_grad():
        linear.weight.copy_(conv.weight.flatten(1))
        linear.bias.copy_(conv.bias)
        patches = F.unfold(image, kernel_size=patch, stride=patch).transpose(
            1, 2
        )  # (B, 16, 3·16·16)
        return (
            (linear(patches) - conv(image).flatten(2).transpose(1, 2))
            .abs()
            .max()
            .item()
        )


# --8<-- [start:vit_b_16]
def torchvision_vit_b_16() -> dict[str, object]:
    """Build ``torchvision.models.vit_b_16`` with random weights
    (``weights=None``: no download)."""
    from torchvision.models import vit_b_16

    model = vit_b_16(weights=None).eval()
    image = torch.zeros(1, 3, 224, 224)
    with torch.no_grad():
        tokens = model._process_input(image)  # patch embedding: (1, 196, 768)
        logits = model(image)
    from torchvision.models import ViT_B_16_Weights

    meta = (
        ViT_B_16_Weights.IMAGENET1K_V1.meta
    )  # facts about the trained weights, shipped with torchvision
    return {
        "parameters": sum(p.numel() for p in model.parameters()),
        "weights_parameters": meta["num_params"],
        "weights_file_mb": round(meta["_file_size"]),
        "imagenet_top1": meta["_metrics"]["ImageNet-1K"]["acc@1"],
        "patch_size": model.patch_size,
        "hidden_dim": model.hidden_dim,
        "layers": len(model.encoder.layers),
        "heads": model.encoder.layers[0].self_attention.num_heads,
        "conv_proj": tuple(model.conv_proj.weight.shape),
        "tokens": tuple(tokens.shape),
        "class_token": tuple(model.class_token.shape),
        "pos_embedding": tuple(model.encoder.pos_embedding.shape),
        "logits": tuple(logits.shape),
    }


# --8<-- [end:vit_b_16]


# --8<-- [start:tiny_vit]
@dataclass(frozen=True)
class Config:
    """A ViT small enough for 8×8 digits: 2×2 patches, so 16 patch tokens plus
    the class token."""

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


class TinyViT(nn.Module):
    """Patch embedding → [class token; patches] + positions → encoder blocks →
    class token → classes."""

    def __init__(
        self, config: Config, channels: int = 1, num_classes: int = 10
    ) -> None:
        super().__init__()
        patches = (config.image_size // config.patch) ** 2
        self.to_tokens = nn.Conv2d(
            channels, config.dim, kernel_size=config.patch, stride=config.patch
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
        """``(B, C, H, W)`` → logits ``(B, num_classes)``."""
        x = (
            self.to_tokens(images).flatten(2).transpose(1, 2)
        )  # (B, patches, dim)
        x = (
            torch.cat([self.class_token.expand(len(x), -1, -1), x], dim=1)
            + self.positions
        )
        x = self.encoder(x)  # (B, patches + 1, dim)
        return self.head(
            self.norm(x[:, 0])
        )  # the class token has gathered the image through attention


# --8<-- [end:tiny_vit]


def load_digit_tensors(
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """scikit-learn's 1,797 digits as ``(N, 1, 8, 8)`` in [0, 1]; a stratified
    80/20 split."""
    digits = load_digits()
    images = (
        torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    )
    labels = torch.tensor(digits.target)
    train_idx, test_idx = train_test_split(
        range(len(labels)), test_size=0.2, stratify=labels, random_state=seed
    )
    return (
        images[train_idx],
        labels[train_idx],
        images[test_idx],
        labels[test_idx],
    )


# --8<-- [start:train]
def train(
    config: Config, device: torch.device | str = "cpu", log=print
) -> tuple[TinyViT, list[float], list[float]]:
    """Train with AdamW and cross-entropy; returns the model, the loss per epoch
    and test accuracy per epoch."""
    torch.manual_seed(config.seed)
    x_train, y_train, x_test, y_test = load_digit_tensors(config.seed)
    model = TinyViT(config).to(device)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=0.05
    )
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=config.epochs
    )
    order = torch.Generator().manual_seed(config.seed)
    losses, accuracies = [], []
    for epoch in range(1, config.epochs + 1):
        model.train()
        total = 0.0
        for batch in torch.randperm(len(x_train), generator=order).split(
            config.batch_size
        ):
            loss = F.cross_entropy(
                model(x_train[batch].to(device)), y_train[batch].to(device)
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        schedule.step()
        losses.append(total / len(x_train))
        accuracies.append(accuracy(model, x_test, y_test, device))
        log(
            f"epoch {epoch:2d}: train loss {losses[-1]:.4f}, test accuracy "
            f"{accuracies[-1]:.4f}"
        )
    return model, losses, accuracies


@torch.no_grad()
def accuracy(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    device: torch.device,
) -> float:
    """Share of ``images`` classified correctly."""
    model.eval()
    return (
        (model(images.to(device)).argmax(1).cpu() == labels)
        .float()
        .mean()
        .item()
    )


# --8<-- [end:train]


PLOT_LABELS = {
    "tr": {
        "epoch": "Epok",
        "loss": "Eğitim kaybı",
        "accuracy": "Test doğruluğu",
    },
    "en": {
        "epoch": "Epoch",
        "loss": "Training loss",
        "accuracy": "Test accuracy",
    },
}


def plot_training(
    losses: list[float], accuracies: list[float], lang: str = "en"
):
    """Training loss and test accuracy per epoch, labels in ``lang``."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    epochs = range(1, len(losses) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    left.plot(epochs, losses, marker="o", markersize=3)
    right.plot(epochs, accuracies, marker="s", markersize=3, color="tab:green")
    left.set(xlabel=text["epoch"], ylabel=text["loss"])
    right.set(xlabel=text["epoch"], ylabel=text["accuracy"])
    for axis in (left, right):
        axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def pick_device(requested: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cuda`` without CUDA is an
    error that says what to do."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "CUDA was requested but torch.cuda.is_available() is False; use "
            "--device cpu"
        )
    return torch.device(requested)


def main(argv: list[str] | None = None) -> int:
    """Print the ViT-B/16 shapes and parameter count, then train the tiny
    ViT."""
    parser = argparse.ArgumentParser(
        description="Vision Transformer shapes, vit_b_16, "
        "and a tiny ViT on digits."
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda"]
    )
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    try:
        device = pick_device(args.device)
    except RuntimeError as error:
        parser.error(str(error))
    for name, shape in patch_embedding_shapes():
        print(f"{name:45} {shape}")
    print("torchvision vit_b_16:", torchvision_vit_b_16())
    model, _, accuracies = train(Config(epochs=args.epochs), device)
    print(
        f"tiny ViT: {sum(p.numel() for p in model.parameters()):,} parameters, "
        f"test accuracy {accuracies[-1]:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
