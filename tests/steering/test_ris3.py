"""The RIS3 self-assessment model (aimaq.steering.ris3): seed 000's Tables 2-3 and the 52 %, checked scores,
several assessors, history and weakest criteria. Line numbers refer to ``000_72d0ba45cccb75de.txt``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aimaq.steering import ris3
from aimaq.steering.ris3_models import Ris3Assessment, Ris3Score
from aimaq.store.repository import Store

REGIONS = ("atyrau", "west_kazakhstan", "kyzylorda", "mangystau")


@pytest.fixture
def rstore(bundled_store: Store, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the bundled SQLite store, so that tests may record assessments."""
    dst = tmp_path / "ris3.sqlite"
    # the SQLite backup API copies committed pages, whether in the main file or the WAL
    with sqlite3.connect(str(bundled_store.engine.url.database)) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    store = Store(f"sqlite:///{dst}")
    yield store
    store.dispose()


def _rows(values: dict[str, float], default: float = 1.0) -> list[dict[str, object]]:
    return [
        {"criterion": f"c{i:02d}", "score": values.get(f"c{i:02d}", default), "evidence": f"p. {i}"}
        for i in range(1, 19)
    ]


def _count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Ris3Assessment)).scalar_one())


# ------------------------------------------------------------------------------------------ reference data


def test_criteria_are_6_steps_of_3_with_names_in_three_languages(bundled_store: Store) -> None:
    criteria = ris3.load_criteria(bundled_store)
    assert [c.id for c in criteria] == [f"c{i:02d}" for i in range(1, 19)]
    assert [c.step_no for c in criteria] == [k for k in range(1, 7) for _ in range(3)]
    assert all(c.name[lang] and c.step_name[lang] for c in criteria for lang in ("kk", "ru", "en"))
    # criterion 13 is read as roadmaps although Table 3 prints «Басымдықтарды таңдау» (l.459, note s000-C2)
    assert "roadmaps" in criteria[12].name["en"]


def test_both_scales_with_their_meanings(bundled_store: Store) -> None:
    adapted, ec = ris3.load_scale(bundled_store, "adapted"), ris3.load_scale(bundled_store, "ec")
    assert adapted.values == (0.0, 0.5, 1.0) and adapted.max == 1  # l.114-115
    assert ec.values == (0.0, 1.0, 2.0, 3.0, 4.0, 5.0) and ec.max == 5  # l.110-112
    assert adapted.labels[0.5]["kk"] == "сәйкестік жасырын түрде анықталды"
    assert all(ec.labels[v][lang] for v in ec.values for lang in ("kk", "ru", "en"))
    with pytest.raises(ris3.Ris3Errors, match="unknown_scale"):
        ris3.load_scale(bundled_store, "likert")


# ------------------------------------------------------------------------------------------ published values


def test_published_table_3_sums_to_table_2_and_52_percent(bundled_store: Store) -> None:
    criteria, scale = ris3.load_criteria(bundled_store), ris3.load_scale(bundled_store)
    items = ris3.published(bundled_store, list(REGIONS))
    assert [a.region for a in items] == list(REGIONS)
    s = ris3.summarise(items, criteria, scale)
    # Table 2 (l.328-376)
    assert list(s.step_totals.values()) == [7, 5, 1.5, 7, 10, 7]
    assert [s.criterion_sums[f"c{i:02d}"] for i in range(1, 19)] == [
        3, 0, 4, 2, 1, 2, 0, 0.5, 1, 4, 2, 1, 2, 4, 4, 4, 3, 0,
    ]  # fmt: skip
    # l.382-383: 52 % = 37.5 / 72; P is the mean of the regions' shares (seed-000.md M4.2)
    assert (s.points, s.max_points) == (37.5, 72)
    assert round(s.compliance_pct) == 52
    assert s.compliance_pct == pytest.approx(sum(s.region_pct.values()) / 4)
    # derived, not printed (seed-000.md 3.5)
    assert s.region_totals == {"atyrau": 11, "west_kazakhstan": 8.5, "kyzylorda": 8.5, "mangystau": 9.5}
    assert s.region_steps["mangystau"].tolist() == [2, 1.5, 0, 2, 2.5, 1.5]


