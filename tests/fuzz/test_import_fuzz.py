"""Import files from hell: random bytes, wrong encodings, hostile and huge cells. Each gets
``ValidationErrors`` naming the problem (never another exception, never a traceback for the user), and the
store is unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimaq.store.errors import REASONS, ValidationErrors
from aimaq.store.imports import read_dataset
from aimaq.store.repository import Store

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns on odd workbooks

SUFFIXES = st.sampled_from([".csv", ".tsv", ".xlsx"])
#: Cells an attacker or a broken export could put in a file.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "<script>alert(1)</script>",
            "'; DROP TABLE observation; --",
            "\x00",
            "\ufeff",
            "1e309",
            "NaN",
            "-inf",
            "１２３",  # full-width digits
            "12,5 %",
            "9" * 400,
        ]
    ),
)


def _check(store: Store, dump, path: Path, **kwargs: object) -> None:
    """Import ``path``: either it is refused with ValidationErrors and nothing changes, or it imports."""
    before = dump(store)
    try:
        report = store.import_file(path, dry_run=True, **kwargs)
    except ValidationErrors as exc:
        assert exc.errors and all(e.reason in REASONS for e in exc.errors)
        assert all(e.file == path.name for e in exc.errors)
        assert exc.render().endswith("nothing was written.")
    else:
        assert report.dry_run
    assert dump(store) == before


@settings(settings.get_profile("aimaq-fuzz"))
@given(data=st.binary(max_size=4096), suffix=SUFFIXES)
def test_random_bytes(
    fuzz_store: Store, dump, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"random{suffix}"
    path.write_bytes(data)
    _check(fuzz_store, dump, path)


@settings(settings.get_profile("aimaq-fuzz"))
@given(
    rows=st.lists(st.tuples(HOSTILE, HOSTILE, HOSTILE, HOSTILE), min_size=1, max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16", "koi8-r", "latin-1"]),
)
def test_long_tables_with_hostile_cells_and_any_encoding(
    fuzz_store: Store, dump, tmp_path_factory: pytest.TempPathFactory, rows: list, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["territory", "indicator", "year", "value"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    _check(fuzz_store, dump, path)


@settings(settings.get_profile("aimaq-fuzz"))
@given(
    value=HOSTILE,
    territory=st.sampled_from(["karaganda", "Карагандинская область", "=karaganda", "ҚАРАҒАНДЫ"]),
)
def test_one_cell_of_an_otherwise_valid_file(
    fuzz_store: Store, dump, tmp_path_factory: pytest.TempPathFactory, value: str, territory: str
) -> None:
    path = tmp_path_factory.mktemp("cell") / "cell.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["territory", "indicator", "year", "value"], [territory, "gerd_internal", "2019", value]]
        )
    _check(fuzz_store, dump, path)


def test_utf16_is_refused_as_a_wrong_encoding(fuzz_store: Store, dump, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes("territory,indicator,year,value\nkaraganda,gerd_internal,2019,1\n".encode("utf-16"))
    before = dump(fuzz_store)
    with pytest.raises(ValidationErrors) as e:
        fuzz_store.import_file(path)
    assert set(e.value.reasons) <= {"wrong_encoding", "unreadable_file"}
    assert dump(fuzz_store) == before


def test_huge_rows_are_refused_with_a_clear_error(fuzz_store: Store, dump, tmp_path: Path) -> None:
    """A 5000-column row and 100 000-character cells: each bad row named, nothing written."""
    path = tmp_path / "huge.csv"
    header = ["territory", "indicator", "year", "value", *[f"extra{i}" for i in range(5000)]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerow(["karaganda", "gerd_internal", "2019", "7" * 100_000, *["x"] * 5000])
        out.writerow(["k" * 100_000, "gerd_internal", "2019", "1"])
    before = dump(fuzz_store)
    with pytest.raises(ValidationErrors) as e:
        fuzz_store.import_file(path)
    assert dump(fuzz_store) == before
    assert [(x.row, x.column, x.reason) for x in e.value.errors] == [
        (2, "value", "not_numeric"),
        (3, "territory", "unknown_territory"),
    ]


def test_a_cell_above_the_csv_field_limit_is_a_validation_error(
    fuzz_store: Store, dump, tmp_path: Path
) -> None:
    path = tmp_path / "huge_cell.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["territory", "indicator", "year", "value"],
                ["karaganda", "gerd_internal", "2019", "7" * 2_000_000],
            ]
        )
    before = dump(fuzz_store)
    try:
        with pytest.raises(ValidationErrors) as e:
            fuzz_store.import_file(path)
    finally:
        assert dump(fuzz_store) == before
    [error] = e.value.errors
    assert (error.row, error.reason) == (2, "unreadable_file")
    assert "field larger than field limit" in str(error.value)


@settings(settings.get_profile("aimaq-fuzz"), max_examples=25)
@given(data=st.binary(max_size=2048), suffix=SUFFIXES)
def test_read_dataset_without_a_store(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("dataset") / f"random{suffix}"
    path.write_bytes(data)
    try:
        read_dataset(path)
    except ValidationErrors as exc:
        assert exc.errors
