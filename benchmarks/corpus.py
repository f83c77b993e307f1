"""A varied corpus made from the sample articles, every article distinct.

Each article keeps a sample article's title and lead paragraph; its body is 1-3 KB of
sentences drawn at random from every sample article, in paragraphs of two to four. The
whole article is then varied: places named in full swapped for other places of the same
level from the gazetteer, person names for generated ones, dates and other figures
renumbered. Articles built so share few passages, so the load's near-duplicate check
(loaders/neardup.py) keeps them apart, as it would real articles on the same subjects. A
variant whose article id (title + text) was already written is varied again; after a few
tries the title gets an issue number, so no two articles are identical. Files keep the
samples' layout (title, body, source line) and are read back through the real ingest.

Used by extraction.py and load.py; ``cached_corpus`` keeps a built corpus under
``.cache/`` (git-ignored: generated text is never committed).
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from shegong.loaders.extract import Extractor
from shegong.loaders.extract.lexicon import lexicon
from shegong.loaders.ingest import ingest_file
from shegong.schema import Article, Label, article_id

__all__ = ["ROOT", "Corpus", "build_corpus", "cached_corpus"]

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "corpus"
#: Raise when the way variants are made changes, so cached corpora are rebuilt.
_VERSION = "3"
_DATE = re.compile(r"(\d{1,2})(\s*)月(\s*)(\d{1,2})(\s*)日")
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅林海燕晓辉鹏"
_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_TRIES = 4
_FIGURE = re.compile(r"(?<![\d月])\d+(?![\d月日])")
_SENTENCE = re.compile(r"[^。！？]+[。！？]+[”’」』）)]*")
#: The body's size in UTF-8 bytes is drawn from this range (the lead included).
_BODY_BYTES = (1000, 3000)


def _renumber(figure: str, rng: random.Random) -> str:
    if len(figure) == 4 and figure.startswith("20"):  # a year stays a plausible year
        return str(rng.randint(2015, 2025))
    low = 10 ** (len(figure) - 1) if len(figure) > 1 else 1
    return str(rng.randint(low, 10 ** len(figure) - 1))


@dataclass(frozen=True)
class Corpus:
    """A built corpus: its directory, files, articles, bytes of file text, and how many
    articles needed an issue number to be distinct."""

    directory: Path
    files: int
    articles: int
    bytes: int
    numbered: int


class _Varier:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        gaz = lexicon().gaz
        self.gaz = gaz
        self.by_kind: dict[str, list[str]] = {}
        for rec in gaz.records.values():
            self.by_kind.setdefault(rec.kind, []).append(rec.name)

    def article(self, article: Article, persons: set[str], pool: list[str]) -> tuple[str, str]:
        """A (title, body) with ``article``'s title and lead and sentences from ``pool``,
        varied."""
        rng = self.rng
        title = article.title
        lead = next((p for p in article.text.splitlines() if p.strip()), "")
        size = rng.randint(*_BODY_BYTES) - len(lead.encode("utf-8"))
        paragraphs = [lead]
        while size > 0:
            paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            size -= len(paragraph.encode("utf-8"))
        text = "\n\n".join(paragraphs)
        hits = lexicon().scan(title + "\n" + text).get("place")
        names = sorted({h.word for h in hits if h.word in self.gaz.by_name}, key=len, reverse=True)
        for name in names:
            kind = self.gaz.by_name[name][0].kind
            new = rng.choice(self.by_kind[kind])
            text, title = text.replace(name, new), title.replace(name, new)
        for person in sorted(persons, key=len, reverse=True):
            new = rng.choice(_FAMILY) + "".join(
                rng.choice(_GIVEN) for _ in range(rng.choice((1, 2)))
            )
            text = text.replace(person, new)
        text = _DATE.sub(
            lambda m: (
                f"{rng.randint(1, 12)}{m.group(2)}月{m.group(3)}{rng.randint(1, 28)}{m.group(5)}日"
            ),
            text,
        )
        # other figures (amounts, counts, years) renumbered with as many digits
        text = _FIGURE.sub(lambda m: _renumber(m.group(0), rng), text)
        return title, text


def _sentences(files: list[tuple[list[Article], set[str]]]) -> list[str]:
    """Every sentence of the samples' paragraphs after the lead."""
    pool = []
    for articles, _ in files:
        for article in articles:
            paragraphs = [p for p in article.text.splitlines() if p.strip()]
            for paragraph in paragraphs[1:]:
                pool.extend(m.group(0).strip() for m in _SENTENCE.finditer(paragraph))
    return [s for s in pool if s]


