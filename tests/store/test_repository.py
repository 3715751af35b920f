"""The Store API (aimaq.store.repository): territories by date, lookups, observations, notes, dataset."""

from __future__ import annotations

import datetime as dt

import pytest

from aimaq.dataset import Dataset
from aimaq.store.repository import Store, UnknownTerritory


def test_the_2022_split_queried_by_date(store: Store) -> None:
    before = store.territories(level="region", at="2022-06-07").index.tolist()
    after = store.territories(level="region", at=dt.date(2022, 6, 8)).index.tolist()
    assert sorted(before) == ["almaty_region", "east_kazakhstan_1997", "karaganda"]
    assert sorted(after) == ["abai", "almaty_region", "east_kazakhstan", "karaganda"]
    assert (
        store.territories(level="region", at=2021).index.tolist()
        == store.territories(level="region", at="2021-12-31").index.tolist()
    )
    assert len(store.territories(level="region")) == 5  # without a date: every version


def test_level_and_parent_filters(store: Store) -> None:
    assert sorted(store.territories(parent="karaganda").index) == ["abai_town", "satpayev"]
    assert store.territories(level="city_rs").index.tolist() == ["almaty"]
    with pytest.raises(ValueError):
        store.territories(at="31.12.2021")


def test_territory_by_code_name_or_alias(store: Store) -> None:
    assert store.territory("karaganda")["name_ru"] == "Карагандинская область"
    eko = store.territory("Восточно-Казахстанская область")
    assert eko["code"] == "east_kazakhstan" and eko["aliases"] == ["East Kazakhstan", "ВКО", "ШҚО"]
    assert store.territory("ВКО", at=2019)["code"] == "east_kazakhstan_1997"
    assert store.territory("ВКО", at=2019)["successor"] == "east_kazakhstan;abai"
    with pytest.raises(UnknownTerritory) as err:
        store.territory("Карагандиская облыс")
    assert (
        str(err.value)
        == '"Карагандиская облыс": unknown territory; closest "Карагандинская область" [unknown_territory]'
    )

    with pytest.raises(UnknownTerritory, match="year_outside_validity"):
        store.territory("Абай облысы", at=2019)


def test_indicators_and_sources(store: Store) -> None:
    assert store.indicators(seed="seed004").index.tolist() == [
        "nla_innovation_exists",
        "working_age_share_pct",
    ]
    gerd = store.indicators().loc["gerd_internal"]
    assert (gerd["unit"], gerd["direction"], gerd["kind"], gerd["table"]) == ("mln_kzt", 1, "numeric", "T1")
    assert store.sources().loc["seed004", "file"] == "004_1ae37a956d9e9e50.txt"


def test_observations_filters_and_notes(store: Store) -> None:
    obs = store.observations(territories=["east_kazakhstan"], periods=["2022", 2024])
    assert obs["period"].tolist() == ["2022", "2024"]
    assert set(obs["notes"]) == {"seed001_t1_new_borders_eko"}
    towns = store.observations(indicators=["working_age_share_pct"])
    assert set(towns["notes"]) == {"seed004_t1_year"}  # a note with an empty territory applies to all
    assert store.observations(seed="seed004")["seed"].unique().tolist() == ["seed004"]


def test_notes_for_a_cell(store: Store) -> None:
    assert store.notes(territory="satpayev", indicator="working_age_share_pct", period=2020)[
        "id"
    ].tolist() == ["seed004_t1_year"]
    assert store.notes(territory="abai", indicator="gerd_internal")["id"].tolist() == [
        "seed001_t1_new_borders_abai"
    ]
    assert store.notes(territory="karaganda", indicator="gerd_internal").empty
    assert len(store.notes()) == 3


def test_dataset(store: Store) -> None:
    data = store.dataset(indicators=["gerd_internal"], periods=[2020])
    assert isinstance(data, Dataset)
    assert data.wide(2020)["gerd_internal"].to_dict() == {
        "abai": 2370.4,
        "almaty": 32873.3,
        "almaty_region": 1588.6,
        "east_kazakhstan": 3041.8,
        "karaganda": 3986.4,
        "kazakhstan": 89028.7,
    }
    assert data.observations["source"].iloc[0] == "seed001 T1 l.742"
    assert data.indicators.index.tolist() == ["gerd_internal"]
    assert data.territories.loc["abai", "name_kk"] == "Абай облысы"
    assert len(data.notes_for("abai", "gerd_internal", "2020")) == 1
    assert data.notes.loc[0, "text"].startswith("Table 1 gives 2020-2021 for Abai region")


