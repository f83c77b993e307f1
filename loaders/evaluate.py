"""Score the extractor against annotated articles (``make eval``).

    python -m shegong.loaders.evaluate GOLD_DIR ARTICLES_DIR [--verbose] [--label TEXT]

For each gold file (format in ``../shared/gold/README.md``) the matching article file is
ingested, every article extracted (and resolved), and the graph built as a store would build
it: one node per id (aliases unioned), one edge per (type, source, target). That graph is
compared with the gold following the README's matching rules:

- names are compared after NFKC and removing spaces, quotes and 《》 (``name_key``);
- a predicted entity matches a gold entity of the same label when any of its names
  (canonical or alias) equals any gold name; a gold Event also matches a predicted Event
  whose name or an alias contains every string of its ``match`` list;
- a relation matches when the type is the same and both endpoints match;
- Place -> Place LOCATED_IN and ABOUT are not scored, nor are MENTIONS and REPORTED_BY
  (the gold records the outlet in each article's ``source`` instead; sources are scored apart).

Matching is one-to-one (a maximum bipartite matching), so a second predicted node for the
same gold entity counts as a false positive and is reported as a duplicate.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shegong.schema import (
    ENTITY_LABELS,
    Article,
    Extraction,
    InputError,
    Label,
    Node,
    Relation,
    RelationType,
    name_key,
    unique_nodes,
)

__all__ = [
    "FileReport",
    "GoldEntity",
    "GoldRelation",
    "Report",
    "Score",
    "evaluate",
    "evaluate_articles",
    "main",
    "score_graph",
]

#: Relation types the gold does not carry as triples.
UNSCORED_TYPES = frozenset({RelationType.MENTIONS, RelationType.REPORTED_BY})


@dataclass
class Score:
    """Counts for one type; precision, recall and F1 derived."""

    tp_pred: int = 0  # predicted items matched
    predicted: int = 0
    tp_gold: int = 0  # gold items matched
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp_pred += other.tp_pred
        self.predicted += other.predicted
        self.tp_gold += other.tp_gold
        self.gold += other.gold


@dataclass(frozen=True)
class GoldEntity:
    label: Label
    name: str
    keys: frozenset[str]
    match: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldRelation:
    type: str
    source: str
    target: str


@dataclass
class FileReport:
    """What one gold file scored, with the items behind the numbers."""

    file: str
    entities: dict[str, Score] = field(default_factory=dict)
    relations: dict[str, Score] = field(default_factory=dict)
    false_entities: list[str] = field(default_factory=list)
    missed_entities: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    false_relations: list[str] = field(default_factory=list)
    missed_relations: list[str] = field(default_factory=list)
    sources_right: int = 0
    sources_total: int = 0
    source_errors: list[str] = field(default_factory=list)
    articles_gold: int = 0  # articles the gold lists for this file
    articles_found: int = 0  # articles the splitter made of it
    dates_right: int = 0
    dates_total: int = 0
    date_errors: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Scores over all gold files."""

    files: list[FileReport] = field(default_factory=list)

    def _merged(self, attr: str) -> dict[str, Score]:
        merged: dict[str, Score] = defaultdict(Score)
        for report in self.files:
            for key, score in getattr(report, attr).items():
                merged[key].add(score)
        return dict(sorted(merged.items()))

    @property
    def entities(self) -> dict[str, Score]:
        return self._merged("entities")

    @property
    def relations(self) -> dict[str, Score]:
        return self._merged("relations")

    @property
    def entity_total(self) -> Score:
        total = Score()
        for score in self.entities.values():
            total.add(score)
        return total

    @property
    def relation_total(self) -> Score:
        total = Score()
        for score in self.relations.values():
            total.add(score)
        return total

    @property
    def duplicates(self) -> int:
        return sum(len(r.duplicates) for r in self.files)


def _keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in (name_key(n) for n in names) if k)


def _node_keys(node: Node) -> frozenset[str]:
    return _keys((node.name, *node.aliases))


def _entity_matches(gold: GoldEntity, node: Node, keys: frozenset[str]) -> bool:
    if node.label != gold.label:
        return False
    if keys & gold.keys:
        return True
    if gold.label == Label.EVENT and gold.match:
        wanted = [name_key(m) for m in gold.match]
        return any(all(w in k for w in wanted) for k in keys)
    return False


