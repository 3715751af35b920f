"""The workflow pages of the web app (seed 001 knowledge-management cycle): one dict per page, over
:class:`aimaq.steering.service.Steering`.

The routes (``routes/workflow.py``) render these dicts as HTML or return them as JSON, like every other page.
Nothing here decides who may do what: the steering service checks role, region, guards and co-financing
rules on every write, and the pages only hide the buttons :meth:`Steering.allowed` would refuse anyway.

The one place where a logged-in :class:`~aimaq.auth.service.Principal` becomes a steering
:class:`~aimaq.steering.workflow.Actor` is :func:`actor_for`: the actor comes from the user's role grants,
never from form input.

Form fields are data too (:data:`FIELDS`, :data:`TRANSITION_FIELDS`): each names the attribute the steering
guard of that transition reads (``steering/workflow.py``, ``GUARDS``), so that a form asks for exactly what
the transition needs, and :func:`parse_form` turns the submitted text into the attribute values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pandas as pd

from aimaq.i18n import Translator
from aimaq.services.web.data import N_, display_name
from aimaq.steering.cofinancing import FUNDING_SOURCES
from aimaq.steering.errors import InvalidInput, Problem, SteeringError
from aimaq.steering.service import EDITABLE, PARENTS, Steering
from aimaq.steering.targets import load_plan
from aimaq.steering.workflow import (
    BENEFICIARY_GROUPS,
    COMPETITION_PATHS,
    CYCLE_STAGES,
    DERIVED_ENTITIES,
    DISSEMINATION_CHANNELS,
    FUNDING_TYPES,
    REGION_BOUND_ROLES,
    ROLES,
    Actor,
    cycle_stage,
)

__all__ = [
    "ENTITY_LABELS",
    "ENTITY_SLUGS",
    "FIELDS",
    "LIGHT_LABELS",
    "STATE_LABELS",
    "TRANSITION_FIELDS",
    "Field",
    "WorkflowPages",
    "actor_for",
    "parse_form",
    "problem_dicts",
]

#: Entity -> the path segment of its pages (``/workflow/needs``), in the order of the cycle.
ENTITY_SLUGS: dict[str, str] = {
    "ForesightSession": "foresight-sessions",
    "RegionalNeed": "needs",
    "TechnicalAssignment": "technical-assignments",
    "Competition": "competitions",
    "Project": "projects",
    "FundingCommitment": "funding-commitments",
    "DisseminationAction": "dissemination-actions",
    "Recommendation": "recommendations",
    "Initiative": "initiatives",
    "RegionalScienceCouncil": "councils",
    "PlanItem": "plan-items",
}
SLUG_ENTITIES: dict[str, str] = {slug: entity for entity, slug in ENTITY_SLUGS.items()}

#: Entity -> (singular, plural) message ids.
ENTITY_LABELS: dict[str, tuple[str, str]] = {
    "ForesightSession": (N_("Foresight session"), N_("Foresight sessions")),
    "RegionalNeed": (N_("Research need"), N_("Research needs")),
    "TechnicalAssignment": (N_("Technical assignment"), N_("Technical assignments")),
    "Competition": (N_("Competition"), N_("Competitions")),
    "Project": (N_("Project"), N_("Projects")),
    "FundingCommitment": (N_("Funding commitment"), N_("Funding commitments")),
    "DisseminationAction": (N_("Dissemination action"), N_("Dissemination actions")),
    "Recommendation": (N_("Recommendation"), N_("Recommendations")),
    "Initiative": (N_("Initiative"), N_("Initiatives")),
    "RegionalScienceCouncil": (N_("Regional science council"), N_("Regional science councils")),
    "PlanItem": (N_("Plan item"), N_("Plan items")),
}

#: State code -> message id (one label per state name across the entities).
STATE_LABELS: dict[str, str] = {
    "planned": N_("planned"),
    "held": N_("held"),
    "documented": N_("documented"),
    "needs_registered": N_("needs registered"),
    "cancelled": N_("cancelled"),
    "identified": N_("identified"),
    "validated": N_("validated"),
    "rejected": N_("rejected"),
    "specified_as_ta": N_("specified as a technical assignment"),
    "addressed": N_("addressed"),
    "superseded": N_("superseded"),
    "draft": N_("draft"),
    "under_council_review": N_("under council review"),
    "approved": N_("approved"),
    "submitted_to_state_body": N_("submitted to the state body"),
    "included_in_competition": N_("included in a competition"),
    "not_included": N_("not included"),
    "local_competition": N_("local competition"),
    "awarded": N_("awarded"),
    "no_award": N_("no award"),
    "closed": N_("closed"),
    "announced": N_("announced"),
    "applications_closed": N_("applications closed"),
    "evaluated": N_("evaluated"),
    "structuring": N_("structuring"),
    "applied": N_("applied"),
    "selected": N_("selected"),
    "contracted": N_("contracted"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "systematised": N_("systematised"),
    "disseminated": N_("disseminated"),
    "terminated": N_("terminated"),
    "pledged": N_("pledged"),
    "confirmed": N_("confirmed"),
    "disbursed": N_("disbursed"),
    "withdrawn": N_("withdrawn"),
    "drafted": N_("drafted"),
    "issued": N_("issued"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "implemented": N_("implemented"),
    "proposed": N_("proposed"),
    "active": N_("active"),
    "promoted": N_("promoted"),
    "done": N_("done"),
    "established": N_("established"),
    "adopted": N_("adopted"),
}

#: RegionalCycle stages ST-1..ST-8 (seed 001, l.1920-1962) -> message id.
STAGE_LABELS: dict[str, str] = {
    "council_engagement": N_("ST-1 council engagement"),
    "foresight": N_("ST-2 foresight"),
    "task_specification": N_("ST-3 technical assignments"),
    "competition_inclusion": N_("ST-4 inclusion in competitions"),
    "project_structuring": N_("ST-5 project structuring and co-financing"),
    "research_execution": N_("ST-6 research under way"),
    "systematisation": N_("ST-7 results systematised"),
    "dissemination": N_("ST-8 dissemination"),
}

#: Steering roles -> message id.
ROLE_LABELS: dict[str, str] = {
    "academy": N_("Academy"),
    "council": N_("regional science council"),
    "akimat": N_("akimat"),
    "state_body": N_("state body"),
    "executor": N_("executor"),
    "viewer": N_("viewer"),
}

#: Traffic lights of :func:`aimaq.steering.targets.light` -> (message id, symbol, colour). Okabe-Ito colours
#: (colour-blind safe), and a symbol and the text besides, so that no colour is the only signal.
LIGHT_LABELS: dict[str, tuple[str, str, str]] = {
    "green": (N_("on track"), "✓", "#009E73"),
    "amber": (N_("behind plan"), "!", "#E69F00"),
    "red": (N_("far behind plan"), "✗", "#D55E00"),
    "pending": (N_("not due yet"), "…", "#56B4E9"),
    "no_target": (N_("no target"), "–", "#999999"),
}

#: Table 3 indicators (seed 001, l.2060-2171) -> short label and unit message ids.
INDICATOR_LABELS: dict[int, tuple[str, str]] = {
    1: (N_("Foresight sessions held in the regions"), N_("events")),
    2: (N_("Technical assignments included in research-funding competitions"), N_("assignments")),
    3: (N_("Projects and programmes with the Academy's participation"), N_("projects")),
    4: (N_("Co-financing share from private and local public sources"), "%"),
    5: (N_("Recommendations prepared by the Academy"), N_("recommendations")),
}

#: Steering refusal reasons (``steering/errors.py``, ``REASONS``) -> message id (their English text).
REASON_LABELS: dict[str, str] = {
    "illegal_transition": N_("the object's current state does not allow this transition"),
    "role_not_allowed": N_("the actor's role may not perform this transition"),
    "wrong_region": N_("the actor works for another region"),
    "guard_failed": N_("a condition of the transition is not met"),
    "cofinancing": N_("the project budget breaks a co-financing rule"),
    "budget": N_("the project budget is incomplete or inconsistent"),
    "not_found": N_("no object with this id"),
    "bad_value": N_("a field does not have the expected form"),
    "missing_value": N_("a required field is empty"),
    "unknown_territory": N_("unknown territory"),
    "unknown_measure": N_("unknown measure"),
    "unknown_indicator": N_("the indicator is not in the store"),
    "derived_entity": N_("the entity is computed from other records and cannot be changed by hand"),
    "stale": N_("the object was changed by someone else meanwhile"),
}


# ---------------------------------------------------------------------------------------------- form fields
@dataclass(frozen=True)
class Field:
    """One form input for an attribute of a workflow object.

    ``kind``: ``text``, ``textarea``, ``number``, ``date``, ``bool``, ``choice``, ``choices`` (several
    checkboxes), ``lines`` (one list item per line), ``indicators`` (TA-2: qualitative and quantitative
    indicators, one per line) or ``consortium`` (PR-2: the lead executor and the other members).
    """

    name: str
    label: str
    kind: str = "text"
    choices: tuple[str, ...] = ()

    def inputs(self) -> list[str]:
        """The HTML input names of the field."""
        if self.kind == "indicators":
            return [f"{self.name}__qualitative", f"{self.name}__quantitative"]
        if self.kind == "consortium":
            return [f"{self.name}__lead", f"{self.name}__members"]
        return [self.name]


_FIELD_LIST: tuple[Field, ...] = (
    Field("description", N_("Description"), "textarea"),
    Field("held_on", N_("Held on"), "date"),
    Field("participants", N_("Beneficiary groups taking part"), "choices", BENEFICIARY_GROUPS),
    Field("protocol", N_("Protocol (minutes)")),
    Field("report", N_("Report")),
    Field("priority", N_("Regional priority")),
    Field("indicators", N_("Indicators"), "indicators"),
    Field("council_decision", N_("Council decision")),
    Field("competition_id", N_("Competition (id)"), "number"),
    Field("local_budget_allocated", N_("Local budget allocated, KZT"), "number"),
    Field("path", N_("Competition path"), "choice", COMPETITION_PATHS),
    Field("funding_type", N_("Funding type"), "choice", FUNDING_TYPES),
    Field("total_cost", N_("Total cost, KZT"), "number"),
    Field("academy_participation", N_("With the Academy's participation"), "bool"),
    Field("consortium", N_("Consortium"), "consortium"),
    Field("contract", N_("Contract")),
    Field("experience", N_("Experience recorded")),
    Field("source", N_("Funding source"), "choice", FUNDING_SOURCES),
    Field("amount", N_("Amount, KZT"), "number"),
    Field("funder", N_("Funder")),
    Field("addressee", N_("Addressee")),
    Field("responsible_persons", N_("Responsible persons (one per line)"), "lines"),
    Field("channel", N_("Dissemination channel"), "choice", DISSEMINATION_CHANNELS),
    Field("measure_id", N_("Measure (catalogue id)")),
    Field("responsible_body", N_("Responsible body")),
    Field("budget", N_("Budget, KZT"), "number"),
    Field("deadline", N_("Deadline"), "date"),
    Field("target_indicator", N_("Target indicator (code)")),
    Field("target_value", N_("Target value"), "number"),
    Field("progress_note", N_("Progress note"), "textarea"),
)
#: Attribute name -> its form field.
FIELDS: dict[str, Field] = {f.name: f for f in _FIELD_LIST}

#: Transition id -> the attributes its form asks for: what the transition's guard reads
#: (``steering/workflow.py``, ``GUARDS``) plus the descriptive fields of a new object.
TRANSITION_FIELDS: dict[str, tuple[str, ...]] = {
    "FS-2": ("held_on", "participants"),
    "FS-3": ("protocol", "report"),
    "RN-1": ("description",),
    "RN-2": ("priority",),
    "TA-1": ("description", "indicators"),
    "TA-2": ("indicators",),
    "TA-3": ("council_decision",),
    "TA-7": ("competition_id",),
    "TA-9": ("competition_id", "local_budget_allocated"),
    "CO-1": ("path", "funding_type"),
    "PR-1": ("funding_type", "total_cost", "academy_participation", "consortium"),
    "PR-2": ("consortium",),
    "PR-5": ("contract",),
    "PR-9": ("experience",),
    "FC-1": ("source", "amount", "funder"),
    "RC-1": ("description",),
    "RC-2": ("addressee",),
    "IN-1": ("description",),
    "IN-2": ("responsible_persons",),
    "DA-1": ("channel", "description"),
    "PL-1": ("measure_id", "responsible_body", "budget", "deadline", "target_indicator", "target_value"),
    "PL-3": ("progress_note",),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_form(names: Iterable[str], form: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The attribute values of the fields ``names`` from a submitted form; empty inputs are left out, so
    that the steering guard names what is missing.

    Parameters
    ----------
    names : iterable of str
        Attribute names (keys of :data:`FIELDS`).
    form : mapping
        Input name -> submitted text (a list for several checkboxes).
    key : str
        What the form is about, for error rows (``new Project``, ``Project 4``).

    Raises
    ------
    InvalidInput
        Listing every field that does not parse (a number, a date), naming it.

    Examples
    --------
    >>> parse_form(["amount", "participants"], {"amount": "5 000,5", "participants": ["BEN-1"]}, "x")
    {'amount': 5000.5, 'participants': ['BEN-1']}
    >>> parse_form(["consortium"], {"consortium__lead": "KazNU", "consortium__members": "KarTU"}, "x")
    {'consortium': [{'name': 'KazNU', 'role': 'lead_executor'}, {'name': 'KarTU', 'role': 'member'}]}
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in names:
        f = FIELDS[name]
        raw = form.get(name)
        text = raw.strip() if isinstance(raw, str) else ""
        if f.kind == "indicators":
            items = [
                {"kind": kind, "name": line}
                for kind in ("qualitative", "quantitative")
                for line in _lines(str(form.get(f"{name}__{kind}") or ""))
            ]
            if items:
                out[name] = items
        elif f.kind == "consortium":
            lead = str(form.get(f"{name}__lead") or "").strip()
            members = _lines(str(form.get(f"{name}__members") or ""))
            items = ([{"name": lead, "role": "lead_executor"}] if lead else []) + [
                {"name": m, "role": "member"} for m in members
            ]
            if items:
                out[name] = items
        elif f.kind == "choices":
            picked = raw if isinstance(raw, list) else ([raw] if raw else [])
            bad = [p for p in picked if p not in f.choices]
            if bad:
                problems.append(Problem("bad_value", f"{key}: {name}", f"{bad} not among {list(f.choices)}"))
            elif picked:
                out[name] = list(picked)
        elif f.kind == "bool":
            out[name] = text.lower() in ("1", "on", "true", "yes")
        elif not text:
            continue
        elif f.kind == "number":
            try:
                value = float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
                if not math.isfinite(value):
                    raise ValueError
            except ValueError:
                problems.append(Problem("bad_value", f"{key}: {name}", f"{text!r} is not a number"))
                continue
            out[name] = int(value) if name == "competition_id" and value.is_integer() else value
        elif f.kind == "date":
            try:
                out[name] = dt.date.fromisoformat(text).isoformat()
            except ValueError:
                problems.append(
                    Problem("bad_value", f"{key}: {name}", f"{text!r} is not a date (YYYY-MM-DD)")
                )
        elif f.kind == "choice":
            if text not in f.choices:
                problems.append(
                    Problem("bad_value", f"{key}: {name}", f"{text!r} not among {list(f.choices)}")
                )
            else:
                out[name] = text
        elif f.kind == "lines":
            out[name] = _lines(text)
        else:
            out[name] = text
    if problems:
        raise InvalidInput(problems)
    return out


def form_values(names: Iterable[str], attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The input values that show ``attrs`` in the form of :func:`parse_form` (its inverse)."""
    out: dict[str, Any] = {}
    for name in names:
        f = FIELDS[name]
        value = attrs.get(name)
        if f.kind == "indicators":
            for kind in ("qualitative", "quantitative"):
                out[f"{name}__{kind}"] = "\n".join(
                    str(i.get("name", ""))
                    for i in value or []
                    if isinstance(i, Mapping) and i.get("kind") == kind
                )
        elif f.kind == "consortium":
            members = [m for m in value or [] if isinstance(m, Mapping)]
            out[f"{name}__lead"] = next(
                (str(m.get("name", "")) for m in members if m.get("role") == "lead_executor"), ""
            )
            out[f"{name}__members"] = "\n".join(
                str(m.get("name", "")) for m in members if m.get("role") != "lead_executor"
            )
        elif f.kind in ("choices",):
            out[name] = list(value or [])
        elif f.kind == "lines":
            out[name] = "\n".join(str(v) for v in value or [])
        elif f.kind == "bool":
            out[name] = bool(value)
        else:
            out[name] = "" if value is None else _plain(value)
    return out


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_fields(names: Iterable[str], tr: Translator, values: Mapping[str, Any] | None = None) -> list[dict]:
    """Fields as the templates draw them: name, label, kind, choices and the current value(s)."""
    values = values or {}
    out = []
    for name in names:
        f = FIELDS[name]
        out.append(
            {
                "name": f.name,
                "label": tr.gettext(f.label),
                "kind": f.kind,
                "choices": list(f.choices),
                "inputs": f.inputs(),
                "values": {i: values.get(i, [] if f.kind == "choices" else "") for i in f.inputs()},
            }
        )
    return out


