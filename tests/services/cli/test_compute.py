"""CLI: aimaq compute / methods / reproduce / explain, on a file (--data) and on a store (--db)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.services.cli.main import app
from aimaq.store.repository import Store

runner = CliRunner()
TAI_CSV = str(METHODOLOGY_DIR / "examples" / "oecd_tai_2008.csv")


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_compute_on_a_file_prints_ranks_and_writes_every_format(tmp_path: Path) -> None:
    r = run("compute", "oecd_tai_2008", "--data", TAI_CSV, "--lang", "ru")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["year", "territory", "score", "rank", "quartile", "quartile_label_ru"]
    assert lines[1].split()[:4] == ["2001", "finland", "0.7187", "1"]
    assert "Верхний квартиль" in lines[1]
    for suffix in (".csv", ".json", ".xlsx"):
        out = tmp_path / f"tai{suffix}"
        r = run("compute", "oecd_tai_2008", "--data", TAI_CSV, "--out", str(out))
        assert r.exit_code == 0 and out.is_file(), r.output
    assert pd.read_csv(tmp_path / "tai.csv").shape[0] == 23
    assert json.loads((tmp_path / "tai.json").read_text())["methodology"] == "oecd_tai_2008"


def test_compute_what_if_with_set() -> None:
    def rank_of(output: str, territory: str) -> int:
        return next(int(line.split()[3]) for line in output.splitlines()[1:] if line.split()[1] == territory)

    before = run("compute", "oecd_tai_2008", "--data", TAI_CSV)
    after = run("compute", "oecd_tai_2008", "--data", TAI_CSV, "--set", "slovenia.university=40")
    assert after.exit_code == 0, after.output
    assert rank_of(before.output, "slovenia") == 22
    assert rank_of(after.output, "slovenia") < 22
    bad = run("compute", "oecd_tai_2008", "--data", TAI_CSV, "--set", "slovenia=1")
    assert bad.exit_code == 2 and "TERRITORY.INDICATOR=VALUE" in bad.output


def test_spec_errors_exit_2_with_file_and_key_path(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "name: bad\ntitle: {en: Bad}\nindicators: [patents, royalty]\n"
        "aggregate: {method: arithmetic_mean, weights: equal}\n"
        "classify: {method: kmeans, params: {k: 40}}\n",
        encoding="utf-8",
    )
    r = run("compute", str(spec), "--data", TAI_CSV)
    assert r.exit_code == 2
    assert f"{spec}, indicators.1: indicator 'royalty' is not in the data; closest 'royalties'" in r.output
    assert (
        f"{spec}, classify.params.k: must be an int in [1, 23] (23 territories selected). Got 40" in r.output
    )
    unknown = run("compute", "no_such_method", "--data", TAI_CSV)
    assert unknown.exit_code == 2 and "no methodology 'no_such_method'" in unknown.output


def test_year_option_overrides_the_spec() -> None:
    r = run("compute", "oecd_tai_2008", "--data", TAI_CSV, "--year", "1999")
    assert r.exit_code == 2 and "select.years.0: no data for 1999" in r.output


def test_methods_list_and_show() -> None:
    r = run("methods", "list")
    assert r.exit_code == 0 and "oecd_tai_2008 (example)" in r.output
    data = json.loads(run("methods", "list", "--format", "json").output)
    assert any(e["name"] == "oecd_tai_2008" and e["example"] for e in data)
    show = run("methods", "show", "oecd_tai_2008")
    assert show.exit_code == 0
    assert "title [kk]: Технологиялық жетістік индексі" in show.output
    assert "normalise: minmax" in show.output and "group tai: creation, diffusion_recent" in show.output


def test_reproduce_exit_codes(tmp_path: Path) -> None:
    ok = run("reproduce", "oecd_tai_2008")
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[-1].endswith("0 not reproduced without one: OK")
    spec = tmp_path / "wrong.yaml"
    text = (METHODOLOGY_DIR / "examples" / "oecd_tai_2008.yaml").read_text(encoding="utf-8")
    spec.write_text(
        text.replace("name: oecd_tai_2008", "name: wrong").replace("finland: 1,", "finland: 2,"),
        encoding="utf-8",
    )
    bad = run("reproduce", str(spec), "--data", TAI_CSV, "--format", "json")
    assert bad.exit_code == 1
    report = json.loads(bad.output)["reports"][0]
    assert report["ok"] is False and report["counts"]["not_reproduced"] == 1


def test_explain_text_and_json() -> None:
    r = run("explain", "oecd_tai_2008", "korea", "--data", TAI_CSV)
    assert r.exit_code == 0 and r.output.startswith("korea, 2001: score 0.4957, rank 7 of 23")
    j = json.loads(run("explain", "oecd_tai_2008", "korea", "--data", TAI_CSV, "--format", "json").output)
    assert j["strengths"] == ["patents", "university", "tech_exports"]
    missing = run("explain", "oecd_tai_2008", "koreaa", "--data", TAI_CSV)
    assert missing.exit_code == 2 and "closest 'korea'" in missing.output


def test_compute_from_the_store_with_its_reference_tables(store: Store, tmp_path: Path) -> None:
    """The store fixture holds seed 004 cells of two towns and the seed's band table."""
    if "seed004_table1_score_bands" not in store.references():
        pytest.skip("the store fixture has no band table")
    spec = tmp_path / "towns.yaml"
    spec.write_text(
        "name: towns\ntitle: {en: Towns}\n"
        "indicators: [nla_innovation_exists, working_age_share_pct]\n"
        "normalise:\n"
        "  default: {method: bands, params: {table: seed004_table1_score_bands, missing: 0}}\n"
        "  by_indicator:\n"
        "    nla_innovation_exists: {method: categories, params: {points: {'no': 0, 'yes': 1}}}\n"
        "aggregate: {method: weighted_sum, weights: equal}\n",
        encoding="utf-8",
    )
    r = run("compute", str(spec), "--db", store.engine.url.render_as_string(hide_password=False))
    assert r.exit_code == 0, r.output
    assert "satpayev" in r.output and "abai_town" in r.output


