"""Target indicators 2026-2030 of seed 001 (Table 3), computed from the workflow records, with traffic lights.

Table 3 («Тұжырымдаманы іске асырудың негізгі индикаторлары», ``001_ae16649e32aa1527.txt`` l.2060-2171;
bundled as ``seed001_table3_target_indicators_2026_2030.csv``) gives the plan. The actual value of each year
is counted from the audit trail, so it cannot drift from what was recorded (effects column of
``seed001_workflow_transitions.csv``):

1. foresight sessions documented (transition FS-3, completion form "protocol, report", l.2118-2124);
2. technical assignments included in competition documentation (TA-7, l.2126-2134);
3. contracts signed for projects with the Academy's participation (PR-5, completion form "contract",
   l.2136-2149);
4. co-financing share, % = (confirmed or disbursed commitments from the local budget, private and
   quasi-state sources) / (total cost) x 100 over the projects with Academy participation contracted that
   year (l.2151-2163; the seed does not define the base, this is aimaq's reading);
5. recommendations issued by the Academy (RC-2, l.2165-2171).

Each year counts the events whose ``effective_on`` falls in it (annual flows: the seed does not say whether
the values are flows or cumulative totals; indicator 1, 5 every year, reads as a flow). Table 3 is national;
a regional view shows the region's actuals against no plan.

Traffic lights [proposal, documented in ``docs/steering.md``]: for a closed year, green when actual >= plan,
amber when actual >= 50 % of plan, red below. For the running year the plan is prorated by the share of the
year elapsed on ``as_of`` (green when actual >= prorated plan, amber >= 50 % of it, red below). Future years
are ``pending``; years printed "-" (no target) are ``no_target``.

Examples
--------
>>> light(plan=5, actual=5, year=2026, as_of=dt.date(2027, 1, 10))
'green'
>>> light(plan=4, actual=2, year=2027, as_of=dt.date(2028, 1, 1))
'amber'
>>> light(plan=10, actual=1, year=2029, as_of=dt.date(2030, 2, 1))
'red'
>>> light(plan=6, actual=3, year=2028, as_of=dt.date(2028, 7, 1))  # half the year gone: prorated plan 3
'green'
>>> light(plan=None, actual=1, year=2026, as_of=dt.date(2027, 1, 1))
'no_target'
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from aimaq.steering.cofinancing import COUNTED_STATES, INDICATOR4_SOURCES
from aimaq.store.load_bundled import BUNDLED

__all__ = ["AMBER_SHARE", "COUNTED_TRANSITIONS", "Target", "compute", "light", "load_plan"]

PLAN_CSV = BUNDLED / "reference" / "seed001_table3_target_indicators_2026_2030.csv"

#: Transition counted by each count indicator (effects column of seed001_workflow_transitions.csv).
COUNTED_TRANSITIONS: dict[int, str] = {1: "FS-3", 2: "TA-7", 3: "PR-5", 5: "RC-2"}
#: Amber from this share of the plan [proposal].
AMBER_SHARE = 0.5


@dataclass(frozen=True)
class Target:
    """One Table 3 cell: indicator, year and target (None where the seed prints "-")."""

    indicator_no: int
    indicator_kk: str
    indicator_en: str
    unit_en: str
    year: int
    plan: float | None
    source_lines: str


@cache
def load_plan() -> tuple[Target, ...]:
    """The 25 Table 3 cells, read from the bundled table."""
    out = []
    with PLAN_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append(
                Target(
                    indicator_no=int(row["indicator_no"]),
                    indicator_kk=row["indicator_kk"],
                    indicator_en=row["indicator_en"],
                    unit_en=row["unit_en"],
                    year=int(row["year"]),
                    plan=float(row["target_value"]) if row["target_value"] else None,
                    source_lines=row["source_lines"],
                )
            )
    return tuple(out)


def light(plan: float | None, actual: float, year: int, as_of: dt.date) -> str:
    """Traffic light of one cell: ``green``, ``amber``, ``red``, ``pending`` or ``no_target`` (module doc)."""
    if plan is None:
        return "no_target"
    if year > as_of.year:
        return "pending"
    if year == as_of.year:
        start = dt.date(year, 1, 1)
        days = (dt.date(year + 1, 1, 1) - start).days
        plan = plan * ((as_of - start).days + 1) / days
    if actual >= plan - 1e-9:
        return "green"
    if actual >= AMBER_SHARE * plan - 1e-9:
        return "amber"
    return "red"


def compute(
    audit: Iterable[Mapping[str, Any]],
    objects: Mapping[int, Mapping[str, Any]],
    *,
    as_of: dt.date,
    years: Iterable[int] = range(2026, 2031),
    national: bool = True,
) -> pd.DataFrame:
    """Plan vs actual per Table 3 indicator and year.

    Parameters
    ----------
    audit : iterable of mapping
        Audit records with ``transition_id``, ``effective_on`` (date), ``object_id``.
    objects : mapping
        Object id -> ``{"entity", "state", "attrs", "parent_id"}`` for every object the audit names, and the
        funding commitments of the projects (to compute indicator 4).
    as_of : date
        The day the lights are computed for.
    years : iterable of int
    national : bool, default=True
        False for a regional view: the plan column is left empty (Table 3 has no regional breakdown).

    Returns
    -------
    DataFrame
        ``indicator_no, indicator_en, unit, year, plan, actual, light, evidence, source_lines``; ``evidence``
        lists the object ids counted.
    """
    years = list(years)
    counted: dict[tuple[int, int], list[int]] = {}
    contracted: dict[int, list[int]] = {}
    for rec in audit:
        year = rec["effective_on"].year
        for no, tid in COUNTED_TRANSITIONS.items():
            if rec["transition_id"] != tid:
                continue
            obj = objects.get(rec["object_id"], {})
            if no == 3:
                if not obj.get("attrs", {}).get("academy_participation"):
                    continue
                contracted.setdefault(year, []).append(rec["object_id"])
            counted.setdefault((no, year), []).append(rec["object_id"])
    rows = []
    for t in load_plan():
        if t.year not in years:
            continue
        plan = t.plan if national else None
        if t.indicator_no == 4:
            ids = contracted.get(t.year, [])
            actual = _cofinancing_share(ids, objects)
            evidence = ids
        else:
            evidence = counted.get((t.indicator_no, t.year), [])
            actual = float(len(evidence))
        rows.append(
            {
                "indicator_no": t.indicator_no,
                "indicator_en": t.indicator_en,
                "unit": t.unit_en,
                "year": t.year,
                "plan": plan,
                "actual": actual,
                "light": light(plan, 0.0 if math.isnan(actual) else actual, t.year, as_of),
                "evidence": sorted(evidence),
                "source_lines": t.source_lines,
            }
        )
    return pd.DataFrame(rows)


def _cofinancing_share(project_ids: list[int], objects: Mapping[int, Mapping[str, Any]]) -> float:
    """Indicator 4 over the given projects; NaN when none was contracted (nothing to measure)."""
    total = 0.0
    cofin = 0.0
    for pid in project_ids:
        total += float(objects[pid]["attrs"].get("total_cost") or 0.0)
    for obj in objects.values():
        if obj["entity"] != "FundingCommitment" or obj.get("parent_id") not in project_ids:
            continue
        a = obj["attrs"]
        if a.get("source") in INDICATOR4_SOURCES and obj["state"] in COUNTED_STATES:
            cofin += float(a.get("amount") or 0.0)
    return 100.0 * cofin / total if total > 0 else float("nan")
