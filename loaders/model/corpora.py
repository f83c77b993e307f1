"""Readers for the public NER corpora of ``../shared/ner`` (formats in its README.md).

Every reader yields ``Sample``s: a sentence and its Person / Organisation / Place spans,
with the corpora's classes mapped to the graph's labels (name, PER, PER.NAM -> Person;
organization, government, company, ORG, ORG.NAM -> Organisation; address, LOC, GPE(.NAM)
-> Place; nominal ``.NOM`` mentions and the other CLUENER classes are dropped). Text is
normalised as the extractor normalises articles (NFKC, one character for one), so that
full-width digits of People's Daily look like the digits of ingested articles.

The CLUENER check split is fixed: every line whose 0-based index ``i`` has
``i % 10 == 9`` (the 10th, 20th, ... line) is held out and never trained on.

The dev set (../shared/dev) can add its train part: files whose number is not divisible
by 4 (d301, d302, d303, d305, ...); the check part d304, d308, ..., d340 is never trained
on. Its gold names (and aliases) are projected onto the ingested text, longest first
and without overlaps; Policy and Event names are projected too, as ``O``, so that a place
inside them is not taught as a mention.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shegong.schema import Label

__all__ = [
    "CHECK_EVERY",
    "Sample",
    "cluener",
    "dev_check_part",
    "dev_samples",
    "normalise",
    "read_bio",
    "read_msra_b",
    "read_weibo",
    "training_samples",
]

#: Every CHECK_EVERY-th line of cluener_train.jsonl is the check split.
CHECK_EVERY = 10

_CLUENER = {
    "name": Label.PERSON,
    "organization": Label.ORGANISATION,
    "government": Label.ORGANISATION,
    "company": Label.ORGANISATION,
    "address": Label.PLACE,
}
_BIO = {
    "PER": Label.PERSON,
    "PER.NAM": Label.PERSON,
    "ORG": Label.ORGANISATION,
    "ORG.NAM": Label.ORGANISATION,
    "LOC": Label.PLACE,
    "LOC.NAM": Label.PLACE,
    "GPE": Label.PLACE,
    "GPE.NAM": Label.PLACE,
}

Span = tuple[Label, int, int]


@dataclass(frozen=True)
class Sample:
    """One annotated sentence; spans are (label, start, end) with ``end`` exclusive."""

    text: str
    spans: tuple[Span, ...]


def normalise(text: str) -> str:
    """NFKC character by character, keeping offsets (a character that would expand stays)."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def cluener(path: Path, check: bool) -> Iterator[Sample]:
    """The train part (``check=False``) or the check split (``check=True``) of CLUENER."""
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if (i % CHECK_EVERY == CHECK_EVERY - 1) != check or not line.strip():
                continue
            raw = json.loads(line)
            spans = []
            for cls, surfaces in raw.get("label", {}).items():
                label = _CLUENER.get(cls)
                if label is None:
                    continue
                for places in surfaces.values():
                    for start, end in places:
                        spans.append((label, start, end + 1))
            yield Sample(normalise(raw["text"]), tuple(sorted(spans, key=lambda s: s[1])))


def _from_tags(chars: list[str], tags: list[str]) -> Sample:
    spans: list[Span] = []
    start, label = -1, None
    for i, tag in enumerate([*tags, "O"]):
        head, _, cls = tag.partition("-")
        if label is not None and head != "I" or (head == "I" and _BIO.get(cls) != label):
            if label is not None:
                spans.append((label, start, i))
            start, label = -1, None
        if head in ("B", "S") or (head == "I" and label is None and cls in _BIO):
            start, label = i, _BIO.get(cls)
            if label is None:
                start = -1
    return Sample(normalise("".join(chars)), tuple(spans))


def read_bio(path: Path, sep: str | None = None) -> Iterator[Sample]:
    """Character-per-line BIO files (People's Daily, MSRA part a, Weibo)."""
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield _from_tags(chars, tags)
                chars, tags = [], []
                continue
            parts = line.split(sep) if sep else line.split()
            if len(parts) < 2:
                continue
            chars.append(parts[0][0])
            tags.append(parts[-1])
    if chars:
        yield _from_tags(chars, tags)


def read_weibo(path: Path) -> Iterator[Sample]:
    """Weibo NER: the character carries a segmentation digit (``科0``)."""
    return read_bio(path, "\t")


def read_msra_b(sentences: Path, tag_file: Path) -> Iterator[Sample]:
    """MSRA part b: a sentence per line, characters and tags separated by spaces."""
    with sentences.open(encoding="utf-8") as fs, tag_file.open(encoding="utf-8") as ft:
        for text, tags in zip(fs, ft, strict=False):
            chars, marks = text.split(), tags.split()
            if chars and len(chars) == len(marks):
                yield _from_tags([c[0] for c in chars], marks)


def training_samples(ner_dir: Path) -> Iterator[Sample]:
    """Every training sentence, in a fixed order (CLUENER's check split left out)."""
    yield from cluener(ner_dir / "cluener_train.jsonl", check=False)
    yield from read_bio(ner_dir / "peoples_daily_a.bio")
    yield from read_bio(ner_dir / "peoples_daily_b.bio")
    yield from read_bio(ner_dir / "msra_a.bio", "\t")
    yield from read_msra_b(ner_dir / "msra_b.sentences.txt", ner_dir / "msra_b.tags.txt")
    yield from read_weibo(ner_dir / "weibo_train.conll")


_DEV_NUMBER = re.compile(r"^d(\d+)")


def dev_check_part(file: str) -> bool:
    """Whether a dev file (``d304_...``) is in the check part: its number divides by 4."""
    m = _DEV_NUMBER.match(Path(file).name)
    return m is not None and int(m.group(1)) % 4 == 0


def dev_samples(dev_dir: Path) -> Iterator[Sample]:
    """The dev set's train part as sentences with projected gold spans, in file order."""
    from shegong.loaders.extract.sentences import Flat, split_sentences
    from shegong.loaders.ingest import ingest_file

    wanted = {"Person": Label.PERSON, "Organisation": Label.ORGANISATION, "Place": Label.PLACE}
    for gold_path in sorted((dev_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if dev_check_part(gold["file"]):
            continue
        names: list[tuple[str, Label | None]] = []
        for ent in gold["entities"]:
            label = wanted.get(ent["type"])
            for name in (ent["name"], *ent.get("aliases", [])):
                if len(name) >= 2:
                    names.append((normalise(name), label))
        names.sort(key=lambda x: (-len(x[0]), x[0]))
        for article in ingest_file(dev_dir / "corpus" / gold["file"]):
            texts = [Flat.of(s).text for s in split_sentences(article.text)]
            for text in [article.title, *texts]:
                if text:
                    yield _project(normalise(text), names)


def _project(text: str, names: list[tuple[str, Label | None]]) -> Sample:
    taken = [False] * len(text)
    spans: list[Span] = []
    for name, label in names:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(name)
                if label is not None:
                    spans.append((label, start, end))
            start = text.find(name, end)
    return Sample(text, tuple(sorted(spans, key=lambda s: s[1])))
