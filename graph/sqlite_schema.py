"""The embedded store's SQLite tables, and conversion between rows and models.

Lists and mappings are stored as JSON text; ``names`` holds one row per distinct name
form of a node (canonical name and aliases) with its ``name_key`` (exact lookup) and
``search_key`` (substring search), so neither needs to parse JSON.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from shegong.schema import Evidence, Label, Node, Relation, RelationType, name_key

from .text import search_key

__all__ = [
    "DDL",
    "NODE_COLUMNS",
    "NODE_SUMMARY_COLUMNS",
    "RELATION_COLUMNS",
    "SCHEMA_VERSION",
    "SEARCH_DDL",
    "TRIGRAM",
    "connect",
    "dumps",
    "ensure_relation_dates",
    "ensure_search_index",
    "ensure_review_columns",
    "evidence_row",
    "id_list",
    "name_rows",
    "node_from_row",
    "node_row",
    "relation_from_row",
    "refresh_relation_dates",
    "relation_row",
    "utc_now",
]

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS nodes (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    name        TEXT NOT NULL,
    aliases     TEXT NOT NULL DEFAULT '[]',
    kind        TEXT,
    properties  TEXT NOT NULL DEFAULT '{}',
    first_seen  TEXT,
    last_seen   TEXT
);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label, id);
-- lists sorted by name (either way) page from this index instead of sorting the label.
CREATE INDEX IF NOT EXISTS nodes_label_name ON nodes(label, name, id);

CREATE TABLE IF NOT EXISTS names (
    node_id  TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
    label    TEXT NOT NULL,
    key      TEXT NOT NULL,
    simple   TEXT NOT NULL,
    PRIMARY KEY (node_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_key ON names(key, label);

CREATE TABLE IF NOT EXISTS relations (
    id               TEXT PRIMARY KEY,
    type             TEXT NOT NULL,
    source           TEXT NOT NULL REFERENCES nodes(id),
    target           TEXT NOT NULL REFERENCES nodes(id),
    properties       TEXT NOT NULL DEFAULT '{}',
    confidence       REAL NOT NULL DEFAULT 1.0,
    evidence_count   INTEGER NOT NULL DEFAULT 0,
    curated          INTEGER NOT NULL DEFAULT 0,
    retracted        INTEGER NOT NULL DEFAULT 0,
    editor           TEXT,
    note             TEXT,
    created_at       TEXT,
    retracted_reason TEXT,
    retracted_at     TEXT,
    retracted_by     TEXT,
    reviewed         INTEGER NOT NULL DEFAULT 0,
    loaded_at        TEXT,
    first_seen       TEXT,
    last_seen        TEXT
);
CREATE INDEX IF NOT EXISTS relations_source ON relations(source, type, retracted);
-- with the source, so a place hierarchy (what is LOCATED_IN / HELD_IN these places) reads
-- the index alone. MENTIONS (article -> entity, three relations in four) are left out:
-- their entries would land all over the index, a page written per relation in a load,
-- and relations_target_id serves them. SQLite reads it only for a query that says
-- `type != 'MENTIONS'` itself (with any alias). Replaces relations_target (target, type,
-- retracted) and relations_target_source (the same with MENTIONS) of older stores.
DROP INDEX IF EXISTS relations_target;
DROP INDEX IF EXISTS relations_target_source;
CREATE INDEX IF NOT EXISTS relations_target_typed ON relations(target, type, retracted, source)
    WHERE type != 'MENTIONS';
CREATE INDEX IF NOT EXISTS relations_type ON relations(type, retracted);
-- neighbours: a node's relations in id order, type checked in the index (LIMIT on hubs).
CREATE INDEX IF NOT EXISTS relations_source_id ON relations(source, retracted, id, type);
CREATE INDEX IF NOT EXISTS relations_target_id ON relations(target, retracted, id, type);

CREATE TABLE IF NOT EXISTS evidence (
    relation_id  TEXT NOT NULL REFERENCES relations(id) ON DELETE CASCADE ON UPDATE CASCADE,
    article_id   TEXT NOT NULL,
    sentence     TEXT NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    rule         TEXT NOT NULL,
    confidence   REAL NOT NULL,
    UNIQUE (relation_id, article_id, start, "end", rule)
);

CREATE TABLE IF NOT EXISTS merges (
    old_id         TEXT PRIMARY KEY,
    kept_id        TEXT NOT NULL,
    original_kept  TEXT NOT NULL,
    snapshot       TEXT NOT NULL,
    at             TEXT NOT NULL,
    editor         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS merges_kept ON merges(kept_id);

CREATE TABLE IF NOT EXISTS audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    editor   TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    note     TEXT,
    details  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_target ON audit(target, seq);

-- Files whose extraction is stored, by the sha256 of their bytes: a reload skips them
-- while the extractor version is the same.
CREATE TABLE IF NOT EXISTS loaded_files (
    digest     TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    extractor  TEXT NOT NULL,
    loaded_at  TEXT NOT NULL
);
"""

