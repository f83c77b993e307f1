"""Near-duplicate articles: a syndicated reprint is folded into the article stored first.

The same news item reprinted by several outlets differs in small ways (another dateline
or outlet line, a paragraph trimmed, a changed headline), so its content hash differs and
it would be stored as a second article, doubling every fact's evidence. Here each article
body becomes a set of character shingles (``SHINGLE`` characters, punctuation and white
space dropped) summarised by a MinHash signature (rensa's R-MinHash, ``NUM_PERM`` slots);
an LSH index (``BANDS`` bands, ``minhash_index.BandIndex``) finds the stored articles
that may be close, and an article whose Jaccard similarity with one of them is at least ``THRESHOLD`` is a reprint
of it: the estimate picks the candidates, and one that comes near the threshold is
decided exactly, from its stored text (MinHash alone, with 128 slots, was seen 0.17 off).
No pair-wise comparison: a check costs one LSH query and, for a probable reprint, one
read of the text it resembles.

A reprint adds no article node, mentions or evidence of its own: the kept article gains
its outlet, url and file (the list properties ``sources``, ``urls``, ``files``, unioned by
every store), its headline as an alias, and a REPORTED_BY edge to its outlet. The
signature is stored on the article (property ``minhash``, base64 of rensa's versioned
state), so a later load indexes stored articles without reading their text again; one
stored without it (or by another rensa version) is signed again from its text.

``THRESHOLD`` (0.65) was chosen on variants of the sample corpus and the dev corpus
(tests/loaders/test_neardup.py), in exact similarity: a new lead naming another outlet
0.92-0.99, that lead and a trimmed paragraph of up to a quarter of the text 0.70-0.90,
the first half of an article alone 0.41-0.59, the most similar pair of different
articles 0.015 (0.043 among the 44 dev articles). The article stored first is kept as it
is: what only a later, longer copy says is not added. Bodies shorter than ``MIN_CHARS`` are never near-duplicates (a
two-line notice shares most of its shingles with any other of its template); exact
duplicates are still folded by their content hash.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from rensa import RMinHash
from shegong.schema import (
    Article,
    Evidence,
    Extraction,
    GraphBatch,
    Label,
    Node,
    Relation,
    RelationType,
)

from .minhash_index import BandIndex

if TYPE_CHECKING:
    from shegong.graph import GraphStore

__all__ = [
    "BANDS",
    "MIN_CHARS",
    "NUM_PERM",
    "SHINGLE",
    "THRESHOLD",
    "DedupPlan",
    "NearDuplicates",
    "Reprint",
    "shingles",
    "signature",
    "VERIFY_MARGIN",
    "exact_similarity",
    "stored_articles",
    "stored_text",
]

#: Characters per shingle: long enough that shared phrases, not shared characters, count.
SHINGLE = 5
#: MinHash slots; the estimate's standard error at J=0.65 is about 0.04.
NUM_PERM = 128
#: LSH bands of NUM_PERM / BANDS rows: a pair at J=0.65 becomes a candidate with
#: probability 0.998, at 0.75 > 0.9999, at 0.1 (unrelated articles) 0.003; candidates
#: are then checked by their estimated similarity.
BANDS = 32
#: Estimated Jaccard similarity of shingle sets from which an article is a reprint.
THRESHOLD = 0.65
#: A candidate whose MinHash estimate is this close below the threshold (4 standard
#: errors: rensa's estimate is off by up to 0.13 at 128 slots) is decided by its exact
#: similarity, from the two texts.
VERIFY_MARGIN = 0.15
#: Shorter bodies (in characters, after dropping punctuation and space) are never reprints.
MIN_CHARS = 80
#: Fixed: signatures stored by one load are compared with the next load's.
SEED = 20261201
#: Article properties holding the signature and the outlets that carried it.
SIGNATURE_PROPERTY = "minhash"

_NOT_TEXT = re.compile(r"[\W_]+")
_PAGE = 1000  # stored articles read per call when indexing the store


def shingles(text: str, size: int = SHINGLE) -> list[str]:
    """The character shingles of ``text`` with punctuation and white space dropped."""
    letters = _NOT_TEXT.sub("", text)
    if len(letters) <= size:
        return [letters] if letters else []
    return [letters[i : i + size] for i in range(len(letters) - size + 1)]


def signature(text: str) -> RMinHash:
    """The MinHash signature of an article body."""
    sketch = RMinHash(NUM_PERM, SEED)
    sketch.update(shingles(text))
    return sketch


def _encode(sketch: RMinHash) -> str:
    return base64.b64encode(sketch.__getstate__()).decode("ascii")


def _decode(value: object) -> RMinHash | None:
    """A stored signature, or None when absent or written by an incompatible version."""
    if not isinstance(value, str):
        return None
    sketch = RMinHash(NUM_PERM, SEED)
    try:
        sketch.__setstate__(base64.b64decode(value, validate=True))
    except ValueError:  # another rensa algorithm version, or a damaged value
        return None
    return sketch if len(sketch.digest()) == NUM_PERM else None


def _long_enough(text: str) -> bool:
    return len(_NOT_TEXT.sub("", text)) >= MIN_CHARS


@dataclass(frozen=True)
class Reprint:
    """An extraction whose article is a near-duplicate of ``original_id``."""

    extraction: Extraction
    original_id: str
    similarity: float


@dataclass
class DedupPlan:
    """One file's extractions split into articles to store and reprints to fold."""

    kept: list[Extraction] = field(default_factory=list)
    reprints: list[Reprint] = field(default_factory=list)
    signatures: dict[str, RMinHash] = field(default_factory=dict)  # kept article id ->

    def batch(self) -> GraphBatch:
        """What the plan adds to the kept extractions' batch: each kept article's
        signature, and each reprint folded into its original."""
        nodes: list[Node] = []
        relations: list[Relation] = []
        for extraction in self.kept:
            article = extraction.article
            if article.id in self.signatures:
                props: dict[str, object] = {
                    SIGNATURE_PROPERTY: _encode(self.signatures[article.id])
                }
                nodes.append(Node(Label.ARTICLE, article.title, properties=props, id=article.id))
        for reprint in self.reprints:
            article = reprint.extraction.article
            props = _carried(article)
            nodes.append(
                Node(Label.ARTICLE, article.title, properties=props, id=reprint.original_id)
            )
            nodes.extend(_outlets(reprint.extraction))
            relations.extend(_reported_by(reprint))
        return GraphBatch(nodes=nodes, relations=relations)


