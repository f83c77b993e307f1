"""Every Cypher statement the Neo4j store sends, as named constants and builders.

Values always travel as ``$parameters``; rows are written with ``UNWIND $rows AS r``.
Labels and relationship types cannot be parameters in Cypher, so the builders that need
one take a ``Label`` or ``RelationType`` and check it against the schema enums before
putting it in the text: nothing a user typed is ever formatted into a query.

The statements keep to the Cypher that Neo4j 5 and ArcadeDB (its Bolt plugin) share.
Two findings about ArcadeDB shape them:

* a node's labels must all be given when it is created (``CREATE (n:Node:Person)``):
  adding a label later with ``SET n:Person`` makes ArcadeDB copy the record and trip the
  id constraint, and ``MERGE (n:Node:Person {id: ...})`` does not use the id index (it
  scans: 32 s for 4,000 rows next to 8,000 nodes), so the store reads what exists and
  then creates the new rows and updates the known ones;
* a relationship property index is used for ``WHERE e.id IN $ids`` but not for ids that
  come from ``UNWIND``, so relations are fetched by id one type at a time with a list
  parameter (``relations_by_id``), and written through their end nodes.

Graph model: every node has the label ``Node`` plus its schema label, and properties
``id label name aliases kind props first_seen last_seen keys skeys search_text`` and an
article's ``text`` (``props`` is JSON; ``keys`` are the name keys of the name and aliases, ``skeys`` their
search keys). Relationships have the schema type and properties ``id props evidence
evidence_count confidence curated retracted editor note created_at retracted_reason
retracted_at retracted_by`` (``props`` is JSON, ``evidence`` a list of JSON texts, one per
piece, so that reads page it in Cypher). Merge redirects are
``:Redirect`` nodes, the audit trail ``:Audit`` nodes numbered by a ``:Counter``.
"""

from __future__ import annotations

from collections.abc import Sequence

from shegong.schema import Label, RelationType, SchemaError

__all__ = [
    "AWAIT_FULLTEXT",
    "ALL_TYPES",
    "AUDIT_ALL",
    "AUDIT_FOR_TARGET",
    "CONSTRAINTS",
    "COUNT_NODES_BY_LABEL",
    "COUNT_RELATIONS_BY_TYPE",
    "CREATE_FULLTEXT",
    "DEGREE",
    "DELETE_NODE",
    "DELETE_REDIRECT",
    "EXPAND",
    "FETCH_FIRST_SEEN",
    "FETCH_LABELS",
    "FETCH_LOADED_FILES",
    "FETCH_NODES",
    "FETCH_NODE_SUMMARIES",
    "FETCH_REDIRECTS",
    "FIND_BY_KEY",
    "FULLTEXT_INDEX",
    "FULLTEXT_PROBE",
    "INDEXES",
    "INSERT_AUDIT",
    "NODE_LABEL",
    "NODE_SUMMARY",
    "REDIRECT_OF",
    "RECORD_FILES",
    "RELATIONS_FROM",
    "RELATIONS_TO",
    "REPOINT_ORIGINAL",
    "REPOINT_REDIRECTS",
    "SEARCH_CONTAINS",
    "SEARCH_FULLTEXT",
    "SHOW_CONSTRAINTS",
    "TOP_ENTITIES",
    "UPDATE_NODES",
    "WRITE_REDIRECT",
    "all_relations",
    "count_nodes",
    "create_nodes",
    "create_relations",
    "delete_relation",
    "label_text",
    "neighbours_many",
    "nodes_page",
    "relation_constraint",
    "relation_index",
    "relation_summary",
    "RELATION_SUMMARY",
    "evidence_pages",
    "relations_by_id",
    "relations_page",
    "relations_touching",
    "type_text",
    "update_relations",
]

NODE_LABEL = "Node"
FULLTEXT_INDEX = "node_search"
ALL_TYPES: tuple[RelationType, ...] = tuple(RelationType)

_RELATION_FIELDS = "a.id AS source, b.id AS target, type(e) AS type, properties(e) AS e"


# A relation read without its evidence: every property but ``evidence`` (a map projection
# names them; a missing one comes back null, as ``properties`` would leave it out).
def relation_summary(var: str) -> str:
    """A map of relationship ``var``'s properties without its evidence."""
    return (
        f"{var} {{.id, .props, .evidence_count, .confidence, .curated, .retracted, .editor, "
        ".note, .created_at, .retracted_reason, .first_seen, .last_seen}"
    )


