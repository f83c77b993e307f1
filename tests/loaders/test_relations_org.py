"""Organisation and person relations: cases/relations_org.jsonl through the RelationFinder,
and PART_OF / LOCATED_IN read from names (structure)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shegong.loaders.extract.relations import RelationFinder
from shegong.loaders.extract.structure import structural_relations
from shegong.schema import Label, RelationType

from .test_relations import analyse, triples

CASES_FILE = Path(__file__).parent / "cases" / "relations_org.jsonl"
CASES = [
    json.loads(line)
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.fixture(scope="module")
def finder() -> RelationFinder:
    return RelationFinder()


def _has(found: dict[tuple[str, str, str], dict[str, Any]], triple: list[Any]) -> bool:
    rtype, source, target, *props = triple
    got = found.get((rtype, source, target))
    if got is None:
        return False
    return all(got.get(k) == v for k, v in (props[0] if props else {}).items())


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_relations_org_case(finder: RelationFinder, case: dict[str, Any]) -> None:
    analysis = analyse(case["text"], case["entities"], in_order=case.get("in_order", False))
    found = triples(analysis, finder(analysis))
    for triple in case["expect"]:
        assert _has(found, triple), f"missing {triple}; found {found}"
    for triple in case.get("absent", []):
        assert not _has(found, triple), f"unexpected {triple}; found {found}"
    if case.get("exact"):
        expected = {tuple(e[:3]) for e in case["expect"]}
        assert set(found) == expected, f"unexpected {sorted(set(found) - expected)}"


def _structure(
    text: str, entities: list[list[str]], levels: dict[str, str]
) -> set[tuple[str, ...]]:
    analysis = analyse(text, entities)
    for node in analysis.entities.values():
        if node.name in levels:
            node.properties["level"] = levels[node.name]
    names = {eid: node.name for eid, node in analysis.entities.items()}
    return {
        (r.type.value, names[r.source_id], names[r.target_id])
        for r in structural_relations(analysis)
        if r.type in (RelationType.LOCATED_IN, RelationType.PART_OF)
        and analysis.entities[r.source_id].label == Label.ORGANISATION
    }


@pytest.mark.parametrize(
    ("text", "entities", "levels", "want", "not_want"),
    [
        (  # the county named on its own; the town only inside the station's name
            "长沙县的社工站建设走在前列。大家参观了长沙县路口镇社工站。",
            [["Place", "长沙县"], ["Place", "路口镇"], ["Organisation", "长沙县路口镇社工站"]],
            {"路口镇": "street"},
            {("LOCATED_IN", "长沙县路口镇社工站", "长沙县")},
            {("LOCATED_IN", "长沙县路口镇社工站", "路口镇")},
        ),
        (  # a street station whose street is named only there
            "永昌街道社工站开展服务。",
            [["Place", "永昌街道"], ["Organisation", "永昌街道社工站"]],
            {"永昌街道": "street"},
            {("LOCATED_IN", "永昌街道社工站", "永昌街道")},
            set(),
        ),
        (  # a school with a proper name after its county
            "定远县是农业大县。志愿者赴定远县弘文学校开展活动。",
            [["Place", "定远县"], ["Organisation", "定远县弘文学校"]],
            {},
            {("LOCATED_IN", "定远县弘文学校", "定远县")},
            set(),
        ),
        (  # a city's short name opening a longer place (郑州 of 郑州新区) is not the city
            "郑州市召开会议,郑州新区杨桥街道社工站参加,郑州各区积极推进。",
            [
                ["Place", "郑州市"],
                ["Place", "郑州", "郑州市"],
                ["Organisation", "郑州新区杨桥街道社工站"],
            ],
            {},
            set(),
            {("LOCATED_IN", "郑州新区杨桥街道社工站", "郑州市")},
        ),
        (  # the stations of a region, and a department named after its province: none
            "河北省社工站建设加快。河北省民政厅部署工作,河北省各地积极推进。",
            [
                ["Place", "河北省"],
                ["Organisation", "河北省社工站"],
                ["Organisation", "河北省民政厅"],
            ],
            {},
            set(),
            {("LOCATED_IN", "河北省社工站", "河北省"), ("LOCATED_IN", "河北省民政厅", "河北省")},
        ),
        (  # a named unit of a body; a company's cut name is not a unit
            "中国社会工作联合会和中国社会工作联合会司法社会工作委员会、青州眼科医院出席,"
            "青州眼科也发言,青州佐力生物科技有限公司捐款。",
            [
                ["Organisation", "中国社会工作联合会"],
                ["Organisation", "中国社会工作联合会司法社会工作委员会"],
                ["Organisation", "青州眼科医院"],
                ["Organisation", "青州眼科"],
                ["Organisation", "青州佐力生物科"],
            ],
            {},
            {("PART_OF", "中国社会工作联合会司法社会工作委员会", "中国社会工作联合会")},
            {("PART_OF", "青州眼科医院", "青州眼科")},
        ),
        (  # the parent opens a short form of the unit's name (中共 and the city dropped)
            "中共黄山市徽州区委宣传部召开会议,徽州区委宣传部负责人介绍,徽州区委高度重视。",
            [
                ["Organisation", "中共黄山市徽州区委宣传部"],
                ["Organisation", "徽州区委宣传部", "中共黄山市徽州区委宣传部"],
                ["Organisation", "徽州区委"],
            ],
            {},
            {("PART_OF", "中共黄山市徽州区委宣传部", "徽州区委")},
            set(),
        ),
        (  # a parent's name that cuts an ending of the unit's (区委 | 会…) is not its parent
            "徽州区委会经济一支部和徽州区委出席。",
            [["Organisation", "徽州区委会经济一支部"], ["Organisation", "徽州区委"]],
            {},
            set(),
            {("PART_OF", "徽州区委会经济一支部", "徽州区委")},
        ),
        (  # 区委办: the one-character unit after its body; a 站 after a centre is none;
            # a long unit name
            "徽州区委办和徽州区委出席,徽州社工中心和徽州社工中心站参加,"
            "徽州区委非公有制经济组织和社会组织工作委员会也参加。",
            [
                ["Organisation", "徽州区委非公有制经济组织和社会组织工作委员会"],
                ["Organisation", "徽州区委办"],
                ["Organisation", "徽州区委"],
                ["Organisation", "徽州社工中心站"],
                ["Organisation", "徽州社工中心"],
            ],
            {},
            {
                ("PART_OF", "徽州区委办", "徽州区委"),
                ("PART_OF", "徽州区委非公有制经济组织和社会组织工作委员会", "徽州区委"),
            },
            {("PART_OF", "徽州社工中心站", "徽州社工中心")},
        ),
    ],
)
def test_relations_org_structure(
    text: str,
    entities: list[list[str]],
    levels: dict[str, str],
    want: set[tuple[str, ...]],
    not_want: set[tuple[str, ...]],
) -> None:
    found = _structure(text, entities, levels)
    assert want <= found, f"missing {want - found}; found {found}"
    assert not (not_want & found), f"unexpected {not_want & found}"
