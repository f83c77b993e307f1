"""Relations with provenance, neighbourhoods, paths and stats over HTTP."""

from __future__ import annotations

from shegong.schema import RelationType, relation_id

from tests.gql.conftest import Api
from tests.gql.graph_data import ART1, CENTRES, G

RELATIONS = """
query ($types: [RelationType!], $source: ID, $target: ID, $min: Float, $curated: Boolean, $first: Int) {
  relations(types: $types, source: $source, target: $target, minConfidence: $min, curated: $curated, first: $first) {
    totalCount edges { node { id type sourceId targetId confidence curated } }
  }
}"""


def _rels(api: Api, **variables: object) -> list[dict[str, object]]:
    data = api.query(RELATIONS, {"first": 100, **variables})["relations"]
    nodes = [e["node"] for e in data["edges"]]
    assert data["totalCount"] == len(nodes)
    return nodes


def test_relations_filters(api: Api) -> None:
    assert len(_rels(api, types=["GUIDED_BY"], target=G.shanghai_assoc.id)) == CENTRES
    president = _rels(api, types=["ELECTED_PRESIDENT"])
    assert president == [
        {
            "id": relation_id(RelationType.ELECTED_PRESIDENT, G.zhang.id, G.shanghai_assoc.id),
            "type": "ELECTED_PRESIDENT",
            "sourceId": G.zhang.id,
            "targetId": G.shanghai_assoc.id,
            "confidence": 0.8,
            "curated": False,
        }
    ]
    confident = _rels(api, min=0.85)
    assert confident and all(float(r["confidence"]) >= 0.85 for r in confident)  # type: ignore[arg-type]
    curated = _rels(api, curated=True)
    assert {r["type"] for r in curated} == {"LOCATED_IN", "PARTNERED_WITH"}
    assert all(r["curated"] for r in curated)
    assert _rels(api, source=G.policy.id) == [
        {
            "id": relation_id(RelationType.ISSUED_BY, G.policy.id, G.ministry.id),
            "type": "ISSUED_BY",
            "sourceId": G.policy.id,
            "targetId": G.ministry.id,
            "confidence": 0.95,
            "curated": False,
        }
    ]
    message = api.errors(RELATIONS, {"min": 1.5})[0]["message"]
    assert "minConfidence must be between 0 and 1" in message


def test_relation_provenance(api: Api) -> None:
    q = """query ($id: ID!) {
      relation(id: $id) {
        type properties propertyList { key value } source { name } target { name }
        evidenceCount
        evidence { totalCount nodes { articleId sentence start end rule confidence article { title text } } }
      }
    }"""
    rid = relation_id(RelationType.ELECTED_PRESIDENT, G.zhang.id, G.shanghai_assoc.id)
    rel = api.query(q, {"id": rid})["relation"]
    assert rel["properties"] == {"role": "会长"}
    assert rel["propertyList"] == [{"key": "role", "value": '"会长"'}]
    assert (rel["source"]["name"], rel["target"]["name"]) == ("张三", "上海市社会工作者协会")
    assert rel["evidenceCount"] == rel["evidence"]["totalCount"] == 1
    [ev] = rel["evidence"]["nodes"]
    assert ev["articleId"] == ART1.id and ev["rule"] == "elected.president"
    assert ev["article"]["title"] == ART1.title
    # The span points into the article text and lies inside the quoted sentence.
    assert ev["article"]["text"][ev["start"] : ev["end"]] == "张三当选会长"
    assert "张三当选会长" in ev["sentence"]


