"""The RIS3 self-assessment model (seed 000): assessments, the wheel's sums, history and weakest criteria.

An analyst scores a region's strategy on the 18 criteria of the RIS3 Self-Assessment Wheel (6 steps x 3
criteria, European Commission 2012, Annex 1) with an evidence note per score. Seed 000
(``000_72d0ba45cccb75de.txt``) uses an adapted scale {0, 0.5, 1} (l.114-115) instead of the EC's 0-5
(l.110-112); both are supported and never converted into each other (the seed gives no mapping, note
s000-C13): comparisons use score / maximum.

Pure part: :class:`Criterion`, :class:`Scale`, :class:`Assessment`, :func:`parse_scores`,
:func:`read_scores_file`, :func:`summarise` (the sums of seed-000.md M4.2), :func:`weakest`.
Storage part (one transaction per write, :func:`aimaq.store.db.write`): :func:`record`, :func:`assessments`,
:func:`history`, :func:`latest`, plus the seed's own data: :func:`published` (Table 3 as an assessment),
:func:`checklist` (Table 1) and :func:`reproduce_published` (Tables 2-3 and the 52 %).

Formulas (seed-000.md, M4.2; n regions, s_max the scale's maximum):

- criterion sum ``S_c = sum_r s[r, c]`` (Table 2, column 3, l.334);
- step total ``T_k = sum_{c in k} S_c`` (Table 2, column 4);
- overall compliance ``P = 100 * sum_c S_c / (18 * n * s_max)`` (l.382-383: 52 % = 37.5 / 72);
- per region: ``q[r, k] = sum_{c in k} s[r, c]``, ``Q_r = sum_c s[r, c]``, ``P_r = 100 * Q_r / (18 * s_max)``.

Examples
--------
>>> adapted = Scale("adapted", (0.0, 0.5, 1.0))
>>> c = [Criterion("c01", 1, "s1", 1), Criterion("c02", 2, "s1", 1), Criterion("c03", 3, "s2", 2)]
>>> a = Assessment("atyrau", "A. Analyst", "adapted", dt.date(2021, 12, 1),
...                {"c01": Score(1.0, "p. 4"), "c02": Score(0.0, "absent"), "c03": Score(0.5, "p. 9")})
>>> s = summarise([a], c, adapted)
>>> s.step_totals, s.compliance_pct
({'s1': 1.0, 's2': 0.5}, 50.0)
>>> [x.criterion for x in weakest(a, c, adapted, n=2)]
['c02', 'c03']
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from aimaq.engine.reproduce import ReproductionReport
    from aimaq.store.repository import Store

__all__ = [
    "Assessment",
    "Criterion",
    "Ris3Errors",
    "Ris3Problem",
    "Scale",
    "Score",
    "Summary",
    "Weak",
    "assessments",
    "checklist",
    "history",
    "latest",
    "load_criteria",
    "load_scale",
    "parse_scores",
    "published",
    "read_scores_file",
    "record",
    "reproduce_published",
    "summarise",
    "weakest",
]

#: Reference tables of the bundled data (``store/bundled/reference``).
CRITERIA_TABLE = "seed000_ris3_criteria"
ADAPTED_SCALE_TABLE = "seed000_ris3_scale"
#: The EC 0-5 scale's meanings (S3 Platform, not in the seed) ship next to the seed 000 specs.
EC_SCALE_FILE = Path(__file__).resolve().parent.parent / "methodologies" / "seed000_ris3_ec_scale.csv"
#: The assessor under which the seed's own Table 3 is shown.
SEED_ASSESSOR = "seed 000, Table 3"
#: Reason codes of :class:`Ris3Problem` (each a kk/ru/en message id).
REASONS: dict[str, str] = {
    "unknown_criterion": "not one of the 18 criteria",
    "duplicate_criterion": "the criterion is scored twice",
    "missing_criterion": "a criterion has no score (a missing score is not 0)",
    "not_on_scale": "the score is not a value of the scale",
    "not_a_number": "the score is not a number",
    "missing_evidence": "every score needs an evidence note (quote and page)",
    "unknown_scale": "unknown scale",
    "unknown_region": "the region is not in the gazetteer",
    "missing_value": "a required field is empty",
    "bad_date": "not a date (YYYY-MM-DD)",
    "bad_file": "the file cannot be read",
}


# ---------------------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ris3Problem:
    """One problem of an assessment, as a row ``(file, row, column, reason, value, expected)``."""

    file: str
    row: int | None
    column: str
    reason: str
    value: Any = None
    expected: str = ""

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (self.file, f"row {self.row}" if self.row is not None else "", f"column {self.column!r}")
            if p
        )
        got = f": {self.value!r}" if self.value not in (None, "") else ""
        exp = f"; expected {self.expected}" if self.expected else ""
        return f"{where}{got} {REASONS.get(self.reason, self.reason)}{exp} [{self.reason}]"


class Ris3Errors(ValueError):
    """Every problem of an assessment at once; nothing was written."""

    def __init__(self, problems: Iterable[Ris3Problem]) -> None:
        self.problems = list(problems)
        files = {p.file for p in self.problems}
        n = len(self.problems)
        super().__init__(
            "\n".join(map(str, self.problems))
            + f"\n{n} problem{'s' if n != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}; "
            "nothing was written."
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``{"ok": false, "errors": [...]}`` form."""
        return {"ok": False, "errors": [p.__dict__ for p in self.problems]}


