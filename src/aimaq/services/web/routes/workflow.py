"""The workflow pages of seed 001 (research needs -> technical assignments -> projects with co-financing ->
target indicators, foresight sessions), their JSON twins, CSV/XLSX of the targets, and a JSON write API.

Pages (each also as ``.json``)::

    /workflow                               per region: cycle stage, counts, latest changes
    /workflow/{entity}                      a list (?region=, ?state=); entity: needs, projects, ...
    /workflow/{entity}/new                  the form creating one (POST: create)
    /workflow/{entity}/{id}                 one object: fields, children, history, the user's transitions
    /workflow/{entity}/{id}/transition      POST: take a transition
    /workflow/{entity}/{id}/edit            the edit form with the object's version (POST: save)
    /workflow/{region}/targets              Table 3 plan vs actual (?as_of=); .csv and .xlsx too

Write API (JSON in, JSON out; header ``X-CSRF-Token``; a login session cookie)::

    POST /api/workflow/objects                      create
    POST /api/workflow/objects/{id}/transition      transition
    POST /api/workflow/objects/{id}/edit            edit fields, with the version read

Anyone may read; writing needs a login, the ``steer`` permission on the object's territory, and a role the
transition allows (the steering service checks role, region, guards and co-financing rules again on every
write and writes nothing when it refuses). Refusals: not logged in 401 (a form: 403, a page: the login
page), wrong role or region 403, unknown object 404, a stale version or a state that moved on 409, a field
or guard problem 422 — each with every problem named.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from aimaq.auth.service import Principal
from aimaq.services.web.export import table_response
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._auth import (
    csrf_token,
    current_user,
    login_url,
    require_permission,
    require_user,
)
from aimaq.services.web.workflow_pages import (
    ENTITY_LABELS,
    ENTITY_SLUGS,
    SLUG_ENTITIES,
    TRANSITION_FIELDS,
    WorkflowPages,
    actor_for,
    parse_form,
    problem_dicts,
)
from aimaq.steering.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    SteeringError,
    TransitionRefused,
)
from aimaq.steering.service import EDITABLE, Steering
from aimaq.steering.workflow import Actor

router = APIRouter()

EntityP = Annotated[str, "an entity's path segment: needs, technical-assignments, projects, ..."]
RegionQ = Annotated[str | None, Query(description="Only objects of this region (code or name)")]
StateQ = Annotated[str | None, Query(description="Only objects in this state")]
AsOfQ = Annotated[dt.date | None, Query(description="Day the traffic lights are computed for; default today")]


# ---------------------------------------------------------------------------------------------- plumbing
def _pages(request: Request) -> WorkflowPages:
    """The app's :class:`WorkflowPages`, made on first use over the store's database."""
    pages = getattr(request.app.state, "workflow_pages", None)
    if pages is None:
        store = request.app.state.data.store
        opened = getattr(store, "store", None)
        if callable(opened):  # the app's lazily opened store (create_app without a store)
            store = opened()
        if getattr(store, "engine", None) is None:
            raise HTTPException(503, "the workflow needs a database store (aimaq init); this app has none")
        pages = WorkflowPages(Steering(store))
        request.app.state.workflow_pages = pages
    return pages


Pages = Annotated[WorkflowPages, Depends(_pages)]


async def _form(request: Request) -> dict[str, Any]:
    """The submitted form as a dict; an input sent several times (checkboxes) as a list."""
    form = await request.form()
    return {k: (form.getlist(k) if len(form.getlist(k)) > 1 else form.get(k)) for k in form}


FormData = Annotated[dict[str, Any], Depends(_form)]


def _entity(slug: str) -> str:
    if slug not in SLUG_ENTITIES:
        raise HTTPException(404, f"no workflow list {slug!r}; one of {', '.join(SLUG_ENTITIES)}")
    return SLUG_ENTITIES[slug]


def _object(pages: WorkflowPages, entity: str, object_id: int) -> dict[str, Any]:
    try:
        obj = pages.steering.get(object_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc.problems[0])) from None
    if obj["entity"] != entity:
        raise HTTPException(404, f"object {object_id} is a {obj['entity']}, not a {entity}")
    return obj


def _who(request: Request, tr: Lang) -> dict[str, Any]:
    """What every workflow page says about the visitor (and the CSRF token its forms post)."""
    user = current_user(request)
    return {
        "user": None
        if user is None
        else {"username": user.username, "grants": [str(g) for g in user.grants]},
        "csrf_token": csrf_token(request),
        "login_url": login_url(request),
    }


def _status(exc: SteeringError) -> int:
    """The HTTP status of a refusal (module docstring)."""
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, TransitionRefused):
        return 409  # a stale version, or the state moved on
    return 422


def _actor(
    request: Request,
    pages: WorkflowPages,
    territory: str | None,
    roles: tuple[str, ...] | list[str],
    key: str,
) -> Actor:
    """The logged-in user's steering actor for an object of ``territory``: login, then the ``steer``
    permission on that territory (``permissions.csv``), then a role grant that acts there."""
    user: Principal = require_user(request)
    require_permission(request, "steer", territory)
    region = pages.steering.region_of(territory) if territory else None
    actor = actor_for(user, region, roles)
    if actor is None:
        raise PermissionDenied(
            [
                Problem(
                    "role_not_allowed",
                    key,
                    f"{user.username} ({', '.join(map(str, user.grants)) or 'no roles'}) holds no "
                    f"workflow role for {region or 'the national level'}; allowed: {', '.join(roles)}",
                )
            ]
        )
    return actor


def _refusal_json(exc: SteeringError, tr: Lang, **extra: Any) -> JSONResponse:
    status = _status(exc)
    body = {"ok": False, "status": status, "errors": problem_dicts(exc, tr)} | extra
    return JSONResponse(body, status_code=status)


def _title(tr: Lang, obj: dict[str, Any]) -> str:
    kind = obj["entity"]
    name = tr.gettext(ENTITY_LABELS[kind][0])
    return f"{name} {obj['id']}: {obj['title']}"


# ---------------------------------------------------------------------------------------------- overview
def _overview(request: Request, tr: Lang, pages: WorkflowPages, as_json: bool) -> Response:
    page = pages.overview(tr) | _who(request, tr)
    return render(request, tr, "workflow.html", page, title=tr.gettext("Workflow"), as_json=as_json)


@router.get("/workflow.json", tags=["workflow"], summary="The workflow per region")
def overview_json(request: Request, tr: Lang, pages: Pages) -> Response:
    """Per region: the stage of the regional cycle (ST-1..ST-8), object counts per entity, latest changes."""
    return _overview(request, tr, pages, True)


@router.get("/workflow", include_in_schema=False)
def overview_html(request: Request, tr: Lang, pages: Pages) -> Response:
    """The workflow overview page."""
    return _overview(request, tr, pages, False)


# ---------------------------------------------------------------------------------------------- targets
def _targets(pages: WorkflowPages, tr: Lang, region: str, as_of: dt.date | None) -> dict[str, Any]:
    try:
        return pages.targets_page(region, tr, as_of=as_of)
    except InvalidInput as exc:
        raise HTTPException(404, str(exc.problems[0])) from None


def _targets_title(tr: Lang, page: dict[str, Any]) -> str:
    return tr.gettext("Target indicators 2026–2030: %(region)s") % {"region": page["region"]["name"]}


@router.get("/workflow/{region}/targets.json", tags=["workflow"], summary="Table 3 targets, plan vs actual")
def targets_json(request: Request, tr: Lang, pages: Pages, region: str, as_of: AsOfQ = None) -> Response:
    """Seed 001 Table 3 per indicator and year 2026-2030: plan, actual (from the audit trail), traffic light.
    The country's code gives the national plan; a region its actuals (Table 3 has no regional plan)."""
    page = _targets(pages, tr, region, as_of)
    return render(request, tr, "workflow_targets.html", page, title=_targets_title(tr, page), as_json=True)


