"""The uncertainty view of every preset, computed in the background on the store's data, cached per version.

One :class:`Uncertainties` over a :class:`aimaq.services.results.Results` runs
:func:`aimaq.engine.uncertainty.analyse` for a shipped preset with the preset's own ``uncertainty:`` block,
or :meth:`~aimaq.engine.uncertainty.Declaration.default` (weights ±20 % and the notes' disputed cells) when
it has none, with the service's ``n`` replications, ``seed`` and Sobol sensitivity indices. The numbers are
reproducible: the same data, ``n`` and ``seed`` give the same intervals, and the web pages state both.

The runs go through one worker thread, one preset at a time, so that a page never waits for a run and the
runs never take more than the engine's own chunk threads: :meth:`Uncertainties.status` answers at once with
``"ready"`` (and the result), ``"computing"`` (the run is queued or running; ``progress`` says how far) or
``"unavailable"`` (with a ``reason``: the preset has no data in the store, its declaration is invalid, or the
run failed). A preset asked for by a page goes to the front of the queue; :meth:`Uncertainties.warm` (the
web app's start-up) queues every preset behind it.

Results are kept per ``(preset, data version, year)``, the data version being
:func:`aimaq.services.results.data_version`, as :mod:`aimaq.services.results` keeps nominal results: an
import gives new runs, an unchanged re-read of the store keeps the old ones.

:func:`territory_rows` turns a result into the per-territory rows of the web's JSON contract
(``/api/uncertainty/{preset}.json``, docs/web.md) and :func:`confidence` is the rule behind their
``confidence`` field.

Environment: ``AIMAQ_WEB_UNCERTAINTY_N`` (default 1024) and ``AIMAQ_WEB_UNCERTAINTY_SEED`` (default 0) set
the defaults of ``n`` and ``seed``; the tests use a small ``n``.

Examples
--------
>>> confidence(lo=3, hi=4, n=20, p_class=0.97)
'high'
>>> confidence(lo=3, hi=8, n=20, p_class=None), confidence(lo=3, hi=4, n=20, p_class=0.55)
('medium', 'low')
"""

from __future__ import annotations

import collections
import copy
import functools
import math
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from aimaq.dataset import Dataset
from aimaq.engine.errors import SpecErrors
from aimaq.engine.uncertainty import Declaration, UncertaintyResult, analyse
from aimaq.i18n import LANGUAGES
from aimaq.services.results import NotComputable, Results, data_version

__all__ = [
    "CONFIDENCE_RULE",
    "Status",
    "Uncertainties",
    "confidence",
    "rounded",
    "territory_rows",
]

#: Environment variables of the default ``n`` and ``seed``.
ENV_N = "AIMAQ_WEB_UNCERTAINTY_N"
ENV_SEED = "AIMAQ_WEB_UNCERTAINTY_SEED"

#: Thresholds of :func:`confidence`: the width of the 5-95 % rank interval as a share of the territories
#: ranked, and the share of replications that keep the nominal class.
CONFIDENCE_RULE: dict[str, dict[str, float]] = {
    "high": {"max_width_share": 0.10, "min_p_class": 0.90},
    "medium": {"max_width_share": 0.25, "min_p_class": 0.60},
}