# ---------------------------------------------------------------------------------------------------------
# criteria, scales, assessments
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One of the 18 criteria (``c01`` ... ``c18``) of step ``step_id``; names in kk/ru/en."""

    id: str
    no: int
    step_id: str
    step_no: int
    name: Mapping[str, str] = field(default_factory=dict)
    step_name: Mapping[str, str] = field(default_factory=dict)
    indicator: str = ""

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name.get("en") or self.id


@dataclass(frozen=True)
class Scale:
    """The allowed scores of a scale and their meanings; ``max`` is ``s_max`` of seed-000.md M4.2."""

    id: str
    values: tuple[float, ...]
    labels: Mapping[float, Mapping[str, str]] = field(default_factory=dict)

    @property
    def max(self) -> float:
        return max(self.values)

    def allows(self, value: float) -> bool:
        return any(math.isclose(value, v, abs_tol=1e-9) for v in self.values)


@dataclass(frozen=True)
class Score:
    """A criterion's score with the evidence that supports it (quote, page)."""

    value: float
    evidence: str


@dataclass(frozen=True)
class Assessment:
    """One assessor's scores of one region's strategy on one date."""

    region: str
    assessor: str
    scale: str
    assessed_on: dt.date
    scores: Mapping[str, Score]
    document: str | None = None
    comment: str | None = None
    id: int | None = None

    def value(self, criterion: str) -> float:
        return self.scores[criterion].value

    def total(self) -> float:
        """``Q_r``: the sum of the scores."""
        return float(sum(s.value for s in self.scores.values()))


@dataclass(frozen=True)
class Weak:
    """A weak criterion of an assessment: its share of the maximum and the evidence given."""

    criterion: str
    score: float
    share: float
    evidence: str


@dataclass(frozen=True)
class Summary:
    """The wheel's numbers for a set of assessments (one per region), seed-000.md M4.2."""

    scores: pd.DataFrame  # criterion x region, the scores s[r, c]
    criterion_sums: dict[str, float]  # S_c
    step_totals: dict[str, float]  # T_k
    region_steps: pd.DataFrame  # step x region, q[r, k]
    region_totals: dict[str, float]  # Q_r
    region_pct: dict[str, float]  # P_r
    compliance_pct: float  # P
    points: float  # sum of S_c
    max_points: float  # 18 * n * s_max


def criteria_from_frame(frame: pd.DataFrame) -> list[Criterion]:
    """Criteria from the rows of ``reference/seed000_ris3_criteria.csv``, in criterion order."""
    out = []
    for r in frame.sort_values("criterion_no").to_dict("records"):
        cid = str(r["criterion_id"]).split("_", 1)[0]
        out.append(
            Criterion(
                id=cid,
                no=int(r["criterion_no"]),
                step_id=str(r["step_id"]),
                step_no=int(r["step_no"]),
                name={k: str(r[f"criterion_name_{k}"]) for k in ("kk", "ru", "en")},
                step_name={k: str(r[f"step_name_{k}"]) for k in ("kk", "ru", "en")},
                indicator=str(r["indicator"]),
            )
        )
    return out


def scale_from_frame(scale_id: str, frame: pd.DataFrame) -> Scale:
    """A scale from rows ``score, label_kk, label_ru, label_en``."""
    labels = {
        float(r["score"]): {k: str(r[f"label_{k}"]) for k in ("kk", "ru", "en")}
        for r in frame.to_dict("records")
    }
    return Scale(scale_id, tuple(sorted(labels)), labels)


