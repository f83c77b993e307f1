"""Validating editors' rows against the vocabulary and the store, the whole file at once.

Every bad row is collected with its line number and reason; if there is any, the file
raises CuratedFileError listing them all and nothing is written. A valid file becomes a
``CuratedPlan``: curated relations between resolved entities (and, with
``create_missing``, the curated entities to create first).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shegong.graph import GraphStore
from shegong.graph.text import to_simplified
from shegong.schema import (
    ENTITY_LABELS,
    RELATION_SPECS,
    AmbiguousError,
    CuratedFileError,
    InputError,
    Label,
    Node,
    NotFoundError,
    Relation,
    RelationType,
    SchemaError,
    name_key,
    parse_label,
    parse_relation_type,
    validate_endpoints,
)

from .files import CuratedRow, read_curated_file
from .refs import describe, looks_like_id, resolve_reference

__all__ = [
    "CuratedEdge",
    "CuratedPlan",
    "MAX_VALUE_CHARS",
    "PendingEntities",
    "check_property_value",
    "parse_properties",
    "validate_file",
    "validate_rows",
]

#: The longest property value (characters) an editor may give.
MAX_VALUE_CHARS = 1000


@dataclass(frozen=True)
class CuratedEdge:
    """A valid row: the curated relation (no ``created_at`` yet) and its resolved ends."""

    line: int
    relation: Relation
    source: Node
    target: Node


@dataclass
class CuratedPlan:
    """What a valid file asks for: entities to create, then relations, in file order."""

    path: str
    edges: list[CuratedEdge] = field(default_factory=list)
    new_nodes: list[Node] = field(default_factory=list)


class PendingEntities:
    """Entities that ``--create-missing`` will create, so later rows (and later files of
    the same import) naming them again resolve to the same node."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Node]] = {}

    def find(self, ref: str, label: Label | None) -> list[Node]:
        nodes = self._by_key.get(name_key(ref), [])
        return [n for n in nodes if label is None or n.label == label]

    def add(self, node: Node) -> None:
        self._by_key.setdefault(name_key(node.name), []).append(node)


def parse_properties(raw: str | Mapping[str, Any]) -> dict[str, Any]:
    """Properties from a JSON object, ``key=value;key=value`` text, or a YAML mapping,
    keys sorted. Raises InputError naming what cannot be read."""
    if isinstance(raw, Mapping):
        props = {str(k).strip(): v for k, v in raw.items()}
    else:
        text = raw.strip()
        if not text:
            return {}
        props = _parse_json(text) if text.startswith("{") else _parse_pairs(text)
    for key, value in props.items():
        if not key:
            raise InputError("properties: a property with an empty name")
        check_property_value(key, value)
    return {key: props[key] for key in sorted(props)}