def _max_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (left -> right) by augmenting paths; deterministic."""
    match_right: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges.get(left, []):
            if right in seen:
                continue
            seen.add(right)
            if right not in match_right or augment(match_right[right], seen):
                match_right[right] = left
                return True
        return False

    for left in sorted(edges):
        augment(left, set())
    return {left: right for right, left in match_right.items()}


def _load_gold(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: cannot read gold file: {e}") from e
    for key in ("file", "entities", "relations"):
        if key not in data:
            raise InputError(f"{path}: gold file has no {key!r} field")
    return data


def _gold_entities(data: dict[str, Any], path: Path) -> list[GoldEntity]:
    entities = []
    for i, raw in enumerate(data["entities"]):
        try:
            label = Label(raw["type"])
        except (KeyError, ValueError) as e:
            valid = ", ".join(lbl.value for lbl in ENTITY_LABELS)
            raise InputError(
                f"{path}: entity {i}: bad type {raw.get('type')!r}; valid: {valid}"
            ) from e
        names = (raw["name"], *raw.get("aliases", []))
        entities.append(GoldEntity(label, raw["name"], _keys(names), tuple(raw.get("match", []))))
    return entities


def score_graph(
    gold: dict[str, Any],
    nodes: Sequence[Node],
    relations: Sequence[Relation],
    file: str = "",
    path: Path | None = None,
) -> FileReport:
    """Compare one file's predicted graph with its gold annotation."""
    report = FileReport(file=file or gold.get("file", ""))
    gold_entities = _gold_entities(gold, path or Path(report.file))
    entities = [n for n in nodes if n.label in ENTITY_LABELS]
    keys = [_node_keys(n) for n in entities]

    # Entities: gold (left) -> predicted (right), one to one.
    candidates: dict[int, list[int]] = {
        g: [p for p, node in enumerate(entities) if _entity_matches(ge, node, keys[p])]
        for g, ge in enumerate(gold_entities)
    }
    matched = _max_matching(candidates)
    matched_pred = set(matched.values())
    for label in ENTITY_LABELS:
        report.entities[label.value] = Score(
            tp_pred=sum(1 for p in matched_pred if entities[p].label == label),
            predicted=sum(1 for n in entities if n.label == label),
            tp_gold=sum(1 for g in matched if gold_entities[g].label == label),
            gold=sum(1 for ge in gold_entities if ge.label == label),
        )
    for p, node in enumerate(entities):
        if p in matched_pred:
            continue
        twins = [gold_entities[g].name for g, ps in candidates.items() if p in ps]
        line = f"{node.label.value}: {node.name}" + (
            f"  (aliases: {', '.join(node.aliases)})" if node.aliases else ""
        )
        if twins:
            report.duplicates.append(f"{line}  duplicates gold {twins[0]}")
        report.false_entities.append(line)
    for g, ge in enumerate(gold_entities):
        if g not in matched:
            report.missed_entities.append(f"{ge.label.value}: {ge.name}")

    # Relations.
    by_name = {ge.name: ge for ge in gold_entities}
    by_id = {n.id: (n, k) for n, k in zip(entities, keys, strict=True)}
    gold_rels: list[GoldRelation] = []
    for raw in gold["relations"]:
        if raw["type"] == "ABOUT":
            continue
        src, tgt = by_name.get(raw["source"]), by_name.get(raw["target"])
        if src is None or tgt is None:
            raise InputError(
                f"{path or report.file}: relation {raw['type']} {raw['source']} -> "
                f"{raw['target']}: endpoint not listed in entities"
            )
        if raw["type"] == "LOCATED_IN" and src.label == tgt.label == Label.PLACE:
            continue
        gold_rels.append(GoldRelation(raw["type"], raw["source"], raw["target"]))
    pred_rels = []
    for rel in relations:
        if rel.type in UNSCORED_TYPES or rel.retracted:
            continue
        if rel.source_id not in by_id or rel.target_id not in by_id:
            continue
        s, t = by_id[rel.source_id][0], by_id[rel.target_id][0]
        if rel.type == RelationType.LOCATED_IN and s.label == t.label == Label.PLACE:
            continue
        pred_rels.append(rel)
    rel_candidates: dict[int, list[int]] = {}
    for g, gr in enumerate(gold_rels):
        gs, gt = by_name[gr.source], by_name[gr.target]
        rel_candidates[g] = [
            p
            for p, rel in enumerate(pred_rels)
            if rel.type.value == gr.type
            and _entity_matches(gs, *by_id[rel.source_id])
            and _entity_matches(gt, *by_id[rel.target_id])
        ]
    rel_matched = _max_matching(rel_candidates)
    rel_matched_pred = set(rel_matched.values())
    types = sorted({gr.type for gr in gold_rels} | {r.type.value for r in pred_rels})
    for rtype in types:
        report.relations[rtype] = Score(
            tp_pred=sum(1 for p in rel_matched_pred if pred_rels[p].type.value == rtype),
            predicted=sum(1 for r in pred_rels if r.type.value == rtype),
            tp_gold=sum(1 for g in rel_matched if gold_rels[g].type == rtype),
            gold=sum(1 for gr in gold_rels if gr.type == rtype),
        )
    for p, rel in enumerate(pred_rels):
        if p not in rel_matched_pred:
            s, t = by_id[rel.source_id][0], by_id[rel.target_id][0]
            report.false_relations.append(f"{rel.type.value}: {s.name} -> {t.name}")
    for g, gr in enumerate(gold_rels):
        if g not in rel_matched:
            report.missed_relations.append(f"{gr.type}: {gr.source} -> {gr.target}")
    return report


