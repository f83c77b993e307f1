"""Lookups, search, lists with filters and orders, over HTTP against a real server."""

from __future__ import annotations

from tests.gql.conftest import Api
from tests.gql.graph_data import ART1, ART2, CENTRES, G

ENTITY = """
query ($id: ID!) {
  entity(id: $id) {
    __typename id name aliases kind label degree firstSeen lastSeen
    mentions { totalCount edges { node { id title source date } } }
  }
}"""


def test_entity_by_id_has_its_fields(api: Api) -> None:
    data = api.query(ENTITY, {"id": G.shanghai_assoc.id})["entity"]
    assert data["__typename"] == "Organisation"
    assert data["name"] == "上海市社会工作者协会"
    assert data["aliases"] == sorted(["上海社工协会", "上海市社會工作者協會"])
    assert data["kind"] == "association"
    assert data["label"] == "ORGANISATION"
    # GUIDED_BY ministry, ELECTED_PRESIDENT, LOCATED_IN, ORGANISED_BY, PARTNERED_WITH
    # from the federation, and one GUIDED_BY from each centre.
    assert data["degree"] == 5 + CENTRES
    assert data["mentions"]["totalCount"] == 1
    assert data["mentions"]["edges"][0]["node"]["id"] == ART1.id
    assert data["mentions"]["edges"][0]["node"]["source"] == "新华社"


def test_unknown_id_is_null_not_an_error(api: Api) -> None:
    body = api.post(
        '{ entity(id: "org-nope") { id } node(id: "x") { id } article(id: "y") { id } relation(id: "rel-z") { id } }'
    ).json()
    assert body == {"data": {"entity": None, "node": None, "article": None, "relation": None}}


def test_node_resolves_articles_and_entities(api: Api) -> None:
    q = "query ($a: ID!, $p: ID!) { a: node(id: $a) { __typename ... on Article { title text } } p: node(id: $p) { __typename name } }"
    data = api.query(q, {"a": ART2.id, "p": G.li.id})
    assert data["a"] == {"__typename": "Article", "title": ART2.title, "text": ART2.text}
    assert data["p"] == {"__typename": "Person", "name": "李四"}
    # entity() is for entities only: an article id gives null.
    assert api.query("query ($a: ID!) { entity(id: $a) { id } }", {"a": ART2.id}) == {
        "entity": None
    }


def test_place_and_event_fields(api: Api) -> None:
    q = """query ($p: ID!, $e: ID!) {
      p: entity(id: $p) { ... on Place { level adcode latitude longitude parent { name } } }
      e: entity(id: $e) { ... on Event { date place { name adcode } } }
    }"""
    data = api.query(q, {"p": G.pudong.id, "e": G.congress.id})
    assert data["p"] == {
        "level": "district",
        "adcode": "310115",
        "latitude": 31.22,
        "longitude": 121.54,
        "parent": {"name": "上海市"},
    }
    assert data["e"] == {"date": "2021-03-05", "place": {"name": "浦东新区", "adcode": "310115"}}
    top = api.query(
        "query ($p: ID!) { entity(id: $p) { ... on Place { latitude longitude parent { id } } } }",
        {"p": G.shanghai.id},
    )
    assert top["entity"] == {"latitude": 31.23, "longitude": 121.47, "parent": None}


SEARCH = """
query ($text: String!, $labels: [EntityLabel!], $first: Int, $after: String) {
  search(text: $text, labels: $labels, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { __typename id name } }
  }
}"""


def test_search_finds_names_and_aliases_with_exact_first(api: Api) -> None:
    data = api.query(SEARCH, {"text": "民政部"})["search"]
    assert data["edges"][0]["node"]["name"] == "民政部"
    by_alias = api.query(SEARCH, {"text": "社工联"})["search"]
    assert [e["node"]["name"] for e in by_alias["edges"]] == ["中国社会工作联合会"]


def test_search_accepts_traditional_input(api: Api) -> None:
    simplified = api.query(SEARCH, {"text": "社会工作者协会"})["search"]
    traditional = api.query(SEARCH, {"text": "社會工作者協會"})["search"]
    assert traditional == simplified
    assert traditional["edges"][0]["node"]["id"] == G.shanghai_assoc.id


def test_search_by_label_and_pages(api: Api) -> None:
    people = api.query(SEARCH, {"text": "三", "labels": ["PERSON"]})["search"]
    assert [e["node"]["name"] for e in people["edges"]] == ["张三"]
    first = api.query(SEARCH, {"text": "服务中心", "first": 10})["search"]
    assert first["totalCount"] == CENTRES
    assert first["pageInfo"]["hasNextPage"] is True
    rest = api.query(
        SEARCH, {"text": "服务中心", "first": 100, "after": first["pageInfo"]["endCursor"]}
    )["search"]
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(ids) == len(set(ids)) == CENTRES
    assert rest["pageInfo"]["hasNextPage"] is False


def test_search_rejects_blank_text_and_article_label(api: Api) -> None:
    assert "must not be blank" in api.errors(SEARCH, {"text": "  "})[0]["message"]
    message = api.errors(SEARCH, {"text": "会", "labels": ["ARTICLE"]})[0]["message"]
    assert "articles(where" in message


