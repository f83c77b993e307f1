"""Train the character CRF of the mention model from the public corpora in ../shared/ner.

    python -m shegong.loaders.model.train_ner [--out loaders/model/ner.crfsuite]
        [--ner-dir ../shared/ner] [--dev-dir ../shared/dev | --no-dev] [--dev-weight 3]
        [--limit N] [--iterations 150] [--c1 0.15] [--c2 0.01]

The defaults reproduce the committed weights: the public corpora, then the dev set's
train part (projected gold, each sentence three times) when ../shared/dev is there.

Deterministic: the corpora are read in a fixed order and crfsuite's L-BFGS has no random
state, so two runs with the same arguments write the same weights. ``--limit N`` trains
on the first N sentences only (for a quick end-to-end test). The CLUENER check split
(every 10th line, see ``corpora``) is never trained on; its span-level scores are printed
at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from itertools import chain, islice
from pathlib import Path

import pycrfsuite
from shegong.loaders.extract.lexicon import lexicon

from .corpora import Sample, cluener, dev_samples, training_samples
from .features import features
from .tagger import NerTagger

__all__ = ["bioes", "main", "score", "train"]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NER = ROOT.parent / "shared" / "ner"
DEFAULT_DEV = ROOT.parent / "shared" / "dev"
DEFAULT_OUT = Path(__file__).resolve().parent / "ner.crfsuite"
_CODE = {"Person": "PER", "Organisation": "ORG", "Place": "LOC"}


def bioes(sample: Sample) -> list[str]:
    """The BIOES tag of each character (overlapping spans: the first wins)."""
    tags = ["O"] * len(sample.text)
    for label, start, end in sample.spans:
        if end > len(tags) or any(t != "O" for t in tags[start:end]):
            continue
        code = _CODE[label.value]
        if end - start == 1:
            tags[start] = f"S-{code}"
            continue
        tags[start] = f"B-{code}"
        for i in range(start + 1, end - 1):
            tags[i] = f"I-{code}"
        tags[end - 1] = f"E-{code}"
    return tags


def train(
    samples: Iterable[Sample],
    out: Path,
    iterations: int = 150,
    c1: float = 0.15,
    c2: float = 0.01,
    verbose: bool = False,
) -> int:
    """Train on ``samples`` and write the model to ``out``; returns the sentence count."""
    lex = lexicon()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=verbose)
    n = 0
    for sample in samples:
        if not sample.text:
            continue
        trainer.append(features(sample.text, lex=lex), bioes(sample))
        n += 1
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.possible_states": False,
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return n


def score(tagger: NerTagger, samples: Iterable[Sample]) -> dict[str, tuple[float, float, float]]:
    """Exact-span precision, recall, F1 per label (and ``macro``) over ``samples``."""
    counts: dict[str, list[int]] = {k: [0, 0, 0] for k in _CODE}  # tp, predicted, gold
    for sample in samples:
        gold = {(lb.value, s, e) for lb, s, e in sample.spans}
        pred = {(lb.value, s, e) for lb, s, e in tagger(sample.text)}
        for key in _CODE:
            g = {x for x in gold if x[0] == key}
            p = {x for x in pred if x[0] == key}
            counts[key][0] += len(g & p)
            counts[key][1] += len(p)
            counts[key][2] += len(g)
    out = {}
    for key, (tp, npred, ngold) in counts.items():
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        out[key] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    out["macro"] = tuple(sum(v[i] for v in out.values()) / 3 for i in range(3))  # type: ignore[assignment]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shegong.loaders.model.train_ner", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--ner-dir", type=Path, default=DEFAULT_NER)
    parser.add_argument("--limit", type=int, help="train on the first N sentences only")
    parser.add_argument(
        "--dev-dir",
        type=Path,
        default=DEFAULT_DEV,
        help="also train on this dev set's train part (files not divisible by 4), projected",
    )
    parser.add_argument("--no-dev", action="store_true", help="the public corpora only")
    parser.add_argument("--dev-weight", type=int, default=3, help="copies of each dev sentence")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--c1", type=float, default=0.15, help="L1 weight (keeps it small)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    parser.add_argument("--no-check", action="store_true", help="skip the check-split scores")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not (args.ner_dir / "cluener_train.jsonl").exists():
        print(f"train_ner: error: no corpora in {args.ner_dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    samples: Iterable[Sample] = training_samples(args.ner_dir)
    if not args.no_dev and (args.dev_dir / "gold").is_dir():
        dev = (x for x in dev_samples(args.dev_dir) for _ in range(args.dev_weight))
        samples = chain(samples, dev)
    if args.limit:
        samples = islice(samples, args.limit)
    n = train(samples, args.out, args.iterations, args.c1, args.c2, args.verbose)
    size = args.out.stat().st_size / 1024 / 1024
    print(f"trained on {n} sentences in {time.perf_counter() - started:.0f} s -> {args.out}")
    print(f"model size: {size:.2f} MB")
    if not args.no_check:
        check = cluener(args.ner_dir / "cluener_train.jsonl", check=True)
        if args.limit:
            check = islice(check, args.limit)
        scores = score(NerTagger(str(args.out)), check)
        for key, (p, r, f) in scores.items():
            print(f"  CLUENER check {key:<13} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
