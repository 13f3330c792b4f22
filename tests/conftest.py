"""Shared pytest set-up: the ``--device`` option and the repository root."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
PROJECT_PARTS = ["mkdocs.yml", "mkdocs.en.yml", "config", "docs", "tools", "snippets", "generated"]
ZENSICAL_PYTHON = ROOT / ".venv-zensical" / "bin" / "python"  # `make zensical` (make test does it)
torch.set_num_threads(2)  # the generator's setting: CPU results then match the published ones bit for bit


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--device", default="cpu", choices=["cpu", "cuda"],
                     help="device the snippet tests run on (default: cpu)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--device") == "cuda" and not torch.cuda.is_available():
        # One clear line instead of every device test failing or skipping on its own.
        pytest.exit("--device cuda: torch.cuda.is_available() is False on this machine; "
                    "run on a machine with an NVIDIA GPU and a CUDA build of torch, or drop --device", returncode=4)


@pytest.fixture(scope="session")
def device(request: pytest.FixtureRequest) -> torch.device:
    """The device chosen with ``--device``."""
    return torch.device(request.config.getoption("--device"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_project(destination: Path, parts: list[str]) -> Path:
    """Copy top-level files and folders of the repository into ``destination``, for tests that break things."""
    for part in parts:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", ".*-*"))
        else:
            shutil.copy(source, destination / part)
    return destination


def cli_error(main, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a snippet's ``main(argv)``, require argparse's usage-error exit (2), return what it printed."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2, f"{argv} exited with {exit_info.value.code}, not a usage error"
    return capsys.readouterr().err


def published(name: str):
    """A generated JSON output, e.g. ``published("llm/tiny_gpt.summary")``."""
    import json

    return json.loads((ROOT / "generated" / f"{name}.json").read_text(encoding="utf-8"))


class LocalSite(NamedTuple):
    """A built site (both languages and the root page) and the local address it was built for."""

    path: Path
    address: str


def free_address() -> str:
    """An address on a free loopback port, for a local server to serve a built site at."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


def _with_root_page(site: Path) -> Path:
    shutil.copy(ROOT / "config" / "site-root.html", site / "index.html")
    return site


@pytest.fixture(scope="session")
def mkdocs_local_site(tmp_path_factory) -> LocalSite:
    """Both languages built by MkDocs (network blocked) for a local address, as they are published."""
    site, address = tmp_path_factory.mktemp("mkdocs-site"), free_address()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": address}
    for lang, config in CONFIGS.items():
        subprocess.run([sys.executable, "-m", "tools.offline", "mkdocs", "build", "--strict", "-f", config,
                        "-d", str(site / lang)], cwd=ROOT, env=env, check=True, capture_output=True)
    return LocalSite(_with_root_page(site), address)


@pytest.fixture(scope="session")
def zensical_local_site(tmp_path_factory) -> LocalSite:
    """The same, built by Zensical (tools/zensical_build.py) in a copy of the project, whose own
    cache therefore starts empty."""
    if not list(ROOT.glob(".venv-zensical/lib/python*/site-packages/zensical/__init__.py")):
        pytest.skip("Zensical is not installed: run `make zensical` (make test installs it)")
    project = copy_project(tmp_path_factory.mktemp("zensical-project"), PROJECT_PARTS)
    site, address = tmp_path_factory.mktemp("zensical-site"), free_address()
    env = {**os.environ, "SITE_URL": address}
    for lang in CONFIGS:
        result = subprocess.run([str(ZENSICAL_PYTHON), "-m", "tools.zensical_build", "--offline", lang,
                                 str(site / lang)], cwd=project, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return LocalSite(_with_root_page(site), address)
