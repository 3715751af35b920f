"""Preset results: the shipped methodologies run on the store's data, cached, for the CLI and the web app.

One :class:`Results` over a data source (anything with ``dataset() -> Dataset``, normally
:class:`aimaq.store.Store`, or a callable returning a Dataset). It runs the shipped methodologies
(``aimaq/methodologies/*.yaml``, :mod:`aimaq.engine.registry`) on that Dataset and keeps each
:class:`~aimaq.engine.result.Result` in memory per ``(methodology, data version)``: the data version is a
digest of the Dataset's tables, so an import made in another process gives new results and an unchanged
re-read of the store keeps the old ones. Concurrent first requests for one methodology wait for one
computation (one lock per key), the way the web app builds its plotly.js answer once.

What it exposes, all as plain pandas/dicts so that both the CLI and the web render them:

- :meth:`Results.catalogue`: every preset with its title, source and whether it runs on the data;
- :meth:`Results.result`, :meth:`Results.table`: the result table (score, rank, classes) per year;
- :meth:`Results.explain`: contributions, strengths and weaknesses of one territory;
- :meth:`Results.reproduction`: the reproduction report of the spec's ``expected:`` block;
- :meth:`Results.indices_of`: every index a territory is in, with its score, rank of N and classes;
- :meth:`Results.what_if`: new scores, ranks and classes after changing values or weights (nothing saved).

A what-if recomputes a methodology (about 0.1 s of CPU). In a web worker that CPU time, taken in a thread,
holds the interpreter lock while the event loop waits for it after every socket call, so that every read
queues behind the computations. With ``what_if_processes`` (``$AIMAQ_WHATIF_PROCESSES``, which ``aimaq
serve`` sets) the computation runs in separate processes instead, scheduled by the operating system beside
the web worker; each keeps the Dataset of the current data version and its own preset results.

Examples
--------
>>> r = Results(lambda: None)          # the data source is read on the first result, not here
>>> "seed004_monotown_potential" in r.presets()
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aimaq.dataset import Dataset
from aimaq.engine.errors import SpecErrors, SpecProblem
from aimaq.engine.registry import Entry, entries, load
from aimaq.engine.reproduce import ReproductionReport, reproduce
from aimaq.engine.result import Explanation, Result

__all__ = [
    "DATA_REASONS",
    "NotComputable",
    "Results",
    "WhatIf",
    "data_version",
]

#: Spec problems that only say the data are not loaded (seed 002's regional GVA must be imported first).
DATA_REASONS = frozenset({"unknown_indicator", "no_data", "unknown_territory", "unknown_table"})


class NotComputable(LookupError):
    """A methodology that does not run on this data, with the engine's problems (``SpecProblem`` rows).

    ``missing_data`` is True when every problem only says that data are missing, so a page can say "import
    the data" rather than "the spec is broken".
    """

    def __init__(self, name: str, problems: Sequence[SpecProblem]):
        self.name = name
        self.problems = tuple(problems)
        self.missing_data = bool(self.problems) and all(p.reason in DATA_REASONS for p in self.problems)
        text = "; ".join(f"{p.key}: {p.message} [{p.reason}]" for p in self.problems) or "no problem recorded"
        super().__init__(f"methodology {name!r} does not run on this data: {text}")

    def to_dict(self) -> dict[str, Any]:
        """``{"methodology", "missing_data", "errors": [{file, key, message, reason}, ...]}``."""
        return {
            "methodology": self.name,
            "missing_data": self.missing_data,
            "errors": [dataclasses.asdict(p) for p in self.problems],
        }


def data_version(data: Dataset) -> str:
    """A digest of the Dataset's observations, territories, indicators and reference-table names.

    Two reads of an unchanged store give the same version, so their results are shared.

    Examples
    --------
    >>> obs = pd.DataFrame({"territory": ["a"], "indicator": ["x"], "period": ["2020"], "value": [1.0]})
    >>> a, b = Dataset.from_long(obs), Dataset.from_long(obs.assign(value=[2.0]))
    >>> data_version(a) == data_version(Dataset.from_long(obs)), data_version(a) == data_version(b)
    (True, False)
    """
    h = hashlib.sha1()
    for frame in (data.observations, data.territories, data.indicators):
        if frame is None or len(frame) == 0:
            h.update(b"-")
            continue
        h.update(",".join(map(str, frame.columns)).encode())
        h.update(pd.util.hash_pandas_object(frame.astype(str), index=True).values.tobytes())
    h.update(",".join(sorted(getattr(data, "tables", None) or {})).encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class WhatIf:
    """Scores, ranks and classes before and after a change; nothing is saved.

    ``table`` has one row per territory of the year: ``score``, ``rank``, each classification and the
    same columns suffixed ``_new``, plus ``score_delta`` and ``rank_delta`` (negative rank delta: moved up).
    """

    methodology: str
    year: int
    values: tuple[tuple[str, str, float | str], ...]
    weights: Mapping[str, float]
    edits: Mapping[str, Any]
    table: pd.DataFrame
    classifications: tuple[str, ...] = ()

    def moved(self) -> pd.DataFrame:
        """The rows whose rank or a class changed."""
        t = self.table
        mask = pd.Series(False, index=t.index)
        if "rank_delta" in t.columns:
            mask |= t["rank_delta"].fillna(0) != 0
        for cid in self.classifications:
            mask |= t[cid].astype(str) != t[f"{cid}_new"].astype(str)
        return t[mask]


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    result: Result | None = None
    error: NotComputable | None = None
    report: ReproductionReport | None = None
    report_done: bool = False


class Results:
    """Results of the shipped methodologies on one data source, cached per (methodology, data version).

    Parameters
    ----------
    source : object with ``dataset()``, or a callable returning a Dataset
        Normally :class:`aimaq.store.Store`; the web app passes its current snapshot's Dataset.
    directory : Path, optional
        The methodology folder (default: the shipped ``aimaq/methodologies``).
    max_versions : int, default 2
        Data versions kept; older ones are forgotten (a store that changes keeps memory bounded).
    what_if_processes : int, optional
        Run :meth:`what_if` in this many separate processes (0: in the calling thread). Default
        ``$AIMAQ_WHATIF_PROCESSES``, else 0.
    """

    def __init__(
        self,
        source: Any,
        *,
        directory: Path | None = None,
        max_versions: int = 2,
        what_if_processes: int | None = None,
    ) -> None:
        if callable(source) and not hasattr(source, "dataset"):
            self._read: Callable[[], Dataset] = source
        elif hasattr(source, "dataset"):
            self._read = source.dataset
        else:
            raise TypeError(
                f"Results: source must have dataset() or be callable, got {type(source).__name__}"
            )
        self.directory = directory
        self.max_versions = max_versions
        self._slots: dict[tuple[str, str], _Slot] = {}
        self._versions: list[str] = []
        self._lock = threading.Lock()
        self._last: tuple[int, Dataset, str] | None = None
        self._entries: list[Entry] | None = None
        self._methodologies: dict[str, Any] = {}
        if what_if_processes is None:
            what_if_processes = int(os.environ.get("AIMAQ_WHATIF_PROCESSES") or 0)
        if what_if_processes < 0:
            raise ValueError(f"what_if_processes: must be >= 0, got {what_if_processes}")
        self.what_if_processes = what_if_processes
        self._executor: ProcessPoolExecutor | None = None

    # ------------------------------------------------------------------ data
    def dataset(self) -> Dataset:
        """The current Dataset (``Store.dataset()`` already carries the reference tables)."""
        return self._read()

    def _versioned(self, data: Dataset | None) -> tuple[Dataset, str]:
        data = self.dataset() if data is None else data
        last = self._last
        if last is not None and last[0] == id(data) and last[1] is data:
            return data, last[2]
        version = data_version(data)
        self._last = (id(data), data, version)
        return data, version

    # ------------------------------------------------------------------ catalogue
    def entries(self) -> list[Entry]:
        """The shipped presets (worked examples, which need their own data file, are left out).

        Read once: the specs are files of the installed package, not data.
        """
        if self._entries is None:
            self._entries = [e for e in entries(self.directory) if not e.example]
        return self._entries

    def methodology(self, name: str) -> Any:
        """The validated :class:`~aimaq.engine.spec.Methodology` of preset ``name``, read once."""
        if name not in self._methodologies:
            self._methodologies[name] = load(self.entry(name).path)
        return self._methodologies[name]

    def presets(self) -> list[str]:
        """Names of the shipped presets."""
        return [e.name for e in self.entries()]

    def entry(self, name: str) -> Entry:
        """The registry entry of ``name``; KeyError naming the presets otherwise."""
        for e in self.entries():
            if e.name == name:
                return e
        raise KeyError(f"no methodology {name!r}; the presets are {', '.join(self.presets())}")

    def catalogue(self, data: Dataset | None = None, *, compute: bool = True) -> list[dict[str, Any]]:
        """Every preset: name, title, description, source, and (with ``compute``) whether it runs.

        Rows have ``status``: ``"ok"`` (with ``years`` and ``territories``), ``"missing_data"`` or
        ``"error"`` (with ``errors``), or ``"not_computed"`` when ``compute`` is False.
        """
        out = []
        for e in self.entries():
            row: dict[str, Any] = {
                "name": e.name,
                "title": dict(e.title),
                "description": dict(e.description),
                "source": dict(e.source),
                "has_expected": e.has_expected,
                "status": "not_computed",
            }
            if compute:
                try:
                    r = self.result(e.name, data)
                    row.update(status="ok", years=list(r.years), territories=len(r.territories))
                except NotComputable as exc:
                    row.update(
                        status="missing_data" if exc.missing_data else "error",
                        errors=exc.to_dict()["errors"],
                    )
            out.append(row)
        return out

    # ------------------------------------------------------------------ results
    def _slot(self, name: str, version: str) -> _Slot:
        with self._lock:
            key = (name, version)
            slot = self._slots.get(key)
            if slot is None:
                if version not in self._versions:
                    self._versions.append(version)
                    for old in self._versions[: -self.max_versions]:
                        for k in [k for k in self._slots if k[1] == old]:
                            del self._slots[k]
                    self._versions = self._versions[-self.max_versions :]
                slot = self._slots[key] = _Slot()
            return slot

    def result(self, name: str, data: Dataset | None = None) -> Result:
        """The Result of preset ``name`` on ``data`` (default: the source's current Dataset), cached.

        Raises
        ------
        KeyError
            ``name`` is not a shipped preset.
        NotComputable
            The spec does not run on this data (its problems say why: usually data not imported).
        """
        self.entry(name)
        data, version = self._versioned(data)
        slot = self._slot(name, version)
        with slot.lock:  # one computation per key; the others wait for it
            if slot.result is None and slot.error is None:
                try:
                    slot.result = self.methodology(name).compute(data)
                except SpecErrors as exc:
                    slot.error = NotComputable(name, exc.problems)
            if slot.error is not None:
                raise slot.error
            assert slot.result is not None
            return slot.result

    def try_result(self, name: str, data: Dataset | None = None) -> Result | None:
        """:meth:`result`, or None when the preset does not run on the data."""
        try:
            return self.result(name, data)
        except NotComputable:
            return None

    def table(self, name: str, year: int | None = None, data: Dataset | None = None) -> pd.DataFrame:
        """One year's result table indexed by territory (default: the last computed year)."""
        return self.result(name, data).table_for(year)

    def explain(
        self, name: str, territory: str, year: int | None = None, data: Dataset | None = None
    ) -> Explanation:
        """:meth:`aimaq.engine.result.Result.explain` of the cached result."""
        return self.result(name, data).explain(territory, year)

    def reproduction(self, name: str, data: Dataset | None = None) -> ReproductionReport | None:
        """The reproduction report of the preset's ``expected:`` block (None without one), cached."""
        if not self.entry(name).has_expected:
            return None
        result = self.result(name, data)
        data, version = self._versioned(data)
        slot = self._slot(name, version)
        with slot.lock:
            if not slot.report_done:
                slot.report = reproduce(result.methodology, data, result)
                slot.report_done = True
            return slot.report

    def warm(self, data: Dataset | None = None) -> None:
        """Compute every preset (and its reproduction report) now, e.g. in a thread at server start."""
        data, _ = self._versioned(data)
        for name in self.presets():
            try:
                self.result(name, data)
                self.reproduction(name, data)
            except NotComputable:
                continue

    # ------------------------------------------------------------------ per territory
    def indices_of(self, territory: str, data: Dataset | None = None) -> list[dict[str, Any]]:
        """Every preset result that contains ``territory``, for each computed year.

        Returns rows ``{methodology, year, score, rank, n, classes: {id: class id}, groups: {id: score}}``;
        ``score``/``rank`` are None for a methodology that only classifies.
        """
        data, _ = self._versioned(data)
        out = []
        for name in self.presets():
            r = self.try_result(name, data)
            if r is None or territory not in r.territories:
                continue
            for year in r.years:
                t = r.table_for(year)
                if territory not in t.index:
                    continue
                row = t.loc[territory]
                n = int(t["score"].notna().sum()) if "score" in t.columns else len(t)
                groups = {
                    g: _num(row.get(g))
                    for g in r.methodology.groups
                    if g != r.methodology.root and g in t.columns
                }
                out.append(
                    {
                        "methodology": name,
                        "year": int(year),
                        "score": _num(row.get("score")),
                        "rank": _int(row.get("rank")),
                        "n": n,
                        "classes": {cid: _text(row.get(cid)) for cid in r.classification_ids},
                        "groups": groups,
                    }
                )
        return out

    # ------------------------------------------------------------------ what-if
    def what_if(
        self,
        name: str,
        *,
        values: Sequence[tuple[str, str, float | str]] = (),
        weights: Mapping[str, float] | None = None,
        edits: Mapping[str, Any] | None = None,
        year: int | None = None,
        data: Dataset | None = None,
    ) -> WhatIf:
        """Recompute preset ``name`` with changed values and weights; return before and after.

        Parameters
        ----------
        values : sequence of (territory, indicator, value)
            Observations replaced for the computed ``year`` (a number, or a label for a categorical
            indicator), as ``aimaq compute --set`` does (``Result.what_if``).
        weights : mapping child -> weight, optional
            A new weight of an indicator or group within its parent group; the parent's other children keep
            the weights the result used for that year, and the group is weighted ``explicit`` (then
            rescaled to sum 1, :func:`aimaq.methods.weight.explicit`).
        edits : mapping key path -> value, optional
            Any other spec edits (``{"aggregate.method": "geometric_mean"}``), as ``Result.regen`` takes.
        year : int, optional
            Default: the last computed year.

        Raises
        ------
        SpecErrors
            Every problem at once (unknown territory, indicator, weight child, or a bad edit), each with its
            key path (``values.0.indicator``, ``weights.x``).
        """
        if self.what_if_processes:
            return self._what_if_elsewhere(name, data, values, weights, edits, year)
        return self._what_if_here(name, values, weights, edits, year, data)

    def _what_if_here(
        self,
        name: str,
        values: Sequence[tuple[str, str, float | str]],
        weights: Mapping[str, float] | None,
        edits: Mapping[str, Any] | None,
        year: int | None,
        data: Dataset | None,
    ) -> WhatIf:
        base = self.result(name, data)
        y = base.years[-1] if year is None else int(year)
        problems: list[SpecProblem] = []
        file = base.methodology.file
        if y not in base.years:
            problems.append(
                SpecProblem(
                    file, "year", f"year {y} was not computed; choose one of {list(base.years)}", "bad_edit"
                )
            )
        known_leaves = set(base.state.leaves) | set(base.methodology.leaves)
        indicators = set(base.dataset.indicators.index) | known_leaves
        for i, (territory, indicator, _value) in enumerate(values):
            if territory not in base.territories:
                problems.append(
                    SpecProblem(
                        file,
                        f"values.{i}.territory",
                        f"territory {territory!r} is not in this result; "
                        f"choose one of {sorted(base.territories)}",
                        "unknown_territory",
                    )
                )
            if indicator not in indicators:
                problems.append(
                    SpecProblem(
                        file,
                        f"values.{i}.indicator",
                        f"indicator {indicator!r} is not in the data; "
                        f"the methodology uses {sorted(known_leaves)}",
                        "unknown_indicator",
                    )
                )
        weight_edits = self._weight_edits(
            base, dict(weights or {}), y if y in base.years else base.years[-1], problems
        )
        if problems:
            raise SpecErrors(problems)
        all_edits = {**weight_edits, **dict(edits or {})}
        new = base
        if values:
            rows = []
            for territory, indicator, value in values:
                row: dict[str, Any] = {"territory": territory, "indicator": indicator, "period": str(y)}
                if isinstance(value, str):
                    row.update(value=np.nan, value_text=value)
                else:
                    row.update(value=float(value), value_text=None)
                rows.append(row)
            m = base.methodology.with_edits(all_edits) if all_edits else base.methodology
            new = m.compute(base.dataset.with_values(pd.DataFrame(rows)))
        elif all_edits:
            new = base.regen(all_edits)
        return WhatIf(
            methodology=name,
            year=y,
            values=tuple((str(t), str(i), v) for t, i, v in values),
            weights=dict(weights or {}),
            edits=all_edits,
            table=_compare(base.table_for(y), new.table_for(y), base.classification_ids),
            classifications=tuple(base.classification_ids),
        )

    def _what_if_elsewhere(self, name: str, data: Dataset | None, *change: Any) -> WhatIf:
        """:meth:`_what_if_here` in a what-if process; the Dataset is sent only to a process without it."""
        self.entry(name)  # an unknown name raises here, as in the calling thread
        data, version = self._versioned(data)
        values, weights, edits, year = change
        args = (name, tuple(values), dict(weights or {}), dict(edits or {}), year)
        try:
            pool = self._pool()
            answer = pool.submit(_child_what_if, self.directory, version, None, *args).result()
            for _ in range(self.what_if_processes + 1):  # each process without the data asks for it once
                if answer[0] != "need_data":
                    break
                answer = pool.submit(_child_what_if, self.directory, version, data, *args).result()
        except BrokenProcessPool:  # a process died (out of memory?): start new ones next time
            self._executor = None
            return self._what_if_here(name, values, weights, edits, year, data)
        kind, payload = answer
        if kind == "spec_errors":
            raise SpecErrors(payload)
        if kind == "not_computable":
            raise NotComputable(name, payload)
        if kind != "ok":
            return self._what_if_here(name, values, weights, edits, year, data)
        return payload

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the web worker has threads (fork would copy their locks mid-use)
                self._executor = ProcessPoolExecutor(
                    self.what_if_processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_child_start,
                )
            return self._executor

    def close(self) -> None:
        """Stop the what-if processes (if any)."""
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None

    @staticmethod
    def _weight_edits(
        base: Result, weights: Mapping[str, float], year: int, problems: list[SpecProblem]
    ) -> dict[str, Any]:
        m = base.methodology
        parent_of = {c: g for g, kids in m.groups.items() for c in kids}
        yi = base.years.index(year)
        per_group: dict[str, dict[str, float]] = {}
        for child, w in weights.items():
            key = f"weights.{child}"
            g = parent_of.get(child)
            if g is None:
                problems.append(
                    SpecProblem(
                        m.file,
                        key,
                        f"{child!r} is no indicator or group of a weighted group; "
                        f"choose one of {sorted(parent_of)}",
                        "unknown_group",
                    )
                )
                continue
            if not isinstance(w, (int, float)) or isinstance(w, bool) or not math.isfinite(w) or w < 0:
                problems.append(
                    SpecProblem(m.file, key, f"must be a number >= 0. Got {w!r} instead.", "bad_parameter")
                )
                continue
            if g not in per_group:
                current = base.state.weights.get(g)
                kids = m.children(g)
                per_group[g] = {
                    c: (float(current[yi][i]) if current is not None else 1.0) for i, c in enumerate(kids)
                }
            per_group[g][child] = float(w)
        edits = {}
        for g, ws in per_group.items():
            if sum(ws.values()) <= 0:
                problems.append(
                    SpecProblem(m.file, f"weights.{g}", f"the weights within group {g!r} sum to 0", "weights")
                )
                continue
            edits[f"weight.by_group.{g}"] = {"method": "explicit", "params": {"weights": ws}}
        if edits and m.get("weight") is None:
            # No weight step: the groups were weighted by `aggregate.weights` (the short form) or equally
            # (the pipeline's default). The what-if writes a weight step whose default is that weighting,
            # so the groups it leaves alone keep theirs, and drops the short form it replaces.
            short = m.weight_shorthand()
            default = {"method": short.method, "params": dict(short.params)} if short else {"method": "equal"}
            by_group = {key.removeprefix("weight.by_group."): block for key, block in edits.items()}
            edits = {"weight": {"default": default, "by_group": by_group}}
            if short is not None:
                edits["aggregate.weights"] = None
        return edits


#: In a what-if process: the data version it holds, its Dataset and its Results over it.
_CHILD: dict[str, Any] = {}


def _child_start() -> None:
    # A web worker stopped by a signal does not shut its pool down: leave when the parent is gone.
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="aimaq-whatif-parent", daemon=True).start()


