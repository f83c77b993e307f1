"""A real Neo4j 5 community server for the tests (and for developers without Docker).

The embedded database of the Maven artifacts ``org.neo4j:neo4j`` and ``org.neo4j:neo4j-bolt``
(tests/support/pom.xml, resolved by ``neo4j_jars``) runs in a child JVM started by
``tests/support/Launcher.java``: Bolt on a free loopback port, authentication on with a
generated password, data under a temporary directory. The server is ready once the
driver connects with that password. ``start()`` raises ``ServerError`` with the reason and
the end of the server's output when it cannot start: the tests then fail, never skip.

By hand, from the repository root in the test environment::

    python -m tests.support.neo4j_server        # prints {"uri", "user", "password", "database"}

It runs until Ctrl-C or SIGTERM, then stops Neo4j cleanly and deletes its data.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from tests.support.bolt_server import BoltServer, ServerError, free_port
from tests.support.neo4j_jars import SUPPORT, JarsError, ensure_jars, java_command

__all__ = ["DATABASE", "Neo4jServer", "USER", "main"]

USER = "neo4j"
DATABASE = "neo4j"
LAUNCHER = SUPPORT / "Launcher.java"
# Compiling the launcher and starting the JVM and two databases takes 15-30 s on a
# shared 2-core machine.
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


@dataclass
class Neo4jServer(BoltServer):
    """Neo4j started by the tests; ``kill()`` and ``start()`` simulate a crash."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="neo4j-")))
    port: int = 0
    heap: str = "1g"
    process: subprocess.Popen[bytes] | None = None
    #: Delete ``root`` in ``remove()`` (not when the caller named the folder).
    owns_root: bool = True

    @classmethod
    def create(cls, heap: str = "1g", root: Path | None = None, port: int = 0) -> Neo4jServer:
        """A server on a fresh loopback port (or ``port``), data under ``root``."""
        port = port or free_port()
        server = cls(
            uri=f"bolt://127.0.0.1:{port}",
            user=USER,
            password=secrets.token_hex(12),
            database=DATABASE,
            can_restart=True,
            port=port,
            heap=heap,
        )
        if root is not None:
            shutil.rmtree(server.root, ignore_errors=True)
            server.root, server.owns_root = root, False
        return server

    @property
    def home(self) -> Path:
        """The database's home folder (``data/``, ``logs/``)."""
        return self.root / "home"

    @property
    def console(self) -> Path:
        """The JVM's stdout and stderr, beside (not inside) the home folder."""
        return self.root / "console.log"

    def command(self) -> list[str]:
        try:
            java, jars = java_command(), ensure_jars()
        except JarsError as error:
            raise ServerError(str(error)) from error
        return [
            java,
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-Dfile.encoding=UTF-8",
            "-cp",
            str(jars / "*"),
            str(LAUNCHER),
            str(self.home),
            str(self.port),
        ]

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        """Start the server and wait until the driver connects with the password."""
        if self.process is not None and self.process.poll() is None:
            return
        command = self.command()
        self.home.mkdir(parents=True, exist_ok=True)
        # The launcher stops when its stdin closes: when this process ends, however it ends.
        env = {
            **os.environ,
            "NEO4J_TEST_PASSWORD": self.password or "",
            "NEO4J_TEST_WATCH_STDIN": "1",
        }
        with open(self.console, "ab") as out:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.PIPE,
                cwd=self.root,
                env=env,
                start_new_session=True,
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        from neo4j import GraphDatabase
        from neo4j import exceptions as errors

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        with GraphDatabase.driver(
            self.uri, auth=(self.user or USER, self.password or ""), connection_timeout=2
        ) as driver:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise ServerError(
                        f"Neo4j exited with code {self.process.returncode} while starting "
                        f"(bolt port {self.port}, home {self.home}):\n{self.tail()}"
                    )
                try:
                    # Auto-commit, so the driver does not retry by itself. The password is
                    # set just after Bolt opens: until then authentication fails.
                    with driver.session(database=self.database) as session:
                        session.run("RETURN 1").consume()
                    return
                except (errors.DriverError, errors.Neo4jError, OSError) as error:
                    last = error
                time.sleep(0.5)
        self.kill()
        raise ServerError(
            f"Neo4j was not ready after {timeout:.0f} s (last: {last}):\n{self.tail()}"
        )

    def tail(self, lines: int = 20) -> str:
        """Why the server failed (the launcher's one-line reason) and the end of its
        console output, for error messages; the full log is in ``home/logs/debug.log``."""
        if not self.console.exists():
            return "(no server output)"
        text = self.console.read_text("utf-8", "replace").splitlines()
        reasons = [line for line in text if line.startswith("neo4j failed to start:")]
        end = "\n".join(text[-lines:])
        log = self.home / "logs" / "debug.log"
        return "\n".join([*reasons[-1:], f"--- {self.console}:", end, f"(full log: {log})"])

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._close_stdin()

    def _close_stdin(self) -> None:
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()

    def stop(self) -> None:
        """Stop the server cleanly (SIGTERM runs Neo4j's shutdown; SIGKILL after 60 s)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_stdin()
        self.process = None

    def remove(self) -> None:
        """Stop the server and delete its data (when the folder is its own)."""
        self.stop()
        if self.owns_root:
            shutil.rmtree(self.root, ignore_errors=True)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.neo4j_server",
        description="Run the test suite's Neo4j until Ctrl-C or SIGTERM; print how to reach it.",
    )
    parser.add_argument("--port", type=int, default=0, help="Bolt port (default: a free one)")
    parser.add_argument("--heap", default="1g", help="JVM heap, e.g. 1g (default) or 2g")
    parser.add_argument(
        "--data", type=Path, help="keep the database in this folder (default: a temporary one)"
    )
    args = parser.parse_args(argv)
    if args.port < 0 or args.port > 65535:
        parser.error(f"--port must be 0-65535, not {args.port}")
    server = Neo4jServer.create(heap=args.heap, root=args.data, port=args.port)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        server.start()
        info = {
            "uri": server.uri,
            "user": server.user,
            "password": server.password,
            "database": server.database,
        }
        print(json.dumps(info), flush=True)
        assert server.process is not None
        code = server.process.wait()
        print(f"neo4j_server: Neo4j exited with code {code}:\n{server.tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except ServerError as error:
        print(f"neo4j_server: {error}", file=sys.stderr)
        return 1
    finally:
        server.remove()


if __name__ == "__main__":
    sys.exit(main())
