"""The indicators users import for the presets that rest on statistics the seeds do not print."""

from __future__ import annotations

import csv
from pathlib import Path

import aimaq

BUNDLED = Path(aimaq.__file__).parent / "store" / "bundled"
TEMPLATES = Path(aimaq.__file__).parent / "methodologies" / "templates"


def _codes(path: Path, column: str, skip: int = 0) -> set[str]:
    with path.open(encoding="utf-8") as fh:
        for _ in range(skip):
            fh.readline()
        return {row[column] for row in csv.DictReader(fh)}


def test_every_template_indicator_is_defined() -> None:
    defined = _codes(BUNDLED / "indicators" / "statistics.csv", "code")
    used = _codes(TEMPLATES / "gva_by_activity_template.csv", "indicator", skip=1)
    assert used <= defined, sorted(used - defined)


def test_every_oked_section_has_a_gva_indicator_with_three_names() -> None:
    with (BUNDLED / "indicators" / "statistics.csv").open(encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    sections = {
        r["code"]
        for r in csv.DictReader((TEMPLATES / "oked_sector_mapping.csv").open(encoding="utf-8"))
        if r["level"] == "section"
    }
    assert {f"gva_{s}" for s in sections} <= set(rows)
    for code, row in rows.items():
        assert row["name_kk"] and row["name_ru"] and row["name_en"], code
        assert row["unit"] == "mln KZT", code


def test_the_illustrative_fixture_imports_into_the_bundled_store(bundled_store) -> None:
    fixture = (
        Path(__file__).parents[1] / "methodologies" / "fixtures" / "illustrative_gva_mining_grp_2008_2021.csv"
    )
    report = bundled_store.import_file(fixture, dry_run=True)
    # every data row of the fixture is a new cell
    assert report.new == 456 and report.changed == 0 and report.unchanged == 0
