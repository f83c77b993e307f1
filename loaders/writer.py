"""The load's store writes: files grouped into one upsert each, on a thread of their own.

    resolved files (in order) ──bounded queue──> StoreWriter thread
        ──> one GraphStore.upsert per group of files, then record_files for the group

Writing overlaps extraction and resolution (the store's work runs in C or over the wire,
mostly without the GIL), and a group costs one transaction however many files it holds.
The queue is bounded, so a writer that falls behind stops the main process, which stops
feeding the workers: memory stays flat whatever the corpus size.

A group is all or nothing. When the store refuses it (SchemaError, InputError), its
files are written again one by one, so only the file at fault is rejected, with its
reason, and the others are stored. Every file's outcome (stored, rejected while read or
extracted, refused by the store) goes through the queue in input order, so the report
lists rejections in that order whatever the timing. Any other store error stops the
load: ``put`` and ``close`` raise it in the caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shegong.schema import Extraction, GraphBatch, InputError, SchemaError, unique_nodes

if TYPE_CHECKING:
    from shegong.graph import GraphStore

    from .neardup import DedupPlan
    from .pipeline import LoadReport

__all__ = ["FileWork", "StoreWriter", "file_batch"]


@dataclass
class FileWork:
    """One file's outcome on its way to the store: its resolved extractions, or why it
    is rejected (read or extraction failed). ``digest`` is recorded once it is stored."""

    path: str
    extractions: list[Extraction]
    rejected: str | None = None
    digest: str | None = None
    reprints: DedupPlan | None = None  # near-duplicates folded into kept articles
    articles: int = 0  # articles read from a file rejected before the store


def file_batch(extractions: Iterable[Extraction]) -> GraphBatch:
    """One batch for a file (or a group of files): every extraction's batch, nodes
    deduplicated by id."""
    batch = GraphBatch()
    for extraction in extractions:
        batch.extend(extraction.to_batch())
    batch.nodes = unique_nodes(batch.nodes)
    return batch


_STOP = None


class StoreWriter:
    """Writes groups of ``FileWork`` to ``store`` on its own thread, counting into
    ``report``; ``version`` is the extractor version files are recorded with (None:
    not recorded). At most ``depth`` groups wait."""

    def __init__(
        self, store: GraphStore, report: LoadReport, version: str | None, depth: int = 4
    ) -> None:
        self.store = store
        self.report = report
        self.version = version
        self._queue: queue.Queue[list[FileWork] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="shegong-writer", daemon=True)
        self._thread.start()

    def put(self, group: list[FileWork]) -> None:
        """Queue a group (blocks while ``depth`` groups wait); raises the writer's error."""
        while True:
            self._raise()
            try:
                self._queue.put(group, timeout=0.5)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Write what is queued, stop the thread; raises the writer's error."""
        if self._thread.is_alive():
            while self._error is None:
                try:
                    self._queue.put(_STOP, timeout=0.5)
                    break
                except queue.Full:
                    continue
            self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            while (group := self._queue.get()) is not _STOP:
                self._write(group)
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            self._error = e

    def _write(self, group: list[FileWork]) -> None:
        report = self.report
        for work in group:
            if work.rejected is not None:
                report.files_rejected.append((work.path, work.rejected))
                report.articles_rejected += work.articles
        writable = [w for w in group if w.rejected is None]
        if not writable:
            return
        try:
            self._upsert(writable)
        except (SchemaError, InputError):
            # Find the file at fault: each one alone, the others stored.
            stored = []
            for work in writable:
                try:
                    self._upsert([work], record=False)
                    stored.append(work)
                except (SchemaError, InputError) as e:
                    report.files_rejected.append((work.path, f"{work.path}: {e}"))
                    report.articles_rejected += len(work.extractions)
            self._record(stored)

    def _upsert(self, works: list[FileWork], record: bool = True) -> None:
        """One transaction for ``works``; the counts added to the report once it holds."""
        extractions = [e for w in works for e in w.extractions]
        batch = file_batch(extractions)
        plans = [w.reprints for w in works if w.reprints is not None]
        for plan in plans:
            batch.extend(plan.batch())
        if plans:
            batch.nodes = unique_nodes(batch.nodes)
        outcome = self.store.upsert(batch)
        # counted by the store inside its transaction: right when loads run side by side
        new_articles = outcome.articles_added
        report = self.report
        report.near_duplicates += sum(len(plan.reprints) for plan in plans)
        report.articles += len(extractions)
        report.articles_added += new_articles
        report.entities_added += outcome.nodes_added - new_articles
        report.entities_updated += outcome.nodes_updated
        report.relations_added += outcome.relations_added
        report.relations_updated += outcome.relations_updated
        if record:
            self._record(works)

    def _record(self, works: list[FileWork]) -> None:
        if self.version is None:
            return
        files = [(w.digest, w.path, self.version) for w in works if w.digest]
        if files:
            self.store.record_files(files)
