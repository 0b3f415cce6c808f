"""The web chat page at `/`: one static HTML file with a little JavaScript that polls the scripting API."""

from __future__ import annotations

from functools import cache
from importlib import resources

from aiohttp import web


@cache
def page_html() -> str:
    return resources.files("sandbox").joinpath("static/index.html").read_text(encoding="utf-8")


async def index(request: web.Request) -> web.StreamResponse:
    return web.Response(
        text=page_html(),
        content_type="text/html",
        charset="utf-8",
        # The page is tiny and changes with the package; never let a browser keep an old copy.
        headers={"Cache-Control": "no-store"},
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/", index)]


__all__ = ["page_html", "routes"]
