"""Node-link JSON, GraphML and GEXF written as the store is read (CSV: ``export_csv``).

Nodes come a page at a time (``GraphStore.nodes(limit, offset)``) and relations one by
one (``iter_relations``), and each is written out at once: memory does not depend on the
size of the graph. GraphML and GEXF declare their columns before the rows, so the nodes
are read twice (once for the attribute names and types, once to write them). The output
is what the networkx writers gave for the same graph: nodes by id, edges by relation id,
JSON keys sorted (node-link is byte for byte ``json.dump(..., indent=1, sort_keys=True)``
of networkx's ``node_link_data``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from shegong.schema import RELATION_SPECS, Node

from .export_attrs import edge_attributes, flat_value, node_attributes

if TYPE_CHECKING:
    from .base import GraphStore

__all__ = ["NODE_PAGE", "export_gexf", "export_graphml", "export_node_link", "iter_nodes"]

#: Nodes read per page.
NODE_PAGE = 2000


def iter_nodes(store: GraphStore, page: int = NODE_PAGE) -> Iterator[Node]:
    """Every node in id order, a page at a time."""
    offset = 0
    while True:
        batch = store.nodes(limit=page, offset=offset)
        yield from batch
        if len(batch) < page:
            return
        offset += page


# -- node-link JSON ------------------------------------------------------------------------
def _json_item(item: dict[str, Any], out: IO[str], first: bool) -> None:
    """One list element at depth 2 of an ``indent=1`` document."""
    text = json.dumps(item, ensure_ascii=False, sort_keys=True, indent=1)
    out.write("\n" if first else ",\n")
    out.write("\n".join("  " + line for line in text.split("\n")))


def export_node_link(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write networkx ``node_link_data`` (key ``edges``) as JSON; returns the counts."""
    counts = {"nodes": 0, "edges": 0}
    with open(path, "w", encoding="utf-8") as out:
        out.write('{\n "directed": true,\n "edges": [')
        for rel in store.iter_relations():
            item = {**edge_attributes(rel), "source": rel.source_id, "target": rel.target_id}
            item["key"] = rel.id
            _json_item(item, out, counts["edges"] == 0)
            counts["edges"] += 1
        out.write("\n ],\n" if counts["edges"] else "],\n")
        out.write(' "graph": {},\n "multigraph": true,\n "nodes": [')
        for node in iter_nodes(store):
            _json_item({**node_attributes(node), "id": node.id}, out, counts["nodes"] == 0)
            counts["nodes"] += 1
        out.write("\n ]\n}\n" if counts["nodes"] else "]\n}\n")
    return counts


# -- GraphML -------------------------------------------------------------------------------
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _merge_kind(old: str | None, new: str) -> str:
    if old is None or old == new:
        return new
    if {old, new} == {"long", "double"}:
        return "double"
    return "string"


def _viewer_node(node: Node) -> dict[str, Any]:
    attrs = node_attributes(node)
    flat = {k: flat_value(v) for k, v in attrs.items() if v is not None}
    flat["schema_label"] = flat.pop("label")
    flat["label"] = attrs["name"]
    return flat


def _xml_string(value: Any) -> str:
    """``value`` as XML text: booleans as XML Schema writes them, characters XML 1.0
    cannot hold dropped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _xml_text(value: Any) -> str:
    return escape(_xml_string(value))


def _node_values(attrs: dict[str, Any], kinds: dict[str, str]) -> Iterator[tuple[str, Any]]:
    """A node's (name, value) pairs by name, but a value not of its column's type."""
    for name, value in sorted(attrs.items()):
        if kinds[name] == "string" or _kind(value) != "string":
            yield name, value


def _edge_values(attrs: dict[str, Any], kinds: dict[str, str]) -> Iterator[tuple[str, Any]]:
    """An edge's (name, value written) pairs by name, for the columns ``kinds`` declares."""
    for name, value in sorted(attrs.items()):
        kind = kinds.get(name)
        written = _edge_value(value, kind) if kind and value is not None else None
        if written is not None:
            yield name, written


def _edge_kinds() -> dict[str, str]:
    kinds = {
        "type": "string",
        "confidence": "double",
        "curated": "boolean",
        "evidence_count": "long",
        "article_ids": "string",
        "sentences": "string",
        "rules": "string",
        "editor": "string",
        "note": "string",
        "label": "string",
    }
    for spec in RELATION_SPECS.values():
        for prop in spec.properties:
            kinds.setdefault(prop, "long" if prop == "count" else "string")
    return kinds


def _edge_value(value: Any, kind: str) -> Any:
    if kind == "long" and not isinstance(value, int):
        return None  # not what the column declares: left out rather than unreadable
    return value if kind != "string" else flat_value(value)


def _node_kinds(store: GraphStore) -> dict[str, str]:
    """Each node attribute's column type over all the nodes (the first read)."""
    kinds: dict[str, str] = {}
    for node in iter_nodes(store):
        for key, value in _viewer_node(node).items():
            kinds[key] = _merge_kind(kinds.get(key), _kind(value))
    return kinds


