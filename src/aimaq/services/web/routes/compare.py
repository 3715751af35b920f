"""Compare two to five territories side by side: a table and a radar chart."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.web.export import table_response
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Pages

router = APIRouter()

TerritoriesQ = Annotated[list[str] | None, Query(alias="t", description="Territory codes (2 to 5): ?t=a&t=b")]
MethodologyQ = Annotated[str | None, Query(alias="m", description="Methodology of the radar chart")]


def _dict(tr: Lang, pages: Pages, t: list[str] | None, m: str | None) -> dict:
    codes = [c for c in (t or []) if c]
    try:
        return pages.compare_page(codes, tr, methodology=m or None)
    except (KeyError, ValueError) as exc:
        raise HTTPException(400, exc.args[0]) from exc


def _page(
    request: Request, tr: Lang, pages: Pages, t: list[str] | None, m: str | None, as_json: bool
) -> Response:
    page = _dict(tr, pages, t, m)
    return render(request, tr, "compare.html", page, title=tr.gettext("Compare"), as_json=as_json)


@router.get("/compare.json", tags=["territories"], summary="Compare 2-5 territories")
def compare_json(
    request: Request, tr: Lang, pages: Pages, t: TerritoriesQ = None, m: MethodologyQ = None
) -> Response:
    """Indicators they share (latest common period), the indices containing all of them, and radar data."""
    return _page(request, tr, pages, t, m, True)


@router.get("/compare.{fmt}", tags=["export"], summary="The compared indicators and indices as CSV or XLSX")
def compare_table(
    tr: Lang, pages: Pages, fmt: Literal["csv", "xlsx"], t: TerritoriesQ = None, m: MethodologyQ = None
) -> Response:
    """One row per shared indicator (then per index), one column per territory, as shown on the page."""
    page = _dict(tr, pages, t, m)
    if not page["territories"]:
        raise HTTPException(400, "choose 2 to 5 territories to compare: ?t=a&t=b")
    names = [x["name"] for x in page["territories"]]
    rows = [
        {"item": r["name"], "period": r["period"], **dict(zip(names, r["values"], strict=True))}
        for r in page["indicators"]
    ]
    rows += [
        {
            "item": i["title"],
            "period": i["year"],
            **{n: c["score_text"] for n, c in zip(names, i["cells"], strict=True)},
        }
        for i in page["indices"]
    ]
    return table_response(pd.DataFrame(rows), fmt, "compare_" + "_".join(page["codes"]), sheet="compare")


@router.get("/compare", include_in_schema=False)
def compare_html(
    request: Request, tr: Lang, pages: Pages, t: TerritoriesQ = None, m: MethodologyQ = None
) -> Response:
    """The compare page."""
    return _page(request, tr, pages, t, m, False)
