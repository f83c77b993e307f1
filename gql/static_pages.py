"""The pages a browser gets: the explorer at ``/`` and GraphiQL at ``/graphql``, with
their assets under ``/static``, all from this package (no CDN).

``gql/static/dist`` is built from ``web/`` by ``make web`` (npm ci from the lock file,
then esbuild); until it is, ``/`` and the GraphiQL page say how to build it.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

__all__ = ["STATIC_DIR", "explorer_routes", "graphiql_html", "is_built"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_BUILT = STATIC_DIR / "dist" / "explorer.js"

_NOT_BUILT = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>shegong-kg</title></head><body>
<h1>{what} has not been built</h1>
<p>Run <code>make web</code> in the shegong-kg checkout (it runs <code>npm ci</code> and
esbuild in <code>web/</code>), then reload. The GraphQL API itself works: POST to
<code>/graphql</code>.</p>
<p>页面资源尚未构建：请在项目目录运行 <code>make web</code> 后刷新。</p>
</body></html>"""


def is_built() -> bool:
    """True when ``make web`` has written the explorer's and GraphiQL's assets."""
    return _BUILT.is_file()


def graphiql_html() -> str:
    """GraphiQL's page, loading GraphiQL and React from ``/static`` (strawberry's own
    page loads them from unpkg.com, which leaves it blank offline)."""
    if not is_built():
        return _NOT_BUILT.format(what="GraphiQL")
    return (STATIC_DIR / "graphiql.html").read_text(encoding="utf-8")


async def _explorer(request: Request) -> Response:
    if not is_built():
        return HTMLResponse(_NOT_BUILT.format(what="The explorer"), status_code=503)
    return HTMLResponse((STATIC_DIR / "index.html").read_text(encoding="utf-8"))


def explorer_routes() -> list[BaseRoute]:
    """``/`` (the explorer) and ``/static`` (its and GraphiQL's assets)."""
    return [
        Route("/", _explorer),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
