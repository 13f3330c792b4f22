"""snippets/install/environment.py and the install commands on the pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch

from snippets.install import environment

ROOT = Path(__file__).resolve().parents[2]
PINS = dict(re.findall(r"^(torch|torchvision)==(\S+)", (ROOT / "requirements.txt").read_text(), re.M))
VERSIONS = json.loads((ROOT / "generated/install/environment.versions.json").read_text(encoding="utf-8"))


def test_report_names_versions_and_devices():
    report = environment.environment_report()
    assert report["torch"] == torch.__version__
    assert report["CUDA available"] == str(torch.cuda.is_available())


def test_pick_device_order(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert environment.pick_device() == torch.device("cpu")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert environment.pick_device() == torch.device("mps")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert environment.pick_device() == torch.device("cuda")


def test_smoke_test_on_device(device):
    tolerance = 0 if device.type == "cpu" else 1e-2  # GPUs add in another order (TF32 included)
    assert environment.smoke_test(device) <= tolerance


def test_generated_versions_are_the_pinned_ones():
    assert (VERSIONS["torch"], VERSIONS["torchvision"]) == (PINS["torch"], PINS["torchvision"])
    assert VERSIONS["cuda_tag"] == "cu" + (torch.version.cuda or "").replace(".", "") or VERSIONS["cuda_tag"] == "cpu"


def rendered_commands(lang: str) -> list[str]:
    """The install commands of a page, with the generated versions filled in as the site shows them."""
    text = (ROOT / "docs" / lang / "install" / "index.md").read_text(encoding="utf-8")
    text = re.sub(r"\{\{ v\.(\w+) \}\}", lambda m: str(VERSIONS[m.group(1)]), text)
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()
            if re.match(r"\s*(pip|pip3|conda|python -m pip) ", line)]


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_install_commands_are_real_and_pinned(lang):
    commands = rendered_commands(lang)
    assert len([c for c in commands if c.startswith("pip install torch")]) == 5
    for command in commands:
        assert "{{" not in command and "wh1" not in command
        for name, version in re.findall(r"\b(torch|torchvision)==(\S+)", command):
            assert version == PINS[name], command
        for url in re.findall(r"--index-url (\S+)", command):
            assert re.fullmatch(r"https://download\.pytorch\.org/whl/(cpu|cu\d{3})", url), command
            assert url.rsplit("/", 1)[1] in ("cpu", VERSIONS["cuda_tag"]), command
        assert "-c pytorch" not in command  # PyTorch's own conda channel gets no new releases
