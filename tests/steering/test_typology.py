"""Seed 002 typology: Table 1 sectors, sector structure, Figure 1 positioning, S3 checklist.

Reference tables are read from the bundled files and the shipped templates (what a user edits); the
expected results are the seed-002 reading's acceptance tests (``spec/seed-002.md`` §8) and hand computations.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.steering.typology import (
    CRITERIA,
    SECTORS,
    classify_sector,
    position_regions,
    position_strategy,
    score_s3_checklist,
    sector_profiles,
    sector_structure,
    strategy_guidance,
    table1,
)

REFERENCE = Path(__file__).resolve().parents[2] / "src" / "aimaq" / "store" / "bundled" / "reference"
TEMPLATES = METHODOLOGY_DIR / "templates"


@pytest.fixture(scope="module")
def coded() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "seed002_table1_sector_profiles_coded.csv")


@pytest.fixture(scope="module")
def profiles(coded: pd.DataFrame) -> dict:
    return sector_profiles(coded)


@pytest.fixture(scope="module")
def strategies() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "seed002_fig1_strategy_positioning.csv")


# --------------------------------------------------------------------------------------------- Table 1 / M4


def test_each_table1_profile_classifies_to_itself(coded: pd.DataFrame, profiles: dict) -> None:
    """M4 identity requirement: tree and similarity score, at both ends of each mode range."""
    assert set(profiles) == set(SECTORS)
    for row in coded.to_dict("records"):
        for mode in {int(row["tech_mode_min"]), int(row["tech_mode_max"])}:
            attrs = {
                "product_kind": row["product_kind"],
                "price_setting_markets": row["price_setting_markets"],
                "tech_mode": mode,
                "production_factors": row["production_factors"],
            }
            if row["demand_orientation"] != "not_stated":
                attrs["demand_orientation"] = row["demand_orientation"]
            r = classify_sector(attrs, profiles)
            assert r.sector == row["sector_id"] and r.tree_sector == row["sector_id"], (
                row["sector_id"],
                mode,
            )
            assert r.scores[row["sector_id"]] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("attrs", "sector"),
    [  # spec/seed-002.md §8, test 8 (ties of the technological mode)
        (
            {"tech_mode": 3, "demand_orientation": "local", "production_factors": "labour;investment"},
            "infrastructure",
        ),
        ({"tech_mode": 4, "demand_orientation": "external_first"}, "raw"),
        ({"tech_mode": 6, "product_kind": "intangible_knowledge"}, "knowledge_economy"),
        ({"tech_mode": 6, "product_kind": "new_materials_products_services_technologies"}, "high_tech"),
    ],
)
def test_mode_ties_are_broken_by_the_other_criteria(attrs: dict, sector: str, profiles: dict) -> None:
    assert classify_sector(attrs, profiles).sector == sector


def test_explanation_per_criterion(profiles: dict) -> None:
    r = classify_sector(
        {"tech_mode": 4, "demand_orientation": "external_first", "price_setting_markets": "world"}, profiles
    )
    table = r.explain()
    assert list(table.index) == list(CRITERIA) and list(table.columns) == list(SECTORS)
    assert table.loc["technological_mode", "raw"] == 1.0
    assert table.loc["technological_mode", "high_tech"] == pytest.approx(2 / 3)  # 1 mode from 5: 1 - 1/3
    assert table.loc["prices", "raw"] == pytest.approx(0.5)  # {world} vs {world, national}
    assert pd.isna(table.loc["production_factors", "raw"])  # not given: dropped, weights renormalised
    assert r.tree_path[-1].startswith("demand external_first: raw")


def test_bad_attributes_are_all_reported(profiles: dict) -> None:
    with pytest.raises(ValueError, match="unknown name\\(s\\) colour"):
        classify_sector({"colour": "red", "tech_mode": 3}, profiles)
    with pytest.raises(ValueError, match="tech_mode: 9"):
        classify_sector({"tech_mode": 9}, profiles)
    with pytest.raises(ValueError, match="weights: unknown criterion"):
        classify_sector({"tech_mode": 3}, profiles, weights={"colour": 1.0})


def test_profile_table_errors_name_rows() -> None:
    bad = pd.DataFrame(
        [
            {"sector_id": "x", "product_kind": "a", "demand_orientation": "b", "price_setting_markets": "w",
             "tech_mode_min": 5, "tech_mode_max": 3, "production_factors": "labour"},
            {"sector_id": "y", "product_kind": "a", "demand_orientation": "b", "price_setting_markets": "w",
             "tech_mode_min": "five", "tech_mode_max": 6, "production_factors": "labour"},
        ]
    )  # fmt: skip
    with pytest.raises(ValueError) as err:
        sector_profiles(bad)
    assert "2 problem(s)" in str(err.value) and "row 2" in str(err.value) and "row 3" in str(err.value)


# ------------------------------------------------------------------------------------- sector structure / M5


def test_sector_structure_with_the_shipped_mapping() -> None:
    mapping = pd.read_csv(TEMPLATES / "oked_sector_mapping.csv")
    obs = pd.DataFrame(
        {
            "territory": "r",
            "year": 2019,
            "indicator": [
                "grp",
                "gva_a",
                "gva_b",
                "gva_c",
                "gva_c20",
                "gva_c26",
                "gva_j",
                "gva_m",
                "gva_m72",
            ],
            "value": [999.0, 10.0, 50.0, 20.0, 4.0, 1.0, 5.0, 10.0, 2.0],
        }
    )
    s = sector_structure(obs, mapping).loc[("r", 2019)]
    total = 10 + 50 + 20 + 5 + 10  # sections only: divisions are inside their sections; grp is ignored
    assert s["raw"] == pytest.approx(100 * 50 / total)
    assert s["high_tech"] == pytest.approx(100 * 5 / total)  # c20 + c26
    assert s["knowledge_economy"] == pytest.approx(100 * (5 + 2) / total)  # j + m72
    assert s["infrastructure"] == pytest.approx(100 * (10 + 15 + 8) / total)  # a + rest of c + rest of m
    assert s[list(SECTORS)].sum() == pytest.approx(100)
    assert s["new_share"] == pytest.approx(s["high_tech"] + s["knowledge_economy"])
    assert s["hhi"] == pytest.approx(sum((s[k] / 100) ** 2 for k in SECTORS))


def test_sector_structure_reports_every_problem() -> None:
    mapping = pd.DataFrame({"code": ["b", "c", "c20"], "sector": ["raw", "infrastructure", "hightech"]})
    obs = pd.DataFrame(
        {
            "territory": "r",
            "year": 2019,
            "indicator": ["gva_b", "gva_c", "gva_c20", "gva_zz"],
            "value": [1, 1, 2, 1],  # division c20 (2) > its section c (1)
        }
    )
    with pytest.raises(ValueError) as err:
        sector_structure(obs, mapping)
    msg = str(err.value)
    assert "3 problem(s)" in msg and "'hightech'" in msg and "gva_zz" in msg and "exceed the section" in msg


def test_shipped_mapping_covers_every_oked_section() -> None:
    mapping = pd.read_csv(TEMPLATES / "oked_sector_mapping.csv")
    assert set(mapping.loc[mapping["level"] == "section", "code"]) == set("abcdefghijklmnopqrstu")
    assert set(mapping["sector"]) == set(SECTORS)
    assert mapping.set_index("code").loc["b", "sector"] == "raw"


# ----------------------------------------------------------------------------------------- Figure 1 / M6


@pytest.mark.parametrize(
    ("p", "h", "x", "strategy", "flags"),
    [  # spec/seed-002.md §8, test 9
        (0.8, 0.8, "traditional", "local_tech_competitiveness", ()),
        (0.8, 0.8, "new", "international_tech_competitiveness", ()),
        (0.2, 0.2, "new", "niche_leadership", ()),
        (0.2, 0.2, "traditional", "niche_leadership", ()),
        (0.2, 0.8, "new", "niche_leadership", ("mixed_capacity",)),
        (0.8, 0.8, "raw", "local_tech_competitiveness", ()),
        (0.8, 0.8, "knowledge_economy", "international_tech_competitiveness", ()),
    ],
)
def test_positioning_decision_table(
    p: float, h: float, x: str, strategy: str, flags: tuple, strategies
) -> None:
    r = position_strategy(p, h, x, strategies)
    assert (r.strategy, r.flags) == (strategy, flags)
    assert r.definition["strategy_id"] == strategy and r.definition["strategy_kk"]


def test_positioning_input_errors_all_at_once(strategies: pd.DataFrame) -> None:
    with pytest.raises(ValueError) as err:
        position_strategy(1.5, -0.1, "space", strategies)
    assert "3 problem(s)" in str(err.value)


def test_positioning_of_regions_uses_median_cutoffs(strategies: pd.DataFrame) -> None:
    frame = pd.DataFrame(
        {"potential": [10.0, 20.0, 30.0, 40.0], "production": [5.0, 30.0, 10.0, 40.0],
         "target": ["new", "traditional", "new", "traditional"]},
        index=["a", "b", "c", "d"],
    )  # fmt: skip
    out = position_regions(frame, strategies)
    assert out.loc["a", "strategy"] == "niche_leadership" and out.loc["a", "flags"] == ""
    assert out.loc["d", "strategy"] == "local_tech_competitiveness"
    assert out.loc["c", "flags"] == "mixed_capacity"  # potential above the median, production below


def test_guidance_per_strategy() -> None:
    guidance = pd.read_csv(TEMPLATES / "seed002_strategy_guidance.csv")
    ltc = strategy_guidance("local_tech_competitiveness", guidance)
    assert set(ltc["kind"]) == {"measure"}  # the seed prints effects only for the new sectors (l.831-871)
    itc = strategy_guidance("international_tech_competitiveness", guidance)
    assert {"e_ke_mode_6", "e_ht_mode_5_6", "e_new_diffusion", "m_itc_concentrate"} <= set(itc["item_id"])
    only_ht = strategy_guidance("niche_leadership", guidance, targets=["high_tech"])
    assert not only_ht["applies_to"].eq("knowledge_economy").any()
    assert guidance[["text_kk", "text_ru", "text_en"]].notna().all().all()
    with pytest.raises(ValueError, match="strategy: 'other'"):
        strategy_guidance("other", guidance)


# ------------------------------------------------------------------------------------------ S3 checklist / M9


def test_s3_checklist_scored_per_strategy() -> None:
    checklist = pd.read_csv(TEMPLATES / "seed002_s3_checklist.csv")
    assert checklist.groupby("block").size().to_dict() == {
        "principle": 5, "characteristic": 8, "condition": 4, "task": 3,
    }  # fmt: skip
    items = list(checklist["item_id"])
    scores = pd.DataFrame([{i: 1.0 for i in items}, {i: 0.0 for i in items}], index=["full", "none"])
    scores.loc["none", "p1_entrepreneurial_discovery"] = 0.5
    out = score_s3_checklist(scores, checklist)
    assert (out.loc["full"] == 100).all()
    assert out.loc["none", "principle"] == pytest.approx(10.0)  # 0.5 of 5 items
    assert out.loc["none", "overall"] == pytest.approx(100 * 0.5 / 20)


def test_s3_checklist_errors_list_everything() -> None:
    checklist = pd.read_csv(TEMPLATES / "seed002_s3_checklist.csv")
    with pytest.raises(ValueError) as err:
        score_s3_checklist({"p1_entrepreneurial_discovery": 0.7, "zz": 1}, checklist)
    msg = str(err.value)
    assert "'zz': not a checklist item" in msg and "0.7 is not 0, 0.5 or 1" in msg and "has no score" in msg


# ------------------------------------------------------------------------------------ Table 1 view and CLI


def test_table1_in_every_language() -> None:
    chars = pd.read_csv(REFERENCE / "seed002_table1_sector_characteristics.csv")
    en = table1(chars, "en")
    assert en.shape == (4, 4) and en.columns[0] == "Raw-material"
    assert "external demand" in en.iloc[0, 0]  # products of the raw-material sector (l.637-642)
    kk = table1(chars, "kk")
    assert kk.columns[0] == "Шикізаттық"
    assert kk.attrs["cells_lang"] in {"kk", "ru"}  # ru when no Kazakh cell text is bundled
    with pytest.raises(ValueError, match="'de' has no column"):
        table1(chars, "de")


@pytest.fixture(scope="module")
def cli(bundled_store):
    import typer

    from aimaq.services.cli import typology as cli_typology

    app = typer.Typer()
    cli_typology.register(app)
    app.command("noop")(lambda: None)  # a second command keeps `typology` a named group
    return app, str(bundled_store.url)


def test_cli_sector_position_checklist(cli, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    app, url = cli
    run = CliRunner().invoke
    out = run(
        app, ["typology", "sector", "--tech-mode", "6", "--product-kind", "intangible_knowledge", "--db", url]
    )
    assert out.exit_code == 0, out.output
    assert "sector: knowledge_economy" in out.output and "technological_mode" in out.output
    out = run(app, ["typology", "position", "--potential", "0.2", "--production", "0.9", "--target", "new",
                    "--db", url])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "niche_leadership" in out.output and "mixed_capacity" in out.output and "measure:" in out.output
    items = pd.read_csv(TEMPLATES / "seed002_s3_checklist.csv")["item_id"]
    scores = pd.DataFrame([{"strategy": "region_a", **{i: 1 for i in items}}])
    path = tmp_path / "scores.csv"
    scores.to_csv(path, index=False)
    out = run(app, ["typology", "checklist", str(path)])
    assert out.exit_code == 0 and "100.0" in out.output, out.output
    out = run(app, ["typology", "table1", "--lang", "ru", "--db", url])
    assert out.exit_code == 0 and "Сырьевой" in out.output


def test_cli_reports_bad_input(cli) -> None:
    from typer.testing import CliRunner

    app, url = cli
    out = CliRunner().invoke(app, ["typology", "sector", "--tech-mode", "9", "--db", url])
    assert out.exit_code == 2 and "tech_mode: 9" in out.output


def test_cli_structure_of_the_illustrative_fixture(cli) -> None:
    """The raw-material fixture (synthetic: section B and GRP only) is 100 % raw: B is its only GVA."""
    from typer.testing import CliRunner

    app, _ = cli
    fixture = Path(__file__).resolve().parents[1] / "methodologies" / "fixtures"
    out = CliRunner().invoke(
        app, ["typology", "structure", str(fixture / "illustrative_gva_mining_grp_2008_2021.csv")]
    )
    assert out.exit_code == 0, out.output
    assert "100.0" in out.output and "new_share" in out.output


def test_s3_checklist_next_to_the_ris3_wheel(bundled_store) -> None:
    """Seed 000 Table 3 wheels side by side with a checklist scored for the same regions."""
    from aimaq.steering import ris3
    from aimaq.steering.typology import s3_with_ris3_wheel

    criteria = ris3.load_criteria(bundled_store)
    scale = ris3.load_scale(bundled_store)
    summary = ris3.summarise(ris3.published(bundled_store), criteria, scale)
    step_max: dict[str, float] = {}
    for c in criteria:
        step_max[c.step_id] = step_max.get(c.step_id, 0.0) + scale.max
    checklist = pd.read_csv(TEMPLATES / "seed002_s3_checklist.csv")
    regions = list(summary.region_steps.columns)
    scores = pd.DataFrame([{i: 0.5 for i in checklist["item_id"]} for _ in regions], index=regions)
    table = s3_with_ris3_wheel(score_s3_checklist(scores, checklist), summary.region_steps, step_max)
    assert set(table.index) == set(regions) and (table["s3_overall"] == 50).all()
    ris3_cols = [c for c in table.columns if c.startswith("ris3_")]
    assert len(ris3_cols) == len(step_max)
    for region in regions:  # back from percentages to the wheel's points
        points = sum(table.loc[region, c] * step_max[c[5:]] / 100 for c in ris3_cols)
        assert points == pytest.approx(summary.region_totals[region])
    with pytest.raises(ValueError, match="no maximum for step"):
        s3_with_ris3_wheel(score_s3_checklist(scores, checklist), summary.region_steps, {})