_SUMMARY = relation_summary("e")
RELATION_SUMMARY = f"a.id AS source, b.id AS target, type(e) AS type, {_SUMMARY} AS e"


def label_text(label: Label | str) -> str:
    """``label`` checked against the schema, ready to stand in a query."""
    try:
        return Label(label).value
    except ValueError as error:
        raise SchemaError(f"unknown node label {label!r}") from error


def type_text(rtype: RelationType | str) -> str:
    """``rtype`` checked against the schema, ready to stand in a query."""
    try:
        return RelationType(rtype).value
    except ValueError as error:
        raise SchemaError(f"unknown relation type {rtype!r}") from error


# -- schema -------------------------------------------------------------------------
CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT redirect_id IF NOT EXISTS FOR (m:Redirect) REQUIRE m.id IS UNIQUE",
    "CREATE CONSTRAINT counter_name IF NOT EXISTS FOR (c:Counter) REQUIRE c.name IS UNIQUE",
)


def relation_constraint(rtype: RelationType) -> str:
    """Unique ids for one relationship type (Neo4j 5.7 and later, ArcadeDB)."""
    name = type_text(rtype)
    return (
        f"CREATE CONSTRAINT rel_{name.lower()}_id IF NOT EXISTS "
        f"FOR ()-[e:{name}]-() REQUIRE e.id IS UNIQUE"
    )


def relation_index(rtype: RelationType) -> str:
    """A plain index on the ids of one relationship type: the fallback for servers
    without relationship uniqueness constraints."""
    name = type_text(rtype)
    return f"CREATE INDEX rel_{name.lower()}_id IF NOT EXISTS FOR ()-[e:{name}]-() ON (e.id)"


INDEXES: tuple[str, ...] = (
    "CREATE INDEX node_label IF NOT EXISTS FOR (n:Node) ON (n.label)",
    "CREATE INDEX redirect_kept IF NOT EXISTS FOR (m:Redirect) ON (m.kept_id)",
    "CREATE INDEX audit_target IF NOT EXISTS FOR (a:Audit) ON (a.target)",
    "CREATE INDEX audit_seq IF NOT EXISTS FOR (a:Audit) ON (a.seq)",
    "CREATE INDEX loaded_file_digest IF NOT EXISTS FOR (f:LoadedFile) ON (f.digest)",
)

# -- loaded files: ``:LoadedFile`` nodes outside the graph (no ``:Node`` label) ------------
RECORD_FILES = (
    "UNWIND $rows AS row MERGE (f:LoadedFile {digest: row.digest}) "
    "SET f.path = row.path, f.extractor = row.extractor, f.loaded_at = $at"
)
FETCH_LOADED_FILES = (
    "MATCH (f:LoadedFile) WHERE f.digest IN $digests "
    "RETURN f.digest AS digest, f.extractor AS extractor"
)

SHOW_CONSTRAINTS = "SHOW CONSTRAINTS"

# Neo4j only; ArcadeDB answers with a syntax error and the store searches with CONTAINS.
CREATE_FULLTEXT = (
    f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Node) ON EACH [n.search_text]"
)
# Neo4j populates a new index in the background; a query before it is online fails.
AWAIT_FULLTEXT = "CALL db.awaitIndex($index, 120)"
FULLTEXT_PROBE = (
    "CALL db.index.fulltext.queryNodes($index, $query) YIELD node RETURN count(node) AS total"
)

# -- nodes --------------------------------------------------------------------------
FETCH_NODES = "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN properties(n) AS n"
FETCH_FIRST_SEEN = (
    "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id, n.first_seen AS date"
)
# The same without an article's text (titles, dates and sources are in ``props``).
NODE_SUMMARY = (
    "n {.id, .label, .name, .aliases, .kind, .props, .first_seen, .last_seen, .keys, .skeys}"
)
FETCH_NODE_SUMMARIES = f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) RETURN {NODE_SUMMARY} AS n"
FETCH_LABELS = "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN n.id AS id, n.label AS label"


def nodes_page(*, labelled: bool, limited: bool) -> str:
    """Nodes (of ``$label`` when ``labelled``) ordered by id, from ``$offset``."""
    where = " WHERE n.label = $label" if labelled else ""
    limit = " LIMIT $limit" if limited else ""
    return f"MATCH (n:Node){where} RETURN properties(n) AS n ORDER BY n.id SKIP $offset{limit}"


def count_nodes(*, labelled: bool) -> str:
    where = " WHERE n.label = $label" if labelled else ""
    return f"MATCH (n:Node){where} RETURN count(n) AS total"


