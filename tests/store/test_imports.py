"""Importing users' files: shapes, names, encodings, and every bad-input class (aimaq.store.imports)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from aimaq.store.errors import ValidationErrors
from aimaq.store.imports import read_dataset
from aimaq.store.repository import Store

Dump = Callable[[Store], dict[str, list[tuple[Any, ...]]]]


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


LONG = (
    "\ufeffТерритория;Показатель;Год;Значение;Единица\n"
    "Карагандинская обл.;gerd_internal;2021;4 717,9;млн тенге\n"
    "ВКО;Внутренние затраты на НИОКР;2021;3 844,6;mln_kzt\n"
    "ВКО;gerd_internal;2019;2 500;\n"
    "Абай облысы;gerd_internal;2023;5 802,0;\n"
)


# ---------------------------------------------------------------------------------------------- good input
def test_long_csv_with_russian_names_and_decimal_commas(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "long.csv", LONG)
    report = store.import_file(path)
    assert (report.shape, report.new, report.changed, report.unchanged) == ("long", 4, 0, 0)
    obs = store.observations(indicators=["gerd_internal"], periods=[2019, 2021, 2023], with_notes=False)
    got = {
        (t, p): (v, s)
        for t, p, v, s in obs[["territory", "period", "value", "source"]].itertuples(index=False)
    }
    assert got[("karaganda", "2021")] == (4717.9, "long.csv row 2")
    assert got[("east_kazakhstan_1997", "2021")] == (
        3844.6,
        "long.csv row 3",
    )  # before the split: old borders
    assert got[("east_kazakhstan_1997", "2019")] == (2500.0, "long.csv row 4")
    assert got[("abai", "2023")] == (5802.0, "long.csv row 5")
    batch = store.batches().iloc[-1]
    assert (batch["kind"], batch["file"], batch["rows_new"]) == ("import", "long.csv", 4)

    again = store.import_file(path)
    assert (again.new, again.changed, again.unchanged, again.batch_id) == (0, 0, 4, None)
    assert "4 unchanged cells; nothing to write." in again.summary()


def test_dry_run_reports_new_changed_unchanged_and_writes_nothing(
    store: Store, tmp_path: Path, dump: Dump
) -> None:
    path = _csv(
        tmp_path / "d.csv",
        "territory,indicator,period,value\n"
        "karaganda,gerd_internal,2020,3986.4\n"  # as bundled
        "karaganda,gerd_internal,2024,10000\n"  # bundled says 10138.4
        "karaganda,gerd_internal,2023,7816.0\n",  # not there yet
    )
    before = dump(store)
    report = store.import_file(path, dry_run=True)
    assert (report.new, report.changed, report.unchanged) == (1, 1, 1)
    assert (
        report.summary() == "d.csv (long): 1 new, 1 changed, 1 unchanged cells; dry run, nothing was written."
    )
    changed = report.frame().set_index("period").loc["2024"]
    assert (changed["action"], changed["old"], changed["new"]) == ("changed", 10138.4, 10000.0)
    assert dump(store) == before
    store.import_file(path)
    row = store.observations(territories=["karaganda"], periods=[2024]).iloc[0]
    assert (row["value"], row["source"], row["version"], row["seed"]) == (10000.0, "d.csv row 3", 2, None)


def test_wide_bns_table_with_title_rows_and_years_as_columns(store: Store, tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "bns.csv",
        "Внутренние затраты на НИОКР, млн тенге;;\n"
        "по регионам;;\n"
        ";2022 г.;2023 г.\n"
        "Республика Казахстан;;\n"
        "Абай облысы;3 996,7;5 802,0\n"
        "г. Алматы;46 759,4;77 204,1\n"
        "Восточно-Казахстанская область;5 881,6;8 219,1\n"
        ";;\n"
        "Примечание: данные по оперативным сведениям;;\n",
    )
    report = store.import_file(path)
    assert report.shape == "wide-years"
    assert (report.new, report.changed, report.unchanged) == (5, 0, 1)
    wide = store.dataset(indicators=["gerd_internal"]).wide(
        2023, territories=["abai", "almaty", "east_kazakhstan"]
    )
    assert wide["gerd_internal"].tolist() == [5802.0, 77204.1, 8219.1]


def test_wide_xlsx_with_indicators_as_columns_and_sheet_year(store: Store, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "towns.xlsx",
        {
            "notes": [["nothing here"]],
            "2021": [
                ["Моноқалалар, 2021"],
                [
                    "Моноқала",
                    "working_age_share_pct",
                    "Existence of local-level normative legal acts regulating "
                    "the monotown's innovation potential",
                ],
                ["Сәтбаев", 46.5, "yes"],
                ["Абай", "55,1", "no"],
            ],
        },
    )
    report = store.import_file(path, sheet="2021")
    assert (report.shape, report.sheet, report.new) == ("wide-indicators", "2021", 4)
    obs = store.observations(territories=["satpayev", "abai_town"], periods=[2021], with_notes=False)
    got = {
        (t, i): (v, vt)
        for t, i, v, vt in obs[["territory", "indicator", "value", "value_text"]].itertuples(index=False)
    }
    assert got[("satpayev", "working_age_share_pct")][0] == 46.5
    assert got[("abai_town", "working_age_share_pct")][0] == 55.1
    assert got[("satpayev", "nla_innovation_exists")][1] == "yes"
    assert obs["source"].str.startswith("towns.xlsx [2021] row").all()


def test_cp1251_csv_is_decoded(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "win.csv", "Регион;2021\nКарагандинская область;4717,9\n", encoding="cp1251")
    report = store.import_file(path, indicator="gerd_internal")
    assert report.new == 1
    assert store.observations(territories=["karaganda"], periods=[2021])["value"].tolist() == [4717.9]


def test_missing_markers_are_stored_as_missing(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "m.csv", "territory,indicator,year,value\nkaraganda,gerd_internal,2019,…\n")
    store.import_file(path)
    row = store.observations(territories=["karaganda"], periods=[2019]).iloc[0]
    assert row["status"] == "missing" and pd.isna(row["value"])


# ---------------------------------------------------------------------------------------------- bad input
BAD_CASES: dict[str, tuple[str, str, tuple[int | None, str | None, str | None, str | None]]] = {
    # name: (file content, reason, (row, column, value, expected))
    "unknown_territory": (
        "territory,indicator,year,value\nКарагандинская облась,gerd_internal,2021,1\n",
        "unknown_territory",
        (2, "territory", "Карагандинская облась", 'closest "Карагандинская область"'),
    ),
    "unknown_indicator": (
        "territory,indicator,year,value\nkaraganda,gerd_internl,2021,1\n",
        "unknown_indicator",
        (2, "indicator", "gerd_internl", 'closest "gerd_internal"'),
    ),
    "not_numeric": (
        'territory,indicator,year,value\nkaraganda,gerd_internal,2021,"12,5 %"\n',
        "not_numeric",
        (2, "value", "12,5 %", "write 12,5 (without units or signs)"),
    ),
    "duplicate_key": (
        "territory,indicator,year,value\n"
        "karaganda,gerd_internal,2021,1\n"
        "Карагандинская область,gerd_internal,2021,2\n",
        "duplicate_key",
        (3, "value", "karaganda × gerd_internal × 2021", "row 2 already gives this cell; keep one"),
    ),
    "unit_mismatch": (
        "territory,indicator,year,value,unit\nkaraganda,gerd_internal,2021,1,%\n",
        "unit_mismatch",
        (2, "unit", "%", "gerd_internal is measured in mln_kzt; convert it"),
    ),
    "year_outside_validity": (
        "territory,indicator,year,value\nАбай облысы,gerd_internal,2019,1\n",
        "year_outside_validity",
        (
            2,
            "territory",
            "Абай облысы",
            "Abai Region exists from 2022-06-08; for 2019 use east_kazakhstan_1997 (East Kazakhstan Region)",
        ),
    ),
    "bad_period": (
        "territory,indicator,year,value\nkaraganda,gerd_internal,twenty,1\n",
        "bad_period",
        (2, "year", "twenty", "a year (2020) or a span (2008-2021)"),
    ),
    "empty_file": ("", "empty_file", (None, None, None, "the file is empty")),
    "header_only": (
        "territory,indicator,year,value\n",
        "empty_file",
        (None, None, None, "the table has a header but no values"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_each_bad_input_is_refused_and_the_store_is_unchanged(
    store: Store, tmp_path: Path, dump: Dump, case: str
) -> None:
    content, reason, (row, column, value, expected) = BAD_CASES[case]
    path = _csv(tmp_path / f"{case}.csv", content)
    before = dump(store)
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path)
    (only,) = err.value.errors
    assert (only.file, only.sheet, only.row, only.column, only.reason, only.value, only.expected) == (
        f"{case}.csv",
        None,
        row,
        column,
        reason,
        value,
        expected,
    )
    assert str(err.value).endswith("1 error in 1 file; nothing was written.")
    assert dump(store) == before


def test_all_problems_of_a_file_are_listed_together(store: Store, tmp_path: Path, dump: Dump) -> None:
    path = _csv(
        tmp_path / "many.csv",
        "territory,indicator,year,value\n"
        "karaganda,gerd_internal,2021,1\n"
        "Балхаш-2,gerd_internal,2021,1\n"
        "karaganda,gdp,2021,1\n"
        "karaganda,gerd_internal,2022,abc\n",
    )
    before = dump(store)
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path)
    assert [(e.row, e.reason) for e in err.value.errors] == [
        (3, "unknown_territory"),
        (4, "unknown_indicator"),
        (5, "not_numeric"),
    ]
    assert str(err.value).endswith("3 errors in 1 file; nothing was written.")
    assert dump(store) == before


def test_wrong_encoding_names_the_rows(store: Store, tmp_path: Path, dump: Dump) -> None:
    # UTF-8 Cyrillic with stray Latin-1 bytes: neither UTF-8 nor cp1251 reads it faithfully
    data = (
        "territory,indicator,year,value\nКараганда,gerd_internal,2021,1\n".encode()
        + b"Almat\xff,gerd_internal,2021,1\n"
    )
    path = tmp_path / "enc.csv"
    path.write_bytes(data)
    before = dump(store)
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path)
    (only,) = err.value.errors
    assert (only.reason, only.row, only.value) == ("wrong_encoding", 3, "b'\\xff'")
    assert only.expected == "bytes ff are not utf-8; save the file as UTF-8 (or cp1251)"
    assert dump(store) == before


def test_wrong_sheet_lists_the_sheets(store: Store, tmp_path: Path, dump: Dump) -> None:
    path = _xlsx(tmp_path / "w.xlsx", {"2020": [["territory", "gerd_internal"], ["karaganda", 1]]})
    before = dump(store)
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path, sheet="2021")
    (only,) = err.value.errors
    assert (only.file, only.sheet, only.reason, only.expected) == (
        "w.xlsx",
        "2021",
        "wrong_sheet",
        'the workbook\'s sheets are "2020"',
    )
    with pytest.raises(ValidationErrors) as err:
        store.import_file(_csv(tmp_path / "c.csv", "a,b\n1,2\n"), sheet="2021")
    assert err.value.reasons == ["wrong_sheet"]
    assert dump(store) == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a valid .xlsx workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save the workbook as .xlsx or .csv"),
        ("binary.csv", b"\x00\x01\x02\x00", "the file is binary, not CSV text"),
        ("missing.csv", None, "the file does not exist"),
    ],
)
def test_unreadable_files(
    store: Store, tmp_path: Path, dump: Dump, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = dump(store)
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path)
    (only,) = err.value.errors
    assert only.reason == "unreadable_file"
    assert only.expected is not None and only.expected.startswith(expected)
    assert dump(store) == before


def test_wide_years_without_an_indicator_is_a_header_error(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "y.csv", "Регион;2021;2022\nКарагандинская область;1;2\n")
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path)
    (only,) = err.value.errors
    assert (only.reason, only.row) == ("bad_header", 1)
    assert "--indicator" in str(only.expected)


def test_wide_indicators_unknown_column_is_reported_once(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "u.csv", "territory;gerd_internal;grp\nkaraganda;1;2\nalmaty;3;4\n")
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path, year=2021)
    assert [(e.row, e.column, e.reason) for e in err.value.errors] == [(2, "grp", "unknown_indicator")]


# ---------------------------------------------------------------------------------------------- read_dataset
def test_read_dataset_without_a_store(tmp_path: Path) -> None:
    path = _csv(tmp_path / "d.csv", 'territory,indicator,year,value\nБалхаш-2,x1,2020,"1,5"\nfoo,x1,2021,2\n')
    data = read_dataset(path)
    assert data.observations[["territory", "indicator", "period", "value", "source"]].values.tolist() == [
        ["Балхаш-2", "x1", "2020", 1.5, "d.csv row 2"],
        ["foo", "x1", "2021", 2.0, "d.csv row 3"],
    ]
    assert sorted(data.territories.index) == ["foo", "Балхаш-2"]


def test_read_dataset_with_the_store_gazetteer_keeps_unknown_codes(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "d.csv", "territory;2020\nСатпаев;1\nnew_town;2\n")
    data = read_dataset(
        path, store.gazetteer(), indicators=store.indicators(), indicator="working_age_share_pct"
    )
    assert data.observations["territory"].tolist() == ["satpayev", "new_town"]
    assert data.territories.loc["satpayev", "name_en"] == "Satpayev"
    assert data.indicators.loc["working_age_share_pct", "unit"] == "%"
    with pytest.raises(ValidationErrors) as err:
        read_dataset(
            _csv(tmp_path / "e.csv", "territory;2020\nСатпаев;abc\n"), store.gazetteer(), indicator="a"
        )
    assert err.value.reasons == ["not_numeric"]


def test_progress_is_reported_for_checking_and_writing(store: Store, tmp_path: Path) -> None:
    rows = "".join(f"karaganda,gerd_internal,{1990 + i},{i}\n" for i in range(30))
    path = _csv(tmp_path / "p.csv", "territory,indicator,year,value\n" + rows)
    seen: list[tuple[str, int, int]] = []
    store.import_file(path, on_progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[0] == ("check", 30, 30)
    assert seen[-1] == ("write", 30, 30)


def test_bns_workbook_with_kazakh_names_and_numeric_year_headers(store: Store, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "bns.xlsx",
        {
            "1.2": [
                ["Ғылыми зерттеулер мен әзірлемелерге ішкі шығындар"],
                ["млн теңге"],
                [None, 2023, 2024],
                ["Қазақстан Республикасы", None, None],
                ["Шығыс Қазақстан облысы", 8219.1, 11005.2],
                ["Абай облысы", "5 802,0", 7023.4],
            ]
        },
    )
    report = store.import_file(path)
    assert (report.shape, report.sheet) == ("wide-years", "1.2")
    assert (report.new, report.changed, report.unchanged) == (2, 0, 2)
    new = report.frame().query("action == 'new'")[["territory", "period", "new", "row"]].values.tolist()
    assert new == [["east_kazakhstan", "2023", 8219.1, 5], ["abai", "2023", 5802.0, 6]]


def test_title_row_with_a_unit_beside_it_is_not_the_header(store: Store, tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "t.csv",
        "Внутренние затраты на НИОКР;млн тенге;;\n"
        "Регион;2022;2023;2024\n"
        "Карагандинская область;5 363,5;7 816,0;10 138,4\n",
    )
    report = store.import_file(path)
    assert (report.shape, report.new, report.unchanged) == ("wide-years", 2, 1)


def test_unit_in_a_bns_title_must_match(store: Store, tmp_path: Path, dump: Dump) -> None:
    path = _csv(
        tmp_path / "thousands.csv",
        "Внутренние затраты на НИОКР, тыс. тенге;;\n;2023;2024\nКарагандинская область;7816000;1\n",
    )
    before = dump(store)
    with pytest.raises(ValidationErrors) as err:
        store.import_file(path)
    (only,) = err.value.errors
    assert (only.row, only.reason, only.value, only.expected) == (
        1,
        "unit_mismatch",
        "тыс. тенге",
        "gerd_internal is measured in mln_kzt; convert it",
    )
    assert dump(store) == before
