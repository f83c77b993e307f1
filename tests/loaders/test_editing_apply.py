"""Applying editors' files on every store kind: the dry run, importing twice, curating an
extracted relation, retracted relations left alone, entities created, the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from shegong.graph import GraphStore
from shegong.loaders.editing import (
    ADDED,
    CREATED,
    CURATED,
    PRESENT,
    RETRACTED,
    CuratedRow,
    add_curated,
    import_files,
)
from shegong.schema import InputError, Label, RelationType, entity_id, relation_id

from .editing_world import CSV_HEADER, EXTRACTED, FEDERATION, PENG, seed, snapshot, write

NOW = "2026-11-23T10:00:00+00:00"

ROWS = (
    "李伟,,ELECTED_PRESIDENT,许昌市社会工作行业协会,,role=首任会长,article 001,zhao\n"
    "彭东,,HOLDS_POSITION,中国社工联,,title=副会长,article 000 says so,liu\n"
    "王海燕,Person,HOLDS_POSITION,海南省社会工作联合会,,title=秘书长,article 000,liu\n"
)


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store)
    return store


def test_apply_dry_run_reports_and_writes_nothing(seeded: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", CSV_HEADER + ROWS)
    before = snapshot(seeded)
    result = import_files([str(path)], seeded, dry_run=True, create_missing=True)
    assert result.dry_run
    assert [(c.line, c.status) for c in result.changes] == [
        (2, ADDED),
        (3, CURATED),
        (4, CREATED),
        (4, ADDED),
    ]
    assert (
        result.changes[0].summary
        == "李伟 -ELECTED_PRESIDENT-> 许昌市社会工作行业协会 role=首任会长"
    )
    assert result.changes[2].id == entity_id(Label.PERSON, "王海燕")
    assert len(result.written) == 4
    assert snapshot(seeded) == before


def test_apply_import_then_import_again_changes_nothing(seeded: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", CSV_HEADER + ROWS)
    first = import_files([str(path)], seeded, create_missing=True, now=NOW)
    assert [c.status for c in first.changes] == [ADDED, CURATED, CREATED, ADDED]
    after_first = snapshot(seeded)
    # The dry run after the import agrees: nothing left to do.
    dry = import_files([str(path)], seeded, dry_run=True, create_missing=True)
    assert [c.status for c in dry.changes] == [PRESENT, PRESENT, PRESENT]
    second = import_files([str(path)], seeded, create_missing=True)
    assert second.written == []
    assert [c.status for c in second.changes] == [PRESENT, PRESENT, PRESENT]
    assert snapshot(seeded) == after_first

    li = seeded.find_by_name("李伟", Label.PERSON)[0]
    rel = seeded.relation(
        relation_id(RelationType.ELECTED_PRESIDENT, li.id, _id(seeded, "许昌市社会工作行业协会"))
    )
    assert rel is not None
    assert (
        rel.curated,
        rel.editor,
        rel.note,
        rel.created_at,
        rel.properties,
        rel.evidence_count,
    ) == (
        True,
        "zhao",
        "article 001",
        NOW,
        {"role": "首任会长"},
        0,
    )
    wang = seeded.get(entity_id(Label.PERSON, "王海燕"))
    assert wang is not None and wang.properties.get("curated") is True


def test_apply_curating_an_extracted_relation_keeps_its_evidence(
    seeded: GraphStore, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "r.csv", CSV_HEADER + "彭东,,HOLDS_POSITION,中国社会工作联合会,,,checked,liu\n"
    )
    [change] = import_files([str(path)], seeded, now=NOW).changes
    assert (change.status, change.id) == (CURATED, EXTRACTED.id)
    rel = seeded.relation(EXTRACTED.id)
    assert rel is not None
    assert (rel.curated, rel.editor, rel.note, rel.created_at) == (True, "liu", "checked", NOW)
    assert seeded.evidence([rel.id])[rel.id] == EXTRACTED.evidence
    assert rel.properties == {"title": "副会长"}


def test_apply_different_property_corrects_the_extracted_value(
    seeded: GraphStore, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "r.csv",
        CSV_HEADER + "彭东,,HOLDS_POSITION,中国社会工作联合会,,title=会长,n,liu\n",
    )
    [change] = import_files([str(path)], seeded, dry_run=True).changes
    assert change.summary.endswith("(corrected: title 副会长 -> 会长)")
    rel = seeded.relation(EXTRACTED.id)
    assert rel is not None and rel.properties == {"title": "副会长"}  # a dry run
    [change] = import_files([str(path)], seeded, now=NOW).changes
    assert change.status == CURATED
    rel = seeded.relation(EXTRACTED.id)
    assert rel is not None and rel.properties == {"title": "会长"}
    assert seeded.evidence([rel.id])[rel.id] == EXTRACTED.evidence
    entry = seeded.audit(target=EXTRACTED.id)[-1]
    assert entry.details["changed"] == {"title": {"old": "副会长", "new": "会长"}}


def test_apply_retracted_relation_stays_retracted(seeded: GraphStore, tmp_path: Path) -> None:
    seeded.retract(EXTRACTED.id, "彭东 is not 副会长 any more", "liu")
    path = write(
        tmp_path, "r.csv", CSV_HEADER + "彭东,,HOLDS_POSITION,中国社会工作联合会,,,re-add,zhao\n"
    )
    before = snapshot(seeded)
    [change] = import_files([str(path)], seeded).changes
    assert change.status == RETRACTED
    assert "彭东 is not 副会长 any more" in change.summary
    assert snapshot(seeded) == before
    rel = seeded.relation(EXTRACTED.id)
    assert rel is not None and rel.retracted and not rel.curated


def test_apply_audit_trail_one_entry_per_change(seeded: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", CSV_HEADER + ROWS)
    audit_before = len(seeded.audit())
    import_files([str(path)], seeded, create_missing=True, now=NOW)
    entries = seeded.audit()[audit_before:]
    assert [(e.action, e.editor, e.note) for e in entries] == [
        ("add_relation", "zhao", "article 001"),
        ("curate_relation", "liu", "article 000 says so"),
        ("create_entity", "liu", "article 000"),
        ("add_relation", "liu", "article 000"),
    ]
    assert all(e.at == NOW for e in entries)
    assert entries[1].target == EXTRACTED.id
    assert dict(entries[1].details) == {
        "type": "HOLDS_POSITION",
        "source": PENG.id,
        "target": FEDERATION.id,
        "properties": {"title": "副会长"},
        "file": str(path),
        "line": 3,
    }
    assert [e.action for e in seeded.audit(target=EXTRACTED.id)] == ["curate_relation"]


def test_apply_entities_created_once_across_files(seeded: GraphStore, tmp_path: Path) -> None:
    a = write(
        tmp_path, "a.csv", CSV_HEADER + "王海燕,Person,HOLDS_POSITION,海南省社会工作联合会,,,n,e\n"
    )
    b = write(
        tmp_path,
        "b.yaml",
        "- {source: 王海燕, relation: PARTICIPATED_IN, target: 法治保障卡获赠活动, "
        "target_label: Event, note: n, editor: e}\n"
        "- {source: 王海燕, relation: HOLDS_POSITION, target: 海南省社会工作联合会, note: n, editor: e}\n",
    )
    result = import_files([str(a), str(b)], seeded, create_missing=True)
    assert [(Path(c.path).name, c.line, c.status) for c in result.changes] == [
        ("a.csv", 2, CREATED),
        ("a.csv", 2, ADDED),
        ("b.yaml", 1, CREATED),
        ("b.yaml", 1, ADDED),
        ("b.yaml", 2, PRESENT),
    ]
    assert len(seeded.find_by_name("王海燕")) == 1


def test_apply_add_one_relation(seeded: GraphStore) -> None:
    row = CuratedRow(
        line=0,
        source="海南省社会工作联合会",
        relation="LOCATED_IN",
        target="海南省",
        note="provincial federation",
        editor="liu",
    )
    [change] = add_curated(row, seeded).changes
    assert change.status == ADDED
    assert [r.note for r in seeded.relations(types=[RelationType.LOCATED_IN], curated=True)] == [
        "provincial federation"
    ]
    bad = CuratedRow(
        line=0, source="海南省", relation="LOCATED_IN", target="彭东", note="n", editor="x"
    )
    with pytest.raises(InputError, match=r"^LOCATED_IN cannot connect Place -> Person"):
        add_curated(bad, seeded)


def _id(store: GraphStore, name: str) -> str:
    [node] = store.find_by_name(name, Label.ORGANISATION)
    return node.id
