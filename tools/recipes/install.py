"""Outputs of the chapter "Installation" (docs/*/install/index.md) and the versions on the home page."""

from __future__ import annotations

import platform

import torch
import torchvision

from snippets.install import environment, exercises
from tools.generate import Outputs
from tools.verify import Tol


def generate(out: Outputs) -> None:
    """The environment report of the build machine, the versions every output was made with, and the
    exercises' answer."""
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
    gaps = exercises.gaps()
    # Rounding differences: their size depends on the kernel's summation order (seen: 30 % between
    # two CPU code paths), so one significant digit is published and compared loosely.
    out.json("exercises.precision", {
        "float32": float(f"{gaps['float32']:.1e}"), "float64": float(f"{gaps['float64']:.1e}"),
        "ratio": float(f"{gaps['float32'] / gaps['float64']:.0e}"),
        "eps_ratio": float(f"{gaps['eps32'] / gaps['eps64']:.0e}"),
    }, tolerance={"float32": Tol(rel=0.6), "float64": Tol(rel=0.6), "ratio": Tol(rel=0.8)})
