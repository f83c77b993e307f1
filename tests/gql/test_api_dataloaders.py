"""No N+1: a nested query costs a bounded number of store calls.

The server runs over a counting proxy: it delegates every call to the real store and
counts them by method name (not a mock: every answer comes from the store).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from shegong.gql import ApiSettings, create_app, rounds
from shegong.graph import GraphStore

from tests.gql.conftest import Api
from tests.gql.graph_data import CENTRES, G
from tests.gql.server import running_server


class CountingStore:
    """Delegates to ``store`` and counts calls per method (thread-safe)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.uri = store.uri

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if not callable(target):
            return target

        def counted(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                # calls that bring article bodies are counted apart
                self.calls[f"{name}(text)" if kwargs.get("text") else name] += 1
            return target(*args, **kwargs)

        return counted

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()


@pytest.fixture(scope="module")
def counted(read_store: tuple[GraphStore, bool]) -> Iterator[tuple[Api, CountingStore]]:
    store, _ = read_store
    proxy = CountingStore(store)
    app = create_app(proxy, ApiSettings())  # type: ignore[arg-type]
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield Api(url=url, client=client, store=store), proxy


NESTED = """
query ($first: Int!) {
  search(text: "服务中心", first: $first) {
    edges { node {
      id name degree
      relations(first: 10) { edges { node {
        type confidence
        source { id name ... on Entity { degree } }
        target { id name ... on Entity { degree } }
        evidence { nodes { rule article { title } } }
      } } }
    } }
  }
}"""


def _calls(
    api: Api, proxy: CountingStore, query: str, variables: dict[str, Any]
) -> tuple[Counter[str], dict[str, Any]]:
    proxy.reset()
    data = api.query(query, variables)
    return Counter(proxy.calls), data


def test_nested_query_makes_bounded_store_calls(counted: tuple[Api, CountingStore]) -> None:
    api, proxy = counted
    calls, data = _calls(api, proxy, NESTED, {"first": 20})
    print("store calls for 20 entities with relations:", dict(sorted(calls.items())))
    entities = data["search"]["edges"]
    assert len(entities) == 20
    relations = [r for e in entities for r in e["node"]["relations"]["edges"]]
    assert len(relations) >= 20 * 3  # each centre: GUIDED_BY, LOCATED_IN and two PARTNERED_WITH
    assert all(r["node"]["source"]["name"] and r["node"]["target"]["name"] for r in relations)
    # Nodes, degrees and evidence articles: one batched call each, whatever the counts.
    assert calls["search"] == 1
    assert calls["get"] == 0 and calls["relation"] == 0
    assert calls["get_many"] <= 2, calls
    assert calls["degree"] <= 2, calls
    # Relations around the 20 entities: one batched call, never one per entity.
    assert calls["neighbours_many"] == 1 and calls["neighbours"] == 0, calls
    # Evidence: one page per relation, all in one call; titles without article text.
    assert calls["evidence"] == 1 and calls["get_many(text)"] == 0, calls
    assert sum(calls.values()) <= 7, calls


ENTITY_PAGE = """
query ($id: ID!) { entity(id: $id) { id name degree
  relations(first: 10) { edges { node { type source { name } target { name }
    evidenceCount evidence(first: 5) { nodes { sentence article { title } } } } } } } }"""


def _count_thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the name of every function the server hands to a worker thread
    (parsing and validation through anyio, store calls through ``store_future``)."""
    hops: list[str] = []
    real_anyio, real_store = anyio.to_thread.run_sync, rounds.store_future

    async def counting(fn: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(fn, "__qualname__", repr(fn)))
        return await real_anyio(fn, *args, **kwargs)

    def counting_store(fn: Any) -> Any:
        hops.append(getattr(getattr(fn, "func", fn), "__qualname__", repr(fn)))
        return real_store(fn)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    monkeypatch.setattr(rounds, "store_future", counting_store)
    return hops


def test_an_entity_page_takes_one_thread_hop(
    counted: tuple[Api, CountingStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entity, its degree, relations, their evidence and its articles in one store
    round: one hop to a worker thread for a known document (two more to parse and
    validate a new one), however many relations and pieces the page shows."""
    api, proxy = counted
    hops = _count_thread_hops(monkeypatch)
    found = api.query('{ search(text: "服务中心", first: 1) { edges { node { id } } } }')
    node_id = found["search"]["edges"][0]["node"]["id"]
    query = ENTITY_PAGE + f"# {node_id}"  # a text the server has not seen
    hops.clear()
    calls, data = _calls(api, proxy, query, {"id": node_id})
    assert len(hops) == 3, hops  # parse, validate, the store round
    relations = data["entity"]["relations"]["edges"]
    assert len(relations) >= 3 and data["entity"]["degree"] >= len(relations)
    pieces = [p for r in relations for p in r["node"]["evidence"]["nodes"]]
    assert pieces and all(p["article"]["title"] for p in pieces)
    assert calls["evidence"] == 1 and calls["neighbours_many"] == 1, calls
    assert calls["get_many"] == 2 and calls["get_many(text)"] == 0, calls
    hops.clear()
    again, same = _calls(api, proxy, query, {"id": node_id})
    assert len(hops) == 1, hops  # known: no parse, no validation in a thread
    assert same == data and again == calls
    # Arguments written out (types, direction, first) are read the same way above the
    # entity as by its relations field: still one round, and the same answer as a page
    # asked through a variable (which the entity's field reads for itself).
    written = ENTITY_PAGE.replace(
        "relations(first: 10)",
        "relations(types: [LOCATED_IN, GUIDED_BY], direction: OUT, first: 2)",
    )
    api.query(written, {"id": node_id})
    hops.clear()
    page = api.query(written, {"id": node_id})
    assert len(hops) == 1, hops
    edges = page["entity"]["relations"]["edges"]
    assert edges and {e["node"]["type"] for e in edges} <= {"LOCATED_IN", "GUIDED_BY"}
    assert all(e["node"]["source"]["name"] == page["entity"]["name"] for e in edges)


PAGE_BY_VARIABLES = """
query ($id: ID!, $relations: Int, $pieces: Int) { entity(id: $id) { ...page } }
fragment page on Entity { relations(first: $relations) { nodes { id ...pieces } } }
fragment pieces on Relation { evidence(first: $pieces) { nodes { start article { id } } } }"""


def test_the_look_ahead_follows_the_variables_below(
    counted: tuple[Api, CountingStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The selections below a field are kept per document, and per values of the
    variables used below it: the same text asking other page sizes still reads them
    all in one store round, with the windows the variables give."""
    api, proxy = counted
    node_id = G.shanghai_assoc.id  # its relations carry evidence
    api.query(PAGE_BY_VARIABLES, {"id": node_id})  # parsed and validated
    hops = _count_thread_hops(monkeypatch)
    shown = 0
    for relations, pieces in ((1, 1), (3, 2), (3, 0), (2, 1), (1, 1)):
        hops.clear()
        variables = {"id": node_id, "relations": relations, "pieces": pieces}
        calls, data = _calls(api, proxy, PAGE_BY_VARIABLES, variables)
        nodes = data["entity"]["relations"]["nodes"]
        assert len(nodes) == relations
        assert all(len(n["evidence"]["nodes"]) <= pieces for n in nodes)
        assert len(hops) == 1, (variables, hops)
        assert calls["neighbours_many"] == 1 and calls["evidence"] <= 1, calls
        shown += sum(len(n["evidence"]["nodes"]) for n in nodes)
    assert shown > 5  # pages of evidence were read, in the one round


def test_unselected_evidence_and_text_are_not_read(counted: tuple[Api, CountingStore]) -> None:
    api, proxy = counted
    bare = NESTED.replace("evidence { nodes { rule article { title } } }", "evidenceCount")
    calls, data = _calls(api, proxy, bare, {"first": 20})
    counts = [
        r["node"]["evidenceCount"]
        for e in data["search"]["edges"]
        for r in e["node"]["relations"]["edges"]
    ]
    assert counts and any(c >= 1 for c in counts)
    assert calls["evidence"] == 0 and calls["get_many(text)"] == 0, calls
    texts, _ = _calls(api, proxy, "{ articles(first: 5) { nodes { title text } } }", {})
    assert texts["get_many(text)"] <= 1, texts


def test_store_calls_do_not_grow_with_the_relations_asked(
    counted: tuple[Api, CountingStore],
) -> None:
    api, proxy = counted
    small, _ = _calls(
        api, proxy, NESTED.replace("relations(first: 10)", "relations(first: 1)"), {"first": 20}
    )
    large, _ = _calls(api, proxy, NESTED, {"first": 20})
    assert small == large


def test_loaders_are_per_request(counted: tuple[Api, CountingStore]) -> None:
    """A second identical request asks the store again: nothing is cached across requests."""
    api, proxy = counted
    first, _ = _calls(api, proxy, NESTED, {"first": 5})
    second, _ = _calls(api, proxy, NESTED, {"first": 5})
    assert first == second and sum(first.values()) > 0


def test_concurrent_clients(counted: tuple[Api, CountingStore]) -> None:
    """32 clients at once all get full, correct answers (store calls run in threads)."""
    import asyncio

    api, _ = counted

    async def one(client: httpx.AsyncClient, i: int) -> int:
        response = await client.post(
            "/graphql", json={"query": NESTED, "variables": {"first": 1 + i % 20}}
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return len(body["data"]["search"]["edges"])

    async def run() -> list[int]:
        async with httpx.AsyncClient(base_url=api.url, timeout=60) as client:
            return await asyncio.gather(*(one(client, i) for i in range(32)))

    sizes = asyncio.run(run())
    assert sizes == [min(1 + i % 20, CENTRES) for i in range(32)]


NESTED_WHERE = """
query ($first: Int!) {
  organisations(first: $first, orderBy: [{field: DEGREE, direction: DESC}], where: {
    kind: {eq: "service"}
    relations: {some: {types: [GUIDED_BY], direction: OUT, node: {
      relations: {some: {types: [LOCATED_IN], node: {place: "plc-8800a80c9472d32e"}}}}}}
    NOT: {relations: {none: {types: [LOCATED_IN]}}}
  }) {
    totalCount
    aggregate { count groups(by: PLACE, level: "district") { name count } }
    edges { node {
      name degree
      relations(first: 5) { edges { node { type target { name } } } }
    } }
  }
}"""


def test_nested_filters_cost_one_statement_per_list(counted: tuple[Api, CountingStore]) -> None:
    """Relation conditions two levels deep and a place hierarchy: still one store call
    for the page, one per count or group, and the batched loads of the fields."""
    api, proxy = counted
    calls, data = _calls(api, proxy, NESTED_WHERE, {"first": 20})
    print("store calls for a nested where:", dict(sorted(calls.items())))
    found = data["organisations"]
    assert found["totalCount"] == found["aggregate"]["count"] == CENTRES
    assert found["aggregate"]["groups"] == [{"name": "浦东新区", "count": CENTRES}]
    assert len(found["edges"]) == 20
    assert calls["find_nodes"] == 1 and calls["count"] == 2 and calls["group"] == 1, calls
    assert calls["neighbours_many"] == 1 and calls["degree"] <= 1, calls
    assert calls["nodes"] == calls["search"] == calls["neighbours"] == calls["get"] == 0, calls
    assert sum(calls.values()) <= 7, calls
    fewer, _ = _calls(api, proxy, NESTED_WHERE, {"first": 3})
    assert fewer == calls
