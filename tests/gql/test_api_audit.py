"""The GraphQL-over-HTTP audit of the npm package graphql-http, run against our server.

``make test`` installs it first (``npm ci --prefix tests/gql/audit``); run that by hand
when calling pytest directly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gql.conftest import Api

AUDIT_DIR = Path(__file__).resolve().parent / "audit"


def _run_audit(url: str) -> list[dict[str, str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH; the GraphQL-over-HTTP audit needs Node.js")
    if not (AUDIT_DIR / "node_modules" / "graphql-http").is_dir():
        pytest.fail(
            f"graphql-http is not installed: run `npm ci --prefix {AUDIT_DIR}` (make test does)"
        )
    done = subprocess.run(
        [node, str(AUDIT_DIR / "audit.mjs"), url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode == 2 or not done.stdout.strip():
        pytest.fail(f"the audit did not run:\n{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_graphql_over_http_audit(api: Api) -> None:
    results = _run_audit(f"{api.url}/graphql")
    must = [r for r in results if r["name"].startswith("MUST")]
    assert len(must) >= 10, results  # the suite ran in full
    failures = [
        f"{r['id']} {r['name']}: {r.get('reason')}" for r in results if r["status"] == "error"
    ]
    warnings = [
        f"{r['id']} {r['name']}: {r.get('reason')}" for r in results if r["status"] == "warn"
    ]
    print(f"{len(results)} audits, {len(must)} MUST, {len(warnings)} SHOULD warnings")
    for line in warnings:
        print("  warn:", line)
    assert not failures, "MUST audits failed:\n" + "\n".join(failures)
