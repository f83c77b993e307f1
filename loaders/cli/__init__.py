"""The ``shegong`` command: thin commands over library functions.

Each module named in ``COMMAND_MODULES`` has ``register(subparsers)`` adding its
commands; every command function takes the parsed arguments and returns an exit code.
Errors of the ShegongError family are printed as one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from shegong.schema import ShegongError

__all__ = ["build_parser", "main"]

COMMAND_MODULES: tuple[str, ...] = ("core", "edit", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shegong", description="Knowledge graph of the Chinese social-work sector."
    )
    parser.add_argument(
        "--store",
        default=None,
        help="a file path for the embedded store or a bolt:// / neo4j:// URI "
        "(default: $SHEGONG_STORE or ./shegong.db)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ShegongError as error:
        print(f"shegong: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("shegong: interrupted", file=sys.stderr)
        return 130
