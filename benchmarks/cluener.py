"""CLUENER check: Person / Organisation / Place mention F1 of the full extractor.

    python benchmarks/cluener.py [--ner-dir ../shared/ner] [--limit N] [--modes rules,model,combined]

Each sentence of the CLUENER check split (every 10th line of cluener_train.jsonl, never
trained on; see shegong.loaders.model.corpora) is extracted as one article by the whole
extractor, and its mentions are scored against the gold spans (name -> Person;
organization, government, company -> Organisation; address -> Place): exactly matching
spans, and matching names per sentence (the same label and surface anywhere in it).
Prints P / R / F1 per type and the macro F1 of the three, for the rules alone, the model
alone and both combined, beside the target (issue 10: macro F1 >= 0.60).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shegong.loaders.extract import Extractor
from shegong.loaders.extract.model_mentions import MODES
from shegong.loaders.model.corpora import Sample, cluener
from shegong.schema import Article, Label

ROOT = Path(__file__).resolve().parents[1]
LABELS = (Label.PERSON, Label.ORGANISATION, Label.PLACE)
TARGET = 0.60


def _mentions(extractor: Extractor, sample: Sample) -> set[tuple[Label, int, int]]:
    ex = extractor(Article(title="", text=sample.text, file="cluener"))
    label_of = {e.id: e.label for e in ex.entities}
    return {
        (label_of[eid], m.start, m.end)
        for eid, ms in ex.mentions.items()
        if label_of.get(eid) in LABELS
        for m in ms
        if not m.in_title
    }


def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(samples: list[Sample], mode: str) -> dict[str, dict[Label, tuple[int, int, int]]]:
    """Counts (tp, predicted, gold) per label, for exact spans and for names."""
    extractor = Extractor(mode)  # type: ignore[arg-type]
    exact = {lb: [0, 0, 0] for lb in LABELS}
    names = {lb: [0, 0, 0] for lb in LABELS}
    for sample in samples:
        pred = _mentions(extractor, sample)
        gold = set(sample.spans)
        for lb in LABELS:
            p = {x for x in pred if x[0] == lb}
            g = {x for x in gold if x[0] == lb}
            for counts, ps, gs in (
                (exact, p, g),
                (names, {sample.text[s:e] for _, s, e in p}, {sample.text[s:e] for _, s, e in g}),
            ):
                counts[lb][0] += len(ps & gs)  # type: ignore[operator]
                counts[lb][1] += len(ps)
                counts[lb][2] += len(gs)
    return {
        "exact": {lb: tuple(v) for lb, v in exact.items()},  # type: ignore[misc]
        "name": {lb: tuple(v) for lb, v in names.items()},  # type: ignore[misc]
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner-dir", type=Path, default=ROOT.parent / "shared" / "ner")
    parser.add_argument("--limit", type=int, help="the first N check sentences only")
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args(argv)
    path = args.ner_dir / "cluener_train.jsonl"
    if not path.exists():
        print(f"cluener: error: {path} not found", file=sys.stderr)
        return 2
    samples = list(cluener(path, check=True))[: args.limit]
    chars = sum(len(s.text) for s in samples)
    print(f"CLUENER check split: {len(samples)} sentences, {chars} characters")
    for mode in args.modes.split(","):
        started = time.perf_counter()
        result = run(samples, mode)
        seconds = time.perf_counter() - started
        for kind, counts in result.items():
            cells, f1s = [], []
            for lb in LABELS:
                p, r, f = _prf(*counts[lb])
                f1s.append(f)
                cells.append(f"{lb.value} P {p:.3f} R {r:.3f} F1 {f:.3f}")
            macro = sum(f1s) / len(f1s)
            print(
                f"  {mode:<8} {kind:<5} macro F1 {macro:.3f} (target {TARGET:.2f}) | "
                + " | ".join(cells)
            )
        print(f"  {mode:<8} {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
