"""Run each chapter's recipe and write what its pages show under ``generated/<chapter>/``.

    python -m tools.generate                # every chapter whose inputs changed
    python -m tools.generate cnn            # one chapter
    python -m tools.generate --force        # re-run even when nothing changed
    python -m tools.generate --check        # verify against a run under other numeric settings; writes nothing
    python -m tools.generate --timeout 600  # a recipe may run 600 s (default: from its last run time)

A recipe (``tools/recipes/<chapter>.py``) runs in its own process, with the numeric settings pinned
(``tools/verify.py``: CPU capability, MKL and oneDNN code paths, threads). Its outputs land in a
temporary folder that replaces ``generated/<chapter>/`` only when the whole recipe succeeded.
``manifest.json`` records the SHA-256 of every input (the recipe, each repository module it
imported, this file, constraints.txt) and of every output: unchanged inputs mean nothing to do.
It also records the tolerances the recipe declared, the environment that produced the outputs and
the recipe's run time (used to balance CI shards).

``--check`` re-runs the recipes under *another* numeric environment (``verify.OTHER``) and verifies
the committed outputs under the contract of ``tools/verify.py``: exact unless a tolerance is declared.

A recipe that runs longer than its time limit (several times its last run, see :func:`time_limit`),
a full disk, Ctrl-C or ``SIGTERM`` stop the run with one line; the recipe's process and everything it
started end with it, and ``generated/<chapter>/`` keeps its previous outputs. Folders that a killed
run left behind (``generated/.<chapter>-<pid>-…``) are removed by the next run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import importlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from tools import verify
from tools.verify import Tol, Tolerance

__all__ = ["Outputs", "Tol"]

from tools import processes
from tools.processes import WRITE_ERRORS

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("tr", "en")
MANIFEST = "manifest.json"
ERROR_MARK = "GENERATE-ERROR: "
TIMING = ".timing."  # in an output name: wall-clock figures, compared by structure only
FIXED_INPUTS = ("tools/generate.py", "tools/verify.py", "tools/notebooks.py", "constraints.txt")
# glibc's malloc keeps freed memory for the next allocation instead of handing big blocks back to the
# kernel and faulting fresh pages in at every training step (the CNN recipe: 70 s with 15 s of system
# time by default, 51 s with 1 s). Memory only, not arithmetic: the outputs are byte-identical. A
# glibc that refuses a threshold this large keeps its default (slower, same numbers).
MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=4294967296:glibc.malloc.trim_threshold=4294967296"
WORKER_REPORT = ".worker.json"  # inputs, tolerances and environment, from the worker to the parent
FIGURE_DATA = ".figure.json"  # beside a figure's PNGs: the data it draws, what verification compares
Numeric = Literal["pinned", "other"]
# the other settings run one thread (not two), beside the test suite: allow that much more time
OTHER_SLOWDOWN = 4
TIMEOUT_ENV = "GENERATE_TIMEOUT"  # seconds a recipe may run; overrides the limit from its last run; 0: none
TIMEOUT_FACTOR, TIMEOUT_FLOOR, TIMEOUT_UNKNOWN = 5, 120, 1800  # × last run time, at least, with no record
STAGING = re.compile(r"\.(?P<chapter>\w+?)-(?P<pid>\d+)-\w+?(?P<old>-old)?")


class GenerateError(Exception):
    """A chapter could not be generated; the message is one line that says what to do."""


# ---------------------------------------------------------------- what recipes call
class Outputs:
    """The folder a recipe writes into. Names follow ``<module>.<what>``; the extension is added here."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tolerances: dict[str, dict[str, dict[str, float]]] = {}

    def _write(self, filename: str, content: str | bytes, tolerance: Tolerance = None) -> None:
        path = self.folder / filename
        if path.exists():
            raise ValueError(f"output {filename!r} written twice")
        if spec := verify.tolerance_spec(tolerance):
            self.tolerances[filename] = spec
        if isinstance(content, str):
            path.write_text(content.rstrip("\n") + "\n", encoding="utf-8")
        else:
            path.write_bytes(content)

    def text(self, name: str, content: str, tolerance: Tolerance = None) -> None:
        """Plain text shown in a code block (``output('chapter/name')`` on a page).

        ``tolerance``: how far the numbers in it may move on another machine (``Tol(abs=…, rel=…)``,
        or ``{"#3": Tol(…)}`` for the fourth number only); leave it out for text that must match exactly.
        """
        self._write(f"{name}.txt", content, tolerance)

    def json(self, name: str, data: Any, tolerance: Tolerance = None) -> None:
        """Numbers for the prose (``data('chapter/name')`` on a page). Round floats before passing them.

        ``tolerance``: ``{"loss": Tol(rel=0.05), "curve.*": Tol(abs=1e-3)}`` (patterns on the keys),
        or one ``Tol`` for every number; keys that no pattern matches are compared exactly.
        """
        self._write(f"{name}.json", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True), tolerance)

    def table(self, name: str, headers: dict[str, list[str]], rows: list[list[Any]],
              tolerance: Tolerance = None) -> None:
        """A table with column titles per language (``table('chapter/name')`` on a page).

        A cell is a number (formatted per language), a string, ``{"tr": …, "en": …}``, or
        ``{"percent": 0.965}`` for a fraction shown as a percentage (%96,5 / 96.5%).
        ``tolerance``: one ``Tol`` for every number, or per column: ``{"rows.*.3": Tol(rel=0.05)}``.
        """
        if set(headers) != set(LANGS):
            raise ValueError(f"table {name!r} needs headers for {LANGS}, got {sorted(headers)}")
        if any(len(row) != len(headers["en"]) for row in rows) or len(headers["tr"]) != len(headers["en"]):
            raise ValueError(f"table {name!r}: every row and header needs {len(headers['en'])} cells")
        for cell in (c for row in rows for c in row if isinstance(c, dict)):
            if set(cell) not in ({"percent"}, set(LANGS)):
                raise ValueError(f"table {name!r}: a dict cell is {{'tr': …, 'en': …}} or {{'percent': …}}, got {cell}")
        self.json(name + ".table", {"headers": headers, "rows": rows}, tolerance)

    def figure(self, name: str, make: Callable[[str], Any], tolerance: Tolerance = None) -> None:
        """One PNG per language: ``make(lang)`` returns a matplotlib figure with labels in that language.

        The data the figure draws (lines, points, bars, images, numbers in its texts) is saved as
        ``<name>.figure.json``; verification compares that data (within ``tolerance``), not PNG bytes.
        """
        import matplotlib.pyplot as plt

        drawn = {}
        for lang in LANGS:
            fig = make(lang)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
            drawn[lang] = verify.figure_data(fig)
            plt.close(fig)
            self._write(f"{name}.{lang}.png", buffer.getvalue())
        without_text = [[{k: v for k, v in axes.items() if k != "texts"} for axes in drawn[lang]["axes"]]
                        for lang in LANGS]
        if any(other != without_text[0] for other in without_text[1:]):
            raise ValueError(f"figure {name!r} draws other data in {LANGS[1]} than in {LANGS[0]}: "
                             "make(lang) may change the labels only")
        self._write(f"{name}{FIGURE_DATA}", json.dumps(drawn[LANGS[-1]], ensure_ascii=False, sort_keys=True),
                    tolerance)

    def timing(self, name: str, data: Any) -> None:
        """Wall-clock measurements (``data('chapter/name.timing')``): the byte-for-byte check compares
        their keys and text but not their numbers, which change from run to run."""
        self.json(f"{name}{TIMING[:-1]}", data)

    def timing_table(self, name: str, headers: dict[str, list[str]], rows: list[list[Any]]) -> None:
        """A table with wall-clock columns (``table('chapter/name.timing')``), checked like :meth:`timing`."""
        self.table(f"{name}{TIMING[:-1]}", headers, rows)

    def capture(self, name: str, function: Callable[..., Any], *args: Any, tolerance: Tolerance = None,
                **kwargs: Any) -> Any:
        """Run ``function`` and save what it printed (checked like :meth:`text`); returns its result."""
        stream = io.StringIO()
        with contextlib.redirect_stdout(stream):
            result = function(*args, **kwargs)
        self.text(name, stream.getvalue(), tolerance)
        return result


