"""Loading the bundled folder: checks, provenance, idempotence (aimaq.store.load_bundled)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from aimaq.store.errors import ValidationErrors
from aimaq.store.load_bundled import load_bundled, read_bundle
from aimaq.store.repository import Store

FIXTURE = Path(__file__).parent / "fixtures" / "bundled"

Dump = Callable[[Store], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the fixture bundle."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "bundled"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_fixture_loads_with_provenance(store: Store) -> None:
    obs = store.observations(territories=["abai"], indicators=["gerd_internal"], periods=[2020])
    assert obs[["value", "status", "seed", "table", "lines", "source"]].iloc[0].tolist() == [
        2370.4,
        "published",
        "seed001",
        "T1",
        "742",
        "seed001 T1 l.742",
    ]
    assert obs["notes"].iloc[0] == "seed001_t1_new_borders_abai"
    cat = store.observations(territories=["satpayev"], indicators=["nla_innovation_exists"])
    assert cat["value_text"].tolist() == ["no"]
    assert cat["value"].isna().all()
    assert len(store.territories()) == 9 and len(store.indicators()) == 3 and len(store.notes()) == 3


def test_second_load_changes_nothing(store: Store, dump: Dump) -> None:
    before = dump(store)
    report = store.init(bundled=FIXTURE)
    assert report is not None and not report.changed
    assert report.tables["observation"].unchanged == 16
    assert dump(store) == before  # no new batch, no version bump


def test_edited_files_sync_row_by_row(store: Store, folder: Path, dump: Dump) -> None:
    _edit(
        folder / "observations" / "seed001_T1.csv",
        "karaganda,gerd_internal,2024,10138.4",
        "karaganda,gerd_internal,2024,10138.5",
    )
    _edit(
        folder / "observations" / "seed001_T1.csv",
        "almaty_region,gerd_internal,2020,1588.6,,published,seed001,T1,748,\n",
        "",
    )
    _edit(folder / "territories.csv", "Satpayev,,", "Satbayev,,")
    imported = store.import_file(
        _write(
            folder.parent / "mine.csv", "territory,indicator,year,value\nkazakhstan,gerd_internal,2021,1\n"
        )
    )
    assert imported.changed == 1
    report = store.init(bundled=folder)
    assert report is not None
    obs = report.tables["observation"]
    assert (obs.new, obs.changed, obs.deleted) == (0, 1, 1)
    assert obs.unchanged == 14  # includes the imported cell, which the bundled load leaves alone
    assert report.tables["territory"].changed == 1
    changed = store.observations(territories=["karaganda"], periods=[2024])
    assert changed[["value", "version"]].iloc[0].tolist() == [10138.5, 2]
    assert store.territory("satpayev")["name_en"] == "Satbayev"
    mine = store.observations(territories=["kazakhstan"], periods=[2021])
    assert mine["source"].tolist() == ["mine.csv row 2"]
    assert store.observations(territories=["almaty_region"]).empty
    batches = store.batches()
    assert batches["kind"].tolist() == ["bundled", "import", "bundled"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    empty_store: Store, folder: Path, dump: Dump
) -> None:
    # a duplicate indicator code across files
    _write(
        folder / "indicators" / "seed009.csv",
        "code,name_kk,name_ru,name_en,unit,direction,kind,definition_en,seed,table,lines\n"
        "gerd_internal,,,,,1,numeric,,seed001,T1,1\n"
        "bad_direction,,,,,2,numeric,,seed009,T1,1\n",
    )
    obs = folder / "observations" / "seed001_T1.csv"
    _edit(
        obs,
        "karaganda,gerd_internal,2020,3986.4,,published",
        "karaganda_x,gerd_internal,2020,3986.4,,published",
    )
    _edit(
        obs,
        "karaganda,gerd_internal,2024,10138.4,,published",
        "karaganda,gerd_internal,2024,10 138.4 %,,published",
    )
    _edit(obs, "almaty,gerd_internal,2020,32873.3,,published", "almaty,gerd_internal,2020,32873.3,,rumoured")
    _edit(obs, "kazakhstan,gerd_internal,2021,", "kazakhstan,gerd_internal,2020,")
    _edit(obs, "abai,gerd_internal,2024,7023.4", "abai,gdp,2024,7023.4")
    _edit(
        folder / "notes" / "seed001.csv",
        "seed001_t1_new_borders_eko,east_kazakhstan,",
        "seed001_t1_new_borders_eko,nowhere,",
    )
    _edit(folder / "territories.csv", "satpayev,monotown,karaganda,", "satpayev,monotown,qaraghandy,")
    before = dump(empty_store)
    with pytest.raises(ValidationErrors) as err:
        load_bundled(empty_store.engine, folder)
    rows = [(e.file, e.row, e.column, e.reason) for e in err.value.errors]
    assert ("indicators/seed009.csv", 2, "code", "duplicate_code") in rows
    assert ("indicators/seed009.csv", 3, "direction", "bad_value") in rows
    assert ("indicators/seed009.csv", 3, "seed", "bad_reference") in rows
    assert ("observations/seed001_T1.csv", 9, "territory", "unknown_territory") in rows
    assert ("observations/seed001_T1.csv", 10, "value", "not_numeric") in rows
    assert ("observations/seed001_T1.csv", 4, "status", "bad_status") in rows
    assert ("observations/seed001_T1.csv", 3, "period", "duplicate_key") in rows
    assert ("observations/seed001_T1.csv", 12, "indicator", "unknown_indicator") in rows
    # the east_kazakhstan 2020 value lost the note that explained its borders
    assert ("observations/seed001_T1.csv", 6, "period", "year_outside_validity") in rows
    assert ("notes/seed001.csv", 3, "territory", "unknown_territory") in rows
    assert ("territories.csv", 9, "parent", "unknown_territory") in rows
    assert len(rows) == 11
    message = str(err.value)
    assert 'indicators/seed009.csv, row 2, column "code": "gerd_internal"' in message
    assert "already defined in indicators/seed001.csv row 2" in message
    assert message.endswith("11 errors in 4 files; nothing was written.")
    assert dump(empty_store) == before


def test_out_of_validity_without_a_note_is_refused(folder: Path) -> None:
    _edit(
        folder / "notes" / "seed001.csv",
        "seed001_t1_new_borders_abai,abai,",
        "seed001_t1_new_borders_abai,karaganda,",
    )
    with pytest.raises(ValidationErrors) as err:
        read_bundle(folder)
    (only,) = err.value.errors
    assert only.reason == "year_outside_validity" and only.row == 11 and only.value == "2020"
    assert only.expected is not None and only.expected.startswith(
        "Abai Region exists from 2022-06-08; for 2020 use east_kazakhstan_1997 (East Kazakhstan Region)"
    )


def test_missing_files_and_columns(tmp_path: Path, folder: Path) -> None:
    with pytest.raises(ValidationErrors) as err:
        read_bundle(tmp_path / "nothing")
    assert err.value.reasons == ["empty_file", "empty_file"]
    _edit(folder / "territory_aliases.csv", "code,alias,lang", "code,name,lang")
    (folder / "reference" / "seed004_table1_score_bands.md").unlink()
    with pytest.raises(ValidationErrors) as err:
        read_bundle(folder)
    assert [(e.file, e.reason, e.value) for e in err.value.errors] == [
        ("territory_aliases.csv", "bad_header", "alias"),
        ("reference/seed004_table1_score_bands.csv", "bad_reference", "seed004_table1_score_bands.md"),
    ]


def test_reference_table_reads_as_its_csv(store: Store) -> None:
    import pandas as pd

    frame = store.reference("seed004_table1_score_bands")
    expected = pd.read_csv(FIXTURE / "reference" / "seed004_table1_score_bands.csv")
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.attrs["provenance"].startswith("# seed004_table1_score_bands")
    assert store.references() == ["seed004_table1_score_bands"]
    with pytest.raises(KeyError, match="no reference table 'bands'; known: seed004_table1_score_bands"):
        store.reference("bands")


def test_dry_run_reports_without_writing(empty_store: Store, dump: Dump) -> None:
    before = dump(empty_store)
    report = load_bundled(empty_store.engine, FIXTURE, dry_run=True)
    assert report.tables["observation"].new == 16 and report.batch_id is None
    assert dump(empty_store) == before


def test_cells_longer_than_their_column_are_reported(folder: Path) -> None:
    long_lines = ", ".join(str(n) for n in range(700, 730))  # 149 characters; the column holds 64
    _edit(
        folder / "observations" / "seed001_T1.csv",
        "seed001,T1,727,\nkazakhstan",
        f'seed001,T1,"{long_lines}",\nkazakhstan',
    )
    with pytest.raises(ValidationErrors) as err:
        read_bundle(folder)
    (only,) = err.value.errors
    assert (only.file, only.row, only.column, only.reason) == (
        "observations/seed001_T1.csv",
        2,
        "lines",
        "bad_value",
    )
    assert only.expected == f"at most 64 characters (this cell has {len(long_lines)})"


def test_note_alt_values_load_as_numbers_or_labels(empty_store: Store, folder: Path) -> None:
    """A note's optional ``alt_value`` is its proposed reading: a number, or a label of a categorical cell
    (the bundled seed 003 notes n085 and n093 are one of each); anything else is refused with its row."""
    notes = folder / "notes" / "seed001.csv"
    rows = notes.read_text(encoding="utf-8").splitlines()
    rows = [rows[0] + ",alt_value"] + [r + "," for r in rows[1:]]
    rows.append('n_num,abai,gerd_internal,2020,suspect,seed001,T1,742,a proposed value,,"2 370,4"')
    rows.append("n_label,satpayev,nla_innovation_exists,,suspect,seed004,T1,154,a proposed label,,Yes")
    notes.write_text("\n".join(rows) + "\n", encoding="utf-8")
    load_bundled(empty_store.engine, folder)
    got = empty_store.notes().set_index("id")
    assert got.loc["n_num", "alt_value"] == 2370.4
    assert pd.isna(got.loc["n_num", "alt_text"])
    assert got.loc["n_label", "alt_text"] == "Yes"
    assert np.isnan(got.loc["n_label", "alt_value"])
    assert got["alt_value"].dtype == float
    data = empty_store.dataset()
    assert data.notes.set_index("id").loc["n_num", "alt_value"] == 2370.4

    _edit(notes, '"2 370,4"', "about 2370")
    with pytest.raises(ValidationErrors) as err:
        read_bundle(folder)
    (e,) = err.value.errors
    assert (e.file, e.row, e.column, e.reason, e.value) == (
        "notes/seed001.csv",
        5,
        "alt_value",
        "not_numeric",
        "about 2370",
    )
    assert "indicator 'gerd_internal' is numeric" in str(err.value)
