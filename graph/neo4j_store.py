"""The GraphStore on a Bolt server (Neo4j 5, tested on 5.26; Aura, a cluster).

Official ``neo4j`` driver only. Writes run in ``session.execute_write`` with a
transaction function, so a batch commits whole or not at all and the driver retries it
on transient errors; reads use ``driver.execute_query``. All Cypher is in graph.cypher,
the write logic in graph.neo4j_edits. At start the store creates its uniqueness
constraints and indexes, and a full-text index (the ``cjk`` analyzer) where the server
has them (Neo4j); otherwise search runs a portable ``CONTAINS`` over the name keys.

Driver failures become StoreError naming the URI and user, never the password.
"""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, RoutingControl
from neo4j import exceptions as neo4j_errors
from shegong.schema import (
    ENTITY_LABELS,
    AuditEntry,
    Evidence,
    GraphBatch,
    InputError,
    Label,
    Node,
    Relation,
    RelationType,
    ShegongError,
    StoreError,
    StoreStats,
    TimeLimitExceeded,
    UpsertResult,
    name_key,
    validate_batch,
)

from . import cypher, neo4j_edits
from .base import Direction
from .deadline import check_deadline, deadline, remaining
from .export import build_networkx
from .neo4j_records import (
    audit_from_props,
    evidence_from_items,
    node_from_props,
    relation_from_record,
)
from .neo4j_tx import BoltTx, WriteConflict
from .query import Group, GroupBy, NodeQuery, RelationQuery
from .query_cypher import count_cypher, date_range_cypher, group_cypher, select_cypher
from .review import DEFAULT_REVIEW_CONFIDENCE, NOT_REVIEWED_TYPES, AuditFilter, check_threshold
from .text import cover, search_key

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Neo4jStore"]

T = TypeVar("T")

# Relation types a path may not pass through: they join articles, not facts.
PATH_SKIP = (RelationType.MENTIONS.value, RelationType.REPORTED_BY.value)
EXPORT_CHUNK = 5000
CONFLICT_RETRIES = 5


def _is_cjk_only(text: str) -> bool:
    """True when ``text`` is two or more CJK ideographs: the ``cjk`` analyzer's bigram
    phrase query then finds every name containing ``text``. (One character is no bigram,
    and Latin words are indexed whole, so a part of one would be missed.)"""
    return len(text) >= 2 and all(
        "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text
    )


def _timed(statement: str) -> str | neo4j.Query:
    """The statement, with the time left as its transaction timeout under a deadline."""
    left = remaining()
    if left is None:
        return statement
    return neo4j.Query(statement, timeout=max(left, 0.001))


def _one_line(error: object) -> str:
    return " ".join(str(error).split())


