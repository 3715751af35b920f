"""How long imports take: check + write of a long CSV, the same file again (all unchanged), and read_dataset.

Builds a temporary SQLite store with the bundled data, writes a synthetic long CSV of every numeric
indicator × the 20 current regions and cities × 2022-2024 (values are random, this only measures speed), and
prints seconds and cells per second. Never asserts timings.

Run: ``.venv/bin/python bench/bench_import.py [--cells N]``
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from aimaq.store import Store, read_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=20000, help="at most this many cells (default 20000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store(f"sqlite:///{folder / 'bench.sqlite'}")
        t0 = time.perf_counter()
        store.init()
        print(f"init with the bundled data: {time.perf_counter() - t0:.2f} s")
        territories = store.territories(at=2024)
        codes = territories[territories["level"].isin(["region", "city_rs"])].index.tolist()
        indicators = store.indicators()
        numeric = indicators[indicators["kind"] == "numeric"]
        rng = np.random.default_rng(0)
        rows = [
            (
                code,
                indicator,
                year,
                f"{rng.uniform(0, 1000):.3f}",
                row["unit"] if isinstance(row["unit"], str) else "",
            )
            for indicator, row in numeric.iterrows()
            for code in codes
            for year in (2022, 2023, 2024)
        ][: args.cells]
        path = folder / "long.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["territory", "indicator", "year", "value", "unit"])
            writer.writerows(rows)
        n = len(rows)
        for label, kwargs in (
            ("dry run (check only)", {"dry_run": True}),
            ("import (check + write)", {}),
            ("re-import (all unchanged)", {}),
        ):
            t0 = time.perf_counter()
            report = store.import_file(path, **kwargs)
            dt = time.perf_counter() - t0
            print(
                f"{label}: {n} cells in {dt:.2f} s ({n / dt:,.0f} cells/s); "
                f"{report.new} new, {report.changed} changed, {report.unchanged} unchanged"
            )
        t0 = time.perf_counter()
        data = read_dataset(path, store.gazetteer(), indicators=indicators)
        dt = time.perf_counter() - t0
        print(
            f"read_dataset (no database): {len(data.observations)} cells in {dt:.2f} s "
            f"({n / dt:,.0f} cells/s)"
        )
        t0 = time.perf_counter()
        store.export(folder / "all.xlsx")
        print(f"export of every stored value to XLSX: {time.perf_counter() - t0:.2f} s")
        store.dispose()


if __name__ == "__main__":
    main()