def _criterion_key(raw: Any, criteria: Sequence[Criterion]) -> str | None:
    """A criterion named by id (``c13``), number (13), indicator code or full criterion id."""
    text = str(raw).strip()
    for c in criteria:
        if text in (c.id, c.indicator, c.indicator.removeprefix("ris3_"), str(c.no)) or (
            text.isdigit() and int(text) == c.no
        ):
            return c.id
    return None


def parse_scores(
    rows: Iterable[Mapping[str, Any]],
    criteria: Sequence[Criterion],
    scale: Scale,
    *,
    file: str = "<input>",
    first_row: int = 2,
) -> dict[str, Score]:
    """Check score rows (``criterion, score, evidence``) and return ``{criterion id: Score}``.

    Every problem is collected and raised once as :class:`Ris3Errors`: unknown or duplicated criteria, scores
    that are not numbers or not on the scale, missing evidence, and criteria left unscored (seed-000.md M4.3,
    step 2: "a missing score is an error, not 0"). ``first_row`` is the file row of the first item (2 for a
    CSV with a header).
    """
    problems: list[Ris3Problem] = []
    out: dict[str, Score] = {}
    mentioned: set[str] = set()
    allowed = ", ".join(f"{v:g}" for v in scale.values)
    for i, row in enumerate(rows):
        n = first_row + i
        key = _criterion_key(row.get("criterion", ""), criteria)
        if key is None:
            problems.append(
                Ris3Problem(file, n, "criterion", "unknown_criterion", row.get("criterion"), "c01 ... c18")
            )
            continue
        if key in mentioned:
            problems.append(Ris3Problem(file, n, "criterion", "duplicate_criterion", row.get("criterion")))
            continue
        mentioned.add(key)
        raw = row.get("score")
        try:
            value = float(str(raw).replace(",", "."))
            if math.isnan(value):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Ris3Problem(file, n, "score", "not_a_number", raw, f"one of {allowed}"))
            continue
        if not scale.allows(value):
            problems.append(
                Ris3Problem(file, n, "score", "not_on_scale", raw, f"one of {allowed} ({scale.id} scale)")
            )
            continue
        evidence = row.get("evidence")
        if (
            evidence is None
            or (isinstance(evidence, float) and math.isnan(evidence))
            or not str(evidence).strip()
        ):
            problems.append(Ris3Problem(file, n, "evidence", "missing_evidence", None, "a quote and a page"))
            continue
        out[key] = Score(value, str(evidence).strip())
    for c in criteria:
        if c.id not in mentioned:
            problems.append(
                Ris3Problem(file, None, "criterion", "missing_criterion", c.id, f"a score for {c.id}")
            )
    if problems:
        raise Ris3Errors(problems)
    return out