class Neo4jStore:
    """A GraphStore over Bolt; see graph.base for the contract."""

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        max_transaction_retry_time: float = 30.0,
        connection_timeout: float = 10.0,
    ) -> None:
        self.uri = uri
        self.user = user
        self.database = database
        self.has_constraints = False
        self.has_fulltext = False
        auth = (user, password or "") if user else None
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                max_transaction_retry_time=max_transaction_retry_time,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=connection_timeout * 3,
                # Neo4j warns about property keys and relationship types that no data
                # has yet (a fresh database, a relation never curated), and the driver
                # logs each warning to stderr: none of them is news to the store.
                notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as error:
            raise StoreError(f"bad Neo4j URI {uri!r}: {error}") from error
        try:
            # An auto-commit query, not execute_query: a server that is down should fail
            # now, not after the driver's retries.
            with self._errors("connecting"), self._driver.session(database=database) as session:
                session.run("RETURN 1 AS ok").consume()
            self._setup()
        except BaseException:
            self._driver.close()
            raise

    # -- plumbing -----------------------------------------------------------------------
    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn driver errors into StoreError naming the server (never the password)."""
        where = f"Neo4j at {self.uri}" + (f" (database {self.database})" if self.database else "")
        try:
            yield
        except ShegongError:
            raise
        except neo4j_errors.AuthError as error:
            raise StoreError(
                f"{where}: authentication failed for user {self.user!r} while {doing}: "
                "check NEO4J_USER/NEO4J_PASSWORD or NEO4J_AUTH"
            ) from error
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as error:
            raise StoreError(f"{where} is unreachable while {doing}: {_one_line(error)}") from error
        except neo4j_errors.Neo4jError as error:
            reason = _one_line(error.message or error)
            if "TransactionTimedOut" in (error.code or "") or (
                deadline() is not None and remaining() == 0
            ):
                raise TimeLimitExceeded(
                    f"{where}: {doing} was stopped: the time limit was reached ({reason})"
                ) from error
            raise StoreError(f"{where}: {doing} failed: {reason}") from error
        except (neo4j_errors.DriverError, OSError) as error:
            raise StoreError(f"{where}: {doing} failed: {_one_line(error)}") from error
        except UnicodeError as error:
            # Text the driver cannot send (a lone surrogate): the transaction was
            # rolled back by the driver.
            raise StoreError(f"{where}: {doing} failed: {_one_line(error)}") from error

    def _read(self, statement: str, /, **params: Any) -> list[dict[str, Any]]:
        check_deadline("reading from Neo4j")
        with self._errors("reading"):
            records, _, _ = self._driver.execute_query(
                _timed(statement), params, database_=self.database, routing_=RoutingControl.READ
            )
            return [record.data() for record in records]

    def _write(self, work: Callable[[BoltTx], T], doing: str = "writing") -> T:
        """Run ``work`` in one write transaction (retried by the driver when transient)."""

        check_deadline(doing)
        left = remaining()

        @neo4j.unit_of_work(timeout=None if left is None else max(left, 0.001))
        def unit(tx: ManagedTransaction) -> T:
            return work(BoltTx(tx))

        with self._errors(doing), self._driver.session(database=self.database) as session:
            for attempt in range(CONFLICT_RETRIES):
                try:
                    return session.execute_write(unit)
                except (neo4j_errors.ConstraintError, WriteConflict) as error:
                    # Another writer created or changed the same ids first; the next
                    # attempt reads what it committed and updates instead.
                    if attempt == CONFLICT_RETRIES - 1:
                        raise StoreError(
                            f"Neo4j at {self.uri}: {doing} failed {CONFLICT_RETRIES} times "
                            f"on concurrent changes to the same ids, nothing written: "
                            f"{_one_line(error)}"
                        ) from error
                    time.sleep(0.05 * (attempt + 1) * (1 + random.random()))
            raise AssertionError("unreachable")

    def _setup(self) -> None:
        """Constraints and indexes (idempotent); detect a full-text index."""
        try:
            for statement in cypher.CONSTRAINTS:
                self._run_schema(statement)
            self.has_constraints = True
        except StoreError as error:
            # Without them ids stay unique for one writer (the store reads before it
            # creates); concurrent loads could then duplicate a node. Say so.
            warnings.warn(f"no uniqueness constraints: {error}", RuntimeWarning, stacklevel=3)
        for rtype in cypher.ALL_TYPES:
            try:
                self._run_schema(cypher.relation_constraint(rtype))
            except StoreError:
                # Neo4j before 5.7 has no relationship uniqueness constraints: an index
                # still makes lookups by id fast.
                self._try_schema(cypher.relation_index(rtype))
        for statement in cypher.INDEXES:
            self._try_schema(statement)
        self.has_fulltext = self._detect_fulltext()

    def _run_schema(self, statement: str) -> None:
        with self._errors("creating the schema"):
            self._driver.execute_query(statement, database_=self.database)

    def _try_schema(self, statement: str) -> None:
        try:
            self._run_schema(statement)
        except StoreError as error:
            warnings.warn(f"index not created: {error}", RuntimeWarning, stacklevel=4)

    def _detect_fulltext(self) -> bool:
        """Create the full-text index if the server can (Neo4j) and check it answers."""
        try:
            self._driver.execute_query(cypher.DROP_OLD_FULLTEXT, database_=self.database)
            self._driver.execute_query(cypher.CREATE_FULLTEXT, database_=self.database)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError):
            return False  # a server without full-text indexes (ArcadeDB: a syntax error)
        try:
            self._driver.execute_query(
                cypher.AWAIT_FULLTEXT, {"index": cypher.FULLTEXT_INDEX}, database_=self.database
            )
            self._driver.execute_query(
                cypher.FULLTEXT_PROBE,
                {"index": cypher.FULLTEXT_INDEX, "query": '"probe"'},
                database_=self.database,
            )
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as error:
            warnings.warn(
                f"full-text index {cypher.FULLTEXT_INDEX} not usable, searching with "
                f"CONTAINS: {_one_line(error)}",
                RuntimeWarning,
                stacklevel=3,
            )
            return False
        return True

    def constraints(self) -> list[dict[str, Any]]:
        """The uniqueness constraints the server reports (for checks and tests)."""
        return self._read(cypher.SHOW_CONSTRAINTS)

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- writing ------------------------------------------------------------------------
    def upsert(self, batch: GraphBatch) -> UpsertResult:
        validate_batch(batch)
        if not batch.nodes and not batch.relations:
            return UpsertResult()
        return self._write(lambda tx: neo4j_edits.upsert_batch(tx, batch), "writing a batch")

    def retract(
        self, relation_id: str, reason: str, editor: str, note: str | None = None
    ) -> Relation:
        return self._write(lambda tx: neo4j_edits.retract(tx, relation_id, reason, editor, note))

    def merge(
        self, keep_id: str, other_ids: Sequence[str], editor: str, note: str | None = None
    ) -> Node:
        return self._write(lambda tx: neo4j_edits.merge_nodes(tx, keep_id, other_ids, editor, note))

    def unmerge(self, merged_id: str, editor: str, note: str | None = None) -> Node:
        return self._write(lambda tx: neo4j_edits.unmerge_node(tx, merged_id, editor, note))

    def add_alias(self, node_id: str, alias: str, editor: str, note: str | None = None) -> Node:
        return self._write(lambda tx: neo4j_edits.add_alias(tx, node_id, alias, editor, note))

    def record_audit(self, entry: AuditEntry) -> None:
        self._write(lambda tx: tx.audit(entry))

    # -- loaded files -------------------------------------------------------------------
    def record_files(self, files: Sequence[tuple[str, str, str]]) -> None:
        rows = [{"digest": d, "path": p, "extractor": v} for d, p, v in files]
        at = datetime.now(UTC).isoformat(timespec="seconds")
        self._write(lambda tx: tx.tx.run(cypher.RECORD_FILES, rows=rows, at=at).consume())

    def loaded_files(self, digests: Sequence[str]) -> dict[str, str]:
        rows = self._read(cypher.FETCH_LOADED_FILES, digests=sorted(set(digests)))
        return {row["digest"]: row["extractor"] for row in rows}

    # -- reading ------------------------------------------------------------------------
    def _redirects(self, ids: Iterable[str]) -> dict[str, str]:
        rows = self._read(cypher.FETCH_REDIRECTS, ids=sorted(set(ids)))
        return {row["id"]: row["kept"] for row in rows}

    def _nodes(self, ids: Iterable[str], text: bool = True) -> dict[str, Node]:
        query = cypher.FETCH_NODES if text else cypher.FETCH_NODE_SUMMARIES
        rows = self._read(query, ids=sorted(set(ids)))
        return {row["n"]["id"]: node_from_props(row["n"]) for row in rows}

    def get(self, node_id: str) -> Node | None:
        return self.get_many([node_id], text=True).get(node_id)

    def get_many(self, node_ids: Sequence[str], *, text: bool = False) -> dict[str, Node]:
        found = self._nodes(node_ids, text)
        missing = [node_id for node_id in node_ids if node_id not in found]
        if missing:
            redirect = self._redirects(missing)
            kept = self._nodes(redirect.values(), text) if redirect else {}
            for old, new in redirect.items():
                if new in kept:
                    found[old] = kept[new]
        return {node_id: found[node_id] for node_id in node_ids if node_id in found}

    def find_by_name(self, name: str, label: Label | None = None) -> list[Node]:
        key = name_key(name)
        if not key:
            return []
        rows = self._read(cypher.FIND_BY_KEY, key=key, label=Label(label).value if label else None)
        return [node_from_props(row["n"]) for row in rows]

    def find_by_names(self, names: Sequence[str]) -> dict[str, list[Node]]:
        keys = {name: name_key(name) for name in names}
        wanted = sorted({k for k in keys.values() if k})
        by_key: dict[str, list[Node]] = {}
        if wanted:
            for row in self._read(cypher.FIND_BY_KEYS, keys=wanted):
                node = node_from_props(row["n"])
                for key in set(row["keys"] or ()) & set(wanted):
                    by_key.setdefault(key, []).append(node)
        return {name: list(by_key.get(key, [])) for name, key in keys.items()}

    def _search_hits(
        self, text: str, labels: Sequence[Label] | None
    ) -> list[tuple[str, bool, float]]:
        query = search_key(text)
        if not query:
            return []
        params: dict[str, Any] = {
            "text": query,
            "labels": [Label(label).value for label in (labels or ENTITY_LABELS)],
        }
        if self.has_fulltext and _is_cjk_only(query):
            # The index narrows the candidates; CONTAINS keeps the result exact.
            rows = self._read(
                cypher.SEARCH_FULLTEXT, index=cypher.FULLTEXT_INDEX, query=f'"{query}"', **params
            )
        else:
            rows = self._read(cypher.SEARCH_CONTAINS, **params)
        return [(row["id"], bool(row["exact"]), cover(query, row["keys"])) for row in rows]

    def search(
        self, text: str, labels: Sequence[Label] | None = None, limit: int = 20, offset: int = 0
    ) -> list[Node]:
        hits = self._search_hits(text, labels)
        degree = self.degree([hit[0] for hit in hits])
        ranked = sorted(hits, key=lambda hit: (not hit[1], -hit[2], -degree.get(hit[0], 0), hit[0]))
        page = [hit[0] for hit in ranked[offset : offset + limit]]
        nodes = self._nodes(page)
        return [nodes[node_id] for node_id in page if node_id in nodes]

    def count_search(self, text: str, labels: Sequence[Label] | None = None) -> int:
        return len(self._search_hits(text, labels))

    def nodes(
        self, label: Label | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Node]:
        query = cypher.nodes_page(labelled=label is not None, limited=limit is not None)
        rows = self._read(
            query, label=Label(label).value if label else None, limit=limit, offset=offset
        )
        return [node_from_props(row["n"]) for row in rows]

    def count_nodes(self, label: Label | None = None) -> int:
        rows = self._read(
            cypher.count_nodes(labelled=label is not None),
            label=Label(label).value if label else None,
        )
        return int(rows[0]["total"]) if rows else 0

    def relation(self, relation_id: str) -> Relation | None:
        query = cypher.relations_by_id(cypher.ALL_TYPES, evidence=False)
        rows = self._read(query, ids=[relation_id])
        return relation_from_record(rows[0]) if rows else None

    def evidence(
        self, relation_ids: Sequence[str], limit: int = 5, offset: int = 0
    ) -> dict[str, list[Evidence]]:
        if limit < 0 or offset < 0:
            raise InputError(f"evidence: limit and offset must not be negative ({limit}, {offset})")
        found: dict[str, list[Evidence]] = {rid: [] for rid in relation_ids}
        if not relation_ids or limit == 0:
            return found
        rows = self._read(
            cypher.evidence_pages(cypher.ALL_TYPES),
            ids=sorted(set(relation_ids)),
            start=offset,
            stop=offset + limit,
        )
        for row in rows:
            found[row["id"]] = evidence_from_items(row["page"])
        return found

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
        query = cypher.relations_page(
            by_source=source_id is not None,
            by_target=target_id is not None,
            typed=types is not None,
            min_confidence=min_confidence is not None,
            curated=curated is not None,
            retracted=retracted is not None,
            limited=limit is not None,
        )
        rows = self._read(
            query,
            source=source_id,
            target=target_id,
            types=[RelationType(t).value for t in types] if types is not None else None,
            min_confidence=min_confidence,
            curated=curated,
            retracted=retracted,
            limit=limit,
            offset=offset,
        )
        return [relation_from_record(row) for row in rows]

    # -- described queries ----------------------------------------------------------------
    def find_nodes(self, query: NodeQuery, limit: int | None = None, offset: int = 0) -> list[Node]:
        statement, params = select_cypher(query, limit, offset)
        return [node_from_props(row["n"]) for row in self._read(statement, **params)]

    def find_relations(
        self, query: RelationQuery, limit: int | None = None, offset: int = 0
    ) -> list[Relation]:
        statement, params = select_cypher(query, limit, offset)
        return [relation_from_record(row) for row in self._read(statement, **params)]

    def count(self, query: NodeQuery | RelationQuery) -> int:
        statement, params = count_cypher(query)
        rows = self._read(statement, **params)
        return int(rows[0]["total"]) if rows else 0

    def group(
        self, query: NodeQuery | RelationQuery, by: GroupBy, level: str | None = None
    ) -> list[Group]:
        statement, params = group_cypher(query, by, level)
        return [
            Group(None if row["key"] is None else str(row["key"]), int(row["total"]), row["name"])
            for row in self._read(statement, **params)
        ]

    def date_range(
        self, query: NodeQuery | RelationQuery, field: str
    ) -> tuple[str | None, str | None]:
        statement, params = date_range_cypher(query, field)
        rows = self._read(statement, **params)
        return (rows[0]["lo"], rows[0]["hi"]) if rows else (None, None)

    def neighbours(
        self,
        node_id: str,
        types: Sequence[RelationType] | None = None,
        direction: Direction = "both",
        limit: int | None = None,
    ) -> list[tuple[Relation, Node]]:
        return self.neighbours_many([node_id], types, direction, limit)[node_id]

    def neighbours_many(
        self,
        node_ids: Sequence[str],
        types: Sequence[RelationType] | None = None,
        direction: Direction = "both",
        limit: int | None = None,
    ) -> dict[str, list[tuple[Relation, Node]]]:
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction must be out, in or both, not {direction!r}")
        out: dict[str, dict[str, tuple[Relation, Node]]] = {nid: {} for nid in node_ids}
        if not node_ids:
            return {}
        rows = self._read(
            cypher.neighbours_many(direction, typed=types is not None),
            ids=sorted(set(node_ids)),
            types=[RelationType(t).value for t in types] if types is not None else None,
        )
        for row in rows:  # a loop would come back twice with direction "both"
            rel = relation_from_record(row)
            out[row["node"]].setdefault(rel.id, (rel, node_from_props(row["m"])))
        # Ordered and cut here: one ORDER BY/LIMIT per node is not expressible in one
        # portable Cypher statement (loops count twice before the dedup above).
        return {nid: [pairs[rid] for rid in sorted(pairs)][:limit] for nid, pairs in out.items()}

    def degree(self, node_ids: Sequence[str]) -> dict[str, int]:
        if not node_ids:
            return {}
        rows = self._read(cypher.DEGREE, ids=sorted(set(node_ids)))
        found = {row["id"]: int(row["total"]) for row in rows}
        return {node_id: found.get(node_id, 0) for node_id in node_ids}

    def path(self, from_id: str, to_id: str, max_hops: int = 4) -> list[Relation] | None:
        if from_id == to_id:
            return []
        if len(self._nodes([from_id, to_id])) < 2:
            return None
        # Breadth-first, one query per level. Rows are taken in relation id order and the
        # first relation reaching a node is its parent, as in the embedded store, so both
        # give the same path.
        parent: dict[str, tuple[Relation | None, str]] = {from_id: (None, "")}
        frontier = [from_id]
        for _ in range(max_hops):
            rows = self._read(cypher.EXPAND, ids=frontier, skip=list(PATH_SKIP))
            rels = {row["e"]["id"]: relation_from_record(row) for row in rows}
            level = set(frontier)
            reached: list[str] = []
            for rid in sorted(rels):
                rel = rels[rid]
                for here, there in ((rel.source_id, rel.target_id), (rel.target_id, rel.source_id)):
                    if here in level and there not in parent:
                        parent[there] = (rel, here)
                        reached.append(there)
            if to_id in parent:
                chain: list[Relation] = []
                node = to_id
                while node != from_id:
                    step, node = parent[node]
                    assert step is not None
                    chain.append(step)
                return chain[::-1]
            if not reached:
                return None
            frontier = sorted(reached)
        return None

    def stats(self, top: int = 10) -> StoreStats:
        labels = {
            row["label"]: int(row["total"]) for row in self._read(cypher.COUNT_NODES_BY_LABEL)
        }
        types = {
            row["type"]: int(row["total"]) for row in self._read(cypher.COUNT_RELATIONS_BY_TYPE)
        }
        tops = [
            (row["id"], row["name"], int(row["total"]))
            for row in self._read(cypher.TOP_ENTITIES, top=top)
        ]
        return StoreStats(
            nodes_by_label={key: labels[key] for key in sorted(labels)},
            relations_by_type={key: types[key] for key in sorted(types)},
            top_entities=tops,
        )

    def audit(
        self,
        limit: int | None = None,
        target: str | None = None,
        *,
        entity: str | None = None,
        editor: str | None = None,
        since: str | None = None,
    ) -> list[AuditEntry]:
        if target is None:
            rows = self._read(cypher.AUDIT_ALL)
        else:
            rows = self._read(cypher.AUDIT_FOR_TARGET, target=target)
        flt = AuditFilter(target=target, entity=entity, editor=editor, since=since)
        at_entity: set[str] = set()
        if entity is not None:
            at_entity = {row["id"] for row in self._read(cypher.RELATION_IDS_AT, id=entity)}
        entries = [
            entry
            for entry in map(audit_from_props, (row["a"] for row in rows))
            if flt.keeps(entry, at_entity)
        ]
        return entries if limit is None else entries[:limit]

    # -- the review queue ---------------------------------------------------------------
    def review_queue(
        self,
        max_confidence: float = DEFAULT_REVIEW_CONFIDENCE,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Relation]:
        rows = self._read(
            cypher.review_queue(limited=limit is not None),
            skip=list(NOT_REVIEWED_TYPES),
            max=check_threshold(max_confidence),
            limit=limit,
            offset=offset,
        )
        return [relation_from_record(row) for row in rows]

    def count_review_queue(self, max_confidence: float = DEFAULT_REVIEW_CONFIDENCE) -> int:
        rows = self._read(
            cypher.REVIEW_COUNT, skip=list(NOT_REVIEWED_TYPES), max=check_threshold(max_confidence)
        )
        return int(rows[0]["total"]) if rows else 0

    def accept(self, relation_id: str, editor: str, note: str | None = None) -> Relation:
        return self._write(lambda tx: neo4j_edits.accept(tx, relation_id, editor, note))

    def iter_relations(self, include_retracted: bool = False) -> Iterator[Relation]:
        # One query whose records the driver fetches in chunks as they are consumed
        # (paging with SKIP or id > $after would sort everything again per page); its
        # own session, so the caller may use the store while iterating.
        query = cypher.all_relations(retracted=include_retracted)
        with (
            self._errors("reading"),
            self._driver.session(
                database=self.database,
                default_access_mode=neo4j.READ_ACCESS,
                fetch_size=EXPORT_CHUNK,
            ) as session,
        ):
            for record in session.run(query):
                yield relation_from_record(record.data())

    def to_networkx(
        self,
        labels: Iterable[Label] | None = None,
        types: Iterable[RelationType] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> nx.MultiDiGraph:
        return build_networkx(
            self.nodes(),
            self.iter_relations(),
            labels=labels,
            types=types,
            date_from=date_from,
            date_to=date_to,
        )