def test_reproduction_report_lists_the_seed_defects_as_known_notes(bundled_store: Store) -> None:
    report = ris3.reproduce_published(bundled_store)
    assert report.ok and report.counts() == {
        "reproduced": 25,
        "explained": 0,
        "not_computable": 0,
        "not_reproduced": 0,
    }
    cells = {c.column: c for c in report.cells}
    assert cells["P_pct"].expected == 52 and cells["P_pct"].computed == pytest.approx(52.0833, abs=1e-4)
    assert "s000-C1" in cells["P_pct"].reason and "seven" in cells["P_pct"].reason  # l.100 vs l.379
    assert "s000-C2" in cells["S_c13"].reason and "Басымдықтарды таңдау" in cells["S_c13"].reason  # l.459
    assert "s000-C8" in cells["S_c02"].reason  # criterion 2's name differs between the tables
    assert cells["T_s3_overall_vision"].computed == 1.5
    assert all(c.source.startswith("seed 000") for c in report.cells)


def test_weakest_criteria_are_the_gaps(bundled_store: Store) -> None:
    criteria, scale = ris3.load_criteria(bundled_store), ris3.load_scale(bundled_store)
    atyrau = ris3.published(bundled_store, ["atyrau"])[0]
    weak = ris3.weakest(atyrau, criteria, scale, n=3)
    assert [w.criterion for w in weak] == ["c02", "c07", "c18"]  # zeros in Table 3 (l.440, 449, 467)
    assert weak[0].evidence == "seed 000, Table 3, l.440"
    west = ris3.published(bundled_store, ["west_kazakhstan"])[0]
    assert len(ris3.weakest(west, criteria, scale, n=3)) == 7  # every gap is shown, even beyond n


def test_checklist_is_table_1(bundled_store: Store) -> None:
    table = ris3.checklist(bundled_store, "en")
    assert table.shape == (6, 5)  # 6 indicators (l.284-316) x name + 4 regions
    assert table.loc["ipq_priority_innovation_zones_in_spatial_plan", "atyrau"] == "yes"
    assert (table.loc["ipq_innovation_strategy_or_section", list(REGIONS)] == "no").all()


# ------------------------------------------------------------------------------------------ new assessments


def test_every_problem_of_a_score_file_is_reported_at_once(rstore: Store) -> None:
    rows = _rows({"c03": 0.7})
    rows[4]["evidence"] = "  "
    rows[6]["score"] = "yes"
    rows[7]["criterion"] = "c99"
    rows.append({"criterion": "c01", "score": 1, "evidence": "again"})
    del rows[17]  # c18 never scored
    with pytest.raises(ris3.Ris3Errors) as err:
        ris3.build(rstore, rows, region="atlantis", assessor="", assessed_on="2021-13-01", file="scores.csv")
    reasons = sorted(p.reason for p in err.value.problems)
    assert reasons == sorted(
        [
            "unknown_region",
            "missing_value",
            "bad_date",
            "not_on_scale",
            "missing_evidence",
            "not_a_number",
            "unknown_criterion",
            "duplicate_criterion",
            "missing_criterion",
            "missing_criterion",  # c08 (its row named c99) and c18
        ]
    )
    text = str(err.value)
    assert (
        "scores.csv, row 4, column 'score': '0.7'" in text or "scores.csv, row 4, column 'score': 0.7" in text
    )
    assert "nothing was written" in text
    assert _count(rstore) == 0


def test_several_assessors_and_history(rstore: Store) -> None:
    criteria, scale = ris3.load_criteria(rstore), ris3.load_scale(rstore)
    first = ris3.build(rstore, _rows({"c02": 0}), region="atyrau", assessor="A", assessed_on="2024-03-01")
    second = ris3.build(rstore, _rows({"c07": 0.5}), region="atyrau", assessor="B", assessed_on="2024-04-01")
    again = ris3.build(rstore, _rows({}), region="atyrau", assessor="A", assessed_on="2025-02-01")
    ids = [ris3.record(rstore, a) for a in (first, second, again)]
    assert ids == sorted(ids) and _count(rstore) == 3
    hist = ris3.history(rstore, "atyrau", criteria)
    assert hist["assessor"].tolist() == ["A", "B", "A"]
    assert hist["total"].tolist() == [17, 17.5, 18]
    assert hist["share_pct"].iloc[-1] == 100
    current = {a.assessor: a for a in ris3.latest(rstore, "atyrau")}
    assert set(current) == {"A", "B"}
    assert current["A"].assessed_on == dt.date(2025, 2, 1) and current["A"].total() == 18
    assert current["B"].scores["c07"].value == 0.5 and current["B"].scores["c07"].evidence == "p. 7"
    assert [w.criterion for w in ris3.weakest(current["B"], criteria, scale, n=1)] == ["c07"]
    assert ris3.assessments(rstore, "mangystau") == []


