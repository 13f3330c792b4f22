"""snippets/cnn/layers.py: each layer demo does what the page says."""

from __future__ import annotations

import pytest
import torch

from snippets.cnn import layers


@pytest.mark.parametrize(("size", "kernel", "padding", "stride", "expected"),
                         [(48, 3, 1, 1, 48), (48, 3, 0, 1, 46), (48, 2, 0, 2, 24), (7, 3, 1, 2, 4)])
def test_conv_output_size_formula(size, kernel, padding, stride, expected):
    assert layers.conv_output_size(size, kernel, padding, stride) == expected


def test_formula_matches_real_conv_on_every_row():
    rows = layers.conv_size_table()
    assert rows and all(row["formula"] == row["measured"] for row in rows)


def test_pooling_keeps_block_maxima(capsys):
    layers.show_pooling()
    printed = capsys.readouterr().out
    assert "[[4., 5.]," in printed and "[6., 7.]]" in printed


def test_dropout_scales_and_switches_off_in_eval():
    result = layers.show_dropout(p=0.5, size=20_000)
    assert abs(result["zeroed_fraction_train"] - 0.5) < 0.02
    assert result["kept_value_train"] == pytest.approx(2.0)
    assert result["zeroed_fraction_eval"] == 0.0


def test_layout_demo_prints_channels_first(capsys):
    layers.show_layout()
    assert "(8, 3, 48, 48) = (N, C, H, W)" in capsys.readouterr().out


def test_flatten_size(capsys):
    layers.show_relu_and_flatten()
    assert f"-> (8, {128 * 12 * 12})" in capsys.readouterr().out
    assert torch.relu(torch.tensor([-1.0, 2.0])).tolist() == [0.0, 2.0]


def test_conv1d_2d_3d_shapes_follow_the_formula_on_every_axis():
    rows = layers.conv_dimensions()
    assert [r["layer"] for r in rows] == ["Conv1d", "Conv2d", "Conv3d"]
    for row in rows:
        n, _, *sides = row["input"]
        out_channels, in_channels, *kernel = row["weight"]
        assert row["input"][1] == in_channels  # channels right after the batch axis
        assert len(sides) == len(kernel) == row["layout"].count(",") - 1
        assert row["output"] == (n, out_channels, *(layers.conv_output_size(s, 3) for s in sides))
        assert row["params"] == out_channels * (in_channels * 3 ** len(kernel) + 1)
