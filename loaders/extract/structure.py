"""Relations read from the structure of names, not from verbs.

- PART_OF: a named unit whose name is another entity's name plus a unit
  (中国社会工作联合会司法社会工作委员会 -> 中国社会工作联合会, 琼海市委政法委 -> 琼海市委).
- LOCATED_IN: a place written after its parent (长春市朝阳区永昌街道: 永昌街道 -> 朝阳区
  -> 长春市, 海南省琼海市), and a local body named after its street or community
  (永昌街道社工站 -> 永昌街道).
- REPORTED_BY: the article -> its outlet (Article.source), which is also listed as an
  Organisation of kind ``media``.
"""

from __future__ import annotations

import re

from shegong.schema import Evidence, Label, Node, Relation, RelationType, name_key

from .types import Analysis, Span

__all__ = ["outlet_nodes", "structural_relations"]

_LOCAL_KINDS = ("street", "community")
_QUOTES = "“”\"'《》「」"


def _outlet_kind(name: str) -> str:
    """A source such as 黑龙江省民政厅 is a government body; 新华社, …网, …报 are media."""
    from .lexicon import lexicon

    lex = lexicon()
    if name in lex.known_orgs:
        return lex.known_orgs[name]
    endings = [s for s in lex.org_suffix if name.endswith(s)]
    if endings:
        return lex.org_suffix[max(endings, key=len)][0]
    return "media"


def outlet_nodes(source: str | None) -> list[Node]:
    """The outlets named by ``Article.source`` (``国家卫健委官网、社工中国网`` names two)
    as media Organisations, quotes stripped."""
    if not source:
        return []
    out = []
    for part in re.split(r"[、,;/|]|\s+", source):
        name = "".join(ch for ch in part.strip() if ch not in _QUOTES).strip()
        if 2 <= len(name) <= 40:
            out.append(Node(label=Label.ORGANISATION, name=name, kind=_outlet_kind(name)))
    return out


def _evidence(analysis: Analysis, span: Span, rule: str, confidence: float) -> Evidence:
    sentence = next(
        (s.text for s in analysis.sentences if s.start <= span.start and span.end <= s.end),
        span.text,
    )
    return Evidence(analysis.article.id, sentence, span.start, span.end, rule, confidence)


def structural_relations(analysis: Analysis) -> list[Relation]:
    """PART_OF and LOCATED_IN relations implied by the entities' names and chains."""
    out: dict[str, Relation] = {}
    entities = analysis.entities
    first_span: dict[str, Span] = {}
    for span in analysis.spans:
        first_span.setdefault(span.entity_id, span)

    def add(rtype: RelationType, src: str, tgt: str, span: Span, rule: str, conf: float) -> None:
        rel = Relation(rtype, src, tgt, evidence=[_evidence(analysis, span, rule, conf)])
        out.setdefault(rel.id, rel)

    orgs = [n for n in entities.values() if n.label == Label.ORGANISATION]
    keys = {n.id: name_key(n.name) for n in orgs}
    for child in orgs:
        ck = keys[child.id]
        parents = [
            p
            for p in orgs
            if p.id != child.id and ck.startswith(keys[p.id]) and len(ck) - len(keys[p.id]) >= 2
        ]
        if parents and child.id in first_span:
            parent = max(parents, key=lambda p: len(keys[p.id]))
            add(
                RelationType.PART_OF,
                child.id,
                parent.id,
                first_span[child.id],
                "structure:unit-name",
                0.9,
            )
    places = {n.id: n for n in entities.values() if n.label == Label.PLACE}
    by_name = {name_key(n.name): n for n in places.values()}
    for place in places.values():
        parent_name = place.properties.get("parent")
        parent = by_name.get(name_key(parent_name)) if parent_name else None
        if parent is not None and place.id in first_span:
            add(
                RelationType.LOCATED_IN,
                place.id,
                parent.id,
                first_span[place.id],
                "structure:place-parent",
                0.9,
            )
    # a body named after its street or community: 永昌街道社工站 -> 永昌街道
    local = [p for p in places.values() if p.properties.get("level") in _LOCAL_KINDS]
    for org in orgs:
        names = [org.name, *org.aliases]
        for p in local:
            if (
                any(
                    name_key(n).startswith(name_key(p.name)) or name_key(p.name) + "" in name_key(n)
                    for n in names
                )
                and org.id in first_span
            ):
                add(
                    RelationType.LOCATED_IN,
                    org.id,
                    p.id,
                    first_span[org.id],
                    "structure:local-body",
                    0.8,
                )
    # a street office opening with its county: 阿左旗王府街道办事处 -> 阿左旗
    for org in orgs:
        key = name_key(org.name)
        if not key.endswith("街道办事处") or org.id not in first_span:
            continue
        inside = [
            (len(name_key(n)), p)
            for p in places.values()
            for n in (p.name, *p.aliases)
            if key.startswith(name_key(n)) and len(key) - len(name_key(n)) > len("街道办事处")
        ]
        if inside:
            place = max(inside, key=lambda x: x[0])[1]
            add(
                RelationType.LOCATED_IN,
                org.id,
                place.id,
                first_span[org.id],
                "structure:street-office",
                0.8,
            )
    return sorted(out.values(), key=lambda r: (r.type.value, r.source_id, r.target_id))
