"""The editors' review queue (``reviewQueue``, ``acceptRelation``) and the audit trail
(``audit``); merged into Query and Mutation by schema.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import strawberry
from shegong.graph.review import DEFAULT_REVIEW_CONFIDENCE, check_threshold
from shegong.schema import AuditEntry as AuditModel
from shegong.schema import InputError
from strawberry.scalars import JSON

from .context import Info
from .mutations import check_editor
from .pagination import Connection, connection, window
from .types_relations import Relation, as_relation

__all__ = ["AuditEntry", "ReviewMutations", "ReviewQueries", "normalise_since"]


@strawberry.type(description="One editor action: who did what to which id, when and why.")
class AuditEntry:
    at: str = strawberry.field(description="When (ISO time, UTC).")
    editor: str
    action: str = strawberry.field(
        description="add_relation, retract, accept, add_alias, merge, unmerge, import..."
    )
    target: strawberry.ID = strawberry.field(description="The relation or entity acted on.")
    note: str | None
    details: JSON = strawberry.field(description="What changed, e.g. the retraction's reason.")


def _entry(entry: AuditModel) -> AuditEntry:
    details: Any = dict(sorted(entry.details.items()))
    return AuditEntry(
        at=entry.at,
        editor=entry.editor,
        action=entry.action,
        target=strawberry.ID(entry.target),
        note=entry.note,
        details=details,
    )


def normalise_since(since: str) -> str:
    """An ISO date stays as it is; an ISO time becomes UTC (naive times are UTC), so it
    compares with the stored times as text. InputError for anything else."""
    text = since.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as e:
        raise InputError(
            f"since must be an ISO date or time (2026-12-01 or 2026-12-01T08:00:00+08:00), "
            f"got {since!r}"
        ) from e
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@strawberry.type
class ReviewQueries:
    @strawberry.field(
        description="Extracted relations for an editor to check: confidence below "
        "`maxConfidence` or a single piece of evidence; not curated, retracted or accepted. "
        "Oldest first (when the store first held them), then by id."
    )
    async def review_queue(
        self,
        info: Info,
        max_confidence: float = DEFAULT_REVIEW_CONFIDENCE,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Relation]:
        ctx = info.context
        threshold = check_threshold(max_confidence)
        win = window(first, after, ctx.settings)
        rels = await ctx.call(ctx.store.review_queue, threshold, win.fetch, win.offset)

        async def count() -> int:
            return await ctx.call(ctx.store.count_review_queue, threshold)

        return connection([as_relation(r, info.context.loaders) for r in rels], win, count)

    @strawberry.field(
        description="The editors' audit trail, newest first; every filter given must hold: "
        "`entity` (acted on, named, or one of its relations), `relation`, `editor`, and "
        "`since` (an ISO date or time)."
    )
    async def audit(
        self,
        info: Info,
        entity: strawberry.ID | None = None,
        relation: strawberry.ID | None = None,
        editor: str | None = None,
        since: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        ctx = info.context
        win = window(first, after, ctx.settings)
        entries = await ctx.call(
            ctx.store.audit,
            target=None if relation is None else str(relation),
            entity=None if entity is None else str(entity),
            editor=editor,
            since=None if since is None else normalise_since(since),
        )
        # Only the page (and one more, telling whether another follows) becomes objects.
        page = entries[::-1][win.offset : win.offset + win.fetch]
        return connection([_entry(e) for e in page], win, len(entries))


@strawberry.type
class ReviewMutations:
    @strawberry.mutation(
        description="Accept a relation from the review queue: marked reviewed, it leaves "
        "the queue and stays reviewed through every re-load; audited."
    )
    async def accept_relation(
        self,
        info: Info,
        id: strawberry.ID,
        note: str | None = None,
        editor: str | None = None,
    ) -> Relation:
        ctx = info.context
        name = check_editor(ctx, editor)
        rel = await ctx.call(ctx.store.accept, str(id), name, note)
        return as_relation(rel, info.context.loaders)
