"""The map: a choropleth of the 20 regions by any indicator with region data, and point layers."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.results import NotComputable
from aimaq.services.web.export import table_response
from aimaq.services.web.indices import LAYERS
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data, Pages

router = APIRouter()

IndicatorQ = Annotated[str | None, Query(description="Indicator code; default: the one with most periods")]
PeriodQ = Annotated[
    str | None, Query(description="Period label ('2020' or '2020-2024'); default: the latest")
]
IndexQ = Annotated[str | None, Query(description="Colour by this methodology's result instead")]
ColumnQ = Annotated[str | None, Query(description="score, rank, a classification id or a group id")]
YearQ = Annotated[int | None, Query(description="Year of the methodology's result; default the last")]
LayerQ = Annotated[str | None, Query(description=f"One-click layer: {', '.join(LAYERS)}")]


def _dict(
    tr: Lang,
    pages: Pages,
    indicator: str | None,
    period: str | None,
    index: str | None,
    column: str | None,
    year: int | None,
    layer: str | None,
) -> dict:
    try:
        return pages.map_page(
            tr,
            indicator=indicator or None,
            period=period or None,
            index=index or None,
            column=column or None,
            year=year,
            layer=layer or None,
        )
    except NotComputable as exc:
        raise HTTPException(409, str(exc)) from exc
    except KeyError as exc:
        raise HTTPException(400, exc.args[0]) from exc


def _page(request: Request, tr: Lang, page: dict, as_json: bool) -> Response:
    return render(request, tr, "map.html", page, title=tr.gettext("Map"), as_json=as_json)


@router.get("/map.json", tags=["map"], summary="Map data: one value per region, point layers")
def map_json(
    request: Request,
    tr: Lang,
    data: Data,
    pages: Pages,
    indicator: IndicatorQ = None,
    period: PeriodQ = None,
    index: IndexQ = None,
    column: ColumnQ = None,
    year: YearQ = None,
    layer: LayerQ = None,
) -> Response:
    """The map page's dict: indicator and period choices, values, borders (``2022``/``pre2022``), points; with
    ``index`` (and ``column``, ``year``) or ``layer``, ``overlay`` holds the index values or classes and the
    legend, and regions and points carry them."""
    page = _dict(tr, pages, indicator, period, index, column, year, layer)
    return _page(request, tr, page, True)


@router.get("/map.{fmt}", tags=["export"], summary="The map's values as CSV or XLSX")
def map_table(
    tr: Lang,
    data: Data,
    pages: Pages,
    fmt: Literal["csv", "xlsx"],
    indicator: IndicatorQ = None,
    period: PeriodQ = None,
    index: IndexQ = None,
    column: ColumnQ = None,
    year: YearQ = None,
    layer: LayerQ = None,
) -> Response:
    """The table under the map (regions, then points) as a spreadsheet."""
    page = _dict(tr, pages, indicator, period, index, column, year, layer)
    rows = [
        {
            "territory": r.get("territory", r["code"]),
            "name": r["name"],
            "value": r["value"],
            "shown": r["formatted"],
            "status": r.get("status"),
        }
        for r in [*page["regions"], *page["points"]]
    ]
    return table_response(pd.DataFrame(rows), fmt, "map", sheet="map")


@router.get("/", include_in_schema=False)
@router.get("/map", include_in_schema=False)
def map_html(
    request: Request,
    tr: Lang,
    data: Data,
    pages: Pages,
    indicator: IndicatorQ = None,
    period: PeriodQ = None,
    index: IndexQ = None,
    column: ColumnQ = None,
    year: YearQ = None,
    layer: LayerQ = None,
) -> Response:
    """The map page."""
    page = _dict(tr, pages, indicator, period, index, column, year, layer)
    return _page(request, tr, page, False)