#: Substring search without scanning every name: ``name_search`` mirrors ``names`` with
#: a rowid (kept in step by triggers, so every writer keeps it right), and ``name_grams``
#: indexes its ``simple`` column by trigrams (FTS5, case-sensitive so that a match is
#: exactly an ``instr`` match). Queries under 3 characters still scan ``names``.
SEARCH_DDL = """
CREATE TABLE IF NOT EXISTS name_search (
    rid      INTEGER PRIMARY KEY,
    node_id  TEXT NOT NULL,
    label    TEXT NOT NULL,
    key      TEXT NOT NULL,
    simple   TEXT NOT NULL,
    UNIQUE (node_id, key)
);
CREATE VIRTUAL TABLE IF NOT EXISTS name_grams USING fts5(
    simple, content='name_search', content_rowid='rid', tokenize='trigram case_sensitive 1'
);
CREATE TRIGGER IF NOT EXISTS name_search_ins AFTER INSERT ON name_search BEGIN
    INSERT INTO name_grams(rowid, simple) VALUES (new.rid, new.simple);
END;
CREATE TRIGGER IF NOT EXISTS name_search_del AFTER DELETE ON name_search BEGIN
    INSERT INTO name_grams(name_grams, rowid, simple) VALUES ('delete', old.rid, old.simple);
END;
CREATE TRIGGER IF NOT EXISTS names_ins AFTER INSERT ON names BEGIN
    INSERT INTO name_search(node_id, label, key, simple)
        VALUES (new.node_id, new.label, new.key, new.simple);
END;
CREATE TRIGGER IF NOT EXISTS names_del AFTER DELETE ON names BEGIN
    DELETE FROM name_search WHERE node_id = old.node_id AND key = old.key;
END;
CREATE TRIGGER IF NOT EXISTS names_upd AFTER UPDATE ON names BEGIN
    DELETE FROM name_search WHERE node_id = old.node_id AND key = old.key;
    INSERT INTO name_search(node_id, label, key, simple)
        VALUES (new.node_id, new.label, new.key, new.simple);
END;
"""

#: Shortest query the trigram index serves.
TRIGRAM = 3


#: Earliest and latest article date of each relation's evidence, kept by
#: ``refresh_relation_dates`` whenever evidence is written or moved.
_REFRESH_DATES = (
    "UPDATE relations SET (first_seen, last_seen) = (SELECT MIN(a.first_seen), "
    "MAX(a.first_seen) FROM evidence AS ev JOIN nodes AS a ON a.id = ev.article_id "
    "WHERE ev.relation_id = relations.id)"
)


def refresh_relation_dates(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> None:
    """Set first/last seen of relations ``ids`` (all when None) from their evidence."""
    if ids is None:
        conn.execute(_REFRESH_DATES)
        return
    wanted = id_list(ids)
    if wanted != "[]":
        conn.execute(f"{_REFRESH_DATES} WHERE id IN (SELECT value FROM json_each(?))", (wanted,))


def ensure_relation_dates(conn: sqlite3.Connection) -> None:
    """Add the relation date columns to a store written before they existed."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(relations)")}
    if "first_seen" in columns:
        return
    with conn:
        conn.execute("ALTER TABLE relations ADD COLUMN first_seen TEXT")
        conn.execute("ALTER TABLE relations ADD COLUMN last_seen TEXT")
        refresh_relation_dates(conn)


def ensure_search_index(conn: sqlite3.Connection) -> None:
    """Create the trigram search tables; fill them from ``names`` the first time (a
    store written before they existed)."""
    existed = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'name_search'").fetchone()
    conn.executescript(SEARCH_DDL)
    if not existed:
        with conn:
            conn.execute(
                "INSERT INTO name_search(node_id, label, key, simple) "
                "SELECT node_id, label, key, simple FROM names ORDER BY node_id, key"
            )


#: Columns added after the first release: a store written before them gets them on open.
_ADDED_RELATION_COLUMNS = {
    "reviewed": "INTEGER NOT NULL DEFAULT 0",  # accepted from the review queue
    "loaded_at": "TEXT",  # when the store first held the relation (review order)
}
_REVIEW_INDEX = (
    "CREATE INDEX IF NOT EXISTS relations_review "
    "ON relations(reviewed, retracted, curated, loaded_at, id)"
)


def ensure_review_columns(conn: sqlite3.Connection) -> None:
    """Add the review columns (and their index) to a store made before they existed."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(relations)")}
    for column, decl in _ADDED_RELATION_COLUMNS.items():
        if column not in present:
            conn.execute(f"ALTER TABLE relations ADD COLUMN {column} {decl}")
    conn.execute(_REVIEW_INDEX)


