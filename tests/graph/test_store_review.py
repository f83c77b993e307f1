"""The review queue, ``accept`` and the audit filters (graph/review.py), on every store kind."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest
from shegong.graph import GraphStore, open_store
from shegong.schema import (
    GraphBatch,
    InputError,
    NotFoundError,
    Relation,
    RelationType,
    relation_id,
)

from tests.graph.sample_graph import ART2, N, ev, sample_batch

G = RelationType
GUIDED = relation_id(G.GUIDED_BY, N.federation.id, N.ministry.id)
ELECTED = relation_id(G.ELECTED_PRESIDENT, N.zhang.id, N.shanghai_assoc.id)
ISSUED = relation_id(G.ISSUED_BY, N.policy.id, N.ministry.id)


def _batch() -> GraphBatch:
    """The sample graph with a second, confident piece of evidence for GUIDED_BY."""
    batch = sample_batch()
    for i, rel in enumerate(batch.relations):
        if rel.id == GUIDED:
            more = ev(ART2, "中国社会工作联合会由民政部指导", "guided_by", 5, 0.95)
            batch.relations[i] = replace(rel, evidence=[*rel.evidence, more])
    return batch


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.upsert(_batch())
    return store


def _ids(rels: list[Relation]) -> list[str]:
    return [rel.id for rel in rels]


def test_store_review_queue_holds_weak_or_single_evidence_relations(loaded: GraphStore) -> None:
    queue = loaded.review_queue(0.8)
    # Every entity relation but GUIDED_BY rests on one piece of evidence; GUIDED_BY has two
    # at 0.95. MENTIONS and REPORTED_BY are never queued.
    assert GUIDED not in _ids(queue)
    assert {rel.type for rel in queue} <= set(G) - {G.MENTIONS, G.REPORTED_BY}
    assert len(queue) == 6 == loaded.count_review_queue(0.8)
    assert _ids(queue) == sorted(_ids(queue))  # one load: same loaded_at, then by id
    assert all(not rel.reviewed and not rel.curated for rel in queue)
    assert all(rel.evidence_count == 1 for rel in queue)  # as stored (read without it)
    # A threshold above its confidence brings GUIDED_BY in too.
    assert GUIDED in _ids(loaded.review_queue(0.99))
    assert loaded.count_review_queue(0.99) == 7


def test_store_review_queue_pages(loaded: GraphStore) -> None:
    whole = _ids(loaded.review_queue(0.8))
    assert _ids(loaded.review_queue(0.8, limit=2)) == whole[:2]
    assert _ids(loaded.review_queue(0.8, limit=2, offset=2)) == whole[2:4]
    assert loaded.review_queue(0.8, limit=5, offset=10) == []


def test_store_review_queue_oldest_first(loaded: GraphStore) -> None:
    # A relation loaded later comes after every relation loaded before it.
    later = Relation(
        G.PARTNERED_WITH,
        N.federation.id,
        N.shanghai_assoc.id,
        evidence=[ev(ART2, "两会合作", "partnered", 90, 0.4)],
    )
    time.sleep(1.1)  # loaded_at has a resolution of one second
    loaded.upsert(GraphBatch(relations=[later]))
    assert _ids(loaded.review_queue(0.8))[-1] == later.id
    assert later.id < max(_ids(loaded.review_queue(0.8)))  # so not merely by id


def test_store_accept_leaves_queue_and_survives_reload(loaded: GraphStore) -> None:
    accepted = loaded.accept(ELECTED, "wang", "checked against the article")
    assert accepted.reviewed and accepted.id == ELECTED
    assert ELECTED not in _ids(loaded.review_queue(0.8))
    assert loaded.count_review_queue(0.8) == 5
    # Loading the same articles again (new evidence too) keeps the mark.
    batch = _batch()
    for i, rel in enumerate(batch.relations):
        if rel.id == ELECTED:
            batch.relations[i] = replace(
                rel, evidence=[*rel.evidence, ev(ART2, "张三任会长", "elected", 3, 0.6)]
            )
    loaded.upsert(batch)
    stored = loaded.relation(ELECTED)
    assert stored is not None and stored.reviewed and stored.evidence_count == 2
    assert ELECTED not in _ids(loaded.review_queue(0.8))
    # Accepting again changes nothing and adds no audit entry.
    loaded.accept(ELECTED, "wang")
    entries = loaded.audit(target=ELECTED)
    assert [(e.action, e.editor, e.note) for e in entries] == [
        ("accept", "wang", "checked against the article")
    ]
    assert entries[0].details["source"] == N.zhang.id


def test_store_accept_refuses_unknown_and_retracted(loaded: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="rel-0000"):
        loaded.accept("rel-0000", "wang")
    loaded.retract(ISSUED, "wrong ministry", "wang")
    assert ISSUED not in _ids(loaded.review_queue(0.99))
    with pytest.raises(InputError, match="retracted"):
        loaded.accept(ISSUED, "wang")
    stored = loaded.relation(ISSUED)
    assert stored is not None and not stored.reviewed


def test_store_review_queue_refuses_bad_threshold(loaded: GraphStore) -> None:
    for bad in (-0.1, 1.5):
        with pytest.raises(InputError, match="maxConfidence"):
            loaded.review_queue(bad)
        with pytest.raises(InputError, match="maxConfidence"):
            loaded.count_review_queue(bad)


def test_store_curated_relations_are_not_queued(loaded: GraphStore) -> None:
    curated = Relation(
        G.PARTNERED_WITH, N.federation.id, N.shanghai_assoc.id, curated=True, editor="li"
    )
    loaded.upsert(GraphBatch(relations=[curated]))
    assert curated.id not in _ids(loaded.review_queue(1.0))


def test_store_audit_filters(loaded: GraphStore) -> None:
    loaded.accept(ELECTED, "wang")
    loaded.retract(ISSUED, "wrong ministry", "li")
    loaded.add_alias(N.federation.id, "社工联", "li")
    loaded.merge(N.federation.id, [N.shanghai_assoc.id], "zhao", "same body")
    everything = loaded.audit()
    assert [e.action for e in everything] == ["accept", "retract", "add_alias", "merge"]
    assert [e.action for e in loaded.audit(editor="li")] == ["retract", "add_alias"]
    assert loaded.audit(editor="nobody") == []
    assert [e.action for e in loaded.audit(target=ISSUED)] == ["retract"]
    # By entity: acting on it, naming it in the details, or on a relation at it.
    assert [e.action for e in loaded.audit(entity=N.ministry.id)] == ["retract"]
    assert [e.action for e in loaded.audit(entity=N.federation.id)] == ["add_alias", "merge"]
    assert [e.action for e in loaded.audit(entity=N.zhang.id)] == ["accept"]
    assert loaded.audit(since="2999-01-01") == []
    assert len(loaded.audit(since=everything[0].at)) == 4
    assert [e.action for e in loaded.audit(limit=1, editor="li")] == ["retract"]


def test_embedded_store_made_before_review_columns_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = open_store(str(path))
    store.upsert(_batch())
    store.close()
    with sqlite3.connect(path) as conn:  # the relations table as it was before
        conn.execute("DROP INDEX relations_review")
        conn.execute("ALTER TABLE relations DROP COLUMN reviewed")
        conn.execute("ALTER TABLE relations DROP COLUMN loaded_at")
    store = open_store(str(path))
    try:
        assert store.count_review_queue(0.8) == 6
        assert store.accept(ELECTED, "wang").reviewed
        assert store.count_review_queue(0.8) == 5
    finally:
        store.close()
