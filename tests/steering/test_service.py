"""The steering service end to end: a full regional cycle of seed 001 on both backends, refusals that change
nothing, role and region checks, plan items and the targets computed from the records."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from aimaq.steering.errors import BudgetRefused, InvalidInput, NotFound, PermissionDenied, TransitionRefused
from aimaq.steering.service import Steering
from aimaq.steering.workflow import Actor

ACADEMY = Actor("Academy regional desk", "academy")
COUNCIL = Actor("Karaganda science council", "council", region="karaganda")
AKIMAT = Actor("Karaganda akimat", "akimat", region="karaganda")
STATE_BODY = Actor("Ministry of Science", "state_body")
EXECUTOR = Actor("Karaganda University", "executor")
VIEWER = Actor("Analyst", "viewer")
ALMATY_COUNCIL = Actor("Almaty science council", "council", region="almaty")
ALMATY_AKIMAT = Actor("Almaty akimat", "akimat", region="almaty")

M = 1_000_000.0


def _to_competition(s: Steering) -> dict[str, int]:
    """Foresight session -> need -> TA approved by the council -> included in a national grant competition."""
    ids: dict[str, int] = {}
    ids["council"] = s.create(
        "RegionalScienceCouncil",
        territory="karaganda",
        title="Science council",
        actor=AKIMAT,
        reason="council under the akimat (S61-1)",
    )["id"]
    fs = s.create(
        "ForesightSession",
        territory="karaganda",
        title="Mining and metallurgy 2035",
        actor=ACADEMY,
        reason="annual session (AR-5)",
        planned_on="2026-03-10",
    )
    ids["session"] = fs["id"]
    s.transition(
        fs["id"],
        "held",
        actor=ACADEMY,
        reason="session held",
        held_on="2026-03-12",
        participants=["BEN-1", "BEN-2", "BEN-4"],
        effective_on="2026-03-12",
    )
    s.transition(
        fs["id"],
        "documented",
        actor=ACADEMY,
        reason="protocol and report filed",
        protocol="P-2026-01",
        report="R-2026-01",
        effective_on="2026-03-20",
    )
    need = s.create(
        "RegionalNeed",
        title="Tailings reprocessing",
        actor=ACADEMY,
        reason="from the session",
        parent_id=fs["id"],
        source="foresight",
    )
    ids["need"] = need["id"]
    assert s.get(fs["id"])["state"] == "needs_registered"  # FS-4, an effect of the first need
    s.transition(
        need["id"],
        "validated",
        actor=COUNCIL,
        reason="urgent regional task",
        priority="rational use of natural resources",
    )
    ta = s.create(
        "TechnicalAssignment",
        title="TA: tailings",
        actor=ACADEMY,
        reason="drafted with the akimat",
        parent_id=need["id"],
    )
    ids["ta"] = ta["id"]
    assert s.get(need["id"])["state"] == "specified_as_ta"  # RN-4, an effect of TA-1
    s.transition(
        ta["id"],
        "under_council_review",
        actor=AKIMAT,
        reason="submitted to the council",
        indicators=[
            {"kind": "qualitative", "text": "technology adapted"},
            {"kind": "quantitative", "text": "2 pilot plants"},
        ],
    )
    s.transition(ta["id"], "approved", actor=COUNCIL, reason="approved", council_decision="protocol No. 3")
    s.transition(ta["id"], "submitted_to_state_body", actor=ACADEMY, reason="sent to the ministry")
    comp = s.create(
        "Competition",
        title="Grant funding 2026-2028",
        actor=STATE_BODY,
        reason="annual call",
        path="national",
        funding_type="grant",
    )
    ids["competition"] = comp["id"]
    assert comp["territory"] == "kazakhstan"
    s.transition(
        ta["id"],
        "included_in_competition",
        actor=STATE_BODY,
        reason="in the documentation",
        competition_id=comp["id"],
        effective_on="2026-04-10",
    )
    return ids


def test_full_cycle_for_one_region(steering: Steering) -> None:
    s = steering
    ids = _to_competition(s)
    project = s.create(
        "Project",
        title="Tailings pilot",
        actor=EXECUTOR,
        reason="consortium formed",
        parent_id=ids["ta"],
        funding_type="grant",
        total_cost=100 * M,
        academy_participation=True,
        consortium=[
            {"name": "Karaganda University", "role": "lead_executor"},
            {"name": "Institute of Metallurgy", "role": "academy"},
            {"name": "Kazakhmys", "role": "business"},
        ],
    )
    pid = project["id"]
    assert project["territory"] == "karaganda"
    local = s.create(
        "FundingCommitment",
        title="Oblast budget",
        actor=AKIMAT,
        reason="budget line",
        parent_id=pid,
        source="local_budget",
        amount=50 * M,
    )
    s.create(
        "FundingCommitment",
        title="Republican budget",
        actor=STATE_BODY,
        reason="grant",
        parent_id=pid,
        source="republican_budget",
        amount=50 * M,
    )
    s.transition(local["id"], "confirmed", actor=AKIMAT, reason="maslikhat decision")
    s.transition(pid, "applied", actor=EXECUTOR, reason="application submitted")
    s.transition(pid, "selected", actor=STATE_BODY, reason="ranked first")
    s.transition(
        pid,
        "contracted",
        actor=STATE_BODY,
        reason="contract signed",
        contract="No. 12",
        effective_on="2026-05-15",
    )
    s.transition(pid, "in_progress", actor=ACADEMY, reason="team formed")
    s.transition(pid, "completed", actor=EXECUTOR, reason="final report")
    s.transition(pid, "evaluated", actor=ACADEMY, reason="results evaluated")
    assert s.get(ids["need"])["state"] == "addressed"  # RN-5, an effect of PR-8
    s.transition(pid, "systematised", actor=ACADEMY, reason="experience record", experience="pilot lessons")
    da = s.create(
        "DisseminationAction",
        title="National report on science",
        actor=ACADEMY,
        reason="ST-8",
        parent_id=pid,
        channel="DC-1",
    )
    s.transition(da["id"], "done", actor=ACADEMY, reason="published")
    s.transition(pid, "disseminated", actor=ACADEMY, reason="results disseminated")
    rc = s.create(
        "Recommendation",
        title="Regional science plan",
        actor=ACADEMY,
        reason="from the cycle",
        territory="karaganda",
    )
    s.transition(
        rc["id"],
        "issued",
        actor=ACADEMY,
        reason="sent",
        addressee="Karaganda akimat",
        effective_on="2026-11-02",
    )

    assert s.get(pid)["state"] == "disseminated"
    cycle = s.cycle("karaganda")
    assert cycle["stage"] == "dissemination"
    assert cycle["evidence"]["foresight"] == [ids["session"]]

    t = s.targets(as_of=dt.date(2026, 12, 31)).set_index(["indicator_no", "year"])
    assert t.loc[(1, 2026), "actual"] == 1 and t.loc[(1, 2026), "plan"] == 5
    assert t.loc[(1, 2026), "light"] == "red"  # 1 of 5 sessions
    assert t.loc[(2, 2026), "actual"] == 1 and t.loc[(2, 2026), "light"] == "amber"  # 1 of 2 TAs
    assert t.loc[(3, 2026), "actual"] == 1 and t.loc[(3, 2026), "light"] == "no_target"  # printed "-"
    assert t.loc[(4, 2026), "actual"] == pytest.approx(50.0)  # 50 M local of 100 M total
    assert t.loc[(5, 2026), "actual"] == 1 and t.loc[(5, 2026), "evidence"] == [rc["id"]]
    assert t.loc[(1, 2027), "actual"] == 0 and t.loc[(1, 2027), "light"] == "pending"
    assert math.isnan(t.loc[(4, 2027), "actual"])
    regional = s.targets(region="karaganda", as_of=dt.date(2026, 12, 31)).set_index(["indicator_no", "year"])
    assert regional.loc[(2, 2026), "actual"] == 1 and regional.loc[(2, 2026), "plan"] is None
    assert s.targets(region="almaty", as_of=dt.date(2026, 12, 31))["actual"].fillna(0).sum() == 0

    trail = s.history(pid)
    assert list(trail["transition_id"]) == [
        "PR-1",
        "PR-2",
        "PR-4",
        "PR-5",
        "PR-6",
        "PR-7",
        "PR-8",
        "PR-9",
        "PR-10",
    ]
    assert trail.loc[trail["transition_id"] == "PR-5", "actor"].item() == "Ministry of Science"
    assert trail.loc[trail["transition_id"] == "PR-5", "reason"].item() == "contract signed"
    assert trail.loc[trail["transition_id"] == "PR-5", "effective_on"].item() == dt.date(2026, 5, 15)


def test_targets_move_with_each_record(steering: Steering) -> None:
    before = steering.targets(as_of=dt.date(2026, 12, 31)).set_index(["indicator_no", "year"])
    assert before.loc[(1, 2026), "actual"] == 0 and before.loc[(2, 2026), "actual"] == 0
    _to_competition(steering)
    after = steering.targets(as_of=dt.date(2026, 12, 31)).set_index(["indicator_no", "year"])
    assert after.loc[(1, 2026), "actual"] == 1 and after.loc[(2, 2026), "actual"] == 1


def test_invalid_cofinancing_is_refused_and_nothing_changes(steering: Steering, store, sdump) -> None:
    s = steering
    ids = _to_competition(s)
    pid = s.create(
        "Project",
        title="P",
        actor=EXECUTOR,
        reason="r",
        parent_id=ids["ta"],
        funding_type="grant",
        total_cost=100 * M,
        consortium=[{"name": "KU", "role": "lead_executor"}],
    )["id"]
    local = s.create(
        "FundingCommitment",
        title="Oblast",
        actor=AKIMAT,
        reason="r",
        parent_id=pid,
        source="local_budget",
        amount=40 * M,
    )
    s.transition(local["id"], "confirmed", actor=AKIMAT, reason="r")
    before = sdump(store)
    with pytest.raises(BudgetRefused) as info:
        s.transition(pid, "applied", actor=EXECUTOR, reason="application")
    message = str(info.value)
    assert "40.0 % of the total cost" in message and "at least 50 %" in message
    assert "seed 001, l.1893-1904, rule R1" in message
    assert "nothing was written" in message
    assert info.value.reasons == ["cofinancing"]
    assert sdump(store) == before
    assert s.budget(pid)["valid"] is False and s.budget(pid)["rule"] == "R1"
    # a pledge does not count until confirmed; raising the confirmed amount makes the budget valid
    s.edit(local["id"], actor=AKIMAT, reason="budget amended", amount=50 * M)
    s.transition(pid, "applied", actor=EXECUTOR, reason="application")
    assert s.budget(pid)["valid"] is True and s.budget(pid)["local_share_pct"] == pytest.approx(50.0)
    # once applied, a withdrawal or a cost increase that breaks R1 is refused too
    with pytest.raises(BudgetRefused):
        s.transition(local["id"], "withdrawn", actor=AKIMAT, reason="budget cut")
    with pytest.raises(BudgetRefused):
        s.edit(pid, actor=EXECUTOR, reason="more equipment", total_cost=120 * M)
    assert s.get(local["id"])["state"] == "confirmed" and s.get(pid)["attrs"]["total_cost"] == 100 * M


def test_programme_targeted_needs_five_percent(steering: Steering) -> None:
    s = steering
    ids = _to_competition(s)
    comp = s.create(
        "Competition",
        title="Programme 2026",
        actor=STATE_BODY,
        reason="r",
        path="national",
        funding_type="programme_targeted",
    )
    assert comp["state"] == "announced"
    pid = s.create(
        "Project",
        title="P",
        actor=EXECUTOR,
        reason="r",
        parent_id=ids["ta"],
        funding_type="grant",
        total_cost=10 * M,
        consortium=[{"name": "KU", "role": "lead_executor"}],
    )["id"]
    s.edit(pid, actor=EXECUTOR, reason="programme funding", funding_type="programme_targeted")
    c = s.create(
        "FundingCommitment",
        title="Oblast",
        actor=AKIMAT,
        reason="r",
        parent_id=pid,
        source="local_budget",
        amount=0.4 * M,
    )
    s.transition(c["id"], "confirmed", actor=AKIMAT, reason="r")
    with pytest.raises(BudgetRefused, match=r"4\.0 % of the total cost.*at least 5 %.*rule R2"):
        s.transition(pid, "applied", actor=EXECUTOR, reason="application")
    s.edit(c["id"], actor=AKIMAT, reason="r", amount=0.5 * M)
    assert s.transition(pid, "applied", actor=EXECUTOR, reason="application")["state"] == "applied"


def test_illegal_transition_names_state_next_states_and_roles(steering: Steering, store, sdump) -> None:
    s = steering
    fs = s.create("ForesightSession", territory="karaganda", title="S", actor=ACADEMY, reason="r")
    need = s.create(
        "RegionalNeed",
        territory="karaganda",
        title="N",
        actor=COUNCIL,
        reason="from the council",
        source="council",
    )
    s.transition(need["id"], "validated", actor=COUNCIL, reason="r", priority="water")
    ta = s.create("TechnicalAssignment", title="TA", actor=ACADEMY, reason="r", parent_id=need["id"])
    before = sdump(store)
    with pytest.raises(TransitionRefused) as info:
        s.transition(ta["id"], "included_in_competition", actor=STATE_BODY, reason="skip the council")
    text = str(info.value)
    assert f"TechnicalAssignment {ta['id']} (karaganda): is 'draft'" in text
    assert "Allowed next: under_council_review (TA-2, by academy/akimat)" in text
    assert "TA-7 needs state submitted_to_state_body" in text
    with pytest.raises(TransitionRefused, match="is 'planned' and cannot go to 'documented'"):
        s.transition(fs["id"], "documented", actor=ACADEMY, reason="r", protocol="p", report="r")
    assert sdump(store) == before


def test_guards_list_every_unmet_condition(steering: Steering, store, sdump) -> None:
    s = steering
    fs = s.create("ForesightSession", territory="karaganda", title="S", actor=ACADEMY, reason="r")
    before = sdump(store)
    with pytest.raises(InvalidInput) as info:
        s.transition(fs["id"], "held", actor=ACADEMY, reason="r", participants=["scientists only"])
    text = str(info.value)
    assert "attrs.held_on is required" in text and "at least one beneficiary group" in text
    assert "2 problems; nothing was written." in text
    assert sdump(store) == before
    s.transition(fs["id"], "held", actor=ACADEMY, reason="r", held_on="2026-02-01", participants=["BEN-3"])
    with pytest.raises(InvalidInput, match=r"attrs\.protocol is required(.|\n)*attrs\.report is required"):
        s.transition(fs["id"], "documented", actor=ACADEMY, reason="r")
    need = s.create(
        "RegionalNeed", territory="karaganda", title="N", actor=ACADEMY, reason="r", source="akimat"
    )
    s.transition(need["id"], "validated", actor=COUNCIL, reason="r", priority="p")
    ta = s.create("TechnicalAssignment", title="TA", actor=AKIMAT, reason="r", parent_id=need["id"])
    with pytest.raises(InvalidInput, match="at least one quantitative indicator"):
        s.transition(
            ta["id"],
            "under_council_review",
            actor=AKIMAT,
            reason="r",
            indicators=[{"kind": "qualitative", "text": "x"}],
        )
    assert s.get(fs["id"])["state"] == "held"


def test_roles_and_regions(steering: Steering, store, sdump) -> None:
    s = steering
    need = s.create(
        "RegionalNeed", territory="karaganda", title="N", actor=AKIMAT, reason="r", source="akimat"
    )
    before = sdump(store)
    with pytest.raises(PermissionDenied) as info:
        s.transition(need["id"], "validated", actor=EXECUTOR, reason="r", priority="p")
    assert info.value.reasons == ["role_not_allowed"]
    assert "may not perform RN-2" in str(info.value) and "allowed: council" in str(info.value)
    with pytest.raises(
        PermissionDenied, match="may only act in almaty; the object belongs to region karaganda"
    ):
        s.transition(need["id"], "validated", actor=ALMATY_COUNCIL, reason="r", priority="p")
    with pytest.raises(PermissionDenied, match="role_not_allowed"):
        s.create("ForesightSession", territory="karaganda", title="S", actor=VIEWER, reason="r")
    with pytest.raises(PermissionDenied, match="wrong_region"):
        s.create(
            "RegionalNeed", territory="satpayev", title="N", actor=ALMATY_AKIMAT, reason="r", source="akimat"
        )
    with pytest.raises(PermissionDenied, match="a national competition is announced by state_body"):
        s.create("Competition", title="C", actor=AKIMAT, reason="r", path="national", funding_type="grant")
    assert sdump(store) == before
    # an akimat acts on the towns of its region; the council of the region validates the need
    town = s.create(
        "RegionalNeed", territory="satpayev", title="N2", actor=AKIMAT, reason="r", source="akimat"
    )
    assert (
        s.transition(town["id"], "validated", actor=COUNCIL, reason="r", priority="p")["state"] == "validated"
    )
    assert [a["to_state"] for a in s.allowed(need["id"], COUNCIL)] == ["validated", "rejected", "superseded"][
        :2
    ]
    assert s.allowed(need["id"], VIEWER) == []


def test_local_competition_path_a(steering: Steering) -> None:
    s = steering
    need = s.create(
        "RegionalNeed", territory="karaganda", title="N", actor=AKIMAT, reason="r", source="akimat"
    )
    s.transition(need["id"], "validated", actor=COUNCIL, reason="r", priority="p")
    ta = s.create("TechnicalAssignment", title="TA", actor=AKIMAT, reason="r", parent_id=need["id"])
    s.transition(
        ta["id"],
        "under_council_review",
        actor=AKIMAT,
        reason="r",
        indicators=[{"kind": "qualitative", "text": "a"}, {"kind": "quantitative", "text": "b"}],
    )
    s.transition(ta["id"], "approved", actor=COUNCIL, reason="r", council_decision="No. 4")
    comp = s.create(
        "Competition",
        territory="karaganda",
        title="Oblast call",
        actor=AKIMAT,
        reason="r",
        path="local",
        funding_type="grant",
    )
    s.transition(
        ta["id"],
        "local_competition",
        actor=AKIMAT,
        reason="r",
        competition_id=comp["id"],
        local_budget_allocated=30 * M,
    )
    assert s.get(ta["id"])["state"] == "local_competition"
    # path A is financed from the local budget alone: R1/R2 (rules of path B competitions) are not applied
    pid = s.create(
        "Project",
        title="P",
        actor=EXECUTOR,
        reason="r",
        parent_id=ta["id"],
        funding_type="grant",
        total_cost=30 * M,
        consortium=[{"name": "KU", "role": "lead_executor"}],
    )["id"]
    assert s.transition(pid, "applied", actor=EXECUTOR, reason="r")["state"] == "applied"
    # a local competition cannot take a TA sent to a central state body (TA-7 is path B)
    need2 = s.create(
        "RegionalNeed", territory="karaganda", title="N2", actor=AKIMAT, reason="r", source="akimat"
    )
    s.transition(need2["id"], "validated", actor=COUNCIL, reason="r", priority="p")
    ta2 = s.create("TechnicalAssignment", title="TA2", actor=AKIMAT, reason="r", parent_id=need2["id"])
    s.transition(
        ta2["id"],
        "under_council_review",
        actor=AKIMAT,
        reason="r",
        indicators=[{"kind": "qualitative", "text": "a"}, {"kind": "quantitative", "text": "b"}],
    )
    s.transition(ta2["id"], "approved", actor=COUNCIL, reason="r", council_decision="No. 5")
    s.transition(ta2["id"], "submitted_to_state_body", actor=ACADEMY, reason="r")
    with pytest.raises(InvalidInput, match="Use TA-9"):
        s.transition(
            ta2["id"], "included_in_competition", actor=STATE_BODY, reason="r", competition_id=comp["id"]
        )


def test_derived_cycle_and_unknown_things_are_refused(steering: Steering) -> None:
    with pytest.raises(InvalidInput, match="'RegionalCycle' cannot be created"):
        steering.create("RegionalCycle", territory="karaganda", title="c", actor=ACADEMY, reason="r")
    with pytest.raises(NotFound, match="no workflow object has id 999"):
        steering.transition(999, "held", actor=ACADEMY, reason="r")
    with pytest.raises(InvalidInput, match="unknown_territory"):
        steering.create("ForesightSession", territory="Atlantis", title="S", actor=ACADEMY, reason="r")
    with pytest.raises(InvalidInput, match="a TechnicalAssignment is created from a RegionalNeed"):
        steering.create("TechnicalAssignment", territory="karaganda", title="T", actor=ACADEMY, reason="r")


def test_plan_items_adopt_a_measure_and_track_it(steering: Steering, store, sdump) -> None:
    s = steering
    rec = s.recommend("satpayev", "medium", "seed004_monotown_potential", score=40)
    assert rec.reason == "Satpayev: medium innovation potential, total 40 → these 25 measures"
    item = s.adopt_measure(
        "satpayev",
        "s004_M-2.4",
        actor=AKIMAT,
        reason=rec.reason,
        responsible_body="Satpayev akimat, entrepreneurship department",
        budget=120 * M,
        deadline="2027-12-31",
        target_indicator="working_age_share_pct",
        class_id="medium",
        methodology="seed004_monotown_potential",
    )
    assert item["state"] == "adopted" and item["attrs"]["measure_id"] == "s004_M-2.4"
    assert item["title"].startswith("Subsidise interest rates")
    s.transition(item["id"], "in_progress", actor=AKIMAT, reason="programme started")
    s.transition(item["id"], "done", actor=AKIMAT, reason="reported")
    assert list(s.history(item["id"])["to_state"]) == ["adopted", "in_progress", "done"]
    before = sdump(store)
    with pytest.raises(InvalidInput) as info:
        s.adopt_measure(
            "satpayev",
            "s004_nope",
            actor=AKIMAT,
            reason="r",
            responsible_body="x",
            budget=-1,
            deadline="soon",
            target_indicator="gdp",
        )
    assert info.value.reasons == ["unknown_measure", "unknown_indicator", "bad_value", "bad_value"]
    with pytest.raises(PermissionDenied, match="wrong_region"):
        s.adopt_measure(
            "satpayev",
            "s004_M-2.4",
            actor=ALMATY_AKIMAT,
            reason="r",
            responsible_body="x",
            budget=1,
            deadline="2027-01-01",
            target_indicator="seed001_t3_1",
        )
    assert sdump(store) == before
    assert s.objects(entity="PlanItem", territory="karaganda")["id"].tolist() == [item["id"]]


def test_effects_follow_an_allowed_action_and_identity_fields_are_protected(
    steering: Steering, store, sdump
) -> None:
    s = steering
    fs = s.create("ForesightSession", territory="karaganda", title="S", actor=ACADEMY, reason="r")
    s.transition(fs["id"], "held", actor=ACADEMY, reason="r", held_on="2026-02-01", participants=["BEN-1"])
    s.transition(fs["id"], "documented", actor=ACADEMY, reason="r", protocol="p", report="r")
    # the council records a need from the session; FS-4 (an Academy step) follows as its effect
    need = s.create("RegionalNeed", title="N", actor=COUNCIL, reason="from the session", parent_id=fs["id"])
    assert s.get(fs["id"])["state"] == "needs_registered"
    fs4 = s.history(fs["id"]).iloc[-1]
    assert (fs4["transition_id"], fs4["actor"]) == ("FS-4", "Karaganda science council")
    assert fs4["reason"] == f"effect of RN-1 on RegionalNeed {need['id']}"
    ids = _to_competition(s)
    pid = s.create(
        "Project", title="P", actor=EXECUTOR, reason="r", parent_id=ids["ta"], funding_type="grant",
        total_cost=10 * M, consortium=[{"name": "KU", "role": "lead_executor"}],
    )["id"]  # fmt: skip
    fc = s.create("FundingCommitment", title="Oblast", actor=AKIMAT, reason="r", parent_id=pid,
                  source="local_budget", amount=5 * M)  # fmt: skip
    before = sdump(store)
    # an executor may not confirm a local-budget commitment, nor turn it into a private one on the way
    with pytest.raises(PermissionDenied, match="only the akimat confirms"):
        s.transition(fc["id"], "confirmed", actor=EXECUTOR, reason="r")
    with pytest.raises(InvalidInput, match=r"attrs\.source: cannot be changed by a transition"):
        s.transition(fc["id"], "confirmed", actor=EXECUTOR, reason="r", source="private")
    with pytest.raises(InvalidInput, match=r"attrs\.total_cost: cannot be changed by a transition"):
        s.transition(pid, "applied", actor=EXECUTOR, reason="r", total_cost=1.0)
    assert sdump(store) == before


def test_self_loops_go_by_transition_id(steering: Steering) -> None:
    s = steering
    ini = s.create("Initiative", territory="karaganda", title="Science city", actor=AKIMAT, reason="PI63-3")
    with pytest.raises(InvalidInput, match=r"attrs\.responsible_persons is required"):
        s.transition(ini["id"], "active", actor=ACADEMY, reason="r")
    s.transition(ini["id"], "active", actor=ACADEMY, reason="r", responsible_persons=["Academician A."])
    # IN-3 keeps the state (active -> active): asked for by its id, it is recorded as a monitoring entry
    s.transition(ini["id"], "IN-3", actor=ACADEMY, reason="quarterly monitoring", monitoring="on track")
    s.transition(ini["id"], "evaluated", actor=ACADEMY, reason="r")
    s.transition(ini["id"], "promoted", actor=ACADEMY, reason="r")
    assert list(s.history(ini["id"])["transition_id"]) == ["IN-1", "IN-2", "IN-3", "IN-4", "IN-5"]
    council = s.create("RegionalScienceCouncil", territory="karaganda", title="C", actor=AKIMAT, reason="r")
    s.transition(
        council["id"], "RC0-2", actor=ACADEMY, reason="Academy member joins", member="Academician B."
    )
    assert s.get(council["id"])["state"] == "established"
