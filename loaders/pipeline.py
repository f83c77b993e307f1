"""Files -> articles -> extractions -> resolved files -> grouped transactional upserts.

    ingest_paths ──> articles in chunks ──> Extractor (worker processes) ──> Resolver
        ──> NearDuplicates (reprints folded into the article stored first)
        ──> StoreWriter thread: one GraphStore.upsert per group of files (all or nothing)

Every stage hands on through a bounded buffer (chunks in the workers, groups waiting
for the writer), so a load's memory does not grow with the corpus: a slow stage holds
back the ones before it. Resolution is by indexed lookups (``resolve.Resolver.pipe``)
and the writer overlaps the extraction (``writer.StoreWriter``), so the main process
keeps pace late in a big load as early on.

A file that cannot be read, or whose batch the store refuses, is reported in
``LoadReport.files_rejected`` with the reason; the other files go on (a group the store
refuses is written again file by file). Results come back in input order whatever the
number of workers, so a load is deterministic.

Each stored file is recorded in the store by the sha256 of its bytes with the extractor
version (``bundled_extractor_version``: ``EXTRACTOR_VERSION`` and a fingerprint of the
extraction code and data); a later load skips a file recorded with the same version
unless ``force``. A new version re-extracts every file by itself.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shegong.schema import Article, Extraction, InputError, SchemaError

from .writer import FileWork, StoreWriter, file_batch

if TYPE_CHECKING:
    from shegong.graph import GraphStore
    from shegong.loaders.ingest import FileResult
    from shegong.loaders.neardup import NearDuplicates

    from .resolve import Resolver as EntityResolver

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTRACTOR_VERSION",
    "bundled_extractor_version",
    "LoadReport",
    "Resolver",
    "default_resolver",
    "extract_paths",
    "file_batch",
    "load_paths",
]

#: The largest input file read (bytes): bigger ones are rejected, not read.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
#: The version of what the bundled extractor gives. Files are recorded with it plus a
#: fingerprint of the code and data that make extractions (``bundled_extractor_version``),
#: so any change there re-extracts every file on the next load by itself; raise it for a
#: change the fingerprint cannot see. A custom extractor is versioned by its ``version``
#: attribute; without one its files are always extracted.
EXTRACTOR_VERSION = "2026.12.1"
#: What the fingerprint covers, relative to shegong.loaders: ingest, extraction, the
#: trained model, lexicons and cross-article resolution.
_EXTRACTION_PARTS = (
    "ingest",
    "extract",
    "model",
    "data",
    "resolve.py",
    "neardup.py",
    "pipeline.py",
)
#: Articles per task sent to a worker: small enough to spread one big file over workers.
CHUNK = 16
#: Chunks sent to the workers and not yet taken back, per worker, at most (backpressure).
IN_FLIGHT = 4
#: Articles per store write (one transaction for all their files).
WRITE_ARTICLES = 256
#: Groups of files waiting for the writer, at most.
WRITE_QUEUE = 2

Resolver = Callable[[Extraction, "GraphStore"], Extraction]
Extract = Callable[[Article], Extraction]


@dataclass
class LoadReport:
    """What ``load_paths`` did. Entities are nodes other than articles."""

    files: int = 0  # read (missing and skipped files are not)
    files_skipped: int = 0  # unchanged since they were stored with this extractor version
    files_missing: list[str] = field(default_factory=list)
    files_rejected: list[tuple[str, str]] = field(default_factory=list)
    articles: int = 0  # stored from the files read: new or already stored
    duplicates: int = 0  # repeated within this load (skipped)
    near_duplicates: int = 0  # reprints folded into an article stored before them
    articles_added: int = 0
    articles_rejected: int = 0  # in files rejected after reading
    entities_added: int = 0
    entities_updated: int = 0
    relations_added: int = 0
    relations_updated: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.files_rejected and not self.files_missing


def _default_extractor() -> Extract:
    from shegong.loaders.extract import Extractor

    return Extractor()


# -- worker processes ---------------------------------------------------------------------
_worker_extractor: Extract | None = None


def _init_worker(extractor_bytes: bytes | None) -> None:
    global _worker_extractor
    # Built once per worker: extractors load lexicons and segmenters when constructed.
    _worker_extractor = pickle.loads(extractor_bytes) if extractor_bytes else _default_extractor()


def _extract_chunk(articles: list[Article]) -> tuple[list[Extraction], str | None]:
    assert _worker_extractor is not None
    return _run_extractor(_worker_extractor, articles)


def _run_extractor(
    extract: Extract, articles: list[Article]
) -> tuple[list[Extraction], str | None]:
    done: list[Extraction] = []
    for article in articles:
        try:
            done.append(extract(article))
        except Exception as e:  # noqa: BLE001 - an extractor bug rejects one file, not the load
            return [], f"extraction failed on article {article.title!r}: {type(e).__name__}: {e}"
    return done, None


# -- shared steps ---------------------------------------------------------------------------
def _ingest(paths: Sequence[str | os.PathLike[str]], max_bytes: int) -> Iterator[FileResult]:
    from shegong.loaders.ingest import ingest_paths

    return ingest_paths([os.fspath(p) for p in paths], max_bytes)


@dataclass(frozen=True)
class _InputFile:
    path: str
    size: int
    digest: str | None  # None: too big or unreadable (ingest says why)


def _input_files(
    paths: Sequence[str | os.PathLike[str]], max_bytes: int
) -> tuple[list[_InputFile], list[str]]:
    """The files under ``paths`` in load order, each with its size and content hash, and
    the paths that do not exist."""
    from shegong.loaders.ingest.readers import iter_files

    found: list[_InputFile] = []
    missing: list[str] = []
    for given in paths:
        root = Path(given)
        if not root.exists():
            missing.append(os.fspath(given))
            continue
        for path in iter_files(root):
            size = path.stat().st_size if path.is_file() else 0
            digest = _digest(path) if path.is_file() and size <= max_bytes else None
            found.append(_InputFile(str(path), size, digest))
    return found, missing


def _digest(path: Path) -> str | None:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                sha.update(chunk)
    except OSError:
        return None
    return sha.hexdigest()


@functools.cache
def bundled_extractor_version() -> str:
    """``EXTRACTOR_VERSION`` + a sha256 prefix over the files that make extractions."""
    root = Path(__file__).resolve().parent
    sha = hashlib.sha256()
    for part in _EXTRACTION_PARTS:
        base = root / part
        files = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                sha.update(str(path.relative_to(root)).encode() + b"\0")
                sha.update(path.read_bytes())
    return f"{EXTRACTOR_VERSION}+{sha.hexdigest()[:12]}"


def _extractor_version(extractor: Extract | None) -> str | None:
    if extractor is None:
        return bundled_extractor_version()
    version = getattr(extractor, "version", None)
    return str(version) if version else None


def _chunks(articles: list[Article]) -> list[list[Article]]:
    return [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]


FileItem = tuple["FileResult", list[Article]]
_DONE = object()


def _extracted(
    files: Iterable[FileItem], extractor: Extract | None, workers: int
) -> Iterator[tuple[FileResult, list[Article], list[Extraction], str | None]]:
    """Each file with its articles and extractions (or why extraction failed), in order.

    With several workers, ``files`` is consumed by the pool's feeder thread while this
    generator hands back results, so reading files overlaps extracting them; a queue tells
    this side which file the next results belong to.
    """
    if workers <= 1:
        extract = extractor or _default_extractor()
        for result, articles in files:
            done, error = _run_extractor(extract, articles)
            yield result, articles, done, error
        return
    order: queue.SimpleQueue[Any] = queue.SimpleQueue()
    # Permits for chunks out with the workers: the pool's feeder blocks when they run out
    # and gets one back for every chunk this side takes, so neither articles read ahead
    # nor results waiting pile up.
    permits = threading.BoundedSemaphore(IN_FLIGHT * workers)
    stop = threading.Event()

    def tasks() -> Iterator[list[Article]]:
        try:
            for result, articles in files:
                chunks = _chunks(articles)
                order.put((result, articles, len(chunks)))
                for chunk in chunks:
                    while not permits.acquire(timeout=0.2):
                        if stop.is_set():
                            return
                    yield chunk
        except BaseException as e:
            order.put(e)
            raise
        order.put(_DONE)

    payload = pickle.dumps(extractor) if extractor is not None else None
    context = multiprocessing.get_context(_start_method())
    with context.Pool(workers, initializer=_init_worker, initargs=(payload,)) as pool:
        try:
            results = pool.imap(_extract_chunk, tasks())
            while (item := order.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                result, articles, count = item
                gathered: list[Extraction] = []
                failure: str | None = None
                for _ in range(count):
                    part, part_error = next(results)
                    permits.release()
                    gathered.extend(part)
                    failure = failure or part_error
                yield result, articles, ([] if failure else gathered), failure
        finally:
            stop.set()  # a feeder waiting for a permit gives up, so the pool can close


def _start_method() -> str:
    # fork on Linux: workers start fast and a caller's script needs no __main__ guard. The
    # children only extract; they never touch the parent's SQLite connections.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def _workers(workers: int | None, extractor: Extract | None) -> int:
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count > 1 and extractor is not None:
        try:
            pickle.dumps(extractor)
        except Exception:  # noqa: BLE001 - an unpicklable extractor runs in-process
            return 1
    return max(1, count)


def _progress(enabled: bool, total_bytes: int, files: int) -> Any:
    """A bar over the bytes to read, with the file count, rate and ETA; kept at the end."""
    from tqdm import tqdm

    return tqdm(
        total=total_bytes,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=f"loading {files} file{'s' if files != 1 else ''}",
        file=sys.stderr,
        disable=not enabled,
    )


# -- public -------------------------------------------------------------------------------
def default_resolver(store: GraphStore) -> Resolver:
    """A Resolver for one load: links to stored entities and remembers what it has seen
    (its ``pipe`` resolves a group of files with one store lookup)."""
    from .resolve import Resolver as EntityResolver

    return _GroupResolver(EntityResolver(store))


class _GroupResolver:
    """``shegong.loaders.resolve.Resolver`` in the pipeline's Resolver shape."""

    def __init__(self, resolve: EntityResolver) -> None:
        self._resolve = resolve

    def __call__(self, extraction: Extraction, store: GraphStore) -> Extraction:
        return self._resolve(extraction)

    def pipe(self, extractions: list[Extraction], store: GraphStore) -> list[Extraction]:
        return self._resolve.pipe(extractions)


