"""Strict decoding of request bodies and query parameters.

A body must be UTF-8 JSON holding one object, nested at most ``MAX_JSON_DEPTH`` deep,
whose strings hold no NUL character and no lone surrogate (``"\\ud800"`` decodes to one
in Python; no store can keep it) and are at most ``max_string`` characters long.
Anything else raises ``BadRequest`` naming the problem and where it is (``variables.text``),
which the view answers with 400 and a GraphQL error body.
"""

from __future__ import annotations

import json
from typing import Any

from shegong.schema import InputError

__all__ = ["MAX_JSON_DEPTH", "BadRequest", "check_text", "decode_json_body", "check_value"]

#: The deepest nesting of arrays and objects a body may have.
MAX_JSON_DEPTH = 32


class BadRequest(InputError):
    """A request the server cannot read: answered with 400."""


def decode_json_body(data: str | bytes, max_string: int) -> dict[str, Any]:
    """The request object in ``data``; BadRequest for anything else."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise BadRequest(
                f"the request body is not UTF-8: byte 0x{data[e.start]:02x} at offset {e.start}"
            ) from e
    else:
        text = data
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise BadRequest(
            f"Unable to parse request body as JSON: {e.msg} (line {e.lineno}, column {e.colno})"
        ) from e
    except RecursionError as e:
        raise BadRequest(
            f"the request body is nested too deep (at most {MAX_JSON_DEPTH} levels)"
        ) from e
    if not isinstance(value, dict):
        raise BadRequest(
            "the request body must be a JSON object such as "
            f'{{"query": "...", "variables": {{...}}}}, got {_kind(value)}'
        )
    query = value.get("query")
    if isinstance(query, str):
        # The document may be long (the token limit bounds it); its string values are
        # checked once parsed.
        check_text(query, None, "query")
        value = {k: v for k, v in value.items() if k != "query"}
        check_value(value, max_string, "")
        value["query"] = query
    else:
        check_value(value, max_string, "")
    return value


def _no_constant(name: str) -> Any:
    raise BadRequest(f"the request body holds {name}, which is not JSON")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array"


def check_value(value: Any, max_string: int, where: str) -> None:
    """BadRequest when ``value`` nests too deep or holds a string ``check_text`` refuses;
    iterative, so a deep value cannot exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(value, where, 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            check_text(item, max_string, path or "the body")
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            shown = path if len(path) <= 40 else path[:37] + "..."
            raise BadRequest(
                f"the request body is nested too deep at {shown or 'the top'} "
                f"(at most {MAX_JSON_DEPTH} levels)"
            )
        if isinstance(item, dict):
            for key, child in item.items():
                check_text(key, max_string, f"a key in {path or 'the body'}")
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        else:
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(item))


def check_text(text: str, max_string: int | None, where: str) -> None:
    """BadRequest for a NUL character, a lone surrogate or more than ``max_string``
    characters (None: any length) in ``text`` (found at ``where``)."""
    if "\x00" in text:
        raise BadRequest(f"{where} holds a NUL character (\\u0000 at {text.index(chr(0))})")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise BadRequest(
            f"{where} holds a lone surrogate (\\u{ord(text[e.start]):04x} at {e.start}), "
            "which is not text"
        ) from e
    if max_string is not None and len(text) > max_string:
        raise BadRequest(f"{where} is {len(text)} characters long; at most {max_string} are taken")
