"""The store kinds the contract suite runs against.

Adding a kind is one entry in STORE_KINDS plus a fixture named ``<kind>_store`` (in
tests/conftest.py or a plugin it loads) that yields a fresh, empty store and closes it.
KIND_MARKS gives the pytest marks a kind's tests carry (e.g. ``bolt``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shegong.graph import GraphStore, open_store

__all__ = ["KIND_MARKS", "STORE_KINDS", "open_embedded", "store_params"]

STORE_KINDS: list[str] = ["embedded", "bolt"]

# The bolt kind runs on the Neo4j 5 started by tests/support (or the one at NEO4J_URI).
KIND_MARKS: dict[str, list[pytest.MarkDecorator]] = {"bolt": [pytest.mark.bolt]}


def store_params() -> list[object]:
    """STORE_KINDS as pytest params carrying their marks, ids = the kind."""
    return [pytest.param(kind, marks=KIND_MARKS.get(kind, []), id=kind) for kind in STORE_KINDS]


def open_embedded(directory: Path, name: str = "store.db") -> GraphStore:
    """A fresh embedded store in ``directory``, opened the way users open it."""
    return open_store(str(directory / name))
