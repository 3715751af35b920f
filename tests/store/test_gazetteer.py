"""Matching names to territory codes with validity dates (aimaq.store.gazetteer)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aimaq.store.gazetteer import Gazetteer

FIXTURE = Path(__file__).parent / "fixtures" / "bundled"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    territories = pd.read_csv(FIXTURE / "territories.csv", dtype=str).set_index("code")
    aliases = pd.read_csv(FIXTURE / "territory_aliases.csv", dtype=str)
    return Gazetteer(territories, aliases)


@pytest.mark.parametrize(
    ("name", "year", "code"),
    [
        ("ВКО", 2019, "east_kazakhstan_1997"),
        ("ВКО", 2023, "east_kazakhstan"),
        ("ВКО", 2022, "east_kazakhstan"),  # both valid in 2022: the borders at the year's end win
        ("Восточно-Казахстанская обл.", 2010, "east_kazakhstan_1997"),
        ("East Kazakhstan region", 2024, "east_kazakhstan"),
        ("Алматы қ.", 2020, "almaty"),
        ("г. Алматы", 2020, "almaty"),
        ("Алматы облысы", 2020, "almaty_region"),
        ("Алматинская обл.", 2020, "almaty_region"),
        ("Абай облысы", 2023, "abai"),
        ("Абай", 2020, "abai_town"),  # the monotown's exact name beats the region's loose key
        ("Сатпаев", 2020, "satpayev"),
        ("Сәтпаев", 2020, "satpayev"),
        ("САТПАЕВ ", 2020, "satpayev"),
        ("KZ-35", 2020, "karaganda"),
        ("karaganda", 2020, "karaganda"),
    ],
)
def test_names_match(gazetteer: Gazetteer, name: str, year: int, code: str) -> None:
    match = gazetteer.match(name, year, year)
    assert match.ok, match
    assert match.code == code


def test_abai_region_before_2022_is_refused_naming_the_predecessor(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Абай облысы", 2019, 2019)
    assert match.reason == "year_outside_validity"
    assert match.expected == (
        "Abai Region exists from 2022-06-08; for 2019 use east_kazakhstan_1997 (East Kazakhstan Region)"
    )


def test_old_east_kazakhstan_after_the_split_names_its_successors(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("east_kazakhstan_1997", 2023, 2023)
    assert match.reason == "year_outside_validity"
    assert "existed 1997-05-03 to 2022-06-07" in str(match.expected)
    assert "east_kazakhstan (East Kazakhstan Region), abai (Abai Region)" in str(match.expected)


def test_unknown_name_suggests_the_closest(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Карагандинская облась", 2020, 2020)
    assert match.reason == "unknown_territory"
    assert match.expected == 'closest "Карагандинская область"'
    assert gazetteer.match("Xyzzy", 2020, 2020).expected is None


def test_span_must_be_covered_entirely(gazetteer: Gazetteer) -> None:
    assert gazetteer.covers("east_kazakhstan_1997", 2008, 2021)
    assert not gazetteer.covers("east_kazakhstan_1997", 2008, 2023)
    assert gazetteer.match("ВКО", 2008, 2023).reason == "year_outside_validity"


def test_without_a_year_the_current_territory_wins(gazetteer: Gazetteer) -> None:
    assert gazetteer.match("ВКО").code == "east_kazakhstan"
    assert gazetteer.predecessors("abai") == ["east_kazakhstan_1997"]


def test_ambiguous_names_are_reported() -> None:
    t = pd.DataFrame(
        {
            "level": ["district", "district"],
            "name_kk": ["Жаңа", "Жаңа"],
            "name_ru": ["Жана", "Жана"],
            "name_en": ["Zhana", "Zhana"],
        },
        index=pd.Index(["zhana_a", "zhana_b"], name="code"),
    )
    match = Gazetteer(t).match("Жаңа", 2020, 2020)
    assert match.reason == "ambiguous_territory"
    assert match.expected == "write one of the codes zhana_a (Zhana), zhana_b (Zhana)"
