"""The editors' commands (``shegong edges|entities|audit``) on every store kind, run through
the real CLI entry point against the store's URI."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest
from shegong.graph import GraphStore
from shegong.loaders.cli import main
from shegong.loaders.cli.edit import default_editor
from shegong.schema import AuditEntry, GraphBatch, InputError, Label, Node, RelationType, Settings

from .loaders.editing_world import (
    CSV_HEADER,
    EXTRACTED,
    FEDERATION,
    JINAN,
    PENG,
    cli_env,
    seed,
    snapshot,
    write,
)

CURATED_DIR = Path(__file__).resolve().parents[1] / "loaders" / "curated"
EXAMPLES = [str(CURATED_DIR / "relations.csv"), str(CURATED_DIR / "relations.yaml")]


class Cli:
    """Runs ``shegong --store <uri> ...`` in-process and captures its output."""

    def __init__(self, store: GraphStore, capsys: pytest.CaptureFixture[str]) -> None:
        self.uri = store.uri
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["--store", self.uri, *args])
        except SystemExit as e:  # argparse errors
            code = int(e.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(
    store: GraphStore,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Cli:
    cli_env(store, request, monkeypatch)
    monkeypatch.setenv("USER", "tester")
    seed(store)
    return Cli(store, capsys)


def test_cli_import_examples_then_again(cli: Cli, store: GraphStore) -> None:
    code, out, _ = cli("edges", "import", *EXAMPLES, "--dry-run", "--create-missing")
    assert code == 0
    assert "would be added\t" in out
    assert out.strip().endswith(
        "dry run: 29 change(s) would be written (14 added, 1 curated, 14 created); nothing written"
    )
    code, out, err = cli("edges", "import", *EXAMPLES, "--create-missing")
    assert (code, err) == (0, "")
    assert out.strip().endswith("29 change(s) written (14 added, 1 curated, 14 created)")
    assert "relations.csv:11)" in out
    after = snapshot(store)
    code, out, _ = cli("edges", "import", *EXAMPLES, "--create-missing")
    assert code == 0
    assert out.strip().endswith("0 change(s) written (15 present)")
    assert snapshot(store) == after
    curated = store.relations(curated=True)
    assert len(curated) == 15
    assert {r.editor for r in curated} == {"liu.min", "zhao.ning"}


def test_cli_import_without_create_missing_lists_unknown_entities(
    cli: Cli, store: GraphStore
) -> None:
    before = snapshot(store)
    code, out, err = cli("edges", "import", EXAMPLES[0])
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("shegong: error: ") and "nothing imported" in lines[0]
    assert any(
        "relations.csv:6: unknown source: no Organisation entity has the name" in x for x in lines
    )
    assert snapshot(store) == before


def test_cli_import_bad_rows_each_with_line(cli: Cli, store: GraphStore, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        CSV_HEADER
        + "彭东,,HOLDS_POSITION,中国社会工作联合会,,title=副会长,ok,liu\n"
        + "彭东,,HOLDS,中国社会工作联合会,,,n,liu\n"
        + "彭东,,HOLDS_POSITION,社工协会,,,n,liu\n"
        + "彭东,,HOLDS_POSITION,中国社会工作联合会,,rank=1,n,liu\n",
    )
    before = snapshot(store)
    code, _, err = cli("edges", "import", str(path))
    assert code == 1  # input rejected
    assert f"{path}: 3 bad row(s), nothing imported:" in err
    assert f"{path}:3: unknown relation type 'HOLDS'; valid types: GUIDED_BY," in err
    assert f"{path}:4: ambiguous target: '社工协会' names 2 entities:" in err
    assert f"{path}:5: HOLDS_POSITION takes no property 'rank'; valid properties: title" in err
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["edges", "import", "missing.csv"], "shegong: error: missing.csv: no such file"),
        (["edges", "retract", "rel-0000000000000000", "--reason", "x"], "no relation with id"),
        (["edges", "retract", EXTRACTED.id, "--reason", " "], "--reason must not be empty"),
        (["entities", "merge", "中国社会工作联合会", "彭东", "--note", "n"], "彭东"),
        (
            ["entities", "merge", "社工协会", "中国社工联", "--note", "n"],
            "'社工协会' names 2 entities",
        ),
        (["entities", "unmerge", PENG.id], "was not merged"),
        (["entities", "alias", "nobody", "x"], "no entity has the name or alias 'nobody'"),
        (["edges", "list", "--type", "LIKES"], "unknown relation type 'LIKES'; valid types:"),
    ],
)
def test_cli_errors_are_one_line(
    cli: Cli, store: GraphStore, args: list[str], message: str
) -> None:
    before = snapshot(store)
    code, out, err = cli(*args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("shegong: error: ")
    assert message in err
    assert snapshot(store) == before


def test_cli_add_relation(cli: Cli, store: GraphStore) -> None:
    args = ["edges", "add", "--source", "北京法安技术服务中心", "--source-label", "Organisation"]
    args += ["--relation", "donated_to", "--target", "海南省社会工作联合会"]
    args += ["--prop", "item=法治保障卡", "--prop", "quantity=300万张", "--note", "article 000"]
    code, _, err = cli(*args)
    assert code == 2
    assert (
        "unknown source: no Organisation entity has the name or alias '北京法安技术服务中心'" in err
    )
    code, out, _ = cli(*args, "--create-missing", "--editor", "liu")
    assert code == 0
    assert "added\trel-" in out and "item=法治保障卡 quantity=300万张" in out
    [rel] = store.relations(types=[RelationType.DONATED_TO])
    assert (rel.curated, rel.editor, rel.note) == (True, "liu", "article 000")
    assert rel.properties == {"item": "法治保障卡", "quantity": "300万张"}
    code, out, _ = cli(*args, "--create-missing")
    assert code == 0 and out.startswith("present\t")
    code, _, err = cli(*args[:-4], "--prop", "item", "--note", "n")
    assert code == 2 and "--prop 'item' is not KEY=VALUE" in err


def test_cli_retract_and_list(cli: Cli, store: GraphStore) -> None:
    code, out, _ = cli(
        "edges", "retract", EXTRACTED.id, "--reason", "wrong title", "--note", "see 000"
    )
    assert code == 0
    assert (
        out
        == f"retracted\t{EXTRACTED.id}\t彭东 -HOLDS_POSITION-> 中国社会工作联合会\t(reason: wrong title)\n"
    )
    rel = store.relation(EXTRACTED.id)
    assert rel is not None and rel.retracted and rel.retracted_reason == "wrong title"
    audit = store.audit()
    code, out, _ = cli("edges", "retract", EXTRACTED.id, "--reason", "again")
    assert code == 0 and out.startswith(f"already retracted\t{EXTRACTED.id}\t")
    assert out.endswith("(reason: wrong title)\n")
    assert store.audit() == audit
    code, out, _ = cli("edges", "list")
    assert EXTRACTED.id not in out and out.endswith("0 relation(s)\n")
    code, out, _ = cli("edges", "list", "--retracted")
    assert (
        f"{EXTRACTED.id}\t彭东 -HOLDS_POSITION-> 中国社会工作联合会 title=副会长\t[retracted: wrong title]"
        in out
    )
    code, out, _ = cli("edges", "list", "--retracted", "--json")
    [item] = json.loads(out)
    assert item["id"] == EXTRACTED.id and item["retracted"] and item["source_name"] == "彭东"
    code, _, err = cli("edges", "list", "--retracted", "--curated")
    assert code == 2 and "not allowed with argument" in err


def test_cli_list_curated(cli: Cli, store: GraphStore) -> None:
    cli(
        "edges",
        "add",
        "--source",
        "海南省社会工作联合会",
        "--relation",
        "LOCATED_IN",
        "--target",
        "海南省",
        "--note",
        "n1",
    )
    code, out, _ = cli("edges", "list", "--curated", "--json")
    [item] = json.loads(out)
    assert (item["type"], item["curated"], item["editor"], item["note"]) == (
        "LOCATED_IN",
        True,
        "tester",
        "n1",
    )
    code, out, _ = cli("edges", "list")
    assert out.endswith("2 relation(s)\n")
    assert "[curated by tester: n1]" in out


def test_cli_merge_unmerge_alias_and_audit(cli: Cli, store: GraphStore) -> None:
    dup = Node(Label.ORGANISATION, "中国社会工作联合会党委")
    store.upsert(GraphBatch(nodes=[dup]))
    code, out, _ = cli(
        "entities", "merge", FEDERATION.id, dup.id, "--note", "same body", "--editor", "liu"
    )
    assert code == 0 and out.startswith(f"merged\t{dup.id} -> 中国社会工作联合会 ({FEDERATION.id}")
    assert [n.id for n in store.find_by_name("中国社会工作联合会党委")] == [FEDERATION.id]
    code, out, _ = cli("entities", "unmerge", dup.id, "--note", "not the same")
    assert code == 0 and out.startswith(f"unmerged\t中国社会工作联合会党委 ({dup.id}")
    assert [n.id for n in store.find_by_name("中国社会工作联合会党委")] == [dup.id]
    code, out, _ = cli(
        "entities", "alias", "中国社会工作联合会", "中国社工联合会", "--note", "short form"
    )
    assert code == 0
    assert [n.id for n in store.find_by_name("中国社工联合会")] == [FEDERATION.id]
    code, out, _ = cli("entities", "alias", FEDERATION.id, "中国社工联合会")
    assert code == 0 and out.startswith("already named\t中国社工联合会 -> 中国社会工作联合会")
    code, out, err = cli("entities", "alias", "济南社会工作协会", "中国社工联")
    assert code == 0 and "shegong: warning: '中国社工联' also names 中国社会工作联合会" in err

    code, out, _ = cli("audit", "--json")
    entries = json.loads(out)
    assert [(e["action"], e["editor"], e["target"], e["note"]) for e in entries] == [
        ("merge", "liu", dup.id, "same body"),
        ("unmerge", "tester", dup.id, "not the same"),
        ("add_alias", "tester", FEDERATION.id, "short form"),
        ("add_alias", "tester", JINAN.id, None),
    ]
    code, out, _ = cli("audit", "--target", FEDERATION.id)
    assert out.splitlines()[-1] == "1 entry"
    assert "\ttester\tadd_alias\t" + FEDERATION.id + "\tshort form" in out


def test_cli_editor_falls_back_to_shegong_editor_then_login(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["edges", "import", "--help"])
    assert "(default: $SHEGONG_EDITOR, else the login name)" in " ".join(
        capsys.readouterr().out.split()
    )
    # no $USER (a container, CI): $SHEGONG_EDITOR names the editor
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHEGONG_EDITOR", "ci-bot")
    code, out, err = cli("edges", "retract", EXTRACTED.id, "--reason", "x")
    assert code == 0, err
    assert [e.editor for e in cli_audit(cli)] == ["ci-bot"]
    # neither: the login name from the password database
    monkeypatch.delenv("SHEGONG_EDITOR")
    assert default_editor(None) == pwd.getpwuid(os.getuid()).pw_name
    assert default_editor(" liu ") == "liu"


def test_cli_editor_missing_everywhere_is_a_clear_error() -> None:
    # `login` stands for a uid without a passwd entry, which this machine cannot produce
    with pytest.raises(InputError, match="give --editor NAME or set SHEGONG_EDITOR"):
        default_editor(None, settings=Settings.from_env({}), login="")
    assert default_editor(None, required=False, settings=Settings.from_env({}), login="") == ""
    assert default_editor(None, settings=Settings.from_env({"SHEGONG_EDITOR": "zhao"})) == "zhao"


def cli_audit(cli: Cli) -> list[AuditEntry]:
    code, out, _ = cli("audit", "--json")
    assert code == 0
    return [AuditEntry(**row) for row in json.loads(out)]
