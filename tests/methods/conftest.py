"""Shared fixtures of the method tests: the registry of every method with test parameters, data strategies.

``REGISTRY`` names, for every method in a step module's ``__all__``, the keyword parameters the common
battery (``test_common_battery.py``) calls it with and the kind of data it needs. A meta-test fails when a
method is added to a module without an entry here, so that no method escapes the battery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

SHARED = Path("/work/shared/spec/data")


@dataclass(frozen=True)
class Case:
    """How the battery calls one method."""

    step: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    positive: bool = False  # needs strictly positive data
    direction_reverses: bool = True  # normalisers: direction=-1 reverses the order of territories
    batched: bool = True  # accepts leading batch axes in one call
    extra: str = ""  # "groups" / "history" for imputers that need them


BANDS = [
    {"lower": None, "upper": 10, "points": 0},
    {"lower": 10, "upper": 20, "points": 1},
    {"lower": 20, "upper": None, "points": 2},
]

REGISTRY: list[Case] = [
    Case("impute", "none"),
    Case("impute", "mean"),
    Case("impute", "median"),
    Case("impute", "group_mean", extra="groups"),
    Case("impute", "last_available", extra="history"),
    Case("treat", "winsorise"),
    Case("treat", "log"),
    Case("normalise", "minmax", {"a": 0.0, "b": 100.0}),
    Case("normalise", "zscore"),
    Case("normalise", "rank"),
    Case("normalise", "percentile"),
    Case("normalise", "ratio", positive=True),
    Case("normalise", "distance", positive=True),
    Case("normalise", "goalposts", {"lower": -100.0, "upper": 100.0}),
    Case("normalise", "bands", {"table": BANDS}),
    Case("normalise", "categories", {"points": {"a": 0, "b": 1}}),
    Case("weight", "equal"),
    Case("weight", "explicit", {"weights": None}),
    Case("weight", "pca"),
    Case("weight", "entropy", positive=True),
    Case("aggregate", "arithmetic_mean"),
    Case("aggregate", "weighted_sum"),
    Case("aggregate", "geometric_mean", positive=True),
    Case("aggregate", "harmonic_mean", positive=True),
    Case("aggregate", "mazziotta_pareto"),
    Case("aggregate", "minimum"),
    Case(
        "classify",
        "thresholds",
        {
            "classes": [
                {"id": "low", "interval": [None, 0], "closed": "right"},
                {"id": "mid", "interval": [0, 50], "closed": "right"},
                {"id": "high", "interval": [50, None], "closed": "neither"},
            ]
        },
    ),
    Case("classify", "quantiles", {"n_classes": 3}),
    Case("classify", "relative", {"reference": "max"}, positive=True),
    Case("classify", "kmeans", {"k": 2, "n_init": 3}, batched=False),
    Case("classify", "kmeans_1d_exact", {"k": 2}),
    Case("classify", "hierarchical", {"k": 2}, batched=False),
    Case("classify", "argmax", {}, batched=False),
]


def cases(step: str) -> list[Case]:
    return [c for c in REGISTRY if c.step == step]


def case_id(case: Case) -> str:
    return f"{case.step}.{case.name}"


def finite(lo: float = -100.0, hi: float = 100.0) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def matrices(
    draw: Any,
    *,
    min_n: int = 4,
    max_n: int = 9,
    max_k: int = 4,
    positive: bool = False,
    nan: bool = False,
    batch: bool = False,
) -> np.ndarray:
    """A data matrix (n, k) or a batch (b, n, k) of well-separated values (distinct per column).

    Values are rounded to 2 decimals and made distinct so that ranks are strict and clustering is stable.
    """
    n = draw(st.integers(min_n, max_n))
    k = draw(st.integers(1, max_k))
    b = draw(st.integers(2, 3)) if batch else None
    shape = (b, n, k) if batch else (n, k)
    lo = 0.5 if positive else -100.0
    arr = draw(hnp.arrays(np.float64, shape, elements=finite(lo, 100.0), unique=True))
    arr = np.round(arr, 2)
    # rounding may create ties: spread every column by its rank to keep them distinct
    order = np.argsort(np.argsort(arr, axis=-2, kind="stable"), axis=-2, kind="stable")
    arr = arr + order * 1e-3
    if nan:
        mask = draw(hnp.arrays(np.bool_, shape, elements=st.booleans()))
        # keep at least 3 observed values per column so that every statistic is defined
        keep = np.argsort(np.argsort(-arr, axis=-2), axis=-2) < 3
        arr = np.where(mask & ~keep, np.nan, arr)
    return arr


@pytest.fixture
def seed004_bands() -> list[dict[str, Any]]:
    """The band table of seed 004 (``spec/data/seed004_table1_score_bands.csv``) as row dicts."""
    import csv

    path = SHARED / "seed004_table1_score_bands.csv"
    if not path.exists():
        pytest.skip("the shared seed transcriptions are not available")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def seed004_cells() -> list[dict[str, Any]]:
    """Per-cell values and published scores of seed 004, Table 1 (``seed004_derived_cell_scores.csv``)."""
    import csv

    path = SHARED / "seed004_derived_cell_scores.csv"
    if not path.exists():
        pytest.skip("the shared seed transcriptions are not available")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
