"""The measures catalogue: rebuilt from the seed tables, trilingual, cited, and linked to computed classes."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from aimaq.steering.measures import (
    DATA,
    catalogue,
    class_kind,
    linked_measures,
    measures,
    message,
    preset_links,
    recommend,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path("/work/shared/seeds")


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_measures", ROOT / "scripts/steering/build_measures.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_bundled_csv_is_what_the_script_builds() -> None:
    with (DATA / "measures.csv").open(encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == _builder().build()


def test_every_measure_is_trilingual_and_cited() -> None:
    c = catalogue()
    assert len(c) > 150
    for col in ("text_kk", "text_ru", "text_en", "seed", "lines", "applies_kind", "applies_to", "instrument"):
        assert (c[col] != "").all(), c.index[c[col] == ""].tolist()
    assert set(c["applies_kind"]) == {
        "monotown_class",
        "depression_group",
        "strategy_type",
        "raw_material_region",
        "region",
    }
    machine = c["translation"].str.contains("machine")
    assert machine.all()  # every row says which texts are machine-written
    assert set(c.loc[c["basis"] == "proposal", "seed"]) == {"002"}


def _norm(text: str) -> str:
    # the seed breaks words at line ends with a hyphen («ин-\nновациялық», «өзін-\nөзі»): compare without
    # hyphens, since a compound hyphen and a break hyphen look the same there
    return " ".join(re.sub(r"(\w)-[ \t]*\n\s*", r"\1", text).replace("-", "").split())


@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_kazakh_texts_are_in_the_seed(seed: str) -> None:
    files = list(SEEDS.glob(f"{seed}_*.txt"))
    if not files:
        pytest.skip("the seed texts are not available")
    lines = files[0].read_text(encoding="utf-8").splitlines()
    rows = catalogue()
    rows = rows[rows["seed"] == seed]
    for mid, row in rows.iterrows():
        first = int(str(row["lines"]).split(",")[0].split("-")[0])
        window = _norm("\n".join(lines[max(first - 3, 0) : first + 12]))
        probe = " ".join(_norm(row["text_kk"]).split()[:2])  # M-4.5 is split by Figure 1 after word 2
        assert probe in window, (mid, probe)


def test_karazhal_low_potential_gets_the_six_directions() -> None:
    r = recommend("karazhal", "low", "seed004_monotown_potential", score=26, territory_name="Karazhal")
    assert r.reason == "Karazhal: low innovation potential, total 26 → these 8 measures"
    directions = r.measures[r.measures["item_type"] == "direction"]
    assert directions["text_en"].tolist() == [
        "Construction of infrastructure facilities",
        "Organise a congress of entrepreneurs to identify promising sectors of development",
        "Capital repair of multi-apartment residential buildings",
        "Finance construction of energy facilities",
        "Develop effective interaction with (other) regions",
        "Equalisation of budget provision",
    ]
    assert r.measures.loc[r.measures["item_type"] == "regulation_mode", "instrument"].item() == "direct"
    assert set(r.general["applies_to"]) == {"all"} and len(r.general) == 9
    ru = recommend(
        "karazhal", "low", "seed004_monotown_potential", score=26, lang="ru", territory_name="Каражал"
    )
    assert ru.reason == "Каражал: низкий инновационный потенциал, сумма баллов 26 → мер: 8"
    assert (
        ru.measures["text"].iloc[0]
        == "Разработка мероприятий по формированию инновационного потенциала моногорода"
    )


def test_medium_monotowns_get_the_23_numbered_measures_with_indicators() -> None:
    r = recommend("satpayev", "medium", "seed004_monotown_potential", score=40)
    numbered = r.measures[r.measures["item_type"] == "measure"]
    assert len(numbered) == 23
    assert (
        r.measures.loc[r.measures["item_type"] == "measure", "instrument"].str.startswith("indirect")
    ).all()
    tax = numbered.set_index("measure_id").loc["s004_M-2.4"]
    assert "mono_direct_innovation_support_exists" in tax["indicators"].split(";")


def test_depression_groups_and_territory_limits() -> None:
    kurshim = recommend("kurshim", "lowest", "seed003_depression_groups", classify="wage_group")
    oskemen = recommend("oskemen", "depressed", "seed003_depressed_flag")
    assert len(kurshim.measures) > 50 and set(kurshim.measures["seed"]) == {"003"}
    assert kurshim.reason == "kurshim: lowest level (group 1) → these 125 measures"
    # SEZ, industrial and technology zones: Oskemen and Semey only (seed 003 l.3395)
    only_there = set(oskemen.measures["measure_id"]) - set(kurshim.measures["measure_id"])
    assert only_there == {"s003_t31_4_1", "s003_t31_5_1", "s003_t31_5_2"}
    top = recommend("ridder", "very_high", "seed003_depression_groups")
    assert top.measures.empty and top.reason.endswith("the seeds recommend no measures for this class")


def test_every_class_a_preset_links_reaches_measures() -> None:
    """Every class that a methodology YAML links to measure tables gets catalogue rows from each table."""
    presets = sorted(p.stem for p in (ROOT / "src/aimaq/methodologies").glob("*.yaml"))
    # Table 12 of seed 003 lists indicators of the low class, not measures: it is not in the catalogue
    not_measures = {"seed003_table12_low_class_indicators"}
    checked = 0
    for name in presets:
        for class_id, links in preset_links(name).items():
            for classify, _title, tables in links:
                rows = linked_measures(name, class_id, classify)
                assert rows is not None
                for table in set(tables) - not_measures:
                    assert (rows["reference"] == table).any(), (name, class_id, table)
                checked += 1
                assert not recommend("kz", class_id, name, classify=classify).measures.empty
    assert checked >= 10


def test_strategy_and_raw_material_and_region_kinds() -> None:
    niche = recommend("atyrau", "niche_leadership", "seed002_strategy_positioning")
    assert niche.measures["measure_id"].tolist() == ["s002_niche_leadership_1", "s002_niche_leadership_2"]
    raw = recommend("atyrau", "raw", "seed002_raw_material_region")
    assert len(raw.measures) == 9 and raw.reason == "atyrau: raw-material region → these 9 measures"
    region = recommend("karaganda", "well_below", "seed001_scientific_potential")
    assert "s001_AR-5" in region.measures["measure_id"].tolist() and region.general.empty


def test_unknown_methodology_or_class_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no measures are linked to it; known name prefixes"):
        class_kind("my_index", "low")
    with pytest.raises(ValueError, match="class 'very low' unknown; expected one of low, medium, high"):
        class_kind("seed004_monotown_potential", "very low")
    with pytest.raises(ValueError, match="lang must be one of kk, ru, en"):
        message("recommend.reason", "de")


def test_filters() -> None:
    frame = measures("monotown_class", "high", lang="kk")
    assert set(frame["applies_to"]) == {"high", "all"}
    assert isinstance(frame, pd.DataFrame) and (frame["text"] == frame["text_kk"]).all()
    assert set(measures(seed="000")["applies_kind"]) == {"raw_material_region"}
