"""Reading editors' files of curated relations: CSV and YAML, one relation per row/item.

Columns (CSV header) or keys (YAML item)::

    source, source_label, relation, target, target_label, properties, note, editor

``source``, ``relation``, ``target`` and ``note`` are required; the labels, ``properties``
(a JSON object or ``key=value;key=value``) and ``editor`` may be left out or empty.
CSV is read as UTF-8 with or without a BOM (what Excel writes); lines starting with ``#``
are comments. YAML is a list of items or a mapping ``{relations: [...]}``.

Reading never consults the store: it turns the file into ``CuratedRow``s with their line
numbers, and lists the problems found on the way (missing or unknown columns, an item
that is not a mapping, ...) so that validation can report them with every other bad row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from shegong.schema import CuratedFileError, InputError

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "CuratedFile",
    "CuratedRow",
    "read_curated_file",
]

COLUMNS: tuple[str, ...] = (
    "source",
    "source_label",
    "relation",
    "target",
    "target_label",
    "properties",
    "note",
    "editor",
)
#: ``editor`` is not required: ``--editor`` (else $SHEGONG_EDITOR, else the login name) fills
#: rows that leave it out.
REQUIRED_COLUMNS: tuple[str, ...] = ("source", "relation", "target", "note")

_CSV_SUFFIXES = (".csv",)
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class CuratedRow:
    """One row/item of an editors' file, values as written (stripped).

    ``properties`` is the raw text of the CSV cell, or what the YAML item holds (a
    mapping or a text); ``line`` is the 1-based line where the row starts.
    """

    line: int
    source: str = ""
    relation: str = ""
    target: str = ""
    source_label: str = ""
    target_label: str = ""
    properties: str | Mapping[str, Any] = ""
    note: str = ""
    editor: str = ""


@dataclass
class CuratedFile:
    """The rows of one file and the problems met while reading it, as (line, reason)."""

    path: str
    rows: list[CuratedRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def read_curated_file(path: str | Path) -> CuratedFile:
    """Read a .csv, .yaml or .yml file of curated relations.

    Raises InputError when the file cannot be read at all (missing, unknown type) and
    CuratedFileError, with line numbers, when its content is unusable as a whole (not
    UTF-8, not CSV/YAML, a header without the required columns); problems of single
    rows are returned in ``CuratedFile.problems``.
    """
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix not in _CSV_SUFFIXES + _YAML_SUFFIXES:
        raise InputError(
            f"{name}: unknown file type {suffix or '(none)'!r}; use .csv, .yaml or .yml"
        )
    text = _read_text(name)
    if suffix in _CSV_SUFFIXES:
        return _read_csv(name, text)
    return _read_yaml(name, text)


def _read_text(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read the file: {e.strerror or e}") from e
    try:
        # utf-8-sig drops the BOM Excel puts in front of "CSV UTF-8" files.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CuratedFileError(
            path, [(line, f"not UTF-8 (byte {data[e.start]:#04x}); save the file as UTF-8")]
        ) from e


# -- CSV ---------------------------------------------------------------------------------


def _csv_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, comment lines blanked (not dropped, so csv's line numbers
    stay true); a ``#`` inside a quoted multi-line cell is left alone."""
    in_quotes = False
    for line in io.StringIO(text, newline=""):
        if not in_quotes and line.lstrip().startswith("#"):
            yield "\n"
        else:
            yield line
        if line.count('"') % 2:
            in_quotes = not in_quotes


def _read_csv(path: str, text: str) -> CuratedFile:
    result = CuratedFile(path)
    reader = csv.reader(_csv_lines(text), strict=True)
    header: list[str] | None = None
    header_line = 0
    last_line = 0
    try:
        for cells in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                header_line = start
                _check_header(path, header, header_line)
                continue
            _add_csv_row(result, header, cells, start)
    except csv.Error as e:
        raise CuratedFileError(path, [(reader.line_num, f"not valid CSV: {e}")]) from e
    if header is None:
        raise CuratedFileError(path, [(1, "empty file: no header row")])
    return result


def _check_header(path: str, header: list[str], line: int) -> None:
    problems = []
    missing = [col for col in REQUIRED_COLUMNS if col not in header]
    if missing:
        problems.append((line, f"missing required column(s): {', '.join(missing)}"))
    unknown = [col for col in header if col not in COLUMNS]
    if unknown:
        problems.append(
            (
                line,
                f"unknown column(s): {', '.join(map(repr, unknown))}; valid: {', '.join(COLUMNS)}",
            )
        )
    duplicated = sorted({col for col in header if header.count(col) > 1})
    if duplicated:
        problems.append((line, f"column(s) given twice: {', '.join(duplicated)}"))
    if problems:
        raise CuratedFileError(path, problems)


def _add_csv_row(result: CuratedFile, header: list[str], cells: list[str], line: int) -> None:
    if len(cells) > len(header):
        extra = [cell for cell in cells[len(header) :] if cell.strip()]
        if extra:
            result.problems.append(
                (line, f"{len(cells)} cells but the header has {len(header)} columns")
            )
            return
    values = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header)}
    result.rows.append(CuratedRow(line=line, **values))


# -- YAML --------------------------------------------------------------------------------


def _read_yaml(path: str, text: str) -> CuratedFile:
    try:
        data = yaml.safe_load(text)
        # safe_load forgets where things were; the composed node tree remembers.
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(e, "problem", None) or str(e)
        raise CuratedFileError(path, [(line, f"not valid YAML: {reason}")]) from e
    items, nodes = _yaml_items(path, data, tree)
    result = CuratedFile(path)
    for item, node in zip(items, nodes, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            result.problems.append((line, "an item must be a mapping of column: value"))
            continue
        _add_yaml_item(result, item, line)
    return result


def _yaml_items(path: str, data: Any, tree: Any) -> tuple[list[Any], list[Any]]:
    if data is None:
        return [], []
    if isinstance(data, dict) and isinstance(tree, yaml.MappingNode):
        if set(data) != {"relations"}:
            keys = ", ".join(map(repr, sorted(map(str, data))))
            raise CuratedFileError(
                path,
                [(1, f"expected a list of relations or {{relations: [...]}}; found keys {keys}")],
            )
        data = data["relations"] or []
        tree = next(value for key, value in tree.value if key.value == "relations")
        if not data:
            return [], []
    if not isinstance(data, list) or not isinstance(tree, yaml.SequenceNode):
        raise CuratedFileError(path, [(1, "expected a list of relations or {relations: [...]}")])
    return data, list(tree.value)


def _add_yaml_item(result: CuratedFile, item: dict[Any, Any], line: int) -> None:
    keys = [str(key).strip().lower() for key in item]
    unknown = [key for key in keys if key not in COLUMNS]
    missing = [col for col in REQUIRED_COLUMNS if col not in keys]
    problems = []
    if missing:
        problems.append(f"missing required key(s): {', '.join(missing)}")
    if unknown:
        problems.append(
            f"unknown key(s): {', '.join(map(repr, unknown))}; valid: {', '.join(COLUMNS)}"
        )
    values: dict[str, Any] = {}
    for key, value in zip(keys, item.values(), strict=True):
        if key not in COLUMNS:
            continue
        if key == "properties" and isinstance(value, dict):
            values[key] = {str(k).strip(): v for k, v in value.items()}
        elif isinstance(value, dict | list):
            problems.append(f"{key} must be a single value, not a {type(value).__name__}")
        else:
            values[key] = "" if value is None else str(value).strip()
    if problems:
        result.problems.append((line, "; ".join(problems)))
        return
    result.rows.append(CuratedRow(line=line, **values))
