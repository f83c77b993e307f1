"""What the Bolt store adds to the contract suite: connection errors, the graph it
leaves on the server (constraints, no duplicates), transactions, URIs and settings.

Run against ArcadeDB (or the Neo4j named by NEO4J_URI); see tests/support.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors
from shegong.graph import open_store
from shegong.graph.cypher import create_nodes, create_relations, label_text, type_text
from shegong.graph.neo4j_store import Neo4jStore
from shegong.schema import (
    Evidence,
    GraphBatch,
    Label,
    Node,
    Relation,
    RelationType,
    SchemaError,
    Settings,
    StoreError,
)

from tests.graph.sample_graph import N, sample_batch
from tests.support.bolt_fixtures import open_bolt
from tests.support.bolt_server import BoltServer, free_port

pytestmark = pytest.mark.bolt


def raw(server: BoltServer, query: str, **params: Any) -> list[dict[str, Any]]:
    """Run Cypher on the server directly, to see what the store left there."""
    auth = (server.user, server.password) if server.user else None
    with GraphDatabase.driver(server.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(query, params, database_=server.database)
        return [record.data() for record in records]


# -- connecting -----------------------------------------------------------------------------
def test_neo4j_wrong_password_names_uri_and_user_not_password(bolt_server: BoltServer) -> None:
    if not bolt_server.user:
        pytest.skip("the server named by NEO4J_URI runs without authentication")
    secret = "not-the-password-" + "x" * 8
    with pytest.raises(StoreError) as caught:
        Neo4jStore(bolt_server.uri, bolt_server.user, secret, bolt_server.database)
    message = str(caught.value)
    assert bolt_server.uri in message and "authentication failed" in message
    assert repr(bolt_server.user) in message
    assert secret not in message and (bolt_server.password or "") not in message
    assert isinstance(caught.value.__cause__, neo4j_errors.AuthError)


def test_neo4j_server_down_fails_fast_naming_uri() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(StoreError, match="is unreachable while connecting") as caught:
        Neo4jStore(uri, "neo4j", "secret-pw-123")
    assert time.monotonic() - started < 10  # not the driver's 30 s of retries
    assert uri in str(caught.value) and "secret-pw-123" not in str(caught.value)
    assert "\n" not in str(caught.value)  # the CLI prints it as one line


@pytest.mark.parametrize("uri", ["http//nowhere:7687", "foo://127.0.0.1:7687", ""])
def test_neo4j_bad_uri(uri: str) -> None:
    with pytest.raises(StoreError, match="URI"):
        Neo4jStore(uri, "neo4j", "pw")


def test_neo4j_unknown_database_is_named(bolt_server: BoltServer) -> None:
    with pytest.raises(StoreError, match="no_such_db_42"):
        Neo4jStore(bolt_server.uri, bolt_server.user, bolt_server.password, "no_such_db_42")


def test_neo4j_open_store_reads_credentials_from_settings(
    bolt_server: BoltServer, bolt_store: Neo4jStore
) -> None:
    env = {"NEO4J_DATABASE": bolt_server.database or ""}
    if bolt_server.user:
        env["NEO4J_AUTH"] = f"{bolt_server.user}/{bolt_server.password}"
    store = open_store(bolt_server.uri, Settings.from_env(env))
    try:
        assert isinstance(store, Neo4jStore) and store.count_nodes() == 0
    finally:
        store.close()


def test_neo4j_routing_uri_scheme(bolt_server: BoltServer) -> None:
    """``neo4j://`` (routing, as for a cluster or Aura) reaches the same graph."""
    routed = bolt_server.uri.replace("bolt://", "neo4j://", 1)
    with Neo4jStore(routed, bolt_server.user, bolt_server.password, bolt_server.database) as store:
        store.upsert(GraphBatch(nodes=[N.ministry]))
        assert store.get(N.ministry.id) == N.ministry


# -- the graph on the server ----------------------------------------------------------------
def test_neo4j_id_constraint_is_enforced(bolt_server: BoltServer, bolt_store: Neo4jStore) -> None:
    assert bolt_store.has_constraints
    found = {
        (tuple(c.get("labelsOrTypes") or ()), tuple(c.get("properties") or ()))
        for c in bolt_store.constraints()
    }
    assert (("Node",), ("id",)) in found and (("Redirect",), ("id",)) in found
    bolt_store.upsert(GraphBatch(nodes=[N.ministry]))
    with pytest.raises(neo4j_errors.ConstraintError):
        raw(bolt_server, "CREATE (n:Node:Person {id: $id, name: 'x'})", id=N.ministry.id)


def test_neo4j_load_twice_leaves_no_duplicates(
    bolt_server: BoltServer, bolt_store: Neo4jStore
) -> None:
    bolt_store.upsert(sample_batch())
    bolt_store.upsert(sample_batch())
    nodes = raw(bolt_server, "MATCH (n:Node) RETURN count(n) AS n, count(DISTINCT n.id) AS ids")
    assert nodes == [{"n": 10, "ids": 10}]
    edges = raw(bolt_server, "MATCH ()-[e]->() RETURN count(e) AS n, count(DISTINCT e.id) AS ids")
    assert edges == [{"n": 13, "ids": 13}]
    labels = raw(bolt_server, "MATCH (n:Node {id: $id}) RETURN labels(n) AS l", id=N.ministry.id)
    assert sorted(labels[0]["l"]) == ["Node", "Organisation"]


