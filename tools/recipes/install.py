"""Outputs of the chapter "Installation" (docs/*/install/index.md) and the versions on the home page."""

from __future__ import annotations

import platform

import torch
import torchvision

from snippets.install import environment
from tools.generate import Outputs


def generate(out: Outputs) -> None:
    """The environment report of the build machine and the versions every output was made with."""
    out.capture("environment.report", environment.main)
    cuda = torch.version.cuda  # e.g. "13.0" for the pinned build
    out.json("environment.versions", {
        "python": platform.python_version(),
        "python_minor": ".".join(platform.python_version_tuple()[:2]),
        "torch": torch.__version__.split("+")[0],
        "torchvision": torchvision.__version__.split("+")[0],
        "torch_full": torch.__version__,
        "cuda": cuda or "",
        "cuda_tag": "cu" + cuda.replace(".", "") if cuda else "cpu",  # the wheel index folder
        "device": str(environment.pick_device()),
    })
