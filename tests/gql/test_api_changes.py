"""Every mutation's result lists what it changed; ``unmergeEntities`` undoes a merge.
Over HTTP on every store kind (a module of editable stores only: a Bolt server holds
one graph)."""

from __future__ import annotations

from typing import Any

from shegong.schema import RelationType, relation_id

from tests.gql.conftest import Api
from tests.gql.graph_data import G
from tests.gql.test_api_mutations import AUTH

CHANGES = "changes { kind id action fields before after }"


def _by_id(changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in changes}


def test_retract_and_alias_list_the_fields_they_changed(editable_api: Api) -> None:
    rid = relation_id(RelationType.ELECTED_PRESIDENT, G.zhang.id, G.shanghai_assoc.id)
    q = f'mutation ($id: ID!) {{ retractRelation(id: $id, reason: "wrong person") {{ id {CHANGES} }} }}'
    [change] = editable_api.query(q, {"id": rid}, headers=AUTH)["retractRelation"]["changes"]
    assert (change["kind"], change["id"], change["action"]) == ("relation", rid, "CHANGED")
    assert {"retracted", "retractedReason"} <= set(change["fields"])
    assert change["before"]["retracted"] is False and change["after"]["retracted"] is True
    assert change["after"]["retractedReason"] == "wrong person"
    q = f'mutation ($id: ID!) {{ addAlias(id: $id, alias: "张老三") {{ id {CHANGES} }} }}'
    [change] = editable_api.query(q, {"id": G.zhang.id}, headers=AUTH)["addAlias"]["changes"]
    assert change == {
        "kind": "node",
        "id": G.zhang.id,
        "action": "CHANGED",
        "fields": ["aliases"],
        "before": {"aliases": []},
        "after": {"aliases": ["张老三"]},
    }
    # Outside a mutation result the list is empty.
    read = editable_api.query(
        f"query ($id: ID!) {{ entity(id: $id) {{ {CHANGES} }} }}", {"id": G.zhang.id}
    )
    assert read["entity"]["changes"] == []


def test_add_relation_lists_the_new_relation(editable_api: Api) -> None:
    q = f"""mutation ($s: ID!, $t: ID!) {{ addRelation(input: {{type: PARTNERED_WITH, source: $s, target: $t, note: "press release"}}) {{
      id {CHANGES} }} }}"""
    result = editable_api.query(q, {"s": G.ministry.id, "t": G.xinhua.id}, headers=AUTH)[
        "addRelation"
    ]
    [change] = result["changes"]
    assert (change["id"], change["action"], change["before"]) == (result["id"], "ADDED", None)
    assert change["after"]["curated"] is True and change["after"]["sourceId"] == G.ministry.id


def test_merge_then_unmerge_lists_changes_and_restores(editable_api: Api) -> None:
    look = """query ($a: ID!, $b: ID!) { a: entity(id: $a) { id aliases degree }
      b: entity(id: $b) { id aliases degree } }"""
    ids = {"a": G.shanghai_assoc.id, "b": G.federation.id}
    before = editable_api.query(look, ids)
    merge = f"""mutation ($keep: ID!, $merge: [ID!]!) {{
      mergeEntities(keep: $keep, merge: $merge) {{ id {CHANGES} }} }}"""
    merged = editable_api.query(
        merge, {"keep": G.shanghai_assoc.id, "merge": [G.federation.id]}, headers=AUTH
    )["mergeEntities"]
    changes = _by_id(merged["changes"])
    assert changes[G.federation.id]["action"] == "REMOVED"
    assert changes[G.shanghai_assoc.id]["fields"] == ["aliases"]
    assert "中国社会工作联合会" in changes[G.shanghai_assoc.id]["after"]["aliases"]
    partnership = relation_id(RelationType.PARTNERED_WITH, G.federation.id, G.shanghai_assoc.id)
    assert partnership in changes  # the relation between the two is folded away
    unmerge = f"""mutation ($id: ID!) {{ unmergeEntities(id: $id, note: "two bodies") {{
      id name {CHANGES} }} }}"""
    undone = editable_api.query(unmerge, {"id": G.federation.id}, headers=AUTH)["unmergeEntities"]
    assert (undone["id"], undone["name"]) == (G.federation.id, "中国社会工作联合会")
    back = _by_id(undone["changes"])
    assert back[G.federation.id]["action"] == "ADDED"
    assert back[partnership]["action"] in ("ADDED", "CHANGED")
    assert editable_api.query(look, ids) == before
    [entry] = [e for e in editable_api.store.audit(target=G.federation.id) if e.action == "unmerge"]
    assert entry.note == "two bodies"


def test_unmerge_refuses_what_was_not_merged(editable_api: Api) -> None:
    q = "mutation ($id: ID!) { unmergeEntities(id: $id) { id } }"
    error = editable_api.errors(q, {"id": G.ministry.id}, headers=AUTH)[0]
    assert "was not merged" in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT"
    missing = editable_api.errors(q, {"id": "org-missing"}, headers=AUTH)[0]
    assert missing["extensions"]["code"] == "NOT_FOUND"
    assert editable_api.errors(q, {"id": G.ministry.id})[0]["extensions"]["code"] == "FORBIDDEN"


def test_article_source_filter_holds_for_every_outlet(editable_api: Api) -> None:
    """A reprint's outlet counts: the folded article lists every outlet in ``sources``."""
    from shegong.schema import Article, GraphBatch

    folded = Article(
        title="社工周报道", text="正文。", file="fixture/c.txt", source="新华社"
    ).to_node()
    folded.properties["sources"] = ["新华社", "中国社会报"]
    editable_api.store.upsert(GraphBatch(nodes=[folded]))
    q = """query ($s: String!) { w: articles(where: {source: {eq: $s}}) { edges { node { id } } }
      f: articles(filter: {source: $s}) { edges { node { id } } } }"""
    for outlet in ("中国社会报", "新华社"):
        data = editable_api.query(q, {"s": outlet})
        assert folded.id in [e["node"]["id"] for e in data["w"]["edges"]]
        assert data["w"] == data["f"]
    assert editable_api.query(q, {"s": "人民网"})["w"]["edges"] != []
    assert folded.id not in str(editable_api.query(q, {"s": "人民网"}))
