"""Hostile and careless requests against a real server, on every store kind: each gets
a 4xx (or a GraphQL error) naming the problem, never a 500, and the server stays
responsive with flat memory."""

from __future__ import annotations

import base64
import resource
import threading
import time
from typing import Any

import httpx
import pytest

from tests.gql.conftest import Api

GRAPHQL_RESPONSE = "application/graphql-response+json"
TRACE_MARKERS = ("Traceback", 'File "', "site-packages", '.py", line')


def fragment_bomb(levels: int = 12, spreads: int = 4, tag: str = "X") -> str:
    """Fragments each spreading the next one ``spreads`` times (632 bytes at 12 x 4):
    ``spreads ** levels`` paths through a document graphql-core validates in ms."""
    frags = [
        f"fragment {tag}{levels - 1} on Query {{ stats(top: 1) {{ relationsByType {{ count }} }} }}"
    ]
    for i in range(levels - 2, -1, -1):
        body = " ".join([f"...{tag}{i + 1}"] * spreads)
        frags.append(f"fragment {tag}{i} on Query {{ {body} }}")
    return f"query {{ ...{tag}0 }} " + " ".join(frags)


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode("ascii")


def _bad_request(response: httpx.Response, message: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    for marker in TRACE_MARKERS:
        assert marker not in response.text
    body: dict[str, Any] = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert message in error["message"], error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    return error


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


BODIES: list[tuple[str, bytes, str]] = [
    ("invalid utf-8", b'{"query": "{ stats { nodes } }\xff"}', "not UTF-8: byte 0xff at offset 30"),
    ("json null", b"null", "must be a JSON object such as"),
    ("json number", b"42", "got a number"),
    ("json string", b'"{ stats { nodes } }"', "got a string"),
    ("json array", b'[{"query": "{ stats { nodes } }"}]', "got an array"),
    ("deep json", b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
    (
        "deep variables",
        b'{"query": "{ stats { nodes } }", "variables": {"v": ' + b"[" * 40 + b"]" * 40 + b"}}",
        "nested too deep at variables.v",
    ),
    (
        "NUL in variables",
        b'{"query": "query ($t: String!) { search(text: $t) { totalCount } }",'
        b' "variables": {"t": "\\u0000abc"}}',
        "variables.t holds a NUL character",
    ),
    (
        "lone surrogate in variables",
        b'{"query": "query ($t: String!) { search(text: $t) { totalCount } }",'
        b' "variables": {"t": "ab\\ud800"}}',
        "variables.t holds a lone surrogate (\\ud800 at 2)",
    ),
    (
        "lone surrogate in the query",
        b'{"query": "{ stats { nodes } } # \\udfff"}',
        "query holds a lone surrogate",
    ),
    (
        "over-long variable",
        b'{"query": "query ($t: String!) { search(text: $t) { totalCount } }",'
        b' "variables": {"t": "' + "会".encode() * 10_001 + b'"}}',
        "variables.t is 10001 characters long; at most 10000 are taken",
    ),
    ("NaN", b'{"query": "{ stats { nodes } }", "variables": {"n": NaN}}', "holds NaN"),
]


@pytest.mark.parametrize(("case", "content", "message"), BODIES, ids=[b[0] for b in BODIES])
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
def test_malformed_bodies_get_400(
    api: Api, case: str, content: bytes, message: str, accept: str
) -> None:
    response = api.client.post(
        "/graphql", content=content, headers={"content-type": "application/json", "accept": accept}
    )
    _bad_request(response, message)
    assert response.headers["content-type"].startswith(accept)


DOCUMENTS: list[tuple[str, str, dict[str, Any] | None, str]] = [
    (
        "NUL in a string",
        '{ search(text: "\\u0000abc") { totalCount } }',
        None,
        "a string in the query (line 1) holds a NUL character",
    ),
    (
        "over-long string",
        '{ search(text: "' + "社" * 10_001 + '") { totalCount } }',
        None,
        "is 10001 characters long",
    ),
    (
        "cursor out of range",
        '{ organisations(after: "' + cursor_of("shegong:" + "9" * 23) + '") { totalCount } }',
        None,
        "its offset is out of range (at most 10000000)",
    ),
    (
        "cursor out of range in a variable",
        'query ($a: String) { search(text: "会", after: $a) { totalCount } }',
        {"a": cursor_of("shegong:" + "9" * 23)},
        "its offset is out of range",
    ),
    (
        "negative cursor",
        '{ organisations(after: "' + cursor_of("shegong:-5") + '") { totalCount } }',
        None,
        "not one this API handed out",
    ),
    (
        "non-ASCII digits in a cursor",
        '{ organisations(after: "' + cursor_of("shegong:٣") + '") { totalCount } }',
        None,
        "not one this API handed out",
    ),
    (
        "nested relation cursor",
        '{ organisations(first: 1) { edges { node { relations(after: "zzz") { totalCount } } } } }',
        None,
        "invalid cursor 'zzz'",
    ),
]


@pytest.mark.parametrize(
    ("case", "query", "variables", "message"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS]
)
def test_bad_values_in_documents_get_400(
    api: Api, case: str, query: str, variables: dict[str, Any] | None, message: str
) -> None:
    _bad_request(api.post(query, variables), message)


def test_a_lone_surrogate_escape_is_a_syntax_error(api: Api) -> None:
    error = api.errors('{ search(text: "\\ud800") { totalCount } }')[0]
    assert error["message"].startswith("Syntax Error: Invalid Unicode escape sequence")
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_cursors_the_api_gave_still_work(api: Api) -> None:
    page = api.query("{ organisations(first: 2) { pageInfo { endCursor } } }")
    cursor = page["organisations"]["pageInfo"]["endCursor"]
    after = api.query(
        "query ($a: String) { organisations(first: 2, after: $a) { edges { cursor } } }",
        {"a": cursor},
    )
    assert after["organisations"]["edges"][0]["cursor"] != cursor


def test_a_known_document_still_checks_each_requests_variables(api: Api) -> None:
    """A query text the server has parsed and validated before (cached) is still checked
    for the cursors and sizes its variables bring, request by request."""
    query = (
        'query ($a: String, $n: Int) { search(text: "会", first: $n, after: $a) { edges '
        "{ node { relations(first: $n) { edges { node { evidence { nodes { sentence } } } } } "
        "} } } }"
    )
    assert "search" in api.query(query, {"a": None, "n": 3})  # now known
    _bad_request(api.post(query, {"a": "zzz", "n": 3}), "invalid cursor 'zzz'")
    assert "above the budget of 50000" in api.errors(query, {"a": None, "n": 100})[0]["message"]
    assert "search" in api.query(query, {"a": None, "n": 2})


def test_fragment_bomb_is_refused_in_milliseconds(api: Api) -> None:
    bomb = fragment_bomb()
    assert len(bomb) < 700
    started = time.monotonic()
    response = api.post(bomb, headers={"accept": GRAPHQL_RESPONSE})
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"].startswith("'anonymous' would cost 12582912")
    assert "above the budget of 50000" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert elapsed < 1.0, elapsed
    # One level deeper (70 s before) and wider: still refused at once.
    deeper = api.post(fragment_bomb(levels=16, spreads=6, tag="Y"))
    assert "above the budget" in deeper.json()["errors"][0]["message"]


def test_cost_counts_list_sizes(api: Api) -> None:
    nested = (
        '{ search(text: "会", first: 100) { edges { node { relations(first: 100) { edges '
        "{ node { source { name } evidence { edges { node { sentence } } } } } } } } } }"
    )
    message = api.errors(nested)[0]["message"]
    assert "above the budget of 50000" in message
    # The same shape with small pages runs.
    small = nested.replace("first: 100", "first: 5")
    assert "search" in api.query(small)
    # Sizes given as variables count too.
    q = (
        'query ($n: Int) { search(text: "会", first: $n) { edges { node { relations(first: $n) '
        "{ edges { node { source { name } evidence { edges { node { sentence } } } } } } } } } }"
    )
    assert "above the budget" in api.errors(q, {"n": 100})[0]["message"]
    assert "search" in api.query(q, {"n": 3})


def test_introspection_is_answered_but_not_nested_without_end(api: Api) -> None:
    from graphql import get_introspection_query

    full = api.query(get_introspection_query())
    assert full["__schema"]["queryType"]["name"] == "Query"
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert api.errors(nested)[0]["message"] == "Maximum introspection depth exceeded"


def test_health_answers_while_hostile_requests_run(api: Api) -> None:
    """Bombs (each distinct, so no cache helps) and bad bodies from 8 threads; /health
    answers quickly all along and the process's memory stays flat."""
    stop = threading.Event()
    statuses: list[int] = []

    def attack(n: int) -> None:
        with httpx.Client(base_url=api.url, timeout=30) as client:
            i = 0
            while not stop.is_set():
                i += 1
                bomb = fragment_bomb(levels=14, spreads=5, tag=f"T{n}x{i}x")
                statuses.append(client.post("/graphql", json={"query": bomb}).status_code)
                statuses.append(
                    client.post(
                        "/graphql",
                        content=b"[" * 50_000,
                        headers={"content-type": "application/json"},
                    ).status_code
                )

    before = _rss_mb()
    threads = [threading.Thread(target=attack, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    slowest = 0.0
    try:
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            started = time.monotonic()
            health = api.client.get("/health")
            slowest = max(slowest, time.monotonic() - started)
            assert health.status_code == 200
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert slowest < 3.0, slowest  # 18 s before: validation held the event loop
    assert len(statuses) > 40
    assert set(statuses) <= {200, 400}, set(statuses)
    assert _rss_mb() - before < 60, (before, _rss_mb())


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_limit_gets_413_with_a_graphql_error(api: Api, declared: bool) -> None:
    content = b'{"query": "' + b"a" * 2_000_000 + b'"}'
    if declared:
        response = api.client.post(
            "/graphql", content=content, headers={"content-type": "application/json"}
        )
    else:  # streamed without a length: cut while reading

        def chunks() -> Any:
            for i in range(0, len(content), 65536):
                yield content[i : i + 65536]

        response = api.client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["message"] == "the request body is larger than 1000000 bytes"
