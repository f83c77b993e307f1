"""Editors' commands: ``edges`` (import / add / retract / list), ``entities`` (merge /
unmerge / alias) and ``audit``.

Thin over shegong.loaders.editing and the GraphStore editor methods; every change is
audited (editor, time, note). The editor is ``--editor``, else $SHEGONG_EDITOR, else the
login name; with none of them an edit is refused with a message saying so.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shegong.graph import GraphStore, open_store
from shegong.loaders.editing import (
    CuratedRow,
    ImportResult,
    add_curated,
    describe,
    import_files,
    parse_properties,
    resolve_reference,
)
from shegong.schema import (
    InputError,
    Node,
    Relation,
    RelationType,
    Settings,
    name_key,
    parse_relation_type,
)

from .options import at_least

__all__ = ["default_editor", "login_name", "register"]

_EDITOR_HELP = "who makes the change (default: $SHEGONG_EDITOR, else the login name)"


def login_name() -> str:
    """The login name ($LOGNAME, $USER, ... then the password database), or "" where there
    is none (a container running as a uid without a passwd entry)."""
    try:
        return getpass.getuser().strip()
    except (OSError, KeyError):  # KeyError before Python 3.13, OSError since
        return ""


def default_editor(
    given: str | None,
    required: bool = True,
    settings: Settings | None = None,
    login: str | None = None,
) -> str:
    """The editor: ``--editor``, else $SHEGONG_EDITOR, else the login name. InputError if
    none (unless not ``required``: then "", and each row must name its editor).
    ``login`` stands for the login name (None: look it up)."""
    settings = settings or Settings.from_env()
    editor = (given or "").strip() or settings.editor or ""
    if not editor:
        editor = login_name() if login is None else login.strip()
    if not editor and required:
        raise InputError(
            "no editor: give --editor NAME or set SHEGONG_EDITOR "
            "(there is no login name to fall back on)"
        )
    return editor


def _text(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise InputError(f"{option} must not be empty")
    return value.strip()


@contextmanager
def _store(args: argparse.Namespace, create: bool = False) -> Iterator[GraphStore]:
    """The store of ``--store``; only ``edges import`` and ``edges add`` create one."""
    store = open_store(args.store, create=create)
    try:
        yield store
    finally:
        store.close()


def register(subparsers: Any) -> None:
    """Add the ``edges``, ``entities`` and ``audit`` commands."""
    _register_edges(subparsers)
    _register_entities(subparsers)
    audit = subparsers.add_parser("audit", help="show the editors' audit trail, oldest first")
    audit.add_argument("--target", help="only entries about this node or relation id")
    audit.add_argument("--limit", type=at_least(1), help="at most this many entries")
    audit.add_argument("--json", action="store_true", help="print JSON")
    audit.set_defaults(func=cmd_audit)


def _register_edges(subparsers: Any) -> None:
    edges = subparsers.add_parser("edges", help="curated relations: import, add, retract, list")
    sub = edges.add_subparsers(dest="edges_command", required=True, metavar="ACTION")

    imp = sub.add_parser(
        "import",
        help="import CSV/YAML files of curated relations",
        description="Validate every file (every bad row is listed with its line number and "
        "nothing is written if any row is bad), then write all rows in one transaction. "
        "Importing the same file again changes nothing.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help=".csv, .yaml or .yml")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    imp.add_argument(
        "--create-missing",
        action="store_true",
        help="create entities that are not found, when the row gives their label",
    )
    imp.add_argument(
        "--editor",
        help="editor for rows with an empty editor column "
        "(default: $SHEGONG_EDITOR, else the login name)",
    )
    imp.set_defaults(func=cmd_edges_import)

    add = sub.add_parser("add", help="add one curated relation")
    add.add_argument("--source", required=True, help="id, name or alias of the source entity")
    add.add_argument(
        "--relation", required=True, metavar="TYPE", help="relation type, e.g. GUIDED_BY"
    )
    add.add_argument("--target", required=True, help="id, name or alias of the target entity")
    for end in ("source", "target"):
        add.add_argument(
            f"--{end}-label",
            default="",
            metavar="LABEL",
            help=f"label of the {end} (Organisation, Person, ...): narrows the lookup",
        )
    add.add_argument(
        "--prop", action="append", default=[], metavar="KEY=VALUE", help="a property (repeatable)"
    )
    add.add_argument("--note", required=True, help="why: the source of the fact")
    add.add_argument("--editor", help=_EDITOR_HELP)
    add.add_argument(
        "--create-missing",
        action="store_true",
        help="create unknown entities (needs --source-label / --target-label)",
    )
    add.add_argument("--dry-run", action="store_true", help="show what would change")
    add.set_defaults(func=cmd_edges_add)

    retract = sub.add_parser("retract", help="retract a relation (extracted or curated)")
    retract.add_argument("id", metavar="ID", help="relation id (rel-…)")
    retract.add_argument("--reason", required=True, help="why the relation is wrong")
    retract.add_argument("--editor", help=_EDITOR_HELP)
    retract.add_argument("--note", help="a further note")
    retract.set_defaults(func=cmd_edges_retract)

    lst = sub.add_parser("list", help="list relations (non-retracted by default)")
    which = lst.add_mutually_exclusive_group()
    which.add_argument("--curated", action="store_true", help="only curated relations")
    which.add_argument("--retracted", action="store_true", help="only retracted relations")
    lst.add_argument("--type", help="only this relation type")
    lst.add_argument("--limit", type=at_least(1), help="at most this many")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_edges_list)


def _register_entities(subparsers: Any) -> None:
    entities = subparsers.add_parser("entities", help="editors' entity corrections")
    sub = entities.add_subparsers(dest="entities_command", required=True, metavar="ACTION")

    merge = sub.add_parser(
        "merge", help="fold OTHER entities into KEEP (their names become aliases)"
    )
    merge.add_argument("keep", metavar="KEEP", help="id (or unique name) of the entity to keep")
    merge.add_argument(
        "others", nargs="+", metavar="OTHER", help="ids (or unique names) to fold in"
    )
    merge.add_argument("--note", required=True, help="why they are the same entity")
    merge.add_argument("--editor", help=_EDITOR_HELP)
    merge.set_defaults(func=cmd_entities_merge)

    unmerge = sub.add_parser("unmerge", help="undo the merge of an entity id")
    unmerge.add_argument("id", metavar="ID", help="the id that was merged away")
    unmerge.add_argument("--editor", help=_EDITOR_HELP)
    unmerge.add_argument("--note", help="why")
    unmerge.set_defaults(func=cmd_entities_unmerge)

    alias = sub.add_parser("alias", help="add an alias to an entity")
    alias.add_argument("id", metavar="ID", help="id (or unique name) of the entity")
    alias.add_argument("alias", metavar="ALIAS", help="the other name")
    alias.add_argument("--editor", help=_EDITOR_HELP)
    alias.add_argument("--note", help="why")
    alias.set_defaults(func=cmd_entities_alias)


# -- edges ---------------------------------------------------------------------------------


def _print_result(result: ImportResult) -> None:
    prefix = "would be " if result.dry_run else ""
    for change in result.changes:
        where = f"{change.path}:{change.line}" if change.line else change.path
        print(f"{prefix}{change.status}\t{change.id}\t{change.summary}\t({where})")
    counts = ", ".join(
        f"{result.count(status)} {status}"
        for status in ("added", "curated", "corrected", "created", "present", "retracted")
        if result.count(status)
    )
    counts = f" ({counts})" if counts else ""
    if result.dry_run:
        print(f"dry run: {len(result.written)} change(s) would be written{counts}; nothing written")
    else:
        print(f"{len(result.written)} change(s) written{counts}")


def cmd_edges_import(args: argparse.Namespace) -> int:
    with _store(args, create=True) as store:
        result = import_files(
            args.files,
            store,
            dry_run=args.dry_run,
            create_missing=args.create_missing,
            editor=default_editor(args.editor, required=False),
        )
    _print_result(result)
    return 0


def _props(pairs: list[str]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--prop {pair!r} is not KEY=VALUE")
        if key.strip() in props:
            raise InputError(f"--prop {key.strip()!r} given twice")
        props[key.strip()] = value.strip()
    return parse_properties(props)


def cmd_edges_add(args: argparse.Namespace) -> int:
    row = CuratedRow(
        line=0,
        source=args.source.strip(),
        relation=args.relation.strip(),
        target=args.target.strip(),
        source_label=args.source_label.strip(),
        target_label=args.target_label.strip(),
        properties=_props(args.prop),
        note=_text(args.note, "--note"),
        editor=default_editor(args.editor),
    )
    with _store(args, create=True) as store:
        result = add_curated(row, store, dry_run=args.dry_run, create_missing=args.create_missing)
    _print_result(result)
    return 0


def cmd_edges_retract(args: argparse.Namespace) -> int:
    reason = _text(args.reason, "--reason")
    editor = default_editor(args.editor)
    with _store(args) as store:
        before = store.relation(args.id.strip())
        if before is not None and before.retracted:
            # Retracting twice changes nothing, and adds nothing to the audit trail.
            rel = before
            status = "already retracted"
        else:
            rel = store.retract(args.id.strip(), reason, editor, args.note)
            status = "retracted"
        names = store.get_many([rel.source_id, rel.target_id])
    print(f"{status}\t{rel.id}\t{_edge_text(rel, names)}\t(reason: {rel.retracted_reason})")
    return 0


def _edge_text(rel: Relation, names: dict[str, Node]) -> str:
    src = names.get(rel.source_id)
    tgt = names.get(rel.target_id)
    return (
        f"{src.name if src else rel.source_id} -{rel.type.value}-> "
        f"{tgt.name if tgt else rel.target_id}"
    )


def _relation_json(rel: Relation, names: dict[str, Node]) -> dict[str, Any]:
    src, tgt = names.get(rel.source_id), names.get(rel.target_id)
    return {
        "id": rel.id,
        "type": rel.type.value,
        "source_id": rel.source_id,
        "source_name": src.name if src else None,
        "target_id": rel.target_id,
        "target_name": tgt.name if tgt else None,
        "properties": rel.properties,
        "curated": rel.curated,
        "retracted": rel.retracted,
        "editor": rel.editor,
        "note": rel.note,
        "created_at": rel.created_at,
        "retracted_reason": rel.retracted_reason,
        "evidence": rel.evidence_count,
        "confidence": rel.confidence,
    }


def cmd_edges_list(args: argparse.Namespace) -> int:
    types: list[RelationType] | None = [parse_relation_type(args.type)] if args.type else None
    with _store(args) as store:
        rels = store.relations(
            types=types,
            curated=True if args.curated else None,
            retracted=bool(args.retracted),
            limit=args.limit,
        )
        ids = sorted({i for rel in rels for i in (rel.source_id, rel.target_id)})
        names = store.get_many(ids)
    if args.json:
        print(json.dumps([_relation_json(r, names) for r in rels], ensure_ascii=False, indent=2))
        return 0
    for rel in rels:
        props = "".join(f" {k}={v}" for k, v in rel.properties.items())
        flags = []
        if rel.curated:
            flags.append(f"curated by {rel.editor}: {rel.note}")
        if rel.retracted:
            flags.append(f"retracted: {rel.retracted_reason}")
        extra = f"\t[{'; '.join(flags)}]" if flags else ""
        print(f"{rel.id}\t{_edge_text(rel, names)}{props}{extra}")
    print(f"{len(rels)} relation(s)")
    return 0


# -- entities ------------------------------------------------------------------------------


def cmd_entities_merge(args: argparse.Namespace) -> int:
    note = _text(args.note, "--note")
    editor = default_editor(args.editor)
    with _store(args) as store:
        keep = resolve_reference(store, args.keep)
        others = [resolve_reference(store, ref, keep.label) for ref in args.others]
        if any(o.id == keep.id for o in others):
            raise InputError(f"cannot merge {describe(keep)} into itself")
        node = store.merge(keep.id, [o.id for o in others], editor, note)
    print(f"merged\t{', '.join(o.id for o in others)} -> {describe(node)}")
    print(f"aliases\t{', '.join(node.aliases)}")
    return 0


def cmd_entities_unmerge(args: argparse.Namespace) -> int:
    editor = default_editor(args.editor)
    with _store(args) as store:
        node = store.unmerge(args.id.strip(), editor, args.note)
    print(f"unmerged\t{describe(node)}")
    return 0


def cmd_entities_alias(args: argparse.Namespace) -> int:
    alias = _text(args.alias, "ALIAS")
    editor = default_editor(args.editor)
    with _store(args) as store:
        target = resolve_reference(store, args.id)
        key = name_key(alias)
        if key in {name_key(n) for n in (target.name, *target.aliases)}:
            print(f"already named\t{alias} -> {describe(target)}")
            return 0
        others = [n for n in store.find_by_name(alias) if n.id != target.id]
        node = store.add_alias(target.id, alias, editor, args.note)
    print(f"alias\t{alias} -> {describe(node)}")
    if others:
        names = "; ".join(describe(n) for n in others)
        print(f"shegong: warning: {alias!r} also names {names}", file=sys.stderr)
    return 0


# -- audit ---------------------------------------------------------------------------------


def cmd_audit(args: argparse.Namespace) -> int:
    with _store(args) as store:
        entries = store.audit(limit=args.limit, target=args.target)
    if args.json:
        rows = [
            {
                "at": e.at,
                "editor": e.editor,
                "action": e.action,
                "target": e.target,
                "note": e.note,
                "details": dict(e.details),
            }
            for e in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        note = f"\t{e.note}" if e.note else ""
        print(f"{e.at}\t{e.editor}\t{e.action}\t{e.target}{note}")
    print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
    return 0
