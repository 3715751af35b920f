"""Co-financing rules of seed 001 (l.1893-1908) as data: the bundled table, the check and its messages."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from aimaq.steering.cofinancing import Commitment, check_budget, cofinancing_share, load_rules

SEED = "/work/shared/seeds/001_ae16649e32aa1527.txt"


def test_rules_match_the_seed_text() -> None:
    rules = load_rules()
    assert {k: (r.rule_id, r.min_share_pct, r.source) for k, r in rules.items()} == {
        "grant": ("R1", 50.0, "local_budget"),
        "programme_targeted": ("R2", 5.0, "local_budget"),
    }
    try:
        lines = Path(SEED).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        pytest.skip("the seed texts are not available")
    # l.1902-1904 and l.1906-1908: «кемінде 50%-ы» and «кемінде 5%-ы»
    assert "кемінде 50%-ы" in " ".join(" ".join(lines[1901:1904]).split())
    assert "кемінде 5%-ы" in " ".join(" ".join(lines[1905:1908]).split())


@pytest.mark.parametrize(
    ("funding", "local", "ok"),
    [
        ("grant", 50.0, True),
        ("grant", 49.99, False),
        ("programme_targeted", 5.0, True),
        ("programme_targeted", 4.9, False),
    ],
)
def test_threshold_edges(funding: str, local: float, ok: bool) -> None:
    problems = check_budget(
        funding, 100.0, [Commitment("local_budget", local), Commitment("republican_budget", 0)]
    )
    assert (problems == []) is ok


def test_only_confirmed_local_budget_counts() -> None:
    commitments = [
        Commitment("local_budget", 30.0, "confirmed"),
        Commitment("local_budget", 30.0, "pledged"),
        Commitment("local_budget", 30.0, "withdrawn"),
        Commitment("private", 40.0, "confirmed"),
    ]
    assert cofinancing_share(100.0, commitments) == pytest.approx(30.0)
    [p] = check_budget("grant", 100.0, commitments)
    assert p.rule == "R1" and p.source == "seed 001, l.1893-1904, rule R1"
    assert "30.00 = 30.0 % of the total cost 100.00" in p.message and "Confirm 20.00 more" in p.message


def test_every_problem_is_listed_at_once() -> None:
    problems = check_budget("loan", "a lot", [Commitment("lottery", -5.0)])
    assert [p.rule for p in problems] == [
        "aimaq:funding_type",
        "aimaq:total_cost",
        "aimaq:source",
        "aimaq:amount",
    ]
    over = check_budget(
        "grant", 100.0, [Commitment("local_budget", 60.0), Commitment("republican_budget", 60.0)]
    )
    assert [p.rule for p in over] == ["aimaq:over_committed"]
    assert math.isclose(cofinancing_share(100.0, [Commitment("local_budget", 60.0)]), 60.0)
