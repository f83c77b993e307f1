"""Conversion between the models and the property maps the Neo4j store keeps.

Lists of strings are stored as lists; mappings as compact, key-sorted JSON text, since
neither Neo4j nor ArcadeDB stores nested maps on a node or edge; evidence as a list of
such texts, one per piece, so that a read can page it in Cypher.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shegong.schema import AuditEntry, Evidence, Label, Node, Relation, RelationType, name_key

from .text import search_key

__all__ = [
    "audit_from_props",
    "dumps",
    "evidence_from_items",
    "evidence_items",
    "node_date",
    "node_from_props",
    "node_props",
    "relation_from_record",
    "relation_props",
    "relation_row",
]


# One encoder for every call: json.dumps builds a new one each time it gets options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON, so equal contents give equal text."""
    if not value and isinstance(value, dict):
        return "{}"
    return _ENCODER.encode(value)


def node_props(node: Node) -> dict[str, Any]:
    """The properties of a node (in stored form) as written by ``cypher.create_nodes``."""
    keys: dict[str, None] = {}
    skeys: dict[str, None] = {}
    for form in (node.name, *node.aliases):
        key = name_key(form)
        if key:
            keys.setdefault(key)
            skeys.setdefault(search_key(form))
    extra = node.properties
    props = {
        "id": node.id,
        "label": node.label.value,
        "name": node.name,
        "aliases": list(node.aliases),
        "kind": node.kind,
        # An article's text is a property of its own, so that reads of titles leave it.
        "props": dumps({k: v for k, v in node.properties.items() if k != "text"}),
        "text": node.properties.get("text") if node.label is Label.ARTICLE else None,
        "first_seen": node.first_seen,
        "last_seen": node.last_seen,
        "keys": list(keys),
        "skeys": list(skeys),
        # One text field for a Neo4j full-text index (one name form per line).
        "search_text": "\n".join(skeys),
        # Copies of the properties list filters compare (graph.query NODE_FIELDS): the
        # server cannot look inside the JSON of ``props``.
        "level": _text(extra.get("level")),
        "adcode": _text(extra.get("adcode")),
        "source": _text(extra.get("source")),
        "sources": _strings(extra.get("sources")),
        "date": node_date(node),
    }
    return {key: value for key, value in props.items() if value is not None}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _strings(value: Any) -> list[str] | None:
    return [str(v) for v in value] if isinstance(value, list) and value else None


def node_date(node: Node) -> str | None:
    """The date list filters compare (graph.query's ``date`` field, the same rule as its
    SQL form): the stored date when it starts with a year, else the first day seen."""
    date = node.properties.get("date")
    if isinstance(date, str) and date[:4].isdigit():
        return date
    return node.first_seen


def node_from_props(props: Mapping[str, Any]) -> Node:
    """A node from its stored properties (``cypher.NODE_SUMMARY`` leaves an article's
    text out; stores written before the text had its own property keep it in ``props``)."""
    properties = json.loads(props.get("props") or "{}")
    if props.get("text") is not None:
        properties["text"] = props["text"]
    return Node(
        label=Label(props["label"]),
        name=props["name"],
        aliases=tuple(props.get("aliases") or ()),
        kind=props.get("kind"),
        properties=properties,
        first_seen=props.get("first_seen"),
        last_seen=props.get("last_seen"),
        id=props["id"],
    )


def evidence_items(evidence: list[Evidence]) -> list[str]:
    """Evidence as a list of compact JSON objects, one per piece (in the order given): a
    list, so that Cypher can page it (``e.evidence[$from..$to]``) and count it."""
    # By hand rather than dataclasses.asdict: this runs for every relation written.
    return [
        dumps(
            {
                "article_id": ev.article_id,
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "rule": ev.rule,
                "confidence": ev.confidence,
            }
        )
        for ev in evidence
    ]


def evidence_from_items(value: str | list[str] | None) -> list[Evidence]:
    """Evidence from the stored property: a list of JSON objects, or one JSON array as
    stores written before paging kept it."""
    if not value:
        return []
    if isinstance(value, str):
        return [Evidence(**ev) for ev in json.loads(value)]
    return [Evidence(**json.loads(item)) for item in value]


def relation_props(
    rel: Relation,
    retracted_at: str | None,
    retracted_by: str | None,
    seen: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """The relationship properties of ``rel`` (evidence already unioned and sorted);
    ``seen`` is the first and last date of its evidence's articles."""
    props = {
        "first_seen": seen[0],
        "last_seen": seen[1],
        "id": rel.id,
        "props": dumps(dict(rel.properties)),
        "evidence": evidence_items(rel.evidence),
        "evidence_count": len(rel.evidence),
        "confidence": rel.confidence,
        "curated": rel.curated,
        "retracted": rel.retracted,
        "editor": rel.editor,
        "note": rel.note,
        "created_at": rel.created_at,
        "retracted_reason": rel.retracted_reason,
        "retracted_at": retracted_at,
        "retracted_by": retracted_by,
    }
    # Absent rather than null: fewer properties to write, the same when read.
    return {key: value for key, value in props.items() if value is not None}


def relation_row(
    rel: Relation,
    retracted_at: str | None = None,
    retracted_by: str | None = None,
    seen: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """One row for ``cypher.create_relations`` / ``update_relations``."""
    return {
        "id": rel.id,
        "source": rel.source_id,
        "target": rel.target_id,
        "props": relation_props(rel, retracted_at, retracted_by, seen),
    }


def relation_from_record(record: Mapping[str, Any]) -> Relation:
    """A Relation from a record with ``source``, ``target``, ``type`` and ``e``: all its
    properties, or (``cypher.RELATION_SUMMARY``) all but the evidence, when the relation
    is read without it."""
    props = record["e"]
    whole = "evidence" in props
    return Relation(
        type=RelationType(record["type"]),
        source_id=record["source"],
        target_id=record["target"],
        properties=json.loads(props.get("props") or "{}"),
        evidence=evidence_from_items(props["evidence"]) if whole else [],
        curated=bool(props.get("curated")),
        retracted=bool(props.get("retracted")),
        editor=props.get("editor"),
        note=props.get("note"),
        created_at=props.get("created_at"),
        retracted_reason=props.get("retracted_reason"),
        id=props["id"],
        stored_evidence_count=None if whole else int(props.get("evidence_count") or 0),
        stored_confidence=None if whole else _stored_confidence(props.get("confidence")),
        first_seen=props.get("first_seen"),
        last_seen=props.get("last_seen"),
    )


def _stored_confidence(value: Any) -> float:
    return 1.0 if value is None else float(value)


def audit_from_props(props: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(
        at=props["at"],
        editor=props["editor"],
        action=props["action"],
        target=props["target"],
        note=props.get("note"),
        details=json.loads(props.get("details") or "{}"),
    )
