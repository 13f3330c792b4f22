"""CNN walkthrough / Evrişimli sinir ağı adım adım.

Builds the three-convolution network of the chapter (3→32→64→128 channels,
two 2×2 max-pools, a 512-unit hidden layer, dropout 0.5) for 48×48 RGB images,
trains it on scikit-learn's handwritten digits upscaled to 48×48, evaluates it,
and checks that a saved and reloaded model predicts the same.

Needs: torch, scikit-learn, tqdm, matplotlib. The data ships with scikit-learn,
so nothing is downloaded. Runs on the CPU in about a minute; a GPU is optional.

    python -m snippets.cnn.walkthrough --device auto --epochs 3 --out results
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm


# --8<-- [start:config]
@dataclass(frozen=True)
class Config:
    """Every knob of the walkthrough in one place."""

    image_size: int = 48  # the network expects 48×48 RGB images
    num_classes: int = 10  # digits 0–9
    batch_size: int = 64
    epochs: int = 3
    learning_rate: float = 1e-3  # Adam's step size
    weight_decay: float = 1e-4  # L2 penalty on the weights
    test_fraction: float = 0.2  # held out, never trained on
    seed: int = 0


# --8<-- [end:config]


# --8<-- [start:pick_device]
def pick_device(requested: str = "auto") -> torch.device:
    """Return the device to run on: ``auto`` tries CUDA, then Apple's MPS, then
    the CPU.

    Raises:
        RuntimeError: a device was asked for by name but is not available here.
    """
    if requested == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "CUDA was requested but torch.cuda.is_available() is False: "
            "install a CUDA build of torch on a machine with an NVIDIA GPU, "
            "or use --device cpu"
        )
    if requested == "mps" and not torch.backends.mps.is_available():
        raise RuntimeError(
            "MPS was requested but is not available: it needs Apple silicon; "
            "use --device cpu"
        )
    return torch.device(requested)


# --8<-- [end:pick_device]


# --8<-- [start:model]
class WalkthroughCNN(nn.Module):
    """Conv → ReLU → Conv → ReLU → Pool → Conv → ReLU → Pool → Flatten → Dropout
    → FC → ReLU → Dropout → FC."""

    def __init__(self, num_classes: int = 10, image_size: int = 48) -> None:
        super().__init__()
        side = image_size // 4  # two 2×2 pools halve the side twice
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, kernel_size=3, padding=1),  # (B, 32, 48, 48)
            nn.ReLU(),
            nn.Conv2d(32, 64, kernel_size=3, padding=1),  # (B, 64, 48, 48)
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),  # (B, 64, 24, 24)
            nn.Conv2d(64, 128, kernel_size=3, padding=1),  # (B, 128, 24, 24)
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),  # (B, 128, 12, 12)
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),  # (B, 128 * 12 * 12) = (B, 18432)
            nn.Dropout(0.5),
            nn.Linear(128 * side * side, 512),  # (B, 512)
            nn.ReLU(),
            nn.Dropout(0.5),
            nn.Linear(512, num_classes),  # (B, num_classes): logits, no softmax
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map a batch of images ``(B, 3, H, W)`` to class logits ``(B,
        num_classes)``."""
        return self.classifier(self.features(x))


# --8<-- [end:model]


# --8<-- [start:layer_table]
@dataclass(frozen=True)
class LayerRow:
    """One layer of the network: its name, kind, output shape and trainable
    parameters."""

    name: str
    kind: str
    output_shape: tuple[int, ...]
    params: int


def layer_table(model: WalkthroughCNN, image_size: int = 48) -> list[LayerRow]:
    """Push one dummy image through the layers one by one and record what each
    produces."""
    x = torch.zeros(
        1, 3, image_size, image_size
    )  # (B, C, H, W): PyTorch is channels-first
    rows = []
    with torch.no_grad():
        for part in ("features", "classifier"):
            for index, layer in getattr(model, part).named_children():
                x = layer(x)
                params = sum(
                    p.numel() for p in layer.parameters() if p.requires_grad
                )
                rows.append(
                    LayerRow(
                        f"{part}.{index}",
                        type(layer).__name__,
                        tuple(x.shape),
                        params,
                    )
                )
    return rows


