"""snippets/diffusion/ddpm.py: the pieces by arithmetic, training and sampling by their results.

On the CPU the full training runs are the generator's (generated/diffusion/, proven current by the
manifest; the claims are checked on the committed outputs and on a fresh run under other numeric
settings); on ``--device cuda`` they are trained here on the GPU. Either way the same thresholds apply.
"""

from __future__ import annotations

import math

import pytest
import torch

from snippets.diffusion import ddpm
from tests.conftest import cli_error

MAX_MOONS_CHAMFER = 0.10  # stated on the page; pure noise scores about 0.34
MIN_GUIDED_ACCURACY = 0.9  # the judge must read at least this share of w = 3 samples as the digit asked for


def small_model(num_classes: int | None = 10) -> ddpm.Denoiser:
    torch.manual_seed(0)
    return ddpm.Denoiser(4, hidden=16, depth=1, num_classes=num_classes).eval()


def test_timestep_embedding_shape_and_distinct():
    e = ddpm.timestep_embedding(torch.tensor([0, 1, 500]), 64)
    assert e.shape == (3, 64) and not torch.allclose(e[1], e[2])


def test_denoiser_shapes_and_null_label():
    model = small_model()
    x, t = torch.randn(5, 4), torch.randint(1000, (5,))
    assert model(x, t, torch.arange(5)).shape == (5, 4)
    assert torch.equal(model(x, t), model(x, t, torch.full((5,), 10)))  # no label = label "10"


def test_guidance_formula():
    model = small_model()
    x, t, y = torch.randn(3, 4), torch.tensor([5, 50, 500]), torch.tensor([1, 2, 3])
    with torch.no_grad():
        c, u = model(x, t, y), model(x, t)
        assert torch.allclose(ddpm.predict_noise(model, x, t, y, 0.0), u)
        assert torch.equal(ddpm.predict_noise(model, x, t, y, 1.0), c)
        assert torch.allclose(ddpm.predict_noise(model, x, t, y, 3.0), u + 3 * (c - u), atol=1e-6)


def test_x0_estimate_inverts_the_closed_form():
    schedule = ddpm.linear_schedule()
    x0, eps = torch.randn(6, 2), torch.randn(6, 2)
    a = schedule.alpha_bars[300].item()
    x_t = math.sqrt(a) * x0 + math.sqrt(1 - a) * eps
    estimate, same_eps = ddpm.estimate_x0(x_t, eps, a, clip=None)
    assert torch.allclose(estimate, x0, atol=1e-5) and torch.equal(same_eps, eps)


def test_samplers_are_deterministic_at_a_fixed_seed(device):
    model = small_model().to(device)
    schedule = ddpm.linear_schedule(50)
    labels = torch.arange(4).to(device)
    first, kept = ddpm.ddpm_sample(model, schedule, 4, 4, labels, 2.0, seed=3, keep=(50, 10, 0))
    again, _ = ddpm.ddpm_sample(model, schedule, 4, 4, labels, 2.0, seed=3)
    assert torch.equal(first, again) and set(kept) == {50, 10, 0}
    assert not torch.equal(first, ddpm.ddpm_sample(model, schedule, 4, 4, labels, 2.0, seed=4)[0])
    ddim = ddpm.ddim_sample(model, schedule, 4, 4, 10, labels, 2.0, seed=3, clip=1.0)
    assert torch.equal(ddim, ddpm.ddim_sample(model, schedule, 4, 4, 10, labels, 2.0, seed=3, clip=1.0))
    assert ddim.abs().max() <= 1.0


def test_short_training_lowers_the_loss(device):
    _, _, losses = ddpm.train(ddpm.moons(), ddpm.TrainConfig(steps=500), device=device, log=lambda _: None)
    assert losses[-1] < 0.8 * losses[0]


def test_chamfer_distance_is_zero_on_identical_sets_and_grows_with_noise():
    points = ddpm.moons(500)
    assert ddpm.chamfer_distance(points, points) == 0
    assert ddpm.chamfer_distance(points + 0.5, points) > ddpm.chamfer_distance(points + 0.1, points)


