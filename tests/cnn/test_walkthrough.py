"""snippets/cnn/walkthrough.py: architecture facts from arithmetic, training facts from a real run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch
from torch.utils.data import DataLoader

from snippets.cnn import walkthrough as wt

CONFIG = wt.Config()
MIN_TEST_ACCURACY = 0.95  # stated on the page as what the network reaches on held-out digits
CUDA_TOLERANCE = 0.03  # trained metrics on a GPU may differ from the CPU's by this much


def conv_params(cin: int, cout: int, k: int = 3) -> int:
    return (k * k * cin + 1) * cout


def linear_params(fan_in: int, fan_out: int) -> int:
    return (fan_in + 1) * fan_out


EXPECTED = {  # (output shape without batch, parameters), from the arithmetic alone
    "features.0": ((32, 48, 48), conv_params(3, 32)),
    "features.1": ((32, 48, 48), 0),
    "features.2": ((64, 48, 48), conv_params(32, 64)),
    "features.3": ((64, 48, 48), 0),
    "features.4": ((64, 24, 24), 0),
    "features.5": ((128, 24, 24), conv_params(64, 128)),
    "features.6": ((128, 24, 24), 0),
    "features.7": ((128, 12, 12), 0),
    "classifier.0": ((128 * 12 * 12,), 0),
    "classifier.1": ((128 * 12 * 12,), 0),
    "classifier.2": ((512,), linear_params(128 * 12 * 12, 512)),
    "classifier.3": ((512,), 0),
    "classifier.4": ((512,), 0),
    "classifier.5": ((10,), linear_params(512, 10)),
}


def test_layer_table_matches_arithmetic():
    rows = wt.layer_table(wt.WalkthroughCNN(), 48)
    assert {r.name: (r.output_shape[1:], r.params) for r in rows} == EXPECTED


def test_total_equals_module_count_and_formula():
    model = wt.WalkthroughCNN()
    total = sum(p.numel() for p in model.parameters())
    assert total == sum(params for _, params in EXPECTED.values())
    assert total == sum(r.params for r in wt.layer_table(model))


def test_forward_shape_on_device(device):
    model = wt.WalkthroughCNN().to(device).eval()
    assert model(torch.zeros(5, 3, 48, 48, device=device)).shape == (5, 10)


def test_generated_model_facts_match_code(root):
    """The numbers the page prints about the architecture are the code's."""
    generated = json.loads((root / "generated/cnn/walkthrough.model.json").read_text(encoding="utf-8"))
    assert generated["total_params"] == sum(p.numel() for p in wt.WalkthroughCNN().parameters())
    assert generated["layers"]["classifier.2"]["total"] == linear_params(18432, 512)
    assert generated["notes_fc1_params"] == linear_params(64 * 24 * 24, 512)


def test_data_split_is_stratified_and_disjoint():
    train, test = wt.load_digit_images(CONFIG)
    assert train.tensors[0].shape[1:] == (3, 48, 48)
    assert len(train) + len(test) == 1797
    assert torch.bincount(test.tensors[1]).min() >= 35  # every digit held out in proportion


@pytest.fixture(scope="module")
def short_run(device):
    """One epoch on the selected device: enough for the mechanics (accuracy well above chance, save/load)."""
    return wt.fit(wt.Config(epochs=1), device, progress=False, log=lambda _: None)


def test_one_epoch_already_learns(short_run, device):
    model, history, test_set = short_run
    _, accuracy, _ = wt.evaluate(model, DataLoader(test_set, batch_size=256), device)
    assert accuracy > 0.5  # chance is 0.1


def test_saved_and_reloaded_model_predicts_the_same(short_run, device, tmp_path):
    model, _, test_set = short_run
    loader = DataLoader(test_set, batch_size=256)
    _, _, before = wt.evaluate(model, loader, device)
    restored = wt.save_and_reload(model, tmp_path / "cnn.pt", CONFIG).to(device)
    _, _, after = wt.evaluate(restored, loader, device)
    assert torch.equal(before, after)


