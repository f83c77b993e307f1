"""One reader per input format: .txt, .json, .jsonl, .html/.htm -> Articles.

Every reader takes the decoded text of one file and returns its articles, or raises
InputError naming the file (and line, for JSON lines). A file with a bad record is
rejected whole, so a load is all-or-nothing per file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from shegong.schema import Article, InputError

from .htmltext import HtmlPage, html_to_text, strip_site
from .mainhtml import MainText, byline_author, clean_author, main_text
from .meta import clean_outlet, parse_date
from .normalise import Normaliser
from .split import single_article, split_articles

__all__ = ["READERS", "SUPPORTED", "iter_files", "read_text"]

Reader = Callable[[str, str, str, Normaliser], list[Article]]


def _articles_or_error(articles: list[Article], path: str) -> list[Article]:
    if not articles:
        raise InputError(f"{path}: no article found (no body text, only headings or furniture)")
    return articles


def _normalised(text: str, path: str, normaliser: Normaliser) -> str:
    clean = normaliser(text)
    if not clean.strip():
        raise InputError(f"{path}: no text left after removing white space and page furniture")
    return clean


def read_txt(text: str, path: str, name: str, normaliser: Normaliser) -> list[Article]:
    """A plain-text file: normalised, then split into articles."""
    clean = _normalised(text, path, normaliser)
    return _articles_or_error(split_articles(clean, name), path)


def read_html(text: str, path: str, name: str, normaliser: Normaliser) -> list[Article]:
    """An HTML page: its main text (trafilatura; the visible text when it finds none)
    split into articles; the head, the byline and the dateline fill in title, date,
    outlet, author and url."""
    page = html_to_text(text)
    main = main_text(text)
    visible = _normalised(page.text, path, normaliser) if main is None else normaliser(page.text)
    head_title = normaliser(page.title).replace("\n", " ") if page.title else None
    main_title = normaliser(strip_site(main.title)) if main and main.title else None
    hint = head_title or main_title or None
    around: Article | None = None
    if main is None:
        articles = split_articles(visible, name, title_hint=hint)
    else:
        body = _normalised(main.text, path, normaliser)
        if hint and not body.startswith(hint):
            body = f"{hint}\n{body}"  # the headline line the splitter expects on top
        articles = split_articles(body, name, title_hint=hint)
        # the info line (发布时间 / 来源) that trafilatura leaves out of the main text
        found = split_articles(visible, name, title_hint=hint) if visible.strip() else []
        around = found[0] if found else None
    source = normaliser(page.source) if page.source else None
    author = clean_author(page.author) or (main.author if main else None) or byline_author(visible)
    site = clean_outlet(normaliser(main.sitename)) if main and main.sitename else None
    return _articles_or_error(
        [
            dataclasses.replace(
                a,
                date=_page_date(a, page, main, around),
                url=a.url or page.url,
                source=a.source or source or (around.source if around else None) or site,
                author=a.author or author,
            )
            for a in articles
        ],
        path,
    )


def _page_date(
    article: Article, page: HtmlPage, main: MainText | None, around: Article | None
) -> str | None:
    """An article's own full date (its dateline), else the page's (its head, trafilatura's
    reading, the info line); a month-day read from the article's lead comes last."""
    found = [
        article.date,
        page.date,
        parse_date(main.date) if main and main.date else None,
        around.date if around else None,
    ]
    full = [d for d in found if d and len(d) >= 10]
    return full[0] if full else next((d for d in found if d), None)


def _record(record: Any, name: str, normaliser: Normaliser) -> tuple[Article | None, str | None]:
    """(article, None) for a good record, (None, reason) for a bad one."""
    if not isinstance(record, Mapping):
        return None, f"not a JSON object but {type(record).__name__}"
    text = record.get("text")
    if not isinstance(text, str):
        found = ", ".join(sorted(map(str, record))) or "none"
        what = "no `text` field" if text is None else f"`text` is {type(text).__name__}"
        return None, f"{what} (needs a string `text`; fields found: {found})"
    clean = normaliser(text)
    if not clean.strip():
        return None, "`text` is empty"

    def field(key: str) -> str | None:
        value = record.get(key)
        return None if value is None or value == "" else str(value)

    title = normaliser(field("title") or "").replace("\n", " ")
    if title and clean.startswith(title + "\n"):  # text that repeats its title first
        clean = clean[len(title) :].lstrip("\n")
    source = field("source")
    article = single_article(
        title,
        clean,
        name,
        source=clean_outlet(normaliser(source)) if source else None,
        date=parse_date(field("date")),
        url=field("url"),
    )
    author = field("author")
    if author:
        article = dataclasses.replace(article, author=normaliser(author).strip() or None)
    return article, None


def _raise_bad(path: str, problems: list[tuple[int | str, str]]) -> None:
    lines = [f"{path}:{where}: {reason}" for where, reason in problems]
    if len(lines) == 1:
        raise InputError(f"{lines[0]} (file not loaded)")
    listing = "\n".join(f"  {line}" for line in lines)
    raise InputError(f"{path}: {len(lines)} bad records, file not loaded:\n{listing}")


def read_json(text: str, path: str, name: str, normaliser: Normaliser) -> list[Article]:
    """A .json file: one record object or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}:{error.lineno}: not JSON: {error.msg} (column {error.colno})"
        ) from error
    records = data if isinstance(data, list) else [data]
    articles: list[Article] = []
    problems: list[tuple[int | str, str]] = []
    for index, record in enumerate(records):
        where = f"record {index + 1}" if isinstance(data, list) else "record"
        article, reason = _record(record, name, normaliser)
        if reason:
            problems.append((where, reason))
        elif article:
            articles.append(article)
    if problems:
        _raise_bad(path, problems)
    return _articles_or_error(articles, path)


def read_jsonl(text: str, path: str, name: str, normaliser: Normaliser) -> list[Article]:
    """A .jsonl file: one record per line; blank lines skipped; any bad line rejects all."""
    articles: list[Article] = []
    problems: list[tuple[int | str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            snippet = line.strip()[:40]
            problems.append((number, f"not JSON: {error.msg} (column {error.colno}): {snippet!r}"))
            continue
        article, reason = _record(record, name, normaliser)
        if reason:
            problems.append((number, reason))
        elif article:
            articles.append(article)
    if problems:
        _raise_bad(path, problems)
    return _articles_or_error(articles, path)


READERS: dict[str, Reader] = {
    ".htm": read_html,
    ".html": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".txt": read_txt,
}
SUPPORTED = tuple(sorted(READERS))


def read_text(text: str, path: str, normaliser: Normaliser) -> list[Article]:
    """The articles of one decoded file, by its extension."""
    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}; "
            f"supported: {', '.join(SUPPORTED)}"
        )
    return reader(text, path, Path(path).name, normaliser)


def iter_files(path: Path) -> Iterator[Path]:
    """``path`` itself, or the files under a directory: recursive, sorted, hidden skipped."""
    if not path.is_dir():
        yield path
        return
    try:
        children = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError:
        yield path  # the caller reports it
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir() and not child.is_symlink():
            yield from iter_files(child)
        elif child.is_file():
            yield child
