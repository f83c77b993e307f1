"""RelationFinder scored against the annotated articles of ../shared/gold with ORACLE
mentions: the gold entities' names and aliases found in the corpus text stand in for the
mention finder, so this measures the relation patterns alone.

Run as a script for the per-type report: ``python tests/loaders/test_relations_oracle.py``.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from shegong.loaders.extract.relations import RelationFinder
from shegong.loaders.extract.types import Analysis, Sentence, Span
from shegong.loaders.ingest import ingest_file
from shegong.schema import Article, Label, Node, entity_id

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "gold").is_dir()),
    ROOT.parent / "shared",
)
#: Types the relation finder makes (PART_OF, LOCATED_IN, ABOUT are the mention side's or unscored).
SCORED = (
    "GUIDED_BY",
    "DONATED_TO",
    "ELECTED_PRESIDENT",
    "ELECTED_TO",
    "HOLDS_POSITION",
    "ORGANISED_BY",
    "HELD_IN",
    "ISSUED_BY",
    "PARTICIPATED_IN",
    "FOUNDED_AT",
    "PARTNERED_WITH",
)
_SENTENCE_END = re.compile(r"[^。!?!?;;\n]+[。!?!?;;]*")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences cut at 。!?; and line breaks (as a mention finder would)."""
    return [
        Sentence(m.group(), m.start(), m.end())
        for m in _SENTENCE_END.finditer(text)
        if m.group().strip()
    ]


def oracle_analysis(article: Article, entities: list[dict]) -> Analysis:
    """An Analysis whose spans are every occurrence of a gold entity's name or alias."""
    nodes: dict[str, Node] = {}
    names: list[tuple[str, Label, str]] = []
    for ent in entities:
        label = Label(ent["type"])
        eid = entity_id(label, ent["name"])
        nodes[eid] = Node(label, ent["name"], tuple(ent.get("aliases", ())), id=eid)
        for surface in (ent["name"], *ent.get("aliases", ())):
            names.append((surface, label, eid))
    names.sort(key=lambda n: -len(n[0]))
    text = article.text
    taken = [False] * len(text)
    spans: list[Span] = []
    for surface, label, eid in names:
        for m in re.finditer(re.escape(surface), text):
            if any(taken[m.start() : m.end()]):
                continue
            for k in range(m.start(), m.end()):
                taken[k] = True
            spans.append(Span(label, surface, m.start(), m.end(), eid, "oracle"))
    spans.sort(key=lambda s: (s.start, -s.end))
    used = {s.entity_id for s in spans}
    return Analysis(
        article, split_sentences(text), spans, {k: v for k, v in nodes.items() if k in used}
    )


def gold_articles(gold: dict) -> list[Article]:
    """The articles of the gold file's corpus file, as ingest cuts and normalises them."""
    return ingest_file(str(SHARED / "corpus" / gold["file"]))


def gold_triples(gold: dict) -> set[tuple[str, str, str]]:
    labels = {e["name"]: Label(e["type"]) for e in gold["entities"]}
    return {
        (
            r["type"],
            entity_id(labels[r["source"]], r["source"]),
            entity_id(labels[r["target"]], r["target"]),
        )
        for r in gold["relations"]
        if r["type"] in SCORED
    }


def run(
    finder: RelationFinder,
) -> tuple[dict[str, Counter[str]], list[tuple[str, ...]], float, int]:
    """Per-type tp/fp/fn counts, the differences, seconds spent and characters read."""
    counts: dict[str, Counter[str]] = {t: Counter() for t in SCORED}
    diffs: list[tuple[str, ...]] = []
    seconds = 0.0
    chars = 0
    for path in sorted((SHARED / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        names = {entity_id(Label(e["type"]), e["name"]): e["name"] for e in gold["entities"]}
        predicted: set[tuple[str, str, str]] = set()
        for article in gold_articles(gold):
            analysis = oracle_analysis(article, gold["entities"])
            t0 = time.perf_counter()
            found = finder(analysis)
            seconds += time.perf_counter() - t0
            chars += len(article.text)
            predicted |= {(r.type.value, r.source_id, r.target_id) for r in found}
        expected = gold_triples(gold)
        for triple in predicted | expected:
            rtype = triple[0]
            if rtype not in counts:
                continue
            verdict = (
                "tp"
                if triple in predicted and triple in expected
                else ("fp" if triple in predicted else "fn")
            )
            counts[rtype][verdict] += 1
            if verdict != "tp":
                diffs.append(
                    (
                        verdict,
                        path.name[:3],
                        rtype,
                        names.get(triple[1], triple[1]),
                        names.get(triple[2], triple[2]),
                    )
                )
    return counts, sorted(diffs), seconds, chars


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


pytestmark = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="no ../shared/gold here")


def test_relations_oracle_f1_meets_the_bar() -> None:
    counts, diffs, _, _ = run(RelationFinder())
    total = sum(counts.values(), Counter())
    p, r, f1 = prf(total)
    assert f1 >= 0.85, f"oracle relation F1 {f1:.3f} (P {p:.3f} R {r:.3f}); misses: {diffs}"


if __name__ == "__main__":
    counts, diffs, seconds, chars = run(RelationFinder())
    print(f"{'type':18} {'P':>6} {'R':>6} {'F1':>6}  tp fp fn")
    for rtype in SCORED:
        c = counts[rtype]
        if sum(c.values()):
            p, r, f = prf(c)
            print(f"{rtype:18} {p:6.3f} {r:6.3f} {f:6.3f}  {c['tp']:2} {c['fp']:2} {c['fn']:2}")
    total = sum(counts.values(), Counter())
    p, r, f = prf(total)
    print(f"{'ALL':18} {p:6.3f} {r:6.3f} {f:6.3f}  {total['tp']:2} {total['fp']:2} {total['fn']:2}")
    print(f"{chars / 1000 / seconds:.0f} KB/s (characters) over {chars} characters")
    for d in diffs:
        print(*d)