def confidence(*, lo: int | None, hi: int | None, n: int, p_class: float | None) -> str | None:
    """How firmly a territory holds its nominal rank and class: ``"high"``, ``"medium"`` or ``"low"``.

    The rank interval's width is ``hi - lo`` (0 when every replication gives one rank). ``high`` when the
    width is at most ``max(1, 0.10 n)`` ranks and at least 90 % of the replications keep the nominal class;
    ``medium`` when the width is at most ``max(1, 0.25 n)`` and at least 60 % keep the class; ``low``
    otherwise (:data:`CONFIDENCE_RULE`). A part that is missing (no rank, or no classification) is not
    tested; None when both are missing.

    The thresholds follow the reading the Handbook suggests for rank-interval plots (OECD/JRC 2008, Step 7,
    p.117-118): a territory whose interval spans a tenth of the ranking is firmly placed, one spanning a
    quarter or more is not, and a class kept in nine replications of ten is what a profile may state.

    Examples
    --------
    >>> confidence(lo=8, hi=8, n=8, p_class=1.0), confidence(lo=1, hi=2, n=8, p_class=None)
    ('high', 'high')
    >>> confidence(lo=1, hi=5, n=8, p_class=None), confidence(lo=None, hi=None, n=8, p_class=None) is None
    ('low', True)
    """
    if (lo is None or hi is None) and p_class is None:
        return None
    for level in ("high", "medium"):
        rule = CONFIDENCE_RULE[level]
        ok = True
        if lo is not None and hi is not None:
            ok = hi - lo <= max(1.0, rule["max_width_share"] * n)
        if p_class is not None:
            ok = ok and p_class >= rule["min_p_class"] - 1e-12
        if ok:
            return level
    return "low"


@dataclass(frozen=True)
class Status:
    """Where the uncertainty run of one preset stands.

    ``state`` is ``"ready"`` (``result`` is set), ``"computing"`` (queued or running; ``progress`` in
    [0, 1]) or ``"unavailable"`` (``reason`` says why, ``reason_code`` is ``missing_data``,
    ``not_computable``, ``declaration`` or ``error``). ``n`` and ``seed`` are the run's settings.
    """

    preset: str
    state: str
    n: int
    seed: int
    sensitivity: bool
    version: str
    year: int | None = None
    result: UncertaintyResult | None = None
    reason: str | None = None
    reason_code: str | None = None
    progress: float = 0.0
    seconds: float | None = None


@dataclass(eq=False)  # compared by identity in the queue
class _Job:
    key: tuple[str, str, int | None]
    data: Dataset | None
    state: str = "computing"
    result: UncertaintyResult | None = None
    reason: str | None = None
    reason_code: str | None = None
    progress: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)
    rows: dict[tuple[str, str | None], list[dict[str, Any]]] = field(default_factory=dict)


