"""The one family of errors raised by shegong.

    ShegongError                 root: catch this to catch everything of ours
    ├── InputError               a file, row or argument a user gave is unusable
    │   └── CuratedFileError     an editors' CSV/YAML file has bad rows (all listed)
    ├── SchemaError              a value breaks the data model (label, relation type,
    │                            endpoint labels, empty name, unknown property)
    ├── NotFoundError            an id or name that the store does not hold
    ├── AmbiguousError           a name that matches more than one entity
    ├── StoreError               the store failed (connection, auth, transaction) or
    │                            is not there (a read-only command names a missing file)
    ├── OutputError              an output file or directory cannot be written
    ├── PermissionDenied         an editor action without a valid token
    └── TimeLimitExceeded        work stopped at its deadline (a request's time limit)

Messages name the file, line, value and the valid choices; wrapped errors are raised
``from`` the original.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousError",
    "CuratedFileError",
    "InputError",
    "NotFoundError",
    "OutputError",
    "PermissionDenied",
    "SchemaError",
    "ShegongError",
    "StoreError",
    "TimeLimitExceeded",
]


class ShegongError(Exception):
    """Root of every error shegong raises on purpose."""


class InputError(ShegongError):
    """A file, row or argument given by a user cannot be used."""


class CuratedFileError(InputError):
    """An editors' file holds bad rows; ``problems`` lists each (line, reason)."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {path}:{line}: {reason}" for line, reason in problems)
        super().__init__(f"{path}: {len(problems)} bad row(s), nothing imported:\n{lines}")


class SchemaError(ShegongError):
    """A value breaks the data model."""


class NotFoundError(ShegongError):
    """An id or name the store does not hold."""


class AmbiguousError(ShegongError):
    """A name that matches more than one entity."""


class StoreError(ShegongError):
    """The store failed: connection, authentication or transaction."""


class OutputError(ShegongError):
    """An output file or directory cannot be written."""


class PermissionDenied(ShegongError):
    """An editor action without a valid token."""


class TimeLimitExceeded(ShegongError):
    """Work was stopped at its deadline (``shegong.graph.time_limit``)."""
