"""Normalised file text -> Articles: each headline with its body is one article.

The rules, in the order the splitter applies them (see ``paragraphs`` for the kinds):

* A run of heading-like lines followed by body text opens a new article when no article
  is open: at the start of the file, after a source line (``(据新华社)``,
  ``来源:…``) closed the previous one, or, in a digest, at a section head or numbered item.
  The title is then the first line of the run that is not a section head or a short
  label (``中央政策``); for a digest it is the numbered item, number cut off. Lines
  after the title (subtitle, byline) open the body; lines before it (page title, section
  heads) are dropped.
* Inside an open article a single heading-like line is a subheading or image caption and
  stays in the body. Two or more (not labels, not list items) after an image gap (two or
  more blank lines) mean the article ended without a source line: the last one is the
  new headline, the ones before (captions) stay with the old.
* A file is a digest when a section head (``一、…``) appears where no article is open;
  then section heads and numbered items (``1.`` ``2、``) start articles even without a
  source line closing the previous one. Outside a digest they are body structure.
* Headings followed by no body (a trailing caption, a page footer) open nothing.
* Body text with no headline before it (a plain note, text after a source line) becomes
  an article titled by its first sentence; after a source line it must be long enough
  (``MIN_UNTITLED``) not to be a footer.
* A text with no headline + body structure at all (only short lines) is one article:
  its first line is the title.
* ``Article.date`` comes from a date line (``发布时间:…``), else a full date with year in
  the title or first body paragraph; ``source`` from the outlet lines, joined by ``、``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shegong.schema import Article

from .leads import find_lead
from .meta import find_date, month_day
from .outlets import complete_outlet
from .paragraphs import Kind, Paragraph, paragraphs
from .starts import echoed, pair_counts, reads_as_lead, starts_article

__all__ = [
    "LEAD_WITHIN",
    "MIN_UNTITLED",
    "derive_title",
    "single_article",
    "split_articles",
]

MIN_UNTITLED = 50  # characters an untitled block after a source line needs to be an article
LEAD_WITHIN = 2  # body paragraphs searched for the lead (a caption may come first)
ECHO_MARGIN = 0.1  # a line echoed nearly as well as the best, and before it, is the title
_FIRST_SENTENCE = re.compile(r"[^。!?;]{1,40}")


def derive_title(text: str) -> str:
    """A title for a text with no headline: its first sentence, at most 40 characters."""
    match = _FIRST_SENTENCE.match(text.strip())
    return (match.group() if match else text.strip()[:40]).strip()


_META = (Kind.DATE, Kind.OUTLET, Kind.CLOSE)
_HEADED = "headed"  # a headline with its dateline, source line or lead: the lead echoes it
_CAPTIONED = "captioned"  # captions, then a headline, after an image gap
_DIGEST = "digest"  # a digest (title, 一、section, items) starts


def _page_source(following: Paragraph | None, then: Paragraph | None) -> bool:
    """A page's source line (``来源:…``, not ``(据…)``) with body text after it."""
    return (
        following is not None
        and following.kind is Kind.OUTLET
        and following.page
        and then is not None
        and then.kind is Kind.BODY
    )


@dataclass
class _Draft:
    title: Paragraph | None
    after_close: bool = False
    body: list[Paragraph] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    date: str | None = None
    end: int = 0
    closed: bool = False
    meta_seen: bool = False  # its dateline or source line was read (before the body)
    dated: bool = False  # its own dateline was read
    lead_outlet: str | None = None  # from 华声在线11月28日讯, 社工中国网消息: …
    lead_date: str | None = None  # MM-DD from the lead
    lead_found: bool = False
    listing: bool = False  # after a link list (headline + dateline pairs): a lead must follow

    @property
    def has_body(self) -> bool:
        return any(p.kind is Kind.BODY for p in self.body)

    def add(self, paragraph: Paragraph) -> None:
        bodies = sum(p.kind is Kind.BODY for p in self.body)
        if paragraph.text and bodies < LEAD_WITHIN and not self.lead_found:
            lead = find_lead(paragraph.text)  # the byline or an opening paragraph's lead
            if lead is not None:
                self.lead_found = True
                self.lead_outlet = lead.outlet
                self.lead_date = self.lead_date or lead.date
        if paragraph.text:
            self.body.append(paragraph)
        if paragraph.outlet:
            self.outlets.append(paragraph.outlet)
        self.end = max(self.end, paragraph.end)


