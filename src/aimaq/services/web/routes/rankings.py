"""Rankings: per methodology and year, sorted and filtered on the server (query parameters), as a page,
JSON, CSV and XLSX; each row with its 5-95 % rank interval once the preset's uncertainty run is ready."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from aimaq.services.results import NotComputable
from aimaq.services.web.export import table_response
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Pages

router = APIRouter()

YearQ = Annotated[int | None, Query(description="Computed year; default the last")]
SortQ = Annotated[
    str, Query(description="rank, interval (median rank of the uncertainty run), score, name or a class id")
]
OrderQ = Annotated[Literal["asc", "desc"], Query(description="asc or desc")]
FilterQ = Annotated[str, Query(description="Part of a territory's name or code")]
ClassQ = Annotated[
    str, Query(alias="class", description="Only territories in this class (any classification)")
]


@router.get("/rankings.json", tags=["rankings"], summary="Methodologies with rankings")
def rankings_index_json(request: Request, tr: Lang, pages: Pages) -> Response:
    """The methodologies that run on the store's data, with their years."""
    return render(
        request,
        tr,
        "rankings_index.html",
        pages.rankings_index(tr),
        title=tr.gettext("Rankings"),
        as_json=True,
    )


@router.get("/rankings", include_in_schema=False)
def rankings_index_html(request: Request, tr: Lang, pages: Pages) -> Response:
    """The rankings menu."""
    return render(request, tr, "rankings_index.html", pages.rankings_index(tr), title=tr.gettext("Rankings"))


def _page(pages: Pages, tr: Lang, name: str, year, sort: str, order: str, q: str, cls: str) -> dict:
    if name not in pages.results.presets():
        raise HTTPException(
            404, f"methodology {name!r} is not shipped; choose one of {pages.results.presets()}"
        )
    try:
        return pages.ranking_page(name, tr, year=year, sort=sort, order=order, q=q, cls=cls)
    except NotComputable as exc:
        raise HTTPException(409, str(exc)) from exc
    except KeyError as exc:
        raise HTTPException(400, exc.args[0]) from exc


def _frame(page: dict) -> pd.DataFrame:
    rows = []
    for r in page["rows"]:
        row = {"rank": r["rank"], "territory": r["code"], "name": r["name"], "score": r["score"]}
        for c in page["classifications"]:
            row[c["id"]] = r["classes"][c["id"]]["id"]
            row[f"{c['id']}_label"] = r["classes"][c["id"]]["label"]
        for g in page["groups"]:
            row[g["id"]] = r["groups"].get(g["id"])
        iv = r.get("interval")  # the uncertainty run's interval, when it is ready
        if iv is not None:
            row.update(median_rank=iv["median"], rank_q05=iv["lo"], rank_q95=iv["hi"])
        rows.append(row)
    return pd.DataFrame(rows)


@router.get("/rankings/{name}.json", tags=["rankings"], summary="A ranking table")
def ranking_json(
    request: Request,
    tr: Lang,
    pages: Pages,
    name: str,
    year: YearQ = None,
    sort: SortQ = "rank",
    order: OrderQ = "asc",
    q: FilterQ = "",
    cls: ClassQ = "",
) -> Response:
    """Rank, score, classes and group scores of every territory, sorted and filtered."""
    page = _page(pages, tr, name, year, sort, order, q, cls)
    return _no_store_while_computing(
        page, render(request, tr, "rankings.html", page, title=page["title"], as_json=True)
    )


@router.get("/rankings/{name}.{fmt}", tags=["export"], summary="A ranking table as CSV or XLSX")
def ranking_table(
    tr: Lang,
    pages: Pages,
    name: str,
    fmt: Literal["csv", "xlsx"],
    year: YearQ = None,
    sort: SortQ = "rank",
    order: OrderQ = "asc",
    q: FilterQ = "",
    cls: ClassQ = "",
) -> Response:
    """The same rows as the page, as a spreadsheet (formula injection neutralised)."""
    page = _page(pages, tr, name, year, sort, order, q, cls)
    return table_response(_frame(page), fmt, f"{name}_{page['year']}", sheet="ranking")


@router.get("/rankings/{name}", include_in_schema=False)
def ranking_html(
    request: Request,
    tr: Lang,
    pages: Pages,
    name: str,
    year: YearQ = None,
    sort: SortQ = "rank",
    order: OrderQ = "asc",
    q: FilterQ = "",
    cls: ClassQ = "",
) -> Response:
    """The ranking page."""
    page = _page(pages, tr, name, year, sort, order, q, cls)
    return _no_store_while_computing(page, render(request, tr, "rankings.html", page, title=page["title"]))


def _no_store_while_computing(page: dict, response: Response) -> Response:
    """A ranking whose rank intervals are still computing is not kept by any cache (the app's response
    cache would otherwise serve it without intervals for ``cache_ttl`` seconds)."""
    if page["uncertainty"]["status"] == "computing":
        response.headers["Cache-Control"] = "no-store"
    return response