def test_entity_relations_by_type_direction_and_pages(api: Api) -> None:
    q = """query ($id: ID!, $types: [RelationType!], $dir: Direction!, $first: Int, $after: String) {
      entity(id: $id) { relations(types: $types, direction: $dir, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id type source { id } target { id } } } } }
    }"""
    base = {"id": G.shanghai_assoc.id, "types": None, "dir": "OUT"}
    out = api.query(q, {**base, "first": 10})["entity"]["relations"]
    assert {e["node"]["type"] for e in out["edges"]} == {"GUIDED_BY", "LOCATED_IN"}
    assert all(e["node"]["source"]["id"] == G.shanghai_assoc.id for e in out["edges"])
    seen: list[str] = []
    after = None
    while True:
        page = api.query(q, {**base, "dir": "BOTH", "first": 7, "after": after})["entity"][
            "relations"
        ]
        seen += [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == len(seen) == len(set(seen)) == 5 + CENTRES
    assert seen == sorted(seen)
    guided = api.query(q, {**base, "types": ["GUIDED_BY"], "dir": "IN", "first": 100})["entity"][
        "relations"
    ]
    assert guided["totalCount"] == CENTRES


NEIGHBOURHOOD = """
query ($id: ID!, $hops: Int!, $types: [RelationType!], $limit: Int!) {
  neighbourhood(id: $id, hops: $hops, types: $types, limit: $limit) {
    center { id } truncated nodes { id name } edges { id type sourceId targetId }
  }
}"""


def test_neighbourhood_one_and_two_hops(api: Api) -> None:
    one = api.query(NEIGHBOURHOOD, {"id": G.zhang.id, "hops": 1, "types": None, "limit": 100})[
        "neighbourhood"
    ]
    assert [n["name"] for n in one["nodes"]] == ["张三", "上海市社会工作者协会"]
    assert [e["type"] for e in one["edges"]] == ["ELECTED_PRESIDENT"]
    assert one["truncated"] is False
    two = api.query(NEIGHBOURHOOD, {"id": G.zhang.id, "hops": 2, "types": None, "limit": 100})[
        "neighbourhood"
    ]
    ids = [n["id"] for n in two["nodes"]]
    assert ids[:2] == [G.zhang.id, G.shanghai_assoc.id]
    assert ids[2:] == sorted(ids[2:])  # second hop by id
    assert {G.ministry.id, G.shanghai.id, G.congress.id, G.federation.id} <= set(ids)
    assert len(ids) == 2 + 4 + CENTRES
    node_ids = set(ids)
    assert all(e["sourceId"] in node_ids and e["targetId"] in node_ids for e in two["edges"])
    edge_ids = [e["id"] for e in two["edges"]]
    assert edge_ids == sorted(edge_ids)


def test_neighbourhood_types_and_limit(api: Api) -> None:
    typed = api.query(
        NEIGHBOURHOOD, {"id": G.shanghai_assoc.id, "hops": 1, "types": ["GUIDED_BY"], "limit": 100}
    )
    assert {e["type"] for e in typed["neighbourhood"]["edges"]} == {"GUIDED_BY"}
    assert len(typed["neighbourhood"]["nodes"]) == 1 + 1 + CENTRES
    cut = api.query(
        NEIGHBOURHOOD, {"id": G.shanghai_assoc.id, "hops": 2, "types": None, "limit": 5}
    )["neighbourhood"]
    assert cut["truncated"] is True and len(cut["nodes"]) == 5


def test_neighbourhood_bad_arguments(api: Api) -> None:
    hops = api.errors(NEIGHBOURHOOD, {"id": G.zhang.id, "hops": 4, "types": None, "limit": 10})[0]
    assert hops["message"] == "hops must be between 1 and 3, got 4"
    assert hops["extensions"]["code"] == "BAD_USER_INPUT"
    missing = api.errors(
        NEIGHBOURHOOD, {"id": "per-missing", "hops": 1, "types": None, "limit": 10}
    )[0]
    assert missing["message"] == "id: no node with id 'per-missing'"
    assert missing["extensions"]["code"] == "NOT_FOUND"


PATH = """
query ($from: ID!, $to: ID!, $max: Int!) {
  path(from: $from, to: $to, maxHops: $max) {
    length nodes { id name } relations { type sourceId targetId evidence { nodes { sentence rule article { id } } } }
  }
}"""


def test_path_with_evidence(api: Api) -> None:
    path = api.query(PATH, {"from": G.zhang.id, "to": G.policy.id, "max": 4})["path"]
    assert path["length"] == 3
    assert [n["name"] for n in path["nodes"]] == [
        "张三",
        "上海市社会工作者协会",
        "民政部",
        "关于加强社会工作专业人才队伍建设的意见",
    ]
    assert [r["type"] for r in path["relations"]] == ["ELECTED_PRESIDENT", "GUIDED_BY", "ISSUED_BY"]
    assert all(
        r["evidence"]["nodes"] and r["evidence"]["nodes"][0]["sentence"] for r in path["relations"]
    )
    # Too short a hop budget: no path, null rather than an error.
    assert api.query(PATH, {"from": G.zhang.id, "to": G.policy.id, "max": 2}) == {"path": None}
    assert api.query(PATH, {"from": G.zhang.id, "to": G.isolated.id, "max": 4}) == {"path": None}


def test_path_bad_arguments(api: Api) -> None:
    assert (
        api.errors(PATH, {"from": "x", "to": G.policy.id, "max": 4})[0]["message"]
        == "from: no node with id 'x'"
    )
    assert (
        "maxHops must be between 1 and 6"
        in api.errors(PATH, {"from": G.zhang.id, "to": G.li.id, "max": 9})[0]["message"]
    )


def test_stats(api: Api) -> None:
    data = api.query(
        "{ stats(top: 2) { nodes relations nodesByLabel { label count } relationsByType { type count } mostConnected { entity { id name } degree } } }"
    )["stats"]
    counts = {c["label"]: c["count"] for c in data["nodesByLabel"]}
    assert counts["ORGANISATION"] >= 4 + CENTRES
    assert sum(counts.values()) == data["nodes"]
    by_type = {c["type"]: c["count"] for c in data["relationsByType"]}
    assert by_type["GUIDED_BY"] >= 1 + CENTRES
    assert sum(by_type.values()) == data["relations"]
    top = data["mostConnected"]
    assert len(top) == 2
    assert top[0]["degree"] >= top[1]["degree"]
    if not api.corpus:
        assert top[0]["entity"]["id"] == G.shanghai_assoc.id and top[0]["degree"] == 5 + CENTRES
