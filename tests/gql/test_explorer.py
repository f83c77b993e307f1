"""The web explorer in a real browser: headless Chromium (Debian's ``chromium``, driven by
playwright-core from npm) against ``shegong serve`` on the sample corpus.

``make test`` installs what this needs first: chromium (apt-get, when missing),
``npm ci`` in web/ and tests/gql/browser/, and the explorer's build (``make web``).
Screenshots of every view go to out/explorer/ (git ignores out/); the page load and
neighbourhood drawing times are printed, not asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from shegong.gql.static_pages import is_built
from shegong.graph import GraphStore, open_store
from shegong.schema import (
    GraphBatch,
    Label,
    Node,
    Relation,
    RelationType,
    entity_id,
    relation_id,
)

from tests.gql.server import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
OUT = REPO / "out" / "explorer"
TOKEN = "browser-test-editor-token"
EDITOR = "测试编辑"
HAINAN = "org-381b66bfc534e6e5"  # 海南省社会工作联合会
NATIONAL = "org-dab5d75bb8fcf563"  # 中国社会工作联合会
SHEGONG = str(Path(sys.executable).with_name("shegong"))


def _chromium() -> str:
    path = os.environ.get("SHEGONG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(
            "chromium is not installed: `make test` installs it (apt-get install chromium), "
            "or set SHEGONG_CHROMIUM to a Chromium binary"
        )
    return path


def _check_tools() -> None:
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH; the browser test needs Node.js")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        pytest.fail(f"playwright-core is not installed: run `npm ci --prefix {BROWSER_DIR}`")
    if not is_built():
        pytest.fail("the explorer is not built (gql/static/dist): run `make web`")


class Server:
    """``shegong serve`` in its own process, as a user starts it."""

    def __init__(self, store: Path, token: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SHEGONG_EDITOR_TOKEN": token}
        args = ["--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [SHEGONG, *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"shegong serve did not start: {self.process.stderr.read()}")  # type: ignore[union-attr]
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _big_batch() -> tuple[GraphBatch, str]:
    """A hub with 60 bodies around it and 139 people around those: 200 nodes in 2 hops."""
    hub = Node(Label.ORGANISATION, "测试省社会工作联合会", kind="association")
    bodies = [
        Node(Label.ORGANISATION, f"测试第{i:02d}社会工作服务中心", kind="service")
        for i in range(60)
    ]
    people = [Node(Label.PERSON, f"测试人员{i:03d}") for i in range(139)]
    rels = [Relation(RelationType.GUIDED_BY, body.id, hub.id) for body in bodies]
    rels += [
        Relation(RelationType.PARTNERED_WITH, body.id, bodies[(i + 1) % 60].id)
        for i, body in enumerate(bodies)
    ]
    rels += [
        Relation(RelationType.HOLDS_POSITION, person.id, bodies[i % 60].id, {"title": "主任"})
        for i, person in enumerate(people)
    ]
    return GraphBatch(nodes=[hub, *bodies, *people], relations=rels), hub.id


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    directory = tmp_path_factory.mktemp("explorer")
    demo = directory / "demo.db"
    subprocess.run(
        [SHEGONG, "--store", str(demo), "load", str(REPO / "data" / "articles")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    big = directory / "big.db"
    store = open_store(str(big))
    batch, centre = _big_batch()
    store.upsert(batch)
    store.close()
    yield demo, big, centre


def _path_pair(store: GraphStore) -> tuple[Node, Node, int]:
    """Two entities with unambiguous names and a path of 2-3 steps between them."""
    target = store.get(NATIONAL)
    assert target is not None
    for _, first in store.neighbours(NATIONAL):
        for _, second in store.neighbours(first.id):
            if second.id == NATIONAL or second.label is Label.ARTICLE:
                continue
            path = store.path(second.id, NATIONAL, 4)
            if path and len(path) >= 2 and len(store.find_by_name(second.name)) == 1:
                return second, target, len(path)
    pytest.fail("the sample corpus has no 2-step path to 中国社会工作联合会")


def _plan(demo: Path, big_url: str, url: str, centre: str) -> dict[str, Any]:
    store = open_store(str(demo))
    try:
        hainan = store.get(HAINAN)
        assert hainan is not None, "the sample corpus lost 海南省社会工作联合会"
        extracted = [
            rel
            for rel, _ in store.neighbours(HAINAN)
            if rel.evidence_count and not rel.curated and rel.type is not RelationType.MENTIONS
        ]
        assert extracted, "海南省社会工作联合会 has no extracted relation to retract"
        start, end, length = _path_pair(store)
        types = sorted(
            {rel.type for rel, _ in store.neighbours(HAINAN)}, key=list(RelationType).index
        )
        added = relation_id(RelationType.PARTNERED_WITH, HAINAN, NATIONAL)
        assert store.relation(added) is None
    finally:
        store.close()
    return {
        "base": url,
        "bigBase": big_url,
        "bigCentre": centre,
        "chromium": _chromium(),
        "out": str(OUT),
        "token": TOKEN,
        "editor": EDITOR,
        "search": {"text": "海南省社會工作聯合會", "id": HAINAN, "label": "ORGANISATION"},
        "graphType": {"type": types[0].value},
        "path": {"fromName": start.name, "toName": end.name, "length": length},
        "retract": {
            "entity": HAINAN,
            "relation": extracted[0].id,
            "reason": "浏览器测试：原文不支持",
        },
        "alias": "海南社联（测试）",
        "addRelation": {"type": "PARTNERED_WITH", "other": "中国社会工作联合会", "id": added},
        "reload": [
            SHEGONG,
            "--store",
            str(demo),
            "load",
            str(REPO / "data" / "articles"),
            "--force",
        ],
        "merge": {"keep": entity_id(Label.PERSON, "测试人员001"), "other": "测试人员000"},
    }


def test_explorer_in_chromium(
    stores: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _check_tools()
    demo, big, centre = stores
    server = Server(demo, TOKEN)
    big_server = Server(big, TOKEN)
    try:
        plan = _plan(demo, big_server.url, server.url, centre)
        done = subprocess.run(
            ["node", str(BROWSER_DIR / "explorer.mjs")],
            env={**os.environ, "EXPLORER_PLAN": json.dumps(plan, ensure_ascii=False)},
            capture_output=True,
            text=True,
            timeout=400,
            check=False,
        )
    finally:
        server.stop()
        big_server.stop()
    assert done.returncode == 0, f"the browser run failed:\n{done.stderr}\n{done.stdout}"
    found = json.loads(done.stdout.strip().splitlines()[-1])

    assert found["blocked"] == [], "requests left localhost"
    assert found["errors"] == [], "the pages logged errors"
    assert found["unknownEntity"] == "找不到该实体"
    assert "找不到“不存在的机构名称”" in found["unknownPathEnd"]
    assert found["retractWithoutReason"] == "请填写撤回理由"
    assert HAINAN in found["searchRows"]
    assert found["entityName"] == "海南省社会工作联合会"
    assert found["evidenceSpans"] and all(found["evidenceSpans"])
    assert found["article"]["span"] and found["article"]["mentions"] > 0
    assert found["neighbourhood"]["nodes"] > 5 and found["neighbourhood"]["edges"] > 5
    assert len(found["filteredTypes"]) == 1
    assert found["clickedThrough"]["got"] == found["clickedThrough"]["expected"]
    steps = found["path"]
    assert len(steps) == plan["path"]["length"]
    assert all(step["sentences"] >= 1 for step in steps), "a path step without its sentence"

    read_only = found["readOnly"]
    assert read_only["note"] and read_only["formsNote"]
    assert read_only["accepts"] > 0 and read_only["enabledAccept"] == 0
    assert read_only["retractControls"] == 0
    assert "invalid editor token" in found["wrongToken"]["message"]
    assert found["sessionToken"] is True

    assert found["retract"] == {
        "activeAfter": 0,
        "retractedAfter": 1,
        "activeAfterReload": 0,
        "retractedAfterReload": 1,
    }
    assert found["aliasShown"] is True and found["addedRelation"] >= 1
    review = found["review"]
    assert review["after"] == review["before"] - 1 == review["afterReload"]
    assert review["listedAfterReload"] == 0
    actions = [action for action, _ in found["audit"]]
    assert actions[:4] == ["accept", "add_relation", "add_alias", "retract"]
    assert "mostConnected" in found["graphiql"]["response"]
    assert found["bigGraph"]["nodes"] == 200
    assert found["merged"] is True

    # What the stores hold after the run, read without the browser.
    store = open_store(str(big))
    try:
        kept = store.get(entity_id(Label.PERSON, "测试人员000"))  # redirected to the kept one
        assert kept is not None and kept.id == plan["merge"]["keep"]
        assert "测试人员000" in kept.aliases
    finally:
        store.close()
    store = open_store(str(demo))
    try:
        retracted = store.relation(plan["retract"]["relation"])
        assert retracted is not None and retracted.retracted
        assert retracted.retracted_reason == plan["retract"]["reason"]
        accepted = store.relation(review["accepted"])
        assert accepted is not None and accepted.reviewed
        added = store.relation(plan["addRelation"]["id"])
        assert added is not None and added.curated and added.editor == EDITOR
        hainan = store.get(HAINAN)
        assert hainan is not None and plan["alias"] in hainan.aliases
        assert {entry.editor for entry in store.audit()} == {
            EDITOR
        }  # the wrong token wrote nothing
    finally:
        store.close()

    with capsys.disabled():
        loads = sorted(found["pageLoads"])
        graphs = sorted(found["bigGraphs"], key=lambda g: g["ms"])
        graph = graphs[len(graphs) // 2]
        print(
            f"\nexplorer (headless Chromium, shared 2-core machine): first view drawn "
            f"{loads[len(loads) // 2]:.0f} ms after navigation (median of {len(loads)} loads, "
            f"{loads[0]:.0f}-{loads[-1]:.0f}; target 1 s); {graph['nodes']} nodes / "
            f"{graph['edges']} edges drawn in {graph['ms']:.0f} ms (median of {len(graphs)}, "
            f"{graphs[0]['ms']:.0f}-{graphs[-1]['ms']:.0f}; set-up {graph['setupMs']:.0f}, "
            f"layout {graph['layoutMs']:.0f}, paint {graph['paintMs']:.0f}; target 1 s); "
            f"sample 2-hop neighbourhood {found['neighbourhood']['nodes']} nodes; "
            f"screenshots in {OUT}"
        )
