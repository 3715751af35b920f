"""Methodology pages: the shipped presets, their steps, docs and reproduction reports; the what-if."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from aimaq.engine.errors import SpecErrors
from aimaq.services.results import NotComputable
from aimaq.services.web import whatif_form
from aimaq.services.web.export import table_response
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Pages

router = APIRouter()


def _not_found(pages: Pages, name: str) -> HTTPException:
    return HTTPException(404, f"methodology {name!r} is not shipped; choose one of {pages.results.presets()}")


@router.get("/methodologies.json", tags=["methodologies"], summary="The shipped methodologies")
def methodologies_json(request: Request, tr: Lang, pages: Pages) -> Response:
    """Name, title, description, source of each preset, and whether it runs on the store's data."""
    page = pages.methodologies_page(tr)
    return render(request, tr, "methodologies.html", page, title=tr.gettext("Methodologies"), as_json=True)


@router.get("/methodologies", include_in_schema=False)
def methodologies_html(request: Request, tr: Lang, pages: Pages) -> Response:
    """The list of methodologies."""
    page = pages.methodologies_page(tr)
    return render(request, tr, "methodologies.html", page, title=tr.gettext("Methodologies"))


def _methodology(request: Request, tr: Lang, pages: Pages, name: str, as_json: bool) -> Response:
    try:
        page = pages.methodology_page(name, tr)
    except KeyError as exc:
        raise _not_found(pages, name) from exc
    return render(request, tr, "methodology.html", page, title=page["title"], as_json=as_json)


@router.get(
    "/methodologies/{name}.json", tags=["methodologies"], summary="A methodology and its reproduction"
)
def methodology_json(request: Request, tr: Lang, pages: Pages, name: str) -> Response:
    """Title, citation, the spec's steps (with the seed lines in its comments), the step log, the docs page
    (HTML), and the reproduction report: every published cell reproduced / explained / not reproduced."""
    return _methodology(request, tr, pages, name, True)


@router.get("/methodologies/{name}/reproduction.{fmt}", tags=["export"], summary="Reproduction report table")
def reproduction_table(pages: Pages, tr: Lang, name: str, fmt: Literal["csv", "xlsx"]) -> Response:
    """The reproduction report as CSV or XLSX (one row per published cell)."""
    try:
        page = pages.methodology_page(name, tr)
    except KeyError as exc:
        raise _not_found(pages, name) from exc
    if not page["reproduction"]:
        raise HTTPException(
            404, f"methodology {name!r} has no reproduction report (no expected: block, or no data)"
        )
    rows = [
        {
            "claim": c["claim"],
            "territory": c["territory"]["code"],
            "name": c["territory"]["name"],
            "column": c["column"],
            "year": c["year"],
            "expected": c["expected"],
            "computed": c["computed"],
            "delta": c["delta"],
            "tolerance": c["tolerance"],
            "status": c["status"],
            "reason": c["reason"],
            "source": c["source"],
        }
        for c in page["reproduction"]["cells"]
    ]
    return table_response(pd.DataFrame(rows), fmt, f"{name}_reproduction", sheet="reproduction")


@router.get("/methodologies/{name}", include_in_schema=False)
def methodology_html(request: Request, tr: Lang, pages: Pages, name: str) -> Response:
    """The methodology page."""
    return _methodology(request, tr, pages, name, False)


# ---------------------------------------------------------------------------------------------- what-if
class ValueEdit(BaseModel):
    """One observation changed for the what-if (not saved)."""

    model_config = ConfigDict(extra="forbid")
    territory: str = Field(description="Territory code, e.g. karazhal")
    indicator: str = Field(description="Indicator code, e.g. mono_lsg_satisfaction_pct")
    value: float | str = Field(description="A number, or a label for a categorical indicator")


class WhatIfRequest(BaseModel):
    """Changed values and weights; the methodology is recomputed, nothing is saved."""

    model_config = ConfigDict(extra="forbid")
    year: int | None = Field(default=None, description="Computed year; default the last")
    values: list[ValueEdit] = Field(default_factory=list)
    weights: dict[str, float] = Field(
        default_factory=dict, description="Indicator or group -> new weight within its parent group"
    )


def _what_if(
    pages: Pages,
    tr: Lang,
    name: str,
    values: list[tuple[str, str, Any]],
    weights: dict[str, float],
    year: int | None,
) -> dict[str, Any]:
    try:
        return pages.what_if_page(name, tr, values=values, weights=weights, year=year)
    except KeyError as exc:
        raise _not_found(pages, name) from exc
    except NotComputable as exc:
        raise HTTPException(409, str(exc)) from exc