@router.get("/workflow/{region}/targets.{fmt}", tags=["export"], summary="Table 3 targets as CSV or XLSX")
def targets_table(
    tr: Lang, pages: Pages, region: str, fmt: Literal["csv", "xlsx"], as_of: AsOfQ = None
) -> Response:
    """The rows of the targets page, one per indicator and year (formula injection neutralised)."""
    page = _targets(pages, tr, region, as_of)
    return table_response(
        pages.targets_frame(page), fmt, f"targets_{page['region']['code']}_{page['as_of']}", sheet="targets"
    )


@router.get("/workflow/{region}/targets", include_in_schema=False)
def targets_html(request: Request, tr: Lang, pages: Pages, region: str, as_of: AsOfQ = None) -> Response:
    """The targets page."""
    page = _targets(pages, tr, region, as_of) | _who(request, tr)
    return render(request, tr, "workflow_targets.html", page, title=_targets_title(tr, page))


# ---------------------------------------------------------------------------------------------- lists
def _list(
    request: Request, tr: Lang, pages: WorkflowPages, slug: str, region, state, as_json: bool
) -> Response:
    entity = _entity(slug)
    try:
        page = pages.list_page(entity, tr, region=region, state=state)
    except InvalidInput as exc:
        raise HTTPException(400, str(exc.problems[0])) from None
    return render(
        request,
        tr,
        "workflow_list.html",
        page | _who(request, tr),
        title=page["label_plural"],
        as_json=as_json,
    )


