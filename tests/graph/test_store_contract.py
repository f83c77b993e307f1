"""The GraphStore contract (graph/base.py), run against every kind in tests/stores.py.

Only protocol methods are used here, so every store must pass the same suite.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from shegong.graph import GraphStore
from shegong.graph.text import cover, search_key
from shegong.schema import (
    Article,
    AuditEntry,
    Evidence,
    GraphBatch,
    InputError,
    Label,
    Node,
    NotFoundError,
    Relation,
    RelationType,
    SchemaError,
    UpsertResult,
    relation_id,
)

from tests.graph.sample_graph import ART1, ART2, N, ev, sample_batch

G = RelationType


def snapshot(store: GraphStore) -> tuple[object, ...]:
    """Everything a user can read back, for "nothing changed" comparisons."""
    return (
        store.nodes(),
        list(store.iter_relations(include_retracted=True)),
        store.stats(),
    )


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.upsert(sample_batch())
    return store


def rel(store: GraphStore, rtype: RelationType, source: Node, target: Node) -> Relation:
    """The stored relation with every piece of its evidence (read a page at a time)."""
    found = store.relation(relation_id(rtype, source.id, target.id))
    assert found is not None
    assert found.evidence == []  # reads leave the evidence in the store
    pieces: list[Evidence] = []
    while page := store.evidence([found.id], limit=2, offset=len(pieces))[found.id]:
        pieces.extend(page)
    assert len(pieces) == found.evidence_count
    return replace(found, evidence=pieces, stored_evidence_count=None, stored_confidence=None)


# -- upsert ----------------------------------------------------------------------------------
def test_store_upsert_counts_and_reads_back(store: GraphStore) -> None:
    result = store.upsert(sample_batch())
    assert result == UpsertResult(
        nodes_added=10, nodes_updated=0, relations_added=13, relations_updated=0, articles_added=2
    )
    assert store.count_nodes() == 10
    assert store.count_nodes(Label.ORGANISATION) == 4
    got = store.get(N.shanghai.id)
    assert got is not None
    assert (got.name, got.label, got.kind) == ("上海市", Label.PLACE, "city")
    assert got.properties["adcode"] == "310000"
    assert got.properties["lat"] == pytest.approx(31.23)
    article = store.get(ART1.id)
    assert article is not None and article.properties["title"] == ART1.title
    assert article.first_seen == "2021-03-05"
    guided = rel(store, G.GUIDED_BY, N.federation, N.ministry)
    assert guided.evidence == [
        ev(ART1, "在民政部的指导下，中国社会工作联合会成立", "guided_by", 0, 0.9)
    ]
    assert guided.confidence == pytest.approx(0.9)
    assert store.get("org-0000000000000000") is None


def test_store_relation_dates_span_its_evidence_across_upserts(store: GraphStore) -> None:
    """A relation's first and last seen are its evidence articles' earliest and latest
    dates, however many batches brought the evidence (and re-sending it changes none)."""
    store.upsert(sample_batch())
    early = Article(
        title="民政部指导联合会", text="在民政部的指导下。", file="c.txt", date="2019-06-01"
    )
    late = Article(
        title="联合会再获指导", text="民政部指导联合会。", file="d.txt", date="2024-02-02"
    )
    undated = Article(title="无日期", text="民政部指导。", file="e.txt")

    def guided(*articles: Article) -> GraphBatch:
        return GraphBatch(
            [N.federation, N.ministry, *(a.to_node() for a in articles)],
            [
                Relation(
                    G.GUIDED_BY,
                    N.federation.id,
                    N.ministry.id,
                    evidence=[ev(a, a.text, "guided_by") for a in articles],
                )
            ],
        )

    def span() -> tuple[str | None, str | None]:
        got = store.relation(relation_id(G.GUIDED_BY, N.federation.id, N.ministry.id))
        assert got is not None
        return got.first_seen, got.last_seen

    assert span() == ("2021-03-05", "2021-03-05")
    store.upsert(guided(late, undated))
    assert span() == ("2021-03-05", "2024-02-02")
    store.upsert(guided(early))
    assert span() == ("2019-06-01", "2024-02-02")
    store.upsert(guided(early, late))  # nothing new
    assert span() == ("2019-06-01", "2024-02-02")
    assert rel(store, G.GUIDED_BY, N.federation, N.ministry).evidence_count == 4
    # an article stored again with an earlier date moves the span of a relation the batch
    # touches, though that article's evidence was stored before
    redated = GraphBatch(
        [N.federation, N.ministry, replace(late.to_node(), first_seen="2018-01-01")],
        [
            Relation(
                G.GUIDED_BY,
                N.federation.id,
                N.ministry.id,
                evidence=[ev(undated, "民政部", "guided_by", start=1)],
            )
        ],
    )
    store.upsert(redated)
    assert span() == ("2018-01-01", "2021-03-05")


def test_store_upsert_twice_changes_nothing(store: GraphStore) -> None:
    store.upsert(sample_batch())
    before = snapshot(store)
    assert store.upsert(sample_batch()) == UpsertResult(0, 0, 0, 0)
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(Relation(G.HELD_IN, N.congress.id, N.zhang.id), id="wrong-endpoint-label"),
        pytest.param(
            Relation(G.GUIDED_BY, N.federation.id, "org-ffffffffffffffff"), id="missing-endpoint"
        ),
        pytest.param(
            Relation(G.GUIDED_BY, N.federation.id, N.ministry.id, {"colour": "red"}),
            id="unknown-property",
        ),
    ],
)
def test_store_upsert_is_all_or_nothing(store: GraphStore, bad: Relation) -> None:
    store.upsert(GraphBatch(nodes=[N.ministry, N.federation, N.congress]))
    before = snapshot(store)
    batch = sample_batch()
    batch.relations.insert(len(batch.relations) // 2, bad)
    with pytest.raises(SchemaError):
        store.upsert(batch)
    assert snapshot(store) == before


def test_store_upsert_rejects_bad_nodes_and_names_them(store: GraphStore) -> None:
    with pytest.raises(SchemaError, match="flying-saucer"):
        store.upsert(
            GraphBatch(nodes=[N.ministry, Node(Label.ORGANISATION, "某机构", kind="flying-saucer")])
        )
    with pytest.raises(SchemaError, match="empty name"):
        store.upsert(GraphBatch(nodes=[Node(Label.PERSON, " ", id="per-empty")]))
    assert store.count_nodes() == 0


def test_store_endpoint_in_store_satisfies_batch(store: GraphStore) -> None:
    store.upsert(GraphBatch(nodes=[N.ministry]))
    result = store.upsert(
        GraphBatch(
            nodes=[N.federation], relations=[Relation(G.GUIDED_BY, N.federation.id, N.ministry.id)]
        )
    )
    assert result.relations_added == 1
    with pytest.raises(SchemaError, match="ISSUED_BY cannot connect Organisation -> Organisation"):
        store.upsert(GraphBatch(relations=[Relation(G.ISSUED_BY, N.federation.id, N.ministry.id)]))


def test_store_node_merge_rules(store: GraphStore) -> None:
    first = Node(
        Label.ORGANISATION,
        "民政部",
        aliases=("中华人民共和国民政部",),
        kind="government",
        properties={"url": "", "founded": "1949"},
        first_seen="2021-05-01",
        last_seen="2021-05-01",
    )
    store.upsert(GraphBatch(nodes=[first]))
    second = Node(
        Label.ORGANISATION,
        "民政部",
        aliases=("国家民政部", "中华人民共和国民政部"),
        kind="party",
        properties={"url": "https://www.mca.gov.cn", "founded": "1950", "city": "北京"},
        first_seen="2020-01-01",
        last_seen="2023-02-02",
    )
    result = store.upsert(GraphBatch(nodes=[second]))
    assert result == UpsertResult(0, 1, 0, 0)
    got = store.get(first.id)
    assert got is not None
    assert got.aliases == ("中华人民共和国民政部", "国家民政部")  # union, sorted
    assert got.kind == "government"  # stored wins
    assert got.properties == {"url": "https://www.mca.gov.cn", "founded": "1949", "city": "北京"}
    assert (got.first_seen, got.last_seen) == ("2020-01-01", "2023-02-02")
    assert store.upsert(GraphBatch(nodes=[second])) == UpsertResult(0, 0, 0, 0)


def test_store_duplicate_nodes_in_one_batch_fold(store: GraphStore) -> None:
    a = Node(
        Label.PERSON, "张三", aliases=("张老师",), first_seen="2021-01-01", last_seen="2021-01-01"
    )
    b = Node(
        Label.PERSON, "张三", aliases=("张会长",), first_seen="2022-01-01", last_seen="2022-01-01"
    )
    assert store.upsert(GraphBatch(nodes=[a, b])) == UpsertResult(1, 0, 0, 0)
    got = store.get(a.id)
    assert got is not None
    assert got.aliases == ("张会长", "张老师")
    assert (got.first_seen, got.last_seen) == ("2021-01-01", "2022-01-01")


def test_store_evidence_union_and_properties(loaded: GraphStore) -> None:
    base = rel(loaded, G.ELECTED_PRESIDENT, N.zhang, N.shanghai_assoc)
    more = Relation(
        G.ELECTED_PRESIDENT,
        N.zhang.id,
        N.shanghai_assoc.id,
        {"role": "首任会长"},
        [ev(ART2, "张三任会长", "elected", 5, 0.95), base.evidence[0]],
    )
    assert loaded.upsert(GraphBatch(relations=[more])) == UpsertResult(0, 0, 0, 1)
    got = rel(loaded, G.ELECTED_PRESIDENT, N.zhang, N.shanghai_assoc)
    assert got.properties == {"role": "会长"}  # stored wins
    assert len(got.evidence) == 2
    assert sorted(e.article_id for e in got.evidence) == sorted([ART1.id, ART2.id])
    assert got.confidence == pytest.approx(0.95)
    assert loaded.upsert(GraphBatch(relations=[more])) == UpsertResult(0, 0, 0, 0)
    assert len(loaded.relations(types=[G.ELECTED_PRESIDENT])) == 1


def test_store_curated_never_cleared(store: GraphStore) -> None:
    store.upsert(GraphBatch(nodes=[N.ministry, N.federation]))
    curated = Relation(
        G.GUIDED_BY,
        N.federation.id,
        N.ministry.id,
        curated=True,
        editor="li",
        note="checked",
        created_at="2024-01-01T00:00:00+00:00",
    )
    store.upsert(GraphBatch(relations=[curated]))
    extracted = Relation(
        G.GUIDED_BY,
        N.federation.id,
        N.ministry.id,
        evidence=[ev(ART1, "在民政部的指导下", "guided_by", 0, 0.7)],
    )
    assert store.upsert(GraphBatch(relations=[extracted])).relations_updated == 1
    got = rel(store, G.GUIDED_BY, N.federation, N.ministry)
    assert got.curated and got.editor == "li" and got.note == "checked"
    assert len(got.evidence) == 1
    assert [r.id for r in store.relations(curated=True)] == [got.id]
    assert store.relations(curated=False, types=[G.GUIDED_BY]) == []


def test_store_curated_corrects_extracted_properties(loaded: GraphStore) -> None:
    extracted = rel(loaded, G.ELECTED_PRESIDENT, N.zhang, N.shanghai_assoc)
    assert extracted.properties == {"role": "会长"} and not extracted.curated
    correction = Relation(
        G.ELECTED_PRESIDENT,
        N.zhang.id,
        N.shanghai_assoc.id,
        {"role": "首任会长"},
        curated=True,
        editor="li",
        note="the article says 首任",
    )
    assert loaded.upsert(GraphBatch(relations=[correction])).relations_updated == 1
    got = rel(loaded, G.ELECTED_PRESIDENT, N.zhang, N.shanghai_assoc)
    assert got.curated and got.properties == {"role": "首任会长"}
    assert (got.editor, got.note) == ("li", "the article says 首任")
    assert got.evidence == extracted.evidence  # the extracted evidence is kept
    # a later extraction does not undo the correction
    loaded.upsert(GraphBatch(relations=[extracted]))
    assert rel(loaded, G.ELECTED_PRESIDENT, N.zhang, N.shanghai_assoc).properties == {
        "role": "首任会长"
    }


def test_store_retracted_stays_retracted(loaded: GraphStore) -> None:
    rid = relation_id(G.LOCATED_IN, N.shanghai_assoc.id, N.shanghai.id)
    retracted = loaded.retract(rid, reason="wrong city", editor="li", note="see ticket 7")
    assert retracted.retracted and retracted.retracted_reason == "wrong city"
    assert rid not in {r.id for r in loaded.relations()}
    assert rid in {r.id for r in loaded.relations(retracted=None)}
    assert [r.id for r in loaded.relations(retracted=True)] == [rid]
    # a later extraction of the same fact does not resurrect it, but its evidence is kept
    again = Relation(
        G.LOCATED_IN,
        N.shanghai_assoc.id,
        N.shanghai.id,
        evidence=[ev(ART2, "上海市社会工作者协会", "located", 3, 0.9)],
    )
    loaded.upsert(GraphBatch(relations=[again]))
    got = loaded.relation(rid)
    assert got is not None and got.retracted and got.evidence_count == 2
    assert all(r.id != rid for r, _ in loaded.neighbours(N.shanghai.id))
    assert loaded.degree([N.shanghai.id])[N.shanghai.id] == 1  # HELD_IN only
    assert loaded.stats().relations_by_type.get("LOCATED_IN", 0) == 0
    assert rid not in {r.id for r in loaded.iter_relations()}
    entries = loaded.audit(target=rid)
    assert [(e.action, e.editor, e.note) for e in entries] == [("retract", "li", "see ticket 7")]
    with pytest.raises(NotFoundError):
        loaded.retract("rel-0000000000000000", reason="x", editor="li")


def test_store_merge_redirects_and_unmerge_restores(loaded: GraphStore) -> None:
    dup = Node(Label.ORGANISATION, "上海社会工作者协会", aliases=("沪社工协",), kind="association")
    loaded.upsert(
        GraphBatch(
            nodes=[dup],
            relations=[
                Relation(
                    G.PARTNERED_WITH,
                    dup.id,
                    N.federation.id,
                    evidence=[ev(ART2, "携手", "partner", 9, 0.6)],
                ),
                Relation(
                    G.LOCATED_IN,
                    dup.id,
                    N.shanghai.id,
                    evidence=[ev(ART2, "位于上海", "located", 11, 0.5)],
                ),
            ],
        )
    )
    before_keep = loaded.get(N.shanghai_assoc.id)
    before_dup_rels = sorted(
        r.id for r in loaded.relations(retracted=None) if dup.id in (r.source_id, r.target_id)
    )
    before = snapshot(loaded)

    kept = loaded.merge(N.shanghai_assoc.id, [dup.id], editor="li", note="same body")
    assert kept.id == N.shanghai_assoc.id
    assert {"上海社会工作者协会", "沪社工协", "上海社工协会"} <= set(kept.aliases)
    assert loaded.get(dup.id) == loaded.get(N.shanghai_assoc.id)
    assert loaded.get_many([dup.id]) == {dup.id: loaded.get(N.shanghai_assoc.id)}
    assert [n.id for n in loaded.find_by_name("沪社工协")] == [N.shanghai_assoc.id]
    assert loaded.count_nodes(Label.ORGANISATION) == 4
    partners = [r for r, _ in loaded.neighbours(N.shanghai_assoc.id, types=[G.PARTNERED_WITH])]
    assert [(r.source_id, r.target_id) for r in partners] == [
        (N.shanghai_assoc.id, N.federation.id)
    ]
    located = rel(loaded, G.LOCATED_IN, N.shanghai_assoc, N.shanghai)
    assert len(located.evidence) == 2  # the two LOCATED_IN edges became one

    # later upserts naming the merged-away id write to the kept one
    later = Relation(
        G.PARTICIPATED_IN,
        dup.id,
        N.congress.id,
        {"role": "参加"},
        [ev(ART2, "协会参加大会", "participated", 13, 0.6)],
    )
    result = loaded.upsert(
        GraphBatch(
            nodes=[Node(Label.ORGANISATION, "上海社会工作者协会", aliases=("上海市社工协会",))],
            relations=[later],
        )
    )
    assert result.nodes_added == 0 and result.relations_added == 1
    assert loaded.get(dup.id).id == N.shanghai_assoc.id  # type: ignore[union-attr]
    assert "上海市社工协会" in loaded.get(N.shanghai_assoc.id).aliases  # type: ignore[union-attr]
    assert (
        loaded.relation(relation_id(G.PARTICIPATED_IN, N.shanghai_assoc.id, N.congress.id))
        is not None
    )
    assert [e.action for e in loaded.audit(target=dup.id)] == ["merge"]

    restored = loaded.unmerge(dup.id, editor="li", note="different bodies after all")
    assert (restored.id, restored.name, restored.aliases) == (dup.id, dup.name, ("沪社工协",))
    keep = loaded.get(N.shanghai_assoc.id)
    assert (
        keep is not None
        and "上海社会工作者协会" not in keep.aliases
        and "沪社工协" not in keep.aliases
    )
    assert keep.aliases == tuple(sorted({*before_keep.aliases, "上海市社工协会"}))  # type: ignore[union-attr]
    after_dup_rels = sorted(
        r.id for r in loaded.relations(retracted=None) if dup.id in (r.source_id, r.target_id)
    )
    assert after_dup_rels == before_dup_rels
    located = rel(loaded, G.LOCATED_IN, N.shanghai_assoc, N.shanghai)
    assert [e.article_id for e in located.evidence] == [ART1.id]
    # the relation learnt after the merge stays with the kept node
    assert (
        loaded.relation(relation_id(G.PARTICIPATED_IN, N.shanghai_assoc.id, N.congress.id))
        is not None
    )
    assert [e.action for e in loaded.audit(target=dup.id)] == ["merge", "unmerge"]
    # apart from what was learnt in between, the store is as before
    loaded_nodes, _, _ = snapshot(loaded)
    assert [n.id for n in loaded_nodes] == [n.id for n in before[0]]  # type: ignore[attr-defined]


def test_store_merge_errors(loaded: GraphStore) -> None:
    with pytest.raises(SchemaError, match="labels differ"):
        loaded.merge(N.shanghai_assoc.id, [N.zhang.id], editor="li")
    with pytest.raises(NotFoundError):
        loaded.merge(N.shanghai_assoc.id, ["org-ffffffffffffffff"], editor="li")
    with pytest.raises(NotFoundError):
        loaded.merge("org-ffffffffffffffff", [N.shanghai_assoc.id], editor="li")
    with pytest.raises(InputError):
        loaded.merge(N.shanghai_assoc.id, [N.shanghai_assoc.id], editor="li")
    with pytest.raises(NotFoundError):
        loaded.unmerge(N.shanghai_assoc.id, editor="li")
    assert loaded.count_nodes() == 10


def test_store_add_alias_then_find(loaded: GraphStore) -> None:
    node = loaded.add_alias(
        N.ministry.id, "中華人民共和國民政部", editor="li", note="official name"
    )
    assert "中華人民共和國民政部" in node.aliases
    assert [n.id for n in loaded.find_by_name("中華人民共和國民政部")] == [N.ministry.id]
    assert [n.id for n in loaded.search("人民共和国民政")] == [N.ministry.id]
    assert [(e.action, e.details.get("alias")) for e in loaded.audit(target=N.ministry.id)] == [
        ("add_alias", "中華人民共和國民政部")
    ]
    with pytest.raises(NotFoundError):
        loaded.add_alias("org-ffffffffffffffff", "某", editor="li")


# -- reading -----------------------------------------------------------------------------------
def test_store_find_by_name_uses_name_key(loaded: GraphStore) -> None:
    assert [n.id for n in loaded.find_by_name("民政部")] == [N.ministry.id]
    assert [n.id for n in loaded.find_by_name(" 民政 部 ")] == [N.ministry.id]
    assert [n.id for n in loaded.find_by_name("《关于加强社会工作专业人才队伍建设的意见》")] == [
        N.policy.id
    ]
    assert [n.id for n in loaded.find_by_name("中国社工联", label=Label.ORGANISATION)] == [
        N.federation.id
    ]
    assert loaded.find_by_name("中国社工联", label=Label.PERSON) == []
    assert loaded.find_by_name("民政") == []
    same_name = Node(Label.PLACE, "民政部")  # another label, same name: both found, by id
    loaded.upsert(GraphBatch(nodes=[same_name]))
    assert [n.id for n in loaded.find_by_name("民政部")] == sorted([N.ministry.id, same_name.id])


def test_store_find_by_names_is_find_by_name_in_one_call(loaded: GraphStore) -> None:
    loaded.upsert(GraphBatch(nodes=[Node(Label.PLACE, "民政部")]))
    names = ["民政部", " 民政 部 ", "中国社工联", "民政", "", "上海市", "张三"]
    found = loaded.find_by_names(names)
    assert list(found) == names
    assert found == {name: loaded.find_by_name(name) for name in names}
    assert len(found["民政部"]) == 2 and found["民政"] == [] and found[""] == []
    assert loaded.find_by_names([]) == {}


def test_store_search_traditional_ordering_and_paging(loaded: GraphStore) -> None:
    hits = loaded.search("社會工作")  # traditional input finds simplified names
    assert [n.id for n in hits] == [
        N.federation.id,
        N.shanghai_assoc.id,
        N.policy.id,
    ]  # by the share of the name the text covers (4/9, 4/10, 4/19), then degree, then id
    assert loaded.count_search("社會工作") == 3
    assert [n.id for n in loaded.search("社会工作", labels=[Label.POLICY])] == [N.policy.id]
    assert loaded.count_search("社会工作", labels=[Label.POLICY, Label.PERSON]) == 1
    assert [n.id for n in loaded.search("社会工作", limit=1, offset=1)] == [N.shanghai_assoc.id]
    # exact name match first, whatever the degree
    exact = Node(Label.ORGANISATION, "社会工作")
    loaded.upsert(GraphBatch(nodes=[exact]))
    assert loaded.search("社會工作")[0].id == exact.id
    # aliases are searched too; articles are not entities
    assert [n.id for n in loaded.search("社工联")] == [N.federation.id]
    assert loaded.search("召开第一届") == []
    assert loaded.search("zzz") == [] and loaded.count_search("zzz") == 0


def test_store_search_matches_every_substring_after_edits(loaded: GraphStore) -> None:
    # Edits rewrite names (merge folds them into aliases, unmerge and add_alias change
    # them): search must follow, for short (1-2 character) and long queries alike.
    loaded.add_alias(N.zhang.id, "張三豐", "editor")
    loaded.merge(N.federation.id, [N.shanghai_assoc.id], "editor")
    loaded.unmerge(N.shanghai_assoc.id, "editor")
    loaded.merge(N.ministry.id, [N.xinhua.id], "editor")
    entities = [n for n in loaded.nodes() if n.label is not Label.ARTICLE]
    forms = {n.id: {search_key(f) for f in (n.name, *n.aliases)} for n in entities}
    degree = loaded.degree(sorted(forms))
    queries = sorted(
        {
            f[i : i + size]
            for fs in forms.values()
            for f in fs
            for size in (1, 2, 3, 5)
            for i in range(0, len(f), 4)
        }
        | {"张三丰", "新华社", "zz"}
    )
    assert len(queries) >= 30
    for q in queries:
        want = [i for i, fs in forms.items() if any(q in f for f in fs)]
        want.sort(key=lambda i: (q not in forms[i], -cover(q, forms[i]), -degree[i], i))
        assert [n.id for n in loaded.search(q, limit=100)] == want, q
        assert loaded.count_search(q) == len(want), q
    assert [n.id for n in loaded.search("新华社")] == [N.ministry.id]  # merged in: an alias


def test_store_nodes_ordering_and_paging(loaded: GraphStore) -> None:
    ids = [n.id for n in loaded.nodes()]
    assert ids == sorted(ids) and len(ids) == 10
    assert [n.id for n in loaded.nodes(limit=3, offset=2)] == ids[2:5]
    orgs = loaded.nodes(Label.ORGANISATION)
    assert [n.id for n in orgs] == sorted(
        n.id for n in (N.ministry, N.federation, N.shanghai_assoc, N.xinhua)
    )
    assert loaded.get_many([N.zhang.id, "per-missing", N.shanghai.id]).keys() == {
        N.zhang.id,
        N.shanghai.id,
    }


def test_store_relations_filters(loaded: GraphStore) -> None:
    every = loaded.relations()
    assert [r.id for r in every] == sorted(r.id for r in every) and len(every) == 13
    two = loaded.relations(types=[G.HELD_IN, G.GUIDED_BY])
    assert sorted(r.type for r in two) == [G.GUIDED_BY, G.HELD_IN]
    assert [r.id for r in two] == sorted(r.id for r in two)
    out_of_congress = loaded.relations(source_id=N.congress.id)
    assert {r.type for r in out_of_congress} == {G.HELD_IN, G.ORGANISED_BY}
    into_assoc = loaded.relations(
        target_id=N.shanghai_assoc.id, types=[G.ORGANISED_BY, G.ELECTED_PRESIDENT]
    )
    assert {r.source_id for r in into_assoc} == {N.congress.id, N.zhang.id}
    confident = loaded.relations(min_confidence=0.9)
    assert all(r.confidence >= 0.9 for r in confident)
    assert {r.type for r in confident} >= {G.GUIDED_BY, G.ISSUED_BY, G.REPORTED_BY}
    assert G.PARTICIPATED_IN not in {r.type for r in confident}
    assert [r.id for r in loaded.relations(limit=4, offset=3)] == [r.id for r in every[3:7]]
    assert loaded.relations(curated=True) == []


def test_store_neighbours(loaded: GraphStore) -> None:
    both = loaded.neighbours(N.shanghai_assoc.id)
    assert [r.id for r, _ in both] == sorted(r.id for r, _ in both)
    others = {n.id for _, n in both}
    assert others == {N.zhang.id, N.shanghai.id, N.congress.id, ART1.id}
    out = loaded.neighbours(N.shanghai_assoc.id, direction="out")
    assert [(r.type, n.id) for r, n in out] == [(G.LOCATED_IN, N.shanghai.id)]
    incoming = loaded.neighbours(N.shanghai_assoc.id, direction="in", types=[G.ELECTED_PRESIDENT])
    assert [(r.type, n.name) for r, n in incoming] == [(G.ELECTED_PRESIDENT, "张三")]
    assert len(loaded.neighbours(N.shanghai_assoc.id, limit=2)) == 2
    assert loaded.neighbours("org-ffffffffffffffff") == []


def test_store_neighbours_many_matches_neighbours(loaded: GraphStore) -> None:
    ids = [N.shanghai_assoc.id, N.ministry.id, N.zhang.id, ART1.id, "org-ffffffffffffffff"]
    cases: list[dict[str, object]] = [
        {},
        {"direction": "out"},
        {"direction": "in", "types": [G.ELECTED_PRESIDENT]},
        {"types": [G.GUIDED_BY, G.LOCATED_IN, G.PARTICIPATED_IN]},
        {"limit": 2},
        {"limit": 1, "direction": "in"},
    ]
    for kwargs in cases:
        many = loaded.neighbours_many([*ids, ids[0]], **kwargs)  # type: ignore[arg-type]
        assert list(many) == ids, kwargs  # each distinct id once, in the order asked
        for nid in ids:
            assert many[nid] == loaded.neighbours(nid, **kwargs), (nid, kwargs)  # type: ignore[arg-type]
    # the limit is per node, not overall; a relation between two asked nodes is in both
    capped = loaded.neighbours_many([N.shanghai_assoc.id, N.zhang.id], limit=2)
    assert [len(v) for v in capped.values()] == [2, min(2, len(loaded.neighbours(N.zhang.id)))]
    both = loaded.neighbours_many([N.shanghai_assoc.id, N.zhang.id])
    shared = {r.id for r, _ in both[N.shanghai_assoc.id]} & {r.id for r, _ in both[N.zhang.id]}
    assert shared, "张三 is elected president of the association"
    assert loaded.neighbours_many([]) == {}
    with pytest.raises(ValueError, match="direction"):
        loaded.neighbours_many([N.zhang.id], direction="sideways")  # type: ignore[arg-type]


def test_store_neighbours_limit_on_a_hub(store: GraphStore) -> None:
    hub = Node(Label.ORGANISATION, "中国社会工作联合会", kind="association")
    members = [
        Node(Label.ORGANISATION, f"社工服务中心{i:03d}", kind="association") for i in range(60)
    ]
    rels = [
        Relation(G.PARTNERED_WITH, hub.id, m.id, evidence=[ev(ART1, f"{hub.name}{m.name}", "t")])
        if i % 2
        else Relation(G.PARTNERED_WITH, m.id, hub.id, evidence=[ev(ART1, m.name, "t")])
        for i, m in enumerate(members)
    ]
    store.upsert(GraphBatch(nodes=[hub, *members], relations=rels))
    every = store.neighbours(hub.id)
    assert len(every) == 60
    assert [r.id for r, _ in every] == sorted(r.id for r in rels)
    for limit in (1, 7, 30, 59, 60, 100):
        assert store.neighbours(hub.id, limit=limit) == every[:limit]
        many = store.neighbours_many([members[0].id, hub.id], limit=limit)
        assert many[hub.id] == every[:limit]
        assert [r.id for r, _ in many[members[0].id]] == [rels[0].id]
    out = store.neighbours(hub.id, direction="out", limit=5)
    assert [r.id for r, _ in out] == sorted(r.id for r in rels if r.source_id == hub.id)[:5]


def test_store_degree(loaded: GraphStore) -> None:
    degrees = loaded.degree([N.shanghai_assoc.id, N.ministry.id, ART1.id, "org-ffffffffffffffff"])
    # MENTIONS are not counted; REPORTED_BY is
    assert degrees == {
        N.shanghai_assoc.id: 3,
        N.ministry.id: 2,
        ART1.id: 1,
        "org-ffffffffffffffff": 0,
    }


def test_store_path(loaded: GraphStore) -> None:
    found = loaded.path(N.zhang.id, N.shanghai.id)
    assert found is not None and len(found) == 2
    ends = [N.zhang.id]
    for step in found:
        assert ends[-1] in (step.source_id, step.target_id)
        ends.append(step.target_id if step.source_id == ends[-1] else step.source_id)
    assert ends[-1] == N.shanghai.id
    # the unique 3-hop path: 政策 -> 民政部 <- 联合会 ... none further: federation is a leaf
    issued = loaded.path(N.policy.id, N.federation.id)
    assert [r.type for r in issued or []] == [G.ISSUED_BY, G.GUIDED_BY]
    # only through MENTIONS / REPORTED_BY (article) there is no path
    assert loaded.path(N.xinhua.id, N.zhang.id) is None
    assert loaded.path(N.ministry.id, N.zhang.id) is None
    assert loaded.path(N.policy.id, N.federation.id, max_hops=1) is None
    assert loaded.path(N.zhang.id, N.zhang.id) == []
    # a retracted relation is not a way through
    loaded.retract(relation_id(G.HELD_IN, N.congress.id, N.shanghai.id), reason="no", editor="li")
    loaded.retract(
        relation_id(G.LOCATED_IN, N.shanghai_assoc.id, N.shanghai.id), reason="no", editor="li"
    )
    assert loaded.path(N.zhang.id, N.shanghai.id) is None


def test_store_stats(loaded: GraphStore) -> None:
    stats = loaded.stats(top=3)
    assert stats.nodes_by_label == {
        "Article": 2,
        "Event": 1,
        "Organisation": 4,
        "Person": 1,
        "Place": 1,
        "Policy": 1,
    }
    assert stats.relations_by_type["MENTIONS"] == 5 and stats.relations == 13
    assert (
        stats.top_entities
        == [
            (N.congress.id, N.congress.name, 3),
            (N.shanghai_assoc.id, N.shanghai_assoc.name, 3),
            (N.ministry.id, N.ministry.name, 2),
        ]
        if N.congress.id < N.shanghai_assoc.id
        else [
            (N.shanghai_assoc.id, N.shanghai_assoc.name, 3),
            (N.congress.id, N.congress.name, 3),
            (N.ministry.id, N.ministry.name, 2),
        ]
    )


def test_store_audit(store: GraphStore) -> None:
    first = AuditEntry(
        "2024-01-01T00:00:00+00:00", "li", "import", "org-a", "from file", {"rows": 3}
    )
    second = AuditEntry("2024-01-02T00:00:00+00:00", "wang", "retract", "rel-b")
    store.record_audit(first)
    store.record_audit(second)
    assert store.audit() == [first, second]
    assert store.audit(limit=1) == [first]
    assert store.audit(target="rel-b") == [second]


def test_store_iter_relations(loaded: GraphStore) -> None:
    rels = list(loaded.iter_relations())
    assert [r.id for r in rels] == sorted(r.id for r in rels) and len(rels) == 13
    # the same relations as the paged reads, and each with its whole evidence
    assert rels == [
        rel(loaded, r.type, _node(loaded, r.source_id), _node(loaded, r.target_id))
        for r in loaded.relations()
    ]
    loaded.retract(rels[0].id, reason="no", editor="li")
    assert len(list(loaded.iter_relations())) == 12
    assert len(list(loaded.iter_relations(include_retracted=True))) == 13


def _node(store: GraphStore, node_id: str) -> Node:
    found = store.get(node_id)
    assert found is not None
    return found


def _many_evidence(count: int) -> Relation:
    pieces = [
        ev(ART1 if i % 2 else ART2, f"第{i}句", "elected", i, 0.5 + i / 100) for i in range(count)
    ]
    return Relation(G.ELECTED_PRESIDENT, N.zhang.id, N.shanghai_assoc.id, evidence=pieces)


def test_store_evidence_pages_in_order(loaded: GraphStore) -> None:
    big = _many_evidence(12)
    loaded.upsert(GraphBatch(relations=[big]))
    stored = loaded.relation(big.id)
    assert stored is not None and stored.evidence == []
    count = stored.evidence_count
    assert count >= 12  # the sample's own piece of this relation included
    pages = [loaded.evidence([big.id], limit=5, offset=o)[big.id] for o in range(0, count, 5)]
    assert [len(p) for p in pages] == [5] * (count // 5) + ([count % 5] if count % 5 else [])
    flat = [e for p in pages for e in p]
    assert flat == sorted(flat, key=lambda e: (e.article_id, e.start, e.end, e.rule))
    assert set(big.evidence) <= set(flat)
    assert stored.confidence == pytest.approx(max(e.confidence for e in flat))
    # several relations in one call, each its own page; unknown ids get an empty page
    other = relation_id(G.GUIDED_BY, N.federation.id, N.ministry.id)
    both = loaded.evidence([big.id, other, "rel-missing"], limit=2, offset=1)
    assert both[big.id] == flat[1:3] and both[other] == [] and both["rel-missing"] == []
    assert loaded.evidence([big.id], limit=0)[big.id] == []
    assert loaded.evidence([big.id], limit=5, offset=count)[big.id] == []
    for bad in ({"limit": -1}, {"limit": 5, "offset": -2}):
        with pytest.raises(InputError, match="negative"):
            loaded.evidence([big.id], **bad)


def test_store_reads_leave_evidence_and_text_in_the_store(loaded: GraphStore) -> None:
    loaded.upsert(GraphBatch(relations=[_many_evidence(7)]))
    read = [
        *loaded.relations(),
        *(r for r, _ in loaded.neighbours(N.zhang.id)),
        *(loaded.path(N.zhang.id, N.ministry.id) or []),
    ]
    assert read and all(r.evidence == [] for r in read)
    whole = {r.id: r for r in loaded.iter_relations()}
    assert {r.id: (r.evidence_count, r.confidence) for r in read} == {
        r.id: (len(whole[r.id].evidence), whole[r.id].confidence) for r in read
    }
    # titles without bodies; ``get`` and ``text=True`` give the body
    light = loaded.get_many([ART1.id, N.zhang.id])
    assert light[ART1.id].properties["title"] == ART1.title
    assert "text" not in light[ART1.id].properties
    assert light[N.zhang.id] == _node(loaded, N.zhang.id)
    assert _node(loaded, ART1.id).properties["text"] == ART1.text
    assert loaded.get_many([ART1.id], text=True)[ART1.id].properties["text"] == ART1.text


def test_store_to_networkx(loaded: GraphStore) -> None:
    graph = loaded.to_networkx()
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 13
    rid = relation_id(G.GUIDED_BY, N.federation.id, N.ministry.id)
    edge = graph.edges[N.federation.id, N.ministry.id, rid]
    assert edge["type"] == "GUIDED_BY" and edge["article_ids"] == [ART1.id]
    assert graph.nodes[N.shanghai.id]["lat"] == pytest.approx(31.23)
    only_orgs = loaded.to_networkx(labels=[Label.ORGANISATION], types=[G.GUIDED_BY])
    assert sorted(only_orgs.nodes) == sorted(
        n.id for n in (N.ministry, N.federation, N.shanghai_assoc, N.xinhua)
    )
    assert only_orgs.number_of_edges() == 1
    in_2022 = loaded.to_networkx(date_from="2022")
    assert [d["type"] for _, _, d in in_2022.edges(data=True)] == ["ISSUED_BY"]
    assert {N.policy.id, N.ministry.id, ART2.id} <= set(in_2022.nodes)
    assert ART1.id not in in_2022


def test_store_concurrent_reads_while_writing(store: GraphStore) -> None:
    store.upsert(sample_batch())
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(30):
                assert store.get(N.ministry.id) is not None
                store.search("社会")
                store.neighbours(N.shanghai_assoc.id)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(20):
        person = Node(Label.PERSON, f"志愿者{i}")
        store.upsert(
            GraphBatch(
                nodes=[person],
                relations=[
                    Relation(
                        G.PARTICIPATED_IN,
                        person.id,
                        N.congress.id,
                        {"role": "参加"},
                        [ev(ART2, "参加", "participated", i)],
                    )
                ],
            )
        )
    for t in threads:
        t.join()
    assert errors == []
    assert store.count_nodes(Label.PERSON) == 21


def test_store_evidence_dedup_key(store: GraphStore) -> None:
    store.upsert(GraphBatch(nodes=[N.ministry, N.federation]))
    one = Evidence(ART1.id, "句子", 1, 3, "r1", 0.5)
    same_key = replace(one, sentence="另一句", confidence=0.9)  # same (article, start, end, rule)
    other_rule = replace(one, rule="r2")
    store.upsert(
        GraphBatch(
            relations=[
                Relation(
                    G.GUIDED_BY,
                    N.federation.id,
                    N.ministry.id,
                    evidence=[one, same_key, other_rule],
                )
            ]
        )
    )
    got = rel(store, G.GUIDED_BY, N.federation, N.ministry)
    assert sorted((e.rule, e.sentence) for e in got.evidence) == [("r1", "句子"), ("r2", "句子")]


def test_store_merge_chains_and_repeated_merges(loaded: GraphStore) -> None:
    a = Node(Label.PERSON, "张老三")
    b = Node(Label.PERSON, "张三丰")
    loaded.upsert(GraphBatch(nodes=[a, b]))
    loaded.merge(b.id, [a.id], editor="li")
    with pytest.raises(InputError, match="already merged"):
        loaded.merge(b.id, [a.id], editor="li")
    loaded.merge(N.zhang.id, [b.id], editor="li")
    # both old ids now lead to the last kept node
    assert loaded.get(a.id).id == N.zhang.id  # type: ignore[union-attr]
    assert loaded.get(b.id).id == N.zhang.id  # type: ignore[union-attr]
    assert {"张老三", "张三丰"} <= set(loaded.get(N.zhang.id).aliases)  # type: ignore[union-attr]
    with pytest.raises(InputError, match="unmerge"):
        loaded.unmerge(a.id, editor="li")  # its kept node was merged away since
    loaded.unmerge(b.id, editor="li")
    assert loaded.get(a.id).id == b.id  # type: ignore[union-attr]  # a follows b back
    loaded.unmerge(a.id, editor="li")
    assert loaded.get(a.id).name == "张老三"  # type: ignore[union-attr]
    assert loaded.count_nodes(Label.PERSON) == 3


def test_store_retraction_in_a_batch_and_reason_required(loaded: GraphStore) -> None:
    retracted = Relation(
        G.PARTNERED_WITH,
        N.federation.id,
        N.shanghai_assoc.id,
        curated=True,
        retracted=True,
        retracted_reason="not partners",
        editor="li",
    )
    assert loaded.upsert(GraphBatch(relations=[retracted])).relations_added == 1
    got = loaded.relation(retracted.id)
    assert got is not None and got.retracted and got.retracted_reason == "not partners"
    assert retracted.id not in {r.id for r in loaded.relations()}
    with pytest.raises(InputError, match="reason"):
        loaded.retract(
            relation_id(G.GUIDED_BY, N.federation.id, N.ministry.id), reason=" ", editor="li"
        )
    assert not loaded.relation(relation_id(G.GUIDED_BY, N.federation.id, N.ministry.id)).retracted  # type: ignore[union-attr]


# -- loaded files ----------------------------------------------------------------------------
def test_store_records_loaded_files_outside_the_graph(loaded: GraphStore) -> None:
    before = snapshot(loaded)
    a, b = "a" * 64, "b" * 64
    assert loaded.loaded_files([a, b]) == {}
    loaded.record_files([(a, "data/x.txt", "1"), (b, "data/y.jsonl", "1")])
    assert loaded.loaded_files([a, b, "c" * 64]) == {a: "1", b: "1"}
    loaded.record_files([(a, "moved/x.txt", "2")])  # again: the new version wins
    assert loaded.loaded_files([a]) == {a: "2"}
    assert loaded.loaded_files([]) == {}
    assert snapshot(loaded) == before  # no node, relation or count shows it
    assert loaded.count_nodes() == before[2].nodes  # type: ignore[attr-defined]