def test_store_defaults_to_aimaq_home(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AIMAQ_HOME", str(tmp_path / "h"))
    store = Store()
    assert store.url.endswith("/h/aimaq.sqlite")
    assert not store.initialised
    store.init(load_bundled=False)
    assert (tmp_path / "h" / "aimaq.sqlite").is_file()
    store.dispose()


# ---------------------------------------------------------------------------------------------- bundled data
def test_bundled_regions_and_cities(bundled_store: Store) -> None:
    """Issue 3: 20 regions and 3 cities today (17 regions + Astana, Almaty, Shymkent), 14 before 2022."""
    assert len(bundled_store.territories(level="region", at=2024)) == 17
    assert len(bundled_store.territories(level="city_rs", at=2024)) == 3
    assert len(bundled_store.territories(level="region", at=2021)) == 14
    names = bundled_store.territories(level="region", at=2024)[["name_kk", "name_ru", "name_en"]]
    assert names.notna().all().all()


def test_every_bundled_value_shows_its_seed_table_and_line(bundled_store: Store) -> None:
    obs = bundled_store.observations(with_notes=False)
    assert len(obs) > 0
    bad = obs[obs["seed"].isna() | obs["table"].isna() | obs["lines"].isna()]
    assert bad.empty, bad[["territory", "indicator", "period"]].head().to_string()
    assert obs["source"].str.match(r"^seed\d{3} \S+ l\.").all()


def test_seed_lines_show_the_cited_text(store: Store) -> None:
    (line,) = store.seed_lines("seed001", "742")
    assert line == (742, "Абай облысы 2,370.4 3,177.1 3,996.7 5,802.0 7,023.4 196.3 ")
    assert [n for n, _ in store.seed_lines("seed004", "159-160")] == [159, 160]
    assert [n for n, _ in store.seed_lines("seed004", "159, 333")] == [159, 333]
    with pytest.raises(KeyError, match="no source 'seed009'"):
        store.seed_lines("seed009", "1")
    with pytest.raises(ValueError, match="write a line"):
        store.seed_lines("seed004", "l.159")


def test_dataset_carries_the_reference_tables(store: Store) -> None:
    import pandas as pd

    tables = store.dataset().tables
    assert list(tables) == ["seed004_table1_score_bands"]
    pd.testing.assert_frame_equal(
        tables["seed004_table1_score_bands"], store.reference("seed004_table1_score_bands")
    )


def test_bundled_reference_tables_read_as_their_files(bundled_store: Store) -> None:
    import pandas as pd

    from aimaq.store.load_bundled import BUNDLED

    files = sorted((BUNDLED / "reference").glob("*.csv"))
    assert bundled_store.references() == [f.stem for f in files]
    for path in files:
        pd.testing.assert_frame_equal(bundled_store.reference(path.stem), pd.read_csv(path), obj=path.name)


def test_bundled_notes_keep_their_proposed_corrections(bundled_store: Store) -> None:
    """seed 003 notes propose readings (alt_value): Semey's X4 5316940 -> 531694 (n085, Table 40, l.4140),
    Glubokoe's share 35.2 -> 4.93 (n171, Table 26, l.2746), Zaisan's investment group -> lowest (n093)."""
    notes = bundled_store.notes().set_index("id")
    assert notes.loc["seed003_n085", "alt_value"] == 531694
    assert notes.loc["seed003_n171", "alt_value"] == 4.93
    assert notes.loc["seed003_n172", "alt_value"] == 2.73
    assert notes.loc["seed003_n173", "alt_value"] == 0.58
    assert notes.loc["seed003_n093", "alt_text"] == "lowest"
    one = bundled_store.notes(territory="semey", indicator="depr_x4_industrial_output_per_1000", period=2019)
    assert one.set_index("id")["alt_value"].dropna().to_dict() == {"seed003_n085": 531694}
    data = bundled_store.dataset()
    by_id = data.notes.set_index("id")
    assert by_id.loc["seed003_n085", "alt_value"] == 531694
    assert by_id.loc["seed003_n093", "alt_text"] == "lowest"
    # the reference tables come with the store's dataset (the CLI, the web and Python get the same data)
    assert set(data.tables) == set(bundled_store.references()) and data.tables