# --8<-- [end:layer_table]


# --8<-- [start:data]
def load_digit_images(config: Config) -> tuple[TensorDataset, TensorDataset]:
    """scikit-learn's 1,797 8×8 digits, upscaled to ``image_size`` and repeated
    into 3 channels."""
    digits = load_digits()
    images = (
        torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    )  # (N, 1, 8, 8) in [0, 1]
    images = F.interpolate(
        images, size=config.image_size, mode="bilinear", align_corners=False
    )  # (N, 1, 48, 48)
    images = images.repeat(1, 3, 1, 1)  # grey → "RGB": (N, 3, 48, 48)
    labels = torch.tensor(digits.target, dtype=torch.long)
    train_idx, test_idx = train_test_split(
        range(len(labels)),
        test_size=config.test_fraction,
        stratify=labels,
        random_state=config.seed,
    )
    mean, std = (
        images[train_idx].mean(),
        images[train_idx].std(),
    )  # statistics of the training part only
    images = (images - mean) / std
    return TensorDataset(images[train_idx], labels[train_idx]), TensorDataset(
        images[test_idx], labels[test_idx]
    )


# --8<-- [end:data]


# --8<-- [start:train_one_epoch]
def train_one_epoch(
    model: nn.Module,
    loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    device: torch.device,
    description: str = "train",
    progress: bool = True,
) -> tuple[float, float]:
    """One pass over the training data; returns (mean loss, accuracy)."""
    model.train()  # dropout on
    total_loss, correct, seen = 0.0, 0, 0
    for images, labels in tqdm(
        loader, desc=description, leave=False, disable=not progress
    ):
        images, labels = images.to(device), labels.to(device)
        logits = model(images)  # (B, num_classes)
        loss = F.cross_entropy(
            logits, labels
        )  # softmax + negative log-likelihood in one step
        optimizer.zero_grad()  # gradients add up unless cleared
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        seen += len(labels)
    return total_loss / seen, correct / seen


# --8<-- [end:train_one_epoch]


# --8<-- [start:evaluate]
@torch.inference_mode()
def evaluate(
    model: nn.Module, loader: DataLoader, device: torch.device
) -> tuple[float, float, torch.Tensor]:
    """Loss, accuracy and predicted labels on data the model never trained
    on."""
    model.eval()  # dropout off
    total_loss, predictions, labels_seen = 0.0, [], []
    for images, labels in loader:
        logits = model(images.to(device)).cpu()
        total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
        predictions.append(logits.argmax(dim=1))
        labels_seen.append(labels)
    predicted, truth = torch.cat(predictions), torch.cat(labels_seen)
    return (
        total_loss / len(truth),
        (predicted == truth).float().mean().item(),
        predicted,
    )


# --8<-- [end:evaluate]


