"""Floors on the blind held-out annotations (tests/data/heldout), so regressions fail.

The held-out files were annotated without looking at the extractor; the floors sit a little
under what the extractor reached when they were set (see the numbers in each assertion),
so a change that loses recall or precision on unseen articles shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shegong.loaders.evaluate import evaluate, format_report, main

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "data" / "heldout"
ARTICLES = ROOT / "data" / "articles"


@pytest.fixture(scope="module")
def report():
    return evaluate(HELDOUT, ARTICLES)


def test_extract_heldout_entity_floor(report) -> None:
    total = report.entity_total
    # reached: P 0.983 R 0.978 F1 0.980 with headline entities
    # (before them: P 0.988 R 0.938 F1 0.963; before the recall work: P 0.954 R 0.809 F1 0.875)
    assert total.precision >= 0.97, format_report(report, verbose=True)
    assert total.recall >= 0.96, format_report(report, verbose=True)
    assert total.f1 >= 0.97, format_report(report, verbose=True)


def test_extract_heldout_entity_floor_per_type(report) -> None:
    # reached: Event 0.914, Organisation 0.988, Person 0.980, Place 0.977, Policy 1.000
    floors = {"Event": 0.88, "Organisation": 0.96, "Person": 0.96, "Place": 0.95, "Policy": 0.98}
    for label, floor in floors.items():
        score = report.entities[label]
        assert score.f1 >= floor, f"{label}: F1 {score.f1:.3f} < {floor}"


def test_extract_heldout_relation_floor(report) -> None:
    total = report.relation_total
    # reached: P 1.000 R 0.959 F1 0.979 (before: P 0.976 R 0.837 F1 0.901); then
    # P 0.970 R 0.980: the 3 documents adopted at 许昌's founding meeting are ISSUED_BY the
    # association as ../shared/gold/README.md's decisions say, which this older gold predates
    assert total.precision >= 0.96, format_report(report, verbose=True)
    assert total.recall >= 0.94, format_report(report, verbose=True)
    assert total.f1 >= 0.96, format_report(report, verbose=True)


def test_extract_heldout_duplicates(report) -> None:
    assert report.duplicates == 0, format_report(report, verbose=True)


def test_extract_heldout_cli_label(capsys) -> None:
    assert main([str(HELDOUT), str(ARTICLES), "--label", "held-out"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== held-out\n") and "ALL RELATIONS" in out
