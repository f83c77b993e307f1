"""benchmarks/load.py at its --quick size: the real ``shegong load`` of a generated
corpus, reported beside the targets (timings are not checked: the machine is shared)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_load_benchmark_quick_loads_everything() -> None:
    done = subprocess.run(
        [sys.executable, "load.py", "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO / "benchmarks",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    corpus = re.search(r"corpus: 300 articles in (\d+) files", out)
    assert corpus and int(corpus.group(1)) > 1, out
    assert re.search(r"reference: extraction alone \d+ KB/s, \d+ articles/s", out), out
    [row] = [line for line in out.splitlines() if re.match(r"\s+300\s+\d+\s+\d+\s", line)]
    cells = row.split()
    assert cells[-2:] == ["s", "wall"] and "MB" in cells, row
    assert re.search(r"^\s+target\s+333\s", out, re.M), out
    [verdict] = [line for line in out.splitlines() if line.strip().startswith("300:")]
    # the load is complete: every article of the corpus is in the store, exit 0
    assert (
        "complete ok" in verdict
        and "(300 of 300 articles stored or folded as reprints, exit 0)" in verdict
    ), verdict
    assert re.search(r"main process \d+\.\d -> \d+\.\d ms CPU an article", verdict), verdict
    cpu = re.search(r"all processes (\d+\.\d) -> (\d+\.\d) ms .*last / first: (\d+)%", verdict)
    assert cpu and float(cpu.group(1)) > 0 and int(cpu.group(3)) > 0, verdict
    assert re.search(r"peak PSS [1-9]\d+ MB", verdict), verdict
    for target in ("rate", "flat", "memory"):
        assert re.search(rf"{target} (ok|NO) ", verdict), verdict
    # the loaded store exported in each streamed format, within the memory target
    for fmt in ("node-link", "graphml", "gexf", "csv"):
        assert re.search(rf"export {fmt} +of the 300-article store: .* MB written .* ok", out), out
