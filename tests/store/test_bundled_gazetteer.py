"""The bundled gazetteer (``store/bundled/territories.csv`` and ``territory_aliases.csv``).

The files are read with the ``csv`` module only, so these checks run without a database. Checks that compare
with the seed readings read ``/work/shared/spec/data`` and are skipped, with the reason, when it is absent.

Border model under test (README.md of the bundled folder): a territory whose borders changed has one code per
version, with ``valid_from``/``valid_to`` and ``successor``; a district or town whose own borders stayed but
whose region changed keeps one code and records the change in ``parent_changes`` (``DATE:parent``).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from functools import cache
from pathlib import Path

import pytest

from aimaq.store.gazetteer import Gazetteer
from aimaq.store.parsing import name_keys

BUNDLED = Path(__file__).resolve().parents[2] / "src" / "aimaq" / "store" / "bundled"
SPEC_DATA = Path("/work/shared/spec/data")
FIRST_LEVEL = ("region", "city_rs")
LEVELS = ("country", "region", "city_rs", "district", "city", "monotown")
# Start of the gazetteer's coverage: borders before 2000 (the 1997 mergers) are not modelled.
COVERAGE_START = dt.date(2000, 1, 1)
CHANGE_DAYS = [dt.date(2018, 6, 18), dt.date(2018, 6, 19), dt.date(2022, 6, 7), dt.date(2022, 6, 8)]

needs_spec = pytest.mark.skipif(
    not SPEC_DATA.is_dir(), reason=f"{SPEC_DATA} (the seed readings) is not available"
)


@cache
def territories() -> dict[str, dict[str, str]]:
    with open(BUNDLED / "territories.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        assert row["code"] not in out, f"territories.csv: code {row['code']!r} is given twice"
        out[row["code"]] = row
    return out


@cache
def aliases() -> list[dict[str, str]]:
    with open(BUNDLED / "territory_aliases.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def valid_at(code: str, day: dt.date) -> bool:
    row = territories()[code]
    start, end = _date(row["valid_from"]), _date(row["valid_to"])
    return (start is None or start <= day) and (end is None or day <= end)


def parent_at(code: str, day: dt.date) -> str:
    """The parent on ``day``: the base ``parent``, then each ``DATE:parent`` change in force by that day."""
    row = territories()[code]
    parent = row["parent"]
    for change in filter(None, row["parent_changes"].split(";")):
        date, new = change.split(":")
        if dt.date.fromisoformat(date) <= day:
            parent = new
    return parent


def leaves(code: str) -> frozenset[str]:
    """The current pieces a territory's land is made of, following ``successor`` down to the current units."""
    successors = [s for s in territories()[code]["successor"].split(";") if s]
    return frozenset().union(*(leaves(s) for s in successors)) if successors else frozenset([code])


def sample_days() -> list[dt.date]:
    days = [dt.date(y, m, 1) for y in range(2000, 2027) for m in (1, 7)]
    return sorted(set(days + CHANGE_DAYS + [dt.date.today()]))


def first_level_at(day: dt.date) -> list[str]:
    return [c for c, r in territories().items() if r["level"] in FIRST_LEVEL and valid_at(c, day)]


