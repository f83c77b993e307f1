"""The vocabulary of the graph: node labels, relation types, and what each may connect."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import SchemaError

__all__ = [
    "ENTITY_LABELS",
    "ID_PREFIX",
    "KINDS",
    "RELATION_SPECS",
    "Label",
    "RelationSpec",
    "RelationType",
    "parse_label",
    "parse_relation_type",
]


class Label(StrEnum):
    """Node labels."""

    ORGANISATION = "Organisation"
    PERSON = "Person"
    PLACE = "Place"
    POLICY = "Policy"
    EVENT = "Event"
    ARTICLE = "Article"


ENTITY_LABELS: tuple[Label, ...] = (
    Label.ORGANISATION,
    Label.PERSON,
    Label.PLACE,
    Label.POLICY,
    Label.EVENT,
)

#: Short prefixes used in stable ids (``org-…``, ``art-…``).
ID_PREFIX: dict[Label, str] = {
    Label.ORGANISATION: "org",
    Label.PERSON: "per",
    Label.PLACE: "plc",
    Label.POLICY: "pol",
    Label.EVENT: "evt",
    Label.ARTICLE: "art",
}

#: Sub-types an entity's ``kind`` may take, per label (None is always allowed).
KINDS: dict[Label, tuple[str, ...]] = {
    Label.ORGANISATION: (
        "government",
        "party",
        "association",
        "university",
        "media",
        "service",
        "company",
        "other",
    ),
    Label.PLACE: (
        "country",
        "province",
        "city",
        "district",
        "county",
        "street",
        "community",
        "site",
    ),
    Label.POLICY: ("document", "programme"),
    Label.EVENT: (
        "meeting",
        "ceremony",
        "launch",
        "campaign",
        "contest",
        "training",
        "day",
        "other",
    ),
    Label.PERSON: (),
    Label.ARTICLE: (),
}


class RelationType(StrEnum):
    """Relation types (source -> target)."""

    GUIDED_BY = "GUIDED_BY"
    DONATED_TO = "DONATED_TO"
    ELECTED_PRESIDENT = "ELECTED_PRESIDENT"
    ELECTED_TO = "ELECTED_TO"
    HOLDS_POSITION = "HOLDS_POSITION"
    ORGANISED_BY = "ORGANISED_BY"
    HELD_IN = "HELD_IN"
    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    ISSUED_BY = "ISSUED_BY"
    PARTICIPATED_IN = "PARTICIPATED_IN"
    FOUNDED_AT = "FOUNDED_AT"
    PARTNERED_WITH = "PARTNERED_WITH"
    MENTIONS = "MENTIONS"
    REPORTED_BY = "REPORTED_BY"


@dataclass(frozen=True)
class RelationSpec:
    """Which labels a relation type connects, and which properties it carries."""

    sources: frozenset[Label]
    targets: frozenset[Label]
    properties: tuple[str, ...] = ()


def _spec(sources: set[Label], targets: set[Label], *props: str) -> RelationSpec:
    return RelationSpec(frozenset(sources), frozenset(targets), props)


_ORG, _PER, _PLC, _POL, _EVT, _ART = (
    Label.ORGANISATION,
    Label.PERSON,
    Label.PLACE,
    Label.POLICY,
    Label.EVENT,
    Label.ARTICLE,
)

RELATION_SPECS: dict[RelationType, RelationSpec] = {
    RelationType.GUIDED_BY: _spec({_ORG, _EVT}, {_ORG}),
    RelationType.DONATED_TO: _spec({_ORG, _PER}, {_ORG, _PER}, "item", "quantity"),
    RelationType.ELECTED_PRESIDENT: _spec({_PER, _ORG}, {_ORG}, "role"),
    RelationType.ELECTED_TO: _spec({_PER}, {_ORG}, "role"),
    RelationType.HOLDS_POSITION: _spec({_PER}, {_ORG}, "title"),
    RelationType.ORGANISED_BY: _spec({_EVT}, {_ORG}, "role"),
    # a venue that is a body's own premises (社工站, 福利院, 党校) is an Organisation
    RelationType.HELD_IN: _spec({_EVT}, {_PLC, _ORG}),
    RelationType.LOCATED_IN: _spec({_ORG, _PLC}, {_PLC}),
    RelationType.PART_OF: _spec({_ORG}, {_ORG}),
    RelationType.ISSUED_BY: _spec({_POL}, {_ORG}),
    RelationType.PARTICIPATED_IN: _spec({_PER, _ORG}, {_EVT}, "role"),
    RelationType.FOUNDED_AT: _spec({_ORG}, {_EVT}),
    RelationType.PARTNERED_WITH: _spec({_ORG}, {_ORG}),
    RelationType.MENTIONS: _spec({_ART}, set(ENTITY_LABELS), "count"),
    RelationType.REPORTED_BY: _spec({_ART}, {_ORG}),
}


def parse_label(value: str) -> Label:
    """Return the Label named by ``value`` (case-insensitive), or raise SchemaError."""
    for label in Label:
        if value.strip().lower() == label.value.lower():
            return label
    valid = ", ".join(label.value for label in Label)
    raise SchemaError(f"unknown node label {value!r}; valid labels: {valid}")


def parse_relation_type(value: str) -> RelationType:
    """Return the RelationType named by ``value`` (case-insensitive), or raise SchemaError."""
    wanted = value.strip().upper().replace("-", "_").replace(" ", "_")
    for rtype in RelationType:
        if wanted == rtype.value:
            return rtype
    valid = ", ".join(rtype.value for rtype in RelationType)
    raise SchemaError(f"unknown relation type {value!r}; valid types: {valid}")
