"""The territory × indicator × period container that every layer exchanges.

A :class:`Dataset` is what the store hands to the engine, what a ``--data`` file is read into, and what a
what-if edits. It holds pandas tables and nothing else: no database handle, no file.

``observations`` (one row per territory × indicator × period)
    ========== ======= =======================================================================
    column     dtype   meaning
    ========== ======= =======================================================================
    territory  str     territory code (``satpayev``, ``east_kazakhstan``); need not be in the gazetteer
    indicator  str     indicator code (``lower_snake`` ASCII)
    period     str     ``"2020"`` for a year, ``"2008-2021"`` for a span
    year_from  int     first year of the period
    year_to    int     last year of the period (equal to ``year_from`` for a single year)
    value      float   the number; NaN when missing or when the value is a category
    value_text object  a categorical value (``"no"``, ``"partial"``); None for numbers
    status     str     one of :data:`STATUSES`
    source     str     provenance: ``"seed004 T1 l.159"`` for bundled data, ``"file.csv row 14"`` for imports
    ========== ======= =======================================================================

``territories`` (index ``code``)
    ``level``, ``parent``, ``name_kk``, ``name_ru``, ``name_en``, ``iso``, ``valid_from``, ``valid_to``,
    ``lat``, ``lon``. Territories read from a file that are not in the gazetteer get a row with only the
    code filled.

``indicators`` (index ``code``)
    ``name_kk``, ``name_ru``, ``name_en``, ``unit``, ``direction`` (+1 higher is better, -1 lower is better,
    0 neutral), ``kind`` (``numeric`` or ``categorical``).

``notes`` (optional)
    data-quality notes: ``territory``, ``indicator``, ``period`` (any may be empty = applies to all),
    ``kind``, ``text``, ``source``, ``alt_value`` (the corrected or conflicting value a note proposes for
    its cell, e.g. seed 003 note n085: Semey's printed 5316940 read as 531694; empty when it proposes none),
    ``alt_text`` (the class label a note proposes for a categorical cell).
    The store adds ``id``, ``seed``, ``table``, ``lines`` and the texts in kk/ru/en.

``tables`` (optional)
    named reference tables (band tables, class thresholds, criteria), e.g.
    ``{"seed004_table1_score_bands": DataFrame}``; a methodology spec refers to them by name
    (``normalise.default.params.table: seed004_table1_score_bands``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

STATUSES: tuple[str, ...] = ("published", "derived", "estimated", "missing")
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "territory",
    "indicator",
    "period",
    "year_from",
    "year_to",
    "value",
    "value_text",
    "status",
    "source",
)
TERRITORY_COLUMNS: tuple[str, ...] = (
    "level",
    "parent",
    "name_kk",
    "name_ru",
    "name_en",
    "iso",
    "valid_from",
    "valid_to",
    "lat",
    "lon",
)
INDICATOR_COLUMNS: tuple[str, ...] = ("name_kk", "name_ru", "name_en", "unit", "direction", "kind")
NOTE_COLUMNS: tuple[str, ...] = (
    "territory",
    "indicator",
    "period",
    "kind",
    "text",
    "source",
    "alt_value",
    "alt_text",
)

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4}))?\s*$")


def parse_period(period: object) -> tuple[int, int]:
    """Read a period label into ``(year_from, year_to)``.

    Examples
    --------
    >>> parse_period("2020"), parse_period("2008-2021"), parse_period(2019)
    ((2020, 2020), (2008, 2021), (2019, 2019))
    """
    if isinstance(period, (int, np.integer)):
        return int(period), int(period)
    if isinstance(period, float) and period.is_integer():
        return int(period), int(period)
    m = _PERIOD.match(str(period))
    if not m:
        raise ValueError(f"period {period!r} is not a year (2020) or a span (2008-2021)")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise ValueError(f"period {period!r} ends before it starts")
    return a, b


def period_label(year_from: int, year_to: int) -> str:
    """The canonical label of a period: ``"2020"`` or ``"2008-2021"``."""
    return str(year_from) if year_from == year_to else f"{year_from}-{year_to}"


def _empty(columns: Sequence[str], index: str | None = None) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if index:
        df.index = pd.Index([], name=index, dtype=object)
    return df


@dataclass(frozen=True)
class Dataset:
    """Observations with the territory and indicator metadata they refer to.

    Build one with :meth:`from_long`; it fills ``year_from``/``year_to`` from ``period``, checks columns and
    statuses, and adds bare rows for territories and indicators that have no metadata.
    """

    observations: pd.DataFrame
    territories: pd.DataFrame = field(default_factory=lambda: _empty(TERRITORY_COLUMNS, "code"))
    indicators: pd.DataFrame = field(default_factory=lambda: _empty(INDICATOR_COLUMNS, "code"))
    notes: pd.DataFrame = field(default_factory=lambda: _empty(NOTE_COLUMNS))
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_long(
        cls,
        observations: pd.DataFrame,
        territories: pd.DataFrame | None = None,
        indicators: pd.DataFrame | None = None,
        notes: pd.DataFrame | None = None,
        tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> Dataset:
        """Normalise a long table into a Dataset.

        ``observations`` needs ``territory``, ``indicator``, ``value`` and either ``period`` or ``year``;
        the other columns of :data:`OBSERVATION_COLUMNS` are filled with defaults (status ``published``,
        source empty).
        """
        obs = observations.copy()
        if "period" not in obs.columns:
            if "year" not in obs.columns:
                raise ValueError("observations need a 'period' or a 'year' column")
            obs["period"] = obs["year"]
        missing = [c for c in ("territory", "indicator") if c not in obs.columns]
        if missing:
            raise ValueError(f"observations lack column(s) {missing}")
        years = [parse_period(p) for p in obs["period"]]
        obs["year_from"] = [a for a, _ in years]
        obs["year_to"] = [b for _, b in years]
        obs["period"] = [period_label(a, b) for a, b in years]
        if "value" not in obs.columns:
            obs["value"] = np.nan
        obs["value"] = pd.to_numeric(obs["value"], errors="coerce").astype(float)
        if "value_text" not in obs.columns:
            obs["value_text"] = None
        obs["value_text"] = obs["value_text"].astype(object).where(obs["value_text"].notna(), None)
        if "status" not in obs.columns:
            obs["status"] = "published"
        bad = sorted(set(obs["status"]) - set(STATUSES))
        if bad:
            raise ValueError(f"unknown observation status {bad}; expected one of {list(STATUSES)}")
        if "source" not in obs.columns:
            obs["source"] = ""
        obs["territory"] = obs["territory"].astype(str)
        obs["indicator"] = obs["indicator"].astype(str)
        extra = [c for c in obs.columns if c not in OBSERVATION_COLUMNS]
        obs = obs[list(OBSERVATION_COLUMNS) + extra].reset_index(drop=True)

        terr = _empty(TERRITORY_COLUMNS, "code") if territories is None else territories.copy()
        for c in TERRITORY_COLUMNS:
            if c not in terr.columns:
                terr[c] = None
        unknown_t = sorted(set(obs["territory"]) - set(terr.index))
        if unknown_t:
            bare = pd.DataFrame(index=pd.Index(unknown_t, name="code"), columns=list(TERRITORY_COLUMNS))
            terr = pd.concat([terr, bare]) if len(terr) else bare
        terr.index.name = "code"

        ind = _empty(INDICATOR_COLUMNS, "code") if indicators is None else indicators.copy()
        for c in INDICATOR_COLUMNS:
            if c not in ind.columns:
                ind[c] = None
        unknown_i = sorted(set(obs["indicator"]) - set(ind.index))
        if unknown_i:
            bare = pd.DataFrame(index=pd.Index(unknown_i, name="code"), columns=list(INDICATOR_COLUMNS))
            bare["direction"] = 1
            bare["kind"] = "numeric"
            ind = pd.concat([ind, bare]) if len(ind) else bare
        ind.index.name = "code"

        nts = _empty(NOTE_COLUMNS) if notes is None else notes.copy()
        for c in NOTE_COLUMNS:
            if c not in nts.columns:
                nts[c] = None
        return cls(obs, terr, ind, nts.reset_index(drop=True), dict(tables or {}))

    # ------------------------------------------------------------------ views
    @property
    def years(self) -> list[int]:
        """Single years present in the observations, ascending (spans are not listed)."""
        single = self.observations[self.observations["year_from"] == self.observations["year_to"]]
        return sorted({int(y) for y in single["year_to"]})

    def select(
        self,
        *,
        territories: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
        periods: Iterable[str | int] | None = None,
    ) -> Dataset:
        """A Dataset restricted to the given territories, indicators and periods (None keeps all)."""
        obs = self.observations
        mask = pd.Series(True, index=obs.index)
        if territories is not None:
            mask &= obs["territory"].isin(list(territories))
        if indicators is not None:
            mask &= obs["indicator"].isin(list(indicators))
        if periods is not None:
            labels = [period_label(*parse_period(p)) for p in periods]
            mask &= obs["period"].isin(labels)
        return Dataset(
            obs[mask].reset_index(drop=True), self.territories, self.indicators, self.notes, self.tables
        )

    def wide(
        self,
        period: str | int,
        *,
        indicators: Sequence[str] | None = None,
        territories: Sequence[str] | None = None,
        text: bool = False,
    ) -> pd.DataFrame:
        """Territory × indicator table for one period (``value``, or ``value_text`` with ``text=True``).

        Rows and columns follow the order of ``territories`` and ``indicators`` when given; absent cells
        are NaN (or None for text).
        """
        label = period_label(*parse_period(period))
        obs = self.observations[self.observations["period"] == label]
        col = "value_text" if text else "value"
        table = obs.pivot_table(
            index="territory", columns="indicator", values=col, aggfunc="first", dropna=False
        )
        if territories is not None:
            table = table.reindex(index=list(territories))
        if indicators is not None:
            table = table.reindex(columns=list(indicators))
        table.index.name = "territory"
        table.columns.name = "indicator"
        return table if text else table.astype(float)

    def panel(self, indicators: Sequence[str] | None = None) -> pd.DataFrame:
        """(territory, year) × indicator table of the single-year observations."""
        obs = self.observations[self.observations["year_from"] == self.observations["year_to"]]
        if indicators is not None:
            obs = obs[obs["indicator"].isin(list(indicators))]
        table = obs.pivot_table(
            index=["territory", "year_to"], columns="indicator", values="value", aggfunc="first"
        )
        table.index = table.index.set_names(["territory", "year"])
        table.columns.name = "indicator"
        if indicators is not None:
            table = table.reindex(columns=list(indicators))
        return table

    def with_values(
        self, edits: pd.DataFrame, *, status: str = "estimated", source: str = "what-if"
    ) -> Dataset:
        """A copy with some cells replaced (a what-if, a correction): ``edits`` has territory, indicator,
        period, value and optionally value_text (and source, which then wins); replaced rows get ``status``
        and ``source``."""
        e = Dataset.from_long(edits).observations
        given = (
            e["source"].astype(str).where(e["source"].astype(str) != "", source)
            if "source" in edits
            else source
        )
        e = e.assign(status=status, source=given)
        key = ["territory", "indicator", "period"]
        keep = self.observations.merge(e[key], on=key, how="left", indicator="_m")
        kept = self.observations[(keep["_m"] == "left_only").to_numpy()]
        obs = pd.concat([kept, e[list(OBSERVATION_COLUMNS)]], ignore_index=True)
        return Dataset(obs, self.territories, self.indicators, self.notes, self.tables)

    def notes_for(
        self, territory: str, indicator: str | None = None, period: str | None = None
    ) -> pd.DataFrame:
        """Data-quality notes attached to a cell (notes with an empty key part apply to all)."""
        n = self.notes

        def match(col: str, val: str | None) -> pd.Series:
            empty = n[col].isna() | (n[col].astype(str) == "")
            return empty | (n[col] == val) if val is not None else pd.Series(True, index=n.index)

        return n[match("territory", territory) & match("indicator", indicator) & match("period", period)]
