"""graph.query descriptions as SQLite statements: one statement per list, count or group.

Every condition becomes an SQL expression over the fields' ``sql`` forms (graph.query);
relation conditions are ``EXISTS`` subqueries, a place hierarchy is a recursive CTE
walking LOCATED_IN / HELD_IN down from the place. Values are bound parameters, never
text in the statement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shegong.schema import RelationType

from .query import (
    MAX_PLACE_DEPTH,
    PLACE_TYPES,
    AllOf,
    AnyOf,
    Compare,
    Endpoint,
    FieldKind,
    FieldSpec,
    Filter,
    GroupBy,
    NodeQuery,
    Not,
    Op,
    OrderKey,
    Related,
    RelationQuery,
    Within,
    node_as_of,
    relation_as_of,
)
from .query import NODE_FIELDS as NODE_FIELDS_SQL
from .query import RELATION_FIELDS as RELATION_FIELDS_SQL
from .sqlite_schema import NODE_COLUMNS, RELATION_COLUMNS, TRIGRAM

__all__ = ["SqlStatement", "count_sql", "date_range_sql", "group_sql", "select_sql"]

_IN = "IN (SELECT value FROM json_each(?))"
_PLACE_TYPES = ", ".join(f"'{t.value}'" for t in PLACE_TYPES)
#: Says what the relations_target_typed index holds, so that SQLite may read it.
_NOT_MENTIONS = "r.type != 'MENTIONS'"

SqlStatement = tuple[str, list[Any]]


class _Compiler:
    def __init__(self) -> None:
        self.params: list[Any] = []
        self._vars = 0
        #: A place condition holds for the whole query: few rows reach the others.
        self.narrow = False

    def var(self, prefix: str) -> str:
        self._vars += 1
        return f"{prefix}{self._vars}"

    def bind(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    # -- conditions ----------------------------------------------------------------------
    def cond(self, flt: Filter, v: str, fields: dict[str, FieldSpec]) -> str:
        if isinstance(flt, AllOf):
            return (
                "(" + " AND ".join(self.cond(p, v, fields) for p in flt.parts) + ")"
                if flt.parts
                else "1"
            )
        if isinstance(flt, AnyOf):
            return (
                "(" + " OR ".join(self.cond(p, v, fields) for p in flt.parts) + ")"
                if flt.parts
                else "0"
            )
        if isinstance(flt, Not):
            # Two-valued: a condition on a missing value is false, so NOT holds there.
            return f"(NOT coalesce({self.cond(flt.part, v, fields)}, 0))"
        if isinstance(flt, Compare):
            spec = fields[flt.field]
            if spec.kind is FieldKind.NAMES:
                return self.names(flt, v)
            if spec.kind is FieldKind.LIST:
                j = self.var("j")
                inner = self.compare(f"{j}.value", FieldKind.TEXT, flt.op, flt.value)
                items = spec.sql.format(v=v)
                return f"EXISTS (SELECT 1 FROM json_each({items}) AS {j} WHERE {inner})"
            return self.compare(spec.sql.format(v=v), spec.kind, flt.op, flt.value)
        if isinstance(flt, Related):
            return self.related(flt, v)
        if isinstance(flt, Within):
            return self.within(flt, v)
        if isinstance(flt, Endpoint):
            column = "source" if flt.end == "source" else "target"
            m = self.var("n")
            inner = self.cond(flt.where, m, NODE_FIELDS_SQL)
            return f"EXISTS (SELECT 1 FROM nodes AS {m} WHERE {m}.id = {v}.{column} AND {inner})"
        raise TypeError(f"not a filter: {flt!r}")

    def compare(self, expr: str, kind: FieldKind, op: Op, value: Any) -> str:
        if op is Op.IS_NULL:
            return f"({expr} IS NULL)" if value else f"({expr} IS NOT NULL)"
        if kind is FieldKind.BOOL:
            return f"({expr} = {self.bind(int(bool(value)))})"
        if op is Op.IN:
            return f"({expr} {_IN.replace('?', self.bind(json.dumps(list(value))))})"
        if op is Op.CONTAINS:
            return f"(instr({expr}, {self.bind(value)}) > 0)"
        if op is Op.STARTS_WITH:
            return f"(substr({expr}, 1, {len(value)}) = {self.bind(value)})"
        if kind is FieldKind.DATE:
            # A shorter date stands for its whole period: compare that many characters.
            cut = f"substr({expr}, 1, {len(value)})"
            sql = {
                Op.EQ: f"{cut} = ?",
                Op.LT: f"{expr} < ?",
                Op.LTE: f"{cut} <= ?",
                Op.GT: f"{cut} > ?",
                Op.GTE: f"{expr} >= ?",
            }[op]
            self.bind(value)
            return f"({sql})"
        symbol = {Op.EQ: "=", Op.LT: "<", Op.LTE: "<=", Op.GT: ">", Op.GTE: ">="}[op]
        return f"({expr} {symbol} {self.bind(value)})"

    def names(self, flt: Compare, v: str) -> str:
        """The name or an alias (search forms): the node's own names when another
        condition already narrows the rows to few (a place), else an uncorrelated set of
        node ids, through the trigram index for substrings it can serve."""
        value = flt.value
        if self.narrow:
            inner = self.compare("s.simple", FieldKind.TEXT, flt.op, value)
            return f"EXISTS (SELECT 1 FROM names AS s WHERE s.node_id = {v}.id AND {inner})"
        if flt.op is Op.CONTAINS and len(value) >= TRIGRAM:
            phrase = '"' + value.replace('"', '""') + '"'
            return (
                f"({v}.id IN (SELECT node_id FROM name_search WHERE rid IN (SELECT rowid FROM "
                f"name_grams WHERE name_grams MATCH {self.bind(phrase)}) "
                f"AND instr(simple, {self.bind(value)}) > 0))"
            )
        inner = self.compare("simple", FieldKind.TEXT, flt.op, value)
        return f"({v}.id IN (SELECT node_id FROM names WHERE {inner}))"

    def related(self, flt: Related, v: str) -> str:
        arms = []
        ends = {"out": [("source", "target")], "in": [("target", "source")]}
        ends["both"] = ends["out"] + ends["in"]
        for here, there in ends[flt.direction]:
            r = self.var("r")
            parts = [f"{r}.{here} = {v}.id", f"{r}.retracted = 0"]
            if flt.types:
                parts.append(f"{r}.type {_IN.replace('?', self.bind(_types(flt.types)))}")
                if RelationType.MENTIONS not in {RelationType(t) for t in flt.types}:
                    parts.append(f"{r}.type != 'MENTIONS'")  # may read relations_target_typed
            if flt.other is not None:
                m = self.var("n")
                inner = self.cond(flt.other, m, NODE_FIELDS_SQL)
                parts.append(
                    f"EXISTS (SELECT 1 FROM nodes AS {m} WHERE {m}.id = {r}.{there} AND {inner})"
                )
            arms.append(f"EXISTS (SELECT 1 FROM relations AS {r} WHERE {' AND '.join(parts)})")
        found = "(" + " OR ".join(arms) + ")"
        return found if flt.quantifier == "some" else f"(NOT {found})"

    def within(self, flt: Within, v: str) -> str:
        """The place, the places inside it (LOCATED_IN chains of places), and whatever is
        LOCATED_IN or HELD_IN one of those: only places hold things, so the walk
        descends through places alone (a path of at most MAX_PLACE_DEPTH steps)."""
        place = self.bind(flt.place_id)
        return (
            f"({v}.id IN (WITH RECURSIVE places(id, depth) AS (SELECT {place}, 0 UNION "
            "SELECT r.source, places.depth + 1 FROM places JOIN relations AS r "
            f"ON r.target = places.id AND r.type = '{RelationType.LOCATED_IN.value}' "
            f"AND {_NOT_MENTIONS} AND r.retracted = 0 "
            "JOIN nodes AS p ON p.id = r.source AND p.label = 'Place' "
            f"WHERE places.depth < {MAX_PLACE_DEPTH}) "
            "SELECT id FROM places UNION SELECT r.source FROM places JOIN relations AS r "
            f"ON r.target = places.id AND r.type IN ({_PLACE_TYPES}) AND {_NOT_MENTIONS} "
            "AND r.retracted = 0 "
            f"WHERE places.depth < {MAX_PLACE_DEPTH}))"
        )

    # -- statements ----------------------------------------------------------------------
    def node_where(self, query: NodeQuery, v: str) -> str:
        parts = []
        if query.label is not None:
            parts.append(f"{v}.label = {self.bind(query.label.value)}")
        where = _with_as_of(query.where, node_as_of(query.as_of) if query.as_of else None)
        if where is not None:
            top = where.parts if isinstance(where, AllOf) else (where,)
            self.narrow = any(isinstance(part, Within) for part in top)
            parts.append(self.cond(where, v, NODE_FIELDS_SQL))
        return " AND ".join(parts) or "1"

    def relation_where(self, query: RelationQuery, v: str) -> str:
        parts = [] if query.include_retracted else [f"{v}.retracted = 0"]
        where = _with_as_of(query.where, relation_as_of(query.as_of) if query.as_of else None)
        if where is not None:
            parts.append(self.cond(where, v, RELATION_FIELDS_SQL))
        return " AND ".join(parts) or "1"

    def order(self, keys: Sequence[OrderKey], v: str, fields: dict[str, FieldSpec]) -> str:
        terms = []
        for key in keys:
            spec = fields[key.field]
            expr = spec.sql.format(v=v)
            direction = "DESC" if key.descending else "ASC"
            # NULL last in either direction (as Cypher sorts them ascending).
            terms.append(
                f"({expr}) IS NULL, {expr} {direction}" if spec.nullable else f"{expr} {direction}"
            )
        terms.append(f"{v}.id")
        return ", ".join(terms)


def _types(types: Sequence[RelationType]) -> str:
    return json.dumps(sorted(RelationType(t).value for t in types))


def _with_as_of(where: Filter | None, as_of: Filter | None) -> Filter | None:
    if as_of is None:
        return where
    return as_of if where is None else AllOf((where, as_of))


def _page(limit: int | None, offset: int, c: _Compiler) -> str:
    return f"LIMIT {c.bind(-1 if limit is None else limit)} OFFSET {c.bind(offset)}"


def select_sql(
    query: NodeQuery | RelationQuery, limit: int | None = None, offset: int = 0
) -> SqlStatement:
    """The rows of one page: NODE_COLUMNS of nodes, or RELATION_COLUMNS of relations."""
    c = _Compiler()
    if isinstance(query, NodeQuery):
        columns = ", ".join(f"n.{col.strip()}" for col in NODE_COLUMNS.split(","))
        where = c.node_where(query, "n")
        order = c.order(query.order, "n", NODE_FIELDS_SQL)
        sql = f"SELECT {columns} FROM nodes AS n WHERE {where} ORDER BY {order} "
        return sql + _page(limit, offset, c), c.params
    columns = ", ".join(f"r.{col.strip()}" for col in RELATION_COLUMNS.split(","))
    where = c.relation_where(query, "r")
    order = c.order(query.order, "r", RELATION_FIELDS_SQL)
    sql = f"SELECT {columns} FROM relations AS r WHERE {where} ORDER BY {order} "
    return sql + _page(limit, offset, c), c.params


def count_sql(query: NodeQuery | RelationQuery) -> SqlStatement:
    c = _Compiler()
    if isinstance(query, NodeQuery):
        return f"SELECT COUNT(*) FROM nodes AS n WHERE {c.node_where(query, 'n')}", c.params
    return f"SELECT COUNT(*) FROM relations AS r WHERE {c.relation_where(query, 'r')}", c.params


def date_range_sql(query: NodeQuery | RelationQuery, field: str) -> SqlStatement:
    """The earliest and latest value of a date field over the query's rows."""
    c = _Compiler()
    if isinstance(query, NodeQuery):
        expr = NODE_FIELDS_SQL[field].sql.format(v="n")
        where = c.node_where(query, "n")
        return f"SELECT MIN({expr}), MAX({expr}) FROM nodes AS n WHERE {where}", c.params
    expr = RELATION_FIELDS_SQL[field].sql.format(v="r")
    where = c.relation_where(query, "r")
    return f"SELECT MIN({expr}), MAX({expr}) FROM relations AS r WHERE {where}", c.params


