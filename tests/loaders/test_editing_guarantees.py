"""The editors' guarantees, with a real ``shegong load`` of the sample corpus before and
after the edits, on every store kind:

* curated relations are never removed or overwritten by a re-load;
* a retracted relation stays retracted after loading the same and other articles;
* merged entities stay merged after a re-load (the merged-away name finds the kept one);
* an added alias keeps resolving new mentions to the aliased entity.

A reload passes --force: unchanged files would be skipped, and the point is to
re-extract them over the edits.

Tests that need entities or relations found by the extractor skip, saying so, while the
extractor finds none (the placeholder before the extraction work lands).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shegong.graph import GraphStore
from shegong.loaders.cli import main
from shegong.schema import Label, Node, Relation, RelationType

from .editing_world import cli_env

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "data" / "articles"
EXAMPLES = [
    str(REPO / "loaders" / "curated" / "relations.csv"),
    str(REPO / "loaders" / "curated" / "relations.yaml"),
]
#: Relations every load makes whatever the extractor finds; the others are "extracted".
BOOKKEEPING = (RelationType.MENTIONS, RelationType.REPORTED_BY)


def shegong(store: GraphStore, *args: str) -> None:
    """Run the CLI against ``store``; fail the test on a non-zero exit."""
    code = main(["--store", store.uri, *args])
    assert code == 0, f"shegong {' '.join(args)} exited {code}"


def other_articles(directory: Path) -> Path:
    """A small file of articles not in the sample corpus, naming sample-corpus entities."""
    records = [
        {
            "title": "海南省社会工作联合会举办普法培训",
            "text": "12月10日,在中国社会工作联合会的指导下,海南省社会工作联合会在琼海市举办"
            "社会工作者普法培训班。海南省社会工作联合会秘书长王海燕出席并讲话。",
            "source": "中国社会报",
            "date": "2023-12-11",
        },
        {
            "title": "许昌市社会工作行业协会召开会长办公会",
            "text": "近日,许昌市社会工作行业协会召开会长办公会,协会会长李伟主持会议。"
            "许昌市民政局副局长时少伟出席会议。",
            "source": "公益时报",
            "date": "2023-06-02",
        },
    ]
    path = directory / "other.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def extracted(store: GraphStore) -> list[Relation]:
    """Relations the extractor found (not curated, not bookkeeping), by id."""
    types = [t for t in RelationType if t not in BOOKKEEPING]
    return store.relations(types=types, curated=False)


def require(found: object, what: str) -> None:
    if not found:
        pytest.skip(f"waits on the extractor: the sample corpus load found no {what}")


def curated_state(store: GraphStore) -> dict[str, tuple[object, ...]]:
    return {
        r.id: (
            r.type,
            r.source_id,
            r.target_id,
            r.properties,
            r.editor,
            r.note,
            r.created_at,
            r.retracted,
        )
        for r in store.iter_relations(include_retracted=True)
        if r.curated
    }


@pytest.fixture
def loaded(
    store: GraphStore, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> GraphStore:
    cli_env(store, request, monkeypatch)
    shegong(store, "load", str(ARTICLES))
    assert store.count_nodes(Label.ARTICLE) > 0
    return store


def test_guarantee_curated_relations_survive_reloads(loaded: GraphStore, tmp_path: Path) -> None:
    store = loaded
    shegong(store, "edges", "import", *EXAMPLES, "--create-missing", "--editor", "liu.min")
    before = curated_state(store)
    assert len(before) == 15
    # Reload the corpus and load other articles that state some of the same facts.
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    shegong(store, "load", str(other_articles(tmp_path)))
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    assert curated_state(store) == before
    live = {r.id for r in store.relations(curated=True)}
    assert live == set(before)
    # The files still agree with the store: importing again changes nothing.
    audit = store.audit()
    shegong(store, "edges", "import", *EXAMPLES, "--create-missing")
    assert store.audit() == audit


def test_guarantee_retracted_relation_stays_retracted(loaded: GraphStore, tmp_path: Path) -> None:
    store = loaded
    rels = extracted(store)
    require(rels, "relation")
    target = rels[0]
    shegong(store, "edges", "retract", target.id, "--reason", "misread sentence", "--editor", "liu")
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    shegong(store, "load", str(other_articles(tmp_path)))
    rel = store.relation(target.id)
    assert rel is not None
    assert (rel.retracted, rel.retracted_reason) == (True, "misread sentence")
    assert target.id not in {r.id for r in store.relations()}
    assert target.id not in {r.id for r, _ in store.neighbours(target.source_id)}
    assert [e.action for e in store.audit(target=target.id)] == ["retract"]


def test_guarantee_retracted_bookkeeping_relation_stays_retracted(loaded: GraphStore) -> None:
    """Without extracted relations, the MENTIONS/REPORTED_BY edges the pipeline makes."""
    store = loaded
    rels = store.relations(types=list(BOOKKEEPING))
    require(rels, "MENTIONS or REPORTED_BY edge")
    target = rels[-1]
    shegong(store, "edges", "retract", target.id, "--reason", "wrong outlet", "--editor", "liu")
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    rel = store.relation(target.id)
    assert rel is not None and rel.retracted and rel.retracted_reason == "wrong outlet"
    assert target.id not in {r.id for r in store.relations(types=list(BOOKKEEPING))}


def test_guarantee_retracted_curated_relation_stays_retracted(
    loaded: GraphStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A curated relation retracted later is not brought back by re-loads or re-imports."""
    store = loaded
    shegong(store, "edges", "import", *EXAMPLES, "--create-missing", "--editor", "liu")
    [wang] = store.find_by_name("王海燕", Label.PERSON)
    [target] = store.relations(types=[RelationType.HOLDS_POSITION], source_id=wang.id)
    shegong(
        store, "edges", "retract", target.id, "--reason", "she left in 2024", "--editor", "zhao"
    )
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    shegong(store, "load", str(other_articles(tmp_path)))
    capsys.readouterr()
    shegong(store, "edges", "import", *EXAMPLES, "--create-missing")
    out = capsys.readouterr().out
    assert (
        f"retracted\t{target.id}\t王海燕 -HOLDS_POSITION-> 海南省社会工作联合会 title=秘书长 (retracted: she left in 2024)"
        in out
    )
    assert out.strip().endswith("0 change(s) written (14 present, 1 retracted)")
    rel = store.relation(target.id)
    assert rel is not None and rel.retracted and rel.curated
    assert target.id not in {r.id for r in store.relations(curated=True)}


