"""Entity references as editors write them: an id, a canonical name or an alias.

An id is looked up first (``store.get`` follows merge redirects, so an id merged away
names the kept entity); otherwise the name is looked up with ``store.find_by_name``,
narrowed to a label when one is given, and then in simplified characters (canonical names
are simplified, an editor may type ``中國社會工作聯合會``). No match is NotFoundError, several are
AmbiguousError listing the candidates so the editor can pick an id.
"""

from __future__ import annotations

import re

from shegong.graph import GraphStore
from shegong.graph.text import to_simplified
from shegong.schema import AmbiguousError, Label, Node, NotFoundError

__all__ = ["describe", "looks_like_id", "resolve_reference"]

_ID = re.compile(r"^(org|per|plc|pol|evt|art)-[0-9a-f]{16}$")


def looks_like_id(ref: str) -> bool:
    """True if ``ref`` has the form of a stable id (``org-3f2a…``)."""
    return bool(_ID.match(ref))


def describe(node: Node) -> str:
    """``名称 (org-…, Organisation)``: how a node is named in messages."""
    return f"{node.name} ({node.id}, {node.label.value})"


def resolve_reference(store: GraphStore, ref: str, label: Label | None = None) -> Node:
    """The one node ``ref`` names (id, canonical name or alias), of ``label`` if given.

    Raises NotFoundError if nothing matches (or the id's node has another label) and
    AmbiguousError if several nodes match.
    """
    ref = ref.strip()
    node = store.get(ref)
    if node is not None:
        if label is not None and node.label != label:
            raise NotFoundError(f"{ref!r} is {describe(node)}, not a {label.value}")
        return node
    if looks_like_id(ref):
        raise NotFoundError(f"no entity has the id {ref!r}")
    found = store.find_by_name(ref, label)
    if not found and to_simplified(ref) != ref:
        found = store.find_by_name(to_simplified(ref), label)
    if not found:
        of = f" {label.value}" if label is not None else ""
        raise NotFoundError(f"no{of} entity has the name or alias {ref!r}")
    if len(found) > 1:
        candidates = "; ".join(describe(n) for n in sorted(found, key=lambda n: n.id))
        raise AmbiguousError(f"{ref!r} names {len(found)} entities: {candidates}; use an id")
    return found[0]
