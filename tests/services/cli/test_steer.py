"""``aimaq steer ...``: every action through the CLI, refusals with exit 2 and every problem, JSON twins."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aimaq.services.cli.main import app
from aimaq.store.repository import Store

ACADEMY = ["--as", "Academy desk", "--role", "academy"]
COUNCIL = ["--as", "Karaganda council", "--role", "council", "--region", "karaganda"]
AKIMAT = ["--as", "Karaganda akimat", "--role", "akimat", "--region", "karaganda"]
STATE = ["--as", "Ministry", "--role", "state_body"]
EXECUTOR = ["--as", "Karaganda University", "--role", "executor"]


@pytest.fixture
def run(store: Store):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> str:
        # the catalogue and the workflow definition are package data: those two commands need no store
        db = [] if args[0] in ("measures", "transitions") else ["--db", store.url]
        result = runner.invoke(app, ["steer", *args, *db])
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def _id(output: str) -> int:
    return int(json.loads(output)["object"]["id"])


def test_cycle_through_the_cli(run) -> None:  # type: ignore[no-untyped-def]
    fs = _id(
        run(
            "create",
            "ForesightSession",
            "--territory",
            "karaganda",
            "--title",
            "Mining 2035",
            *ACADEMY,
            "--reason",
            "annual session",
            "--json",
        )
    )
    run(
        "move",
        str(fs),
        "held",
        "--set",
        "held_on=2026-03-12",
        "--set",
        'participants=["BEN-2"]',
        *ACADEMY,
        "--reason",
        "held",
    )
    out = run(
        "move",
        str(fs),
        "documented",
        "--set",
        "protocol=P-1",
        "--set",
        "report=R-1",
        *ACADEMY,
        "--reason",
        "filed",
        "--on",
        "2026-03-20",
    )
    assert "state: documented" in out
    need = _id(
        run(
            "create",
            "RegionalNeed",
            "--parent",
            str(fs),
            "--title",
            "Tailings",
            *ACADEMY,
            "--reason",
            "r",
            "--set",
            "source=foresight",
            "--json",
        )
    )
    run("move", str(need), "validated", "--set", "priority=resources", *COUNCIL, "--reason", "urgent")
    ta = _id(
        run(
            "create",
            "TechnicalAssignment",
            "--parent",
            str(need),
            "--title",
            "TA",
            *AKIMAT,
            "--reason",
            "r",
            "--json",
        )
    )
    # illegal: straight to the competition
    err = run("move", str(ta), "included_in_competition", *STATE, "--reason", "skip", code=2)
    assert "is 'draft' and cannot go to 'included_in_competition'" in err
    assert "Allowed next: under_council_review (TA-2, by academy/akimat)" in err
    run(
        "move",
        str(ta),
        "under_council_review",
        *AKIMAT,
        "--reason",
        "r",
        "--set",
        'indicators=[{"kind": "qualitative", "text": "a"}, {"kind": "quantitative", "text": "b"}]',
    )
    # wrong role, as JSON
    denied = json.loads(run("move", str(ta), "approved", *EXECUTOR, "--reason", "r", "--json", code=2))
    assert denied["ok"] is False and denied["errors"][0]["reason"] == "role_not_allowed"
    run("move", str(ta), "approved", *COUNCIL, "--reason", "r", "--set", "council_decision=No. 3")
    run("move", str(ta), "submitted_to_state_body", *ACADEMY, "--reason", "r")
    comp = _id(
        run(
            "create",
            "Competition",
            "--title",
            "Grants",
            *STATE,
            "--reason",
            "r",
            "--set",
            "path=national",
            "--set",
            "funding_type=grant",
            "--json",
        )
    )
    run(
        "move",
        str(ta),
        "included_in_competition",
        *STATE,
        "--reason",
        "r",
        "--set",
        f"competition_id={comp}",
        "--on",
        "2026-04-10",
    )
    project = _id(
        run(
            "create",
            "Project",
            "--parent",
            str(ta),
            "--title",
            "Pilot",
            *EXECUTOR,
            "--reason",
            "r",
            "--set",
            "funding_type=grant",
            "--set",
            "total_cost=1e8",
            "--set",
            "academy_participation=true",
            "--set",
            'consortium=[{"name": "KU", "role": "lead_executor"}]',
            "--json",
        )
    )
    fc = _id(
        run(
            "create",
            "FundingCommitment",
            "--parent",
            str(project),
            "--title",
            "Oblast",
            *AKIMAT,
            "--reason",
            "r",
            "--set",
            "source=local_budget",
            "--set",
            "amount=4e7",
            "--json",
        )
    )
    run("move", str(fc), "confirmed", *AKIMAT, "--reason", "r")
    assert "INVALID" in run("budget", str(project), code=1)
    refused = run("move", str(project), "applied", *EXECUTOR, "--reason", "r", code=2)
    assert "rule R1" in refused and "nothing was written" in refused
    run("edit", str(fc), *AKIMAT, "--reason", "amended", "--set", "amount=5e7")
    assert run("budget", str(project)).strip().endswith("valid")
    run("move", str(project), "applied", *EXECUTOR, "--reason", "r")
    targets = json.loads(run("targets", "--as-of", "2026-12-31", "--json"))["targets"]
    cell = {(t["indicator_no"], t["year"]): t for t in targets}
    assert cell[(1, 2026)]["actual"] == 1 and cell[(2, 2026)]["actual"] == 1
    assert "task_specification" in run("cycle", "karaganda") or "competition_inclusion" in run(
        "cycle", "karaganda"
    )
    history = json.loads(run("history", str(ta), "--json"))["history"]
    assert [h["transition_id"] for h in history] == ["TA-1", "TA-2", "TA-3", "TA-6", "TA-7"]
    shown = json.loads(run("show", str(ta), "--json"))
    assert shown["object"]["state"] == "included_in_competition"
    assert {a["to_state"] for a in shown["allowed"]} == {"awarded", "no_award"}
    assert "TechnicalAssignment" in run("list", "--territory", "karaganda")


def test_measures_recommend_and_adopt(run) -> None:  # type: ignore[no-untyped-def]
    listed = json.loads(run("measures", "--kind", "monotown_class", "--class", "low", "--json"))["measures"]
    assert {m["applies_to"] for m in listed} == {"low", "all"}
    rec = json.loads(
        run(
            "recommend",
            "satpayev",
            "--methodology",
            "seed004_monotown_potential",
            "--class",
            "low",
            "--score",
            "26",
            "--lang",
            "ru",
            "--json",
        )
    )
    assert rec["reason"] == "Сатпаев: низкий инновационный потенциал, сумма баллов 26 → мер: 8"
    assert "Construction of infrastructure facilities" in run(
        "recommend", "satpayev", "--methodology", "seed004_monotown_potential", "--class", "low"
    )
    item = json.loads(
        run(
            "adopt",
            "satpayev",
            "s004_L-D1",
            "--responsible",
            "akimat",
            "--budget",
            "5e8",
            "--deadline",
            "2028-12-31",
            "--indicator",
            "working_age_share_pct",
            *AKIMAT,
            "--reason",
            "low potential",
            "--json",
        )
    )
    assert item["object"]["state"] == "adopted"
    bad = run(
        "adopt",
        "satpayev",
        "nope",
        "--responsible",
        "x",
        "--budget",
        "1",
        "--deadline",
        "2028-12-31",
        "--indicator",
        "gdp",
        *AKIMAT,
        "--reason",
        "r",
        code=2,
    )
    assert "unknown_measure" in bad and "unknown_indicator" in bad and "2 problems" in bad
    err = run("recommend", "satpayev", "--methodology", "mine", "--class", "x", code=2)
    assert "no measures are linked to it" in err


def test_transitions_and_bad_parameters(run) -> None:  # type: ignore[no-untyped-def]
    out = json.loads(run("transitions", "TechnicalAssignment", "--json"))["transitions"]
    assert out[2]["transition"] == "TA-3" and out[2]["roles"] == "council"
    assert "unknown entity" in run("transitions", "Spaceship", code=2)
    assert "acts for one region" in run(
        "create",
        "ForesightSession",
        "--title",
        "t",
        "--as",
        "c",
        "--role",
        "council",
        "--reason",
        "r",
        code=2,
    )
    assert "write key=value" in run(
        "create",
        "ForesightSession",
        "--territory",
        "karaganda",
        "--title",
        "t",
        *ACADEMY,
        "--reason",
        "r",
        "--set",
        "oops",
        code=2,
    )


def test_recommend_uses_the_class_the_methodology_computes(bundled_store: Store) -> None:
    """Without --class the preset is run on the store's data (seed 004, Table 2: Karazhal 26, low)."""

    def invoke(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(app, ["steer", "recommend", *args, "--db", bundled_store.url])
        assert result.exit_code == code, result.output
        return result.output

    rec = json.loads(invoke("karazhal", "--methodology", "seed004_monotown_potential", "--json"))
    assert rec["reason"] == "Karazhal: low innovation potential, total 26 → these 8 measures"
    satpayev = json.loads(invoke("satpayev", "--methodology", "seed004_monotown_potential", "--json"))
    assert satpayev["reason"].startswith("Satpayev: medium innovation potential, total 40")
    err = invoke("astana", "--methodology", "seed004_monotown_potential", code=2)
    assert "computes no class for astana" in err
