"""Seed 002 (with seed 000): the raw-material-region test as specs, on ILLUSTRATIVE data.

The seeds publish the result (Atyrau, West Kazakhstan, Mangystau, Kyzylorda: seed 002 l.57-65, seed 000
l.28-33) but no regional data. ``fixtures/illustrative_gva_mining_grp_2008_2021.csv`` holds **synthetic
numbers made up for these tests** (its title row says so): it is not statistics of Kazakhstan. The tests
check the mechanics (shares, window minimum and mean, coverage, strict threshold, sweep, reproduction
report) on it and on hand-made inline panels whose results can be computed by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from aimaq.dataset import Dataset
from aimaq.engine.errors import SpecErrors
from aimaq.engine.registry import METHODOLOGY_DIR, load
from aimaq.engine.reproduce import reproduce
from aimaq.store.imports import read_dataset
from aimaq.store.repository import Store

FIXTURE = Path(__file__).parent / "fixtures" / "illustrative_gva_mining_grp_2008_2021.csv"
TEMPLATES = METHODOLOGY_DIR / "templates"
SPECS = {
    "seed002_raw_material_region": (2009, 2019, "mining_share_min"),
    "seed002_raw_material_region_mean": (2009, 2019, "mining_share_mean"),
    "seed002_raw_material_region_seed000": (2008, 2021, "mining_share_min"),
    "seed002_raw_material_region_seed000_mean": (2008, 2021, "mining_share_mean"),
}
PUBLISHED = {"atyrau", "west_kazakhstan", "mangystau", "kyzylorda"}  # seed 002 l.62-65; seed 000 l.32-33


@pytest.fixture(scope="module")
def illustrative() -> Dataset:
    return read_dataset(FIXTURE)


def _panel(shares: dict[str, list[float | None]], first_year: int) -> Dataset:
    """A tiny long dataset: GRP 1000 every year, GVA of section B = share * 10 (so the share is exact)."""
    rows = []
    for territory, series in shares.items():
        for i, s in enumerate(series):
            year = first_year + i
            rows.append((territory, "grp_mln", year, 1000.0))
            if s is not None:
                rows.append((territory, "gva_b", year, s * 10.0))
    obs = pd.DataFrame(rows, columns=["territory", "indicator", "period", "value"])
    return Dataset.from_long(obs)


def test_fixture_says_it_is_illustrative() -> None:
    title = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    assert title.startswith("ILLUSTRATIVE TEST DATA") and "NOT statistics of Kazakhstan" in title


@pytest.mark.parametrize("name", sorted(SPECS))
def test_reproduces_the_published_four_on_illustrative_data(name: str, illustrative: Dataset) -> None:
    report = reproduce(load(name), illustrative)
    assert report.ok, report.to_text()
    cells = {c.territory: c for c in report.cells}
    assert {t for t, c in cells.items() if c.expected == "raw"} == PUBLISHED
    assert all(cells[t].status == "reproduced" for t in PUBLISHED)
    # the border-broken series are reported as explained (insufficient data), not silently passed
    for t in ("south_kazakhstan", "turkistan", "shymkent"):
        assert cells[t].status == "explained" and "2018 border change" in cells[t].reason


@pytest.mark.parametrize("name", sorted(SPECS))
def test_window_min_and_mean_match_a_hand_computation(name: str, illustrative: Dataset) -> None:
    first, last, _ = SPECS[name]
    r = load(name).compute(illustrative)
    obs = illustrative.observations
    wide = obs.pivot_table(index=["territory", "year_to"], columns="indicator", values="value")
    share = (100 * wide["gva_b"] / wide["grp_mln"]).unstack("territory")
    window = share.loc[first:last]
    t = r.data["transformed"].xs(last, level="year")
    for territory in ("atyrau", "aktobe", "kyzylorda", "astana"):
        assert t.loc[territory, "mining_share_min"] == pytest.approx(window[territory].min(), abs=1e-9)
        assert t.loc[territory, "mining_share_mean"] == pytest.approx(window[territory].mean(), abs=1e-9)
        assert t.loc[territory, "mining_share"] == pytest.approx(window[territory].iloc[-1], abs=1e-9)


def test_threshold_sweep_is_a_sensitivity_table(illustrative: Dataset) -> None:
    table = load("seed002_raw_material_region").compute(illustrative).table.xs(2019, level="year")
    # the illustrative Aktobe never reaches 30 % but stays above 20 %: raw only at the 20 % threshold
    assert table.loc["aktobe", "all_years_20"] == "raw"
    assert table.loc["aktobe", "all_years_25"] == "not_raw"
    assert table.loc["aktobe", "raw_material"] == "not_raw"
    # the illustrative Kyzylorda dips to 33.5 %: raw up to 30 %, not at 35 %
    assert (table.loc["kyzylorda", ["all_years_30", "all_years_35"]] == ["raw", "not_raw"]).all()
    # higher thresholds never add raw-material regions (monotone), for either reading
    for rule in ("all_years", "mean"):
        counts = [(table[f"{rule}_{th}"] == "raw").sum() for th in (20, 25, 30, 35, 40)]
        assert counts == sorted(counts, reverse=True)


def test_rule_sensitive_region_every_year_versus_mean() -> None:
    """seed-002 reading, acceptance test 3: [35]*10 + [25] fails 'every year' but passes 'mean' (34.09)."""
    data = _panel({"r1": [35.0] * 10 + [25.0], "r2": [31.0] * 11}, 2009)
    every = load("seed002_raw_material_region").compute(data)
    mean = load("seed002_raw_material_region_mean").compute(data)
    t = every.data["transformed"].xs(2019, level="year")
    assert t.loc["r1", "mining_share_mean"] == pytest.approx((35 * 10 + 25) / 11)
    assert every.table.loc[(2019, "r1"), "raw_material"] == "not_raw"
    assert mean.table.loc[(2019, "r1"), "raw_material"] == "raw"
    assert every.table.loc[(2019, "r2"), "raw_material"] == "raw"
    assert mean.table.loc[(2019, "r2"), "raw_material"] == "raw"


def test_strict_threshold_and_coverage() -> None:
    """Exactly 30 % is not raw (strict '>', l.61 «более 30 %»); a missing year is insufficient data."""
    data = _panel({"exact": [30.0] * 11, "gap": [50.0] * 5 + [None] + [50.0] * 5, "ok": [30.5] * 11}, 2009)
    r = load("seed002_raw_material_region").compute(data)
    table = r.table.xs(2019, level="year")
    assert table.loc["exact", "raw_material"] == "not_raw"
    assert table.loc["ok", "raw_material"] == "raw"
    assert pd.isna(table.loc["gap", "raw_material"])  # unclassified: neither raw nor not raw
    assert np.isnan(r.data["transformed"].loc[(2019, "gap"), "mining_share_min"])


def test_without_regional_data_the_error_names_the_missing_inputs() -> None:
    """The bundled seeds hold no regional GVA: the spec must say what to import, not compute nonsense."""
    columns = ["territory", "indicator", "period", "value"]
    obs = pd.DataFrame([("kz", "mineral_export_share_pct", "2018", 70.0)], columns=columns)
    with pytest.raises(SpecErrors) as err:
        load("seed002_raw_material_region").compute(Dataset.from_long(obs))
    message = str(err.value)
    assert "transform.0.params.x: indicator 'gva_b' is not" in message
    assert "'grp_mln'" in message


def test_years_above_threshold_is_reported(illustrative: Dataset) -> None:
    """period_count (strict, > 30 %) over the window: 11 of 11 years exactly when the every-year rule holds
    (seed 002 l.60-61); the minimum is period_min over the same window."""
    for name, window in (("seed002_raw_material_region", 11), ("seed002_raw_material_region_seed000", 14)):
        r = load(name).compute(illustrative)
        t = r.data["transformed"].xs(r.years[-1], level="year")
        table = r.table_for(r.years[-1])
        covered = t["mining_share_years_above"].notna()
        assert covered.any()
        every_year = t.loc[covered, "mining_share_years_above"] == window
        assert (every_year == (table.loc[covered[covered].index, "raw_material"] == "raw")).all(), name
        assert (every_year == (t.loc[covered, "mining_share_min"] > 30)).all(), name
        # a window with a missing year is "insufficient data" for the count, the minimum and the class alike
        assert t["mining_share_years_above"].isna().equals(t["mining_share_min"].isna())
    r = load("seed002_raw_material_region").compute(illustrative)
    t = r.data["transformed"]
    assert t.loc[(2019, "kyzylorda"), "mining_share_years_above"] == 11


def test_descriptions_name_the_table_and_template() -> None:
    for name in SPECS:
        spec = yaml.safe_load((METHODOLOGY_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        for lang in ("kk", "ru", "en"):
            assert "gva_by_activity_template.csv" in spec["description"][lang]
        assert "GRP by production method" in spec["description"]["en"]
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    assert "Валовой региональный продукт производственным методом" in readme


def test_template_reads_with_the_importer(tmp_path: Path) -> None:
    """The template's layout is the importer's: filled in, it becomes a dataset the spec accepts."""
    lines = (TEMPLATES / "gva_by_activity_template.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[:2], [r for r in lines[2:] if ",grp_mln," in r or ",gva_b," in r][:4]
    filled = [r.replace(",2019,,", ",2019,100,") for r in rows]
    p = tmp_path / "filled.csv"
    p.write_text("\n".join(header + filled) + "\n", encoding="utf-8")
    ds = read_dataset(p)
    assert set(ds.observations["indicator"]) == {"grp_mln", "gva_b"}
    assert set(ds.observations["value"]) == {100.0}


def test_cli_reproduce_exits_zero_on_illustrative_data() -> None:
    from aimaq.services.cli.main import app

    out = CliRunner().invoke(app, ["reproduce", "seed002_raw_material_region", "--data", str(FIXTURE)])
    assert out.exit_code == 0, out.output
    assert "0 not reproduced without one: OK" in out.output


def test_reproduce_without_the_data_names_the_template_and_exits_0(bundled_store: Store) -> None:
    """On the bundled store (no regional GVA) `aimaq reproduce seed002` lists the published cells as "needs
    data" with the indicators and the import template, and exits 0."""
    from aimaq.services.cli.main import app

    out = CliRunner().invoke(app, ["reproduce", "seed002", "--db", str(bundled_store.engine.url)])
    assert out.exit_code == 0, out.output
    for name in SPECS:
        assert f"{name}: not run (the data it needs are not loaded)" in out.output
    assert "needs data: import gva_b, grp_mln; template templates/gva_by_activity_template.csv" in out.output
    assert "template templates/mining_output_by_division_template.csv" in out.output


