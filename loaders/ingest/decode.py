"""Bytes -> text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, and last
Big5 / Big5-HKSCS (traditional Chinese), detected by charset-normalizer.

Binary files (NUL bytes, control characters) and files that decode to nothing
plausible are rejected with an InputError naming the file.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from shegong.schema import InputError

__all__ = ["MAX_FILE_BYTES", "decode_bytes", "read_bytes"]

MAX_FILE_BYTES = 32 * 1024 * 1024

# C0 controls other than tab, line feed, form feed and carriage return, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What Chinese or English prose is made of; GB18030 decodes many random byte strings, but
# into rare code points, so a GB18030 result must be mostly these to be believed.
_PLAUSIBLE = re.compile(
    r"[\t\n\r\f\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2190-\u27bf\u3000-\u303f"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
_MIN_PLAUSIBLE = 0.95
_MAX_CONTROL = 0.001  # a stray control character is tolerated, a sprinkle is binary


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``; refuses a file over ``max_bytes`` before reading it."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: file is {_size(size)} ({size} bytes), over the limit of "
                f"{_size(max_bytes)} ({max_bytes} bytes); split it or raise the limit"
            )
        with open(path, "rb") as handle:
            # Read one byte more than allowed: a file that grew since stat() is caught too.
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise InputError(f"{path}: file is over the limit of {_size(max_bytes)}")
    return data


def _check_text(text: str, name: str, encoding: str) -> str:
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(1, len(text) * _MAX_CONTROL):
        raise InputError(f"{name}: binary file ({controls} control characters after {encoding})")
    return text


def _utf8(data: bytes) -> str:
    """Strict UTF-8, except that a character cut off by truncation at the very end is
    dropped (files cut at a byte limit are common; anything else wrong still fails)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            return data[: error.start].decode("utf-8")
        raise


#: Tried by charset-normalizer when neither UTF-8 nor GB18030 fits (big5hkscs is a
#: superset of big5 with Hong Kong characters; cp950 is Microsoft's big5).
_TRADITIONAL = ["big5", "big5hkscs", "cp950"]


def _traditional(data: bytes) -> str | None:
    """The text of ``data`` in a Big5 encoding, if charset-normalizer finds one whose
    result looks like text; None otherwise."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_TRADITIONAL).best()
    if best is None:
        return None
    text = str(best)
    plausible = len(_PLAUSIBLE.findall(text)) / max(1, len(text))
    return text if plausible >= _MIN_PLAUSIBLE else None


def decode_bytes(data: bytes, name: str) -> str:
    """Decode ``data`` read from the file ``name``.

    Tries, in order: a BOM (UTF-8, UTF-16), strict UTF-8, then GB18030 (a superset of
    GBK and GB2312) whose result must look like text, then Big5 / Big5-HKSCS as
    charset-normalizer detects them. Raises InputError otherwise.
    """
    if not data.strip():
        raise InputError(f"{name}: empty file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), name, encoding)
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{name}: starts with a {encoding} byte-order mark but is not "
                    f"{encoding}: {error.reason} at byte {error.start}"
                ) from error
    if b"\x00" in data:
        raise InputError(
            f"{name}: binary file (contains NUL bytes; UTF-16 text needs a byte-order mark)"
        )
    try:
        return _check_text(_utf8(data), name, "UTF-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            if (big5 := _traditional(data)) is not None:
                return _check_text(big5, name, "Big5")
            raise InputError(
                f"{name}: cannot decode: not UTF-8 ({utf8_error.reason} at byte "
                f"{utf8_error.start}) nor GB18030/GBK ({error.reason} at byte {error.start}) "
                "nor Big5"
            ) from error
        plausible = len(_PLAUSIBLE.findall(text)) / max(1, len(text))
        if plausible < _MIN_PLAUSIBLE:
            if (big5 := _traditional(data)) is not None:
                return _check_text(big5, name, "Big5")
            raise InputError(
                f"{name}: cannot decode: not UTF-8 ({utf8_error.reason} at byte "
                f"{utf8_error.start}), nor Big5, and as GB18030 only {plausible:.0%} of the "
                "characters are ordinary text (binary or an unsupported encoding)"
            ) from utf8_error
        return _check_text(text, name, "GB18030")
