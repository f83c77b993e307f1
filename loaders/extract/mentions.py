"""MentionFinder: Article -> Analysis (sentences, entity spans, resolved entities).

Each sentence is scanned once with the shared lexicon; the finders (places, organisations,
people, policies, events) propose candidates; overlaps are settled (a person never
overlaps another mention; places inside an organisation or event name are context, not
mentions, unless they form an explicit chain such as 长春市朝阳区永昌街道); the article
resolver then turns candidates into entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shegong.schema import Article, Label

from .candidates import Candidate
from .events import find_date, find_events
from .lexicon import Hits, Lexicon, lexicon
from .model_mentions import Mode, default_mode, merge_model, settle_model
from .organisations import find_organisations
from .people import find_byline, find_people
from .places import find_places
from .policies import find_policies
from .resolve_local import LocalResolver, Located
from .sentences import Flat, split_sentences
from .types import Analysis, Sentence

__all__ = ["MentionFinder", "candidates_in"]

_SAME_DAY = re.compile(r"当天|当日|同日|同一天")
_LOW_KINDS = ("district", "county", "street", "community")
# A quoted name: a place inside it (“湖南省优秀社会工作者”, “郑州社工精英线上服务”) is part
# of the name, not a place the text talks about.
_QUOTED = re.compile(r"“([^“”]{3,40})”")


def candidates_in(
    text: str,
    lex: Lexicon,
    year: str | None = None,
    date: str | None = None,
    mode: Mode = "rules",
) -> list[Candidate]:
    """Every candidate the finders propose in one flat sentence, overlaps settled;
    ``mode`` adds or substitutes the trained model's spans (see ``model_mentions``)."""
    hits = lex.scan(text)
    if mode != "rules":
        return merge_model(text, hits, lex, _rule_candidates(text, hits, lex, year, date), mode)
    return _rule_candidates(text, hits, lex, year, date)


def _rule_candidates(
    text: str, hits: Hits, lex: Lexicon, year: str | None, date: str | None
) -> list[Candidate]:
    places = find_places(text, hits, lex)
    orgs = find_organisations(text, hits, lex)
    policies = find_policies(text, hits, lex)
    events = find_events(text, hits, lex, year, date)
    people = find_people(text, hits, lex)
    media = [p for p in policies if p.label == Label.ORGANISATION]
    policies = [p for p in policies if p.label == Label.POLICY]
    orgs = [o for o in orgs if not any(o.overlaps(m) for m in media)] + media
    # events vs policies: a 《》 title wins over an event noun inside it
    events = [e for e in events if not any(e.overlaps(p) and not p.inside(e) for p in policies)]
    # organisations inside a 《》 title or crossing an event name are not mentions
    orgs = [
        o
        for o in orgs
        if not any(o.overlaps(p) and not p.inside(o) for p in policies)
        and not any(o.overlaps(e) and not o.inside(e) and not e.inside(o) for e in events)
    ]
    # a named site (福田区市民中心广场) is a place, not the body inside its name
    sites = [p for p in places if p.kind == "site"]
    orgs = [o for o in orgs if not any(o.overlaps(p) for p in sites)]
    # an event name inside an organisation name (研究中心 … 工作委员会) is not an event
    events = [e for e in events if not any(e.inside(o) for o in orgs)]
    out: list[Candidate] = []
    quotes = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)] if "“" in text else []
    for place in places:
        if any(s <= place.start and place.end <= e and e - s > place.length for s, e in quotes):
            place.form = "context"
            out.append(place)
            continue
        container = next(
            (o for o in orgs + events + policies if place.inside(o) or place.overlaps(o)), None
        )
        if container is None:
            out.append(place)
        elif (
            container.label == Label.ORGANISATION
            and _in_chain(place, places, container)
            and not (
                place.kind == "street"
                and container.text.endswith("办事处")
                and text[place.end : container.end] == "办事处"
            )
        ):  # 王府街道 in 阿左旗王府街道办事处 names the office, 阿左旗 is a place of it
            place.rule = "place:chain"
            out.append(place)
        else:
            place.form = "context"  # used to resolve short forms, not a mention
            out.append(place)
    occupied = orgs + policies + events + [p for p in out if p.form != "context"]
    for person in people:
        if not any(person.overlaps(o) for o in occupied):
            out.append(person)
    out.extend(orgs)
    out.extend(policies)
    out.extend(events)
    out.sort(key=lambda c: (c.start, -c.length))
    return out


def text_of(flat: Flat, start: int, end: int) -> str:
    return flat.text[start:end]


def _overlap(cand: Candidate, others: list[Candidate]) -> bool:
    return any(cand.overlaps(o) for o in others if o.form != "context")


