"""Events in an article -> entities, with date and place.

Names that contain one another (…成立大会 / 广州市…成立大会), the parts of a 暨 compound,
and names sharing a quoted core and head noun (“法治保障卡”获赠活动 / “法治保障卡”捐赠活动,
variants such as “法治社保卡” included) are one event; the longest name is canonical. A name
opening with a short organisation form takes the body's full name (社会工作行业协会成立大会
-> 许昌市社会工作行业协会成立大会). A bare noun (座谈会, 启动仪式上) is the event with that
noun named before it in the article (or after, or in the title); failing that, a meeting
its host 召开/举行 is named after the host (中国社会工作联合会党员大会).
``place``: the place written after 在/于 in the sentence that names the event.
"""

from __future__ import annotations

import re
from collections import Counter

from shegong.schema import Label

from .candidates import Candidate
from .rel_attend import noun_kinds
from .resolve_state import Entity, Located, State, name_key, near

__all__ = ["resolve_events"]

_HOSTING = re.compile(r"(?:隆重|正式|组织|联合)?(?:召开|举行|举办)了?")
_QUOTED = re.compile(r"“([^”]+)”")
_SCOPES = ("全省", "全市", "全区", "全县", "全州", "全盟")
#: How many sentences back a bare 活动 / 会议 looks for the event it means.
_RECENT = 6
#: Event kinds a generic noun's kind stands for (None: any).
_KIND_FITS: dict[str, tuple[str, ...] | None] = {
    "any": None,
    "meeting": ("meeting", "launch", "training", "other"),
    "ceremony": ("ceremony", "launch"),
}
_FOUNDING_HEAD = re.compile(r"(?:揭牌|挂牌|授牌|成立)(?:仪式|大会)$")
_UNVEILED = re.compile(r"(?:正式|隆重|顺利)?(?:揭牌|挂牌)(?:成立)?")
_TOPIC_HEAD = re.compile(r"(?:座谈会|研讨会|交流会|分享会|推进会|现场会|观摩会)$")
# A place as the subject that holds the event: 江西省于3月15日全面启动“…”为主题的…活动.
# What may open a sentence before its subject: a date or time clause (3月14日,).
_LEAD = re.compile(r"(?:[^,。;:]{0,15}[,:])?\s*")
_PLACE_HOSTS = re.compile(
    r"(?:于[^,。;]{0,15}?)?(?:全面|正式|隆重|成功|组织)?(?:启动|举办|召开|开展|举行)了?"
    r"(?:以?“[^“”]{1,40}”为主题的|以[^,。;]{1,40}?为主题的)?"
)


def _core(name: str) -> str:
    m = _QUOTED.search(name)
    return m.group(1) if m else ""


def _same(a: str, b: str, head_a: str, head_b: str) -> bool:
    ka, kb = name_key(a).replace("的", ""), name_key(b).replace("的", "")
    if ka in kb or kb in ka:
        return True
    # 全省社会工作推进会 is the article's 云南省社会工作推进会 (but not the 全国 one)
    for x, y in ((ka, kb), (kb, ka)):
        if x.startswith(_SCOPES) and not y.startswith("全") and len(x) > 4 and x[2:] in y:
            return True
    ca, cb = _core(a), _core(b)
    return bool(ca) and near(ca, cb) and head_a[-2:] == head_b[-2:]


def _place_of(state: State, lc: Located) -> str | None:
    """The most specific place written after 在/于 in the event's sentence."""
    places = [(x, e) for x, e in state.of_label(Label.PLACE) if x.sentence == lc.sentence]
    places.sort(key=lambda p: p[0].start)
    for i, (x, e) in enumerate(places):
        hosted = x.end <= lc.start and _HOSTING.match(state.text, x.end)  # 越秀区举办…
        if state.text[x.start - 1 : x.start] not in ("在", "于") and not hosted:
            continue
        end, best = x.end, e
        for y, f in places[i + 1 :]:  # 在海南省琼海市: the chain's last link
            if y.start != end:
                break
            end, best = y.end, f
        return best.name
    return None


def _qualified(orgs_at: dict[int, list[tuple[Located, Entity]]], lc: Located) -> str:
    """The event's name with a short organisation form at its start written in full."""
    for x, body in orgs_at.get(lc.start, []):
        if x.end <= lc.end:
            short = x.cand.text
            if body.name != short and lc.cand.text.startswith(short):
                return body.name + lc.cand.text[len(short) :]
    return lc.cand.text


