"""Sentences of an article, and the "flat" view the finders scan.

Normalised text keeps the source's line structure, and sources break paragraphs in the
middle of words (``法治社保公益普法\\n\\n平台``). A line break ends a sentence only when
the line before it is short (a heading, a caption) or ends with closing punctuation;
otherwise the paragraph goes on. Finders work on ``Flat`` text, the sentence with those
joins removed, and map offsets back to the article through ``Flat.at``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Sentence

__all__ = ["Flat", "split_sentences"]

# Sentence ends; a closing quote or bracket right after stays with its sentence.
_END = re.compile(r"[。!?;!?;…]+[”’」』)\)]*")
_CLOSING = "。!?;!?;…”’」』):)"
# A line at least this long that stops without closing punctuation was cut mid-sentence.
_CUT_LINE = 25
# Very long "sentences" (lists, tables run together) are cut at commas beyond this length,
# so that pattern windows stay local and the cost stays linear.
_MAX_SENTENCE = 400


@dataclass(frozen=True)
class Flat:
    """A sentence without its inner line breaks; ``at[i]`` is the article offset of ``text[i]``."""

    text: str
    at: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Article offsets of ``text[start:end]``."""
        return self.at[start], self.at[end - 1] + 1

    @classmethod
    def of(cls, sentence: Sentence) -> Flat:
        if "\n" not in sentence.text:
            return cls(sentence.text, tuple(range(sentence.start, sentence.end)))
        chars, at = [], []
        for i, ch in enumerate(sentence.text):
            if ch != "\n":
                chars.append(ch)
                at.append(sentence.start + i)
        return cls("".join(chars), tuple(at))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of logical paragraphs: lines joined where a paragraph was cut."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if spans:
            prev_start, prev_end = spans[-1]
            prev = text[prev_start:prev_end].rstrip()
            last_line = prev.rsplit("\n", 1)[-1]
            if len(last_line) >= _CUT_LINE and prev[-1] not in _CLOSING:
                spans[-1] = (prev_start, end)
                continue
        spans.append((start, end))
    return spans


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= _MAX_SENTENCE:
        return [(start, end)]
    out = []
    while end - start > _MAX_SENTENCE:
        window = text[start : start + _MAX_SENTENCE]
        cut = max(window.rfind(","), window.rfind("、"), window.rfind(" "))
        cut = start + cut + 1 if cut > _MAX_SENTENCE // 4 else start + _MAX_SENTENCE
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, with offsets into it; blank ones dropped."""
    sentences: list[Sentence] = []
    for p_start, p_end in _paragraphs(text):
        pos = p_start
        para = text[p_start:p_end]
        bounds = [p_start + m.end() for m in _END.finditer(para)]
        if not bounds or bounds[-1] != p_end:
            bounds.append(p_end)
        for b in bounds:
            for s, e in _cut_long(text, pos, b):
                # trim white space at both ends
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if e > s:
                    sentences.append(Sentence(text[s:e], s, e))
            pos = b
    return sentences
