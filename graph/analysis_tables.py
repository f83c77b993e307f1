"""Tables for analysts read straight from a store: paths with the sentences behind each
step, who guided / donated to / elected whom, events on a timeline, places on a map.

Every function takes any GraphStore and returns typed rows (``pandas.DataFrame(rows)``
makes a table) in a stable order. Entities may be named by id or by name (an alias
works too); an unknown or ambiguous name raises NotFoundError / AmbiguousError naming
the candidates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shegong.schema import (
    AmbiguousError,
    Evidence,
    Label,
    Node,
    NotFoundError,
    Relation,
    RelationType,
    parse_label,
    parse_relation_type,
)

from .base import GraphStore

__all__ = [
    "PathStep",
    "PlaceRow",
    "RelationRow",
    "TimelineEvent",
    "events_timeline",
    "path_with_evidence",
    "places_with_coordinates",
    "relations_table",
    "resolve_node",
]


@dataclass(frozen=True)
class PathStep:
    """One relation of a path, walked from ``from_name`` to ``to_name``.

    ``forward`` is False when the relation points the other way (the path is undirected).
    """

    from_id: str
    from_name: str
    type: str
    to_id: str
    to_name: str
    forward: bool
    confidence: float
    sentences: tuple[str, ...]
    articles: tuple[str, ...]  # titles of the articles the sentences come from

    @property
    def arrow(self) -> str:
        if self.forward:
            return f"{self.from_name} -[{self.type}]-> {self.to_name}"
        return f"{self.from_name} <-[{self.type}]- {self.to_name}"


@dataclass(frozen=True)
class RelationRow:
    """One relation with its endpoints' names and its first supporting sentence."""

    type: str
    source: str
    target: str
    details: str  # the relation's properties, e.g. "role=首任会长"
    confidence: float
    evidence_count: int
    sentence: str
    source_id: str
    target_id: str
    id: str


@dataclass(frozen=True)
class TimelineEvent:
    """An event with a date. ``year`` is None when the articles give only month and day."""

    id: str
    name: str
    kind: str | None
    date: str  # as stored: ISO (2022-12-04, 2022-12, 2022) or MM-DD
    year: int | None
    month: int | None
    day: int | None
    place: str | None
    organisers: tuple[str, ...]


@dataclass(frozen=True)
class PlaceRow:
    """A place with coordinates; ``degree`` counts its relations (MENTIONS excluded)."""

    id: str
    name: str
    kind: str | None
    adcode: str | None
    lat: float
    lon: float
    degree: int


def resolve_node(store: GraphStore, ref: str, label: Label | str | None = None) -> Node:
    """The node whose id, canonical name or alias is ``ref`` (of ``label`` if given)."""
    wanted = parse_label(label) if isinstance(label, str) else label
    node = store.get(ref)
    if node is not None and (wanted is None or node.label == wanted):
        return node
    found = store.find_by_name(ref, wanted)
    if len(found) == 1:
        return found[0]
    what = wanted.value if wanted is not None else "node"
    if found:
        listed = ", ".join(f"{n.name} ({n.label.value}, {n.id})" for n in found)
        raise AmbiguousError(f"{ref!r} names {len(found)} entities: {listed}; pass an id")
    similar = store.search(ref, [wanted] if wanted is not None else None, limit=5)
    hint = "; similar: " + ", ".join(f"{n.name} ({n.id})" for n in similar) if similar else ""
    raise NotFoundError(f"no {what} with id, name or alias {ref!r}{hint}")


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def path_with_evidence(
    store: GraphStore, a: str, b: str, max_hops: int = 4, evidence: int = 10
) -> list[PathStep] | None:
    """A shortest path between ``a`` and ``b`` (ids or names) with the sentences that
    support each step (from its first ``evidence`` pieces, by article); None if they are
    not connected within ``max_hops`` relations (MENTIONS and REPORTED_BY are not
    followed), [] when ``a`` and ``b`` are one node."""
    start, end = resolve_node(store, a), resolve_node(store, b)
    rels = store.path(start.id, end.id, max_hops=max_hops)
    if rels is None:
        return None
    ids = sorted({i for r in rels for i in (r.source_id, r.target_id)})
    nodes = store.get_many(ids)
    pages = store.evidence([r.id for r in rels], limit=evidence)
    article_ids = sorted({ev.article_id for page in pages.values() for ev in page})
    titles = {i: n.name for i, n in store.get_many(article_ids).items()}
    steps: list[PathStep] = []
    here = start.id
    for rel in rels:
        forward = rel.source_id == here
        there = rel.target_id if forward else rel.source_id
        steps.append(
            PathStep(
                from_id=here,
                from_name=_name(nodes, here),
                type=rel.type.value,
                to_id=there,
                to_name=_name(nodes, there),
                forward=forward,
                confidence=rel.confidence,
                sentences=_unique(ev.sentence for ev in pages[rel.id]),
                articles=_unique(titles.get(ev.article_id, ev.article_id) for ev in pages[rel.id]),
            )
        )
        here = there
    return steps


