"""``where``, ``orderBy``, place hierarchy, ``aggregate`` and ``asOf`` over HTTP, on every
store kind (tests/stores.py): the same expected answers on each, so this module is also
the contract that both translations of a graph.query description agree."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gql.conftest import Api
from tests.gql.graph_data import ART2, CENTRES, G

ORGS = """query ($w: OrganisationWhere, $o: [OrganisationOrderBy!], $first: Int, $after: String) {
  organisations(where: $w, orderBy: $o, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name kind degree } } } }"""

CENTRE_NAMES = [f"第{i:02d}社会工作服务中心" for i in range(1, CENTRES + 1)]


def _orgs(
    api: Api, where: dict[str, Any] | None, order: list[dict[str, str]] | None = None
) -> list[str]:
    data = api.query(ORGS, {"w": where, "o": order, "first": 100})["organisations"]
    names = [e["node"]["name"] for e in data["edges"]]
    assert data["totalCount"] == len(names)
    return names


def _names(api: Api, query: str, field: str, variables: dict[str, Any] | None = None) -> list[str]:
    return [e["node"]["name"] for e in api.query(query, variables)[field]["edges"]]


BY_NAME = [{"field": "NAME"}]


def test_where_names_operators_cover_aliases_and_traditional_input(api: Api) -> None:
    assert _orgs(api, {"names": {"contains": "社會工作者"}}) == ["上海市社会工作者协会"]
    assert _orgs(api, {"names": {"eq": "中国社工联"}}) == ["中国社会工作联合会"]
    assert _orgs(api, {"names": {"in": ["民政部", "新華社"]}}, BY_NAME) == ["新华社", "民政部"]
    assert _orgs(api, {"names": {"startsWith": "第0"}}, BY_NAME) == CENTRE_NAMES[:9]
    # The canonical name alone does not hold the alias.
    assert _orgs(api, {"name": {"eq": "中国社工联"}}) == []
    assert _orgs(api, {"name": {"startsWith": "上海", "contains": "协会"}}) == [
        "上海市社会工作者协会"
    ]


def test_where_kind_level_adcode_and_null(api: Api) -> None:
    assert _orgs(api, {"kind": {"in": ["government", "media"]}}, BY_NAME) == ["新华社", "民政部"]
    assert len(_orgs(api, {"firstSeen": {"isNull": True}})) == CENTRES + 3
    places = "query ($w: PlaceWhere) { places(where: $w, orderBy: {field: NAME}) { edges { node { name } } } }"
    assert _names(api, places, "places", {"w": {"level": {"eq": "district"}}}) == ["浦东新区"]
    assert _names(api, places, "places", {"w": {"adcode": {"startsWith": "31"}}}) == [
        "上海市",
        "浦东新区",
    ]


def test_where_combinators_and_or_not(api: Api) -> None:
    assert _orgs(api, {"NOT": {"kind": {"eq": "service"}}}, BY_NAME) == sorted(
        ["上海市社会工作者协会", "中国社会工作联合会", "孤立的基金会", "新华社", "民政部"]
    )
    either = {"OR": [{"kind": {"eq": "media"}}, {"names": {"contains": "第25"}}]}
    assert _orgs(api, either, BY_NAME) == ["新华社", "第25社会工作服务中心"]
    both = {"AND": [{"kind": {"eq": "association"}}, {"NOT": {"names": {"contains": "上海"}}}]}
    assert _orgs(api, both) == ["中国社会工作联合会"]


def test_where_degree(api: Api) -> None:
    hubs = _orgs(api, {"degree": {"gt": 3}}, [{"field": "DEGREE", "direction": "DESC"}])
    assert hubs[0] == "上海市社会工作者协会" and sorted(hubs[1:]) == CENTRE_NAMES
    assert _orgs(api, {"degree": {"in": [0]}}) == ["孤立的基金会"]
    assert _orgs(api, {"degree": {"gte": 2, "lte": 2}}) == ["民政部"]
    assert (
        _orgs(api, {"degree": {"lt": 1}}) == _orgs(api, {"degree": {"eq": 0}}) == ["孤立的基金会"]
    )


def test_where_relations_some_none_and_nested(api: Api) -> None:
    guided = {
        "relations": {
            "some": {"types": ["GUIDED_BY"], "direction": "OUT", "node": {"name": {"eq": "民政部"}}}
        }
    }
    assert _orgs(api, guided) == ["上海市社会工作者协会"]
    unguided = {"relations": {"none": {"types": ["GUIDED_BY"], "direction": "OUT"}}}
    assert _orgs(api, unguided, BY_NAME) == sorted(
        ["中国社会工作联合会", "孤立的基金会", "新华社", "民政部"]
    )
    # Guiding bodies of something located in 浦东新区: two levels of relation conditions.
    nested = {
        "relations": {
            "some": {
                "types": ["GUIDED_BY"],
                "direction": "IN",
                "node": {
                    "relations": {
                        "some": {"types": ["LOCATED_IN"], "node": {"names": {"eq": "浦东新区"}}}
                    }
                },
            }
        }
    }
    assert _orgs(api, nested) == ["上海市社会工作者协会"]
    mentioned = {"mentionedIn": ART2.id, "relations": {"some": {"types": ["ISSUED_BY"]}}}
    assert _orgs(api, mentioned) == ["民政部"]


def test_where_relations_all(api: Api) -> None:
    only_centres = {
        "relations": {
            "all": {
                "types": ["PARTNERED_WITH"],
                "direction": "OUT",
                "node": {"kind": {"eq": "service"}},
            }
        }
    }
    found = _orgs(api, only_centres)
    # The federation partners with an association; organisations with no partnership pass.
    assert len(found) == 29 and "中国社会工作联合会" not in found


def test_not_holds_where_a_value_is_missing(api: Api) -> None:
    # No first-seen date: "seen before 2022" does not hold, so its NOT does.
    assert len(_orgs(api, {"NOT": {"firstSeen": {"lt": "2022"}}})) == CENTRES + 3
    assert len(_orgs(api, {"NOT": {"kind": {"eq": "service"}}})) == 5


def test_where_dates_iso_and_year_only(api: Api) -> None:
    people = "query ($w: PersonWhere) { people(where: $w, orderBy: {field: NAME}) { edges { node { name } } } }"

    def who(dates: dict[str, Any]) -> list[str]:
        return _names(api, people, "people", {"w": {"firstSeen": dates}})

    assert who({"lt": "2022"}) == ["张三"]
    assert who({"lte": "2021"}) == ["张三"]
    assert who({"gt": "2021"}) == ["李四"]
    assert who({"gte": "2022-01-10"}) == ["李四"]
    assert who({"eq": "2021-03"}) == ["张三"]
    assert who({"gte": "2021", "lt": "2023"}) == ["张三", "李四"]
    events = "query ($w: EventWhere) { events(where: $w) { edges { node { name } } } }"
    assert _names(api, events, "events", {"w": {"date": {"eq": "2021"}}}) == ["第一届会员代表大会"]
    assert _names(api, events, "events", {"w": {"date": {"gt": "2021-03-05"}}}) == []


def test_place_filter_includes_everything_inside(api: Api) -> None:
    inside = _orgs(api, {"place": G.shanghai.id}, BY_NAME)
    assert inside == sorted(["上海市社会工作者协会", *CENTRE_NAMES])
    q = """query ($p: ID!) {
      places(where: {place: $p}, orderBy: {field: NAME}) { edges { node { name } } }
      events(where: {place: $p}) { edges { node { name } } } }"""
    data = api.query(q, {"p": G.shanghai.id})
    assert [e["node"]["name"] for e in data["places"]["edges"]] == ["上海市", "浦东新区"]
    assert [e["node"]["name"] for e in data["events"]["edges"]] == ["第一届会员代表大会"]


def test_place_children_and_ancestors(api: Api) -> None:
    q = """query ($a: ID!, $b: ID!) {
      a: entity(id: $a) { ... on Place { children { name } ancestors { name } } }
      b: entity(id: $b) { ... on Place { children { name } ancestors { name level } } } }"""
    data = api.query(q, {"a": G.shanghai.id, "b": G.pudong.id})
    assert data["a"] == {"children": [{"name": "浦东新区"}], "ancestors": []}
    assert data["b"] == {"children": [], "ancestors": [{"name": "上海市", "level": "province"}]}


def test_order_by_several_keys_is_stable_with_id_tiebreak(api: Api) -> None:
    order = [{"field": "KIND"}, {"field": "NAME", "direction": "DESC"}]
    data = api.query(ORGS, {"o": order, "first": 100})["organisations"]
    rows = [(e["node"]["kind"], e["node"]["name"]) for e in data["edges"]]
    assert rows == sorted(rows, key=lambda r: (r[0], [-ord(c) for c in r[1]]))
    by_degree = api.query(ORGS, {"o": [{"field": "DEGREE", "direction": "DESC"}], "first": 100})
    nodes = [e["node"] for e in by_degree["organisations"]["edges"]]
    assert nodes == sorted(nodes, key=lambda n: (-n["degree"], n["id"]))


def test_cursors_page_through_the_sorted_list(api: Api) -> None:
    order = [{"field": "DEGREE", "direction": "DESC"}, {"field": "NAME"}]
    whole = api.query(ORGS, {"o": order, "first": 100})["organisations"]["edges"]
    paged: list[str] = []
    after = None
    while True:
        page = api.query(ORGS, {"o": order, "first": 7, "after": after})["organisations"]
        paged += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert paged == [e["node"]["id"] for e in whole] and len(set(paged)) == len(paged) == 30


def test_aggregate_counts_groups_and_dates(api: Api) -> None:
    q = """{
      organisations(where: {NOT: {kind: {eq: "other"}}}) { aggregate {
        count byKind: groups(by: KIND) { key count }
        byProvince: groups(by: PLACE, level: "province") { key name count } } }
      people { aggregate { groups(by: YEAR) { key count } dates { earliest latest } } }
      relations(where: {type: {in: [LOCATED_IN, ISSUED_BY]}}) { aggregate {
        groups(by: TYPE) { key count } } } }"""
    data = api.query(q)
    orgs = data["organisations"]["aggregate"]
    assert orgs["count"] == 29
    assert orgs["byKind"] == [
        {"key": "service", "count": 25},
        {"key": "association", "count": 2},
        {"key": "government", "count": 1},
        {"key": "media", "count": 1},
    ]
    assert orgs["byProvince"] == [{"key": G.shanghai.id, "name": "上海市", "count": 26}]
    people = data["people"]["aggregate"]
    assert people["groups"] == [{"key": "2021", "count": 1}, {"key": "2022", "count": 1}]
    assert people["dates"] == {"earliest": "2021-03-05", "latest": "2022-01-10"}
    rels = data["relations"]["aggregate"]["groups"]
    assert rels == [{"key": "LOCATED_IN", "count": 27}, {"key": "ISSUED_BY", "count": 1}]


def test_relations_where_and_order(api: Api) -> None:
    q = """query ($w: RelationWhere, $o: [RelationOrderBy!]) {
      relations(where: $w, orderBy: $o, first: 100) { totalCount edges { node {
        type confidence firstSeen lastSeen source { name } target { name } } } } }"""

    def rels(
        where: dict[str, Any], order: list[dict[str, str]] | None = None
    ) -> list[dict[str, Any]]:
        return [e["node"] for e in api.query(q, {"w": where, "o": order})["relations"]["edges"]]

    into_pudong = rels({"type": {"eq": "LOCATED_IN"}, "target": {"names": {"eq": "浦东新区"}}})
    assert sorted(r["source"]["name"] for r in into_pudong) == CENTRE_NAMES
    strong = rels(
        {"confidence": {"gte": 0.9}, "evidenceCount": {"gte": 1}},
        [{"field": "CONFIDENCE", "direction": "DESC"}],
    )
    assert [(r["type"], r["confidence"]) for r in strong] == [
        ("ISSUED_BY", 0.95),
        ("GUIDED_BY", 0.9),
    ]
    assert strong[0]["firstSeen"] == strong[0]["lastSeen"] == "2022-01-10"
    assert len(rels({"curated": True})) == 2
    assert len(rels({"confidence": {"lt": 0.6}})) == CENTRES  # the centres' guidance, 0.5
    assert [r["type"] for r in rels({"confidence": {"eq": 0.8}})] == ["ELECTED_PRESIDENT"]
    assert [r["type"] for r in rels({"confidence": {"gt": 0.9, "lte": 0.95}})] == ["ISSUED_BY"]
    assert [r["type"] for r in rels({"firstSeen": {"eq": "2022"}})] == ["ISSUED_BY"]
    from_people = rels({"source": {"label": ["PERSON"]}})
    assert [(r["source"]["name"], r["type"]) for r in from_people] == [
        ("张三", "ELECTED_PRESIDENT")
    ]


def test_as_of_returns_what_articles_up_to_then_state(api: Api) -> None:
    q = """query ($d: String!) {
      people(asOf: $d) { edges { node { name } } }
      relations(asOf: $d, where: {type: {in: [ISSUED_BY, GUIDED_BY]}}) { totalCount } }"""
    early = api.query(q, {"d": "2021"})
    assert [e["node"]["name"] for e in early["people"]["edges"]] == ["张三"]
    assert early["relations"]["totalCount"] == 1 + CENTRES  # GUIDED_BY only
    later = api.query(q, {"d": "2022-01-10"})
    assert len(later["people"]["edges"]) == 2
    assert later["relations"]["totalCount"] == 2 + CENTRES


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ({"firstSeen": {"lt": "last year"}}, ["where.firstSeen.lt", "ISO date", "last year"]),
        ({"names": {"contains": ""}}, ["where.names.contains", "blank"]),
        ({"names": {}}, ["where.names", "at least one operator"]),
        ({"relations": {}}, ["where.relations", "some, all or none"]),
        (
            {"NOT": {"NOT": {"NOT": {"NOT": {"NOT": {"NOT": {"NOT": {"kind": {"eq": "x"}}}}}}}}},
            ["nest deeper"],
        ),
    ],
)
def test_bad_where_is_a_clear_error(api: Api, where: dict[str, Any], words: list[str]) -> None:
    error = api.errors(ORGS, {"w": where})[0]
    assert all(w in error["message"] for w in words), error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_bad_order_as_of_and_group_are_clear_errors(api: Api) -> None:
    six = [{"field": "NAME"}] * 6
    assert "at most 5" in api.errors(ORGS, {"o": six})[0]["message"]
    assert "asOf" in api.errors('{ people(asOf: "soon") { totalCount } }')[0]["message"]
    message = api.errors("{ relations { aggregate { groups(by: KIND) { key } } } }")[0]["message"]
    assert "TYPE" in message and "KIND" in message
    message = api.errors("{ places { aggregate { groups(by: PLACE) { key } } } }")[0]["message"]
    assert "level" in message
    unknown = api.errors("{ organisations(orderBy: {field: COLOUR}) { totalCount } }")[0]
    assert unknown["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


SEARCH = """query ($t: String!) { search(text: $t, first: 5) { totalCount edges {
  score matched start end highlight brackets: highlight(pre: "[", post: "]") node { name } } } }"""


def test_search_scores_and_highlights(api: Api) -> None:
    hits = api.query(SEARCH, {"t": "社會工作"})["search"]
    names = [h["node"]["name"] for h in hits["edges"]]
    # 4 of 9 characters, then 4 of 10 (the association before the centres: more relations)
    assert names[:2] == ["中国社会工作联合会", "上海市社会工作者协会"]
    assert all(n in CENTRE_NAMES for n in names[2:]) and hits["totalCount"] == CENTRES + 3
    first = hits["edges"][0]
    assert first["score"] == round(0.9 * 4 / 9, 4)
    assert first["highlight"] == "中国<mark>社会工作</mark>联合会"
    assert first["brackets"] == "中国[社会工作]联合会" and (first["start"], first["end"]) == (2, 6)
    scores = [h["score"] for h in hits["edges"]]
    assert scores == sorted(scores, reverse=True)
    exact = api.query(SEARCH, {"t": "民政部"})["search"]["edges"][0]
    assert (exact["node"]["name"], exact["score"], exact["matched"]) == ("民政部", 1.0, "民政部")
    # The alias covering more of itself is the one shown.
    alias = api.query(SEARCH, {"t": "協會"})["search"]["edges"][0]
    assert alias["matched"] == "上海社工协会" and alias["highlight"] == "上海社工<mark>协会</mark>"


@pytest.mark.parametrize("text", ["%", "_", "*", "社会工作 OR 1=1", "\\\\", "') OR ('1'='1"])
def test_where_text_is_literal(api: Api, text: str) -> None:
    """Wildcards and query syntax in a value are matched as text, never run."""
    for op in ("contains", "startsWith", "eq"):
        assert _orgs(api, {"names": {op: text}}) == []
        assert _orgs(api, {"name": {op: text}}) == []


def test_where_names_drop_quotes_as_stored_names_do(api: Api) -> None:
    plain = _orgs(api, {"names": {"contains": "社会"}})
    assert plain and _orgs(api, {"names": {"contains": '社"会'}}) == plain
    assert _orgs(api, {"name": {"contains": '社"会'}}) == []
