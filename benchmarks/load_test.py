"""Overload: a mix of queries at many clients for a fixed time against ``shegong serve``.

    python benchmarks/load_test.py [--articles 20000] [--seconds 60] [--clients 32]

Builds a store of ``--articles`` varied real-shaped articles once (the sample corpus
rewritten by ``benchmarks/extraction.py``'s generator, loaded by the real pipeline) into
``benchmarks/.cache/`` (git-ignored; reused by later runs), starts the server in a
subprocess (uvicorn, loopback) and drives a mix of search, entity-with-relations and
2-hop neighbourhood queries from ``--clients`` httpx clients for ``--seconds``. Prints
requests, errors by kind, p50/p99 latency and the server's RSS at start and end beside
the targets: no 5xx but deliberate 503s, no timeouts for in-budget queries, RSS flat.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"

SEARCH = """query ($t: String!) { search(text: $t, first: 10) { totalCount
  edges { node { id name kind degree } } } }"""
ENTITY = """query ($id: ID!) { entity(id: $id) { id name kind degree
  relations(first: 10) { edges { node { id type confidence source { id name }
    target { id name } evidence(first: 3) { edges { node { sentence rule article { id title } } } } } } } } }"""
HOOD = """query ($id: ID!) { neighbourhood(id: $id, hops: 2, limit: 100) { truncated
  nodes { id name } edges { id type sourceId targetId } } }"""


def build_store(articles: int) -> Path:
    """The cached store of about ``articles`` articles (built on first use)."""
    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"load_test_{articles}.db"
    if db.exists():
        return db
    sys.path.insert(0, str(HERE))
    from extraction import build_corpus  # the varied-corpus generator
    from shegong.graph import open_store
    from shegong.loaders.pipeline import load_paths

    with tempfile.TemporaryDirectory() as tmp:
        # The sample's varied files hold about one article per 3 KB.
        build_corpus(REPO / "data" / "articles", articles * 3000, Path(tmp))
        partial = db.with_suffix(".partial")
        store = open_store(str(partial))
        try:
            started = time.perf_counter()
            report = load_paths(store, [tmp], workers=2)
            print(f"built {partial.name}: {report.articles_added} articles in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        finally:
            store.close()
        partial.rename(db)
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def drive(
    url: str, seconds: float, clients: int, ids: list[str], words: list[str]
) -> tuple[list[float], Counter[str]]:
    latencies: list[float] = []
    kinds: Counter[str] = Counter()
    end = time.monotonic() + seconds
    rng = random.Random(7)
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def one() -> None:
            while time.monotonic() < end:
                pick = rng.random()
                if pick < 0.4:
                    body = {"query": SEARCH, "variables": {"t": rng.choice(words)}}
                elif pick < 0.8:
                    body = {"query": ENTITY, "variables": {"id": rng.choice(ids)}}
                else:
                    body = {"query": HOOD, "variables": {"id": rng.choice(ids)}}
                started = time.monotonic()
                try:
                    response = await client.post("/graphql", json=body)
                except httpx.TimeoutException:
                    kinds["client timeout"] += 1
                    continue
                except httpx.HTTPError as e:
                    kinds[f"connection: {type(e).__name__}"] += 1
                    continue
                latencies.append(time.monotonic() - started)
                if response.status_code != 200:
                    kinds[f"HTTP {response.status_code}"] += 1
                    if response.status_code == 503:
                        await asyncio.sleep(float(response.headers.get("retry-after", "1")))
                    continue
                errors = response.json().get("errors")
                if errors:
                    kinds[errors[0].get("extensions", {}).get("code", "error")] += 1
                else:
                    kinds["ok"] += 1

        await asyncio.gather(*(one() for _ in range(clients)))
    return latencies, kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args(argv)

    db = build_store(args.articles)
    from shegong.graph import open_store
    from shegong.schema import Label

    store = open_store(str(db))
    rng = random.Random(7)
    orgs = store.nodes(Label.ORGANISATION)
    ids = [n.id for n in rng.sample(orgs, min(300, len(orgs)))]
    words = sorted({n.name[:3] for n in orgs})[:200] or ["社会"]
    articles = store.count_nodes(Label.ARTICLE)
    store.close()

    port = args.port or free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "shegong.loaders.cli", "--store", str(db), "serve",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"the server exited ({server.returncode}) before answering")
            try:
                health = httpx.get(f"{url}/health", timeout=2)
                if health.status_code == 200 and health.json()["store"] == str(db):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"no shegong server over {db} answered at {url}")
        start_rss = rss_mb(server.pid)
        samples: list[float] = []
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(args.seconds / 6):
                samples.append(rss_mb(server.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        latencies, kinds = asyncio.run(drive(url, args.seconds, args.clients, ids, words))
        sampling.set()
        end_rss = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)

    total = sum(kinds.values())
    five = sum(n for k, n in kinds.items() if k.startswith("HTTP 5") and k != "HTTP 503")
    timeouts = kinds.get("TIMEOUT", 0) + kinds.get("client timeout", 0)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = (
        statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 100 else float("nan")
    )
    print(f"store: {db.name}, {articles} articles; {args.clients} clients for {args.seconds:g} s")
    print(f"requests:        {total} ({total / args.seconds:.0f}/s)")
    for kind, n in sorted(kinds.items()):
        print(f"  {kind:<24} {n}")
    print(f"latency:         p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    print(f"server RSS:      {start_rss:.0f} MB at start, {end_rss:.0f} MB at end")
    print(
        f"  every {args.seconds / 6:g} s:       " + ", ".join(f"{m:.0f}" for m in samples) + " MB"
    )
    print("targets:")
    print(f"  5xx other than 503: {five} (target 0) {'ok' if five == 0 else 'MISSED'}")
    print(f"  timeouts:           {timeouts} (target 0) {'ok' if timeouts == 0 else 'MISSED'}")
    # Flat: over the second half of the run (caches filled: the reader connections'
    # page caches are bounded, sqlite_pool) RSS grows by at most 5%.
    half = samples[len(samples) // 2 - 1] if len(samples) >= 2 else start_rss
    flat = end_rss <= half * 1.05
    print(
        f"  RSS flat:           {half:.0f} MB at half time -> {end_rss:.0f} MB at end "
        f"(target +5% at most) {'ok' if flat else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
