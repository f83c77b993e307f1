"""Core commands: ``load``, ``extract``, ``export``, ``stats`` and ``demo``.

Thin wrappers over shegong.loaders.pipeline and shegong.graph.export; the store is opened
through ``shegong.graph.open_store`` from ``--store`` or ``SHEGONG_STORE``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from shegong.graph import GraphStore, open_store
from shegong.graph.export import export_csv, export_gexf, export_graphml, export_node_link
from shegong.graph.export_csv import import_command
from shegong.schema import Extraction, InputError, OutputError, Settings

from ..pipeline import DEFAULT_MAX_BYTES, LoadReport, extract_paths, load_paths
from .options import at_least, positive_float
from .serve import add_server_options, run_server

__all__ = ["extraction_json", "print_report", "print_stats", "register", "run_demo"]

DEMO_PATHS = ("data/articles",)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    load = sub.add_parser(
        "load",
        help="read files into the store",
        description="Read .txt/.json/.jsonl/.html files or directories, extract entities and "
        "relations, and store each file whole or not at all. Exit code 1 if any file was rejected.",
    )
    load.add_argument("paths", nargs="+", metavar="PATH")
    _load_options(load)
    load.set_defaults(func=cmd_load)

    extract = sub.add_parser(
        "extract",
        help="preview what would be extracted (writes nothing)",
        description="Print one JSON object per article: the article, its entities with "
        "mentions and its relations with evidence. Nothing is written to the store.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=["jsonl"], default="jsonl")
    extract.add_argument(
        "--max-file-size", type=positive_float, default=DEFAULT_MAX_BYTES / 2**20, metavar="MB"
    )
    extract.set_defaults(func=cmd_extract)

    export = sub.add_parser(
        "export",
        help="write the graph as node-link JSON, GraphML, GEXF or neo4j-admin CSV",
        description="node-link: networkx node_link_data JSON (key 'edges'); graphml and gexf "
        "(Gephi): the node label is the name, the schema label is 'schema_label'; csv: a "
        "directory with one file per label and per relation type (neo4j-admin import layout).",
    )
    export.add_argument("--format", choices=["node-link", "graphml", "gexf", "csv"], required=True)
    export.add_argument("-o", "--output", required=True, metavar="FILE_OR_DIR")
    export.set_defaults(func=cmd_export)

    stats = sub.add_parser("stats", help="counts per label and relation type, top entities")
    stats.add_argument(
        "--top", type=at_least(0), default=10, help="how many top entities (default 10)"
    )
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=cmd_stats)

    demo = sub.add_parser(
        "demo",
        help="load the sample corpus, show what was built, and serve the API",
        description="Load PATHs (default: data/articles) into the store, print statistics, "
        "then serve the GraphQL API (GraphiQL at http://HOST:PORT/graphql) until "
        "interrupted; --no-serve stops after the statistics.",
    )
    demo.add_argument("paths", nargs="*", metavar="PATH")
    add_server_options(demo)
    demo.add_argument(
        "--no-serve", action="store_true", help="load and show statistics, do not serve"
    )
    _load_options(demo)
    demo.set_defaults(func=cmd_demo)


def _load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers", type=at_least(1), default=None, help="extraction processes (default: CPUs)"
    )
    parser.add_argument(
        "--max-file-size",
        type=positive_float,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help=f"reject files larger than this (default {DEFAULT_MAX_BYTES // 2**20})",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="extract every file again, also those stored unchanged by this extractor version",
    )


def _store(args: argparse.Namespace, create: bool = False) -> GraphStore:
    """The store of ``--store``; only commands that write pass ``create``."""
    return open_store(args.store, Settings.from_env(), create=create)


def _max_bytes(args: argparse.Namespace) -> int:
    return int(args.max_file_size * 2**20)


# -- load -------------------------------------------------------------------------------
def print_report(report: LoadReport, store: GraphStore, out: Any = None) -> None:
    """The summary a user reads after a load (on ``out``, default: stdout)."""
    out = out or sys.stdout  # looked up now: a default bound at import outlives redirection
    print(f"store:     {store.uri}", file=out)
    print(f"files:     {_files_line(report)}", file=out)
    known = report.articles - report.articles_added
    articles = f"{report.articles_added} new, {known} already stored"
    if report.duplicates:
        articles += f", {report.duplicates} repeated within this load (skipped)"
    if report.near_duplicates:
        n = report.near_duplicates
        articles += f", {n} reprint{'s' if n != 1 else ''} folded into the article stored first"
    if report.articles_rejected:
        articles += f", {report.articles_rejected} in rejected files"
    print(f"articles:  {articles}", file=out)
    print(f"entities:  {report.entities_added} added, {report.entities_updated} updated", file=out)
    print(
        f"relations: {report.relations_added} added, {report.relations_updated} updated", file=out
    )
    print(f"time:      {report.seconds:.1f} s", file=out)
    if report.files_rejected:
        print("rejected files:", file=out)
        for _, reason in report.files_rejected:
            print(f"  {reason}", file=out)
    if report.files_missing:
        print("not found:", file=out)
        for path in report.files_missing:
            print(f"  {path}: no such file or directory", file=out)


def _files_line(report: LoadReport) -> str:
    """``5 read``, then only the counts that are not zero."""
    parts = [f"{report.files} read"]
    if report.files_skipped:
        parts.append(f"{report.files_skipped} unchanged since stored (skipped; --force reads them)")
    if report.files_rejected:
        parts.append(f"{len(report.files_rejected)} rejected")
    if report.files_missing:
        parts.append(f"{len(report.files_missing)} not found")
    return ", ".join(parts)


def _load(args: argparse.Namespace, store: GraphStore, paths: Sequence[str]) -> LoadReport:
    return load_paths(
        store,
        list(paths),
        workers=args.workers,
        progress=sys.stderr.isatty(),
        max_bytes=_max_bytes(args),
        force=args.force,
    )


def cmd_load(args: argparse.Namespace) -> int:
    store = _store(args, create=True)
    try:
        report = _load(args, store, args.paths)
        print_report(report, store)
    finally:
        store.close()
    return 0 if report.ok else 1


# -- extract ----------------------------------------------------------------------------
def extraction_json(extraction: Extraction) -> dict[str, Any]:
    """The preview object for one article (see ``shegong extract --help``)."""
    article = extraction.article
    names = {e.id: e.name for e in extraction.entities}
    names[article.id] = article.title
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "date": article.date,
            "author": article.author,
            "file": article.file,
            "start": article.start,
            "end": article.end,
        },
        "entities": [
            {
                "id": e.id,
                "label": e.label.value,
                "name": e.name,
                "aliases": list(e.aliases),
                "kind": e.kind,
                "mentions": [asdict(m) for m in extraction.mentions.get(e.id, [])],
            }
            for e in extraction.entities
        ],
        "relations": [
            {
                "id": r.id,
                "type": r.type.value,
                "source": names.get(r.source_id, r.source_id),
                "source_id": r.source_id,
                "target": names.get(r.target_id, r.target_id),
                "target_id": r.target_id,
                "properties": dict(r.properties),
                "confidence": r.confidence,
                "evidence": [asdict(ev) for ev in r.evidence],
            }
            for r in extraction.relations
        ],
    }


def cmd_extract(args: argparse.Namespace) -> int:
    rejected = 0
    for result, extractions in extract_paths(args.paths, max_bytes=_max_bytes(args)):
        if result.error is not None:
            rejected += 1
            print(f"shegong: rejected: {result.error}", file=sys.stderr)
            continue
        for extraction in extractions:
            sys.stdout.write(json.dumps(extraction_json(extraction), ensure_ascii=False) + "\n")
    return 1 if rejected else 0


# -- export -----------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        if args.format == "csv":
            files = export_csv(store, args.output)
            print(f"wrote {len(files)} files to {args.output}")
            if files:
                print("import into an empty Neo4j with: " + shlex.join(import_command(files)))
        else:
            write = {
                "node-link": export_node_link,
                "graphml": export_graphml,
                "gexf": export_gexf,
            }[args.format]
            counts = write(store, args.output)
            print(f"wrote {counts['nodes']} nodes and {counts['edges']} edges to {args.output}")
    except OSError as e:
        raise OutputError(f"cannot write {args.output}: {e.strerror or e}") from e
    finally:
        store.close()
    return 0


# -- stats ------------------------------------------------------------------------------
def print_stats(store: GraphStore, top: int = 10, as_json: bool = False, out: Any = None) -> None:
    out = out or sys.stdout
    stats = store.stats(top=top)
    if as_json:
        data = {
            "store": store.uri,
            "nodes": stats.nodes,
            "relations": stats.relations,
            "nodes_by_label": stats.nodes_by_label,
            "relations_by_type": stats.relations_by_type,
            "top_entities": [{"id": i, "name": n, "degree": d} for i, n, d in stats.top_entities],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), file=out)
        return
    print(f"store: {store.uri}", file=out)
    print(f"nodes: {stats.nodes}", file=out)
    for label, count in sorted(stats.nodes_by_label.items()):
        print(f"  {label:<18}{count:>8}", file=out)
    print(f"relations: {stats.relations}", file=out)
    for rtype, count in sorted(stats.relations_by_type.items()):
        print(f"  {rtype:<18}{count:>8}", file=out)
    if stats.top_entities:
        print("most connected entities:", file=out)
        for rank, (node_id, name, degree) in enumerate(stats.top_entities, 1):
            print(f"  {rank:>2}. {name} ({node_id}): {degree}", file=out)


def cmd_stats(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        print_stats(store, top=args.top, as_json=args.json)
    finally:
        store.close()
    return 0


# -- demo -------------------------------------------------------------------------------
def run_demo(store: GraphStore, paths: Sequence[str], args: argparse.Namespace) -> int:
    """Load ``paths`` and show the result; the exit code of the load."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(
            f"no such file or directory: {', '.join(missing)} (run from the repository root)"
        )
    report = _load(args, store, paths)
    print_report(report, store)
    print()
    print_stats(store)
    return 0 if report.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    store = _store(args, create=True)
    try:
        code = run_demo(store, args.paths or list(DEMO_PATHS), args)
    finally:
        store.close()
    if args.no_serve:
        return code
    print()
    return run_server(args.store, args.host, args.port) or code