class Uncertainties:
    """Uncertainty runs of the shipped presets over one :class:`~aimaq.services.results.Results`.

    Parameters
    ----------
    results : Results
        The presets and their nominal results (the run starts from the cached nominal result).
    n : int, optional
        Replications per run (default ``$AIMAQ_WEB_UNCERTAINTY_N``, else 1024: a power of 2 keeps the Sobol
        sequence balanced).
    seed : int, optional
        Seed of the sample (default ``$AIMAQ_WEB_UNCERTAINTY_SEED``, else 0).
    sensitivity : bool, default True
        Also compute the Sobol first-order and total indices (``n (G + 2)`` model runs for ``G`` factors).
    workers : int, optional
        Threads of the engine per run (default: the engine's, up to 2).
    max_versions : int, default 2
        Data versions kept; older runs are forgotten and their queued runs dropped.
    """

    def __init__(
        self,
        results: Results,
        *,
        n: int | None = None,
        seed: int | None = None,
        sensitivity: bool = True,
        workers: int | None = None,
        max_versions: int = 2,
    ) -> None:
        self.results = results
        self.n = int(n if n is not None else os.environ.get(ENV_N, 1024))
        self.seed = int(seed if seed is not None else os.environ.get(ENV_SEED, 0))
        if self.n < 1:
            raise ValueError(f"Uncertainties: n must be a positive int (replications). Got {self.n} instead.")
        if self.seed < 0:
            raise ValueError(f"Uncertainties: seed must be a non-negative int. Got {self.seed} instead.")
        self.sensitivity = bool(sensitivity)
        self.workers = workers
        self.max_versions = max_versions
        self._jobs: dict[tuple[str, str, int | None], _Job] = {}
        self._versions: list[str] = []
        self._queue: collections.deque[_Job] = collections.deque()
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopped = False
        self._last: tuple[Dataset, str] | None = None

    # ------------------------------------------------------------------ data version
    def _versioned(self, data: Dataset | None) -> tuple[Dataset, str]:
        data = self.results.dataset() if data is None else data
        last = self._last
        if last is not None and last[0] is data:
            return data, last[1]
        version = data_version(data)
        self._last = (data, version)
        return data, version

    # ------------------------------------------------------------------ asking
    def status(
        self, name: str, data: Dataset | None = None, *, year: int | None = None, start: bool = True
    ) -> Status:
        """The run of preset ``name`` on ``data`` (default: the source's current Dataset) for ``year``
        (default: the declaration's, else the last computed); with ``start`` a run not yet asked for is
        queued first in line. Never waits for a run.

        Raises
        ------
        KeyError
            ``name`` is not a shipped preset.
        """
        self.results.entry(name)
        data, version = self._versioned(data)
        key = (name, version, self._year(name, data, year))
        with self._cond:
            job = self._jobs.get(key)
            if job is None:
                if not start:
                    return self._status(key, None)
                job = self._add(key, data)
                self._queue.appendleft(job)
                self._ensure_worker()
                self._cond.notify_all()
            elif job.state == "computing" and job in self._queue and self._queue[0] is not job:
                self._queue.remove(job)  # a page asks for it: ahead of the warm-up's queue
                self._queue.appendleft(job)
            return self._status(key, job)

    def wait(
        self, name: str, data: Dataset | None = None, *, year: int | None = None, timeout: float | None = None
    ) -> Status:
        """:meth:`status`, then block until the run is done (or ``timeout`` seconds have passed)."""
        self.status(name, data, year=year)
        data, version = self._versioned(data)
        key = (name, version, self._year(name, data, year))
        with self._cond:
            job = self._jobs.get(key)
        if job is not None:
            job.done.wait(timeout)
        return self.status(name, data, year=year, start=False)

    def warm(self, data: Dataset | None = None, names: Iterable[str] | None = None) -> None:
        """Queue every preset (or ``names``) behind the runs pages asked for.

        Returns when they are queued; the nominal results that fix each run's year are computed first if
        they are not cached yet, so call it from a thread at start-up (after ``Results.warm``).
        """
        data, version = self._versioned(data)
        keys = [(name, version, self._year(name, data, None)) for name in (names or self.results.presets())]
        with self._cond:
            for key in keys:
                if key not in self._jobs:
                    self._queue.append(self._add(key, data))
            self._ensure_worker()
            self._cond.notify_all()

    def _year(self, name: str, data: Dataset, year: int | None) -> int | None:
        """The analysed year: ``year``, else the declaration's, else the last computed (one run serves the
        page that names the year and the one that does not); None when the preset does not run."""
        if year is not None:
            return int(year)
        try:
            last = self.results.result(name, data).years[-1]
            declared = Declaration.from_spec(self.results.methodology(name))
        except Exception:  # NotComputable, SpecErrors or an engine error: the run fails too, and says why
            return None
        return int(declared.year) if declared is not None and declared.year is not None else int(last)

    def rows(self, status: Status, lang: str, classification: str | None = None) -> list[dict[str, Any]]:
        """:func:`territory_rows` of a ready run, computed once per language and classification."""
        if status.result is None:
            raise ValueError(f"the uncertainty run of {status.preset!r} is {status.state}, not ready")
        with self._cond:
            job = next((j for j in self._jobs.values() if j.result is status.result), None)
        key = (lang, classification)
        if job is not None and key in job.rows:
            return job.rows[key]
        rows = territory_rows(status.result, lang, classification)
        if job is not None:
            job.rows[key] = rows
        return rows

    def close(self) -> None:
        """Stop the worker after its current run; queued runs are dropped."""
        with self._cond:
            self._stopped = True
            self._queue.clear()
            self._cond.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=60)

    # ------------------------------------------------------------------ internals
    def _status(self, key: tuple[str, str, int | None], job: _Job | None) -> Status:
        result = job.result if job is not None else None
        return Status(
            preset=key[0],
            state=job.state if job is not None else "computing",
            n=self.n,
            seed=self.seed,
            sensitivity=self.sensitivity,
            version=key[1],
            year=result.year if result is not None else key[2],
            result=result,
            reason=job.reason if job is not None else None,
            reason_code=job.reason_code if job is not None else None,
            progress=job.progress if job is not None else 0.0,
            seconds=result.seconds if result is not None else None,
        )

    def _add(self, key: tuple[str, str, int | None], data: Dataset) -> _Job:
        """A new job (the lock is held); the oldest data versions' jobs are forgotten."""
        version = key[1]
        if version not in self._versions:
            self._versions.append(version)
            for old in self._versions[: -self.max_versions]:
                for k in [k for k in self._jobs if k[1] == old]:
                    dropped = self._jobs.pop(k)
                    dropped.data = None
                    dropped.done.set()
                self._queue = collections.deque(j for j in self._queue if j.key[1] != old)
            self._versions = self._versions[-self.max_versions :]
        job = self._jobs[key] = _Job(key, data)
        return job

    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._stopped = False
            self._worker = threading.Thread(target=self._work, name="aimaq-uncertainty", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        # No lower OS priority for this thread: a niced thread that holds the GIL when the machine is busy
        # would keep the request threads waiting for it (priority inversion).
        while True:
            with self._cond:
                while not self._queue and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                job = self._queue.popleft()
                if self._jobs.get(job.key) is not job:  # its data version was forgotten meanwhile
                    continue
            self._run(job)

    def _run(self, job: _Job) -> None:
        name, _, year = job.key
        data = job.data
        assert data is not None

        def progress(done: int, total: int) -> None:
            job.progress = done / total if total else 1.0

        try:
            result = self.compute(name, data, year=year, progress=progress)
            # the rows cost a summary per territory: built here, so that the first page is served at once
            job.rows = {(lang, None): territory_rows(result, lang) for lang in LANGUAGES}
            job.result = result
            job.state, job.progress = "ready", 1.0
        except NotComputable as exc:
            job.state = "unavailable"
            job.reason_code = "missing_data" if exc.missing_data else "not_computable"
            job.reason = str(exc)
        except SpecErrors as exc:
            job.state, job.reason_code = "unavailable", "declaration"
            job.reason = f"the uncertainty declaration of {name!r} is not valid: {exc}"
        except Exception as exc:  # a run that fails must not stop the worker; the page shows the reason
            job.state, job.reason_code = "unavailable", "error"
            job.reason = f"the uncertainty run of {name!r} failed: {type(exc).__name__}: {exc}"
        finally:
            job.data = None  # the result keeps what it needs; the Dataset of an old version may go
            job.done.set()

    def compute(
        self,
        name: str,
        data: Dataset,
        *,
        year: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> UncertaintyResult:
        """Run the analysis of preset ``name`` now, in this thread (what the worker calls).

        Raises
        ------
        NotComputable
            The preset does not run on ``data``.
        SpecErrors
            Its ``uncertainty:`` block (or the ``year``) is not valid.
        """
        nominal = self.results.result(name, data)
        m = self.results.methodology(name)
        declaration = Declaration.from_spec(m) or Declaration.default(m)
        return analyse(
            m,
            data,
            declaration,
            nominal=nominal,
            progress=progress,
            workers=self.workers,
            n=self.n,
            seed=self.seed,
            sensitivity=self.sensitivity,
            year=year,
        )


# ---------------------------------------------------------------------------------------------------------
# rows of the JSON contract
# ---------------------------------------------------------------------------------------------------------


def _int(v: Any) -> int | None:
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else int(f)


def rounded(v: Any, digits: int = 4) -> float | None:
    """A JSON number: ``v`` rounded to ``digits``; None for NaN, None or text.

    Examples
    --------
    >>> rounded(0.123456), rounded(float("nan")), rounded(None)
    (0.1235, None, None)
    """
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else round(f, digits)


class _Summarised(UncertaintyResult):
    """The same result with its summaries computed once: the engine's ``statements(t)`` reads ``summary`` and
    ``class_probabilities``, which are properties computed on each access (a quantile pass over all
    replications per territory otherwise)."""

    summary = functools.cached_property(UncertaintyResult.summary.fget)  # type: ignore[assignment]
    class_probabilities = functools.cached_property(  # type: ignore[assignment]
        UncertaintyResult.class_probabilities.fget
    )


def _summarised(u: UncertaintyResult) -> UncertaintyResult:
    if isinstance(u, _Summarised):
        return u
    fast = copy.copy(u)
    fast.__class__ = _Summarised
    return fast


def territory_rows(
    u: UncertaintyResult, lang: str, classification: str | None = None
) -> list[dict[str, Any]]:
    """One row per territory of ``u``: the fields of the web's JSON contract except ``name``.

    ``nominal_rank``, ``median_rank``, ``rank_q05``, ``rank_q95``, ``share_in_interval`` (None for a
    methodology that only classifies); for ``classification`` (default: the first of the spec)
    ``nominal_class``, ``class_probability`` ({class id: share}) and ``p_nominal_class``; ``classes``: the
    same for every classification; ``confidence`` (:func:`confidence`); ``statements``: the engine's
    sentences in ``lang`` and ``statement``: them joined by ``"; "``.

    Raises
    ------
    KeyError
        ``classification`` is not one of the result's.
    """
    u = _summarised(u)
    cids = list(u.class_arrays)
    if classification is not None and classification not in cids:
        raise KeyError(f"classification {classification!r} is not one of {cids}")
    main = classification or (cids[0] if cids else None)
    summary = u.summary
    probs = u.class_probabilities
    nominal = u.nominal.table_for(u.year)
    ranked = int(pd.notna(summary["rank_q05"]).sum()) if "rank_q05" in summary else 0
    rows = []
    for code in u.territories:
        s = summary.loc[code]
        lo, hi = _int(s.get("rank_q05")), _int(s.get("rank_q95"))
        has_rank = "nominal_rank" in summary.columns and lo is not None
        classes: dict[str, dict[str, Any]] = {}
        for cid in cids:
            p = probs[cid].loc[code]
            nom = nominal.at[code, cid] if cid in nominal.columns and code in nominal.index else None
            nom = None if nom is None or pd.isna(nom) else str(nom)
            classes[cid] = {
                "nominal_class": nom,
                "class_probability": {str(k): rounded(v) for k, v in p.items() if float(v) > 0},
                "p_nominal_class": rounded(p.get(nom, 0.0)) if nom is not None else None,
            }
        first = classes.get(main) if main else None
        p_class = first["p_nominal_class"] if first else None
        statements = u.statements(code, lang)
        rows.append(
            {
                "code": code,
                "nominal_rank": _int(s.get("nominal_rank")) if has_rank else None,
                "median_rank": rounded(s.get("median_rank"), 2) if has_rank else None,
                "rank_q05": lo if has_rank else None,
                "rank_q95": hi if has_rank else None,
                "share_in_interval": rounded(s.get("rank_interval_share")) if has_rank else None,
                "classification": main,
                "nominal_class": first["nominal_class"] if first else None,
                "class_probability": first["class_probability"] if first else {},
                "p_nominal_class": p_class,
                "classes": classes,
                "confidence": confidence(
                    lo=lo if has_rank else None, hi=hi if has_rank else None, n=ranked, p_class=p_class
                ),
                "statements": statements,
                "statement": "; ".join(statements),
            }
        )
    return rows
