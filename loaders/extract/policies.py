"""Policy mentions: titles in 《》 (documents), 关于…的方案 titles written without 《》,
and quoted programme names (“毕业季红岩社工计划”, “法治保障卡”, “1+10+18”志愿服务队伍体系).

Around a quote: a document noun after it makes a document title (“X计划”项目管理办法);
a frame noun after it (“一项目一团队”工作机制) or a list ending in 等 and a programme
noun (“幸福颐养”“渝童守护”等行动计划) makes each quoted name a programme.

A 《》 title that names a newspaper (《新闻晨报》) is an Organisation (media) instead. A bare
document noun (《规划》, 《方案》) is a short form, resolved to the full title in the article.
"""

from __future__ import annotations

import re

from shegong.schema import Label

from .candidates import Candidate
from .lexicon import Hits, Lexicon
from .people import common_words

__all__ = ["find_policies"]

_BOOK = re.compile(r"《([^《》]{1,80})》")
_ABOUT = re.compile(
    r"关于[^,。;:!?《》()]{2,40}?的(?:工作|实施|指导)?(?:方案|通知|意见|办法|规定|决定)"
)
_QUOTE = re.compile(r"“([^“”]{2,30})”")
# Right after a closing quote: words ending in a programme suffix (“1+10+18”志愿服务队伍体系).
_TAIL = re.compile(r"[\u4e00-\u9fff]{0,8}")
# The rest of a list of quoted names up to 等: “幸福颐养”“渝童守护”等 / “A”、“B”等
_QUOTE_LIST = re.compile(r"(?:、?“[^“”]{2,30}”)*、?等")
# Nouns that end a list of quoted names as programmes (“A”“B”等特色服务项目).
_LIST_NOUNS = ("项目",)


def find_policies(text: str, hits: Hits, lex: Lexicon) -> list[Candidate]:
    """Policy (and media title) candidates in one flat sentence."""
    out: list[Candidate] = []
    for m in _BOOK.finditer(text):
        title = m.group(1).strip()
        if not title:
            continue
        if title.endswith(lex.media_suffix) and len(title) <= 10:
            out.append(
                Candidate(
                    Label.ORGANISATION,
                    m.start(1),
                    m.end(1),
                    title,
                    rule="org:media-title",
                    kind="media",
                    info={"parents": [], "anchor": "known", "class": "strong"},
                )
            )
            continue
        bare = title in lex.policy_suffix or (
            len(title) <= 4 and title.endswith(tuple(lex.policy_suffix))
        )
        out.append(
            Candidate(
                Label.POLICY,
                m.start(),
                m.end(),
                title,
                rule="policy:book",
                kind="document",
                form="short" if bare else "full",
            )
        )
    for m in _ABOUT.finditer(text):
        if any(c.start <= m.start() < c.end for c in out):
            continue
        out.append(
            Candidate(
                Label.POLICY, m.start(), m.end(), m.group(), rule="policy:about", kind="document"
            )
        )
    quoted = "“" in text
    media = {
        mm.start(g) - 1
        for mm in (lex.media_quotes.finditer(text) if quoted else ())
        for g in (1, 2)
        if mm.group(g)
    }
    for m in _QUOTE.finditer(text):
        if any(c.start <= m.start() < c.end for c in out) or m.start() in media:
            continue
        inner = m.group(1).strip()
        if inner in lex.event_days or not inner:
            continue
        tail = _TAIL.match(text, m.end())
        tail_text = tail.group() if tail else ""
        programme = None
        kind = "programme"
        framed = _framed(text, m.end(), hits, lex)
        if framed:
            programme = (m.start(1), m.end(1), inner)
        document = None if framed else _document_tail(text, m.end(), tail_text, hits, lex)
        if document:
            programme, kind = (
                (m.start(), m.end() + document, text[m.start() : m.end() + document]),
                "document",
            )
        for k in range(0 if programme else len(tail_text), 0, -1):
            after = m.end() + k
            clean = after >= len(text) or not ("\u4e00" <= text[after] <= "\u9fff")
            clean = clean or bool(hits.starting("break", after) or hits.starting("follow", after))
            suffix = next((sf for sf in lex.programme_suffix if tail_text[:k].endswith(sf)), "")
            if any(h.start < after for h in hits.get("break") if h.start >= m.end()):
                break  # “渝童守护”等行动计划: not one name
            if clean and len(suffix) >= 2 and tail_text[:k] != suffix:
                programme = (m.start(), m.end() + k, text[m.start() : m.end() + k])
                break
        named = inner.endswith(tuple(lex.programme_suffix)) and len(inner) >= 3
        if programme is None and not document and not named:  # “毕业季红岩社工计划”项目: named
            noun = next((w for w in lex.programme_tails if text.startswith(w, m.end())), "")
            after = m.end() + len(noun)
            if noun and (
                _clean_end(text, after, hits) or text[after : after + 2] in common_words()
            ):
                programme = (m.start(), m.end() + len(noun), text[m.start() : m.end() + len(noun)])
        if programme is None and (
            inner in lex.known_programmes
            or (
                inner.endswith(tuple(lex.programme_suffix))
                and len(inner) >= 3
                and "、" not in inner  # “有场地、有设施、有制度”: a slogan list
            )
        ):
            programme = (m.start(1), m.end(1), inner)
        if programme is None:
            continue
        start, end, name = programme
        out.append(Candidate(Label.POLICY, start, end, name, rule="policy:quote", kind=kind))
    # known programmes written without quotes (五社联动)
    for word in lex.known_programmes:
        pos = text.find(word)
        while pos >= 0:
            if not any(c.start <= pos < c.end for c in out):
                out.append(
                    Candidate(
                        Label.POLICY,
                        pos,
                        pos + len(word),
                        word,
                        rule="policy:known",
                        kind="programme",
                    )
                )
            pos = text.find(word, pos + len(word))
    out.sort(key=lambda c: (c.start, -c.length))
    return out


