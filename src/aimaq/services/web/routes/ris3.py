"""The RIS3 self-assessment form of a region (seed 000): score the 18 criteria, each with an evidence note.

``GET /ris3/{region}`` shows the form (and ``.json`` its data), prefilled with the region's latest recorded
assessment, else the seed's own Table 3 scores; ``POST /ris3/{region}`` checks every score and note
(:func:`aimaq.steering.ris3.build`: all problems at once, nothing written on any) and records a new entry of
the region's history with its audit entry (:func:`aimaq.steering.ris3.record`). Only users whose roles allow
``assess_ris3`` on that region (``auth/data/permissions.csv``: administrator, Academy, the region's science
council and akimat) see or post the form; anonymous visitors are sent to the login page.

The region's profile then draws the wheel of its latest recorded assessment (:class:`Ris3ProfilePages`)
instead of the seed's 2021 wheel: the step sums ``q[r, k]`` of seed-000.md M4.2 on the adapted scale
{0, 0.5, 1} (l.114-115), the scale the profile's wheel is drawn on (0 to 3 per step).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from aimaq.i18n import Translator
from aimaq.services.web.indices import IndexPages
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._auth import AuthSource, get_auth, require_permission, require_user
from aimaq.steering import ris3

router = APIRouter()

#: The action of ``auth/data/permissions.csv`` the form needs on the region.
ACTION = "assess_ris3"
#: The scale of the web form: the seed's adapted scale (the profile's wheel is drawn on it).
SCALE = "adapted"
#: Levels whose strategies are assessed: regions and cities of republican significance.
LEVELS = ("region", "city_rs")


def _store(request: Request) -> Any:
    """The app's :class:`aimaq.store.Store` (the form needs its database and reference tables)."""
    store = request.app.state.data.store
    store = store.store() if callable(getattr(store, "store", None)) else store
    if not hasattr(store, "engine") or not hasattr(store, "reference"):
        raise HTTPException(503, "the RIS3 form needs the database; this app runs over a read-only store")
    return store


def _region(store: Any, code: str, tr: Translator) -> str:
    """The region's name in the page's language; 404 for a code that is not a region."""
    terr = store.territories()
    if code not in terr.index or terr.at[code, "level"] not in LEVELS:
        raise HTTPException(
            404, f"{code!r} is not a region or city of republican significance; see /territories"
        )
    return str(terr.at[code, f"name_{tr.lang}"] or terr.at[code, "name_en"] or code)


def _wheel(assessment: ris3.Assessment, criteria: list[ris3.Criterion], tr: Translator) -> dict[str, Any]:
    """The profile's ``ris3`` entry (title, year, axes, values) for one assessment on the adapted scale."""
    steps: dict[str, dict[str, Any]] = {}
    for c in criteria:
        step = steps.setdefault(c.step_id, {"title": c.step_name.get(tr.lang) or c.step_id, "sum": 0.0})
        step["sum"] += assessment.value(c.id)
    return {
        "title": tr.gettext("RIS3 self-assessment by %(assessor)s") % {"assessor": assessment.assessor},
        "year": assessment.assessed_on.isoformat(),
        "axes": [s["title"] for s in steps.values()],
        "values": [s["sum"] for s in steps.values()],
    }


class Ris3ProfilePages(IndexPages):
    """:class:`~aimaq.services.web.indices.IndexPages` whose territory profile draws the RIS3 wheel of the
    region's latest self-assessment recorded through the form, when there is one."""

    def __init__(self, data: Any, auth: AuthSource) -> None:
        super().__init__(data)
        self._auth = auth

    def profile_page(self, code: str, tr: Translator) -> dict[str, Any] | None:
        page = super().profile_page(code, tr)
        store = self.data.store
        if page is None or self._auth.auth is None:  # no database: nothing was recorded
            return page
        store = store.store() if callable(getattr(store, "store", None)) else store
        try:
            recorded = [a for a in ris3.assessments(store, code) if a.scale == SCALE]
            if not recorded:
                return page
            criteria = ris3.load_criteria(store)
        except (SQLAlchemyError, KeyError, AttributeError):
            return page  # the seed's wheel (or none) rather than no profile
        return page | {"ris3": _wheel(recorded[-1], criteria, tr)}


