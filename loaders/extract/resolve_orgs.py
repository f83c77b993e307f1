"""Organisations in an article -> entities; the fullest form is canonical.

Shorter forms become mentions (and aliases where they are safe to link across articles):
- the name with part of its place chain dropped (越秀区社会工作联合会 for
  广州市越秀区社会工作联合会, 永昌街道社工站);
- a level form built from the place of that level in the article (区民政局 -> 越秀区民政局,
  省民政厅 -> 河南省民政厅 via 许昌市's province, 自治区民政厅 -> 广西壮族自治区民政厅);
- a name ending that one body of the article ends with (社会工作行业协会, 联合会);
- a bare unit right after its body or that body's official (吉林省民政厅二级巡视员尤慧林、
  慈善社工处 -> 吉林省民政厅慈善社工处).
Anything else short is dropped: 市民政局 with no city in the article is no entity.
"""

from __future__ import annotations

import re
from collections import defaultdict

from shegong.schema import Label

from .candidates import Candidate
from .gazetteer import PlaceRecord
from .resolve_state import Entity, Located, State, equivalent

__all__ = ["LEVELS", "opens_with_level", "resolve_organisations"]

#: Level words that open a short form, and the place kinds they stand for.
LEVELS: dict[str, tuple[str, ...]] = {
    "自治区": ("province",),
    "自治州": ("city",),
    "省": ("province",),
    "市": ("city", "province"),
    "区": ("district",),
    "县": ("county",),
    "州": ("city",),
    "旗": ("county",),
}
_LEVEL_WORDS = tuple(LEVELS)
_MAX_UNIT_GAP = 30
# Words after a body that open the list of its units.
_UNIT_CUE = re.compile(r"(?:内设|下设|设有|下辖)")
_COUNTING = frozenset("一二两三四五六七八九十百几多个各")


def opens_with_level(name: str) -> bool:
    """Whether a name opens with a level word (市民政局, 区委): a short form whose place
    the article has to supply."""
    return name.startswith(_LEVEL_WORDS)


def _reduced_forms(state: State, cand: Candidate) -> list[str]:
    """Shorter forms of a name opening with places: the chain partly or wholly dropped, and
    level forms (广州市越秀区社会工作联合会 -> 越秀区…, 区社会工作联合会, 社会工作联合会)."""
    anchor, text = cand.info.get("anchor"), cand.text
    anchor_end = cand.info.get("anchor_end", 0)
    if anchor == "national":  # 中共黄山市屯溪区委社会工作部 -> 屯溪区委社会工作部 ...
        prefix = next((p for p in ("中国共产党", "中共") if text.startswith(p)), "")
        rest = text[len(prefix) :]
        if not prefix or not state.lex.scan_name(rest).starting("place", 0):
            return []
        text, anchor_end = rest, anchor_end - len(prefix)
        forms = [rest]
    elif anchor != "place":
        return []
    else:
        forms = []
    hits = state.lex.scan_name(text)
    pos = 0
    while places := hits.starting("place", pos):
        end = places[0].end
        rest = text[end:]
        if len(rest) < 2:
            break
        forms.append(rest)
        word = places[0].word
        if word[-1] in LEVELS and not rest.startswith(word[-1]):
            forms.append(word[-1] + rest)
        pos = end
    for p in hits.get("place"):  # every later place of the chain starts a form too
        if 0 < p.start < anchor_end:
            forms.append(text[p.start :])
    return [f for i, f in enumerate(forms) if f != cand.text and f not in forms[:i]]


