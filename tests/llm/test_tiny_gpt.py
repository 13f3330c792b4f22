"""snippets/llm/tiny_gpt.py: parameter formula, training brings the loss down, sampling is reproducible."""

from __future__ import annotations

import math

import pytest
import torch

from snippets.llm import tiny_gpt as gpt
from tests.conftest import cli_error

CONFIG = gpt.Config()
MAX_FINAL_TRAIN_LOSS = 1.8  # stated on the page; a uniform guess over ~55 characters scores ln 55 ≈ 4.0
MAX_BEST_HELD_OUT_LOSS = 2.6


def expected_parameters(vocab: int, config: gpt.Config) -> int:
    c = config.n_embd
    block = 2 * 2 * c + (3 * c * c + 3 * c) + (c * c + c) + (4 * c * c + 4 * c) + (4 * c * c + c)
    return vocab * c + config.block_size * c + config.n_layer * block + 2 * c + (c * vocab + vocab)


def test_parameter_count_by_formula():
    vocab = len(set(gpt.CORPUS))
    assert sum(p.numel() for p in gpt.TinyGPT(vocab, CONFIG).parameters()) == expected_parameters(vocab, CONFIG)


@pytest.mark.parametrize("vocab, block, layers, width", [(55, 64, 2, 64), (300, 128, 3, 96), (7, 16, 1, 32)])
def test_snippet_formula_equals_module(vocab, block, layers, width):
    config = gpt.Config(block_size=block, n_layer=layers, n_embd=width)
    model = gpt.TinyGPT(vocab, config)
    assert gpt.parameter_count(vocab, block, layers, width) == sum(p.numel() for p in model.parameters())
    tied = sum(p.numel() for p in model.parameters()) - sum(p.numel() for p in model.head.parameters())
    assert gpt.parameter_count(vocab, block, layers, width, tied_head=True) == tied


def test_gpt2_small_size_matches_its_published_count():
    # GPT-2 small as released (Hugging Face's "gpt2" checkpoint) has 124,439,808 parameters.
    assert gpt.parameter_count(50257, 1024, 12, 768, tied_head=True) == 124_439_808


def test_attention_is_causal():
    """Changing a later character never changes the logits at earlier positions."""
    torch.manual_seed(0)
    model = gpt.TinyGPT(10, CONFIG).eval()
    ids = torch.randint(10, (1, 12))
    changed = ids.clone()
    changed[0, -1] = (ids[0, -1] + 1) % 10
    with torch.no_grad():
        assert torch.allclose(model(ids)[0][0, :-1], model(changed)[0][0, :-1], atol=1e-6)


def test_batches_are_next_character_shifts():
    data = torch.arange(100)
    x, y = gpt.get_batch(data, CONFIG, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (CONFIG.batch_size, CONFIG.block_size)
    assert torch.equal(y[:, :-1], x[:, 1:])


def test_unknown_character_is_named():
    stoi, _ = gpt.build_vocabulary("abc")
    with pytest.raises(ValueError, match=r"\['x'\]"):
        gpt.encode("abx", stoi)


@pytest.fixture(scope="module")
def short_run(device):
    """A 60-step run on the selected device: enough to test training and sampling mechanics."""
    return gpt.train(gpt.CORPUS, gpt.Config(steps=60, eval_every=30), device, log=lambda _: None)


def test_short_run_lowers_the_loss(short_run):
    _, _, itos, history = short_run
    assert history.train_loss[0] > 0.9 * math.log(len(itos))  # starts near a uniform guess
    assert history.train_loss[-1] < 0.8 * history.train_loss[0]


def test_samples_are_deterministic_at_a_fixed_seed(short_run):
    model, stoi, itos, _ = short_run
    first = gpt.generate(model, "Bu ", stoi, itos, length=80, seed=3)
    assert first == gpt.generate(model, "Bu ", stoi, itos, length=80, seed=3)
    assert first != gpt.generate(model, "Bu ", stoi, itos, length=80, seed=4)
    assert first.startswith("Bu ") and len(first) == 83


@pytest.fixture(scope="module")
def full_run(device, outputs):
    """The page's run: on the CPU the generator's figures (committed, and re-generated under other numeric
    settings: the claims are checked on both), trained here on a GPU."""
    if device.type == "cpu":
        return outputs.json("llm/tiny_gpt.summary")
    _, _, _, history = gpt.train(gpt.CORPUS, CONFIG, device, log=lambda _: None)
    return {"final_train_loss": history.train_loss[-1], "best_val_loss": min(history.val_loss)}


def test_loss_falls_below_stated_values(full_run):
    assert full_run["final_train_loss"] < MAX_FINAL_TRAIN_LOSS
    assert full_run["best_val_loss"] < MAX_BEST_HELD_OUT_LOSS


def test_published_samples_start_with_their_prompts(root):
    published = (root / "generated/llm/tiny_gpt.samples.txt").read_text(encoding="utf-8")
    blocks = published.split("--- prompt ")[1:]
    assert len(blocks) == 4
    for block in blocks:
        prompt = block.split("'")[1]
        assert block.split("\n", 1)[1].startswith(prompt)


@pytest.mark.parametrize("argv, message", [
    (["--temperature", "0"], "--temperature must be positive"),
    (["--steps", "0"], "--steps must be at least 1"),
    (["--text", "no/such/file.txt"], "no such file"),
])
def test_cli_errors(argv, message, capsys):
    assert message in cli_error(gpt.main, argv, capsys)


def test_cli_trains_on_a_given_text(tmp_path, capsys):
    text = tmp_path / "metin.txt"
    text.write_text("ağaç ve çiçek. " * 80, encoding="utf-8")
    assert gpt.main(["--text", str(text), "--steps", "2", "--device", "cpu", "--prompt", "ağ"]) == 0
    assert "ağ" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        gpt.main(["--text", str(text), "--steps", "1", "--device", "cpu", "--prompt", "xyz"])
    assert "--prompt: characters not in the vocabulary" in capsys.readouterr().err


def test_cli_refuses_a_text_too_short_to_hold_out(tmp_path, capsys):
    text = tmp_path / "kisa.txt"
    text.write_text("çok kısa bir metin", encoding="utf-8")
    with pytest.raises(SystemExit):
        gpt.main(["--text", str(text), "--device", "cpu"])
    assert "the text is too short" in capsys.readouterr().err


def test_published_curve_shows_what_the_page_says(outputs):
    """The page says the held-out loss bottoms out before the last step and rises again (memorising)."""
    summary = outputs.json("llm/tiny_gpt.summary")
    assert summary["best_val_step"] < summary["steps"]
    assert summary["final_val_loss"] > summary["best_val_loss"]
    assert summary["final_train_loss"] < summary["best_val_loss"]