def _host_place(state: State, lc: Located) -> str | None:
    """The place that holds this event as the subject of its sentence, when the event's
    name has no place of its own: 江西省于…全面启动…2021年社会工作主题宣传活动 is Jiangxi's
    edition of the campaign (江西省2021年社会工作主题宣传活动), not the national one."""
    if state.lex.scan_name(lc.cand.text).get("place"):
        return None
    if state.title_at is not None and lc.start >= state.title_at:
        return None  # a headline names the body's event with its place in front
    first = min(
        (x for x, _ in state.assigned if x.sentence == lc.sentence and x.start < lc.start),
        key=lambda x: x.start,
        default=None,
    )
    if first is None or first.cand.label != Label.PLACE:
        return None
    opening = state.text[state.sentences[lc.sentence].start : first.start]
    if not _LEAD.fullmatch(opening):
        return None  # the place is not the subject: 市民政局在天府广场举办…
    place = next((e for x, e in state.of_label(Label.PLACE) if x is first), None)
    if place is None or not _PLACE_HOSTS.fullmatch(state.text[first.end : lc.start]):
        return None
    return place.name


def _same_place(host: str | None, name: str, ent: Entity, placed: dict[int, str]) -> bool:
    """A place's own edition of an event joins only names of that place."""
    if host:
        return host in ent.name
    there = placed.get(id(ent))
    return there is None or there in name


def _may_join(lc: Located, ent: Entity) -> bool:
    """A campaign or contest named on its own is not the ceremony that launches it
    (2021年社会工作主题宣传活动 vs 全省2021年社会工作主题宣传活动启动仪式), nor is a named
    day the activity held on it (国际志愿者日 vs 国际志愿者日主题活动); inside the other's
    own name it is part of that name."""
    apart = ("ceremony", "day")
    if ent.kind == lc.cand.kind or (ent.kind not in apart and lc.cand.kind not in apart):
        return True
    return any(
        m.sentence == lc.sentence and m.start <= lc.start and lc.end <= m.end for m in ent.mentions
    )


def resolve_events(state: State, located: list[Located], title: list[Candidate]) -> None:
    clusters: list[Entity] = []
    heads: dict[int, str] = {}
    full = [lc for lc in located if lc.cand.label == Label.EVENT and lc.cand.form == "full"]
    orgs_at: dict[int, list[tuple[Located, Entity]]] = {}
    for x, body in state.of_label(Label.ORGANISATION):
        orgs_at.setdefault(x.start, []).append((x, body))
    host_of = {id(lc): _host_place(state, lc) for lc in full}
    placed: dict[int, str] = {}  # cluster -> the place whose own edition it is
    for lc in sorted(full, key=lambda x: -x.cand.length):
        cand = lc.cand
        host = host_of[id(lc)]
        name = (host or "") + _qualified(orgs_at, lc)
        parts = [name, *name.split("暨")] if "暨" in name else [name]
        target = next(
            (
                ent
                for ent in clusters
                if _may_join(lc, ent)
                and _same_place(host, name, ent, placed)
                and any(
                    _same(p, s, cand.info["head"], heads.get(id(ent), ""))
                    for p in parts
                    for s in ent.surfaces
                )
            ),
            None,
        )
        if target is None:
            target = state.entity(Label.EVENT, name, cand.kind)
            heads[id(target)] = cand.info["head"]
            if host:
                placed[id(target)] = host
            for p in parts[1:]:
                target.add(None, p)
            clusters.append(target)
        # a day named inside an activity's name (第33个国际残疾人日 in …主题活动) is no
        # alias of the activity; the bare surface of a place's edition names the general event
        day_inside = cand.kind == "day" and target.kind != "day"
        if not day_inside:
            target.add(None, name)
        state.assign(lc, target, alias=host is None and not day_inside)
        _describe(state, target, lc)
    title_events = [c for c in title if c.label == Label.EVENT and c.form == "full"]
    # the headline's bare forms first: a headline names a meeting more fully (全体党员大会)
    # than the body's later 党员大会, which then joins it
    cut = state.title_at
    in_title = [lc for lc in located if cut is not None and lc.start >= cut]
    in_body = [lc for lc in located if cut is None or lc.start < cut]
    # visits: the body's first, then the headline's joins it (辽宁民政厅…一行赴…考察 is the
    # visit the body tells of, whatever short form the headline uses for the visitor)
    visits: list[Entity] = []
    for lc in in_body + in_title:
        if lc.cand.label == Label.EVENT and lc.cand.rule == "event:visit":
            in_head = cut is not None and lc.start >= cut
            visit = visits[0] if in_head and visits else _visit(state, lc, located)
            if visit is not None:
                if visit not in visits:
                    visits.append(visit)
                state.assign(lc, visit, alias=False)
                _describe(state, visit, lc)
    for lc in in_title + in_body:
        cand = lc.cand
        if cand.label != Label.EVENT or cand.form == "full" or cand.rule == "event:visit":
            continue
        head = cand.info["head"]
        key = _plaque(head)
        prior = [
            (x.start, e) for x, e in state.of_label(Label.EVENT) if key in _plaque(name_key(e.name))
        ]
        target = _nearby(state, lc, head)
        if target is None and prior:
            before = [p for p in prior if p[0] <= lc.start]
            if before and noun_kinds(head) is not None:
                # 会议, 活动: the event the article has talked of most so far, not the one
                # named last (…贯彻落实全国…会议精神 does not make 会议 the national one)
                counts = Counter(id(e) for _, e in before)
                target = min(before, key=lambda p: (-counts[id(p[1])], p[0]))[1]
            else:
                target = (
                    max(before, key=lambda p: p[0]) if before else min(prior, key=lambda p: p[0])
                )[1]
        elif target is None:
            named = [c for c in title_events if head in c.text]
            if len(named) == 1:
                target = state.entity(Label.EVENT, named[0].text, named[0].kind)
            elif cand.rule == "event:named":
                hosts = [
                    (x, e)
                    for x, e in state.of_label(Label.ORGANISATION)
                    if x.sentence == lc.sentence
                    and x.end <= lc.start
                    and _HOSTING.fullmatch(state.text[x.end : lc.start])
                ]
                if hosts:
                    convener = max(hosts, key=lambda h: h[0].end)[1]
                    target = state.entity(Label.EVENT, convener.name + head, cand.kind)
                else:
                    owner = _founded(state, head) or _topic(state, head)
                    if owner is not None:
                        target = state.entity(Label.EVENT, owner.name + head, cand.kind)
        if target is not None:
            state.assign(lc, target, alias=False)
            _describe(state, target, lc)


