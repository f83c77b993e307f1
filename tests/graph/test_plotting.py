"""``use_cjk_font`` with real matplotlib: a family the cached font list lacks (installed
after the cache was built) is found among the system's font files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: A system font matplotlib does not bundle, standing in for a CJK font (none is
#: installed on the build machines); its file must be on the system font path.
FAMILY = "DejaVu Math TeX Gyre"


def python(code: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLCONFIGDIR": str(config), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )


def test_plotting_cjk_font_found_after_a_stale_cache(tmp_path: Path) -> None:
    built = python("from matplotlib import font_manager as f; print(f.__name__)", tmp_path)
    assert built.returncode == 0, built.stderr
    [cache] = tmp_path.glob("fontlist-*.json")
    data = json.loads(cache.read_text(encoding="utf-8"))
    if not any(entry["name"] == FAMILY for entry in data["ttflist"]):
        pytest.fail(f"{FAMILY} is not installed here; the test needs a system font file")
    # the cache as it was before the font was installed
    data["ttflist"] = [entry for entry in data["ttflist"] if entry["name"] != FAMILY]
    cache.write_text(json.dumps(data), encoding="utf-8")
    code = (
        "import matplotlib\n"
        "from matplotlib import font_manager\n"
        "from shegong.graph import use_cjk_font\n"
        f"assert {FAMILY!r} not in {{f.name for f in font_manager.fontManager.ttflist}}\n"
        f"print(use_cjk_font(candidates=['No Such Font', {FAMILY!r}]))\n"
        "print(matplotlib.rcParams['font.sans-serif'][0])\n"
        "print(use_cjk_font(candidates=['No Such Font']))\n"
    )
    done = python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [FAMILY, FAMILY, "None"]


def test_plotting_explore_notebook_uses_the_font_helper_and_a_readable_network() -> None:
    notebook = json.loads(
        (Path(__file__).resolve().parents[2] / "notebooks" / "01_explore.ipynb").read_text(
            encoding="utf-8"
        )
    )
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert "cjk = use_cjk_font()" in code and "fonts-noto-cjk" in code
    # names only for the most connected nodes, the legend beside the drawing
    assert "key=lambda n: (-linked.degree(n), n))[:12]" in code
    assert 'loc="upper left", bbox_to_anchor=(1.0, 1.0)' in code