def _child_what_if(
    directory: Path | None,
    version: str,
    data: Dataset | None,
    name: str,
    values: tuple[tuple[str, str, float | str], ...],
    weights: dict[str, float],
    edits: dict[str, Any],
    year: int | None,
) -> tuple[str, Any]:
    """Run in a what-if process: ``("ok", WhatIf)``, ``("need_data", None)`` when it holds another data
    version, or the problems of ``SpecErrors`` / ``NotComputable`` (exceptions with their own ``__init__``
    do not survive pickling, so their rows are sent instead)."""
    if data is not None:
        _CHILD.update(key=(directory, version), data=data, results=Results(lambda: data, directory=directory))
    elif _CHILD.get("key") != (directory, version):
        return ("need_data", None)
    results: Results = _CHILD["results"]
    try:
        return ("ok", results._what_if_here(name, values, weights, edits, year, _CHILD["data"]))
    except SpecErrors as exc:
        return ("spec_errors", list(exc.problems))
    except NotComputable as exc:
        return ("not_computable", list(exc.problems))


def _compare(before: pd.DataFrame, after: pd.DataFrame, classifications: Sequence[str]) -> pd.DataFrame:
    cols = [c for c in ("score", "rank", *classifications) if c in before.columns]
    out = before[cols].copy()
    for c in cols:
        out[f"{c}_new"] = after[c].reindex(out.index) if c in after.columns else np.nan
    if "score" in cols:
        out["score_delta"] = out["score_new"] - out["score"]
    if "rank" in cols:
        out["rank_delta"] = out["rank_new"] - out["rank"]
    out.index.name = "territory"
    return out


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v: Any) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)