def read_scores_file(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """Read a CSV or YAML file of criterion scores: ``(metadata, rows, first row number)``.

    CSV: columns ``criterion, score, evidence`` (one row per criterion); optional columns ``region``,
    ``assessor``, ``scale``, ``assessed_on``, ``document`` give the metadata (same value on every row).
    YAML: ``{region, assessor, scale, assessed_on, document, comment, scores: {c01: {score, evidence}, ...}}``
    or ``scores: [{criterion, score, evidence}, ...]``.
    """
    p = Path(path)
    meta_keys = ("region", "assessor", "scale", "assessed_on", "document", "comment")
    try:
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml

            doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            if not isinstance(doc, Mapping):
                raise Ris3Errors([Ris3Problem(str(p), None, "", "bad_file", None, "a YAML mapping")])
            scores = doc.get("scores") or []
            if isinstance(scores, Mapping):
                rows = [
                    {"criterion": k, **(v if isinstance(v, Mapping) else {"score": v})}
                    for k, v in scores.items()
                ]
            else:
                rows = [dict(r) for r in scores]
            meta = {k: doc[k] for k in meta_keys if doc.get(k) is not None}
            return meta, rows, 1
        with p.open(encoding="utf-8-sig", newline="") as fh:
            rows = [dict(r) for r in csv.DictReader(fh)]
    except OSError as exc:
        raise Ris3Errors([Ris3Problem(str(p), None, "", "bad_file", None, exc.strerror or "")]) from None
    meta = {}
    for k in meta_keys:
        values = {str(r.get(k)).strip() for r in rows if r.get(k) not in (None, "")}
        if len(values) == 1:
            meta[k] = values.pop()
    return meta, rows, 2


def summarise(items: Sequence[Assessment], criteria: Sequence[Criterion], scale: Scale) -> Summary:
    """The wheel's sums over one assessment per region (seed-000.md M4.2).

    Raises ``ValueError`` when two assessments are of the same region or of another scale: a sum over
    regions takes one score per region and criterion.
    """
    regions = [a.region for a in items]
    dup = sorted({r for r in regions if regions.count(r) > 1})
    if dup:
        raise ValueError(f"assessments: one per region, but {', '.join(dup)} appear more than once")
    other = sorted({a.scale for a in items if a.scale != scale.id})
    if other:
        raise ValueError(
            f"assessments: scale {scale.id!r} expected, got {', '.join(other)} (no conversion exists)"
        )
    ids = [c.id for c in criteria]
    scores = pd.DataFrame({a.region: [a.scores[c].value for c in ids] for a in items}, index=pd.Index(ids))
    step_of = pd.Series({c.id: c.step_id for c in criteria})
    steps = list(dict.fromkeys(c.step_id for c in criteria))
    region_steps = scores.groupby(step_of).sum().reindex(steps)
    sums = scores.sum(axis=1)
    n = len(items)
    max_points = len(criteria) * n * scale.max
    points = float(sums.sum())
    return Summary(
        scores=scores,
        criterion_sums={k: float(v) for k, v in sums.items()},
        step_totals={k: float(v) for k, v in region_steps.sum(axis=1).items()},
        region_steps=region_steps,
        region_totals={r: float(v) for r, v in scores.sum(axis=0).items()},
        region_pct={r: 100.0 * float(v) / (len(criteria) * scale.max) for r, v in scores.sum(axis=0).items()},
        compliance_pct=100.0 * points / max_points if max_points else float("nan"),
        points=points,
        max_points=float(max_points),
    )


def weakest(assessment: Assessment, criteria: Sequence[Criterion], scale: Scale, n: int = 3) -> list[Weak]:
    """The ``n`` criteria with the lowest share of the maximum, ties kept in criterion order; every criterion
    scored 0 is included even beyond ``n`` (a gap, seed-000.md M4.2 "weakness")."""
    rows = [
        Weak(
            c.id, assessment.value(c.id), assessment.value(c.id) / scale.max, assessment.scores[c.id].evidence
        )
        for c in criteria
    ]
    ranked = sorted(rows, key=lambda w: w.share)  # stable: ties stay in criterion order
    zeros = [w for w in ranked if w.share == 0]
    return zeros if len(zeros) >= n else ranked[:n]


# ---------------------------------------------------------------------------------------------------------
# storage
# ---------------------------------------------------------------------------------------------------------


def load_criteria(store: Store) -> list[Criterion]:
    """The 18 criteria with kk/ru/en names from the store's reference table."""
    return criteria_from_frame(store.reference(CRITERIA_TABLE))


def load_scale(store: Store, scale_id: str = "adapted") -> Scale:
    """``"adapted"``: {0, 0.5, 1} from the bundled reference table; ``"ec"``: 0-5 from the file shipped with
    the seed 000 specs."""
    if scale_id == "adapted":
        return scale_from_frame("adapted", store.reference(ADAPTED_SCALE_TABLE))
    if scale_id == "ec":
        return scale_from_frame("ec", pd.read_csv(EC_SCALE_FILE))
    raise Ris3Errors([Ris3Problem("<input>", None, "scale", "unknown_scale", scale_id, "adapted or ec")])


def _date(value: Any, file: str, problems: list[Ris3Problem]) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Ris3Problem(file, None, "assessed_on", "bad_date", value, "YYYY-MM-DD"))
        return dt.date.today()


def build(
    store: Store,
    rows: Iterable[Mapping[str, Any]],
    *,
    region: str | None,
    assessor: str | None,
    scale: str = "adapted",
    assessed_on: Any = None,
    document: str | None = None,
    comment: str | None = None,
    file: str = "<input>",
    first_row: int = 2,
) -> Assessment:
    """Check everything about a new assessment (region, assessor, date, every score) and return it; raise
    :class:`Ris3Errors` listing all problems."""
    problems: list[Ris3Problem] = []
    if not region:
        problems.append(Ris3Problem(file, None, "region", "missing_value", None, "a region code"))
    else:
        known = store.territories()
        if region not in known.index:
            problems.append(Ris3Problem(file, None, "region", "unknown_region", region, "a territory code"))
    if not assessor:
        problems.append(Ris3Problem(file, None, "assessor", "missing_value", None, "the assessor's name"))
    when = _date(assessed_on or dt.date.today(), file, problems)
    scores: dict[str, Score] = {}
    if scale not in ("adapted", "ec"):
        problems.append(Ris3Problem(file, None, "scale", "unknown_scale", scale, "adapted or ec"))
    else:
        try:
            scores = parse_scores(
                rows, load_criteria(store), load_scale(store, scale), file=file, first_row=first_row
            )
        except Ris3Errors as exc:
            problems += exc.problems
    if problems:
        raise Ris3Errors(problems)
    assert region and assessor
    return Assessment(region, assessor, scale, when, scores, document, comment)


