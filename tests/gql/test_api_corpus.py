"""The API over the sample corpus (data/articles) loaded by the real pipeline."""

from __future__ import annotations

import opencc
from shegong.schema import Label

from tests.gql.conftest import Api

RELATIONS = """query ($after: String) {
  relations(types: [GUIDED_BY, ELECTED_PRESIDENT, ELECTED_TO, ORGANISED_BY, HELD_IN, LOCATED_IN,
                    DONATED_TO, HOLDS_POSITION, PARTICIPATED_IN, ISSUED_BY, PART_OF, FOUNDED_AT,
                    PARTNERED_WITH], first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id type source { id name } target { id name }
      evidenceCount
      evidence(first: 100) { nodes { sentence start end rule article { id title text } } } } } } }"""


def test_corpus_articles_and_stats(corpus_api: Api) -> None:
    data = corpus_api.query(
        "{ articles(first: 100) { totalCount edges { node { id title text date } } } stats { nodes relations } }"
    )
    articles = data["articles"]
    assert articles["totalCount"] == corpus_api.store.count_nodes(Label.ARTICLE) >= 5
    assert all(e["node"]["title"] and e["node"]["text"] for e in articles["edges"])
    assert data["stats"]["nodes"] == corpus_api.store.count_nodes()


def test_every_extracted_relation_cites_its_span(corpus_api: Api) -> None:
    """Provenance over HTTP: each piece of evidence points at a span of its article's
    text, inside the quoted sentence; evidence read from the headline quotes the title
    and has an empty span (0, 0)."""
    checked = 0
    after = None
    while True:
        page = corpus_api.query(RELATIONS, {"after": after})["relations"]
        for edge in page["edges"]:
            rel = edge["node"]
            assert rel["source"] and rel["target"], rel
            assert len(rel["evidence"]["nodes"]) == min(rel["evidenceCount"], 100) > 0, rel
            for ev in rel["evidence"]["nodes"]:
                assert ev["article"] is not None, ev
                if ev["sentence"] == ev["article"]["title"]:  # read from the headline
                    assert ev["start"] == ev["end"] == 0, (rel["type"], ev)
                    checked += 1
                    continue
                span = ev["article"]["text"][ev["start"] : ev["end"]]
                assert span and span in ev["sentence"], (rel["type"], ev)
                checked += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] > 0 and checked >= page["totalCount"]


def test_traditional_search_finds_corpus_entities(corpus_api: Api) -> None:
    top = corpus_api.query("{ stats(top: 5) { mostConnected { entity { id name } degree } } }")
    to_traditional = opencc.OpenCC("s2t")
    for item in top["stats"]["mostConnected"]:
        entity = item["entity"]
        q = "query ($t: String!) { search(text: $t, first: 100) { edges { node { id } } } }"
        found = corpus_api.query(q, {"t": to_traditional.convert(entity["name"])})["search"][
            "edges"
        ]
        assert entity["id"] in [e["node"]["id"] for e in found], entity


def test_neighbourhood_and_path_on_the_corpus(corpus_api: Api) -> None:
    top = corpus_api.query("{ stats(top: 1) { mostConnected { entity { id } } } }")
    hub = top["stats"]["mostConnected"][0]["entity"]["id"]
    hood = corpus_api.query(
        "query ($id: ID!) { neighbourhood(id: $id, hops: 2) { nodes { id } edges { sourceId targetId } } }",
        {"id": hub},
    )["neighbourhood"]
    ids = [n["id"] for n in hood["nodes"]]
    assert ids[0] == hub and len(ids) > 1
    far = ids[-1]
    path = corpus_api.query(
        "query ($a: ID!, $b: ID!) { path(from: $a, to: $b, maxHops: 4) { length nodes { id } relations { evidence { nodes { sentence } } } } }",
        {"a": hub, "b": far},
    )["path"]
    assert path is not None and 1 <= path["length"] <= 2
    assert [n["id"] for n in path["nodes"]][:: len(path["nodes"]) - 1] == [hub, far]
