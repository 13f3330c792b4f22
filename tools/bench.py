"""Time the pipeline on this machine: full regenerate + verify + build, a no-change run, the build alone.

    python -m tools.bench            # or: make bench

Prints one line per step and the size of the built site. Nothing is asserted: the figures go
into the README's contributor section and into reviews of changes that make the pipeline slower.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BUILD = [[PY, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml"],
         [PY, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.en.yml"]]


def timed(label: str, commands: list[list[str]]) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
        if result.returncode != 0:
            sys.exit(f"bench: `{' '.join(command[1:])}` failed with exit {result.returncode}; run it alone to see why")
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.1f} s", flush=True)
    return seconds


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    timed("full: regenerate (--force) + pytest + build", [[PY, "-m", "tools.generate", "--force"],
                                                         [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                                                         *BUILD])
    timed("regenerate with no change", [[PY, "-m", "tools.generate"]])
    timed("no-change rebuild: regenerate + build", [[PY, "-m", "tools.generate"], *BUILD])
    timed("mkdocs build, both languages", BUILD)
    for lang in ("tr", "en"):
        print(f"site/{lang}/ size{'':<34} {folder_size(ROOT / 'site' / lang) / 1e6:7.2f} MB")
    weights = {page: page_weight(page) for page in (ROOT / "site").glob("*/**/index.html")}
    heaviest = max(weights, key=weights.get)
    print(f"heaviest page with its images: {heaviest.relative_to(ROOT)} {weights[heaviest] / 1e3:7.0f} KB")
    return 0


def page_weight(page: Path) -> int:
    """The HTML plus the images it shows (theme assets, shared by every page, not counted)."""
    html = page.read_text(encoding="utf-8")
    images = {(page.parent / src).resolve() for src in re.findall(r'<img[^>]+src="([^"]+)"', html)}
    return page.stat().st_size + sum(image.stat().st_size for image in images if image.exists())


if __name__ == "__main__":
    sys.exit(main())
