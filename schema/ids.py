"""Stable ids: the same label and canonical name always give the same id."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from .vocab import ID_PREFIX, Label, RelationType

__all__ = ["article_id", "entity_id", "name_key", "relation_id"]


_QUOTES = str.maketrans("", "", "\"'“”‘’《》「」")
#: Names up to this long are cached: the API's search text (up to 10,000 characters from
#: any client) reaches ``name_key`` too, and 65,536 of those would hold gigabytes.
CACHED_NAME_CHARS = 64


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).translate(_QUOTES).split())


# names recur across articles: 65,536 entries of at most 64 characters (a few MB)
_cached_name_key = lru_cache(maxsize=1 << 16)(_name_key)


def name_key(name: str) -> str:
    """The form a name is compared in: NFKC, no white space, no quotes or 《》."""
    return _cached_name_key(name) if len(name) <= CACHED_NAME_CHARS else _name_key(name)


def _digest(*parts: str, length: int = 16) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def entity_id(label: Label | str, name: str) -> str:
    """Id of an entity from its label and canonical name, e.g. ``org-3f2a…``."""
    label = Label(label)
    return f"{ID_PREFIX[label]}-{_digest(label.value, name_key(name))}"


def article_id(clean_text: str) -> str:
    """Id of an article from its clean text, so identical articles collapse."""
    return f"art-{_digest(clean_text)}"


def relation_id(rtype: RelationType | str, source_id: str, target_id: str) -> str:
    """Id of a relation: one edge per (type, source, target), whatever the evidence."""
    return f"rel-{_digest(RelationType(rtype).value, source_id, target_id)}"
