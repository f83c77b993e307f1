"""The ``shegong`` command run as a user runs it: a subprocess, a store file, exit codes."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parents[1]


def shegong(
    *args: str, store: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "SHEGONG_STORE"}
    full_env.update(env or {})
    prefix = ["--store", str(store)] if store is not None else []
    return subprocess.run(
        [sys.executable, "-m", "shegong.loaders.cli", *prefix, *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=300,
    )


def stats(store: Path) -> dict[str, object]:
    done = shegong("stats", "--json", store=store)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_cli_load_twice_is_idempotent(tmp_path: Path, articles_dir: Path) -> None:
    store = tmp_path / "kg.db"
    first = shegong("load", str(articles_dir), store=store)
    assert first.returncode == 0, first.stderr
    assert "files:     5 read\n" in first.stdout
    assert "articles:  21 new, 0 already stored\n" in first.stdout
    after_first = stats(store)
    by_label = after_first["nodes_by_label"]
    assert by_label["Article"] == 21  # type: ignore[index]
    assert by_label.get("Organisation", 0) > 0 and after_first["relations"] > 0  # type: ignore[union-attr,operator]
    assert "entities:  0 added" not in first.stdout
    second = shegong("load", str(articles_dir), store=store)
    assert second.returncode == 0, second.stderr
    # unchanged files are not even read again: their hashes are in the store
    assert "files:     0 read, 5 unchanged since stored (skipped; --force reads them)" in (
        second.stdout
    )
    assert "entities:  0 added, 0 updated" in second.stdout
    forced = shegong("load", str(articles_dir), "--force", "--store", str(store))
    assert forced.returncode == 0, forced.stderr
    assert "files:     5 read\n" in forced.stdout
    assert "articles:  0 new, 21 already stored\n" in forced.stdout
    assert "entities:  0 added, 0 updated" in forced.stdout
    assert "relations: 0 added, 0 updated" in forced.stdout
    assert stats(store) == after_first
    from shegong.graph import open_store
    from shegong.loaders.pipeline import EXTRACTOR_VERSION, bundled_extractor_version

    opened = open_store(str(store))
    try:
        digests = [
            hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(articles_dir.iterdir())
        ]
        version = bundled_extractor_version()
        assert version.startswith(EXTRACTOR_VERSION + "+")
        assert opened.loaded_files(digests) == dict.fromkeys(digests, version)
    finally:
        opened.close()


def test_cli_load_missing_file_is_not_read(tmp_path: Path, articles_dir: Path) -> None:
    done = shegong(
        "load", str(articles_dir / "003_7eafb0b8637f852a.txt"), "nope.txt", store=tmp_path / "k.db"
    )
    assert done.returncode == 1
    assert "files:     1 read, 1 not found\n" in done.stdout
    assert "not found:\n  nope.txt: no such file or directory" in done.stdout


def test_cli_bad_file_among_good(tmp_path: Path, articles_dir: Path) -> None:
    store = tmp_path / "kg.db"
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(articles_dir / "000_c77731aa6780b8e4.txt", one)
    assert shegong("load", str(one), store=store).returncode == 0
    inputs = tmp_path / "in"
    shutil.copytree(articles_dir, inputs)
    (inputs / "zz_binary.txt").write_bytes(b"\x00\x01\xfe\xff" * 100)
    (inputs / "zz_lines.jsonl").write_text(
        '{"title": "好", "text": "好的"}\n{oops\n', encoding="utf-8"
    )
    done = shegong("load", str(inputs), store=store)
    assert done.returncode == 1
    assert "files:     6 read, 1 unchanged since stored" in done.stdout
    assert ", 2 rejected\n" in done.stdout
    assert "zz_binary.txt" in done.stdout and "zz_lines.jsonl:2" in done.stdout
    by_label = stats(store)["nodes_by_label"]
    assert by_label["Article"] == 21  # type: ignore[index]  # good files loaded, nothing lost
    assert by_label.get("Organisation", 0) > 0  # type: ignore[union-attr]


def test_cli_export_node_link_reads_back(tmp_path: Path, articles_dir: Path) -> None:
    store = tmp_path / "kg.db"
    assert shegong("load", str(articles_dir), store=store).returncode == 0
    out = tmp_path / "graph.json"
    done = shegong("export", "--format", "node-link", "-o", str(out), store=store)
    assert done.returncode == 0, done.stderr
    graph = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    counts = stats(store)
    assert (
        graph.number_of_nodes() == counts["nodes"]
        and graph.number_of_edges() == counts["relations"]
    )
    assert sum(1 for _, a in graph.nodes(data=True) if a["label"] == "Article") == 21
    assert all(
        {"type", "article_ids", "sentences", "rules"} <= attrs.keys()
        for _, _, attrs in graph.edges(data=True)
    )
    assert all({"label", "name", "aliases"} <= attrs.keys() for _, attrs in graph.nodes(data=True))
    assert (
        shegong(
            "export", "--format", "graphml", "-o", str(tmp_path / "g.graphml"), store=store
        ).returncode
        == 0
    )
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    assert graphml.number_of_nodes() == counts["nodes"]
    assert {"中国社会工作联合会"} <= {a["label"] for _, a in graphml.nodes(data=True)}
    gexf = shegong("export", "--format", "gexf", "-o", str(tmp_path / "g.gexf"), store=store)
    assert gexf.returncode == 0, gexf.stderr
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == counts["nodes"]
    assert (
        shegong("export", "--format", "csv", "-o", str(tmp_path / "csv"), store=store).returncode
        == 0
    )
    assert (tmp_path / "csv" / "Article.csv").read_text(encoding="utf-8").count("\n") >= 22


def test_cli_extract_previews_without_writing(tmp_path: Path, articles_dir: Path) -> None:
    store = tmp_path / "never.db"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    done = shegong("extract", str(articles_dir), str(bad), "--format", "jsonl", store=store)
    assert done.returncode == 1
    assert "bad.txt" in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 21
    assert set(rows[0]) == {"article", "entities", "relations"}
    assert set(rows[0]["article"]) == {
        "id",
        "title",
        "source",
        "date",
        "author",
        "file",
        "start",
        "end",
    }
    assert "\\u" not in done.stdout  # Chinese printed as is
    mentions = [(r, m) for r in rows for e in r["entities"] for m in e["mentions"]]
    assert all(set(m) == {"text", "start", "end", "sentence", "in_title"} for _, m in mentions)
    titled = [(r["article"]["title"], m) for r, m in mentions if m["in_title"]]
    # as in the body, the span covers a name with its brackets (《…》, “…”)
    assert titled and all(m["text"] in t[m["start"] : m["end"]] for t, m in titled)
    assert not store.exists()
    ok = shegong("extract", str(articles_dir / "003_7eafb0b8637f852a.txt"))
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 1


def test_cli_store_from_environment_and_stats_text(tmp_path: Path, articles_dir: Path) -> None:
    store = tmp_path / "env.db"
    done = shegong(
        "load", str(articles_dir / "004_fd70191629ecb1ee.txt"), env={"SHEGONG_STORE": str(store)}
    )
    assert done.returncode == 0, done.stderr
    assert store.exists()
    text = shegong("stats", env={"SHEGONG_STORE": str(store)})
    assert text.returncode == 0 and "Article                  2" in text.stdout


def test_cli_demo_accepts_host_and_port(tmp_path: Path) -> None:
    store = tmp_path / "demo.db"
    # --no-serve: load and report only (serving is tested in tests/gql/test_api_cli.py).
    done = shegong("demo", "--host", "127.0.0.1", "--port", "8765", "--no-serve", store=store)
    assert done.returncode == 0, done.stderr
    assert "articles:  21 new" in done.stdout and "Article                 21" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "--format", "node-link", "-o", "/nonexistent-dir/x.json"], 3, "cannot write"),
        (["load", "data/articles", "--max-file-size", "0"], 2, "--max-file-size: must be positive"),
        (["load", "data/articles", "--workers", "0"], 2, "--workers: must be 1 or more, not 0"),
        (["load", "data/articles", "--workers", "two"], 2, "'two' is not a whole number"),
        (["stats", "--top", "-1"], 2, "--top: must be 0 or more, not -1"),
        (["edges", "list", "--limit", "0"], 2, "--limit: must be 1 or more"),
        (["audit", "--limit", "-3"], 2, "--limit: must be 1 or more"),
        (["serve", "--port", "0"], 2, "--port: must be 1 or more"),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        (["edges"], 2, "the following arguments are required: ACTION"),
        (["edges", "retract", "rel-nope", "--reason", "x", "--editor", "e"], 2, "rel-nope"),
    ],
)
def test_cli_errors_are_one_clear_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    store = tmp_path / "kg.db"
    assert shegong("load", "data/articles/003_7eafb0b8637f852a.txt", store=store).returncode == 0
    done = shegong(*args, store=store)
    assert done.returncode == code, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_cli_refuses_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    fake = tmp_path / "notes.txt"
    fake.write_text("this is not a database\n" * 100, encoding="utf-8")
    done = shegong("stats", store=fake)
    assert done.returncode == 3
    assert "cannot open as a shegong store" in done.stderr and "Traceback" not in done.stderr
    assert fake.read_text(encoding="utf-8").startswith("this is not a database")


def test_cli_store_in_missing_directory(tmp_path: Path) -> None:
    done = shegong("load", "data/articles", store=tmp_path / "no" / "such" / "kg.db")
    assert done.returncode == 3
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["stats"],
        ["export", "--format", "graphml", "-o", "out.graphml"],
        ["serve", "--port", "8799"],
        ["edges", "list"],
        ["edges", "retract", "rel-x", "--reason", "r", "--editor", "e"],
        ["entities", "alias", "org-x", "别名", "--editor", "e"],
        ["audit"],
    ],
)
def test_cli_read_commands_refuse_a_missing_store(tmp_path: Path, args: list[str]) -> None:
    """A mistyped --store is named, not silently created empty (serve would say ok)."""
    typo = tmp_path / "shegnog.db"
    done = subprocess.run(
        [sys.executable, "-m", "shegong.loaders.cli", *args, "--store", str(typo)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 3
    assert f"no store at '{typo}'" in done.stderr and "shegong load" in done.stderr
    assert not typo.exists() and not (tmp_path / "out.graphml").exists()


def test_cli_write_commands_create_the_store(tmp_path: Path) -> None:
    made = tmp_path / "new.db"
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "source,source_label,relation,target,target_label,note\n"
        "甲社工机构,Organisation,GUIDED_BY,乙民政局,Organisation,test\n",
        encoding="utf-8",
    )
    done = shegong("edges", "import", str(rows), "--create-missing", "--editor", "e", store=made)
    assert done.returncode == 0, done.stderr
    assert stats(made)["relations"] == 1


@pytest.mark.parametrize("uri", ["http://localhost:8000/graphql", "https://example.org/kg"])
def test_cli_http_store_names_the_accepted_forms(tmp_path: Path, uri: str) -> None:
    done = shegong("stats", env={"SHEGONG_STORE": uri})
    assert done.returncode == 2
    assert f"cannot open store '{uri}'" in done.stderr
    assert "file path" in done.stderr and "bolt://HOST:7687" in done.stderr
    assert "neo4j+s" in done.stderr and "Traceback" not in done.stderr


def test_cli_store_before_or_after_the_command(tmp_path: Path) -> None:
    one = "data/articles/003_7eafb0b8637f852a.txt"
    after, before = tmp_path / "after.db", tmp_path / "before.db"
    assert shegong("load", one, "--store", str(after)).returncode == 0
    assert shegong("--store", str(before), "load", one).returncode == 0
    late = shegong("stats", "--json", "--store", str(after))
    assert late.returncode == 0, late.stderr
    assert json.loads(late.stdout)["store"] == str(after)
    assert stats(before)["nodes"] == json.loads(late.stdout)["nodes"]
    # given on both sides, the one after the command wins (it is nearer the command)
    both = shegong("--store", str(before), "stats", "--json", "--store", str(after))
    assert json.loads(both.stdout)["store"] == str(after)
    nested = shegong("edges", "list", "--store", str(after))
    assert nested.returncode == 0, nested.stderr


def test_cli_version_and_bare_help() -> None:
    version = shegong("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"shegong {importlib.metadata.version('shegong-kg')}"
    bare = shegong()
    assert bare.returncode == 0 and bare.stderr == ""
    assert bare.stdout.startswith("usage: shegong")
    for command in ("load", "stats", "export", "serve", "edges", "demo"):
        assert command in bare.stdout
    assert "exit codes: 0 ok, 1 some input rejected, 2 usage, 3 store" in bare.stdout


def test_cli_output_piped_into_a_closed_reader_is_quiet(articles_dir: Path) -> None:
    """`shegong extract ... | head -c 10` stops quietly: no traceback, no error line."""
    command = (
        f"'{sys.executable}' -m shegong.loaders.cli extract '{articles_dir}' --format jsonl"
        " | head -c 10"
    )
    pipe = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=REPO)
    assert len(pipe.stdout) == 10
    assert "Traceback" not in pipe.stderr and "error" not in pipe.stderr, pipe.stderr


def test_cli_load_progress_bar_on_a_terminal(tmp_path: Path, articles_dir: Path) -> None:
    """On a terminal (a real pty) the bar counts the bytes to read, with total, rate and
    time left, and stays at the end; piped, there is no bar."""
    import fcntl
    import pty
    import struct
    import termios

    total = sum(p.stat().st_size for p in articles_dir.iterdir())
    main, child = pty.openpty()
    # a terminal 160 columns wide (a fresh pty has 0 x 0, where tqdm draws nothing)
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 160, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "SHEGONG_STORE"}
    done = subprocess.run(
        [sys.executable, "-m", "shegong.loaders.cli", "--store", str(tmp_path / "kg.db")]
        + ["load", str(articles_dir), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=child,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child side is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    bar = b"".join(chunks).decode("utf-8", "replace").replace("\r", "\n").splitlines()
    assert done.returncode == 0
    final = [line for line in bar if line.startswith("loading 5 files") and "100%" in line]
    assert final, bar
    shown_total = f"{total / 1024:.1f}k"  # tqdm's scaled size with unit_divisor 1024
    assert f"/{shown_total}" in final[-1], final[-1]
    assert "B/s" in final[-1] and "<00:00" in final[-1]  # rate, elapsed<left
    piped = shegong("load", str(articles_dir), store=tmp_path / "piped.db")
    assert "loading" not in piped.stderr and "%|" not in piped.stderr
