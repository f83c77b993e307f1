"""Editor mutations, behind ``Authorization: Bearer <SHEGONG_EDITOR_TOKEN>``.

Each records the editor (the ``editor`` argument, else the ``X-Shegong-Editor`` header,
else "api"), the time and the note: ``retract``, ``merge``, ``unmerge`` and ``add_alias``
audit in the store; ``addRelation`` writes a curated relation and an audit entry. Each
result carries ``changes``: the nodes and relations the mutation added, removed or
changed (gql.changes).
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import strawberry
from shegong.loaders.editing import CREATED, RETRACTED, CuratedRow, add_curated
from shegong.schema import (
    InputError,
    Label,
    Node,
    NotFoundError,
    PermissionDenied,
    RelationType,
    relation_id,
)
from shegong.schema import Relation as RelationModel
from strawberry.scalars import JSON

from .changes import attach, with_changes
from .context import Context, Info
from .types_nodes import Entity, as_entity
from .types_relations import Relation, as_relation

__all__ = ["EDITOR_HEADER", "Mutation", "check_editor"]

EDITOR_HEADER = "X-Shegong-Editor"


def check_editor(ctx: Context, editor: str | None) -> str:
    """The editor's name if the request carries the editors' token; else PermissionDenied."""
    expected = ctx.settings.editor_token
    if not expected:
        raise PermissionDenied(
            "editor mutations are disabled on this server: start it with SHEGONG_EDITOR_TOKEN set"
        )
    header = ctx.header("authorization")
    if not header:
        raise PermissionDenied("editor mutations need an 'Authorization: Bearer <token>' header")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PermissionDenied("the Authorization header must read 'Bearer <token>'")
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise PermissionDenied("invalid editor token")
    name = (editor or ctx.header(EDITOR_HEADER) or "api").strip()
    if not name:
        raise InputError("editor must not be blank")
    return name


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@strawberry.input(description="A curated relation to add.")
class AddRelationInput:
    type: RelationType
    source: strawberry.ID
    target: strawberry.ID
    properties: JSON | None = None
    note: str | None = None
    editor: str | None = None


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Add, confirm or correct a curated relation, validated and audited as "
        "`shegong edges add` does: a property value differing from the stored one corrects "
        "it (the audit keeps old and new value); a retracted relation stays retracted."
    )
    async def add_relation(self, info: Info, input: AddRelationInput) -> Relation:
        ctx = info.context
        editor = check_editor(ctx, input.editor)
        props: object = input.properties or {}
        if not isinstance(props, dict):
            raise InputError(f"properties must be a JSON object, got {props!r}")
        row = CuratedRow(
            line=1,
            source=str(input.source).strip(),
            relation=input.type.value,
            target=str(input.target).strip(),
            properties=props,
            note=(input.note or "").strip(),
            editor=editor,
        )

        def write() -> RelationModel:
            # The CLI's path: the same validation, comparison, correction and audit.
            result = add_curated(row, ctx.store, editor=editor)
            [change] = [c for c in result.changes if c.status != CREATED]
            if change.status == RETRACTED:
                raise InputError(f"relation {change.id} is retracted: {change.summary}")
            stored = ctx.store.relation(change.id)
            if stored is None:  # pragma: no cover - just written
                raise NotFoundError(f"relation {change.id} vanished after writing")
            return stored

        rid = relation_id(input.type, row.source, row.target)
        stored, changes = await ctx.call(with_changes, ctx.store, write, relation_ids=[rid])
        return attach(as_relation(stored, info.context.loaders), changes)

    @strawberry.mutation(description="Retract a relation (kept, marked, never resurrected).")
    async def retract_relation(
        self,
        info: Info,
        id: strawberry.ID,
        reason: str,
        note: str | None = None,
        editor: str | None = None,
    ) -> Relation:
        ctx = info.context
        name = check_editor(ctx, editor)
        if not reason.strip():
            raise InputError("reason must not be blank")
        rel, changes = await ctx.call(
            with_changes,
            ctx.store,
            lambda: ctx.store.retract(str(id), reason, name, note),
            relation_ids=[str(id)],
        )
        return attach(as_relation(rel, info.context.loaders), changes)

    @strawberry.mutation(description="Add an alias to an entity; audited.")
    async def add_alias(
        self,
        info: Info,
        id: strawberry.ID,
        alias: str,
        note: str | None = None,
        editor: str | None = None,
    ) -> Entity:
        ctx = info.context
        name = check_editor(ctx, editor)
        if not alias.strip():
            raise InputError("alias must not be blank")
        await _require_entity(info, str(id), "id")
        node, changes = await ctx.call(
            with_changes,
            ctx.store,
            lambda: ctx.store.add_alias(str(id), alias.strip(), name, note),
            node_ids=[str(id)],
        )
        return attach(_entity(node, str(id)), changes)

    @strawberry.mutation(
        description="Fold `merge` into `keep`: names become aliases, relations move; audited."
    )
    async def merge_entities(
        self,
        info: Info,
        keep: strawberry.ID,
        merge: list[strawberry.ID],
        note: str | None = None,
        editor: str | None = None,
    ) -> Entity:
        ctx = info.context
        name = check_editor(ctx, editor)
        others = [str(m) for m in merge]
        if not others:
            raise InputError("merge must name at least one entity id")
        if str(keep) in others:
            raise InputError(f"cannot merge {keep!s} into itself")
        for node_id, arg in [(str(keep), "keep"), *((o, "merge") for o in others)]:
            await _require_entity(info, node_id, arg)
        node, changes = await ctx.call(
            with_changes,
            ctx.store,
            lambda: ctx.store.merge(str(keep), others, name, note),
            node_ids=[str(keep), *others],
            around=True,
        )
        return attach(_entity(node, str(keep)), changes)

    @strawberry.mutation(
        description="Undo the merge of `id` (a merged-away id): the entity comes back as it "
        "was, with the relations it held; audited."
    )
    async def unmerge_entities(
        self,
        info: Info,
        id: strawberry.ID,
        note: str | None = None,
        editor: str | None = None,
    ) -> Entity:
        ctx = info.context
        name = check_editor(ctx, editor)
        merged = str(id)
        kept = await ctx.call(ctx.store.get, merged)
        if kept is None:
            raise NotFoundError(f"id: no node with id {merged!r}")
        if kept.id == merged:
            raise InputError(f"{merged!r} was not merged into another entity: nothing to undo")
        node, changes = await ctx.call(
            with_changes,
            ctx.store,
            lambda: ctx.store.unmerge(merged, name, note),
            node_ids=[merged, kept.id],
            around=True,
        )
        return attach(_entity(node, merged), changes)


async def _require_entity(info: Info, node_id: str, arg: str) -> None:
    node = await info.context.loaders.nodes.load(node_id)
    if node is None:
        raise NotFoundError(f"{arg}: no node with id {node_id!r}")
    if node.label is Label.ARTICLE:
        raise InputError(f"{arg}: {node_id!r} is an article; aliases and merges are for entities")


def _entity(node: Node, node_id: str) -> Entity:
    entity = as_entity(node)
    if entity is None:  # pragma: no cover - checked before the store call
        raise InputError(f"{node_id!r} is not an entity")
    return entity
