"""Shared pytest set-up: the ``--device`` option and the repository root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from tools import processes

ROOT = Path(__file__).resolve().parents[1]
torch.set_num_threads(2)  # the generator's setting: CPU results then match the published ones bit for bit
RUN_MARK = processes.mark_run("pytest")  # every process the tests start carries it (tools/processes.py)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--device", default="cpu", choices=["cpu", "cuda"],
                     help="device the snippet tests run on (default: cpu)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--device") == "cuda" and not torch.cuda.is_available():
        # One clear line instead of every device test failing or skipping on its own.
        pytest.exit("--device cuda: torch.cuda.is_available() is False on this machine; "
                    "run on a machine with an NVIDIA GPU and a CUDA build of torch, or drop --device", returncode=4)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No process started by the tests (a build, a browser, a recipe, a server) outlives them:
    leftovers are killed, named, and fail the run."""
    found = processes.end_leftovers(RUN_MARK)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.ensure_newline()
        for pid, command in found.items():
            reporter.write_line(f"process {pid} outlived the tests and was killed: {command[:200]}")
        reporter.write_line("the test or fixture that started it must stop it (see tools/processes.py)")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
