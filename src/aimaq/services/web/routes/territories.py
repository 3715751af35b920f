"""The territories list and the territory profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data

router = APIRouter()

LevelQ = Annotated[
    str | None, Query(description="Only this level: region, city_rs, district, city, monotown, country")
]


def _list(request: Request, tr: Lang, data: Data, level: str | None, as_json: bool) -> Response:
    page = data.territories_page(tr, level=level or None)
    known = {lv["code"] for lv in page["levels"]}
    if level and level not in known:
        raise HTTPException(400, f"level {level!r} is not one of {sorted(known)}")
    return render(request, tr, "territories.html", page, title=tr.gettext("Territories"), as_json=as_json)


@router.get("/territories.json", tags=["territories"], summary="All territories of the gazetteer")
def territories_json(request: Request, tr: Lang, data: Data, level: LevelQ = None) -> Response:
    """Code, kk/ru/en names, level, parent, validity, coordinates and observation count of each territory."""
    return _list(request, tr, data, level, True)


@router.get("/territories", include_in_schema=False)
def territories_html(request: Request, tr: Lang, data: Data, level: LevelQ = None) -> Response:
    """The territories list."""
    return _list(request, tr, data, level, False)


def _profile(request: Request, tr: Lang, data: Data, code: str, as_json: bool) -> Response:
    page = data.territory_page(code, tr)
    if page is None:
        raise HTTPException(
            404, f"territory {code!r} is not in the gazetteer; see /territories for the codes"
        )
    return render(request, tr, "territory.html", page, title=page["name"], as_json=as_json)


@router.get("/territories/{code}.json", tags=["territories"], summary="A territory profile")
def territory_json(request: Request, tr: Lang, data: Data, code: str) -> Response:
    """Names, level, parent, validity, and every observation with unit, status, seed citation and notes."""
    return _profile(request, tr, data, code, True)


@router.get("/territories/{code}", include_in_schema=False)
def territory_html(request: Request, tr: Lang, data: Data, code: str) -> Response:
    """The territory profile page."""
    return _profile(request, tr, data, code, False)
