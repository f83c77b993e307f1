"""What both stores share about the editors' review queue and the audit trail filters.

The review queue holds the extracted relations an editor should look at: not curated,
not retracted, not yet reviewed, of an entity relation type (not the article
bookkeeping MENTIONS / REPORTED_BY), and either below a confidence threshold or resting
on a single piece of evidence. Oldest first: by the time the store first held the
relation, then by id. Accepting one marks it ``reviewed`` (it leaves the queue, and no
re-load brings it back); retracting it takes it out too.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from shegong.schema import AuditEntry, InputError, Relation, RelationType

__all__ = [
    "DEFAULT_REVIEW_CONFIDENCE",
    "NOT_REVIEWED_TYPES",
    "AuditFilter",
    "check_acceptable",
    "check_threshold",
]

#: The queue's confidence threshold when a caller gives none.
DEFAULT_REVIEW_CONFIDENCE = 0.8

#: Relation types never queued: they join articles to what they mention, not entities.
NOT_REVIEWED_TYPES: tuple[str, ...] = (RelationType.MENTIONS.value, RelationType.REPORTED_BY.value)


def check_threshold(max_confidence: float) -> float:
    """``max_confidence`` if it is a confidence (0-1); else InputError."""
    if not 0.0 <= max_confidence <= 1.0:
        raise InputError(f"maxConfidence must be between 0 and 1, got {max_confidence}")
    return max_confidence


def check_acceptable(rel: Relation) -> None:
    """InputError when ``rel`` cannot be accepted from the queue (it is retracted)."""
    if rel.retracted:
        raise InputError(f"relation {rel.id} is retracted: a retracted relation cannot be accepted")


@dataclass(frozen=True)
class AuditFilter:
    """Which audit entries to keep; every given field must hold.

    Attributes:
        target: the id an entry acts on (a relation, or an entity for aliases and merges).
        entity: an entity the entry touches: its target, a relation's end named in the
            details (``source``, ``target``, ``kept``), or a relation at the entity
            (``entity_relations``, filled by the store).
        editor: who made the change.
        since: ISO date or time; entries at or after it.
    """

    target: str | None = None
    entity: str | None = None
    editor: str | None = None
    since: str | None = None

    def keeps(self, entry: AuditEntry, entity_relations: Collection[str] = ()) -> bool:
        """True if ``entry`` passes every given condition."""
        if self.target is not None and entry.target != self.target:
            return False
        if self.editor is not None and entry.editor != self.editor:
            return False
        if self.since is not None and entry.at < self.since:
            return False
        if self.entity is not None:
            named = {entry.details.get(key) for key in ("source", "target", "kept")}
            if not (
                entry.target == self.entity
                or self.entity in named
                or entry.target in entity_relations
            ):
                return False
        return True
