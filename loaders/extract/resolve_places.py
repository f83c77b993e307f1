"""Places in an article -> entities with gazetteer records.

The record of an ambiguous name is chosen by the place written in front of it (长春市朝阳区),
then by the other places of the article (a parent or a child named elsewhere); a name that
stays ambiguous keeps no adcode rather than a guess. District short names (越秀) count only
where the article has the full form. Canonical = the official name, qualified by its parent
where the name is not unique in China (长春市朝阳区), so a place has one id everywhere.
"""

from __future__ import annotations

from collections import defaultdict

from shegong.schema import Label

from .candidates import Candidate
from .gazetteer import Gazetteer, PlaceRecord
from .resolve_state import Entity, Located, State

__all__ = ["canonical_place", "resolve_places"]

_KIND_RANK = {"province": 0, "city": 1, "district": 2, "county": 2}


def _choose(
    gaz: Gazetteer, recs: list[PlaceRecord], context: set[str], short: bool
) -> PlaceRecord | None:
    if len(recs) <= 1:
        return recs[0] if recs else None

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
    if short:  # 海南: the province before 海南区 or 海南藏族自治州
        best = min(_KIND_RANK.get(r.kind, 3) for r in recs)
        top = [r for r in recs if _KIND_RANK.get(r.kind, 3) == best]
        if len(top) == 1:
            return top[0]
    return None


def canonical_place(gaz: Gazetteer, rec: PlaceRecord) -> str:
    """Official name, with its parent in front where the name is not unique."""
    if len(gaz.by_name.get(rec.name, [])) > 1 and rec.parent:
        return gaz.records[rec.parent].name + rec.name
    return rec.name


def resolve_places(state: State, located: list[Located], title: list[Candidate]) -> None:
    """Assign place mentions to entities; fill ``state.place_at`` with the scene."""
    gaz = state.lex.gaz
    place_locs = sorted(
        (lc for lc in located if lc.cand.label == Label.PLACE), key=lambda lc: lc.start
    )
    title_places = [c for c in title if c.label == Label.PLACE]
    # context: unambiguous names anywhere (title included), then a second round
    context: set[str] = set()
    for cand in [lc.cand for lc in place_locs] + title_places:
        recs = cand.info.get("records", [])
        if len(recs) == 1 and cand.form != "weak":
            context.add(recs[0].adcode)
    for _ in range(2):
        for lc in place_locs:
            rec = _choose(gaz, lc.cand.info.get("records", []), context, lc.cand.form != "full")
            if rec and lc.cand.form != "weak":
                context.add(rec.adcode)
    for c in title_places:
        rec = _choose(gaz, c.info.get("records", []), context, c.form != "full")
        if rec:
            state.place_at.append((-1, rec))
    by_sentence: dict[int, list[Located]] = defaultdict(list)
    for lc in place_locs:
        by_sentence[lc.sentence].append(lc)
    strong: set[str] = set()
    for lc in place_locs:
        cand = lc.cand
        recs = cand.info.get("records", [])
        prev = [
            p.cand.info["record"]
            for p in by_sentence[lc.sentence]
            if p.end == lc.start and p.cand.info.get("record")
        ]
        if prev and len(recs) > 1:  # 长春市朝阳区: the place written in front decides
            under = [r for r in recs if prev[0] in gaz.ancestors(r)]
            recs = under if len(under) == 1 else recs
        rec = _choose(gaz, recs, context, cand.form != "full")
        cand.info["record"] = rec
        if rec and cand.form in ("full", "short"):
            strong.add(rec.adcode)
    for lc in place_locs:
        rec = lc.cand.info.get("record")
        if rec and (lc.cand.rule != "place:weak" or rec.adcode in strong):
            state.place_at.append((lc.start, rec))
    state.place_at.sort(key=lambda x: x[0])
    for lc in place_locs:
        cand = lc.cand
        if cand.form == "context":
            continue
        rec = cand.info.get("record")
        if cand.form == "weak" and (rec is None or rec.adcode not in strong):
            continue
        ent = _place_entity(state, lc, rec, by_sentence[lc.sentence])
        state.assign(lc, ent)


def _place_entity(
    state: State, lc: Located, rec: PlaceRecord | None, same_sentence: list[Located]
) -> Entity:
    gaz = state.lex.gaz
    cand = lc.cand
    if rec is not None:
        ent = state.entity(Label.PLACE, canonical_place(gaz, rec), rec.kind)
        parent = gaz.records.get(rec.parent) if rec.parent else None
        ent.props.update({"level": rec.kind, "adcode": rec.adcode})
        if parent:
            ent.props["parent"] = canonical_place(gaz, parent)
        if rec.lat is not None:
            ent.props.update({"lat": rec.lat, "lon": rec.lon})
        return ent
    ent = state.entity(Label.PLACE, cand.text, cand.kind)  # ambiguous or below county
    ent.props.setdefault("level", cand.kind)
    if not cand.info.get("records"):  # a street or community: its parent is written before it
        prev = [p for p in same_sentence if p.end == lc.start]
        if prev and prev[0].cand.info.get("record"):
            ent.props.setdefault("parent", canonical_place(gaz, prev[0].cand.info["record"]))
        elif prev:
            ent.props.setdefault("parent", prev[0].cand.text)
    return ent
