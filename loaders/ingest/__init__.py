"""Ingest: files (.txt, .json, .jsonl, .html, directories) -> clean Articles.

    bytes --decode--> text --normalise--> clean text --split--> Article, Article, ...

``ingest_paths`` reads many paths and never raises for a bad file: each file gives a
``FileResult`` holding its articles or the InputError that rejected it (a file is
all-or-nothing). ``ingest_file`` reads one file and raises. Identical articles (same
title and clean text, hence the same ``Article.id``) are returned once per call.

>>> normalise("各地社工主題宣傳活動(dòng)啟動(dòng)啦,!")
'各地社工主题宣传活动启动啦!'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from shegong.schema import Article, InputError

from .decode import MAX_FILE_BYTES, decode_bytes, read_bytes
from .normalise import Normaliser, default_normaliser, normalise
from .readers import READERS, SUPPORTED, iter_files, read_text

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED",
    "FileResult",
    "Ingestor",
    "Normaliser",
    "ingest_file",
    "ingest_paths",
    "normalise",
]


@dataclass(frozen=True)
class FileResult:
    """What one input file gave: its articles, or the error that rejected it."""

    path: str  # as given / found
    articles: list[Article]  # empty when error
    error: InputError | None = None
    repeated: int = 0  # articles left out: seen in an earlier file of the same run


class Ingestor:
    """Reads files into Articles; one instance shares one normaliser (OpenCC converter).

    Parameters
    ----------
    max_bytes:
        Files larger than this are rejected before they are read.
    normaliser:
        Defaults to a ``Normaliser`` with the bundled furniture patterns.
    """

    def __init__(self, max_bytes: int = MAX_FILE_BYTES, normaliser: Normaliser | None = None):
        self.max_bytes = max_bytes
        self.normaliser = normaliser or default_normaliser()

    def __call__(self, path: str | Path) -> list[Article]:
        """The articles of one file; raises InputError naming the file."""
        name = str(path)
        if Path(name).is_dir():
            raise InputError(f"{name}: is a directory; use ingest_paths to read directories")
        suffix = Path(name).suffix.lower()
        if suffix not in READERS:  # checked first: never read a file we cannot use
            raise InputError(
                f"{name}: unsupported file type {suffix or '(no extension)'!r}; "
                f"supported: {', '.join(SUPPORTED)}"
            )
        if not Path(name).exists():
            raise InputError(f"{name}: no such file or directory")
        text = decode_bytes(read_bytes(name, self.max_bytes), name)
        return _unique(read_text(text, name, self.normaliser), set())

    def pipe(self, paths: Iterable[str | Path]) -> Iterator[FileResult]:
        """One FileResult per file found under ``paths``; never raises for a bad file."""
        seen: set[str] = set()
        for given in paths:
            root = Path(given)
            if not root.exists():
                yield FileResult(str(given), [], InputError(f"{given}: no such file or directory"))
                continue
            for found in iter_files(root):
                shown = str(given) if found == root else str(found)
                if found.is_dir():  # iter_files yields a directory it could not list
                    error = InputError(f"{shown}: cannot list directory (permission denied?)")
                    yield FileResult(shown, [], error)
                    continue
                try:
                    articles = self(found)
                except InputError as error:
                    yield FileResult(shown, [], error)
                    continue
                kept = _unique(articles, seen)
                yield FileResult(shown, kept, repeated=len(articles) - len(kept))


def _unique(articles: Iterable[Article], seen: set[str]) -> list[Article]:
    """Articles whose id was not seen yet (``seen`` is updated); order kept."""
    kept = []
    for article in articles:
        if article.id not in seen:
            seen.add(article.id)
            kept.append(article)
    return kept


def ingest_paths(
    paths: Iterable[str | Path], max_bytes: int = MAX_FILE_BYTES
) -> Iterator[FileResult]:
    """One ``FileResult`` per file under ``paths`` (directories read recursively, sorted,
    hidden files skipped); a bad file gives a result with ``error`` set, never raises."""
    return Ingestor(max_bytes).pipe(paths)


def ingest_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> list[Article]:
    """The articles of one file; raises InputError naming the file when it is unusable."""
    return Ingestor(max_bytes)(path)
