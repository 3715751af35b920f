"""Seed 002's typology of a raw-material region: sectors (Table 1), sector structure, strategy positioning
(Figure 1) and the S3 checklist, as pure functions over reference tables.

Seed ``002_268c48c80ed1ad3d.txt`` defines four sectors of a raw-material region's economy by four criteria
(products, prices, technological mode, factors of production; Table 1, l.614-723) and three innovation
strategies placed in a "strategic positioning space" (Figure 1, l.780-829, whose graphic is lost). It gives
criteria, not procedures: the decision tree, the similarity score, the activity-code mapping, the positioning
rule and the checklist scoring below are aimaq's readings (``spec/seed-002.md``, M4-M6 and M9, marked
[proposal] there), every threshold a parameter.

The functions take the tables as DataFrames and do no I/O (the store and the CLI read them):

- ``reference/seed002_table1_sector_profiles_coded.csv``: :func:`sector_profiles`;
- ``reference/seed002_fig1_strategy_positioning.csv``: :func:`position_strategy`;
- ``methodologies/templates/oked_sector_mapping.csv``: :func:`sector_structure`;
- ``methodologies/templates/seed002_strategy_guidance.csv``: :func:`strategy_guidance`;
- ``methodologies/templates/seed002_s3_checklist.csv``: :func:`score_s3_checklist`.

Examples
--------
>>> profiles = sector_profiles(pd.DataFrame([
...     {"sector_id": "raw", "product_kind": "raw_materials_resources",
...      "demand_orientation": "external_first", "price_setting_markets": "world;national",
...      "tech_mode_min": 3, "tech_mode_max": 4,
...      "production_factors": "natural_resources;raw_materials;labour"},
...     {"sector_id": "infrastructure", "product_kind": "goods_and_services", "demand_orientation": "local",
...      "price_setting_markets": "local", "tech_mode_min": 3, "tech_mode_max": 4,
...      "production_factors": "labour;investment"}]))
>>> classify_sector({"tech_mode": 3, "demand_orientation": "local",
...                  "production_factors": ["labour", "investment"]}, profiles).sector
'infrastructure'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CRITERIA",
    "SECTORS",
    "CriterionMatch",
    "SectorClassification",
    "SectorProfile",
    "StrategyPosition",
    "classify_sector",
    "position_regions",
    "position_strategy",
    "s3_with_ris3_wheel",
    "score_s3_checklist",
    "sector_profiles",
    "sector_structure",
    "strategy_guidance",
    "table1",
]

#: Table 1's sectors in printed order (l.628-636); the first two are the traditional ones, the last two new.
SECTORS: tuple[str, ...] = ("raw", "infrastructure", "high_tech", "knowledge_economy")
TRADITIONAL: frozenset[str] = frozenset({"raw", "infrastructure"})
NEW: frozenset[str] = frozenset({"high_tech", "knowledge_economy"})
#: Table 1's criteria (l.614-622): products, prices, technological mode, factors of production.
CRITERIA: tuple[str, ...] = ("products", "prices", "technological_mode", "production_factors")
_NOT_STATED = {"", "not_stated", "nan", "none"}


def _items(value: Any) -> frozenset[str]:
    """A set from a ``a;b`` cell or an iterable; empty for a missing value."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return frozenset()
    if isinstance(value, str):
        return frozenset(v.strip() for v in value.split(";") if v.strip() and v.strip() not in _NOT_STATED)
    return frozenset(str(v) for v in value)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = str(value).strip()
    return None if s in _NOT_STATED else s


@dataclass(frozen=True)
class SectorProfile:
    """One sector of Table 1, coded (``reference/seed002_table1_sector_profiles_coded.csv``)."""

    sector: str
    product_kind: str | None
    demand_orientation: str | None
    price_setting_markets: frozenset[str]
    tech_mode_min: int
    tech_mode_max: int
    production_factors: frozenset[str]