@pytest.fixture(scope="module")
def results(device, outputs):
    """The page's figures: the generator's on the CPU (committed and fresh), trained here on a GPU."""
    if device.type == "cpu":
        return outputs.json("diffusion/ddpm.summary")
    points = ddpm.moons()
    model, schedule, moons_losses = ddpm.train(points, ddpm.TrainConfig(), device=device, log=lambda _: None)
    noise = torch.randn(1000, 2, generator=torch.Generator().manual_seed(1))
    chamfer = {"ddpm": ddpm.chamfer_distance(ddpm.ddpm_sample(model, schedule, 1000, 2)[0], points),
               "noise": ddpm.chamfer_distance(noise, points)}
    images, labels = ddpm.digits()
    model, schedule, losses = ddpm.train(images, ddpm.DIGITS_CONFIG, labels, device, log=lambda _: None)
    judge, wanted = ddpm.digit_classifier(), torch.arange(10).repeat(10).to(device)
    guidance = {}
    for w in (0.0, 1.0, 3.0):
        samples, _ = ddpm.ddpm_sample(model, schedule, len(wanted), 64, wanted, w, seed=1, clip=1.0)
        guidance[f"{w:g}"] = {"accuracy": ddpm.class_accuracy(judge, samples, wanted.cpu())[0]}
    return {"moons": {"chamfer": chamfer, "first_loss": moons_losses[0], "final_loss": moons_losses[-1]},
            "digits": {"guidance": guidance, "first_loss": losses[0], "final_loss": losses[-1]}}


def test_losses_fall(results):
    assert results["moons"]["final_loss"] < 0.85 * results["moons"]["first_loss"]
    assert results["digits"]["final_loss"] < 0.5 * results["digits"]["first_loss"]


def test_moons_samples_lie_on_the_data_and_beat_noise(results):
    chamfer = results["moons"]["chamfer"]
    assert chamfer["ddpm"] < MAX_MOONS_CHAMFER
    assert chamfer["ddpm"] < chamfer["noise"] / 3


def test_guidance_raises_class_accuracy(results):
    accuracy = {w: v["accuracy"] for w, v in results["digits"]["guidance"].items()}
    assert accuracy["0"] < 0.3  # label ignored: about chance (10 %)
    assert accuracy["0"] < accuracy["1"] <= accuracy["3"]
    assert accuracy["3"] >= MIN_GUIDED_ACCURACY


def test_digit_samples_look_like_digits_not_noise(outputs):
    summary = outputs.json("diffusion/ddpm.summary")
    nearest = summary["digits"]["nearest_real"]
    assert nearest["1"] < nearest["noise"] / 2


@pytest.mark.parametrize("argv, message", [
    (["--ddim-steps", "0"], "--ddim-steps must be between 1 and 1000"),
    (["--steps", "5"], "--steps must be at least 100"),
    (["--guidance", "-1"], "--guidance must be 0 or more"),
    (["--data", "cifar"], "invalid choice"),
])
def test_cli_errors(argv, message, capsys):
    assert message in cli_error(ddpm.main, argv, capsys)


def test_fewer_ddim_steps_drift_further_from_the_moons(outputs):
    """The page says so: DDPM is closest, and DDIM gets worse as its steps go down."""
    summary = outputs.json("diffusion/ddpm.summary")
    chamfer = summary["moons"]["chamfer"]
    assert chamfer["ddpm"] < chamfer["ddim_100"] < chamfer["ddim_10"] < chamfer["noise"]


def test_mnist_shaped_data_through_the_same_training_loop():
    """The page's "with internet: MNIST" path, with torchvision's FakeData standing in (no download)."""
    from torchvision import datasets, transforms

    fake = datasets.FakeData(size=64, image_size=(1, 28, 28), num_classes=10, transform=transforms.ToTensor())
    images = torch.stack([fake[i][0] for i in range(len(fake))]).flatten(1) * 2 - 1  # (64, 784) in [−1, 1]
    labels = torch.tensor([fake[i][1] for i in range(len(fake))])
    model, schedule, losses = ddpm.train(images, ddpm.TrainConfig(steps=100, batch_size=16, hidden=32), labels,
                                         log=lambda _: None)
    samples, _ = ddpm.ddpm_sample(model, ddpm.linear_schedule(20), 4, 784, torch.arange(4), 2.0, clip=1.0)
    assert samples.shape == (4, 784) and len(losses) == 1
