"""Extraction speed: ingest + extract over a >= 20 MB corpus, one process then all cores.

    python benchmarks/extraction.py [--mb 20] [--sample data/articles] [--workers N]
        [--mentions rules|model|combined]

The corpus is made from the sample articles by corpus.py, every article distinct (a
sample's title and lead, then 1-3 KB of sentences drawn from all samples; place and
person names swapped, dates and figures renumbered; an issue number in the title where
variation alone repeats an article). It is written as .txt files to a
temporary directory and read back through the real ingest. Prints KB/s and
articles/s per core and peak memory (resource.getrusage), for one process and for a pool,
beside a reference measured in the same run: a raw Aho-Corasick scan of the same text
with the extractor's lexicon. Target (issue 10): full-quality extraction (rules and the
mention model) >= 250 KB/s per core, peak memory < 1 GiB per worker.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from corpus import ROOT, build_corpus
from shegong.loaders.extract import Extractor
from shegong.loaders.extract.lexicon import lexicon
from shegong.loaders.ingest import ingest_file

_worker_extractor: Extractor | None = None


def _init_worker() -> None:
    global _worker_extractor
    _worker_extractor = Extractor()


def _process(path: str) -> tuple[int, int]:
    """Ingest and extract one file; returns (articles, bytes of clean text)."""
    assert _worker_extractor is not None
    articles = ingest_file(path)
    for article in articles:
        _worker_extractor(article)
    return len(articles), sum(len(a.text.encode("utf-8")) for a in articles)


def _report(
    label: str, files_bytes: int, articles: int, seconds: float, cores: int, cpu: float
) -> None:
    """Wall-clock rates per core, and rates per CPU-second: what one core does when it is
    not shared (the build machine is often busy with other work)."""
    kb = files_bytes / 1024
    print(
        f"{label:<14} wall: {kb / seconds / cores:5.0f} KB/s, "
        f"{articles / seconds / cores:5.1f} articles/s per core | "
        f"per CPU-second: {kb / cpu:5.0f} KB/s, {articles / cpu:5.1f} articles/s "
        f"({kb / 1024:.1f} MB, {articles} articles, {seconds:.1f} s wall, {cpu:.1f} s CPU)"
    )


def _reference_scan(paths: list[str]) -> float:
    """CPU seconds of the reference: reading every file and one Aho-Corasick scan of its
    text with the extractor's whole lexicon (no finders, no model, no resolution)."""
    lex = lexicon()
    started = time.process_time()
    for path in paths:
        lex.scan(Path(path).read_text(encoding="utf-8"))
    return time.process_time() - started


def n_articles_of(paths: list[str]) -> int:
    """Files in the corpus (the reference scan reads files, not articles)."""
    return len(paths)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> tuple[float, float]:
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # ru_maxrss: KB on Linux
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / scale / 1024
    return me, kids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size (default 20)")
    parser.add_argument("--sample", type=Path, default=ROOT / "data" / "articles")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--mentions",
        choices=("rules", "model", "combined"),
        help="mention finders (default: SHEGONG_MENTIONS, else combined = full quality)",
    )
    args = parser.parse_args(argv)
    if args.mentions:
        os.environ["SHEGONG_MENTIONS"] = args.mentions  # read by every Extractor, workers too
    print(f"mentions: {os.environ.get('SHEGONG_MENTIONS', 'combined')}")
    directory = Path(tempfile.mkdtemp(prefix="shegong-bench-"))
    try:
        started = time.perf_counter()
        corpus = build_corpus(args.sample, directory, target_bytes=int(args.mb * 1024 * 1024))
        size = corpus.bytes
        paths = sorted(str(p) for p in directory.glob("*.txt"))
        distinct = len({a.id for p in paths for a in ingest_file(p)})
        print(
            f"corpus: {len(paths)} files, {corpus.articles} articles ({distinct} distinct, "
            f"{corpus.numbered} numbered to be so), {size / 1024 / 1024:.1f} MB "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )

        _init_worker()
        reference = _reference_scan(paths)
        _report("reference scan", size, n_articles_of(paths), reference, 1, reference)
        started, cpu = time.perf_counter(), time.process_time()
        n_articles = 0
        for path in paths:
            n_articles += _process(path)[0]
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        single_cpu = cpu
        _report("single process", size, n_articles, wall, 1, cpu)

        started, cpu = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN)
        ctx = mp.get_context("fork" if sys.platform == "linux" else "spawn")
        pool = ctx.Pool(args.workers, initializer=_init_worker)
        results = pool.map(_process, paths, chunksize=16)
        pool.close()
        pool.join()  # workers reaped, so their CPU time is counted
        wall, cpu = time.perf_counter() - started, _cpu(resource.RUSAGE_CHILDREN) - cpu
        _report(
            f"{args.workers} workers", size, sum(r[0] for r in results), wall, args.workers, cpu
        )
        me, kids = _peak_mb()
        print(f"peak memory: {me:.0f} MB (main process), {kids:.0f} MB (largest worker)")
        per_cpu = size / 1024 / single_cpu
        print(
            f"full-quality extraction: {per_cpu:.0f} KB/s per CPU-second "
            f"= {reference / single_cpu:.3f} x the reference scan's speed "
            f"(target >= 250 KB/s per core; peak < 1024 MB per worker)"
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
