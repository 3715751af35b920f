"""The Result of a computation: every intermediate table, the step log, the final table, explanations.

A :class:`Result` is immutable (COINr's "coin", made read-only): ``r.data["normalised"]`` returns a copy of
the table after that step, ``r.log`` is a tuple of :class:`StepRecord`, :meth:`Result.regen` and
:meth:`Result.what_if` return new Results. ``r.regen({}) == r`` holds (COINr ``test-regen.R``).

Tables are indexed by ``(year, territory)``; :meth:`Result.table_for` gives one year's table indexed by
territory.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from aimaq.engine.errors import SpecErrors
from aimaq.methods import explain as explain_methods

if TYPE_CHECKING:  # pragma: no cover
    from aimaq.dataset import Dataset
    from aimaq.engine.pipeline import State
    from aimaq.engine.spec import Methodology


@dataclass(frozen=True)
class StepRecord:
    """One entry of the step log.

    ``key`` is the spec key path (``normalise.default``); ``params`` are the method's parameters with its
    defaults filled in; ``learned`` what the method learned (min/max, cluster centres, weights);
    ``input`` the provenance of the values it read; ``columns`` the indicators or groups it applied to.
    """

    step: str
    key: str
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    learned: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    input: str = ""
    columns: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["warnings"] = list(self.warnings)
        d["columns"] = list(self.columns)
        return d


class _Frames(Mapping[str, pd.DataFrame]):
    """Read-only view of the step tables; every access returns a copy so the Result cannot be changed."""

    def __init__(self, frames: Mapping[str, pd.DataFrame]):
        self._frames = dict(frames)

    def __getitem__(self, key: str) -> pd.DataFrame:
        if key not in self._frames:
            raise KeyError(f"no table {key!r}; this result has {', '.join(self._frames)}")
        return self._frames[key].copy()

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)


@dataclass(frozen=True)
class Explanation:
    """Where one territory's score comes from (see :meth:`Result.explain`)."""

    territory: str
    year: int
    score: float
    rank: int | None
    n_territories: int
    classes: Mapping[str, str | None]
    groups: Mapping[str, float]
    indicators: pd.DataFrame
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    additive: bool

    def to_dict(self) -> dict[str, Any]:
        ind = self.indicators.reset_index().astype(object)
        ind = ind.where(pd.notna(ind), None)
        return {
            "territory": self.territory,
            "year": self.year,
            "score": _num(self.score),
            "rank": self.rank,
            "n_territories": self.n_territories,
            "classes": dict(self.classes),
            "groups": {k: _num(v) for k, v in self.groups.items()},
            "indicators": ind.to_dict("records"),
            "strengths": list(self.strengths),
            "weaknesses": list(self.weaknesses),
            "additive": self.additive,
        }

    def __str__(self) -> str:
        head = f"{self.territory}, {self.year}: score {self.score:.4g}"
        if self.rank is not None:
            head += f", rank {self.rank} of {self.n_territories}"
        for cid, label in self.classes.items():
            head += f", {cid} {label}"
        cols = ["value", "normalised", "weight", "contribution", "effect", "rank", "role"]
        shown = self.indicators[[c for c in cols if c in self.indicators.columns]].copy()
        for c in shown.columns:  # numbers as 4 significant digits, labels as they are, missing as "-"
            shown[c] = [
                "-"
                if v is None or (isinstance(v, float) and math.isnan(v))
                else f"{v:.4g}"
                if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
                else str(v)
                for v in shown[c]
            ]
        body = shown.to_string()
        return (
            f"{head}\nstrengths: {', '.join(self.strengths) or '-'}"
            f"\nweaknesses: {', '.join(self.weaknesses) or '-'}\n{body}"
        )


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


