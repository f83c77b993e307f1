"""In-article resolution: candidates -> entities with canonical names, aliases and kinds.

- Places: the gazetteer record is chosen by context (a parent or child place named in the
  article); an ambiguous name (朝阳区 is in Beijing and Changchun) keeps no adcode rather
  than a guess. District short names (越秀) count only where the full form is present.
  Canonical = the official name, qualified by its parent where the name is not unique
  (长春市朝阳区), so the same place gets the same id in every article.
- Organisations: the fullest form is canonical. Shorter forms become aliases: a form with
  part of the place chain dropped (越秀区社会工作联合会, 永昌街道社工站), a level form
  (区民政局 -> 越秀区民政局, 省民政厅 -> 河南省民政厅, built from the place of that level
  in context), a generic head (联合会) when one body in the article ends with it, and a
  bare unit (慈善社工处) after its body in the same sentence (-> 吉林省民政厅慈善社工处).
- Policies: 《规划》-style short forms -> the one full title ending with them (or the one
  named by 以下简称). Events: names containing one another or sharing a quoted core and head
  noun are one event; a bare noun (座谈会) -> the event with that noun in the article or
  its title. Persons: later bare uses of a name found next to a title.
Unresolvable short forms are dropped: they are not entities.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from shegong.schema import Article, Label, Node
from shegong.schema import name_key as _name_key

from .candidates import Candidate
from .gazetteer import PlaceRecord
from .lexicon import Lexicon
from .sentences import Flat
from .types import Analysis, Sentence, Span

__all__ = ["LocalResolver", "Located"]

_LEVEL = {
    "省": ("province",),
    "市": ("city", "province"),
    "区": ("district",),
    "县": ("county",),
    "州": ("city",),
    "旗": ("county",),
}
_KIND_RANK = {"province": 0, "city": 1, "district": 2, "county": 2}
_POLICY_TAILS = ("工作机制", "机制", "项目", "工作")
_HOSTING = re.compile(r"(?:隆重|正式|组织|联合)?(?:召开|举行|举办)了?")
_ABBREV = re.compile(r"以下简称\s*《([^》]+)》")


name_key = lru_cache(maxsize=65536)(_name_key)
_COMMITTEE = re.compile(r"([省市区县州])委员会$")


def _equivalent(name: str) -> str:
    """Comparison key of an organisation: 共青团晋城市委员会 and 共青团晋城市委 are one."""
    return _COMMITTEE.sub(r"\1委", name_key(name))


def near(a: str, b: str) -> bool:
    """Same name, or a variant of it: equal length (>= 4), same first two and last
    characters, at most two characters different (法治保障卡 / 法治社保卡)."""
    if a == b:
        return True
    if len(a) != len(b) or len(a) < 4 or a[:2] != b[:2] or a[-1] != b[-1]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= 2


@dataclass
class Located:
    """A candidate placed in the article: its sentence and article offsets."""

    cand: Candidate
    sentence: int
    start: int
    end: int


@dataclass
class _Entity:
    label: Label
    name: str
    kind: str | None = None
    surfaces: list[str] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    mentions: list[Located] = field(default_factory=list)
    first: int = 1 << 30

    def add(self, loc: Located | None, surface: str, alias: bool = True) -> None:
        if alias and surface not in self.surfaces:
            self.surfaces.append(surface)
        if loc is not None:
            self.mentions.append(loc)
            self.first = min(self.first, loc.start)


class LocalResolver:
    """Turns one article's candidates into an Analysis."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    # ---------------------------------------------------------------- places
    def _choose(
        self, recs: list[PlaceRecord], context: set[str], short: bool
    ) -> PlaceRecord | None:
        if len(recs) == 1:
            return recs[0]
        if not recs:
            return None
        gaz = self.lex.gaz

        def related(rec: PlaceRecord) -> bool:
            if any(a.adcode in context for a in gaz.ancestors(rec)):
                return True
            return any(
                rec.adcode in {a.adcode for a in gaz.ancestors(gaz.records[c])}
                for c in context
                if c in gaz.records
            )

        fitting = [r for r in recs if related(r)]
        if len(fitting) == 1:
            return fitting[0]
        if short:
            best = min(_KIND_RANK.get(r.kind, 3) for r in recs)
            top = [r for r in recs if _KIND_RANK.get(r.kind, 3) == best]
            if len(top) == 1:
                return top[0]
        return None

    def _canonical_place(self, rec: PlaceRecord) -> str:
        gaz = self.lex.gaz
        if len(gaz.by_name.get(rec.name, [])) > 1 and rec.parent:
            parent = gaz.records[rec.parent]
            return parent.name + rec.name
        return rec.name

    def __call__(
        self,
        article: Article,
        sentences: list[Sentence],
        located: list[Located],
        title: list[Candidate],
    ) -> Analysis:
        gaz = self.lex.gaz
        self._text = article.text
        ents: dict[tuple[Label, str], _Entity] = {}

        def entity(label: Label, name: str, kind: str | None = None) -> _Entity:
            key = (label, _equivalent(name) if label == Label.ORGANISATION else name_key(name))
            if key not in ents:
                ents[key] = _Entity(label, name, kind)
            ent = ents[key]
            ent.kind = ent.kind or kind
            return ent

        assigned: list[tuple[Located, _Entity]] = []

        # ---- places: context first (unambiguous names anywhere, title included)
        place_locs = [loc for loc in located if loc.cand.label == Label.PLACE]
        context: set[str] = set()
        for cand in [loc.cand for loc in place_locs] + [c for c in title if c.label == Label.PLACE]:
            recs = cand.info.get("records", [])
            if len(recs) == 1 and cand.form != "weak":
                context.add(recs[0].adcode)
        for _ in range(2):  # a second round lets newly fixed places disambiguate others
            for cand in [loc.cand for loc in place_locs]:
                rec = self._choose(cand.info.get("records", []), context, cand.form != "full")
                if rec and cand.form != "weak":
                    context.add(rec.adcode)
        # (position, record) of every place seen, for level forms (省民政厅)
        place_at: list[tuple[int, PlaceRecord]] = []
        for c in title:
            if c.label == Label.PLACE:
                rec = self._choose(c.info.get("records", []), context, c.form != "full")
                if rec:
                    place_at.append((-1, rec))
        chain_parent: dict[int, str] = {}
        by_sentence: dict[int, list[Located]] = defaultdict(list)
        for loc in place_locs:
            by_sentence[loc.sentence].append(loc)
        strong_codes = set()
        for loc in sorted(place_locs, key=lambda lc: lc.start):
            cand = loc.cand
            recs = cand.info.get("records", [])
            prev = [
                p.cand.info["record"]
                for p in by_sentence[loc.sentence]
                if p.end == loc.start and p.cand.info.get("record")
            ]
            if prev and len(recs) > 1:  # 长春市朝阳区: the place written in front decides
                under = [r for r in recs if prev[0] in gaz.ancestors(r)]
                recs = under if len(under) == 1 else recs
            rec = self._choose(recs, context, cand.form != "full")
            cand.info["record"] = rec
            if rec and cand.form in ("full", "short"):
                strong_codes.add(rec.adcode)
        for loc in place_locs:  # places that set the scene for 市民政局-style short forms
            rec = loc.cand.info.get("record")
            if rec and (loc.cand.rule != "place:weak" or rec.adcode in strong_codes):
                place_at.append((loc.start, rec))
        for loc in place_locs:
            cand = loc.cand
            if cand.form == "context":
                continue
            rec = cand.info.get("record")
            if cand.form == "weak" and (rec is None or rec.adcode not in strong_codes):
                continue
            if rec is not None:
                ent = entity(Label.PLACE, self._canonical_place(rec), rec.kind)
                parent = gaz.records.get(rec.parent) if rec.parent else None
                ent.props.update(
                    {
                        "level": rec.kind,
                        "adcode": rec.adcode,
                        **({"parent": self._canonical_place(parent)} if parent else {}),
                        **({"lat": rec.lat, "lon": rec.lon} if rec.lat is not None else {}),
                    }
                )
            elif cand.info.get("records"):
                ent = entity(Label.PLACE, cand.text, cand.kind)  # ambiguous: no adcode
                ent.props.setdefault("level", cand.kind)
            else:
                ent = entity(Label.PLACE, cand.text, cand.kind)
                ent.props.setdefault("level", cand.kind)
                prev = [p for p in by_sentence[loc.sentence] if p.end == loc.start]
                if prev and prev[0].cand.info.get("record"):
                    ent.props.setdefault(
                        "parent", self._canonical_place(prev[0].cand.info["record"])
                    )
                elif prev:
                    ent.props.setdefault("parent", prev[0].cand.text)
            ent.add(loc, cand.text)
            assigned.append((loc, ent))
            chain_parent[loc.start] = ent.name
        place_at.sort(key=lambda x: x[0])

        # ---- organisations
        org_locs = [loc for loc in located if loc.cand.label == Label.ORGANISATION]
        reduced: dict[str, set[str]] = defaultdict(set)  # short text -> full canonical keys
        full_orgs: dict[str, _Entity] = {}
        for loc in sorted(org_locs, key=lambda lc: -lc.cand.length):
            cand = loc.cand
            if cand.form != "full":
                continue
            key = name_key(cand.text)
            target = None
            for full_key in sorted(reduced.get(key, ())):
                target = full_orgs[full_key]
                break
            ent = target or entity(Label.ORGANISATION, cand.text, cand.kind)
            ent.add(loc, cand.text)
            assigned.append((loc, ent))
            full_orgs[name_key(ent.name)] = ent
            for p_start, p_end, p_text, distinct in cand.info.get("parents_at", []):
                if distinct:
                    sub = Candidate(
                        Label.ORGANISATION, 0, len(p_text), p_text, "org:parent", form="full"
                    )
                    p_loc = Located(sub, loc.sentence, p_start, p_end)
                    body = entity(Label.ORGANISATION, p_text, None)
                    body.add(p_loc, p_text)
                    assigned.append((p_loc, body))
                    full_orgs.setdefault(name_key(p_text), body)
            for form in self._reduced_forms(cand):
                reduced[name_key(form)].add(name_key(ent.name))
        for c in title:  # title organisations: context for short forms only
            if c.label == Label.ORGANISATION and c.form == "full":
                for form in [c.text, *self._reduced_forms(c)]:
                    reduced[name_key(form)].add(name_key(c.text))
        for loc in sorted(org_locs, key=lambda lc: lc.start):
            cand = loc.cand
            if cand.form == "full":
                continue
            ent = self._resolve_short_org(cand, loc, reduced, full_orgs, place_at, assigned, entity)
            if ent is not None:
                strong = cand.info.get("class") != "generic" and cand.text[0] not in _LEVEL
                ent.add(loc, cand.text, alias=strong and len(cand.text) >= 4)
                assigned.append((loc, ent))
                full_orgs.setdefault(name_key(ent.name), ent)

        # ---- policies
        pol_locs = [loc for loc in located if loc.cand.label == Label.POLICY]
        policies: list[_Entity] = []
        for loc in pol_locs:
            if loc.cand.form != "full":
                continue
            ent = entity(Label.POLICY, loc.cand.text, loc.cand.kind)
            ent.add(loc, loc.cand.text)
            assigned.append((loc, ent))
            if ent not in policies:
                policies.append(ent)
        for ent in list(policies):  # variants of one programme name: the more used one wins
            for other in list(policies):
                if other is ent or other not in policies or ent not in policies:
                    continue
                if ent.kind == other.kind == "programme" and near(ent.name, other.name):
                    keep, gone = (
                        (ent, other) if len(ent.mentions) >= len(other.mentions) else (other, ent)
                    )
                    self._merge(keep, gone, ents, assigned)
                    policies.remove(gone)
        for ent in list(policies):  # 五社联动工作机制 -> 五社联动
            for other in policies:
                if other is not ent and other in policies and ent in policies:
                    k, o = name_key(ent.name), name_key(other.name)
                    if o.startswith(k) and o[len(k) :] in _POLICY_TAILS:
                        self._merge(ent, other, ents, assigned)
                        policies.remove(other)
        abbrevs: dict[str, _Entity] = {}
        for loc in pol_locs:
            if loc.cand.form == "full":
                continue
            sent = sentences[loc.sentence].text
            target = None
            m = _ABBREV.search(sent)
            if m and m.group(1) == loc.cand.text:
                before = [
                    e
                    for lc, e in assigned
                    if e.label == Label.POLICY
                    and lc.sentence == loc.sentence
                    and lc.start < loc.start
                ]
                target = before[-1] if before else None
                if target:
                    abbrevs[loc.cand.text] = target
            target = target or abbrevs.get(loc.cand.text)
            if target is None:
                key = name_key(loc.cand.text)
                ending = [
                    p
                    for p in policies
                    if name_key(p.name).endswith(key) and p.name != loc.cand.text
                ]
                target = ending[0] if len(ending) == 1 else None
            if target is not None:
                target.add(loc, loc.cand.text, alias=False)
                assigned.append((loc, target))

        # ---- events
        self._events(located, title, assigned, entity, ents)

        # ---- persons (and their later bare uses)
        person_names: list[str] = []
        for loc in located:
            if loc.cand.label == Label.PERSON:
                ent = entity(Label.PERSON, loc.cand.text)
                ent.add(loc, loc.cand.text)
                assigned.append((loc, ent))
                if loc.cand.text not in person_names:
                    person_names.append(loc.cand.text)
        self._repeat_people(person_names, sentences, assigned, entity)

        # ---- unit organisations named by a parent that is a body of its own
        return self._analysis(article, sentences, assigned, ents)

    # ---------------------------------------------------------------- helpers
    def _reduced_forms(self, cand: Candidate) -> list[str]:
        """Shorter forms of an anchored name: place chain partly or wholly dropped, and the
        level form (广州市越秀区社会工作联合会 -> 越秀区…, 区社会工作联合会, 社会工作联合会)."""
        if cand.info.get("anchor") != "place":
            return []
        text = cand.text
        hits = self.lex.scan_name(text)
        forms = []
        pos = 0
        while True:
            places = hits.starting("place", pos)
            if not places:
                break
            end = places[0].end
            rest = text[end:]
            if len(rest) < 2:
                break
            forms.append(rest)
            word = places[0].word
            if word[-1] in _LEVEL and not forms[-1].startswith(word[-1]):
                forms.append(word[-1] + rest)
            if end < len(text) and hits.starting("place", end):
                forms.append(text[end:])
            pos = end
        # every later place in the chain starts a shorter form too
        out = []
        for f in forms:
            if f not in out and f != text:
                out.append(f)
        for p in hits.get("place"):
            if 0 < p.start < cand.info.get("anchor_end", 0):
                f = text[p.start :]
                if f not in out:
                    out.append(f)
        return out

    def _resolve_short_org(self, cand, loc, reduced, full_orgs, place_at, assigned, entity):
        key = name_key(cand.text)
        targets = sorted(reduced.get(key, ()))
        if len(targets) == 1:
            if targets[0] in full_orgs:
                return full_orgs[targets[0]]
            return entity(Label.ORGANISATION, targets[0], cand.kind)  # from the title
        text = cand.text
        # level form: 区民政局 -> 越秀区民政局
        if text[0] in _LEVEL and len(text) >= 3 and text[1] not in "级内外":
            kinds = _LEVEL[text[0]]
            gaz = self.lex.gaz

            def fitting(r: PlaceRecord) -> PlaceRecord | None:
                # the place itself or the one above it (许昌市 -> 河南省 for 省民政厅)
                for cand_rec in (r, *gaz.ancestors(r)):
                    if cand_rec.kind in kinds and cand_rec.name.endswith(text[0]):
                        return cand_rec
                return None

            before = [f for pos, r in place_at if pos <= loc.start and (f := fitting(r))]
            after = [f for pos, r in place_at if pos > loc.start and (f := fitting(r))]
            rec = before[-1] if before else (after[0] if after else None)
            if rec is None:
                return None
            name = rec.name + text[1:]
            if name_key(name) in full_orgs:
                return full_orgs[name_key(name)]
            return entity(Label.ORGANISATION, name, cand.kind)
        # a name ending: one body in the article ends with it
        ending = [e for k, e in full_orgs.items() if k.endswith(key) and k != key]
        if len(ending) == 1:
            return ending[0]
        if len(ending) > 1:
            prior = [(lc.start, e) for lc, e in assigned if e in ending and lc.start < loc.start]
            if prior and cand.info.get("class") != "generic":
                return max(prior, key=lambda x: x[0])[1]
            return None
        # a bare unit after its body in the same sentence: 慈善社工处 -> 吉林省民政厅慈善社工处
        if cand.info.get("class") == "unit" and cand.form == "short":
            bodies = [
                (lc, e)
                for lc, e in assigned
                if e.label == Label.ORGANISATION
                and lc.sentence == loc.sentence
                and lc.end <= loc.start
                and e.kind in ("government", "party")
            ]
            if bodies and not any(ch in "和与及" for ch in text):
                body_loc, parent = max(bodies, key=lambda x: x[0].end)
                # only right after the body or its official: 民政厅二级巡视员尤慧林、慈善社工处
                gap = self._text[body_loc.end : loc.start]
                if len(gap) > 12 or self.lex.scan(gap).get("break"):
                    return None
                ent = entity(Label.ORGANISATION, parent.name + text, cand.kind)
                return ent
        return None

    def _merge(self, keep: _Entity, gone: _Entity, ents, assigned) -> None:
        for s in gone.surfaces:
            keep.add(None, s)
        keep.mentions.extend(gone.mentions)
        keep.first = min(keep.first, gone.first)
        for key, e in list(ents.items()):
            if e is gone:
                del ents[key]
        for i, (lc, e) in enumerate(assigned):
            if e is gone:
                assigned[i] = (lc, keep)

    def _events(self, located, title, assigned, entity, ents) -> None:
        full = [loc for loc in located if loc.cand.label == Label.EVENT and loc.cand.form == "full"]
        clusters: list[_Entity] = []

        def core(name: str) -> str:
            m = re.search(r"“([^”]+)”", name)
            return m.group(1) if m else ""

        def same(a: str, b: str, head_a: str, head_b: str) -> bool:
            ka, kb = name_key(a).replace("的", ""), name_key(b).replace("的", "")
            if ka in kb or kb in ka:
                return True
            ca, cb = core(a), core(b)
            return bool(ca) and near(ca, cb) and head_a[-2:] == head_b[-2:]

        org_at = {lc.start: (lc, e) for lc, e in assigned if e.label == Label.ORGANISATION}
        for loc in sorted(full, key=lambda lc: -lc.cand.length):
            cand = loc.cand
            # 社会工作行业协会成立大会 -> 许昌市社会工作行业协会成立大会 (the body in full)
            inner = org_at.get(loc.start)
            if inner and inner[0].end <= loc.end:
                short, body = inner[0].cand.text, inner[1]
                if body.name != short and cand.text.startswith(short):
                    cand.info.setdefault("surface", cand.text)
                    cand.text = body.name + cand.text[len(short) :]
            parts = [cand.text, *cand.text.split("暨")] if "暨" in cand.text else [cand.text]
            target = None
            for ent in clusters:
                if any(
                    same(p, s, cand.info["head"], ent.props.get("_head", ""))
                    for p in parts
                    for s in ent.surfaces
                ):
                    target = ent
                    break
            if target is None:
                target = entity(Label.EVENT, cand.text, cand.kind)
                target.props["_head"] = cand.info["head"]
                for p in parts[1:]:
                    target.add(None, p)
                clusters.append(target)
            target.add(loc, cand.text)
            if cand.info.get("date") and "date" not in target.props:
                target.props["date"] = cand.info["date"]
            assigned.append((loc, target))
        title_events = [c for c in title if c.label == Label.EVENT and c.form == "full"]
        for loc in located:
            cand = loc.cand
            if cand.label != Label.EVENT or cand.form == "full":
                continue
            head = cand.info["head"]
            prior = [
                (lc.start, e)
                for lc, e in assigned
                if e.label == Label.EVENT and head in name_key(e.name)
            ]
            target = None
            if prior:
                before = [x for x in prior if x[0] <= loc.start]
                target = (
                    max(before, key=lambda x: x[0]) if before else min(prior, key=lambda x: x[0])
                )[1]
            else:
                named = [c for c in title_events if head in c.text]
                if len(named) == 1:
                    target = entity(Label.EVENT, named[0].text, named[0].kind)
                    target.props.setdefault("_head", head)
                    clusters.append(target)
                elif cand.rule == "event:named":
                    # 中国社会工作联合会隆重召开党员大会 -> 中国社会工作联合会党员大会
                    hosts = [
                        (lc, e)
                        for lc, e in assigned
                        if e.label == Label.ORGANISATION
                        and lc.sentence == loc.sentence
                        and lc.end <= loc.start
                        and _HOSTING.fullmatch(self._text[lc.end : loc.start])
                    ]
                    if hosts:
                        host = max(hosts, key=lambda x: x[0].end)[1]
                        target = entity(Label.EVENT, host.name + head, cand.kind)
                        target.props.setdefault("_head", head)
                        clusters.append(target)
            if target is not None:
                target.add(loc, cand.text, alias=False)
                if cand.info.get("date") and "date" not in target.props:
                    target.props["date"] = cand.info["date"]
                assigned.append((loc, target))

    def _repeat_people(self, names, sentences, assigned, entity) -> None:
        if not names:
            return
        taken = defaultdict(list)
        for lc, _e in assigned:
            taken[lc.sentence].append((lc.start, lc.end))
        pattern = re.compile("|".join(sorted((re.escape(n) for n in names), key=len, reverse=True)))
        for index, sentence in enumerate(sentences):
            flat = Flat.of(sentence)
            for m in pattern.finditer(flat.text):
                start, end = flat.span(m.start(), m.end())
                if any(s < end and start < e for s, e in taken[index]):
                    continue
                ent = entity(Label.PERSON, m.group())
                cand = Candidate(Label.PERSON, m.start(), m.end(), m.group(), rule="person:repeat")
                loc = Located(cand, index, start, end)
                ent.add(loc, m.group())
                assigned.append((loc, ent))

    def _analysis(self, article, sentences, assigned, ents) -> Analysis:
        nodes: dict[int, Node] = {}
        for ent in ents.values():
            if not ent.mentions:
                continue
            props = {k: v for k, v in ent.props.items() if not k.startswith("_") and v is not None}
            aliases = tuple(s for s in ent.surfaces if name_key(s) != name_key(ent.name))
            nodes[id(ent)] = Node(
                label=ent.label, name=ent.name, aliases=aliases, kind=ent.kind, properties=props
            )
        spans = []
        seen = set()
        for loc, ent in assigned:
            node = nodes.get(id(ent))
            if node is None:
                continue
            key = (loc.start, loc.end, node.id)
            if key in seen:
                continue
            seen.add(key)
            spans.append(
                Span(node.label, loc.cand.text, loc.start, loc.end, node.id, loc.cand.rule)
            )
        spans.sort(key=lambda s: (s.start, -(s.end - s.start), s.entity_id))
        entities = {n.id: n for n in sorted(nodes.values(), key=lambda n: (n.label.value, n.name))}
        return Analysis(article=article, sentences=sentences, spans=spans, entities=entities)
