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
    assert "--device cuda" in publish["jobs"]["cuda"]["steps"][-1]["run"]
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
