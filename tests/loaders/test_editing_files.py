"""Reading editors' CSV and YAML files: rows, line numbers, file-level errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from shegong.loaders.editing import CuratedRow, read_curated_file
from shegong.schema import CuratedFileError, InputError

HEADER = "source,source_label,relation,target,target_label,properties,note,editor\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_files_csv_rows_with_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "# a comment before the header\n"
        + HEADER
        + "彭东,Person,HOLDS_POSITION,中国社会工作联合会,,title=副会长,article 000,liu\n"
        + "\n"
        + "# a comment between rows\n"
        + ' 李伟 ,,ELECTED_PRESIDENT,许昌市社会工作行业协会,,"{""role"": ""首任会长""}",'
        + '"two\nline note",\n',
    )
    curated = read_curated_file(path)
    assert curated.problems == []
    assert curated.rows == [
        CuratedRow(
            line=3,
            source="彭东",
            source_label="Person",
            relation="HOLDS_POSITION",
            target="中国社会工作联合会",
            properties="title=副会长",
            note="article 000",
            editor="liu",
        ),
        CuratedRow(
            line=6,
            source="李伟",
            relation="ELECTED_PRESIDENT",
            target="许昌市社会工作行业协会",
            properties='{"role": "首任会长"}',
            note="two\nline note",
        ),
    ]


def test_files_csv_with_excel_bom_and_crlf(tmp_path: Path) -> None:
    body = (HEADER + "彭东,,HOLDS_POSITION,中国社会工作联合会,,,note,liu\n").replace("\n", "\r\n")
    path = write(tmp_path, "excel.csv", b"\xef\xbb\xbf" + body.encode("utf-8"))
    rows = read_curated_file(path).rows
    assert [(r.line, r.source, r.editor) for r in rows] == [(2, "彭东", "liu")]


def test_files_csv_only_required_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "min.csv", "relation,source,target,note\nPART_OF,a,b,n\n")
    assert read_curated_file(path).rows == [
        CuratedRow(line=2, source="a", relation="PART_OF", target="b", note="n")
    ]


def test_files_csv_missing_and_unknown_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "# header next\nsource,relation,targt,editor\n")
    with pytest.raises(CuratedFileError) as info:
        read_curated_file(path)
    assert info.value.problems == [
        (2, "missing required column(s): target, note"),
        (
            2,
            "unknown column(s): 'targt'; valid: source, source_label, relation, target, "
            "target_label, properties, note, editor",
        ),
    ]
    assert isinstance(info.value, InputError)
    assert "bad.csv:2: missing required column(s): target, note" in str(info.value)


def test_files_csv_too_many_cells_is_a_row_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path, "extra.csv", "source,relation,target,note\na,PART_OF,b,n,oops\nc,PART_OF,d,n\n"
    )
    curated = read_curated_file(path)
    assert curated.problems == [(2, "5 cells but the header has 4 columns")]
    assert [r.line for r in curated.rows] == [3]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("latin.csv", HEADER.encode() + b"a,,PART_OF,b,,,caf\xe9,x\n", (2, "not UTF-8")),
        ("empty.csv", b"# only a comment\n", (1, "empty file: no header row")),
        ("bad.yaml", b"- source: a\n  relation: [unclosed\n", (3, "not valid YAML")),
        ("top.yaml", b"edges:\n  - source: a\n", (1, "expected a list of relations")),
        ("scalar.yml", b"just text\n", (1, "expected a list of relations")),
    ],
)
def test_files_unreadable_file(
    tmp_path: Path, name: str, data: bytes, expected: tuple[int, str]
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(CuratedFileError) as info:
        read_curated_file(path)
    [(line, reason)] = info.value.problems
    assert (line, reason[: len(expected[1])]) == expected


def test_files_missing_file_or_unknown_type_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"absent.csv: no such file$"):
        read_curated_file(tmp_path / "absent.csv")
    path = write(tmp_path, "notes.txt", "whatever")
    with pytest.raises(
        InputError, match=r"notes.txt: unknown file type '.txt'; use .csv, .yaml or .yml$"
    ):
        read_curated_file(path)


def test_files_yaml_list_and_mapping_forms(tmp_path: Path) -> None:
    items = (
        "  - source: 顾东辉\n"
        "    relation: HOLDS_POSITION\n"
        "    target: 中国社会工作学会\n"
        "    properties: {title: 副会长}\n"
        "    note: article 001\n"
        "\n"
        "  - {source: 乔恒, relation: holds_position, target: 中国社会工作联合会, "
        "properties: title=副会长, note: n, editor: liu, source_label: Person}\n"
    )
    as_mapping = read_curated_file(write(tmp_path, "a.yaml", "# c\nrelations:\n" + items))
    as_list = read_curated_file(write(tmp_path, "b.yml", "# c\n# d\n" + items))
    for curated in (as_mapping, as_list):
        assert curated.problems == []
        assert [(r.line, r.source, r.properties) for r in curated.rows] == [
            (3, "顾东辉", {"title": "副会长"}),
            (9, "乔恒", "title=副会长"),
        ]
        assert curated.rows[1].source_label == "Person"
        assert curated.rows[1].editor == "liu"


def test_files_yaml_item_problems(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        "- just a string\n"
        "- source: a\n"
        "  relation: PART_OF\n"
        "  note: n\n"
        "- source: a\n"
        "  relation: PART_OF\n"
        "  target: [b, c]\n"
        "  note: n\n"
        "  colour: red\n"
        "- source: a\n"
        "  relation: PART_OF\n"
        "  target: b\n"
        "  note: n\n",
    )
    curated = read_curated_file(path)
    assert curated.problems == [
        (1, "an item must be a mapping of column: value"),
        (2, "missing required key(s): target"),
        (
            5,
            "unknown key(s): 'colour'; valid: source, source_label, relation, target, "
            "target_label, properties, note, editor; target must be a single value, not a list",
        ),
    ]
    assert [r.line for r in curated.rows] == [10]


def test_files_empty_yaml_has_no_rows(tmp_path: Path) -> None:
    assert read_curated_file(write(tmp_path, "e.yaml", "# nothing yet\n")).rows == []
    assert read_curated_file(write(tmp_path, "f.yaml", "relations: []\n")).rows == []


def test_files_bundled_examples_read_cleanly() -> None:
    root = Path(__file__).resolve().parents[2] / "loaders" / "curated"
    for name in ("relations.csv", "relations.yaml"):
        curated = read_curated_file(root / name)
        assert curated.problems == []
        assert len(curated.rows) >= 6
        assert all(r.note and r.editor for r in curated.rows)