def _score_sources(report: FileReport, gold: dict[str, Any], articles: Sequence[Article]) -> None:
    by_title = {name_key(a.title): a for a in articles}
    for raw in gold.get("articles", []):
        if raw.get("source") is None:
            continue
        report.sources_total += 1
        article = by_title.get(name_key(raw["title"]))
        got = article.source if article else None
        if got and name_key(got) == name_key(raw["source"]):
            report.sources_right += 1
        else:
            report.source_errors.append(f"{raw['title']}: want {raw['source']!r}, got {got!r}")


def _score_articles(report: FileReport, gold: dict[str, Any], articles: Sequence[Article]) -> None:
    """Article count and dates: a gold article's date (``YYYY-MM-DD``, ``MM-DD`` or null)
    is right when the article of the same title carries exactly that date."""
    wanted = gold.get("articles", [])
    report.articles_gold, report.articles_found = len(wanted), len(articles)
    by_title = {name_key(a.title): a for a in articles}
    for raw in wanted:
        report.dates_total += 1
        article = by_title.get(name_key(raw["title"]))
        got = article.date if article else None
        if article is not None and got == raw.get("date"):
            report.dates_right += 1
        else:
            shown = got if article else "no such article"
            report.date_errors.append(f"{raw['title']}: want {raw.get('date')!r}, got {shown!r}")


def _score_metadata(report: FileReport, gold: dict[str, Any], articles: Sequence[Article]) -> None:
    _score_sources(report, gold, articles)
    _score_articles(report, gold, articles)


Ingest = Callable[[Path], list[Article]]
Stage = Callable[[Extraction], Extraction]


def _default_ingest() -> Ingest:
    from shegong.loaders.ingest import ingest_file

    return ingest_file


def evaluate(
    gold_dir: str | Path,
    articles_dir: str | Path,
    extractor: Callable[[Article], Extraction] | None = None,
    resolver: Stage | None = None,
    ingest: Ingest | None = None,
    part: str = "all",
) -> Report:
    """Extract every gold-annotated file in ``articles_dir`` and score it.

    ``resolver`` defaults to a ``Resolver`` over an empty in-memory view (cross-article
    merging within each file), so the graph is the one a fresh store would hold.
    ``part`` keeps the dev set's ``check`` files (number divisible by 4: d304, d308, ...,
    never trained on) or its ``train`` files; ``all`` keeps every file.
    """
    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    gold_files = [p for p in sorted(gold_dir.glob("*.json")) if _in_part(p.name, part)]
    if not gold_files:
        raise InputError(f"{gold_dir}: no gold *.json files")
    if extractor is None:
        from shegong.loaders.extract import Extractor

        extractor = Extractor()
    ingest = ingest or _default_ingest()
    report = Report()
    for path in gold_files:
        gold = _load_gold(path)
        article_path = articles_dir / gold["file"]
        if not article_path.exists():
            raise InputError(f"{path}: article file {article_path} not found")
        articles = ingest(article_path)
        stage = resolver
        if stage is None:
            from shegong.loaders.resolve import Resolver

            stage = Resolver()
        extractions = [stage(extractor(a)) for a in articles]
        nodes = unique_nodes(n for ex in extractions for n in ex.entities)
        relations: dict[str, Relation] = {}
        for ex in extractions:
            for rel in ex.relations:
                relations.setdefault(rel.id, rel)
        file_report = score_graph(gold, nodes, list(relations.values()), gold["file"], path)
        _score_metadata(file_report, gold, articles)
        report.files.append(file_report)
    return report