# ---------------------------------------------------------------- bookkeeping
def chapters(root: Path = ROOT) -> list[str]:
    """Every chapter that has a recipe."""
    return sorted(p.stem for p in (root / "tools" / "recipes").glob("*.py") if p.stem != "__init__")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def output_files(folder: Path) -> dict[str, str]:
    """Digest of every output; a timing output is hashed without its numbers so the manifest stays stable."""
    def digest(path: Path) -> str:
        if TIMING in path.name:
            return hashlib.sha256(json.dumps(_numbers_masked(path), sort_keys=True).encode()).hexdigest()
        return sha256(path)
    return {p.name: digest(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST}


def stale_reasons(chapter: str, root: Path = ROOT) -> list[str]:
    """Why ``generated/<chapter>`` does not match its inputs (empty when it is up to date)."""
    folder = root / "generated" / chapter
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        return [f"generated/{chapter}/ has never been generated"]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    reasons = []
    for name, digest in manifest["inputs"].items():
        path = root / name
        if not path.exists():
            reasons.append(f"{name} no longer exists")
        elif sha256(path) != digest:
            reasons.append(f"{name} changed")
    actual = output_files(folder)
    for name in sorted(set(actual) | set(manifest["outputs"])):
        if name not in actual:
            reasons.append(f"generated/{chapter}/{name} is missing")
        elif name not in manifest["outputs"]:
            reasons.append(f"generated/{chapter}/{name} is not made by the recipe")
        elif actual[name] != manifest["outputs"][name]:
            reasons.append(f"generated/{chapter}/{name} was edited by hand")
    return reasons


# ---------------------------------------------------------------- running a recipe
def _deterministic_setup() -> None:
    """Same bytes on every run: a fixed thread count for torch (the environment pins the kernels).
    Called once the recipe module is imported, before it computes; a recipe that does not import
    torch does not pay for it."""
    if torch := sys.modules.get("torch"):
        torch.set_num_threads(int(os.environ.get("GENERATE_THREADS", verify.PINNED_THREADS)))


def numeric_env(numeric: Numeric = "pinned") -> dict[str, str]:
    """Environment variables for a recipe process: the pinned numeric settings, or the other ones."""
    if numeric == "pinned":
        return {**verify.PINNED, **verify.thread_env(verify.PINNED_THREADS)}
    return {**verify.OTHER, **verify.thread_env(verify.OTHER_THREADS)}


def _repo_modules(root: Path) -> list[str]:
    files = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and Path(path).resolve().is_relative_to(root / "snippets"):
            files.add(Path(path).resolve().relative_to(root).as_posix())
    return sorted(files)


def _write_notebooks(chapter: str, outputs: Outputs, root: Path) -> None:
    """Every snippet module of the chapter as a notebook, ``<module>.ipynb``."""
    from tools.notebooks import module_to_notebook

    for module in sorted((root / "snippets" / chapter).glob("*.py")):
        if module.name != "__init__.py":
            importlib.import_module(f"snippets.{chapter}.{module.stem}")  # tracked as an input
            relative = module.relative_to(root).as_posix()
            outputs._write(f"{module.stem}.ipynb", module_to_notebook(module, relative))


def _worker(chapter: str, into: Path, root: Path) -> int:
    """Body of the child process: run one recipe into ``into``, list its inputs."""
    try:
        recipe = importlib.import_module(f"tools.recipes.{chapter}")
        _deterministic_setup()
        threads_set = "torch" in sys.modules
        outputs = Outputs(into)
        recipe.generate(outputs)
        if not threads_set and "torch" in sys.modules:
            raise RuntimeError(f"tools/recipes/{chapter}.py imports torch only while it runs, so its thread count "
                               "was never pinned: import torch (or the snippets) at the top of the recipe")
        _write_notebooks(chapter, outputs, root)
    except Exception as error:  # noqa: BLE001 - every failure becomes one line for the parent
        traceback.print_exc()
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if Path(f.filename).resolve().is_relative_to(root)]
        where = f"{Path(frames[-1].filename).resolve().relative_to(root)}:{frames[-1].lineno}" if frames else "?"
        print(f"{ERROR_MARK}{where}: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        return 1
    inputs = [f"tools/recipes/{chapter}.py", *FIXED_INPUTS, *_repo_modules(root)]
    report = {"inputs": sorted(set(inputs)), "tolerances": outputs.tolerances,
              "environment": verify.numeric_environment()}
    (into / WORKER_REPORT).write_text(json.dumps(report), encoding="utf-8")
    return 0


def run_recipe(chapter: str, into: Path, root: Path = ROOT, numeric: Numeric = "pinned",
               environ: dict[str, str] | None = None) -> None:
    """Run ``chapter``'s recipe in a fresh process; ``into`` gets its outputs and manifest. The process
    starts from ``environ`` (default: this process's environment) with the numeric settings added."""
    env = {"GLIBC_TUNABLES": MALLOC_TUNABLES, **(os.environ if environ is None else environ), "PYTHONHASHSEED": "0",
           "TQDM_DISABLE": "1", "MPLBACKEND": "Agg", **numeric_env(numeric)}
    env = {name: value for name, value in env.items() if value != ""}  # "": leave the library's default
    start = time.perf_counter()
    process = _run_worker(chapter, into, root, env, OTHER_SLOWDOWN if numeric == "other" else 1)
    if process.returncode != 0:
        line = next((x for x in reversed(process.stderr.splitlines()) if x.startswith(ERROR_MARK)), None)
        detail = line[len(ERROR_MARK):] if line else f"the recipe process exited with {process.returncode}"
        if failed_write := _failed_write(detail):
            code, message, path = failed_write
            raise GenerateError(_write_failure(chapter, code, message, path or str(into), root))
        log = _write_log(chapter, process.stdout + process.stderr, root)
        raise GenerateError(f"{chapter}: {detail} ({f'traceback in {log}; ' if log else ''}"
                            f"fix it, then run `make generate CHAPTER={chapter}`)")
    seconds = time.perf_counter() - start
    report = json.loads((into / WORKER_REPORT).read_text(encoding="utf-8"))
    (into / WORKER_REPORT).unlink()
    manifest = {"inputs": {name: sha256(root / name) for name in report["inputs"]},
                "outputs": output_files(into), "tolerances": report["tolerances"],
                "environment": report["environment"], "seconds": round(seconds, 1),
                "generated": datetime.date.today().isoformat()}
    (into / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def time_limit(chapter: str, root: Path = ROOT) -> tuple[float | None, str]:
    """Seconds ``chapter``'s recipe may run (None: no limit) and how the limit was set, for the error line:
    ``GENERATE_TIMEOUT`` when set, else TIMEOUT_FACTOR × the run time in its manifest (``seconds``),
    at least TIMEOUT_FLOOR; TIMEOUT_UNKNOWN when no run time is recorded."""
    override = os.environ.get(TIMEOUT_ENV, "").strip()
    if override:
        try:
            seconds = float(override)
        except ValueError:
            seconds = -1.0
        if not seconds >= 0:
            raise GenerateError(f"{TIMEOUT_ENV}={override!r} is not a number of seconds: "
                                f"use e.g. {TIMEOUT_ENV}=600 (0 means no limit)")
        return (seconds or None), f"{TIMEOUT_ENV}={override}"
    try:
        last = json.loads((root / "generated" / chapter / MANIFEST).read_text(encoding="utf-8")).get("seconds")
    except (OSError, ValueError, AttributeError):  # no manifest yet, or a damaged one
        last = None
    if isinstance(last, bool) or not isinstance(last, (int, float)) or last <= 0:
        return float(TIMEOUT_UNKNOWN), "the default for a recipe with no recorded run time"
    return max(float(TIMEOUT_FLOOR), TIMEOUT_FACTOR * last), (
        f"{TIMEOUT_FACTOR} × its last run of {last:.0f} s, at least {TIMEOUT_FLOOR} s")


def _run_worker(chapter: str, into: Path, root: Path, env: dict[str, str],
                slower: float = 1) -> subprocess.CompletedProcess:
    """The recipe's process, in its own process group, stopped with everything it started when it
    outlives its time limit (× ``slower``) or when this process is interrupted."""
    limit, why = time_limit(chapter, root)
    if limit is not None and slower != 1 and not os.environ.get(TIMEOUT_ENV, "").strip():
        limit, why = limit * slower, f"{why}, × {slower:g} for the other numeric settings"
    command = [sys.executable, "-m", "tools.generate", "--worker", chapter, "--into", str(into)]
    try:
        return processes.run(command, cwd=root, env=env, timeout=limit)
    except subprocess.TimeoutExpired:
        assert limit is not None
        raise GenerateError(
            f"{chapter}: the recipe was stopped after {limit:.0f} s, its time limit ({why}); "
            f"generated/{chapter}/ is unchanged: an endless loop? fix it; only slower on this machine? "
            f"raise the limit: `{TIMEOUT_ENV}={max(600, round(4 * limit, -2)):.0f} make generate "
            f"CHAPTER={chapter}` (seconds, 0 = no limit)") from None


def _failed_write(detail: str) -> tuple[int, str, str] | None:
    """(errno, message, path) when the recipe's one-line error is a failed write (full disk, read-only)."""
    match = re.search(r"(?:OSError|PermissionError): \[Errno (\d+)\] ([^:']+)(?:: '([^']*)')?", detail)
    if match and int(match[1]) in WRITE_ERRORS:
        return int(match[1]), match[2], match[3] or ""
    return None


def _write_failure(chapter: str, code: int, message: str, path: str, root: Path) -> str:
    """The one line for a write that failed: which file, why, what to do; the old outputs are kept."""
    if path:
        with contextlib.suppress(ValueError):
            path = Path(path).resolve().relative_to(root.resolve()).as_posix()
    return (f"{chapter}: could not write {path or 'its outputs'}: {message}: {WRITE_ERRORS[code]}, "
            f"then run `make generate CHAPTER={chapter}`; generated/{chapter}/ is unchanged")


def _write_log(chapter: str, text: str, root: Path) -> str | None:
    """Save the recipe's full output under .cache/generate/; None when even that cannot be written."""
    log = root / ".cache" / "generate" / f"{chapter}.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return log.relative_to(root).as_posix()


def remove_stale_staging(root: Path = ROOT) -> list[str]:
    """Folders under ``generated/`` left by a run that was killed (their process is gone): removed,
    or put back when a killed swap left a chapter without its folder. One note per folder."""
    notes = []
    for folder in sorted((root / "generated").glob(".*-*")):
        match = STAGING.fullmatch(folder.name)
        if not folder.is_dir() or (match and processes.alive(int(match["pid"]))):
            continue  # another generator is running right now
        target = root / "generated" / match["chapter"] if match else None
        if match and match["old"] and target and not target.exists():
            folder.rename(target)
            notes.append(f"put back generated/{match['chapter']}/ from {folder.name}, left by an interrupted run")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            notes.append(f"removed generated/{folder.name}/, left by an interrupted run")
    return notes


def _is_stale(chapter: str, root: Path) -> bool:
    try:
        return bool(stale_reasons(chapter, root))
    except (ValueError, KeyError, TypeError, AttributeError):  # a damaged manifest or timing output
        return True


def generate(chapter: str, force: bool = False, root: Path = ROOT) -> str:
    """Bring ``generated/<chapter>`` up to date; returns what was done. On any failure (recipe error,
    time limit, full disk, interruption) the previous outputs stay and nothing half-written is left."""
    target = root / "generated" / chapter
    if not force and not _is_stale(chapter, root):
        return "up to date"
    staging = old = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{chapter}-{os.getpid()}-", dir=target.parent))
        staging.chmod(0o755)  # mkdtemp makes it private
        run_recipe(chapter, staging, root)
        old = staging.with_name(staging.name + "-old")
        with processes.signals_held():  # the two renames happen together or not at all
            if target.exists():
                target.rename(old)
            staging.rename(target)
    except OSError as error:
        if error.errno not in WRITE_ERRORS:
            raise
        raise GenerateError(_write_failure(chapter, error.errno, error.strerror, error.filename or "", root)) \
            from None
    finally:
        for folder in (staging, old):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    return "generated"


def _numbers_masked(path: Path) -> Any:
    """The JSON in ``path`` with every number replaced by 0 (booleans and text kept)."""
    def mask(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: mask(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mask(item) for item in value]
        return 0 if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    return mask(json.loads(path.read_text(encoding="utf-8")))


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def verify_outputs(chapter: str, fresh: Path, root: Path = ROOT) -> list[str]:
    """Verify ``generated/<chapter>`` against a fresh run in ``fresh`` (empty when verified).

    Exact unless the recipe declared a tolerance (the fresh run's declaration, i.e. the current code's);
    figures through their data; wall-clock outputs by structure. A failure ends with both environments.
    """
    committed = root / "generated" / chapter
    fresh_manifest, old_manifest = read_manifest(fresh), read_manifest(committed)
    tolerances = fresh_manifest.get("tolerances", {})
    old_names = {p.name for p in committed.iterdir() if p.is_file()} if committed.exists() else set()
    names = sorted(({p.name for p in fresh.iterdir() if p.is_file()} | old_names) - {MANIFEST})
    problems = []
    for name in names:
        old, new = committed / name, fresh / name
        if not old.exists():
            problems.append(f"generated/{chapter}/{name} is missing")
        elif not new.exists():
            problems.append(f"generated/{chapter}/{name} is no longer produced")
        elif TIMING in name:
            if _numbers_masked(old) != _numbers_masked(new):  # wall-clock figures differ run to run
                problems.append(f"generated/{chapter}/{name}: its keys or text changed")
        else:
            problems += verify.compare(f"generated/{chapter}/{name}", old, new, tolerances.get(name, {}))
    if problems:
        problems.append(f"committed outputs: {verify.describe(old_manifest.get('environment', {}))}")
        problems.append(f"this run: {verify.describe(fresh_manifest.get('environment', {}))}")
    return problems


def check(chapter: str, root: Path = ROOT, numeric: Numeric = "other") -> list[str]:
    """Re-run ``chapter``'s recipe (by default under the other numeric settings) and verify the
    committed outputs against it; empty when they hold."""
    with tempfile.TemporaryDirectory() as folder:
        run_recipe(chapter, Path(folder), root, numeric)
        return verify_outputs(chapter, Path(folder), root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.generate", description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", metavar="CHAPTER", help="default: every chapter")
    parser.add_argument("--force", action="store_true", help="re-run even when no input changed")
    parser.add_argument("--check", action="store_true",
                        help="verify the committed outputs against a fresh run under other numeric settings")
    parser.add_argument("--numeric", choices=["pinned", "other"], default=None,
                        help="numeric settings of the --check run (default: other)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help=f"how long a recipe may run (0: no limit; default: {TIMEOUT_FACTOR} × its last "
                             f"run, at least {TIMEOUT_FLOOR} s; also {TIMEOUT_ENV}=SECONDS)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        processes.watch_parent(os.getppid())  # no orphan: the recipe ends when the generator ends
        return _worker(args.worker, args.into, ROOT)
    if args.timeout is not None:
        if not args.timeout >= 0:
            parser.error("--timeout: give the seconds a recipe may run, 0 for no limit")
        os.environ[TIMEOUT_ENV] = f"{args.timeout:g}"
    known = chapters()
    unknown = [c for c in args.chapters if c not in known]
    if unknown:
        print(f"generate: unknown chapter {unknown[0]!r}; valid chapters: {', '.join(known)}", file=sys.stderr)
        return 2
    for note in remove_stale_staging():
        print(f"generate: {note}")
    failed = False
    chapter = ""
    try:
        with processes.signals_raise():
            for chapter in args.chapters or known:
                failed |= _main_one(chapter, args.check, args.force, args.numeric or "other")
    except (KeyboardInterrupt, processes.Interrupted) as stop:
        signum = stop.signum if isinstance(stop, processes.Interrupted) else signal.SIGINT
        print(f"generate: stopped by {signal.Signals(signum).name} while generating {chapter}; "
              f"generated/{chapter}/ is unchanged and nothing half-written is left: "
              "run `make generate` to finish", file=sys.stderr)
        return 128 + signum
    return 1 if failed else 0


def _main_one(chapter: str, check_only: bool, force: bool, numeric: Numeric = "other") -> bool:
    """Generate or check one chapter for :func:`main`; True when it failed (the line is printed)."""
    try:
        if check_only:
            problems = check(chapter, numeric=numeric)
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"{chapter}: {'NOT VERIFIED (see CONTRIBUTING, verification)' if problems else 'verified'}")
            return bool(problems)
        print(f"{chapter}: {generate(chapter, force)}")
    except GenerateError as error:
        print(f"generate: {error}", file=sys.stderr)
        return True
    except OSError as error:  # --check's temporary folder, or the terminal, on a full disk
        if error.errno not in WRITE_ERRORS:
            raise
        print(f"generate: {_write_failure(chapter, error.errno, error.strerror, error.filename or '', ROOT)}",
              file=sys.stderr)
        return True
    return False


if __name__ == "__main__":
    sys.exit(main())