def load_paths(
    store: GraphStore,
    paths: Sequence[str | os.PathLike[str]],
    extractor: Extract | None = None,
    resolver: Resolver | None = None,
    workers: int | None = None,
    progress: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    resolve: bool = True,
    force: bool = False,
    near_duplicates: bool = True,
) -> LoadReport:
    """Read, extract and store ``paths`` (files or directories); each file's batch is
    stored whole or not at all (files are written in groups, one transaction each).

    ``workers`` extraction processes (default: one per CPU; 1 runs in-process);
    ``resolver(extraction, store)`` runs in this process before the write. Without one,
    entities are linked to those already stored (and seen earlier in this load) by
    ``shegong.loaders.resolve.Resolver``; ``resolve=False`` turns that off. Files stored
    before with the same extractor version are skipped unless ``force``; paths that do
    not exist are listed in ``files_missing``. Reprints of an article already stored (or
    earlier in the load) are folded into it (``shegong.loaders.neardup``) unless
    ``near_duplicates=False``.
    """
    from shegong.loaders.ingest import Ingestor
    from shegong.loaders.neardup import NearDuplicates, stored_articles, stored_text

    if resolver is None and resolve:
        resolver = default_resolver(store)
    started = time.perf_counter()
    report = LoadReport()
    version = _extractor_version(extractor)
    found, report.files_missing = _input_files(paths, max_bytes)
    stored = (
        store.loaded_files([f.digest for f in found if f.digest])
        if version is not None and not force
        else {}
    )
    todo = [
        f for f in found if not (f.digest and f.digest in stored and stored[f.digest] == version)
    ]
    report.files_skipped = len(found) - len(todo)
    by_path = {f.path: f for f in todo}
    seen: set[str] = set()
    duplicates: dict[str, int] = {}

    def fresh_files() -> Iterator[FileItem]:
        # May run in the pool's feeder thread: it only touches ``seen`` and ``duplicates``.
        for result in Ingestor(max_bytes).pipe([f.path for f in todo]):
            fresh = [a for a in result.articles if a.id not in seen]
            seen.update(a.id for a in fresh)
            duplicates[result.path] = len(result.articles) - len(fresh) + result.repeated
            yield result, fresh

    near = (
        NearDuplicates(stored_articles(store), text_of=stored_text(store))
        if near_duplicates
        else None
    )
    bar = None
    writer = StoreWriter(store, report, version, depth=WRITE_QUEUE)
    group: list[FileWork] = []
    grouped = 0
    try:
        chosen = _workers(workers, extractor)
        for result, _, extractions, error in _extracted(fresh_files(), extractor, chosen):
            # Made after the worker pool started: tqdm's monitor thread is not forked.
            if bar is None:
                bar = _progress(progress, sum(f.size for f in todo), len(todo))
            planned = by_path.get(result.path)
            bar.update(planned.size if planned else 0)
            report.files += 1
            report.duplicates += duplicates.pop(result.path, 0)
            if result.error is not None:
                work = FileWork(result.path, [], rejected=str(result.error))
            elif error:
                work = FileWork(
                    result.path,
                    [],
                    rejected=f"{result.path}: {error}",
                    articles=len(result.articles),
                )
            else:
                digest = planned.digest if planned is not None else None
                work = FileWork(result.path, extractions, digest=digest)
            group.append(work)
            grouped += len(work.extractions)
            if grouped >= WRITE_ARTICLES:
                writer.put(_folded(_resolved(group, resolver, store), near))
                group, grouped = [], 0
        if group:
            writer.put(_folded(_resolved(group, resolver, store), near))
    finally:
        if bar is not None:
            bar.close()
        writer.close()
    report.seconds = time.perf_counter() - started
    return report