def export_graphml(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write GraphML; ``label`` is the name (see the export module), list attributes
    joined with `` | ``, empty values left out."""
    node_kinds = _node_kinds(store)
    edge_kinds = _edge_kinds()
    node_keys = {name: f"n{i}" for i, name in enumerate(sorted(node_kinds))}
    edge_keys = {name: f"e{i}" for i, name in enumerate(sorted(edge_kinds))}
    counts = {"nodes": 0, "edges": 0}
    with open(path, "w", encoding="utf-8") as out:
        out.write(_GRAPHML_HEAD)
        for scope, keys, kinds in (
            ("node", node_keys, node_kinds),
            ("edge", edge_keys, edge_kinds),
        ):
            for name, key in keys.items():
                out.write(
                    f'  <key id="{key}" for="{scope}" attr.name={quoteattr(name)} '
                    f'attr.type="{kinds[name]}" />\n'
                )
        out.write('  <graph edgedefault="directed">\n')
        for node in iter_nodes(store):
            out.write(f"    <node id={quoteattr(node.id)}>\n")
            for name, value in _node_values(_viewer_node(node), node_kinds):
                out.write(f'      <data key="{node_keys[name]}">{_xml_text(value)}</data>\n')
            out.write("    </node>\n")
            counts["nodes"] += 1
        for rel in store.iter_relations():
            attrs = {**edge_attributes(rel), "label": rel.type.value}
            out.write(
                f"    <edge id={quoteattr(rel.id)} source={quoteattr(rel.source_id)} "
                f"target={quoteattr(rel.target_id)}>\n"
            )
            for name, written in _edge_values(attrs, edge_kinds):
                out.write(f'      <data key="{edge_keys[name]}">{_xml_text(written)}</data>\n')
            out.write("    </edge>\n")
            counts["edges"] += 1
        out.write("  </graph>\n</graphml>\n")
    return counts


# -- GEXF ----------------------------------------------------------------------------------
_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">\n'
    "  <meta>\n    <creator>shegong-kg</creator>\n  </meta>\n"
    '  <graph defaultedgetype="directed" mode="static">\n'
)
#: GEXF's names of the GraphML column types.
_GEXF_TYPES = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


def _xml_attr(value: Any) -> str:
    return quoteattr(_xml_string(value))


def _gexf_columns(out: IO[str], scope: str, kinds: dict[str, str], first: int) -> dict[str, str]:
    ids = {name: str(first + i) for i, name in enumerate(sorted(kinds))}
    out.write(f'    <attributes class="{scope}" mode="static">\n')
    for name, key in ids.items():
        out.write(
            f'      <attribute id="{key}" title={quoteattr(name)} '
            f'type="{_GEXF_TYPES[kinds[name]]}" />\n'
        )
    out.write("    </attributes>\n")
    return ids


def _attvalues(out: IO[str], values: list[tuple[str, Any]]) -> None:
    out.write("        <attvalues>\n")
    for key, value in values:
        out.write(f'          <attvalue for="{key}" value={_xml_attr(value)} />\n')
    out.write("        </attvalues>\n")


def export_gexf(store: GraphStore, path: str | os.PathLike[str]) -> dict[str, int]:
    """Write GEXF 1.2 (Gephi's own format): attributes as for GraphML; a node's GEXF
    label is its name, an edge's its relation type (kept as ``relation_type`` too: GEXF's
    edge ``type`` means directed or not), the edge id is the relation id."""
    node_kinds = _node_kinds(store)
    node_kinds.pop("label", None)  # the node element's own label
    edge_kinds = _edge_kinds()
    edge_kinds["relation_type"] = edge_kinds.pop("type")
    edge_kinds.pop("label")
    counts = {"nodes": 0, "edges": 0}
    with open(path, "w", encoding="utf-8") as out:
        out.write(_GEXF_HEAD)
        node_ids = _gexf_columns(out, "node", node_kinds, 0)
        edge_ids = _gexf_columns(out, "edge", edge_kinds, len(node_ids))
        out.write("    <nodes>\n")
        for node in iter_nodes(store):
            attrs = _viewer_node(node)
            out.write(
                f"      <node id={_xml_attr(node.id)} label={_xml_attr(attrs.pop('label'))}>\n"
            )
            values = [(node_ids[name], v) for name, v in _node_values(attrs, node_kinds)]
            _attvalues(out, values)
            out.write("      </node>\n")
            counts["nodes"] += 1
        out.write("    </nodes>\n    <edges>\n")
        for rel in store.iter_relations():
            attrs = edge_attributes(rel)
            attrs["relation_type"] = attrs.pop("type")
            out.write(
                f"      <edge id={_xml_attr(rel.id)} source={_xml_attr(rel.source_id)} "
                f"target={_xml_attr(rel.target_id)} label={_xml_attr(rel.type.value)}>\n"
            )
            values = [(edge_ids[name], v) for name, v in _edge_values(attrs, edge_kinds)]
            _attvalues(out, values)
            out.write("      </edge>\n")
            counts["edges"] += 1
        out.write("    </edges>\n  </graph>\n</gexf>\n")
    return counts
