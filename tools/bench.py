"""Time the pipeline on this machine: regenerate, `make test`, the build, a no-change run, one edit.

    python -m tools.bench            # or: make bench
    python -m tools.bench --builds   # only MkDocs against Zensical (about two minutes)

Prints one line per step and the size of the built site. Nothing is asserted: the figures go
into the README's contributor section and into reviews of changes that make the pipeline slower.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
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


ZENSICAL = ROOT / ".venv-zensical" / "bin" / "python"
PROJECT = ["mkdocs.yml", "mkdocs.en.yml", "config", "docs", "tools", "snippets", "generated"]
EDITED = "docs/tr/tensors/index.md"


def _builds(builder: str, project: Path) -> list[list[str]]:
    """The commands that build both languages into ``project/site`` with ``builder``."""
    if builder == "zensical":
        return [[str(ZENSICAL), "-m", "tools.zensical_build", lang, f"site/{lang}"] for lang in ("tr", "en")]
    return [[PY, "-m", "mkdocs", "build", "--strict", "-q", "-f", config, "-d", f"site/{lang}"]
            for lang, config in (("tr", "mkdocs.yml"), ("en", "mkdocs.en.yml"))]


def _cpu_seconds() -> float:
    """CPU time used by finished child processes: less sensitive to a busy machine than the clock."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed_in(project: Path, label: str, commands: list[list[str]]) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    start, cpu = time.perf_counter(), _cpu_seconds()
    for command in commands:
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"bench: `{' '.join(command[1:])}` failed with exit {result.returncode}:\n{result.stderr[-2000:]}")
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.1f} s  (CPU {_cpu_seconds() - cpu:.1f} s)", flush=True)
    return seconds


def _edit(project: Path) -> None:
    """Change one page (a sentence at its end), as a writer does."""
    page = project / EDITED
    page.write_text(page.read_text(encoding="utf-8") + "\nBench edit.\n", encoding="utf-8")


def compare_builders() -> dict[str, float]:
    """MkDocs (published) against Zensical, each in a fresh copy of the project: both languages built
    once, again with no change, again after editing one page; then the Turkish build alone, as
    while writing (Zensical keeps one cache per project folder, so building the other language
    empties it); and the heaviest page with its images. Returns the figures by label."""
    figures: dict[str, float] = {}
    builders = ["mkdocs"] + (["zensical"] if ZENSICAL.exists() else [])
    if not ZENSICAL.exists():
        print("zensical: not installed (make zensical); MkDocs only")
    for builder in builders:
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            for part in PROJECT:
                copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
                copy(ROOT / part, project / part)
            both = _builds(builder, project)
            steps = [("first", "both languages", both, False), ("again", "both, no change", both, False),
                     ("edit", "both, one page edited", both, True), (None, "", both[:1], False),
                     ("tr again", "Turkish alone, no change", both[:1], False),
                     ("tr edit", "Turkish alone, one page edited", both[:1], True)]
            for key, label, commands, edit in steps:
                if edit:
                    _edit(project)
                if key is None:  # a Turkish build right after, as the cache's starting point
                    _timed_in(project, f"{builder}: Turkish alone (warm-up)", commands)
                    continue
                figures[f"{builder} {key}"] = _timed_in(project, f"{builder}: {label}", commands)
            if (project / "site/tr/tensors/index.html").read_text(encoding="utf-8").count("Bench edit.") != 2:
                sys.exit(f"bench: {builder} did not rebuild the edited page {EDITED}")
            weights = {path: page_weight(path) for path in (project / "site").glob("*/**/index.html")}
            heaviest = max(weights, key=weights.__getitem__)
            figures[f"{builder} heaviest"] = weights[heaviest]
            name = heaviest.parent.relative_to(project / "site").as_posix()
            print(f"{builder + ': heaviest page ' + name + '/':<44} {weights[heaviest] / 1e3:7.0f} KB")
    return figures


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def recipe_seconds() -> float:
    """The recipes' own compute: the run times the generator recorded in every manifest."""
    import json

    return sum(json.loads(m.read_text(encoding="utf-8")).get("seconds", 0.0)
               for m in (ROOT / "generated").glob("*/manifest.json"))


def main(argv: list[str] | None = None) -> int:
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    if (sys.argv[1:] if argv is None else argv) == ["--builds"]:
        compare_builders()
        return 0
    regenerate = timed("regenerate every chapter (--force)", [[PY, "-m", "tools.generate", "--force"]])
    compute = recipe_seconds()
    print(f"{'  of which the recipes themselves':<44} {compute:7.1f} s")
    # What `make test` costs on a fresh clone: every check, the regeneration of every chapter under
    # the other numeric settings included (budget: 8 minutes on the 2-core build machine).
    test = timed("make test (every check, budget 480 s)", [["make", "test", "PYTEST_ARGS=-q -p no:cacheprovider"]])
    build = timed("mkdocs build, both languages", BUILD)
    total = regenerate + test + build
    print(f"{'pipeline: regenerate + make test + build':<44} {total:7.1f} s  "
          f"(overhead {total / compute:.1f}× the recipes' own {compute:.0f} s)")
    timed("regenerate with no change", [[PY, "-m", "tools.generate"]])
    timed("no-change rebuild: regenerate + build", [[PY, "-m", "tools.generate"], *BUILD])
    one_chapter_edit()
    compare_builders()
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
