"""Plot helpers for the notebooks: a font that draws Chinese names in matplotlib.

matplotlib lists the system's fonts once and caches the list; a CJK font installed after
that is missing from it, and plots keep showing boxes. ``use_cjk_font`` looks for a known
CJK family and, when there is none in the list, adds the system font files the cached
list lacks before looking again. matplotlib is imported only when it is called (it is in
the notebook and test extras, not the runtime).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CJK_FONTS", "use_cjk_font"]

#: Families tried in order: Linux (Noto, Source Han, WenQuanYi), Windows, macOS.
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Arial Unicode MS",
)


def _first_known(names: set[str], candidates: Sequence[str]) -> str | None:
    return next((name for name in candidates if name in names), None)


def use_cjk_font(candidates: Sequence[str] = CJK_FONTS) -> str | None:
    """Put the first installed family of ``candidates`` first in matplotlib's sans-serif
    list and return it; None when none is installed (README says how to install one).

    A family missing from matplotlib's cached font list is looked for again among the
    system's font files (a font installed after the cache was built).
    """
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    family = _first_known({f.name for f in manager.ttflist}, candidates)
    if family is None:
        known = {f.fname for f in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path in known:
                continue
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                continue
        family = _first_known({f.name for f in manager.ttflist}, candidates)
    if family is not None:
        rest = [name for name in matplotlib.rcParams["font.sans-serif"] if name != family]
        matplotlib.rcParams["font.sans-serif"] = [family, *rest]
    return family
