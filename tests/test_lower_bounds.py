"""The lower bound of strawberry-graphql in pyproject.toml is one the code runs on: that
version (with the graphql-core pip picks for it) is installed into a throwaway directory
put before the environment's packages, and the API is built and queried with it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

CHECK = """
from pathlib import Path
import strawberry, tempfile
from starlette.testclient import TestClient
from shegong.gql import create_app
from shegong.gql.schema import schema_sdl
from shegong.graph import open_store

print(Path(strawberry.__file__).parent)
assert schema_sdl() == Path("schema.graphql").read_text(encoding="utf-8"), "schema differs"
store = open_store(str(Path(tempfile.mkdtemp()) / "x.db"))
with TestClient(create_app(store)) as client:
    query = '{ stats(top: 1) { nodesByLabel { label count } } search(text: "社会") { totalCount } }'
    answer = client.post("/graphql", json={"query": query})
    assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
"""


def lower_bound(package: str) -> str:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    [spec] = [d for d in deps if re.match(rf"{re.escape(package)}\s*>=", d)]
    return spec.split(">=")[1].strip()


def test_lower_bounds_strawberry_minimum_runs_the_api(tmp_path: Path) -> None:
    version = lower_bound("strawberry-graphql")
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(target)]
        + [f"strawberry-graphql=={version}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(target / "strawberry")  # the minimum was the one used
