"""Uncertainty: how robust each rank and class of a preset is, as JSON (the map and the pages poll it), as a
page per methodology, and as CSV/XLSX.

The runs are computed in the background (:mod:`aimaq.services.uncertainty`); while one computes, the JSON
answers 202 with ``Retry-After: 1`` and the page says so and reloads itself when the run is ready.
"""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from aimaq.services.web import uncertainty_pages
from aimaq.services.web.export import table_response
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Pages

router = APIRouter()

YearQ = Annotated[int | None, Query(description="Analysed year; default the preset's (its last computed)")]
TerritoryQ = Annotated[str | None, Query(description="Only this territory's row (a code)")]
ClassificationQ = Annotated[
    str | None, Query(description="The classification of nominal_class etc.; default the spec's first")
]
#: While a run computes, no cache (the app's response cache, a browser's) may keep the answer.
NO_STORE = {"Cache-Control": "no-store"}


def _check(pages: Pages, name: str) -> None:
    if name not in pages.results.presets():
        raise HTTPException(
            404, f"methodology {name!r} is not shipped; choose one of {pages.results.presets()}"
        )


def _year(pages: Pages, name: str, year: int | None) -> None:
    """400 for a year the nominal result did not compute (a preset without data answers 409 later)."""
    if year is None:
        return
    r = pages.results.try_result(name, pages._dataset())
    if r is not None and int(year) not in r.years:
        raise HTTPException(400, f"year {year} was not computed for {name}; choose one of {list(r.years)}")


@router.get(
    "/api/uncertainty/{name}.json",
    tags=["uncertainty"],
    summary="How robust each rank and class of a preset is",
    response_class=JSONResponse,
    responses={
        202: {"description": "The run is computing: ask again after Retry-After seconds"},
        409: {"description": "The preset cannot be analysed here; `reason` says why"},
    },
)
def uncertainty_api(
    tr: Lang,
    pages: Pages,
    name: str,
    year: YearQ = None,
    territory: TerritoryQ = None,
    classification: ClassificationQ = None,
) -> Response:
    """Per territory: nominal and median rank, the 5-95 % rank interval and the share of replications in
    it, the probability of each class, a confidence (high/medium/low) and the profile statement; per
    factor: what varies and its Sobol first-order and total indices. ``status``: ready (200), computing
    (202) or unavailable (409, with ``reason``). ``n`` replications from ``seed``: the same numbers every
    time."""
    _check(pages, name)
    _year(pages, name, year)
    try:
        code, body = uncertainty_pages.contract(
            pages, name, tr, year=year, territory=territory, classification=classification
        )
    except KeyError as exc:
        raise HTTPException(400, exc.args[0]) from exc
    headers = {} if code == 200 else dict(NO_STORE)
    if code == 202:
        headers["Retry-After"] = "1"
    return JSONResponse({"ok": code < 400, "lang": tr.lang} | body, status_code=code, headers=headers)


def _page(pages: Pages, tr: Lang, name: str, year: int | None) -> dict:
    _check(pages, name)
    _year(pages, name, year)
    return uncertainty_pages.page(pages, name, tr, year=year)


def _title(tr: Lang, page: dict) -> str:
    return tr.gettext("Uncertainty: %(title)s") % {"title": page["title"]}


def _response(request: Request, tr: Lang, page: dict, *, as_json: bool) -> Response:
    response = render(request, tr, "uncertainty.html", page, title=_title(tr, page), as_json=as_json)
    if page["status"] != "ready":
        response.headers.update(NO_STORE)
    return response


@router.get(
    "/methodologies/{name}/uncertainty.json",
    tags=["uncertainty"],
    summary="The uncertainty page of a methodology",
)
def uncertainty_page_json(
    request: Request, tr: Lang, pages: Pages, name: str, year: YearQ = None
) -> Response:
    """The page's data: the contract of ``/api/uncertainty/{name}.json`` plus the charts' series."""
    return _response(request, tr, _page(pages, tr, name, year), as_json=True)


@router.get(
    "/methodologies/{name}/uncertainty.{fmt}",
    tags=["export"],
    summary="Uncertainty per territory as CSV or XLSX",
)
def uncertainty_table(
    tr: Lang, pages: Pages, name: str, fmt: Literal["csv", "xlsx"], year: YearQ = None
) -> Response:
    """One row per territory: ranks, interval, share inside, confidence, the probability of each class of
    each classification, the statement; 409 while the run is not ready."""
    page = _page(pages, tr, name, year)
    if page["status"] != "ready":
        raise HTTPException(409, page["reason"] or page["headline"])
    rows = []
    for r in page["territories"]:
        row = {
            "territory": r["code"],
            "name": r["name"],
            "nominal_rank": r["nominal_rank"],
            "median_rank": r["median_rank"],
            "rank_q05": r["rank_q05"],
            "rank_q95": r["rank_q95"],
            "share_in_interval": r["share_in_interval"],
            "confidence": r["confidence"],
        }
        for c in page["classifications"]:
            cls = r["classes"].get(c["id"], {})
            row[f"{c['id']}_nominal"] = cls.get("nominal_class")
            for k in c["classes"]:
                row[f"{c['id']}_p_{k['id']}"] = cls.get("class_probability", {}).get(k["id"], 0.0)
        row["statement"] = r["statement"]
        rows.append(row)
    filename = f"{name}_uncertainty_{page['year']}_n{page['n']}_seed{page['seed']}"
    return table_response(pd.DataFrame(rows), fmt, filename, sheet="uncertainty")


@router.get("/methodologies/{name}/uncertainty", include_in_schema=False)
def uncertainty_page_html(
    request: Request, tr: Lang, pages: Pages, name: str, year: YearQ = None
) -> Response:
    """The uncertainty page of a methodology."""
    return _response(request, tr, _page(pages, tr, name, year), as_json=False)
