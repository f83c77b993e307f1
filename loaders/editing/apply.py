"""Applying validated editors' files: curated relations written in one transaction,
one audit entry per change.

Each planned relation is compared with what the store holds:

* ``added``     not stored yet: written as a curated relation;
* ``curated``   stored as an extracted relation: marked curated, with editor and note
                (its evidence stays; a property value the row gives differently
                corrects the extracted one, audited with old and new value);
* ``corrected`` already curated with other property values: the row's values replace
                them (audited with old and new value; evidence and editor trail kept);
* ``present``   already curated with the same values: nothing to do (so importing a
                file twice changes nothing and adds no audit entry the second time);
* ``retracted`` stored and retracted: left retracted (a retraction is never undone by
                an import), reported so the editor knows the row had no effect;
* ``created``   an entity that ``--create-missing`` creates.

With ``dry_run`` the same report is made and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from shegong.graph import GraphStore
from shegong.schema import AuditEntry, CuratedFileError, GraphBatch, InputError, Node, Relation

from .files import CuratedRow
from .validate import CuratedEdge, CuratedPlan, PendingEntities, validate_file, validate_rows

__all__ = [
    "ADDED",
    "CORRECTED",
    "CREATED",
    "CURATED",
    "PRESENT",
    "RETRACTED",
    "Change",
    "CuratedFilesError",
    "ImportResult",
    "add_curated",
    "apply_plans",
    "import_files",
    "utc_now",
]

ADDED, CURATED, PRESENT, RETRACTED, CREATED = "added", "curated", "present", "retracted", "created"
CORRECTED = "corrected"
#: The "path" of a relation given on the command line.
COMMAND_LINE = "<command line>"
#: Statuses that write something (and are audited).
WRITES = (ADDED, CURATED, CORRECTED, CREATED)


class CuratedFilesError(InputError):
    """Several editors' files hold bad rows; ``errors`` has one CuratedFileError per file."""

    def __init__(self, errors: Sequence[CuratedFileError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Change:
    """What one row does (or would do): its status, the id concerned, a readable summary."""

    path: str
    line: int
    status: str
    id: str
    summary: str


@dataclass
class ImportResult:
    """The changes of an import, in file and line order."""

    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    @property
    def written(self) -> list[Change]:
        """The changes that write (or, in a dry run, would write) something."""
        return [c for c in self.changes if c.status in WRITES]


def utc_now() -> str:
    """The current time as ISO 8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def import_files(
    paths: Sequence[str],
    store: GraphStore,
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    editor: str | None = None,
    now: str | None = None,
) -> ImportResult:
    """Validate every file, then apply them all in one transaction.

    Raises CuratedFileError (one bad file) or CuratedFilesError (several) listing every
    bad row; then nothing is written.
    """
    pending = PendingEntities()
    plans: list[CuratedPlan] = []
    errors: list[CuratedFileError] = []
    for path in paths:
        try:
            plans.append(
                validate_file(
                    path, store, create_missing=create_missing, editor=editor, pending=pending
                )
            )
        except CuratedFileError as e:
            errors.append(e)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise CuratedFilesError(errors)
    return apply_plans(plans, store, dry_run=dry_run, now=now)


def apply_plans(
    plans: Sequence[CuratedPlan],
    store: GraphStore,
    *,
    dry_run: bool = False,
    now: str | None = None,
) -> ImportResult:
    """Compare the plans with the store and write what is new in one upsert."""
    now = now or utc_now()
    result = ImportResult(dry_run=dry_run)
    nodes: list[Node] = []
    relations: list[Relation] = []
    audits: list[AuditEntry] = []
    planned: set[str] = set()
    for plan in plans:
        new_nodes = {node.id: node for node in plan.new_nodes}
        for edge in plan.edges:
            for end in (edge.source, edge.target):
                node = new_nodes.pop(end.id, None)
                if node is None or store.get(node.id) is not None:
                    continue
                nodes.append(node)
                change = Change(
                    plan.path, edge.line, CREATED, node.id, f"{node.label.value} {node.name}"
                )
                result.changes.append(change)
                audits.append(_create_entry(change, node, edge.relation, now))
            change, relation = _compare(plan.path, edge, store, planned, now)
            result.changes.append(change)
            if relation is None:
                continue
            planned.add(relation.id)
            relations.append(relation)
            audits.append(_audit_entry(change, edge, relation, now, store))
    if not dry_run and (nodes or relations):
        store.upsert(GraphBatch(nodes=nodes, relations=relations))
        for entry in audits:
            store.record_audit(entry)
    return result


def _summary(edge: CuratedEdge) -> str:
    rel = edge.relation
    props = "".join(f" {k}={v}" for k, v in rel.properties.items())
    return f"{edge.source.name} -{rel.type.value}-> {edge.target.name}{props}"


def _compare(
    path: str, edge: CuratedEdge, store: GraphStore, planned: set[str], now: str
) -> tuple[Change, Relation | None]:
    """The change ``edge`` makes and the relation to write (None if nothing to write)."""
    rel = edge.relation
    summary = _summary(edge)
    if rel.id in planned:
        return Change(path, edge.line, PRESENT, rel.id, summary + " (earlier in this import)"), None
    stored = store.relation(rel.id)
    if stored is None:
        return Change(path, edge.line, ADDED, rel.id, summary), replace(rel, created_at=now)
    changed = changed_properties(stored, rel)
    if stored.retracted:
        reason = f": {stored.retracted_reason}" if stored.retracted_reason else ""
        return Change(path, edge.line, RETRACTED, rel.id, f"{summary} (retracted{reason})"), None
    note = _changes_note(changed)
    if stored.curated and not changed:
        return Change(path, edge.line, PRESENT, rel.id, summary), None
    status = CORRECTED if stored.curated else CURATED
    return Change(path, edge.line, status, rel.id, summary + note), replace(rel, created_at=now)


def changed_properties(stored: Relation, new: Relation) -> dict[str, dict[str, Any]]:
    """The properties ``new`` gives other values than ``stored``: key -> {old, new}."""
    return {
        key: {"old": stored.properties.get(key), "new": value}
        for key, value in sorted(new.properties.items())
        if stored.properties.get(key) != value
        and not (key not in stored.properties and value is None)
    }


def _changes_note(changed: dict[str, dict[str, Any]]) -> str:
    corrected = [
        f"{k} {v['old']} -> {v['new']}" for k, v in changed.items() if v["old"] is not None
    ]
    return f" (corrected: {', '.join(corrected)})" if corrected else ""


def _create_entry(change: Change, node: Node, relation: Relation, now: str) -> AuditEntry:
    return AuditEntry(
        at=now,
        editor=relation.editor or "",
        action="create_entity",
        target=node.id,
        note=relation.note,
        details={
            "label": node.label.value,
            "name": node.name,
            "file": change.path,
            "line": change.line,
        },
    )


def _audit_entry(
    change: Change, edge: CuratedEdge, relation: Relation, now: str, store: GraphStore
) -> AuditEntry:
    action = {ADDED: "add_relation", CORRECTED: "correct_relation"}.get(
        change.status, "curate_relation"
    )
    stored = store.relation(relation.id) if change.status != ADDED else None
    changed = changed_properties(stored, relation) if stored is not None else {}
    return AuditEntry(
        at=now,
        editor=relation.editor or "",
        action=action,
        target=relation.id,
        note=relation.note,
        details={
            "type": relation.type.value,
            "source": relation.source_id,
            "target": relation.target_id,
            "properties": dict(relation.properties),
            **({"changed": changed} if changed else {}),
            "file": change.path,
            "line": change.line,
        },
    )


def add_curated(
    row: CuratedRow,
    store: GraphStore,
    *,
    dry_run: bool = False,
    create_missing: bool = False,
    editor: str | None = None,
    now: str | None = None,
) -> ImportResult:
    """Validate and apply one relation given on the command line (``edges add``).

    Raises InputError with every reason the relation is bad, on one line.
    """
    try:
        plan = validate_rows(
            [row], store, path=COMMAND_LINE, create_missing=create_missing, editor=editor
        )
    except CuratedFileError as e:
        raise InputError("; ".join(reason for _, reason in e.problems)) from e
    return apply_plans([plan], store, dry_run=dry_run, now=now)
