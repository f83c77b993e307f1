"""Limits, errors and the HTTP contract (GraphQL over HTTP), against a real server."""

from __future__ import annotations

import json

import httpx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore

from tests.gql.conftest import Api
from tests.gql.graph_data import CENTRES, G
from tests.gql.server import running_server

GRAPHQL_RESPONSE = "application/graphql-response+json"
TRACE_MARKERS = ("Traceback", 'File "', "site-packages", '.py", line')


def _no_trace(text: str) -> None:
    for marker in TRACE_MARKERS:
        assert marker not in text, text


def test_pages_walk_the_whole_list_with_opaque_cursors(api: Api) -> None:
    q = "query ($after: String) { organisations(first: 10, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }"
    ids: list[str] = []
    after = None
    pages = 0
    while True:
        page = api.query(q, {"after": after})["organisations"]
        pages += 1
        ids += [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        # Opaque: a cursor is not the id nor a bare number.
        assert all(
            e["cursor"] != e["node"]["id"] and not e["cursor"].isdigit() for e in page["edges"]
        )
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    total = page["totalCount"]
    assert total >= 4 + CENTRES
    assert len(ids) == len(set(ids)) == total
    assert pages == -(-total // 10)
    assert ids == sorted(ids)


def test_page_size_cap_and_bad_cursors(api: Api) -> None:
    capped = api.errors("{ organisations(first: 101) { totalCount } }")[0]
    assert (
        capped["message"]
        == "first=101 is above the page size cap of 100; ask for at most 100 and page on with `after`"
    )
    assert capped["extensions"]["code"] == "BAD_USER_INPUT"
    assert api.query("{ organisations(first: 100) { edges { cursor } } }")["organisations"]["edges"]
    assert (
        "must not be negative"
        in api.errors('{ search(text: "会", first: -1) { totalCount } }')[0]["message"]
    )
    bad = api.post('{ organisations(after: "not-a-cursor") { totalCount } }')
    assert bad.status_code == 400 and "data" not in bad.json()
    assert bad.json()["errors"][0]["message"].startswith(
        "invalid cursor 'not-a-cursor': not one this API handed out"
    )
    nested = api.errors(
        "query ($id: ID!) { entity(id: $id) { relations(first: 500) { totalCount } } }",
        {"id": G.zhang.id},
    )
    assert "page size cap of 100" in nested[0]["message"]


def test_depth_limit(api: Api) -> None:
    deep = '{ entity(id: "x") { relations { edges { node { source { ... on Entity { relations { edges { node { target { ... on Entity { relations { edges { node { source { ... on Entity { name } } } } } } } } } } } } } } } } }'
    response = api.post(deep)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 12"
    strict = api.post(deep, headers={"accept": GRAPHQL_RESPONSE})
    assert strict.status_code == 400 and "data" not in strict.json()


def test_alias_limit(api: Api) -> None:
    many = "{ " + " ".join(f"a{i}: stats {{ nodes }}" for i in range(31)) + " }"
    message = api.errors(many)[0]["message"]
    assert message == "31 aliases found. Allowed: 30"


def test_token_limit(api: Api) -> None:
    huge = "{ stats { " + " ".join(["nodes"] * 2100) + " } }"
    error = api.errors(huge)[0]
    assert "more than 2000 tokens" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_status_codes_follow_the_spec(api: Api) -> None:
    bad = "{ zzz }"
    legacy = api.post(bad, headers={"accept": "application/json"})
    assert legacy.status_code == 200 and legacy.headers["content-type"].startswith(
        "application/json"
    )
    assert legacy.json()["errors"][0]["message"] == "Cannot query field 'zzz' on type 'Query'."
    strict = api.post(bad, headers={"accept": GRAPHQL_RESPONSE})
    assert strict.status_code == 400
    assert strict.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in strict.json()
    # A field error is not a request error: data is there, status 200.
    field = api.post(
        '{ neighbourhood(id: "nope") { truncated } }', headers={"accept": GRAPHQL_RESPONSE}
    )
    assert field.status_code == 200
    assert (
        field.json()["data"] is None
        and field.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    )
    ok = api.post("{ stats { nodes } }", headers={"accept": GRAPHQL_RESPONSE})
    assert ok.status_code == 200 and ok.json()["data"]["stats"]["nodes"] > 0


def test_answers_are_compact_utf8_json(api: Api) -> None:
    """Chinese goes out as UTF-8 (3 bytes a character), not as \\uXXXX escapes (6)."""
    response = api.post('{ search(text: "服务中心", first: 3) { edges { node { name } } } }')
    names = [e["node"]["name"] for e in response.json()["data"]["search"]["edges"]]
    assert names and all("服务中心" in n for n in names)
    assert "服务中心".encode() in response.content and b"\\u" not in response.content
    assert b'": ' not in response.content  # no blanks after separators


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"{not json", "application/json", "Unable to parse request body as JSON"),
        (b'{"variables": {}}', "application/json", "No GraphQL query found in the request"),
        (b'{"query": 42}', "application/json", "must be a string"),
        (
            b'{"query": "{ stats { nodes } }", "variables": []}',
            "application/json",
            "must be an object",
        ),
        (b"query=1", "text/plain", "Unsupported content type"),
    ],
)
def test_malformed_requests_get_400_with_a_json_error(
    api: Api, content: bytes, content_type: str, message: str
) -> None:
    response = api.client.post("/graphql", content=content, headers={"content-type": content_type})
    assert response.status_code == 400
    body = response.json()
    assert message in body["errors"][0]["message"]
    _no_trace(response.text)


