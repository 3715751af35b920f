"""The steering service: the Python API every CLI command and web action calls.

One :class:`Steering` over a :class:`~aimaq.store.repository.Store`. Every write runs in one transaction
(:func:`aimaq.store.db.write`): all checks first (state, role and region, the transition's guard, the
co-financing rules), then the change and its audit record; any refusal raises a
:class:`~aimaq.steering.errors.SteeringError` listing every problem, and the database is left unchanged.

Examples
--------
See ``docs/steering.md`` for a full regional cycle. In short::

    s = Steering(store)
    academy = Actor("Academy desk", "academy")
    fs = s.create("ForesightSession", territory="karaganda", title="Mining", actor=academy, reason="plan")
    s.transition(fs["id"], "held", actor=academy, reason="held", held_on="2026-03-12", participants=["BEN-2"])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from aimaq.steering import audit
from aimaq.steering import measures as measures_mod
from aimaq.steering import targets as targets_mod
from aimaq.steering.cofinancing import (
    FUNDING_SOURCES,
    Commitment,
    check_budget,
    cofinancing_share,
    load_rules,
)
from aimaq.steering.errors import (
    BudgetRefused,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    TransitionRefused,
)
from aimaq.steering.models import AuditRecord, WorkflowObject
from aimaq.steering.workflow import (
    DERIVED_ENTITIES,
    Actor,
    Transition,
    check_actor,
    cycle_stage,
    guard_problems,
    machine,
)
from aimaq.store import db
from aimaq.store.repository import Store, UnknownTerritory

__all__ = ["Steering"]

#: Project states after the application: from here on every budget change is checked against the rules.
CHECKED_PROJECT_STATES: frozenset[str] = frozenset({"applied", "selected", "contracted", "in_progress"})
#: Fields that may be edited without a change of state (EDIT records), per entity.
EDITABLE: dict[str, tuple[str, ...]] = {
    "Project": ("total_cost", "funding_type", "consortium", "academy_participation"),
    "FundingCommitment": ("amount", "funder"),
    "TechnicalAssignment": ("indicators", "description"),
    "PlanItem": (
        "responsible_body",
        "budget",
        "deadline",
        "target_indicator",
        "target_value",
        "progress_note",
    ),
}
#: Fields that identify a commitment, a budget or a plan item: a transition may set them once but not change
#: them (a local-budget commitment must not become "private" on the way to confirmation); budgets change
#: through :meth:`Steering.edit`, which re-checks the rules.
PROTECTED: frozenset[str] = frozenset(
    {"source", "amount", "path", "funding_type", "total_cost", "academy_participation", "measure_id"}
)
#: Parent entity required when creating each entity (None = no parent, tuple = one of these).
PARENTS: dict[str, tuple[str, ...]] = {
    "RegionalNeed": ("ForesightSession",),
    "TechnicalAssignment": ("RegionalNeed",),
    "Project": ("TechnicalAssignment",),
    "FundingCommitment": ("Project",),
    "DisseminationAction": ("Project", "Initiative"),
}
_PARENT_REQUIRED = {"TechnicalAssignment", "Project", "FundingCommitment", "DisseminationAction"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _date(value: object, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            [Problem("bad_value", key, f"{value!r} is not a date; write YYYY-MM-DD")]
        ) from None


def _jsonable(attrs: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        out[k] = v.isoformat() if isinstance(v, dt.date | dt.datetime) else v
    return out


def _key(obj: WorkflowObject) -> str:
    return f"{obj.entity} {obj.id} ({obj.territory})"


def _as_dict(obj: WorkflowObject) -> dict[str, Any]:
    return {
        "id": obj.id,
        "entity": obj.entity,
        "territory": obj.territory,
        "title": obj.title,
        "state": obj.state,
        "parent_id": obj.parent_id,
        "attrs": dict(obj.attrs or {}),
        "created_at": obj.created_at,
        "updated_at": obj.updated_at,
        "version": obj.version,
    }


class _SessionLookup:
    """The :class:`aimaq.steering.workflow.Lookup` of guards, over the open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def obj(self, object_id: int) -> WorkflowObject | None:
        return self.session.get(WorkflowObject, object_id)

    def children(self, parent_id: int, entity: str) -> list[WorkflowObject]:
        stmt = select(WorkflowObject).where(
            WorkflowObject.parent_id == parent_id, WorkflowObject.entity == entity
        )
        return list(self.session.scalars(stmt))


