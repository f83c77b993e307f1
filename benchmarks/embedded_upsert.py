"""Throughput of the embedded store: batched upserts of synthetic relations, then reads.

    python benchmarks/embedded_upsert.py [RELATIONS] [BATCH]

Prints relations/s for a first load, for re-loading the same batches (nothing changes),
and timings of a few reads on the loaded store.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from shegong.graph import open_store
from shegong.schema import Evidence, GraphBatch, Label, Node, Relation, RelationType


def batches(total: int, size: int, people: int, orgs: int) -> list[GraphBatch]:
    out = []
    person_ids = [Node(Label.PERSON, f"人员{i}").id for i in range(people)]
    org_ids = [Node(Label.ORGANISATION, f"社会工作机构{i}").id for i in range(orgs)]
    for start in range(0, total, size):
        rels = []
        for i in range(start, min(start + size, total)):
            rels.append(
                Relation(
                    RelationType.HOLDS_POSITION,
                    person_ids[i % people],
                    org_ids[(i // people + i * 7) % orgs],
                    {"title": "理事"},
                    [
                        Evidence(
                            f"art-{i % 5000:016x}",
                            "某人任某机构理事",
                            i % 97,
                            i % 97 + 8,
                            "title",
                            0.8,
                        )
                    ],
                )
            )
        out.append(GraphBatch(relations=rels))
    return out


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    people, orgs = max(total // 10, 1), max(total // 20, 1)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        nodes = [Node(Label.PERSON, f"人员{i}") for i in range(people)]
        nodes += [
            Node(Label.ORGANISATION, f"社会工作机构{i}", kind="association") for i in range(orgs)
        ]
        t = time.perf_counter()
        for i in range(0, len(nodes), size):
            store.upsert(GraphBatch(nodes=nodes[i : i + size]))
        print(f"nodes: {len(nodes)} in {time.perf_counter() - t:.2f}s")
        work = batches(total, size, people, orgs)
        # The same (type, source, target) can repeat: count distinct relations actually added.
        t = time.perf_counter()
        added = 0
        for b in work:
            result = store.upsert(b)
            added += result.relations_added
        first = time.perf_counter() - t
        print(
            f"first load: {total} relations ({added} distinct) in {first:.2f}s = {total / first:,.0f} relations/s"
        )
        t = time.perf_counter()
        changed = 0
        for b in work:
            r = store.upsert(b)
            changed += r.relations_added + r.relations_updated
        again = time.perf_counter() - t
        print(f"reload (unchanged={changed == 0}): {again:.2f}s = {total / again:,.0f} relations/s")
        for name, call in [
            ("stats", lambda: store.stats()),
            ("search 机构12", lambda: store.search("社会工作机构12")),
            ("neighbours", lambda: store.neighbours(nodes[0].id)),
            ("degree x1000", lambda: store.degree([n.id for n in nodes[:1000]])),
            ("path", lambda: store.path(nodes[0].id, nodes[-1].id)),
            ("relations page", lambda: store.relations(limit=100, offset=1000)),
        ]:
            t = time.perf_counter()
            call()
            print(f"{name}: {1000 * (time.perf_counter() - t):.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
