"""The document cache: bounded in entries and in bytes, least recently used first out."""

from __future__ import annotations

from graphql import parse
from shegong.gql.documents import BYTES_PER_TOKEN, CheckedDocument, DocumentCache, document_size


def _checked(query: str) -> CheckedDocument:
    document = parse(query)
    return CheckedDocument(document, (), None, (), document_size(query, document))


def test_documents_size_counts_tokens() -> None:
    small, large = "{ a }", "{ " + " ".join(f"f{i}" for i in range(100)) + " }"
    # <SOF> { a } <EOF>: 5 tokens; the text itself on top
    assert BYTES_PER_TOKEN * 5 < document_size(small, parse(small)) < BYTES_PER_TOKEN * 6
    assert document_size(large, parse(large)) > BYTES_PER_TOKEN * 100


def test_documents_keep_at_most_max_entries_least_recent_out() -> None:
    cache = DocumentCache(max_entries=2, max_bytes=10**9)
    for query in ("{ a }", "{ b }"):
        cache.put(query, _checked(query))
    assert cache.get("{ a }") is not None  # now the most recent
    cache.put("{ c }", _checked("{ c }"))
    assert len(cache) == 2
    assert cache.get("{ b }") is None
    assert cache.get("{ a }") is not None and cache.get("{ c }") is not None


def test_documents_keep_at_most_max_bytes() -> None:
    one = _checked("{ a }").size
    cache = DocumentCache(max_entries=100, max_bytes=3 * one + one // 2)
    for name in "abcdef":
        cache.put(f"{{ {name} }}", _checked(f"{{ {name} }}"))
    assert len(cache) == 3 and cache.bytes <= cache.max_bytes
    assert [cache.get(f"{{ {n} }}") is not None for n in "abcdef"] == [False] * 3 + [True] * 3


def test_documents_larger_than_the_budget_are_not_kept() -> None:
    query = "{ " + " ".join(f"f{i}" for i in range(50)) + " }"
    cache = DocumentCache(max_entries=10, max_bytes=BYTES_PER_TOKEN * 10)
    cache.put("{ a }", _checked("{ a }"))
    cache.put(query, _checked(query))
    assert cache.get(query) is None and cache.get("{ a }") is not None
    # putting the same text again replaces it, the bytes counted once
    cache.put("{ a }", _checked("{ a }"))
    assert len(cache) == 1 and cache.bytes == _checked("{ a }").size


def test_name_keys_of_long_text_are_not_cached() -> None:
    """Search text (up to 10,000 characters from any client) goes through name_key; only
    names up to CACHED_NAME_CHARS are kept, so the cache stays a few MB."""
    from shegong.schema.ids import CACHED_NAME_CHARS, _cached_name_key, name_key

    _cached_name_key.cache_clear()
    assert name_key(" 《中国 社会》 ") == "中国社会"
    assert name_key("社" * (CACHED_NAME_CHARS + 1) + " 会") == "社" * (CACHED_NAME_CHARS + 1) + "会"
    for i in range(50):
        name_key(f"{i}" + "会" * 10_000)
    assert _cached_name_key.cache_info().currsize == 1