def resolve_organisations(state: State, located: list[Located], title: list[Candidate]) -> None:
    org_locs = [lc for lc in located if lc.cand.label == Label.ORGANISATION]
    reduced: dict[str, set[str]] = defaultdict(set)  # short form -> canonical keys
    spelled: dict[str, str] = {}  # key -> the name as the title writes it
    full: dict[str, Entity] = {}
    for lc in sorted(org_locs, key=lambda x: -x.cand.length):
        cand = lc.cand
        if cand.form != "full":
            continue
        targets = sorted(reduced.get(equivalent(cand.text), ()))
        ent = (
            full[targets[0]] if targets else state.entity(Label.ORGANISATION, cand.text, cand.kind)
        )
        state.assign(lc, ent)
        full[equivalent(ent.name)] = ent
        for p_start, p_end, p_text, distinct in cand.info.get("parents_at", []):
            if distinct:  # 北京法安技术服务中心 inside …服务中心法治社保公益普法平台
                sub = Candidate(Label.ORGANISATION, 0, len(p_text), p_text, "org:parent")
                body = state.entity(Label.ORGANISATION, p_text, _kind_of(state, p_text))
                state.assign(Located(sub, lc.sentence, p_start, p_end), body)
                full.setdefault(equivalent(p_text), body)
        for form in _reduced_forms(state, cand):
            reduced[equivalent(form)].add(equivalent(ent.name))
    for c in title:  # organisations of the title: context for short forms only
        if c.label == Label.ORGANISATION and c.form == "full":
            for form in [c.text, *_reduced_forms(state, c)]:
                reduced[equivalent(form)].add(equivalent(c.text))
                spelled.setdefault(equivalent(c.text), c.text)
    for lc in sorted(org_locs, key=lambda x: x.start):
        cand = lc.cand
        if cand.form == "full":
            continue
        found = _short(state, lc, reduced, full, spelled)
        if found is not None:
            safe = cand.info.get("class") != "generic" and not opens_with_level(cand.text)
            state.assign(lc, found, alias=safe and len(cand.text) >= 4)
            full.setdefault(equivalent(found.name), found)
    _merge_former_names(state)


def _merge_former_names(state: State) -> None:
    """A body followed by its former name in brackets is one body: 中国社会工作联合会
    (原中国社会工作协会); the older name becomes an alias."""
    pairs = state.of_label(Label.ORGANISATION)
    by_start = {lc.start: (lc, ent) for lc, ent in pairs}
    for lc, ent in list(pairs):
        if state.text[lc.end : lc.end + 2] != "(原":
            continue
        hit = by_start.get(lc.end + 2)
        if hit is None or state.text[hit[0].end : hit[0].end + 1] != ")":
            continue
        former = hit[1]
        if former is not ent and former.label == ent.label:
            state.merge(ent, former)


def _level_place(state: State, level: str, at: int) -> PlaceRecord | None:
    """The place of that level nearest before ``at`` (else first after): a place named in
    the article, or the one above it (许昌市 -> 河南省 for 省…)."""
    gaz, kinds = state.lex.gaz, LEVELS[level]
    memo: dict[str, PlaceRecord | None] = {}

    def fitting(rec: PlaceRecord) -> PlaceRecord | None:
        if rec.adcode not in memo:
            memo[rec.adcode] = next(
                (
                    r
                    for r in (rec, *gaz.ancestors(rec))
                    if r.kind in kinds and r.name.endswith(level)
                ),
                None,
            )
        return memo[rec.adcode]

    before = [f for pos, r in state.place_at if pos <= at and (f := fitting(r))]
    after = [f for pos, r in state.place_at if pos > at and (f := fitting(r))]
    return before[-1] if before else (after[0] if after else None)


def _kind_of(state: State, name: str) -> str | None:
    """The kind of a body named inside a longer name: its known kind, else its ending's."""
    lex = state.lex
    if name in lex.known_orgs:
        return lex.known_orgs[name]
    endings = [sf for sf in lex.org_suffix if name.endswith(sf)]
    return lex.org_suffix[max(endings, key=len)][0] if endings else None


def _listed_unit(state: State, lc: Located) -> Entity | None:
    """A unit listed after its body's 内设/下设 (联合会内设“一处六中心”:秘书处、评估中心):
    the unit of that body, named with the body's name."""
    cand = lc.cand
    if cand.info.get("anchor") or cand.info.get("class") == "generic":
        return None
    if cand.text[0] in _COUNTING or cand.text in state.lex.org_suffix:
        return None  # 一处六中心, 个二级委员会, a bare 工作委员会: no unit's own name
    for x, body in reversed(state.of_label(Label.ORGANISATION)):
        if x.sentence != lc.sentence or x.end > lc.start:
            continue
        if _UNIT_CUE.match(state.text, x.end) and body.kind != "media":
            return state.entity(Label.ORGANISATION, body.name + cand.text, cand.kind)
    return None