def sector_profiles(table: pd.DataFrame) -> dict[str, SectorProfile]:
    """Parse the coded Table 1 profiles, checking every row at once.

    Parameters
    ----------
    table : DataFrame
        Columns ``sector_id, product_kind, demand_orientation, price_setting_markets, tech_mode_min,
        tech_mode_max, production_factors`` (lists separated by ``;``; ``not_stated`` for an empty cell).

    Raises
    ------
    ValueError
        Listing every row with a missing column, a non-integer technological mode or an empty range.
    """
    needed = ("sector_id", "product_kind", "demand_orientation", "price_setting_markets", "tech_mode_min")
    missing = [c for c in (*needed, "tech_mode_max", "production_factors") if c not in table.columns]
    if missing:
        raise ValueError(f"sector profiles: missing column(s) {', '.join(missing)}")
    out: dict[str, SectorProfile] = {}
    problems = []
    for i, row in enumerate(table.to_dict("records"), start=2):  # row 1 is the header
        try:
            lo, hi = int(row["tech_mode_min"]), int(row["tech_mode_max"])
        except (TypeError, ValueError):
            problems.append(f"row {i}, column tech_mode_min/tech_mode_max: not an integer mode")
            continue
        if lo > hi:
            problems.append(f"row {i}, column tech_mode_min: {lo} > tech_mode_max {hi}")
            continue
        sid = str(row["sector_id"])
        out[sid] = SectorProfile(
            sid,
            _text(row["product_kind"]),
            _text(row["demand_orientation"]),
            _items(row["price_setting_markets"]),
            lo,
            hi,
            _items(row["production_factors"]),
        )
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in the sector profiles:\n" + "\n".join(problems))
    return out


def table1(characteristics: pd.DataFrame, lang: str = "en", *, fallback: str = "ru") -> pd.DataFrame:
    """Table 1 of seed 002 (criteria x sectors) in one language, in printed order.

    Parameters
    ----------
    characteristics : DataFrame
        ``reference/seed002_table1_sector_characteristics.csv``: ``criterion_id, sector_id, cell_<lang>,
        criterion_<lang>, sector_<lang>``.
    lang : {"kk", "ru", "en"}
    fallback : str, default "ru"
        Language of the cells when ``cell_<lang>`` is missing (the seed's own Russian text); the frame's
        ``attrs["cells_lang"]`` says which language the cells are in.

    Raises
    ------
    ValueError
        For a language without its header columns or cells, naming the missing columns.

    Examples
    --------
    >>> t = pd.DataFrame({"criterion_id": ["prices"], "sector_id": ["raw"], "criterion_en": ["Prices"],
    ...                   "sector_en": ["Raw-material"], "cell_en": ["World markets"]})
    >>> table1(t).to_dict()
    {'Raw-material': {'Prices': 'World markets'}}
    """
    t = characteristics
    cells = f"cell_{lang}" if f"cell_{lang}" in t.columns else f"cell_{fallback}"
    missing = [c for c in (cells, f"criterion_{lang}", f"sector_{lang}") if c not in t.columns]
    if missing:
        raise ValueError(
            f"lang: {lang!r} has no column(s) {', '.join(missing)} in the Table 1 characteristics"
        )
    crit = list(dict.fromkeys(t["criterion_id"]))
    sect = [s for s in SECTORS if s in set(t["sector_id"])]
    wide = t.pivot(index="criterion_id", columns="sector_id", values=cells).reindex(index=crit, columns=sect)
    wide.index = [t.loc[t["criterion_id"] == c, f"criterion_{lang}"].iloc[0] for c in crit]
    wide.columns = [t.loc[t["sector_id"] == k, f"sector_{lang}"].iloc[0] for k in sect]
    wide.attrs["cells_lang"] = cells.removeprefix("cell_")
    return wide


# ---------------------------------------------------------------------------------------------------------
# M4: the sector of an activity, enterprise, product group or project
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionMatch:
    """How well one criterion of Table 1 fits one sector: ``score`` in [0, 1], None if not assessable."""

    criterion: str
    sector: str
    score: float | None
    detail: str


