"""A read-only store over transcribed seed tables, for the web and browser tests.

``seed_store`` builds a :class:`~aimaq.dataset.Dataset` from the bundled gazetteer and two transcribed seed
tables (``/work/shared/spec/data``, which tests may read): seed 001 Table 1 (GERD by region, 2020-2024, on
the 2022 borders: l.714-780) and Table B1 (doctoral students, 2020-2021 on the *old* borders: l.2198-2220).
The second is what exercises the pre-2022 map.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd

from aimaq.dataset import Dataset
from aimaq.services.web.data import default_bundled_dir

SHARED = Path("/work/shared")
SPEC_DATA = SHARED / "spec" / "data"
BUNDLED = default_bundled_dir()

# Regions split in 2022 -> the gazetteer's version on the 1997-2022 borders (bundled territories.csv).
# seed-001.md X21 (l.774): an outlier printed the same way in Tables 1 and 2.
ATYRAU_NOTE = "Atyrau falls from 6,412.1 (2021) to 467.8 (2022); printed consistently in Tables 1 and 2"
OLD_BORDERS = {"KZ-63": "east_kazakhstan_1997", "KZ-19": "almaty_region_1997", "KZ-35": "karaganda_1997"}


def _territories() -> pd.DataFrame:
    terr = pd.read_csv(BUNDLED / "territories.csv", dtype=str, keep_default_na=False)
    terr = terr.replace("", None)
    for col in ("lat", "lon"):
        terr[col] = pd.to_numeric(terr[col])
    return terr.set_index("code")


def _iso_codes(terr: pd.DataFrame) -> dict[str, str]:
    current = terr[terr["valid_to"].isna() & terr["level"].isin(["region", "city_rs"])]
    return {iso: code for code, iso in current["iso"].items() if iso}


class SeedStore:
    """A read-only store over transcribed seed tables (see the module docstring)."""

    def __init__(self) -> None:
        terr = _territories()
        iso = _iso_codes(terr)
        rows = []
        with (SPEC_DATA / "seed001_table1_gerd_by_region.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["row_type"] != "region" or r["indicator"] != "gerd_internal":
                    continue
                rows.append(
                    {
                        "territory": iso[r["region_iso"]],
                        "indicator": "gerd_internal",
                        "period": r["year_from"],
                        "value": float(r["value"]),
                        "status": "published",
                        "source": f"seed001 T1 l.{r['source_line']}",
                    }
                )
        with (SPEC_DATA / "seed001_tableB1_doctoral_students_graduates.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["row_type"] != "region" or not r["doctoral_students_total"]:
                    continue
                code = iso[r["region_iso"]]
                if int(r["year"]) < 2022 and r["region_iso"] in OLD_BORDERS:
                    code = OLD_BORDERS[r["region_iso"]]  # B1 keeps the old borders in 2020-2021 (l.2200)
                rows.append(
                    {
                        "territory": code,
                        "indicator": "doctoral_students",
                        "period": r["year"],
                        "value": float(r["doctoral_students_total"]),
                        "status": "published",
                        "source": f"seed001 B1 l.{r['source_line']}",
                    }
                )
        indicators = pd.DataFrame(
            [
                {
                    "code": "gerd_internal",
                    "name_kk": "ҒЗТКЖ-ға ішкі шығындар",
                    "name_ru": "Внутренние затраты на НИОКР",
                    "name_en": "Internal expenditure on R&D",
                    "unit": "mln KZT",
                    "direction": 1,
                    "kind": "numeric",
                },
                {
                    "code": "doctoral_students",
                    "name_kk": "Докторанттар саны",
                    "name_ru": "Численность докторантов",
                    "name_en": "Doctoral students",
                    "unit": "persons",
                    "direction": 1,
                    "kind": "numeric",
                },
            ]
        ).set_index("code")
        notes = pd.DataFrame(
            [
                {
                    "territory": "atyrau",
                    "indicator": "gerd_internal",
                    "period": "2022",
                    "kind": "outlier",
                    "text": ATYRAU_NOTE,
                    "text_en": ATYRAU_NOTE,
                    "text_ru": "Атырау: падение с 6 412,1 (2021) до 467,8 (2022); одинаково в таблицах 1 и 2",
                    "source": "seed001 T1 l.774",
                }
            ]
        )
        self.data = Dataset.from_long(pd.DataFrame(rows), terr, indicators, notes)
        self.reads = 0

    def dataset(self) -> Dataset:
        self.reads += 1
        return self.data


def make_bundled_dir(root: Path) -> Path:
    """Fill ``root`` like ``store/bundled``: the seed texts (from /work/shared/seeds) and a sources.csv."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    with (root / "sources.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["seed", "file", "title_kk", "title_ru", "title_en", "authors", "year", "kind"])
        for path in sorted((SHARED / "seeds").glob("*.txt")):
            shutil.copy(path, root / "seeds" / path.name)
            w.writerow([path.name[:3], path.name, "", "", "", "", "", ""])
    return root
