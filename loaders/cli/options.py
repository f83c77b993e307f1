"""Argument types shared by the commands: argparse rejects a bad value with a message
(``--workers 0``, ``--top -1``), exit code 2, before anything is opened."""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["at_least", "port", "positive_float"]


def at_least(low: int) -> Callable[[str], int]:
    """An int type accepting ``low`` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more, not {value}")
        return value

    parse.__name__ = f"int >= {low}"
    return parse


def positive_float(text: str) -> float:
    """A number greater than 0 (sizes in MB)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, not {text}")
    return value


def port(text: str) -> int:
    """A TCP port, 1 to 65535."""
    value = at_least(1)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"must be between 1 and 65535, not {value}")
    return value