def _byline(paragraph: Paragraph) -> bool:
    lead = find_lead(paragraph.text)
    return lead is not None and lead.dateline


def _choose_title(
    run: Sequence[Paragraph],
    fresh: bool,
    hint: str | None = None,
    lead: str | None = None,
    common: Mapping[str, int] | None = None,
) -> tuple[list[Paragraph], Paragraph, list[Paragraph]]:
    """Split a run of headings into (lines before the title, title, lines after).

    A line equal to ``hint`` (the page's own headline) is the title whatever its place.
    A byline (``某某网记者 某某 报道``) is never the title. With the new article's ``lead``
    (its first body paragraph), the title is a line the lead echoes (captions of the
    article before echo less of it): inside an open article the first echoed nearly as
    well as the best, after a closed one (``fresh``) the first echoed at least half as
    well; otherwise the first (``fresh``) or the last.
    """
    hinted = [i for i, p in enumerate(run) if hint and p.title_text == hint]
    if hinted:
        return list(run[: hinted[0]]), run[hinted[0]], list(run[hinted[0] + 1 :])
    sections = [i for i, p in enumerate(run) if p.kind is Kind.SECTION]
    first = sections[-1] + 1 if sections else 0
    candidates = list(range(first, len(run))) or [len(run) - 1]
    numbered = [i for i in candidates if run[i].kind is Kind.NUMBERED]
    if numbered:
        index = numbered[-1]
    else:
        titles = [i for i in candidates if not run[i].is_label and not _byline(run[i])]
        titles = titles or candidates
        if lead is not None and not fresh:
            echo = {i: echoed(run[i].text, lead, common) for i in titles}
            best = max(echo.values())
            near = [i for i in titles if best > 0 and echo[i] >= best - ECHO_MARGIN]
            index = near[0] if near else titles[-1]
        elif lead is not None:  # after a closed article: skip its trailing captions
            echo = {i: echoed(run[i].text, lead, common) for i in titles}
            best = max(echo.values())
            kept = [i for i in titles if echo[i] >= best / 2]
            index = kept[0] if best > 0 else titles[0]
        else:
            index = titles[0] if fresh else titles[-1]
    before = list(run[: sections[0]]) if sections else list(run[:index])
    return before, run[index], list(run[index + 1 :])


