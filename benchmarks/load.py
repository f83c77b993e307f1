"""Loading a big corpus: wall time, rate over the load, peak memory, store size.

    python benchmarks/load.py [--sizes 10000,30000,100000] [--workers 2] [--quick]

For each size, a corpus of that many distinct varied articles (corpus.py; built once and
kept under .cache/corpus, git-ignored) is loaded into a new embedded store by the real
command, ``shegong load DIR --workers N``, in a subprocess. While it runs, the process
tree is sampled (/proc: RSS summed over the loader and its workers, the target's measure;
PSS beside it, which counts pages the forked workers share with the loader once; CPU
per process) and the store's article count is read every second, which gives the rate
over the first and the last window of the load (10,000 articles, or a third of a smaller
corpus), and the CPU per article in both windows, of the main process and of all the
processes (the rate on a shared machine moves with what else runs; CPU per article
does not).

The reference, measured in the same run: extraction alone (ingest + Extractor in this
process, no store) over the first articles of the corpus, in KB per CPU-second; from it,
the least wall time the extraction needs on the cores the load has ("extraction
alone"), beside the load's own CPU time over those cores ("CPU / cores": its wall time on
an otherwise idle machine). Targets (issue 11):
100k articles in <= 5 min (>= 333 articles/s), rate constant within 20 % from the first
window to the last, peak RSS of the whole load <= 1 GiB. ``--quick`` loads one small
corpus (the test suite checks the report's shape and that the load is complete).
After the last load, the store is exported by ``shegong export`` in the streamed formats
(node-link, GraphML, GEXF, CSV) with the peak RSS of each (target <= 500 MB whatever the size).
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import ROOT, Corpus, cached_corpus

TARGET_RATE = 100_000 / 300  # articles/s: 100k in 5 minutes
TARGET_FLAT = 0.8  # last window's rate / first window's rate
TARGET_RSS_MB = 1024.0
TARGET_EXPORT_MB = 500.0
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One load: what it took and what it left."""

    articles: int
    stored: int
    wall: float
    first_rate: float
    first_main_ms: float  # main-process CPU per article, first window
    last_main_ms: float
    first_all_ms: float  # CPU of all the processes per article, first window
    last_all_ms: float
    last_rate: float
    window: int
    peak_rss_mb: float
    peak_pss_mb: float  # the same, pages the processes share counted once
    main_cpu: float
    workers_cpu: float
    store_mb: float
    exit_code: int


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc/PID/task/TID/children: listing all of
    /proc five times a second took a sixth of a core from the load it measured)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
            except OSError:
                continue
    return found