def _carried(article: Article) -> dict[str, object]:
    """The outlet lists a reprint adds to the article it is folded into."""
    lists = {"sources": article.source, "urls": article.url, "files": article.file}
    return {key: [value] for key, value in lists.items() if value}


def _outlet_ids(extraction: Extraction) -> set[str]:
    return {rel.target_id for rel in extraction.relations if rel.type is RelationType.REPORTED_BY}


def _outlets(extraction: Extraction) -> list[Node]:
    wanted = _outlet_ids(extraction)
    return [node for node in extraction.entities if node.id in wanted]


def _reported_by(reprint: Reprint) -> Iterator[Relation]:
    """The reprint's REPORTED_BY edges, moved to the kept article; the evidence cites
    the reprint's first line."""
    for rel in reprint.extraction.relations:
        if rel.type is not RelationType.REPORTED_BY:
            continue
        evidence = [
            Evidence(reprint.original_id, ev.sentence, 0, 0, "source:reprint", ev.confidence)
            for ev in rel.evidence[:1]
        ]
        yield Relation(
            RelationType.REPORTED_BY,
            reprint.original_id,
            rel.target_id,
            properties=dict(rel.properties),
            evidence=evidence,
        )


TextOf = Callable[[str], "str | None"]


def exact_similarity(a: str, b: str) -> float:
    """The Jaccard similarity of two bodies' shingle sets."""
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