def evaluate_articles(
    gold_dir: str | Path, articles_dir: str | Path, ingest: Ingest | None = None
) -> Report:
    """Split and metadata only (no extraction): per gold file, the article count, the
    articles' dates and sources. Fast enough for tests."""
    gold_dir, articles_dir = Path(gold_dir), Path(articles_dir)
    ingest = ingest or _default_ingest()
    report = Report()
    for path in sorted(gold_dir.glob("*.json")):
        gold = _load_gold(path)
        article_path = articles_dir / gold["file"]
        if not article_path.exists():
            raise InputError(f"{path}: article file {article_path} not found")
        file_report = FileReport(gold["file"])
        _score_metadata(file_report, gold, ingest(article_path))
        report.files.append(file_report)
    return report


def format_articles(report: Report) -> list[str]:
    """Report lines for splitting and article metadata."""
    files = [r for r in report.files if r.articles_gold]
    split = sum(r.articles_found == r.articles_gold for r in files)
    multi = [r for r in files if r.articles_gold > 1]
    multi_right = sum(r.articles_found == r.articles_gold for r in multi)
    right = sum(r.sources_right for r in report.files)
    total = sum(r.sources_total for r in report.files)
    dates = sum(r.dates_right for r in report.files)
    dates_total = sum(r.dates_total for r in report.files)
    return [
        f"Articles per file: {split}/{len(files)} files split right"
        f" ({multi_right}/{len(multi)} multi-article files)",
        f"Article dates: {dates}/{dates_total} right",
        f"Article sources: {right}/{total} right",
    ]


def _row(name: str, s: Score) -> str:
    return (
        f"  {name:<18} P {s.precision:5.3f}  R {s.recall:5.3f}  F1 {s.f1:5.3f}"
        f"   ({s.tp_pred}/{s.predicted} predicted, {s.tp_gold}/{s.gold} gold)"
    )


def format_report(report: Report, verbose: bool = False) -> str:
    """The printed table (and, verbose, the false positives and misses per file)."""
    lines = ["Entities"]
    lines += [_row(k, s) for k, s in report.entities.items()]
    lines.append(_row("ALL ENTITIES", report.entity_total))
    lines.append("Relations (typed)")
    lines += [_row(k, s) for k, s in report.relations.items()]
    lines.append(_row("ALL RELATIONS", report.relation_total))
    lines += format_articles(report)
    lines.append(f"Duplicate entities: {report.duplicates}")
    if verbose:
        for fr in report.files:
            lines.append(f"\n== {fr.file}")
            for title, items in (
                ("false entities", fr.false_entities),
                ("missed entities", fr.missed_entities),
                ("duplicates", fr.duplicates),
                ("false relations", fr.false_relations),
                ("missed relations", fr.missed_relations),
                ("source errors", fr.source_errors),
                ("date errors", fr.date_errors),
            ):
                if items:
                    lines.append(f"-- {title} ({len(items)})")
                    lines += [f"   {item}" for item in items]
    return "\n".join(lines)


def _in_part(file: str, part: str) -> bool:
    if part == "all":
        return True
    from shegong.loaders.model.corpora import dev_check_part

    return dev_check_part(file) == (part == "check")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shegong.loaders.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("gold_dir")
    parser.add_argument("articles_dir")
    parser.add_argument("-v", "--verbose", action="store_true", help="list errors per file")
    parser.add_argument("--label", help="a header printed above the table (which gold set)")
    parser.add_argument(
        "--articles-only", action="store_true", help="score splitting and metadata only"
    )
    parser.add_argument(
        "--part",
        choices=("all", "train", "check"),
        default="all",
        help="dev set part: check = files whose number divides by 4 (never trained on)",
    )
    parser.add_argument(
        "--mentions",
        choices=("rules", "model", "combined"),
        help="mention finders: rules only, the trained model only, or both (the default)",
    )
    args = parser.parse_args(argv)
    try:
        if args.articles_only:
            report = evaluate_articles(args.gold_dir, args.articles_dir)
        else:
            from shegong.loaders.extract import Extractor

            report = evaluate(
                args.gold_dir, args.articles_dir, Extractor(args.mentions), part=args.part
            )
    except InputError as e:
        print(f"evaluate: error: {e}", file=sys.stderr)
        return 2
    if args.label:
        print(f"== {args.label}")
    if args.articles_only:
        lines = format_articles(report)
        if args.verbose:
            for fr in report.files:
                errors = fr.source_errors + fr.date_errors
                if errors or fr.articles_found != fr.articles_gold:
                    lines.append(f"== {fr.file}: {fr.articles_found}/{fr.articles_gold} articles")
                    lines += [f"   {item}" for item in errors]
        print("\n".join(lines))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
