"""Runs that are disturbed: killed, hung, fed damaged files, out of disk. Each leaves nothing
running (the process table is read), nothing half-written (the folders are listed) and says what to
do in one line (the message is compared)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.test_build import PROJECT_PARTS, mkdocs_build
from tests.test_generated import _mini_project
from tools import generate, hooks, processes

ROOT = Path(__file__).resolve().parents[1]
LINUX = sys.platform.startswith("linux")

# The recipe hangs (and starts a grandchild that sleeps) once a file called `hang` exists.
HANGING_RECIPE = """\
import subprocess, sys, time
from pathlib import Path
from snippets.demo import work

def generate(out):
    out.json('work.answer', work.answer())
    if Path('hang').exists():
        subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])
        Path('started').write_text('yes')
        while True:
            time.sleep(0.05)
"""
ANSWER = "def answer():\n    return 42\n"


@pytest.fixture
def mark(monkeypatch) -> str:
    """A mark of its own for this test's processes, so the check sees only what the test started."""
    value = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(processes.MARK, value)
    yield value
    processes.end_leftovers(value, wait=0)  # a failing test must not leave its processes either


def none_left(mark: str, within: float = 10.0) -> dict[int, str]:
    """Processes with ``mark`` still running after ``within`` seconds (empty: all ended)."""
    deadline = time.monotonic() + within
    while (found := processes.leftovers(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def start_generator(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tools.generate", *args], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 120.0) -> None:
    """Until ``path`` exists (a glob pattern when it has a ``*``) while ``process`` runs."""
    deadline = time.monotonic() + seconds
    while not (any(Path(path.anchor).glob(str(path.relative_to(path.anchor)))) if "*" in str(path)
               else path.exists()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.fixture
def hanging(tmp_path, root) -> Path:
    """A mini project whose demo chapter was generated once (answer 42); then its recipe hangs."""
    project = _mini_project(tmp_path, root, HANGING_RECIPE, ANSWER)
    assert generate.generate("demo", root=project) == "generated"
    (project / "hang").write_text("")
    return project


def generated_folders(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "generated").iterdir())


def answer(project: Path) -> str:
    return (project / "generated/demo/work.answer.json").read_text()


# ---------------------------------------------------------------- 1. no orphans
@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopped_generator_stops_its_recipe_and_everything_it_started(hanging, mark, signum):
    generator = start_generator(hanging, "demo", "--force")
    wait_for(hanging / "started", generator)
    assert len(processes.leftovers(mark)) >= 3  # generator, recipe worker, the worker's grandchild
    generator.send_signal(signum)
    _, stderr = generator.communicate(timeout=30)
    name = signal.Signals(signum).name
    assert generator.returncode == 128 + signum
    assert stderr.strip().splitlines() == [
        f"generate: stopped by {name} while generating demo; generated/demo/ is unchanged and nothing "
        "half-written is left: run `make generate` to finish"]
    assert not none_left(mark)
    assert generated_folders(hanging) == ["demo"] and answer(hanging) == "42\n"


@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_killed_generator_leaves_no_orphan_and_the_next_run_cleans_up(hanging, mark):
    generator = start_generator(hanging, "demo", "--force")
    wait_for(hanging / "started", generator)
    generator.kill()  # SIGKILL: no chance to clean up; the recipe must notice on its own
    generator.communicate()
    assert not none_left(mark), "the recipe outlived the generator"
    staging = [name for name in generated_folders(hanging) if name != "demo"]
    assert len(staging) == 1 and staging[0].startswith(f".demo-{generator.pid}-")

    (hanging / "hang").unlink()
    rerun = subprocess.run([sys.executable, "-m", "tools.generate", "demo"], cwd=hanging,
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines() == [
        f"generate: removed generated/{staging[0]}/, left by an interrupted run", "demo: up to date"]
    assert generated_folders(hanging) == ["demo"] and answer(hanging) == "42\n"


def test_a_swap_cut_short_is_put_back(tmp_path):
    """Killed between its two renames, a run leaves the old outputs under another name: put back."""
    (tmp_path / "generated/.cnn-999999999-abc123-old").mkdir(parents=True)
    notes = generate.remove_stale_staging(tmp_path)
    assert notes == ["put back generated/cnn/ from .cnn-999999999-abc123-old, left by an interrupted run"]
    assert [p.name for p in (tmp_path / "generated").iterdir()] == ["cnn"]


def test_a_running_generators_folder_is_left_alone(tmp_path):
    (tmp_path / "generated" / f".cnn-{os.getpid()}-abc123").mkdir(parents=True)
    assert generate.remove_stale_staging(tmp_path) == []


# ---------------------------------------------------------------- 2. hangs become errors
@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_hanging_recipe_is_stopped_at_its_time_limit(hanging, mark):
    result = subprocess.run([sys.executable, "-m", "tools.generate", "demo", "--force", "--timeout", "2"],
                            cwd=hanging, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "generate: demo: the recipe was stopped after 2 s, its time limit (GENERATE_TIMEOUT=2); generated/demo/ "
        "is unchanged: an endless loop? fix it; only slower on this machine? raise the limit: "
        "`GENERATE_TIMEOUT=600 make generate CHAPTER=demo` (seconds, 0 = no limit)"]
    assert not none_left(mark)
    assert generated_folders(hanging) == ["demo"] and answer(hanging) == "42\n"


@pytest.mark.parametrize(("seconds", "limit", "why"), [
    (100.0, 500.0, "5 × its last run of 100 s, at least 120 s"),
    (3.2, 120.0, "5 × its last run of 3 s, at least 120 s"),
    (None, 1800.0, "the default for a recipe with no recorded run time"),
    ("soon", 1800.0, "the default for a recipe with no recorded run time"),
])
def test_time_limit_comes_from_the_recorded_run_time(tmp_path, monkeypatch, seconds, limit, why):
    monkeypatch.delenv(generate.TIMEOUT_ENV, raising=False)
    manifest = {"inputs": {}, "outputs": {}} | ({} if seconds is None else {"seconds": seconds})
    (tmp_path / "generated/demo").mkdir(parents=True)
    (tmp_path / "generated/demo/manifest.json").write_text(__import__("json").dumps(manifest))
    assert generate.time_limit("demo", tmp_path) == (limit, why)
    assert generate.time_limit("never-generated", tmp_path)[0] == generate.TIMEOUT_UNKNOWN


@pytest.mark.parametrize(("value", "limit"), [("600", 600.0), ("0", None)])
def test_time_limit_can_be_raised_or_lifted(tmp_path, monkeypatch, value, limit):
    monkeypatch.setenv(generate.TIMEOUT_ENV, value)
    assert generate.time_limit("demo", tmp_path) == (limit, f"GENERATE_TIMEOUT={value}")


def test_a_time_limit_that_is_not_a_number_is_one_line(tmp_path, root):
    project = _mini_project(tmp_path, root, HANGING_RECIPE, ANSWER)
    result = subprocess.run([sys.executable, "-m", "tools.generate", "demo"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, generate.TIMEOUT_ENV: "ten"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "generate: GENERATE_TIMEOUT='ten' is not a number of seconds: use e.g. GENERATE_TIMEOUT=600 "
        "(0 means no limit)"]


# ---------------------------------------------------------------- 3. damaged outputs stop the build in one line
@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "project").mkdir()
    return copy_project(tmp_path / "project", PROJECT_PARTS)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The build failed with exactly one error line and no traceback; returns that line."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
    assert len(errors) == 1, result.stderr[-3000:]
    return errors[0]


@pytest.mark.parametrize("damage", ["cut in half", "changed value"])
def test_damaged_generated_file_stops_the_build_with_the_doctors_line(project, tmp_path, damage):
    path = project / "generated/cnn/walkthrough.metrics.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:len(text) // 2] if damage == "cut in half" else text.replace("0.", "1.", 1),
                    encoding="utf-8")
    line = one_error_line(mkdocs_build(project, "en", tmp_path / "out"))
    doctor = "generated/cnn/walkthrough.metrics.json was edited by hand: run `make generate CHAPTER=cnn`"
    assert line.split(None, 2)[2] == doctor
    from tools import doctor as doctor_module
    assert doctor in doctor_module.check_generated(project)


def test_damaged_manifest_stops_the_build_and_is_regenerated(project, tmp_path):
    (project / "generated/cnn/manifest.json").write_text('{"inputs": {', encoding="utf-8")
    line = one_error_line(mkdocs_build(project, "tr", tmp_path / "out"))
    assert line.endswith("run `make generate CHAPTER=cnn`") and "generated/cnn/ cannot be read" in line
    assert generate._is_stale("cnn", project)  # so `make generate` re-runs it instead of failing


def test_missing_output_on_a_page_is_one_line(project, tmp_path):
    page = project / "docs/en/activations/index.md"  # the first page the build renders
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ output('cnn/walkthrough.nothing') }}\n", "utf-8")
    line = one_error_line(mkdocs_build(project, "en", tmp_path / "out"))
    assert line.endswith("ERROR docs/en/activations/index.md: generated/cnn/walkthrough.nothing.txt does not exist: "
                         "check the name on the page, or run `make generate` if the recipe should write it")


# ---------------------------------------------------------------- 4. full disk, read-only folder
@contextlib.contextmanager
def small_disk(folder: Path, size: str = "256k") -> Path:
    """A tmpfs of ``size`` mounted on ``folder`` for the block (needs root and a mount namespace
    that allows it); skips the test otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the injected write error still runs")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Write until the disk is full."""
    with contextlib.suppress(OSError), open(folder / "filler", "wb", buffering=0) as filler:
        while True:
            filler.write(b"\0" * 4096)


@pytest.mark.skipif(not LINUX, reason="tmpfs")
def test_full_disk_during_generation_is_one_line_and_keeps_the_outputs(tmp_path, root):
    project = _mini_project(tmp_path, root, HANGING_RECIPE, ANSWER)
    with small_disk(project / "generated"):
        assert generate.generate("demo", root=project) == "generated"
        fill(project / "generated")
        (project / "snippets/demo/work.py").write_text("def answer():\n    return 43\n")
        result = subprocess.run([sys.executable, "-m", "tools.generate", "demo"], cwd=project,
                                capture_output=True, text=True)
        assert result.returncode == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("generate: demo: could not write generated/.demo-")
        assert line.endswith(": No space left on device: free some space (`df -h .` shows what is left), "
                             "then run `make generate CHAPTER=demo`; generated/demo/ is unchanged")
        assert generated_folders(project) == ["demo", "filler"] and answer(project) == "42\n"


@pytest.mark.skipif(not LINUX, reason="tmpfs")
def test_read_only_folder_during_generation_is_one_line(tmp_path, root):
    project = _mini_project(tmp_path, root, HANGING_RECIPE, ANSWER)
    with small_disk(project / "generated"):
        assert generate.generate("demo", root=project) == "generated"
        subprocess.run(["mount", "-o", "remount,ro", str(project / "generated")], check=True)
        result = subprocess.run([sys.executable, "-m", "tools.generate", "demo", "--force"], cwd=project,
                                capture_output=True, text=True)
        assert result.returncode == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("generate: demo: could not write generated/.demo-")
        assert ": Read-only file system: make the folder writable, then run" in line and line.endswith("is unchanged")
        assert generated_folders(project) == ["demo"] and answer(project) == "42\n"


def test_injected_write_error_in_a_recipe_is_one_line(tmp_path, root):
    """Where no tmpfs can be mounted: the recipe's write fails the way a full disk makes it fail."""
    recipe = ("import errno, os\n\ndef generate(out):\n"
              "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out.folder / 'work.answer.json'))\n")
    project = _mini_project(tmp_path, root, recipe, ANSWER)
    with pytest.raises(generate.GenerateError) as error:
        generate.generate("demo", root=project)
    assert str(error.value).startswith("demo: could not write generated/.demo-")
    assert "/work.answer.json: No space left on device: free some space" in str(error.value)
    assert not (project / "generated").exists() or generated_folders(project) == []


@pytest.mark.parametrize(("filenames", "named"), [
    (["site/tr/cnn/index.html"], "site/tr/cnn/index.html"),
    ([".venv/lib/mkdocs/themes/mkdocs/css/base.css", "site/tr/css/base.css"], "site/tr/css/base.css"),  # a copy
])
def test_write_error_during_a_build_is_one_line(filenames, named):
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort) as error:
        hooks.on_build_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), filenames[0], None, *filenames[1:]))
    assert error.value.format_message() == (
        f"build: could not write {named}: No space left on device: free some space "
        "(`df -h .` shows what is left), then build again")
    hooks.on_build_error(ValueError("not a write error"))  # anything else: mkdocs reports it as before