# ------------------------------------------------------------------ codes and columns
def test_columns_follow_the_architecture_contract() -> None:
    with open(BUNDLED / "territories.csv", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    contract = [
        "code",
        "level",
        "parent",
        "name_kk",
        "name_ru",
        "name_en",
        "iso",
        "valid_from",
        "valid_to",
        "lat",
        "lon",
        "successor",
        "note",
    ]
    # Columns may be added (parent_changes), none of the contract's may be missing.
    assert [c for c in contract if c not in header] == []


def test_codes_are_ascii_lower_snake_and_levels_known() -> None:
    bad = [c for c in territories() if not re.fullmatch(r"[a-z][a-z0-9_]*", c)]
    assert bad == []
    assert {r["level"] for r in territories().values()} <= set(LEVELS)


def test_every_territory_has_three_names_and_coordinates_inside_kazakhstan() -> None:
    problems = []
    for code, row in territories().items():
        for lang in ("kk", "ru", "en"):
            if not row[f"name_{lang}"].strip():
                problems.append(f"{code}: name_{lang} empty")
        if not re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", row["name_kk"] + row["name_ru"]):
            problems.append(f"{code}: kk/ru names are not in Cyrillic")
        lat, lon = float(row["lat"]), float(row["lon"])
        # Bounding box of Kazakhstan (40.5-55.5 N, 46.5-87.4 E).
        if not (40.5 <= lat <= 55.5 and 46.5 <= lon <= 87.4):
            problems.append(f"{code}: ({lat}, {lon}) is outside Kazakhstan")
    assert problems == []


def test_references_point_at_existing_territories() -> None:
    t = territories()
    problems = []
    for code, row in t.items():
        refs = [row["parent"]] + [s for s in row["successor"].split(";") if s]
        refs += [c.split(":")[1] for c in row["parent_changes"].split(";") if c]
        problems += [f"{code} -> {r}" for r in refs if r and r not in t]
    assert problems == []


def test_successors_start_the_day_after_their_predecessor_ends() -> None:
    problems = []
    for code, row in territories().items():
        for succ in filter(None, row["successor"].split(";")):
            end = _date(row["valid_to"])
            start = _date(territories()[succ]["valid_from"])
            if end is None or start != end + dt.timedelta(days=1):
                problems.append(f"{code} ends {end}, its successor {succ} starts {start}")
    assert problems == []


# ------------------------------------------------------------------ the 20 current units and the borders
def test_twenty_current_first_level_units_with_iso_codes() -> None:
    current = first_level_at(dt.date.today())
    assert len(current) == 20
    rows = [territories()[c] for c in current]
    assert sorted(r["level"] for r in rows).count("city_rs") == 3
    isos = [r["iso"] for r in rows]
    assert all(re.fullmatch(r"KZ-\d{2}", i) for i in isos) and len(set(isos)) == 20
    for code in (
        "east_kazakhstan",
        "almaty_region",
        "almaty_city",
        "astana",
        "shymkent",
        "abai",
        "zhetysu",
        "ulytau",
    ):
        assert code in current


@needs_spec
def test_current_units_match_the_seed001_region_list() -> None:
    with open(SPEC_DATA / "seed001_regions.csv", encoding="utf-8") as f:
        spec = {r["region_iso"]: r for r in csv.DictReader(f)}
    mine = {territories()[c]["iso"]: territories()[c] for c in first_level_at(dt.date.today())}
    assert set(mine) == set(spec)
    for iso, row in spec.items():
        assert mine[iso]["name_kk"] == row["region_kk"], iso
        assert mine[iso]["name_ru"] == row["region_ru"], iso


@pytest.mark.parametrize("day", sample_days(), ids=str)
def test_first_level_units_tile_the_country_on_every_day(day: dt.date) -> None:
    """No overlap and no gap: the units valid on ``day`` cover each current piece exactly once."""
    units = first_level_at(day)
    pieces = [leaves(c) for c in units]
    overlaps = [
        (a, b) for (a, pa), (b, pb) in itertools.combinations(zip(units, pieces, strict=True), 2) if pa & pb
    ]
    assert overlaps == []
    assert frozenset().union(*pieces) == frozenset(first_level_at(dt.date.today()))
    assert all(territories()[c]["parent"] == "kz" for c in units)


@pytest.mark.parametrize(
    ("day", "present", "absent"),
    [
        (dt.date(2018, 6, 18), {"south_kazakhstan"}, {"turkistan", "shymkent"}),
        (dt.date(2018, 6, 19), {"turkistan", "shymkent"}, {"south_kazakhstan"}),
        (
            dt.date(2022, 6, 7),
            {"east_kazakhstan_1997", "almaty_region_1997", "karaganda_1997"},
            {"abai", "zhetysu", "ulytau"},
        ),
        (
            dt.date(2022, 6, 8),
            {"east_kazakhstan", "abai", "almaty_region", "zhetysu", "karaganda", "ulytau"},
            {"east_kazakhstan_1997", "almaty_region_1997", "karaganda_1997"},
        ),
    ],
)
def test_the_2018_and_2022_changes_by_date(day: dt.date, present: set[str], absent: set[str]) -> None:
    units = set(first_level_at(day))
    assert present <= units
    assert not absent & units


def test_split_regions_name_their_successors() -> None:
    t = territories()
    assert leaves("east_kazakhstan_1997") == {"east_kazakhstan", "abai"}
    assert leaves("almaty_region_1997") == {"almaty_region", "zhetysu"}
    assert leaves("karaganda_1997") == {"karaganda", "ulytau"}
    assert leaves("south_kazakhstan") == {"turkistan", "shymkent"}
    assert t["east_kazakhstan_1997"]["valid_to"] == "2022-06-07"
    assert t["east_kazakhstan"]["valid_from"] == "2022-06-08"


# ------------------------------------------------------------------ districts, cities, monotowns
@pytest.mark.parametrize(
    "day", [dt.date(2010, 1, 1), dt.date(2022, 6, 7), dt.date(2022, 6, 8), dt.date(2025, 1, 1)], ids=str
)
def test_lower_units_have_a_valid_first_level_parent_on_every_day(day: dt.date) -> None:
    problems = []
    for code, row in territories().items():
        if row["level"] in ("district", "city", "monotown") and valid_at(code, day):
            parent = parent_at(code, day)
            if territories()[parent]["level"] not in FIRST_LEVEL or not valid_at(parent, day):
                problems.append(f"{code}: parent {parent} on {day}")
    assert problems == []


def test_east_kazakhstan_units_before_and_after_2022() -> None:
    before, after = dt.date(2020, 1, 1), dt.date(2024, 1, 1)
    to_abai = {
        "semey",
        "kurchatov",
        "abai_district",
        "ayagoz",
        "beskaragai",
        "borodulikha",
        "zharma",
        "kokpekti",
        "urzhar",
    }
    stay = {
        "oskemen",
        "ridder",
        "glubokoe",
        "zaisan",
        "altai",
        "kurshim",
        "katonkaragai",
        "tarbagatai",
        "ulan",
        "shemonaikha",
    }
    for code in to_abai | stay:
        assert parent_at(code, before) == "east_kazakhstan_1997", code
        assert parent_at(code, after) == ("abai" if code in to_abai else "east_kazakhstan"), code


def test_karaganda_monotowns_before_and_after_2022() -> None:
    towns = {c for c, r in territories().items() if r["level"] == "monotown"}
    assert towns == {
        "balkhash",
        "zhezkazgan",
        "karazhal",
        "saran",
        "satpayev",
        "temirtau",
        "shakhtinsk",
        "abai_town",
    }
    for town in towns:
        assert parent_at(town, dt.date(2020, 1, 1)) == "karaganda_1997"
        expected = "ulytau" if town in {"zhezkazgan", "satpayev", "karazhal"} else "karaganda"
        assert parent_at(town, dt.date(2024, 1, 1)) == expected


@needs_spec
def test_seed003_territory_ids_exist() -> None:
    """Seed 003's ids are kept, except two that clash: 'vko' (the pre-2022 region), 'abai' (the district)."""
    renamed = {"vko": "east_kazakhstan_1997", "abai": "abai_district"}
    ids: set[str] = set()
    for path in SPEC_DATA.glob("seed003_*.csv"):
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("territory_id"):
                    ids.add(row["territory_id"])
    assert len(ids - {"kz", "vko"}) == 19
    missing = sorted(renamed.get(i, i) for i in ids if renamed.get(i, i) not in territories())
    assert missing == []


@needs_spec
def test_seed004_towns_exist_with_their_names() -> None:
    with open(SPEC_DATA / "seed004_towns.csv", encoding="utf-8") as f:
        towns = list(csv.DictReader(f))
    names = {a["alias"] for a in aliases()}
    for town in towns:
        code = "abai_town" if town["town_id"] == "abai" else town["town_id"]
        row = territories()[code]
        assert row["level"] == "monotown"
        assert town["town_ru"] in row["name_ru"]
        assert town["town_kk"] in names or town["town_kk"] in row["name_kk"], town["town_kk"]


# ------------------------------------------------------------------ aliases
def test_aliases_refer_to_territories_and_name_a_language() -> None:
    problems = [a for a in aliases() if a["code"] not in territories() or a["lang"] not in ("kk", "ru", "en")]
    assert problems == []
    pairs = [(a["code"], a["alias"]) for a in aliases()]
    assert len(pairs) == len(set(pairs))


def _intervals_overlap(a: str, b: str) -> bool:
    ra, rb = territories()[a], territories()[b]
    start_a, end_a = _date(ra["valid_from"]) or dt.date.min, _date(ra["valid_to"]) or dt.date.max
    start_b, end_b = _date(rb["valid_from"]) or dt.date.min, _date(rb["valid_to"]) or dt.date.max
    return start_a <= end_b and start_b <= end_a


def test_names_and_aliases_are_unambiguous_on_every_date() -> None:
    """A spelling (strict matching key) may name two codes only if they never exist on the same day."""
    by_key: dict[str, set[str]] = {}
    for code, row in territories().items():
        for name in (row["name_kk"], row["name_ru"], row["name_en"]):
            by_key.setdefault(name_keys(name)[0], set()).add(code)
    for a in aliases():
        by_key.setdefault(name_keys(a["alias"])[0], set()).add(a["code"])
    clashes = [
        (key, a, b)
        for key, codes in by_key.items()
        for a, b in itertools.combinations(sorted(codes), 2)
        if _intervals_overlap(a, b)
    ]
    assert clashes == []


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    import pandas as pd

    t = pd.read_csv(BUNDLED / "territories.csv", dtype=str, keep_default_na=False).set_index("code")
    t = t.replace("", None)
    return Gazetteer(t, pd.read_csv(BUNDLED / "territory_aliases.csv", dtype=str))


@pytest.mark.parametrize(
    ("name", "year", "code"),
    [
        ("ШҚО", 2019, "east_kazakhstan_1997"),
        ("ВКО", 2024, "east_kazakhstan"),
        ("Шығыс Қазақстан облысы", 2015, "east_kazakhstan_1997"),
        ("Восточно-Казахстанская область", 2023, "east_kazakhstan"),
        ("Нур-Султан", 2020, "astana"),
        ("Нұр-Сұлтан", 2021, "astana"),
        ("Алматы қ", 2024, "almaty_city"),
        ("Алматинская область", 2019, "almaty_region_1997"),
        ("Жетісу облысы", 2023, "zhetysu"),
        ("Южно-Казахстанская область", 2015, "south_kazakhstan"),
        ("Түркістан облысы", 2020, "turkistan"),
        ("Шахты", 2020, "shakhtinsk"),
        ("Шахтинск", 2020, "shakhtinsk"),
        ("Сатпаев", 2020, "satpayev"),
        ("Өскемен қ.", 2015, "oskemen"),
        ("Усть-Каменогорск", 2015, "oskemen"),
        ("Зырян", 2012, "altai"),
        ("Zyryanovsk District", 2012, "altai"),
        ("Семипалатинск", 2010, "semey"),
        ("Абай облысы", 2024, "abai"),
        ("Абай ауданы", 2015, "abai_district"),
        ("Абай қаласы", 2020, "abai_town"),
    ],
)
def test_spellings_used_by_the_seeds_match_one_code(
    gazetteer: Gazetteer, name: str, year: int, code: str
) -> None:
    assert gazetteer.match(name, year, year).code == code


@needs_spec
def test_the_short_names_of_seed001_table2_match_their_regions(gazetteer: Gazetteer) -> None:
    """Table 2 prints «Шығыс Қазақстан», «Алматы қ», «Ақтөбе»...; bare «Абай» and «Алматы» stay ambiguous."""
    with open(SPEC_DATA / "seed001_table2_local_budget_gerd_by_region.csv", encoding="utf-8") as f:
        printed = {
            (r["region_kk_as_printed"], r["region_iso"])
            for r in csv.DictReader(f)
            if r["row_type"] == "region"
        }
    iso = {r["iso"]: c for c, r in territories().items() if not r["valid_to"]}
    wrong = []
    for name, region_iso in sorted(printed):
        match = gazetteer.match(name, 2024, 2024)
        expected = None if name in ("Абай", "Алматы") else iso[region_iso]
        if match.code != expected:
            wrong.append((name, match.code, expected))
    assert wrong == []


def test_bare_abai_is_reported_as_ambiguous(gazetteer: Gazetteer) -> None:
    """«Абай» alone is the region (seed 001 Table 2), the district (seed 003) or the town (seed 004)."""
    match = gazetteer.match("Абай", 2024, 2024)
    assert match.code is None and match.reason == "ambiguous_territory"


def test_2019_data_are_not_drawn_on_2024_borders(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Абай облысы", 2019, 2019)
    assert match.code is None and match.reason == "year_outside_validity"
    assert "east_kazakhstan_1997" in match.expected