# ---------------------------------------------------------------------------------------------- actor
def actor_for(principal: Any, region: str | None, roles: Sequence[str] = ()) -> Actor | None:
    """The steering actor a logged-in user acts as on an object of ``region`` (None: a national object).

    The only place where the web app makes an :class:`~aimaq.steering.workflow.Actor`: from the user's
    role grants (``principal.grants``), never from form input. A grant counts when its role is a steering
    role other than ``viewer`` and it is national or for ``region`` itself (a council or an akimat acts for
    its region; a grant for a town inside it does not act for the whole region). Among several, the first
    whose role is in ``roles`` (the roles a transition allows) is taken, so that a user holding two roles
    acts with the one the transition needs.

    Parameters
    ----------
    principal : Principal or None
        The logged-in user (:class:`aimaq.auth.service.Principal`); None for anonymous visitors.
    region : str or None
        The region of the object (``Steering.region_of``).
    roles : sequence of str, optional
        Roles preferred (those of the transition about to be taken).

    Returns
    -------
    Actor or None
        None when the user has no grant that acts there.

    Examples
    --------
    >>> from aimaq.auth.service import Grant, Principal
    >>> p = Principal(1, "aigerim", None, None, (Grant("viewer"), Grant("council", "karaganda")))
    >>> actor_for(p, "karaganda")
    Actor(name='aigerim', role='council', region='karaganda')
    >>> actor_for(p, "abai") is None
    True
    """
    if principal is None:
        return None
    candidates = []
    for grant in principal.grants:
        if grant.role not in ROLES or grant.role == "viewer":
            continue
        if grant.territory is not None and grant.territory != region:
            continue
        if grant.role in REGION_BOUND_ROLES and grant.territory is None:
            continue
        candidates.append(Actor(principal.username, grant.role, region=grant.territory))
    if not candidates:
        return None
    return next((a for a in candidates if a.role in roles), candidates[0])