def test_reproduce_everything_lists_specs_whose_data_are_not_loaded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from aimaq.engine import registry

    (tmp_path / "examples").mkdir()
    shutil.copy(METHODOLOGY_DIR / "examples" / "oecd_tai_2008.yaml", tmp_path / "examples")
    shutil.copy(TAI_CSV, tmp_path / "examples")
    (tmp_path / "needs_import.yaml").write_text(
        "name: needs_import\ntitle: {en: N}\nindicators: [gva_b]\nexpected: {x: {a: 1}}\n", encoding="utf-8"
    )
    monkeypatch.setattr(registry, "METHODOLOGY_DIR", tmp_path)
    r = run("reproduce", "--data", TAI_CSV)
    assert r.exit_code == 0, r.output
    assert "oecd_tai_2008: 23 cells, 11 reproduced" in r.output
    assert "needs_import: not run (the data it needs are not loaded):" in r.output
    assert "indicators.0: indicator 'gva_b' is not in the data" in r.output
    named = run("reproduce", "needs_import", "--data", TAI_CSV)
    assert named.exit_code == 0, named.output
    assert "needs data: import gva_b" in named.output


def test_reproduce_a_prefix_runs_every_matching_spec_and_lists_cells_that_need_data(
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    from aimaq.engine import registry

    (tmp_path / "examples").mkdir()
    (tmp_path / "templates").mkdir()
    shutil.copy(METHODOLOGY_DIR / "examples" / "oecd_tai_2008.yaml", tmp_path / "examples")
    shutil.copy(TAI_CSV, tmp_path / "examples")
    (tmp_path / "templates" / "gva.csv").write_text(
        "title row\nterritory,indicator,year,value\natyrau,gva_b,2019,\n", encoding="utf-8"
    )
    for name in ("seed009_a", "seed009_b"):
        (tmp_path / f"{name}.yaml").write_text(
            f"name: {name}\ntitle: {{en: N}}\nindicators: [gva_b]\n"
            "expected: {source: {seed: '009', table: T1, lines: 5-9},\n"
            "           score: {atyrau: 31.5, kyzylorda: 30.2}}\n",
            encoding="utf-8",
        )
    (tmp_path / "seed0091_other.yaml").write_text(
        "name: seed0091_other\ntitle: {en: N}\nindicators: [gva_b]\nexpected: {score: {a: 1}}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(registry, "METHODOLOGY_DIR", tmp_path)
    r = run("reproduce", "seed009_", "--data", TAI_CSV)
    assert r.exit_code == 0, r.output
    assert (
        "seed009_a: not run (the data it needs are not loaded): needs data: import gva_b; template "
        in r.output
    )
    assert "templates/gva.csv" in r.output
    assert "seed009_b: 2 published cells need data; not run, not a failure" in r.output
    assert "seed0091_other" not in r.output
    line = next(x for x in r.output.splitlines() if "kyzylorda" in x and "seed009_a" not in x)
    assert "score" in line and "published 30.2" in line and "seed 009, table T1, l.5-9" in line
    j = run("reproduce", "seed009", "--data", TAI_CSV, "--format", "json")
    assert j.exit_code == 0, j.output
    items = json.loads(j.output)["not_run"]
    assert [i["methodology"] for i in items] == ["seed0091_other", "seed009_a", "seed009_b"]
    assert items[1]["needs_data"]["cells"][0] == {
        "key": "expected",
        "column": "score",
        "territory": "atyrau",
        "expected": 31.5,
        "source": "seed 009, table T1, l.5-9",
    }
    # an exact name runs that spec only
    exact = run("reproduce", "seed009_a", "--data", TAI_CSV)
    assert "seed009_a" in exact.output and "seed009_b" not in exact.output
    unknown = run("reproduce", "seed010")
    assert unknown.exit_code == 2 and "no methodology 'seed010'" in unknown.output


def test_spec_errors_print_their_rows_never_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: bad\ntitle: {en: B}\nindicators: [a]\nnormalise: {method: minmaxx}\n", encoding="utf-8"
    )
    for args in (["reproduce", str(bad)], ["compute", str(bad)], ["explain", str(bad), "a"]):
        r = run(*args, "--data", TAI_CSV)
        assert r.exit_code == 2, (args, r.output)
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
        assert "Traceback" not in r.output
        assert "bad.yaml, normalise.method: unknown normalise method 'minmaxx'" in r.output
        assert "1 problem in" in r.output


@pytest.mark.parametrize("command", ["reproduce", "compute"])
def test_an_uninitialised_store_says_run_init_instead_of_a_traceback(tmp_path: Path, command: str) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    r = run(command, "seed001_scientific_potential", "--db", url)
    assert r.exit_code == 2
    assert "is empty; run `aimaq init` first" in r.output
    assert "Traceback" not in r.output and "no such table" not in r.output