# ---------------------------------------------------------------- 5. the site is swapped in whole
MINI_HOOKS = f"""\
import sys, time
from pathlib import Path

sys.path.insert(0, {str(ROOT)!r})
from tools.hooks import on_build_error  # the project's one-line write errors


def on_post_build(config):
    if Path("slow").exists():  # a build that is interrupted after it wrote its pages
        Path("written").write_text("")
        time.sleep(120)
"""


@pytest.fixture
def mini_site(tmp_path) -> Path:
    """A two-language MkDocs project that builds in a second, and a previous site/ beside it."""
    project = tmp_path / "project"
    for lang in ("tr", "en"):
        (project / "docs" / lang).mkdir(parents=True)
        (project / "docs" / lang / "index.md").write_text(f"# {lang}\n")
        config = f"site_name: Mini {lang}\ndocs_dir: docs/{lang}\ntheme: {{name: mkdocs}}\nhooks: [hooks.py]\n"
        (project / ("mkdocs.yml" if lang == "tr" else "mkdocs.en.yml")).write_text(config)
    (project / "config").mkdir()
    (project / "config/site-root.html").write_text("<meta http-equiv=refresh content='0; url=tr/'>\n")
    (project / "hooks.py").write_text(MINI_HOOKS)
    (tmp_path / "site/tr").mkdir(parents=True)
    (tmp_path / "site/tr/index.html").write_text("previous site")
    return project


