"""Build both languages into a folder next to ``site/`` and put it in place whole.

    python -m tools.site                # what `make site` runs after `make generate`
    python -m tools.site --site DIR     # build somewhere else

``site/`` is replaced only when the Turkish and the English build both succeeded: a broken page,
a full disk, Ctrl-C or ``SIGTERM`` leave the previous site as it was, with nothing half-written
beside it. A folder left by a killed build (``.site-<pid>-new``) is removed by the next one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import sys
from pathlib import Path

from tools import processes
from tools.processes import WRITE_ERRORS

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
NAMES = {"tr": "Turkish", "en": "English"}


class SiteError(Exception):
    """The site was not replaced; the message is one line that says why and what to do."""


def remove_stale(site: Path) -> list[str]:
    """Folders beside ``site`` left by a build that was killed: removed (an old site is put back
    when a killed swap left no ``site``). One note per folder."""
    pattern = re.compile(rf"\.{re.escape(site.name)}-(\d+)-(new|old)")
    notes = []
    for folder in sorted(site.parent.glob(f".{site.name}-*")):
        match = pattern.fullmatch(folder.name)
        if not match or processes.alive(int(match[1])):
            continue
        if match[2] == "old" and not site.exists():
            folder.rename(site)
            notes.append(f"put back {site.name}/ from {folder.name}, left by an interrupted build")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            notes.append(f"removed {folder.name}/, left by an interrupted build")
    return notes


def build(site: Path, root: Path = ROOT) -> None:
    """Both languages into ``.<site>-<pid>-new`` next to ``site``, the root redirect, then the swap."""
    site = site.resolve()
    new = site.with_name(f".{site.name}-{os.getpid()}-new")
    old = site.with_name(f".{site.name}-{os.getpid()}-old")
    try:
        for lang, config in CONFIGS.items():
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(new / lang)]
            if processes.run(command, cwd=root, capture=False).returncode != 0:
                raise SiteError(f"the {NAMES[lang]} build failed (its error is above): "
                                f"{site.name}/ is unchanged")
        shutil.copy(root / "config" / "site-root.html", new / "index.html")
        with processes.signals_held():  # both renames or neither
            if site.exists():
                site.rename(old)
            new.rename(site)
    except OSError as error:
        if error.errno not in WRITE_ERRORS:
            raise
        raise SiteError(f"could not write {error.filename2 or error.filename or new}: {error.strerror}: "
                        f"{WRITE_ERRORS[error.errno]}, then build again; {site.name}/ is unchanged") from None
    finally:
        for folder in (new, old):
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="destination (default: site/)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project to build (default: this one)")
    args = parser.parse_args(argv)
    for note in remove_stale(args.site.resolve()):
        print(f"site: {note}")
    try:
        with processes.signals_raise():
            build(args.site, args.root.resolve())
    except SiteError as error:
        print(f"site: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, processes.Interrupted) as stop:
        signum = stop.signum if isinstance(stop, processes.Interrupted) else signal.SIGINT
        with contextlib.suppress(OSError):
            print(f"site: stopped by {signal.Signals(signum).name}; {args.site.name}/ is unchanged and "
                  "nothing half-written is left: run `make site` again", file=sys.stderr)
        return 128 + signum
    return 0


if __name__ == "__main__":
    sys.exit(main())
