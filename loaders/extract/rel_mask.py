"""Masked sentences: each entity span becomes one placeholder character, so that relation
patterns are plain regular expressions over short strings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .rel_patterns import PLACEHOLDER
from .types import Sentence, Span

__all__ = ["MaskedSentence", "assign_spans", "mask", "outermost"]

# Dropped from the masked text: quotes and 《》 only wrap names, white space only pads.
_DROP = frozenset("“”‘’「」『』\"'《》 \t\r\n\u3000\xa0")
_KEEP_RUN = re.compile("[^" + re.escape("".join(sorted(_DROP))) + "]+")


@dataclass(frozen=True)
class MaskedSentence:
    """A sentence with spans replaced by placeholders.

    ``starts[i]``/``ends[i]`` are the article offsets covered by masked character ``i``;
    ``slots`` maps the masked index of each placeholder to its span.
    """

    sentence: Sentence
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    slots: dict[int, Span]

    def offsets(self, a: int, b: int) -> tuple[int, int]:
        """Article offsets of the masked range [a, b)."""
        if b <= a:
            at = self.starts[a] if a < len(self.starts) else self.sentence.end
            return at, at
        return self.starts[a], self.ends[b - 1]

    def original(self, a: int, b: int, article_text: str) -> str:
        """The article text under the masked range [a, b), stripped."""
        start, end = self.offsets(a, b)
        return article_text[start:end].strip()

    def spans_between(self, a: int, b: int) -> list[tuple[int, Span]]:
        """(masked index, span) of the placeholders in [a, b), in order."""
        return [(i, self.slots[i]) for i in range(a, b) if i in self.slots]


def assign_spans(sentences: list[Sentence], spans: Iterable[Span]) -> list[list[Span]]:
    """Spans lying inside each sentence, in one pass (both sorted by start)."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    out: list[list[Span]] = [[] for _ in sentences]
    j = 0
    for span in ordered:
        while j < len(sentences) and sentences[j].end <= span.start:
            j += 1
        if j == len(sentences):
            break
        if span.start >= sentences[j].start and span.end <= sentences[j].end:
            out[j].append(span)
    return out


def outermost(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, earliest first and the longest at each start: a name nested in
    a longer name (河南 in 河南省民政厅) is part of that name, not an entity of the sentence."""
    kept: list[Span] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= last_end and span.end > span.start:
            kept.append(span)
            last_end = span.end
    return kept


def mask(sentence: Sentence, spans: list[Span], article_text: str) -> MaskedSentence:
    """Mask ``sentence`` (offsets into ``article_text``) with its non-overlapping ``spans``
    (see ``outermost``), sorted by start."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    slots: dict[int, Span] = {}
    size = 0

    def copy(begin: int, until: int) -> int:
        kept = 0
        for run in _KEEP_RUN.finditer(article_text, begin, until):
            a, b = run.span()
            pieces.append(run.group())
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
            kept += b - a
        return kept

    pos = sentence.start
    for span in spans:
        placeholder = PLACEHOLDER.get(span.label)
        if placeholder is None or span.start < pos:
            continue
        size += copy(pos, span.start)
        slots[size] = span
        pieces.append(placeholder)
        starts.append(span.start)
        ends.append(span.end)
        size += 1
        pos = span.end
    copy(pos, sentence.end)
    return MaskedSentence(sentence, "".join(pieces), tuple(starts), tuple(ends), slots)