def record(store: Store, assessment: Assessment, *, actor: str | None = None) -> int:
    """Write one assessment (a new history entry) in one transaction and return its id.

    With ``actor`` (a user name), an entry of the audit log (``aimaq.auth.record``) is written in the same
    transaction, so the assessment and its audit entry are stored together or not at all.
    """
    from aimaq.steering.ris3_models import Ris3Assessment, Ris3Score
    from aimaq.store import db

    def write(session: Any) -> int:
        row = Ris3Assessment(
            region=assessment.region,
            assessor=assessment.assessor,
            scale=assessment.scale,
            assessed_on=assessment.assessed_on,
            document=assessment.document,
            comment=assessment.comment,
            created_at=dt.datetime.now(dt.UTC),
            scores=[
                Ris3Score(criterion=k, score=s.value, evidence=s.evidence)
                for k, s in assessment.scores.items()
            ],
        )
        session.add(row)
        session.flush()
        if actor is not None:
            from aimaq.auth.service import record as audit

            audit(
                session, actor=actor, action="create", entity="ris3_assessment", key=str(row.id),
                territory=assessment.region,
                new={"assessor": assessment.assessor, "scale": assessment.scale,
                     "assessed_on": assessment.assessed_on, "total": assessment.total(),
                     "scores": {k: [v.value, v.evidence] for k, v in assessment.scores.items()}},
            )  # fmt: skip
        return int(row.id)

    return db.write(store.engine, write)


def assessments(store: Store, region: str | None = None, assessor: str | None = None) -> list[Assessment]:
    """Recorded assessments, oldest first (by date, then by the order they were recorded)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from aimaq.steering.ris3_models import Ris3Assessment
    from aimaq.store import db

    stmt = select(Ris3Assessment).options(selectinload(Ris3Assessment.scores))
    if region is not None:
        stmt = stmt.where(Ris3Assessment.region == region)
    if assessor is not None:
        stmt = stmt.where(Ris3Assessment.assessor == assessor)
    stmt = stmt.order_by(Ris3Assessment.assessed_on, Ris3Assessment.id)
    with db.read(store.engine) as session:
        rows = session.scalars(stmt).all()
        return [
            Assessment(
                r.region,
                r.assessor,
                r.scale,
                r.assessed_on,
                {s.criterion: Score(float(s.score), s.evidence) for s in r.scores},
                r.document,
                r.comment,
                int(r.id),
            )
            for r in rows
        ]


def history(store: Store, region: str, criteria: Sequence[Criterion] | None = None) -> pd.DataFrame:
    """One row per recorded assessment of a region: date, assessor, scale, total and share of the maximum."""
    rows = []
    for a in assessments(store, region):
        s_max = 1.0 if a.scale == "adapted" else 5.0
        k = len(criteria) if criteria else len(a.scores)
        rows.append(
            {
                "id": a.id,
                "assessed_on": a.assessed_on,
                "assessor": a.assessor,
                "scale": a.scale,
                "total": a.total(),
                "share_pct": 100.0 * a.total() / (k * s_max),
            }
        )
    return pd.DataFrame(rows, columns=["id", "assessed_on", "assessor", "scale", "total", "share_pct"])


def latest(store: Store, region: str) -> list[Assessment]:
    """The latest assessment of each assessor of a region (the current view with several assessors)."""
    out: dict[str, Assessment] = {}
    for a in assessments(store, region):
        out[a.assessor] = a  # oldest first, so the last one wins
    return list(out.values())


def published(store: Store, regions: Sequence[str] | None = None) -> list[Assessment]:
    """The seed's Table 3 (l.439-469) as one assessment per region, each score citing its line."""
    criteria = load_criteria(store)
    by_indicator = {c.indicator: c.id for c in criteria}
    obs = store.observations(indicators=list(by_indicator), seed="seed000", with_notes=False)
    obs = obs[obs["table"] == "T3"]
    out = []
    for region, part in obs.groupby("territory", sort=False):
        if regions is not None and region not in regions:
            continue
        scores = {
            by_indicator[r.indicator]: Score(float(r.value), f"seed 000, Table 3, l.{r.lines}")
            for r in part.itertuples(index=False)
        }
        period = str(part["period"].iloc[0])
        out.append(
            Assessment(
                str(region),
                SEED_ASSESSOR,
                "adapted",
                dt.date(int(period[-4:]), 12, 31),
                scores,
                document=f"regional innovation strategy (programme), {period} (l.93, 416-418)",
            )
        )
    order = {r: i for i, r in enumerate(regions or [])}
    return sorted(out, key=lambda a: order.get(a.region, len(order)))