@pytest.fixture(scope="module")
def full_run(device, outputs):
    """The page's run: on the CPU the generator's figures, committed and re-generated under other numeric
    settings (the ``outputs`` fixture, so each claim below is checked on both); trained here on a GPU."""
    published = outputs.json("cnn/walkthrough.metrics")
    if device.type == "cpu":
        return published
    model, history, test_set = wt.fit(CONFIG, device, progress=False, log=lambda _: None)
    _, accuracy, _ = wt.evaluate(model, DataLoader(test_set, batch_size=256), device)
    assert accuracy == pytest.approx(published["final_test_accuracy"], abs=CUDA_TOLERANCE)
    return {"first_train_loss": history.train_loss[0], "final_train_loss": history.train_loss[-1],
            "final_test_accuracy": accuracy, "reload_identical": True}


def test_loss_decreases(full_run):
    assert full_run["final_train_loss"] < full_run["first_train_loss"] / 3


def test_accuracy_on_held_out_data(full_run):
    assert full_run["final_test_accuracy"] >= MIN_TEST_ACCURACY
    assert full_run["reload_identical"]


def test_pick_device_refuses_missing_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="--device cpu"):
        wt.pick_device("cuda")
    assert wt.pick_device("cpu") == torch.device("cpu")


def test_pick_device_auto_prefers_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert wt.pick_device("auto") == torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert wt.pick_device("auto") == torch.device("cpu")


@pytest.mark.parametrize("argv", [["--epoch", "x"], ["--epochs", "0"], ["--device", "tpu"]])
def test_cli_rejects_bad_flags_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        wt.main(argv)
    assert exit_info.value.code == 2 and "usage:" in capsys.readouterr().err


def test_module_runs_as_a_script(root):
    """``python -m snippets.cnn.walkthrough --help`` works: the module is importable and has a CLI."""
    result = subprocess.run([sys.executable, "-m", "snippets.cnn.walkthrough", "--help"],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 0 and "--device" in result.stdout


def test_receptive_fields_match_a_gradient_through_a_linear_copy():
    """With max pooling → average pooling and no ReLU, the input pixels that reach a centre
    unit are exactly its receptive field; the formula must give the same width."""
    model = wt.WalkthroughCNN()
    fields = wt.receptive_fields(model)
    linear = torch.nn.Sequential(*[
        torch.nn.AvgPool2d(2, 2) if isinstance(m, torch.nn.MaxPool2d)
        else torch.nn.Identity() if isinstance(m, torch.nn.ReLU) else m
        for m in model.features])
    for index in (0, 2, 5, 7):
        x = torch.randn(1, 3, 48, 48, requires_grad=True)
        out = linear[:index + 1](x)
        centre = out.shape[-1] // 2
        out[0, :, centre, centre].sum().backward()
        rows = x.grad.abs().sum(dim=(0, 1, 3)).nonzero()
        assert rows.max().item() - rows.min().item() + 1 == fields[f"features.{index}"]
    assert fields["features.1"] < fields["features.3"] < fields["features.6"]


def test_feature_maps_are_the_relu_outputs(device):
    model = wt.WalkthroughCNN().to(device).eval()
    image = torch.randn(3, 48, 48, device=device)
    maps = wt.feature_maps(model, image)
    assert {n: tuple(m.shape) for n, m in maps.items()} == {
        n: EXPECTED[n][0] for n in ("features.1", "features.3", "features.6")}
    assert all(m.min() >= 0 for m in maps.values())
    with torch.no_grad():
        assert torch.allclose(maps["features.6"], model.features[:7](image[None])[0].cpu())
    assert tuple(wt.first_layer_filters(model).shape) == (32, 3, 3, 3)


def test_published_inside_facts_match_the_architecture(root):
    inside = json.loads((root / "generated/cnn/walkthrough.inside.json").read_text(encoding="utf-8"))
    assert inside["filter_shape"] == [32, 3, 3, 3]
    fields = wt.receptive_fields(wt.WalkthroughCNN())
    assert {n: (tuple(m["shape"]), m["field"]) for n, m in inside["maps"].items()} == {
        n: (EXPECTED[n][0], fields[n]) for n in ("features.1", "features.3", "features.6")}


def test_published_maps_get_sparser_with_depth(root):
    """The page says deeper maps respond in fewer places; the published run must show it."""
    inside = json.loads((root / "generated/cnn/walkthrough.inside.json").read_text(encoding="utf-8"))
    active = [inside["maps"][n]["active"] for n in ("features.1", "features.3", "features.6")]
    assert active[0] > active[1] > active[2] > 0
