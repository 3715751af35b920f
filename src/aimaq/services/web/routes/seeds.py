"""The seed-text viewer: the five source documents with the cited lines highlighted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data

router = APIRouter()

LinesQ = Annotated[str | None, Query(description="Lines to highlight: '727', '725-776' or '727,744'")]


def _seed(request: Request, tr: Lang, data: Data, seed: str, lines: str | None, as_json: bool) -> Response:
    try:
        page = data.seed_page(seed, tr, lines=lines or None)
    except ValueError as exc:
        raise HTTPException(400, f"seed {seed}: {exc}") from exc
    if page is None:
        known = ", ".join(s["seed"] for s in data.seeds_index(tr))
        raise HTTPException(404, f"seed {seed!r} is not bundled; the seeds are {known}")
    title = tr.gettext("Seed %(seed)s") % {"seed": seed}
    return render(request, tr, "seed.html", page, title=title, as_json=as_json)


@router.get("/seeds.json", tags=["sources"], summary="The bundled seed documents")
def seeds_json(request: Request, tr: Lang, data: Data) -> Response:
    """The five seed documents: number, file, title, authors, year."""
    return render(
        request, tr, "seeds.html", {"seeds": data.seeds_index(tr)}, title=tr.gettext("Sources"), as_json=True
    )


@router.get("/seeds", include_in_schema=False)
def seeds_html(request: Request, tr: Lang, data: Data) -> Response:
    """The list of seed documents."""
    return render(request, tr, "seeds.html", {"seeds": data.seeds_index(tr)}, title=tr.gettext("Sources"))


@router.get("/seeds/{seed}.json", tags=["sources"], summary="Lines of a seed document")
def seed_json(request: Request, tr: Lang, data: Data, seed: str, lines: LinesQ = None) -> Response:
    """The cited lines of seed ``seed`` (``001``) with 25 lines of context, or the whole text."""
    return _seed(request, tr, data, seed, lines, True)


@router.get("/seeds/{seed}", include_in_schema=False)
def seed_html(request: Request, tr: Lang, data: Data, seed: str, lines: LinesQ = None) -> Response:
    """The seed viewer page."""
    return _seed(request, tr, data, seed, lines, False)
