"""The ``shegong`` command: thin commands over library functions.

Each module named in ``COMMAND_MODULES`` has ``register(subparsers)`` adding its
commands; every command function takes the parsed arguments and returns an exit code.
Errors of the ShegongError family are printed as one line; the exit code says what
went wrong (``EXIT_*``, documented in README):

    0  everything done
    1  some input was rejected (a file that cannot be read, a curated file with bad rows)
    2  usage: a bad option or argument (an unknown relation type, say), an unknown or
       ambiguous id or name
    3  the store or the system failed (no such store, connection, disk, output)
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version

from shegong.schema import (
    AmbiguousError,
    CuratedFileError,
    InputError,
    NotFoundError,
    SchemaError,
    ShegongError,
)

__all__ = [
    "EXIT_INPUT_REJECTED",
    "EXIT_OK",
    "EXIT_RUNTIME",
    "EXIT_USAGE",
    "build_parser",
    "exit_code",
    "main",
]

COMMAND_MODULES: tuple[str, ...] = ("core", "edit", "serve")

EXIT_OK = 0
EXIT_INPUT_REJECTED = 1
EXIT_USAGE = 2
EXIT_RUNTIME = 3

_STORE_HELP = (
    "a file path for the embedded store or a bolt:// / neo4j:// URI "
    "(default: $SHEGONG_STORE or ./shegong.db); before or after the command"
)


def _version() -> str:
    try:
        return version("shegong-kg")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every subcommand parser under ``parser``, at any depth."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases share a parser
                yield child
                yield from _parsers(child)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shegong",
        description="Knowledge graph of the Chinese social-work sector.",
        epilog="exit codes: 0 ok, 1 some input rejected, 2 usage, 3 store or runtime error",
    )
    parser.add_argument("--version", action="version", version=f"shegong {_version()}")
    parser.add_argument("--store", default=None, help=_STORE_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    # `shegong load X --store Y` as well as `shegong --store Y load X`: SUPPRESS keeps a
    # subcommand that was not given --store from overwriting the one given before it.
    for child in _parsers(parser):
        child.add_argument("--store", default=argparse.SUPPRESS, help=_STORE_HELP)
    return parser


def exit_code(error: ShegongError) -> int:
    """The exit code for an error of ours (see the module docstring)."""
    if isinstance(error, CuratedFileError):
        return EXIT_INPUT_REJECTED
    if isinstance(error, InputError | SchemaError | NotFoundError | AmbiguousError):
        return EXIT_USAGE
    return EXIT_RUNTIME


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # bare `shegong`: say what there is
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.func(args) or 0)
    except ShegongError as error:
        print(f"shegong: error: {error}", file=sys.stderr)
        return exit_code(error)
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("shegong: interrupted", file=sys.stderr)
        return 130