COUNT_NODES_BY_LABEL = "MATCH (n:Node) RETURN n.label AS label, count(n) AS total"
DELETE_NODE = "MATCH (n:Node {id: $id}) DETACH DELETE n"


def create_nodes(label: Label) -> str:
    """Create nodes of one label (rows hold their full state)."""
    return (
        f"UNWIND $rows AS r CREATE (n:{NODE_LABEL}:{label_text(label)}) SET n = r "
        "RETURN count(n) AS total"
    )


# Replace the state of existing nodes (their labels never change).
UPDATE_NODES = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n = r RETURN count(n) AS total"


# -- relations ----------------------------------------------------------------------
def create_relations(rtype: RelationType) -> str:
    """Create relations of one type (rows hold the full state) between existing nodes
    whose labels are in ``$sources`` and ``$targets``; a row whose ends are missing or of
    the wrong label creates nothing, which the caller sees in the count."""
    return (
        "UNWIND $rows AS r MATCH (a:Node {id: r.source}) WHERE a.label IN $sources "
        "MATCH (b:Node {id: r.target}) WHERE b.label IN $targets "
        f"CREATE (a)-[e:{type_text(rtype)}]->(b) SET e = r.props RETURN count(e) AS total"
    )


def update_relations(rtype: RelationType) -> str:
    """Replace the state of existing relations of one type, found from their source."""
    return (
        f"UNWIND $rows AS r MATCH (a:Node {{id: r.source}})-[e:{type_text(rtype)}]->(:Node) "
        "WHERE e.id = r.id SET e = r.props RETURN count(e) AS total"
    )


def relations_by_id(types: Sequence[RelationType], *, evidence: bool = True) -> str:
    """Relations whose id is in ``$ids``, looked for in each of ``types``; with their
    evidence or without it."""
    fields = _RELATION_FIELDS if evidence else RELATION_SUMMARY
    return " UNION ALL ".join(
        f"MATCH (a)-[e:{type_text(t)}]->(b) WHERE e.id IN $ids RETURN {fields}" for t in types
    )


def evidence_pages(types: Sequence[RelationType]) -> str:
    """A page (``$start`` to ``$stop``, end excluded) of the evidence of each relation whose
    id is in ``$ids``: only the page leaves the server."""
    return " UNION ALL ".join(
        f"MATCH ()-[e:{type_text(t)}]->() WHERE e.id IN $ids "
        "RETURN e.id AS id, e.evidence[$start..$stop] AS page"
        for t in types
    )


def delete_relation(rtype: RelationType) -> str:
    return f"MATCH (:Node)-[e:{type_text(rtype)}]->(:Node) WHERE e.id = $id DELETE e"


RELATIONS_FROM = f"MATCH (a:Node {{id: $id}})-[e]->(b:Node) RETURN {_RELATION_FIELDS}"
RELATIONS_TO = f"MATCH (a:Node)-[e]->(b:Node {{id: $id}}) RETURN {_RELATION_FIELDS}"


def relations_touching() -> str:
    """Every relation with ``$id`` at either end (loops once)."""
    return f"{RELATIONS_FROM} UNION {RELATIONS_TO}"


def relations_page(
    *,
    by_source: bool,
    by_target: bool,
    typed: bool,
    min_confidence: bool,
    curated: bool,
    retracted: bool,
    limited: bool,
) -> str:
    """Relations matching the filters that are given (each one a fixed fragment with its
    parameter: ``$source $target $types $min_confidence $curated $retracted``)."""
    source = "(a:Node {id: $source})" if by_source else "(a:Node)"
    target = "(b:Node {id: $target})" if by_target else "(b:Node)"
    where = [
        cond
        for given, cond in (
            (typed, "type(e) IN $types"),
            (min_confidence, "e.confidence >= $min_confidence"),
            (curated, "e.curated = $curated"),
            (retracted, "e.retracted = $retracted"),
        )
        if given
    ]
    text = f"MATCH {source}-[e]->{target}"
    if where:
        text += " WHERE " + " AND ".join(where)
    text += f" RETURN {RELATION_SUMMARY} ORDER BY e.id SKIP $offset"
    return text + (" LIMIT $limit" if limited else "")


def all_relations(*, retracted: bool) -> str:
    """Every relation (or every non-retracted one) in id order, streamed (export)."""
    where = "" if retracted else " WHERE e.retracted = false"
    return f"MATCH (a:Node)-[e]->(b:Node){where} RETURN {_RELATION_FIELDS} ORDER BY e.id"