class Steering:
    """Workflow, co-financing, targets and measures over one store.

    Parameters
    ----------
    store : Store
        An initialised store (its schema includes migration ``0100_steering``).
    today : callable, optional
        Returns today's date (tests pin it); default :func:`datetime.date.today`.
    """

    def __init__(self, store: Store, today: Any = None) -> None:
        self.store = store
        self.engine = store.engine
        self.machine = machine()
        self._today = today or dt.date.today
        self._territories: pd.DataFrame | None = None

    # ------------------------------------------------------------------ territories
    def _gazetteer(self) -> pd.DataFrame:
        if self._territories is None:
            self._territories = self.store.territories()
        return self._territories

    def territory_code(self, name: str) -> str:
        """The code of a territory given by code, name or alias (raises InvalidInput naming the closest).

        Matched against the store's gazetteer, which the store keeps in memory and rebuilds when its
        territories are reloaded (``Store.init``/``reset``): each workflow write resolves one code, and
        ``Store.territory`` would also read every alias from the database for the record it returns.
        Only an unknown name goes to ``Store.territory``, which words the error.
        """
        match = self.store.gazetteer().match(name)
        if match.ok:
            return str(match.code)
        try:
            return str(self.store.territory(name)["code"])
        except UnknownTerritory as exc:
            raise InvalidInput([Problem("unknown_territory", f"territory {name!r}", str(exc))]) from None

    def country(self) -> str:
        """The code of the country (the territory of national objects such as path-B competitions)."""
        t = self._gazetteer()
        return str(t.index[t["level"] == "country"][0])

    def region_of(self, code: str) -> str | None:
        """The region (level ``region`` or ``city_rs``) containing ``code``; None for the country."""
        t = self._gazetteer()
        seen = set()
        while code in t.index and code not in seen:
            seen.add(code)
            level = t.at[code, "level"]
            if level in ("region", "city_rs"):
                return code
            if level == "country":
                return None
            parent = t.at[code, "parent"]
            if not isinstance(parent, str) or not parent:
                return None
            code = parent
        return None

    # ------------------------------------------------------------------ reading
    def get(self, object_id: int) -> dict[str, Any]:
        """One workflow object as a dict (raises NotFound)."""
        with db.read(self.engine) as session:
            obj = session.get(WorkflowObject, object_id)
            if obj is None:
                raise NotFound(
                    [Problem("not_found", f"object {object_id}", f"no workflow object has id {object_id}")]
                )
            return _as_dict(obj)

    def objects(
        self, entity: str | None = None, territory: str | None = None, state: str | None = None
    ) -> pd.DataFrame:
        """Workflow objects, filtered; ``territory`` also matches objects of territories inside it."""
        with db.read(self.engine) as session:
            stmt = select(WorkflowObject).order_by(WorkflowObject.id)
            if entity:
                stmt = stmt.where(WorkflowObject.entity == entity)
            if state:
                stmt = stmt.where(WorkflowObject.state == state)
            rows = [_as_dict(o) for o in session.scalars(stmt)]
        frame = pd.DataFrame(
            rows,
            columns=[
                "id",
                "entity",
                "territory",
                "title",
                "state",
                "parent_id",
                "attrs",
                "created_at",
                "updated_at",
                "version",
            ],
        )
        if territory:
            code = self.territory_code(territory)
            keep = [t == code or self.region_of(t) == code for t in frame["territory"]]
            frame = frame[keep]
        return frame.reset_index(drop=True)

    def history(self, object_id: int | None = None, territory: str | None = None) -> pd.DataFrame:
        """The audit trail (who, when, why), oldest first; optionally of one object or one region."""
        with db.read(self.engine) as session:
            frame = audit.trail(session, object_id)
        if territory:
            code = self.territory_code(territory)
            frame = frame[[t == code or self.region_of(t) == code for t in frame["territory"]]]
        return frame.reset_index(drop=True)

    def allowed(self, object_id: int, actor: Actor | None = None) -> list[dict[str, Any]]:
        """The transitions allowed from the object's state (and, given ``actor``, only those it may do)."""
        obj = self.get(object_id)
        out = []
        for t in self.machine.next(obj["entity"], obj["state"]):
            if actor is not None:
                try:
                    check_actor(t, actor, key="", object_region=self.region_of(obj["territory"]))
                except PermissionDenied:
                    continue
            out.append(
                {
                    "transition": t.id,
                    "to_state": t.to_state,
                    "event": t.event,
                    "roles": list(t.roles),
                    "guard": t.guard_text,
                    "source": t.source(),
                }
            )
        return out

    # ------------------------------------------------------------------ writing
    def create(
        self,
        entity: str,
        *,
        territory: str | None = None,
        title: str,
        actor: Actor,
        reason: str,
        parent_id: int | None = None,
        effective_on: dt.date | str | None = None,
        **attrs: Any,
    ) -> dict[str, Any]:
        """Create a workflow object through its creation transition (``FS-1``, ``TA-1``, ``PL-1``...).

        Parameters
        ----------
        entity : str
            One of the machine's entities except the derived RegionalCycle.
        territory : str, optional
            Code or name. Defaults to the parent's territory, or the country for a national competition.
        title : str
        actor : Actor
        reason : str
            Why; written to the audit trail.
        parent_id : int, optional
            The need of a TA, the TA of a project, the project of a commitment or dissemination action, the
            foresight session a need came from.
        effective_on : date, optional
            The date the event happened (default today).
        **attrs
            Entity fields (``funding_type``, ``total_cost``, ``source``, ``amount``, ``measure_id``...).

        Returns
        -------
        dict
            The created object.
        """
        if entity in DERIVED_ENTITIES or entity not in self.machine.transitions:
            raise InvalidInput(
                [
                    Problem(
                        "bad_value",
                        "entity",
                        f"{entity!r} cannot be created; expected one of "
                        f"{', '.join(e for e in self.machine.entities if e not in DERIVED_ENTITIES)}",
                    )
                ]
            )
        t = self.machine.creation(entity)
        when = _date(effective_on or self._today(), "effective_on")
        attrs = _jsonable(attrs)
        problems: list[Problem] = []
        if not str(title or "").strip():
            problems.append(Problem("missing_value", f"new {entity}: title", "the title is empty"))
        if not str(reason or "").strip():
            problems.append(
                Problem("missing_value", f"new {entity}: reason", "say why (it goes to the audit trail)")
            )
        code: str | None = None
        if territory is not None:
            try:
                code = self.territory_code(territory)
            except InvalidInput as exc:
                problems.extend(exc.problems)
        if problems:
            raise InvalidInput(problems)

        def run(session: Session) -> dict[str, Any]:
            lookup = _SessionLookup(session)
            parent = self._parent(session, entity, parent_id)
            where = code or (parent.territory if parent is not None else None)
            if entity == "Competition" and where is None and attrs.get("path") == "national":
                where = self.country()
            if where is None:
                raise InvalidInput(
                    [Problem("missing_value", f"new {entity}: territory", "give the territory")]
                )
            key = f"new {entity} ({where})"
            # the path-specific role rule of CO-1 says more than the generic region check, so it goes first
            self._extra_checks(session, t, None, attrs, actor, key, parent)
            check_actor(t, actor, key=key, object_region=self.region_of(where))
            now = _now()
            obj = WorkflowObject(
                entity=entity,
                territory=where,
                title=title.strip(),
                state=t.to_state,
                parent_id=parent.id if parent is not None else None,
                attrs=attrs,
                created_at=now,
                updated_at=now,
            )
            problems = [
                Problem("guard_failed", key, p, t.source()) for p in guard_problems(t, obj, attrs, lookup)
            ]
            if problems:
                raise InvalidInput(problems)
            session.add(obj)
            session.flush()
            self._audit(session, obj, t, None, actor, reason, when, attrs)
            self._chain_after_create(session, obj, parent, actor, when)
            return _as_dict(obj)

        return self._write(run)

    def transition(
        self,
        object_id: int,
        to: str,
        *,
        actor: Actor,
        reason: str,
        effective_on: dt.date | str | None = None,
        **attrs: Any,
    ) -> dict[str, Any]:
        """Move an object to state ``to`` (or through transition id ``to``, e.g. ``IN-3``), with new fields.

        Raises
        ------
        TransitionRefused
            The state does not allow it; the message lists the allowed next states and who may do them.
        PermissionDenied
            Wrong role or region.
        InvalidInput
            A condition of the transition is not met (its guard), listing every unmet condition.
        BudgetRefused
            The project budget would break a co-financing rule.
        """
        when = _date(effective_on or self._today(), "effective_on")
        if not str(reason or "").strip():
            raise InvalidInput(
                [Problem("missing_value", f"object {object_id}: reason", "say why (audit trail)")]
            )
        attrs = _jsonable(attrs)

        def run(session: Session) -> dict[str, Any]:
            obj = self._load(session, object_id)
            key = _key(obj)
            t = self.machine.find(obj.entity, obj.state, to, key=key)
            check_actor(t, actor, key=key, object_region=self.region_of(obj.territory))
            old = obj.attrs or {}
            changed = sorted(k for k in attrs if k in PROTECTED and k in old and old[k] != attrs[k])
            if changed:
                raise InvalidInput(
                    [
                        Problem(
                            "bad_value",
                            f"{key}: attrs.{k}",
                            "cannot be changed by a transition; use edit "
                            f"(it re-checks the budget), was {old[k]!r}",
                        )
                        for k in changed
                    ]
                )
            merged = {**old, **attrs}
            self._extra_checks(session, t, obj, merged, actor, key, None)
            problems = [
                Problem("guard_failed", key, p, t.source())
                for p in guard_problems(t, obj, merged, _SessionLookup(session))
            ]
            if problems:
                raise InvalidInput(problems)
            before = obj.state
            obj.state = t.to_state
            obj.attrs = merged
            obj.updated_at = _now()
            session.flush()
            self._budget_after_change(session, obj, key)
            self._audit(session, obj, t, before, actor, reason, when, attrs)
            self._chain_after_transition(session, obj, t, actor, when)
            return _as_dict(obj)

        return self._write(run)

    def edit(
        self,
        object_id: int,
        *,
        actor: Actor,
        reason: str,
        expected_version: int | None = None,
        **attrs: Any,
    ) -> dict[str, Any]:
        """Change fields without a change of state (audited as ``EDIT``); budgets are re-checked.

        Only the fields of :data:`EDITABLE` may change, by the roles that may create the entity. With
        ``expected_version`` (the version the editor's form showed), a newer version in the database refuses
        the edit (``stale``) inside the same transaction, so that no one overwrites a change unseen.
        """
        if not str(reason or "").strip():
            raise InvalidInput(
                [Problem("missing_value", f"object {object_id}: reason", "say why (audit trail)")]
            )
        attrs = _jsonable(attrs)

        def run(session: Session) -> dict[str, Any]:
            obj = self._load(session, object_id)
            key = _key(obj)
            allowed = EDITABLE.get(obj.entity, ())
            bad = [k for k in attrs if k not in allowed]
            if bad or not attrs:
                raise InvalidInput(
                    [
                        Problem(
                            "bad_value",
                            f"{key}: attrs.{k}",
                            f"cannot be edited; editable: {', '.join(allowed) or 'nothing'}",
                        )
                        for k in (bad or ["(none)"])
                    ]
                )
            creation = self.machine.creation(obj.entity)
            check_actor(creation, actor, key=key, object_region=self.region_of(obj.territory))
            if (
                obj.entity == "FundingCommitment"
                and obj.attrs.get("source") == "local_budget"
                and actor.role != "akimat"
            ):
                raise PermissionDenied(
                    [Problem("role_not_allowed", key, "only the akimat changes a local-budget commitment")]
                )
            if expected_version is not None and obj.version != expected_version:
                raise TransitionRefused(
                    [
                        Problem(
                            "stale",
                            key,
                            f"you edited version {expected_version} but it is at version {obj.version} now; "
                            "someone else changed it meanwhile. Reload it, re-apply your change, save again",
                        )
                    ]
                )
            obj.attrs = {**(obj.attrs or {}), **attrs}
            obj.updated_at = _now()
            session.flush()
            self._budget_after_change(session, obj, key)
            edit = Transition(
                "EDIT",
                obj.entity,
                (obj.state,),
                obj.state,
                "fields edited",
                "",
                "",
                "",
                "aimaq",
                "",
                "",
                creation.roles,
            )
            self._audit(session, obj, edit, obj.state, actor, reason, self._today(), attrs)
            return _as_dict(obj)

        return self._write(run)

    # ------------------------------------------------------------------ budgets
    def budget(self, project_id: int) -> dict[str, Any]:
        """The project's budget check: commitments, local co-financing share, the rule and its problems."""
        with db.read(self.engine) as session:
            project = self._load(session, project_id)
            if project.entity != "Project":
                raise InvalidInput([Problem("bad_value", _key(project), "is not a Project")])
            commitments = self._commitments(session, project)
            a = project.attrs or {}
            problems = check_budget(a.get("funding_type"), a.get("total_cost"), commitments)
            rule = load_rules().get(str(a.get("funding_type")))
            share = None
            if rule is not None and not any(p.rule.startswith("aimaq:total") for p in problems):
                share = cofinancing_share(float(a["total_cost"]), commitments, rule.source)
            return {
                "project": project_id,
                "funding_type": a.get("funding_type"),
                "total_cost": a.get("total_cost"),
                "rule": rule.rule_id if rule else None,
                "min_share_pct": rule.min_share_pct if rule else None,
                "local_share_pct": share,
                "commitments": [c.__dict__ for c in commitments],
                "valid": not problems,
                "problems": [p.__dict__ for p in problems],
            }

    # ------------------------------------------------------------------ targets and cycle
    def targets(self, region: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
        """Table 3 plan vs actual per year with traffic lights (see :mod:`aimaq.steering.targets`)."""
        code = self.territory_code(region) if region else None
        with db.read(self.engine) as session:
            objs = {
                o.id: {
                    "entity": o.entity,
                    "state": o.state,
                    "attrs": dict(o.attrs or {}),
                    "parent_id": o.parent_id,
                    "territory": o.territory,
                }
                for o in session.scalars(select(WorkflowObject))
            }
            audit = [
                {
                    "transition_id": r.transition_id,
                    "effective_on": r.effective_on,
                    "object_id": r.object_id,
                    "territory": r.territory,
                }
                for r in session.scalars(
                    select(AuditRecord).where(
                        AuditRecord.transition_id.in_(list(targets_mod.COUNTED_TRANSITIONS.values()))
                    )
                )
            ]
        if code is not None:
            audit = [r for r in audit if r["territory"] == code or self.region_of(r["territory"]) == code]
        return targets_mod.compute(audit, objs, as_of=as_of or self._today(), national=code is None)

    def cycle(self, region: str, since: dt.date | None = None) -> dict[str, Any]:
        """The derived RegionalCycle stage (ST-1..ST-8, l.1920-1962) of a region, with its evidence."""
        code = self.territory_code(region)
        with db.read(self.engine) as session:
            objs = [
                o
                for o in session.scalars(select(WorkflowObject))
                if o.territory == code or self.region_of(o.territory) == code
            ]
            stage, evidence = cycle_stage(objs, since)
        return {"region": code, "stage": stage, "evidence": evidence}

    # ------------------------------------------------------------------ measures
    def recommend(
        self,
        territory: str,
        class_id: str,
        methodology: str,
        score: float | None = None,
        lang: str = "en",
        classify: str | None = None,
    ) -> measures_mod.Recommendation:
        """Measures recommended for a territory's computed class, with the reason (names from the store)."""
        code = self.territory_code(territory)
        row = self._gazetteer().loc[code]
        return measures_mod.recommend(
            code,
            class_id,
            methodology,
            score=score,
            lang=lang,
            territory_name=str(row[f"name_{lang}"]),
            classify=classify,
        )

    def recommend_computed(
        self, territory: str, methodology: str, lang: str = "en", year: int | None = None
    ) -> list[measures_mod.Recommendation]:
        """Measures for the classes ``methodology`` computes for ``territory`` on the store's data (the last
        year it computes, or ``year``): one recommendation per classification of the spec.

        Raises
        ------
        KeyError
            ``methodology`` is not a shipped preset, or it does not classify ``territory``.
        """
        from aimaq.services.results import NotComputable, Results

        code = self.territory_code(territory)
        try:
            rows = [r for r in Results(self.store).indices_of(code) if r["methodology"] == methodology]
        except NotComputable as exc:
            raise KeyError(str(exc)) from None
        if year is not None:
            rows = [r for r in rows if r["year"] == year]
        if not rows or not rows[-1]["classes"]:
            raise KeyError(
                f"{methodology} computes no class for {code}"
                + (f" in {year}" if year is not None else "")
                + "; give the class with --class, or see `aimaq compute "
                + methodology
                + "`"
            )
        last = rows[-1]
        return [
            self.recommend(code, str(cid), methodology, score=last["score"], lang=lang, classify=classify)
            for classify, cid in last["classes"].items()
            if cid is not None
        ]

    def adopt_measure(
        self,
        territory: str,
        measure_id: str,
        *,
        actor: Actor,
        reason: str,
        responsible_body: str,
        budget: float,
        deadline: dt.date | str,
        target_indicator: str,
        target_value: float | None = None,
        class_id: str | None = None,
        methodology: str | None = None,
        effective_on: dt.date | str | None = None,
    ) -> dict[str, Any]:
        """Adopt a catalogue measure for a territory as a plan item (transition PL-1), then track its status
        with :meth:`transition` (``in_progress``, ``done``, ``cancelled``)."""
        problems: list[Problem] = []
        catalogue = measures_mod.catalogue()
        if measure_id not in catalogue.index:
            problems.append(
                Problem(
                    "unknown_measure",
                    f"measure {measure_id!r}",
                    "not in the measures catalogue; see `aimaq steer measures`",
                )
            )
        indicators = self.store.indicators()
        table3 = {f"seed001_t3_{t.indicator_no}" for t in targets_mod.load_plan()}
        if target_indicator not in indicators.index and target_indicator not in table3:
            problems.append(
                Problem(
                    "unknown_indicator",
                    f"target_indicator {target_indicator!r}",
                    "give an indicator code of the store or a Table 3 indicator "
                    f"({', '.join(sorted(table3))})",
                )
            )
        try:
            budget_value = float(budget)
            if budget_value < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Problem("bad_value", "budget", f"{budget!r} is not a non-negative number"))
            budget_value = float("nan")
        try:
            deadline_value = _date(deadline, "deadline")
        except InvalidInput as exc:
            problems.extend(exc.problems)
            deadline_value = None
        if problems:
            raise InvalidInput(problems)
        title = str(catalogue.at[measure_id, "text_en"])[:200]
        return self.create(
            "PlanItem",
            territory=territory,
            title=title,
            actor=actor,
            reason=reason,
            effective_on=effective_on,
            measure_id=measure_id,
            responsible_body=responsible_body,
            budget=budget_value,
            deadline=deadline_value,
            target_indicator=target_indicator,
            target_value=target_value,
            class_id=class_id,
            methodology=methodology,
        )

    # ------------------------------------------------------------------ internals
    def _write(self, fn: Any) -> dict[str, Any]:
        """One write transaction; a concurrent change of the same object (optimistic lock) is a refusal."""
        try:
            return db.write(self.engine, fn)
        except StaleDataError:
            raise TransitionRefused(
                [Problem("stale", "object", "was changed by someone else meanwhile; reload it and try again")]
            ) from None

    def _load(self, session: Session, object_id: int) -> WorkflowObject:
        obj = session.get(WorkflowObject, object_id)
        if obj is None:
            raise NotFound(
                [Problem("not_found", f"object {object_id}", f"no workflow object has id {object_id}")]
            )
        return obj

    def _parent(self, session: Session, entity: str, parent_id: int | None) -> WorkflowObject | None:
        kinds = PARENTS.get(entity)
        if parent_id is None:
            if entity in _PARENT_REQUIRED:
                raise InvalidInput(
                    [
                        Problem(
                            "missing_value",
                            f"new {entity}: parent_id",
                            f"a {entity} is created from a {' or '.join(kinds or ())}",
                        )
                    ]
                )
            return None
        parent = session.get(WorkflowObject, parent_id)
        if parent is None or not kinds or parent.entity not in kinds:
            found = parent.entity if parent is not None else "nothing"
            raise InvalidInput(
                [
                    Problem(
                        "bad_value",
                        f"new {entity}: parent_id {parent_id}",
                        f"must be a {' or '.join(kinds or ('(no parent)',))}, found {found}",
                    )
                ]
            )
        return parent

    def _extra_checks(
        self,
        session: Session,
        t: Transition,
        obj: WorkflowObject | None,
        attrs: Mapping[str, Any],
        actor: Actor,
        key: str,
        parent: WorkflowObject | None,
    ) -> None:
        """Checks that need the session or the actor beyond the machine's guards."""
        problems: list[Problem] = []
        if t.id == "CO-1":
            # Path B competitions are run by central state bodies, path A by the akimat (FIN-1/FIN-3).
            want = {"national": "state_body", "local": "akimat"}.get(str(attrs.get("path")))
            if want and actor.role != want:
                raise PermissionDenied(
                    [
                        Problem(
                            "role_not_allowed",
                            key,
                            f"a {attrs.get('path')} competition is announced by {want}",
                            "seed 001, l.1855-1861 (FIN-1), l.1885-1900 (FIN-3)",
                        )
                    ]
                )
        if t.id == "RN-1" and parent is not None and parent.state not in ("documented", "needs_registered"):
            problems.append(
                Problem(
                    "guard_failed",
                    key,
                    f"foresight session {parent.id} is '{parent.state}'; "
                    "needs come from a documented session (FS-3/FS-4)",
                    t.source(),
                )
            )
        if t.id == "TA-1" and parent is not None and parent.state != "validated":
            problems.append(
                Problem(
                    "guard_failed",
                    key,
                    f"need {parent.id} is '{parent.state}'; a TA is drafted for a validated need (RN-4)",
                    t.source(),
                )
            )
        if t.id == "PR-1" and parent is not None:
            if parent.state not in (
                "included_in_competition",
                "local_competition",
                "submitted_to_state_body",
                "approved",
            ):
                problems.append(
                    Problem(
                        "guard_failed",
                        key,
                        f"technical assignment {parent.id} is "
                        f"'{parent.state}'; a project is structured on an approved TA",
                        t.source(),
                    )
                )
            comp_id = parent.attrs.get("competition_id")
            comp = session.get(WorkflowObject, int(comp_id)) if comp_id else None
            if comp is not None and attrs.get("funding_type") not in (None, comp.attrs.get("funding_type")):
                problems.append(
                    Problem(
                        "bad_value",
                        f"{key}: attrs.funding_type",
                        f"{attrs.get('funding_type')!r} differs from competition {comp.id}'s "
                        f"{comp.attrs.get('funding_type')!r}",
                    )
                )
        if t.id == "FC-1":
            if attrs.get("source") not in FUNDING_SOURCES:
                problems.append(
                    Problem(
                        "bad_value",
                        f"{key}: attrs.source",
                        f"must be one of {', '.join(FUNDING_SOURCES)}, got {attrs.get('source')!r}",
                    )
                )
            try:
                if float(attrs.get("amount")) < 0:  # type: ignore[arg-type]
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(
                    Problem(
                        "bad_value",
                        f"{key}: attrs.amount",
                        f"must be a non-negative number, got {attrs.get('amount')!r}",
                    )
                )
        if (
            t.id in ("FC-2", "FC-3", "FC-4")
            and attrs.get("source") == "local_budget"
            and actor.role != "akimat"
        ):
            raise PermissionDenied(
                [
                    Problem(
                        "role_not_allowed",
                        key,
                        "only the akimat confirms, disburses or withdraws a local-budget commitment",
                        "seed 001, l.1776-1780 (BR-3)",
                    )
                ]
            )
        if problems:
            raise InvalidInput(problems)

    def _commitments(self, session: Session, project: WorkflowObject) -> list[Commitment]:
        out = []
        for c in _SessionLookup(session).children(project.id, "FundingCommitment"):
            a = c.attrs or {}
            try:
                amount = float(a.get("amount"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                amount = float("nan")
            out.append(Commitment(str(a.get("source")), amount, c.state))
        return out

    def _budget_after_change(self, session: Session, obj: WorkflowObject, key: str) -> None:
        """Re-check the budget of the affected project if it has applied (PR-2 onwards) or is applying now."""
        project = obj if obj.entity == "Project" else None
        if obj.entity == "FundingCommitment" and obj.parent_id is not None:
            project = session.get(WorkflowObject, obj.parent_id)
        if project is None or project.state not in CHECKED_PROJECT_STATES:
            return
        comp_path = self._competition_path(session, project)
        if comp_path == "local":
            return  # path A is financed wholly from the local budget; R1/R2 are rules of path B competitions
        a = project.attrs or {}
        problems = check_budget(
            a.get("funding_type"), a.get("total_cost"), self._commitments(session, project)
        )
        if problems:
            raise BudgetRefused(
                [
                    Problem(
                        "cofinancing" if p.rule.startswith("R") else "budget",
                        f"{key}" if obj is project else f"{key} -> Project {project.id}",
                        p.message,
                        p.source,
                    )
                    for p in problems
                ]
            )

    def _competition_path(self, session: Session, project: WorkflowObject) -> str | None:
        ta = session.get(WorkflowObject, project.parent_id) if project.parent_id else None
        if ta is None:
            return None
        comp_id = ta.attrs.get("competition_id")
        comp = session.get(WorkflowObject, int(comp_id)) if comp_id else None
        return comp.attrs.get("path") if comp is not None else None

    def _audit(
        self,
        session: Session,
        obj: WorkflowObject,
        t: Transition,
        before: str | None,
        actor: Actor,
        reason: str,
        when: dt.date,
        changes: Mapping[str, Any],
    ) -> None:
        audit.record(
            session,
            obj,
            t.id,
            before,
            actor=actor.name,
            role=actor.role,
            actor_region=actor.region,
            reason=reason,
            effective_on=when,
            changes=changes,
        )

    def _auto(
        self, session: Session, obj: WorkflowObject, target: str, actor: Actor, when: dt.date, cause: str
    ) -> None:
        """Fire a follow-on transition (an effect of another), audited with the same actor.

        The role of the effect is not checked: it is a consequence of an action the actor was allowed to take
        (a council records a need from a documented session; the session's FS-4 follows), not an action.
        """
        t = self.machine.find(obj.entity, obj.state, target, key=_key(obj))
        before = obj.state
        obj.state = t.to_state
        obj.updated_at = _now()
        self._audit(session, obj, t, before, actor, f"effect of {cause}", when, {})

    def _chain_after_create(
        self,
        session: Session,
        obj: WorkflowObject,
        parent: WorkflowObject | None,
        actor: Actor,
        when: dt.date,
    ) -> None:
        if parent is None:
            return
        if obj.entity == "TechnicalAssignment" and parent.state == "validated":
            self._auto(
                session, parent, "specified_as_ta", actor, when, f"TA-1 on TechnicalAssignment {obj.id}"
            )
        if obj.entity == "RegionalNeed" and parent.state == "documented":
            self._auto(session, parent, "needs_registered", actor, when, f"RN-1 on RegionalNeed {obj.id}")

    def _chain_after_transition(
        self, session: Session, obj: WorkflowObject, t: Transition, actor: Actor, when: dt.date
    ) -> None:
        if t.id == "PR-8" and obj.parent_id is not None:
            ta = session.get(WorkflowObject, obj.parent_id)
            need = session.get(WorkflowObject, ta.parent_id) if ta is not None and ta.parent_id else None
            if need is not None and need.state == "specified_as_ta":
                self._auto(session, need, "addressed", actor, when, f"PR-8 on Project {obj.id}")