@router.post(
    "/api/whatif/{name}",
    tags=["methodologies"],
    summary="What-if: recompute with changed values or weights",
    response_class=JSONResponse,
)
def what_if_api(tr: Lang, pages: Pages, name: str, body: WhatIfRequest) -> Response:
    """Scores, ranks and classes before and after; 422 lists every problem with its key path
    (``values.0.indicator``, ``weights.x``). Nothing is saved."""
    values = [(v.territory, v.indicator, v.value) for v in body.values]
    if not values and not body.weights:
        return _problems(
            [{"key": "values", "message": "give at least one value or weight", "reason": "bad_edit"}]
        )
    try:
        page = _what_if(pages, tr, name, values, body.weights, body.year)
    except SpecErrors as exc:
        return _problems([{"key": p.key, "message": p.message, "reason": p.reason} for p in exc.problems])
    return JSONResponse({"ok": True, "lang": tr.lang} | page)


def _problems(errors: list[dict[str, str]]) -> JSONResponse:
    detail = "; ".join(f"{e['key']}: {e['message']}" for e in errors)
    return JSONResponse({"ok": False, "status": 422, "detail": detail, "errors": errors}, status_code=422)


@router.get("/methodologies/{name}/whatif", include_in_schema=False)
def what_if_html(
    request: Request,
    tr: Lang,
    pages: Pages,
    name: str,
    territory: Annotated[list[str] | None, Query()] = None,
    indicator: Annotated[list[str] | None, Query()] = None,
    value: Annotated[list[str] | None, Query()] = None,
    weight_of: Annotated[str | None, Query()] = None,
    weight: Annotated[str | None, Query()] = None,
    year: int | None = None,
) -> Response:
    """The what-if form, pre-filled with every value and weight the result used, and its answer.

    A GET (nothing is saved, so the page works without JavaScript). The full form sends ``v.<territory>.
    <indicator>`` and ``w.<child>`` fields, of which only those that differ from the nominal values are
    edits; the short forms of the methodology and profile pages send ``territory``/``indicator``/``value``
    and ``weight_of``/``weight``.
    """
    try:
        base = pages.methodology_page(name, tr)
    except KeyError as exc:
        raise _not_found(pages, name) from exc
    errors: list[str] = []
    status = 200
    nominal = None
    try:
        nominal = whatif_form.form(pages, name, tr, year=year)
    except NotComputable as exc:
        errors, status = [str(exc)], 409
    except KeyError as exc:
        errors, status = [str(exc.args[0])], 400
    values: list[tuple[str, str, Any]] = []
    for t, i, v in zip(territory or [], indicator or [], value or [], strict=False):
        if not (t and i and v.strip()):
            continue
        number = whatif_form.parse_number(v)
        values.append((t, i, v.strip() if number is None else number))
    weights: dict[str, float] = {}
    if weight_of and weight not in (None, ""):
        number = whatif_form.parse_number(str(weight))
        if number is None:
            errors.append(f"weights.{weight_of}: {weight!r} is not a number")
        else:
            weights[weight_of] = number
    submitted = {k: v for k, v in request.query_params.items() if k.startswith(("v.", "w."))}
    if nominal is not None:
        form_values, form_weights, form_errors = whatif_form.edits(nominal, submitted)
        asked = {(t, i) for t, i, _ in values}
        values += [e for e in form_values if (e[0], e[1]) not in asked]
        weights = form_weights | weights
        errors += form_errors
        _fill(nominal, submitted, values, weights)
    result = None
    if not errors and (values or weights):
        try:
            result = _what_if(pages, tr, name, values, weights, year)
        except SpecErrors as exc:
            errors = [f"{p.key}: {p.message}" for p in exc.problems]
    if errors and status == 200:
        status = 422
    page = {
        "methodology": base,
        "whatif": result,
        "errors": errors,
        "asked": {"values": values, "weights": weights},
        "form": nominal,
    }
    title = tr.gettext("What-if: %(title)s") % {"title": base["title"]}
    return render(request, tr, "whatif.html", page, title=title, status_code=status)


def _fill(
    nominal: dict[str, Any],
    submitted: dict[str, str],
    values: list[tuple[str, str, Any]],
    weights: dict[str, float],
) -> None:
    """Show in the form what was asked (typed text, or the short form's edit) instead of the nominal value."""
    asked = {(t, i): v for t, i, v in values}
    for t in nominal["territories"]:
        for cell in t["cells"]:
            if (t["code"], cell["indicator"]) in asked:
                v = asked[(t["code"], cell["indicator"])]
                cell["value"] = f"{v:.10g}" if isinstance(v, float) else str(v)
            elif submitted.get(cell["field"], "").strip():
                cell["value"] = submitted[cell["field"]].strip()
            cell["changed"] = (t["code"], cell["indicator"]) in asked
    for w in nominal["weights"]:
        if w["child"] in weights:
            w["value"] = f"{weights[w['child']]:.10g}"
        w["changed"] = w["child"] in weights