def neighbours_many(direction: str, typed: bool) -> str:
    """Non-retracted relations at each of ``$ids`` (out, in or both) with the other node,
    one row per (node, relation) (a loop twice with "both")."""
    pattern = {
        "out": "(n:Node {id: id})-[e]->(m:Node)",
        "in": "(n:Node {id: id})<-[e]-(m:Node)",
        "both": "(n:Node {id: id})-[e]-(m:Node)",
    }[direction]
    where = "e.retracted = false" + (" AND type(e) IN $types" if typed else "")
    return (
        f"UNWIND $ids AS id MATCH {pattern} WHERE {where} "
        "RETURN id AS node, startNode(e).id AS source, endNode(e).id AS target, "
        f"type(e) AS type, {_SUMMARY} AS e, properties(m) AS m"
    )


DEGREE = (
    "UNWIND $ids AS id MATCH (n:Node {id: id}) "
    "OPTIONAL MATCH (n)-[e]-() WHERE e.retracted = false AND type(e) <> 'MENTIONS' "
    "RETURN id, count(e) AS total"
)
COUNT_RELATIONS_BY_TYPE = (
    "MATCH (:Node)-[e]->(:Node) WHERE e.retracted = false RETURN type(e) AS type, count(e) AS total"
)
TOP_ENTITIES = (
    "MATCH (n:Node)-[e]-() WHERE n.label <> 'Article' AND e.retracted = false "
    "AND type(e) <> 'MENTIONS' "
    "RETURN n.id AS id, n.name AS name, count(e) AS total ORDER BY total DESC, id LIMIT $top"
)
# One hop of the path search: non-retracted relations at the frontier, both ways.
EXPAND = (
    "UNWIND $ids AS id MATCH (n:Node {id: id})-[e]-(m:Node) "
    "WHERE e.retracted = false AND NOT type(e) IN $skip "
    "RETURN startNode(e).id AS source, endNode(e).id AS target, "
    f"type(e) AS type, {_SUMMARY} AS e"
)

# -- search -------------------------------------------------------------------------
SEARCH_CONTAINS = (
    "MATCH (n:Node) WHERE n.label IN $labels AND ANY(k IN n.skeys WHERE k CONTAINS $text) "
    "RETURN n.id AS id, $text IN n.skeys AS exact, n.skeys AS keys"
)
SEARCH_FULLTEXT = (
    "CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS n "
    "WITH n WHERE n:Node AND n.label IN $labels AND ANY(k IN n.skeys WHERE k CONTAINS $text) "
    "RETURN n.id AS id, $text IN n.skeys AS exact, n.skeys AS keys"
)
FIND_BY_KEY = (
    "MATCH (n:Node) WHERE ($label IS NULL OR n.label = $label) AND $key IN n.keys "
    "RETURN properties(n) AS n ORDER BY n.id"
)

# -- merges and the audit trail -------------------------------------------------------
FETCH_REDIRECTS = (
    "UNWIND $ids AS id MATCH (m:Redirect {id: id}) RETURN m.id AS id, m.kept_id AS kept"
)
REDIRECT_OF = "MATCH (m:Redirect {id: $id}) RETURN properties(m) AS m"
REPOINT_REDIRECTS = "MATCH (m:Redirect) WHERE m.kept_id = $old SET m.kept_id = $new"
WRITE_REDIRECT = (
    "MERGE (m:Redirect {id: $id}) SET m.kept_id = $kept_id, m.original_kept = $original_kept, "
    "m.snapshot = $snapshot, m.at = $at, m.editor = $editor"
)
DELETE_REDIRECT = "MATCH (m:Redirect {id: $id}) DELETE m"
REPOINT_ORIGINAL = "MATCH (m:Redirect) WHERE m.original_kept = $id SET m.kept_id = $id"

INSERT_AUDIT = (
    "MERGE (c:Counter {name: 'audit'}) ON CREATE SET c.value = 0 "
    "SET c.value = c.value + 1 "
    "CREATE (a:Audit {seq: c.value, at: $at, editor: $editor, action: $action, "
    "target: $target, note: $note, details: $details})"
)
AUDIT_ALL = "MATCH (a:Audit) RETURN properties(a) AS a ORDER BY a.seq"
AUDIT_FOR_TARGET = (
    "MATCH (a:Audit) WHERE a.target = $target RETURN properties(a) AS a ORDER BY a.seq"
)
