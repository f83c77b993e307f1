"""Evidence over HTTP: a connection per relation, paged with cursors, read a page at a
time from the store; ``evidenceCount`` without reading any."""

from __future__ import annotations

from shegong.schema import Evidence, GraphBatch, Relation, RelationType

from tests.gql.conftest import Api
from tests.gql.graph_data import ART1, ART2, G

PAGE = """query ($id: ID!, $first: Int, $after: String) {
  relation(id: $id) {
    evidenceCount
    evidence(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { start rule } }
      nodes { articleId start rule article { title date } }
    }
  }
}"""


def _crowded() -> Relation:
    """A relation read in 12 places (the pieces differ by article and offset)."""
    pieces = [
        Evidence(art.id, f"第{i}句", i, i + 2, "bench.many", 0.5)
        for i in range(6)
        for art in (ART1, ART2)
    ]
    return Relation(
        RelationType.PARTNERED_WITH, G.shanghai_assoc.id, G.federation.id, evidence=pieces
    )


def test_evidence_pages_through_every_piece(editable_api: Api) -> None:
    crowded = _crowded()
    editable_api.store.upsert(GraphBatch(relations=[crowded]))
    first = editable_api.query(PAGE, {"id": crowded.id})["relation"]
    assert first["evidenceCount"] == first["evidence"]["totalCount"] == 12
    assert len(first["evidence"]["nodes"]) == 5  # the default page
    seen: list[tuple[str, int]] = []
    after = None
    while True:
        rel = editable_api.query(PAGE, {"id": crowded.id, "first": 5, "after": after})["relation"]
        page = rel["evidence"]
        assert [e["node"]["start"] for e in page["edges"]] == [n["start"] for n in page["nodes"]]
        assert all(n["article"]["title"] in (ART1.title, ART2.title) for n in page["nodes"])
        seen += [(n["articleId"], n["start"]) for n in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 12 and seen == sorted(seen)
    assert set(seen) == {(e.article_id, e.start) for e in crowded.evidence}


def test_evidence_page_bounds_are_errors(editable_api: Api) -> None:
    rid = _crowded().id
    editable_api.store.upsert(GraphBatch(relations=[_crowded()]))
    none = editable_api.query(PAGE, {"id": rid, "first": 0})["relation"]["evidence"]
    assert none["nodes"] == [] and none["totalCount"] == 12
    assert none["pageInfo"]["hasNextPage"]
    for variables, text in (
        ({"first": -1}, "must not be negative"),
        ({"first": 1000}, "page size cap"),
    ):
        [error] = editable_api.errors(PAGE, {"id": rid, **variables})
        assert text in error["message"], error
    # A cursor this API never handed out is a bad request, refused before anything runs.
    bad = editable_api.post(PAGE, {"id": rid, "after": "bm90IG91cnM="})
    assert bad.status_code == 400
    assert "invalid cursor" in bad.json()["errors"][0]["message"]