@dataclass
class History:
    """Per-epoch curves of one training run."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


# --8<-- [start:fit]
def fit(
    config: Config, device: torch.device, progress: bool = True, log=print
) -> tuple[WalkthroughCNN, History, TensorDataset]:
    """Train a fresh network with ``config`` on ``device``; returns the model,
    its curves and the test set."""
    torch.manual_seed(
        config.seed
    )  # same initial weights and dropout masks every run
    train_set, test_set = load_digit_images(config)
    shuffle = torch.Generator().manual_seed(
        config.seed
    )  # same batch order every run
    train_loader = DataLoader(
        train_set, batch_size=config.batch_size, shuffle=True, generator=shuffle
    )
    test_loader = DataLoader(test_set, batch_size=256)
    model = WalkthroughCNN(config.num_classes, config.image_size).to(device)
    optimizer = torch.optim.Adam(
        model.parameters(),
        lr=config.learning_rate,
        weight_decay=config.weight_decay,
    )
    history = History()
    for epoch in range(1, config.epochs + 1):
        train_loss, train_acc = train_one_epoch(
            model, train_loader, optimizer, device, f"epoch {epoch}", progress
        )
        test_loss, test_acc, _ = evaluate(model, test_loader, device)
        history.train_loss.append(train_loss)
        history.train_accuracy.append(train_acc)
        history.test_loss.append(test_loss)
        history.test_accuracy.append(test_acc)
        log(
            f"epoch {epoch}: train loss {train_loss:.4f}, accuracy "
            f"{train_acc:.4f} | "
            f"test loss {test_loss:.4f}, accuracy {test_acc:.4f}"
        )
    return model, history, test_set


# --8<-- [end:fit]


# --8<-- [start:save_and_reload]
def save_and_reload(
    model: WalkthroughCNN, path: Path, config: Config
) -> WalkthroughCNN:
    """Save the weights (``state_dict``), then load them into a fresh
    network."""
    torch.save(model.state_dict(), path)
    restored = WalkthroughCNN(config.num_classes, config.image_size)
    restored.load_state_dict(
        torch.load(path, weights_only=True)
    )  # weights_only: never unpickle code
    return restored.eval()


# --8<-- [end:save_and_reload]


# --8<-- [start:inspect]
def first_layer_filters(model: WalkthroughCNN) -> torch.Tensor:
    """The first convolution's kernels: (32, 3, 3, 3) = (out, in, height,
    width)."""
    return model.features[0].weight.detach().cpu()


@torch.no_grad()
def feature_maps(
    model: WalkthroughCNN, image: torch.Tensor
) -> dict[str, torch.Tensor]:
    """What every ReLU of the convolutional part outputs for one image ``(3, H,
    W)``."""
    model.eval()
    x, maps = image.unsqueeze(0), {}
    for index, layer in model.features.named_children():
        x = layer(x)
        if isinstance(layer, nn.ReLU):
            maps[f"features.{index}"] = x[0].cpu()  # (channels, height, width)
    return maps


def receptive_fields(model: WalkthroughCNN) -> dict[str, int]:
    """How many input pixels wide a unit of each layer sees (its receptive
    field).

    A k×k window adds k − 1 units of the layer below; a stride s puts
    neighbouring units of every later layer s times further apart in the input.
    """
    field, step, fields = 1, 1, {}
    for index, layer in model.features.named_children():
        if isinstance(layer, nn.Conv2d | nn.MaxPool2d):
            kernel, stride = (
                layer.kernel_size,
                layer.stride,
            )  # int or (height, width)
            kernel = kernel if isinstance(kernel, int) else kernel[0]
            stride = stride if isinstance(stride, int) else stride[0]
            field, step = field + (kernel - 1) * step, step * stride
        fields[f"features.{index}"] = field
    return fields


# --8<-- [end:inspect]


PLOT_LABELS = {
    "tr": {
        "epoch": "Epok",
        "loss": "Kayıp",
        "accuracy": "Doğruluk",
        "train": "eğitim",
        "test": "test",
        "true": "Gerçek rakam",
        "predicted": "Tahmin edilen rakam",
        "input": "girdi",
        "maps": "{name}: {side}×{side}, alıcı alan {field} piksel",
    },
    "en": {
        "epoch": "Epoch",
        "loss": "Loss",
        "accuracy": "Accuracy",
        "train": "train",
        "test": "test",
        "true": "True digit",
        "predicted": "Predicted digit",
        "input": "input",
        "maps": "{name}: {side}×{side}, receptive field {field} px",
    },
}


# --8<-- [start:plots]
def plot_history(history: History, lang: str = "en"):
    """Loss and accuracy per epoch, train vs test, with axis labels in ``lang``
    ("tr" or "en")."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    epochs = range(1, len(history.train_loss) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    for axis, key, train, test in (
        (left, "loss", history.train_loss, history.test_loss),
        (right, "accuracy", history.train_accuracy, history.test_accuracy),
    ):
        axis.plot(epochs, train, marker="o", label=text["train"])
        axis.plot(epochs, test, marker="s", label=text["test"])
        axis.set(xlabel=text["epoch"], ylabel=text[key], xticks=list(epochs))
        axis.legend()
        axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_confusion(
    truth: torch.Tensor, predicted: torch.Tensor, lang: str = "en"
):
    """Confusion matrix: rows are the true digits, columns the predicted
    ones."""
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    text = PLOT_LABELS[lang]
    fig, axis = plt.subplots(figsize=(5, 4.5))
    ConfusionMatrixDisplay.from_predictions(
        truth, predicted, ax=axis, colorbar=False, cmap="Blues"
    )
    axis.set(xlabel=text["predicted"], ylabel=text["true"])
    fig.tight_layout()
    return fig


