"""aimaq's depressed-district flag on seed 003's published groupings: ``seed003_depressed_flag.yaml``.

The rule is aimaq's, not the seed's: lowest group ("Ең төмен") in at least two of Tables 41-43. The expected
set is worked out by hand from the printed tables (l.4171-4344): Urzhar, Kurshim, Katonkaragai and Tarbagatai
are lowest in all three; Abai, Beskaragai and Kokpekti in two (Abai is missing from Table 42).
"""

from __future__ import annotations

import pytest

from aimaq.engine.registry import METHODOLOGY_DIR
from aimaq.engine.spec import Methodology

SPEC = METHODOLOGY_DIR / "seed003_depressed_flag.yaml"


@pytest.fixture(scope="module")
def result(bundled_store):
    return Methodology.from_yaml(SPEC).compute(bundled_store.dataset())


def test_flagged_units_are_the_hand_count(result):
    table = result.table.xs(2019)
    assert table["score"].to_dict() == {
        "abai_district": 2.0, "altai": 1.0, "ayagoz": 0.0, "beskaragai": 2.0, "borodulikha": 0.0,
        "glubokoe": 0.0, "katonkaragai": 3.0, "kokpekti": 2.0, "kurchatov": 1.0, "kurshim": 3.0,
        "oskemen": 0.0, "ridder": 0.0, "semey": 1.0, "shemonaikha": 0.0, "tarbagatai": 3.0, "ulan": 1.0,
        "urzhar": 3.0, "zaisan": 0.0, "zharma": 0.0,
    }  # fmt: skip
    flagged = set(table.index[table["depressed"] == "depressed"])
    assert flagged == {
        "urzhar",
        "kurshim",
        "katonkaragai",
        "tarbagatai",
        "abai_district",
        "beskaragai",
        "kokpekti",
    }


def test_a_missing_group_counts_zero_not_the_mean(result):
    # Abai has no cell in Table 42 (note seed003_n088): it scores 2 from Tables 41 and 43, not 3
    norm = result.data["normalised"].xs(2019)
    assert norm.loc["abai_district", "depr_industry_group"] == 0.0
    assert result.table.xs(2019).loc["abai_district", "score"] == 2.0


def test_the_rule_is_labelled_as_aimaqs_and_links_measures(result):
    m = result.methodology
    assert m.status == "proposal"
    for lang in ("kk", "ru", "en"):
        assert "aimaq" in m.title[lang]
    table = result.table.xs(2019)
    assert table.loc["urzhar", "depressed_label_en"] == "Depressed [aimaq's rule]"
    assert table.loc["urzhar", "depressed_label_kk"] == "Депрессивті [aimaq ережесі]"
    depressed = m.get("classify.classes.1")
    assert depressed["id"] == "depressed"
    assert "seed003_table32_management_measures" in depressed["measures"]


def test_changing_the_threshold_is_a_spec_edit(result):
    strict = result.regen({"classify.classes": [
        {"id": "not_flagged", "interval": [0, 2], "closed": "both"},
        {"id": "depressed", "interval": [3, 3], "closed": "both"},
    ]})  # fmt: skip
    flagged = set(strict.table.xs(2019).query("depressed == 'depressed'").index)
    assert flagged == {"urzhar", "kurshim", "katonkaragai", "tarbagatai"}
