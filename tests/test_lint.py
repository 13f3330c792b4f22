"""ruff on the code: snippets are what readers copy, so they stay clean."""

from __future__ import annotations

import subprocess
import sys


def test_ruff_check(root):
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "snippets", "tools", "tests"],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