def _two_entities(store: GraphStore) -> tuple[Node, Node] | None:
    """Two entities of one label that the load found (the first two by id)."""
    for label in (Label.ORGANISATION, Label.PERSON, Label.PLACE):
        nodes = store.nodes(label, limit=2)
        if len(nodes) == 2:
            return nodes[0], nodes[1]
    return None


def test_guarantee_merged_entities_stay_merged(loaded: GraphStore, tmp_path: Path) -> None:
    store = loaded
    pair = _two_entities(store)
    require(pair, "two entities of one label")
    assert pair is not None
    keep, other = pair
    shegong(store, "entities", "merge", keep.id, other.id, "--note", "same body", "--editor", "liu")
    count = store.count_nodes(keep.label)
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    assert store.count_nodes(keep.label) == count  # the merged-away entity did not come back
    shegong(store, "load", str(other_articles(tmp_path)))
    assert other.id not in {n.id for n in store.nodes(keep.label)}
    merged = store.get(other.id)
    assert merged is not None and merged.id == keep.id
    assert [n.id for n in store.find_by_name(other.name, other.label)] == [keep.id]
    ends = {
        i for r in store.iter_relations(include_retracted=True) for i in (r.source_id, r.target_id)
    }
    assert other.id not in ends


def test_guarantee_merge_survives_reimport_of_curated_files(loaded: GraphStore) -> None:
    """Curated rows naming a merged-away entity resolve to the kept one."""
    store = loaded
    shegong(store, "edges", "import", *EXAMPLES, "--create-missing", "--editor", "liu")
    # An editor enters a variant name of the Zhengzhou association, then merges it.
    add = ["edges", "add", "--source", "郑州市社会工作协会", "--source-label", "Organisation"]
    add += ["--relation", "LOCATED_IN", "--target", "郑州市", "--target-label", "Place"]
    add += ["--note", "article 002", "--editor", "liu", "--create-missing"]
    shegong(store, *add)
    [keep] = store.find_by_name("郑州社会工作协会", Label.ORGANISATION)
    [other] = store.find_by_name("郑州市社会工作协会", Label.ORGANISATION)
    shegong(store, "entities", "merge", keep.id, other.id, "--note", "one body", "--editor", "liu")
    audit = store.audit()
    shegong(store, "load", str(ARTICLES), "--force")  # re-extract: skip nothing
    shegong(store, "edges", "import", *EXAMPLES, "--create-missing", "--editor", "liu")
    shegong(store, *add)
    assert store.audit() == audit  # nothing new: every row resolves to what the merge left
    assert [n.id for n in store.find_by_name("郑州市社会工作协会")] == [keep.id]
    merged = store.get(other.id)
    assert merged is not None and merged.id == keep.id
    [located] = store.relations(types=[RelationType.LOCATED_IN], source_id=keep.id)
    assert located.curated and located.note == "article 002"
    assert store.relations(source_id=other.id) == []


def test_guarantee_alias_resolves_new_mentions(loaded: GraphStore, tmp_path: Path) -> None:
    store = loaded
    found = store.find_by_name("中国社会工作联合会", Label.ORGANISATION)
    require(found, "entity 中国社会工作联合会")
    [federation] = found
    shegong(
        store,
        "entities",
        "alias",
        federation.id,
        "中国社工联合会",
        "--note",
        "short form",
        "--editor",
        "liu",
    )
    articles_before = {n.id for n in store.nodes(Label.ARTICLE)}
    path = tmp_path / "alias.jsonl"
    record = {
        "title": "中国社工联合会指导许昌社工站建设",
        "text": "3月1日,在中国社工联合会的指导下,许昌市社会工作行业协会举办乡镇社工站建设培训班。"
        "中国社工联合会副会长乔恒出席培训班并讲话。",
        "source": "中国社会报",
        "date": "2024-03-02",
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    shegong(store, "load", str(path))
    [article] = [n for n in store.nodes(Label.ARTICLE) if n.id not in articles_before]
    # The alias names no new entity...
    assert [n.id for n in store.find_by_name("中国社工联合会")] == [federation.id]
    # ...and what the new article says about it is attached to the federation.
    around = [r for r, _ in store.neighbours(federation.id)]
    pages = store.evidence([r.id for r in around], limit=10_000)
    touching = [
        r
        for r in around
        if any(ev.article_id == article.id for ev in pages[r.id]) or r.source_id == article.id
    ]
    assert touching, "no relation of the new article reaches the aliased entity"
