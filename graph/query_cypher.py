"""graph.query descriptions as Cypher statements: one statement per list, count or group.

The twin of graph.query_sql over the same field table: every condition becomes a Cypher
expression over the fields' ``cypher`` forms; relation conditions are ``EXISTS { MATCH
... }`` subqueries, a place hierarchy a variable-length LOCATED_IN / HELD_IN pattern.
Only constructs Neo4j 5 and ArcadeDB both run; values are ``$parameters``, relation
types come from the schema's enum.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .cypher import relation_summary, type_text
from .query import (
    MAX_PLACE_DEPTH,
    NODE_FIELDS,
    PLACE_TYPES,
    RELATION_FIELDS,
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

__all__ = ["CypherStatement", "count_cypher", "date_range_cypher", "group_cypher", "select_cypher"]

CypherStatement = tuple[str, dict[str, Any]]

_PLACE_PATTERN = f"[:{'|'.join(t.value for t in PLACE_TYPES)}*0..{MAX_PLACE_DEPTH}]"
# Without the evidence, which the API pages (GraphStore.evidence).
_RELATION_FIELDS = f"a.id AS source, b.id AS target, type(r) AS type, {relation_summary('r')} AS e"


class _Compiler:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._vars = 0

    def var(self, prefix: str) -> str:
        self._vars += 1
        return f"{prefix}{self._vars}"

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def cond(
        self,
        flt: Filter,
        v: str,
        fields: dict[str, FieldSpec],
        ends: tuple[str, str] = ("a", "b"),
    ) -> str:
        if isinstance(flt, AllOf):
            if not flt.parts:
                return "true"
            return "(" + " AND ".join(self.cond(p, v, fields, ends) for p in flt.parts) + ")"
        if isinstance(flt, AnyOf):
            if not flt.parts:
                return "false"
            return "(" + " OR ".join(self.cond(p, v, fields, ends) for p in flt.parts) + ")"
        if isinstance(flt, Not):
            # Two-valued, as in query_sql: a condition on a missing value is false.
            return f"(NOT coalesce({self.cond(flt.part, v, fields, ends)}, false))"
        if isinstance(flt, Compare):
            spec = fields[flt.field]
            expr = spec.cypher.format(v=v)
            if spec.kind in (FieldKind.NAMES, FieldKind.LIST):
                k = self.var("k")
                inner = self.compare(k, FieldKind.TEXT, flt.op, flt.value)
                return f"ANY({k} IN coalesce({expr}, []) WHERE {inner})"
            return self.compare(expr, spec.kind, flt.op, flt.value)
        if isinstance(flt, Related):
            return self.related(flt, v)
        if isinstance(flt, Within):
            x, path, e = self.var("x"), self.var("path"), self.var("e")
            return (
                f"EXISTS {{ MATCH {path} = ({v})-{_PLACE_PATTERN}->({x}:Node) "
                f"WHERE {x}.id = {self.bind(flt.place_id)} "
                f"AND ALL({e} IN relationships({path}) WHERE {e}.retracted = false) }}"
            )
        if isinstance(flt, Endpoint):
            end = ends[0] if flt.end == "source" else ends[1]
            return self.cond(flt.where, end, NODE_FIELDS)
        raise TypeError(f"not a filter: {flt!r}")

    def compare(self, expr: str, kind: FieldKind, op: Op, value: Any) -> str:
        if op is Op.IS_NULL:
            return f"({expr} IS NULL)" if value else f"({expr} IS NOT NULL)"
        if kind is FieldKind.BOOL:
            return f"({expr} = {self.bind(bool(value))})"
        if op is Op.IN:
            return f"({expr} IN {self.bind(list(value))})"
        if op is Op.CONTAINS:
            return f"({expr} CONTAINS {self.bind(value)})"
        if op is Op.STARTS_WITH:
            return f"({expr} STARTS WITH {self.bind(value)})"
        if kind is FieldKind.DATE:
            cut = f"substring({expr}, 0, {len(value)})"
            p = self.bind(value)
            return {
                Op.EQ: f"({cut} = {p})",
                Op.LT: f"({expr} < {p})",
                Op.LTE: f"({cut} <= {p})",
                Op.GT: f"({cut} > {p})",
                Op.GTE: f"({expr} >= {p})",
            }[op]
        symbol = {Op.EQ: "=", Op.LT: "<", Op.LTE: "<=", Op.GT: ">", Op.GTE: ">="}[op]
        return f"({expr} {symbol} {self.bind(value)})"

    def related(self, flt: Related, v: str) -> str:
        r, m = self.var("r"), self.var("m")
        types = ":" + "|".join(type_text(t) for t in flt.types) if flt.types else ""
        left, right = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}[flt.direction]
        where = f"{r}.retracted = false"
        if flt.other is not None:
            where += f" AND {self.cond(flt.other, m, NODE_FIELDS)}"
        found = f"EXISTS {{ MATCH ({v}){left}[{r}{types}]{right}({m}:Node) WHERE {where} }}"
        return found if flt.quantifier == "some" else f"(NOT {found})"

    def order(self, keys: Sequence[OrderKey], v: str, fields: dict[str, FieldSpec]) -> str:
        terms = []
        for key in keys:
            spec = fields[key.field]
            expr = spec.cypher.format(v=v)
            direction = "DESC" if key.descending else "ASC"
            nulls = f"CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END, " if spec.nullable else ""
            terms.append(f"{nulls}{expr} {direction}")
        terms.append(f"{v}.id")
        return ", ".join(terms)

    # -- the MATCH and WHERE of a query ----------------------------------------------------
    def node_match(self, query: NodeQuery) -> str:
        label = query.label.value if query.label is not None else "Node"
        text = f"MATCH (n:{label})"
        where = _with_as_of(query.where, node_as_of(query.as_of) if query.as_of else None)
        if where is not None:
            text += f" WHERE {self.cond(where, 'n', NODE_FIELDS)}"
        return text

    def relation_match(self, query: RelationQuery) -> str:
        parts = [] if query.include_retracted else ["r.retracted = false"]
        where = _with_as_of(query.where, relation_as_of(query.as_of) if query.as_of else None)
        if where is not None:
            parts.append(self.cond(where, "r", RELATION_FIELDS))
        text = "MATCH (a:Node)-[r]->(b:Node)"
        return text + (f" WHERE {' AND '.join(parts)}" if parts else "")


def _with_as_of(where: Filter | None, as_of: Filter | None) -> Filter | None:
    if as_of is None:
        return where
    return as_of if where is None else AllOf((where, as_of))


def _page(limit: int | None, offset: int, c: _Compiler) -> str:
    text = f" SKIP {c.bind(offset)}"
    return text + (f" LIMIT {c.bind(limit)}" if limit is not None else "")


def select_cypher(
    query: NodeQuery | RelationQuery, limit: int | None = None, offset: int = 0
) -> CypherStatement:
    """One page: rows of ``n`` (node properties), or of source/target/type/e."""
    c = _Compiler()
    if isinstance(query, NodeQuery):
        text = f"{c.node_match(query)} WITH n ORDER BY {c.order(query.order, 'n', NODE_FIELDS)}"
        return text + _page(limit, offset, c) + " RETURN properties(n) AS n", c.params
    order = c.order(query.order, "r", RELATION_FIELDS)
    text = f"{c.relation_match(query)} WITH a, r, b ORDER BY {order}"
    return text + _page(limit, offset, c) + f" RETURN {_RELATION_FIELDS}", c.params


def count_cypher(query: NodeQuery | RelationQuery) -> CypherStatement:
    c = _Compiler()
    match = c.node_match(query) if isinstance(query, NodeQuery) else c.relation_match(query)
    return f"{match} RETURN count(*) AS total", c.params


def date_range_cypher(query: NodeQuery | RelationQuery, field: str) -> CypherStatement:
    c = _Compiler()
    if isinstance(query, NodeQuery):
        expr, match = NODE_FIELDS[field].cypher.format(v="n"), c.node_match(query)
    else:
        expr, match = RELATION_FIELDS[field].cypher.format(v="r"), c.relation_match(query)
    return f"{match} RETURN min({expr}) AS lo, max({expr}) AS hi", c.params


_GROUP_RETURN = " ORDER BY total DESC, CASE WHEN key IS NULL THEN 1 ELSE 0 END, key"


def group_cypher(
    query: NodeQuery | RelationQuery, by: GroupBy, level: str | None = None
) -> CypherStatement:
    """Rows of key, total, name per group, largest first, then by key."""
    c = _Compiler()
    if isinstance(query, RelationQuery):
        keys = {GroupBy.TYPE: "type(r)", GroupBy.YEAR: "substring(r.first_seen, 0, 4)"}
        if by not in keys:
            raise ValueError(f"relations group by type or year, not {by.value}")
        text = (
            f"{c.relation_match(query)} RETURN {keys[by]} AS key, count(*) AS total, null AS name"
        )
        return text + _GROUP_RETURN, c.params
    if by is GroupBy.PLACE:
        level_expr = NODE_FIELDS["level"].cypher.format(v="p")
        text = (
            f"{c.node_match(query)} MATCH path = (n)-{_PLACE_PATTERN}->(p:Node) "
            f"WHERE p.label = 'Place' AND {level_expr} = {c.bind(level)} "
            "AND ALL(e IN relationships(path) WHERE e.retracted = false) "
            "RETURN p.id AS key, count(DISTINCT n) AS total, p.name AS name"
        )
        return text + _GROUP_RETURN, c.params
    keys = {
        GroupBy.LABEL: "n.label",
        GroupBy.KIND: "n.kind",
        GroupBy.LEVEL: NODE_FIELDS["level"].cypher.format(v="n"),
        GroupBy.YEAR: f"substring({NODE_FIELDS['date'].cypher.format(v='n')}, 0, 4)",
    }
    if by not in keys:
        raise ValueError(f"nodes group by label, kind, level, year or place, not {by.value}")
    text = f"{c.node_match(query)} RETURN {keys[by]} AS key, count(*) AS total, null AS name"
    return text + _GROUP_RETURN, c.params
