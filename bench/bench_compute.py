"""Benchmark: a full compute of a 500-territory x 30-indicator x 10-year spec.

Prints territories x indicators (x years) per second for the whole pipeline (select, transform, impute,
treat, normalise, weight, aggregate, classify) and for the step tables alone, and one seed004 what-if with
its band tables converted once per indicator (before) and once per step (now). Never asserts timings.

Run: ``.venv/bin/python bench/bench_compute.py``
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, pipeline

N_TERRITORIES, N_INDICATORS, N_YEARS = 500, 30, 10
YEARS = list(range(2015, 2015 + N_YEARS))


def synthetic() -> Dataset:
    """Log-normal indicators with 3 % missing cells, a population for per-capita transforms."""
    rng = np.random.default_rng(20240601)
    t = np.array([f"t{i:03d}" for i in range(N_TERRITORIES)])
    codes = [f"i{j:02d}" for j in range(N_INDICATORS - 1)] + ["population"]
    shape = (N_YEARS, N_TERRITORIES, N_INDICATORS)
    values = rng.lognormal(mean=3.0, sigma=1.0, size=shape)
    values[rng.random(shape) < 0.03] = np.nan
    y_idx, t_idx, i_idx = np.indices(shape).reshape(3, -1)
    obs = pd.DataFrame(
        {
            "territory": t[t_idx],
            "indicator": np.array(codes)[i_idx],
            "year": np.array(YEARS)[y_idx],
            "value": values.reshape(-1),
        }
    )
    parents = pd.DataFrame(
        {"level": "district", "parent": [f"r{i % 20:02d}" for i in range(N_TERRITORIES)]},
        index=pd.Index(t, name="code"),
    )
    return Dataset.from_long(obs, territories=parents)


def spec() -> Methodology:
    leaves = [f"i{j:02d}" for j in range(N_INDICATORS - 2)] + ["i28_pc"]
    groups = [{"id": f"g{g}", "children": leaves[g * 6 : (g + 1) * 6]} for g in range(5)]
    return Methodology.from_dict(
        {
            "name": "bench",
            "title": {"en": "Benchmark"},
            "select": {"years": "all"},
            "transform": [
                {
                    "code": "i28_pc",
                    "method": "per_capita",
                    "params": {"x": "i28", "population": "population", "scale": 10000},
                }
            ],
            "indicators": leaves,
            "groups": [*groups, {"id": "index", "children": [g["id"] for g in groups]}],
            "impute": {"method": "mean"},
            "treat": {"method": "winsorise"},
            "normalise": {"method": "minmax", "params": {"a": 0, "b": 100}},
            "weight": {"method": "equal"},
            "aggregate": {"method": "arithmetic_mean"},
            "classify": {"method": "quantiles", "params": {"n_classes": 5}},
        }
    )


def what_if_seed004(runs: int = 5) -> tuple[float, float]:
    """Best-of-``runs`` seconds of one seed004 what-if on the bundled store: (before, now).

    "Before" converts the band table once per indicator, as ``pipeline._band_table`` did without the
    per-step ``converted`` dict (the figure py-spy found to be about 60 % of a what-if).
    """
    from aimaq.services.results import Results
    from aimaq.store.repository import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'aimaq.sqlite'}")
        store.init()
        try:
            results = Results(store, what_if_processes=0)
            data = results.dataset()
            change = [("karazhal", "mono_lsg_satisfaction_pct", 90.0)]

            def best() -> float:
                results.what_if("seed004_monotown_potential", values=change, data=data)  # warm the base
                out = float("inf")
                for _ in range(runs):
                    s = time.perf_counter()
                    results.what_if("seed004_monotown_potential", values=change, data=data)
                    out = min(out, time.perf_counter() - s)
                return out

            cached = pipeline._band_table

            def per_indicator(m: Any, data: Any, e: Any, code: str, converted: Any = None) -> Any:
                return cached(m, data, e, code)

            pipeline._band_table = per_indicator  # type: ignore[assignment]
            try:
                before = best()
            finally:
                pipeline._band_table = cached  # type: ignore[assignment]
            return before, best()
        finally:
            store.dispose()


def main() -> None:
    t0 = time.perf_counter()
    data = synthetic()
    t1 = time.perf_counter()
    m = spec()
    runs = 3
    best = float("inf")
    for _ in range(runs):
        s = time.perf_counter()
        r = m.compute(data)
        best = min(best, time.perf_counter() - s)
    s = time.perf_counter()
    r.regen(
        {"aggregate.method": "geometric_mean", "aggregate.params": {"zeros": "offset"}}, from_step="aggregate"
    )
    regen = time.perf_counter() - s
    s = time.perf_counter()
    r.explain("t000")
    explain = time.perf_counter() - s
    cells = N_TERRITORIES * N_INDICATORS
    print(
        f"bench_compute: {N_TERRITORIES} territories x {N_INDICATORS} indicators x {N_YEARS} years "
        f"({len(data.observations):,} observations; data built in {t1 - t0:.2f} s)"
    )
    print(f"  full compute (best of {runs}): {best:.3f} s")
    print(
        f"  territories x indicators per second: {cells / best:,.0f} (x {N_YEARS} years: "
        f"{cells * N_YEARS / best:,.0f} cells/s)"
    )
    print(f"  regen from aggregate (geometric mean): {regen:.3f} s; explain one territory: {explain:.3f} s")
    print(f"  log entries: {len(r.log)}; warnings: {len(r.warnings)}")
    before, now = what_if_seed004()
    print(
        f"  seed004 what-if (best of 5): {before * 1000:.1f} ms with a band-table conversion per indicator, "
        f"{now * 1000:.1f} ms with one per step"
    )


if __name__ == "__main__":
    main()
