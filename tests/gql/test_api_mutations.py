"""Editor mutations: the token, the audit trail, and what each mutation changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore
from shegong.schema import RelationType, Settings, relation_id

from tests.gql.conftest import TOKEN, Api, open_kind
from tests.gql.graph_data import G, graph_batch
from tests.gql.server import running_server

AUTH = {"authorization": f"Bearer {TOKEN}"}

ADD_ALIAS = """mutation ($id: ID!, $alias: String!, $note: String, $editor: String) {
  addAlias(id: $id, alias: $alias, note: $note, editor: $editor) { id aliases }
}"""


def test_mutations_need_the_token(editable_api: Api) -> None:
    variables = {"id": G.li.id, "alias": "老李"}
    cases = [
        ({}, "editor mutations need an 'Authorization: Bearer <token>' header"),
        ({"authorization": "Bearer wrong"}, "invalid editor token"),
        ({"authorization": TOKEN}, "the Authorization header must read 'Bearer <token>'"),
        (
            {"authorization": "Basic " + TOKEN},
            "the Authorization header must read 'Bearer <token>'",
        ),
    ]
    for headers, message in cases:
        error = editable_api.errors(ADD_ALIAS, variables, headers=headers)[0]
        assert error["message"] == message
        assert error["extensions"]["code"] == "FORBIDDEN"
    # Nothing changed, nothing audited.
    node = editable_api.store.get(G.li.id)
    assert node is not None and "老李" not in node.aliases
    assert editable_api.store.audit(target=G.li.id) == []


@pytest.fixture
def tokenless_api(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Api]:
    store = open_kind(store_kind, tmp_path, request)
    store.upsert(graph_batch())
    settings = ApiSettings.from_settings(Settings.from_env({}))  # SHEGONG_EDITOR_TOKEN unset
    with running_server(create_app(store, settings)) as url, httpx.Client(base_url=url) as client:
        yield Api(url=url, client=client, store=store)
    store.close()


def test_mutations_refused_when_the_token_is_unset(tokenless_api: Api) -> None:
    for headers in ({}, AUTH, {"authorization": "Bearer anything"}):
        error = tokenless_api.errors(ADD_ALIAS, {"id": G.li.id, "alias": "老李"}, headers=headers)[
            0
        ]
        assert error["message"] == (
            "editor mutations are disabled on this server: start it with SHEGONG_EDITOR_TOKEN set"
        )
    # Reads still work.
    assert tokenless_api.query("{ stats { nodes } }")["stats"]["nodes"] > 0


def test_add_alias_is_audited_and_searchable(editable_api: Api) -> None:
    data = editable_api.query(
        ADD_ALIAS,
        {"id": G.li.id, "alias": "李老師", "note": "from the 2022 report", "editor": "wang"},
        headers=AUTH,
    )
    assert "李老師" in data["addAlias"]["aliases"]
    [entry] = editable_api.store.audit(target=G.li.id)
    assert (entry.editor, entry.action, entry.note) == ("wang", "add_alias", "from the 2022 report")
    assert entry.at  # a time was recorded
    found = editable_api.query('{ search(text: "李老师") { edges { node { id } } } }')
    assert [e["node"]["id"] for e in found["search"]["edges"]] == [G.li.id]


def test_editor_from_header(editable_api: Api) -> None:
    editable_api.query(
        ADD_ALIAS, {"id": G.li.id, "alias": "小李"}, headers={**AUTH, "x-shegong-editor": "zhao"}
    )
    [entry] = editable_api.store.audit(target=G.li.id)
    assert entry.editor == "zhao"


ADD_RELATION = """mutation ($input: AddRelationInput!) {
  addRelation(input: $input) { id type curated editor note createdAt properties source { id } target { id } evidenceCount evidence { nodes { rule } } }
}"""


def test_add_relation_creates_a_curated_audited_edge(editable_api: Api) -> None:
    variables = {
        "input": {
            "type": "ELECTED_TO",
            "source": G.li.id,
            "target": G.federation.id,
            "properties": {"role": "副会长"},
            "note": "press release 2022-02",
            "editor": "wang",
        }
    }
    rel = editable_api.query(ADD_RELATION, variables, headers=AUTH)["addRelation"]
    rid = relation_id(RelationType.ELECTED_TO, G.li.id, G.federation.id)
    assert rel["id"] == rid
    assert (rel["curated"], rel["editor"], rel["note"]) == (True, "wang", "press release 2022-02")
    assert rel["createdAt"] and rel["properties"] == {"role": "副会长"}
    assert (rel["source"]["id"], rel["target"]["id"]) == (G.li.id, G.federation.id)
    [entry] = editable_api.store.audit(target=rid)
    assert (entry.editor, entry.action, entry.note) == (
        "wang",
        "add_relation",
        "press release 2022-02",
    )
    assert entry.details["type"] == "ELECTED_TO"
    # It shows up in reads at once (loaders are per request, nothing stale).
    q = "query ($id: ID!) { entity(id: $id) { degree relations { edges { node { id } } } } }"
    after = editable_api.query(q, {"id": G.li.id})["entity"]
    assert after["degree"] == 1 and after["relations"]["edges"][0]["node"]["id"] == rid


def test_add_relation_rejects_what_the_schema_forbids(editable_api: Api) -> None:
    wrong_labels = {"type": "ELECTED_TO", "source": G.ministry.id, "target": G.li.id}
    error = editable_api.errors(ADD_RELATION, {"input": wrong_labels}, headers=AUTH)[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ELECTED_TO" in error["message"]
    missing = {"type": "PARTNERED_WITH", "source": G.ministry.id, "target": "org-missing"}
    error = editable_api.errors(ADD_RELATION, {"input": missing}, headers=AUTH)[0]
    assert "org-missing" in error["message"]
    bad_type = editable_api.post(
        ADD_RELATION, {"input": {**missing, "type": "LIKES"}}, headers=AUTH
    ).json()
    assert "LIKES" in bad_type["errors"][0]["message"]
    assert editable_api.store.relations(curated=True, source_id=G.ministry.id) == []


RETRACT = """mutation ($id: ID!, $reason: String!) {
  retractRelation(id: $id, reason: $reason, note: "checked", editor: "li") { id retracted retractedReason }
}"""


def test_retract_relation(editable_api: Api) -> None:
    rid = relation_id(RelationType.ELECTED_PRESIDENT, G.zhang.id, G.shanghai_assoc.id)
    rel = editable_api.query(RETRACT, {"id": rid, "reason": "wrong person"}, headers=AUTH)[
        "retractRelation"
    ]
    assert rel == {"id": rid, "retracted": True, "retractedReason": "wrong person"}
    [entry] = editable_api.store.audit(target=rid)
    assert entry.editor == "li"
    # Gone from default reads, still there on request.
    q = "query ($id: ID!) { entity(id: $id) { degree } relations(types: [ELECTED_PRESIDENT], includeRetracted: true) { edges { node { id retracted } } } }"
    data = editable_api.query(q, {"id": G.zhang.id})
    assert data["entity"]["degree"] == 0
    assert data["relations"]["edges"] == [{"node": {"id": rid, "retracted": True}}]
    missing = editable_api.errors(RETRACT, {"id": "rel-missing", "reason": "x"}, headers=AUTH)[0]
    assert missing["extensions"]["code"] == "NOT_FOUND" and "rel-missing" in missing["message"]
    blank = editable_api.errors(RETRACT, {"id": rid, "reason": " "}, headers=AUTH)[0]
    assert blank["message"] == "reason must not be blank"


MERGE = """mutation ($keep: ID!, $merge: [ID!]!) {
  mergeEntities(keep: $keep, merge: $merge, note: "same body", editor: "wang") { id name aliases degree }
}"""


def test_merge_entities(editable_api: Api) -> None:
    store: GraphStore = editable_api.store
    before = store.degree([G.shanghai_assoc.id, G.federation.id])
    data = editable_api.query(
        MERGE, {"keep": G.shanghai_assoc.id, "merge": [G.federation.id]}, headers=AUTH
    )["mergeEntities"]
    assert data["id"] == G.shanghai_assoc.id
    assert "中国社会工作联合会" in data["aliases"]
    # The partnership between the two became a self-loop or was folded; the rest moved.
    assert data["degree"] >= before[G.shanghai_assoc.id] - 1
    [entry] = store.audit(target=G.federation.id)
    assert (entry.action, entry.editor, entry.note) == ("merge", "wang", "same body")
    # The merged-away id now resolves to the kept node.
    moved = editable_api.query(
        "query ($id: ID!) { entity(id: $id) { id } }", {"id": G.federation.id}
    )
    assert moved["entity"] == {"id": G.shanghai_assoc.id}
    errors = editable_api.errors(
        MERGE, {"keep": G.ministry.id, "merge": [G.ministry.id]}, headers=AUTH
    )
    assert "into itself" in errors[0]["message"]
    errors = editable_api.errors(
        MERGE, {"keep": G.ministry.id, "merge": ["org-missing"]}, headers=AUTH
    )
    assert errors[0]["message"] == "merge: no node with id 'org-missing'"
