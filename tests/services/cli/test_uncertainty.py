"""CLI: aimaq uncertainty on the TAI worked example (--data), with declared factors, outputs and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.services.cli.main import app

runner = CliRunner()
TAI_CSV = str(METHODOLOGY_DIR / "examples" / "oecd_tai_2008.csv")
FACTORS = """\
uncertainty:
  n: 64
  seed: 5
  factors:
    - {key: weight, noise: 0.3}
    - {key: normalise.method, choices: [minmax, rank]}
    - {key: aggregate.method, choices: [arithmetic_mean, harmonic_mean]}
"""


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_default_view_prints_intervals_sensitivity_and_a_statement() -> None:
    r = run("uncertainty", "oecd_tai_2008", "--data", TAI_CSV, "--n", "64", "--seed", "1", "--top", "5")
    assert r.exit_code == 0, r.output
    out = r.output
    assert "oecd_tai_2008, 2001: 64 replications (192 runs" in out
    assert "weight: ±20% uniform" in out
    header = next(line for line in out.splitlines() if line.strip().startswith("territory"))
    assert header.split()[:6] == [
        "territory",
        "nominal_rank",
        "median_rank",
        "rank_q05",
        "rank_q95",
        "rank_interval_share",
    ]
    assert "... 18 more (--top 0 shows all)" in out
    assert "Sobol indices of the mean absolute rank shift" in out
    assert "finland: rank 1" in out and "% of replications" in out


def test_factors_file_outputs_and_reproducibility(tmp_path: Path) -> None:
    f = tmp_path / "u.yaml"
    f.write_text(FACTORS, encoding="utf-8")
    csv, js = tmp_path / "u.csv", tmp_path / "u.json"
    r = run("uncertainty", "oecd_tai_2008", "--data", TAI_CSV, "--factors", str(f), "--out", str(csv))
    assert r.exit_code == 0, r.output
    assert "normalise.method: minmax | rank" in r.output
    table = pd.read_csv(csv)
    assert len(table) == 23 and {"median_rank", "rank_q05", "rank_q95", "quartile_mode"} <= set(table.columns)
    r2 = run(
        "uncertainty",
        "oecd_tai_2008",
        "--data",
        TAI_CSV,
        "--factors",
        str(f),
        "--out",
        str(js),
        "--lang",
        "kk",
    )
    assert r2.exit_code == 0, r2.output
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["n"] == 64 and doc["seed"] == 5
    assert "қайталаулардың" in doc["statements"]["finland"]["kk"][0]
    assert pd.DataFrame(doc["summary"])["median_rank"].tolist() == table["median_rank"].tolist()
    # overrides win over the file, and the JSON format prints the document itself
    r3 = run(
        "uncertainty",
        "oecd_tai_2008",
        "--data",
        TAI_CSV,
        "--factors",
        str(f),
        "--n",
        "32",
        "--no-sensitivity",
        "--format",
        "json",
    )
    assert r3.exit_code == 0, r3.output
    doc3 = json.loads(r3.output)
    assert doc3["n"] == 32 and doc3["runs"] == 32 and doc3["sensitivity"] == []


def test_errors_name_the_key_and_exit_2(tmp_path: Path) -> None:
    r = run("uncertainty", "oecd_tai_2008", "--data", TAI_CSV, "--n", "0")
    assert r.exit_code == 2 and "command line, n: must be a positive int. Got 0 instead." in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("factors:\n  - {key: normalise.method, choices: [minmax, zscor]}\n", encoding="utf-8")
    r = run("uncertainty", "oecd_tai_2008", "--data", TAI_CSV, "--factors", str(bad))
    assert r.exit_code == 2
    assert (
        "factors.0.levels.1: level 'zscor': unknown normalise method 'zscor'; closest: 'zscore'" in r.output
    )
    r = run("uncertainty", "oecd_tai_2008", "--data", TAI_CSV, "--out", str(tmp_path / "u.txt"))
    assert r.exit_code == 2 and "write .csv or .json" in r.output
    r = run("uncertainty", "oecd_tia_2008", "--data", TAI_CSV)
    assert r.exit_code == 2 and "closest 'oecd_tai_2008'" in r.output
    r = run("uncertainty", "oecd_tai_2008", "--data", TAI_CSV, "--factors", str(tmp_path / "none.yaml"))
    assert r.exit_code == 2 and "no such file" in r.output
