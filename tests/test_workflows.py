"""CI plumbing: GitHub workflows (actionlint, pinned, least privilege, trusted GPU code) and the install step."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parents[1] / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def test_actionlint_passes(root):
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert actionlint, "actionlint is missing: run `make install`"
    result = subprocess.run([actionlint, *map(str, WORKFLOWS)], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.search(r"uses:\s*(\S+)", line)
        if match and not match.group(1).startswith("./"):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", match.group(1)), f"{path.name}: {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_default_permissions_are_read_only(path):
    assert load(path)["permissions"] == {"contents": "read"}


def test_gpu_job_never_runs_pull_request_code():
    for path in WORKFLOWS:
        workflow = load(path)
        for job in workflow["jobs"].values():
            if "gpu" in (job.get("runs-on") or []):
                assert not {"pull_request", "pull_request_target"} & set(workflow["on"]), path.name


def test_pages_deploy_waits_for_cpu_and_cuda():
    publish = load(WORKFLOWS[[p.name for p in WORKFLOWS].index("publish.yml")])
    deploy = publish["jobs"]["deploy"]
    assert set(deploy["needs"]) == {"cpu", "cuda"}
    cuda = publish["jobs"]["cuda"]
    runs = [step.get("run", "") for step in cuda["steps"]]
    assert any("--device cuda" in run for run in runs)
    # the published site is built after the GPU tests passed, so its stamp may say CUDA
    build = next(step for step in cuda["steps"] if step.get("run") == "make site")
    assert build["env"]["VERIFIED_CUDA"] == "1" and runs.index("make site") > next(
        i for i, run in enumerate(runs) if "--device cuda" in run)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(publish["on"]) == {"push", "workflow_dispatch"}


def test_install_stops_early_when_the_disk_is_too_full(root, tmp_path):
    """A fresh install needs ~6 GiB; a full disk gets one clear line, not pip's OSError half-way."""
    for name in ("Makefile", "requirements.txt", "constraints.txt"):
        shutil.copy(root / name, tmp_path / name)
    result = subprocess.run(
        ["make", "install", "NEED_MIB=999999999"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "MiB free on this disk" in result.stderr
    assert "free some space" in result.stderr
    assert not (tmp_path / ".venv").exists(), "nothing may be installed when the disk is too full"


def _workflow(name: str) -> dict:
    return load(WORKFLOWS[[p.name for p in WORKFLOWS].index(name)])


@pytest.mark.parametrize("count", [1, 3, 4, 40])
def test_shards_hold_every_chapter_exactly_once(count):
    """A new chapter cannot fall out of CI: the shards' union is every chapter, with no repeats."""
    from tools import generate, shards

    plan = shards.plan(count)
    flat = [chapter for shard in plan for chapter in shard]
    assert sorted(flat) == generate.chapters() and len(flat) == len(set(flat))
    assert len(plan) == min(count, len(generate.chapters())) and all(plan)


def test_shards_are_balanced_by_recorded_recipe_time():
    from tools import shards

    plan = shards.plan(4)
    loads = [sum(shards.recorded_seconds(c) for c in shard) for shard in plan]
    heaviest = max(shards.recorded_seconds(c) for shard in plan for c in shard)
    assert max(loads) - min(loads) <= heaviest  # greedy longest-first: within one chapter's time


def test_ci_runs_site_checks_once_and_every_shard_on_the_plan():
    ci = _workflow("ci.yml")
    site, chapters = ci["jobs"]["site"], ci["jobs"]["chapters"]
    assert site["steps"][-1]["env"]["PYTEST_ARGS"] == "--only site"
    assert chapters["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert "--only chapters" in chapters["steps"][-1]["run"] and "CHAPTER=" in chapters["steps"][-1]["run"]
    assert "tools.shards" in ci["jobs"]["plan"]["steps"][-1]["run"]
    for job in (site, chapters):
        setup = next(s for s in job["steps"] if "setup-python" in s.get("uses", ""))
        assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "constraints.txt"


def test_drift_watch_is_weekly_on_the_newest_release_with_least_privilege():
    drift = _workflow("drift.yml")
    assert "schedule" in drift["on"] and len(drift["on"]["schedule"][0]["cron"].split()) == 5
    job = drift["jobs"]["newest-pytorch"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "--upgrade torch torchvision" in script and "constraints.txt" not in script
    assert "-W error::DeprecationWarning" in script
    assert "gh issue create" in script and "gh issue comment" in script  # one issue, updated


def test_chapter_selection_keeps_one_chapters_tests_and_the_site_wide_ones(root):
    """`make test CHAPTER=cnn` and the CI shards (`--only chapters`) select what they say."""
    def collected(*args: str) -> list[str]:
        result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                                 *args], cwd=root, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return [line for line in result.stdout.splitlines() if "::" in line]

    # A few folders and modules stand for the whole suite: each collection imports what it collects.
    shard = collected("--chapter", "cnn,vit", "--only", "chapters", "tests/cnn", "tests/vit", "tests/rnn",
                      "tests/test_generated.py", "tests/test_prose.py")
    assert shard and all(t.startswith(("tests/cnn/", "tests/vit/")) or "[cnn]" in t or "[vit]" in t for t in shard)
    assert any("test_committed_outputs_verify_against_a_run_on_other_numeric_settings[cnn]" in t for t in shard)
    site = collected("--only", "site", "tests/test_generated.py", "tests/test_workflows.py")
    assert site and not any("[cnn]" in t for t in site)
    bad = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "--chapter", "nope",
                          "tests/test_prose.py"],
                         cwd=root, capture_output=True, text=True)
    assert bad.returncode != 0 and "--chapter: unknown chapter 'nope'" in bad.stderr