def _nearby(state: State, lc: Located, head: str) -> Entity | None:
    """A noun that fits any event of its kind (活动, 会议) is the event the last few
    sentences talk of most (the latest on a tie), else the fitting one named last: a
    digest's second story has its own."""
    kind = noun_kinds(head)
    if kind is None:
        return None
    fitting = _KIND_FITS.get(kind)
    before = [
        (x.start, x.sentence, e)
        for x, e in state.of_label(Label.EVENT)
        if x.start < lc.start and e.kind != "day" and (fitting is None or (e.kind or "") in fitting)
    ]
    recent = [(at, e) for at, no, e in before if lc.sentence - _RECENT <= no]
    if not recent:  # none lately: the meeting named last (a digest's later story)
        return max(before, key=lambda p: p[0])[2] if before else None
    counts = Counter(id(e) for _, e in recent)
    return max(recent, key=lambda p: (counts[id(p[1])], p[0]))[1]


def _plaque(text: str) -> str:
    """挂牌 and 揭牌 name the same ceremony (出席挂牌仪式 … 揭牌仪式上)."""
    return text.replace("挂牌", "揭牌")


def _visit(state: State, lc: Located, located: list[Located]) -> Entity | None:
    """A visit (赴X调研) is the visitor's: the first organisation of its sentence before
    it names it (信宜市民政局调研); with none, no event."""
    if any(
        x.sentence == lc.sentence and x is not lc and x.cand.kind != "day"
        for x, _ in state.of_label(Label.EVENT)
    ) or any(
        x.sentence == lc.sentence and x.cand.label == Label.EVENT and x.cand.rule != "event:visit"
        for x in located
    ):
        return None  # 一行调研…并召开座谈会: the meeting is the event
    sentence = state.sentences[lc.sentence]
    lead = state.text[sentence.start : lc.start]
    colon = max(lead.rfind(":"), lead.rfind(":"))
    after = sentence.start + colon + 1  # 社工中国网消息:…: the outlet is no visitor
    host = min(
        (
            (x, e)
            for x, e in state.of_label(Label.ORGANISATION)
            if x.sentence == lc.sentence and after <= x.start and x.end <= lc.start
        ),
        key=lambda p: p[0].start,
        default=None,
    )
    if host is None:
        return None
    return state.entity(Label.EVENT, host[1].name + lc.cand.text, "other")


def _founded(state: State, head: str) -> Entity | None:
    """For a bare founding ceremony (揭牌仪式, 成立大会): the organisation the article says
    was unveiled or founded (X揭牌成立, X正式挂牌)."""
    if not _FOUNDING_HEAD.search(head):
        return None
    for x, e in state.of_label(Label.ORGANISATION):
        if _UNVEILED.match(state.text, x.end):
            return e
    return None


def _topic(state: State, head: str) -> Entity | None:
    """For a bare meeting noun with nothing else to go by (座谈会上): the organisation the
    article mentions most (the first on a tie)."""
    if not _TOPIC_HEAD.search(head):
        return None
    counts: Counter[int] = Counter()
    first: dict[int, tuple[int, Entity]] = {}
    for x, e in state.of_label(Label.ORGANISATION):
        if state.title_at is not None and x.start >= state.title_at:
            continue
        counts[id(e)] += 1
        first.setdefault(id(e), (x.start, e))
    if not counts:
        return None
    best = min(counts, key=lambda k: (-counts[k], first[k][0]))
    return first[best][1]


def _describe(state: State, event: Entity, lc: Located) -> None:
    if lc.cand.info.get("date") and "date" not in event.props:
        event.props["date"] = lc.cand.info["date"]
    if "place" not in event.props and event.kind != "day":  # 国家宪法日 is everywhere
        place = _place_of(state, lc)
        if place:
            event.props["place"] = place
