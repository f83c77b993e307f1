"""Relations of one article, one per (type, source, target), their evidence collected."""

from __future__ import annotations

from dataclasses import dataclass

from shegong.schema import RELATION_SPECS, Evidence, Label, Relation, RelationType

__all__ = ["SYMMETRIC", "Collector", "End"]

#: Types whose direction carries no meaning: one relation per pair, in the direction the
#: text names them first (A、B联合主办 -> A PARTNERED_WITH B only).
SYMMETRIC = frozenset({RelationType.PARTNERED_WITH})


@dataclass(frozen=True)
class End:
    """One endpoint of a relation being made; ``from_context`` when the sentence did not
    name it (the event of the article, the organisation of an election)."""

    entity_id: str
    label: Label
    from_context: bool = False


class Collector:
    """Relations of one article keyed by (type, source, target), evidence accumulated."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[RelationType, str, str], Relation] = {}
        self._titles: dict[str, set[str]] = {}  # person -> titles of their HOLDS_POSITION

    def add(
        self,
        rtype: RelationType,
        source: End,
        target: End,
        props: dict[str, str],
        evidence: Evidence,
    ) -> None:
        spec = RELATION_SPECS[rtype]
        if source.entity_id == target.entity_id:
            return
        if source.label not in spec.sources or target.label not in spec.targets:
            return
        props = {k: v for k, v in props.items() if k in spec.properties and v}
        if rtype == RelationType.HOLDS_POSITION and props.get("title"):
            self._titles.setdefault(source.entity_id, set()).add(props["title"])
        key = (rtype, source.entity_id, target.entity_id)
        if rtype in SYMMETRIC and (rtype, target.entity_id, source.entity_id) in self._by_key:
            key = (rtype, target.entity_id, source.entity_id)
        kept = self._by_key.get(key)
        if kept is None:
            self._by_key[key] = Relation(
                rtype, source.entity_id, target.entity_id, props, [evidence]
            )
            return
        for name, value in props.items():
            old = kept.properties.get(name)
            if not old:
                kept.properties[name] = value
            elif name in ("role", "title") and value not in old.split("、"):
                kept.properties[name] = f"{old}、{value}"
        # One piece of evidence per sentence: the most confident rule that read it there.
        for k, seen in enumerate(kept.evidence):
            if (
                seen.sentence == evidence.sentence
                and seen.end > evidence.start
                and evidence.end > seen.start
            ):
                if evidence.confidence > seen.confidence:
                    kept.evidence[k] = evidence
                return
        kept.evidence.append(evidence)

    def titles_of(self, person_id: str) -> set[str]:
        """The titles already tying ``person_id`` to an organisation (HOLDS_POSITION)."""
        return self._titles.get(person_id, set())

    def relations(self) -> list[Relation]:
        """The relations, in the order their first evidence appears in the article."""
        return sorted(
            self._by_key.values(),
            key=lambda r: (r.evidence[0].start, r.type.value, r.source_id, r.target_id),
        )
