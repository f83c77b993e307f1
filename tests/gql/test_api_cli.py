"""``shegong serve`` and the benchmark script, run as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from shegong.graph import open_store

from tests.gql.graph_data import G, graph_batch
from tests.gql.server import free_port

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "shegong.loaders.cli"]


def _wait_healthy(url: str, proc: subprocess.Popen[str], timeout: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the server exited with {proc.returncode}:\n{out}\n{err}")
        try:
            response = httpx.get(f"{url}/health", timeout=1)
            if response.status_code == 200:
                health: dict[str, object] = response.json()
                return health
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    pytest.fail("the server did not answer /health in time")


def served_store(tmp_path: Path) -> Path:
    """An embedded store in ``tmp_path`` holding the test graph, closed for a server."""
    db = tmp_path / "served.db"
    store = open_store(str(db))
    store.upsert(graph_batch())
    store.close()
    return db


def test_shegong_serve(tmp_path: Path) -> None:
    db = served_store(tmp_path)
    port = free_port()
    env = {**os.environ, "SHEGONG_EDITOR_TOKEN": "cli-token"}
    proc = subprocess.Popen(
        [
            *CLI,
            "--store",
            str(db),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        health = _wait_healthy(url, proc)
        assert health["status"] == "ok" and health["nodes"] == len(graph_batch().nodes)
        query = {
            "query": "query ($id: ID!) { entity(id: $id) { name } }",
            "variables": {"id": G.zhang.id},
        }
        assert httpx.post(f"{url}/graphql", json=query).json() == {
            "data": {"entity": {"name": "张三"}}
        }
        mutation = {
            "query": f'mutation {{ addAlias(id: "{G.zhang.id}", alias: "张老三") {{ aliases }} }}'
        }
        edited = httpx.post(
            f"{url}/graphql", json=mutation, headers={"authorization": "Bearer cli-token"}
        ).json()
        assert edited == {"data": {"addAlias": {"aliases": ["张老三"]}}}
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert f"at http://127.0.0.1:{port}/graphql" in out
    assert "editor mutations enabled" in out
    assert "Traceback" not in err


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_shegong_serve_workers(tmp_path: Path) -> None:
    """--workers 2: two server processes answer on one port, each over its own store
    connection, and an edit made through one is read through the other."""
    db = served_store(tmp_path)
    port = free_port()
    env = {**os.environ, "SHEGONG_EDITOR_TOKEN": "cli-token"}
    proc = subprocess.Popen(
        [*CLI, "--store", str(db), "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, timeout=60)
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_children(proc.pid)) >= 2, "uvicorn did not start two workers"
        mutation = {
            "query": f'mutation {{ addAlias(id: "{G.zhang.id}", alias: "张老三") {{ aliases }} }}'
        }
        headers = {"authorization": "Bearer cli-token"}
        assert httpx.post(f"{url}/graphql", json=mutation, headers=headers).json() == {
            "data": {"addAlias": {"aliases": ["张老三"]}}
        }
        query = {"query": f'{{ entity(id: "{G.zhang.id}") {{ aliases }} }}'}
        for _ in range(20):  # new connections: spread over both workers by the kernel
            with httpx.Client() as client:
                answer = client.post(f"{url}/graphql", json=query).json()
            assert answer == {"data": {"entity": {"aliases": ["张老三"]}}}
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert f"at http://127.0.0.1:{port}/graphql in 2 processes" in out
    assert proc.returncode == 0 and "Traceback" not in err, err


@pytest.mark.parametrize("bad", ["0", "two", "-1"])
def test_shegong_serve_rejects_bad_workers(tmp_path: Path, bad: str) -> None:
    done = subprocess.run(
        [*CLI, "--store", str(tmp_path / "x.db"), "serve", "--workers", bad],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "argument --workers:" in done.stderr


def test_shegong_serve_rejects_a_bad_port(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            *CLI,
            "--store",
            str(tmp_path / "x.db"),
            "serve",
            "--port",
            "70000",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "argument --port: must be between 1 and 65535, not 70000" in done.stderr


@pytest.mark.slow
def test_benchmark_runs_small(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "api.py"),
            "--relations",
            "3000",
            "--seconds",
            "0.2",
            "--clients",
            "1,8",
            "--server-workers",
            "1,2",
            "--memory-seconds",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    queries = (
        "entity+relations+evidence",
        "search",
        "2-hop neighbourhood",
        "where:",
        "orderBy",
        "aggregate of",
    )
    rows = [line for line in done.stdout.splitlines() if line.startswith(queries)]
    # 7 queries (entity, search, neighbourhood; filtered, sorted, aggregated twice) x 2
    # server process counts x 2 client counts x (graphql, bare)
    assert len(rows) == 7 * 2 * 2 * 2, done.stdout
    assert "errors" not in done.stdout, done.stdout
    verdicts = [line for line in done.stdout.splitlines() if line.startswith("entity query")]
    assert len(verdicts) == 2 * 2, done.stdout  # throughput at 1 and 8 clients, per count
    assert all("(target >= 0.60)" in v for v in verdicts), verdicts
    # the server's RSS, sampled from /proc: per process count, then `shegong serve`
    memory = [line for line in done.stdout.splitlines() if line.startswith("server RSS")]
    assert len(memory) == 2 and all("no 32-client cell ran" in m for m in memory), memory
    serve = [
        line for line in done.stdout.splitlines() if line.startswith("memory run of shegong serve")
    ]
    assert len(serve) == 1 and "0 failed" in serve[0] and "(target < 1024 MB)" in serve[0], serve
    assert re.search(r"peak ([1-9]\d*) MB", serve[0]), serve  # a real reading, not 0


def test_shegong_demo_loads_then_serves(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "--store", str(db), "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "SHEGONG_EDITOR_TOKEN"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        health = _wait_healthy(url, proc, timeout=240)
        q = {"query": "{ articles { totalCount } stats { relations } }"}
        data = httpx.post(f"{url}/graphql", json=q, timeout=30).json()["data"]
        assert (
            data["articles"]["totalCount"] >= 5 and health["nodes"] > data["articles"]["totalCount"]
        )
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert "articles:" in out  # the load report came first
    assert "editor mutations disabled (SHEGONG_EDITOR_TOKEN unset)" in out
    assert "Traceback" not in err
