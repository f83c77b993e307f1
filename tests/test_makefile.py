"""What each Makefile target installs, read from ``make -n`` on a fresh copy (no .venv):
the demo gets the runtime only, the tests the test extras, the notebooks JupyterLab."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AUDIT = ("tests/gql/audit/package.json", "tests/gql/audit/package-lock.json")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

# run as a make of its own even under `make test` (no "make[1]: Entering directory")
_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def _make_n(tmp_path: Path, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=_ENV,
    )


def planned(tmp_path: Path, target: str) -> list[str]:
    for name in ("Makefile", "pyproject.toml", "requirements.lock", *AUDIT):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    done = _make_n(tmp_path, target)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if "pip install" in line]


LOCKED = "pip install -q --require-hashes -r requirements.lock"


def test_makefile_demo_installs_the_runtime_only(tmp_path: Path) -> None:
    installs = planned(tmp_path, "demo")
    assert installs[-2].endswith(LOCKED)  # the locked runtime, then the package alone
    assert installs[-1].endswith("pip install -q --no-deps -e .")
    assert not any("[test]" in line or "[notebooks]" in line for line in installs)


def test_makefile_test_adds_the_test_extras_to_the_locked_runtime(tmp_path: Path) -> None:
    installs = planned(tmp_path, "test")
    assert installs[-1].endswith("pip install -q -e '.[test]'")
    assert any(line.endswith(LOCKED) for line in installs[:-1])  # what CI (make test) runs


def test_makefile_notebooks_installs_jupyterlab_and_starts_it(tmp_path: Path) -> None:
    installs = planned(tmp_path, "notebooks")
    assert installs[-1].endswith("pip install -q -e '.[notebooks]'")
    done = _make_n(tmp_path, "notebooks")
    assert done.stdout.splitlines()[-1] == ".venv/bin/jupyter lab notebooks/"
    extras = (REPO / "pyproject.toml").read_text(encoding="utf-8").split("notebooks = [")[1]
    assert '"jupyterlab' in extras.split("]")[0]