class _Splitter:
    def __init__(self, file: str, title_hint: str | None = None) -> None:
        self.file = file
        self.title_hint = title_hint
        self.articles: list[Article] = []
        self.current: _Draft | None = None
        self.digest = False
        self.pending_date: str | None = None
        self._lead_after: str | None = None
        self.common: Counter[str] = Counter()  # character pairs of the whole file

    def finish(self) -> None:
        draft, self.current = self.current, None
        if draft is None or not draft.has_body:
            return
        body = draft.body
        if draft.title is None:
            text = "\n".join(p.text for p in body)
            if draft.after_close and len(text) < MIN_UNTITLED:
                return
            title, start = derive_title(body[0].text), body[0].start
            if self.title_hint and not self.articles and not draft.after_close:
                title = self.title_hint
        else:
            title, start = draft.title.title_text, draft.title.start
        first_body = next(p.text for p in body if p.kind is Kind.BODY)
        if draft.listing and not reads_as_lead(first_body):
            return  # the text after a list of links (a footer) is no article
        date = (
            draft.date
            or find_date(title)
            or find_date(first_body)
            or draft.lead_date
            or month_day(first_body)
        )
        text = "\n".join(p.text for p in body)
        outlets = (complete_outlet(o, text) for o in draft.outlets)
        source = "、".join(dict.fromkeys(outlets)) or draft.lead_outlet
        self.articles.append(
            Article(
                title=title,
                text=text,
                file=self.file,
                start=start,
                end=max(draft.end, start),
                source=source,
                date=date,
            )
        )

    def begin(self, title: Paragraph | None) -> None:
        after_close = self.current is not None and self.current.closed
        listing = self.current is not None and self.current.listing
        self.finish()
        self.current = _Draft(
            title=title, after_close=after_close, date=self.pending_date, listing=listing
        )
        self.pending_date = None
        if title is not None:
            self.current.end = title.end

    def _ends_article(
        self, run: list[Paragraph], following: Paragraph | None, then: Paragraph | None
    ) -> str | None:
        """Inside an open article: do these headings end it (caption, then headline)?

        A headline followed by a dateline, by a source line and body (``来源:…``), or by
        a news lead (``本报讯``, ``…电``, a day and the headline restated) does; so do two or more headline-like lines after an
        image gap. A list (bullets, or after a line ending in ``:``) and a single
        subheading do not. Returns how the new headline is found (``_HEADED``: the first
        title after an image gap; ``_CAPTIONED``: the last of the lines) or None.
        """
        assert self.current is not None
        previous = self.current.body[-1].text if self.current.body else ""
        if previous.endswith(":"):
            return None
        titles = [p for p in run if p.kind is Kind.HEAD and not p.is_label and not p.is_list_item]
        sections = [i for i, p in enumerate(run) if p.kind is Kind.SECTION]
        if sections and any(p in titles for p in run[: sections[0]]):
            return _DIGEST  # a digest's own title above its first section head
        heads = [p for p in titles if not _byline(p)]
        if heads and following is not None:
            if following.kind is Kind.DATE and following.page:
                return _HEADED
            if _page_source(following, then):
                return _HEADED
            if following.kind is Kind.BODY and (
                len(heads) < len(titles)  # a byline: 某某网记者 某某 报道
                or any(starts_article(p.text, following.text) for p in heads)
            ):
                return _HEADED
        if len(titles) >= 2 and any(p.gap_before >= 2 for p in run):
            return _CAPTIONED
        return None

    def headings(
        self, run: list[Paragraph], following: Paragraph | None, then: Paragraph | None
    ) -> None:
        current = self.current
        opening = current is None or current.closed or not current.has_body
        followed_by_body = following is not None and (
            following.kind in (Kind.BODY, Kind.DATE)
            or (following.kind is Kind.OUTLET and opening)  # headline, 来源:…, body
            or _page_source(following, then)
        )
        if not followed_by_body:
            # Captions before a source line stay in the body; after it they are dropped.
            if current is not None and not current.closed:
                for paragraph in run:
                    current.add(paragraph)
            return
        structural = any(p.kind in (Kind.SECTION, Kind.NUMBERED) for p in run)
        ending: str | None = None
        listed = following is not None and following.kind is Kind.DATE and following.page
        if current is not None and current.meta_seen and not current.has_body and not structural:
            if not listed:
                for paragraph in run:  # headline, dateline, then subtitle or byline
                    current.add(paragraph)
                return
            # headline, dateline, headline, dateline: a list of links; the one before is none
            current.listing = True
        if current is None or current.closed or not current.has_body:
            if any(p.kind is Kind.SECTION for p in run):
                self.digest = True
            fresh = True
        elif self.digest and structural:
            fresh = True
        elif ending := self._ends_article(run, following, then):
            fresh = ending == _DIGEST
            self.digest = self.digest or fresh
        else:
            for paragraph in run:  # subheadings, captions
                current.add(paragraph)
            return
        first = current is None and not self.articles
        hint = self.title_hint if first else None
        after_close = current is not None and current.closed
        lead = self._lead_after if ending == _HEADED or after_close else None
        before, title, after = _choose_title(run, fresh, hint, lead, self.common)
        if not fresh and current is not None:
            for paragraph in before:
                current.add(paragraph)
        self.begin(title)
        assert self.current is not None
        for paragraph in after:
            self.current.add(paragraph)

    def run(self, items: list[Paragraph]) -> list[Article]:
        self.common = pair_counts(p.text for p in items)
        i = 0
        while i < len(items):
            paragraph = items[i]
            if paragraph.is_heading:
                j = i
                while j < len(items) and items[j].is_heading:
                    j += 1
                k = j
                while k < len(items) and items[k].kind in _META:
                    k += 1
                # the new article's lead: its first body paragraph after metadata and
                # a line or two of page furniture
                ahead = items[j : j + 6]
                self._lead_after = next((p.text for p in ahead if p.kind is Kind.BODY), None)
                self.headings(
                    items[i:j],
                    items[j] if j < len(items) else None,
                    items[k] if k < len(items) else None,
                )
                i = j
                continue
            if paragraph.kind is Kind.DATE:
                if self.current is not None and not self.current.has_body:
                    if not self.current.dated:  # its own dateline beats one carried over
                        self.current.date = paragraph.date or self.current.date
                        self.current.dated = True
                    self.current.meta_seen = True
                    if paragraph.outlet:
                        self.current.outlets.append(paragraph.outlet)
                else:
                    self.pending_date = paragraph.date
            elif paragraph.kind is Kind.CLOSE:
                if self.current is not None and self.current.has_body:
                    if not self.current.closed:  # its editors are named in the article
                        self.current.add(paragraph)
                    self.current.closed = True
            elif paragraph.kind is Kind.OUTLET:
                if self.current is not None:
                    if self.current.has_body:
                        self.current.closed = True
                    else:
                        self.current.meta_seen = True
                    self.current.add(paragraph)
            else:  # body text
                if self.current is None or self.current.closed:
                    self.begin(None)
                assert self.current is not None
                self.current.add(paragraph)
                if paragraph.outlet:
                    self.current.closed = True
            i += 1
        self.finish()
        if not self.articles:
            self._fallback(items)
        return self.articles

    def _fallback(self, items: list[Paragraph]) -> None:
        """No headline + body structure found (say, only short lines without a full
        stop): the first line is the title and the rest the body, when there is a rest."""
        plain = [p for p in items if p.kind in (Kind.HEAD, Kind.BODY)]
        if len(plain) < 2:
            return
        title, *body = plain
        outlets = [p.outlet for p in items if p.outlet]
        self.articles.append(
            Article(
                title=title.text,
                text="\n".join(p.text for p in body),
                file=self.file,
                start=title.start,
                end=max(p.end for p in items),
                source="、".join(dict.fromkeys(outlets)) or None,
                date=next((p.date for p in items if p.date), None) or find_date(title.text),
            )
        )


