"""The graph as ``neo4j-admin database import`` CSV, in the Neo4j store's own model.

A database imported from these files is the one ``shegong --store bolt://...`` would
have written itself: the same labels (``Node`` plus the schema label), the same node and
relationship properties (``graph.neo4j_records`` gives both), evidence sentences
included. Values are written as they are: no character is replaced. Arrays are joined
with U+001F (the unit separator), which no name key can hold; an alias or label that
does hold it is an ``OutputError`` naming the node, never silently changed. Empty
strings are written quoted (``""``, kept as empty strings by the import tool) and absent
values as empty fields (no property). Retracted relations are not exported.

Import with the command ``import_command(files)`` gives::

    neo4j-admin database import full --nodes=Article.csv ... --relationships=GUIDED_BY.csv ...
        --array-delimiter=U+001F --multiline-fields=true neo4j
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from shegong.schema import Label, Node, OutputError, Relation, RelationType

from .export_stream import iter_nodes
from .neo4j_records import node_props, relation_props

if TYPE_CHECKING:
    from .base import GraphStore

__all__ = ["ARRAY_DELIMITER", "NODE_COLUMNS", "RELATION_COLUMNS", "export_csv", "import_command"]

#: Between the elements of an array value (``--array-delimiter=U+001F``).
ARRAY_DELIMITER = "\x1f"
_DELIMITER_OPTION = "U+001F"

#: (property, header) of the node files, in order; ``:LABEL`` comes last.
NODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id:ID"),
    ("label", "label"),
    ("name", "name"),
    ("aliases", "aliases:string[]"),
    ("kind", "kind"),
    ("props", "props"),
    ("text", "text"),
    ("level", "level"),
    ("adcode", "adcode"),
    ("source", "source"),
    ("sources", "sources:string[]"),
    ("date", "date"),
    ("first_seen", "first_seen"),
    ("last_seen", "last_seen"),
    ("keys", "keys:string[]"),
    ("skeys", "skeys:string[]"),
    ("search_text", "search_text"),
)
#: (property, header) of the relationship files, after ``:START_ID,:END_ID,:TYPE``.
RELATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("first_seen", "first_seen"),
    ("last_seen", "last_seen"),
    ("id", "id"),
    ("props", "props"),
    ("evidence", "evidence:string[]"),
    ("evidence_count", "evidence_count:long"),
    ("confidence", "confidence:double"),
    ("curated", "curated:boolean"),
    ("retracted", "retracted:boolean"),
    ("editor", "editor"),
    ("note", "note"),
    ("created_at", "created_at"),
    ("retracted_reason", "retracted_reason"),
    ("retracted_at", "retracted_at"),
    ("retracted_by", "retracted_by"),
    ("reviewed", "reviewed:boolean"),
)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: Any, where: str) -> str:
    """One CSV field: absent -> empty, text always quoted (so ``""`` stays an empty string)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        for item in value:
            if ARRAY_DELIMITER in str(item):
                raise OutputError(
                    f"{where}: {item!r} holds U+001F, the CSV export's array delimiter; "
                    "export as node-link JSON instead"
                )
        return _quoted(ARRAY_DELIMITER.join(str(item) for item in value))
    return _quoted(str(value))


def _row(fields: Iterable[str]) -> str:
    # Python's csv module (3.11) cannot tell an empty string from an absent value.
    return ",".join(fields) + "\n"


def _check_columns(props: dict[str, Any], columns: Sequence[tuple[str, str]], what: str) -> None:
    unknown = set(props) - {name for name, _ in columns}
    if unknown:  # the store writes a property this export does not know: keep them in step
        raise OutputError(f"{what}: no CSV column for properties {sorted(unknown)}")


def _node_line(node: Node) -> str:
    props = node_props(node)
    _check_columns(props, NODE_COLUMNS, node.id)
    where = f"node {node.id}"
    fields = [_field(props.get(name), f"{where} {name}") for name, _ in NODE_COLUMNS]
    fields.append(_field(["Node", node.label.value], where))
    return _row(fields)


def _relation_line(rel: Relation, dates: dict[str, str]) -> str:
    # first and last date of the evidence's articles, as the Neo4j store writes them
    seen = [dates[ev.article_id] for ev in rel.evidence if dates.get(ev.article_id)]
    span = (min(seen), max(seen)) if seen else (None, None)
    props = relation_props(rel, None, None, seen=span)
    _check_columns(props, RELATION_COLUMNS, rel.id)
    where = f"relation {rel.id}"
    fields = [_field(rel.source_id, where), _field(rel.target_id, where), rel.type.value]
    fields.extend(_field(props.get(name), f"{where} {name}") for name, _ in RELATION_COLUMNS)
    return _row(fields)


def export_csv(store: GraphStore, directory: str | os.PathLike[str]) -> list[Path]:
    """Write ``<Label>.csv`` per node label and ``<TYPE>.csv`` per relation type
    (non-retracted) into ``directory``; returns the files written, sorted."""
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # nodes a page at a time, each label's file opened at its first node: memory does
    # not grow with the graph (only the articles' dates are kept, for relation dates)
    dates: dict[str, str] = {}
    node_files: dict[Label, TextIO] = {}
    try:
        for node in iter_nodes(store):
            if node.label is Label.ARTICLE and node.first_seen:
                dates[node.id] = node.first_seen
            node_file = node_files.get(node.label)
            if node_file is None:
                path = out_dir / f"{node.label.value}.csv"
                node_file = node_files[node.label] = path.open("w", encoding="utf-8", newline="")
                node_file.write(_row([*(header for _, header in NODE_COLUMNS), ":LABEL"]))
                written.append(path)
            node_file.write(_node_line(node))
    finally:
        for handle in node_files.values():
            handle.close()
    files: dict[RelationType, TextIO] = {}
    try:
        for rel in store.iter_relations():
            out = files.get(rel.type)
            if out is None:
                path = out_dir / f"{rel.type.value}.csv"
                out = files[rel.type] = path.open("w", encoding="utf-8", newline="")
                headers = [header for _, header in RELATION_COLUMNS]
                out.write(_row([":START_ID", ":END_ID", ":TYPE", *headers]))
                written.append(path)
            out.write(_relation_line(rel, dates))
    finally:
        for handle in files.values():
            handle.close()
    return sorted(written)


def import_command(files: Sequence[Path], database: str = "neo4j") -> list[str]:
    """The ``neo4j-admin`` command line importing ``files`` (from ``export_csv``)."""
    labels = {label.value for label in Label}
    nodes = [f"--nodes={path}" for path in files if path.stem in labels]
    rels = [f"--relationships={path}" for path in files if path.stem not in labels]
    return [
        "neo4j-admin",
        "database",
        "import",
        "full",
        *nodes,
        *rels,
        f"--array-delimiter={_DELIMITER_OPTION}",
        "--multiline-fields=true",
        database,
    ]
