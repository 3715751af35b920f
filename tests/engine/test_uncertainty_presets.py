"""Every shipped preset (seed001* aside) declares what varies for its method, and the block changes nothing
of the nominal result or of ``aimaq reproduce``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine import Methodology, compute
from aimaq.engine.reproduce import reproduce
from aimaq.engine.uncertainty import Declaration, analyse
from aimaq.store.imports import read_dataset

SPECS = Path(__file__).resolve().parents[2] / "src" / "aimaq" / "methodologies"
FIXTURES = Path(__file__).resolve().parents[1] / "methodologies" / "fixtures"
PRESETS = sorted(p.stem for p in SPECS.glob("seed00[0234]*.yaml"))
#: presets whose data are not bundled (seed 002 gives the rule, not the regional series): the illustrative
#: fixtures of their methodology tests
DATA = {
    "seed002_raw_material_region": "illustrative_gva_mining_grp_2008_2021.csv",
    "seed002_raw_material_region_mean": "illustrative_gva_mining_grp_2008_2021.csv",
    "seed002_raw_material_region_seed000": "illustrative_gva_mining_grp_2008_2021.csv",
    "seed002_raw_material_region_seed000_mean": "illustrative_gva_mining_grp_2008_2021.csv",
    "seed002_raw_material_subtype": "illustrative_mining_divisions_2009_2019.csv",
    "seed002_raw_material_subtype_argmax": "illustrative_mining_divisions_2009_2019.csv",
}


@pytest.fixture(scope="module")
def store_data(bundled_store: Any) -> Dataset:
    return bundled_store.dataset()


def _data(name: str, store_data: Dataset) -> Dataset:
    return read_dataset(FIXTURES / DATA[name]) if name in DATA else store_data


def test_the_presets_are_all_covered() -> None:
    assert len(PRESETS) == 24 and not any(p.startswith("seed001") for p in PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_has_an_explicit_block_with_reasons(name: str) -> None:
    text = (SPECS / f"{name}.yaml").read_text(encoding="utf-8")
    m = Methodology.from_yaml(SPECS / f"{name}.yaml")
    d = Declaration.from_spec(m)
    assert d is not None, f"{name}: no uncertainty: block"
    block = text[text.index("\nuncertainty:") :]
    comment = [line for line in block.split("\n")[1:8] if line.strip().startswith("#")]
    assert comment, f"{name}: the block says why these factors (a comment citing the seed or a note)"
    assert any(c in " ".join(comment) for c in ("l.", "note", "M1", "M2", "M4", "C1")), name


@pytest.mark.parametrize("name", PRESETS)
def test_the_block_changes_neither_the_nominal_result_nor_reproduce(name: str, store_data: Dataset) -> None:
    data = _data(name, store_data)
    m = Methodology.from_yaml(SPECS / f"{name}.yaml")
    bare = Methodology({k: v for k, v in m.to_dict().items() if k != "uncertainty"}, path=m.path)
    r, r0 = compute(m, data), compute(bare, data)
    pd.testing.assert_frame_equal(r.table, r0.table)
    for step, frame in r0.data.items():
        pd.testing.assert_frame_equal(r.data[step], frame)
    assert reproduce(m, data, r).to_dict() == reproduce(bare, data, r0).to_dict()


@pytest.mark.parametrize("name", PRESETS)
def test_the_declared_view_runs_and_keeps_the_nominal(name: str, store_data: Dataset) -> None:
    data = _data(name, store_data)
    m = Methodology.from_yaml(SPECS / f"{name}.yaml")
    u = analyse(m, data, n=32, seed=1, sensitivity=False)
    assert u.n == 32
    assert [f.label for f in u.analysis.factors] == [
        f.label for f in Declaration.from_spec(m).factors if f.kind != "cells" or u.analysis._cells
    ]
    table = u.nominal.table_for(u.year)
    if "score" in table.columns and table["score"].notna().any():
        # the nominal scores are those of compute (the run never edits the nominal result)
        nominal = compute(m, data).table_for(u.year)
        np.testing.assert_array_equal(table["score"].to_numpy(), nominal["score"].to_numpy())
