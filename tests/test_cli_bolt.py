"""The ``shegong`` command with ``--store bolt://...``: the same load, stats and export
as with the embedded store, and one clear line when the server cannot be used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bolt_server import BoltServer, free_port

REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.bolt, pytest.mark.slow]


def shegong(
    *args: str, store: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SHEGONG_STORE", "NEO4J_AUTH", "NEO4J_USER", "NEO4J_PASSWORD")
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "shegong.loaders.cli", "--store", store, *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=600,
    )


def bolt_env(server: BoltServer) -> dict[str, str]:
    env = {"NEO4J_DATABASE": server.database or ""}
    if server.user:
        env["NEO4J_AUTH"] = f"{server.user}/{server.password}"
    return env


def test_cli_bolt_load_stats_export_match_embedded(
    bolt_server: BoltServer, articles_dir: Path, tmp_path: Path
) -> None:
    bolt_server.clear()
    env = bolt_env(bolt_server)
    embedded = str(tmp_path / "kg.db")
    for store, store_env in ((bolt_server.uri, env), (embedded, {})):
        done = shegong("load", str(articles_dir), "--workers", "1", store=store, env=store_env)
        assert done.returncode == 0, done.stderr
        assert "files:     5 read\n" in done.stdout

    again = shegong("load", str(articles_dir), "--workers", "1", store=bolt_server.uri, env=env)
    assert again.returncode == 0, again.stderr
    assert "files:     0 read, 5 unchanged since stored" in again.stdout  # recorded in Neo4j
    again = shegong(
        "load", str(articles_dir), "--workers", "1", "--force", store=bolt_server.uri, env=env
    )
    assert again.returncode == 0, again.stderr
    assert "files:     5 read\n" in again.stdout
    assert "entities:  0 added, 0 updated" in again.stdout
    assert "relations: 0 added, 0 updated" in again.stdout

    stats = {}
    for store, store_env in ((bolt_server.uri, env), (embedded, {})):
        done = shegong("stats", "--json", "--top", "20", store=store, env=store_env)
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        data.pop("store")
        stats[store] = data
    assert stats[bolt_server.uri] == stats[embedded]
    assert stats[embedded]["nodes_by_label"]["Article"] == 21

    exported = {}
    for store, store_env in ((bolt_server.uri, env), (embedded, {})):
        out = tmp_path / f"{'bolt' if store_env else 'embedded'}.json"
        done = shegong(
            "export", "--format", "node-link", "-o", str(out), store=store, env=store_env
        )
        assert done.returncode == 0, done.stderr
        exported[store] = json.loads(out.read_text("utf-8"))
    assert exported[bolt_server.uri] == exported[embedded]


def test_cli_bolt_server_down_is_one_line(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    done = shegong("stats", store=uri, env={"NEO4J_AUTH": "neo4j/s3cret-pw"})
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("shegong: error:"), done.stderr
    assert uri in lines[0] and "s3cret-pw" not in done.stderr


def test_cli_bolt_wrong_password_is_one_line(bolt_server: BoltServer) -> None:
    if not bolt_server.user:
        pytest.skip("the server named by NEO4J_URI runs without authentication")
    env = {**bolt_env(bolt_server), "NEO4J_AUTH": f"{bolt_server.user}/wrong-pw-123"}
    done = shegong("load", "data/articles", store=bolt_server.uri, env=env)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "authentication failed" in lines[0], done.stderr
    assert bolt_server.uri in lines[0] and "wrong-pw-123" not in done.stderr