def site_build(project: Path, site: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tools.site", "--site", str(site), "--root", str(project)],
                            cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def beside(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name != "project")


@pytest.mark.skipif(not LINUX, reason="tmpfs")
def test_full_disk_during_the_build_is_one_line_and_keeps_the_previous_site(mini_site, tmp_path):
    with small_disk(tmp_path / "disk", size="128k") as disk:
        site = disk / "site"
        shutil.move(tmp_path / "site", site)  # the previous site, on the small disk
        build = site_build(mini_site, site)
        stdout, stderr = build.communicate(timeout=120)
        assert build.returncode == 1
        assert "Traceback" not in stderr, stderr[-3000:]
        (line,) = [line for line in stdout.splitlines() if line.startswith("build:")]  # mkdocs' Abort: stdout
        assert line.startswith(f"build: could not write {disk}/.site-{build.pid}-new/tr/")
        assert line.endswith(": No space left on device: free some space (`df -h .` shows what is left), "
                             "then build again")
        assert stderr.strip().splitlines()[-1] == "site: the Turkish build failed (its error is above): " \
                                                  "site/ is unchanged"
        assert beside(site) == ["site"]
        assert (site / "tr/index.html").read_text() == "previous site"


@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_interrupted_build_keeps_the_previous_site_then_a_full_build_replaces_it(mini_site, tmp_path, mark):
    site = tmp_path / "site"
    (mini_site / "slow").write_text("")
    build = site_build(mini_site, site)
    wait_for(mini_site / "written", build)  # the Turkish pages are written, wherever the build writes them
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 128 + signal.SIGTERM
    assert stderr.strip().splitlines()[-1] == ("site: stopped by SIGTERM; site/ is unchanged and nothing "
                                               "half-written is left: run `make site` again")
    assert not none_left(mark)
    assert beside(site) == ["site"]
    assert (site / "tr/index.html").read_text() == "previous site"

    (mini_site / "slow").unlink()
    build = site_build(mini_site, site)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 0, stderr[-3000:]
    assert sorted(p.name for p in site.iterdir()) == ["en", "index.html", "tr"]
    assert "Mini tr" in (site / "tr/index.html").read_text(encoding="utf-8")
    assert "Mini en" in (site / "en/index.html").read_text(encoding="utf-8")
    assert beside(site) == ["site"]


# ---------------------------------------------------------------- the process check itself
@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_leftover_check_finds_and_ends_a_process_of_the_run(mark, root):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        expected = {sleeper.pid: f"{sys.executable} -c import time; time.sleep(300)"}
        deadline = time.monotonic() + 10  # until the child has replaced itself with the command (exec)
        while processes.leftovers(mark) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes.leftovers(mark) == expected
        result = subprocess.run([sys.executable, "-m", "tools.processes"], cwd=root, capture_output=True, text=True)
        assert result.returncode == 1
        assert f"processes: pid {sleeper.pid} was still running and was killed" in result.stderr
        assert sleeper.wait(5) == -signal.SIGKILL
        assert processes.leftovers(mark) == {}
    finally:
        sleeper.kill()


@pytest.mark.skipif(not LINUX, reason="reads the process table from /proc")
def test_an_inner_runs_check_sees_what_it_started_and_not_its_siblings(mark, root):
    """An inner run (a test worker, a nested pytest) nests its mark in the outer one: its check leaves a
    sibling's process alone, and the outer run's check still finds what the inner run left."""
    sleep = [sys.executable, "-c", "import time; time.sleep(300)"]
    inner = subprocess.run([sys.executable, "-c", "from tools import processes; print(processes.mark_run('inner'))"],
                           cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    assert inner.startswith(f"{mark}/inner-")
    sibling = subprocess.Popen(sleep)  # carries the outer mark only
    nested = subprocess.Popen(sleep, env={**os.environ, processes.MARK: inner})
    try:
        deadline = time.monotonic() + 10
        while len(processes.leftovers(mark)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert set(processes.leftovers(inner)) == {nested.pid}
        assert set(processes.leftovers(mark)) == {sibling.pid, nested.pid}
        assert processes.leftovers(f"{mark}-other") == {}  # a mark is matched whole, not as a text prefix
    finally:
        sibling.kill()
        nested.kill()
