"""The pipeline: select -> transform -> impute -> treat -> normalise -> weight -> aggregate -> classify.

:func:`compute` checks the spec against the data (every problem at once, before any computation), then runs
the steps the spec names. The numeric core is array-based: the values of the selected years are one matrix
``X (years, territories, indicators)`` whose leading axis is a batch for every method that takes batches
(treat, normalise, aggregate, score classification), so that an uncertainty run can add a replication axis.
Loops run over spec entries, tree groups and years, never over territories.

Each step appends :class:`~aimaq.engine.result.StepRecord` rows to the log: the spec key path, the method,
its parameters with defaults filled in from the function's signature, what it learned, warnings and the
input it read.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from warnings import catch_warnings, simplefilter

import numpy as np
import pandas as pd

from aimaq.dataset import Dataset, parse_period
from aimaq.engine.errors import SpecErrors, SpecProblem
from aimaq.engine.result import Result, StepRecord
from aimaq.engine.spec import (
    ENGINE_ARGUMENTS,
    ENGINE_PARAMETERS,
    STEPS,
    SUMMARY_STATS,
    Methodology,
    StepEntry,
    engine_arguments,
)
from aimaq.methods import closest, get_method

_LABEL_COLUMNS = (
    "category",
    "category_code",
    "label",
    "category_kk",
    "category_ru",
    "label_raw_kk",
    "label_en",
)


@dataclass(frozen=True)
class State:
    """Everything computed so far (immutable: each step returns a new State)."""

    years: tuple[int, ...] = ()
    territories: tuple[str, ...] = ()
    leaves: tuple[str, ...] = ()
    categorical: frozenset[str] = frozenset()
    directions: np.ndarray = field(default_factory=lambda: np.zeros(0))
    panel: Mapping[str, np.ndarray] = field(default_factory=dict)  # code -> (panel years, panel territories)
    panel_years: tuple[int, ...] = ()
    panel_territories: tuple[str, ...] = ()
    text: Mapping[str, np.ndarray] = field(default_factory=dict)  # categorical code -> (Y, n) labels
    X: np.ndarray | None = None  # (Y, n, k) current values of the leaves
    Xn: np.ndarray | None = None  # (Y, n, k) normalised values
    weights: Mapping[str, np.ndarray] = field(default_factory=dict)  # group -> (Y, kc)
    nodes: Mapping[str, np.ndarray] = field(default_factory=dict)  # group -> (Y, n)
    classes: Mapping[str, np.ndarray] = field(default_factory=dict)  # classification id -> (Y, n) int
    class_labels: Mapping[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    frames: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    log: tuple[StepRecord, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------


def _resolved(func: Callable[..., Any], params: Mapping[str, Any], step: str = "") -> dict[str, Any]:
    """Parameters as given plus the defaults of the ones left out (the log's ``params``)."""
    out: dict[str, Any] = {}
    skip = engine_arguments(step)
    for name, p in inspect.signature(func).parameters.items():
        if name in skip or p.kind in (
            inspect.Parameter.VAR_KEYWORD,
            inspect.Parameter.VAR_POSITIONAL,
        ):
            continue
        if name in params:
            out[name] = params[name]
        elif p.default is not inspect.Parameter.empty:
            out[name] = p.default
    for name, value in params.items():
        out.setdefault(name, value)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _fail(m: Methodology, entry: StepEntry, exc: ValueError, context: str = "") -> SpecErrors:
    """Turn a method's ``ValueError`` (whose message starts with the parameter name) into a spec error."""
    msg = str(exc)
    head = msg.split(":", 1)[0].strip()
    key = entry.param_keys.get(head, entry.key)
    text = f"{context}{msg}" if context else msg
    return SpecErrors([SpecProblem(m.file, key, text, "bad_parameter")])


def _call(
    m: Methodology, entry: StepEntry, func: Callable[..., Any], *args: Any, context: str = "", **kw: Any
) -> Any:
    try:
        return func(*args, **kw)
    except ValueError as exc:
        raise _fail(m, entry, exc, context) from None


def _index(st: State) -> pd.MultiIndex:
    return pd.MultiIndex.from_product([list(st.years), list(st.territories)], names=["year", "territory"])


def _frame(st: State, arr: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
    Y, n = len(st.years), len(st.territories)
    return pd.DataFrame(arr.reshape(Y * n, len(columns)), index=_index(st), columns=list(columns))


def _with_text(st: State, df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for code, labels in st.text.items():
        if code in out.columns:
            out[code] = pd.Series(labels.reshape(-1), index=out.index, dtype=object)
    return out


def _territory_column(data: Dataset, codes: Sequence[str], column: str) -> np.ndarray:
    terr = data.territories
    if column not in terr.columns:
        return np.array([""] * len(codes), dtype=object)
    vals = terr[column].reindex(list(codes))
    return vals.astype(object).where(vals.notna(), "").astype(str).to_numpy(dtype=object)


# ---------------------------------------------------------------------------------------------------------
# select
# ---------------------------------------------------------------------------------------------------------


def _raw_inputs(m: Methodology) -> list[tuple[str, str]]:
    """(indicator code, key path) of every indicator read from the data: leaves and transform inputs."""
    derived = set(m.derived)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for e in m.transform_entries:
        for code, key in _transform_inputs(e):
            if code not in derived and code not in seen:
                out.append((code, key))
                seen.add(code)
    for i, code in enumerate(m.leaves):
        if code not in derived and code not in seen:
            out.append((code, f"indicators.{i}"))
            seen.add(code)
    for e in m.entries("normalise"):
        code = e.params.get("fallback")
        if isinstance(code, str) and code not in derived and code not in seen:
            out.append((code, e.param_keys.get("fallback", f"{e.key}.params.fallback")))
            seen.add(code)
    # classifications and summaries may name raw inputs that are neither leaves nor transform inputs
    computed = derived | set(m.groups) | {"score"}
    for code, key in _named_inputs(m):
        if code not in computed and code not in seen:
            out.append((code, key))
            seen.add(code)
    return out


def _named_inputs(m: Methodology) -> list[tuple[str, str]]:
    """(code, key path) of what ``classify.on`` and ``summarise.of`` name."""
    out: list[tuple[str, str]] = []
    for e in m.classifications:
        on = e.extra.get("on")
        for i, code in enumerate([on] if isinstance(on, str) else list(on or [])):
            out.append((str(code), f"{e.key}.on" if isinstance(on, str) else f"{e.key}.on.{i}"))
    for key, block in m.summaries:
        of = block.get("of")
        if "table" in block:  # `of` names a column of a reference table, not an indicator
            continue
        for i, code in enumerate([of] if isinstance(of, str) else list(of or [])):
            out.append((str(code), f"{key}.of" if isinstance(of, str) else f"{key}.of.{i}"))
    return out


def _transform_inputs(e: StepEntry) -> list[tuple[str, str]]:
    if e.method == "expression":
        from aimaq.methods.transform import expression_names

        try:
            names = expression_names(e.params.get("expr", ""))
        except ValueError:
            return []
        return [(n, e.param_keys.get("expr", e.key)) for n in names]
    try:
        func = get_method("transform", e.method)
    except ValueError:
        return []
    out = []
    for name, p in inspect.signature(func).parameters.items():
        if p.kind is inspect.Parameter.KEYWORD_ONLY or (name in ENGINE_ARGUMENTS and name != "x"):
            continue
        value = e.params.get(name)
        if isinstance(value, str):
            out.append((value, e.param_keys.get(name, f"{e.key}.params.{name}")))
    return out


def _select_territories(m: Methodology, data: Dataset) -> tuple[list[str], list[str], list[SpecProblem]]:
    tsel = m.get("select.territories") or {}
    terr = data.territories
    problems: list[SpecProblem] = []
    warnings: list[str] = []
    known = [str(c) for c in terr.index]
    if "codes" in tsel:
        codes = []
        for i, c in enumerate(tsel["codes"]):
            if c in known:
                codes.append(str(c))
            else:
                near = closest(str(c), known)
                hint = f"; closest {near!r}" if near else ""
                problems.append(
                    SpecProblem(
                        m.file,
                        f"select.territories.codes.{i}",
                        f"territory {c!r} is not in the data{hint}",
                        "unknown_territory",
                    )
                )
    else:
        codes = sorted(known)
    keep = pd.Series(True, index=pd.Index(codes, dtype=object))

    def as_list(v: Any) -> list[str]:
        return [v] if isinstance(v, str) else [str(x) for x in v]

    if "level" in tsel:
        keep &= np.isin(_territory_column(data, codes, "level"), as_list(tsel["level"]))
    if "parent" in tsel:
        keep &= np.isin(_territory_column(data, codes, "parent"), as_list(tsel["parent"]))
    if "within" in tsel:
        root = str(tsel["within"])
        if root not in set(known):
            problems.append(
                SpecProblem(
                    m.file,
                    "select.territories.within",
                    f"territory {root!r} is not in the data",
                    "unknown_territory",
                )
            )
        # walk up the gazetteer one level at a time for all territories together (depth <= number of levels)
        parent_of = pd.Series(_territory_column(data, known, "parent"), index=pd.Index(known, dtype=object))
        ancestor = pd.Series(_territory_column(data, codes, "parent"), index=pd.Index(codes, dtype=object))
        inside = np.zeros(len(codes), dtype=bool)
        for _ in range(len(known)):
            inside |= (ancestor == root).to_numpy()
            if not (ancestor != "").any():
                break
            ancestor = pd.Series(
                parent_of.reindex(ancestor.to_numpy()).fillna("").to_numpy(), index=ancestor.index
            )
        keep &= inside
    if "at" in tsel:
        at = pd.Timestamp(str(tsel["at"]))
        vf = pd.to_datetime(
            pd.Series(_territory_column(data, codes, "valid_from")).replace("", None), errors="coerce"
        )
        vt = pd.to_datetime(
            pd.Series(_territory_column(data, codes, "valid_to")).replace("", None), errors="coerce"
        )
        keep &= ((vf.isna() | (vf <= at)) & (vt.isna() | (vt >= at))).to_numpy()
    if "exclude" in tsel:
        keep &= ~np.isin(np.array(codes, dtype=object), as_list(tsel["exclude"]))
    chosen = [c for c, k in zip(codes, keep.to_numpy(), strict=True) if k]
    # territories without any observation of the spec's indicators are left out, and the log says which
    raw = [c for c, _ in _raw_inputs(m)]
    obs = data.observations
    present = obs["indicator"].isin(raw) & (obs["value"].notna() | obs["value_text"].notna())
    if not _uses_spans(m):
        present &= obs["year_from"] == obs["year_to"]
    has = set(obs.loc[present, "territory"].unique().tolist())
    empty = [c for c in chosen if c not in has]
    if empty:
        warnings.append(
            f"{len(empty)} territories have no observation of the spec's indicators and are left out: "
            + ", ".join(empty[:20])
            + (" ..." if len(empty) > 20 else "")
        )
    chosen = [c for c in chosen if c in has]
    return chosen, warnings, problems


def _available_years(
    data: Dataset, raw: Sequence[str], territories: Sequence[str], spans: bool = False
) -> list[int]:
    """Years with an observation of ``raw`` for ``territories`` (with ``spans``, also the end years of
    period observations such as 2013-2021)."""
    obs = data.observations
    single = obs["year_from"] == obs["year_to"]
    mask = (single | spans) & obs["indicator"].isin(list(raw)) & obs["territory"].isin(list(territories))
    return [int(y) for y in np.unique(obs.loc[mask, "year_to"].to_numpy(dtype=int))]


def _uses_spans(m: Methodology) -> bool:
    return m.get("select.spans", "end") == "end"


def _requested_periods(m: Methodology) -> dict[int, tuple[int, int]]:
    """Periods named in ``select.years`` (``"2013-2018"``), by their end year: the year key of the result."""
    spec = m.get("select.years")
    if not isinstance(spec, list):
        return {}
    out = {}
    for y in spec:
        if isinstance(y, str):
            a, b = parse_period(y)
            if a != b:
                out[b] = (a, b)
    return out


def _select_years(m: Methodology, available: list[int]) -> tuple[list[int], list[str], list[SpecProblem]]:
    spec = m.get("select.years", "latest")
    warnings: list[str] = []
    problems: list[SpecProblem] = []
    if not available:
        return (
            [],
            warnings,
            [
                SpecProblem(
                    m.file,
                    "select.years",
                    "the data hold no single-year observation of "
                    "the spec's indicators for the selected territories",
                    "no_data",
                )
            ],
        )
    if spec == "latest":
        return [available[-1]], warnings, problems
    if spec == "all":
        return list(available), warnings, problems
    if isinstance(spec, Mapping):
        wanted = list(range(int(spec["from"]), int(spec["to"]) + 1))
        got = [y for y in wanted if y in available]
        if len(got) < len(wanted):
            warnings.append(
                f"no data for years {[y for y in wanted if y not in available]}; they are left out"
            )
        if not got:
            problems.append(
                SpecProblem(
                    m.file,
                    "select.years",
                    f"no data for any year {wanted[0]}-{wanted[-1]}; the data have {available}",
                    "no_data",
                )
            )
        return got, warnings, problems
    wanted = [int(spec)] if isinstance(spec, int) else [parse_period(y)[1] for y in spec]
    for i, y in enumerate(wanted):
        if y not in available:
            key = "select.years" if isinstance(spec, int) else f"select.years.{i}"
            problems.append(
                SpecProblem(m.file, key, f"no data for {y}; the data have {available}", "no_data")
            )
    return wanted, warnings, problems


def _is_categorical(m: Methodology, data: Dataset, code: str) -> bool:
    kind = m.kind(code)
    if kind is None and code in data.indicators.index and "kind" in data.indicators.columns:
        k = data.indicators.at[code, "kind"]
        kind = None if pd.isna(k) else str(k)
    if kind is not None:
        return kind == "categorical"
    obs = data.observations[data.observations["indicator"] == code]
    return bool(len(obs)) and obs["value"].isna().all() and obs["value_text"].notna().any()


def _direction(m: Methodology, data: Dataset, code: str, warnings: list[str]) -> float:
    d = m.direction(code)
    if d is None and code in data.indicators.index and "direction" in data.indicators.columns:
        v = pd.to_numeric(pd.Series([data.indicators.at[code, "direction"]]), errors="coerce").iloc[0]
        d = None if pd.isna(v) else int(v)
    if d in (1, -1):
        return float(d)
    if d == 0:
        warnings.append(
            f"indicator {code!r} has direction 0 (neutral) in the data; it is scored as +1 "
            "(higher is better). Set `direction` in the spec's indicators to decide."
        )
    return 1.0


def _fill(
    data: Dataset,
    codes: Sequence[str],
    years: Sequence[int],
    territories: Sequence[str],
    column: str,
    spans: bool = False,
    prefer: Mapping[int, tuple[int, int]] | None = None,
) -> tuple[np.ndarray, int]:
    """(codes, years, territories) array of ``value`` (float) or ``value_text`` (object), filled by index
    arithmetic (no loop over observations), and the number of cells taken from period observations.

    With ``spans`` a period observation (2013-2021) fills its end year where no single-year observation
    does; of several periods ending in the same year the shortest wins. A period named in ``prefer``
    (end year -> (first, last) year, from ``select.years: ["2013-2018"]``) wins over everything else.
    """
    obs = data.observations
    single = obs["year_from"] == obs["year_to"]
    wanted = pd.Series(False, index=obs.index)
    for b, (a, _) in (prefer or {}).items():
        wanted |= (obs["year_from"] == a) & (obs["year_to"] == b)
    obs = obs[
        (single | spans | wanted)
        & obs["indicator"].isin(list(codes))
        & obs["territory"].isin(list(territories))
        & obs["year_to"].isin(list(years))
    ]
    # other periods (longest first), then single years, then the periods asked for: later writes win
    length = obs["year_to"] - obs["year_from"]
    tier = np.where(wanted.loc[obs.index], 2, np.where(length == 0, 1, 0))
    obs = obs.assign(_len=length, _tier=tier, _neg=-length).sort_values(["_tier", "_neg"], kind="stable")
    ci = pd.Index(list(codes)).get_indexer(obs["indicator"])
    yi = pd.Index(list(years)).get_indexer(obs["year_to"].astype(int))
    ti = pd.Index(list(territories)).get_indexer(obs["territory"])
    shape = (len(codes), len(years), len(territories))
    if column == "value":
        out = np.full(shape, np.nan)
        out[ci, yi, ti] = obs["value"].to_numpy(dtype=float)
    else:
        out = np.full(shape, None, dtype=object)
        out[ci, yi, ti] = obs["value_text"].to_numpy(dtype=object)
    from_span = np.zeros(shape, dtype=bool)
    is_span = (obs["_len"] > 0).to_numpy()
    from_span[ci[is_span], yi[is_span], ti[is_span]] = True
    from_span[ci[~is_span], yi[~is_span], ti[~is_span]] = False
    return out, int(from_span.sum())


def _leaf_matrix(st: State) -> np.ndarray:
    """X (Y, n, k) of the leaves from the panel at the selected years and territories."""
    yi = [st.panel_years.index(y) for y in st.years]
    ti = pd.Index(list(st.panel_territories)).get_indexer(list(st.territories))
    cols = []
    for code in st.leaves:
        p = st.panel.get(code)
        cols.append(np.full((len(yi), len(ti)), np.nan) if p is None else p[np.ix_(yi, ti)])
    return np.stack(cols, axis=-1) if cols else np.zeros((len(yi), len(ti), 0))


def _corrections(m: Methodology, data: Dataset) -> tuple[pd.DataFrame, list[SpecProblem]]:
    """The spec's ``corrections:`` as rows (territory, indicator, period, value, value_text, source, was),
    and every problem with them."""
    rows, problems = [], []
    obs = data.observations
    known_t = {str(c) for c in data.territories.index}
    known_i = {str(c) for c in obs["indicator"].unique().tolist()} | {str(c) for c in data.indicators.index}
    notes = data.notes
    for i, c in enumerate(m.get("corrections") or []):
        key = f"corrections.{i}"
        t, ind = str(c["territory"]), str(c["indicator"])
        bad = False
        for what, code, known in (("territory", t, known_t), ("indicator", ind, known_i)):
            if code not in known:
                near = closest(code, sorted(known))
                hint = f"; closest {near!r}" if near else ""
                problems.append(
                    SpecProblem(
                        m.file,
                        f"{key}.{what}",
                        f"{what} {code!r} is not in the data{hint}",
                        f"unknown_{what}",
                    )
                )
                bad = True
        value, label = c.get("value"), c.get("label")
        note = c.get("note")
        if value is None and label is None and note is not None:
            match = notes[notes["id"].astype(str) == str(note)] if "id" in notes.columns else notes.iloc[0:0]
            # a numeric reading (alt_value) or, for a categorical cell, a class label (alt_text)
            alt = pd.concat(
                [match[c].dropna() for c in ("alt_value", "alt_text") if c in match.columns]
                or [pd.Series(dtype=object)]
            )
            if alt.empty:
                problems.append(
                    SpecProblem(
                        m.file,
                        f"{key}.note",
                        f"note {note!r} has no alt_value in the data; give `value` or `label`",
                        "bad_parameter",
                    )
                )
                bad = True
            else:
                raw = alt.iloc[0]
                try:
                    value = float(str(raw).replace(",", "."))
                except ValueError:
                    label = str(raw)
        if bad:
            continue
        a, b = parse_period(c["year"])
        period = str(a) if a == b else f"{a}-{b}"
        was = obs.loc[(obs["territory"] == t) & (obs["indicator"] == ind) & (obs["period"] == period)]
        old = (
            None
            if was.empty
            else (was["value"].iloc[0] if pd.notna(was["value"].iloc[0]) else was["value_text"].iloc[0])
        )
        why = c.get("reason") or (f"note {note}" if note else "")
        rows.append(
            {
                "territory": t,
                "indicator": ind,
                "period": period,
                "value": float(value) if value is not None else np.nan,
                "value_text": label,
                "source": f"correction ({m.file}, {key}): {why}".rstrip(": "),
                "was": old,
            }
        )
    return pd.DataFrame(rows), problems


def _corrected(m: Methodology, data: Dataset) -> tuple[Dataset, pd.DataFrame]:
    rows, problems = _corrections(m, data)
    if problems:
        raise SpecErrors(problems)
    if rows.empty:
        return data, rows
    return data.with_values(rows.drop(columns=["was"]), status="derived", source="correction"), rows


def _step_select(m: Methodology, data: Dataset, st: State) -> State:
    data, corrections = _corrected(m, data)
    territories, warnings, _ = _select_territories(m, data)
    if len(corrections):
        warnings.append(
            f"{len(corrections)} source cell(s) corrected by the spec: "
            + "; ".join(
                f"{r.territory} {r.indicator} {r.period}: {r.was} -> "
                f"{r.value if pd.notna(r.value) else r.value_text}"
                for r in corrections.itertuples()
            )
        )
    raw = [c for c, _ in _raw_inputs(m)]
    spans = _uses_spans(m)
    periods = _requested_periods(m)
    years, w2, _ = _select_years(m, _available_years(data, raw, territories, spans or bool(periods)))
    warnings += w2
    # territories a transform or a summary reads as the whole (the national or oblast row), unselected
    references = sorted(
        (
            {
                str(e.params["reference"])
                for e in m.transform_entries
                if isinstance(e.params.get("reference"), str)
            }
            | {str(b["reference"]) for _, b in m.summaries if isinstance(b.get("reference"), str)}
        )
        - set(territories)
    )
    panel_territories = tuple(territories) + tuple(references)
    available = _available_years(data, raw, panel_territories, spans or bool(periods))
    panel_years = tuple(y for y in available if y <= max(years))
    categorical = frozenset(c for c in set(raw) | set(m.leaves) if _is_categorical(m, data, c))
    values, n_span = _fill(data, raw, panel_years, panel_territories, "value", spans, periods)
    if n_span:
        warnings.append(
            f"{n_span} value(s) come from period observations (e.g. 2013-2021), used for their end year; "
            "write `select.spans: ignore` to use single years only"
        )
    panel = {c: values[i] for i, c in enumerate(raw)}
    text_codes = [c for c in raw if c in categorical]
    text: dict[str, np.ndarray] = {}
    if text_codes:
        labels, _ = _fill(data, text_codes, years, territories, "value_text", spans, periods)
        text = {c: labels[i] for i, c in enumerate(text_codes)}
    directions = np.array([_direction(m, data, c, warnings) for c in m.leaves])
    st = dataclasses.replace(
        st,
        years=tuple(years),
        territories=tuple(territories),
        leaves=m.leaves,
        categorical=categorical,
        directions=directions,
        panel=panel,
        panel_years=panel_years,
        panel_territories=panel_territories,
        text=text,
    )
    st = dataclasses.replace(st, X=_leaf_matrix(st))
    yi = [panel_years.index(y) for y in years]
    ti = list(range(len(territories)))
    selected = (
        np.stack([panel[c][np.ix_(yi, ti)] for c in raw], axis=-1) if raw else np.zeros((len(yi), len(ti), 0))
    )
    frame = _with_text(st, _frame(st, selected, raw))
    obs = data.observations
    used = obs[
        obs["indicator"].isin(raw)
        & obs["territory"].isin(list(territories))
        & obs["year_to"].isin(list(panel_years))
    ]
    sources = sorted(s for s in used["source"].dropna().astype(str).unique().tolist() if s)
    provenance = f"{len(used)} observations" + (
        f" from {len(sources)} sources: " + "; ".join(sources[:12]) + (" ..." if len(sources) > 12 else "")
        if sources
        else ""
    )
    statuses = used["status"].value_counts().to_dict()
    record = StepRecord(
        step="select",
        key="select",
        method="select",
        params=_jsonable(
            {"territories": m.get("select.territories") or {}, "years": m.get("select.years", "latest")}
        ),
        learned=_jsonable(
            {
                "corrections": corrections.to_dict("records"),
                "territories": list(territories),
                "years": list(years),
                "panel_years": list(panel_years),
                "references": references,
                "categorical": sorted(categorical),
                "statuses": statuses,
            }
        ),
        warnings=tuple(warnings),
        input=provenance,
        columns=tuple(raw),
    )
    return dataclasses.replace(st, frames={**st.frames, "selected": frame}, log=(*st.log, record))


# ---------------------------------------------------------------------------------------------------------
# transform
# ---------------------------------------------------------------------------------------------------------


def _step_transform(m: Methodology, data: Dataset, st: State) -> State:
    panel = dict(st.panel)
    records = []
    for e in m.transform_entries:
        func = get_method("transform", e.method)
        sig = inspect.signature(func)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        inputs: list[str] = []
        for name, p in sig.parameters.items():
            if name == "learned" or p.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            if name == "years":
                kwargs["years"] = list(st.panel_years)
            elif name == "territories":
                kwargs["territories"] = list(st.panel_territories)
            elif name == "variables":
                from aimaq.methods.transform import expression_names

                names = expression_names(e.params["expr"])
                kwargs["variables"] = {n: panel[n] for n in names}
                inputs += names
            elif p.kind is not inspect.Parameter.KEYWORD_ONLY:
                value = e.params.get(name)
                if isinstance(value, str):
                    args.append(panel[value])
                    inputs.append(value)
                elif value is None and p.default is not inspect.Parameter.empty:
                    args.append(p.default)
                else:
                    args.append(value)
            elif name in e.params:
                kwargs[name] = e.params[name]
        learned: dict[str, Any] = {}
        if "learned" in sig.parameters:
            kwargs["learned"] = learned
        out = _call(m, e, func, *args, **kwargs)
        panel[str(e.target)] = np.asarray(out, dtype=float)
        warnings = tuple(
            f"{v} cell(s) {k.replace('_', ' ')}: set to missing"
            for k, v in learned.items()
            if isinstance(v, int) and v
        )
        records.append(
            StepRecord(
                step="transform",
                key=e.key,
                method=e.method,
                params=_jsonable(_resolved(func, e.params, "transform")),
                learned=_jsonable(learned),
                warnings=warnings,
                input=", ".join(inputs) or "selected",
                columns=(str(e.target),),
            )
        )
    st = dataclasses.replace(st, panel=panel)
    st = dataclasses.replace(st, X=_leaf_matrix(st))
    derived = list(m.derived)
    yi = [st.panel_years.index(y) for y in st.years]
    ti = list(range(len(st.territories)))
    arr = np.stack([panel[c][np.ix_(yi, ti)] for c in derived], axis=-1)
    frame = _frame(st, arr, derived)
    return dataclasses.replace(st, frames={**st.frames, "transformed": frame}, log=st.log + tuple(records))


# ---------------------------------------------------------------------------------------------------------
# impute, treat, normalise: per-indicator entries
# ---------------------------------------------------------------------------------------------------------


def _columns_of(
    m: Methodology, step: str, st: State, numeric_only: bool
) -> list[tuple[StepEntry, list[int]]]:
    entries = m.entries(step)
    targets = {e.target for e in entries if e.target is not None}
    out = []
    for e in entries:
        if e.target is None:
            cols = [j for j, c in enumerate(st.leaves) if c not in targets]
        else:
            cols = [j for j, c in enumerate(st.leaves) if c == e.target]
        if numeric_only:
            cols = [j for j in cols if st.leaves[j] not in st.categorical]
        if cols:
            out.append((e, cols))
    return out


def _step_impute(m: Methodology, data: Dataset, st: State) -> State:
    assert st.X is not None
    X = st.X.copy()
    groups = _territory_column(data, st.territories, "parent")
    records = []
    before = [st.panel_years.index(y) for y in st.years]
    ti = list(range(len(st.territories)))
    for e, cols in _columns_of(m, "impute", st, numeric_only=True):
        func = get_method("impute", e.method)
        learned_by_year: dict[str, Any] = {}
        codes = [st.leaves[j] for j in cols]
        for y_pos, year in enumerate(st.years):
            # history: earlier panel years of the same territories and indicators, oldest first
            hist_years = list(range(before[y_pos]))
            hist = np.stack(
                [
                    st.panel[c][np.ix_(hist_years, ti)]
                    if c in st.panel
                    else np.full((len(hist_years), len(ti)), np.nan)
                    for c in codes
                ],
                axis=-1,
            )
            learned: dict[str, Any] = {}
            X[y_pos][:, cols] = _call(
                m,
                e,
                func,
                X[y_pos][:, cols],
                groups=groups,
                history=hist,
                learned=learned,
                context=f"year {year}: ",
                **e.params,
            )
            learned_by_year[str(year)] = learned
        still = int(np.isnan(X[..., cols]).sum())
        warnings = (f"{still} value(s) are still missing after imputation",) if still else ()
        records.append(
            StepRecord(
                step="impute",
                key=e.key,
                method=e.method,
                params=_jsonable(_resolved(func, e.params)),
                learned=_jsonable(learned_by_year),
                warnings=warnings,
                input="transformed" if "transformed" in st.frames else "selected",
                columns=tuple(codes),
            )
        )
    st = dataclasses.replace(st, X=X)
    frame = _with_text(st, _frame(st, X, st.leaves))
    return dataclasses.replace(st, frames={**st.frames, "imputed": frame}, log=st.log + tuple(records))


def _step_treat(m: Methodology, data: Dataset, st: State) -> State:
    assert st.X is not None
    X = st.X.copy()
    records = []
    for e, cols in _columns_of(m, "treat", st, numeric_only=True):
        func = get_method("treat", e.method)
        learned: dict[str, Any] = {}
        X[..., cols] = _call(m, e, func, X[..., cols], learned=learned, **e.params)
        records.append(
            StepRecord(
                step="treat",
                key=e.key,
                method=e.method,
                params=_jsonable(_resolved(func, e.params)),
                learned=_jsonable(learned),
                warnings=(),
                input=_previous(st),
                columns=tuple(st.leaves[j] for j in cols),
            )
        )
    st = dataclasses.replace(st, X=X)
    frame = _with_text(st, _frame(st, X, st.leaves))
    return dataclasses.replace(st, frames={**st.frames, "treated": frame}, log=st.log + tuple(records))


def _previous(st: State) -> str:
    for key in ("treated", "imputed", "transformed", "selected"):
        if key in st.frames:
            return key
    return "selected"


def _band_table(
    m: Methodology,
    data: Dataset,
    e: StepEntry,
    code: str,
    converted: dict[Any, Any] | None = None,
) -> tuple[Any, str | None]:
    """The band rows of one indicator: the ``table`` parameter, by name from the data's reference tables,
    filtered to the indicator when the table has an ``indicator``/``indicator_key`` column.

    ``converted`` (a dict the caller keeps for one step) holds each table converted to rows and split by
    indicator, so that a step with many indicators converts a table once instead of once per indicator
    (converting was most of a what-if's time). Each call returns fresh row dicts, as without it.
    """
    table = e.params.get("table")
    name = table if isinstance(table, str) else None
    key = ("name", table) if isinstance(table, str) else ("object", id(table))
    if converted is not None and key in converted:
        split = converted[key]
    else:
        source = data.tables.get(table) if isinstance(table, str) else table
        split = None if isinstance(table, str) and source is None else _split_band_table(source)
    if converted is not None:
        converted[key] = split
    if split is None:
        return None, name
    rows, by_code = split
    chosen = rows if by_code is None else by_code.get(code, [])
    return [dict(r) for r in chosen], name


def _split_band_table(table: Any) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]] | None]:
    """A band table as row dicts (``points`` filled from ``score``), and those rows by indicator code when
    the table has an ``indicator``/``indicator_key`` column."""
    rows = table.to_dict("records") if hasattr(table, "to_dict") else [dict(r) for r in table]
    for r in rows:
        if "points" not in r and "score" in r:
            r["points"] = r["score"]
    col = next((c for c in ("indicator", "indicator_key") if rows and c in rows[0]), None)
    if col is None:
        return rows, None
    by_code: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_code.setdefault(str(r.get(col)), []).append(r)
    return rows, by_code


