"""Formula injection in exports (OWASP, "CSV Injection"): any text cell starting with ``= + - @``, a tab or a
carriage return is written with a leading apostrophe to CSV and XLSX, so a spreadsheet shows it as text and
never evaluates it; numbers stay numbers; and a long export imports back unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aimaq.store.export import write_table
from aimaq.store.repository import Store

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: Text without the C0 control characters XML 1.0 forbids (tab, newline and carriage return are allowed);
#: those are tested on their own below.
TEXT = st.text(
    st.characters(
        blacklist_categories=["Cs"], blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
    ),
    max_size=20,
)
CELLS = st.one_of(TEXT, st.builds(lambda head, tail: head + tail, st.sampled_from(DANGEROUS), TEXT))


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@settings(max_examples=40, deadline=None)
@given(cells=st.lists(CELLS, min_size=1, max_size=8), header=CELLS)
@example(cells=["\r@"], header="")  # a bare CR once split the cell into a new row starting with @
def test_no_exported_text_cell_can_start_a_formula(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str], header: str
) -> None:
    frame = pd.DataFrame({"name": cells, header or "h": cells, "number": [-3.5] * len(cells)})
    folder = tmp_path_factory.mktemp("export")
    for cell in _csv_cells(write_table(frame, folder / "out.csv")):
        assert not cell.startswith(DANGEROUS) or cell.lstrip("-").replace(".", "", 1).isdigit(), cell
    book = openpyxl.load_workbook(write_table(frame, folder / "out.xlsx"))
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(DANGEROUS), cell.value
    numbers = [c.value for c in next(book.active.iter_cols(min_col=3, max_col=3, min_row=2))]
    assert numbers == [-3.5] * len(cells)  # a negative number is not text


def test_a_hostile_file_name_in_the_provenance_is_neutralised_and_round_trips(
    store: Store, tmp_path: Path
) -> None:
    """An import file named like a formula puts that name in the ``file`` column of every export."""
    hostile = tmp_path / '=HYPERLINK("http:x";"click").csv'
    hostile.write_text(
        "territory,indicator,year,value\nkaraganda,gerd_internal,2019,12.5\n", encoding="utf-8"
    )
    store.import_file(hostile)
    out = store.export(tmp_path / "export.csv", territories=["karaganda"])
    cells = _csv_cells(out)
    assert "'" + hostile.name in cells and hostile.name not in cells
    xlsx = store.export(tmp_path / "export.xlsx", territories=["karaganda"])
    values = [c.value for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row]
    assert "'" + hostile.name in values
    again = store.import_file(out, dry_run=True)
    assert again.new == 0 and again.changed == 0 and again.unchanged == len(again.changes) > 0


def test_control_characters_in_an_xlsx_export(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["a\x1fb", "=\x00x"]})
    book = openpyxl.load_workbook(write_table(frame, tmp_path / "out.xlsx"))
    values = [c.value for row in book.active.iter_rows(min_row=2) for c in row]
    assert all(isinstance(v, str) and not v.startswith(DANGEROUS) for v in values)
    assert values == ["a\ufffdb", "'=\ufffdx"]  # kept, neutralised, the lost character visible