def _in_chain(place: Candidate, places: list[Candidate], org: Candidate) -> bool:
    """Whether ``place`` is one link of a chain of two or more places opening ``org``."""
    chain = [p for p in places if p.inside(org) or p.overlaps(org)]
    chain.sort(key=lambda p: p.start)
    if len(chain) < 2 or chain[0].start != org.start:
        return False
    if not any(p.kind in _LOW_KINDS for p in chain):
        return False  # 吉林长春…学院: a province and city in a name are not places of it
    if org.label == Label.ORGANISATION and not org.text.endswith("办事处"):
        # 郑州市中原区民政局, 长春市朝阳区永昌街道社工站: the places a body is named after
        # are no mentions of their own (annotation guidelines), unless the text names
        # them alone too (_local_names_again); a street office's district still is one
        return False
    return all(a.end == b.start for a, b in zip(chain, chain[1:], strict=False))


@dataclass
class MentionFinder:
    """Finds and resolves the entity mentions of an article.

    ``mentions``: ``rules``, ``model`` or ``combined`` (default: ``SHEGONG_MENTIONS``,
    else combined), the ablation switch of ``model_mentions``."""

    mentions: Mode = field(default_factory=default_mode)

    def __post_init__(self) -> None:
        self.lex = lexicon()
        self.resolver = LocalResolver(self.lex)

    def __call__(self, article: Article) -> Analysis:
        year = None  # dates stay as stated; event_dates.date_events adds the year
        sentences = split_sentences(article.text)
        located: list[Located] = []
        last_date = None
        for index, sentence in enumerate(sentences):
            flat = Flat.of(sentence)
            date = find_date(flat.text, year)
            if date is None and _SAME_DAY.search(flat.text):
                date = last_date  # 当天: the date of the sentence before
            last_date = date or last_date
            located.extend(self._locate(flat, index, year, date))
        located.extend(self._local_names_again(sentences, located))
        # The title is resolved as one more sentence, placed after the body in a virtual
        # text (body, blank line, title), so its short forms resolve against the body's
        # names and the body's offsets stay as they are.
        title = article.title or ""
        if not title.strip():
            return self.resolver(article, sentences, settle_model(located), [])
        title_at = len(article.text) + 2
        head = Sentence(title, title_at, title_at + len(title))
        flat = Flat.of(head)
        title_located = self._locate(
            flat, len(sentences), year, find_date(flat.text, year), title=True
        )
        settled = settle_model(located + title_located)  # the model's spans, article-wide
        return self.resolver(
            article,
            [*sentences, head],
            settled,
            [lc.cand for lc in settled if lc.sentence == len(sentences)],
            text=article.text + "\n\n" + title,
            title_at=title_at,
        )

    def _local_names_again(
        self, sentences: list[Sentence], located: list[Located]
    ) -> list[Located]:
        """Streets and communities the article names inside a chain or a body's name
        (长春市朝阳区永昌街道社工站) are places wherever the text names them alone again
        (对永昌街道…), even when their stem is also a county's short name (永昌)."""
        names = {
            lc.cand.text: lc.cand.kind
            for lc in located
            if lc.cand.label == Label.PLACE
            and lc.cand.kind in ("street", "community")
            and lc.cand.rule in ("place:local", "place:chain")
        }
        if not names:
            return []
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
        covered: dict[int, list[Located]] = {}
        for lc in located:
            covered.setdefault(lc.sentence, []).append(lc)
        out: list[Located] = []
        for index, sentence in enumerate(sentences):
            flat = Flat.of(sentence)
            for m in pattern.finditer(flat.text):
                start, end = flat.span(m.start(), m.end())
                others = covered.get(index, [])
                if any(
                    o.start < end
                    and start < o.end
                    and not (o.cand.label == Label.PLACE and o.cand.form == "weak")
                    for o in others
                ):
                    continue
                for o in others:  # 永昌 (a county's short name) inside 永昌街道
                    if o.cand.form == "weak" and start <= o.start and o.end <= end:
                        o.cand.form = "context"
                cand = Candidate(
                    Label.PLACE,
                    m.start(),
                    m.end(),
                    m.group(),
                    "place:local-again",
                    names[m.group()],
                )
                cand.info["records"] = []
                out.append(Located(cand, index, start, end))
        return out

    def _locate(
        self, flat: Flat, index: int, year: str | None, date: str | None, title: bool = False
    ) -> list[Located]:
        cands = candidates_in(flat.text, self.lex, year, date, self.mentions)
        if title:
            cands += [p for p in find_byline(flat.text, self.lex) if not _overlap(p, cands)]
        out = []
        for cand in cands:
            start, end = flat.span(cand.start, cand.end)
            if cand.info.get("parents"):
                cand.info["parents_at"] = [
                    (*flat.span(ps, pe), text_of(flat, ps, pe), distinct)
                    for ps, pe, distinct in cand.info["parents"]
                ]
            out.append(Located(cand, index, start, end))
        return out

    def sentences(self, article: Article) -> list[Sentence]:
        return split_sentences(article.text)
