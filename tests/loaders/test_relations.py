"""RelationFinder on real corpus sentences (cases/relations.jsonl), provenance, bad data."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shegong.loaders.data import read_tsv
from shegong.loaders.extract.rel_patterns import compile_patterns, load_patterns
from shegong.loaders.extract.relations import RelationFinder
from shegong.loaders.extract.types import Analysis, Sentence, Span
from shegong.schema import (
    RELATION_SPECS,
    Article,
    Label,
    Node,
    RelationType,
    SchemaError,
    entity_id,
    validate_relation,
)

CASES_FILE = Path(__file__).parent / "cases" / "relations.jsonl"
CASES = [
    json.loads(line)
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
_SENTENCE = re.compile(r"[^。!?!?;;\n]+[。!?!?;;]*")


@pytest.fixture(scope="module")
def finder() -> RelationFinder:
    return RelationFinder()


def analyse(
    text: str, entities: list[list[str]], title: str = "测试", in_order: bool = False
) -> Analysis:
    """An Analysis of ``text`` with a span at every occurrence of each entity's surface
    (longest surfaces first, or in the order given, no overlaps); entities are
    [label, surface, canonical?]."""
    article = Article(title=title, text=text, file="cases.jsonl")
    nodes: dict[str, Node] = {}
    surfaces = []
    for label_name, surface, *canonical in entities:
        label = Label(label_name)
        name = canonical[0] if canonical else surface
        node = nodes.setdefault(entity_id(label, name), Node(label, name))
        if surface != name:
            node.aliases = (*node.aliases, surface)
        surfaces.append((surface, label, node.id))
    taken = [False] * len(text)
    spans = []
    for surface, label, eid in surfaces if in_order else sorted(surfaces, key=lambda s: -len(s[0])):
        for m in re.finditer(re.escape(surface), text):
            if not any(taken[m.start() : m.end()]):
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                spans.append(Span(label, surface, m.start(), m.end(), eid, "case"))
    spans.sort(key=lambda s: s.start)
    sentences = [Sentence(m.group(), m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    return Analysis(article, sentences, spans, nodes)


def triples(analysis: Analysis, relations: list[Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    names = {eid: node.name for eid, node in analysis.entities.items()}
    return {(r.type.value, names[r.source_id], names[r.target_id]): r.properties for r in relations}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_relations_case(finder: RelationFinder, case: dict[str, Any]) -> None:
    analysis = analyse(case["text"], case["entities"], in_order=case.get("in_order", False))
    found = triples(analysis, finder(analysis))
    for rtype, source, target, *props in case["expect"]:
        key = (rtype, source, target)
        assert key in found, f"missing {key}; found {sorted(found)}"
        for name, value in (props[0] if props else {}).items():
            assert found[key].get(name) == value, f"{key} {name}: {found[key]}"
    if case.get("exact"):
        expected = {tuple(e[:3]) for e in case["expect"]}
        assert set(found) == expected, f"unexpected {sorted(set(found) - expected)}"


def test_relations_provenance_on_every_relation(finder: RelationFinder) -> None:
    rule_names = {p.name for p in finder.patterns.patterns} | {
        name for name, _ in finder.patterns.builtins.values()
    }
    seen_types = set()
    for case in CASES:
        analysis = analyse(case["text"], case["entities"])
        labels = {eid: node.label for eid, node in analysis.entities.items()}
        for relation in finder(analysis):
            seen_types.add(relation.type)
            validate_relation(relation, labels)  # endpoint labels and property names
            assert set(relation.properties) <= set(RELATION_SPECS[relation.type].properties)
            assert relation.evidence
            for ev in relation.evidence:
                assert ev.article_id == analysis.article.id
                assert ev.rule in rule_names
                assert 0.0 < ev.confidence <= 1.0
                assert 0 <= ev.start < ev.end <= len(analysis.article.text)
                assert ev.sentence in analysis.article.text
                # the evidence span lies inside its sentence
                sentence_at = analysis.article.text.find(ev.sentence)
                assert sentence_at <= ev.start and ev.end <= sentence_at + len(ev.sentence)
    mine = set(RelationType) - {
        RelationType.PART_OF,
        RelationType.LOCATED_IN,
        RelationType.MENTIONS,
        RelationType.REPORTED_BY,
    }
    assert seen_types == mine, f"types without a case: {sorted(mine - seen_types)}"


def test_relations_one_edge_per_triple_with_all_evidence(finder: RelationFinder) -> None:
    text = "由中国社会工作联合会指导,海南省社会工作联合会开展宣传。由中国社会工作联合会指导,海南省社会工作联合会开展培训。"
    analysis = analyse(
        text, [["Organisation", "中国社会工作联合会"], ["Organisation", "海南省社会工作联合会"]]
    )
    found = finder(analysis)
    assert len(found) == 1
    assert found[0].type == RelationType.GUIDED_BY
    # one piece of evidence per sentence, from the most confident rule (由…指导)
    assert [(ev.start, ev.rule) for ev in found[0].evidence] == [
        (0, "guided.you_zhidao"),
        (text.index("由", 2), "guided.you_zhidao"),
    ]


def test_relations_deterministic(finder: RelationFinder) -> None:
    case = next(c for c in CASES if c["id"] == "holds.department")
    first = finder(analyse(case["text"], case["entities"]))
    second = finder(analyse(case["text"], case["entities"]))
    assert [(r.id, r.properties, r.evidence) for r in first] == [
        (r.id, r.properties, r.evidence) for r in second
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "。。。!!",
        "<p>社会工作</p><br/>&nbsp;由指导",
        "Social work 社工 mixed ✓ 🙂 由  指导,",
        "由" * 5000,
    ],
)
def test_relations_no_entities_no_crash(finder: RelationFinder, text: str) -> None:
    assert finder(analyse(text, [])) == []


def _cpu_seconds(run: Callable[[], object]) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def test_relations_long_sentence_stays_linear(finder: RelationFinder) -> None:
    # organisations in one unpunctuated list, triggers present but never completed; the
    # list 4 times longer costs about 4 times as much (quadratic matching would be 16)
    def analysis_of(count: int) -> Analysis:
        orgs = [["Organisation", f"第{i}社会工作协会"] for i in range(count)]
        body = "、".join(o[1] for o in orgs)
        return analyse(f"{body}等单位领导指导由出席,{body}捐赠联合合作当选表示。", orgs)

    small, big = analysis_of(500), analysis_of(2000)
    one = _cpu_seconds(lambda: finder(small))
    four = _cpu_seconds(lambda: finder(big))
    assert four < 4 * one * 2.5 + 0.2, (one, four)


def test_relations_spans_outside_sentences_are_ignored(finder: RelationFinder) -> None:
    analysis = analyse(
        "由中国社会工作联合会指导,海南省社会工作联合会开展宣传。",
        [["Organisation", "中国社会工作联合会"], ["Organisation", "海南省社会工作联合会"]],
    )
    analysis.sentences = []
    assert finder(analysis) == []


# -- the data files -------------------------------------------------------------------

MACROS = read_tsv("relation_macros.tsv")
TITLES = read_tsv("relation_titles.tsv")
GOOD = {
    "name": "t",
    "regex": "(?P<a>{ORG})联合(?P<b>{ORG})",
    "emit": [{"type": "PARTNERED_WITH", "source": "a", "target": "b"}],
}


def test_relations_packaged_patterns_compile() -> None:
    patterns = load_patterns()
    assert len(patterns.patterns) >= 20
    assert "会长" in patterns.titles
    assert compile_patterns([GOOD], MACROS, TITLES).patterns[0].name == "t"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"regex": "(?P<a>{NOPE})"}, "unknown macro {NOPE}"),
        ({"regex": "(?P<a>{ORG}"}, "bad regular expression"),
        (
            {"emit": [{"type": "LIKES", "source": "a", "target": "b"}]},
            "unknown relation type 'LIKES'",
        ),
        ({"emit": [{"type": "MENTIONS", "source": "a", "target": "b"}]}, "unknown relation type"),
        ({"emit": [{"type": "PARTNERED_WITH", "source": "x", "target": "b"}]}, "endpoint 'x'"),
        (
            {
                "emit": [
                    {
                        "type": "PARTNERED_WITH",
                        "source": "a",
                        "target": "b",
                        "props": {"role": "=r"},
                    }
                ]
            },
            "reads group 'r'",
        ),
        (
            {
                "emit": [
                    {
                        "type": "PARTNERED_WITH",
                        "source": "a",
                        "target": "b",
                        "props": {"x": "=a|zz"},
                    }
                ]
            },
            "reads group 'zz'",
        ),
        ({"confidence": 1.5}, "confidence must be a number in [0, 1]"),
        ({"confidence": "high"}, "confidence must be"),
        ({"titled": ["z"]}, "group 'z' is not in the regex"),
        ({"name": ""}, "needs a name and a regex"),
        ({"triggers": "指导"}, "triggers must be a list of words"),
        ({"builtin": "magic"}, "built-in rule needs a name and one of"),
        (
            {
                "emit": [
                    {
                        "type": "PARTNERED_WITH",
                        "source": "a",
                        "target": "b",
                        "only": {"a": ["Thing"]},
                    }
                ]
            },
            "unknown label",
        ),
    ],
)
def test_relations_bad_pattern_named_in_error(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError) as err:
        compile_patterns([GOOD, {**GOOD, **change}], MACROS, TITLES, "my.jsonl")
    assert message in str(err.value)
    assert "my.jsonl pattern 2" in str(err.value)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("会长", "boss")], "unknown class 'boss'"),
        ([("会长",)], "expected title<TAB>class"),
        ([], "no titles"),
    ],
)
def test_relations_bad_titles_named_in_error(rows: list[tuple[str, ...]], message: str) -> None:
    with pytest.raises(SchemaError, match=re.escape(message)):
        compile_patterns([GOOD], MACROS, rows)


def test_relations_self_referencing_macro_rejected() -> None:
    with pytest.raises(SchemaError, match="nest too deeply"):
        compile_patterns([{**GOOD, "regex": "{LOOP}"}], [("LOOP", "a{LOOP}")], TITLES)


def test_relations_overlapping_and_unknown_spans(finder: RelationFinder) -> None:
    """Nested spans (a place inside an organisation) give way to the longer one; a span
    whose entity is missing from ``entities`` still takes part, under its surface."""
    text = "由中国社会工作联合会指导,海南省社会工作联合会开展宣传。"
    org_a = Span(Label.ORGANISATION, "中国社会工作联合会", 1, 10, "org-a", "t")
    nested = Span(Label.PLACE, "中国", 1, 3, "plc-cn", "t")
    org_b = Span(Label.ORGANISATION, "海南省社会工作联合会", 13, 23, "org-b", "t")
    overlapping = Span(Label.PLACE, "海南省社会", 13, 18, "plc-x", "t")
    article = Article(title="t", text=text, file="t")
    analysis = Analysis(
        article,
        [Sentence(text, 0, len(text))],
        [org_a, nested, org_b, overlapping],
        {"org-a": Node(Label.ORGANISATION, "中国社会工作联合会", id="org-a")},
    )
    found = finder(analysis)
    assert [(r.type, r.source_id, r.target_id) for r in found] == [
        (RelationType.GUIDED_BY, "org-b", "org-a")
    ]


def test_relations_long_article_stays_linear(finder: RelationFinder) -> None:
    # sentences, each an organisation, an event and a bare title looking back: the work
    # per sentence is bounded, so 4 times the sentences cost about 4 times as much
    def analysis_of(count: int) -> Analysis:
        parts, entities = [], []
        for i in range(count):
            org, event, person = f"第{i}社会工作协会", f"第{i}届社工论坛", f"张{i}号"
            parts.append(f"{org}举办了{event}。{person}会长出席并讲话。")
            entities += [["Organisation", org], ["Event", event], ["Person", person]]
        return analyse("".join(parts), entities)

    small, big = analysis_of(750), analysis_of(3000)
    one = _cpu_seconds(lambda: finder(small))
    found: list[object] = []
    four = _cpu_seconds(lambda: found.extend(finder(big)))
    assert four < 4 * one * 2.5 + 0.2, (one, four)
    assert len(found) == 3 * 3000  # ORGANISED_BY, HOLDS_POSITION, PARTICIPATED_IN each
