"""Lexicons, patterns and gazetteer additions as data files, read through importlib.resources.

Lines starting with ``#`` and blank lines are skipped everywhere.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["read_jsonl", "read_lines", "read_tsv"]


def _text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def read_lines(name: str) -> tuple[str, ...]:
    """Non-blank, non-comment lines of ``name``, stripped."""
    lines = (line.strip() for line in _text(name).splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def read_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated file (comment and blank lines skipped)."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in read_lines(name))


@cache
def read_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Objects of a JSON-lines file (comment and blank lines skipped)."""
    return tuple(json.loads(line) for line in read_lines(name))
