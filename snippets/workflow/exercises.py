"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

The learning rate and how close the line gets to the true values, the loss
curve with mean squared error instead of mean absolute error, the ``state_dict``
of ``nn.Linear(1, 1)``, and the MLP without its tanh layers. The chapter's data
and models are repeated here, so the module runs on its own. Needs only torch;
runs on the CPU in a few seconds.

    python -m snippets.workflow.exercises
"""

from __future__ import annotations

import argparse
import sys

import torch
from torch import nn

WEIGHT, BIAS = 0.7, 0.3  # the chapter's true line


def line_data(
    n: int = 50,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The chapter's points y = 0.7 · x + 0.3, first 80 % to train."""
    x = torch.arange(n, dtype=torch.float32).unsqueeze(1) / n
    y = WEIGHT * x + BIAS
    split = int(0.8 * n)
    return x[:split], y[:split], x[split:], y[split:]


class LinearRegression(nn.Module):
    """The chapter's model: y = w · x + b with a random start."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x + self.bias


def fit_line(
    learning_rate: float = 0.01,
    loss_fn: nn.Module | None = None,
    epochs: int = 300,
    every: int = 20,
) -> dict[str, object]:
    """The chapter's training loop (SGD, L1 loss unless ``loss_fn`` is given):
    the learned values and the test loss every ``every`` epochs."""
    torch.manual_seed(42)
    x_train, y_train, x_test, y_test = line_data()
    model = LinearRegression()
    loss_fn = loss_fn or nn.L1Loss()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    curve = []
    for epoch in range(1, epochs + 1):
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % every == 0 or epoch == 1:
            with torch.inference_mode():
                curve.append(loss_fn(model(x_test), y_test).item())
    weight, bias = model.weight.item(), model.bias.item()
    return {
        "weight": weight,
        "bias": bias,
        "distance": max(abs(weight - WEIGHT), abs(bias - BIAS)),
        "test_loss": curve,
    }


# --8<-- [start:learning_rate]
def by_learning_rate(
    rates: tuple[float, ...] = (0.001, 0.01, 0.1),
) -> dict[float, dict[str, object]]:
    """Train the line with each learning rate, all else unchanged."""
    return {rate: fit_line(learning_rate=rate) for rate in rates}


# --8<-- [end:learning_rate]


# --8<-- [start:mse]
def l1_and_mse() -> dict[str, dict[str, object]]:
    """The same training with nn.L1Loss (the chapter's) and nn.MSELoss."""
    return {
        "L1Loss": fit_line(loss_fn=nn.L1Loss()),
        "MSELoss": fit_line(loss_fn=nn.MSELoss()),
    }


# --8<-- [end:mse]


# --8<-- [start:state_dict]
def state_dict_shapes(model: nn.Module) -> dict[str, list[int]]:
    """The keys of a model's state_dict and the shape stored under each."""
    return {key: list(value.shape) for key, value in model.state_dict().items()}


def both_models() -> dict[str, dict[str, list[int]]]:
    """The chapter's hand-written model next to nn.Linear(1, 1)."""
    return {
        "LinearRegression": state_dict_shapes(LinearRegression()),
        "nn.Linear": state_dict_shapes(nn.Linear(1, 1)),
    }


# --8<-- [end:state_dict]


# --8<-- [start:no_tanh]
def curve_data(n: int = 200, seed: int = 0) -> tuple[torch.Tensor, ...]:
    """The chapter's noisy curve y = sin(2x) + x/2; every fifth point to
    test."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.linspace(-3, 3, n).unsqueeze(1)
    noise = 0.1 * torch.randn(n, 1, generator=generator)
    y = torch.sin(2 * x) + x / 2 + noise
    test = torch.arange(n) % 5 == 2
    return x[~test], y[~test], x[test], y[test]


def mlp_without_tanh(hidden: int = 32) -> nn.Sequential:
    """small_mlp with its nn.Tanh() layers deleted: three linear layers."""
    return nn.Sequential(
        nn.Linear(1, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, 1)
    )


def fit_curve(model: nn.Module, epochs: int = 600) -> float:
    """The chapter's training (full-batch Adam on the MSE); the test MSE."""
    x_train, y_train, x_test, y_test = curve_data()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        loss = nn.functional.mse_loss(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.inference_mode():
        return nn.functional.mse_loss(model(x_test), y_test).item()


def collapse(model: nn.Sequential) -> tuple[float, float]:
    """The one line the linear layers compute together: W3·W2·W1 and the
    bias that follows from it (the output at x = 0)."""
    weight = torch.eye(1)
    for layer in model:
        weight = layer.weight @ weight
    with torch.inference_mode():
        bias = model(torch.zeros(1, 1))
    return weight.item(), bias.item()


def without_tanh() -> dict[str, object]:
    """Train the straight line and the MLP without tanh the same way."""
    torch.manual_seed(0)
    line = nn.Linear(1, 1)
    line_mse = fit_curve(line)
    torch.manual_seed(0)
    mlp = mlp_without_tanh()
    mlp_mse = fit_curve(mlp)
    mlp_weight, mlp_bias = collapse(mlp)
    return {
        "line": {
            "test_mse": line_mse,
            "weight": line.weight.item(),
            "bias": line.bias.item(),
        },
        "mlp": {"test_mse": mlp_mse, "weight": mlp_weight, "bias": mlp_bias},
    }


# --8<-- [end:no_tanh]


def main(argv: list[str] | None = None) -> int:
    """Print the answer of every exercise."""
    parser = argparse.ArgumentParser(
        description="The answers of the exercises of the workflow chapter."
    )
    parser.parse_args(argv)
    for rate, result in by_learning_rate().items():
        print(f"lr {rate}: w {result['weight']:.4f} b {result['bias']:.4f}")
    for name, result in l1_and_mse().items():
        print(f"{name}: test loss {[round(v, 4) for v in result['test_loss']]}")
    print(both_models())
    print(without_tanh())
    return 0


if __name__ == "__main__":
    sys.exit(main())