_GROUP_ORDER = "ORDER BY total DESC, key IS NULL, key"


def group_sql(
    query: NodeQuery | RelationQuery, by: GroupBy, level: str | None = None
) -> SqlStatement:
    """Rows of (key, count, name) per group, largest first, then by key."""
    c = _Compiler()
    if isinstance(query, RelationQuery):
        keys = {
            GroupBy.TYPE: "r.type",
            GroupBy.YEAR: "substr(r.first_seen, 1, 4)",
        }
        if by not in keys:
            raise ValueError(f"relations group by type or year, not {by.value}")
        where = c.relation_where(query, "r")
        return (
            f"SELECT {keys[by]} AS key, COUNT(*) AS total, NULL FROM relations AS r WHERE {where} "
            f"GROUP BY 1 {_GROUP_ORDER}",
            c.params,
        )
    if by is GroupBy.PLACE:
        where = c.node_where(query, "n")
        level_param = c.bind(level)
        level_expr = NODE_FIELDS_SQL["level"].sql.format(v="p")
        sql = (
            f"WITH RECURSIVE hits(id) AS (SELECT n.id FROM nodes AS n WHERE {where}), "
            "up(id, place, depth) AS (SELECT id, id, 0 FROM hits UNION "
            "SELECT up.id, r.target, up.depth + 1 FROM up JOIN relations AS r "
            f"ON r.source = up.place WHERE r.type IN ({_PLACE_TYPES}) AND r.retracted = 0 "
            f"AND up.depth < {MAX_PLACE_DEPTH}) "
            "SELECT p.id AS key, COUNT(DISTINCT up.id) AS total, p.name FROM up JOIN nodes AS p "
            f"ON p.id = up.place WHERE p.label = 'Place' AND {level_expr} = {level_param} "
            f"GROUP BY p.id {_GROUP_ORDER}"
        )
        return sql, c.params
    keys = {
        GroupBy.LABEL: "n.label",
        GroupBy.KIND: "n.kind",
        GroupBy.LEVEL: NODE_FIELDS_SQL["level"].sql.format(v="n"),
        GroupBy.YEAR: f"substr({NODE_FIELDS_SQL['date'].sql.format(v='n')}, 1, 4)",
    }
    if by not in keys:
        raise ValueError(f"nodes group by label, kind, level, year or place, not {by.value}")
    where = c.node_where(query, "n")
    return (
        f"SELECT {keys[by]} AS key, COUNT(*) AS total, NULL FROM nodes AS n WHERE {where} GROUP BY 1 {_GROUP_ORDER}",
        c.params,
    )