def split_articles(text: str, file: str, title_hint: str | None = None) -> list[Article]:
    """The articles of one file's normalised ``text``; ``file`` is the file name.

    ``title_hint`` (an HTML page's ``<h1>`` or ``<title>``) names the first article
    when the text itself opens with no headline.
    """
    return _Splitter(file, title_hint).run(paragraphs(text))


def single_article(
    title: str,
    text: str,
    file: str,
    source: str | None = None,
    date: str | None = None,
    url: str | None = None,
) -> Article:
    """One article from a record whose normalised ``title`` and ``text`` are given apart
    (JSON input): the text is not split, only cleaned (broken lines rejoined, source and
    date lines read and cut). Missing source and date are read as for split articles
    (source lines, then the lead; datelines, then the lead's or first paragraph's day).
    Offsets span the normalised text."""
    outlets: list[str] = []
    dates: list[str] = []
    body: list[str] = []
    for paragraph in paragraphs(text):
        if paragraph.outlet:
            outlets.append(paragraph.outlet)
        if paragraph.kind is Kind.DATE:
            if paragraph.date:
                dates.append(paragraph.date)
        elif paragraph.text:
            body.append(paragraph.text)
    clean = "\n".join(body)
    title = title or derive_title(clean)
    lead = next((found for p in body[:LEAD_WITHIN] if (found := find_lead(p))), None)
    first = body[0] if body else ""
    return Article(
        title=title,
        text=clean,
        file=file,
        start=0,
        end=len(text),
        source=source
        or "、".join(dict.fromkeys(complete_outlet(o, clean) for o in outlets))
        or (lead.outlet if lead else None),
        date=date
        or (dates[0] if dates else None)
        or find_date(title)
        or find_date(first)
        or (lead.date if lead else None)
        or month_day(first),
        url=url,
    )
