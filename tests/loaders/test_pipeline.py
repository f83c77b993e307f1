"""load_paths / extract_paths on the sample corpus, with bad files and failing stages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from shegong.graph import GraphStore
from shegong.loaders.pipeline import extract_paths, file_batch, load_paths
from shegong.schema import Article, Extraction, GraphBatch, Label, Node, RelationType

from tests.loaders.rule_extractor import BadRelationExtractor, FailingExtractor, SuffixExtractor

FILE_003 = "003_7eafb0b8637f852a.txt"


def contents(store: GraphStore) -> tuple[object, ...]:
    return store.nodes(), list(store.iter_relations(include_retracted=True)), store.stats()


def test_pipeline_loads_sample_corpus(embedded_store: GraphStore, articles_dir: Path) -> None:
    report = load_paths(embedded_store, [articles_dir], extractor=SuffixExtractor(), workers=1)
    assert report.ok and report.files == 5 and report.articles == 21 and report.articles_added == 21
    assert report.entities_added > 10 and report.relations_added > 0
    assert embedded_store.count_nodes(Label.ARTICLE) == 21
    assert embedded_store.count_nodes(Label.ORGANISATION) == report.entities_added
    stats = embedded_store.stats()
    partnered = stats.relations_by_type[RelationType.PARTNERED_WITH.value]
    assert (
        report.relations_added == partnered + stats.relations_by_type[RelationType.MENTIONS.value]
    )
    found = embedded_store.find_by_name("中国社会工作联合会", Label.ORGANISATION)
    assert len(found) == 1
    mentions = embedded_store.relations(types=[RelationType.MENTIONS], target_id=found[0].id)
    assert len(mentions) >= 3  # named in several articles: one MENTIONS edge per article


def test_pipeline_second_load_changes_nothing(
    embedded_store: GraphStore, articles_dir: Path
) -> None:
    load_paths(embedded_store, [articles_dir], extractor=SuffixExtractor(), workers=1)
    before = contents(embedded_store)
    again = load_paths(embedded_store, [articles_dir], extractor=SuffixExtractor(), workers=1)
    assert again.ok and again.articles == 21
    assert (again.articles_added, again.entities_added, again.entities_updated) == (0, 0, 0)
    assert (again.relations_added, again.relations_updated) == (0, 0)
    assert contents(embedded_store) == before


def _many_articles(path: Path, count: int) -> Path:
    lines = []
    for i in range(count):
        text = f"第{i}届会议上，许昌市社会工作协会与郑州市社会工作协会签约。社区服务中心{i}号参加。"
        lines.append(
            json.dumps(
                {
                    "title": f"签约仪式{i}",
                    "text": text,
                    "source": "测试",
                    "date": f"2023-01-{i % 28 + 1:02d}",
                },
                ensure_ascii=False,
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_pipeline_workers_give_the_same_store(tmp_path: Path, articles_dir: Path) -> None:
    from tests.stores import open_embedded

    big = _many_articles(tmp_path / "many.jsonl", 70)
    serial, parallel = open_embedded(tmp_path, "serial.db"), open_embedded(tmp_path, "parallel.db")
    try:
        one = load_paths(serial, [articles_dir, big], extractor=SuffixExtractor(), workers=1)
        two = load_paths(parallel, [articles_dir, big], extractor=SuffixExtractor(), workers=2)
        assert one.articles == two.articles == 91
        assert (one.entities_added, one.relations_added) == (
            two.entities_added,
            two.relations_added,
        )
        assert contents(serial) == contents(parallel)
    finally:
        serial.close()
        parallel.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_bad_files_among_good(
    embedded_store: GraphStore, articles_dir: Path, tmp_path: Path, workers: int
) -> None:
    # something stored before must survive
    kept = Node(Label.ORGANISATION, "民政部", kind="government")
    embedded_store.upsert(GraphBatch(nodes=[kept]))
    inputs = tmp_path / "in"
    shutil.copytree(articles_dir, inputs)
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "broken.jsonl").write_text(
        '{"title": "好", "text": "好的"}\nnot json\n', encoding="utf-8"
    )
    report = load_paths(
        embedded_store,
        [inputs, tmp_path / "missing.txt"],
        extractor=SuffixExtractor(),
        workers=workers,
    )
    rejected = dict(report.files_rejected)
    assert sorted(Path(p).name for p in rejected) == ["binary.txt", "broken.jsonl", "empty.txt"]
    assert report.files_missing == [str(tmp_path / "missing.txt")]  # not read, not rejected
    assert all(Path(p).name in reason for p, reason in rejected.items())
    assert ":2" in rejected[str(inputs / "broken.jsonl")]  # the bad line is named
    assert report.articles == 21 and not report.ok
    assert embedded_store.count_nodes(Label.ARTICLE) == 21
    assert embedded_store.get(kept.id) is not None


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_extractor_failure_rejects_only_that_file(
    embedded_store: GraphStore, articles_dir: Path, workers: int
) -> None:
    marker = "青海省社会工作协会"  # only in file 003
    report = load_paths(
        embedded_store, [articles_dir], extractor=FailingExtractor(marker), workers=workers
    )
    assert [(Path(p).name, "extraction failed" in why) for p, why in report.files_rejected] == [
        (FILE_003, True)
    ]
    assert report.articles == 20
    assert embedded_store.count_nodes(Label.ARTICLE) == 20
    assert embedded_store.find_by_name(marker) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_schema_error_rejects_the_whole_file(
    embedded_store: GraphStore, articles_dir: Path, workers: int
) -> None:
    report = load_paths(
        embedded_store,
        [articles_dir],
        extractor=BadRelationExtractor("青海省社会工作协会"),
        workers=workers,
    )
    assert [Path(p).name for p, _ in report.files_rejected] == [FILE_003]
    assert "HELD_IN cannot connect Organisation -> Organisation" in report.files_rejected[0][1]
    assert (
        embedded_store.count_nodes(Label.ARTICLE) == 20
    )  # nothing of file 003, not even its article
    assert embedded_store.find_by_name("青海省社会工作协会") == []


def test_pipeline_resolver_runs_before_upsert(
    embedded_store: GraphStore, articles_dir: Path
) -> None:
    seen: list[str] = []

    def resolver(extraction: Extraction, store: GraphStore) -> Extraction:
        seen.append(extraction.article.id)
        assert store is embedded_store
        for entity in extraction.entities:
            if entity.name == "中国社会工作联合会":
                entity.aliases = (*entity.aliases, "中国社工联")
        return extraction

    load_paths(
        embedded_store, [articles_dir], extractor=SuffixExtractor(), resolver=resolver, workers=1
    )
    assert len(seen) == 21
    assert [n.name for n in embedded_store.find_by_name("中国社工联")] == ["中国社会工作联合会"]


def test_extract_paths_writes_nothing_and_reports_bad_files(
    articles_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff" * 50)
    results = list(extract_paths([articles_dir, bad], extractor=SuffixExtractor()))
    assert [len(x) for _, x in results] == [3, 3, 12, 1, 2, 0]
    assert results[-1][0].error is not None and "bad.txt" in str(results[-1][0].error)
    assert not list(tmp_path.glob("*.db"))


def test_file_batch_folds_entities_across_articles() -> None:
    a = Article("甲", "许昌市民政局", "f.txt", date="2021-01-01")
    b = Article("乙", "许昌市民政局", "f.txt", date="2023-06-01")
    ex = SuffixExtractor()
    batch = file_batch([ex(a), ex(b)])
    orgs = [n for n in batch.nodes if n.label == Label.ORGANISATION]
    assert len(orgs) == 1 and (orgs[0].first_seen, orgs[0].last_seen) == (
        "2021-01-01",
        "2023-06-01",
    )
    assert len([n for n in batch.nodes if n.label == Label.ARTICLE]) == 2
    assert len(batch.relations) == 2  # one MENTIONS per article


@pytest.mark.parametrize("workers", [None, 1])
def test_pipeline_default_extractor_stores_articles(
    embedded_store: GraphStore, articles_dir: Path, workers: int | None
) -> None:
    report = load_paths(embedded_store, [articles_dir], workers=workers)
    assert report.ok and report.articles == 21
    titles = {n.properties["title"] for n in embedded_store.nodes(Label.ARTICLE)}
    assert len(titles) == 21


def _alias_article(tmp_path: Path) -> Path:
    path = tmp_path / "alias.jsonl"
    record = {
        "title": "社联指导许昌社工站建设",
        "text": "3月1日,在中国社工联合会的指导下,许昌市社会工作行业协会举办乡镇社工站建设培训班。",
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("resolve", [True, False])
def test_pipeline_resolves_against_the_store_by_default(
    embedded_store: GraphStore, tmp_path: Path, resolve: bool
) -> None:
    federation = Node(Label.ORGANISATION, "中国社会工作联合会", aliases=("中国社工联合会",))
    embedded_store.upsert(GraphBatch(nodes=[federation]))
    report = load_paths(embedded_store, [_alias_article(tmp_path)], workers=1, resolve=resolve)
    assert not report.files_rejected
    guided = embedded_store.relations(types=[RelationType.GUIDED_BY])
    assert len(guided) == 1
    # With resolution the short form attaches to the stored entity; without, it makes a new one.
    assert (guided[0].target_id == federation.id) is resolve


class VersionedExtractor(SuffixExtractor):
    """SuffixExtractor that says which version of its rules it is."""

    def __init__(self, version: str) -> None:
        self.version = version


def test_pipeline_skips_unchanged_files_until_the_version_changes(
    embedded_store: GraphStore, tmp_path: Path, articles_dir: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(articles_dir, corpus)
    first = load_paths(embedded_store, [corpus], extractor=VersionedExtractor("1"), workers=1)
    assert (first.files, first.files_skipped) == (5, 0)
    before = contents(embedded_store)
    again = load_paths(embedded_store, [corpus], extractor=VersionedExtractor("1"), workers=1)
    assert (again.files, again.files_skipped, again.articles) == (0, 5, 0) and again.ok
    # one file changed: only it is read again
    changed = corpus / FILE_003
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = load_paths(embedded_store, [corpus], extractor=VersionedExtractor("1"), workers=1)
    assert (edited.files, edited.files_skipped) == (1, 4)
    forced = load_paths(
        embedded_store, [corpus], extractor=VersionedExtractor("1"), workers=1, force=True
    )
    assert (forced.files, forced.files_skipped) == (5, 0)
    # a new extractor version re-extracts everything by itself
    newer = load_paths(embedded_store, [corpus], extractor=VersionedExtractor("2"), workers=2)
    assert (newer.files, newer.files_skipped, newer.articles) == (5, 0, 21)
    assert contents(embedded_store) == before
    # an extractor without a version is never trusted to skip
    plain = load_paths(embedded_store, [corpus], extractor=SuffixExtractor(), workers=1)
    assert (plain.files, plain.files_skipped) == (5, 0)


def test_pipeline_rejected_file_is_not_recorded(embedded_store: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\xfe\xff" * 100)
    for _ in range(2):
        report = load_paths(embedded_store, [bad], extractor=VersionedExtractor("1"), workers=1)
        assert report.files == 1 and len(report.files_rejected) == 1 and not report.files_skipped


def test_pipeline_missing_paths_are_not_read(embedded_store: GraphStore, tmp_path: Path) -> None:
    report = load_paths(
        embedded_store, [tmp_path / "nope.txt"], extractor=VersionedExtractor("1"), workers=1
    )
    assert report.files == 0 and report.files_missing == [str(tmp_path / "nope.txt")]
    assert not report.ok and not report.files_rejected