class NearDuplicates:
    """The near-duplicate check of one load: ``plan`` a file, ``commit`` it once stored.

    Parameters
    ----------
    stored:
        The articles already stored, read lazily on the first ``plan``: (id, stored
        signature or None, text) triples, e.g. ``stored_articles(store)``.
    threshold:
        The Jaccard similarity of shingle sets from which an article is a reprint.
    text_of:
        The body of an indexed article by id (e.g. ``stored_text(store)``): a candidate
        whose estimate comes within ``VERIFY_MARGIN`` of the threshold is decided by its
        exact similarity; without it (or the text), by the estimate.
    """

    def __init__(
        self,
        stored: Iterator[tuple[str, object, str]] | None = None,
        threshold: float = THRESHOLD,
        text_of: TextOf | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.text_of = text_of
        self._pending = stored
        self._index = BandIndex(NUM_PERM, BANDS)
        self._ids: list[str] = []  # number in the index -> article id
        self._known: set[str] = set()

    def __len__(self) -> int:
        self._index_stored()
        return len(self._ids)

    def _add(self, article_id: str, sketch: RMinHash) -> None:
        if article_id in self._known:
            return
        self._known.add(article_id)
        self._index.add(sketch.digest())
        self._ids.append(article_id)

    def _index_stored(self) -> None:
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        batch: list[tuple[str, RMinHash]] = []
        for article_id, stored, text in pending:
            sketch = _decode(stored) if stored is not None else None
            if sketch is None and _long_enough(text):
                sketch = signature(text)
            if sketch is not None and article_id not in self._known:
                self._known.add(article_id)
                batch.append((article_id, sketch))
            if len(batch) >= _PAGE:
                self._add_stored(batch)
        self._add_stored(batch)

    def _add_stored(self, batch: list[tuple[str, RMinHash]]) -> None:
        if batch:
            self._index.extend(np.array([s.digest() for _, s in batch], dtype=np.uint32))
            self._ids.extend(article_id for article_id, _ in batch)
            batch.clear()

    def match(
        self, sketch: RMinHash, text: str, texts: Mapping[str, str] | None = None
    ) -> tuple[str, float] | None:
        """The indexed article most similar to ``text`` (signed ``sketch``) at or above
        the threshold; ``texts`` holds bodies known without asking ``text_of``."""
        digest = self._index.digest(sketch.digest())  # one array for both lookups
        numbers = self._index.candidates(digest)
        candidates = sorted(
            (-estimate, self._ids[n])
            for n, estimate in zip(
                numbers.tolist(), self._index.estimates(digest, numbers), strict=True
            )
        )
        for negative, article_id in candidates:
            estimate = -negative
            if estimate < self.threshold - VERIFY_MARGIN:
                break
            other = (texts or {}).get(article_id)
            if other is None and self.text_of is not None:
                other = self.text_of(article_id)
            similarity = exact_similarity(text, other) if other is not None else estimate
            if similarity >= self.threshold:
                return article_id, similarity
        return None

    def plan(self, extractions: Sequence[Extraction]) -> DedupPlan:
        """Split one file's extractions; articles kept earlier in the file count too."""
        self._index_stored()
        plan = DedupPlan()
        local = NearDuplicates(iter(()), self.threshold)  # this file's kept articles
        texts: dict[str, str] = {}
        for extraction in extractions:
            article = extraction.article
            if article.id in self._known or not _long_enough(article.text):
                plan.kept.append(extraction)  # stored already (a forced reload), or too short
                continue
            sketch = signature(article.text)
            found = [
                m
                for m in (
                    self.match(sketch, article.text),
                    local.match(sketch, article.text, texts),
                )
                if m is not None
            ]
            if found:
                original_id, similarity = max(found, key=lambda m: (m[1], m[0]))
                plan.reprints.append(Reprint(extraction, original_id, similarity))
                continue
            plan.kept.append(extraction)
            plan.signatures[article.id] = sketch
            local._add(article.id, sketch)
            texts[article.id] = article.text
        return plan

    def commit(self, plan: DedupPlan) -> None:
        """Index the plan's kept articles: call once their file is stored."""
        for article_id, sketch in plan.signatures.items():
            self._add(article_id, sketch)


def stored_text(store: GraphStore) -> TextOf:
    """The body of a stored article by id (None when it is not stored)."""

    def text_of(article_id: str) -> str | None:
        node = store.get(article_id)
        text = node.properties.get("text") if node is not None else None
        return str(text) if text is not None else None

    return text_of


def stored_articles(store: GraphStore) -> Iterator[tuple[str, object, str]]:
    """(id, stored signature, text) of every stored article, read page by page."""
    offset = 0
    while page := store.nodes(Label.ARTICLE, limit=_PAGE, offset=offset):
        for node in page:
            props = node.properties
            yield node.id, props.get(SIGNATURE_PROPERTY), str(props.get("text") or "")
        offset += len(page)
