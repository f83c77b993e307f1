"""Near-duplicate articles: reprints made from the sample corpus are folded into the
article stored first, on both stores, with every outlet kept; the threshold is checked on
variants of every sample article.

The variants are made here from data/articles (a new lead naming another outlet, a
trimmed paragraph, a changed headline), never copied from elsewhere.
"""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import networkx as nx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore
from shegong.graph.export import export_graphml, export_node_link
from shegong.loaders.ingest import ingest_paths
from shegong.loaders.neardup import (
    MIN_CHARS,
    SIGNATURE_PROPERTY,
    THRESHOLD,
    VERIFY_MARGIN,
    NearDuplicates,
    exact_similarity,
    signature,
)
from shegong.loaders.pipeline import load_paths
from shegong.schema import Article, Extraction, Label, RelationType

from tests.gql.server import running_server

REPRINT_OUTLET = "羊城晚报"
LEAD = f"{REPRINT_OUTLET}广州12月6日电 "


def sample_articles(articles_dir: Path) -> list[Article]:
    return [a for result in ingest_paths([articles_dir]) for a in result.articles]


def long_articles(articles_dir: Path) -> list[Article]:
    return [a for a in sample_articles(articles_dir) if len(a.text) >= 2 * MIN_CHARS]


def trimmed(text: str, at_most: float = 0.25) -> str | None:
    """``text`` without its longest paragraph of at most ``at_most`` of the text."""
    paragraphs = text.split("\n")
    fits = [i for i, p in enumerate(paragraphs) if p.strip() and len(p) <= at_most * len(text)]
    if len(paragraphs) < 4 or not fits:
        return None
    drop = max(fits, key=lambda i: len(paragraphs[i]))
    return "\n".join(paragraphs[:drop] + paragraphs[drop + 1 :])


def similarity(a: str, b: str) -> float:
    return exact_similarity(a, b)


def estimate(a: str, b: str) -> float:
    return float(signature(a).jaccard(signature(b)))


