"""The snippet contract: every module under snippets/ still works when a reader copies it alone.

A module may import the standard library and the packages in requirements.txt, never another
snippet, ``tools`` or ``tests``. Copied into an empty folder, outside the repository, it imports
and its ``main`` runs (``--help`` for those that take arguments); with a ``--device`` flag, asking for
CUDA where there is none is one clear usage error. That its file name hides no
module the reader has (``types.py``, ``tokenizers.py``) is checked by ``tools/doctor.py``.
"""

from __future__ import annotations

import ast
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from tests.conftest import cli_error

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in (ROOT / "snippets").glob("*/*.py") if p.name != "__init__.py")


def requirement_modules() -> set[str]:
    """Import names of the packages requirements.txt lists (scikit-learn → sklearn), read from the
    installed distributions, so a package added there is allowed here without a second list."""
    import importlib.metadata
    import re

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    wanted = {normal(re.split(r"[=<>!~\[;\s]", line.strip())[0]) for line in lines
              if line.strip() and not line.lstrip().startswith("#")}
    return {module for module, dists in importlib.metadata.packages_distributions().items()
            if any(normal(dist) in wanted for dist in dists)}


ALLOWED = set(sys.stdlib_module_names) | requirement_modules()


def imported_packages(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." if node.level else node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_imports_only_the_standard_library_and_requirements(module):
    foreign = imported_packages(module) - ALLOWED - {"__future__"}
    assert not foreign, f"{module.relative_to(ROOT)} imports {sorted(foreign)}: a copied snippet could not run"


RUN_ALONE = """
import contextlib, importlib.util, inspect, io, json, sys
from pathlib import Path
report = {}
for path in sorted(Path(".").glob("*/*.py")):
    name = f"alone_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            spec.loader.exec_module(module)
            if inspect.signature(module.main).parameters:
                try:
                    module.main(["--help"])
                except SystemExit as stop:
                    assert stop.code == 0, f"--help exited with {stop.code}"
            else:
                module.main()
        report[path.as_posix()] = "ok" if printed.getvalue().strip() else "printed nothing"
    except BaseException as error:  # noqa: BLE001 (any failure is the finding)
        report[path.as_posix()] = f"{type(error).__name__}: {error}"
print(json.dumps(report))
"""


def test_each_module_runs_when_copied_alone(tmp_path):
    """One isolated interpreter (``-I``: neither the repository nor PYTHONPATH on sys.path)."""
    for module in MODULES:
        (tmp_path / module.parent.name).mkdir(exist_ok=True)
        shutil.copy(module, tmp_path / module.parent.name / module.name)
    env = {"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}  # one thread: tests/conftest.py
    result = subprocess.run([sys.executable, "-I", "-c", RUN_ALONE], cwd=tmp_path, capture_output=True, text=True,
                            env=env, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(report) == len(MODULES)
    failures = {path: outcome for path, outcome in report.items() if outcome != "ok"}
    assert not failures, failures


DEVICE_MODULES = [m for m in MODULES if '"--device"' in m.read_text(encoding="utf-8")]


@pytest.mark.parametrize("module", DEVICE_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_device_cuda_without_cuda_is_one_clear_error(module, monkeypatch, capsys):
    """Every snippet with a ``--device`` flag refuses CUDA it does not have: argparse's exit 2, one line."""
    main = importlib.import_module(f"snippets.{module.parent.name}.{module.stem}").main
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    last = cli_error(main, ["--device", "cuda"], capsys).splitlines()[-1]
    assert "error: CUDA was requested" in last and "use --device cpu" in last, last