def test_neo4j_batch_is_one_transaction(bolt_server: BoltServer, bolt_store: Neo4jStore) -> None:
    """A batch that fails after its nodes went to the server leaves none of them."""
    bolt_store.upsert(GraphBatch(nodes=[N.ministry]))
    before = raw(bolt_server, "MATCH (n) RETURN count(n) AS n")
    late = Node(Label.PERSON, "王五")
    # A lone surrogate cannot be sent as UTF-8: it passes the schema checks and fails
    # only when the relations are written, after the batch's nodes.
    broken = Relation(RelationType.HOLDS_POSITION, late.id, N.ministry.id, editor="\ud800")
    with pytest.raises(StoreError, match="writing a batch failed") as caught:
        bolt_store.upsert(GraphBatch(nodes=[late], relations=[broken]))
    assert bolt_server.uri in str(caught.value)
    assert raw(bolt_server, "MATCH (n) RETURN count(n) AS n") == before
    assert bolt_store.get(late.id) is None

    missing = Relation(RelationType.HOLDS_POSITION, late.id, "org-ffffffffffffffff")
    with pytest.raises(SchemaError, match="org-ffffffffffffffff"):
        bolt_store.upsert(GraphBatch(nodes=[late], relations=[missing]))
    assert raw(bolt_server, "MATCH (n) RETURN count(n) AS n") == before


def test_neo4j_user_text_is_data_not_cypher(bolt_store: Neo4jStore) -> None:
    nasty = "x'}) DETACH DELETE n //\"` $rows {"
    node = Node(Label.ORGANISATION, nasty, aliases=("}]->() MATCH (m) DELETE m",), kind="other")
    ev = Evidence("art-1", "'; MATCH (n) DETACH DELETE n; //", 0, 3, "r`x", 0.5)
    other = Node(Label.ORGANISATION, "民政部")
    bolt_store.upsert(
        GraphBatch(
            nodes=[node, other],
            relations=[Relation(RelationType.PARTNERED_WITH, node.id, other.id, evidence=[ev])],
        )
    )
    assert bolt_store.get(node.id) == Node(
        Label.ORGANISATION, nasty, aliases=("}]->() MATCH (m) DELETE m",), kind="other"
    )
    assert [n.id for n in bolt_store.find_by_name(nasty)] == [node.id]
    assert [n.id for n in bolt_store.search("DELETE")] == [node.id]
    [stored] = bolt_store.relations()
    assert bolt_store.evidence([stored.id])[stored.id] == [ev]
    assert bolt_store.count_nodes() == 2


@pytest.mark.parametrize("bad", ["Organisation) DETACH DELETE n //", "organisation", ""])
def test_neo4j_labels_and_types_are_checked_before_entering_cypher(bad: str) -> None:
    with pytest.raises(SchemaError):
        label_text(bad)
    with pytest.raises(SchemaError):
        type_text(bad)
    with pytest.raises(SchemaError):
        create_nodes(bad)  # type: ignore[arg-type]
    with pytest.raises(SchemaError):
        create_relations(bad)  # type: ignore[arg-type]


def test_neo4j_properties_round_trip(bolt_store: Neo4jStore) -> None:
    """Nested properties, numbers, unicode and empty values come back as given."""
    props = {"adcode": "310000", "lat": 31.23, "levels": [1, 2], "meta": {"a": None, "b": "乙"}}
    place = Node(Label.PLACE, "上海市", kind="city", properties=props, first_seen="2021-03-05")
    bolt_store.upsert(GraphBatch(nodes=[place]))
    got = bolt_store.get(place.id)
    assert got is not None and got.properties == props and got.first_seen == "2021-03-05"
    assert got.last_seen is None and got.aliases == ()


def test_neo4j_concurrent_loads_of_the_same_batch(
    bolt_server: BoltServer, bolt_store: Neo4jStore
) -> None:
    """Writers racing to create the same ids: each batch still commits whole, once."""
    orgs = [Node(Label.ORGANISATION, f"协会{i}", kind="association") for i in range(40)]
    people = [Node(Label.PERSON, f"会员{i}") for i in range(40)]
    batch = GraphBatch(
        nodes=[*orgs, *people],
        relations=[
            Relation(
                RelationType.HOLDS_POSITION,
                p.id,
                o.id,
                {"title": "理事"},
                [Evidence("art-1", "任理事", i, i + 3, "holds", 0.7)],
            )
            for i, (p, o) in enumerate(zip(people, orgs, strict=True))
        ],
    )
    errors: list[BaseException] = []

    def load() -> None:
        try:
            with open_bolt(bolt_server) as store:
                store.upsert(batch)
        except BaseException as error:  # noqa: BLE001 - checked below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert raw(bolt_server, "MATCH (n:Node) RETURN count(n) AS n, count(DISTINCT n.id) AS ids") == [
        {"n": 80, "ids": 80}
    ]
    assert raw(bolt_server, "MATCH ()-[e]->() RETURN count(e) AS n") == [{"n": 40}]
    assert bolt_store.upsert(batch).nodes_added == 0
