"""The data commands of the CLI (aimaq.services.cli.data), run through Typer's test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimaq.services.cli.main import app
from aimaq.store.load_bundled import BUNDLED
from aimaq.store.repository import Store

FIXTURE = Path(__file__).parents[2] / "store" / "fixtures" / "bundled"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite store with the fixture bundle; the URL to pass as --db."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    store = Store(url)
    store.init(bundled=FIXTURE)
    store.dispose()
    return url


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_help_texts_name_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("init", "import", "territories", "indicators", "export", "data"):
        assert command in out
    code, out, _ = run("import", "--help")
    assert code == 0 and "--dry-run" in out and "--sheet" in out and "Bureau of National Statistics" in out


def test_territories_by_date_and_language(db: str) -> None:
    code, out, _ = run("territories", "--level", "region", "--at", "2021", "--lang", "ru", "--db", db)
    assert code == 0
    assert "east_kazakhstan_1997" in out and "Восточно-Казахстанская область" in out and "abai " not in out
    code, out, _ = run("territories", "--level", "region", "--at", "2023-01-01", "--db", db)
    assert "Abai Region" in out and "east_kazakhstan_1997" not in out
    code, _, err = run("territories", "--lang", "de", "--db", db)
    assert code == 2 and "'de' is not one of kk, ru, en" in err


def test_indicators(db: str) -> None:
    code, out, _ = run("indicators", "--seed", "seed004", "--db", db)
    assert code == 0
    assert "working_age_share_pct" in out and "gerd_internal" not in out and "seed004 T1 326-331" in out


def test_data_show_with_provenance_and_notes(db: str) -> None:
    code, out, _ = run("data", "show", "-t", "Абай облысы", "-i", "gerd_internal", "--db", db)
    assert code == 0, out
    assert "2,370.4" in out and "seed001 T1 l.742" in out and "seed001_t1_new_borders_abai" in out
    assert "recalculated to the new borders" in out  # the note's text is shown under the table
    code, out, _ = run("data", "show", "-t", "Абай облысы", "-i", "gerd_internal", "--lang", "ru", "--db", db)
    assert "пересчитано в новых границах" in out and "2\xa0370,4" in out  # Russian number format
    code, _, err = run("data", "show", "-t", "Карагнды", "--db", db)
    assert code == 2 and "unknown territory" in err and "Traceback" not in err


def test_import_dry_run_then_write_then_refuse(db: str, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "territory;indicator;year;value\nКарагандинская обл.;gerd_internal;2021;4 717,9\n", encoding="utf-8"
    )
    code, out, _ = run("import", str(good), "--dry-run", "--changes", "--db", db)
    assert code == 0 and "1 new, 0 changed, 0 unchanged cells; dry run, nothing was written." in out
    assert "karaganda" in out
    code, out, _ = run("import", str(good), "--db", db)
    assert code == 0 and "written as import batch 2" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "territory,indicator,year,value\nАбай облысы,gerd_internal,2019,1\nkaraganda,x,2019,1\n",
        encoding="utf-8",
    )
    code, out, err = run("import", str(bad), "--db", db)
    assert code == 2
    assert err.splitlines() == [
        'bad.csv, row 2, column "territory": "Абай облысы": the territory did not exist (with these '
        "borders) in that year; Abai Region exists from 2022-06-08; for 2019 use east_kazakhstan_1997 "
        "(East Kazakhstan Region) [year_outside_validity]",
        'bad.csv, row 3, column "indicator": "x": the indicator is not in the store; an indicator code '
        "(aimaq indicators lists them) [unknown_indicator]",
        "2 errors in 1 file; nothing was written.",
    ]


def test_export_and_uninitialised_store(db: str, tmp_path: Path) -> None:
    out_file = tmp_path / "out.xlsx"
    code, out, _ = run("export", str(out_file), "-t", "ВКО", "--db", db)
    assert code == 0 and out_file.is_file() and "wrote" in out
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    code, _, err = run("territories", "--db", empty)
    assert code == 2 and "run `aimaq init` first" in err


def test_init_with_the_bundled_data(tmp_path: Path) -> None:
    if not (BUNDLED / "sources.csv").is_file():
        pytest.skip("the bundled data is not there yet")
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    code, out, _ = run("init", "--db", url)
    assert code == 0 and "store ready" in out and "observation:" in out
    code, out, _ = run("init", "--db", url)
    assert (
        code == 0
        and " 0 new, 0 changed" in out
        and " new, 0 changed, 0 unchanged" not in out.split("observation")[1]
    )


def test_max_errors_limits_the_listing_not_the_count(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "many.csv"
    bad.write_text(
        "territory,indicator,year,value\n" + "".join(f"nowhere{i},gerd_internal,2020,1\n" for i in range(5)),
        encoding="utf-8",
    )
    code, _, err = run("import", str(bad), "--max-errors", "2", "--db", db)
    assert code == 2
    lines = err.splitlines()
    assert (
        len(lines) == 4
        and lines[2] == "... and 3 more"
        and lines[3] == "5 errors in 1 file; nothing was written."
    )


def test_init_reset_drops_imported_data(db: str, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("territory,indicator,year,value\nkaraganda,gerd_internal,2019,1\n", encoding="utf-8")
    assert run("import", str(mine), "--db", db)[0] == 0
    code, out, _ = run("init", "--reset", "--no-bundled", "--db", db)
    assert code == 0 and "store ready" in out
    store = Store(db)
    assert store.initialised and store.observations().empty
    store.dispose()
