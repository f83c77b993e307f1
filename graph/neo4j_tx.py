"""The Neo4j store's reads and writes inside one transaction, in terms of the models.

``BoltTx`` wraps a driver transaction (``session.execute_write``/``execute_read`` hand one
to a transaction function); the upsert and editor actions in ``neo4j_edits`` are written
against it, so every one of them commits or rolls back as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction
from shegong.schema import (
    RELATION_SPECS,
    AuditEntry,
    Label,
    Node,
    Relation,
    RelationType,
    StoreError,
)

from . import cypher
from .neo4j_records import (
    dumps,
    node_from_props,
    node_props,
    relation_from_record,
    relation_row,
)

__all__ = ["BoltTx", "WriteConflict", "utc_now"]


def utc_now() -> str:
    """The current time as an ISO string (UTC, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class WriteConflict(StoreError):
    """A statement wrote more or fewer rows than planned: another transaction changed
    the same nodes meanwhile (ArcadeDB lets two transactions each see its own copy of a
    node until the second commit fails). The store runs the whole transaction again."""


class BoltTx:
    """Model-level operations on one open transaction."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx
        # retracted_at / retracted_by of relations read here: not in the model, but kept
        # when a relation is rewritten (moved by a merge).
        self.retraction: dict[str, tuple[str | None, str | None]] = {}

    def rows(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return [record.data() for record in self.tx.run(query, params)]

    # -- reading ------------------------------------------------------------------------
    def fetch_redirects(self, ids: Iterable[str]) -> dict[str, str]:
        """Merged-away id -> kept id, for those of ``ids`` that were merged away."""
        rows = self.rows(cypher.FETCH_REDIRECTS, ids=sorted(set(ids)))
        return {row["id"]: row["kept"] for row in rows}

    def fetch_nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        rows = self.rows(cypher.FETCH_NODES, ids=sorted(set(ids)))
        return {row["n"]["id"]: node_from_props(row["n"]) for row in rows}

    def article_dates(self, ids: Iterable[str]) -> dict[str, str]:
        """The first-seen date of each of these nodes that has one (articles)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.rows(cypher.FETCH_FIRST_SEEN, ids=wanted)
        return {row["id"]: row["date"] for row in rows if row["date"]}

    def fetch_labels(self, ids: Iterable[str]) -> dict[str, Label]:
        rows = self.rows(cypher.FETCH_LABELS, ids=sorted(set(ids)))
        return {row["id"]: Label(row["label"]) for row in rows}

    def _relations(self, rows: list[dict[str, Any]]) -> list[Relation]:
        found = []
        for row in rows:
            rel = relation_from_record(row)
            self.retraction[rel.id] = (row["e"].get("retracted_at"), row["e"].get("retracted_by"))
            found.append(rel)
        return found

    def fetch_relations(
        self, ids: Iterable[str], types: Sequence[RelationType] | None = None
    ) -> dict[str, Relation]:
        """Relations by id; ``types`` narrows where to look when the caller knows."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = cypher.relations_by_id(sorted(set(types)) if types else cypher.ALL_TYPES)
        return {rel.id: rel for rel in self._relations(self.rows(query, ids=wanted))}

    def relations_touching(self, node_id: str) -> list[Relation]:
        rels = self._relations(self.rows(cypher.relations_touching(), id=node_id))
        return sorted({rel.id: rel for rel in rels}.values(), key=lambda rel: rel.id)

    # -- writing ------------------------------------------------------------------------
    def create_nodes(self, nodes: Sequence[Node]) -> None:
        """Create nodes (full state), one statement per label."""
        by_label: dict[Label, list[dict[str, Any]]] = {}
        for node in nodes:
            by_label.setdefault(node.label, []).append(node_props(node))
        for label in sorted(by_label):
            self._expect(cypher.create_nodes(label), by_label[label], "nodes")

    def update_nodes(self, nodes: Sequence[Node]) -> None:
        """Replace the state of existing nodes (same label)."""
        if nodes:
            self._expect(cypher.UPDATE_NODES, [node_props(node) for node in nodes], "nodes")

    def create_relations(self, rels: Sequence[Relation], now: str | None = None) -> bool:
        """Create relations, one statement per type; False (and the transaction must be
        rolled back) if some were not written: an end node missing or of a label the
        type does not allow."""
        for rtype, rows in self._relation_rows(rels, now).items():
            spec = RELATION_SPECS[rtype]
            written = self.rows(
                cypher.create_relations(rtype),
                rows=rows,
                sources=sorted(label.value for label in spec.sources),
                targets=sorted(label.value for label in spec.targets),
            )
            count = written[0]["total"] if written else 0
            if count > len(rows):
                raise WriteConflict(f"created {count} relations for {len(rows)} rows")
            if count < len(rows):
                return False
        return True

    def update_relations(self, rels: Sequence[Relation], now: str | None = None) -> None:
        """Replace the state of existing relations, one statement per type."""
        for rtype, rows in self._relation_rows(rels, now).items():
            self._expect(cypher.update_relations(rtype), rows, "relations")

    def _relation_rows(
        self, rels: Sequence[Relation], now: str | None
    ) -> dict[RelationType, list[dict[str, Any]]]:
        """Rows per type; a relation retracted here for the first time gets ``now``, each
        the first and last date of its evidence's articles (written before it)."""
        by_type: dict[RelationType, list[dict[str, Any]]] = {}
        dates = self.article_dates({ev.article_id for rel in rels for ev in rel.evidence})
        for rel in rels:
            at, by = self.retraction.get(rel.id, (None, None))
            if rel.retracted and at is None:
                at, by = now or utc_now(), rel.editor
            seen = [dates[ev.article_id] for ev in rel.evidence if dates.get(ev.article_id)]
            span = (min(seen), max(seen)) if seen else (None, None)
            by_type.setdefault(rel.type, []).append(relation_row(rel, at, by, span))
        return {rtype: by_type[rtype] for rtype in sorted(by_type)}

    def _expect(self, query: str, rows: list[dict[str, Any]], what: str) -> None:
        written = self.rows(query, rows=rows)
        count = written[0]["total"] if written else 0
        if count != len(rows):
            # An end node vanished between the checks and the write (a concurrent
            # delete): raising rolls the whole batch back.
            raise WriteConflict(f"wrote {count} of {len(rows)} {what}; the batch was rolled back")

    def delete_relation(self, rel: Relation) -> None:
        self.tx.run(cypher.delete_relation(rel.type), {"id": rel.id}).consume()

    def delete_node(self, node_id: str) -> None:
        self.tx.run(cypher.DELETE_NODE, {"id": node_id}).consume()

    def audit(self, entry: AuditEntry) -> None:
        self.tx.run(
            cypher.INSERT_AUDIT,
            {
                "at": entry.at,
                "editor": entry.editor,
                "action": entry.action,
                "target": entry.target,
                "note": entry.note,
                "details": dumps(dict(entry.details)),
            },
        ).consume()

    # -- merges -------------------------------------------------------------------------
    def redirect(self, old_id: str) -> dict[str, Any] | None:
        rows = self.rows(cypher.REDIRECT_OF, id=old_id)
        if not rows:
            return None
        found = dict(rows[0]["m"])
        found["snapshot"] = json.loads(found.get("snapshot") or "{}")
        return found

    def write_redirect(
        self, old_id: str, kept_id: str, snapshot: dict[str, Any], at: str, editor: str
    ) -> None:
        self.tx.run(
            cypher.WRITE_REDIRECT,
            {
                "id": old_id,
                "kept_id": kept_id,
                "original_kept": kept_id,
                "snapshot": dumps(snapshot),
                "at": at,
                "editor": editor,
            },
        ).consume()

    def repoint_redirects(self, old: str, new: str) -> None:
        self.tx.run(cypher.REPOINT_REDIRECTS, {"old": old, "new": new}).consume()

    def restore_redirects(self, node_id: str) -> None:
        """Ids first merged into ``node_id`` point at it again (it is back)."""
        self.tx.run(cypher.REPOINT_ORIGINAL, {"id": node_id}).consume()

    def delete_redirect(self, old_id: str) -> None:
        self.tx.run(cypher.DELETE_REDIRECT, {"id": old_id}).consume()
