"""Two loads of the same files on one store at once: right data, and reports that add
up (the store counts new articles inside its own transaction)."""

from __future__ import annotations

import threading
from pathlib import Path

from shegong.graph import GraphStore
from shegong.loaders.pipeline import LoadReport, load_paths
from shegong.schema import Label

from tests.loaders.rule_extractor import SuffixExtractor


def test_two_concurrent_loads_count_right(store: GraphStore, articles_dir: Path) -> None:
    reports: list[LoadReport] = []
    errors: list[BaseException] = []

    def load() -> None:
        try:
            reports.append(
                load_paths(
                    store, [articles_dir], extractor=SuffixExtractor(), workers=1, force=True
                )
            )
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    stored_articles = store.count_nodes(Label.ARTICLE)
    entities = store.count_nodes() - stored_articles
    assert stored_articles > 0
    # Every article is new in exactly one of the two loads, already stored in the other.
    assert sum(r.articles_added for r in reports) == stored_articles
    for r in reports:
        assert r.articles == stored_articles
        assert 0 <= r.articles_added <= r.articles
        assert r.entities_added >= 0 and r.files_rejected == []
    assert sum(r.entities_added for r in reports) == entities
    # A third load finds everything stored.
    again = load_paths(store, [articles_dir], extractor=SuffixExtractor(), workers=1, force=True)
    assert (again.articles_added, again.articles, again.entities_added) == (0, stored_articles, 0)
