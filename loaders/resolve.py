"""Cross-article entity resolution, run by the load pipeline before each upsert.

``Resolver(store)`` maps each extracted entity to one that already exists:

1. the store: ``store.find_by_name(name_or_alias, label)`` for the canonical name and then
   each alias; exactly one hit -> the entity becomes that node (so editors' aliases and
   merges keep attracting new mentions); several hits -> ambiguous, left alone;
2. what this resolver has already seen (earlier articles of the same load, before they
   are stored): the same rule over an in-memory index of names and aliases;
3. a longer name of the same body seen before: ``越秀区社会工作联合会`` here and
   ``广州市越秀区社会工作联合会`` elsewhere are one organisation when exactly one known
   organisation ends with the name and the part in front is a place (district names are
   checked against the gazetteer, so 朝阳区… is only merged where it is unambiguous).

Memory stays bounded in a big load: with a store, only the ``SEEN_LIMIT`` entities seen
last are kept for rule 2 (the older ones were written long since, so rule 1 finds them),
and rule 3 keeps just ids, reading an entity no longer kept from the store.

Every lookup is indexed, so resolving costs the same late in a big load as early on:
``pipe(extractions)`` asks the store once for all the names of a group of extractions
(``GraphStore.find_by_names``), and each organisation name seen is filed under the
shorter names it could stand for (what follows a prefix made only of places), so rule 3
is one dictionary lookup, not a scan over every name seen.

Places carry adcodes: two place nodes merge only when their adcodes agree (or one has
none and the names are equal). Relations' endpoints and mention keys are rewritten to the
surviving ids. The result is a new Extraction; the input is not changed.
"""

from __future__ import annotations

import copy
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from shegong.graph.base import GraphStore
from shegong.loaders.extract.lexicon import Lexicon, lexicon
from shegong.schema import Extraction, Label, Mention, Node, Relation, name_key

__all__ = ["SEEN_LIMIT", "Resolver"]

#: Entities of this load kept in memory for rule 2 when there is a store to fall back on.
#: A load has at most a few thousand entities resolved but not yet written (three groups
#: of about 256 articles), so the older ones are in the store when they are forgotten.
SEEN_LIMIT = 50_000