def check_property_value(key: str, value: Any) -> None:
    """InputError unless ``value`` is text or a finite number (the one rule of files,
    the CLI and the API): no lists, objects, booleans or nulls, no empty or over-long
    text, no NUL characters."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        kind = "null" if value is None else type(value).__name__
        raise InputError(f"properties: {key!r} must be text or a number, not {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"properties: {key!r} must be a finite number, not {value}")
    if isinstance(value, str):
        if not value.strip():
            raise InputError(f"properties: {key!r} is empty")
        if "\x00" in value:
            raise InputError(f"properties: {key!r} holds a NUL character")
        if len(value) > MAX_VALUE_CHARS:
            raise InputError(
                f"properties: {key!r} is {len(value)} characters long; at most "
                f"{MAX_VALUE_CHARS} are taken"
            )


def _parse_json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"properties are not valid JSON: {e.msg} (column {e.colno})") from e
    if not isinstance(value, dict):
        raise InputError("properties must be a JSON object")
    return value


def _parse_pairs(text: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise InputError(f"properties: {part.strip()!r} is not key=value")
        key = key.strip()
        if key in props:
            raise InputError(f"properties: {key!r} given twice")
        props[key] = value.strip()
    return props


def validate_file(
    path: str,
    store: GraphStore,
    *,
    create_missing: bool = False,
    editor: str | None = None,
    pending: PendingEntities | None = None,
) -> CuratedPlan:
    """Read and validate one file; CuratedFileError lists every bad row."""
    curated = read_curated_file(path)
    return validate_rows(
        curated.rows,
        store,
        path=path,
        create_missing=create_missing,
        editor=editor,
        pending=pending,
        problems=curated.problems,
    )


def validate_rows(
    rows: Sequence[CuratedRow],
    store: GraphStore,
    *,
    path: str,
    create_missing: bool = False,
    editor: str | None = None,
    pending: PendingEntities | None = None,
    problems: Sequence[tuple[int, str]] = (),
) -> CuratedPlan:
    """Validate ``rows`` (``editor`` fills rows that name none); CuratedFileError lists
    every bad row, together with ``problems`` already found while reading."""
    checker = _RowChecker(
        store, create_missing, editor, pending if pending is not None else PendingEntities()
    )
    plan = CuratedPlan(path)
    found = list(problems)
    seen: dict[str, int] = {}
    for row in rows:
        reasons: list[str] = []
        edge = checker.check(row, reasons)
        if edge is not None and edge.relation.id in seen:
            reasons.append(
                f"same relation as line {seen[edge.relation.id]} "
                f"({edge.relation.type.value} {edge.source.name} -> {edge.target.name})"
            )
        if reasons:
            # One entry per row, so "N bad row(s)" counts rows.
            found.append((row.line, "; ".join(reasons)))
            continue
        assert edge is not None
        seen[edge.relation.id] = row.line
        plan.edges.append(edge)
    if found:
        raise CuratedFileError(path, sorted(found, key=lambda p: p[0]))
    plan.new_nodes = checker.created
    return plan


class _RowChecker:
    """Checks one row at a time, appending every reason it is bad to ``reasons``."""

    def __init__(
        self, store: GraphStore, create_missing: bool, editor: str | None, pending: PendingEntities
    ) -> None:
        self.store = store
        self.create_missing = create_missing
        self.editor = (editor or "").strip()
        self.pending = pending
        self.created: list[Node] = []

    def check(self, row: CuratedRow, reasons: list[str]) -> CuratedEdge | None:
        for column in ("source", "relation", "target", "note"):
            if not getattr(row, column):
                reasons.append(f"empty {column}")
        editor = row.editor or self.editor
        if not editor:
            reasons.append("empty editor and no --editor given")
        rtype = self._relation_type(row.relation, reasons)
        source = self._entity(row.source, row.source_label, "source", reasons)
        target = self._entity(row.target, row.target_label, "target", reasons)
        props = self._properties(row.properties, rtype, reasons)
        if rtype is not None and source is not None and target is not None:
            try:
                validate_endpoints(rtype, source.label, target.label)
            except SchemaError as e:
                reasons.append(f"{e} (source {describe(source)}, target {describe(target)})")
        if source is not None and target is not None and source.id == target.id:
            reasons.append(f"source and target are the same entity, {describe(source)}")
        if reasons or rtype is None or source is None or target is None or props is None:
            return None
        relation = Relation(
            type=rtype,
            source_id=source.id,
            target_id=target.id,
            properties=props,
            curated=True,
            editor=editor,
            note=row.note,
        )
        return CuratedEdge(row.line, relation, source, target)

    def _relation_type(self, value: str, reasons: list[str]) -> RelationType | None:
        if not value:
            return None
        try:
            return parse_relation_type(value)
        except SchemaError as e:
            reasons.append(str(e))
            return None

    def _entity(self, ref: str, label_text: str, column: str, reasons: list[str]) -> Node | None:
        label: Label | None = None
        if label_text:
            try:
                label = parse_label(label_text)
            except SchemaError as e:
                reasons.append(f"{column}_label: {e}")
                return None
        if not ref:
            return None
        try:
            return resolve_reference(self.store, ref, label)
        except AmbiguousError as e:
            hint = f" or give {column}_label" if label is None else ""
            reasons.append(f"ambiguous {column}: {e}{hint}")
            return None
        except NotFoundError as e:
            missing = e
        pending = self.pending.find(to_simplified(ref), label)
        if len(pending) == 1:
            return pending[0]
        if len(pending) > 1:
            candidates = "; ".join(describe(n) for n in pending)
            reasons.append(f"ambiguous {column}: {ref!r} names {candidates}; give {column}_label")
            return None
        if not self.create_missing:
            if looks_like_id(ref):
                hint = ""
            elif label is None:
                hint = f"; give {column}_label and --create-missing to create it"
            else:
                hint = "; --create-missing creates it"
            reasons.append(f"unknown {column}: {missing}{hint}")
            return None
        if label is None:
            reasons.append(f"unknown {column}: {missing}; --create-missing needs {column}_label")
            return None
        if looks_like_id(ref):
            reasons.append(f"unknown {column}: {missing}")
            return None
        if label not in ENTITY_LABELS:
            valid = ", ".join(lbl.value for lbl in ENTITY_LABELS)
            reasons.append(
                f"{column}: editors cannot create {label.value} nodes; they create {valid}"
            )
            return None
        # Canonical names are simplified Chinese, like the names extraction gives.
        node = Node(label=label, name=to_simplified(ref), properties={"curated": True})
        self.created.append(node)
        self.pending.add(node)
        return node

    def _properties(
        self, raw: str | Mapping[str, Any], rtype: RelationType | None, reasons: list[str]
    ) -> dict[str, Any] | None:
        try:
            props = parse_properties(raw)
        except InputError as e:
            reasons.append(str(e))
            return None
        if rtype is None:
            return props
        allowed = RELATION_SPECS[rtype].properties
        unknown = [key for key in props if key not in allowed]
        if unknown:
            valid = ", ".join(allowed) if allowed else "none (leave properties empty)"
            reasons.append(
                f"{rtype.value} takes no propert{'y' if len(unknown) == 1 else 'ies'} "
                f"{', '.join(map(repr, unknown))}; valid properties: {valid}"
            )
            return None
        return props