def _sample(pid: int) -> tuple[int, float] | None:
    """(RSS bytes, CPU seconds) of one process, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[21]) * _PAGE, (int(fields[11]) + int(fields[12])) / _TICK


def _pss(pid: int) -> int:
    """Proportional set size of one process, bytes (pages shared with other processes
    counted in parts), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _articles(db: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(
                conn.execute("SELECT COUNT(*) FROM nodes WHERE label='Article'").fetchone()[0]
            )
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _time_of(marks: list[tuple[float, int]], count: int) -> float:
    """When (or at what main-process CPU, for marks of CPU) the stored count reached
    ``count``, interpolated between the samples."""
    for (t0, n0), (t1, n1) in zip(marks, marks[1:], strict=False):
        if n1 >= count:
            return t0 if n1 == n0 else t0 + (t1 - t0) * (count - n0) / (n1 - n0)
    return marks[-1][0]


def _rate_at(marks: list[tuple[float, int]], lo: int, hi: int) -> float:
    """Articles/s between the moments the count reached ``lo`` and ``hi``."""
    return (hi - lo) / max(_time_of(marks, hi) - _time_of(marks, lo), 1e-9)


def _cpu_ms(cpu_marks: list[tuple[float, int]], lo: int, hi: int) -> float:
    """Main-process CPU milliseconds per article stored between counts ``lo`` and ``hi``."""
    return 1000 * (_time_of(cpu_marks, hi) - _time_of(cpu_marks, lo)) / max(hi - lo, 1)


def load(corpus: Corpus, workers: int, directory: Path) -> Run:
    """Run ``shegong load`` over ``corpus`` into a new store in ``directory``."""
    db = directory / f"load-{corpus.articles}.db"
    shegong = Path(sys.executable).with_name("shegong")
    command = [str(shegong), "load", str(corpus.directory), "--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--store", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak, peak_pss, cpu = 0, 0, {}
    marks: list[tuple[float, int]] = [(0.0, 0)]
    cpu_marks: list[tuple[float, int]] = [(0.0, 0)]  # (main process CPU s, stored count)
    tree_marks: list[tuple[float, int]] = [(0.0, 0)]  # (CPU s of all the processes, count)
    next_count = 0.0
    while proc.poll() is None:
        rss = pss = 0
        for pid in _tree(proc.pid):
            got = _sample(pid)
            if got is not None:
                rss += got[0]
                pss += _pss(pid)
                cpu[pid] = got[1]
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        now = time.perf_counter() - started
        if now >= next_count and db.exists():
            count = _articles(db)
            if count is not None:
                marks.append((now, count))
                cpu_marks.append((cpu.get(proc.pid, 0.0), count))
                tree_marks.append((sum(cpu.values()), count))
            next_count = now + 1.0
        time.sleep(0.2)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    stdout = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    # near-duplicates (reprints) are folded into a stored article: stored, not lost
    folded = re.search(r"(\d+) reprints? folded", stdout)
    reprints = int(folded.group(1)) if folded else 0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"shegong load failed ({proc.returncode}):\n{stderr[-2000:]}")
    stored = _articles(db) or 0
    marks.append((wall, stored))
    cpu_marks.append((cpu.get(proc.pid, 0.0), stored))
    tree_marks.append((sum(cpu.values()), stored))
    window = 10_000 if corpus.articles >= 30_000 else max(corpus.articles // 3, 1)
    size = sum(p.stat().st_size for p in directory.glob(db.name + "*"))
    return Run(
        articles=corpus.articles,
        stored=stored + reprints,
        wall=wall,
        first_rate=_rate_at(marks, 0, window),
        last_rate=_rate_at(marks, stored - window, stored),
        first_main_ms=_cpu_ms(cpu_marks, 0, window),
        last_main_ms=_cpu_ms(cpu_marks, stored - window, stored),
        first_all_ms=_cpu_ms(tree_marks, 0, window),
        last_all_ms=_cpu_ms(tree_marks, stored - window, stored),
        window=window,
        peak_rss_mb=peak / 2**20,
        peak_pss_mb=peak_pss / 2**20,
        main_cpu=cpu.get(proc.pid, 0.0),
        workers_cpu=sum(v for k, v in cpu.items() if k != proc.pid),
        store_mb=size / 2**20,
        exit_code=proc.returncode,
    )


@dataclass(frozen=True)
class Reference:
    """Ingest + extraction alone (this process, no store) over the first articles."""

    articles: int
    kb: float
    cpu: float

    @property
    def per_second(self) -> float:
        """Articles per CPU-second."""
        return self.articles / self.cpu


def _watch(command: list[str]) -> tuple[float, float, int]:
    """Run ``command``; (wall seconds, peak RSS MB of its process tree, exit code)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(got[0] for pid in _tree(proc.pid) if (got := _sample(pid))))
        time.sleep(0.1)
    return time.perf_counter() - started, peak / 2**20, proc.returncode


def exports(db: Path, directory: Path) -> list[tuple[str, float, float, float, int]]:
    """``shegong export`` of the store in each streamed format: (format, wall s, peak
    RSS MB, output MB, exit code)."""
    shegong = str(Path(sys.executable).with_name("shegong"))
    found = []
    formats = (
        ("node-link", "g.json"),
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("csv", "csv"),
    )
    for fmt, name in formats:
        out = directory / name
        wall, peak, code = _watch(
            [shegong, "export", "--format", fmt, "-o", str(out), "--store", str(db)]
        )
        files = [out] if out.is_file() else list(out.glob("*")) if out.is_dir() else []
        size = sum(p.stat().st_size for p in files) / 2**20
        found.append((fmt, wall, peak, size, code))
        for path in files:
            path.unlink()
    return found


def extraction_reference(corpus: Corpus, articles: int) -> Reference:
    """``Reference`` over the first ``articles`` of the corpus."""
    from shegong.loaders.extract import Extractor
    from shegong.loaders.ingest import ingest_file

    extractor = Extractor()
    paths = sorted(corpus.directory.glob("*.txt"))
    for article in ingest_file(paths[0]):  # warm up: the first calls load lazy tables
        extractor(article)
    done = size = 0
    started = time.process_time()
    for path in paths[1:]:
        for article in ingest_file(path):
            extractor(article)
            size += len(article.text.encode("utf-8"))
            done += 1
        if done >= articles:
            break
    return Reference(done, size / 1024, time.process_time() - started)


def _mark(ok: bool) -> str:
    return "ok " if ok else "NO "


def report(runs: list[Run], ref: Reference, workers: int) -> None:
    print(
        f"reference: extraction alone {ref.kb / ref.cpu:.0f} KB/s, {ref.per_second:.0f} "
        f"articles/s per CPU-second (ingest + extract of {ref.articles} articles in this "
        f"process, no store); 'extraction alone' below = articles / that / {workers} cores"
    )
    header = (
        f"{'corpus':>8} {'wall s':>8} {'art/s':>7} {'first/last window':>24} {'peak RSS':>9} "
        f"{'store':>8} {'main CPU':>9} {'workers CPU':>11} {'CPU / cores':>11} "
        f"{'extraction alone':>17}"
    )
    print(header)
    for run in runs:
        alone = run.articles / ref.per_second / workers
        flat = run.last_rate / run.first_rate if run.first_rate else 0.0
        print(
            f"{run.articles:>8,} {run.wall:>8.0f} {run.articles / run.wall:>7.0f} "
            f"{run.first_rate:>8.0f} -> {run.last_rate:>5.0f} ({flat:>4.0%}, {run.window:,}) "
            f"{run.peak_rss_mb:>6.0f} MB {run.store_mb:>5.0f} MB {run.main_cpu:>7.0f} s "
            f"{run.workers_cpu:>9.0f} s {(run.main_cpu + run.workers_cpu) / workers:>9.0f} s "
            f"{alone:>13.0f} s wall"
        )
    print(
        f"{'target':>8} {'':>8} {TARGET_RATE:>7.0f} {'last >= 80% of first':>24} "
        f"{TARGET_RSS_MB:>6.0f} MB   (100k in <= 300 s with {workers} workers)"
    )
    for run in runs:
        flat = run.last_rate / run.first_rate if run.first_rate else 0.0
        print(
            f"{run.articles:>8,}: complete {_mark(run.stored == run.articles)} "
            f"rate {_mark(run.articles / run.wall >= TARGET_RATE)} "
            f"flat {_mark(flat >= TARGET_FLAT)} memory {_mark(run.peak_rss_mb <= TARGET_RSS_MB)}"
            f"({run.stored:,} of {run.articles:,} articles stored or folded as reprints, "
            f"exit {run.exit_code}); main process {run.first_main_ms:.1f} -> "
            f"{run.last_main_ms:.1f} ms CPU an article, first -> last window; all processes "
            f"{run.first_all_ms:.1f} -> {run.last_all_ms:.1f} ms (articles per CPU-second, "
            f"last / first: {run.first_all_ms / run.last_all_ms if run.last_all_ms else 0:.0%}); "
            f"peak PSS {run.peak_pss_mb:.0f} MB (shared pages counted once)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="articles per corpus")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=Path, default=ROOT / "data" / "articles")
    parser.add_argument("--quick", action="store_true", help="one corpus of 300 articles")
    args = parser.parse_args(argv)
    sizes = [300] if args.quick else [int(s) for s in args.sizes.split(",")]
    corpora = []
    for size in sizes:
        started = time.perf_counter()
        corpus = cached_corpus(args.sample, size)
        corpora.append(corpus)
        print(
            f"corpus: {corpus.articles:,} articles in {corpus.files:,} files, "
            f"{corpus.bytes / 2**20:.1f} MB ({corpus.numbered:,} numbered to be distinct; "
            f"ready in {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    reference = extraction_reference(corpora[0], 100 if args.quick else 1000)
    runs = []
    exported: list[tuple[str, float, float, float, int]] = []
    with tempfile.TemporaryDirectory(prefix="shegong-load-") as tmp:
        for corpus in corpora:
            runs.append(load(corpus, args.workers, Path(tmp)))
            print(f"loaded {corpus.articles:,} articles in {runs[-1].wall:.0f} s", flush=True)
            if corpus is corpora[-1]:
                exported = exports(Path(tmp) / f"load-{corpus.articles}.db", Path(tmp))
            for leftover in Path(tmp).glob("*.db*"):
                leftover.unlink()
    report(runs, reference, args.workers)
    for fmt, wall, peak, size, code in exported:
        print(
            f"export {fmt:<9} of the {corpora[-1].articles:,}-article store: {wall:5.0f} s, "
            f"peak RSS {peak:4.0f} MB for {size:5.0f} MB written "
            f"(target <= 500 MB) {_mark(peak <= TARGET_EXPORT_MB and code == 0)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
