"""Shared pytest set-up: ``--device``, ``--chapter``/``--only``, the repository root and the outputs.

Chapter-scoped tests are those under ``tests/<chapter>/`` and those parametrised by ``chapter``; every
other test is site-wide. ``--chapter cnn,vit`` keeps the chapter-scoped tests of those chapters (and the
site-wide ones); ``--only chapters`` or ``--only site`` drops the other kind (CI shards use both).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
import yaml

from tools import generate, processes, shards, verify

# The generator's numeric variables (tools/verify.py), set before torch starts; what the tests run
# themselves and the subprocesses they start take the same kernels as the committed outputs.
os.environ.update(verify.PINNED)
# One OpenMP thread in every process the tests start, unless it sets its own count (a recipe pins
# its threads): beside the other busy processes a second thread spins instead of computing (the
# snippets copied alone: 10 s alone; 128 s of clock and 65 CPU-seconds beside the regenerations
# with two threads, 19 s and 9 with one).
os.environ["OMP_NUM_THREADS"] = "1"
# And glibc's malloc keeps freed memory (tools/generate.py): the test processes under pytest-xdist
# start after this line and train small models too.
os.environ.setdefault("GLIBC_TUNABLES", generate.MALLOC_TUNABLES)
import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = generate.chapters()
FRESH_CHAPTERS = pytest.StashKey[list[str]]()
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
PROJECT_PARTS = ["mkdocs.yml", "mkdocs.en.yml", "config", "docs", "tools", "snippets", "generated"]
ZENSICAL_PYTHON = ROOT / ".venv-zensical" / "bin" / "python"  # `make zensical` (make test does it)
# One thread for the tests' own computations: the regenerations under the other settings take both cores
# in the background, and beside them a second thread only waits (the tests train small models, which
# gain nothing from it: 500 steps of the diffusion test, 3.0 s on one thread, 3.2 s on two; beside two
# busy processes 5.1 s against 11.3 s). Claims are checked within the declared tolerances, as on any
# other machine.
torch.set_num_threads(1)
RUN_MARK = processes.mark_run("pytest")  # every process the tests start carries it (tools/processes.py)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--device", default="cpu", choices=["cpu", "cuda"],
                     help="device the snippet tests run on (default: cpu)")
    parser.addoption("--chapter", default="", metavar="NAMES",
                     help="comma-separated chapters whose tests run (default: all); site-wide tests still run")
    parser.addoption("--only", choices=["chapters", "site"], default=None,
                     help="run only chapter-scoped or only site-wide tests")


def item_chapter(item: pytest.Item) -> str | None:
    """The chapter a test belongs to, or None for a site-wide test."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if isinstance(params.get("chapter"), str):
        return params["chapter"]
    parts = Path(str(item.path)).resolve().relative_to(ROOT / "tests").parts
    return parts[0] if len(parts) > 1 and parts[0] in CHAPTERS else None


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` deselected theirs: prefetch only what will run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chosen = [c for c in config.getoption("--chapter").replace(" ", ",").split(",") if c]
    unknown = [c for c in chosen if c not in CHAPTERS]
    if unknown:
        raise pytest.UsageError(f"--chapter: unknown chapter {unknown[0]!r}; valid chapters: {', '.join(CHAPTERS)}")
    only = config.getoption("--only")
    keep, drop = [], []
    for item in items:
        chapter = item_chapter(item)
        wanted = (only != "chapters") if chapter is None else (only != "site" and (not chosen or chapter in chosen))
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    fresh = [item for item in items if _uses_fresh_runs(item)]
    config.stash[FRESH_CHAPTERS] = sorted({item_chapter(item) for item in fresh} - {None})
    misnamed = [item.nodeid for item in items if _uses_fresh_runs(item) != bool(FRESH_NODE.search(item.nodeid))]
    if misnamed:
        raise pytest.UsageError(f"{misnamed[0]}: whether it reads the fresh runs does not show in its name; "
                                "update FRESH_NODE in tests/conftest.py so the scheduler sees it")
    if gone := [unit for unit in FIRST_UNITS if not (ROOT / unit).is_file()]:
        raise pytest.UsageError(f"FIRST_UNITS in tests/conftest.py names {gone[0]}, which does not exist")
    # Tests that read the fresh runs go last: the runs proceed in the background meanwhile.
    items[:] = [item for item in items if not _uses_fresh_runs(item)] + fresh


# How `make test` spreads the tests over its processes (pytest-xdist, ``--dist loadscope``): a
# module's tests run in one process, so what a module trains once (a module-scoped fixture) is
# trained once. The page checks in a browser and the tests that read a fresh run go one by one to
# whichever process is free; xdist hands out the largest units first, so these come last and keep
# both processes busy to the end. (``--dist loadgroup`` would say this with marks, but
# pytest-xdist 3.8 cannot rename pytest 9's node ids.)
ONE_BY_ONE = re.compile(r"^tests/test_browser\.py::")
# A test reads the fresh runs when its ``outputs`` parameter is "fresh" or it verifies a chapter
# against them; checked against the fixtures at collection (pytest_collection_modifyitems).
FRESH_NODE = re.compile(r"[\[-]fresh[\]-]|::test_committed_outputs_verify_against_a_run_on_other_numeric_settings\[")


# The Zensical parity checks and its pages in the browser in one process: none waits for the other's build.
ZENSICAL_UNIT = re.compile(r"^tests/test_zensical\.py::|^tests/test_browser\.py::.*[\[-]zensical[\]-]")


# Units that mostly wait (a launch left to time out after 30 s): first, while the regenerations
# keep the cores busy, not at the end, where a waiting process leaves a core idle.
FIRST_UNITS = ["tests/distributed/test_launch.py"]


def xdist_scope(nodeid: str) -> str:
    """The unit of work a test belongs to, for the scheduler: its module, the Zensical unit, or the
    test alone."""
    if ZENSICAL_UNIT.search(nodeid):
        return "zensical"
    if FRESH_NODE.search(nodeid) or ONE_BY_ONE.search(nodeid):
        return nodeid
    return nodeid.split("::", 1)[0]


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            for unit in FIRST_UNITS:  # ahead of the largest units
                if unit in self.workqueue:
                    self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)


def _uses_fresh_runs(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return "fresh_runs" in getattr(item, "fixturenames", ()) or params.get("outputs") == "fresh"


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--device") == "cuda" and not torch.cuda.is_available():
        # One clear line instead of every device test failing or skipping on its own.
        pytest.exit("--device cuda: torch.cuda.is_available() is False on this machine; "
                    "run on a machine with an NVIDIA GPU and a CUDA build of torch, or drop --device", returncode=4)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No process started by the tests (a build, a browser, a recipe, a server) outlives them:
    leftovers are killed, named, and fail the run. Under pytest-xdist each worker checks what it
    started (its mark is nested in the main process's), and the main process checks everything."""
    found = processes.end_leftovers(RUN_MARK)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.ensure_newline()
        for pid, command in found.items():
            reporter.write_line(f"process {pid} outlived the tests and was killed: {command[:200]}")
        reporter.write_line("the test or fixture that started it must stop it (see tools/processes.py)")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def device(request: pytest.FixtureRequest) -> torch.device:
    """The device chosen with ``--device``."""
    return torch.device(request.config.getoption("--device"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_project(destination: Path, parts: list[str]) -> Path:
    """Copy top-level files and folders of the repository into ``destination``, for tests that break things."""
    for part in parts:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", ".*-*"))
        else:
            shutil.copy(source, destination / part)
    return destination


def cli_error(main, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a snippet's ``main(argv)``, require argparse's usage-error exit (2), return what it printed."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2, f"{argv} exited with {exit_info.value.code}, not a usage error"
    return capsys.readouterr().err


def declared(output: str, path: str) -> dict[str, float]:
    """The tolerance the recipe declared for one number, as ``pytest.approx`` keywords (exact if none).

    ``declared("rnn/forecast.summary.json", "test_mse.RNN")`` → ``{"rel": 0.05, "abs": 0.0}``.
    """
    chapter, name = output.split("/", 1)
    spec = generate.read_manifest(ROOT / "generated" / chapter).get("tolerances", {}).get(name, {})
    tol = verify.tol_for(path, spec)
    return {"rel": tol.rel, "abs": tol.abs} if tol else {"rel": 0.0, "abs": 0.0}


class FreshRuns:
    """Chapters regenerated once per test session under the *other* numeric settings (tools/verify.py
    OTHER: another CPU capability, MKL, oneDNN and OpenBLAS path, one thread), in the background while the other
    tests run, as many at a time as the machine has cores.

    Under pytest-xdist every worker holds one of these on the same ``folder``: a worker claims a
    chapter by creating ``<chapter>.claim`` (only one creation succeeds), runs it into ``<chapter>/``
    and writes ``<chapter>.done`` or ``<chapter>.error``; a worker that needs a chapter another one
    claimed waits for that marker."""

    def __init__(self, folder: Path, threads: int) -> None:
        self.folder = folder
        # The session's environment, taken now: a test may change this process's environment while a
        # background run starts (tests/test_faults.py gives its processes a run mark of their own).
        self.environ = dict(os.environ)
        self.pool = ThreadPoolExecutor(max_workers=max(threads, 1), thread_name_prefix="fresh-run",
                                       initializer=_lower_priority)
        self.background = threads > 0
        self.queued: set[str] = set()
        self.lock = threading.Lock()

    def _claim(self, chapter: str) -> bool:
        try:
            with open(self.folder / f"{chapter}.claim", "x", encoding="utf-8") as claim:
                claim.write(str(os.getpid()))
        except FileExistsError:
            return False
        return True

    def _run(self, chapter: str) -> None:
        """Regenerate ``chapter`` if no worker has claimed it yet."""
        if not self._claim(chapter):
            return
        into = self.folder / chapter
        into.mkdir()
        try:
            generate.run_recipe(chapter, into, ROOT, numeric="other", environ=self.environ)
        except BaseException as error:  # written for the waiting workers, then raised here too
            (self.folder / f"{chapter}.error").write_text(str(error) or repr(error), encoding="utf-8")
            raise
        (self.folder / f"{chapter}.done").touch()

    def start(self, chapters: list[str]) -> None:
        """Queue these chapters, longest recorded recipe first (the shorter ones fill in around it)."""
        with self.lock:
            for chapter in sorted(chapters, key=lambda c: -shards.recorded_seconds(c)) if self.background else []:
                if chapter not in self.queued:
                    self.queued.add(chapter)
                    self.pool.submit(self._run, chapter)

    def chapter(self, chapter: str) -> Path:
        """The fresh outputs of ``chapter``: waits for its run, or runs it here if nobody has yet."""
        self.start([chapter])
        claim = self.folder / f"{chapter}.claim"
        while not (self.folder / f"{chapter}.done").exists():
            if (error := self.folder / f"{chapter}.error").exists():
                pytest.fail(error.read_text(encoding="utf-8"), pytrace=False)
            if not claim.exists():
                try:
                    self._run(chapter)
                except generate.GenerateError:
                    continue  # the .error marker says why
            elif not _alive(int(claim.read_text(encoding="utf-8") or 0)):
                pytest.fail(f"{chapter}: the test process regenerating it ended before it finished", pytrace=False)
            time.sleep(0.2)
        return self.folder / chapter

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _lower_priority() -> None:
    """The background regenerations yield to the tests, which fill the cores' gaps with them anyway:
    on Linux ``nice`` applies to the calling thread, and the recipe processes it starts inherit it.
    (A search check that timed out beside them was a race in the check, not starvation: see
    tests/test_browser.py, test_search_finds_pages_of_its_language.)"""
    os.nice(10)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (0, a claim not yet written, counts as running)."""
    try:
        os.kill(pid, 0) if pid else None
    except ProcessLookupError:
        return False
    return True


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder for the whole run: under pytest-xdist, the one the workers' folders sit in."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@pytest.fixture(scope="session")
def fresh_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshRuns]:
    """The shared regenerations: one folder for the whole run (the xdist workers' temporary folders
    sit side by side in it), background threads split between the workers."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    folder = run_folder(tmp_path_factory) / "fresh-runs"
    folder.mkdir(exist_ok=True)
    # One background run per core in all: worker i takes cores i, i + workers, … (none if i ≥ cores).
    runs = FreshRuns(folder, threads=len(range(worker, os.cpu_count() or 2, workers)))
    yield runs
    runs.close()


@pytest.fixture(scope="session", autouse=True)
def _start_fresh_runs(request: pytest.FixtureRequest) -> None:
    """Start the regenerations the selected verification tests need as soon as the session starts."""
    chapters = request.config.stash.get(FRESH_CHAPTERS, [])
    if chapters:
        request.getfixturevalue("fresh_runs").start(chapters)


class Outputs:
    """Generated outputs as a test reads them: ``outputs.json("cnn/walkthrough.metrics")``."""

    def __init__(self, kind: str, fresh: FreshRuns | None = None) -> None:
        self.kind, self.fresh = kind, fresh

    def path(self, name: str) -> Path:
        chapter, rest = name.split("/", 1)
        folder = self.fresh.chapter(chapter) if self.fresh else ROOT / "generated" / chapter
        return folder / rest

    def json(self, name: str) -> Any:
        return json.loads(self.path(f"{name}.json").read_text(encoding="utf-8"))

    def text(self, name: str) -> str:
        return self.path(f"{name}.txt").read_text(encoding="utf-8")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes ``outputs`` checks a claim of a page twice: on the committed outputs, and
    (marked slow) on a fresh run under other numeric settings, so a claim that flips on another
    machine fails with the test's name. (On ``--device cuda`` the heavy fixtures train on the GPU
    instead of reading outputs, so the committed variant alone runs there.)"""
    if "outputs" in metafunc.fixturenames:
        kinds = ["committed"]
        if metafunc.config.getoption("--device") == "cpu":
            kinds.append(pytest.param("fresh", marks=pytest.mark.slow))
        metafunc.parametrize("outputs", kinds, indirect=True, scope="module")


@pytest.fixture(scope="module")
def outputs(request: pytest.FixtureRequest) -> Outputs:
    if request.param == "committed":
        return Outputs("committed")
    return Outputs("fresh", request.getfixturevalue("fresh_runs"))


class LocalSite(NamedTuple):
    """A built site (both languages and the root page), the local address it was built for, and the
    folder a local server serves at that address's host: the site sits under the published path
    (``/derin-defter/``), as GitHub Pages serves it."""

    path: Path
    address: str
    served: Path


# The path part of the published address, without the language: "/derin-defter/".
PUBLISHED_PATH = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]).path \
    .removesuffix("tr/")


def free_address() -> str:
    """An address on a free loopback port, for a local server to serve a built site at."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}{PUBLISHED_PATH}"


def _built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
                build: Callable[[LocalSite], None]) -> LocalSite:
    """A site built once per test run, for a local address: under pytest-xdist the first process that
    needs it calls ``build(site)`` under a file lock, the others read what it built; each process
    serves it on a port of its own (tests/test_browser.py)."""
    from filelock import FileLock

    folder = run_folder(tmp_path_factory) / name
    record = folder.with_suffix(".json")
    with FileLock(folder.with_suffix(".lock")):
        if record.exists():
            built = json.loads(record.read_text(encoding="utf-8"))
            return LocalSite(Path(built["path"]), built["address"], Path(built["served"]))
        site = LocalSite(folder / PUBLISHED_PATH.strip("/"), free_address(), folder)
        build(site)
        shutil.copy(ROOT / "config" / "site-root.html", site.path / "index.html")
        record.write_text(json.dumps({"path": str(site.path), "address": site.address,
                                      "served": str(site.served)}), encoding="utf-8")
    return site


@pytest.fixture(scope="session")
def mkdocs_local_site(tmp_path_factory) -> LocalSite:
    """Both languages built by MkDocs (network blocked) for a local address, as they are published:
    the one build the build checks (tests/test_build.py) and the browser checks read."""
    def build(site: LocalSite) -> None:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site.address}
        for lang, config in CONFIGS.items():
            result = subprocess.run([sys.executable, "-m", "tools.offline", "mkdocs", "build", "--strict", "-f",
                                     config, "-d", str(site.path / lang)], cwd=ROOT, env=env,
                                    capture_output=True, text=True)
            assert result.returncode == 0, f"mkdocs build ({lang}) failed:\n{result.stderr[-3000:]}"

    return _built_once(tmp_path_factory, "mkdocs-site", build)


@pytest.fixture(scope="session")
def zensical_local_site(tmp_path_factory) -> LocalSite:
    """The same, built by Zensical (tools/zensical_build.py) in a copy of the project, whose own
    cache therefore starts empty."""
    if not list(ROOT.glob(".venv-zensical/lib/python*/site-packages/zensical/__init__.py")):
        pytest.skip("Zensical is not installed: run `make zensical` (make test installs it)")

    def build(site: LocalSite) -> None:
        project = copy_project(tmp_path_factory.mktemp("zensical-project"), PROJECT_PARTS)
        env = {**os.environ, "SITE_URL": site.address}
        for lang in CONFIGS:
            result = subprocess.run([str(ZENSICAL_PYTHON), "-m", "tools.zensical_build", "--offline", lang,
                                     str(site.path / lang)], cwd=project, env=env, capture_output=True, text=True)
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]

    return _built_once(tmp_path_factory, "zensical-site", build)
