"""generated/<chapter>/<module>.ipynb: the snippet's own code, and it runs."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import types
from pathlib import Path

import pytest

from tools.notebooks import split_module

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in (ROOT / "snippets").glob("*/*.py") if p.name != "__init__.py")


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_holds_exactly_the_module_code(module):
    notebook = ROOT / "generated" / module.parent.name / f"{module.stem}.ipynb"
    assert notebook.exists(), f"{notebook.relative_to(ROOT)} is missing: run `make generate`"
    _, code = split_module(module.read_text(encoding="utf-8"))
    assert code.rstrip("\n") in code_cells(notebook)
    assert "__main__" not in "".join(code_cells(notebook))  # Jupyter runs as __main__: no CLI on import


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_code_runs_and_defines_main(module):
    """Execute every cell but the final ``main(...)`` call (which may train for a minute)."""
    cells = code_cells(ROOT / "generated" / module.parent.name / f"{module.stem}.ipynb")
    kernel = types.ModuleType("notebook")  # stands in for the kernel's __main__
    sys.modules["notebook"] = kernel
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in cells[:-1]:
                exec(compile(cell, f"{module.stem}.ipynb", "exec"), kernel.__dict__)  # noqa: S102
    finally:
        del sys.modules["notebook"]
    assert cells[-1] in ("main([])", "main()") and callable(kernel.main)