@dataclass(frozen=True)
class SectorClassification:
    """The sector of a unit with both readings and the per-criterion explanation.

    ``sector`` is the profile-similarity winner (ties broken by ``tree_sector``); ``tree_path`` lists the
    decision-tree tests in the order they were taken.
    """

    sector: str
    tree_sector: str | None
    tree_path: tuple[str, ...]
    scores: dict[str, float]
    criteria: tuple[CriterionMatch, ...] = field(default_factory=tuple)

    def explain(self) -> pd.DataFrame:
        """criterion x sector table of the match scores (NaN: the unit gives no value for it)."""
        rows = [(c.criterion, c.sector, np.nan if c.score is None else c.score) for c in self.criteria]
        df = pd.DataFrame(rows, columns=["criterion", "sector", "score"])
        return df.pivot(index="criterion", columns="sector", values="score").reindex(
            index=list(CRITERIA), columns=[s for s in SECTORS if s in self.scores]
        )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _tree(attrs: Mapping[str, Any]) -> tuple[str | None, tuple[str, ...]]:
    """Tree A of the seed-002 reading (M4): the technological mode splits traditional from new sectors
    (Table 1, l.689-695); demand orientation or a natural-resource factor separates raw from infrastructure
    (l.637-649, l.701-708); intangible knowledge in the 6th mode is the knowledge economy (l.661-668)."""
    mode = attrs.get("tech_mode")
    if mode is None:
        return None, ("tech_mode not given: the tree cannot start",)
    mode = int(mode)
    factors = _items(attrs.get("production_factors"))
    if mode <= 4:
        path = [f"tech_mode {mode} <= 4: traditional (3rd-4th mode, l.689-693)"]
        demand = _text(attrs.get("demand_orientation"))
        if demand == "external_first" or "natural_resources" in factors:
            why = "demand external_first" if demand == "external_first" else "natural_resources among factors"
            return "raw", (*path, f"{why}: raw (l.637-642, l.701-704)")
        return "infrastructure", (
            *path,
            "local demand, no natural-resource factor: infrastructure (l.644-649)",
        )
    path = [f"tech_mode {mode} >= 5: new (5th-6th mode, l.695)"]
    if _text(attrs.get("product_kind")) == "intangible_knowledge" and mode == 6:
        return "knowledge_economy", (
            *path,
            "intangible knowledge in the 6th mode: knowledge economy (l.661-668)",
        )
    return "high_tech", (*path, "tangible new products or 5th mode: high-tech (l.651-659)")