def test_variables_of_the_wrong_type(api: Api) -> None:
    q = "query ($n: Int!) { stats(top: $n) { nodes } }"
    error = api.errors(q, {"n": "ten"})[0]
    assert "Int cannot represent non-integer value: 'ten'" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert api.post(q, {"n": "ten"}, headers={"accept": GRAPHQL_RESPONSE}).status_code == 400


def test_get_queries_and_no_mutation_over_get(api: Api) -> None:
    got = api.client.get("/graphql", params={"query": "{ stats { nodes } }"})
    assert got.status_code == 200 and got.json()["data"]["stats"]["nodes"] > 0
    mutation = api.client.get(
        "/graphql", params={"query": 'mutation { addAlias(id: "x", alias: "y") { id } }'}
    )
    assert mutation.status_code in (400, 405)
    _no_trace(mutation.text)


def test_graphiql_and_health(api: Api) -> None:
    page = api.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    health = api.client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["nodes"] > 0
    # GraphiQL and the explorer load their assets from this server, never a CDN.
    assert "unpkg.com" not in page.text
    assert "/static/dist/graphiql/graphiql.min.js" in page.text
    explorer = api.client.get("/")
    assert explorer.status_code == 200 and "/static/dist/explorer.js" in explorer.text
    for asset in ("/static/dist/explorer.js", "/static/dist/graphiql/graphiql.min.js"):
        assert api.client.get(asset).status_code == 200, asset
    assert api.client.get("/static/dist/nothing.js").status_code == 404


def test_unexpected_errors_are_masked(api: Api) -> None:
    """A store failure that is not a ShegongError reaches the client as a bare message."""
    store = api.store
    original = store.stats

    def broken(top: int = 10) -> object:
        raise RuntimeError("secret internals at /srv/db")

    store.stats = broken  # type: ignore[method-assign]
    try:
        response = api.post("{ stats { nodes } }")
    finally:
        store.stats = original  # type: ignore[method-assign]
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in response.text
    _no_trace(response.text)


def test_every_error_body_is_json_without_trace(api: Api) -> None:
    for query in ("{", "{ entity { id } }", '{ path(from: "a", to: "b") { length } }'):
        response = api.post(query)
        assert response.status_code == 200
        json.loads(response.text)
        _no_trace(response.text)


def test_cors_only_for_named_origins(api: Api, read_store: tuple[GraphStore, bool]) -> None:
    preflight = {
        "origin": "https://dash.example.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
    }
    store, _ = read_store
    app = create_app(store, ApiSettings(cors_origins=("https://dash.example.org",)))
    with running_server(app) as url, httpx.Client(base_url=url) as client:
        ok = client.options("/graphql", headers=preflight)
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://dash.example.org"
        other = client.options("/graphql", headers={**preflight, "origin": "https://evil.example"})
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
    # The default server (no origins configured) sends no CORS headers at all.
    response = api.post("{ stats { nodes } }", headers={"origin": "https://dash.example.org"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_relation_count_is_bounded(read_store: tuple[GraphStore, bool]) -> None:
    store, _ = read_store
    app = create_app(store, ApiSettings(max_count=10))
    with running_server(app) as url, httpx.Client(base_url=url) as client:
        body = client.post(
            "/graphql",
            json={"query": "{ relations(first: 5) { totalCount edges { node { id } } } }"},
        ).json()
        assert body["data"] is None
        assert body["errors"][0]["message"].startswith("totalCount of relations stops at 10")
        # Pages without totalCount, and small filtered counts, still work.
        page = client.post(
            "/graphql", json={"query": "{ relations(first: 5) { edges { node { id } } } }"}
        ).json()
        assert len(page["data"]["relations"]["edges"]) == 5
        small = client.post(
            "/graphql", json={"query": "{ relations(types: [ISSUED_BY]) { totalCount } }"}
        ).json()
        assert small["data"]["relations"]["totalCount"] == 1
