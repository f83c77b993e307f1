"""Write rate and read latency of the Bolt store (the tests' Neo4j 5 started here, or
NEO4J_URI) and of the embedded store, on the same synthetic graph.

    .venv/bin/python benchmarks/store.py             # 100k entities, 300k relations
    .venv/bin/python benchmarks/store.py --scale 0.1 # 10k / 30k
    .venv/bin/python benchmarks/store.py --only bolt

Entities are written in batches of ``--batch`` nodes, then relations in batches of
``--batch`` relations (each with one piece of evidence), each batch one ``upsert``
(one transaction). Reads: ``get`` by id and ``neighbours`` of random entities.
The target for the Bolt store is 20,000 relations/s written. Beside wall-clock rates the
relations are counted per CPU second (this process plus the Neo4j server), which stays
steadier when other work shares the machine, and the relation phase's time is split into
client CPU (building rows, packing Bolt messages), server CPU, and the rest (waiting:
round trips, disk, other processes).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.support starts the Bolt server

from shegong.graph import GraphStore, open_store  # noqa: E402
from shegong.schema import (  # noqa: E402
    Evidence,
    GraphBatch,
    Label,
    Node,
    Relation,
    RelationType,
    Settings,
)

from tests.support.bolt_server import server_from_env  # noqa: E402
from tests.support.neo4j_server import Neo4jServer  # noqa: E402

ENTITIES = 100_000
RELATIONS = 300_000
TARGET = 20_000  # relations/s over Bolt
READS = 1000

# (type, source labels, target labels) the generator draws from
SHAPES: list[tuple[RelationType, tuple[Label, ...], tuple[Label, ...]]] = [
    (RelationType.HOLDS_POSITION, (Label.PERSON,), (Label.ORGANISATION,)),
    (RelationType.PARTNERED_WITH, (Label.ORGANISATION,), (Label.ORGANISATION,)),
    (RelationType.GUIDED_BY, (Label.ORGANISATION,), (Label.ORGANISATION,)),
    (RelationType.LOCATED_IN, (Label.ORGANISATION,), (Label.PLACE,)),
    (RelationType.PARTICIPATED_IN, (Label.PERSON, Label.ORGANISATION), (Label.EVENT,)),
    (RelationType.ORGANISED_BY, (Label.EVENT,), (Label.ORGANISATION,)),
]
MIX = [(Label.ORGANISATION, 0.55), (Label.PERSON, 0.30), (Label.PLACE, 0.05), (Label.EVENT, 0.10)]


def make_graph(entities: int, relations: int, seed: int = 7) -> tuple[list[Node], list[Relation]]:
    """A deterministic synthetic graph with ``relations`` distinct relations."""
    rng = random.Random(seed)
    nodes: list[Node] = []
    by_label: dict[Label, list[str]] = {}
    for label, share in MIX:
        for i in range(max(1, int(entities * share))):
            node = Node(label, f"{label.value}{i}号", first_seen="2021-01-01")
            nodes.append(node)
            by_label.setdefault(label, []).append(node.id)
    rels: dict[str, Relation] = {}
    while len(rels) < relations:
        rtype, sources, targets = SHAPES[rng.randrange(len(SHAPES))]
        source = rng.choice(by_label[rng.choice(sources)])
        target = rng.choice(by_label[rng.choice(targets)])
        if source == target:
            continue
        art = f"art-{rng.randrange(10**6):06d}"
        ev = Evidence(art, "某某协会在某地成立", 0, 9, "bench", round(rng.random(), 2))
        rel = Relation(rtype, source, target, evidence=[ev])
        rels.setdefault(rel.id, rel)
    return nodes, list(rels.values())


T = TypeVar("T")


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by process ``pid`` (the Bolt server), 0 if unknown."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_load(
    store: GraphStore, nodes: list[Node], rels: list[Relation], batch: int, pid: int | None
) -> dict[str, float]:
    started = time.perf_counter()
    for node_part in chunks(nodes, batch):
        store.upsert(GraphBatch(nodes=node_part))
    node_time = time.perf_counter() - started
    # CPU seconds of this process and of the server: the machine may be shared, so the
    # rate per CPU second is the steadier number.
    client, server = time.process_time(), server_cpu(pid)
    started = time.perf_counter()
    for rel_part in chunks(rels, batch):
        store.upsert(GraphBatch(relations=rel_part))
    rel_time = time.perf_counter() - started
    client, server = time.process_time() - client, server_cpu(pid) - server
    return {
        "nodes/s": len(nodes) / node_time,
        "relations/s": len(rels) / rel_time,
        "relations/cpu-s": len(rels) / (client + server),
        "wall s": rel_time,
        "client cpu s": client,
        "server cpu s": server,
    }


def latency(call: Callable[[str], object], ids: list[str]) -> tuple[float, float]:
    """p50 and p99 in milliseconds of ``call(id)`` over ``ids``."""
    times = []
    for node_id in ids:
        started = time.perf_counter()
        call(node_id)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[98]


def run(
    name: str,
    store: GraphStore,
    nodes: list[Node],
    rels: list[Relation],
    batch: int,
    pid: int | None = None,
) -> dict[str, float]:
    print(f"{name}: writing {len(nodes):,} entities and {len(rels):,} relations ...", flush=True)
    result = timed_load(store, nodes, rels, batch, pid)
    assert store.count_nodes() == len(nodes), "entities missing after the load"
    sample = random.Random(3).sample([n.id for n in nodes], min(READS, len(nodes)))
    result["get p50"], result["get p99"] = latency(store.get, sample)
    result["neighbours p50"], result["neighbours p99"] = latency(store.neighbours, sample)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 100k/300k")
    parser.add_argument("--batch", type=int, default=10_000, help="rows per upsert")
    parser.add_argument("--only", choices=["bolt", "embedded"], default=None)
    parser.add_argument("--heap", default="2g", help="the test Neo4j's Java heap")
    args = parser.parse_args(argv)

    nodes, rels = make_graph(int(ENTITIES * args.scale), int(RELATIONS * args.scale))
    results: dict[str, dict[str, float]] = {}
    if args.only in (None, "embedded"):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(str(Path(tmp) / "bench.db"))
            try:
                results["embedded"] = run("embedded", store, nodes, rels, args.batch)
            finally:
                store.close()
    if args.only in (None, "bolt"):
        server = server_from_env()
        if isinstance(server, Neo4jServer):
            server.heap = args.heap
            server.start()
        else:
            server.clear()
        try:
            settings = Settings(
                neo4j_user=server.user,
                neo4j_password=server.password,
                neo4j_database=server.database,
            )
            store = open_store(server.uri, settings)
            try:
                pid = (
                    server.process.pid
                    if isinstance(server, Neo4jServer) and server.process
                    else None
                )
                results[f"bolt ({server.uri})"] = run("bolt", store, nodes, rels, args.batch, pid)
            finally:
                store.close()
        finally:
            server.remove()

    print(f"\n{len(nodes):,} entities, {len(rels):,} relations, batches of {args.batch:,}")
    header = [
        "store",
        "nodes/s",
        "relations/s",
        "relations/cpu-s",
        "get p50",
        "get p99",
        "neighbours p50",
        "neighbours p99",
    ]
    print(" | ".join(header))
    for name, r in results.items():
        print(
            f"{name} | {r['nodes/s']:,.0f} | {r['relations/s']:,.0f} | "
            f"{r['relations/cpu-s']:,.0f} | "
            f"{r['get p50']:.2f} ms | {r['get p99']:.2f} ms | "
            f"{r['neighbours p50']:.2f} ms | {r['neighbours p99']:.2f} ms"
        )
    print("\nrelation phase: wall s | client cpu s | server cpu s | waiting s")
    for name, r in results.items():
        waiting = max(0.0, r["wall s"] - r["client cpu s"] - r["server cpu s"])
        print(
            f"{name} | {r['wall s']:.1f} | {r['client cpu s']:.1f} | "
            f"{r['server cpu s']:.1f} | {waiting:.1f}"
        )
    bolt = [r for name, r in results.items() if name.startswith("bolt")]
    if bolt:
        rate = bolt[0]["relations/s"]
        verdict = "meets" if rate >= TARGET else "misses"
        print(f"Bolt write rate {rate:,.0f} relations/s {verdict} the {TARGET:,}/s target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
