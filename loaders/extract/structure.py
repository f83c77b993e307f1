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
from functools import cache

from shegong.schema import Evidence, Label, Node, Relation, RelationType, name_key

from .lexicon import lexicon
from .types import Analysis, Span

__all__ = ["outlet_nodes", "structural_relations"]

_QUOTES = "“”\"'《》「」"
_LOCAL_KINDS = ("street", "community")
_COUNTING = frozenset("一二两三四五六七八九十百各全多几数0123456789")
_MEETING = re.compile(
    r"第[一二三四五六七八九十0-9]+次|[一二三四五六七八九十0-9]+届[一二三四五六七八九十0-9]+次"
)
_SEVERAL = re.compile(r"[一二两三四五六七八九十几数多各]+[个地家所级]")
#: A unit's own name after its parent's is at most this long (儿童福利和慈善事业促进处,
#: 非公有制经济组织和社会组织工作委员会).
_UNIT_MAX = 20
#: Level words that continue a place name into a longer one (郑州 in 郑州新区 is no step).
_PLACE_TAILS = ("新区", "区", "县", "市", "镇", "乡")
#: The one-character units written right after their body (区委办 for 区委办公室).
_ONE_CHAR_UNITS = frozenset({"办"})


@cache
def _unit_endings() -> tuple[str, ...]:
    from shegong.loaders.data import read_lines

    return read_lines("part_of_units.txt")


@cache
def _located_endings() -> tuple[str, ...]:
    from shegong.loaders.data import read_lines

    return read_lines("located_bodies.txt")


def _is_unit(rest: str, after: str) -> bool:
    """Whether ``rest``, a name after its parent's name, names a unit of that parent;
    ``after`` is the text right after the name (a 科 before 技 is a cut 科技有限公司)."""
    if rest in _ONE_CHAR_UNITS:
        return True  # 区委办, 市政府办
    if not 2 <= len(rest) <= _UNIT_MAX or not rest.endswith(_unit_endings()):
        return False
    if _MEETING.search(rest):
        return False  # 第一次理事会: a meeting of the body, not a unit
    return not (rest.endswith("科") and after.startswith("技"))


def _parent_in_name(child: Node, by_key: dict[str, str], after: str) -> str | None:
    """The organisation (id) whose name opens the child's name, the rest naming a unit:
    the longest such parent of the canonical name, else of an alias (屯溪区委社会工作部
    for 中共黄山市屯溪区委社会工作部). Each prefix is one dict look-up."""
    own = name_key(child.name)
    forms = [own, *sorted({name_key(a) for a in child.aliases} - {own}, key=len, reverse=True)]
    for key in forms:
        for cut in range(len(key) - 1, 1, -1):
            parent = by_key.get(key[:cut])
            if (
                parent is not None
                and parent != child.id
                and _is_unit(key[cut:], after)
                and not _cuts_ending(key, cut)
            ):
                return parent
    return None


def _cuts_ending(key: str, cut: int) -> bool:
    """Whether ``cut`` falls inside a name ending of ``key``: 西城区委 | 会经济二支部 cuts
    委会, so 西城区委 is not the body that 西城区委会经济二支部 belongs to."""
    return any(h.start < cut < h.end for h in lexicon().scan_name(key).get("orgsuf"))


def _standalone(analysis: Analysis) -> set[str]:
    """Places mentioned on their own, not only inside an organisation's name
    (荷城街道 in 荷城街道社工站 alone is not a place the text names)."""
    orgs = [(s.start, s.end) for s in analysis.spans if s.label == Label.ORGANISATION]
    return {
        s.entity_id
        for s in analysis.spans
        if s.label == Label.PLACE and not any(a <= s.start and s.end <= b for a, b in orgs)
    }


def _local_bodies(
    analysis: Analysis, orgs: list[Node], places: dict[str, Node]
) -> list[tuple[Node, Node]]:
    """(station or school, place) for a body whose name opens with the places it serves and
    then names one body: a proper name (定远县弘文留守儿童学校) or a street or community
    (长沙县路口镇社工站; not 海宁市社工站 or 河北省社工站, the stations of a region).
    The place is the most specific one the text also names on its own (高明区荷城街道社工站
    -> 高明区 when 荷城街道 is only part of the name), else the street or community."""
    standalone = _standalone(analysis)
    lex = lexicon()
    names = sorted(
        ((name_key(n), p) for p in places.values() for n in (p.name, *p.aliases) if n),
        key=lambda x: -len(x[0]),
    )
    out = []
    for org in orgs:
        key = name_key(org.name)
        if not key.endswith(_located_endings()):
            continue
        pos, chain, skipped = 0, [], False
        while True:
            step = next(
                (
                    (k, p)
                    for k, p in names
                    if key.startswith(k, pos) and not key.startswith(_PLACE_TAILS, pos + len(k))
                ),
                None,
            )
            if step is None:  # a place the name opens with but the text never names alone
                hit = lex.scan_name(key).starting("place", pos)
                if hit and hit[0].end < len(key) and hit[0].data[:1] != ("weak",):
                    pos, skipped = hit[0].end, True
                    continue
            if step is None or pos + len(step[0]) >= len(key):
                break
            pos += len(step[0])
            chain.append(step[1])
        if skipped and not chain:
            continue
        rest = key[pos:]
        several = _SEVERAL.search(rest) or any(p.name[0] in _COUNTING for p in chain)
        if not chain or several:
            continue  # 两个街道社工站, 西藏新疆两地社工站: several bodies
        local = chain[-1].properties.get("level") in _LOCAL_KINDS
        if rest in _located_endings() and not local:
            continue
        found = next((p for p in reversed(chain) if p.id in standalone), None)
        if found is None and local:
            found = chain[-1]
        if found is not None:
            out.append((org, found))
    return out


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
    by_key = {name_key(n.name): n.id for n in orgs}
    text = analysis.article.text
    for child in orgs:
        seen = first_span.get(child.id)
        if seen is None:
            continue
        parent = _parent_in_name(child, by_key, text[seen.end : seen.end + 1])
        if parent is not None:
            add(RelationType.PART_OF, child.id, parent, seen, "structure:unit-name", 0.9)
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
    # a local body named after the place it serves: 长沙县路口镇社工站 -> 长沙县
    for org, place in _local_bodies(analysis, orgs, places):
        if org.id in first_span:
            add(
                RelationType.LOCATED_IN,
                org.id,
                place.id,
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