def _form_page(
    request: Request,
    tr: Translator,
    store: Any,
    region: str,
    *,
    values: dict[str, dict[str, str]] | None = None,
    problems: list[ris3.Ris3Problem] | None = None,
    meta: dict[str, str] | None = None,
    row_ids: list[str] | None = None,
    as_json: bool = False,
    status: int = 200,
) -> Response:
    name = _region(store, region, tr)
    criteria = ris3.load_criteria(store)
    scale = ris3.load_scale(store, SCALE)
    recorded = [a for a in ris3.assessments(store, region) if a.scale == SCALE]
    source = recorded[-1] if recorded else next(iter(ris3.published(store, [region])), None)
    if values is None:
        values = {
            c.id: {
                "score": f"{source.value(c.id):g}" if source and c.id in source.scores else "",
                "evidence": source.scores[c.id].evidence if source and c.id in source.scores else "",
            }
            for c in criteria
        }
    by_criterion: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems or []:
        text = tr.gettext(ris3.REASONS.get(p.reason, p.reason))
        criterion = p.value if p.reason == "missing_criterion" else _row_criterion(p, row_ids or [])
        (by_criterion.setdefault(criterion, []) if criterion else general).append(text)
    steps: dict[str, dict[str, Any]] = {}
    for c in criteria:
        step = steps.setdefault(
            c.step_id, {"id": c.step_id, "title": c.step_name.get(tr.lang) or c.step_id, "criteria": []}
        )
        step["criteria"].append(
            {
                "id": c.id,
                "no": c.no,
                "name": c.label(tr.lang),
                "score": values.get(c.id, {}).get("score", ""),
                "evidence": values.get(c.id, {}).get("evidence", ""),
                "problems": by_criterion.get(c.id, []),
            }
        )
    history = ris3.history(store, region, criteria)
    page = {
        "region": {"code": region, "name": name, "url": f"/territories/{region}"},
        "scale": [
            {"value": f"{v:g}", "label": scale.labels.get(v, {}).get(tr.lang, f"{v:g}")} for v in scale.values
        ],
        "steps": list(steps.values()),
        "prefilled_from": None
        if source is None
        else {"assessor": source.assessor, "assessed_on": source.assessed_on.isoformat()},
        "meta": meta or {"assessed_on": dt.date.today().isoformat(), "document": "", "comment": ""},
        "problems": general,
        "n_problems": len(problems or []),
        "saved": request.query_params.get("saved"),
        "history": [
            {
                "id": int(r.id),
                "assessed_on": str(r.assessed_on),
                "assessor": r.assessor,
                "total": float(r.total),
                "share_pct": round(float(r.share_pct), 1),
            }
            for r in history.itertuples(index=False)
            if r.scale == SCALE
        ],
    }
    title = tr.gettext("RIS3 self-assessment: %(region)s") % {"region": name}
    return render(request, tr, "ris3_form.html", page, title=title, as_json=as_json, status_code=status)


def _row_criterion(problem: ris3.Ris3Problem, row_ids: list[str]) -> str | None:
    # parse_scores numbers the rows it was given from first_row=1; row_ids[n - 1] is row n's criterion
    if problem.row is None or not 1 <= problem.row <= len(row_ids):
        return None
    return row_ids[problem.row - 1]


@router.get("/ris3", include_in_schema=False)
def ris3_index(request: Request, tr: Lang) -> Response:
    """The regions the user may assess (straight to the form when there is one)."""
    user = require_user(request)
    store = _store(request)
    auth = get_auth(request)
    terr = store.territories()
    current = terr[terr["level"].isin(LEVELS) & terr["valid_to"].isna()]
    regions = [
        {"code": code, "name": str(row.get(f"name_{tr.lang}") or row["name_en"]), "url": f"/ris3/{code}"}
        for code, row in current.iterrows()
        if auth is not None and auth.allowed(user, ACTION, code)
    ]
    if len(regions) == 1:
        return RedirectResponse(regions[0]["url"], status_code=303)
    regions.sort(key=lambda r: r["name"])
    title = tr.gettext("RIS3 self-assessment")
    return render(request, tr, "ris3_index.html", {"regions": regions}, title=title)


@router.get("/ris3/{region}.json", tags=["ris3"], summary="A region's RIS3 self-assessment form (login)")
def ris3_form_json(request: Request, tr: Lang, region: str) -> Response:
    """The criteria by step, the scale, the prefilled scores and evidence, and the region's history of
    assessments. Needs a login whose roles allow ``assess_ris3`` on the region (401 / 403 otherwise)."""
    require_permission(request, ACTION, region)
    return _form_page(request, tr, _store(request), region, as_json=True)


@router.get("/ris3/{region}", include_in_schema=False)
def ris3_form(request: Request, tr: Lang, region: str) -> Response:
    """The self-assessment form of a region."""
    require_permission(request, ACTION, region)
    return _form_page(request, tr, _store(request), region)


@router.post("/ris3/{region}", include_in_schema=False)
async def ris3_save(request: Request, tr: Lang, region: str) -> Response:
    """Check and record a new assessment of the region; 422 with every problem and nothing written."""
    form = await request.form()  # the guard has checked its CSRF token already
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_save, request, tr, region, fields)


def _save(request: Request, tr: Translator, region: str, form: dict[str, str]) -> Response:
    user = require_permission(request, ACTION, region)
    store = _store(request)
    _region(store, region, tr)
    criteria = ris3.load_criteria(store)
    values = {
        c.id: {"score": form.get(f"score_{c.id}", "").strip(), "evidence": form.get(f"evidence_{c.id}", "")}
        for c in criteria
    }
    rows = [
        {"criterion": c.id, "score": values[c.id]["score"], "evidence": values[c.id]["evidence"]}
        for c in criteria
        if values[c.id]["score"]  # an unscored criterion is reported as missing, not as 0
    ]
    meta = {k: form.get(k, "").strip()[:500] for k in ("assessed_on", "document", "comment")}
    try:
        assessment = ris3.build(
            store,
            rows,
            region=region,
            assessor=user.username,
            scale=SCALE,
            assessed_on=meta["assessed_on"] or None,
            document=meta["document"] or None,
            comment=meta["comment"] or None,
            file="form",
            first_row=1,
        )
    except ris3.Ris3Errors as exc:
        row_ids = [r["criterion"] for r in rows]
        return _form_page(
            request, tr, store, region, values=values, problems=exc.problems, meta=meta, row_ids=row_ids,
            status=422,
        )  # fmt: skip
    new_id = ris3.record(store, assessment, actor=user.username)
    return RedirectResponse(f"/ris3/{region}?saved={new_id}", status_code=303)