@router.get("/workflow/{entity}.json", tags=["workflow"], summary="Workflow objects of one kind")
def list_json(
    request: Request, tr: Lang, pages: Pages, entity: EntityP, region: RegionQ = None, state: StateQ = None
) -> Response:
    """Objects of one entity (``needs``, ``technical-assignments``, ``projects``, ``foresight-sessions``,
    ``competitions``, ``funding-commitments``, ``dissemination-actions``, ``recommendations``,
    ``initiatives``, ``councils``, ``plan-items``) with state, territory and version."""
    return _list(request, tr, pages, entity, region, state, True)


@router.get("/workflow/{entity}", include_in_schema=False)
def list_html(
    request: Request, tr: Lang, pages: Pages, entity: EntityP, region: RegionQ = None, state: StateQ = None
) -> Response:
    """A list page."""
    return _list(request, tr, pages, entity, region, state, False)


# ---------------------------------------------------------------------------------------------- create
def _create_page(
    request: Request,
    tr: Lang,
    pages: WorkflowPages,
    entity: str,
    parent: int | None,
    region: str | None,
    *,
    as_json: bool = False,
    errors: list[dict[str, Any]] | None = None,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    page = pages.create_form(entity, tr, parent_id=parent, region=region) | _who(request, tr)
    if form:
        page["values"] = {k: form.get(k, "") for k in ("title", "reason", "effective_on", "territory")}
        for f in page["fields"]:
            f["values"] = {i: form.get(i, [] if f["kind"] == "choices" else "") for i in f["inputs"]}
    page["errors"] = errors or []
    title = tr.gettext("New: %(entity)s") % {"entity": page["label"]}
    return render(request, tr, "workflow_form.html", page, title=title, as_json=as_json, status_code=status)


@router.get("/workflow/{entity}/new.json", tags=["workflow"], summary="What creating an object needs")
def create_form_json(
    request: Request,
    tr: Lang,
    pages: Pages,
    entity: EntityP,
    parent: Annotated[int | None, Query(description="Id of the parent object")] = None,
    region: RegionQ = None,
) -> Response:
    """The creation transition, the roles that may take it, the parent it needs and its fields."""
    return _create_page(request, tr, pages, _entity(entity), parent, region, as_json=True)


@router.get("/workflow/{entity}/new", include_in_schema=False)
def create_form_html(
    request: Request,
    tr: Lang,
    pages: Pages,
    entity: EntityP,
    parent: Annotated[int | None, Query()] = None,
    region: RegionQ = None,
) -> Response:
    """The create form (anyone sees it; saving needs a login and a role that may create)."""
    return _create_page(request, tr, pages, _entity(entity), parent, region)


def _create(
    request: Request,
    pages: WorkflowPages,
    entity: str,
    *,
    title: str,
    reason: str,
    territory: str | None,
    parent_id: int | None,
    effective_on: Any,
    attrs: dict[str, Any],
) -> dict[str, Any]:
    """Create through the steering service as the logged-in user (login, permission, actor, then write)."""
    steering = pages.steering
    where = territory or None
    if where is None and parent_id is not None:
        where = steering.get(parent_id)["territory"]
    if where is not None:
        where = steering.territory_code(where)
    elif entity == "Competition" and attrs.get("path") == "national":
        where = steering.country()
    roles = steering.machine.creation(entity).roles
    actor = _actor(request, pages, where, roles, f"new {entity}")
    return steering.create(
        entity,
        territory=where,
        title=title,
        actor=actor,
        reason=reason,
        parent_id=parent_id,
        effective_on=effective_on or None,
        **attrs,
    )


@router.post("/workflow/{entity}/new", include_in_schema=False)
def create_post(request: Request, tr: Lang, pages: Pages, entity: EntityP, form: FormData) -> Response:
    """Create from the form; on success go to the new object's page."""
    kind = _entity(entity)
    parent_text = str(form.get("parent_id") or "").strip()
    parent_id = int(parent_text) if parent_text.isdigit() else None
    names = TRANSITION_FIELDS.get(pages.steering.machine.creation(kind).id, ())
    try:
        obj = _create(
            request,
            pages,
            kind,
            title=str(form.get("title") or ""),
            reason=str(form.get("reason") or ""),
            territory=str(form.get("territory") or "") or None,
            parent_id=parent_id,
            effective_on=str(form.get("effective_on") or "") or None,
            attrs=parse_form(names, form, f"new {kind}"),
        )
    except SteeringError as exc:
        return _create_page(
            request,
            tr,
            pages,
            kind,
            parent_id,
            str(form.get("territory") or "") or None,
            errors=problem_dicts(exc, tr),
            form=form,
            status=_status(exc),
        )
    return RedirectResponse(f"/workflow/{ENTITY_SLUGS[kind]}/{obj['id']}", status_code=303)


# ---------------------------------------------------------------------------------------------- one object
def _object_page(
    request: Request,
    tr: Lang,
    pages: WorkflowPages,
    obj: dict[str, Any],
    *,
    as_json: bool = False,
    errors: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> Response:
    page = pages.object_page(obj, tr, current_user(request)) | _who(request, tr)
    page["errors"] = errors or []
    return render(
        request, tr, "workflow_object.html", page, title=_title(tr, obj), as_json=as_json, status_code=status
    )


@router.get("/workflow/{entity}/{object_id}.json", tags=["workflow"], summary="One workflow object")
def object_json(request: Request, tr: Lang, pages: Pages, entity: EntityP, object_id: int) -> Response:
    """Fields, version, parent, children, history (who, when, old -> new), the transitions the requesting
    user may take now (``may``), and for a project its co-financing budget with the rules it breaks."""
    return _object_page(request, tr, pages, _object(pages, _entity(entity), object_id), as_json=True)


@router.get("/workflow/{entity}/{object_id}", include_in_schema=False)
def object_html(request: Request, tr: Lang, pages: Pages, entity: EntityP, object_id: int) -> Response:
    """One object's page."""
    return _object_page(request, tr, pages, _object(pages, _entity(entity), object_id))


def _stale(obj: dict[str, Any], version: Any, key: str) -> TransitionRefused | None:
    """A refusal when the form's version is not the object's (someone else changed it since)."""
    try:
        expected = int(version)
    except (TypeError, ValueError):
        return None
    if expected == obj["version"]:
        return None
    return TransitionRefused(
        [
            Problem(
                "stale",
                key,
                f"you saw version {expected} but it is at version {obj['version']} now; someone else "
                "changed it meanwhile. Nothing was written: look at the current values and try again",
            )
        ]
    )


def _transition(
    request: Request,
    pages: WorkflowPages,
    obj: dict[str, Any],
    to: str,
    *,
    reason: str,
    effective_on: Any,
    attrs: dict[str, Any],
    version: Any = None,
) -> dict[str, Any]:
    """Take a transition as the logged-in user; with ``version``, a newer object is refused (stale) after the
    permission checks (so that a stranger learns nothing from a 409)."""
    steering = pages.steering
    roles = next(
        (t["roles"] for t in steering.allowed(obj["id"]) if to in (t["transition"], t["to_state"])), []
    )
    key = f"{obj['entity']} {obj['id']}"
    actor = _actor(request, pages, obj["territory"], roles, key)
    stale = _stale(obj, version, key) if version is not None else None
    if stale is not None:
        raise stale
    return steering.transition(
        obj["id"], to, actor=actor, reason=reason, effective_on=effective_on or None, **attrs
    )


@router.post("/workflow/{entity}/{object_id}/transition", include_in_schema=False)
def transition_post(
    request: Request, tr: Lang, pages: Pages, entity: EntityP, object_id: int, form: FormData
) -> Response:
    """Take the transition ``to`` (a transition id) with the fields its guard needs."""
    obj = _object(pages, _entity(entity), object_id)
    to = str(form.get("to") or "")
    key = f"{obj['entity']} {obj['id']}"
    try:
        attrs = parse_form(TRANSITION_FIELDS.get(to, ()), form, key)
        _transition(
            request,
            pages,
            obj,
            to,
            reason=str(form.get("reason") or ""),
            effective_on=str(form.get("effective_on") or "") or None,
            attrs=attrs,
            version=form.get("version"),
        )
    except SteeringError as exc:
        current = pages.steering.get(object_id)
        return _object_page(request, tr, pages, current, errors=problem_dicts(exc, tr), status=_status(exc))
    return RedirectResponse(f"/workflow/{entity}/{object_id}#history", status_code=303)


# ---------------------------------------------------------------------------------------------- edit
def _edit_page(
    request: Request,
    tr: Lang,
    pages: WorkflowPages,
    obj: dict[str, Any],
    *,
    as_json: bool = False,
    errors: list[dict[str, Any]] | None = None,
    form: dict[str, Any] | None = None,
    conflict: bool = False,
    status: int = 200,
) -> Response:
    if not EDITABLE.get(obj["entity"]):
        raise HTTPException(
            404, f"a {obj['entity']} has no fields to edit; it changes through its transitions"
        )
    page = pages.edit_form(obj, tr) | _who(request, tr)
    page["errors"] = errors or []
    page["reason"] = str((form or {}).get("reason") or "")
    if conflict and form:
        # the current values stay in the form's hidden version; what the user typed is shown beside them
        page["conflict"] = {"yours": {i: form.get(i, "") for f in page["fields"] for i in f["inputs"]}}
    elif form:
        for f in page["fields"]:
            f["values"] = {i: form.get(i, [] if f["kind"] == "choices" else "") for i in f["inputs"]}
        page["version"] = int(form.get("version") or obj["version"])
    title = tr.gettext("Edit: %(title)s") % {"title": _title(tr, obj)}
    return render(request, tr, "workflow_form.html", page, title=title, as_json=as_json, status_code=status)


@router.get("/workflow/{entity}/{object_id}/edit.json", tags=["workflow"], summary="An object's edit form")
def edit_form_json(request: Request, tr: Lang, pages: Pages, entity: EntityP, object_id: int) -> Response:
    """The editable fields with their current values and the version an edit must carry."""
    return _edit_page(request, tr, pages, _object(pages, _entity(entity), object_id), as_json=True)


@router.get("/workflow/{entity}/{object_id}/edit", include_in_schema=False)
def edit_form_html(request: Request, tr: Lang, pages: Pages, entity: EntityP, object_id: int) -> Response:
    """The edit form."""
    return _edit_page(request, tr, pages, _object(pages, _entity(entity), object_id))


def _edit(
    request: Request,
    pages: WorkflowPages,
    obj: dict[str, Any],
    *,
    version: int,
    reason: str,
    attrs: dict[str, Any],
) -> dict[str, Any]:
    roles = pages.steering.machine.creation(obj["entity"]).roles
    actor = _actor(request, pages, obj["territory"], roles, f"{obj['entity']} {obj['id']}")
    return pages.steering.edit(obj["id"], actor=actor, reason=reason, expected_version=version, **attrs)


@router.post("/workflow/{entity}/{object_id}/edit", include_in_schema=False)
def edit_post(
    request: Request, tr: Lang, pages: Pages, entity: EntityP, object_id: int, form: FormData
) -> Response:
    """Save the edit; a version older than the object's is refused (409) with the current values shown."""
    obj = _object(pages, _entity(entity), object_id)
    key = f"{obj['entity']} {obj['id']}"
    try:
        version_text = str(form.get("version") or "")
        if not version_text.isdigit():
            raise InvalidInput(
                [Problem("missing_value", f"{key}: version", "the form carries no version; reload it")]
            )
        attrs = parse_form(EDITABLE.get(obj["entity"], ()), form, key)
        _edit(
            request, pages, obj, version=int(version_text), reason=str(form.get("reason") or ""), attrs=attrs
        )
    except SteeringError as exc:
        current = pages.steering.get(object_id)
        stale = "stale" in exc.reasons
        return _edit_page(
            request,
            tr,
            pages,
            current,
            errors=problem_dicts(exc, tr),
            form=form,
            conflict=stale,
            status=_status(exc),
        )
    return RedirectResponse(f"/workflow/{entity}/{object_id}#history", status_code=303)


# ---------------------------------------------------------------------------------------------- JSON API
class CreateRequest(BaseModel):
    """``POST /api/workflow/objects``."""

    entity: str = Field(description="RegionalNeed, TechnicalAssignment, Project, ForesightSession, ...")
    title: str
    reason: str = Field(description="Why (written to the audit trail)")
    territory: str | None = Field(None, description="Code or name; default the parent's territory")
    parent_id: int | None = Field(None, description="The need of a TA, the TA of a project, ...")
    effective_on: dt.date | None = Field(None, description="The day it happened; default today")
    attrs: dict[str, Any] = Field(
        default_factory=dict, description="Entity fields (funding_type, total_cost...)"
    )


class TransitionRequest(BaseModel):
    """``POST /api/workflow/objects/{id}/transition``."""

    to: str = Field(description="The target state or a transition id (TA-2)")
    reason: str
    effective_on: dt.date | None = None
    version: int | None = Field(None, description="The version read; a newer one refuses with 409")
    attrs: dict[str, Any] = Field(default_factory=dict, description="Fields the transition's guard needs")


class EditRequest(BaseModel):
    """``POST /api/workflow/objects/{id}/edit``."""

    version: int = Field(description="The version read; a newer one in the database refuses with 409")
    reason: str
    attrs: dict[str, Any] = Field(description="The fields to change (EDITABLE fields of the entity)")


def _api_object(pages: WorkflowPages, object_id: int) -> dict[str, Any]:
    return pages.steering.get(object_id)


def _ok(obj: dict[str, Any], status: int = 200) -> JSONResponse:
    body = {"ok": True, "object": obj | {"url": f"/workflow/{ENTITY_SLUGS[obj['entity']]}/{obj['id']}"}}
    return JSONResponse(_jsonable(body), status_code=status)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@router.get("/api/workflow/objects/{object_id}", tags=["workflow"], summary="Read one object (API)")
def api_get(request: Request, tr: Lang, pages: Pages, object_id: int) -> Response:
    """The object with its version and the transitions allowed from its state."""
    try:
        obj = _api_object(pages, object_id)
    except SteeringError as exc:
        return _refusal_json(exc, tr)
    return JSONResponse(_jsonable({"ok": True, "object": obj, "allowed": pages.steering.allowed(object_id)}))


@router.post("/api/workflow/objects", tags=["workflow"], summary="Create a workflow object", status_code=201)
def api_create(request: Request, tr: Lang, pages: Pages, body: CreateRequest) -> Response:
    """Create through the entity's creation transition as the logged-in user; 201 with the object."""
    if body.entity not in ENTITY_SLUGS:
        raise HTTPException(422, f"entity {body.entity!r}: one of {', '.join(ENTITY_SLUGS)}")
    try:
        obj = _create(
            request,
            pages,
            body.entity,
            title=body.title,
            reason=body.reason,
            territory=body.territory,
            parent_id=body.parent_id,
            effective_on=body.effective_on,
            attrs=body.attrs,
        )
    except SteeringError as exc:
        return _refusal_json(exc, tr)
    return _ok(obj, 201)


@router.post("/api/workflow/objects/{object_id}/transition", tags=["workflow"], summary="Take a transition")
def api_transition(
    request: Request, tr: Lang, pages: Pages, object_id: int, body: TransitionRequest
) -> Response:
    """Move the object to ``to``; 409 when ``version`` is not the current one or the state forbids it."""
    try:
        obj = _api_object(pages, object_id)
        moved = _transition(
            request,
            pages,
            obj,
            body.to,
            reason=body.reason,
            effective_on=body.effective_on,
            attrs=body.attrs,
            version=body.version,
        )
    except SteeringError as exc:
        extra = {"current": _jsonable(pages.steering.get(object_id))} if "stale" in exc.reasons else {}
        return _refusal_json(exc, tr, **extra)
    return _ok(moved)


@router.post(
    "/api/workflow/objects/{object_id}/edit", tags=["workflow"], summary="Edit fields, with the version"
)
def api_edit(request: Request, tr: Lang, pages: Pages, object_id: int, body: EditRequest) -> Response:
    """Change editable fields; 409 with the current object when ``version`` is not the current one."""
    try:
        obj = _api_object(pages, object_id)
        edited = _edit(request, pages, obj, version=body.version, reason=body.reason, attrs=body.attrs)
    except SteeringError as exc:
        extra = {"current": _jsonable(pages.steering.get(object_id))} if "stale" in exc.reasons else {}
        return _refusal_json(exc, tr, **extra)
    return _ok(edited)
