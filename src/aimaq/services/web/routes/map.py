"""The map: a choropleth of the 20 regions by any indicator with region data, and point layers.

Regions of an earlier division are drawn on the borders of their time (:mod:`aimaq.services.web.map_layers`);
an index or layer that cannot be drawn gives the indicator map with the reason, not a bare error page.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.results import NotComputable
from aimaq.services.web import geo, map_layers
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
) -> tuple[dict, int]:
    """The map page and its HTTP status: 409 (no data) or 400 (a bad choice) when the asked index or layer
    cannot be drawn; the page is then the indicator map with ``problem`` saying why."""
    asked = {"index": index or None, "column": column or None, "year": year, "layer": layer or None}
    # One dict per snapshot, language and arguments, as the other pages: the JSON of a page is serialised once
    # per dict (render), so a new dict per request would also grow that cache.
    snap = pages.data.snapshot()
    key = ("routes.map", tr.lang, indicator or None, period or None, *asked.values())
    if key in snap.cache:
        return snap.cache[key]
    status, detail = 200, ""
    try:
        page = pages.map_page(tr, indicator=indicator or None, period=period or None, **asked)
        overlay = page.get("overlay")
        if overlay and not set(overlay["values"]) & map_layers.mappable_codes(snap):
            status = 409
            detail = tr.gettext("none of its territories is drawn on the map (%(names)s)") % {
                "names": ", ".join(sorted(overlay["values"]))
            }
    except NotComputable as exc:
        status, detail = 409, str(exc)
    except KeyError as exc:
        if not (index or layer):  # a bad indicator or period: nothing to fall back on
            raise HTTPException(400, exc.args[0]) from exc
        status, detail = 400, str(exc.args[0])
    if status != 200:
        try:
            base = pages.map_page(tr, indicator=indicator or None, period=period or None)
        except KeyError as exc:
            raise HTTPException(400, exc.args[0]) from exc
        page = map_layers.problem_page(pages, tr, base, status=status, detail=detail, asked=asked)
    else:
        page = dict(page) | {"problem": None}
    page = map_layers.redraw(page, pages, tr)
    page["index_choices"] = map_layers.index_menu(pages, tr)
    # a menu with presets still computing changes when they finish: that page is not kept
    if all(m["status"] != "computing" for m in page["index_choices"]) and len(snap.cache) < 20_000:
        snap.cache[key] = (page, status)
    return page, status


def _page(request: Request, tr: Lang, page: tuple[dict, int], as_json: bool) -> Response:
    body, status = page
    return render(request, tr, "map.html", body, title=tr.gettext("Map"), as_json=as_json, status_code=status)


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
    page, status = _dict(tr, pages, indicator, period, index, column, year, layer)
    if status != 200:
        raise HTTPException(status, page["detail"])
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


@lru_cache(maxsize=64)
def _merged_geojson(
    codes: tuple[tuple[str, str], ...], merge: tuple[tuple[str, tuple[str, ...]], ...]
) -> bytes:
    return json.dumps(geo.region_features(dict(codes), merge=dict(merge)), separators=(",", ":")).encode()


@router.get("/api/geo/map.geojson", tags=["map"], summary="Region polygons with earlier regions merged")
def map_geojson(
    data: Data,
    historic: Annotated[
        str,
        Query(
            description="Comma-separated codes of regions of an earlier division, e.g. east_kazakhstan_1997"
        ),
    ] = "",
) -> Response:
    """The region polygons of ``/api/geo/regions.geojson`` where each listed earlier region is one feature
    (``id`` its code) made of the polygons of its successors in the gazetteer, which lose their own."""
    snap = data.snapshot()
    known = map_layers.historic_regions(snap.territories)
    asked = [c for c in (c.strip() for c in historic.split(",")) if c]
    unknown = [c for c in asked if c not in known]
    if unknown:
        raise HTTPException(
            422, f"historic: {unknown} are not regions of an earlier division; choose from {sorted(known)}"
        )
    body = _merged_geojson(
        tuple(sorted(snap.region_codes.items())), tuple((c, tuple(known[c])) for c in asked)
    )
    return Response(
        body, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=3600"}
    )