def _samples(sample: Path) -> list[tuple[list[Article], set[str]]]:
    extractor = Extractor()
    files = []
    for path in sorted(sample.glob("*.txt")):
        articles = ingest_file(path)
        persons = {
            n.name for a in articles for n in extractor(a).entities if n.label == Label.PERSON
        }
        files.append((articles, persons))
    if not files:
        raise SystemExit(f"no sample articles (*.txt) in {sample}")
    return files


def build_corpus(
    sample: Path,
    directory: Path,
    *,
    articles: int | None = None,
    target_bytes: int | None = None,
    seed: int = 7,
) -> Corpus:
    """Write varied sample files into ``directory`` until it holds ``articles`` articles
    (the last file cut short) or ``target_bytes`` of text."""
    if (articles is None) == (target_bytes is None):
        raise ValueError("give articles or target_bytes")
    rng = random.Random(seed)
    vary = _Varier(rng)
    files = _samples(sample)
    pool = _sentences(files)
    persons = set().union(*(names for _, names in files))
    seen: set[str] = set()
    total = written = numbered = i = 0
    while (articles is not None and written < articles) or (
        target_bytes is not None and total < target_bytes
    ):
        templates, _ = files[i % len(files)]
        if articles is not None:
            templates = templates[: articles - written]
        path = directory / f"v{i:06d}.txt"
        for _ in range(_TRIES):  # a file ingest would read otherwise is varied again
            out, ids, extra = [], [], 0
            for template in templates:
                for _ in range(_TRIES):
                    title, body = vary.article(template, persons, pool)
                    made = article_id(title + "\n" + body)
                    if made not in seen:
                        break
                else:
                    extra += 1
                    title = f"{title}（第{written + len(out) + 1}期）"
                    made = article_id(title + "\n" + body)
                ids.append(made)
                source = f"\n\n(据{template.source})" if template.source else ""
                out.append(f"{title}\n\n{body}{source}\n")
            path.write_bytes("\n\n".join(out).encode("utf-8"))
            if len(ingest_file(path)) == len(out):
                break
        else:
            raise RuntimeError(f"{path}: ingest does not read the {len(out)} articles written")
        seen.update(ids)
        written += len(out)
        numbered += extra
        total += path.stat().st_size
        i += 1
    return Corpus(directory, i, written, total, numbered)


def cached_corpus(sample: Path, articles: int, seed: int = 7) -> Corpus:
    """``build_corpus`` of ``articles`` articles under .cache/corpus, built once per
    (size, seed, samples, builder version) and reused after."""
    sha = hashlib.sha256(_VERSION.encode())
    for path in sorted(sample.glob("*.txt")):
        sha.update(path.read_bytes())
    directory = CACHE / f"{articles}-{seed}-{sha.hexdigest()[:10]}"
    done = directory / ".complete"
    if done.exists():
        files, written, size, numbered = (int(x) for x in done.read_text().split())
        return Corpus(directory / "files", files, written, size, numbered)
    shutil.rmtree(directory, ignore_errors=True)
    (directory / "files").mkdir(parents=True)
    corpus = build_corpus(sample, directory / "files", articles=articles, seed=seed)
    done.write_text(f"{corpus.files} {corpus.articles} {corpus.bytes} {corpus.numbered}\n")
    return corpus
