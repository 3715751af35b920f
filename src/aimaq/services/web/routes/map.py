"""The map: a choropleth of the 20 regions by any indicator with region data, and point layers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data

router = APIRouter()

IndicatorQ = Annotated[str | None, Query(description="Indicator code; default: the one with most periods")]
PeriodQ = Annotated[
    str | None, Query(description="Period label ('2020' or '2020-2024'); default: the latest")
]


def _page(
    request: Request, tr: Lang, data: Data, indicator: str | None, period: str | None, as_json: bool
) -> Response:
    try:
        page = data.map_page(tr, indicator=indicator or None, period=period or None)
    except KeyError as exc:
        raise HTTPException(400, exc.args[0]) from exc
    return render(request, tr, "map.html", page, title=tr.gettext("Map"), as_json=as_json)


@router.get("/map.json", tags=["map"], summary="Map data: one value per region, point layers")
def map_json(
    request: Request, tr: Lang, data: Data, indicator: IndicatorQ = None, period: PeriodQ = None
) -> Response:
    """The map page's dict: indicator and period choices, values, borders (``2022``/``pre2022``), points."""
    return _page(request, tr, data, indicator, period, True)


@router.get("/", include_in_schema=False)
@router.get("/map", include_in_schema=False)
def map_html(
    request: Request, tr: Lang, data: Data, indicator: IndicatorQ = None, period: PeriodQ = None
) -> Response:
    """The map page."""
    return _page(request, tr, data, indicator, period, False)
