"""Latency and throughput of the GraphQL API on a large embedded store.

    python benchmarks/api.py [--relations 1000000] [--seconds 5] [--clients 1,8,32]
        [--queries entity,search,...] [--memory-seconds 60]

Generates a graph (>= 1M relations by default, batched upserts) in an embedded store
in a temporary directory, starts the server (uvicorn, in a subprocess, loopback only)
and drives six queries -- an entity with its relations and their evidence, a name
search, a 2-hop neighbourhood, a filtered list (place hierarchy, names, degree), a sorted list
and an aggregate (of a district, and of a province) -- at 1, 8 and 32 concurrent clients
(httpx), each for a bounded time and number of requests (target for the filtered, sorted
and aggregated ones: p50 <= 50 ms at 1 client). Beside each GraphQL query runs a bare
Starlette endpoint making the same store calls and returning the same JSON, so the
cost of the GraphQL layer shows. Prints p50/p99 latency, requests/s and the server's
CPU time per request (its processes together, user + system, from /proc) per cell, with
the server in one and then two uvicorn processes (``--server-workers``), and the issue's
targets for the entity query: >= 0.6 of the bare endpoint's throughput at 1 and 8
clients, p99 at 32 clients <= 1.5 x the bare endpoint's.

Memory: the server's RSS (its processes together, read from /proc) is sampled while
every cell runs and printed per server process count, the peak over the 32-client cells
beside the 1 GiB target; then ``shegong serve`` itself (the command, one process) serves
32 clients for ``--memory-seconds`` (60 by default) sending a mix of the six GraphQL
queries, and its peak and last RSS are printed beside the same target.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from shegong.graph import GraphStore, open_store
from shegong.graph.query import AllOf, Compare, Filter, GroupBy, NodeQuery, Op, OrderKey, Within
from shegong.schema import (
    ENTITY_LABELS,
    Evidence,
    GraphBatch,
    Label,
    Node,
    Relation,
    RelationType,
)

BATCH = 20_000
#: The server's RSS target (issue 11): under 1 GiB through 60 s at 32 clients.
RSS_TARGET = 1024**3

ENTITY_QUERY = """query ($id: ID!) { entity(id: $id) { id name kind degree
  relations(first: 10) { edges { node { id type confidence
    source { id name } target { id name }
    evidenceCount evidence(first: 5) { nodes { sentence start end rule article { id title } } }
  } } } } }"""
SEARCH_QUERY = """query ($text: String!) { search(text: $text, first: 10) {
  totalCount edges { node { id name kind degree } } } }"""
HOOD_QUERY = """query ($id: ID!) { neighbourhood(id: $id, hops: 2, limit: 100) {
  nodes { id name } edges { id type sourceId targetId } } }"""
# A where over a place hierarchy (a district: what is LOCATED_IN it), names and degree;
# all service centres (100k) sorted by name, descending; a place's organisations counted
# and grouped by kind (a district, and a province: everything in its 250 districts).
FILTER_QUERY = """query ($place: ID!) { organisations(first: 20, where: {place: $place,
  names: {contains: "服务中心"}, degree: {gte: 4}}) { edges { node { id name } } } }"""
SORT_QUERY = """query ($kind: String!) { organisations(first: 20, where: {kind: {eq: $kind}},
  orderBy: [{field: NAME, direction: DESC}]) { edges { node { id name } } } }"""
AGGREGATE_QUERY = """query ($place: ID!) { organisations(where: {place: $place}) {
  aggregate { count groups(by: KIND) { key count } } } }"""


# -- the graph ---------------------------------------------------------------------------
def build_graph(store: GraphStore, relations: int, seed: int = 7) -> dict[str, list[str]]:
    """Write a synthetic sector graph with about ``relations`` relations; return sample ids."""
    rng = random.Random(seed)
    n_org = max(relations // 10, 50)
    n_per = max(relations // 20, 20)
    n_evt = max(relations // 50, 10)
    n_pol = max(relations // 500, 5)
    n_art = max(relations // 50, 10)
    places = [
        Node(Label.PLACE, f"第{i}区", kind="district", properties={"level": "district"})
        for i in range(max(relations // 400, 10))
    ]
    # Ten provinces, each holding a tenth of the districts: a place hierarchy to filter on.
    provinces = [
        Node(Label.PLACE, f"第{i}省", kind="province", properties={"level": "province"})
        for i in range(10)
    ]
    orgs = [Node(Label.ORGANISATION, f"社会工作服务中心{i}", kind="service") for i in range(n_org)]
    people = [Node(Label.PERSON, f"社工{i}") for i in range(n_per)]
    events = [
        Node(Label.EVENT, f"志愿服务活动{i}", kind="campaign", properties={"date": "2023-05-01"})
        for i in range(n_evt)
    ]
    policies = [Node(Label.POLICY, f"社会工作政策{i}", kind="document") for i in range(n_pol)]
    articles = [
        Node(
            Label.ARTICLE,
            f"新闻{i}",
            properties={
                "title": f"新闻{i}",
                "text": "某机构在某地开展服务。" * 5,
                "date": "2023-05-01",
            },
        )
        for i in range(n_art)
    ]
    nodes = provinces + places + orgs + people + events + policies + articles
    for i in range(0, len(nodes), BATCH):
        store.upsert(GraphBatch(nodes=nodes[i : i + BATCH]))

    def skewed(pool: list[Node]) -> Node:
        # A few hubs, many leaves: like the real sector (ministries, federations).
        return (
            pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)]
            if rng.random() < 0.2
            else rng.choice(pool)
        )

    kinds: list[tuple[RelationType, list[Node], list[Node], dict[str, Any]]] = [
        (RelationType.GUIDED_BY, orgs, orgs, {}),
        (RelationType.HOLDS_POSITION, people, orgs, {"title": "理事"}),
        (RelationType.LOCATED_IN, orgs, places, {}),
        (RelationType.ORGANISED_BY, events, orgs, {"role": "主办"}),
        (RelationType.PARTICIPATED_IN, people, events, {"role": "参加"}),
        (RelationType.PARTNERED_WITH, orgs, orgs, {}),
        (RelationType.ISSUED_BY, policies, orgs, {}),
        (RelationType.HELD_IN, events, places, {}),
        (RelationType.MENTIONS, articles, orgs, {"count": 1}),
    ]
    batch = [
        Relation(RelationType.LOCATED_IN, place.id, provinces[i % len(provinces)].id)
        for i, place in enumerate(places)
    ]
    written = len(batch)
    seen: set[str] = {rel.id for rel in batch}
    while written < relations:
        rtype, sources, targets, props = kinds[written % len(kinds)]
        source, target = rng.choice(sources), skewed(targets)
        rel = Relation(rtype, source.id, target.id, dict(props))
        if rel.id in seen or source.id == target.id:
            continue
        seen.add(rel.id)
        art = rng.choice(articles)
        start = rng.randrange(0, 40)
        rel.evidence.append(
            Evidence(
                art.id,
                "某机构在某地开展服务。",
                start,
                start + 6,
                f"bench.{rtype.value.lower()}",
                0.8,
            )
        )
        batch.append(rel)
        written += 1
        if len(batch) == BATCH:
            store.upsert(GraphBatch(relations=batch))
            batch = []
    if batch:
        store.upsert(GraphBatch(relations=batch))
    return {
        "entity": [o.id for o in rng.sample(orgs, min(200, len(orgs)))],
        "search": [f"服务中心{rng.randrange(10, 100)}" for _ in range(50)],
        "district": [p.id for p in rng.sample(places, min(50, len(places)))],
        "province": [p.id for p in provinces],
    }


def sample_ids(store: GraphStore, seed: int = 7) -> dict[str, list[str]]:
    """Sample ids from a store built earlier by ``build_graph``."""
    rng = random.Random(seed)
    orgs = store.nodes(Label.ORGANISATION)
    places = store.nodes(Label.PLACE)
    districts = [p for p in places if p.kind == "district"]
    return {
        "entity": [o.id for o in rng.sample(orgs, min(200, len(orgs)))],
        "search": [f"服务中心{rng.randrange(10, 100)}" for _ in range(50)],
        "district": [p.id for p in rng.sample(districts, min(50, len(districts)))],
        "province": [p.id for p in places if p.kind == "province"],
    }


# -- the server (run in a subprocess: python benchmarks/api.py --serve DB PORT WORKERS) ------
BENCH_DB = "SHEGONG_BENCH_DB"


def serve(db: str, port: int, workers: int = 1) -> None:
    """The API with the bare endpoints on ``port``, in ``workers`` uvicorn processes."""
    import uvicorn
    from shegong.gql.server import HTTP_PROTOCOL  # as shegong serve runs (TCP_NODELAY)

    if workers == 1:
        app: Any = bench_app(db)
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            http=HTTP_PROTOCOL,
        )
        return
    os.environ[BENCH_DB] = db
    uvicorn.run(
        "api:bench_app",
        factory=True,
        app_dir=str(Path(__file__).resolve().parent),
        workers=workers,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        http=HTTP_PROTOCOL,
    )


def bench_app(db: str | None = None) -> Any:
    """The GraphQL app over ``db`` (default: $SHEGONG_BENCH_DB) plus /bare/{kind}."""
    from shegong.gql import ApiSettings, create_app
    from shegong.gql.server import tune_gc
    from shegong.gql.types_nodes import DEFAULT_TYPES
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    store = open_store(db or os.environ[BENCH_DB])
    app = create_app(store, ApiSettings())

    def entity(node_id: str) -> dict[str, Any]:
        node = store.get_many([node_id]).get(node_id)
        if node is None:
            return {"entity": None}
        degree = store.degree([node_id])[node_id]
        pairs = store.neighbours(node_id, DEFAULT_TYPES, "both", 11)[:10]
        pages = store.evidence([rel.id for rel, _ in pairs], 6, 0)
        arts = store.get_many(sorted({ev.article_id for page in pages.values() for ev in page}))
        names = {node.id: node.name, **{o.id: o.name for _, o in pairs}}
        edges = [
            {
                "node": {
                    "id": rel.id,
                    "type": rel.type.value,
                    "confidence": rel.confidence,
                    "source": {"id": rel.source_id, "name": names[rel.source_id]},
                    "target": {"id": rel.target_id, "name": names[rel.target_id]},
                    "evidenceCount": rel.evidence_count,
                    "evidence": {
                        "nodes": [
                            {
                                "sentence": ev.sentence,
                                "start": ev.start,
                                "end": ev.end,
                                "rule": ev.rule,
                                "article": {"id": ev.article_id, "title": arts[ev.article_id].name}
                                if ev.article_id in arts
                                else None,
                            }
                            for ev in pages[rel.id][:5]
                        ]
                    },
                }
            }
            for rel, _ in pairs
        ]
        return {
            "entity": {
                "id": node.id,
                "name": node.name,
                "kind": node.kind,
                "degree": degree,
                "relations": {"edges": edges},
            }
        }

    def search(text: str) -> dict[str, Any]:
        labels = list(ENTITY_LABELS)
        found = store.search(text, labels, 11, 0)[:10]
        total = store.count_search(text, labels)
        degrees = store.degree([n.id for n in found])
        return {
            "search": {
                "totalCount": total,
                "edges": [
                    {"node": {"id": n.id, "name": n.name, "kind": n.kind, "degree": degrees[n.id]}}
                    for n in found
                ],
            }
        }

    def hood(node_id: str) -> dict[str, Any]:
        center = store.get_many([node_id])[node_id]
        seen = {center.id: center}
        order, edges, frontier = [center.id], {}, [center.id]
        for _ in range(2):
            found: dict[str, Node] = {}
            around = store.neighbours_many(frontier, DEFAULT_TYPES, "both", 101)
            for nid in frontier:
                for rel, other in around[nid]:
                    if other.id not in seen and other.id not in found:
                        if len(seen) + len(found) >= 100:
                            continue
                        found[other.id] = other
                    edges[rel.id] = rel
            frontier = sorted(found)
            seen.update(found)
            order += frontier
        kept = [
            edges[k]
            for k in sorted(edges)
            if edges[k].source_id in seen and edges[k].target_id in seen
        ]
        return {
            "neighbourhood": {
                "nodes": [{"id": i, "name": seen[i].name} for i in order],
                "edges": [
                    {
                        "id": r.id,
                        "type": r.type.value,
                        "sourceId": r.source_id,
                        "targetId": r.target_id,
                    }
                    for r in kept
                ],
            }
        }

    def organisations(where: Filter, order: tuple[OrderKey, ...] = ()) -> dict[str, Any]:
        found = store.find_nodes(NodeQuery(Label.ORGANISATION, where, order), 21, 0)[:20]
        edges = [{"node": {"id": n.id, "name": n.name}} for n in found]
        return {"organisations": {"edges": edges}}

    def filtered(place: str) -> dict[str, Any]:
        where = AllOf(
            (
                Within(place),
                Compare("names", Op.CONTAINS, "服务中心"),
                Compare("degree", Op.GTE, 4),
            )
        )
        return organisations(where)

    def ordered(kind: str) -> dict[str, Any]:
        return organisations(Compare("kind", Op.EQ, kind), (OrderKey("name", True),))

    def aggregated(place: str) -> dict[str, Any]:
        query = NodeQuery(Label.ORGANISATION, Within(place))
        groups = [{"key": g.key, "count": g.count} for g in store.group(query, GroupBy.KIND)]
        aggregate = {"count": store.count(query), "groups": groups}
        return {"organisations": {"aggregate": aggregate}}

    async def bare(request: Request) -> JSONResponse:
        kind = request.path_params["kind"]
        arg = request.query_params["arg"]
        fn = {
            "entity": entity,
            "search": search,
            "neighbourhood": hood,
            "filtered": filtered,
            "sorted": ordered,
            "aggregated": aggregated,
        }[kind]
        return JSONResponse({"data": await run_in_threadpool(fn, arg)})

    app.router.routes.append(Route("/bare/{kind}", bare))
    tune_gc()  # as shegong serve does: the process serves both endpoints
    return app


# -- the driver ---------------------------------------------------------------------------
async def drive(
    url: str, make: Any, clients: int, seconds: float, max_requests: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def worker(i: int) -> None:
            nonlocal errors
            rng = random.Random(i)
            done = 0
            # Each client makes one request at least, however loaded the machine is.
            while not done or (time.perf_counter() < deadline and len(latencies) < max_requests):
                done += 1
                method, path, kwargs = make(rng)
                t = time.perf_counter()
                response = await client.request(method, path, **kwargs)
                elapsed = time.perf_counter() - t
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    errors += 1
                latencies.append(elapsed)

        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(worker(i) for i in range(clients)))
        wall = time.perf_counter() - started
    latencies.append(wall)  # last item: wall time
    return latencies, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per cell (default 5)")
    parser.add_argument("--max-requests", type=int, default=5000, help="per cell (default 5000)")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument(
        "--db", help="keep the generated store in this file, and reuse it when it exists"
    )
    parser.add_argument(
        "--server-workers", default="1,2", help="uvicorn processes to measure (default 1,2)"
    )
    parser.add_argument(
        "--queries",
        default=",".join(QUERY_KEYS),
        help=f"which queries to measure (default all: {','.join(QUERY_KEYS)})",
    )
    parser.add_argument(
        "--memory-seconds",
        type=float,
        default=60.0,
        help="seconds of the 32-client run of `shegong serve` sampling its RSS (0: skip)",
    )
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), int(args.serve[2]))
        return 0
    clients = [int(c) for c in args.clients.split(",")]
    queries = [q.strip() for q in args.queries.split(",") if q.strip()]
    unknown = sorted(set(queries) - set(QUERY_KEYS))
    if unknown:
        parser.error(f"unknown --queries {', '.join(unknown)}; choose from {', '.join(QUERY_KEYS)}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        reuse = Path(db).exists()
        store = open_store(db)
        t = time.perf_counter()
        samples = sample_ids(store) if reuse else build_graph(store, args.relations)
        stats = store.stats(top=1)
        store.close()
        how = "reused" if reuse else f"built in {time.perf_counter() - t:.0f} s"
        print(f"graph: {stats.nodes:,} nodes, {stats.relations:,} relations ({how})")
        cells: list[Cell] = []
        memory: list[str] = []
        for workers in (int(w) for w in args.server_workers.split(",")):
            with running(db, workers) as (url, rss):
                cells += run_cells(
                    url, samples, clients, args.seconds, args.max_requests, workers, queries, rss
                )
            memory.append(rss_line(f"{workers} server process(es), benchmark cells", rss))
        verdicts(cells)
        for line in memory:
            print(line)
        if args.memory_seconds > 0:
            print(memory_run(db, samples, args.memory_seconds))
    return 0


# -- memory ---------------------------------------------------------------------------
def _tree(pid: int) -> Iterator[int]:
    """``pid`` and its descendants (uvicorn's workers) that are still running."""
    todo = [pid]
    while todo:
        current = todo.pop()
        yield current
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text(encoding="ascii").split()
                todo.extend(int(c) for c in children)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants."""
    ticks = 0
    for current in _tree(pid):
        try:
            with open(f"/proc/{current}/stat", encoding="ascii") as f:
                # the fields after the command name, which is in parentheses
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended since
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_rss(pid: int) -> int:
    """Bytes resident in process ``pid`` and its descendants (uvicorn's workers)."""
    total = 0
    for current in _tree(pid):
        # (it may have ended since)
        with (
            contextlib.suppress(FileNotFoundError, ProcessLookupError),
            open(f"/proc/{current}/status", encoding="ascii") as f,
        ):
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class RssSampler:
    """Samples a process tree's RSS every ``interval`` seconds in a thread; ``mark``
    names the phase the samples that follow belong to."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.phase = "start"
        self.samples: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((self.phase, tree_rss(self.pid)))
            self._stop.wait(self.interval)

    def mark(self, phase: str) -> None:
        self.phase = phase

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, phase: str | None = None) -> int:
        return max((b for p, b in self.samples if phase is None or p == phase), default=0)


def rss_line(what: str, rss: RssSampler) -> str:
    peak32, peak = rss.peak("32 clients"), rss.peak()
    if peak32:
        verdict = "ok" if peak32 < RSS_TARGET else "NO"
        at32 = (
            f"peak {peak32 / 2**20:.0f} MB during the 32-client cells "
            f"(target < {RSS_TARGET / 2**20:.0f} MB) {verdict}"
        )
    else:
        at32 = "no 32-client cell ran"
    return (
        f"server RSS, {what}: {at32}; peak over all cells {peak / 2**20:.0f} MB, "
        f"at the end {rss.samples[-1][1] / 2**20:.0f} MB"
    )


def memory_run(db: str, samples: dict[str, list[str]], seconds: float) -> str:
    """32 clients for ``seconds`` against ``shegong serve`` itself, sampling its RSS."""
    cli = [sys.executable, "-m", "shegong.loaders.cli", "--store", db, "serve"]
    with running(db, 1, cli) as (url, rss):
        rss.mark("32 clients")
        lat, failed = asyncio.run(drive(url, mixed(samples), 32, seconds, 10**9))
    wall = lat.pop()
    started = rss.samples[0][1]
    trace = [b for p, b in rss.samples if p == "32 clients"]
    every = max(1, len(trace) // 6)
    steps = ", ".join(f"{b / 2**20:.0f}" for b in trace[::every])
    peak = max(trace, default=0)
    verdict = "ok" if peak < RSS_TARGET else "NO"
    return (
        f"memory run of shegong serve, 32 clients for {wall:.0f} s (mixed GraphQL queries): {len(lat)} "
        f"requests, {failed} failed; RSS {started / 2**20:.0f} MB at start, peak "
        f"{peak / 2**20:.0f} MB (target < {RSS_TARGET / 2**20:.0f} MB) {verdict}, "
        f"{trace[-1] / 2**20 if trace else 0:.0f} MB at the end; along the run: {steps} MB"
    )


def mixed(samples: dict[str, list[str]]) -> Any:
    """Requests cycling through the six GraphQL queries with random arguments."""
    ids, texts = samples["entity"], samples["search"]
    asks = [
        (ENTITY_QUERY, "id", ids),
        (SEARCH_QUERY, "text", texts),
        (HOOD_QUERY, "id", ids),
        (FILTER_QUERY, "place", samples["district"]),
        (SORT_QUERY, "kind", ["service"]),
        (AGGREGATE_QUERY, "place", samples["district"]),
    ]

    def make(rng: random.Random) -> tuple[str, str, dict[str, Any]]:
        query, key, pool = rng.choice(asks)
        return "POST", "/graphql", {"json": {"query": query, "variables": {key: rng.choice(pool)}}}

    return make


@contextlib.contextmanager
def running(
    db: str, workers: int, command: list[str] | None = None
) -> Iterator[tuple[str, RssSampler]]:
    """The benchmark server over ``db`` in ``workers`` processes (or ``command`` with
    ``--port``), on a free port, with a sampler of its RSS."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = (
        [*command, "--port", str(port)]
        if command
        else [sys.executable, __file__, "--serve", db, str(port), str(workers)]
    )
    # the server's log, shown if it does not start
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(argv, env={**os.environ}, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                log.seek(0)
                raise SystemExit(f"the server did not start: {log.read()[-2000:]}")
            rss = RssSampler(server.pid)
            try:
                yield url, rss
            finally:
                rss.stop()
        finally:
            server.terminate()
            server.wait(timeout=30)


@dataclass(frozen=True)
class Cell:
    """One measured cell: a query, server processes, clients, an endpoint."""

    query: str
    workers: int
    clients: int
    endpoint: str
    p50: float
    p99: float
    rate: float
    errors: int


def verdicts(cells: list[Cell]) -> None:
    """The issue's targets for the entity query, per server process count."""
    by = {(c.query, c.workers, c.clients, c.endpoint): c for c in cells}
    for (query, workers, n, endpoint), cell in sorted(by.items()):
        if query != ENTITY or endpoint != "graphql":
            continue
        bare = by[(query, workers, n, "bare")]
        ratio = cell.rate / bare.rate
        text = f"entity query, {workers} server process(es), {n} clients: graphql/bare"
        if n in (1, 8):
            print(
                f"{text} throughput {ratio:.2f} (target >= 0.60) {'ok' if ratio >= 0.6 else 'NO'}"
            )
        if n == 32:
            p99 = cell.p99 / bare.p99
            print(f"{text} p99 {p99:.2f}x (target <= 1.50x) {'ok' if p99 <= 1.5 else 'NO'}")


ENTITY = "entity+relations+evidence"
#: --queries names, in the order of the cases in ``run_cells``.
QUERY_KEYS = ("entity", "search", "neighbourhood", "where", "orderby", "district", "province")


def run_cells(
    url: str,
    samples: dict[str, list[str]],
    clients: list[int],
    seconds: float,
    max_requests: int,
    workers: int,
    queries: list[str],
    rss: RssSampler,
) -> list[Cell]:
    ids, texts = samples["entity"], samples["search"]
    districts, provinces = samples["district"], samples["province"]

    def gql(query: str, key: str, pool: list[str]) -> Any:
        return lambda rng: (
            "POST",
            "/graphql",
            {"json": {"query": query, "variables": {key: rng.choice(pool)}}},
        )

    def bare(kind: str, pool: list[str]) -> Any:
        return lambda rng: ("GET", f"/bare/{kind}", {"params": {"arg": rng.choice(pool)}})

    cases = [
        (ENTITY, gql(ENTITY_QUERY, "id", ids), bare("entity", ids)),
        ("search", gql(SEARCH_QUERY, "text", texts), bare("search", texts)),
        ("2-hop neighbourhood", gql(HOOD_QUERY, "id", ids), bare("neighbourhood", ids)),
        (
            "where: place+names+degree",
            gql(FILTER_QUERY, "place", districts),
            bare("filtered", districts),
        ),
        (
            "orderBy name desc (100k)",
            gql(SORT_QUERY, "kind", ["service"]),
            bare("sorted", ["service"]),
        ),
        (
            "aggregate of a district",
            gql(AGGREGATE_QUERY, "place", districts),
            bare("aggregated", districts),
        ),
        (
            "aggregate of a province",
            gql(AGGREGATE_QUERY, "place", provinces),
            bare("aggregated", provinces),
        ),
    ]
    cases = [case for key, case in zip(QUERY_KEYS, cases, strict=True) if key in queries]
    print(
        f"{'query':<27} {'procs':>5} {'clients':>7} {'endpoint':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'req/s':>8} {'ratio':>6} {'cpu ms/req':>10}"
    )
    cells = []
    for name, make_gql, make_bare in cases:
        for n in clients:
            rss.mark(f"{n} clients")
            rates = {}
            for label, make in (("graphql", make_gql), ("bare", make_bare)):
                cpu = tree_cpu(rss.pid)
                lat, errors = asyncio.run(drive(url, make, n, seconds, max_requests))
                cpu = tree_cpu(rss.pid) - cpu
                wall = lat.pop()
                rates[label] = len(lat) / wall
                ratio = f"{rates['graphql'] / rates['bare']:.0%}" if label == "bare" else ""
                flag = f"  ({errors} errors)" if errors else ""
                p50, p99 = statistics.median(lat), percentile(lat, 0.99)
                cells.append(Cell(name, workers, n, label, p50, p99, rates[label], errors))
                print(
                    f"{name:<27} {workers:>5} {n:>7} {label:>8} {1000 * p50:>8.1f} "
                    f"{1000 * p99:>8.1f} {rates[label]:>8.0f} {ratio:>6} "
                    f"{1000 * cpu / len(lat):>10.2f}{flag}",
                    flush=True,
                )
    return cells


if __name__ == "__main__":
    sys.exit(main())