class Resolver:
    """Callable ``(extraction) -> extraction`` linking entities to existing ones."""

    def __init__(self, store: GraphStore | None = None) -> None:
        self.store = store
        # id -> node as last seen (aliases unioned), least recently seen first
        self._seen: OrderedDict[str, Node] = OrderedDict()
        self._index: dict[tuple[Label, str], set[str]] = defaultdict(set)
        # shorter organisation name key -> ids of organisations named place(s) + that key
        self._by_suffix: dict[str, set[str]] = defaultdict(set)
        # store hits of the group being resolved (``pipe``), by name as asked
        self._stored: dict[str, list[Node]] | None = None

    # ---------------------------------------------------------------- lookups
    def _store_hits(self, name: str) -> list[Node]:
        assert self.store is not None
        if self._stored is not None and name in self._stored:
            return self._stored[name]
        return self.store.find_by_names([name]).get(name, [])

    def _from_store(self, node: Node) -> Node | None:
        if self.store is None:
            return None
        for name in (node.name, *node.aliases):
            found = [n for n in self._store_hits(name) if _compatible(node, n)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return None
        return None

    def _from_seen(self, node: Node) -> Node | None:
        for name in (node.name, *node.aliases):
            ids = sorted(self._index.get((node.label, name_key(name)), ()))
            found = [self._seen[i] for i in ids if _compatible(node, self._seen[i])]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return None
        if node.label == Label.ORGANISATION:
            return self._longer_name(node)
        return None

    def _longer_name(self, node: Node) -> Node | None:
        key = name_key(node.name)
        if len(key) < MIN_SHORT_NAME:
            return None
        matches = self._by_suffix.get(key, ())
        if len(matches) != 1:
            return None
        [found] = matches
        kept = self._seen.get(found)
        if kept is None and self.store is not None:  # forgotten: written long since
            kept = self.store.get(found)
        return kept

    def _remember(self, node: Node) -> None:
        kept = self._seen.get(node.id)
        if kept is not None:
            kept.aliases = tuple(dict.fromkeys((*kept.aliases, *node.aliases)))
            self._seen.move_to_end(node.id)
        else:
            self._seen[node.id] = copy.copy(node)
            if self.store is not None and len(self._seen) > SEEN_LIMIT:
                self._forget_oldest()
        for name in (node.name, *node.aliases):
            key = name_key(name)
            ids = self._index[(node.label, key)]
            if node.id in ids:
                continue
            ids.add(node.id)
            if node.label == Label.ORGANISATION:
                for short in shorter_names(key):
                    self._by_suffix[short].add(node.id)

    def _forget_oldest(self) -> None:
        old_id, old = self._seen.popitem(last=False)
        for name in (old.name, *old.aliases):
            key = (old.label, name_key(name))
            ids = self._index.get(key)
            if ids is not None:
                ids.discard(old_id)
                if not ids:
                    del self._index[key]

    # ---------------------------------------------------------------- main
    def pipe(self, extractions: Sequence[Extraction]) -> list[Extraction]:
        """Resolve extractions in order, asking the store once for all their names."""
        if self.store is None or not extractions:
            return [self(e) for e in extractions]
        names = sorted(
            {n for e in extractions for ent in e.entities for n in (ent.name, *ent.aliases)}
        )
        self._stored = self.store.find_by_names(names)
        try:
            return [self(e) for e in extractions]
        finally:
            self._stored = None

    def __call__(self, extraction: Extraction) -> Extraction:
        rename: dict[str, str] = {}
        entities: dict[str, Node] = {}
        for node in extraction.entities:
            target = self._from_store(node) or self._from_seen(node)
            if target is not None and target.id != node.id:
                merged = copy.copy(node)
                merged.id = target.id
                merged.name = target.name
                merged.aliases = tuple(
                    dict.fromkeys(a for a in (node.name, *node.aliases) if a != target.name)
                )
                merged.kind = target.kind or node.kind
                merged.properties = {**node.properties, **target.properties}
                rename[node.id] = target.id
                node = merged
            if node.id in entities:
                kept = entities[node.id]
                kept.aliases = tuple(dict.fromkeys((*kept.aliases, *node.aliases)))
            else:
                entities[node.id] = node
            self._remember(node)
        relations: dict[str, Relation] = {}
        for rel in extraction.relations:
            src = rename.get(rel.source_id, rel.source_id)
            tgt = rename.get(rel.target_id, rel.target_id)
            if src == tgt:
                continue
            new = Relation(
                rel.type,
                src,
                tgt,
                dict(rel.properties),
                list(rel.evidence),
                rel.curated,
                rel.retracted,
                rel.editor,
                rel.note,
                rel.created_at,
                rel.retracted_reason,
            )
            if new.id in relations:
                relations[new.id].evidence.extend(new.evidence)
            else:
                relations[new.id] = new
        mentions: dict[str, list[Mention]] = {}
        for key, found in extraction.mentions.items():
            mentions.setdefault(rename.get(key, key), []).extend(found)
        for found in mentions.values():
            found.sort(key=lambda m: (m.in_title, m.start, m.end))  # body first
        return Extraction(
            article=extraction.article,
            entities=list(entities.values()),
            mentions=mentions,
            relations=list(relations.values()),
        )


def _compatible(a: Node, b: Node) -> bool:
    """Places merge only when their adcodes do not disagree."""
    if a.label != b.label:
        return False
    if a.label == Label.PLACE:
        ca, cb = a.properties.get("adcode"), b.properties.get("adcode")
        if ca and cb and ca != cb:
            return False
        if bool(ca) != bool(cb) and name_key(a.name) != name_key(b.name):
            return False  # 朝阳区 with no adcode is not 长春市朝阳区: that would be a guess
    return True


#: The shortest organisation name (name key) rule 3 looks up under a longer one.
MIN_SHORT_NAME = 5


def shorter_names(key: str) -> list[str]:
    """The name keys that ``key`` (an organisation's) is the longer name of: each tail of
    at least MIN_SHORT_NAME characters after a prefix made only of places. A prefix ends
    where a place ends, so only the ends of the place names found in ``key`` are tried."""
    lex = lexicon()
    ends = sorted({h.end for h in lex.scan_name(key).get("place")})
    return [
        key[end:]
        for end in ends
        if end > 0 and len(key) - end >= MIN_SHORT_NAME and _place_prefix(key[:end])
    ]


@lru_cache(maxsize=65536)
def _place_prefix(prefix: str) -> bool:
    return _is_place_prefix(prefix, lexicon())


def _is_place_prefix(prefix: str, lex: Lexicon) -> bool:
    """Whether ``prefix`` is made only of place names (广州市, 长春市朝阳区)."""
    if not prefix:
        return False
    hits = lex.scan(prefix)
    pos = 0
    while pos < len(prefix):
        nxt = hits.starting("place", pos)
        if not nxt:
            return False
        pos = nxt[0].end
    return True