def _clean_end(text: str, pos: int, hits: Hits) -> bool:
    """Whether a word can end at ``pos`` (end of text, a non-CJK char or a break word)."""
    if pos >= len(text) or not ("\u4e00" <= text[pos] <= "\u9fff"):
        return True
    return bool(hits.starting("break", pos) or hits.starting("follow", pos))


def _framed(text: str, pos: int, hits: Hits, lex: Lexicon) -> bool:
    """Whether the quote closing at ``pos`` names a programme: a frame noun follows it
    (“一项目一团队”工作机制), or a list of quotes ending in 等 and a programme noun
    (“幸福颐养”“渝童守护”等行动计划)."""
    for frame in lex.programme_frames:
        if text.startswith(frame, pos) and _clean_end(text, pos + len(frame), hits):
            return True
    m = _QUOTE_LIST.match(text, pos)
    if not m:
        return False
    tail = _TAIL.match(text, m.end())
    words = tail.group() if tail else ""
    for k in range(len(words), 1, -1):
        nouns = (*lex.programme_suffix, *_LIST_NOUNS)
        if words[:k].endswith(nouns) and _clean_end(text, m.end() + k, hits):
            suffix = next(sf for sf in nouns if words[:k].endswith(sf))
            return len(suffix) >= 2
    return False


def _longest_suffix(words: str, lex: Lexicon) -> str:
    """The longest document noun ending ``words`` (办法 of 管理办法), else ""."""
    for n in range(min(len(words), lex.policy_suffix_chars), 0, -1):
        if words[-n:] in lex.policy_suffix:
            return words[-n:]
    return ""


def _document_tail(text: str, pos: int, tail: str, hits: Hits, lex: Lexicon) -> int:
    """The length of a document noun phrase right after a quote (“X计划”项目管理办法), else 0."""
    for k in range(len(tail), 1, -1):
        suffix = _longest_suffix(tail[:k], lex)
        if len(suffix) >= 2 and _clean_end(text, pos + k, hits):
            if any(pos <= h.start < pos + k - len(suffix) for h in hits.get("break")):
                return 0  # “X”开展评估办法: a verb before the document noun
            return k
    return 0
