"""The tests' Neo4j says why it cannot start: no Maven, a bad option, a port in use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bolt_server import BoltServer, ServerError
from tests.support.neo4j_jars import POM, JarsError, ensure_jars, neo4j_version
from tests.support.neo4j_server import Neo4jServer

REPO = Path(__file__).resolve().parents[1]


def test_neo4j_jars_without_maven_name_it_and_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither mvn nor java here
    with pytest.raises(JarsError, match=r"no `mvn` on PATH.*NEO4J_URI"):
        ensure_jars(cache=tmp_path / "cache")
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_neo4j_jars_version_is_a_5_26_release() -> None:
    assert neo4j_version(POM).startswith("5.26.")


def test_neo4j_server_command_rejects_a_bad_port() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.neo4j_server", "--port", "70000"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2 and "--port must be 0-65535, not 70000" in done.stderr
    assert done.stdout == ""


@pytest.mark.bolt
@pytest.mark.slow
def test_neo4j_server_on_a_port_in_use_fails_with_the_reason(bolt_server: BoltServer) -> None:
    if not isinstance(bolt_server, Neo4jServer):
        pytest.skip("NEO4J_URI names an external server: no port of a test Neo4j to take")
    second = Neo4jServer.create(port=bolt_server.port)
    try:
        with pytest.raises(ServerError) as caught:
            second.start()
    finally:
        second.remove()
    message = str(caught.value)
    assert "Neo4j exited with code 1 while starting" in message
    assert "neo4j failed to start:" in message and "Address already in use" in message
