"""Build one language of the site with Zensical (the successor of MkDocs Material) from mkdocs.yml.

    .venv-zensical/bin/python -m tools.zensical_build tr site/tr     # or: make site BUILDER=zensical

Zensical reads ``mkdocs.yml`` as it is but runs no MkDocs hooks, has no ``--site-dir`` option and
writes only inside the folder of its configuration file. This script therefore does what
``tools/hooks.py`` does for MkDocs, around one ``zensical build``:

* refuses a page that exists in one language only;
* takes the site's address from ``SITE_URL``, as tools/hooks.py does for MkDocs (sitemap, canonical links);
* copies this language's generated figures and the notebooks into the site, as the ``on_files``
  hook adds them to the MkDocs build.

It writes a small configuration ``.zensical.<lang>.yml`` next to mkdocs.yml (ignored by git) that
inherits the language's MkDocs configuration, and keeps it unchanged between runs so that Zensical's
differential builds (its cache in ``.cache/``) apply. Do not run ``zensical build --clean``: it
empties all of ``.cache/``, the generator's logs included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tools.hooks import missing_twins  # the same check as the MkDocs build

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
LANGS = tuple(CONFIGS)
STAGING = ROOT / ".cache" / "zensical"


def site_url(lang: str, base: str | None) -> str | None:
    """The language's address under ``SITE_URL`` (None: keep the one in mkdocs.yml)."""
    return f"{base.rstrip('/')}/{lang}/" if base else None


def write_config(lang: str, site_dir: Path, url: str | None) -> Path:
    """The language's configuration for Zensical, rewritten only when it changes."""
    lines = [f"# Written by tools/zensical_build.py for `zensical build`; edit {CONFIGS[lang]} instead.",
             f"INHERIT: {CONFIGS[lang]}",
             f"site_dir: {site_dir.relative_to(ROOT).as_posix()}",
             "theme: {variant: classic}   # the look of Material for MkDocs (Zensical's own: modern)",
             # Zensical rebuilds every page when a file of the macros' include folder changes, and
             # that folder is docs_dir by default: a page edit would rebuild them all. The site
             # includes no Jinja templates; config/ changes should rebuild everything anyway.
             "plugins: {macros: {include_dir: config}}"]
    if url:
        lines.append(f"site_url: {url}")
    path = ROOT / f".zensical.{lang}.yml"
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def generated_files(lang: str) -> list[Path]:
    """The files tools/hooks.py adds to this language's site: its figures and every notebook."""
    return [path for path in sorted((ROOT / "generated").glob("*/*"))
            if path.name.endswith((f".{lang}.png", ".ipynb"))]


def build(lang: str, out: Path, base_url: str | None = None, offline: bool = False) -> None:
    """``zensical build`` of one language into ``out`` (staged inside the project when ``out`` is not)."""
    problems = missing_twins()
    if problems:
        sys.exit("zensical_build: " + "; ".join(problems))
    out = out.resolve()
    inside = out.is_relative_to(ROOT) and out != ROOT
    site_dir = out if inside else STAGING / lang
    config = write_config(lang, site_dir, site_url(lang, base_url))
    # --offline: through tools/offline.py, which refuses the network to the Python side of the build
    runner = [sys.executable, "-m", "tools.offline"] if offline else [sys.executable, "-m"]
    command = [*runner, "zensical", "build", "--strict", "-f", config.name]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0 or "Build finished" not in result.stdout + result.stderr:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        sys.exit(f"zensical_build: `zensical build -f {config.name}` failed with exit {result.returncode}")
    for path in generated_files(lang):
        target = site_dir / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    if not inside:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(site_dir, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang", choices=LANGS, help="the language to build")
    parser.add_argument("out", type=Path, help="the site folder to write, e.g. site/tr")
    parser.add_argument("--offline", action="store_true",
                        help="refuse network connections to the build's Python code (the tests use it)")
    args = parser.parse_args(argv)
    try:
        import zensical  # noqa: F401
    except ModuleNotFoundError:
        parser.error("zensical is not installed in this Python: run `make zensical`, then use "
                     ".venv-zensical/bin/python -m tools.zensical_build")
    build(args.lang, args.out, os.environ.get("SITE_URL"), offline=args.offline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