class Result:
    """The outcome of ``Methodology.compute(data)``; build it with :func:`aimaq.engine.pipeline.compute`."""

    def __init__(
        self,
        *,
        methodology: Methodology,
        dataset: Dataset,
        state: State,
        snapshots: Mapping[str, State],
        table: pd.DataFrame,
    ):
        self._m = methodology
        self._data = dataset
        self._state = state
        self._snapshots = dict(snapshots)
        self._table = table

    # ------------------------------------------------------------------ views
    @property
    def methodology(self) -> Methodology:
        return self._m

    @property
    def dataset(self) -> Dataset:
        return self._data

    @property
    def data(self) -> Mapping[str, pd.DataFrame]:
        """Tables after each step that ran: selected, transformed, imputed, treated, normalised, weights,
        aggregated, classified."""
        return _Frames(self._state.frames)

    @property
    def log(self) -> tuple[StepRecord, ...]:
        return self._state.log

    @property
    def table(self) -> pd.DataFrame:
        """Per (year, territory): score, rank, classes with kk/ru/en labels, group scores."""
        return self._table.copy()

    @property
    def years(self) -> tuple[int, ...]:
        return self._state.years

    @property
    def territories(self) -> tuple[str, ...]:
        return self._state.territories

    @property
    def state(self) -> State:
        """The pipeline's final arrays (frozen): ``X``, ``Xn`` (years, territories, leaves), ``weights`` and
        ``nodes`` per group, ``classes``; with :func:`aimaq.engine.pipeline.score_batch` an uncertainty run
        re-aggregates batches of them without recomputing the earlier steps."""
        return self._state

    def state_before(self, step: str) -> State:
        """The pipeline's arrays just before ``step`` (what :meth:`regen` restarts from)."""
        if step not in self._snapshots:
            raise KeyError(f"no state before {step!r}; steps: {', '.join(self._snapshots)}")
        return self._snapshots[step]

    @property
    def classification_ids(self) -> tuple[str, ...]:
        """Ids of the spec's classifications (each is a column of :attr:`table`, with ``_label_kk/ru/en``)."""
        return tuple(self._state.classes)

    @property
    def warnings(self) -> list[str]:
        """Every warning of the log, prefixed by its key path."""
        return [f"{r.key}: {w}" for r in self.log for w in r.warnings]

    def table_for(self, year: int | None = None, *, summaries: bool = False) -> pd.DataFrame:
        """One year's table indexed by territory (default: the last computed year).

        The rows of ``summarise:`` (statistics over territories, marked by the ``summary`` column) are left
        out unless ``summaries=True``, so that maps, rankings and uncertainty runs see territories only.
        """
        y = self._year(year)
        t = self._table.xs(y, level="year")
        if not summaries and "summary" in t.columns:
            t = t.loc[~t["summary"].astype(bool)].drop(columns=["summary"])
        return t.copy()

    def _year(self, year: int | None) -> int:
        if year is None:
            return self.years[-1]
        if int(year) not in self.years:
            raise KeyError(f"year {year} was not computed; this result has {list(self.years)}")
        return int(year)

    # ------------------------------------------------------------------ explain
    def _contributions(self, yi: int) -> tuple[np.ndarray, bool]:
        """(n, k) contributions of each leaf to the index for year position ``yi``, and whether exact."""
        m, st = self._m, self._state
        Xn = st.Xn if st.Xn is not None else st.X
        assert Xn is not None
        k = len(st.leaves)
        n = len(st.territories)
        contrib: dict[str, np.ndarray] = {}
        for j, c in enumerate(st.leaves):
            one = np.zeros((n, k))
            one[:, j] = Xn[yi, :, j]
            contrib[c] = one
        values = {c: Xn[yi, :, j] for j, c in enumerate(st.leaves)}
        values.update({g: v[yi] for g, v in st.nodes.items()})
        additive = True
        from aimaq.engine.pipeline import _entry_for

        for g in m.postorder():
            kids = m.children(g)
            e = _entry_for(m, "aggregate", g)
            method = e.method if e else ""
            W = st.weights[g][yi]
            observed = np.stack([~np.isnan(values[c]) for c in kids], axis=-1) & (W > 0)
            wsum = np.where(observed, W, 0.0).sum(axis=-1)  # (n,)
            if method == "arithmetic_mean":
                T = np.ones(n)
            elif method == "weighted_sum":
                total = e.params.get("total", "count") if e else "count"
                T = np.full(n, float(np.sum(W > 0)) if total == "count" else float(np.sum(W)))
            else:
                additive = False
                T = np.ones(n)
            acc = np.zeros((n, k))
            for i, c in enumerate(kids):
                with np.errstate(invalid="ignore", divide="ignore"):
                    factor = np.where(observed[:, i], W[i] * T / wsum, 0.0)
                acc = acc + factor[:, None] * np.nan_to_num(contrib[c])
            contrib[g] = acc
        out = contrib[m.root]
        Xrow = Xn[yi]
        return np.where(np.isnan(Xrow), np.nan, out), additive

    def explain(self, territory: str, year: int | None = None, *, top: int = 3) -> Explanation:
        """Each indicator's value, normalised value, effective weight, contribution to the score (exact for
        additive trees: weighted sums and arithmetic means), effect (score minus the score with that
        indicator at the peer mean: any aggregation), rank among peers, and the ``top`` strengths and
        weaknesses relative to the peer mean."""
        st, m = self._state, self._m
        if territory not in st.territories:
            from aimaq.methods import closest

            near = closest(territory, list(st.territories))
            hint = f"; closest {near!r}" if near else ""
            raise KeyError(f"territory {territory!r} is not in this result{hint}")
        y = self._year(year)
        yi, ti = st.years.index(y), st.territories.index(territory)
        Xn = st.Xn if st.Xn is not None else st.X
        assert Xn is not None
        frame = pd.DataFrame(index=pd.Index(list(st.leaves), name="indicator"))
        names = self._data.indicators
        for lang in ("en", "ru", "kk"):
            col = f"name_{lang}"
            if col in names.columns:
                frame[col] = [names[col].get(c) if c in names.index else None for c in st.leaves]
        raw = st.X[yi, ti] if st.X is not None else np.full(len(st.leaves), np.nan)
        frame["value"] = [st.text[c][yi, ti] if c in st.text else raw[j] for j, c in enumerate(st.leaves)]
        frame["normalised"] = Xn[yi, ti]
        score = float("nan")
        additive = False
        if st.nodes:
            contrib, additive = self._contributions(yi)
            total = np.nansum(contrib[ti])
            frame["weight"] = self._effective_weights(yi)
            frame["contribution"] = contrib[ti] if additive else np.nan
            score = float(st.nodes[m.root][yi, ti])
            if additive and not np.isnan(score):
                assert abs(total - score) <= 1e-6 * max(1.0, abs(score)), (total, score)
            # effects: one batched aggregation with each indicator in turn set to its peer mean
            from aimaq.engine.pipeline import aggregate_tree

            batch = explain_methods.replace_by_mean(Xn[yi])[:, None]  # (k, 1, n, k)
            weights = {g: w[yi : yi + 1] for g, w in st.weights.items()}
            subst = aggregate_tree(m, st, batch, weights)[m.root][:, 0, ti]  # (k,)
            frame["effect"] = score - subst
        ranks = explain_methods.peer_ranks(Xn[yi])[ti]
        frame["rank"] = ranks
        frame["deviation"] = explain_methods.deviation_from_mean(Xn[yi])[ti]
        s_idx, w_idx = explain_methods.strengths_weaknesses(Xn[yi], top=top)
        strengths = tuple(st.leaves[i] for i in s_idx[ti] if i >= 0)
        weaknesses = tuple(st.leaves[i] for i in w_idx[ti] if i >= 0)
        frame["role"] = [
            "strength" if c in strengths else "weakness" if c in weaknesses else "" for c in st.leaves
        ]
        table = self._table.xs(y, level="year")
        rank = table.at[territory, "rank"] if "rank" in table.columns else None
        classes = {cid: table.at[territory, cid] for cid in st.classes}
        groups = {g: float(v[yi, ti]) for g, v in st.nodes.items() if g != m.root}
        return Explanation(
            territory=territory,
            year=y,
            score=score,
            rank=None if rank is None or pd.isna(rank) else int(rank),
            n_territories=len(st.territories),
            classes=classes,
            groups=groups,
            indicators=frame,
            strengths=strengths,
            weaknesses=weaknesses,
            additive=additive,
        )

    def _effective_weights(self, yi: int) -> np.ndarray:
        """Multiplier of each leaf in the index: the product along the path of ``w_c / sum(w)``, times the
        number of weighted children for a ``weighted_sum`` (its points are added up, ``total: count``) or
        the sum of the weights (``total: as_given``). For an additive tree with every value observed,
        contribution = weight x normalised value."""
        from aimaq.engine.pipeline import _entry_for

        m, st = self._m, self._state
        eff = {m.root: 1.0}
        for g in reversed(m.postorder()):
            W = st.weights[g][yi]
            s = float(W.sum()) or 1.0
            e = _entry_for(m, "aggregate", g)
            T = 1.0
            if e is not None and e.method == "weighted_sum":
                T = float(np.sum(W > 0)) if e.params.get("total", "count") == "count" else float(W.sum())
            for i, c in enumerate(m.children(g)):
                eff[c] = eff.get(g, 1.0) * float(W[i]) * T / s
        return np.array([eff.get(c, np.nan) for c in st.leaves])

    # ------------------------------------------------------------------ new results
    def regen(self, edits: Mapping[str, Any] | None = None, *, from_step: str | None = None) -> Result:
        """A new Result with spec values replaced at key paths, re-running only what they affect.

        ``from_step`` forces a re-run from that step (the earliest of it and the steps the edits touch is
        used, so an edit is never ignored). ``r.regen({}) == r``.
        """
        from aimaq.engine.pipeline import data_problems, result_table, run
        from aimaq.engine.spec import STEPS

        edits = dict(edits or {})
        m2 = self._m.with_edits(edits) if edits else self._m
        order = {s: i for i, s in enumerate(STEPS)}
        if from_step is not None and from_step not in order:
            raise ValueError(f"from_step: must be one of {', '.join(STEPS)}. Got {from_step!r} instead.")
        candidates = [s for s in (m2.first_step_touched(list(edits)), from_step) if s]
        candidates = ["weight" if s == "aggregate" else s for s in candidates]
        if not candidates:
            return Result(
                methodology=m2,
                dataset=self._data,
                state=self._state,
                snapshots=self._snapshots,
                table=self._table,
            )
        start = min(candidates, key=order.__getitem__)
        problems = data_problems(m2, self._data)
        if problems:
            raise SpecErrors(problems)
        final, snaps = run(m2, self._data, start, self._snapshots[start])
        merged = {**{s: v for s, v in self._snapshots.items() if order[s] < order[start]}, **snaps}
        return Result(
            methodology=m2, dataset=self._data, state=final, snapshots=merged, table=result_table(m2, final)
        )

    def what_if(self, territory: str, indicator: str, value: float | str, year: int | None = None) -> Result:
        """A new Result with one observation changed (a number, or a label for a categorical indicator)."""
        from aimaq.engine.pipeline import compute

        y = self._year(year)
        row: dict[str, Any] = {"territory": territory, "indicator": indicator, "period": str(y)}
        if isinstance(value, str):
            row.update(value=np.nan, value_text=value)
        else:
            row.update(value=float(value), value_text=None)
        return compute(self._m, self._data.with_values(pd.DataFrame([row])))

    # ------------------------------------------------------------------ equality and export
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        if self._m != other._m or set(self._state.frames) != set(other._state.frames):
            return False
        if not self._table.equals(other._table):
            return False
        if any(not self._state.frames[k].equals(other._state.frames[k]) for k in self._state.frames):
            return False
        dump = lambda r: json.dumps([x.to_dict() for x in r.log], sort_keys=True, default=str)  # noqa: E731
        return dump(self) == dump(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Result({self._m.name!r}: {len(self.territories)} territories, years {list(self.years)}, "
            f"{len(self.log)} log entries)"
        )

    def to_frame(self, name: str = "table") -> pd.DataFrame:
        """A flat copy (index reset) of the result table or of a step table (``"normalised"``)."""
        df = self.table if name == "table" else self.data[name]
        return df.reset_index() if df.index.names != [None] else df.copy()

    def log_frame(self) -> pd.DataFrame:
        """The step log as a table (params, learned and warnings as JSON text)."""
        rows = []
        for r in self.log:
            d = r.to_dict()
            for k in ("params", "learned", "warnings", "columns"):
                d[k] = json.dumps(d[k], ensure_ascii=False, default=str)
            rows.append(d)
        return pd.DataFrame(
            rows, columns=["step", "key", "method", "params", "learned", "warnings", "input", "columns"]
        )

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready data: methodology name, table, step tables and the log."""

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            flat = df.reset_index() if df.index.names != [None] else df
            flat = flat.astype(object)
            return flat.where(pd.notna(flat), None).to_dict("records")

        return {
            "methodology": self._m.name,
            "years": list(self.years),
            "table": records(self._table),
            "data": {k: records(v) for k, v in self._state.frames.items()},
            "log": [r.to_dict() for r in self.log],
        }

    def to_json(self, path: str | Path | None = None) -> str:
        """JSON text of :meth:`to_dict`; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=_json_default)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_csv(self, path: str | Path) -> None:
        """The result table as UTF-8 CSV."""
        self.to_frame().to_csv(path, index=False)

    def to_excel(self, path: str | Path) -> None:
        """One sheet per table (table, each step table, log)."""
        with pd.ExcelWriter(path) as xl:
            self.to_frame().to_excel(xl, sheet_name="table", index=False)
            for name in self._state.frames:
                self.to_frame(name).to_excel(xl, sheet_name=name[:31], index=False)
            self.log_frame().to_excel(xl, sheet_name="log", index=False)


def _json_default(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)
