"""Time the pipeline on this machine: regenerate, `make test`, the build, a no-change run, one edit.

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


def one_chapter_edit(chapter: str = "tensors") -> None:
    """Edit one snippet of ``chapter`` (a trailing comment), regenerate, and show that only it re-ran."""
    module = next(p for p in sorted((ROOT / "snippets" / chapter).glob("*.py")) if p.name != "__init__.py")
    original = module.read_bytes()
    try:
        module.write_bytes(original + b"# bench edit\n")
        start = time.perf_counter()
        result = subprocess.run([PY, "-m", "tools.generate"], cwd=ROOT, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
        rerun = [line.split(":")[0] for line in result.stdout.splitlines() if line.endswith("generated")]
        print(f"{'after editing ' + module.relative_to(ROOT).as_posix():<44} {seconds:7.1f} s  (re-ran: {rerun})")
    finally:
        module.write_bytes(original)
        subprocess.run([PY, "-m", "tools.generate", chapter], cwd=ROOT, capture_output=True, check=True)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def recipe_seconds() -> float:
    """The recipes' own compute: the run times the generator recorded in every manifest."""
    import json

    return sum(json.loads(m.read_text(encoding="utf-8")).get("seconds", 0.0)
               for m in (ROOT / "generated").glob("*/manifest.json"))


def main() -> int:
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    pytest = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    regenerate = timed("regenerate every chapter (--force)", [[PY, "-m", "tools.generate", "--force"]])
    compute = recipe_seconds()
    print(f"{'  of which the recipes themselves':<44} {compute:7.1f} s")
    # What `make test` costs on a fresh clone: every check, the regeneration of every chapter under
    # the other numeric settings included (budget: 8 minutes on the 2-core build machine).
    test = timed("make test (every check, budget 480 s)", [pytest])
    build = timed("mkdocs build, both languages", BUILD)
    total = regenerate + test + build
    print(f"{'pipeline: regenerate + make test + build':<44} {total:7.1f} s  "
          f"(overhead {total / compute:.1f}× the recipes' own {compute:.0f} s)")
    timed("regenerate with no change", [[PY, "-m", "tools.generate"]])
    timed("no-change rebuild: regenerate + build", [[PY, "-m", "tools.generate"], *BUILD])
    one_chapter_edit()
    for lang in ("tr", "en"):
        print(f"site/{lang}/ size{'':<34} {folder_size(ROOT / 'site' / lang) / 1e6:7.2f} MB")
    print("page weights (HTML + its images; shared theme assets not counted):")
    weights = {page: page_weight(page) for page in (ROOT / "site").glob("*/**/index.html")}
    for page, weight in sorted(weights.items(), key=lambda item: -item[1]):
        print(f"  {page.relative_to(ROOT / 'site').as_posix():<42} {weight / 1e3:7.0f} KB")
    return 0


def page_weight(page: Path) -> int:
    """The HTML plus the images it shows (theme assets, shared by every page, not counted)."""
    html = page.read_text(encoding="utf-8")
    images = {(page.parent / src).resolve() for src in re.findall(r'<img[^>]+src="([^"]+)"', html)}
    return page.stat().st_size + sum(image.stat().st_size for image in images if image.exists())


if __name__ == "__main__":
    sys.exit(main())
