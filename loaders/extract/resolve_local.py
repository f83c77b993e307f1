"""In-article resolution: candidates -> entities with canonical names, aliases and kinds.

Places, organisations and events have their own modules (resolve_places, resolve_orgs,
resolve_events); policies and persons are resolved here:
- Policies: 《规划》-style short forms -> the full title named by 以下简称, else the one
  full title ending with them; variants of one programme name (法治保障卡 / 法治社保卡) and
  a name with 工作机制 appended (五社联动工作机制) are one policy.
- Persons: names found next to a title or in a list, then every later bare use of them.
Unresolvable short forms are dropped: they are not entities.
"""

from __future__ import annotations

import re

from shegong.schema import Article, Label, Node

from .candidates import Candidate
from .lexicon import Lexicon, NameFinder
from .resolve_events import resolve_events
from .resolve_orgs import resolve_organisations
from .resolve_places import resolve_places
from .resolve_state import Entity, Located, State, name_key, near
from .sentences import Flat
from .types import Analysis, Sentence, Span

__all__ = ["LocalResolver", "Located"]

_POLICY_TAILS = ("工作机制", "机制", "项目", "工作")
_ABBREV = re.compile(r"以下简称\s*《([^》]+)》")


class LocalResolver:
    """Turns one article's candidates into an Analysis."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def __call__(
        self,
        article: Article,
        sentences: list[Sentence],
        located: list[Located],
        title: list[Candidate],
        text: str | None = None,
        title_at: int | None = None,
    ) -> Analysis:
        """``title``: the title's candidates; when ``title_at`` is given they are also in
        ``located`` as the last sentence, at that offset of ``text`` (body + title)."""
        state = State(article, sentences, self.lex, text, title_at)
        resolve_places(state, located, title)
        resolve_organisations(state, located, title)
        _policies(state, located)
        resolve_events(state, located, title)
        _people(state, located)
        return _analysis(state)


def _policies(state: State, located: list[Located]) -> None:
    pol_locs = [lc for lc in located if lc.cand.label == Label.POLICY]
    policies: list[Entity] = []
    for lc in pol_locs:
        if lc.cand.form == "full":
            ent = state.entity(Label.POLICY, lc.cand.text, lc.cand.kind)
            state.assign(lc, ent)
            if ent not in policies:
                policies.append(ent)
    for ent in list(policies):
        for other in list(policies):
            if other is ent or other not in policies or ent not in policies:
                continue
            k, o = name_key(ent.name), name_key(other.name)
            if ent.kind == other.kind == "programme" and near(ent.name, other.name):
                # variants of one programme name: the more used one wins
                keep, gone = (
                    (ent, other) if len(ent.mentions) >= len(other.mentions) else (other, ent)
                )
            elif o.startswith(k) and o[len(k) :] in _POLICY_TAILS:
                keep, gone = ent, other  # 五社联动工作机制 -> 五社联动
            elif ent.kind == other.kind == "programme" and len(k) >= 4 and o.endswith(k):
                keep, gone = other, ent  # 双百工程 -> 广东省兜底民生服务社会工作双百工程
            else:
                continue
            state.merge(keep, gone)
            policies.remove(gone)
    abbrevs: dict[str, Entity] = {}
    for lc in pol_locs:
        if lc.cand.form == "full":
            continue
        target = None
        m = _ABBREV.search(state.sentences[lc.sentence].text)
        if m and m.group(1) == lc.cand.text:
            before = [
                e
                for x, e in state.of_label(Label.POLICY)
                if x.sentence == lc.sentence and x.start < lc.start
            ]
            if before:
                target = abbrevs[lc.cand.text] = before[-1]
        target = target or abbrevs.get(lc.cand.text)
        if target is None:
            key = name_key(lc.cand.text)
            ending = [
                p for p in policies if name_key(p.name).endswith(key) and p.name != lc.cand.text
            ]
            target = ending[0] if len(ending) == 1 else None
        if target is not None:
            state.assign(lc, target, alias=False)


def _people(state: State, located: list[Located]) -> None:
    names: list[str] = []
    for lc in located:
        if lc.cand.label == Label.PERSON:
            state.assign(lc, state.entity(Label.PERSON, lc.cand.text))
            if lc.cand.text not in names:
                names.append(lc.cand.text)
    if not names:
        return
    taken: dict[int, list[tuple[int, int]]] = {}
    for x, _e in state.assigned:
        taken.setdefault(x.sentence, []).append((x.start, x.end))
    finder = NameFinder(names)
    for index, sentence in enumerate(state.sentences):
        flat = Flat.of(sentence)
        for at, name in finder(flat.text):
            start, end = flat.span(at, at + len(name))
            if any(s < end and start < e for s, e in taken.get(index, ())):
                continue
            cand = Candidate(Label.PERSON, at, at + len(name), name, rule="person:repeat")
            state.assign(Located(cand, index, start, end), state.entity(Label.PERSON, name))


def _analysis(state: State) -> Analysis:
    nodes: dict[int, Node] = {}
    for ent in state.ents.values():
        if not ent.mentions:
            continue
        props = {k: v for k, v in ent.props.items() if v is not None}
        aliases = tuple(s for s in ent.surfaces if name_key(s) != name_key(ent.name))
        nodes[id(ent)] = Node(
            label=ent.label, name=ent.name, aliases=aliases, kind=ent.kind, properties=props
        )
    spans, title_spans = [], []
    seen = set()
    cut = state.title_at
    for lc, ent in state.assigned:
        node = nodes.get(id(ent))
        key = (lc.start, lc.end, node.id if node else "")
        if node is None or key in seen:
            continue
        seen.add(key)
        if cut is not None and lc.start >= cut:
            span = Span(
                node.label, lc.cand.text, lc.start - cut, lc.end - cut, node.id, lc.cand.rule
            )
            title_spans.append(span)
        else:
            spans.append(Span(node.label, lc.cand.text, lc.start, lc.end, node.id, lc.cand.rule))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start), s.entity_id))
    title_spans.sort(key=lambda s: (s.start, -(s.end - s.start), s.entity_id))
    entities = {n.id: n for n in sorted(nodes.values(), key=lambda n: (n.label.value, n.name))}
    sentences = state.sentences[:-1] if cut is not None else state.sentences
    return Analysis(
        article=state.article,
        sentences=sentences,
        spans=spans,
        entities=entities,
        title_spans=title_spans,
    )
