"""The territories list and the territory profile."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.web.export import _disposition, profile_pdf, table_response
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data, Pages

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


def _profile_dict(tr: Lang, data: Data, pages: Pages, code: str) -> dict:
    page = pages.profile_page(code, tr)  # cached per store snapshot and language
    if page is None:
        raise HTTPException(
            404, f"territory {code!r} is not in the gazetteer; see /territories for the codes"
        )
    return page


def _profile(request: Request, tr: Lang, data: Data, pages: Pages, code: str, as_json: bool) -> Response:
    page = _profile_dict(tr, data, pages, code)
    return render(request, tr, "territory.html", page, title=page["name"], as_json=as_json)


@router.get("/territories/{code}.json", tags=["territories"], summary="A territory profile")
def territory_json(request: Request, tr: Lang, data: Data, pages: Pages, code: str) -> Response:
    """Names, level, parent, validity, every observation with unit, status, seed citation and notes; every
    index the territory is in (score, rank of N, classes, contributions, strengths and weaknesses,
    recommended measures), time series of its indicators and the RIS3 wheel when it has one."""
    return _profile(request, tr, data, pages, code, True)


@router.get("/territories/{code}.pdf", tags=["export"], summary="A territory profile as PDF")
def territory_pdf(tr: Lang, data: Data, pages: Pages, code: str) -> Response:
    """The profile (indices, measures, indicators with sources) as a PDF with Kazakh letters embedded."""
    page = _profile_dict(tr, data, pages, code)
    body = profile_pdf(page, page, tr)
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": _disposition(f"{code}.pdf")}
    )


@router.get("/territories/{code}.{fmt}", tags=["export"], summary="A territory's indicators as CSV or XLSX")
def territory_table(tr: Lang, data: Data, pages: Pages, code: str, fmt: Literal["csv", "xlsx"]) -> Response:
    """Every observation of the territory with unit, status and source (formula injection neutralised)."""
    page = _profile_dict(tr, data, pages, code)
    rows = [
        {
            "indicator": o["indicator"]["code"],
            "name": o["indicator"]["name"],
            "period": o["period"],
            "value": o["value"] if o["value"] is not None else o["value_text"],
            "unit": o["indicator"]["unit"],
            "status": o["status"],
            "source": o["source"],
        }
        for o in page["observations"]
    ]
    columns = ["indicator", "name", "period", "value", "unit", "status", "source"]
    return table_response(pd.DataFrame(rows, columns=columns), fmt, code, sheet="indicators")


@router.get("/territories/{code}", include_in_schema=False)
def territory_html(request: Request, tr: Lang, data: Data, pages: Pages, code: str) -> Response:
    """The territory profile page."""
    return _profile(request, tr, data, pages, code, False)
