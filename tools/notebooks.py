"""Turn a snippet module into a Jupyter notebook (for download and "Open in Colab").

The notebook holds the module's docstring as a Markdown cell, its code without the
``if __name__ == "__main__":`` block, and a last cell that calls ``main``. Cell ids are fixed so the
same module always gives the same bytes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

MAIN_GUARD = re.compile(r'\n+if __name__ == "__main__":\n(?:[ \t]+.*\n?)+\Z')
SECTION_MARKER = re.compile(r"^# --8<-- \[(?:start|end):[a-z][-_0-9a-z]*\]\n", re.M)


def split_module(source: str) -> tuple[str, str]:
    """(docstring, code without the docstring, the section markers and the main guard)."""
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree) or ""
    first = tree.body[0] if tree.body else None
    if docstring and isinstance(first, ast.Expr):
        source = "\n".join(source.splitlines()[first.end_lineno:]) + "\n"
    code = SECTION_MARKER.sub("", MAIN_GUARD.sub("\n", source)).strip() + "\n"
    return docstring, code


def main_call(code: str) -> str:
    """``main([])`` for a module whose ``main`` parses arguments, else ``main()``."""
    tree = ast.parse(code)
    main = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"), None)
    if main is None:
        return ""
    return "main([])" if main.args.args else "main()"


def module_to_notebook(path: Path, relative: str) -> str:
    """The notebook (JSON text) for the snippet module at ``path`` (shown as ``relative``)."""
    docstring, code = split_module(path.read_text(encoding="utf-8"))
    title, _, rest = docstring.partition("\n")
    cells = [
        new_markdown_cell(f"# {title}\n\n{rest.strip()}\n\n*Derin Defter · `{relative}`*"),
        new_code_cell("# Colab and most Jupyter set-ups already have these; otherwise uncomment:\n"
                      "# %pip install torch torchvision scikit-learn tqdm matplotlib"),
        new_code_cell(code.rstrip("\n")),
    ]
    if call := main_call(code):
        cells.append(new_code_cell(call))
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
