"""Character features of the mention model, shared by training and tagging.

For each character: the characters at offsets -2..+2 and the four bigrams among them
(digits shown as ``0`` and latin letters as ``a``, so numbers and codes share features),
the character types of -1..+1 (CJK ``C``, digit ``D``, latin ``L``, punctuation ``P``,
other ``O``), and lexicon flags read from the extractor's shared scan: a surname starts
here, an organisation suffix or a gazetteer place ends here, a title ends just before.
Feature strings are built with list comprehensions over shifted lists: this is the
model's main cost, so it is kept to one pass per feature family. They are UTF-8 bytes,
what crfsuite stores (given str, python-crfsuite would encode every attribute of every
call), and each character's are a tuple (flags are added by making a longer one).
"""

from __future__ import annotations

from functools import cache

from shegong.loaders.extract.lexicon import Hits, Lexicon

__all__ = ["TAGS", "features", "shape"]

#: BIOES tags over the three labels, in the order used for training.
TAGS = ("O", "PER", "ORG", "LOC")

_PAD = (b"<2", b"<1")
_END = (b">1", b">2")

Row = tuple[bytes, ...]


@cache
def _encoded(ch: str) -> tuple[bytes, bytes]:
    shape_, type_ = _shape_type(ch)
    return shape_.encode(), type_.encode()


@cache
def _shape_type(ch: str) -> tuple[str, str]:
    if ch.isdigit():
        return "0", "D"
    if ch.isascii() and ch.isalpha():
        return "a", "L"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return ch, "C"
    if ch.isspace():
        return "_", "S"
    if ch.isalpha():
        return ch, "O"
    return ch, "P"


def shape(ch: str) -> str:
    """The character as the features see it."""
    return _shape_type(ch)[0]


def features(text: str, hits: Hits | None = None, lex: Lexicon | None = None) -> list[Row]:
    """One tuple of attribute names (UTF-8) per character of ``text``.

    ``hits`` is the lexicon scan of ``text`` (``lex.scan(text)``); with no ``lex`` the
    lexicon flags are left out.
    """
    st = [_encoded(ch) for ch in text]
    s = [x[0] for x in st]
    t = [x[1] for x in st]
    p = [*_PAD, *s, *_END]
    tp = [b"B", *t, b"E"]
    n = len(text)
    # one list per attribute, built column by column (a list comprehension per column is
    # about twice as fast as one comprehension building every row)
    pairs = [x + y for x, y in zip(p, p[1:], strict=False)]
    columns = (
        [b"a" + x for x in p[:n]],
        [b"b" + x for x in p[1 : n + 1]],
        [b"c" + x for x in p[2 : n + 2]],
        [b"d" + x for x in p[3 : n + 3]],
        [b"e" + x for x in p[4 : n + 4]],
        [b"f" + x for x in pairs[:n]],
        [b"g" + x for x in pairs[1 : n + 1]],
        [b"h" + x for x in pairs[2 : n + 2]],
        [b"i" + x for x in pairs[3 : n + 3]],
        [b"t" + x + y + z for x, y, z in zip(tp, tp[1:], tp[2:], strict=False)],
    )
    feats = list(zip(*columns, strict=True))
    if lex is not None:
        _lexicon_flags(text, feats, hits if hits is not None else lex.scan(text), lex)
    return feats


def _lexicon_flags(text: str, feats: list[Row], hits: Hits, lex: Lexicon) -> None:
    surnames = lex.surnames
    heads = [i for i, ch in enumerate(text) if ch in lex.surname_heads]
    for i in heads:
        if text[i] in surnames:
            feats[i] += (b"S1",)
    for i in heads:
        if text[i : i + 2] in surnames:
            feats[i] += (b"S2",)
    n = len(text)
    for h in hits.get("orgsuf"):
        feats[h.end - 1] += (b"OE",)
        if h.end < n:
            feats[h.end] += (b"OA",)
    for h in hits.get("place"):
        if h.end - h.start >= 2:
            feats[h.start] += (b"PB",)
            feats[h.end - 1] += (b"PE",)
    for h in hits.get("title"):
        if h.end < n:
            feats[h.end] += (b"TA",)
        if h.start > 0:
            feats[h.start - 1] += (b"TB",)
    for h in hits.get("knownorg"):
        feats[h.start] += (b"KB",)
        feats[h.end - 1] += (b"KE",)