def _category_points(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    points: dict[str, float] = {}
    for r in rows:
        for c in _LABEL_COLUMNS:
            v = r.get(c)
            if isinstance(v, str) and v.strip():
                points[v.strip().casefold()] = float(r["points"])
    return points


def _casefold(labels: np.ndarray) -> np.ndarray:
    flat = [v.strip().casefold() if isinstance(v, str) else v for v in labels.reshape(-1)]
    return np.array(flat, dtype=object).reshape(labels.shape)


def _at_selection(st: State, code: str) -> np.ndarray:
    """(Y, n) values of a panel indicator at the selected years and territories."""
    yi = [st.panel_years.index(y) for y in st.years]
    ti = pd.Index(list(st.panel_territories)).get_indexer(list(st.territories))
    return st.panel[code][np.ix_(yi, ti)]


def normalise_matrix(
    m: Methodology,
    data: Dataset,
    state: State,
    X: np.ndarray,
    *,
    year: int | None = None,
    learned: dict[str, Any] | None = None,
) -> np.ndarray:
    """The normalise step's numbers: normalised leaves ``Xn`` for leaf values ``X``, as the pipeline
    computes them (every entry of ``normalise:``, band tables per indicator, categorical labels, the engine's
    ``fallback``), without the log.

    Parameters
    ----------
    m : Methodology
    data : Dataset
        For band tables named by reference (``Dataset.tables``).
    state : State
        The pipeline state before the normalise step (leaves, directions, labels, panel).
    X : ndarray of shape (..., Y, n, k), or (..., n, k) with ``year``
        Leaf values; leading axes are batches (uncertainty replications).
    year : int, optional
        ``X`` holds this one computed year (its labels and fallback points are used) instead of every year.
    learned : dict, optional
        Receives, per entry key path (``normalise.default``), what the methods learned (per indicator for
        band scoring, with ``fallback`` and ``missing_scored`` counts).

    Returns
    -------
    ndarray of the shape of ``X``

    The uncertainty analysis calls this function for its batches, so that a replication at the nominal
    values equals the nominal computation (``tests/engine/test_uncertainty.py``, batched == naive).
    """
    st = state
    X = np.asarray(X, dtype=float)
    yi = None if year is None else st.years.index(int(year))
    Xn = np.full(X.shape, np.nan)
    engine_only = ENGINE_PARAMETERS["normalise"]
    converted: dict[Any, Any] = {}  # each band table converted once for all its indicators
    for e, cols in _columns_of(m, "normalise", st, numeric_only=False):
        func = get_method("normalise", e.method)
        own = {k: v for k, v in e.params.items() if k not in engine_only}
        learned_out: dict[str, Any] = {}
        if e.method not in ("bands", "categories"):
            kw: dict[str, Any] = {} if learned is None else {"learned": learned_out}
            Xn[..., cols] = _call(m, e, func, X[..., cols], direction=st.directions[cols], **kw, **own)
        else:
            # band scoring takes one column with that indicator's table (docs/architecture.md)
            fallback = e.params.get("fallback")
            for j in cols:
                code = st.leaves[j]
                lj: dict[str, Any] = {}
                kw = {} if learned is None else {"learned": lj}
                params = dict(own)
                ctx = f"indicator {code!r}: "
                labels = None if code not in st.text else st.text[code] if yi is None else st.text[code][yi]
                if e.method == "bands":
                    rows, _ = _band_table(m, data, e, code, converted)
                    if code in st.categorical:
                        params = {k: v for k, v in params.items() if k not in ("table", "domain", "factor")}
                        params["points"] = _category_points(rows or [])
                        if params.get("missing") is None:
                            params.pop("missing", None)
                        cat = get_method("normalise", "categories")
                        Xn[..., j] = _call(m, e, cat, _casefold(labels), context=ctx, **kw, **params)
                    else:
                        params["table"] = rows
                        Xn[..., j] = _call(m, e, func, X[..., j], context=ctx, **kw, **params)
                else:
                    if labels is None:
                        values: Any = X[..., j]
                    else:
                        values = _casefold(labels)
                        if isinstance(params.get("points"), Mapping):
                            params["points"] = {
                                str(k).strip().casefold(): v for k, v in params["points"].items()
                            }
                    Xn[..., j] = _call(m, e, func, values, context=ctx, **kw, **params)
                # a missing value (no number, no label) may take the published points of another indicator
                absent = np.isnan(X[..., j])
                if labels is not None:
                    absent = absent & np.asarray(pd.isna(labels) | (labels == ""), dtype=bool)
                if isinstance(fallback, str) and fallback in st.panel:
                    pts = _at_selection(st, fallback)
                    pts = pts if yi is None else pts[yi]
                    use = absent & ~np.isnan(pts)
                    Xn[..., j] = np.where(use, pts, Xn[..., j])
                    lj["fallback"] = int(use.sum())
                    absent = absent & ~use
                lj["missing_scored"] = int((absent & ~np.isnan(Xn[..., j])).sum())
                learned_out[code] = lj
        if learned is not None:
            learned[e.key] = learned_out
    return Xn


def _step_normalise(m: Methodology, data: Dataset, st: State) -> State:
    assert st.X is not None
    learned_all: dict[str, Any] = {}
    Xn = normalise_matrix(m, data, st, st.X, learned=learned_all)
    records = []
    for e, cols in _columns_of(m, "normalise", st, numeric_only=False):
        func = get_method("normalise", e.method)
        learned_out = learned_all.get(e.key, {})
        warnings = []
        for code, lr in learned_out.items() if e.method in ("bands", "categories") else []:
            unmatched = np.sum(lr.get("unmatched", 0))
            if unmatched:
                warnings.append(
                    f"indicator {code!r}: {int(unmatched)} value(s) fall in no band (left missing)"
                )
            if lr.get("unknown"):
                warnings.append(
                    f"indicator {code!r}: labels without points: {', '.join(map(str, lr['unknown']))}"
                )
            if lr.get("fallback"):
                warnings.append(
                    f"indicator {code!r}: {lr['fallback']} missing value(s) take the points of "
                    f"{e.params.get('fallback')!r} (fallback)"
                )
            if lr.get("missing_scored"):
                pts = e.params.get("missing", 0 if e.method == "categories" else None)
                warnings.append(
                    f"indicator {code!r}: {lr['missing_scored']} missing value(s) scored {pts!r} "
                    f"(`missing: {pts}`)"
                )
        records.append(
            StepRecord(
                step="normalise",
                key=e.key,
                method=e.method,
                params=_jsonable(_resolved(func, e.params)),
                learned=_jsonable(learned_out),
                warnings=tuple(warnings),
                input=_previous(st),
                columns=tuple(st.leaves[j] for j in cols),
            )
        )
    st = dataclasses.replace(st, Xn=Xn)
    return dataclasses.replace(
        st, frames={**st.frames, "normalised": _frame(st, Xn, st.leaves)}, log=st.log + tuple(records)
    )


# ---------------------------------------------------------------------------------------------------------
# weight and aggregate along the tree
# ---------------------------------------------------------------------------------------------------------


def _entry_for(m: Methodology, step: str, group: str) -> StepEntry | None:
    entries = m.entries(step)
    if step == "weight" and not entries:
        short = m.weight_shorthand()
        entries = [short] if short else []
    for e in entries:
        if e.target == group:
            return e
    return next((e for e in entries if e.target is None), None)


_EQUAL = StepEntry("weight", "weight", "equal", {}, {})


def _weight_params(e: StepEntry, children: Sequence[str]) -> dict[str, Any]:
    params = dict(e.params)
    if e.method == "explicit" and isinstance(params.get("weights"), Mapping):
        params["weights"] = {c: params["weights"][c] for c in children if c in params["weights"]}
        params.setdefault("indicators", list(children))
    return params


def aggregate_tree(
    m: Methodology, st: State, Xn: np.ndarray, weights: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Scores of every group for normalised leaves ``Xn (..., Y, n, k)`` and fixed weights (group -> (Y, kc)).

    Leading axes of ``Xn`` are batches (explain's indicator substitutions, uncertainty replications).
    """
    vals: dict[str, np.ndarray] = {c: Xn[..., j] for j, c in enumerate(st.leaves)}
    for g in m.postorder():
        kids = m.children(g)
        C = np.stack([vals[c] for c in kids], axis=-1)
        e = _entry_for(m, "aggregate", g)
        assert e is not None
        func = get_method("aggregate", e.method)
        vals[g] = _call(m, e, func, C, weights[g], **e.params)
    return {g: vals[g] for g in m.postorder()}


def score_batch(
    m: Methodology, st: State, Xn: np.ndarray, weights: Mapping[str, np.ndarray] | None = None
) -> np.ndarray:
    """Index scores ``(..., Y, n)`` for a batch of normalised leaf matrices ``Xn (..., Y, n, k)``.

    The weights default to those the computation learned (group -> ``(Y, k_children)``); pass a batch of
    weights (group -> ``(..., Y, k_children)``) to vary them. One call aggregates every replication: the
    uncertainty analysis varies normalisations, weights and aggregations without rebuilding the pipeline.
    """
    return aggregate_tree(m, st, Xn, st.weights if weights is None else weights)[m.root]


def _step_weight_aggregate(m: Methodology, data: Dataset, st: State) -> State:
    assert st.Xn is not None or st.X is not None
    Xn = st.Xn if st.Xn is not None else st.X
    assert Xn is not None
    vals: dict[str, np.ndarray] = {c: Xn[..., j] for j, c in enumerate(st.leaves)}
    weights: dict[str, np.ndarray] = {}
    w_records, a_records = [], []
    for g in m.postorder():
        kids = m.children(g)
        C = np.stack([vals[c] for c in kids], axis=-1)  # (Y, n, kc)
        we = _entry_for(m, "weight", g) or _EQUAL
        wfunc = get_method("weight", we.method)
        params = _weight_params(we, kids)
        per_year = []
        learned_w: dict[str, Any] = {}
        for y_pos, year in enumerate(st.years):  # weights are learned from one (n, k) table per year
            lw: dict[str, Any] = {}
            per_year.append(
                _call(m, we, wfunc, C[y_pos], learned=lw, context=f"group {g!r}, year {year}: ", **params)
            )
            if lw:
                learned_w[str(year)] = lw
        W = np.stack(per_year)
        weights[g] = W
        learned_w["weights"] = {c: W[:, i].tolist() for i, c in enumerate(kids)}
        w_records.append(
            StepRecord(
                step="weight",
                key=we.key if we is not _EQUAL else "weight (default)",
                method=we.method,
                params=_jsonable(_resolved(wfunc, we.params)),
                learned=_jsonable(learned_w),
                warnings=(),
                input=f"normalised, group {g}",
                columns=tuple(kids),
            )
        )
        ae = _entry_for(m, "aggregate", g)
        assert ae is not None
        afunc = get_method("aggregate", ae.method)
        la: dict[str, Any] = {}
        vals[g] = _call(m, ae, afunc, C, W, learned=la, context=f"group {g!r}: ", **ae.params)
        a_records.append(
            StepRecord(
                step="aggregate",
                key=ae.key,
                method=ae.method,
                params=_jsonable(_resolved(afunc, ae.params)),
                learned=_jsonable(la),
                warnings=(),
                input=f"normalised, group {g}",
                columns=(g,),
            )
        )
    nodes = {g: vals[g] for g in m.postorder()}
    rows = [
        (y, g, c, float(weights[g][yi, i]))
        for g in m.postorder()
        for yi, y in enumerate(st.years)
        for i, c in enumerate(m.children(g))
    ]
    wframe = pd.DataFrame(rows, columns=["year", "group", "child", "weight"])
    agg = np.stack([nodes[g] for g in m.postorder()], axis=-1)
    st = dataclasses.replace(st, weights=weights, nodes=nodes)
    frames = {**st.frames, "weights": wframe, "aggregated": _frame(st, agg, m.postorder())}
    return dataclasses.replace(st, frames=frames, log=st.log + tuple(w_records) + tuple(a_records))


# ---------------------------------------------------------------------------------------------------------
# classify
# ---------------------------------------------------------------------------------------------------------


def _classify_input(m: Methodology, st: State, e: StepEntry, on: str) -> np.ndarray:
    data_key = e.extra.get("data")
    if on in st.nodes and data_key in (None, "aggregated"):
        return st.nodes[on]
    j = st.leaves.index(on) if on in st.leaves else None
    if data_key in (None, "normalised") and j is not None and st.Xn is not None:
        return st.Xn[..., j]
    if j is not None and st.X is not None:
        return st.X[..., j]
    if on in st.panel:  # a derived indicator that is not a leaf
        yi = [st.panel_years.index(y) for y in st.years]
        return st.panel[on][np.ix_(yi, list(range(len(st.territories))))]
    raise SpecErrors(
        [
            SpecProblem(
                m.file,
                f"{e.key}.on",
                f"{on!r} has no values at this point of the pipeline (no aggregate step?)",
                "unknown_indicator",
            )
        ]
    )


def _labels(e: StepEntry, learned: Mapping[str, Any], n_classes: int) -> tuple[dict[str, Any], ...]:
    given = e.extra.get("labels")
    on = e.extra.get("on")
    if not given and e.method == "argmax" and isinstance(on, list):
        return tuple({"id": str(c)} for c in on)  # class j is the column j of `on`
    if given:
        return tuple(
            {"id": str(x["id"]), **({"title": dict(x["title"])} if "title" in x else {})} for x in given
        )
    rows = e.params.get("classes")
    ids = learned.get("ids")
    if isinstance(rows, list) and ids:
        by_id = {str(r.get("id")): r for r in rows if isinstance(r, Mapping)}
        return tuple(
            {
                "id": str(i),
                **({"title": dict(by_id[str(i)]["title"])} if "title" in by_id.get(str(i), {}) else {}),
            }
            for i in ids
        )
    return tuple({"id": str(i)} for i in range(n_classes))


def _step_classify(m: Methodology, data: Dataset, st: State) -> State:
    classes: dict[str, np.ndarray] = {}
    labels: dict[str, tuple[dict[str, Any], ...]] = {}
    records = []
    for e in m.classifications:
        func = get_method("classify", e.method)
        on = e.extra.get("on", m.root)
        learned: dict[str, Any] = {}
        if isinstance(on, str):
            x = _classify_input(m, st, e, on)
            out = _call(m, e, func, x, learned=learned, **e.params)
            inputs = on
        else:
            M = np.stack([_classify_input(m, st, e, c) for c in on], axis=-1)
            rows = []
            for y_pos, year in enumerate(st.years):  # clustering takes one (n, k) table at a time
                ly: dict[str, Any] = {}
                rows.append(_call(m, e, func, M[y_pos], learned=ly, context=f"year {year}: ", **e.params))
                learned[str(year)] = ly
            out = np.stack(rows)
            inputs = ", ".join(on)
        out = np.asarray(out, dtype=int)
        cid = str(e.target)
        classes[cid] = out
        flat_learned = learned if isinstance(on, str) else next(iter(learned.values()), {})
        labels[cid] = _labels(e, flat_learned, int(out.max()) + 1 if out.size else 0)
        unclassified = int((out < 0).sum())
        warnings: tuple[str, ...] = (
            (f"{unclassified} territory-year(s) are unclassified (missing score or in no class)",)
            if unclassified
            else ()
        )
        if not isinstance(on, str):  # ties of argmax, per year: name the territories and the columns
            for year, ly in learned.items():
                for row, cols in zip(ly.get("ties") or [], ly.get("tied") or [], strict=False):
                    warnings += (
                        f"{year}, {st.territories[row]}: tie for the largest value between "
                        f"{', '.join(on[j] for j in cols)} ({e.params.get('ties', 'unclassified')})",
                    )
        records.append(
            StepRecord(
                step="classify",
                key=e.key,
                method=e.method,
                params=_jsonable(_resolved(func, e.params)),
                learned=_jsonable(learned),
                warnings=warnings,
                input=inputs,
                columns=(cid,),
            )
        )
    st = dataclasses.replace(st, classes=classes, class_labels=labels)
    cols: dict[str, Any] = {}
    for cid, arr in classes.items():
        cols[f"{cid}_index"] = arr.reshape(-1)
        cols[cid] = _label_column(labels[cid], arr.reshape(-1), None)
    frame = pd.DataFrame(cols, index=_index(st))
    return dataclasses.replace(st, frames={**st.frames, "classified": frame}, log=st.log + tuple(records))


# ---------------------------------------------------------------------------------------------------------
# summarise: statistics over territories
# ---------------------------------------------------------------------------------------------------------


def _values_of(m: Methodology, st: State, code: str) -> np.ndarray:
    """(Y, n) values a summary reads: the index (``score``), a group, a leaf (normalised when normalised),
    or any indicator of the panel (raw or derived) at the selection."""
    if code in ("score", m.root) and m.root in st.nodes:
        return st.nodes[m.root]
    if code in st.nodes:
        return st.nodes[code]
    if code in st.leaves:
        X = st.Xn if st.Xn is not None else st.X
        assert X is not None
        return X[..., st.leaves.index(code)]
    return _at_selection(st, code)


#: Plain reductions over territories: what a ``ratio`` summary divides and ``count`` compares with.
_REDUCTIONS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "sum": (np.sum, np.nansum),
    "mean": (np.mean, np.nanmean),
    "min": (np.min, np.nanmin),
    "max": (np.max, np.nanmax),
    "median": (np.median, np.nanmedian),
}


def _reduce(x: np.ndarray, stat: str, skip_missing: bool) -> np.ndarray:
    exact, skipping = _REDUCTIONS[stat]
    with np.errstate(invalid="ignore", divide="ignore"), catch_warnings():
        simplefilter("ignore", RuntimeWarning)  # an all-missing row is NaN, as documented
        if not skip_missing:
            return exact(x, axis=-1)
        out = skipping(x, axis=-1)
        # nansum of nothing is 0; a statistic of no value at all stays missing
        return np.where(np.isnan(x).all(axis=-1), np.nan, out)


def _quantile(x: np.ndarray, q: float, method: str, skip_missing: bool) -> np.ndarray:
    with catch_warnings():
        simplefilter("ignore", RuntimeWarning)
        if skip_missing:
            return np.nanquantile(x, q, axis=-1, method=method)
        return np.quantile(x, q, axis=-1, method=method)


def summary_stat(
    x: np.ndarray,
    stat: str,
    *,
    maximum: float | None = None,
    scale: float = 100.0,
    q: float | None = None,
    method: str = "linear",
    numerator: str | None = None,
    denominator: str | None = None,
    above: float | str | None = None,
    below: float | str | None = None,
    position: int | None = None,
    ascending: bool = False,
    reference: np.ndarray | None = None,
    skip_missing: bool = False,
) -> np.ndarray:
    """A statistic over territories (axis -1) of ``x (..., n)``; a missing value makes it missing.

    - ``sum`` Σ x_i (seed 000 Table 2, l.328-376: each criterion and step summed over the four regions);
      ``mean`` Σ x_i / n; ``min``, ``max``, ``median`` (the mean of the two middle values for even n: seed 001
      Fig. 1, 339.41 = (369.85 + 308.97) / 2, l.887).
    - ``share_of_max`` ``scale · Σ x_i / (maximum · n)``, the share of the points attainable (seed 000
      l.382-383: P = 37.5 / (18 x 4) = 52 %).
    - ``share_of`` ``scale · Σ x_i / reference``: the territories' share of a reference value, e.g. the
      national total (seed 001 l.696-700: seven regions hold > 85 % of GERD).
    - ``quantile`` at ``q`` with numpy's ``method`` (default ``linear``); ``iqr`` Q3 − Q1 with ``method``
      (seed 001 l.786-788: 658 = 892.98 − 235.00 with ``method="nearest"``).
    - ``ratio`` ``numerator / denominator``, each one of sum, mean, min, max, median (seed 001: max/min 277,
      l.784-786; max/mean > 5, l.704-706; median/min 11.5, l.1207-1208).
    - ``count`` the territories with a value, or with a value strictly ``above`` / ``below`` a number or a
      statistic of the same territories (``"mean"``: seed 001 l.1202-1204, 15 of 20 regions below the mean).
      A missing value is not counted and never makes the count missing.
    - ``rank`` the rank of the territory at ``position`` (1 = largest; ``ascending`` = 1 for the smallest);
      ties share the best rank (seed 001 l.704-708: Almaty city has the highest GERD per 100,000).

    ``skip_missing`` computes the statistic over the territories with a value instead (seed 001 Table 2's
    «Орташа» row: the mean over the regions that published an amount, l.1179).

    Examples
    --------
    >>> summary_stat(np.array([11.0, 8.5, 9.5, 8.5]), "share_of_max", maximum=18).round(2)
    np.float64(52.08)
    >>> summary_stat(np.array([[1.0, 2.0], [1.0, np.nan]]), "sum")
    array([ 3., nan])
    >>> summary_stat(np.array([[1.0, 2.0], [1.0, np.nan]]), "mean", skip_missing=True)
    array([1.5, 1. ])
    >>> x = np.array([4.0, 1.0, 2.0, 8.0])
    >>> [float(summary_stat(x, s)) for s in ("min", "max", "median")]
    [1.0, 8.0, 3.0]
    >>> float(summary_stat(x, "ratio", numerator="max", denominator="min"))
    8.0
    >>> float(summary_stat(x, "count", below="mean")), float(summary_stat(x, "count", above=3))
    (2.0, 2.0)
    >>> float(summary_stat(x, "rank", position=2)), float(summary_stat(x, "rank", position=2, ascending=True))
    (3.0, 2.0)
    >>> float(summary_stat(x, "share_of", reference=np.array(20.0)))
    75.0
    >>> float(summary_stat(x, "iqr", method="nearest")), float(summary_stat(x, "quantile", q=0.5))
    (2.0, 3.0)
    """
    x = np.asarray(x, dtype=float)
    if stat in _REDUCTIONS:
        return _reduce(x, stat, skip_missing)
    if stat == "share_of_max":
        if maximum is None or not maximum > 0:
            raise ValueError(
                f"max: share_of_max needs the most one territory can reach (> 0). Got {maximum!r}."
            )
        total = _reduce(x, "sum", skip_missing)
        n = (~np.isnan(x)).sum(axis=-1) if skip_missing else x.shape[-1]
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(scale) * total / (float(maximum) * n)
    if stat == "share_of":
        if reference is None:
            raise ValueError("reference: share_of needs the territory whose value is the whole (e.g. kz)")
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(scale) * _reduce(x, "sum", skip_missing) / np.asarray(reference, dtype=float)
    if stat in ("quantile", "iqr"):
        if stat == "quantile" and (q is None or not 0 <= float(q) <= 1):
            raise ValueError(f"q: quantile needs a probability in [0, 1]. Got {q!r} instead.")
        try:
            if stat == "quantile":
                return np.asarray(_quantile(x, float(q), method, skip_missing))  # type: ignore[arg-type]
            return np.asarray(
                _quantile(x, 0.75, method, skip_missing) - _quantile(x, 0.25, method, skip_missing)
            )
        except ValueError as exc:  # numpy names the valid methods
            raise ValueError(f"method: {exc}") from None
    if stat == "ratio":
        for name, value in (("numerator", numerator), ("denominator", denominator)):
            if value not in _REDUCTIONS:
                raise ValueError(
                    f"{name}: ratio needs one of {', '.join(_REDUCTIONS)}. Got {value!r} instead."
                )
        with np.errstate(invalid="ignore", divide="ignore"):
            return _reduce(x, str(numerator), skip_missing) / _reduce(x, str(denominator), skip_missing)
    if stat == "count":
        hit = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            for side, bound in (("above", above), ("below", below)):
                if bound is None:
                    continue
                if isinstance(bound, str):
                    if bound not in _REDUCTIONS:
                        raise ValueError(
                            f"{side}: a number or one of {', '.join(_REDUCTIONS)}. Got {bound!r} instead."
                        )
                    level = _reduce(x, bound, skip_missing=True)[..., None]
                else:
                    level = float(bound)
                hit &= (x > level) if side == "above" else (x < level)
        return hit.sum(axis=-1).astype(float)
    if stat == "rank":
        if position is None or not -x.shape[-1] <= position < x.shape[-1]:
            raise ValueError(f"territory: rank needs one of the summarised territories. Got {position!r}.")
        own = x[..., position : position + 1]
        with np.errstate(invalid="ignore"):
            better = (x < own) if ascending else (x > own)
        rank = 1.0 + better.sum(axis=-1)
        missing = np.isnan(own[..., 0]) | (np.isnan(x).any(axis=-1) & (not skip_missing))
        return np.where(missing, np.nan, rank)
    raise ValueError(f"stat: must be one of {', '.join(SUMMARY_STATS)}. Got {stat!r} instead.")


def _summary_columns(m: Methodology, st: State, block: Mapping[str, Any]) -> list[str]:
    of = block.get("of")
    if of is None:  # the score, every group below the index and every leaf
        head = ["score"] if m.root in st.nodes else []
        return head + [g for g in m.postorder() if g != m.root and g in st.nodes] + list(st.leaves)
    return [of] if isinstance(of, str) else [str(c) for c in of]


def _table_values(
    data: Dataset, st: State, block: Mapping[str, Any], column: str, key: str, f: str
) -> np.ndarray:
    """(Y, m) values of a reference table's column over its rows matching ``where`` (the same every year):
    a published distribution whose rows are not assigned to territories (seed 001 Fig. 4, l.1232-1270)."""
    name = str(block["table"])
    if name not in data.tables:
        near = closest(name, list(data.tables))
        hint = f"; closest {near!r}" if near else ""
        raise SpecErrors(
            [SpecProblem(f, f"{key}.table", f"no reference table {name!r}{hint}", "unknown_table")]
        )
    rows = data.tables[name]
    for col, wanted in (block.get("where") or {}).items():
        if col not in rows.columns:
            raise SpecErrors(
                [
                    SpecProblem(
                        f, f"{key}.where.{col}", f"table {name!r} has no column {col!r}", "unknown_table"
                    )
                ]
            )
        rows = rows[rows[col].astype(str) == str(wanted)]
    if column not in rows.columns:
        raise SpecErrors(
            [SpecProblem(f, f"{key}.of", f"table {name!r} has no column {column!r}", "unknown_table")]
        )
    values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
    return np.broadcast_to(values, (len(st.years), len(values)))


def _reference_values(m: Methodology, st: State, code: str, territory: str, key: str) -> np.ndarray:
    """(Y,) values of ``code`` for one territory: a selected one, or a reference territory of the panel."""
    if territory in st.territories:
        return _values_of(m, st, code)[..., st.territories.index(territory)]
    if territory in st.panel_territories and code in st.panel:
        yi = [st.panel_years.index(y) for y in st.years]
        return st.panel[code][yi, st.panel_territories.index(territory)]
    raise SpecErrors(
        [
            SpecProblem(
                m.file,
                f"{key}.reference",
                f"{territory!r} is neither a selected territory nor a reference of a transform with {code!r}",
                "unknown_territory",
            )
        ]
    )


def _summary_params(
    m: Methodology, st: State, block: Mapping[str, Any], c: str, key: str, over: Sequence[str]
) -> dict[str, Any]:
    """Keyword arguments of :func:`summary_stat` from a summary block, for column ``c``."""
    params: dict[str, Any] = {
        "maximum": block.get("max"),
        "scale": float(block.get("scale", 100.0)),
        "q": block.get("q"),
        "method": str(block.get("method", "linear")),
        "numerator": block.get("numerator"),
        "denominator": block.get("denominator"),
        "above": block.get("above"),
        "below": block.get("below"),
        "ascending": bool(block.get("ascending", False)),
        "skip_missing": block.get("missing", "propagate") == "skip",
    }
    if "territory" in block:
        t = str(block["territory"])
        if t not in over:
            raise SpecErrors(
                [
                    SpecProblem(
                        m.file,
                        f"{key}.territory",
                        f"{t!r} is not among the summarised territories",
                        "unknown_territory",
                    )
                ]
            )
        params["position"] = list(over).index(t)
    if "reference" in block:
        params["reference"] = _reference_values(m, st, c, str(block["reference"]), key)
    return params


def _step_summarise(m: Methodology, data: Dataset, st: State) -> State:
    rows: dict[str, dict[str, np.ndarray]] = {}
    records = []
    for key, block in m.summaries:
        sid = str(block["id"])
        over = block.get("over", "selected")
        idx = (
            list(range(len(st.territories)))
            if over == "selected"
            else [st.territories.index(str(t)) for t in over]
        )
        names = [st.territories[i] for i in idx]
        stat = str(block["stat"])
        cols = _summary_columns(m, st, block)
        warnings_ = []
        for c in cols:
            if "table" in block:
                x = _table_values(data, st, block, c, key, m.file)
                names = [f"{block['table']}[{len(x[0]) if len(x) else 0} rows]"]
            else:
                x = _values_of(m, st, c)[..., idx]
            missing = int(np.isnan(x).any(axis=-1).sum())
            if missing and stat != "count":
                done = "left out" if block.get("missing") == "skip" else "left missing"
                warnings_.append(f"{c}: {missing} year(s) have a missing value among the territories; {done}")
            params = _summary_params(m, st, block, c, key, [st.territories[i] for i in idx])
            try:
                value = summary_stat(x, stat, **params)
            except ValueError as exc:
                raise SpecErrors([SpecProblem(m.file, key, str(exc), "bad_parameter")]) from None
            rows.setdefault(sid, {})[c] = np.broadcast_to(np.asarray(value, dtype=float), (len(st.years),))
        records.append(
            StepRecord(
                step="summarise",
                key=key,
                method=stat,
                params=_jsonable({k: v for k, v in block.items() if k not in ("title", "note")}),
                learned={"territories": names},
                warnings=tuple(warnings_),
                input=", ".join(cols),
                columns=(sid,),
            )
        )
    columns = list(dict.fromkeys(c for r in rows.values() for c in r))
    index = pd.MultiIndex.from_product([list(st.years), list(rows)], names=["year", "territory"])
    frame = pd.DataFrame(index=index, columns=columns, dtype=float)
    for sid, values in rows.items():
        for c, v in values.items():
            frame.loc[pd.IndexSlice[:, sid], c] = np.asarray(v, dtype=float)
    frame = frame.sort_index(level="year", sort_remaining=False)
    return dataclasses.replace(st, frames={**st.frames, "summarised": frame}, log=st.log + tuple(records))


# ---------------------------------------------------------------------------------------------------------
# the result table
# ---------------------------------------------------------------------------------------------------------


def _label_column(labels: Sequence[Mapping[str, Any]], index: np.ndarray, lang: str | None) -> np.ndarray:
    """Class ids (``lang=None``) or titles in ``lang`` for class indices; -1 (unclassified) gives None."""
    names = [lab["id"] if lang is None else (lab.get("title") or {}).get(lang, lab["id"]) for lab in labels]
    lookup = np.array([*names, None], dtype=object)
    idx = np.asarray(index, dtype=int)
    return lookup[np.where((idx >= 0) & (idx < len(names)), idx, len(names))]


def result_table(m: Methodology, st: State) -> pd.DataFrame:
    """score, rank (1 = best, ties share the best rank), class columns with kk/ru/en labels, group scores."""
    table = pd.DataFrame(index=_index(st))
    if st.nodes:
        table["score"] = st.nodes[m.root].reshape(-1)
        table["rank"] = (
            table.groupby(level="year")["score"].rank(ascending=False, method="min").astype("Int64")
        )
    for cid, arr in st.classes.items():
        labs = st.class_labels.get(cid, ())
        flat = arr.reshape(-1)
        table[cid] = _label_column(labs, flat, None)
        for lang in ("kk", "ru", "en"):
            table[f"{cid}_label_{lang}"] = _label_column(labs, flat, lang)
    for g in m.postorder():
        if g != m.root and g in st.nodes:
            table[g] = st.nodes[g].reshape(-1)
    summary = st.frames.get("summarised")
    if summary is not None:
        # summary rows (territory = the summary's id) carry the table's numeric columns; no rank or class
        rows = summary.rename(columns={m.root: "score"})
        rows = rows[[c for c in rows.columns if c in table.columns]]
        table["summary"] = False
        extra = rows.assign(summary=True)
        table = pd.concat([table, extra]).sort_index(level="year", sort_remaining=False)
        table["summary"] = table["summary"].astype(bool)
        if "rank" in table.columns:
            table["rank"] = table["rank"].astype("Int64")
    return table


# ---------------------------------------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------------------------------------

_RUNNERS: dict[str, Callable[[Methodology, Dataset, State], State]] = {
    "select": _step_select,
    "transform": _step_transform,
    "impute": _step_impute,
    "treat": _step_treat,
    "normalise": _step_normalise,
    "weight": _step_weight_aggregate,
    "classify": _step_classify,
}


def _present(m: Methodology, step: str) -> bool:
    if step == "select":
        return True
    if step == "transform":
        return bool(m.transform_entries)
    if step == "weight":
        return bool(m.entries("aggregate"))
    if step == "aggregate":
        return False  # runs together with weight
    return bool(m.entries(step))


def run(
    m: Methodology, data: Dataset, start: str = "select", state: State | None = None
) -> tuple[State, dict[str, State]]:
    """Run the steps from ``start`` on ``state`` (the state before ``start``); return the final state and the
    state before each step that ran (what ``Result.regen`` restarts from)."""
    st = state if state is not None else State()
    if start == "aggregate":
        start = "weight"
    snapshots: dict[str, State] = {}
    for step in STEPS[STEPS.index(start) :]:
        snapshots[step] = st
        if _present(m, step):
            st = _RUNNERS[step](m, data, st)
    if m.summaries:
        st = _step_summarise(m, data, st)
    return st, snapshots


def data_problems(m: Methodology, data: Dataset) -> list[SpecProblem]:
    """Every problem of running ``m`` on ``data``, found before any computation."""
    f = m.file
    rows, out = _corrections(m, data)
    if out:
        return out
    if len(rows):
        data = data.with_values(rows.drop(columns=["was"]), status="derived", source="correction")
    present = {str(c) for c in data.observations["indicator"].unique().tolist()}
    known = sorted({str(c) for c in data.indicators.index} | present)
    for code, key in _raw_inputs(m):
        if code not in present:
            near = closest(code, known) if code not in known else None  # a known code needs no hint
            hint = f"; closest {near!r}" if near else ""
            what = "is not in the data" if code not in known else "has no observation in the data"
            out.append(SpecProblem(f, key, f"indicator {code!r} {what}{hint}", "unknown_indicator"))
    territories, _, tprobs = _select_territories(m, data)
    out += tprobs
    if not territories and not out:  # with indicators missing, an empty selection is their consequence
        out.append(
            SpecProblem(
                f,
                "select.territories",
                "no territory is selected (or none has data for the spec's indicators)",
                "too_few_territories",
            )
        )
    else:
        raw = [c for c, _ in _raw_inputs(m)]
        avail = _available_years(data, raw, territories, _uses_spans(m) or bool(_requested_periods(m)))
        _, _, yprobs = _select_years(m, avail)
        out += yprobs
    all_codes = set(str(c) for c in data.territories.index)
    for e in m.transform_entries:
        ref = e.params.get("reference")
        if isinstance(ref, str) and ref not in all_codes:
            out.append(
                SpecProblem(
                    f,
                    e.param_keys.get("reference", e.key),
                    f"reference territory {ref!r} is not in the data",
                    "unknown_territory",
                )
            )
    categorical = {c for c in set(m.leaves) if _is_categorical(m, data, c)}
    # normalise: tables by name, band tables per indicator, categorical indicators need label scoring
    from aimaq.methods.normalise import validate_bands

    targets = {e.target for e in m.entries("normalise") if e.target is not None}
    converted: dict[Any, Any] = {}  # each band table converted once for all its indicators
    for e in m.entries("normalise"):
        cols = [c for c in m.leaves if (c == e.target if e.target else c not in targets)]
        if e.method == "bands":
            table = e.params.get("table")
            key = e.param_keys.get("table", f"{e.key}.params.table")
            if isinstance(table, str) and table not in data.tables:
                near = closest(table, sorted(data.tables))
                hint = f"; closest {near!r}" if near else ""
                out.append(
                    SpecProblem(
                        f, key, f"reference table {table!r} is not in the data{hint}", "unknown_table"
                    )
                )
                continue
            for code in cols:
                rows, _ = _band_table(m, data, e, code, converted)
                if code in categorical:
                    if not _category_points(rows or []):
                        out.append(
                            SpecProblem(
                                f,
                                key,
                                f"indicator {code!r} is categorical but the table has no "
                                "labelled rows for it",
                                "bands",
                            )
                        )
                    continue
                numeric = [
                    r
                    for r in rows or []
                    if r.get("lower") not in (None, "") or r.get("upper") not in (None, "") or "interval" in r
                ]
                if not numeric:
                    out.append(
                        SpecProblem(f, key, f"the band table has no rows for indicator {code!r}", "bands")
                    )
                    continue
                try:
                    issues = validate_bands(rows, e.params.get("domain", "real"), name=f"indicator {code!r}")
                except ValueError as exc:
                    out.append(SpecProblem(f, key, str(exc), "bands"))
                    continue
                out += [SpecProblem(f, key, i.message, "bands") for i in issues]
        elif e.method != "categories":
            for code in cols:
                if code in categorical:
                    out.append(
                        SpecProblem(
                            f,
                            f"{e.key}.method",
                            f"indicator {code!r} is categorical; score it with "
                            "`bands` (labelled rows) or `categories`, not "
                            f"{e.method!r}",
                            "bad_parameter",
                        )
                    )
    if categorical and not m.entries("normalise"):
        out.append(
            SpecProblem(
                f,
                "normalise",
                f"categorical indicator(s) {', '.join(sorted(categorical))} need a "
                "normalise step (`categories` or `bands`)",
                "bad_parameter",
            )
        )
    # classifications: k <= n, something to classify
    n = len(territories)
    for e in m.classifications:
        for name in ("k", "n_clusters", "n_classes"):
            if name in e.params:
                k = e.params[name]
                if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= max(n, 1):
                    out.append(
                        SpecProblem(
                            f,
                            e.param_keys.get(name, f"{e.key}.params.{name}"),
                            f"must be an int in [1, {n}] ({n} territories selected). Got {k!r} instead.",
                            "too_few_territories",
                        )
                    )
        on = e.extra.get("on")
        if on is None and not m.entries("aggregate"):
            out.append(
                SpecProblem(
                    f,
                    f"{e.key}.on",
                    "there is no aggregate step, so say what to classify (`on: <indicator>`)",
                    "bad_parameter",
                )
            )
    for key, block in m.summaries:
        if str(block["id"]) in territories:
            out.append(
                SpecProblem(
                    f,
                    f"{key}.id",
                    f"{block['id']!r} is a selected territory; name the summary row otherwise",
                    "duplicate",
                )
            )
        over = block.get("over", "selected")
        for i, t in enumerate(over if isinstance(over, list) else []):
            if str(t) not in territories:
                near = closest(str(t), territories)
                hint = f"; closest {near!r}" if near else ""
                out.append(
                    SpecProblem(
                        f, f"{key}.over.{i}", f"territory {t!r} is not selected{hint}", "unknown_territory"
                    )
                )
    if not out:
        out += _preflight(m, max(n, 2))
    return out


#: Methods checked by their own table validation (spec and data checks) rather than by a pre-flight call.
_NO_PREFLIGHT = {("normalise", "bands"), ("normalise", "categories"), ("classify", "thresholds")}


def _preflight(m: Methodology, n: int) -> list[SpecProblem]:
    """Call every method once on a small synthetic table (n territories, strictly positive, no missing
    value) to surface parameter errors (``a`` > ``b``, ``n_classes: 1``) before any computation.

    Only errors naming one of the entry's own parameters are reported: an objection to the synthetic data
    itself says nothing about the spec.
    """
    out: list[SpecProblem] = []
    rng = np.random.default_rng(0)

    def table(k: int) -> np.ndarray:
        return 1.0 + rng.random((n, max(k, 1)))

    def check(e: StepEntry, call: Callable[[], Any]) -> None:
        try:
            call()
        except ValueError as exc:
            head = str(exc).split(":", 1)[0].strip()
            if head in e.params:
                out.append(SpecProblem(m.file, e.param_keys.get(head, e.key), str(exc), "bad_parameter"))
        except Exception:  # the real run reports anything else, with its key path
            return

    leaves = m.leaves
    for step in ("impute", "treat", "normalise"):
        entries = m.entries(step)
        targets = {e.target for e in entries if e.target is not None}
        for e in entries:
            if (step, e.method) in _NO_PREFLIGHT:
                continue
            k = 1 if e.target is not None else max(1, len([c for c in leaves if c not in targets]))
            func = get_method(step, e.method)
            X = table(k)
            if step == "impute":
                check(e, lambda f=func, X=X, e=e: f(X, groups=None, history=None, **e.params))
            elif step == "treat":
                check(e, lambda f=func, X=X, e=e: f(X, **e.params))
            else:
                own = {k: v for k, v in e.params.items() if k not in ENGINE_PARAMETERS["normalise"]}
                check(e, lambda f=func, X=X, own=own: f(X, direction=np.ones(X.shape[1]), **own))
    for g in m.postorder():
        kids = m.children(g)
        X = table(len(kids))
        we = _entry_for(m, "weight", g)
        if we is not None and we.step == "weight":
            wf = get_method("weight", we.method)
            check(we, lambda f=wf, X=X, e=we, kids=kids: f(X, **_weight_params(e, kids)))
        ae = _entry_for(m, "aggregate", g)
        if ae is not None:
            af = get_method("aggregate", ae.method)
            w = np.full(len(kids), 1.0 / len(kids))
            check(ae, lambda f=af, X=X, w=w, e=ae: f(X, w, **e.params))
    for e in m.classifications:
        if ("classify", e.method) in _NO_PREFLIGHT:
            continue
        on = e.extra.get("on")
        cf = get_method("classify", e.method)
        x = table(len(on)) if isinstance(on, list) else table(1)[:, 0]
        check(e, lambda f=cf, x=x, e=e: f(x, **e.params))
    return out


def compute(methodology: Methodology, data: Dataset) -> Result:
    """Run a methodology on a Dataset and return the :class:`~aimaq.engine.result.Result`.

    Every problem of the spec and of the data it needs is reported at once, as :class:`SpecErrors`, before
    any computation; a method that still refuses its input raises ``SpecErrors`` naming the spec key path.
    """
    problems = data_problems(methodology, data)
    if problems:
        raise SpecErrors(problems)
    final, snapshots = run(methodology, data)
    return Result(
        methodology=methodology,
        dataset=data,
        state=final,
        snapshots=snapshots,
        table=result_table(methodology, final),
    )
