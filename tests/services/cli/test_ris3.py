"""``aimaq ris3 ...``: the wheel renders to valid PNG and SVG, assessments are recorded and shown, Table 1 and
the reproduction of Table 2 / 52 % (seed 000, ``000_72d0ba45cccb75de.txt``) are printed."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from aimaq.services.cli.main import app
from aimaq.store.repository import Store

REGIONS = ["atyrau", "west_kazakhstan", "kyzylorda", "mangystau"]


@pytest.fixture
def db(bundled_store: Store, tmp_path: Path) -> Iterator[str]:
    """The URL of a private copy of the bundled store (assessments are written to it)."""
    dst = tmp_path / "cli.sqlite"
    with sqlite3.connect(str(bundled_store.engine.url.database)) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    yield f"sqlite:///{dst}"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _scores_csv(path: Path, low: str = "c05") -> Path:
    lines = ["criterion,score,evidence"]
    lines += [f"c{i:02d},{0 if f'c{i:02d}' == low else 1},strategy p. {i}" for i in range(1, 19)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_wheel_png_of_four_regions(db: str, tmp_path: Path) -> None:
    out = tmp_path / "wheel.png"
    res = run("ris3", "wheel", *REGIONS, "--out", str(out), "--db", db)
    assert res.exit_code == 0, res.output
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert data[12:16] == b"IHDR"


def test_wheel_svg_in_kazakh(db: str, tmp_path: Path) -> None:
    out = tmp_path / "wheel.svg"
    res = run("ris3", "wheel", "atyrau", "--out", str(out), "--lang", "kk", "--db", db)
    assert res.exit_code == 0, res.output
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 18


def test_wheel_refuses_other_formats_and_unknown_regions(db: str, tmp_path: Path) -> None:
    res = run("ris3", "wheel", "atyrau", "--out", str(tmp_path / "w.jpg"), "--db", db)
    assert res.exit_code == 2 and ".png or .svg" in res.output
    res = run("ris3", "wheel", "atyrau", "narnia", "--out", str(tmp_path / "w.png"), "--db", db)
    assert res.exit_code == 2 and "narnia" in res.output
    assert not (tmp_path / "w.png").exists()


def test_assess_show_and_history(db: str, tmp_path: Path) -> None:
    f = _scores_csv(tmp_path / "s.csv")
    args = ["--region", "mangystau", "--db", db]
    res = run("ris3", "assess", str(f), *args, "--assessor", "A. Analyst", "--date", "2024-03-01")
    assert res.exit_code == 0, res.output
    assert "recorded assessment" in res.output and "total 17 of 18" in res.output
    f2 = _scores_csv(tmp_path / "s2.csv", low="c11")
    res = run("ris3", "assess", str(f2), *args, "--assessor", "B. Expert", "--date", "2024-04-01")
    assert res.exit_code == 0, res.output
    res = run("ris3", "show", "mangystau", "--db", db)
    assert res.exit_code == 0, res.output
    out = res.output
    # both assessors' latest assessments and the seed's own Table 3 are shown, weakest criteria marked
    assert "A. Analyst, 2024-03-01" in out and "B. Expert, 2024-04-01" in out and "seed 000, Table 3" in out
    weak_a = next(ln for ln in out.splitlines() if ln.strip().startswith("c05") and "strategy p. 5" in ln)
    assert "<< weakest" in weak_a
    assert "history:" in out and out.count("mangystau") >= 1
    js = run("ris3", "show", "mangystau", "--format", "json", "--db", db)
    doc = json.loads(js.output)
    assert [h["assessor"] for h in doc["history"]] == ["A. Analyst", "B. Expert"]
    seed = next(a for a in doc["assessments"] if a["assessor"] == "seed 000, Table 3")
    assert seed["total"] == 9.5 and seed["weakest"][:3] == ["c02", "c07", "c08"]


def test_assess_reports_every_problem_and_writes_nothing(db: str, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("criterion,score,evidence\nc01,0.7,p. 1\nc02,1,\nc77,1,p. 3\n", encoding="utf-8")
    res = run("ris3", "assess", str(f), "--region", "atyrau", "--assessor", "A", "--db", db)
    assert res.exit_code == 2
    assert f"{f}, row 2, column 'score'" in res.output and "not_on_scale" in res.output
    assert "missing_evidence" in res.output and "unknown_criterion" in res.output
    assert res.output.count("missing_criterion") == 16
    assert "nothing was written" in res.output
    assert "history:" not in run("ris3", "show", "atyrau", "--db", db).output


def test_assess_dry_run_writes_nothing(db: str, tmp_path: Path) -> None:
    f = _scores_csv(tmp_path / "s.csv")
    res = run("ris3", "assess", str(f), "--region", "atyrau", "--assessor", "A", "--dry-run", "--db", db)
    assert res.exit_code == 0 and "nothing written" in res.output
    assert "history:" not in run("ris3", "show", "atyrau", "--db", db).output


def test_reproduce_lists_table_2_and_the_defects(db: str) -> None:
    res = run("ris3", "reproduce", "--db", db)
    assert res.exit_code == 0, res.output
    assert "25 cells, 25 reproduced" in res.output
    assert "s000-C1" in res.output and "s000-C2" in res.output


def test_checklist_and_criteria(db: str) -> None:
    res = run("ris3", "checklist", "--lang", "ru", "--db", db)
    assert res.exit_code == 0, res.output
    assert "Table 1" in res.output and "Атырауская область: yes" in res.output
    res = run("ris3", "criteria", "--lang", "kk", "--db", db)
    assert res.exit_code == 0 and res.output.count("   c") == 18
    assert "Басқару" in res.output  # step 2, Governance


def test_show_a_region_without_assessments(db: str) -> None:
    res = run("ris3", "show", "karaganda", "--db", db)
    assert res.exit_code == 2 and "aimaq ris3 assess" in res.output


def test_wheel_of_an_ec_scale_assessment_and_no_mixing(db: str, tmp_path: Path) -> None:
    f = tmp_path / "ec.csv"
    f.write_text(
        "criterion,score,evidence\n" + "".join(f"c{i:02d},{i % 6},p. {i}\n" for i in range(1, 19)),
        encoding="utf-8",
    )
    res = run(
        "ris3", "assess", str(f), "--region", "atyrau", "--assessor", "EC panel", "--scale", "ec", "--db", db
    )
    assert res.exit_code == 0, res.output
    out = tmp_path / "ec.svg"
    res = run("ris3", "wheel", "atyrau", "--assessor", "EC panel", "--out", str(out), "--db", db)
    assert res.exit_code == 0, res.output
    assert ET.parse(out).getroot().tag.endswith("svg")
    res = run("ris3", "wheel", "atyrau", "mangystau", "--out", str(tmp_path / "mix.png"), "--db", db)
    assert res.exit_code == 2 and "different scales" in res.output


def test_what_if_on_a_criterion_moves_step_and_total(db: str) -> None:
    """seed-000.md feature 8: change a score and see the step total and the total move."""
    res = run(
        "compute",
        "seed000_ris3_wheel",
        "--db",
        db,
        "--set",
        "atyrau.ris3_c02_external_environment_analysis=1",
    )
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if "atyrau" in ln)
    assert " 12" in line  # 11 + 1
