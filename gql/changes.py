"""What a mutation changed: the nodes and relations it touched, read before and after the
write (one graph.query statement each) and compared field by field.

The mutation result (a ``Relation`` or an ``Entity``, as before) carries the list in its
``changes`` field; outside a mutation result the list is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

import strawberry
from shegong.graph import GraphStore
from shegong.graph.query import AnyOf, Compare, Endpoint, NodeQuery, Op, RelationQuery
from shegong.schema import Node, Relation
from strawberry.scalars import JSON

__all__ = ["Change", "ChangeAction", "attach", "changes_of", "with_changes"]

T = TypeVar("T")


@strawberry.enum(description="How a node or relation changed.")
class ChangeAction(Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@strawberry.type(description="One node or relation a mutation added, removed or changed.")
class Change:
    kind: str = strawberry.field(description='"node" or "relation".')
    id: strawberry.ID
    action: ChangeAction
    fields: list[str] = strawberry.field(description="The fields that differ (sorted).")
    before: JSON | None = strawberry.field(description="Those fields before (null if added).")
    after: JSON | None = strawberry.field(description="Those fields after (null if removed).")


def _node_state(node: Node) -> dict[str, Any]:
    return {
        "label": node.label.value,
        "name": node.name,
        "aliases": sorted(node.aliases),
        "kind": node.kind,
        "properties": dict(sorted(node.properties.items())),
        "firstSeen": node.first_seen,
        "lastSeen": node.last_seen,
    }


def _relation_state(rel: Relation) -> dict[str, Any]:
    return {
        "type": rel.type.value,
        "sourceId": rel.source_id,
        "targetId": rel.target_id,
        "properties": dict(sorted(rel.properties.items())),
        "curated": rel.curated,
        "retracted": rel.retracted,
        "retractedReason": rel.retracted_reason,
        "editor": rel.editor,
        "note": rel.note,
        "evidenceCount": rel.evidence_count,
        "confidence": rel.confidence,
    }


@dataclass(frozen=True)
class _Scope:
    node_ids: tuple[str, ...]
    relation_ids: tuple[str, ...]
    around: bool  # also every relation touching the nodes


@dataclass
class _Snapshot:
    nodes: dict[str, dict[str, Any]]
    relations: dict[str, dict[str, Any]]


def _snapshot(store: GraphStore, scope: _Scope) -> _Snapshot:
    nodes: dict[str, dict[str, Any]] = {}
    if scope.node_ids:
        # find_nodes, not get_many: a merged-away id must read as gone, not redirected.
        found = store.find_nodes(NodeQuery(where=Compare("id", Op.IN, list(scope.node_ids))))
        nodes = {n.id: _node_state(n) for n in found}
    wanted = []
    if scope.relation_ids:
        wanted.append(Compare("id", Op.IN, list(scope.relation_ids)))
    if scope.around and scope.node_ids:
        ids = Compare("id", Op.IN, list(scope.node_ids))
        wanted += [Endpoint("source", ids), Endpoint("target", ids)]
    relations: dict[str, dict[str, Any]] = {}
    if wanted:
        query = RelationQuery(AnyOf(tuple(wanted)), include_retracted=True)
        relations = {r.id: _relation_state(r) for r in store.find_relations(query)}
    return _Snapshot(nodes, relations)


def _json(value: dict[str, Any]) -> Any:
    return value


def _diff(
    kind: str, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[Change]:
    out = []
    for key in sorted(before.keys() | after.keys()):
        old: Any = before.get(key)
        new: Any = after.get(key)
        if old == new:
            continue
        if old is None or new is None:
            state: dict[str, Any] = new if old is None else old
            action = ChangeAction.ADDED if old is None else ChangeAction.REMOVED
            out.append(
                Change(
                    kind=kind,
                    id=strawberry.ID(key),
                    action=action,
                    fields=sorted(state),
                    before=old,
                    after=new,
                )
            )
            continue
        fields = sorted(f for f in old.keys() | new.keys() if old.get(f) != new.get(f))
        out.append(
            Change(
                kind=kind,
                id=strawberry.ID(key),
                action=ChangeAction.CHANGED,
                fields=fields,
                before=_json({f: old.get(f) for f in fields}),
                after=_json({f: new.get(f) for f in fields}),
            )
        )
    return out


def with_changes(
    store: GraphStore,
    write: Callable[[], T],
    node_ids: Sequence[str] = (),
    relation_ids: Sequence[str] = (),
    around: bool = False,
) -> tuple[T, list[Change]]:
    """Run ``write`` (blocking) and say what it changed among the given nodes, relations
    and (``around``) the relations touching the nodes; nodes first, then relations."""
    scope = _Scope(tuple(sorted(set(node_ids))), tuple(sorted(set(relation_ids))), around)
    before = _snapshot(store, scope)
    result = write()
    after = _snapshot(store, scope)
    return result, _diff("node", before.nodes, after.nodes) + _diff(
        "relation", before.relations, after.relations
    )


_ATTR = "_shegong_changes"


def attach(result: T, changes: list[Change]) -> T:
    """``result`` (a GraphQL object) carrying ``changes`` for its ``changes`` field."""
    setattr(result, _ATTR, changes)
    return result


def changes_of(obj: object) -> list[Change]:
    """The changes attached to a mutation result (none on other objects)."""
    found: list[Change] = getattr(obj, _ATTR, [])
    return found