def test_ec_scale_assessments_are_not_mixed_with_the_adapted_scale(rstore: Store) -> None:
    criteria = ris3.load_criteria(rstore)
    ec = ris3.build(
        rstore, _rows({"c01": 5, "c02": 0}, default=3), region="atyrau", assessor="EC", scale="ec"
    )
    ris3.record(rstore, ec)
    with pytest.raises(ris3.Ris3Errors, match="not_on_scale"):
        ris3.build(rstore, _rows({"c01": 0.5}), region="atyrau", assessor="EC", scale="ec")
    stored = ris3.assessments(rstore, "atyrau", "EC")[0]
    s = ris3.summarise([stored], criteria, ris3.load_scale(rstore, "ec"))
    assert s.region_totals["atyrau"] == 5 + 0 + 16 * 3
    assert s.region_pct["atyrau"] == pytest.approx(100 * 53 / 90)
    seed = ris3.published(rstore, ["kyzylorda"])
    with pytest.raises(ValueError, match="no conversion"):
        ris3.summarise([stored, *seed], criteria, ris3.load_scale(rstore, "ec"))


def test_score_rows_are_stored_with_their_evidence(rstore: Store) -> None:
    a = ris3.build(rstore, _rows({}), region="kyzylorda", assessor="A", document="Strategy 2030")
    new_id = ris3.record(rstore, a)
    with rstore.engine.connect() as conn:
        rows = conn.execute(select(Ris3Score).where(Ris3Score.assessment_id == new_id)).all()
    assert len(rows) == 18 and {r.evidence for r in rows} == {f"p. {i}" for i in range(1, 19)}
    assert ris3.assessments(rstore, "kyzylorda")[0].document == "Strategy 2030"


def test_scores_file_readers(tmp_path: Path) -> None:
    csv_file = tmp_path / "a.csv"
    csv_file.write_text(
        "region,assessor,criterion,score,evidence\n"
        + "".join(f"atyrau,A,c{i:02d},1,p. {i}\n" for i in range(1, 19)),
        encoding="utf-8",
    )
    meta, rows, first = ris3.read_scores_file(csv_file)
    assert meta == {"region": "atyrau", "assessor": "A"} and len(rows) == 18 and first == 2
    yaml_file = tmp_path / "a.yaml"
    yaml_file.write_text(
        "region: atyrau\nassessor: B\nscale: adapted\nassessed_on: 2024-05-01\nscores:\n"
        + "".join(f"  c{i:02d}: {{score: 0.5, evidence: 'p. {i}'}}\n" for i in range(1, 19)),
        encoding="utf-8",
    )
    meta, rows, first = ris3.read_scores_file(yaml_file)
    assert meta["assessed_on"] == dt.date(2024, 5, 1) and rows[0] == {
        "criterion": "c01",
        "score": 0.5,
        "evidence": "p. 1",
    }


def test_migration_0200_follows_0100_and_is_the_only_new_head() -> None:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from aimaq.store import db

    scripts = ScriptDirectory.from_config(db.alembic_config(create_engine("sqlite://")))
    assert scripts.get_revision("0200").down_revision == "0100"
    assert len(scripts.get_heads()) == 1


def test_storage_on_both_backends(store: Store) -> None:
    """record / assessments / latest / history on SQLite and PostgreSQL (the fixture store has no seed 000
    reference tables, so the assessment is built directly)."""
    scores = {f"c{i:02d}": ris3.Score(0.5 if i % 2 else 1.0, f"p. {i}") for i in range(1, 19)}
    a = ris3.Assessment("karaganda", "A", "adapted", dt.date(2024, 1, 15), scores, "Strategy", "first round")
    b = dataclasses.replace(
        a, assessed_on=dt.date(2024, 6, 1), scores={**scores, "c01": ris3.Score(1.0, "p. 1")}
    )
    ids = [ris3.record(store, a), ris3.record(store, b)]
    got = ris3.assessments(store, "karaganda")
    assert [x.id for x in got] == ids and got[0].comment == "first round"
    assert got[0].scores == scores and got[0].assessed_on == dt.date(2024, 1, 15)
    assert ris3.latest(store, "karaganda")[0].total() == b.total() == 13.5 + 0.5
    assert ris3.history(store, "karaganda")["total"].tolist() == [13.5, 14.0]
