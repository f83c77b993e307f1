"""docker-compose.yml and the Dockerfile, checked by structure (no Docker engine here):
the services, their ports, credentials, health checks and start order, and that every
``shegong`` command they run is one the CLI accepts."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from shegong.loaders.cli import build_parser

from tests.support.bolt_server import BoltServer
from tests.support.neo4j_jars import neo4j_version

REPO = Path(__file__).resolve().parents[1]
#: Published on the loopback interface unless .env says otherwise.
LOOPBACK = "${SHEGONG_BIND:-127.0.0.1}"
#: ``:?``: compose stops with this message when NEO4J_AUTH is unset or empty.
REQUIRED_AUTH = "${NEO4J_AUTH:?set NEO4J_AUTH=neo4j/<password> in .env, see .env.example}"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "docker-compose.yml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]  # type: ignore[no-any-return]


def check_cli(argv: list[str]) -> None:
    """``argv`` is a shegong command line the CLI parses (without running it)."""
    assert argv[0] == "shegong"
    args = build_parser().parse_args(argv[1:])
    assert args.store == "bolt://neo4j:7687"
    assert callable(args.func)


def test_compose_services(compose: dict[str, Any]) -> None:
    assert set(services(compose)) == {"neo4j", "api", "load"}
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}


def test_compose_neo4j(compose: dict[str, Any]) -> None:
    neo4j = services(compose)["neo4j"]
    # The Neo4j line the test suite runs (tests/support/pom.xml), community edition.
    tested = ".".join(neo4j_version().split(".")[:2])
    assert neo4j["image"] == f"neo4j:{tested}-community"
    assert set(neo4j["ports"]) == {f"{LOOPBACK}:7474:7474", f"{LOOPBACK}:7687:7687"}
    assert neo4j["environment"]["NEO4J_AUTH"] == REQUIRED_AUTH
    assert {v.split(":")[1] for v in neo4j["volumes"]} == {"/data", "/logs"}
    health = neo4j["healthcheck"]
    test = " ".join(health["test"])
    assert "cypher-shell" in test and "bolt://localhost:7687" in test
    # $$ so that compose leaves the expansion to the container's shell
    assert "$${NEO4J_AUTH" in test
    assert health["retries"] >= 3 and "start_period" in health


def test_compose_api(compose: dict[str, Any]) -> None:
    api = services(compose)["api"]
    assert api["build"] == "."
    assert api["ports"] == [f"{LOOPBACK}:8000:8000"]
    assert api["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    env = api["environment"]
    assert env["NEO4J_AUTH"] == services(compose)["neo4j"]["environment"]["NEO4J_AUTH"]
    assert "SHEGONG_EDITOR_TOKEN" in env and env["SHEGONG_STORE"] == "bolt://neo4j:7687"
    check_cli(api["command"])
    assert api["command"][-4:] == ["--host", "0.0.0.0", "--port", "8000"]
    assert "/health" in " ".join(api["healthcheck"]["test"])


def test_compose_load_is_one_shot(compose: dict[str, Any]) -> None:
    load = services(compose)["load"]
    assert load["restart"] == "no"
    assert load["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert load["environment"]["NEO4J_AUTH"] == REQUIRED_AUTH
    check_cli(load["command"])
    assert load["command"][3:] == ["load", "data/articles"]
    assert (REPO / "data" / "articles").is_dir()
    assert load["image"] == services(compose)["api"]["image"]


def test_dockerfile_builds_the_package_and_serves() -> None:
    text = (REPO / "Dockerfile").read_text("utf-8")
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    stages = [i for i, line in enumerate(lines) if line.startswith("FROM ")]
    assert [lines[i] for i in stages] == ["FROM node:20-slim AS web", "FROM python:3.11-slim"]
    # the web stage builds gql/static/dist as `make web` does: npm ci from the lock file,
    # then build.mjs, which writes ../gql/static/dist
    web, lines = lines[: stages[1]], lines[stages[1] :]
    assert "COPY web/package.json web/package-lock.json ./" in web
    assert web.index("RUN npm ci --no-audit --no-fund") < web.index("RUN node build.mjs")
    assert (REPO / "web" / "package-lock.json").is_file()
    assert 'join(here, "..", "gql", "static", "dist")' in (REPO / "web" / "build.mjs").read_text()
    served = lines.index("COPY --from=web /src/gql/static/dist ./gql/static/dist")
    assert lines.index("COPY gql ./gql") < served < lines.index("RUN pip install --no-deps .")
    # the dependency layer: the lock file alone, installed with its hashes, then the code
    runs = [i for i, line in enumerate(lines) if line.startswith(("RUN ", "COPY "))]
    first_copy, deps = runs[0], runs[1]
    assert lines[first_copy] == "COPY requirements.lock ./"
    assert lines[deps].startswith("RUN pip install --require-hashes -r requirements.lock")
    code = [i for i, line in enumerate(lines) if line.startswith("COPY ") and "./schema" in line]
    assert deps < code[0]
    assert any(line == "RUN pip install --no-deps ." for line in lines)
    copied = {line.split()[1] for line in lines if line.startswith("COPY ")}
    for folder in ("schema", "graph", "loaders", "gql", "data"):
        assert folder in copied and (REPO / folder).is_dir()
    assert {"pyproject.toml", "README.md"} <= {
        part for line in lines if line.startswith("COPY ") for part in line.split()[1:-1]
    }
    cmd = [line for line in lines if line.startswith("CMD ")]
    assert len(cmd) == 1
    argv = json.loads(cmd[0][len("CMD ") :])
    check_cli(argv)
    assert argv[3] == "serve"


def test_compose_has_no_default_password_anywhere() -> None:
    text = (REPO / "docker-compose.yml").read_text("utf-8")
    assert "${NEO4J_AUTH:-" not in text and "change-me" not in text
    assert text.count(REQUIRED_AUTH) == 3  # neo4j, api, load
    # every published port names the interface: nothing on all interfaces by default
    for service in yaml.safe_load(text)["services"].values():
        for port in service.get("ports", []):
            assert port.startswith(LOOPBACK + ":"), port


def test_env_file_is_ignored_and_an_example_is_shipped() -> None:
    ignored = (REPO / ".gitignore").read_text("utf-8").splitlines()
    assert ".env" in ignored
    assert ".env" in (REPO / ".dockerignore").read_text("utf-8").splitlines()
    example = (REPO / ".env.example").read_text("utf-8")
    values = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    assert set(values) == {"NEO4J_AUTH"}
    user, _, password = values["NEO4J_AUTH"].partition("/")
    assert user == "neo4j" and len(password) >= 8 and "replace" in password
    tracked = subprocess.run(
        ["git", "ls-files", ".env"], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert tracked.stdout == ""


def test_lock_file_pins_every_runtime_dependency_within_its_bounds() -> None:
    """requirements.lock (``make lock``) is in step with pyproject.toml: every dependency
    pinned (``==``, with hashes) at a version its specifier allows."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = (REPO / "requirements.lock").read_text("utf-8")
    pinned = {
        canonicalize_name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==([^ \\\n]+)", lock, re.M)
    }
    assert lock.count("--hash=sha256:") >= len(pinned)
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} vs {spec}"


@pytest.mark.bolt
def test_compose_healthcheck_cypher_runs_on_the_tested_neo4j(
    compose: dict[str, Any], bolt_server: BoltServer
) -> None:
    from neo4j import GraphDatabase

    test = " ".join(services(compose)["neo4j"]["healthcheck"]["test"])
    [statement] = re.findall(r'"([A-Z][^"]*)"', test)  # the Cypher cypher-shell runs
    auth = (bolt_server.user or "", bolt_server.password or "")
    with GraphDatabase.driver(bolt_server.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(statement, database_=bolt_server.database)
    assert len(records) == 1
