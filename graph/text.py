"""Text forms used to look names up: the same in every store.

``name_key`` (schema.ids) compares names exactly; ``search_key`` is the form substring
search works on: the name key, traditional characters converted to simplified with
OpenCC, ASCII lower-cased. Stores keep ``search_key`` of every name and alias so that a
query typed in traditional characters (``社會工作``) finds ``社会工作``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from shegong.schema import name_key

__all__ = ["search_key", "to_simplified"]


@cache
def _converter() -> Any:
    # Building the converter loads its dictionaries: do it once per process.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified ones."""
    if text.isascii():
        return text
    return str(_converter().convert(text))


def search_key(text: str) -> str:
    """The form names and queries are compared in by substring search."""
    return to_simplified(name_key(text)).lower()
