"""Near-duplicate check speed: the LSH lookup per article as the index grows, beside a
pair-wise comparison with every indexed article measured in the same run.

    python benchmarks/neardup.py [--articles 20000] [--pairwise 8000]

Articles are made from the sample corpus's sentences (12 drawn at random per article,
so that no two are near-duplicates) plus one reprint (a new lead) for every 50. Prints
articles/s for ``NearDuplicates.plan`` (sign, look up, index) over the whole run and
for its last tenth (a big index), the same for a pair-wise check over a quarter of
``--pairwise`` articles and all of them, and the time to index stored signatures (what a load does first).
Target (issue 14): the per-article cost does not grow with the index (LSH, not pairs).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from shegong.loaders.ingest import ingest_paths
from shegong.loaders.neardup import SIGNATURE_PROPERTY, DedupPlan, NearDuplicates, signature
from shegong.schema import Article, Extraction

REPO = Path(__file__).resolve().parents[1]


def sentences() -> list[str]:
    pool: list[str] = []
    for result in ingest_paths([REPO / "data" / "articles"]):
        for article in result.articles:
            pool.extend(s for s in re.split(r"(?<=[。!?])", article.text) if len(s) > 15)
    return pool


def articles(count: int, seed: int = 11) -> list[Article]:
    rng = random.Random(seed)
    pool = sentences()
    made: list[Article] = []
    for i in range(count):
        if i % 50 == 49:
            source = made[rng.randrange(len(made))]
            made.append(Article(f"{source.title}(转)", "新华网北京电 " + source.text, "b.txt"))
        else:
            made.append(Article(f"文章{i}", "".join(rng.sample(pool, 12)), "a.txt"))
    return made


def run_plan(items: list[Article]) -> tuple[float, float, int, list[object]]:
    texts = {a.id: a.text for a in items}  # what the store's text lookup gives
    near = NearDuplicates(iter(()), text_of=texts.get)
    folded = 0
    signed: list[object] = []  # the kept articles' signatures, as a load stores them
    started = time.perf_counter()
    tail_start = 0.0
    for i in range(0, len(items), 16):
        if i >= len(items) * 9 // 10 and not tail_start:
            tail_start = time.perf_counter()
        plan: DedupPlan = near.plan([Extraction(a) for a in items[i : i + 16]])
        near.commit(plan)
        signed.extend(plan.signatures.values())
        folded += len(plan.reprints)
    ended = time.perf_counter()
    tail = len(items) - len(items) * 9 // 10
    return len(items) / (ended - started), tail / (ended - tail_start), folded, signed


def run_pairwise(items: list[Article]) -> tuple[float, float]:
    kept: list[object] = []
    started = time.perf_counter()
    tail_start = 0.0
    for i, article in enumerate(items):
        if i == len(items) * 9 // 10:
            tail_start = time.perf_counter()
        sketch = signature(article.text)
        if not any(sketch.jaccard(other) >= 0.65 for other in kept):  # type: ignore[attr-defined]
            kept.append(sketch)
    ended = time.perf_counter()
    tail = len(items) - len(items) * 9 // 10
    return len(items) / (ended - started), tail / (ended - tail_start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--pairwise", type=int, default=8000)
    args = parser.parse_args()
    items = articles(args.articles)
    rate, tail_rate, folded, signed = run_plan(items)
    print(f"articles: {len(items)} (reprints made: {len(items) // 50}, folded: {folded})")
    print(f"LSH check:       {rate:8.0f} articles/s overall, {tail_rate:8.0f}/s at the last tenth")
    for size in (args.pairwise // 4, args.pairwise):
        pair_rate, pair_tail = run_pairwise(items[:size])
        print(
            f"pair-wise check: {pair_rate:8.0f} articles/s over {size:6}, {pair_tail:8.0f}/s "
            "at the last tenth (reference)"
        )
    # what a load does first: index the stored articles from their stored signatures
    from shegong.loaders.neardup import _encode

    stored = [(f"art-{i}", _encode(s), "") for i, s in enumerate(signed)]  # type: ignore[arg-type]
    started = time.perf_counter()
    index = NearDuplicates(iter(stored))
    size = len(index)
    seconds = time.perf_counter() - started
    print(f"index {size} stored signatures ({SIGNATURE_PROPERTY}): {seconds:.2f} s")
    print("target: the LSH rate at the last tenth within 2x of the overall rate")


if __name__ == "__main__":
    main()
