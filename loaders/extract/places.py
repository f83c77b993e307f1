"""Place mentions: gazetteer names (official, short, nicknames), chains such as
``长春市朝阳区永昌街道``, streets and communities after a place, and named sites
(``在人民公园南广场``)."""

from __future__ import annotations

import re

from shegong.schema import Label

from .candidates import Candidate, is_cjk
from .lexicon import Hits, Lexicon
from .people import common_words, place_words

__all__ = ["find_places", "local_kind"]

# Below county level: a 2-4 character name and a level word, right after a place.
_LOCAL = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:街道|社区|镇)")
_LOCAL_KIND = {
    "街道": "street",
    "社区": "community",
    "镇": "street",
    "乡": "street",
    "村": "community",
}
# A local place on its own (焦石镇, 竹荫里社区): found at every start, checked for a
# boundary before it; the stem must not be an ordinary word (服务社区, 农村).
_STANDALONE = re.compile(
    r"(?=(([\u4e00-\u9fff]{2,3}?)(?:街道|社区|镇|乡|村)|([\u4e00-\u9fff]{4})(?:街道|社区)))"
)
# every _STANDALONE match ends with one of these: a sentence without any has none
_LOCAL_END = re.compile(r"街道|社区|镇|乡|村")
_NOT_STEM = "各全本该每此这那其一两三四五多个乡镇村"
_NOT_IN_STEM = frozenset("和与及到为在对向的了村乡镇走进")
# A site named after 在/于: 人民公园南广场, 世纪广场.
_SITE = re.compile(
    r"(?<=[在于到])([\u4e00-\u9fff]{2,10}(?:公园|广场)(?:[东南西北]广场|[东南西北]门)?)"
)
_NOT_LOCAL = ("乡镇", "城乡", "街道", "社区", "各", "所在", "每个", "全", "办事处", "居委会")
# A community or village right after the street office it belongs to: 王府街道办事处乌日斯社区.
_AFTER_OFFICE = re.compile(
    r"(?<=办事处)([\u4e00-\u9fff]{2,4}?(?:社区|村))(?![\u4e00-\u9fff]*(?:委员会|居委会|村委会))"
)


def local_kind(name: str) -> str | None:
    """The kind of a place below county level by its last word (永昌街道: street, 梅田村:
    community), None for any other name."""
    return next((kind for end, kind in _LOCAL_KIND.items() if name.endswith(end)), None)


def find_places(text: str, hits: Hits, lex: Lexicon) -> list[Candidate]:
    """Place candidates in one flat sentence, longest first where they overlap."""
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits.get("place"), key=lambda h: (h.start, -(h.end - h.start))):
        if any(s <= hit.start < e for s, e in taken):
            continue
        use = hit.data[0]
        word = hit.word
        # 上海市民 is 上海 + 市民 (citizens), not 上海市.
        if word.endswith("市") and text[hit.end : hit.end + 1] == "民":
            word = word[:-1]
            hit_end = hit.end - 1
            use = "short"
        else:
            hit_end = hit.end
        # a short name glued to a longer CJK word is usually part of that word
        top = any(r.kind == "province" for r in lex.gaz.candidates(word))
        if use != "full" and not top and hit.start > 0 and is_cjk(text[hit.start - 1]):
            prev = [p for p in out if p.end == hit.start]
            if not prev and not _after_boundary(text, hit.start, hits):
                continue
        recs = lex.gaz.candidates(word)
        if use != "full" and text[hit_end : hit_end + 1] == "州":
            prefectures = [r for r in recs if r.name.endswith("州")]
            if prefectures:  # 阿坝州 for 阿坝藏族羌族自治州, not 阿坝县
                word, hit_end, recs = word + "州", hit_end + 1, prefectures
        kind = recs[0].kind if recs else None
        out.append(
            Candidate(
                Label.PLACE,
                hit.start,
                hit_end,
                word,
                rule=f"place:{use}",
                kind=kind,
                form="full" if use == "full" else ("short" if use == "short" else "weak"),
                info={"records": recs},
            )
        )
        taken.append((hit.start, hit_end))
    # streets and communities right after a place (chain), and named sites
    queue = list(out)
    while queue:  # a street after a district, a community after a street
        place = queue.pop(0)
        m = _LOCAL.match(text, place.end)
        if (
            m
            and not m.group().startswith(_NOT_LOCAL)
            and not any(m.start() <= h.start < m.end() for h in hits.get("break"))
            and not any(r.is_top for r in lex.gaz.short.get(m.group()[:-2], []))
        ):
            out.append(
                Candidate(
                    Label.PLACE,
                    m.start(),
                    m.end(),
                    m.group(),
                    rule="place:local",
                    kind=local_kind(m.group()),
                    info={"records": []},
                )
            )
            queue.append(out[-1])
    standalone = _STANDALONE.finditer(text) if _LOCAL_END.search(text) else ()
    for m in standalone:  # 在焦石镇, 、梅田村: a local place on its own
        name, stem = m.group(1), m.group(2) or m.group(3)
        start, end = m.start(1), m.start(1) + len(name)
        if m.group(3) and not (
            (stem[:2] not in common_words() or stem[:2] in place_words())
            and any(h.start == start + 2 and h.end == start + 4 for h in hits.get("place"))
        ):
            continue  # four characters only around a place name: 杨桥河南社区
        if (
            name.startswith(_NOT_LOCAL)
            or stem[0] in _NOT_STEM
            or any(ch in _NOT_IN_STEM for ch in stem)
            or stem[-1] in "农城"
            or len(stem) == 3
            and stem[1:] in common_words()
            or stem in common_words()
            and stem not in place_words()
            or name in common_words()
            or any(
                (c.start <= start < c.end or start <= c.start < end)
                and not (start < c.start and c.end < end)  # 河南 inside 杨桥河南社区
                for c in out
            )
            or any(start <= h.start < end for h in hits.get("break"))
            or not (
                start == 0
                or not is_cjk(text[start - 1])
                or text[start - 1] in "和与及"
                or _after_boundary(text, start, hits)
            )
        ):
            continue
        out = [c for c in out if not (start < c.start and c.end < end)]
        out.append(
            Candidate(
                Label.PLACE,
                start,
                end,
                name,
                rule="place:local-alone",
                kind=local_kind(name),
                info={"records": []},
            )
        )
    for m in _AFTER_OFFICE.finditer(text):
        if not m.group(1).startswith(_NOT_LOCAL):
            out.append(
                Candidate(
                    Label.PLACE,
                    m.start(1),
                    m.end(1),
                    m.group(1),
                    rule="place:after-office",
                    kind=local_kind(m.group(1)),
                    info={"records": []},
                )
            )
    for m in _SITE.finditer(text):
        out.append(
            Candidate(
                Label.PLACE,
                m.start(1),
                m.end(1),
                m.group(1),
                rule="place:site",
                kind="site",
                info={"records": []},
            )
        )
    out.sort(key=lambda c: (c.start, -c.length))
    return [c for c in out if not any(c.inside(o) and o.length > c.length for o in out)]


def _after_boundary(text: str, pos: int, hits: Hits) -> bool:
    """Whether a word ends at ``pos`` (break word, title, org suffix, place, or a common
    two-character word such as 助力 in 助力郑州发展)."""
    for cat in ("break", "follow", "title", "orgsuf", "event", "place", "knownorg"):
        if hits.ending(cat, pos):
            return True
    return pos >= 2 and text[pos - 2 : pos] in common_words()
