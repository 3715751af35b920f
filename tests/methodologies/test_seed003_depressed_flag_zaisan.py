"""aimaq's depressed flag with Zaisan in Table 43's lowest group (note seed003_n093):
``seed003_depressed_flag_zaisan.yaml``. The correction adds one lowest group to Zaisan's count, below the
threshold of two, so the flagged units are those of the proposal."""

from __future__ import annotations

from aimaq.engine.registry import load
from aimaq.store.repository import Store

NAME = "seed003_depressed_flag_zaisan"
FLAGGED = ["abai_district", "beskaragai", "katonkaragai", "kokpekti", "kurshim", "tarbagatai", "urzhar"]


def test_correction_comes_from_the_note_and_changes_only_zaisans_count(bundled_store: Store) -> None:
    ds = bundled_store.dataset()
    m = load(NAME)
    assert m.status == "variant" and m.problems() == []
    assert m.get("corrections") == [
        {"territory": "zaisan", "indicator": "depr_investment_group", "year": 2019, "note": "seed003_n093"}
    ]
    r, base = m.compute(ds), load("seed003_depressed_flag").compute(ds)
    assert any("zaisan depr_investment_group 2019: medium -> lowest" in w for w in r.warnings)
    t, b = r.table_for(2019), base.table_for(2019)
    assert (t["score"] - b["score"]).to_dict() == {k: (1.0 if k == "zaisan" else 0.0) for k in t.index}
    assert t.loc["zaisan", "score"] == 1 and t.loc["zaisan", "depressed"] == "not_flagged"
    assert (
        sorted(t.index[t["depressed"] == "depressed"])
        == FLAGGED
        == sorted(b.index[b["depressed"] == "depressed"])
    )
