"""Documents the server has parsed and validated, kept by query text.

Clients send the same few query texts again and again with other variables, so what
depends on the text alone is done once: parsing, graphql-core's validation rules, the
check of the strings written in the document, and finding its ``after`` arguments.
The cache is an LRU bounded in entries and in bytes (an estimate from the document's
token count: about 350 bytes per token were measured with tracemalloc, tokens,
locations and nodes included, so 400 are counted, plus the text itself); a document
larger than the whole byte budget is not kept. One cache belongs to one schema.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from graphql import ArgumentNode, DocumentNode, GraphQLError

from .body import BadRequest
from .cost import MeasureMemo

__all__ = ["BYTES_PER_TOKEN", "CheckedDocument", "DocumentCache"]

#: Bytes counted per token of a cached document (measured: about 350).
BYTES_PER_TOKEN = 400


@dataclass(frozen=True)
class CheckedDocument:
    """A parsed document and what is known of it whatever the variables.

    Attributes:
        document: graphql-core's AST.
        errors: graphql-core's validation errors (empty when valid).
        bad_string: a string written in the document no store can take, else None.
        cursors: the document's ``after`` arguments (checked per request: they may
            name variables).
        size: the bytes the cache counts for it.
        measures: its measures by operation and size variables (``cost.MeasureMemo``).
    """

    document: DocumentNode
    errors: tuple[GraphQLError, ...]
    bad_string: BadRequest | None
    cursors: tuple[ArgumentNode, ...]
    size: int
    measures: MeasureMemo = field(default_factory=MeasureMemo, compare=False)


def document_size(query: str, document: DocumentNode) -> int:
    """The bytes counted for ``document`` parsed from ``query`` (see module docstring)."""
    tokens = 0
    token = document.loc.start_token if document.loc else None
    while token is not None:
        tokens += 1
        token = token.next
    return tokens * BYTES_PER_TOKEN + sys.getsizeof(query)


class DocumentCache:
    """A thread-safe LRU of ``CheckedDocument`` by query text, bounded in entries and
    bytes (the event loop reads it, the validating threads fill it)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CheckedDocument] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, query: str) -> CheckedDocument | None:
        """The checked document of ``query``, if held (it becomes the most recent)."""
        with self._lock:
            found = self._entries.get(query)
            if found is not None:
                self._entries.move_to_end(query)
            return found

    def put(self, query: str, checked: CheckedDocument) -> None:
        """Keep ``checked``, dropping the least recently used beyond the bounds."""
        if checked.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(query, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[query] = checked
            self._bytes += checked.size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """The bytes counted for the documents held."""
        return self._bytes