LIST = """
query ($filter: EntityFilter, $order: [OrganisationOrderBy!], $first: Int) {
  organisations(filter: $filter, orderBy: $order, first: $first) {
    totalCount edges { node { name kind degree } }
  }
}"""


def _names(
    api: Api, flt: dict[str, object] | None, order: str = "ID", first: int = 100
) -> list[str]:
    keys = [{"field": order, "direction": "DESC" if order == "DEGREE" else "ASC"}]
    data = api.query(LIST, {"filter": flt, "order": keys, "first": first})["organisations"]
    names = [e["node"]["name"] for e in data["edges"]]
    assert data["totalCount"] == len(names)
    return names


def test_lists_filter_by_kind_name_place_and_article(api: Api) -> None:
    assert _names(api, {"kind": "association"}, "NAME") == sorted(
        ["上海市社会工作者协会", "中国社会工作联合会"]
    )
    assert _names(api, {"nameContains": "協會"}) == ["上海市社会工作者协会"]
    in_pudong = _names(api, {"place": G.pudong.id}, "NAME")
    assert in_pudong == [f"第{i:02d}社会工作服务中心" for i in range(1, CENTRES + 1)]
    assert _names(api, {"mentionedIn": ART2.id}) == ["民政部"]
    # Filters combine: a centre's name within Pudong.
    assert _names(api, {"place": G.pudong.id, "nameContains": "第07"}) == ["第07社会工作服务中心"]


def test_lists_filter_by_date_range(api: Api) -> None:
    assert _names(api, {"dateFrom": "2022-01-01"}) == ["民政部"]
    q = "query ($f: EntityFilter) { events(filter: $f) { totalCount } people(filter: $f) { edges { node { name } } } }"
    data = api.query(q, {"f": {"dateFrom": "2021-01-01", "dateTo": "2021-12-31"}})
    assert data["events"]["totalCount"] == 1
    assert [e["node"]["name"] for e in data["people"]["edges"]] == ["张三"]
    message = api.errors(q, {"f": {"dateFrom": "last year"}})[0]["message"]
    assert "ISO date" in message and "last year" in message


def test_lists_order_by_degree_name_and_id(api: Api) -> None:
    keys = [{"field": "DEGREE", "direction": "DESC"}]
    by_degree = api.query(LIST, {"filter": None, "order": keys, "first": 3})["organisations"]
    degrees = [e["node"]["degree"] for e in by_degree["edges"]]
    assert by_degree["edges"][0]["node"]["name"] == "上海市社会工作者协会"
    assert degrees == sorted(degrees, reverse=True)
    names = _names(api, None, "NAME")
    assert names == sorted(names)
    q = "{ organisations(first: 100) { totalCount edges { node { id } } } }"
    ids = [e["node"]["id"] for e in api.query(q)["organisations"]["edges"]]
    assert ids == sorted(ids)


def test_typed_lists_expose_type_fields(api: Api) -> None:
    data = api.query(
        "{ places(orderBy: {field: NAME}) { edges { node { name adcode } } } policies { edges { node { name kind } } } }"
    )
    assert [e["node"] for e in data["places"]["edges"]] == [
        {"name": "上海市", "adcode": "310000"},
        {"name": "浦东新区", "adcode": "310115"},
    ]
    assert data["policies"]["edges"][0]["node"]["kind"] == "document"


def test_articles_list_filters(api: Api) -> None:
    q = """query ($f: ArticleFilter, $o: ArticleOrderField!) {
      articles(filter: $f, orderBy: {field: $o}, first: 100) { totalCount edges { node { id title date source } } }
    }"""
    fixture_ids = {ART1.id, ART2.id}
    by_date = api.query(q, {"f": {"dateFrom": "2021-01-01", "dateTo": "2022-12-31"}, "o": "DATE"})[
        "articles"
    ]
    ours = [e["node"]["id"] for e in by_date["edges"] if e["node"]["id"] in fixture_ids]
    assert ours == [ART1.id, ART2.id]
    by_source = api.query(q, {"f": {"source": "人民网"}, "o": "ID"})["articles"]
    assert [e["node"]["id"] for e in by_source["edges"]] == [ART2.id]
    mentioning = api.query(q, {"f": {"mentions": G.ministry.id}, "o": "TITLE"})["articles"]
    assert {e["node"]["id"] for e in mentioning["edges"]} == fixture_ids
    titled = api.query(q, {"f": {"titleContains": "印发"}, "o": "ID"})["articles"]
    assert [e["node"]["id"] for e in titled["edges"]] == [ART2.id]


def test_article_entities(api: Api) -> None:
    q = "query ($id: ID!) { article(id: $id) { entities(labels: [PERSON, POLICY]) { totalCount edges { node { __typename name } } } } }"
    data = api.query(q, {"id": ART2.id})["article"]["entities"]
    assert data["totalCount"] == 2
    assert sorted(e["node"]["__typename"] for e in data["edges"]) == ["Person", "Policy"]
