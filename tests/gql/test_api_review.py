"""reviewQueue, acceptRelation and audit over HTTP, on every store kind."""

from __future__ import annotations

from shegong.schema import RelationType, relation_id

from tests.gql.conftest import TOKEN, Api
from tests.gql.graph_data import G, graph_batch

AUTH = {"authorization": f"Bearer {TOKEN}", "x-shegong-editor": "wang"}
ELECTED = relation_id(RelationType.ELECTED_PRESIDENT, G.zhang.id, G.shanghai_assoc.id)
ISSUED = relation_id(RelationType.ISSUED_BY, G.policy.id, G.ministry.id)

QUEUE = """query ($max: Float!, $first: Int, $after: String) {
  reviewQueue(maxConfidence: $max, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id type confidence curated reviewed evidence { nodes { sentence } } } } } }"""
ACCEPT = """mutation ($id: ID!, $note: String) {
  acceptRelation(id: $id, note: $note) { id reviewed } }"""
AUDIT = """query ($entity: ID, $relation: ID, $editor: String, $since: String, $first: Int,
                 $after: String) {
  audit(entity: $entity, relation: $relation, editor: $editor, since: $since, first: $first,
        after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { at editor action target note details } } } }"""


def _queue(api: Api, max_confidence: float = 0.8, **more: object) -> dict[str, object]:
    data = api.query(QUEUE, {"max": max_confidence, **more})
    queue: dict[str, object] = data["reviewQueue"]
    return queue


def _queue_ids(api: Api, max_confidence: float = 0.8) -> list[str]:
    queue = _queue(api, max_confidence, first=100)
    return [edge["node"]["id"] for edge in queue["edges"]]  # type: ignore[index, attr-defined]


def test_review_queue_lists_what_the_store_queues(editable_api: Api) -> None:
    queue = _queue(editable_api, 0.8, first=3)
    total = editable_api.store.count_review_queue(0.8)
    assert queue["totalCount"] == total > 3
    nodes = [edge["node"] for edge in queue["edges"]]  # type: ignore[attr-defined]
    assert [n["id"] for n in nodes] == [r.id for r in editable_api.store.review_queue(0.8, 3)]
    assert all(not n["curated"] and not n["reviewed"] for n in nodes)
    # The ISSUED_BY relation has one piece of evidence at 0.95: queued for that alone.
    assert ISSUED in _queue_ids(editable_api)
    # Paging on.
    after = queue["pageInfo"]["endCursor"]  # type: ignore[index]
    more = _queue(editable_api, 0.8, first=3, after=after)
    next_ids = [edge["node"]["id"] for edge in more["edges"]]  # type: ignore[attr-defined]
    assert next_ids == [r.id for r in editable_api.store.review_queue(0.8, 3, 3)]


def test_accept_relation_leaves_the_queue_for_good(editable_api: Api) -> None:
    assert ELECTED in _queue_ids(editable_api)
    data = editable_api.query(ACCEPT, {"id": ELECTED, "note": "read it"}, headers=AUTH)
    assert data["acceptRelation"] == {"id": ELECTED, "reviewed": True}
    assert ELECTED not in _queue_ids(editable_api)
    editable_api.store.upsert(graph_batch())  # the same extraction loaded again
    assert ELECTED not in _queue_ids(editable_api)
    got = editable_api.query("query ($id: ID!) { relation(id: $id) { reviewed } }", {"id": ELECTED})
    assert got["relation"] == {"reviewed": True}
    audit = editable_api.query(AUDIT, {"relation": ELECTED})["audit"]
    assert [e["node"]["action"] for e in audit["edges"]] == ["accept"]
    assert audit["edges"][0]["node"]["editor"] == "wang"
    assert audit["edges"][0]["node"]["note"] == "read it"


def test_accept_relation_refusals(editable_api: Api) -> None:
    error = editable_api.errors(ACCEPT, {"id": ELECTED})[0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert ELECTED in _queue_ids(editable_api)
    error = editable_api.errors(ACCEPT, {"id": "rel-0000000000000000"}, headers=AUTH)[0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "rel-0000000000000000" in error["message"]
    editable_api.store.retract(ISSUED, "wrong ministry", "li")
    error = editable_api.errors(ACCEPT, {"id": ISSUED}, headers=AUTH)[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "retracted" in error["message"]


def test_review_queue_bad_threshold(editable_api: Api) -> None:
    for bad in (-1, 2):
        error = editable_api.errors(QUEUE, {"max": bad})[0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "maxConfidence must be between 0 and 1" in error["message"]


def test_audit_query_filters_and_pages(editable_api: Api) -> None:
    api = editable_api
    api.query(ACCEPT, {"id": ELECTED}, headers=AUTH)
    api.store.retract(ISSUED, "wrong ministry", "li")
    api.store.add_alias(G.ministry.id, "中华人民共和国民政部", "li", "full name")
    everything = api.query(AUDIT, {})["audit"]
    assert everything["totalCount"] == 3
    actions = [e["node"]["action"] for e in everything["edges"]]
    assert actions == ["add_alias", "retract", "accept"]  # newest first
    by_li = api.query(AUDIT, {"editor": "li"})["audit"]
    assert [e["node"]["action"] for e in by_li["edges"]] == ["add_alias", "retract"]
    ministry = api.query(AUDIT, {"entity": G.ministry.id})["audit"]
    assert [e["node"]["action"] for e in ministry["edges"]] == ["add_alias", "retract"]
    assert ministry["edges"][1]["node"]["details"] == {"reason": "wrong ministry"}
    assert api.query(AUDIT, {"since": "2999-01-01"})["audit"]["totalCount"] == 0
    since = api.query(AUDIT, {"since": "2000-01-01T08:00:00+08:00"})["audit"]
    assert since["totalCount"] == 3
    page = api.query(AUDIT, {"first": 2})["audit"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = api.query(AUDIT, {"first": 2, "after": page["pageInfo"]["endCursor"]})["audit"]
    assert [e["node"]["action"] for e in rest["edges"]] == ["accept"]


def test_audit_query_bad_since(editable_api: Api) -> None:
    error = editable_api.errors(AUDIT, {"since": "yesterday"})[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "since must be an ISO date or time" in error["message"]
    assert "'yesterday'" in error["message"]