def _folded(group: list[FileWork], near: NearDuplicates | None) -> list[FileWork]:
    """Each file's reprints of articles stored, queued or earlier in the file taken out
    and planned to be folded (``FileWork.reprints``), file by file in order. The kept
    articles are indexed at once, as the following files are planned before this group
    is written."""
    if near is None:
        return group
    for work in group:
        if work.extractions:
            plan = near.plan(work.extractions)
            work.extractions, work.reprints = plan.kept, plan
            near.commit(plan)
    return group


def _resolved(
    group: list[FileWork], resolver: Resolver | None, store: GraphStore
) -> list[FileWork]:
    """The group with its extractions resolved, in order; a file whose resolution fails
    is rejected with the reason (the others resolved one by one then)."""
    if resolver is None:
        return group
    pipe = getattr(resolver, "pipe", None)
    if pipe is not None:
        try:
            merged = pipe([e for w in group for e in w.extractions], store)
        except (SchemaError, InputError):
            pass
        else:
            at = 0
            for work in group:
                work.extractions, at = (
                    merged[at : at + len(work.extractions)],
                    at + len(work.extractions),
                )
            return group
    for work in group:
        try:
            work.extractions = [resolver(e, store) for e in work.extractions]
        except (SchemaError, InputError) as e:
            work.rejected, work.extractions = f"{work.path}: {e}", []
    return group


def extract_paths(
    paths: Sequence[str | os.PathLike[str]],
    extractor: Extract | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[FileResult, list[Extraction]]]:
    """Each file under ``paths`` with its extractions, in order, in this process; writes
    nothing. A rejected file comes with ``FileResult.error`` set and no extractions."""
    extract = extractor or _default_extractor()
    for result in _ingest(paths, max_bytes):
        if result.error is not None:
            yield result, []
            continue
        done, error = _run_extractor(extract, result.articles)
        if error:
            yield replace(result, articles=[], error=InputError(f"{result.path}: {error}")), []
        else:
            yield result, done
