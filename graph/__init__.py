"""Storage: the GraphStore protocol, ``open_store`` and exports.

``open_store`` is the only place that picks an implementation; nothing outside this
package imports a concrete store.
"""

from __future__ import annotations

import os
import re

from shegong.schema import InputError, Settings, StoreError

from .analysis import (
    Centrality,
    Community,
    communities,
    component_layout,
    entity_graph,
    organisation_graph,
    top_central,
)
from .analysis_tables import (
    PathStep,
    PlaceRow,
    RelationRow,
    TimelineEvent,
    events_timeline,
    path_with_evidence,
    places_with_coordinates,
    relations_table,
    resolve_node,
)
from .base import Direction, GraphStore
from .deadline import check_deadline, remaining, time_limit
from .export import build_networkx, export_csv, export_gexf, export_graphml, export_node_link
from .plotting import CJK_FONTS, use_cjk_font

__all__ = [
    "BOLT_SCHEMES",
    "CJK_FONTS",
    "Centrality",
    "Community",
    "Direction",
    "GraphStore",
    "PathStep",
    "PlaceRow",
    "RelationRow",
    "TimelineEvent",
    "build_networkx",
    "check_deadline",
    "communities",
    "component_layout",
    "entity_graph",
    "events_timeline",
    "export_csv",
    "export_gexf",
    "export_graphml",
    "export_node_link",
    "is_bolt_uri",
    "open_store",
    "organisation_graph",
    "path_with_evidence",
    "places_with_coordinates",
    "relations_table",
    "remaining",
    "time_limit",
    "resolve_node",
    "top_central",
    "use_cjk_font",
]

BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_bolt_uri(uri: str) -> bool:
    """True for URIs that name a Bolt server (Neo4j, a cluster, Aura, ArcadeDB)."""
    return uri.lower().startswith(BOLT_SCHEMES)


#: ``scheme://`` at the start of a store name: a URI, not a file path.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def open_store(
    uri: str | None = None, settings: Settings | None = None, create: bool = True
) -> GraphStore:
    """Open the store named by ``uri`` (a file path or a bolt/neo4j URI).

    With no ``uri``, ``settings.store`` (``SHEGONG_STORE``, default ``shegong.db``).
    ``create=False`` refuses an embedded store file that does not exist yet (StoreError
    naming it) instead of creating an empty one: for commands that only read. A URI with
    another scheme (``http://``) is an InputError naming the accepted forms.
    """
    settings = settings or Settings.from_env()
    uri = uri or settings.store
    if _URI.match(uri) and not is_bolt_uri(uri):
        raise InputError(
            f"cannot open store {uri!r}: give a file path for the embedded store "
            "(e.g. shegong.db) or a Bolt URI such as bolt://HOST:7687 (schemes: "
            f"{', '.join(s.removesuffix('://') for s in BOLT_SCHEMES)}); "
            "the GraphQL API's http:// address is not a store"
        )
    if is_bolt_uri(uri):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(
            uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    if not create and not os.path.exists(uri):
        raise StoreError(
            f"no store at {uri!r}: this command reads an existing store and creates none "
            "(check --store / $SHEGONG_STORE; `shegong load PATH` builds one)"
        )
    from .embedded import EmbeddedStore

    return EmbeddedStore(uri)
