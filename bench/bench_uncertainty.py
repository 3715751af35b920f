"""Benchmark: uncertainty runs, batched against the naive loop of one full pipeline rebuild per replication.

Prints, for three synthetic indices (values are random log-normal numbers; only speed is measured):

* 556 territories x 6 indicators, N = 10,000: weights ±25 %, normalisation (min-max, z-score, ratio to
  the best), aggregation
  (2 methods) and 20 disputed cells read either way (so whole leaf matrices ``X (N, n, k)`` are batched);
* 20 regions x 10 indicators, N = 10,000, the same four kinds of factors;
* 51 units x 49 indicators in 7 groups, N = 500, the four assumptions of COINr's sensitivity example:
  outlier treatment (winsorise up to 1-5 points), normalisation (min-max or z-score), weights ±25 % and
  aggregation (arithmetic or geometric mean);
* k-means under uncertainty: 20 regions x 10 indicators clustered (k-means, 10 starts) on a score that
  every replication changes (weights ±25 %), so that Lloyd's runs of all replications iterate together;
  and the k-means presets of seed 003 (``seed003_depression_groups``: exact 1-D k-means and a six-indicator
  k-means with 300 starts; ``seed003_depression_groups_lloyd``) with their declared ``uncertainty:`` blocks
  and Sobol designs, on the bundled data (a temporary SQLite store), against the naive loop and against
  the per-replication scikit-learn ``KMeans`` fit the presets used before the batched k-means.

For each: replications per second (and the wall time against the target), the memory peak of the batched
run (tracemalloc), the naive loop on a few replications extrapolated to N, and their ratio; then the same
declaration with the Sobol design (``N (G + 2)`` runs). Targets are printed, never asserted.

Run: ``.venv/bin/python bench/bench_uncertainty.py [--quick]``
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from typing import Any

import numpy as np
import pandas as pd

from aimaq.dataset import Dataset
from aimaq.engine import Methodology
from aimaq.engine.sensitivity import sample_unit
from aimaq.engine.uncertainty import UncertaintyAnalysis


def synthetic(n: int, k: int, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=3.0, sigma=0.8, size=(n, k))
    t_idx, i_idx = np.indices((n, k)).reshape(2, -1)
    obs = pd.DataFrame(
        {
            "territory": np.array([f"t{i:03d}" for i in range(n)])[t_idx],
            "indicator": np.array([f"i{j:02d}" for j in range(k)])[i_idx],
            "year": 2023,
            "value": values.reshape(-1),
        }
    )
    return Dataset.from_long(obs)


def spec(k: int, groups: int = 1, treat: bool = False) -> Methodology:
    codes = [f"i{j:02d}" for j in range(k)]
    tree: dict[str, Any] = {}
    if groups > 1:
        size = -(-k // groups)
        parts = [codes[g * size : (g + 1) * size] for g in range(groups)]
        tree["groups"] = [{"id": f"g{g}", "children": p} for g, p in enumerate(parts) if p] + [
            {"id": "index", "children": [f"g{g}" for g, p in enumerate(parts) if p]}
        ]
    return Methodology.from_dict(
        {
            "name": f"bench_{k}",
            "title": {"en": "Bench"},
            "indicators": codes,
            **tree,
            **({"treat": {"method": "winsorise", "params": {"winmax": 5}}} if treat else {}),
            "normalise": {"method": "minmax", "params": {"a": 1, "b": 100}},
            "weight": {"method": "equal"},
            "aggregate": {"method": "arithmetic_mean"},
            # classes relative to the mean score (below 70 %, 70-100 %, 100-125 %, above 125 %): scale-free,
            # so that they mean the same under every normalisation of the run
            "classify": {"id": "tier", "method": "relative", "params": {"cuts": [70, 100, 125]}},
        }
    )


def four_kinds(data: Dataset, n_cells: int, seed: int) -> list[dict[str, Any]]:
    obs = data.observations.sample(n_cells, random_state=seed)
    cells = [
        {
            "territory": r.territory,
            "indicator": r.indicator,
            "period": "2023",
            "values": [round(r.value * 1.3, 3)],
        }
        for r in obs.itertuples()
    ]
    return [
        {"key": "weight", "noise": 0.25},
        {
            "key": "normalise",
            "choices": [
                {"method": "minmax", "params": {"a": 1, "b": 100}},
                {"method": "zscore", "params": {"m_sd": [10, 2]}},
                {"method": "ratio", "params": {"reference": "best"}},
            ],
        },
        {
            "key": "aggregate.method",
            "choices": ["arithmetic_mean", {"method": "geometric_mean", "zeros": "skip"}],
        },
        {"key": "data.cells", "cells": cells},
    ]


COINR_FOUR: list[dict[str, Any]] = [
    {"key": "treat.params.winmax", "values": [1, 2, 3, 4, 5]},
    {
        "key": "normalise",
        "choices": [
            {"method": "minmax", "params": {"a": 1, "b": 100}},
            {"method": "zscore", "params": {"m_sd": [10, 2]}},
        ],
    },
    {"key": "weight", "noise": 0.25},
    {
        "key": "aggregate.method",
        "choices": ["arithmetic_mean", {"method": "geometric_mean", "zeros": "skip"}],
    },
]


def naive_seconds(a: UncertaintyAnalysis, naive_n: int, n: int, unit: str) -> float:
    """Seconds per replication of the naive loop (one full rebuild each), timed on ``naive_n`` and printed
    extrapolated to ``n``."""
    U = sample_unit(naive_n, a.dims, seed=2)
    t0 = time.perf_counter()
    a.evaluate_naive(U)
    t_naive = (time.perf_counter() - t0) / naive_n
    print(
        f"  naive loop                 {t_naive * 1000:8.1f} ms per {unit} ({naive_n} timed), "
        f"{t_naive * n:,.1f} s extrapolated to {n:,}"
    )
    return t_naive


def case(
    title: str,
    m: Methodology,
    data: Dataset,
    factors: list[dict[str, Any]],
    n: int,
    target: float | None,
    naive_n: int,
) -> None:
    print(f"\n== {title}: N = {n:,}, {len(factors)} factors ({', '.join(f['key'] for f in factors)})")
    decl = {"n": n, "seed": 1, "sensitivity": False, "factors": factors}
    t0 = time.perf_counter()
    a = UncertaintyAnalysis(m, data, decl)
    t_setup = time.perf_counter() - t0
    a.run()  # warm-up: imports, caches of level specs
    a._specs.clear()
    t0 = time.perf_counter()
    u = a.run()
    t_run = time.perf_counter() - t0
    tracemalloc.start()
    a.run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    goal = f" (target < {target:g} s: {'met' if t_run < target else 'NOT met'})" if target else ""
    print(f"  nominal compute + checks   {t_setup:8.3f} s")
    print(f"  batched run                {t_run:8.3f} s  = {n / t_run:12,.0f} replications/s{goal}")
    print(f"  memory peak (tracemalloc)  {peak / 2**20:8.1f} MiB  (chunk {a.chunk} replications)")
    t_naive = naive_seconds(a, naive_n, n, "replication")
    ratio = t_naive * n / t_run
    verdict = "met" if ratio >= 50 else "NOT met"
    print(f"  batched / naive            {ratio:8.0f} x faster (target >= 50 x: {verdict})")
    spread = (u.summary["rank_q95"] - u.summary["rank_q05"]).astype(float)
    print(f"  5-95 % rank interval width: median {spread.median():.0f}, max {spread.max():.0f} ranks")
    n_sobol = min(n, 2048)  # N (G + 2) runs: a base of 2048 already gives indices within about +-0.02
    sens = UncertaintyAnalysis(m, data, {**decl, "n": n_sobol, "sensitivity": True})
    t0 = time.perf_counter()
    su = sens.run()
    t_s = time.perf_counter() - t0
    rate = su.runs / t_s
    print(f"  with Sobol design, N={n_sobol:<6} {t_s:7.3f} s for {su.runs:,} runs = {rate:10,.0f} runs/s")
    print(
        "  total Sobol indices of the mean rank shift: "
        + ", ".join(f"{k} {v:.2f}" for k, v in su.sensitivity["ST"].items())
    )


def kmeans_spec(k: int) -> Methodology:
    """The 20 x 10 index with its classes from k-means (10 starts) on the score instead of relative bands."""
    d = spec(k).to_dict()
    d["classify"] = {
        "id": "cluster",
        "method": "kmeans",
        "params": {"k": 4, "n_init": 10, "scaling": "none", "features": "scores"},
    }
    return Methodology.from_dict(d)


def preset_case(name: str, n: int, naive_n: int, store: Any) -> None:
    """A k-means preset with its declared uncertainty block (Sobol design included), batched vs naive."""
    from aimaq.engine.registry import load

    m = load(name)
    data = store.dataset()
    a = UncertaintyAnalysis(m, data, None)  # the spec's own block
    labels = ", ".join(f.label for f in a.factors)
    print(f"\n== {name}: declared block, N = {n:,} with the Sobol design ({labels})")
    a.declaration = a.declaration.replace(n=n, seed=1)
    a.run()  # warm-up
    a._specs.clear()
    t0 = time.perf_counter()
    u = a.run()
    t_run = time.perf_counter() - t0
    print(
        f"  batched run                {t_run:8.3f} s for {u.runs:,} runs = {u.runs / t_run:10,.0f} runs/s "
        f"(target: a few seconds)"
    )
    t_naive = naive_seconds(a, naive_n, u.runs, "run")
    print(f"  batched / naive            {t_naive * u.runs / t_run:8.0f} x faster")
    composite = next(
        (e for e in m.classifications if e.method == "kmeans" and isinstance(e.extra.get("on"), list)), None
    )
    if composite is not None:
        from sklearn.cluster import KMeans

        X = np.asarray(a.nominal.state.Xn[a.yi])
        fits = []
        for _ in range(2):  # the faster of two fits (the first one pays for imports and thread start-up)
            t0 = time.perf_counter()
            KMeans(n_clusters=composite.params["k"], n_init=composite.params["n_init"], random_state=0).fit(X)
            fits.append(time.perf_counter() - t0)
        t_sk = min(fits)
        print(
            f"  before: scikit-learn KMeans per replication ({composite.params['n_init']} starts) "
            f"{t_sk:6.2f} s x {u.runs:,} runs = {t_sk * u.runs:,.0f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N / 10 (a smoke run)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    d556 = synthetic(556, 6, 556)
    case("556 territories x 6 indicators", spec(6), d556, four_kinds(d556, 20, 1), 10_000 // scale, 2.0, 10)
    d20 = synthetic(20, 10, 20)
    case("20 regions x 10 indicators", spec(10), d20, four_kinds(d20, 5, 2), 10_000 // scale, None, 20)
    d51 = synthetic(51, 49, 51)
    case(
        "51 units x 49 indicators (COINr comparison: about 0.08 s per replication, 41 s for N = 500)",
        spec(49, groups=7, treat=True),
        d51,
        COINR_FOUR,
        500 // scale if args.quick else 500,
        0.4,
        10,
    )
    case(
        "20 regions x 10 indicators, k-means classes on the score (Lloyd batched over replications)",
        kmeans_spec(10),
        d20,
        [{"key": "weight", "noise": 0.25}],
        10_000 // scale,
        None,
        20,
    )
    import tempfile

    from aimaq.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/aimaq.sqlite")
        store.init()
        for name in ("seed003_depression_groups", "seed003_depression_groups_lloyd"):
            preset_case(name, 1000 // scale, 4, store)
        store.dispose()


if __name__ == "__main__":
    main()
