"""The CSV export imported with ``neo4j-admin database import full`` (the import tool of
the test Neo4j's own jars) gives a database that ``shegong`` reads exactly like the one
it loaded itself: the same labels and properties, evidence sentences and awkward text
unchanged, the same exports. The imported database is served by
``python -m tests.support.neo4j_server --data DIR``, which this module also checks
(one JSON line when ready, a clean stop on SIGTERM).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase
from shegong.graph.export import export_csv, export_node_link
from shegong.graph.export_csv import import_command
from shegong.graph.neo4j_store import Neo4jStore
from shegong.loaders.pipeline import load_paths
from shegong.schema import Evidence, GraphBatch, Label, Node, Relation, RelationType

from tests.support.bolt_fixtures import open_bolt
from tests.support.bolt_server import BoltServer
from tests.support.neo4j_jars import ensure_jars, java_command

REPO = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.bolt,
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("NEO4J_URI")),
        reason="imports into a second Neo4j from the test jars; NEO4J_URI names an external one",
    ),
]

#: Text a CSV round trip could damage: delimiters, quotes, newlines, backslashes, JSON,
#: characters outside the BMP, a full-width semicolon (NFKC makes it ``;`` in the keys).
AWKWARD = '社工;"协会",\n第二行\\n 𠮷野家🙂 {"a": 1} 张；三'


def awkward_batch() -> GraphBatch:
    org = Node(Label.ORGANISATION, "某某协会", aliases=(AWKWARD, "某某；会"), kind="association")
    person = Node(Label.PERSON, "𠮷田", first_seen="2021-03-05")
    org2 = Node(Label.ORGANISATION, "另一协会", kind="association")
    ev = Evidence("art-0000000000000000", AWKWARD + "。", 0, 5, "curated", 0.5)
    rel = Relation(
        RelationType.HOLDS_POSITION,
        person.id,
        org.id,
        {"title": '理事;"副"'},
        [ev],
        note="",
        editor="编辑",
        curated=True,
    )
    # curated, with no evidence: an empty list property
    bare = Relation(RelationType.PARTNERED_WITH, org.id, org2.id, curated=True, editor="编辑")
    return GraphBatch(nodes=[org, org2, person], relations=[rel, bare])


def graph_on(uri: str, auth: tuple[str, str], database: str | None) -> dict[str, Any]:
    """Every graph node and relationship on a server with its labels and properties."""
    with GraphDatabase.driver(uri, auth=auth) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n:Node) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p ORDER BY id",
            database_=database,
        )
        rels, _, _ = driver.execute_query(
            "MATCH (a:Node)-[e]->(b:Node) RETURN e.id AS id, a.id AS a, b.id AS b, "
            "type(e) AS type, properties(e) AS p ORDER BY id",
            database_=database,
        )
    # loaded_at is the time a store first held a relation (it orders the review queue);
    # the export carries no load time, so an imported relation has none (the queue then
    # orders it by id): it is the one property left out of the comparison.
    return {
        "nodes": [{**r.data(), "labels": sorted(r["labels"])} for r in nodes],
        "relations": [{**r.data(), "p": _without_load_time(r["p"])} for r in rels],
    }


def _without_load_time(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key != "loaded_at"}


@pytest.fixture(scope="module")
def exported(
    bolt_server: BoltServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BoltServer, Path]]:
    """The session's Neo4j loaded by shegong (sample corpus and awkward text), exported."""
    bolt_server.clear()
    store = open_bolt(bolt_server)
    try:
        assert load_paths(store, [REPO / "data" / "articles"], workers=1).ok
        store.upsert(awkward_batch())
        out = tmp_path_factory.mktemp("export") / "csv"
        export_csv(store, out)
    finally:
        store.close()
    yield bolt_server, out