NODE_COLUMNS = "id, label, name, aliases, kind, properties, first_seen, last_seen"
#: NODE_COLUMNS with an article's text cut out of its properties in SQL, so that showing
#: titles never brings the bodies into Python.
NODE_SUMMARY_COLUMNS = (
    "id, label, name, aliases, kind, "
    "CASE WHEN label = 'Article' THEN json_remove(properties, '$.text') ELSE properties END, "
    "first_seen, last_seen"
)
RELATION_COLUMNS = (
    "id, type, source, target, properties, curated, retracted, editor, note, created_at, "
    "retracted_reason, confidence, evidence_count, first_seen, last_seen, reviewed"
)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON, so equal contents give equal text."""
    if not value:
        return (
            "{}"
            if isinstance(value, dict)
            else "[]"
            if isinstance(value, list)
            else _ENCODER.encode(value)
        )
    return _ENCODER.encode(value)


def node_row(node: Node) -> tuple[Any, ...]:
    """Row for ``nodes`` in NODE_COLUMNS order (``node`` already in stored form)."""
    return (
        node.id,
        node.label.value,
        node.name,
        dumps(list(node.aliases)),
        node.kind,
        dumps(dict(node.properties)),
        node.first_seen,
        node.last_seen,
    )


def _loads(text: str) -> Any:
    # Most stored lists and mappings are empty; parsing "{}" thousands of times per
    # neighbourhood shows in profiles.
    return {} if text == "{}" else [] if text == "[]" else json.loads(text)


def node_from_row(row: Sequence[Any]) -> Node:
    return Node(
        label=Label(row[1]),
        name=row[2],
        aliases=tuple(_loads(row[3])),
        kind=row[4],
        properties=_loads(row[5]),
        first_seen=row[6],
        last_seen=row[7],
        id=row[0],
    )


def name_rows(node: Node) -> list[tuple[str, str, str, str]]:
    """Rows for ``names``: one per distinct name_key among the name and aliases."""
    rows: dict[str, tuple[str, str, str, str]] = {}
    for form in (node.name, *node.aliases):
        key = name_key(form)
        if key and key not in rows:
            rows[key] = (node.id, node.label.value, key, search_key(form))
    return list(rows.values())


def relation_row(rel: Relation) -> tuple[Any, ...]:
    """Row for ``relations``: id to retracted_reason, reviewed, confidence, evidence_count."""
    return (
        rel.id,
        rel.type.value,
        rel.source_id,
        rel.target_id,
        dumps(rel.properties),
        int(rel.curated),
        int(rel.retracted),
        rel.editor,
        rel.note,
        rel.created_at,
        rel.retracted_reason,
        int(rel.reviewed),
        rel.confidence,
        len(rel.evidence),
    )


def relation_from_row(row: Sequence[Any], evidence: Iterable[Evidence] | None = None) -> Relation:
    """A relation from a RELATION_COLUMNS row: with ``evidence`` when given, else read
    without it (its stored count and best confidence kept)."""
    return Relation(
        type=RelationType(row[1]),
        source_id=row[2],
        target_id=row[3],
        properties=_loads(row[4]),
        evidence=[] if evidence is None else list(evidence),
        curated=bool(row[5]),
        retracted=bool(row[6]),
        editor=row[7],
        note=row[8],
        created_at=row[9],
        retracted_reason=row[10],
        id=row[0],
        stored_confidence=None if evidence is not None else float(row[11]),
        stored_evidence_count=None if evidence is not None else int(row[12]),
        first_seen=row[13],
        last_seen=row[14],
        reviewed=bool(row[15]),
    )


def evidence_row(relation_id: str, ev: Evidence) -> tuple[Any, ...]:
    return (relation_id, ev.article_id, ev.sentence, ev.start, ev.end, ev.rule, ev.confidence)


def connect(path: str, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # A small page cache (8 MB) unless the caller sets another (sqlite_pool: the writer's
    # and the readers'). Few WAL checkpoints keep bulk loads fast: each copies every
    # dirty page back and waits for two fsyncs, and a load's batches dirty ~25k pages
    # each. Every 400k pages (1.6 GB of WAL at most) against 100k: 14 % less wall time
    # and 7 % less CPU for the writer inserting into a 1M-relation store.
    conn.execute("PRAGMA cache_size = -8192")
    conn.execute("PRAGMA wal_autocheckpoint = 400000")
    conn.execute("PRAGMA journal_size_limit = 67108864")  # WAL cut back to 64 MB afterwards
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def id_list(ids: Iterable[str]) -> str:
    """One JSON parameter for ``IN (SELECT value FROM json_each(?))``: no limit on count."""
    return json.dumps(sorted(set(ids)))


def utc_now() -> str:
    """The current time as an ISO string (UTC, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