def classify_sector(
    attributes: Mapping[str, Any],
    profiles: Mapping[str, SectorProfile],
    *,
    weights: Mapping[str, float] | None = None,
) -> SectorClassification:
    """Assign a unit to a sector of Table 1 and explain each criterion.

    The profile-similarity score of sector ``k`` is ``sum_c w_c m_c(a, k) / sum_c w_c`` over the criteria
    the unit gives (missing ones are dropped and the weights renormalised):

    - products (C1): mean of ``product_kind`` and ``demand_orientation`` equalities;
    - prices (C2): Jaccard index of the price-setting markets;
    - technological mode (C3): 1 inside ``[tm_min, tm_max]``, else ``max(0, 1 - distance / 3)``;
    - factors of production (C4): Jaccard index of the factor sets.

    Parameters
    ----------
    attributes : mapping
        Any of ``product_kind``, ``demand_orientation``, ``price_setting_markets`` (set or ``a;b``),
        ``tech_mode`` (int 3-6), ``production_factors`` (set or ``a;b``).
    profiles : mapping sector -> SectorProfile
        From :func:`sector_profiles`.
    weights : mapping criterion -> float, optional
        Default 0.25 each.

    Returns
    -------
    SectorClassification
        Ties of the score go to the decision tree's sector (``tree_sector``).

    Raises
    ------
    ValueError
        For an unknown attribute or criterion name, a technological mode outside 1-7, or no attribute.

    References
    ----------
    .. [1] Seed 002, Table 1 (l.628-723) and its criteria (l.614-627, 724-728); Vasilyeva & Filimonenko [35].
    .. [2] ``spec/seed-002.md``, M4: tree A and score B [proposal]; the four profiles classify to themselves.

    Examples
    --------
    >>> p = {"high_tech": SectorProfile("high_tech", "new_materials_products_services_technologies",
    ...        "domestic_and_external", frozenset({"world"}), 5, 6,
    ...        frozenset({"intellectual", "investment", "innovation"})),
    ...      "knowledge_economy": SectorProfile("knowledge_economy", "intangible_knowledge", None,
    ...        frozenset({"ip_national", "ip_local"}), 6, 6,
    ...        frozenset({"intellectual", "investment", "innovation"}))}
    >>> r = classify_sector({"tech_mode": 6, "product_kind": "intangible_knowledge"}, p)
    >>> r.sector, r.tree_sector, r.scores["knowledge_economy"]
    ('knowledge_economy', 'knowledge_economy', 1.0)
    """
    known = {"product_kind", "demand_orientation", "price_setting_markets", "tech_mode", "production_factors"}
    unknown = sorted(set(attributes) - known)
    if unknown:
        raise ValueError(
            f"attributes: unknown name(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    w = {c: 0.25 for c in CRITERIA} | dict(weights or {})
    bad = sorted(set(w) - set(CRITERIA))
    if bad:
        raise ValueError(f"weights: unknown criterion {', '.join(bad)}; criteria: {', '.join(CRITERIA)}")
    mode = attributes.get("tech_mode")
    if mode is not None and not 1 <= int(mode) <= 7:
        raise ValueError(f"tech_mode: {mode!r} is not a technological mode (1-7; Table 1 uses 3-6)")
    product, demand = _text(attributes.get("product_kind")), _text(attributes.get("demand_orientation"))
    prices, factors = (
        _items(attributes.get("price_setting_markets")),
        _items(attributes.get("production_factors")),
    )
    if not any([product, demand, prices, factors, mode is not None]):
        raise ValueError("attributes: give at least one of " + ", ".join(sorted(known)))
    matches: list[CriterionMatch] = []
    scores: dict[str, float] = {}
    for k, prof in profiles.items():
        parts: dict[str, tuple[float | None, str]] = {}
        c1 = []
        if product is not None:
            c1.append(float(product == prof.product_kind))
        if demand is not None and prof.demand_orientation is not None:
            c1.append(float(demand == prof.demand_orientation))
        parts["products"] = (
            (float(np.mean(c1)), f"product {product}, demand {demand} vs {prof.product_kind}, "
             f"{prof.demand_orientation}") if c1 else (None, "no product or demand given")
        )  # fmt: skip
        parts["prices"] = (
            (
                _jaccard(prices, prof.price_setting_markets),
                f"{sorted(prices)} vs {sorted(prof.price_setting_markets)}",
            )
            if prices
            else (None, "no price-setting markets given")
        )
        if mode is None:
            parts["technological_mode"] = (None, "no technological mode given")
        else:
            m = int(mode)
            dist = max(prof.tech_mode_min - m, m - prof.tech_mode_max, 0)
            parts["technological_mode"] = (
                max(0.0, 1.0 - dist / 3.0),
                f"mode {m} vs {prof.tech_mode_min}-{prof.tech_mode_max}",
            )
        parts["production_factors"] = (
            (
                _jaccard(factors, prof.production_factors),
                f"{sorted(factors)} vs {sorted(prof.production_factors)}",
            )
            if factors
            else (None, "no factors of production given")
        )
        num = den = 0.0
        for c in CRITERIA:
            s, detail = parts[c]
            matches.append(CriterionMatch(c, k, s, detail))
            if s is not None and w[c] > 0:
                num += w[c] * s
                den += w[c]
        scores[k] = num / den if den else 0.0
    tree_sector, path = _tree(attributes)
    best = max(scores.values())
    tied = [k for k, s in scores.items() if np.isclose(s, best)]
    sector = tree_sector if tree_sector in tied else tied[0]
    return SectorClassification(sector, tree_sector, path, scores, tuple(matches))


# ---------------------------------------------------------------------------------------------------------
# M5: a region's sector structure from GVA by activity
# ---------------------------------------------------------------------------------------------------------


def sector_structure(
    observations: pd.DataFrame, mapping: pd.DataFrame, *, prefix: str = "gva_"
) -> pd.DataFrame:
    """Shares (%) of Table 1's sectors in a region's gross value added, per territory and year.

    ``share_k = 100 * sum_{j in k} GVA_j / sum_j GVA_j``; ``new_share = high_tech + knowledge_economy``;
    ``hhi`` is the Herfindahl-Hirschman index ``sum_k (share_k / 100)^2`` of the four sectors (a
    diversification effect to monitor, seed 002 l.846). A division row (``gva_c20``) is taken out of its
    section (``gva_c``) so nothing is counted twice.

    Parameters
    ----------
    observations : DataFrame
        Long: ``territory``, ``indicator`` (``gva_<code>``: ``gva_b``, ``gva_c20``), ``year`` (or
        ``year_to``) and ``value`` (mln KZT). Other indicators (``grp``) are ignored.
    mapping : DataFrame
        ``code, sector`` (``methodologies/templates/oked_sector_mapping.csv``, editable).
    prefix : str, default "gva_"

    Raises
    ------
    ValueError
        Listing every GVA code the mapping does not cover, every unknown sector, and every section whose
        divisions add up to more than the section.

    References
    ----------
    .. [1] ``spec/seed-002.md``, M5 [proposal]: default mapping B -> raw, C20-21 and C26-30 -> high-tech,
           J and M72 -> knowledge economy, the rest -> infrastructure.

    Examples
    --------
    >>> obs = pd.DataFrame({"territory": "x", "year": 2019,
    ...                     "indicator": ["gva_b", "gva_c", "gva_c26", "gva_j"],
    ...                     "value": [40.0, 30.0, 10.0, 20.0]})
    >>> m = pd.DataFrame({"code": ["b", "c", "c26", "j"],
    ...                   "sector": ["raw", "infrastructure", "high_tech", "knowledge_economy"]})
    >>> sector_structure(obs, m).round(2).to_dict("records")[0]["raw"]
    44.44
    """
    year_col = "year" if "year" in observations.columns else "year_to"
    for col in ("territory", "indicator", "value", year_col):
        if col not in observations.columns:
            raise ValueError(f"observations: missing column {col!r}")
    for col in ("code", "sector"):
        if col not in mapping.columns:
            raise ValueError(f"mapping: missing column {col!r}")
    sector_of = {
        str(c).strip().lower(): str(s).strip()
        for c, s in zip(mapping["code"], mapping["sector"], strict=True)
    }
    problems = [f"mapping, code {c!r}: unknown sector {s!r}; sectors: {', '.join(SECTORS)}"
                for c, s in sector_of.items() if s not in SECTORS]  # fmt: skip
    gva = observations[observations["indicator"].astype(str).str.startswith(prefix)].copy()
    gva["code"] = gva["indicator"].astype(str).str[len(prefix) :].str.lower()
    uncovered = sorted(set(gva["code"]) - set(sector_of))
    problems += [f"observations, indicator {prefix}{c}: code {c!r} is not in the mapping" for c in uncovered]
    gva = gva[gva["code"].isin(sector_of)]
    is_division = gva["code"].str.len() > 1
    gva["section"] = gva["code"].str[0]
    keys = ["territory", year_col]
    divisions = gva[is_division].groupby([*keys, "section"])["value"].sum()
    sections = gva[~is_division].set_index([*keys, "code"])["value"]
    sections.index = sections.index.set_names([*keys, "section"])
    common = sections.index.intersection(divisions.index)
    rest = sections.loc[common] - divisions.loc[common]
    for idx in rest[rest < -1e-9].index:
        problems.append(
            f"observations, {idx[0]} {idx[1]}: divisions of section {idx[2]!r} exceed the section"
        )
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in the sector structure input:\n" + "\n".join(problems))
    sections.loc[common] = rest
    parts = pd.concat(
        [
            sections.rename_axis([*keys, "code"]).reset_index(),
            gva[is_division][[*keys, "code", "value"]],
        ]
    )
    parts["sector"] = parts["code"].map(sector_of)
    table = parts.pivot_table(index=keys, columns="sector", values="value", aggfunc="sum").reindex(
        columns=list(SECTORS), fill_value=0.0
    )
    table = table.fillna(0.0)
    shares = 100.0 * table.div(table.sum(axis=1), axis=0)
    shares["new_share"] = shares["high_tech"] + shares["knowledge_economy"]
    shares["hhi"] = ((shares[list(SECTORS)] / 100.0) ** 2).sum(axis=1)
    shares.columns.name = None
    return shares.rename_axis(index=["territory", "year"])


# ---------------------------------------------------------------------------------------------------------
# M6: strategy positioning (Figure 1)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategyPosition:
    """The strategy of a region (or region x sector) with the rule's reasons."""

    strategy: str
    flags: tuple[str, ...]
    reasons: tuple[str, ...]
    definition: dict[str, Any]


def position_strategy(
    potential: float,
    production: float,
    target: str,
    strategies: pd.DataFrame,
    *,
    tau_potential: float = 0.5,
    tau_production: float = 0.5,
) -> StrategyPosition:
    """The innovation strategy of Figure 1 from own potential, own high-processing production and the target.

    Rule (``spec/seed-002.md`` M6, [proposal] on the seed's definitions): both capacities low -> niche
    leadership (l.814-820: borrowing "because of" low high-processing production AND low S&T potential);
    one of them low -> niche leadership flagged ``mixed_capacity`` for expert review; both sufficient ->
    own R&D: international technological competitiveness when the target sectors are new (high-tech,
    knowledge economy, l.807-812), local technological competitiveness when they are traditional (raw,
    infrastructure, l.799-805).

    Parameters
    ----------
    potential : float in [0, 1]
        Own scientific-technical potential (e.g. seed 001's index rescaled to [0, 1]).
    production : float in [0, 1]
        Development of own high-processing production (e.g. the new-sector share of
        :func:`sector_structure` rescaled).
    target : {"traditional", "new"} or a sector of Table 1
    strategies : DataFrame
        ``reference/seed002_fig1_strategy_positioning.csv`` (its row of the chosen strategy is returned).
    tau_potential, tau_production : float, default 0.5
        Cut-offs; :func:`position_regions` uses the medians of the compared regions.

    Raises
    ------
    ValueError
        For a value outside [0, 1], an unknown target or a strategy table without the three strategies.

    Examples
    --------
    >>> s = pd.DataFrame({"strategy_id": ["local_tech_competitiveness", "international_tech_competitiveness",
    ...                                   "niche_leadership"]})
    >>> position_strategy(0.8, 0.7, "new", s).strategy
    'international_tech_competitiveness'
    >>> p = position_strategy(0.2, 0.9, "new", s)
    >>> p.strategy, p.flags
    ('niche_leadership', ('mixed_capacity',))
    """
    problems = [
        f"{name}: {v!r} is not in [0, 1]"
        for name, v in (("potential", potential), ("production", production))
        if not (isinstance(v, (int, float)) and 0.0 <= float(v) <= 1.0)
    ]
    groups = {"traditional": "traditional", "new": "new", **dict.fromkeys(TRADITIONAL, "traditional"),
              **dict.fromkeys(NEW, "new")}  # fmt: skip
    if target not in groups:
        problems.append(f"target: {target!r} is neither traditional/new nor a sector ({', '.join(SECTORS)})")
    ids = set(strategies.get("strategy_id", pd.Series(dtype=str)))
    need = {"local_tech_competitiveness", "international_tech_competitiveness", "niche_leadership"}
    if not need <= ids:
        problems.append(f"strategies: missing strategy_id row(s) {', '.join(sorted(need - ids))}")
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in the positioning input:\n" + "\n".join(problems))
    group = groups[target]
    low_p, low_h = float(potential) < tau_potential, float(production) < tau_production
    reasons = [
        f"own potential {float(potential):.2f} {'<' if low_p else '>='} {tau_potential:.2f}",
        f"own high-processing production {float(production):.2f} "
        f"{'<' if low_h else '>='} {tau_production:.2f}",
    ]
    flags: tuple[str, ...] = ()
    if low_p and low_h:
        strategy = "niche_leadership"
        reasons.append("both low: borrowing and adaptation of innovations (l.814-820)")
    elif low_p or low_h:
        strategy, flags = "niche_leadership", ("mixed_capacity",)
        reasons.append("one capacity low: borrowing until it is built up; expert review advised (l.822-829)")
    elif group == "new":
        strategy = "international_tech_competitiveness"
        reasons.append("own R&D aimed at new sectors: global leadership (l.807-812)")
    else:
        strategy = "local_tech_competitiveness"
        reasons.append("own R&D in traditional sectors: local leadership (l.799-805)")
    row = strategies[strategies["strategy_id"] == strategy].iloc[0].to_dict()
    return StrategyPosition(strategy, flags, tuple(reasons), row)


def position_regions(
    frame: pd.DataFrame,
    strategies: pd.DataFrame,
    *,
    potential: str = "potential",
    production: str = "production",
    target: str = "target",
    cutoff: str = "median",
) -> pd.DataFrame:
    """:func:`position_strategy` for every row (region) of ``frame``, cut-offs from the compared regions.

    ``potential`` and ``production`` columns are rescaled by min-max over the rows to [0, 1] (the axes of
    the positioning chart); ``cutoff="median"`` puts each cut-off at the median of the rescaled column, a
    float uses that value.

    Returns
    -------
    DataFrame
        One row per region: ``potential_01, production_01, strategy, flags, reasons``.
    """
    out = frame.copy()
    for col in (potential, production):
        v = out[col].astype(float)
        span = v.max() - v.min()
        out[f"{col}_01"] = (v - v.min()) / span if span > 0 else 0.5
    tp = out[f"{potential}_01"].median() if cutoff == "median" else float(cutoff)
    th = out[f"{production}_01"].median() if cutoff == "median" else float(cutoff)
    res = [
        position_strategy(p, h, t, strategies, tau_potential=tp, tau_production=th)
        for p, h, t in zip(out[f"{potential}_01"], out[f"{production}_01"], out[target], strict=True)
    ]  # one call per region: a handful of rows, each explained
    out["strategy"] = [r.strategy for r in res]
    out["flags"] = [";".join(r.flags) for r in res]
    out["reasons"] = ["; ".join(r.reasons) for r in res]
    return out


def strategy_guidance(
    strategy: str, guidance: pd.DataFrame, *, targets: Iterable[str] | None = None
) -> pd.DataFrame:
    """The seed's expected effects and the measures for a strategy.

    Effects are printed per transition target (l.831-871): high-tech, knowledge economy, and both new
    sectors (``applies_to = new``). A strategy gets the effects of its target sectors (``targets``, default
    the Figure 1 targets: none for local technological competitiveness, the new sectors for the other two)
    and its own measures (rows ``applies_to = <strategy>``, marked ``status = proposal`` where the seed
    gives a principle, not a measure).

    Examples
    --------
    >>> g = pd.DataFrame({"applies_to": ["high_tech", "new", "niche_leadership"],
    ...                   "kind": ["effect", "effect", "measure"], "item_id": ["e1", "e2", "m1"]})
    >>> list(strategy_guidance("niche_leadership", g)["item_id"])
    ['e1', 'e2', 'm1']
    """
    default = {
        "local_tech_competitiveness": (),
        "international_tech_competitiveness": ("high_tech", "knowledge_economy"),
        "niche_leadership": ("high_tech", "knowledge_economy"),
    }
    if strategy not in default:
        raise ValueError(f"strategy: {strategy!r} unknown; strategies: {', '.join(default)}")
    chosen = set(default[strategy] if targets is None else targets)
    unknown = sorted(chosen - set(SECTORS))
    if unknown:
        raise ValueError(f"targets: unknown sector(s) {', '.join(unknown)}")
    applies = chosen | ({"new"} if chosen & NEW else set()) | {strategy}
    return guidance[guidance["applies_to"].isin(applies)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# M9: the S3 checklist of a strategy
# ---------------------------------------------------------------------------------------------------------

_SCALE = (0.0, 0.5, 1.0)


def score_s3_checklist(scores: pd.DataFrame | Mapping[str, float], checklist: pd.DataFrame) -> pd.DataFrame:
    """Per-block and overall percentages of the S3 checklist, for one or several strategies.

    Each item (principles P1-P5 l.395-447, characteristics K1-K8 l.234-284, conditions S1-S4 l.160-191,
    tasks T1-T3 l.212-224) is scored 0 (absent), 0.5 (implicit) or 1 (explicit), the scale of seed 000's
    RIS3 wheel [proposal]; a block's percentage is ``100 * sum / number of items``.

    Parameters
    ----------
    scores : mapping item_id -> score, or DataFrame (rows: strategies, columns: item ids)
    checklist : DataFrame
        ``item_id, block`` (``methodologies/templates/seed002_s3_checklist.csv``).

    Returns
    -------
    DataFrame
        Rows: strategies (``strategy`` for a mapping); columns: the blocks and ``overall``, in percent.

    Raises
    ------
    ValueError
        Listing every unknown item, every checklist item without a score and every score off the scale.

    Examples
    --------
    >>> cl = pd.DataFrame({"item_id": ["p1", "p2", "t1"], "block": ["principle", "principle", "task"]})
    >>> score_s3_checklist({"p1": 1, "p2": 0.5, "t1": 0}, cl).round(1).to_dict("records")
    [{'principle': 75.0, 'task': 0.0, 'overall': 50.0}]
    """
    frame = pd.DataFrame([dict(scores)], index=["strategy"]) if isinstance(scores, Mapping) else scores
    items = list(checklist["item_id"])
    problems = [f"scores, column {c!r}: not a checklist item" for c in frame.columns if c not in items]
    problems += [f"scores: item {i!r} has no score" for i in items if i not in frame.columns]
    for strategy, row in frame.iterrows():
        for item, v in row.items():
            if item in items and not any(np.isclose(float(v), s) for s in _SCALE):
                problems.append(f"scores, row {strategy!r}, item {item!r}: {v!r} is not 0, 0.5 or 1")
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in the S3 checklist scores:\n" + "\n".join(problems))
    block_of = dict(zip(checklist["item_id"], checklist["block"], strict=True))
    blocks = list(dict.fromkeys(checklist["block"]))
    out = pd.DataFrame(index=frame.index)
    for b in blocks:
        cols = [i for i in items if block_of[i] == b]
        out[b] = 100.0 * frame[cols].astype(float).sum(axis=1) / len(cols)
    out["overall"] = 100.0 * frame[items].astype(float).sum(axis=1) / len(items)
    return out


def s3_with_ris3_wheel(
    s3: pd.DataFrame, region_steps: pd.DataFrame, step_max: Mapping[str, float]
) -> pd.DataFrame:
    """Put a region's S3 checklist percentages next to its RIS3 wheel (seed 000), step by step.

    The checklist complements the wheel and must not duplicate it (``spec/seed-002.md`` M9): the wheel
    scores the six steps of the EU RIS3 Guide, the checklist the seed's principles, characteristics,
    conditions and tasks. One table per region shows both, each in percent of its maximum.

    Parameters
    ----------
    s3 : DataFrame
        :func:`score_s3_checklist` output indexed by region code.
    region_steps : DataFrame
        step x region points (``aimaq.steering.ris3.summarise(...).region_steps``).
    step_max : mapping step -> float
        Maximum points of each step (criteria of the step x the scale's maximum).

    Returns
    -------
    DataFrame
        Rows: the regions of both tables; columns ``s3_<block>``, ``s3_overall``, ``ris3_<step>`` (%).

    Raises
    ------
    ValueError
        Naming the steps without a maximum.

    Examples
    --------
    >>> s3 = pd.DataFrame({"principle": [40.0], "overall": [50.0]}, index=["atyrau"])
    >>> steps = pd.DataFrame({"atyrau": [2.0]}, index=["s1_context_analysis"])
    >>> s3_with_ris3_wheel(s3, steps, {"s1_context_analysis": 3.0}).round(1).to_dict("records")
    [{'s3_principle': 40.0, 's3_overall': 50.0, 'ris3_s1_context_analysis': 66.7}]
    """
    missing = [str(k) for k in region_steps.index if k not in step_max]
    if missing:
        raise ValueError(f"step_max: no maximum for step(s) {', '.join(missing)}")
    wheel = region_steps.T.astype(float)
    wheel = 100.0 * wheel.div(pd.Series({k: float(step_max[k]) for k in region_steps.index}), axis=1)
    wheel.columns = [f"ris3_{c}" for c in wheel.columns]
    left = s3.add_prefix("s3_")
    return left.join(wheel, how="outer")
