"""What an article's earlier sentences tell about the current one: its main event, the
organisation holding a meeting, the organisation a bare title (陈存根会长) belongs to."""

from __future__ import annotations

import re
from collections import Counter

from shegong.schema import Label

from .rel_attend import noun_kinds
from .rel_collect import End
from .rel_patterns import PatternSet
from .types import Analysis, Span

__all__ = ["ArticleContext", "core_title", "squeeze"]

#: How many earlier organisations / events a bare title or an event noun looks back over
#: (enough for any article; bounds the work on very long ones).
_LOOKBACK = 200
#: How many sentences back "this part of the article" reaches.
_WINDOW = 6
#: Event kinds a generic noun's kind stands for (会议 may be a launch or a training too).
_FITTING = {"meeting": ("meeting", "launch", "training"), "ceremony": ("ceremony", "launch")}


class ArticleContext:
    """Context of one article, updated sentence by sentence by the relation finder."""

    def __init__(self, analysis: Analysis, patterns: PatternSet, spans: list[Span]) -> None:
        """``spans``: the article's spans that the sentences are matched with (no nesting)."""
        self.analysis = analysis
        self.patterns = patterns
        self.meeting_org: str | None = None
        # the body receiving the donations the article lists (市慈善总会共接收捐赠…;
        # 其中,A捐赠100万元): the target of a donation that names none
        self.recipient: str | None = None
        # people given a title in an earlier sentence: officials whose later words
        # (李伟表示) are still reported as speaking at the article's event
        self.titled_people: set[str] = set()
        self.unit_holder: str | None = None
        # the events of the last 出席A及B, which a later bare 出席 attends again
        self.attended: list[End] = []
        self._orgs: list[Span] = []  # as seen, in order
        self._events: list[Span] = []
        self._event_sentence: list[int] = []  # the sentence number of each of _events
        self._sentence_no = 0
        self._org_counts: Counter[str] = Counter()
        self._org_first: dict[str, int] = {}
        self.main_event = self._main_event(spans)
        # names (and aliases) of the article's organisations, to read them inside event names
        self._org_names = {
            squeeze(alias): node.id
            for node in analysis.entities.values()
            if node.label == Label.ORGANISATION
            for alias in (node.name, *node.aliases)
            if len(squeeze(alias)) >= 4
        }
        self._org_list = [
            (node.id, node.name)
            for node in analysis.entities.values()
            if node.label == Label.ORGANISATION
        ]
        self._short_names = {
            squeeze(alias): node.id
            for node in analysis.entities.values()
            if node.label == Label.ORGANISATION
            for alias in (node.name, *node.aliases)
            if len(squeeze(alias)) >= 2
        }

    def name(self, entity_id: str, fallback: str = "") -> str:
        node = self.analysis.entities.get(entity_id)
        return node.name if node is not None else fallback

    def is_day(self, span: Span) -> bool:
        """Days and weeks (国家宪法日, 宪法宣传周) are dates, not events one takes part in."""
        node = self.analysis.entities.get(span.entity_id)
        if node is not None and node.kind == "day":
            return True
        return bool(self.patterns.day_event.search(node.name if node is not None else span.text))

    def _main_event(self, spans: list[Span]) -> str | None:
        """The event the article is about: the most mentioned one that is not a day,
        the first mentioned on a tie."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for span in spans:
            if span.label == Label.EVENT and not self.is_day(span):
                counts[span.entity_id] += 1
                first.setdefault(span.entity_id, span.start)
        if not counts:
            return None
        return min(counts, key=lambda e: (-counts[e], first[e]))

    def see(self, spans: list[Span]) -> None:
        """Record the organisations of the next sentence (call before matching it)."""
        self._sentence_no += 1
        for span in spans:
            if span.label == Label.EVENT and not self.is_day(span):
                self._events.append(span)
                self._event_sentence.append(self._sentence_no)
                self._meeting_of(span)
            if span.label == Label.ORGANISATION:
                self._orgs.append(span)
                self._org_counts[span.entity_id] += 1
                self._org_first.setdefault(span.entity_id, span.start)

    def unit_named(self, text: str, previous_org: str | None) -> str | None:
        """The organisation named by ``text`` that the mention finder left unrecognised
        inside a title chain: one of the article's organisations with that name or alias,
        or the previous organisation of the chain followed by ``text``
        (琼海市委副书记、政法委书记: 政法委 -> 琼海市委政法委)."""
        key = squeeze(text)
        if previous_org is not None:
            found = self._org_names.get(squeeze(self.name(previous_org)) + key)
            if found is not None:
                return found
        return self._short_names.get(key)

    def _meeting_of(self, span: Span) -> None:
        """An event named <Org>第二次会员代表大会 makes <Org> the organisation that meets."""
        name = self.name(span.entity_id, span.text)
        found = self.patterns.meeting_of.search(name)
        if found is not None:
            org = self._org_names.get(squeeze(name[: found.start()]))
            if org is None:  # 昆明市社会工作联合会成立大会暨第一届第一次会员代表大会
                key = squeeze(name)
                opening = [k for k in self._org_names if key.startswith(k)]
                org = self._org_names[max(opening, key=len)] if opening else None
            if org is not None:
                self.meeting_org = org

    def event_named(self, noun: str, before: int) -> str | None:
        """The latest event before article offset ``before`` whose name ends with ``noun``
        (参加了启动仪式: the 启动仪式 of this part of the article, not the article's first)."""
        for span in reversed(self._events[-_LOOKBACK:]):
            if span.start < before and (
                self.name(span.entity_id, span.text).endswith(noun) or span.text.endswith(noun)
            ):
                return span.entity_id
        return None

    def event_for(self, noun: str, before: int) -> str | None:
        """The event a noun after an attendance verb refers to: one named so (启动仪式), or
        for a noun that fits any event of its kind (会议, 活动), the article's main event if
        it fits, else the latest fitting event before article offset ``before``."""
        kind = noun_kinds(noun)
        if kind is None:
            return self.event_named(noun, before) or self.current_event()
        return self.current_event(kind)

    def current_event(self, kind: str = "any") -> str | None:
        """The event this part of the article is about: the main event when the last few
        sentences name it, else the one they name most (the latest on a tie), so that the
        second story of a digest gets its own event; the main event when they name none."""
        recent: list[tuple[int, str]] = []
        k = len(self._events) - 1
        while k >= 0 and self._sentence_no - self._event_sentence[k] < _WINDOW:
            if self._fits(self._events[k].entity_id, kind):
                recent.append((k, self._events[k].entity_id))
            k -= 1
        main = self.main_event
        if main is not None and any(eid == main for _, eid in recent):
            return main
        if recent:
            counts = Counter(eid for _, eid in recent)
            last = {eid: k for k, eid in recent}
            return max(counts, key=lambda e: (counts[e], last[e]))
        if main is not None and self._fits(main, kind):
            return main
        latest = (
            span.entity_id for span in reversed(self._events) if self._fits(span.entity_id, kind)
        )
        return next(latest, main)

    def _fits(self, event_id: str, kind: str) -> bool:
        node = self.analysis.entities.get(event_id)
        if node is None or kind == "any":
            return node is not None
        return (node.kind or "") in _FITTING.get(kind, (kind,))

    def topic_org(self) -> str | None:
        """The organisation mentioned most so far (the first on a tie)."""
        if not self._org_counts:
            return None
        return min(self._org_counts, key=lambda e: (-self._org_counts[e], self._org_first[e]))

    def org_for_title(self, title: str, before: int) -> str | None:
        """The organisation a title without one refers to: the nearest organisation before
        article offset ``before`` whose name ends as the title's organisations do
        (会长 -> …会); None when the title says nothing of it."""
        entry = self.patterns.titles.get(core_title(title, self.patterns))
        if entry is None or not entry.suffixes:
            return None
        if entry.suffixes == ("@unit",):
            return self.unit_holder
        for span in reversed(self._orgs[-_LOOKBACK:]):
            if span.start >= before:
                continue
            name = self.name(span.entity_id, span.text)
            if name.endswith(entry.suffixes) or span.text.endswith(entry.suffixes):
                return span.entity_id
        # None mentioned before: the one organisation of the article that fits, if only one
        # does (named inside a title, 《杭州市社会工作者协会章程》, and so not a mention)
        fitting = [oid for oid, name in self._org_list if name.endswith(entry.suffixes)]
        return fitting[0] if len(fitting) == 1 else None

    def election_org(self, role: str, before: int) -> str | None:
        """The organisation an election without a named one is to: the organisation that
        convened the meeting, else the one the role's title points to, else the topic."""
        return self.meeting_org or self.org_for_title(role, before) or self.topic_org()


_NOT_IN_NAMES = re.compile(r"[“”‘’「」『』\"'《》\s]")


def squeeze(text: str) -> str:
    """Text without quotes and white space, as names are compared."""
    return _NOT_IN_NAMES.sub("", text)


def core_title(title: str, patterns: PatternSet) -> str:
    """The listed title inside a title or role text (原检察委员会委员 -> 委员, 首任会长 -> 首任会长)."""
    if title in patterns.titles:
        return title
    found = list(patterns.role_core.finditer(title))
    return found[-1].group(0) if found else title
