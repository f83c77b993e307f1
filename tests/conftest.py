"""Shared fixtures: stores of every kind, the sample corpus, the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from shegong.graph import GraphStore

from tests.stores import open_embedded, store_params

pytest_plugins = ["tests.support.bolt_fixtures"]

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "data" / "articles"


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = open_embedded(tmp_path)
    yield store
    store.close()


@pytest.fixture(params=store_params())
def store(request: pytest.FixtureRequest) -> GraphStore:
    """A fresh, empty store of each kind in tests/stores.py STORE_KINDS."""
    return request.getfixturevalue(f"{request.param}_store")  # type: ignore[no-any-return]


@pytest.fixture
def articles_dir() -> Path:
    """The bundled sample corpus (five files)."""
    return ARTICLES
