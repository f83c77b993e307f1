"""README's examples run on a demo store of the sample corpus, so they cannot rot.

Every ```graphql block (one query per paragraph) must answer without errors and with data
in every top-level field; the ```bash curl mutation is sent to the API with a token; every
``shegong ...`` line in an indented block is parsed by the CLI and run (servers and Bolt
URIs only parsed); the ```python snippet runs beside the demo store and prints something.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore, open_store
from shegong.loaders.cli import build_parser
from shegong.loaders.pipeline import load_paths
from starlette.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
TOKEN = "readme-token"

pytestmark = pytest.mark.slow


def fenced(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def graphql_queries() -> list[str]:
    return [q.strip() for block in fenced("graphql") for q in block.split("\n\n") if q.strip()]


def cli_lines() -> list[str]:
    """``shegong ...`` lines of indented blocks, trailing comments cut; synopsis lines
    (``[--option]``, ``FILE...``) left out."""
    lines = []
    for line in README.splitlines():
        text = line.strip()
        if not (line.startswith("    ") and text.startswith("shegong ")):
            continue
        text = re.sub(r"\s+#.*$", "", text)
        if "[" in text or "..." in text or text.endswith("\\"):
            continue
        lines.append(text)
    return lines


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "shegong.db"
    store = open_store(str(path))
    try:
        assert load_paths(store, [REPO / "data" / "articles"], workers=1).ok
    finally:
        store.close()
    return path


def has_data(value: Any) -> bool:
    """Not null and not empty; a connection has edges, a list has items."""
    if value is None or value == [] or value == {}:
        return False
    if isinstance(value, dict):
        for key in ("edges", "nodes", "relations", "nodesByLabel"):
            if key in value and not value[key]:
                return False
    return True


@pytest.fixture(scope="module")
def client(demo_store: Path) -> Any:
    store: GraphStore = open_store(str(demo_store))
    with TestClient(create_app(store, ApiSettings(editor_token=TOKEN))) as test_client:
        yield test_client
    store.close()


def test_readme_has_the_examples() -> None:
    assert len(graphql_queries()) >= 3 and len(cli_lines()) >= 10 and fenced("python")


@pytest.mark.parametrize("query", graphql_queries(), ids=lambda q: q.splitlines()[0][:60])
def test_readme_graphql_example_returns_data(client: Any, query: str) -> None:
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body["errors"]
    for field, value in body["data"].items():
        assert has_data(value), f"{field} returned no data: {value}"


def test_readme_curl_mutation_runs(demo_store: Path, tmp_path: Path) -> None:
    [curl] = [b for b in fenced("bash") if "curl" in b]
    payload = json.loads(re.search(r"-d '(.*)'", curl, flags=re.S).group(1))  # type: ignore[union-attr]
    copy = tmp_path / "copy.db"
    shutil.copy(demo_store, copy)
    store = open_store(str(copy))
    try:
        with TestClient(create_app(store, ApiSettings(editor_token=TOKEN))) as api:
            headers = {"authorization": f"Bearer {TOKEN}", "x-shegong-editor": "wang"}
            body = api.post("/graphql", json=payload, headers=headers).json()
    finally:
        store.close()
    assert "errors" not in body, body["errors"]
    assert all(has_data(v) for v in body["data"].values())


@pytest.fixture
def workdir(demo_store: Path, tmp_path: Path) -> Path:
    """A directory like a checkout after `make demo`, with the files README's lines name."""
    for name in ("data", "loaders"):
        (tmp_path / name).symlink_to(REPO / name)
    shutil.copy(demo_store, tmp_path / "shegong.db")
    article = {"title": "海南省社会工作联合会举办培训", "text": "海南省社会工作联合会举办培训。"}
    (tmp_path / "more.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "page.html").write_text(
        "<html><head><title>社工</title></head><body><p>中国社会工作联合会召开会议。</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "corpus").mkdir()
    shutil.copy(REPO / "data" / "articles" / "003_7eafb0b8637f852a.txt", tmp_path / "corpus")
    return tmp_path


def test_readme_cli_lines_run(workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHEGONG_", "NEO4J_"))}
    env["SHEGONG_EDITOR"] = "readme"
    parser = build_parser()
    ran = 0
    for line in cli_lines():
        argv = shlex.split(line)[1:]
        args = parser.parse_args(argv)  # every line is one the CLI accepts
        store = getattr(args, "store", None) or ""
        if args.command in ("serve", "demo") or store.startswith(("bolt:", "neo4j:")):
            continue  # a server, or a Bolt server this test does not have
        done = subprocess.run(
            [sys.executable, "-m", "shegong.loaders.cli", *argv],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        ran += 1
    assert ran >= 10


def test_readme_python_snippet_runs(workdir: Path) -> None:
    [snippet] = fenced("python")
    done = subprocess.run(
        [sys.executable, "-c", snippet],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) >= 5, done.stdout  # central orgs and a path