def checklist(store: Store, lang: str = "en") -> pd.DataFrame:
    """Table 1 (l.268-318), the innovation-policy checklist of 2021: indicator x region, yes/no."""
    obs = store.observations(seed="seed000", with_notes=False)
    obs = obs[obs["table"] == "T1"]
    # rows in the printed order of Table 1 (by their first line)
    obs = obs.assign(_line=obs["lines"].astype(str).str.extract(r"(\d+)", expand=False).astype(int))
    obs = obs.sort_values(["_line"], kind="stable")
    names = store.indicators()
    col = f"name_{lang}" if f"name_{lang}" in names.columns else "name_en"
    table = obs.pivot_table(index="indicator", columns="territory", values="value_text", aggfunc="first")
    order = list(dict.fromkeys(obs["indicator"]))
    regions = list(dict.fromkeys(obs["territory"]))
    table = table.reindex(index=order, columns=regions)
    table.insert(0, "name", [names.at[i, col] if i in names.index else i for i in table.index])
    return table


#: Note kinds of ``notes/seed000.csv`` that the reproduction report cites as known defects.
_NOTE_KINDS = ("labelling", "extraction_defect", "contradiction")


def reproduce_published(store: Store) -> ReproductionReport:
    """Recompute Table 2 (criterion sums, step totals, l.328-376) and the 52 % (l.382-383) from the bundled
    Table 3 (l.439-469) and compare each with the printed value; the seed's labelling defects and
    contradictions (``notes/seed000.csv``) are attached to the cells they concern."""
    from aimaq.engine.reproduce import Cell, ReproductionReport, default_tolerance

    criteria = load_criteria(store)
    scale = load_scale(store, "adapted")
    items = published(store)
    s = summarise(items, criteria, scale)
    obs = store.observations(seed="seed000", with_notes=False)
    t2 = obs[obs["table"].isin(["T2", "text"]) & obs["value"].notna()].set_index("indicator")
    notes = store.notes()
    notes = notes[(notes["seed"] == "seed000") & notes["kind"].isin(_NOTE_KINDS)]
    by_ind: dict[str, list[str]] = {}
    for n in notes.itertuples(index=False):
        if isinstance(n.indicator, str) and n.indicator:
            by_ind.setdefault(n.indicator, []).append(f"{n.id}: {n.text_en}")
    cells = []

    def cell(column: str, indicator: str, computed: float, note_keys: Sequence[str]) -> None:
        row = t2.loc[indicator]
        expected = float(row["value"])
        tol = default_tolerance(expected)
        delta = computed - expected
        reason = " | ".join(t for k in note_keys for t in by_ind.get(k, []))
        status = "reproduced" if abs(delta) <= tol + 1e-12 else ("explained" if reason else "not_reproduced")
        cells.append(
            Cell(
                "kz (4 regions)",
                column,
                int(str(row["period"])[-4:]),
                expected,
                computed,
                delta,
                tol,
                status,
                reason,
                f"seed 000, table {row['table']}, l.{row['lines']}",
            )
        )

    for c in criteria:
        cell(
            f"S_{c.id}",
            f"ris3_sum_{c.indicator.removeprefix('ris3_')}",
            s.criterion_sums[c.id],
            [c.indicator],
        )
    for k, step in enumerate(dict.fromkeys(c.step_id for c in criteria), start=1):
        cell(f"T_{step}", f"ris3_step{k}_total", s.step_totals[step], [f"ris3_step{k}_total"])
    cell("P_pct", "ris3_compliance_pct", s.compliance_pct, ["ris3_compliance_pct"])
    return ReproductionReport("seed000_ris3_wheel (Table 2, 52 %)", tuple(cells))
