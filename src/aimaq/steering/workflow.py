"""The regional knowledge-management workflow of seed 001 as data-driven state machines, with roles.

The states and transitions are read from the bundled reference table ``seed001_workflow_transitions.csv``
(66 transitions over 11 entities, each citing seed 001 ``001_ae16649e32aa1527.txt`` sections 6.2-6.5 and
Table 3; ``basis`` tells a transition stated in the seed from one the transcriber proposed to complete the
machine), plus aimaq's own ``steering/data/plan_item_transitions.csv`` for plan items (adopted measures).
Which roles may perform each transition is data too (``steering/data/transition_roles.csv``), read from the
transitions' actor column.

Roles (issue 8): ``academy`` (the National Academy of Sciences), ``council`` (a regional science council),
``akimat`` (a local executive body), ``state_body`` (an authorized or sectoral central state body),
``executor`` (a university or research organisation carrying out a project) and ``viewer`` (reads only).
Council and akimat act for one region: they may only act on objects of their region (or of a territory
inside it). The RegionalCycle entity is derived (seed001_workflow_transitions.md: "should be computed from
the states of the underlying objects. It should not be edited by hand"): :func:`cycle_stage` computes it.

Examples
--------
>>> m = machine()
>>> m.creation("TechnicalAssignment").id
'TA-1'
>>> [t.to_state for t in m.next("TechnicalAssignment", "draft")]
['under_council_review']
>>> m.find("TechnicalAssignment", "under_council_review", "approved").roles
('council',)
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from aimaq.steering.errors import PermissionDenied, Problem, TransitionRefused
from aimaq.store.load_bundled import BUNDLED

__all__ = [
    "DERIVED_ENTITIES",
    "ENTITIES",
    "REGION_BOUND_ROLES",
    "ROLES",
    "Actor",
    "Machine",
    "Transition",
    "check_actor",
    "cycle_stage",
    "guard_problems",
    "machine",
]

DATA = Path(__file__).with_name("data")
SEED001_TRANSITIONS = BUNDLED / "reference" / "seed001_workflow_transitions.csv"

#: The six roles of issue 8, in the order a form lists them.
ROLES: tuple[str, ...] = ("academy", "council", "akimat", "state_body", "executor", "viewer")
#: Roles that act for one region only (a regional science council sits under the akimat, l.1423-1429).
REGION_BOUND_ROLES: frozenset[str] = frozenset({"council", "akimat"})
#: Entities computed from others, never transitioned by hand.
DERIVED_ENTITIES: frozenset[str] = frozenset({"RegionalCycle"})


@dataclass(frozen=True)
class Transition:
    """One allowed transition: ``from_states`` (empty tuple = creation) -> ``to_state``."""

    id: str
    entity: str
    from_states: tuple[str, ...]
    to_state: str
    event: str
    actor_text: str
    guard_text: str
    effect: str
    basis: str
    source_lines: str
    mechanism_item: str
    roles: tuple[str, ...]

    @property
    def creates(self) -> bool:
        """True for a transition that creates the object."""
        return not self.from_states

    def source(self) -> str:
        """``seed 001, l.1893-1898 (FIN-3)`` or ``proposed`` when the seed is silent."""
        if not self.source_lines:
            return f"{self.basis}; no seed line"
        item = f" ({self.mechanism_item})" if self.mechanism_item else ""
        seed = "aimaq" if self.entity == "PlanItem" else "seed 001"
        return f"{seed}, l.{self.source_lines}{item}; {self.basis}"

    def describe(self) -> str:
        """``under_council_review (TA-2, by academy/akimat)`` for refusal messages."""
        who = "/".join(self.roles) if self.roles else "computed"
        return f"{self.to_state} ({self.id}, by {who})"


@dataclass(frozen=True)
class Actor:
    """Who performs an action: a name, one of :data:`ROLES`, and the region for council and akimat.

    Examples
    --------
    >>> Actor("A. Seitkali", "akimat", region="karaganda").role
    'akimat'
    >>> Actor("x", "mayor")
    Traceback (most recent call last):
    ...
    ValueError: actor 'x': role 'mayor' is not one of academy, council, akimat, state_body, executor, viewer
    """

    name: str
    role: str
    region: str | None = None

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise ValueError("actor: the name is empty; say who acts (it is written to the audit trail)")
        if self.role not in ROLES:
            raise ValueError(f"actor {self.name!r}: role {self.role!r} is not one of {', '.join(ROLES)}")
        if self.role in REGION_BOUND_ROLES and not self.region:
            raise ValueError(f"actor {self.name!r}: role {self.role!r} acts for one region; give its code")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Machine:
    """All transitions, indexed by entity."""

    transitions: dict[str, list[Transition]] = field(default_factory=dict)

    @property
    def entities(self) -> list[str]:
        """Entity names in the order of the data."""
        return list(self.transitions)

    def states(self, entity: str) -> list[str]:
        """Every state of ``entity``, in order of first appearance."""
        seen: dict[str, None] = {}
        for t in self._of(entity):
            for s in (*t.from_states, t.to_state):
                seen.setdefault(s, None)
        return list(seen)

    def _of(self, entity: str) -> list[Transition]:
        if entity not in self.transitions:
            raise KeyError(f"unknown entity {entity!r}; expected one of {', '.join(self.transitions)}")
        return self.transitions[entity]

    def get(self, transition_id: str) -> Transition:
        """The transition with this id."""
        for ts in self.transitions.values():
            for t in ts:
                if t.id == transition_id:
                    return t
        raise KeyError(f"unknown transition {transition_id!r}")

    def creation(self, entity: str) -> Transition:
        """The transition that creates an ``entity`` object."""
        for t in self._of(entity):
            if t.creates:
                return t
        raise KeyError(f"{entity} has no creation transition")

    def next(self, entity: str, state: str) -> list[Transition]:
        """Transitions allowed from ``state``."""
        return [t for t in self._of(entity) if state in t.from_states]

    def find(self, entity: str, state: str, target: str, *, key: str | None = None) -> Transition:
        """The transition from ``state`` to ``target`` (a state name or a transition id).

        Raises
        ------
        TransitionRefused
            When no such transition leaves ``state``; the message lists the allowed next states and who may
            perform them.
        """
        allowed = self.next(entity, state)
        for t in allowed:
            if target in (t.id, t.to_state):
                return t
        nexts = "; ".join(t.describe() for t in allowed) or "none (final state)"
        raise TransitionRefused(
            [
                Problem(
                    "illegal_transition",
                    key or entity,
                    f"is '{state}' and cannot go to '{target}'. Allowed next: {nexts}",
                    _known_source(self, entity, target),
                )
            ]
        )


def _known_source(m: Machine, entity: str, target: str) -> str | None:
    for t in m.transitions.get(entity, []):
        if target in (t.id, t.to_state):
            return f"{t.id} needs state {'|'.join(t.from_states) or '(new)'}; {t.source()}"
    return None


@cache
def machine() -> Machine:
    """The workflow machine read from the bundled data (cached)."""
    roles = {r["transition_id"]: r for r in _read_csv(DATA / "transition_roles.csv")}
    m = Machine()
    problems: list[str] = []
    for path in (SEED001_TRANSITIONS, DATA / "plan_item_transitions.csv"):
        for i, row in enumerate(_read_csv(path), start=2):
            tid = row["transition_id"]
            if tid not in roles:
                problems.append(f"{path.name}, row {i}: transition {tid} has no row in transition_roles.csv")
                continue
            role_list = tuple(r for r in roles[tid]["roles"].split(";") if r)
            bad = [r for r in role_list if r not in ROLES]
            if bad:
                problems.append(f"transition_roles.csv, transition {tid}: unknown role(s) {bad}")
            from_states = tuple(s for s in row["from_state"].split("|") if s)
            t = Transition(
                id=tid,
                entity=row["entity"],
                from_states=from_states,
                to_state=row["to_state"],
                event=row["event"],
                actor_text=row["actor"],
                guard_text=row["guard"],
                effect=row["effect"],
                basis=row["basis"],
                source_lines=row["source_lines"],
                mechanism_item=row["mechanism_item"],
                roles=role_list,
            )
            m.transitions.setdefault(t.entity, []).append(t)
    if problems:
        raise RuntimeError("the workflow data is inconsistent:\n" + "\n".join(problems))
    return m


ENTITIES: tuple[str, ...] = tuple(machine().entities)


def check_actor(
    transition: Transition,
    actor: Actor,
    *,
    key: str,
    object_region: str | None,
    extra_roles: Sequence[str] = (),
) -> None:
    """Refuse unless ``actor`` may perform ``transition`` on an object of ``object_region``.

    ``object_region`` is the region (level ``region`` or ``city_rs``) containing the object's territory, or
    ``None`` for a national object (a competition of a central state body). ``extra_roles`` narrows nothing;
    it lists roles allowed by a guard-specific rule (not used by the seed data).

    Raises
    ------
    PermissionDenied
        Naming the transition, the roles that may perform it, and the region.
    """
    problems: list[Problem] = []
    roles = (*transition.roles, *extra_roles)
    if transition.entity in DERIVED_ENTITIES:
        problems.append(
            Problem(
                "derived_entity",
                key,
                f"{transition.entity} is computed from the states of the underlying objects; it is not "
                "changed by hand (seed001_workflow_transitions.md)",
            )
        )
    elif actor.role not in roles:
        problems.append(
            Problem(
                "role_not_allowed",
                key,
                f"{actor.name} ({actor.role}) may not perform {transition.id} '{transition.event}'; "
                f"allowed: {', '.join(roles)}",
                transition.source(),
            )
        )
    elif actor.role in REGION_BOUND_ROLES and object_region != actor.region:
        where = f"region {object_region}" if object_region else "the national level"
        problems.append(
            Problem(
                "wrong_region",
                key,
                f"{actor.name} ({actor.role} of {actor.region}) may only act in {actor.region}; the object "
                f"belongs to {where}",
            )
        )
    if problems:
        raise PermissionDenied(problems)


# --------------------------------------------------------------------------------------------- guards
class Lookup(Protocol):
    """What a guard may read: other objects, by id or as children."""

    def obj(self, object_id: int) -> Any: ...

    def children(self, parent_id: int, entity: str) -> list[Any]: ...


#: Beneficiary groups of definition 3 (seed 001, l.21-39: BEN-1..BEN-4).
BENEFICIARY_GROUPS: tuple[str, ...] = ("BEN-1", "BEN-2", "BEN-3", "BEN-4")
#: Dissemination channels of ST-8 (seed 001, l.1952-1962: DC-1..DC-5).
DISSEMINATION_CHANNELS: tuple[str, ...] = ("DC-1", "DC-2", "DC-3", "DC-4", "DC-5")
#: Funding types of the co-financing rules (seed001_cofinancing_rules.csv).
FUNDING_TYPES: tuple[str, ...] = ("grant", "programme_targeted")
#: Competition paths: ``national`` = path B (central state body, FIN-3, l.1885-1900); ``local`` = path A
#: (the LEB's own competition from the local budget, FIN-1, l.1855-1861).
COMPETITION_PATHS: tuple[str, ...] = ("national", "local")

Guard = Callable[[Any, Mapping[str, Any], Lookup], list[str]]


def _missing(attrs: Mapping[str, Any], *names: str) -> list[str]:
    return [f"attrs.{n} is required" for n in names if attrs.get(n) in (None, "", [], {})]


def _fs2(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    out = _missing(a, "held_on", "participants")
    groups = set(a.get("participants") or [])
    if a.get("participants") and not groups & set(BENEFICIARY_GROUPS):
        out.append(
            "attrs.participants must include at least one beneficiary group "
            f"({', '.join(BENEFICIARY_GROUPS)}; BR-0, l.1709-1713), got {sorted(groups)}"
        )
    return out


def _fs3(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    # Table 3 completion form of indicator 1 is "protocol, report" (l.2118-2124): both must be filed.
    return _missing(a, "protocol", "report")


def _rn2(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    return _missing(a, "priority")


def _ta2(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    kinds = {str(i.get("kind")) for i in (a.get("indicators") or []) if isinstance(i, Mapping)}
    out = []
    for kind in ("qualitative", "quantitative"):
        if kind not in kinds:
            out.append(
                f"attrs.indicators needs at least one {kind} indicator (ST-3, l.1932-1934: 'with the "
                "relevant qualitative and quantitative indicators')"
            )
    return out


def _ta3(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    # The council decision is recorded in its meeting protocol (TA-3 guard "CouncilMeeting.decision").
    return _missing(a, "council_decision")


def _ta7(_obj: Any, a: Mapping[str, Any], lk: Lookup) -> list[str]:
    out = _missing(a, "competition_id")
    if out:
        return out
    comp = lk.obj(int(a["competition_id"]))
    if comp is None or comp.entity != "Competition":
        return [f"attrs.competition_id {a['competition_id']} is not a competition"]
    if comp.attrs.get("path") != "national":
        out.append(
            f"competition {comp.id} is a local (path A) competition; TA-7 includes a TA in a central state "
            "body's competition (path B). Use TA-9 for the akimat's own competition"
        )
    if comp.state != "announced":
        out.append(f"competition {comp.id} is '{comp.state}', not 'announced'")
    if comp.attrs.get("funding_type") not in FUNDING_TYPES:
        out.append(f"competition {comp.id} carries no co-financing requirement (funding_type R1/R2)")
    return out


def _ta9(_obj: Any, a: Mapping[str, Any], lk: Lookup) -> list[str]:
    out = _missing(a, "competition_id", "local_budget_allocated")
    if out:
        return out
    comp = lk.obj(int(a["competition_id"]))
    if comp is None or comp.entity != "Competition" or comp.attrs.get("path") != "local":
        out.append(f"attrs.competition_id {a['competition_id']} is not a local (path A) competition")
    return out


def _co1(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    out = _missing(a, "path", "funding_type")
    if a.get("path") and a["path"] not in COMPETITION_PATHS:
        out.append(f"attrs.path must be one of {', '.join(COMPETITION_PATHS)}, got {a['path']!r}")
    if a.get("funding_type") and a["funding_type"] not in FUNDING_TYPES:
        out.append(f"attrs.funding_type must be one of {', '.join(FUNDING_TYPES)}, got {a['funding_type']!r}")
    return out


def _pr2(obj: Any, a: Mapping[str, Any], lk: Lookup) -> list[str]:
    ta = lk.obj(obj.parent_id) if obj.parent_id else None
    if ta is None or ta.state not in ("included_in_competition", "local_competition"):
        state = ta.state if ta is not None else "missing"
        return [
            f"the project's technical assignment is '{state}'; it must be included_in_competition or "
            "local_competition before an application (PR-2, l.1938-1944)"
        ]
    leads = [
        m for m in (a.get("consortium") or []) if isinstance(m, Mapping) and m.get("role") == "lead_executor"
    ]
    if len(leads) != 1:
        return [f"attrs.consortium needs exactly one member with role lead_executor, got {len(leads)}"]
    return []


def _in2(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    return _missing(a, "responsible_persons")


def _da1(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    if a.get("channel") not in DISSEMINATION_CHANNELS:
        return [f"attrs.channel must be one of {', '.join(DISSEMINATION_CHANNELS)} (ST-8, l.1952-1962)"]
    return []


def _pr10(obj: Any, _a: Mapping[str, Any], lk: Lookup) -> list[str]:
    done = [d for d in lk.children(obj.id, "DisseminationAction") if d.state == "done"]
    if not done:
        return ["at least one DisseminationAction of the project must be 'done' (PR-10, l.1950-1962)"]
    return []


def _ta12(obj: Any, _a: Mapping[str, Any], lk: Lookup) -> list[str]:
    open_ = [
        p.id
        for p in lk.children(obj.id, "Project")
        if p.state not in ("disseminated", "terminated", "rejected")
    ]
    return [f"projects {open_} on this TA are still open"] if open_ else []


def _pr5(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    # Table 3 indicator 3's completion form is the contract («Шарт», l.2136-2149).
    return _missing(a, "contract")


def _pr9(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    # ST-7 (l.1950): the results and experience are systematised; PR-9 creates the experience record.
    return _missing(a, "experience")


def _rc2(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    return _missing(a, "addressee")


def _pl1(_obj: Any, a: Mapping[str, Any], _lk: Lookup) -> list[str]:
    return _missing(a, "measure_id", "responsible_body", "budget", "deadline", "target_indicator")


#: Guards by transition id: each returns the unmet conditions as sentences (empty list = allowed).
GUARDS: dict[str, Guard] = {
    "FS-2": _fs2,
    "FS-3": _fs3,
    "RN-2": _rn2,
    "TA-2": _ta2,
    "TA-3": _ta3,
    "TA-7": _ta7,
    "TA-9": _ta9,
    "TA-12": _ta12,
    "CO-1": _co1,
    "PR-2": _pr2,
    "PR-5": _pr5,
    "PR-9": _pr9,
    "PR-10": _pr10,
    "RC-2": _rc2,
    "IN-2": _in2,
    "DA-1": _da1,
    "PL-1": _pl1,
}


def guard_problems(transition: Transition, obj: Any, attrs: Mapping[str, Any], lookup: Lookup) -> list[str]:
    """The unmet conditions of ``transition`` for ``obj`` with its ``attrs`` after the change."""
    guard = GUARDS.get(transition.id)
    return guard(obj, attrs, lookup) if guard else []


# ------------------------------------------------------------------------------------- regional cycle
#: The 8 stages ST-1..ST-8 of section 6.5 (l.1920-1962) as RegionalCycle states, in order.
CYCLE_STAGES: tuple[str, ...] = (
    "council_engagement",
    "foresight",
    "task_specification",
    "competition_inclusion",
    "project_structuring",
    "research_execution",
    "systematisation",
    "dissemination",
)

# The evidence that a stage has been reached: (entity, states) per stage, from the CY-* guards.
_STAGE_EVIDENCE: dict[str, tuple[str, tuple[str, ...]]] = {
    "foresight": ("ForesightSession", ("documented", "needs_registered")),
    "task_specification": (
        "TechnicalAssignment",
        (
            "draft",
            "under_council_review",
            "approved",
            "submitted_to_state_body",
            "included_in_competition",
            "local_competition",
            "awarded",
            "no_award",
            "closed",
        ),
    ),
    "competition_inclusion": (
        "TechnicalAssignment",
        ("included_in_competition", "local_competition", "awarded", "no_award", "closed"),
    ),
    "project_structuring": (
        "Project",
        (
            "structuring",
            "applied",
            "selected",
            "contracted",
            "in_progress",
            "completed",
            "evaluated",
            "systematised",
            "disseminated",
        ),
    ),
    "research_execution": (
        "Project",
        ("contracted", "in_progress", "completed", "evaluated", "systematised", "disseminated"),
    ),
    "systematisation": ("Project", ("evaluated", "systematised", "disseminated")),
    "dissemination": ("Project", ("disseminated",)),
}


def cycle_stage(
    objects: Sequence[Any], since: dt.date | None = None
) -> tuple[str | None, dict[str, list[int]]]:
    """The furthest RegionalCycle stage a region's objects show, with the evidence per stage.

    Parameters
    ----------
    objects : sequence of WorkflowObject
        The region's workflow objects.
    since : date, optional
        Only objects created on or after this date count (the current cycle, CY-9: "next period starts").

    Returns
    -------
    stage : str or None
        One of :data:`CYCLE_STAGES`; ``council_engagement`` once a council exists; None when nothing exists.
    evidence : dict
        Stage -> ids of the objects that show it.
    """
    evidence: dict[str, list[int]] = {}
    live = [o for o in objects if since is None or o.created_at.date() >= since]
    councils = [o.id for o in objects if o.entity == "RegionalScienceCouncil"]
    if councils:
        evidence["council_engagement"] = councils
    for stage, (entity, states) in _STAGE_EVIDENCE.items():
        ids = [o.id for o in live if o.entity == entity and o.state in states]
        if ids:
            evidence[stage] = ids
    reached = [s for s in CYCLE_STAGES if s in evidence]
    return (reached[-1] if reached else None), evidence