@pytest.fixture(scope="module")
def imported(
    exported: tuple[BoltServer, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, str], subprocess.Popen[str]]]:
    """A database made from the export by neo4j-admin, served by neo4j_server --data."""
    _, csv_dir = exported
    root = tmp_path_factory.mktemp("imported")
    home = root / "home"
    (home / "conf").mkdir(parents=True)
    files = sorted(csv_dir.glob("*.csv"))
    command = import_command(files)
    assert command[:4] == ["neo4j-admin", "database", "import", "full"]
    done = subprocess.run(
        [java_command(), "-Xmx512m", "-cp", str(ensure_jars() / "*"), "org.neo4j.cli.AdminTool"]
        + command[1:],
        capture_output=True,
        text=True,
        env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        cwd=root,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "IMPORT DONE" in done.stdout

    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.neo4j_server", "--data", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line, server.communicate(timeout=60)[1]
        yield json.loads(line), server
    finally:
        if server.poll() is None:  # a test failed before stopping it: stop it cleanly
            server.send_signal(signal.SIGTERM)
            try:
                server.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                server.kill()  # the launcher still stops: its stdin closes
                server.communicate(timeout=60)


def test_neo4j_server_prints_how_to_reach_it(
    imported: tuple[dict[str, str], subprocess.Popen[str]],
) -> None:
    info, _ = imported
    assert set(info) == {"uri", "user", "password", "database"}
    assert info["uri"].startswith("bolt://127.0.0.1:") and info["database"] == "neo4j"
    assert len(info["password"]) >= 16


def test_neo4j_import_reads_like_a_self_loaded_database(
    exported: tuple[BoltServer, Path],
    imported: tuple[dict[str, str], subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    loaded_server, csv_dir = exported
    info, _ = imported
    auth = (info["user"], info["password"])
    assert loaded_server.user and loaded_server.password
    # On the server: the same labels, properties and relationships, byte for byte.
    before = graph_on(
        loaded_server.uri, (loaded_server.user, loaded_server.password), loaded_server.database
    )
    after = graph_on(info["uri"], auth, info["database"])
    assert len(before["nodes"]) > 200 and len(before["relations"]) > 300
    assert after["nodes"] == before["nodes"]
    assert after["relations"] == before["relations"]
    awkward = [n for n in after["nodes"] if AWKWARD in n["p"].get("aliases", [])]
    assert len(awkward) == 1 and awkward[0]["labels"] == ["Node", "Organisation"]

    # Through shegong: the same exports, evidence sentences included.
    loaded = open_bolt(loaded_server)
    reader = Neo4jStore(info["uri"], info["user"], info["password"], info["database"])
    try:
        assert reader.has_constraints and reader.has_fulltext
        assert reader.stats() == loaded.stats()
        for name, store in (("loaded", loaded), ("imported", reader)):
            export_node_link(store, tmp_path / f"{name}.json")
            export_csv(store, tmp_path / f"{name}-csv")
        assert (tmp_path / "imported.json").read_bytes() == (tmp_path / "loaded.json").read_bytes()
        for path in sorted(csv_dir.glob("*.csv")):
            assert (tmp_path / "imported-csv" / path.name).read_bytes() == path.read_bytes()
        [found] = [r for r in reader.relations(curated=True) if r.note == ""]
        rel = reader.relation(found.id)
        assert rel is not None and rel.editor == "编辑" and rel.properties["title"] == '理事;"副"'
        [evidence] = reader.evidence([rel.id])[rel.id]
        assert evidence.sentence == AWKWARD + "。"
        assert [n.name for n in reader.search("某某協會")] == ["某某协会"]
    finally:
        loaded.close()
        reader.close()


def test_neo4j_server_stops_cleanly_on_sigterm(
    imported: tuple[dict[str, str], subprocess.Popen[str]],
) -> None:
    info, server = imported
    server.send_signal(signal.SIGTERM)
    _, err = server.communicate(timeout=120)
    assert server.returncode == 0, err
    port = int(info["uri"].rsplit(":", 1)[1])
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more