def _shared_place(state: State, lc: Located) -> str | None:
    """A bare body right after another body in a list shares its place: 阿拉善盟委、行署
    -> 阿拉善盟行署, 武侯区民政局和财政局 -> 武侯区财政局."""
    cand = lc.cand
    if cand.info.get("anchor") or len(cand.text) > 5 or lc.start < 1:
        return None
    if opens_with_level(cand.text) or cand.info.get("class") == "generic":
        return None  # 市政府 has its own level; 协会 alone is too vague
    if state.text[lc.start - 1] not in "、和及与":
        return None
    for x, body in state.of_label(Label.ORGANISATION):
        if x.sentence != lc.sentence or x.end != lc.start - 1:
            continue
        if x.cand.info.get("anchor") != "place" or x.cand.text != body.name:
            return None
        place = x.cand.text[: x.cand.info["anchor_end"] - x.cand.start]
        # 阿拉善盟委: the place is 阿拉善盟 although the 委 suffix overlaps it
        return place + cand.text if len(place) >= 2 else None
    return None


def _named_body(cand: Candidate) -> bool:
    """Whether a mention names its body for sure: a full name, or a level form that the
    article's place completes (区委 -> 屯溪区委), not a bare ending such as 党委."""
    if cand.form == "full":
        return True
    return opens_with_level(cand.text) and cand.info.get("class") != "generic"


def _short(
    state: State,
    lc: Located,
    reduced: dict[str, set[str]],
    full: dict[str, Entity],
    spelled: dict[str, str],
) -> Entity | None:
    cand, text = lc.cand, lc.cand.text
    key = equivalent(text)
    targets = sorted(reduced.get(key, ()))
    if len(targets) == 1:
        name = spelled.get(targets[0], targets[0])
        return full.get(targets[0]) or state.entity(Label.ORGANISATION, name, cand.kind)
    listed = _listed_unit(state, lc)
    if listed is not None:
        return listed
    at = cand.info.get("level_at")
    if at is not None:  # 民进省委会 -> 民进江西省委会
        rec = _level_place(state, text[at], lc.start)
        name = text[:at] + rec.name + text[at + 1 :] if rec else text
        return full.get(equivalent(name)) or state.entity(Label.ORGANISATION, name, cand.kind)
    shared = _shared_place(state, lc)
    if shared is not None:
        return full.get(equivalent(shared)) or state.entity(Label.ORGANISATION, shared, cand.kind)
    level = next((p for p in ("自治区", "自治州") if text.startswith(p)), text[0])
    # 市政府, 区民政局; and the party committee of the level: 市委, 县委
    wide = len(text) >= len(level) + 2 or text == level + "委"
    if level in LEVELS and wide and text[len(level)] not in "级内外":
        rec = _level_place(state, level, lc.start)
        if rec is None:
            return None
        name = rec.name + text[len(level) :]
        return full.get(equivalent(name)) or state.entity(Label.ORGANISATION, name, cand.kind)
    ending = [e for k, e in full.items() if k.endswith(key) and k != key]
    if len(ending) == 1:
        return ending[0]
    if len(ending) > 1:  # the nearest one before, unless the form is a bare generic head
        wanted = {id(e) for e in ending}
        prior = [
            (x.start, e)
            for x, e in state.of_label(Label.ORGANISATION)
            if id(e) in wanted and x.start < lc.start
        ]
        if prior and cand.info.get("class") != "generic":
            return max(prior, key=lambda x: x[0])[1]
        return None
    if cand.info.get("class") == "unit" and not any(ch in "和与及" for ch in text):
        bodies = [
            (x, e)
            for x, e in state.of_label(Label.ORGANISATION)
            if x.sentence == lc.sentence
            and x.end <= lc.start
            and e.kind in ("government", "party", "association", "university")
            and _named_body(x.cand)  # not a bare 党委 resolved by guess: 党委、纪委
        ]
        inner = [h for h in state.lex.scan_name(text).get("orgsuf") if h.end < len(text)]
        if bodies and inner:
            bodies = []  # 绿文社工中心党支部: a unit of the body its own name gives
        if bodies:
            body_loc, parent = max(bodies, key=lambda x: x[0].end)
            gap = state.text[body_loc.end : lc.start]
            if gap == "(" and state.text[lc.end : lc.end + 1] == ")":
                return parent  # 促进处(社会工作处): the unit's other name, not a unit in it
            if len(gap) <= _MAX_UNIT_GAP and not state.lex.scan(gap).get("break"):
                return state.entity(Label.ORGANISATION, parent.name + text, cand.kind)
    return None