def _name(nodes: dict[str, Node], node_id: str) -> str:
    node = nodes.get(node_id)
    return node.name if node is not None else node_id


def _details(props: dict[str, Any]) -> str:
    return "; ".join(f"{k}={props[k]}" for k in sorted(props) if props[k] not in (None, ""))


def relations_table(
    store: GraphStore,
    types: Sequence[RelationType | str],
    min_confidence: float | None = None,
) -> list[RelationRow]:
    """Relations of ``types`` (e.g. GUIDED_BY, DONATED_TO, ELECTED_PRESIDENT) with the
    names at both ends, ordered by type (as given), source name, target name and id."""
    wanted = [t if isinstance(t, RelationType) else parse_relation_type(t) for t in types]
    rels = store.relations(types=wanted, min_confidence=min_confidence) if wanted else []
    nodes = store.get_many(sorted({i for r in rels for i in (r.source_id, r.target_id)}))
    rank = {t: i for i, t in enumerate(wanted)}
    first = store.evidence([r.id for r in rels], limit=1) if rels else {}
    rows = [_row(rel, nodes, first.get(rel.id, [])) for rel in rels]
    rows.sort(key=lambda r: (rank[RelationType(r.type)], r.source, r.target, r.id))
    return rows


def _row(rel: Relation, nodes: dict[str, Node], first: list[Evidence]) -> RelationRow:
    return RelationRow(
        type=rel.type.value,
        source=_name(nodes, rel.source_id),
        target=_name(nodes, rel.target_id),
        details=_details(rel.properties),
        confidence=rel.confidence,
        evidence_count=rel.evidence_count,
        sentence=first[0].sentence if first else (rel.note or ""),
        source_id=rel.source_id,
        target_id=rel.target_id,
        id=rel.id,
    )


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def _parse_date(value: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of an ISO date of any precision or of MM-DD; None otherwise."""
    if m := _MONTH_DAY.match(value):
        month, day = int(m.group(1)), int(m.group(2))
        return (None, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None
    if m := _ISO.match(value):
        iso_month = int(m.group(2)) if m.group(2) else None
        iso_day = int(m.group(3)) if m.group(3) else None
        if iso_month is not None and not 1 <= iso_month <= 12:
            return None
        return int(m.group(1)), iso_month, iso_day
    return None


def events_timeline(store: GraphStore) -> list[TimelineEvent]:
    """Events with a date (the event's own ``date``, else when it was first seen), with
    where they were held and who organised them. Events with a year come first in date
    order, then those known only by month and day; events with no usable date are left out.
    """
    events = store.nodes(Label.EVENT)
    rels = store.relations(types=[RelationType.HELD_IN, RelationType.ORGANISED_BY])
    names = {i: n.name for i, n in store.get_many(sorted({r.target_id for r in rels})).items()}
    place: dict[str, str] = {}
    organisers: dict[str, list[str]] = {}
    for rel in rels:  # ordered by id, so the place picked is stable
        target = names.get(rel.target_id, rel.target_id)
        if rel.type == RelationType.HELD_IN:
            place.setdefault(rel.source_id, target)
        else:
            organisers.setdefault(rel.source_id, []).append(target)
    rows: list[TimelineEvent] = []
    for event in events:
        raw = event.properties.get("date") or event.first_seen
        parsed = _parse_date(str(raw)) if raw else None
        if parsed is None:
            continue
        year, month, day = parsed
        rows.append(
            TimelineEvent(
                id=event.id,
                name=event.name,
                kind=event.kind,
                date=str(raw),
                year=year,
                month=month,
                day=day,
                place=place.get(event.id),
                organisers=tuple(sorted(set(organisers.get(event.id, [])))),
            )
        )
    rows.sort(key=lambda r: (r.year is None, r.year or 0, r.month or 0, r.day or 0, r.name, r.id))
    return rows


def _coordinate(props: Any, *keys: str, bound: float) -> float | None:
    for key in keys:
        value = props.get(key)
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number) and -bound <= number <= bound:
            return number
    return None


def places_with_coordinates(store: GraphStore) -> list[PlaceRow]:
    """Places that have a latitude and longitude (``lat``/``lon``, or ``latitude``/
    ``longitude``), most connected first (then by id)."""
    rows: list[PlaceRow] = []
    places = store.nodes(Label.PLACE)
    degree = store.degree([p.id for p in places]) if places else {}
    for node in places:
        lat = _coordinate(node.properties, "lat", "latitude", bound=90)
        lon = _coordinate(node.properties, "lon", "longitude", bound=180)
        if lat is None or lon is None:
            continue
        adcode = node.properties.get("adcode")
        rows.append(
            PlaceRow(
                id=node.id,
                name=node.name,
                kind=node.kind,
                adcode=str(adcode) if adcode is not None else None,
                lat=lat,
                lon=lon,
                degree=degree.get(node.id, 0),
            )
        )
    rows.sort(key=lambda r: (-r.degree, r.id))
    return rows
