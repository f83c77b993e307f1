"""The jars of the test suite's Neo4j, resolved by Maven from tests/support/pom.xml.

``ensure_jars()`` copies Neo4j and its dependencies into ``.cache/neo4j-<version>/`` at
the repository root (git-ignored) the first time, and finds them there afterwards: a
second run downloads nothing and does not start Maven. The folder is complete or absent
(Maven fills a temporary folder that is renamed when it is done), and a stamp holding
the pom's digest makes a changed pom resolve again. ``make test`` runs
``python -m tests.support.neo4j_jars`` first, so the download is not counted against a
test's timeout.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["CACHE", "POM", "JarsError", "ensure_jars", "java_command", "neo4j_version"]

SUPPORT = Path(__file__).resolve().parent
REPO = SUPPORT.parents[1]
POM = SUPPORT / "pom.xml"
CACHE = REPO / ".cache"
STAMP = ".complete"
MAVEN_TIMEOUT = 900.0


class JarsError(RuntimeError):
    """Java or Maven is missing, or Maven could not resolve the jars."""


def neo4j_version(pom: Path = POM) -> str:
    """The Neo4j version the pom asks for (``<neo4j.version>``)."""
    found = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom.read_text("utf-8"))
    if found is None:
        raise JarsError(f"{pom} names no <neo4j.version>")
    return found.group(1).strip()


def _digest(pom: Path) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()


def java_command() -> str:
    """``java`` on PATH, checked to be Java 17 or later (Neo4j 5 needs 17 or 21)."""
    java = shutil.which("java")
    if java is None:
        raise JarsError(
            "no `java` on PATH: the test suite's Neo4j needs Java 17 (and Maven); "
            "install them, or set NEO4J_URI to a running Neo4j 5"
        )
    done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    found = re.search(r'version "(\d+)', done.stderr)
    if found is None or int(found.group(1)) < 17:
        raise JarsError(f"{java} is not Java 17 or later: {done.stderr.strip()[:200]}")
    return java


def ensure_jars(pom: Path = POM, cache: Path = CACHE) -> Path:
    """The folder holding every jar the embedded Neo4j needs, resolved if absent."""
    target = cache / f"neo4j-{neo4j_version(pom)}"
    stamp = target / STAMP
    if stamp.exists() and stamp.read_text("utf-8").strip() == _digest(pom):
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise JarsError(
            f"no `mvn` on PATH and no jars in {target}: the test suite's Neo4j is resolved "
            "by Maven (with Java 17); install it, or set NEO4J_URI to a running Neo4j 5"
        )
    cache.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{target.name}.", dir=cache))
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={partial}",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=MAVEN_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise JarsError(f"Maven took over {MAVEN_TIMEOUT:.0f} s resolving {pom}") from error
    if done.returncode != 0 or not any(partial.glob("neo4j-bolt-*.jar")):
        shutil.rmtree(partial, ignore_errors=True)
        output = (done.stdout + done.stderr).strip().splitlines()
        raise JarsError(
            f"Maven could not resolve {pom} (exit {done.returncode}):\n" + "\n".join(output[-20:])
        )
    (partial / STAMP).write_text(_digest(pom) + "\n", "utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def main() -> int:
    try:
        print(ensure_jars())
    except JarsError as error:
        print(f"neo4j_jars: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