def test_reproduce_without_the_data_names_the_statistical_table(bundled_store: Store) -> None:
    from aimaq.services.cli.main import app

    out = CliRunner().invoke(
        app, ["reproduce", "seed002_raw_material_region", "--db", str(bundled_store.engine.url)]
    )
    assert "GRP and gross value added by OKED section by region" in out.output


@pytest.mark.parametrize(
    "template", ["gva_by_activity_template.csv", "mining_output_by_division_template.csv"]
)
def test_template_regions_are_those_valid_in_its_year(template: str) -> None:
    """The 2019 rows name the regions of 2019: the pre-2022 codes (east_kazakhstan_1997, ...), Shymkent and
    Turkistan (2018), never Abai, Ulytau or Zhetysu (2022) nor South Kazakhstan (until 2018)."""
    gazetteer = pd.read_csv(
        Path(__file__).resolve().parents[2] / "src/aimaq/store/bundled/territories.csv", dtype=str
    ).set_index("code")
    rows = pd.read_csv(TEMPLATES / template, skiprows=1, dtype=str)
    assert set(rows["year"]) == {"2019"}
    for code in sorted(set(rows["territory"])):
        row = gazetteer.loc[code]
        assert row["level"] in ("region", "city_rs"), code
        assert pd.isna(row["valid_from"]) or row["valid_from"] <= "2019-12-31", code
        assert pd.isna(row["valid_to"]) or row["valid_to"] >= "2019-01-01", code
    assert len(set(rows["territory"])) == 17  # 14 regions and 3 cities of republican significance in 2019
