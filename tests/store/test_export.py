"""Exports with provenance, formula neutralisation and the import -> export -> import round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from aimaq.store.export import LONG_COLUMNS, export_observations, neutralise
from aimaq.store.repository import Store

FIXTURE = Path(__file__).parent / "fixtures" / "bundled"


@pytest.mark.parametrize(
    ("cell", "out"),
    [
        ("=1+1", "'=1+1"),
        ("+7", "'+7"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Абай", "Абай"),
        (3.5, 3.5),
        (-2.0, -2.0),
        (None, None),
    ],
)
def test_neutralise(cell: object, out: object) -> None:
    assert neutralise(cell) == out


def test_long_csv_has_provenance_and_notes(store: Store, tmp_path: Path) -> None:
    path = store.export(tmp_path / "out.csv", territories=["abai"])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens Cyrillic UTF-8 only with a BOM
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == list(LONG_COLUMNS)
    first = frame.iloc[0]
    assert (first["territory"], first["period"], first["value"], first["source"], first["notes"]) == (
        "abai",
        "2020",
        "2370.4",
        "seed001 T1 l.742",
        "seed001_t1_new_borders_abai",
    )


def test_formula_cells_are_neutralised_in_xlsx(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "evil.csv"
    src.write_text(
        'territory,indicator,year,value,source\nkaraganda,gerd_internal,2019,1,=HYPERLINK("x")\n',
        encoding="utf-8",
    )
    store.import_file(src)
    obs = store.observations(territories=["karaganda"], periods=[2019])
    assert obs["comment"].tolist() == ['=HYPERLINK("x")']  # stored as written
    obs = obs.assign(territory_name="=cmd|' /C calc'!A0")
    path = export_observations(obs, tmp_path / "out.xlsx")
    ws = load_workbook(path).active
    cells = {ws.cell(1, j).value: ws.cell(2, j).value for j in range(1, ws.max_column + 1)}
    assert cells["territory_name"] == "'=cmd|' /C calc'!A0"
    assert cells["value"] == 1  # numbers stay numbers
    assert ws.cell(2, 1).data_type == "s"


def test_wide_export(store: Store, tmp_path: Path) -> None:
    path = store.export(tmp_path / "wide.csv", shape="wide", indicators=["working_age_share_pct"])
    frame = pd.read_csv(path, encoding="utf-8-sig")
    assert frame.to_dict("records") == [
        {
            "territory": "abai_town",
            "period": 2020,
            "working_age_share_pct": 55.0,
            "working_age_share_pct source": "seed004 T1 l.332",
        },
        {
            "territory": "satpayev",
            "period": 2020,
            "working_age_share_pct": 46.0,
            "working_age_share_pct source": "seed004 T1 l.332",
        },
    ]
    with pytest.raises(ValueError, match=re.escape("shape must be 'long' or 'wide'. Got 'tall' instead.")):
        store.export(tmp_path / "x.csv", shape="tall")
    with pytest.raises(ValueError, match=re.escape("cannot export to .json; use .csv or .xlsx")):
        store.export(tmp_path / "x.json")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_import_export_import(store: Store, tmp_path: Path, suffix: str, store_url: str) -> None:
    src = tmp_path / "mine.csv"
    src.write_text(
        "territory;indicator;year;value\n"
        "Карагандинская область;gerd_internal;2019;3 100,5\n"
        "Сатпаев;nla_innovation_exists;2021;yes\n"
        "Сатпаев;working_age_share_pct;2021;…\n"
        "ВКО;gerd_internal;2019;2 999\n",
        encoding="utf-8",
    )
    store.import_file(src)
    first = store.export(tmp_path / f"first{suffix}")
    # the export reads back into the same store unchanged ...
    again = store.import_file(first, dry_run=True)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 20)
    # ... and into a fresh store it recreates every cell, which then exports identically
    fresh = Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    fresh.init(load_bundled=True, bundled=FIXTURE)
    fresh.import_file(first)
    second = fresh.export(tmp_path / f"second{suffix}")
    read = (
        (lambda p: pd.read_csv(p, encoding="utf-8-sig", dtype=str))
        if suffix == ".csv"
        else (lambda p: pd.read_excel(p, dtype=str))
    )
    a, b = read(first), read(second)
    key = ["territory", "indicator", "period"]
    cols = ["value", "status", "unit"]
    pd.testing.assert_frame_equal(
        a.sort_values(key)[key + cols].reset_index(drop=True),
        b.sort_values(key)[key + cols].reset_index(drop=True),
    )
    fresh.dispose()


def test_bundled_export_reads_back_unchanged(bundled_store: Store, tmp_path: Path) -> None:
    """Every value of the five seeds survives export and re-import (dry run on the bundled store)."""
    path = bundled_store.export(tmp_path / "all.csv")
    report = bundled_store.import_file(path, dry_run=True)
    assert report.new == report.changed == 0
    assert report.unchanged == len(bundled_store.observations(with_notes=False))
