"""Bad input: each file gets a clear InputError naming it; the other files still load."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from shegong.loaders.ingest import MAX_FILE_BYTES, ingest_file, ingest_paths
from shegong.schema import InputError

GOOD = "吉林省社会工作座谈会召开\n\n2月21日,中国社会工作联合会副会长乔恒调研永昌街道社工站。\n"


def _random_bytes_invalid_everywhere(size: int) -> bytes:
    """Random bytes that neither UTF-8 nor GB18030 accept (0x80 and 0xFF lead no
    GB18030 sequence and are invalid UTF-8 lead bytes)."""
    rng = random.Random(7)
    data = bytearray(rng.randrange(0x21, 0x7F) for _ in range(size))
    for i in range(0, size, 97):
        data[i] = rng.choice((0x80, 0xFF))
    return bytes(data)


def test_ingest_bad_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"photo\.txt: binary file"):
        ingest_file(path)


def test_ingest_bad_control_characters_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.txt"
    path.write_bytes(("标题\x01\x02\x03正文\x04\x05" * 50).encode())
    with pytest.raises(InputError, match=r"ctrl\.txt: binary file"):
        ingest_file(path)


def test_ingest_bad_undecodable_file(tmp_path: Path) -> None:
    data = _random_bytes_invalid_everywhere(4000)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    path = tmp_path / "garbage.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"garbage\.txt: cannot decode: not UTF-8 .* GB18030"):
        ingest_file(path)


def test_ingest_bad_gb18030_decodable_noise_is_rejected(tmp_path: Path) -> None:
    # Bytes GB18030 accepts but that make no sense as text (4-byte sequences -> rare
    # code points); an encoding we do not support looks like this.
    rng = random.Random(3)
    chunks = [
        bytes(
            (
                0x81 + rng.randrange(3),
                0x30 + rng.randrange(10),
                0x81 + rng.randrange(100),
                0x30 + rng.randrange(10),
            )
        )
        for _ in range(500)
    ]
    data = b"".join(chunks)
    data.decode("gb18030")  # it does decode
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"noise\.txt: cannot decode"):
        ingest_file(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\n\t  \r\n", "扫一扫在手机端打开当前页\n|\n【大 中 小】 【打印】 |\n".encode()],
    ids=["empty", "whitespace", "furniture-only"],
)
def test_ingest_bad_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"empty\.txt: (empty file|no text left)"):
        ingest_file(path)


def test_ingest_bad_headings_only_file_has_no_article(tmp_path: Path) -> None:
    path = tmp_path / "heads.txt"
    path.write_text("一、政策参考\n中央政策\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"heads\.txt: no article found"):
        ingest_file(path)


def test_ingest_bad_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 50 MB without writing 50 MB
        handle.truncate(50 * 1024 * 1024)
    assert os.path.getsize(path) > MAX_FILE_BYTES
    with pytest.raises(InputError) as caught:
        ingest_file(path)
    message = str(caught.value)
    assert "huge.txt" in message
    assert "50.0 MB" in message and "32.0 MB" in message
    # a custom limit applies too
    small = tmp_path / "small.txt"
    small.write_text(GOOD * 20, encoding="utf-8")
    with pytest.raises(InputError, match=r"small\.txt: file is .* over the limit of 100 bytes"):
        ingest_file(small, max_bytes=100)


def test_ingest_bad_jsonl_lines_reject_the_whole_file_and_are_all_listed(tmp_path: Path) -> None:
    good = json.dumps({"title": "标题一", "text": "正文一。"}, ensure_ascii=False)
    lines = [good] * 6 + ["{not json"] + [good, json.dumps({"title": "无正文"}), "[1, 2]"]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest_file(path)
    message = str(caught.value)
    assert "3 bad records, file not loaded" in message
    assert f"{path}:7: not JSON:" in message
    assert f"{path}:9: no `text` field" in message
    assert f"{path}:10: not a JSON object" in message
    assert f"{path}:1:" not in message


def test_ingest_bad_single_jsonl_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"title": "a", "text": "正文。"}\n\n{"title": "b", "text": "x",\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=rf"^{path}:3: not JSON: .*\(file not loaded\)$"):
        ingest_file(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {"title": "没有正文"},
            r"rec\.json:record: no `text` field \(needs a string `text`; fields found: title\)",
        ),
        (
            [{"title": "a", "text": "正文。"}, {"title": "b", "body": "x"}],
            r"rec\.json:record 2: no `text` field",
        ),
        ({"title": "a", "text": 42}, r"rec\.json:record: `text` is int"),
        ({"title": "a", "text": "  "}, r"rec\.json:record: `text` is empty"),
        ("just a string", r"rec\.json:record: not a JSON object but str"),
    ],
)
def test_ingest_bad_json_records(tmp_path: Path, content: object, expected: str) -> None:
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        ingest_file(path)


def test_ingest_bad_json_syntax_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "title": "a",\n  "text": \n}', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json:4: not JSON: Expecting value"):
        ingest_file(path)


def test_ingest_bad_unsupported_extension_lists_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(
        InputError,
        match=r"report\.pdf: unsupported file type '\.pdf'; supported: \.htm, \.html, \.json, \.jsonl, \.txt",
    ):
        ingest_file(path)


def test_ingest_bad_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothere\.txt: no such file or directory"):
        ingest_file(tmp_path / "nothere.txt")


def test_ingest_bad_files_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_bad.jsonl").write_text("{oops}\n", encoding="utf-8")
    with open(tmp_path / "e_huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "f_image.png").write_bytes(b"\x89PNG")
    (tmp_path / "g_good.txt").write_text(GOOD.replace("2月21日", "3月1日"), encoding="utf-8")
    results = list(ingest_paths([tmp_path, tmp_path / "missing.txt"]))
    by_name = {Path(r.path).name: r for r in results}
    assert list(by_name) == [
        "a_good.txt",
        "b_binary.txt",
        "c_empty.txt",
        "d_bad.jsonl",
        "e_huge.txt",
        "f_image.png",
        "g_good.txt",
        "missing.txt",
    ]
    assert [len(by_name[n].articles) for n in ("a_good.txt", "g_good.txt")] == [1, 1]
    for name in (
        "b_binary.txt",
        "c_empty.txt",
        "d_bad.jsonl",
        "e_huge.txt",
        "f_image.png",
        "missing.txt",
    ):
        result = by_name[name]
        assert result.articles == []
        assert isinstance(result.error, InputError)
        assert name in str(result.error)
    assert "d_bad.jsonl:1: not JSON" in str(by_name["d_bad.jsonl"].error)
