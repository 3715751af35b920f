"""Fixtures of the engine tests: small hand-computable datasets and the TAI worked example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.registry import METHODOLOGY_DIR

TAI_CSV = METHODOLOGY_DIR / "examples" / "oecd_tai_2008.csv"
TAI_YAML = METHODOLOGY_DIR / "examples" / "oecd_tai_2008.yaml"


def long(rows: list[tuple[str, str, int, Any]], **frames: Any) -> Dataset:
    """A Dataset from (territory, indicator, year, value-or-label) rows."""
    obs = pd.DataFrame(
        [
            {
                "territory": t,
                "indicator": i,
                "year": y,
                "value": v if not isinstance(v, str) else None,
                "value_text": v if isinstance(v, str) else None,
                "source": f"test row {n}",
            }
            for n, (t, i, y, v) in enumerate(rows, start=1)
        ]
    )
    return Dataset.from_long(obs, **frames)


@pytest.fixture
def toy() -> Dataset:
    """Three territories, two indicators (y lower-is-better in the metadata), one year.

    Hand computation (min-max to [0, 1], y reversed, weights x 3 : y 1, arithmetic mean):
    x 10/20/30 -> 0, 0.5, 1; y 5/1/3 -> 0, 1, 0.5; scores a 0, b 0.625, c 0.875.
    """
    indicators = pd.DataFrame(
        {"direction": [1, -1], "kind": ["numeric", "numeric"], "name_en": ["X", "Y"]},
        index=pd.Index(["x", "y"], name="code"),
    )
    territories = pd.DataFrame(
        {"level": ["district"] * 3 + ["region"], "parent": ["r", "r", "r", None]},
        index=pd.Index(["a", "b", "c", "r"], name="code"),
    )
    rows = [
        ("a", "x", 2020, 10.0),
        ("b", "x", 2020, 20.0),
        ("c", "x", 2020, 30.0),
        ("a", "y", 2020, 5.0),
        ("b", "y", 2020, 1.0),
        ("c", "y", 2020, 3.0),
    ]
    return long(rows, indicators=indicators, territories=territories)


TOY_SPEC: dict[str, Any] = {
    "name": "toy",
    "title": {"en": "Toy", "ru": "Игрушка", "kk": "Ойыншық"},
    "indicators": ["x", "y"],
    "normalise": {"method": "minmax", "params": {"a": 0, "b": 1}},
    "weight": {"method": "explicit", "params": {"weights": {"x": 3, "y": 1}}},
    "aggregate": {"method": "arithmetic_mean"},
    "classify": {
        "method": "thresholds",
        "classes": [
            {
                "id": "low",
                "interval": [0, 0.5],
                "closed": "left",
                "title": {"en": "Low", "ru": "Низкий", "kk": "Төмен"},
            },
            {
                "id": "high",
                "interval": [0.5, 1],
                "closed": "both",
                "title": {"en": "High", "ru": "Высокий", "kk": "Жоғары"},
            },
        ],
    },
}


@pytest.fixture
def tai() -> Dataset:
    return Dataset.from_long(pd.read_csv(TAI_CSV))


def spec_file(tmp_path: Path, text: str, name: str = "my_index.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p
