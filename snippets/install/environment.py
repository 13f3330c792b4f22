"""Check the installation / Kurulumu denetlemek.

Prints what a working PyTorch set-up needs to know: the Python, torch and
torchvision versions, which CUDA version torch was built for, whether a GPU is
usable, and the device the code will run on (CUDA, then Apple's MPS, then the
CPU). Needs only torch and torchvision.

    python -m snippets.install.environment
"""

from __future__ import annotations

import platform
import sys

import torch
import torchvision


# --8<-- [start:report]
def environment_report() -> dict[str, str]:
    """Versions and devices of this machine, as strings ready to print."""
    report = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "torch built for CUDA": torch.version.cuda or "no (CPU-only build)",
        "CUDA available": str(torch.cuda.is_available()),
        "MPS available": str(torch.backends.mps.is_available()),
    }
    if torch.cuda.is_available():
        report["GPU"] = torch.cuda.get_device_name(0)
        report["GPU count"] = str(torch.cuda.device_count())
    return report


# --8<-- [end:report]


# --8<-- [start:pick_device]
def pick_device() -> torch.device:
    """CUDA if there is an NVIDIA GPU, else Apple's MPS, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


# --8<-- [end:pick_device]


# --8<-- [start:smoke_test]
def smoke_test(device: torch.device) -> float:
    """A small matrix product on ``device``, compared with the CPU: the largest
    difference."""
    torch.manual_seed(0)
    a, b = torch.randn(256, 256), torch.randn(256, 256)
    on_device = (a.to(device) @ b.to(device)).cpu()
    return (on_device - a @ b).abs().max().item()


# --8<-- [end:smoke_test]


def main() -> None:
    """Print the report, the chosen device and the smoke test."""
    for key, value in environment_report().items():
        print(f"{key:>22}: {value}")
    device = pick_device()
    print(f"{'device':>22}: {device}")
    print(f"{'max |device - cpu|':>22}: {smoke_test(device):.1e}")


if __name__ == "__main__":
    sys.exit(main())
