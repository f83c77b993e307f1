"""The GraphStore protocol: what every store offers, whatever is behind it.

Semantics every implementation keeps (the contract suite in tests/graph checks them):

* ``upsert(batch)`` is all-or-nothing. It first validates the batch (schema.validate)
  and that every relation endpoint exists (in the batch or the store) with labels the
  relation type allows; any failure raises SchemaError and writes nothing.
* Nodes are merged by id: aliases are unioned (kept sorted), ``kind`` and properties
  already stored win over new ones unless they were empty (the list properties named in
  ``schema.UNIONED_PROPERTIES``, an article's ``sources``/``urls``/``files``, are unioned
  and sorted), ``first_seen`` keeps the
  minimum and ``last_seen`` the maximum ISO date.
* Node ids merged away by an editor (``merge``) are redirected: upserting a node or a
  relation naming a merged-away id writes to the kept id instead.
* Relations are merged by id (type, source, target): evidence is unioned (one piece per
  (article_id, start, end, rule)), properties already stored win (except when a curated
  relation meets a stored extracted one: the editor's properties, editor and note win),
  ``curated`` is never
  cleared and a retracted relation stays retracted (``retracted`` never goes back to
  False through upsert). Only ``unretract`` would undo it, and is not offered.
* Loading the same batch twice leaves the store identical (counts, properties, evidence).
* Lists come back in a deterministic order (documented per method).
* Reads of relations (``relation``, ``relations``, ``neighbours``, ``path``) give them
  without their evidence: ``evidence`` is empty, ``evidence_count`` and ``confidence``
  are as stored. ``evidence`` pages it; only ``iter_relations`` (export) gives it whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from shegong.schema import (
    AuditEntry,
    Evidence,
    GraphBatch,
    Label,
    Node,
    Relation,
    RelationType,
    StoreStats,
    UpsertResult,
)

from .query import Group, GroupBy, NodeQuery, RelationQuery

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Direction", "GraphStore"]

Direction = Literal["out", "in", "both"]


@runtime_checkable
class GraphStore(Protocol):
    """A graph of Nodes and Relations; see the module docstring for the contract."""

    uri: str

    # -- writing ---------------------------------------------------------------------
    def upsert(self, batch: GraphBatch) -> UpsertResult:
        """Write a batch of nodes and relations in one transaction."""
        ...

    def retract(
        self, relation_id: str, reason: str, editor: str, note: str | None = None
    ) -> Relation:
        """Mark a relation retracted (kept, never resurrected); audited. NotFoundError if absent."""
        ...

    def merge(
        self, keep_id: str, other_ids: Sequence[str], editor: str, note: str | None = None
    ) -> Node:
        """Fold ``other_ids`` into ``keep_id``: names become aliases, relations move,
        later upserts naming the old ids are redirected; audited."""
        ...

    def unmerge(self, merged_id: str, editor: str, note: str | None = None) -> Node:
        """Undo a merge of ``merged_id``: restore the node as it was before and move back the
        relations that it held then; audited."""
        ...

    def add_alias(self, node_id: str, alias: str, editor: str, note: str | None = None) -> Node:
        """Add an alias to a node; audited."""
        ...

    def record_audit(self, entry: AuditEntry) -> None:
        """Append one entry to the audit trail."""
        ...

    # -- loaded files (a reload skips files whose extraction is stored) ----------------
    def record_files(self, files: Sequence[tuple[str, str, str]]) -> None:
        """Record ``(digest, path, extractor_version)`` of files whose extraction is now
        stored (digest: sha256 of the file's bytes); a digest recorded again takes the new
        path and version. Not part of the graph: no node, count or export shows it."""
        ...

    def loaded_files(self, digests: Sequence[str]) -> dict[str, str]:
        """The extractor version each of ``digests`` was recorded with by ``record_files``;
        digests never recorded are left out."""
        ...

    # -- reading ---------------------------------------------------------------------
    def get(self, node_id: str) -> Node | None:
        """The node with this id (following merge redirects), or None; an article with
        its text."""
        ...

    def get_many(self, node_ids: Sequence[str], *, text: bool = False) -> dict[str, Node]:
        """Nodes by id in one call (for DataLoaders), following merge redirects; missing
        ids are left out. Articles come without their ``text`` property unless ``text``."""
        ...

    def find_by_name(self, name: str, label: Label | None = None) -> list[Node]:
        """Nodes whose canonical name or an alias equals ``name`` (compared by name_key),
        ordered by id."""
        ...

    def search(
        self, text: str, labels: Sequence[Label] | None = None, limit: int = 20, offset: int = 0
    ) -> list[Node]:
        """Entities whose name or an alias contains ``text`` (simplified form), exact
        name matches first, then by the largest share of a name form the text covers
        (graph.text.cover), then by degree descending, then by id."""
        ...

    def count_search(self, text: str, labels: Sequence[Label] | None = None) -> int:
        """How many nodes ``search`` would find without limit."""
        ...

    def nodes(
        self, label: Label | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        """Nodes (of one label, or all), ordered by id."""
        ...

    def count_nodes(self, label: Label | None = None) -> int:
        """How many nodes (of one label, or all)."""
        ...

    def relation(self, relation_id: str) -> Relation | None:
        """One relation (without its evidence), or None."""
        ...

    def evidence(
        self, relation_ids: Sequence[str], limit: int = 5, offset: int = 0
    ) -> dict[str, list[Evidence]]:
        """A page of evidence for each relation: at most ``limit`` pieces from ``offset``,
        ordered by (article_id, start, end, rule); an empty list for an unknown id.
        InputError for a negative limit or offset."""
        ...

    def relations(
        self,
        types: Sequence[RelationType] | None = None,
        source_id: str | None = None,
        target_id: str | None = None,
        min_confidence: float | None = None,
        curated: bool | None = None,
        retracted: bool | None = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Relation]:
        """Relations matching every given filter, ordered by id. ``retracted=None`` means
        both; by default retracted relations are left out."""
        ...

    # -- described queries (graph.query): one statement each ---------------------------
    def find_nodes(self, query: NodeQuery, limit: int | None = None, offset: int = 0) -> list[Node]:
        """Nodes passing ``query.where`` in ``query.order`` (id breaks ties, nulls last)."""
        ...

    def find_relations(
        self, query: RelationQuery, limit: int | None = None, offset: int = 0
    ) -> list[Relation]:
        """Relations passing ``query.where`` in ``query.order``, read without their
        evidence (its count and best confidence kept; page it with ``evidence``)."""
        ...

    def count(self, query: NodeQuery | RelationQuery) -> int:
        """How many nodes or relations ``query`` finds."""
        ...

    def group(
        self, query: NodeQuery | RelationQuery, by: GroupBy, level: str | None = None
    ) -> list[Group]:
        """Counts of what ``query`` finds per group (PLACE: the enclosing place at
        ``level``), largest first, then by key."""
        ...

    def date_range(
        self, query: NodeQuery | RelationQuery, field: str
    ) -> tuple[str | None, str | None]:
        """The earliest and latest value of a date field over what ``query`` finds."""
        ...

    def neighbours(
        self,
        node_id: str,
        types: Sequence[RelationType] | None = None,
        direction: Direction = "both",
        limit: int | None = None,
    ) -> list[tuple[Relation, Node]]:
        """Non-retracted relations touching ``node_id`` with the node at the other end,
        ordered by relation id."""
        ...

    def neighbours_many(
        self,
        node_ids: Sequence[str],
        types: Sequence[RelationType] | None = None,
        direction: Direction = "both",
        limit: int | None = None,
    ) -> dict[str, list[tuple[Relation, Node]]]:
        """``neighbours`` of several nodes in one call (for DataLoaders): one entry per
        distinct id asked (an empty list for an unknown id), each as ``neighbours`` would
        return it (``limit`` applies per node)."""
        ...

    def degree(self, node_ids: Sequence[str]) -> dict[str, int]:
        """Number of non-retracted relations touching each node (MENTIONS excluded)."""
        ...

    def path(self, from_id: str, to_id: str, max_hops: int = 4) -> list[Relation] | None:
        """A shortest undirected path of non-retracted relations (MENTIONS and
        REPORTED_BY excluded) as relations in order from ``from_id``; None if none
        within ``max_hops``."""
        ...

    def stats(self, top: int = 10) -> StoreStats:
        """Counts per label and per relation type (non-retracted), and the ``top`` most
        connected entities."""
        ...

    def audit(self, limit: int | None = None, target: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first."""
        ...

    def iter_relations(self, include_retracted: bool = False) -> Iterator[Relation]:
        """Every relation with evidence, ordered by id (for export)."""
        ...

    def to_networkx(
        self,
        labels: Iterable[Label] | None = None,
        types: Iterable[RelationType] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> nx.MultiDiGraph:
        """The graph (non-retracted relations) as a MultiDiGraph keyed by relation id;
        see graph.export for the attributes."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
