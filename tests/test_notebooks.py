"""The analyst notebooks: stored without outputs, using only the public API, and executed
top to bottom with nbclient on this venv's python (a failing cell fails the test).

01_explore runs against a store built from data/articles in tmp_path (named through
SHEGONG_STORE); 02_graphql against a real uvicorn server serving such a store (SHEGONG_API).
What the cells print is checked against the store itself, queried independently.
"""

from __future__ import annotations

import json
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from shegong.gql import create_app
from shegong.graph import GraphStore, open_store
from shegong.schema import Extraction, Label, RelationType

from tests import stores
from tests.gql.server import running_server

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
ARTICLES = REPO / "data" / "articles"
KERNEL = "shegong-test-venv"
PUBLIC_MODULES = {"shegong.graph", "shegong.schema", "shegong.loaders.pipeline"}
NOT_BETWEEN_ENTITIES = {RelationType.MENTIONS, RelationType.REPORTED_BY}


# -- running a notebook --------------------------------------------------------------------
@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A kernelspec for this interpreter (so the venv runs the notebook, whatever other
    kernels the machine has), found through JUPYTER_PATH; IPython's own files in tmp."""
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "shegong test venv",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend (Agg)
    yield


def run_notebook(name: str) -> nbformat.NotebookNode:
    """Execute notebooks/<name> from the notebooks folder; raises on the first failing cell."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=120,
        startup_timeout=60,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return nb


def tagged(nb: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def text_of(nb: nbformat.NotebookNode, tag: str) -> str:
    """What a cell printed (stdout) followed by the plain text of what it displayed."""
    parts: list[str] = []
    for out in tagged(nb, tag).outputs:
        if out.output_type == "stream" and out.name == "stdout":
            parts.append(out.text)
        elif out.output_type in ("display_data", "execute_result"):
            parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


def images_of(nb: nbformat.NotebookNode, tag: str) -> int:
    return sum(
        1
        for out in tagged(nb, tag).outputs
        if out.output_type == "display_data" and "image/png" in out.get("data", {})
    )


# -- independent views of the store --------------------------------------------------------
def entity_degree(store: GraphStore, node_id: str) -> int:
    """Relations touching a node, MENTIONS and REPORTED_BY excluded, counted in the store."""
    touching = store.relations(source_id=node_id) + store.relations(target_id=node_id)
    return sum(1 for r in touching if r.type not in NOT_BETWEEN_ENTITIES)


def corpus_text() -> str:
    return "\n".join(p.read_text("utf-8", errors="ignore") for p in sorted(ARTICLES.iterdir()))


def has_coordinates(props: object) -> bool:
    def number(*keys: str) -> bool:
        for key in keys:
            try:
                float(props.get(key))  # type: ignore[attr-defined]
                return True
            except (TypeError, ValueError):
                continue
        return False

    return number("lat", "latitude") and number("lon", "longitude")


# -- the stored notebooks ------------------------------------------------------------------
def stored_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_notebooks_exist() -> None:
    assert [p.name for p in stored_notebooks()] == ["01_explore.ipynb", "02_graphql.ipynb"]


@pytest.mark.parametrize("path", stored_notebooks(), ids=lambda p: p.name)
def test_notebook_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has stored outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has a count"


@pytest.mark.parametrize("path", stored_notebooks(), ids=lambda p: p.name)
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    used = set(re.findall(r"^\s*(?:from|import)\s+(shegong[\w.]*)", source, re.MULTILINE))
    assert used <= PUBLIC_MODULES, f"{path.name} imports {sorted(used - PUBLIC_MODULES)}"


# -- 01_explore ----------------------------------------------------------------------------
STEP = re.compile(
    r"^\d+\. (?P<a>.+?) (?P<left><?)-\[(?P<type>[A-Z_]+)\]-(?P<right>>?) (?P<b>.+?)"
    r"  \(confidence [\d.]+\)$"
)


def run_explore(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("SHEGONG_STORE", str(store_path))
    return run_notebook("01_explore.ipynb")


@pytest.fixture(params=stores.store_params())
def empty_store_env(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """An empty store of each kind in tests/stores.py, named through the environment the
    way users name it (SHEGONG_STORE, and NEO4J_* for a Bolt server). A kind other than
    embedded comes from its ``<kind>_server`` fixture (uri, user, password, database)."""
    kind = str(request.param)
    if kind == "embedded":
        uri = str(tmp_path / "explore.db")
    else:
        server = request.getfixturevalue(f"{kind}_server")
        server.clear()
        uri = server.uri
        for name, value in (
            ("NEO4J_USER", server.user),
            ("NEO4J_PASSWORD", server.password),
            ("NEO4J_DATABASE", server.database),
        ):
            if value:
                monkeypatch.setenv(name, value)
    monkeypatch.setenv("SHEGONG_STORE", uri)
    return uri


@pytest.mark.slow
@pytest.mark.usefixtures("kernel_env")
def test_notebook_explore_on_the_sample_corpus(empty_store_env: str) -> None:
    nb = run_notebook("01_explore.ipynb")
    store = open_store()  # the one the notebook opened, from the same environment
    assert store.uri.endswith(empty_store_env.split("://")[-1])
    try:
        check_counts(nb, store)
        check_top_organisations(nb, store)
        check_path(nb, store)
        check_relation_tables(nb, store)
        check_plots(nb, store)
    finally:
        store.close()


def check_counts(nb: nbformat.NotebookNode, store: GraphStore) -> None:
    counts = text_of(nb, "counts")
    assert re.search(r"^Loaded \d+ articles from 5 files", counts, re.MULTILINE), counts
    articles = store.count_nodes(Label.ARTICLE)
    assert articles >= 5  # at least one article per file of the corpus
    assert f"  Article: {articles}\n" in counts
    organisations = store.count_nodes(Label.ORGANISATION)
    assert text_of(nb, "communities").startswith(f"{organisations} organisations, ")


def check_top_organisations(nb: nbformat.NotebookNode, store: GraphStore) -> None:
    printed = text_of(nb, "top-organisations")
    orgs = store.nodes(Label.ORGANISATION)
    if not orgs:
        assert "No organisations in this store yet" in printed
        return
    rows = re.findall(r"^\d+\. (.+) \((.+?)\) degree=(\d+) betweenness=", printed, re.MULTILINE)
    assert 1 <= len(rows) <= 10, printed
    degree = {o.id: entity_degree(store, o.id) for o in orgs}
    by_name = {o.name: o for o in orgs}
    for name, _kind, shown in rows:
        assert name in by_name, f"{name} is not an organisation of the store"
        assert int(shown) == degree[by_name[name].id], name
    shown_degrees = [int(d) for _, _, d in rows]
    assert shown_degrees == sorted(shown_degrees, reverse=True)
    assert shown_degrees[0] == max(degree.values())
    text = corpus_text()
    assert any(name in text for name, _, _ in rows), "no top organisation is named in the corpus"


def check_path(nb: nbformat.NotebookNode, store: GraphStore) -> None:
    printed = text_of(nb, "path")
    if "No path found" in printed:
        assert "step(s)" not in printed
        return
    lines = printed.splitlines()
    steps = [(i, m) for i, line in enumerate(lines) if (m := STEP.match(line))]
    assert steps, printed
    assert re.match(rf"^.+ → .+: {len(steps)} step\(s\)$", lines[0]), lines[0]
    for (i, step), following in zip(steps, [*steps[1:], (len(lines), None)], strict=True):
        a, b = step["a"], step["b"]
        source, target = (a, b) if step["right"] == ">" else (b, a)
        relations = [
            r
            for s in store.find_by_name(source)
            for t in store.find_by_name(target)
            for r in store.relations(types=[step["type"]], source_id=s.id, target_id=t.id)
        ]
        assert relations, f"no {step['type']} from {source} to {target} in the store"
        pages = store.evidence([r.id for r in relations], limit=10_000)
        evidence = {ev.sentence for page in pages.values() for ev in page}
        quoted = [ln.strip()[1:-1] for ln in lines[i + 1 : following[0]] if ln.startswith("     “")]
        assert quoted and set(quoted) <= evidence, quoted
    chain = [(m["a"], m["b"]) for _, m in steps]
    assert all(chain[k][1] == chain[k + 1][0] for k in range(len(chain) - 1)), chain


def check_relation_tables(nb: nbformat.NotebookNode, store: GraphStore) -> None:
    printed = text_of(nb, "relations")
    for rtype in ("GUIDED_BY", "DONATED_TO", "ELECTED_PRESIDENT", "ELECTED_TO"):
        count = len(store.relations(types=[RelationType(rtype)]))
        assert f"{rtype}: {count} relation(s)" in printed
        if count:  # the table shows the first supporting sentence of the first row
            first = sorted(store.relations(types=[RelationType(rtype)]), key=lambda r: r.id)[0]
            assert store.get(first.source_id) is not None


def check_plots(nb: nbformat.NotebookNode, store: GraphStore) -> None:
    orgs = {o.id for o in store.nodes(Label.ORGANISATION)}
    org_links = [
        r
        for r in store.relations()
        if r.source_id in orgs and r.target_id in orgs and r.source_id != r.target_id
    ]
    assert images_of(nb, "org-network") == (1 if org_links else 0)
    if not org_links:
        assert "No links between organisations" in text_of(nb, "org-network")
    located = [p for p in store.nodes(Label.PLACE) if has_coordinates(p.properties)]
    assert text_of(nb, "places").startswith(f"{len(located)} place(s) with coordinates")
    assert images_of(nb, "places") == (1 if located else 0)
    timeline = text_of(nb, "timeline")
    match = re.match(r"(\d+) dated event\(s\)", timeline)
    assert match, timeline
    dated = int(match.group(1))
    assert dated <= store.count_nodes(Label.EVENT)
    assert images_of(nb, "timeline") == (1 if dated else 0)
    if not dated:
        assert "No event has a usable date" in timeline


def articles_only(article):  # type: ignore[no-untyped-def]
    """An extractor that finds nothing: the store holds articles and nothing else."""
    return Extraction(article=article)


@pytest.mark.slow
@pytest.mark.usefixtures("kernel_env")
def test_notebook_explore_says_so_when_nothing_was_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shegong.loaders.pipeline import load_paths

    store_path = tmp_path / "articles-only.db"
    store = open_store(str(store_path))
    report = load_paths(store, [ARTICLES], extractor=articles_only, workers=1)
    store.close()
    assert report.articles >= 5 and report.entities_added == 0
    nb = run_explore(store_path, monkeypatch)
    assert "Loaded" not in text_of(nb, "counts")  # a store with content is not loaded again
    assert "No organisations in this store yet" in text_of(nb, "top-organisations")
    assert "0 communities of two or more" in text_of(nb, "communities")
    assert "No path found" in text_of(nb, "path")
    assert "GUIDED_BY: 0 relation(s)" in text_of(nb, "relations")
    assert "No links between organisations to draw yet." in text_of(nb, "org-network")
    assert text_of(nb, "places").startswith("0 place(s) with coordinates")
    assert "No event has a usable date" in text_of(nb, "timeline")
    for tag in ("org-network", "places", "timeline"):
        assert images_of(nb, tag) == 0


# -- 02_graphql ----------------------------------------------------------------------------
def load_corpus() -> GraphStore:
    """The store named by the environment, loaded with data/articles."""
    from shegong.loaders.pipeline import load_paths

    store = open_store()
    report = load_paths(store, [ARTICLES], workers=1)
    assert report.ok, report.files_rejected
    return store


def two_hops(store: GraphStore, centre: str) -> set[str]:
    """Nodes within two relations of ``centre`` (MENTIONS and REPORTED_BY not followed)."""
    seen, frontier = {centre}, {centre}
    for _ in range(2):
        reached = {
            node.id
            for here in sorted(frontier)
            for rel, node in store.neighbours(here)
            if rel.type not in NOT_BETWEEN_ENTITIES
        }
        frontier = reached - seen
        seen |= reached
    return seen


@pytest.mark.slow
@pytest.mark.usefixtures("kernel_env")
def test_notebook_graphql_against_a_running_server(
    empty_store_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = load_corpus()
    try:
        with running_server(create_app(store)) as url:
            monkeypatch.setenv("SHEGONG_API", f"{url}/graphql")
            nb = run_notebook("02_graphql.ipynb")
        check_api_outputs(nb, store)
    finally:
        store.close()


def pages(count: int, size: int = 10) -> int:
    return max(1, -(-count // size))


def check_api_outputs(nb: nbformat.NotebookNode, store: GraphStore) -> None:
    stats = store.stats()
    assert text_of(nb, "stats").startswith(f"{stats.nodes} nodes, {stats.relations} relations")

    matches = store.count_search("社会工作", [Label.ORGANISATION])
    assert f"{matches} organisation(s) match 社會工作" in text_of(nb, "search")

    paged = text_of(nb, "pagination")
    articles = store.count_nodes(Label.ARTICLE)
    organisations = store.count_nodes(Label.ORGANISATION)
    assert articles > 10  # the corpus needs more than one page: the cursors are followed
    assert (
        f"articles: fetched {articles} in {pages(articles)} page(s) of 10; totalCount {articles}"
        in paged
    )
    assert (
        f"organisations: fetched {organisations} in {pages(organisations)} page(s) of 10; "
        f"totalCount {organisations}" in paged
    )

    who = [RelationType.GUIDED_BY, RelationType.DONATED_TO, RelationType.ELECTED_PRESIDENT]
    assert text_of(nb, "relations").startswith(f"{len(store.relations(types=who))} relation(s)")

    orgs = store.nodes(Label.ORGANISATION)
    degree = store.degree([o.id for o in orgs]) if orgs else {}
    hood = text_of(nb, "neighbourhood")
    if not degree or max(degree.values()) == 0:
        assert "No organisation with relations" in hood
        assert images_of(nb, "neighbourhood") == 0
        return
    best = max(degree.values())
    found = re.match(r"centre: (.+) \((\S+)\), 2 hops: (\d+) nodes, (\d+) relations", hood)
    assert found, hood
    assert degree[found.group(2)] == best
    assert store.get(found.group(2)).name == found.group(1)  # type: ignore[union-attr]
    if "(cut at the limit)" not in hood:
        assert int(found.group(3)) == len(two_hops(store, found.group(2)))
    assert images_of(nb, "neighbourhood") == 1

    path = text_of(nb, "path")
    head = re.match(r"(.+) \((\d+) relation\(s\)\)", path)
    if head:
        names = head.group(1).split(" → ")
        assert names[0] == found.group(1)
        target = store.find_by_name(names[-1], Label.ORGANISATION)
        assert target, names[-1]
        shortest = store.path(found.group(2), target[0].id)
        assert shortest is not None and len(shortest) == int(head.group(2)) == len(names) - 1


@pytest.mark.slow
@pytest.mark.usefixtures("kernel_env")
def test_notebook_graphql_says_where_no_api_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on once it is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("SHEGONG_API", f"http://127.0.0.1:{port}/graphql")
    with pytest.raises(CellExecutionError) as failure:
        run_notebook("02_graphql.ipynb")
    message = str(failure.value)
    assert f"No API answers at http://127.0.0.1:{port}/graphql" in message
    assert "shegong serve" in message


@pytest.mark.slow
@pytest.mark.usefixtures("kernel_env")
def test_notebook_explore_empty_store_and_no_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHEGONG_ARTICLES", str(tmp_path / "missing"))
    with pytest.raises(CellExecutionError) as failure:
        run_explore(tmp_path / "empty.db", monkeypatch)
    assert f"is empty and there is no {tmp_path / 'missing'} to load" in str(failure.value)


def test_readme_analysts_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Python example of the README's analysts section, on the loaded corpus."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("<!-- section: analysts -->", 1)[1].split("<!-- section:", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEGONG_STORE", str(tmp_path / "shegong.db"))
    load_corpus().close()
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    top = namespace["top_central"](namespace["G"], Label.ORGANISATION, k=5, by="betweenness")  # type: ignore[operator]
    assert len(top) == 5 and printed[0].startswith(top[0].name)
    assert namespace["rows"]  # the corpus has GUIDED_BY, DONATED_TO, ELECTED_PRESIDENT
    assert namespace["groups"]