# -- the threshold, on variants of every sample article ------------------------------
def test_neardup_threshold_separates_variants_from_other_articles(articles_dir: Path) -> None:
    articles = long_articles(articles_dir)
    assert len(articles) >= 15
    leads = [similarity(a.text, LEAD + a.text) for a in articles]
    trims = [similarity(a.text, t) for a in articles if (t := trimmed(a.text))]
    both = [similarity(a.text, LEAD + t) for a in articles if (t := trimmed(a.text))]
    halves = [similarity(a.text, a.text[: len(a.text) // 2]) for a in articles]
    others = [similarity(a.text, b.text) for a, b in itertools.combinations(articles, 2)]
    assert len(trims) >= 8
    assert min(leads) >= THRESHOLD + 0.25, leads
    assert min(trims) >= THRESHOLD + 0.05, trims
    assert min(both) >= THRESHOLD + 0.05, both
    assert max(halves) <= THRESHOLD - 0.05, halves  # half an article is not folded
    assert max(others) <= THRESHOLD / 10, max(others)
    # the estimate that picks candidates is within the verification margin of the truth
    pairs = [(a.text, LEAD + t) for a in articles if (t := trimmed(a.text))]
    assert all(abs(estimate(x, y) - similarity(x, y)) < VERIFY_MARGIN for x, y in pairs)


def test_neardup_candidate_near_the_threshold_is_decided_by_its_text(
    articles_dir: Path,
) -> None:
    original = long_articles(articles_dir)[0]
    sketch = signature(original.text)
    encoded = base64.b64encode(sketch.__getstate__()).decode()
    reprint = Extraction(Article(original.title, LEAD + original.text, "b.txt"))
    # the stored signature says "close"; the stored text it stands for says otherwise
    texts = {"art-x": long_articles(articles_dir)[1].text}
    near = NearDuplicates(iter([("art-x", encoded, "")]), text_of=texts.get)
    assert not near.plan([reprint]).reprints
    texts["art-x"] = original.text
    near = NearDuplicates(iter([("art-x", encoded, "")]), text_of=texts.get)
    (found,) = near.plan([reprint]).reprints
    assert found.original_id == "art-x" and found.similarity == similarity(
        original.text, LEAD + original.text
    )


def test_neardup_plan_folds_variants_in_one_file(articles_dir: Path) -> None:
    articles = long_articles(articles_dir)
    near = NearDuplicates(iter(()))
    variants = [Article(a.title + "(转载)", LEAD + a.text, "b.txt") for a in articles]
    plan = near.plan([Extraction(a) for a in [*articles, *variants]])
    assert [e.article.id for e in plan.kept] == [a.id for a in articles]
    assert [r.original_id for r in plan.reprints] == [a.id for a in articles]
    assert all(r.similarity >= THRESHOLD for r in plan.reprints)


def test_neardup_short_bodies_and_bad_settings() -> None:
    short = "许昌市社会工作行业协会召开会员大会。"
    assert len(short) < MIN_CHARS
    near = NearDuplicates(iter(()))
    plan = near.plan(
        [Extraction(Article("通知", short, "a")), Extraction(Article("通知二", short + "!", "a"))]
    )
    assert len(plan.kept) == 2 and not plan.reprints  # exact duplicates fold by id instead
    for bad in (0.0, -0.5, 1.5):
        with pytest.raises(ValueError, match="threshold must be in"):
            NearDuplicates(iter(()), threshold=bad)


def test_neardup_damaged_stored_signature_is_signed_again(articles_dir: Path) -> None:
    original = long_articles(articles_dir)[0]
    near = NearDuplicates(iter([("art-x", "not base64 at all!", original.text)]))
    plan = near.plan([Extraction(Article(original.title, LEAD + original.text, "b.txt"))])
    assert [r.original_id for r in plan.reprints] == ["art-x"]


# -- through the pipeline, on both stores --------------------------------------------
@dataclass
class Corpus:
    original: Article
    other: Article
    first: Path  # the original and another article
    reprint_file: Path  # the reprint alone
    reprint_title: str


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def record(article: Article, url: str, **changes: str) -> dict[str, str]:
    base = {
        "title": article.title,
        "text": article.text,
        "source": article.source or "",
        "date": "2022-12-05",
        "url": url,
    }
    return {**base, **changes}


@pytest.fixture
def corpus(articles_dir: Path, tmp_path: Path) -> Corpus:
    articles = [a for a in long_articles(articles_dir) if a.source and trimmed(a.text)]
    original, other = articles[0], articles[1]
    title = original.title + "(组图)"
    reprint = record(
        original,
        "https://example.org/reprint.html",
        title=title,
        text=LEAD + (trimmed(original.text) or ""),
        source=REPRINT_OUTLET,
        date="2022-12-06",
    )
    first = write_jsonl(
        tmp_path / "first.jsonl",
        [
            record(original, "https://example.org/a.html"),
            record(other, "https://example.org/o.html"),
        ],
    )
    return Corpus(original, other, first, write_jsonl(tmp_path / "reprint.jsonl", [reprint]), title)


def stored_article(store: GraphStore, title: str) -> dict[str, object]:
    (node,) = [n for n in store.nodes(Label.ARTICLE) if n.name == title]
    return {"id": node.id, "aliases": node.aliases, **node.properties}


def evidence_counts(store: GraphStore) -> dict[str, int]:
    return {
        rel.id: len(rel.evidence)
        for rel in store.iter_relations()
        if rel.type is not RelationType.REPORTED_BY
    }


def test_neardup_reprint_folded_with_its_outlet(store: GraphStore, corpus: Corpus) -> None:
    first = load_paths(store, [corpus.first], workers=1)
    assert first.ok and first.articles_added == 2 and first.near_duplicates == 0
    before = evidence_counts(store)
    kept = stored_article(store, corpus.original.title)
    assert isinstance(kept[SIGNATURE_PROPERTY], str)

    second = load_paths(store, [corpus.reprint_file], workers=1)
    assert second.ok and second.near_duplicates == 1 and second.articles_added == 0
    assert store.count_nodes(Label.ARTICLE) == 2
    kept = stored_article(store, corpus.original.title)
    assert kept["sources"] == sorted([corpus.original.source, REPRINT_OUTLET])
    assert kept["urls"] == ["https://example.org/a.html", "https://example.org/reprint.html"]
    assert kept["files"] == sorted([corpus.first.name, corpus.reprint_file.name])
    assert kept["source"] == corpus.original.source  # the first outlet stays the source
    assert corpus.reprint_title in kept["aliases"]  # type: ignore[operator]
    # the reprint adds no evidence to any fact: only the kept article's REPORTED_BY edges
    assert evidence_counts(store) == before
    reported = [  # iter_relations: the one read that carries every piece of evidence
        r
        for r in store.iter_relations()
        if r.type is RelationType.REPORTED_BY and r.source_id == kept["id"]
    ]
    outlets = {store.get(r.target_id).name: r for r in reported}  # type: ignore[union-attr]
    assert REPRINT_OUTLET in outlets and corpus.original.source in outlets
    assert outlets[REPRINT_OUTLET].evidence[0].rule == "source:reprint"
    article_ids = {n.id for n in store.nodes(Label.ARTICLE)}
    assert {ev.article_id for r in store.iter_relations() for ev in r.evidence} <= article_ids

    # loading it again, even forced, changes nothing
    nodes = store.nodes()
    forced = load_paths(store, [corpus.reprint_file], workers=1, force=True)
    assert forced.near_duplicates == 1 and forced.entities_added == 0
    assert forced.relations_added == forced.relations_updated == 0
    assert store.nodes() == nodes


def test_neardup_found_in_a_store_without_signatures(
    embedded_store: GraphStore, corpus: Corpus
) -> None:
    load_paths(embedded_store, [corpus.first], workers=1, near_duplicates=False)
    assert SIGNATURE_PROPERTY not in stored_article(embedded_store, corpus.original.title)
    report = load_paths(embedded_store, [corpus.reprint_file], workers=1)
    assert report.near_duplicates == 1 and embedded_store.count_nodes(Label.ARTICLE) == 2


def test_neardup_off_stores_the_reprint(embedded_store: GraphStore, corpus: Corpus) -> None:
    load_paths(
        embedded_store, [corpus.first, corpus.reprint_file], workers=1, near_duplicates=False
    )
    assert embedded_store.count_nodes(Label.ARTICLE) == 3


def test_neardup_reprint_in_the_same_file_and_rewritten_article_kept(
    embedded_store: GraphStore, corpus: Corpus, tmp_path: Path
) -> None:
    lines = corpus.first.read_text("utf-8") + corpus.reprint_file.read_text("utf-8")
    text = corpus.original.text
    rewritten = record(
        corpus.original,
        "https://example.org/new.html",
        title="另写的一篇",
        text=text[: len(text) // 2] + "\n" + corpus.other.text,  # half of it, then another
    )
    both = tmp_path / "both.jsonl"
    both.write_text(lines + json.dumps(rewritten, ensure_ascii=False) + "\n", "utf-8")
    report = load_paths(embedded_store, [both], workers=1)
    assert report.ok and report.near_duplicates == 1 and report.articles_added == 3
    kept = stored_article(embedded_store, corpus.original.title)
    assert kept["files"] == [both.name]
    assert kept["sources"] == sorted([corpus.original.source, REPRINT_OUTLET])


def test_neardup_outlets_in_exports_and_api(
    embedded_store: GraphStore, corpus: Corpus, tmp_path: Path
) -> None:
    load_paths(embedded_store, [corpus.first, corpus.reprint_file], workers=1)
    kept = stored_article(embedded_store, corpus.original.title)
    outlets = sorted([str(corpus.original.source), REPRINT_OUTLET])

    export_node_link(embedded_store, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text("utf-8"))
    (node,) = [n for n in data["nodes"] if n["id"] == kept["id"]]
    assert node["sources"] == outlets and len(node["urls"]) == 2
    assert SIGNATURE_PROPERTY not in node and "text" not in node
    export_graphml(embedded_store, tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert graph.nodes[kept["id"]]["sources"] == " | ".join(outlets)

    query = """query ($src: String!) {
      articles(filter: {source: $src}) { edges { node { id title source sources urls files } } }
    }"""
    with running_server(create_app(embedded_store, ApiSettings())) as url:
        body = httpx.post(
            f"{url}/graphql", json={"query": query, "variables": {"src": REPRINT_OUTLET}}
        ).json()
    assert "errors" not in body, body
    (edge,) = body["data"]["articles"]["edges"]
    assert edge["node"]["id"] == kept["id"] and edge["node"]["sources"] == outlets
    assert edge["node"]["source"] == corpus.original.source
    assert len(edge["node"]["urls"]) == 2 and len(edge["node"]["files"]) == 2


def test_neardup_cli_summary_names_the_reprint(corpus: Corpus, tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "kg.db"

    def load(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "shegong.loaders.cli", "load", str(path), "--store", str(store)]
            + ["--workers", "1"],
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert load(corpus.first).returncode == 0
    done = load(corpus.reprint_file)
    assert done.returncode == 0, done.stderr
    assert (
        "articles:  0 new, 0 already stored, 1 reprint folded into the article stored first\n"
        in done.stdout
    )


def test_neardup_outlet_lists_are_unioned_where_other_properties_keep_the_stored() -> None:
    from shegong.graph.merge_rules import merge_properties
    from shegong.schema import Node, unique_nodes

    stored = {"sources": ["新华社"], "source": "新华社", "urls": ["u1"]}
    new = {"sources": ["羊城晚报", "新华社"], "source": "羊城晚报", "files": ["b.txt"]}
    assert merge_properties(stored, new) == {
        "files": ["b.txt"],
        "source": "新华社",
        "sources": ["新华社", "羊城晚报"],
        "urls": ["u1"],
    }
    a = Node(Label.ARTICLE, "标题", properties={"sources": ["b"]}, id="art-1")
    b = Node(Label.ARTICLE, "另一标题", properties={"sources": ["a"], "urls": ["x"]}, id="art-1")
    (folded,) = unique_nodes([a, b])
    assert folded.properties == {"sources": ["a", "b"], "urls": ["x"]}
    assert folded.aliases == ("另一标题",)