# --8<-- [end:plots]


# --8<-- [start:inspect_plots]
def plot_filters(filters: torch.Tensor, lang: str = "en"):
    """Each first-layer kernel summed over its 3 input channels (the input is
    grey)."""
    import matplotlib.pyplot as plt

    kernels = filters.sum(
        dim=1
    )  # (32, 3, 3): what each filter does to a grey image
    limit = kernels.abs().max().item()
    fig, axes = plt.subplots(4, 8, figsize=(6, 3.2))
    for kernel, axis in zip(kernels, axes.flat, strict=True):
        axis.imshow(
            kernel, cmap="RdBu_r", vmin=-limit, vmax=limit
        )  # red +, blue −
        axis.set_axis_off()
    fig.tight_layout()
    return fig


def plot_feature_maps(
    image: torch.Tensor,
    maps: dict[str, torch.Tensor],
    fields: dict[str, int],
    per_layer: int = 6,
    lang: str = "en",
):
    """The input, then the most selective channels of every ReLU, one row per
    layer.

    Most selective: above zero in the fewest places, but in at least 2 % of
    them."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    size = (8, 1.5 * len(maps) + 0.3)
    fig, axes = plt.subplots(len(maps), per_layer + 1, figsize=size)
    for row, (name, activation) in zip(axes, maps.items(), strict=True):
        row[0].imshow(image[0], cmap="gray")
        row[0].set_title(text["input"], fontsize=8)
        active = (
            (activation > 0).float().mean(dim=(1, 2))
        )  # share of each map above 0
        selective = torch.where(active > 0.02, active, 2.0).argsort()[
            :per_layer
        ]
        for axis, channel in zip(row[1:], selective, strict=True):
            axis.imshow(activation[channel], cmap="viridis")
        side = activation.shape[-1]
        title = text["maps"].format(name=name, side=side, field=fields[name])
        row[1].set_title(title, fontsize=8, loc="left")
        for axis in row:
            axis.set_axis_off()
    fig.tight_layout()
    return fig


# --8<-- [end:inspect_plots]


def main(argv: list[str] | None = None) -> int:
    """Command line: train, report, check save/load, optionally write the plots
    to ``--out``."""
    parser = argparse.ArgumentParser(
        description="Train the walkthrough CNN on the packaged digits."
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda", "mps"]
    )
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for the plots (PNG); nothing is written without it",
    )
    parser.add_argument(
        "--lang",
        default="en",
        choices=sorted(PLOT_LABELS),
        help="language of the plot labels",
    )
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    try:
        device = pick_device(args.device)
    except RuntimeError as error:
        parser.error(str(error))
    config = Config(epochs=args.epochs)
    print(f"device: {device}")
    model, history, test_set = fit(config, device)
    from sklearn.metrics import classification_report

    _, _, predicted = evaluate(
        model, DataLoader(test_set, batch_size=256), device
    )
    print(classification_report(test_set.tensors[1], predicted, digits=3))
    with tempfile.TemporaryDirectory() as folder:
        restored = save_and_reload(model.cpu(), Path(folder) / "cnn.pt", config)
        _, _, again = evaluate(
            restored, DataLoader(test_set, batch_size=256), torch.device("cpu")
        )
    print(
        "reloaded model gives the same predictions: "
        f"{torch.equal(predicted, again)}"
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        plot_history(history, args.lang).savefig(
            args.out / "curves.png", dpi=100
        )
        plot_confusion(test_set.tensors[1], predicted, args.lang).savefig(
            args.out / "confusion.png", dpi=100
        )
        print(f"plots written to {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
