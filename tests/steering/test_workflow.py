"""The workflow machine read from the seed 001 data: completeness, roles, reachability, the derived cycle."""

from __future__ import annotations

import csv
import datetime as dt
from types import SimpleNamespace

import pytest

from aimaq.steering.errors import PermissionDenied, TransitionRefused
from aimaq.steering.workflow import (
    CYCLE_STAGES,
    DATA,
    ROLES,
    SEED001_TRANSITIONS,
    Actor,
    check_actor,
    cycle_stage,
    machine,
)


def test_every_seed_transition_is_loaded_with_roles() -> None:
    m = machine()
    with SEED001_TRANSITIONS.open(encoding="utf-8") as fh:
        seed_ids = [r["transition_id"] for r in csv.DictReader(fh)]
    with (DATA / "transition_roles.csv").open(encoding="utf-8") as fh:
        roles = {r["transition_id"]: r for r in csv.DictReader(fh)}
    assert len(seed_ids) == 66
    loaded = [t.id for ts in m.transitions.values() for t in ts]
    assert loaded == [*seed_ids, "PL-1", "PL-2", "PL-3", "PL-4", "PL-5"]
    assert set(roles) == set(loaded)
    for t in (t for ts in m.transitions.values() for t in ts):
        assert set(t.roles) <= set(ROLES) - {"viewer"}, t.id
        assert bool(t.roles) == (t.entity != "RegionalCycle"), t.id


def test_every_state_is_reachable_from_creation() -> None:
    m = machine()
    for entity in m.entities:
        reached = {m.creation(entity).to_state}
        changed = True
        while changed:
            changed = False
            for t in m.transitions[entity]:
                if t.to_state not in reached and set(t.from_states) & reached:
                    reached.add(t.to_state)
                    changed = True
        assert reached == set(m.states(entity)), entity


def test_the_mechanism_stages_are_cited_from_the_seed() -> None:
    m = machine()
    assert m.get("TA-3").source() == "seed 001, l.1893-1898 (FIN-3); document"
    assert m.get("PR-2").guard_text.startswith("TA.state = included_in_competition")
    assert m.get("FS-5").source() == "proposed; no seed line"
    assert [t.id for t in m.transitions["RegionalCycle"]][:8] == [f"CY-{i}" for i in range(1, 9)]
    assert [m.get(f"CY-{i}").to_state for i in range(1, 9)] == list(CYCLE_STAGES)


def test_illegal_transition_message() -> None:
    with pytest.raises(TransitionRefused) as info:
        machine().find("Project", "structuring", "contracted", key="Project 7 (karaganda)")
    text = str(info.value)
    assert text.startswith("Project 7 (karaganda): is 'structuring' and cannot go to 'contracted'.")
    assert (
        "Allowed next: applied (PR-2, by executor); terminated (PR-11, by state_body/akimat/executor)" in text
    )
    assert "PR-5 needs state selected" in text
    with pytest.raises(TransitionRefused, match=r"Allowed next: none \(final state\)"):
        machine().find("DisseminationAction", "done", "planned")


def test_actor_and_role_checks() -> None:
    with pytest.raises(ValueError, match="acts for one region"):
        Actor("Council", "council")
    with pytest.raises(ValueError, match="the name is empty"):
        Actor(" ", "academy")
    t = machine().get("TA-3")
    check_actor(t, Actor("C", "council", region="karaganda"), key="k", object_region="karaganda")
    with pytest.raises(PermissionDenied, match="role_not_allowed"):
        check_actor(t, Actor("A", "academy"), key="k", object_region="karaganda")
    with pytest.raises(PermissionDenied, match="wrong_region"):
        check_actor(t, Actor("C", "council", region="almaty"), key="k", object_region="karaganda")
    with pytest.raises(PermissionDenied, match="derived_entity"):
        check_actor(machine().get("CY-2"), Actor("A", "academy"), key="k", object_region="karaganda")


def _o(i: int, entity: str, state: str, created: str = "2026-01-01") -> SimpleNamespace:
    return SimpleNamespace(id=i, entity=entity, state=state, created_at=dt.datetime.fromisoformat(created))


def test_cycle_stage_is_the_furthest_stage_with_evidence() -> None:
    assert cycle_stage([]) == (None, {})
    objs = [
        _o(1, "RegionalScienceCouncil", "established"),
        _o(2, "ForesightSession", "documented"),
        _o(3, "TechnicalAssignment", "included_in_competition"),
        _o(4, "Project", "structuring"),
        _o(5, "ForesightSession", "planned"),
    ]
    stage, evidence = cycle_stage(objs)
    assert stage == "project_structuring"
    assert evidence == {
        "council_engagement": [1],
        "foresight": [2],
        "task_specification": [3],
        "competition_inclusion": [3],
        "project_structuring": [4],
    }
    # a new period (CY-9) counts only what was created since it started
    assert cycle_stage(objs, since=dt.date(2027, 1, 1))[0] == "council_engagement"
