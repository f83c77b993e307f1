"""API fixtures: a store holding the hand-made graph (and the sample corpus when the
pipeline is there), served by a real uvicorn server, queried over HTTP with httpx.

The server fixture is parametrised over tests/stores.py STORE_KINDS, so the API runs
on every store kind; a kind ``k`` other than "embedded" is opened with
``tests.stores.open_<k>(directory)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore
from shegong.schema import Settings

from tests import stores
from tests.gql.graph_data import graph_batch
from tests.gql.server import running_server

TOKEN = "s3cret-editor-token"
REPO = Path(__file__).resolve().parents[2]


def open_kind(kind: str, directory: Path, request: pytest.FixtureRequest) -> GraphStore:
    """A fresh, empty store of ``kind`` (files under ``directory``).

    A Bolt server holds one graph, so a fresh Bolt store empties it: the API fixtures
    never hold two Bolt stores at once (module-scoped read stores are torn down before
    the next module's, editable ones are per test in modules without read fixtures).
    """
    if kind == "embedded":
        return stores.open_embedded(directory)
    if kind == "bolt":
        from tests.support.bolt_fixtures import open_bolt

        server = request.getfixturevalue("bolt_server")
        server.clear()
        return open_bolt(server)
    opener = getattr(stores, f"open_{kind}", None)
    if opener is None:
        raise RuntimeError(f"tests/gql/conftest.py does not know how to open a {kind!r} store")
    store: GraphStore = opener(directory)
    return store


def load_corpus(store: GraphStore) -> bool:
    """Load data/articles with the pipeline; False while the pipeline has not landed."""
    try:
        from shegong.loaders.pipeline import load_paths
    except ImportError:
        return False
    load_paths(store, [str(REPO / "data" / "articles")], workers=1)
    return True


@dataclass
class Api:
    """A running server and a client for it."""

    url: str
    client: httpx.Client
    store: GraphStore
    corpus: bool = False

    def post(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.client.post("/graphql", json=body, **kwargs)

    def query(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """The ``data`` of a query that must succeed (status 200, no errors)."""
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def errors(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """The errors of a query that must fail with a GraphQL error (status 200)."""
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body.get("errors"), body
        errors: list[dict[str, Any]] = body["errors"]
        return errors


def _serve(store: GraphStore, settings: ApiSettings, corpus: bool = False) -> Iterator[Api]:
    with (
        running_server(create_app(store, settings)) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield Api(url=url, client=client, store=store, corpus=corpus)


@pytest.fixture(scope="module", params=stores.store_params())
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def read_store(
    store_kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[GraphStore, bool]]:
    """The hand-made graph, for read-only tests that know every fact in it."""
    store = open_kind(store_kind, tmp_path_factory.mktemp("api-read"), request)
    store.upsert(graph_batch())
    yield store, False
    store.close()


@pytest.fixture(scope="module")
def corpus_api(
    store_kind: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Api]:
    """A server over data/articles loaded by the pipeline (use it alone in its module:
    a Bolt kind has one graph)."""
    store = open_kind(store_kind, tmp_path_factory.mktemp("api-corpus"), request)
    if not load_corpus(store):
        store.close()
        pytest.fail("shegong.loaders.pipeline is missing: cannot load data/articles")
    try:
        yield from _serve(store, ApiSettings(), corpus=True)
    finally:
        store.close()


@pytest.fixture(scope="module")
def api(read_store: tuple[GraphStore, bool]) -> Iterator[Api]:
    """A server over the read-only store; editor token set."""
    store, corpus = read_store
    settings = ApiSettings.from_settings(Settings.from_env({"SHEGONG_EDITOR_TOKEN": TOKEN}))
    yield from _serve(store, settings, corpus)


@pytest.fixture
def editable_api(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Api]:
    """A server over a fresh copy of the hand-made graph that tests may change."""
    store = open_kind(store_kind, tmp_path, request)
    store.upsert(graph_batch())
    settings = ApiSettings.from_settings(Settings.from_env({"SHEGONG_EDITOR_TOKEN": TOKEN}))
    try:
        yield from _serve(store, settings)
    finally:
        store.close()
