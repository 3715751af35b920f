"""Co-financing rules of seed 001 as data, checked on every project budget.

Seed 001 (``001_ae16649e32aa1527.txt``, section 6.4, l.1893-1908, rules R1 and R2 of the bundled reference
table ``seed001_cofinancing_rules.csv``): the competition documentation of a central state body must require
co-financing of the research *from the local budget* of

- R1: at least 50 % of the total cost of the research, for grant funding (l.1902-1904);
- R2: at least 5 % of the total cost, for programme-targeted funding (l.1906-1908).

What counts: the project's :class:`FundingCommitment` objects whose ``source`` is ``local_budget`` and whose
state is ``confirmed`` or ``disbursed`` (PR-2 guard: "confirmed local-budget co-financing"); pledges do not
count yet and withdrawn commitments never do. Whether private money counts towards the minimum is open in
the seed (sidecar of the rules table), so it does not. Two consistency checks that are not seed rules are
added and marked so: the total cost must be a positive number, and commitments must not exceed it.

Examples
--------
>>> rules = load_rules()
>>> [(r.rule_id, r.funding_type, r.min_share_pct) for r in rules.values()]
[('R1', 'grant', 50.0), ('R2', 'programme_targeted', 5.0)]
>>> [p.rule for p in check_budget("grant", 1000.0, [Commitment("local_budget", 400.0, "confirmed")])]
['R1']
>>> check_budget("programme_targeted", 1000.0, [Commitment("local_budget", 50.0, "confirmed")])
[]
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from aimaq.store.load_bundled import BUNDLED

__all__ = [
    "COUNTED_STATES",
    "FUNDING_SOURCES",
    "BudgetProblem",
    "Commitment",
    "Rule",
    "check_budget",
    "cofinancing_share",
    "load_rules",
]

RULES_CSV = BUNDLED / "reference" / "seed001_cofinancing_rules.csv"

#: Sources of a funding commitment. ``local_budget`` is the akimat's budget (R1/R2); ``private`` and
#: ``quasi_state`` are the "private and local public sources" of Table 3 indicator 4 (l.2151-2163) together
#: with the local budget; ``republican_budget`` is the central state body's share.
FUNDING_SOURCES: tuple[str, ...] = ("local_budget", "republican_budget", "private", "quasi_state", "other")
#: Commitment states that count towards a rule (PR-2 guard: "confirmed").
COUNTED_STATES: frozenset[str] = frozenset({"confirmed", "disbursed"})
#: Sources that count as co-financing for Table 3 indicator 4 ("private and local public (state) sources").
INDICATOR4_SOURCES: frozenset[str] = frozenset({"local_budget", "private", "quasi_state"})


@dataclass(frozen=True)
class Rule:
    """One co-financing rule: ``source`` must cover at least ``min_share_pct`` % of the total cost."""

    rule_id: str
    funding_type: str
    funding_type_kk: str
    source: str
    min_share_pct: float
    source_lines: str

    def cite(self) -> str:
        """``seed 001, l.1893-1904, rule R1``."""
        return f"seed 001, l.{self.source_lines}, rule {self.rule_id}"


@dataclass(frozen=True)
class Commitment:
    """A funding commitment as the check sees it."""

    source: str
    amount: float
    state: str = "confirmed"


@dataclass(frozen=True)
class BudgetProblem:
    """One broken rule or inconsistency: ``rule`` is ``R1``/``R2``, or ``aimaq:<check>`` (not a seed rule)."""

    rule: str
    message: str
    source: str | None


_FUNDING_TYPE_CODES = {"grant funding": "grant", "programme-targeted funding": "programme_targeted"}


@cache
def load_rules() -> dict[str, Rule]:
    """The rules by funding type, read from the bundled ``seed001_cofinancing_rules.csv``."""
    out: dict[str, Rule] = {}
    with RULES_CSV.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            if row["operator"] != ">=":
                raise RuntimeError(f"{RULES_CSV.name}, row {i}, column operator: only '>=' is understood")
            code = _FUNDING_TYPE_CODES.get(row["funding_type_en"])
            if code is None:
                raise RuntimeError(
                    f"{RULES_CSV.name}, row {i}: unknown funding type {row['funding_type_en']!r}"
                )
            out[code] = Rule(
                rule_id=row["rule_id"],
                funding_type=code,
                funding_type_kk=row["funding_type_kk"],
                source=row["cofinancing_source"],
                min_share_pct=float(row["min_share_pct"]),
                source_lines=row["source_lines"],
            )
    return out


def _number(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def cofinancing_share(
    total_cost: float, commitments: Iterable[Commitment], source: str = "local_budget"
) -> float:
    """Percentage of ``total_cost`` covered by counted commitments from ``source``.

    Examples
    --------
    >>> pledged = Commitment("local_budget", 9.0, "pledged")
    >>> cofinancing_share(200.0, [Commitment("local_budget", 50.0), pledged])
    25.0
    """
    counted = sum(c.amount for c in commitments if c.source == source and c.state in COUNTED_STATES)
    return 100.0 * counted / total_cost


def check_budget(
    funding_type: object, total_cost: object, commitments: Iterable[Commitment]
) -> list[BudgetProblem]:
    """Every problem of a project budget (empty list = valid).

    Parameters
    ----------
    funding_type : {"grant", "programme_targeted"}
    total_cost : float
        Total cost of the research (the base of R1/R2: "зерттеу жүргізуге арналған жалпы шығын көлемі").
    commitments : iterable of Commitment
    """
    rules = load_rules()
    problems: list[BudgetProblem] = []
    commitments = list(commitments)
    rule = rules.get(str(funding_type))
    if rule is None:
        problems.append(
            BudgetProblem(
                "aimaq:funding_type",
                f"funding_type must be one of {', '.join(rules)}, got {funding_type!r}",
                "seed 001, l.1893-1908",
            )
        )
    cost = _number(total_cost)
    if cost is None or cost <= 0:
        problems.append(
            BudgetProblem(
                "aimaq:total_cost", f"total_cost must be a positive number, got {total_cost!r}", None
            )
        )
    for c in commitments:
        if c.source not in FUNDING_SOURCES:
            problems.append(
                BudgetProblem(
                    "aimaq:source",
                    f"commitment source {c.source!r} is not one of {', '.join(FUNDING_SOURCES)}",
                    None,
                )
            )
        if _number(c.amount) is None or c.amount < 0:
            problems.append(
                BudgetProblem(
                    "aimaq:amount", f"commitment amount {c.amount!r} is not a non-negative number", None
                )
            )
    if problems:
        return problems
    assert rule is not None and cost is not None
    share = cofinancing_share(cost, commitments, rule.source)
    if share + 1e-9 < rule.min_share_pct:
        need = rule.min_share_pct / 100.0 * cost
        have = share / 100.0 * cost
        problems.append(
            BudgetProblem(
                rule.rule_id,
                f"confirmed {rule.source} co-financing is {have:,.2f} = {share:.1f} % of the total cost "
                f"{cost:,.2f}; "
                f"{rule.funding_type} funding needs at least {rule.min_share_pct:g} % ({need:,.2f}). Confirm "
                f"{need - have:,.2f} more from the {rule.source.replace('_', ' ')}, or lower the total cost",
                rule.cite(),
            )
        )
    live = sum(c.amount for c in commitments if c.state != "withdrawn")
    if live > cost + 1e-9:
        problems.append(
            BudgetProblem(
                "aimaq:over_committed",
                f"commitments total {live:,.2f}, more than the total cost {cost:,.2f}; correct the cost or a "
                "commitment (aimaq consistency check, not a seed rule)",
                None,
            )
        )
    return problems
