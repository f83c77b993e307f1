"""Two loads of the same files on one store at once: right data, and reports that add
up (the store counts new articles inside its own transaction)."""

from __future__ import annotations

import threading
from pathlib import Path

from shegong.graph import GraphStore
from shegong.loaders.pipeline import LoadReport, load_paths
from shegong.schema import Label

from tests.loaders.rule_extractor import FailingExtractor, SuffixExtractor


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


def test_report_counts_every_article_once(embedded_store: GraphStore, tmp_path: Path) -> None:
    """new + already stored + repeated within the load + in rejected files = articles read."""
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    one = "标题一\n\n正文一，北京市社会工作协会举办活动。\n"
    two = "标题二\n\n正文二，上海市社会工作协会举办活动。\n"
    (tmp_path / "a.txt").write_text(one, encoding="utf-8")
    (tmp_path / "b.txt").write_text(one, encoding="utf-8")  # the same article again
    (tmp_path / "c.txt").write_text(two + "\n\n坏标题\n\nboom 在此。\n", encoding="utf-8")
    first = load_paths(embedded_store, [tmp_path / "a.txt"], extractor=SuffixExtractor(), workers=1)
    assert (first.articles_added, first.articles) == (1, 1)
    report = load_paths(
        embedded_store, [tmp_path], extractor=FailingExtractor("boom"), workers=1, force=True
    )
    assert report.articles_added == 0  # a.txt again: already stored
    assert report.articles - report.articles_added == 1
    assert report.duplicates == 1  # b.txt repeats a.txt within this load
    assert [p for p, _ in report.files_rejected] == [str(tmp_path / "c.txt")]
    assert report.articles_rejected >= 1
