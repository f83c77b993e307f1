"""Validation of editors' files against the vocabulary and the store, on every store kind:
every bad row reported with its line number, and a bad file changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from shegong.graph import GraphStore
from shegong.loaders.editing import (
    CuratedFilesError,
    import_files,
    parse_properties,
    validate_file,
)
from shegong.schema import CuratedFileError, InputError, Label, RelationType

from .editing_world import CSV_HEADER, seed, snapshot, write

GOOD_ROW = "李伟,,ELECTED_PRESIDENT,许昌市社会工作行业协会,,role=首任会长,article 001,zhao\n"

#: (row written after the header, expected reason) — the header is line 1, so row i is line i+2.
BAD_ROWS: list[tuple[str, str]] = [
    (
        "彭东,,GUIDES,中国社会工作联合会,,,n,e\n",
        "unknown relation type 'GUIDES'; valid types: GUIDED_BY, DONATED_TO, ELECTED_PRESIDENT,",
    ),
    (
        "不存在的协会,,PART_OF,中国社会工作联合会,,,n,e\n",
        "unknown source: no entity has the name or alias '不存在的协会'; give source_label and "
        "--create-missing to create it",
    ),
    (
        "org-0123456789abcdef,,PART_OF,中国社会工作联合会,,,n,e\n",
        "unknown source: no entity has the id 'org-0123456789abcdef'",
    ),
    ("彭东,,HOLDS_POSITION,社工协会,,,n,e\n", "ambiguous target: '社工协会' names 2 entities: "),
    ("许昌市社会工作行业协会,,PART_OF,许昌,,,n,e\n", "ambiguous target: '许昌' names 2 entities: "),
    (
        "彭东,,LOCATED_IN,海南省,,,n,e\n",
        "LOCATED_IN cannot connect Person -> Place; it connects Organisation|Place -> Place",
    ),
    (
        "彭东,,HOLDS_POSITION,中国社会工作联合会,,title,n,e\n",
        "properties: 'title' is not key=value",
    ),
    (
        '彭东,,HOLDS_POSITION,中国社会工作联合会,,"{""title"": }",n,e\n',
        "properties are not valid JSON: Expecting value",
    ),
    (
        '彭东,,HOLDS_POSITION,中国社会工作联合会,,"[""副会长""]",n,e\n',
        "properties: '[\"副会长\"]' is not key=value",
    ),
    (
        "彭东,,HOLDS_POSITION,中国社会工作联合会,,role=副会长,n,e\n",
        "HOLDS_POSITION takes no property 'role'; valid properties: title",
    ),
    (
        "海南省社会工作联合会,,GUIDED_BY,中国社会工作联合会,,level=national,n,e\n",
        "GUIDED_BY takes no property 'level'; valid properties: none (leave properties empty)",
    ),
    ("彭东,,HOLDS_POSITION,中国社会工作联合会,,title=,n,e\n", "properties: 'title' is empty"),
    (",,PART_OF,中国社会工作联合会,,,n,e\n", "empty source"),
    ("海南省社会工作联合会,,PART_OF,,,,n,e\n", "empty target"),
    ("海南省社会工作联合会,,,中国社会工作联合会,,,n,e\n", "empty relation"),
    ("海南省社会工作联合会,,PART_OF,中国社会工作联合会,,,,e\n", "empty note"),
    (
        "海南省社会工作联合会,,PART_OF,中国社会工作联合会,,,n,\n",
        "empty editor and no --editor given",
    ),
    (
        "海南省社会工作联合会,Company,PART_OF,中国社会工作联合会,,,n,e\n",
        "source_label: unknown node label 'Company'; valid labels: Organisation, Person,",
    ),
    (
        "彭东,Organisation,PART_OF,中国社会工作联合会,,,n,e\n",
        "unknown source: no Organisation entity has the name or alias '彭东'",
    ),
    (
        "中国社工联,,PARTNERED_WITH,中国社会工作联合会,,,n,e\n",
        "source and target are the same entity, 中国社会工作联合会",
    ),
    (
        GOOD_ROW.replace("article 001", "again"),
        "same relation as line 2 (ELECTED_PRESIDENT 李伟 -> ",
    ),
]


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store)
    return store


def test_validate_every_bad_row_reported_with_its_line(seeded: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", CSV_HEADER + GOOD_ROW + "".join(row for row, _ in BAD_ROWS))
    before = snapshot(seeded)
    with pytest.raises(CuratedFileError) as info:
        import_files([str(path)], seeded)
    problems = info.value.problems
    assert [line for line, _ in problems] == [i + 3 for i in range(len(BAD_ROWS))]
    for (line, reason), (_, expected) in zip(problems, BAD_ROWS, strict=True):
        assert reason.startswith(expected), (line, reason)
        assert f"bad.csv:{line}: {reason}" in str(info.value)
    # The good row on line 2 was not written either.
    assert snapshot(seeded) == before


def test_validate_ambiguity_lists_candidates_and_label_resolves_it(
    seeded: GraphStore, tmp_path: Path
) -> None:
    nodes = {n.name: n for n in seeded.nodes()}
    path = write(tmp_path, "amb.csv", CSV_HEADER + "彭东,,HOLDS_POSITION,社工协会,,,n,e\n")
    with pytest.raises(CuratedFileError) as info:
        validate_file(str(path), seeded)
    [(_, reason)] = info.value.problems
    first, second = sorted(
        [nodes["郑州社会工作协会"], nodes["济南社会工作协会"]], key=lambda n: n.id
    )
    assert (
        f"{first.name} ({first.id}, Organisation); {second.name} ({second.id}, Organisation)"
        in reason
    )
    # 许昌 is an Organisation alias and a Place alias: the label picks one.
    path = write(
        tmp_path, "ok.csv", CSV_HEADER + "许昌市社会工作行业协会,,LOCATED_IN,许昌,Place,,n,e\n"
    )
    [edge] = validate_file(str(path), seeded).edges
    assert edge.target.id == nodes["许昌市"].id
    assert edge.relation.type is RelationType.LOCATED_IN


def test_validate_references_by_id_name_and_alias(seeded: GraphStore, tmp_path: Path) -> None:
    nodes = {n.name: n for n in seeded.nodes()}
    fed = nodes["中国社会工作联合会"]
    rows = (
        f"{nodes['海南省社会工作联合会'].id},,guided_by,中国社工联,,,n,e\n"
        "许昌市社会工作行业协会,organisation,Guided-By,中国社会工作联合会,,,n,e\n"
    )
    plan = validate_file(str(write(tmp_path, "refs.csv", CSV_HEADER + rows)), seeded)
    assert [(e.source.name, e.relation.type, e.target.id) for e in plan.edges] == [
        ("海南省社会工作联合会", RelationType.GUIDED_BY, fed.id),
        ("许昌市社会工作行业协会", RelationType.GUIDED_BY, fed.id),
    ]
    assert all(e.relation.curated and e.relation.evidence == [] for e in plan.edges)


def test_validate_yaml_read_problems_and_row_problems_together(
    seeded: GraphStore, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "mixed.yaml",
        "relations:\n"
        "  - source: 彭东\n"
        "    relation: HOLDS_POSITION\n"
        "    note: no target\n"
        "  - source: 彭东\n"
        "    relation: HOLDS_POSITION\n"
        "    target: 中国社会工作联合会\n"
        "    properties: {title: 副会长, rank: 1}\n"
        "    note: n\n"
        "    editor: e\n",
    )
    before = snapshot(seeded)
    with pytest.raises(CuratedFileError) as info:
        import_files([str(path)], seeded)
    assert info.value.problems == [
        (2, "missing required key(s): target"),
        (5, "HOLDS_POSITION takes no property 'rank'; valid properties: title"),
    ]
    assert snapshot(seeded) == before


def test_validate_editor_default_fills_empty_editor(seeded: GraphStore, tmp_path: Path) -> None:
    path = write(
        tmp_path, "e.csv", "source,relation,target,note\n彭东,HOLDS_POSITION,中国社会工作联合会,n\n"
    )
    [edge] = validate_file(str(path), seeded, editor="wang").edges
    assert edge.relation.editor == "wang"


def test_validate_create_missing_needs_a_label(seeded: GraphStore, tmp_path: Path) -> None:
    rows = (
        "王海燕,,HOLDS_POSITION,海南省社会工作联合会,,title=秘书长,n,e\n"
        "王海燕,Article,HOLDS_POSITION,海南省社会工作联合会,,,n,e\n"
        "per-0123456789abcdef,Person,HOLDS_POSITION,海南省社会工作联合会,,,n,e\n"
        "王海燕,Person,HOLDS_POSITION,海南省社会工作联合会,,title=秘书长,n,e\n"
        "王海燕,,HOLDS_POSITION,中国社会工作联合会,,,n,e\n"
    )
    path = write(tmp_path, "c.csv", CSV_HEADER + rows)
    with pytest.raises(CuratedFileError) as info:
        validate_file(str(path), seeded, create_missing=True)
    assert [(line, reason.split(";")[-1].strip()) for line, reason in info.value.problems] == [
        (2, "--create-missing needs source_label"),
        (3, "they create Organisation, Person, Place, Policy, Event"),
        (4, "unknown source: no entity has the id 'per-0123456789abcdef'"),
    ]
    # Lines 5 and 6 are fine: line 5 creates 王海燕, line 6 finds the same pending entity.
    good = write(tmp_path, "g.csv", CSV_HEADER + rows.split("\n", 3)[3])
    plan = validate_file(str(good), seeded, create_missing=True)
    [created] = plan.new_nodes
    assert (created.label, created.name, created.properties) == (
        Label.PERSON,
        "王海燕",
        {"curated": True},
    )
    assert [e.source.id for e in plan.edges] == [created.id, created.id]


def test_validate_several_bad_files_all_reported(seeded: GraphStore, tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", CSV_HEADER + "x,,PART_OF,中国社会工作联合会,,,n,e\n")
    b = write(tmp_path, "b.csv", CSV_HEADER + GOOD_ROW)
    c = write(
        tmp_path, "c.yaml", "- {source: 彭东, relation: NOPE, target: 海南省, note: n, editor: e}\n"
    )
    before = snapshot(seeded)
    with pytest.raises(CuratedFilesError) as info:
        import_files([str(a), str(b), str(c)], seeded)
    assert [(e.path, [line for line, _ in e.problems]) for e in info.value.errors] == [
        (str(a), [2]),
        (str(c), [1]),
    ]
    assert "a.csv:2: unknown source" in str(info.value)
    assert "c.yaml:1: unknown relation type 'NOPE'" in str(info.value)
    assert snapshot(seeded) == before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", {}),
        ("  ", {}),
        ("title=副会长", {"title": "副会长"}),
        (" item = 法治保障卡 ; quantity=300万张 ;", {"item": "法治保障卡", "quantity": "300万张"}),
        ('{"quantity": 300, "item": "卡"}', {"item": "卡", "quantity": 300}),
        ({"role": "会长"}, {"role": "会长"}),
        ("note=a=b", {"note": "a=b"}),
    ],
)
def test_validate_parse_properties(raw: str | dict[str, str], expected: dict[str, object]) -> None:
    assert parse_properties(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("title", "'title' is not key=value"),
        ("=x", "a property with an empty name"),
        ("a=1;a=2", "'a' given twice"),
        ('{"a": [1, 2]}', "'a' must be text or a number, not list"),
        ('{"a": 1', "not valid JSON"),
        ({"a": {"b": 1}}, "'a' must be text or a number, not dict"),
        ({"a": None}, "'a' must be text or a number, not null"),
    ],
)
def test_validate_parse_properties_errors(raw: str | dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[")):
        parse_properties(raw)  # type: ignore[arg-type]


def test_validate_traditional_names_resolve_and_create_simplified(
    seeded: GraphStore, tmp_path: Path
) -> None:
    nodes = {n.name: n for n in seeded.nodes()}
    rows = "王海燕,Person,HOLDS_POSITION,中國社會工作聯合會,,title=理事,n,e\n王海燕,,PARTICIPATED_IN,普法活動,Event,,n,e\n"
    plan = validate_file(
        str(write(tmp_path, "t.csv", CSV_HEADER + rows)), seeded, create_missing=True
    )
    assert plan.edges[0].target.id == nodes["中国社会工作联合会"].id
    assert [(n.label, n.name) for n in plan.new_nodes] == [
        (Label.PERSON, "王海燕"),
        (Label.EVENT, "普法活动"),
    ]
