"""Bad input: no crash, no junk entities, bounded time; provenance on every relation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from shegong.loaders.data import read_lines
from shegong.loaders.extract import Extractor
from shegong.loaders.ingest import ingest_file
from shegong.schema import RELATION_SPECS, Article, Label, validate_node

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
GENERIC = set(read_lines("org_generic.txt")) | {"社会组织", "各级民政部门", "民政部门"}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def corpus_extractions(extractor: Extractor) -> list:
    articles = [a for path in sorted(ARTICLES.glob("*.txt")) for a in ingest_file(path)]
    assert len(articles) >= 20
    return [extractor(a) for a in articles]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "。。。,,,!!!",
        "<div><p>&nbsp;</p><script>var x = 1;</script></div>",
        "Social work news 2024-05-01: nothing here in Chinese at all.",
        "★☆◆■□▲△●○◎※→←↑↓",
        "の社会工作とは — 한국 사회복지 — социальная работа",
    ],
    ids=["empty", "blank", "punctuation", "markup", "english", "symbols", "mixed-scripts"],
)
def test_extract_bad_input_finds_nothing(extractor: Extractor, text: str) -> None:
    extraction = extractor(Article(title="", text=text, file="bad.txt"))
    assert extraction.entities == []
    assert [r for r in extraction.relations if r.type.value != "REPORTED_BY"] == []


def test_extract_bad_input_very_long_sentence(extractor: Extractor) -> None:
    text = (
        "社会工作服务站建设持续推进" * 1600 + "海南省社会工作联合会秘书长王海燕表示" + "推进" * 1000
    )
    assert len(text) > 20_000
    started = time.perf_counter()
    extraction = extractor(Article(title="", text=text, file="long.txt"))
    assert time.perf_counter() - started < 5
    names = {n.name for n in extraction.entities}
    assert {"海南省社会工作联合会", "王海燕"} <= names
    assert all(len(n) <= 40 for n in names)


def test_extract_no_junk_entities_in_corpus(corpus_extractions: list) -> None:
    for extraction in corpus_extractions:
        for node in extraction.entities:
            validate_node(node)
            assert len(node.name) >= 2, node.name
            assert any("\u4e00" <= ch <= "\u9fff" for ch in node.name), node.name
            assert "\n" not in node.name and "<" not in node.name
            assert node.name not in GENERIC, node.name
            if node.label == Label.PERSON:
                assert 2 <= len(node.name) <= 4, node.name


def test_extract_no_duplicate_ids_in_an_extraction(corpus_extractions: list) -> None:
    for extraction in corpus_extractions:
        ids = [n.id for n in extraction.entities]
        assert len(ids) == len(set(ids))


def test_extract_provenance_on_every_relation(corpus_extractions: list) -> None:
    seen = 0
    for extraction in corpus_extractions:
        ids = {n.id: n for n in extraction.entities} | {extraction.article.id: None}
        for rel in extraction.relations:
            seen += 1
            assert rel.source_id in ids and rel.target_id in ids
            assert rel.evidence, rel
            for ev in rel.evidence:
                assert ev.article_id == extraction.article.id
                assert ev.sentence and ev.rule
                assert 0 <= ev.start <= ev.end <= len(extraction.article.text)
                assert 0 < ev.confidence <= 1
            spec = RELATION_SPECS[rel.type]
            src, tgt = ids[rel.source_id], ids[rel.target_id]
            if src is not None:
                assert src.label in spec.sources
            if tgt is not None:
                assert tgt.label in spec.targets
    assert seen > 20


def test_extract_outlet_is_an_organisation(extractor: Extractor) -> None:
    article = Article(
        title="t", text="海南省社会工作联合会开展活动。", file="x", source="“长春朝阳”微信公众号"
    )
    extraction = extractor(article)
    outlet = [n for n in extraction.entities if n.name == "长春朝阳微信公众号"]
    assert outlet and outlet[0].kind == "media"
    reported = [r for r in extraction.relations if r.type.value == "REPORTED_BY"]
    assert [r.target_id for r in reported] == [outlet[0].id]


def test_extractor_pickles_for_worker_processes(extractor: Extractor) -> None:
    import pickle

    clone = pickle.loads(pickle.dumps(extractor))
    article = Article(title="", text="河南省民政厅印发通知。", file="x")
    assert [n.name for n in clone(article).entities] == [
        n.name for n in extractor(article).entities
    ]


def test_extract_long_article_stays_linear(extractor: Extractor) -> None:
    articles = [a for path in sorted(ARTICLES.glob("*.txt")) for a in ingest_file(path)]
    text = "\n\n".join(a.text for a in articles)
    small = Article(title="s", text=text, file="x")
    big = Article(title="b", text="\n\n".join([text] * 8), file="x")
    started = time.process_time()
    extractor(small)
    one = time.process_time() - started
    started = time.process_time()
    extraction = extractor(big)
    eight = time.process_time() - started
    assert eight < 8 * one * 3 + 0.5, (one, eight)  # linear, with slack for noise
    assert len({n.id for n in extraction.entities}) == len(extraction.entities)
