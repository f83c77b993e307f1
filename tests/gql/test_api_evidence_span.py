"""Evidence.sentenceStart: where the sentence sits in the article, so a client can mark
the span inside the sentence (the explorer does)."""

from __future__ import annotations

from shegong.schema import RelationType, relation_id

from tests.gql.conftest import Api
from tests.gql.graph_data import G

QUERY = """query ($id: ID!) { relation(id: $id) {
  evidence { nodes { sentence start end sentenceStart article { text } } } } }"""


def test_evidence_sentence_start_places_the_span_in_the_sentence(api: Api) -> None:
    rid = relation_id(RelationType.GUIDED_BY, G.shanghai_assoc.id, G.ministry.id)
    piece = api.query(QUERY, {"id": rid})["relation"]["evidence"]["nodes"][0]
    at = piece["sentenceStart"]
    assert piece["article"]["text"][at : at + len(piece["sentence"])] == piece["sentence"]
    local = piece["start"] - at
    assert piece["sentence"][local : local + piece["end"] - piece["start"]] == "在民政部的指导下"