def problem_dicts(exc: SteeringError | Iterable[Problem], tr: Translator) -> list[dict[str, Any]]:
    """The problems of a refusal as the pages and JSON show them: the translated reason as a headline, the
    service's sentence (English, naming the field and the rule) and the rule's source."""
    problems = exc.problems if isinstance(exc, SteeringError) else list(exc)
    return [
        {
            "reason": p.reason,
            "reason_label": tr.gettext(REASON_LABELS[p.reason]),
            "key": p.key,
            "message": p.message,
            "source": p.source,
        }
        for p in problems
    ]


# ---------------------------------------------------------------------------------------------- helpers
def label(tr: Translator, table: Mapping[Any, str], key: Any) -> str:
    """The translated label of ``key`` in one of the label tables above, else ``key`` itself.

    Examples
    --------
    >>> from aimaq.i18n import translator
    >>> label(translator("en"), STATE_LABELS, "under_council_review"), label(translator("en"), {}, "x")
    ('under council review', 'x')
    """
    msgid = table.get(key)
    return tr.gettext(msgid) if msgid else str(key)


def _iso(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _number(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


class WorkflowPages:
    """The workflow page dicts over one :class:`~aimaq.steering.service.Steering`.

    Parameters
    ----------
    steering : Steering
    """

    def __init__(self, steering: Steering) -> None:
        self.steering = steering

    # ------------------------------------------------------------------ names
    def _territories(self) -> pd.DataFrame:
        return self.steering._gazetteer()

    def territory(self, code: str | None, tr: Translator) -> dict[str, Any] | None:
        """Code, name in ``tr.lang`` and profile link of a territory."""
        if code is None:
            return None
        t = self._territories()
        if code not in t.index:
            return {"code": code, "name": code, "url": None}
        row = {"code": code, **{k: v for k, v in t.loc[code].items()}}
        return {"code": code, "name": display_name(row, tr), "url": f"/territories/{code}"}

    def regions(self, tr: Translator) -> list[dict[str, Any]]:
        """The current regions and cities of republican significance, by name."""
        t = self._territories()
        current = t[t["level"].isin(["region", "city_rs"])]
        if "valid_to" in current.columns:
            current = current[current["valid_to"].isna()]
        out = [self.territory(str(code), tr) for code in current.index]
        return sorted((r for r in out if r is not None), key=lambda r: r["name"])

    def region_code(self, region: str) -> str:
        """The code of a region given by code or name (InvalidInput when unknown)."""
        return self.steering.territory_code(region)

    @staticmethod
    def entity_info(entity: str, tr: Translator) -> dict[str, Any]:
        """Code, slug, labels and list URL of an entity."""
        one, many = ENTITY_LABELS[entity]
        slug = ENTITY_SLUGS[entity]
        return {
            "entity": entity,
            "slug": slug,
            "label": tr.gettext(one),
            "label_plural": tr.gettext(many),
            "url": f"/workflow/{slug}",
        }

    @staticmethod
    def state_info(state: str | None, tr: Translator) -> dict[str, Any] | None:
        if state is None:
            return None
        return {"code": state, "label": tr.gettext(STATE_LABELS[state]) if state in STATE_LABELS else state}

    def _summary(self, row: Mapping[str, Any], tr: Translator) -> dict[str, Any]:
        entity = str(row["entity"])
        return {
            "id": int(row["id"]),
            "entity": entity,
            "entity_label": tr.gettext(ENTITY_LABELS[entity][0]),
            "title": row["title"],
            "state": self.state_info(row["state"], tr),
            "territory": self.territory(row["territory"], tr),
            "region": self.steering.region_of(row["territory"]),
            "parent_id": None
            if row["parent_id"] is None or pd.isna(row["parent_id"])
            else int(row["parent_id"]),
            "version": int(row["version"]),
            "updated_at": _iso(row["updated_at"]),
            "url": f"/workflow/{ENTITY_SLUGS[entity]}/{int(row['id'])}",
        }

    def _change(self, rec: Mapping[str, Any], tr: Translator, previous: Mapping[str, Any]) -> dict[str, Any]:
        """One audit record, with the old value of each changed field (``previous``: the fields before)."""
        entity = str(rec["entity"])
        changes = rec["changes"] if isinstance(rec["changes"], Mapping) else {}
        fields = [
            {
                "name": k,
                "label": tr.gettext(FIELDS[k].label) if k in FIELDS else k,
                "old": previous.get(k),
                "new": v,
            }
            for k, v in changes.items()
        ]
        from_state = rec["from_state"] if isinstance(rec["from_state"], str) else None
        return {
            "id": int(rec["id"]),
            "at": _iso(rec["at"]),
            "effective_on": _iso(rec["effective_on"]),
            "object_id": int(rec["object_id"]),
            "object_url": f"/workflow/{ENTITY_SLUGS.get(entity, 'objects')}/{int(rec['object_id'])}",
            "entity": entity,
            "entity_label": tr.gettext(ENTITY_LABELS[entity][0]) if entity in ENTITY_LABELS else entity,
            "territory": rec["territory"],
            "transition": rec["transition_id"],
            "from_state": self.state_info(from_state, tr),
            "to_state": self.state_info(rec["to_state"], tr),
            "actor": rec["actor"],
            "role": rec["role"],
            "role_label": label(tr, ROLE_LABELS, rec["role"]),
            "actor_region": rec["actor_region"] if isinstance(rec["actor_region"], str) else None,
            "reason": rec["reason"],
            "changes": fields,
        }

    def history(self, object_id: int, tr: Translator) -> list[dict[str, Any]]:
        """The audit trail of one object, newest first, each field change as old -> new (the old value is
        the one the earlier records of the trail set: the creation record holds every field)."""
        frame = self.steering.history(object_id)
        current: dict[str, Any] = {}
        out = []
        for rec in frame.to_dict("records"):
            out.append(self._change(rec, tr, current))
            if isinstance(rec["changes"], Mapping):
                current.update(rec["changes"])
        return out[::-1]

    # ------------------------------------------------------------------ overview
    def overview(self, tr: Translator, *, latest: int = 5) -> dict[str, Any]:
        """Per region: the RegionalCycle stage (ST-1..ST-8), counts per entity, the latest changes."""
        objects = self.steering.objects()
        region_of = {t: self.steering.region_of(t) for t in set(objects["territory"])}
        region_codes = {r["code"] for r in self.regions(tr)}
        trail = self.steering.history()
        trail_region = {
            t: t if t in region_codes else self.steering.region_of(t) for t in set(trail["territory"])
        }
        entities = [e for e in ENTITY_SLUGS if e not in DERIVED_ENTITIES]
        rows = []
        for region in self.regions(tr):
            code = region["code"]
            mine = objects[objects["territory"].map(lambda t, c=code: region_of.get(t) == c).astype(bool)]
            stage, evidence = cycle_stage(
                [SimpleNamespace(**r) for r in mine.to_dict("records")]  # what Steering.cycle reads
            )
            counts = {e: int((mine["entity"] == e).sum()) for e in entities}
            changes = trail[trail["territory"].map(lambda t, c=code: trail_region.get(t) == c).astype(bool)]
            rows.append(
                {
                    "region": region,
                    "stage": stage,
                    "stage_label": tr.gettext(STAGE_LABELS[stage]) if stage else None,
                    "stage_no": CYCLE_STAGES.index(stage) + 1 if stage else 0,
                    "evidence": evidence,
                    "counts": counts,
                    "total": len(mine),
                    "latest": [self._change(r, tr, {}) for r in changes.tail(latest).to_dict("records")][
                        ::-1
                    ],
                    "targets_url": f"/workflow/{code}/targets",
                }
            )
        national = objects[objects["territory"].map(lambda t: region_of.get(t) is None).astype(bool)]
        return {
            "entities": [self.entity_info(e, tr) for e in entities],
            "stages": [{"code": s, "label": tr.gettext(STAGE_LABELS[s])} for s in CYCLE_STAGES],
            "regions": rows,
            "national": [self._summary(r, tr) for r in national.to_dict("records")],
            "national_targets_url": f"/workflow/{self.steering.country()}/targets",
            "total": len(objects),
        }

    # ------------------------------------------------------------------ lists
    def list_page(
        self, entity: str, tr: Translator, *, region: str | None = None, state: str | None = None
    ) -> dict[str, Any]:
        """The objects of one entity, filtered by region and state."""
        code = self.region_code(region) if region else None
        frame = self.steering.objects(entity, territory=code, state=state or None)
        states = self.steering.machine.states(entity)
        return {
            **self.entity_info(entity, tr),
            "region": self.territory(code, tr),
            "state": state or None,
            "states": [self.state_info(s, tr) for s in states],
            "regions": self.regions(tr),
            "objects": [self._summary(r, tr) for r in frame.to_dict("records")],
            "creation": self.creation_info(entity, tr),
        }

    def creation_info(self, entity: str, tr: Translator) -> dict[str, Any]:
        """The creation transition of ``entity``: id, roles, the parent it needs and the form URL."""
        t = self.steering.machine.creation(entity)
        parents = PARENTS.get(entity, ())
        return {
            "transition": t.id,
            "roles": list(t.roles),
            "role_labels": [tr.gettext(ROLE_LABELS[r]) for r in t.roles],
            "parents": list(parents),
            "parent_required": entity
            in ("TechnicalAssignment", "Project", "FundingCommitment", "DisseminationAction"),
            "source": t.source(),
            "url": f"/workflow/{ENTITY_SLUGS[entity]}/new",
        }

    # ------------------------------------------------------------------ one object
    def object_page(self, obj: Mapping[str, Any], tr: Translator, principal: Any = None) -> dict[str, Any]:
        """One object: attributes, parent, children, history, the transitions the user may take now, the
        edit link, and for a project its co-financing budget."""
        entity = obj["entity"]
        oid = int(obj["id"])
        region = self.steering.region_of(obj["territory"])
        objects = self.steering.objects()
        children = objects[objects["parent_id"] == oid]
        parent = None
        if obj["parent_id"] is not None:
            prow = objects[objects["id"] == obj["parent_id"]]
            parent = self._summary(prow.iloc[0].to_dict(), tr) if len(prow) else None
        transitions = []
        for t in self.steering.allowed(oid):
            actor = actor_for(principal, region, t["roles"])
            may = actor is not None and bool(
                [a for a in self.steering.allowed(oid, actor) if a["transition"] == t["transition"]]
            )
            names = TRANSITION_FIELDS.get(t["transition"], ())
            transitions.append(
                {
                    **t,
                    "to_label": label(tr, STATE_LABELS, t["to_state"]),
                    "role_labels": [label(tr, ROLE_LABELS, r) for r in t["roles"]],
                    "may": may,
                    "as_role": actor.role if may and actor is not None else None,
                    "fields": form_fields(names, tr, form_values(names, obj["attrs"])),
                }
            )
        creation = self.steering.machine.creation(entity)
        editable = list(EDITABLE.get(entity, ()))
        edit_actor = actor_for(principal, region, creation.roles)
        child_kinds = [e for e, ps in PARENTS.items() if entity in ps]
        page = {
            "object": {
                **self._summary({**obj, "version": obj["version"]}, tr),
                "attrs": obj["attrs"],
                "attr_rows": [
                    {"name": k, "label": tr.gettext(FIELDS[k].label) if k in FIELDS else k, "value": v}
                    for k, v in obj["attrs"].items()
                ],
                "created_at": _iso(obj["created_at"]),
            },
            "entity_info": self.entity_info(entity, tr),
            "parent": parent,
            "children": [self._summary(r, tr) for r in children.to_dict("records")],
            "child_kinds": [
                {**self.entity_info(e, tr), "new_url": f"/workflow/{ENTITY_SLUGS[e]}/new?parent={oid}"}
                for e in child_kinds
            ],
            "history": self.history(oid, tr),
            "transitions": transitions,
            "editable": editable,
            "can_edit": bool(editable) and edit_actor is not None and edit_actor.role in creation.roles,
            "edit_url": f"/workflow/{ENTITY_SLUGS[entity]}/{oid}/edit" if editable else None,
            "budget": self.budget(oid, tr) if entity == "Project" else None,
        }
        return page

    def budget(self, project_id: int, tr: Translator) -> dict[str, Any]:
        """:meth:`Steering.budget` with translated labels; each problem keeps the rule and its seed lines."""
        b = self.steering.budget(project_id)
        return {
            **b,
            "total_cost_text": tr.format_number(_number(b["total_cost"]), decimals=2)
            if _number(b["total_cost"]) is not None
            else "—",
            "local_share_text": tr.format_number(b["local_share_pct"], decimals=1)
            if b["local_share_pct"] is not None and not math.isnan(b["local_share_pct"])
            else "—",
            "commitments": [
                {
                    **c,
                    "amount_text": tr.format_number(_number(c["amount"]), decimals=2),
                    "state_label": label(tr, STATE_LABELS, c["state"]),
                }
                for c in b["commitments"]
            ],
        }

    # ------------------------------------------------------------------ forms
    def create_form(
        self, entity: str, tr: Translator, *, parent_id: int | None = None, region: str | None = None
    ) -> dict[str, Any]:
        """The page of the form that creates an ``entity`` (its creation transition's fields)."""
        info = self.creation_info(entity, tr)
        parent = None
        if parent_id is not None:
            try:
                p = self.steering.get(parent_id)
                parent = self._summary(p, tr)
            except SteeringError:
                parent = None
        names = TRANSITION_FIELDS.get(info["transition"], ())
        return {
            **self.entity_info(entity, tr),
            "creation": info,
            "parent": parent,
            "parent_id": parent_id,
            "region": region,
            "regions": self.regions(tr),
            "country": self.territory(self.steering.country(), tr),
            "fields": form_fields(names, tr),
            "values": {"title": "", "reason": "", "effective_on": "", "territory": region or ""},
            "errors": [],
        }

    def edit_form(self, obj: Mapping[str, Any], tr: Translator) -> dict[str, Any]:
        """The page of the form that edits the fields of :data:`EDITABLE`, carrying the object's version."""
        entity = obj["entity"]
        names = EDITABLE.get(entity, ())
        return {
            **self.entity_info(entity, tr),
            "object": self._summary(obj, tr),
            "attrs": obj["attrs"],
            "fields": form_fields(names, tr, form_values(names, obj["attrs"])),
            "version": int(obj["version"]),
            "errors": [],
            "conflict": None,
        }

    # ------------------------------------------------------------------ targets
    def targets_page(self, region: str, tr: Translator, *, as_of: dt.date | None = None) -> dict[str, Any]:
        """Table 3 targets 2026-2030, plan vs actual, with traffic lights; the country code gives the national
        plan, a region its actuals (Table 3 has no regional breakdown)."""
        code = self.region_code(region)
        national = code == self.steering.country()
        frame = self.steering.targets(None if national else code, as_of=as_of)
        plan = {t.indicator_no: t for t in load_plan()}
        years = sorted({int(y) for y in frame["year"]})
        indicators = []
        for no, group in frame.groupby("indicator_no", sort=True):
            name_id, unit = INDICATOR_LABELS[int(no)]
            t = plan[int(no)]
            cells = []
            for r in group.sort_values("year").to_dict("records"):
                light_id, symbol, colour = LIGHT_LABELS[r["light"]]
                cells.append(
                    {
                        "year": int(r["year"]),
                        "plan": _number(r["plan"]),
                        "actual": _number(r["actual"]),
                        "plan_text": tr.format_number(_number(r["plan"]))
                        if _number(r["plan"]) is not None
                        else "—",
                        "actual_text": tr.format_number(
                            _number(r["actual"]), decimals=1 if int(no) == 4 else 0
                        )
                        if _number(r["actual"]) is not None
                        else "—",
                        "light": r["light"],
                        "light_label": tr.gettext(light_id),
                        "symbol": symbol,
                        "colour": colour,
                        "evidence": [int(i) for i in r["evidence"]],
                    }
                )
            indicators.append(
                {
                    "no": int(no),
                    "label": tr.gettext(name_id),
                    "unit": tr.gettext(unit) if unit != "%" else "%",
                    "seed_text": t.indicator_kk if tr.lang == "kk" else t.indicator_en,
                    "seed_lang": "kk" if tr.lang == "kk" else "en",
                    "source_lines": t.source_lines,
                    "cells": cells,
                }
            )
        return {
            "region": self.territory(code, tr),
            "national": national,
            "as_of": (as_of or self.steering._today()).isoformat(),
            "years": years,
            "indicators": indicators,
            "lights": [
                {"code": k, "label": tr.gettext(v[0]), "symbol": v[1], "colour": v[2]}
                for k, v in LIGHT_LABELS.items()
            ],
            "regions": self.regions(tr),
            "country": self.territory(self.steering.country(), tr),
        }

    @staticmethod
    def targets_frame(page: Mapping[str, Any]) -> pd.DataFrame:
        """The targets page as one row per indicator and year, for CSV/XLSX."""
        rows = []
        for ind in page["indicators"]:
            for c in ind["cells"]:
                rows.append(
                    {
                        "region": page["region"]["code"],
                        "indicator_no": ind["no"],
                        "indicator": ind["label"],
                        "unit": ind["unit"],
                        "year": c["year"],
                        "plan": c["plan"],
                        "actual": c["actual"],
                        "light": c["light"],
                        "light_label": c["light_label"],
                        "evidence": " ".join(str(i) for i in c["evidence"]),
                        "source": f"seed 001, l.{ind['source_lines']}",
                        "as_of": page["as_of"],
                    }
                )
        return pd.DataFrame(rows)
