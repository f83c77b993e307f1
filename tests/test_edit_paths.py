"""One editors' rule on every path: the same correction made through a file
(`shegong edges import`), the CLI (`shegong edges add`) and the API (`addRelation`)
leaves the same store on both store kinds: the editor's value replaces the extracted
one, the evidence stays, and the audit keeps old and new value. Bad values are refused
alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from shegong.gql import ApiSettings, create_app
from shegong.graph import GraphStore
from shegong.loaders.cli import main
from shegong.schema import Evidence, GraphBatch, Label, Node, Relation, RelationType

from tests import stores
from tests.gql.server import running_server

TOKEN = "contract-token"
PERSON = Node(Label.PERSON, "彭东")
ORG = Node(Label.ORGANISATION, "中国社会工作联合会")
EXTRACTED = Relation(
    RelationType.HOLDS_POSITION,
    PERSON.id,
    ORG.id,
    {"title": "秘书长"},
    evidence=[Evidence("art-1", "中国社会工作联合会秘书长彭东", 0, 14, "appositive", 0.9)],
)


@pytest.fixture(params=stores.store_params())
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], GraphStore]]:
    """Makes a fresh store of one kind holding the extracted relation (and sets the
    environment the CLI needs to reach it)."""
    opened: list[GraphStore] = []
    monkeypatch = request.getfixturevalue("monkeypatch")

    def make() -> GraphStore:
        if request.param == "bolt":
            from tests.support.bolt_fixtures import open_bolt

            server = request.getfixturevalue("bolt_server")
            server.clear()
            if server.user:
                monkeypatch.setenv("NEO4J_AUTH", f"{server.user}/{server.password}")
            if server.database:
                monkeypatch.setenv("NEO4J_DATABASE", server.database)
            store: GraphStore = open_bolt(server)
        else:
            store = stores.open_embedded(tmp_path, f"s{len(opened)}.db")
        store.upsert(GraphBatch(nodes=[PERSON, ORG], relations=[EXTRACTED]))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def _by_file(store: GraphStore, tmp_path: Path, title: Any) -> int:
    path = tmp_path / "edit.csv"
    path.write_text(
        "source,source_label,relation,target,target_label,properties,note,editor\n"
        f'彭东,Person,HOLDS_POSITION,中国社会工作联合会,,"{{""title"": {_json(title)}}}",press release,wang\n',
        encoding="utf-8",
    )
    return main(["--store", store.uri, "edges", "import", str(path)])


def _by_cli(store: GraphStore, tmp_path: Path, title: Any) -> int:
    return main(
        [
            "--store", store.uri, "edges", "add", "--source", PERSON.id,
            "--relation", "HOLDS_POSITION", "--target", ORG.id, "--prop", f"title={title}",
            "--note", "press release", "--editor", "wang",
        ]
    )  # fmt: skip


def _by_api(store: GraphStore, tmp_path: Path, title: Any) -> int:
    mutation = (
        "mutation ($p: JSON) { addRelation(input: {type: HOLDS_POSITION, source: "
        f'"{PERSON.id}", target: "{ORG.id}", properties: $p, note: "press release", '
        'editor: "wang"}) { id } }'
    )
    app = create_app(store, ApiSettings(editor_token=TOKEN))
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        body = client.post(
            "/graphql",
            json={"query": mutation, "variables": {"p": {"title": title}}},
            headers={"authorization": f"Bearer {TOKEN}"},
        ).json()
    return 0 if "errors" not in body else 1


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False).replace('"', '""')


PATHS = {"file": _by_file, "cli": _by_cli, "api": _by_api}


def _snapshot(store: GraphStore) -> tuple[Any, ...]:
    rel = store.relation(EXTRACTED.id)
    assert rel is not None
    [entry] = [e for e in store.audit(target=EXTRACTED.id)]
    return (
        rel.properties,
        rel.curated,
        rel.editor,
        rel.note,
        [(e.article_id, e.start, e.end, e.rule) for e in store.evidence([rel.id])[rel.id]],
        entry.action,
        entry.editor,
        entry.details.get("changed"),
    )


def test_the_same_correction_on_every_path_gives_the_same_store(
    fresh: Callable[[], GraphStore], tmp_path: Path
) -> None:
    snapshots = {}
    for name, apply in PATHS.items():
        store = fresh()
        assert apply(store, tmp_path, "会长") == 0, name
        snapshots[name] = _snapshot(store)
    assert snapshots["file"] == snapshots["cli"] == snapshots["api"]
    properties, curated, editor, note, evidence, action, _, changed = snapshots["api"]
    assert (
        properties == {"title": "会长"} and curated and (editor, note) == ("wang", "press release")
    )
    assert evidence == [("art-1", 0, 14, "appositive")]
    assert action == "curate_relation"
    assert changed == {"title": {"old": "秘书长", "new": "会长"}}


@pytest.mark.parametrize("bad", [[{"a": {"b": [1, 1]}}], True, ""])
def test_bad_values_are_refused_on_every_path(
    fresh: Callable[[], GraphStore], tmp_path: Path, bad: Any
) -> None:
    store = fresh()
    for name, apply in PATHS.items():
        if name == "cli" and not isinstance(bad, str):
            continue  # --prop only carries text
        assert apply(store, tmp_path, bad) != 0, name
        rel = store.relation(EXTRACTED.id)
        assert rel is not None and rel.properties == {"title": "秘书长"} and not rel.curated


def test_a_curated_value_is_corrected_again_and_audited(
    fresh: Callable[[], GraphStore], tmp_path: Path
) -> None:
    store = fresh()
    assert _by_file(store, tmp_path, "会长") == 0
    assert _by_api(store, tmp_path, "名誉会长") == 0
    rel = store.relation(EXTRACTED.id)
    assert rel is not None and rel.properties == {"title": "名誉会长"} and rel.curated
    assert len(store.evidence([rel.id])[rel.id]) == 1
    first, second = store.audit(target=EXTRACTED.id)
    assert (first.action, second.action) == ("curate_relation", "correct_relation")
    assert second.details["changed"] == {"title": {"old": "会长", "new": "名誉会长"}}
    # The same value again changes nothing and adds no audit entry.
    assert _by_cli(store, tmp_path, "名誉会长") == 0
    assert len(store.audit(target=EXTRACTED.id)) == 2
