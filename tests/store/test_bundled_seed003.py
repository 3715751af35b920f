"""The bundled data of seed 003 (Akisheva 2023, depressed districts of East Kazakhstan) against its seed text.

Every published number of ``observations/seed003_*.csv`` must be printed on the seed line its row cites, as
its ``value_printed`` says; every derived number must follow from the cells it cites; every note of
``notes/seed003.csv`` must attach to cells that exist; every indicator must be defined once and used; every
territory must be in the gazetteer; every reference table must have its provenance note and its Kazakh text
must be printed where its row says. The seed text is the copy bundled in ``store/bundled/seeds`` (the
project must not need ``/work/shared`` at run time), so these tests need nothing outside the repository.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from aimaq.dataset import STATUSES, parse_period

BUNDLED = Path(__file__).resolve().parents[2] / "src" / "aimaq" / "store" / "bundled"
SEED_TEXT = BUNDLED / "seeds" / "003_3a06c82bf9319e49.txt"
OBSERVATION_FILES = sorted((BUNDLED / "observations").glob("seed003_*.csv"))
# Reference tables: the column holding Kazakh text as printed, and the column citing its line(s).
REFERENCE_TEXT = {
    "table01_territory_types": ("characteristics_kk", "source_lines"),
    "table12_low_class_indicators": ("indicator_kk", "source_line"),
    "table05_stimulating_factors": ("factors_kk", "source_line"),
    "table06_stimulation_methods": ("methods_kk", "source_line"),
    "table07_support_by_enterprise_stage": ("content_kk", "source_lines"),
    "table08_regional_policy_models": ("content_kk", "source_lines"),
    "table10_table23_swot": ("item_kk", "source_line"),
    "table22_low_innovation_problems": ("problem_kk", "source_line"),
    "table24_pest": ("factors_kk", "source_lines"),
    "table28_sector_measures": ("measure_kk", "source_lines"),
    "table29_social_anticrisis_measures": ("measure_kk", "source_lines"),
    "table30_management_mechanisms": ("measure_kk", "source_lines"),
    "table31_support_forms": ("measure_kk", "source_lines"),
    "table32_management_measures": ("measure_kk", "source_lines"),
    "table33_expert_parameters": ("parameter_kk", "source_line"),
    "table34_35_kia_indicators": ("indicator_kk_table34", "source_lines"),
    "table39_innovation_barriers": ("barrier_kk", "source_line"),
    "table44_partial_indicators": ("indicator_kk", "source_lines"),
    "fig04_state_support_methods": ("list_item_kk", "list_source_lines"),
    "ch3_text_measures": ("measure_kk", "source_lines"),
    "ch3_territory_attributes": ("name_kk_source", "source_line"),
}

_SP = "[ \u00a0\u202f]"
# A number as printed: "1 831", "176 714", "12,9", "-391.6"; a minus only after a space ("орталығы-316,9").
_GROUPED = re.compile(r"(?<![\d.,])(?:(?<![^\s(])-)?\d{1,3}(?:" + _SP + r"\d{3})+(?:[.,]\d+)?(?!\d)")
_PLAIN = re.compile(r"(?:(?<![^\s(])-)?\d+(?:[.,]\d+)?")


def _parse(token: str) -> float:
    return float(re.sub(_SP, "", token).replace(",", "."))


def _numbers(text: str) -> set[float]:
    """Every number a line can be read as (grouped thousands both joined and split)."""
    return {_parse(m.group()) for rx in (_GROUPED, _PLAIN) for m in rx.finditer(text)}


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _line_numbers(spec: str) -> list[int]:
    """``"1541"``, ``"2695,2696"``, ``"4227-4284"`` -> the cited line numbers."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", spec or ""))):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-zа-яёәіңғүұқөһ]", "", text.lower())


@cache
def _seed_lines() -> tuple[str, ...]:
    if not SEED_TEXT.is_file():
        pytest.skip(f"the seed text is not bundled yet ({SEED_TEXT} is missing)")
    return ("", *SEED_TEXT.read_text(encoding="utf-8").splitlines())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(r, _file=path.name, _row=str(i)) for i, r in enumerate(csv.DictReader(fh), start=2)]


@cache
def _observations() -> tuple[dict[str, str], ...]:
    if not OBSERVATION_FILES:
        pytest.skip("no observations/seed003_*.csv bundled")
    return tuple(r for path in OBSERVATION_FILES for r in _read(path))


@cache
def _indicators() -> dict[str, dict[str, str]]:
    rows = _read(BUNDLED / "indicators" / "seed003.csv")
    return {r["code"]: r for r in rows}


@cache
def _notes() -> tuple[dict[str, str], ...]:
    return tuple(_read(BUNDLED / "notes" / "seed003.csv"))


def _where(row: dict[str, str]) -> str:
    key = f"{row.get('territory')} × {row.get('indicator')} × {row.get('period')}"
    return f"{row['_file']} row {row['_row']} ({key})"


def _cell(territory: str, indicator: str, period: str) -> dict[str, str]:
    hits = [
        o
        for o in _observations()
        if (o["territory"], o["indicator"], o["period"]) == (territory, indicator, period)
    ]
    assert len(hits) == 1, f"{territory} × {indicator} × {period}: {len(hits)} rows"
    return hits[0]


# ------------------------------------------------------------------------------------------- observations
def test_observation_columns_and_keys() -> None:
    """The architecture's columns, known statuses, readable periods, seed003 provenance, no duplicate key."""
    problems = []
    keys = Counter()
    for o in _observations():
        keys[(o["territory"], o["indicator"], o["period"])] += 1
        if o["status"] not in STATUSES:
            problems.append(f"{_where(o)}: status {o['status']!r}")
        if o["seed"] != "seed003" or not o["table"] or not o["lines"]:
            problems.append(
                f"{_where(o)}: provenance seed={o['seed']!r} table={o['table']!r} lines={o['lines']!r}"
            )
        try:
            parse_period(o["period"])
        except ValueError:
            problems.append(f"{_where(o)}: period {o['period']!r}")
    problems += [f"duplicate key {' × '.join(k)} ({n} rows)" for k, n in keys.items() if n > 1]
    assert not problems, "\n".join(problems)


def test_published_values_are_printed_on_their_cited_lines() -> None:
    """value_printed stands on the cited seed line, and reads as the bundled value (as a number or a code)."""
    lines = _seed_lines()
    problems = []
    checked = 0
    for o in _observations():
        if o["status"] not in ("published", "missing") or not o["lines"].isdigit():
            continue
        text = lines[int(o["lines"])]
        shown = o["value_printed"]
        if not shown or shown not in text.replace("\u00a0", " ").replace("\u202f", " "):
            problems.append(f"{_where(o)}: {shown!r} is not printed on l.{o['lines']}: {text.strip()[:80]!r}")
            continue
        if o["value"]:
            value = float(o["value"])
            if re.fullmatch(r"-?[\d  .,]+", shown):
                if not _same(_parse(shown), value):
                    problems.append(f"{_where(o)}: printed {shown!r} but bundled {o['value']}")
            elif shown != "1 миллион 376 мың" or value != 1376:  # the one number the seed spells in words
                problems.append(f"{_where(o)}: printed {shown!r} is not a number")
            spelled = shown == "1 миллион 376 мың"
            if not spelled and not any(_same(v, value) for v in _numbers(text)):
                problems.append(f"{_where(o)}: {value} not among the numbers of l.{o['lines']}")
        elif o["status"] == "missing" and shown not in ("-", "–", "x", "х"):
            problems.append(f"{_where(o)}: a missing cell must be printed '-' or 'x', got {shown!r}")
        checked += 1
    assert not problems, "\n".join(problems)
    # Nearly every row cites one line; the few others are derived or span a table (Abai in Table 42).
    assert checked >= 1290


def test_table_cells_cite_their_own_line() -> None:
    """The seed prints one table cell per line: a table cell's line holds that cell alone, so no value was
    taken from a neighbouring row. Exceptions: Table 25's slash cells (each has an extraction_defect note) and
    formula (9) of Ki.a."""
    lines = _seed_lines()
    problems = []
    for o in _observations():
        if not re.fullmatch(r"T\d+", o["table"]) or o["table"] in ("T12", "T41", "T42", "T43"):
            continue  # text and chart data share lines; the group tables print names in a grid
        if not o["lines"].isdigit() or o["indicator"] == "kia_complex_coefficient":
            continue
        cell = lines[int(o["lines"])].strip().replace("\u00a0", " ")
        if cell != o["value_printed"] and not (o["table"] == "T25" and "/" in cell):
            problems.append(f"{_where(o)}: l.{o['lines']} holds {cell[:40]!r}, not {o['value_printed']!r}")
    assert not problems, "\n".join(problems)


def test_missing_cells_carry_the_printed_code() -> None:
    """'-' (absent) and 'x' (confidential) cells: status missing, no value, the printed code in value_text."""
    problems = []
    for o in _observations():
        if o["status"] != "missing":
            continue
        if o["value"]:
            problems.append(f"{_where(o)}: a missing cell has the value {o['value']}")
        if o["value_text"] not in ("-", "x", "") or (
            o["value_text"] == "" and o["indicator"] != "depr_industry_group"
        ):
            problems.append(f"{_where(o)}: value_text {o['value_text']!r}")
    assert not problems, "\n".join(problems)


def test_derived_growth_rate_ratios_follow_from_table26() -> None:
    """K = share 2019 / share 2010 of the two Table 26 cells a derived row cites (Table 25 title, l.2527)."""
    by_line = {
        (o["territory"], int(o["lines"])): o
        for o in _observations()
        if o["table"] == "T26" and o["status"] == "published"
    }
    derived = [o for o in _observations() if o["status"] == "derived"]
    assert len(derived) == 19 * 4
    for o in derived:
        l2010, l2019 = _line_numbers(o["lines"])
        s2010, s2019 = by_line[(o["territory"], l2010)], by_line[(o["territory"], l2019)]
        key = o["indicator"].replace("resource_growth_ratio_", "resource_share_")
        assert (s2010["indicator"], s2010["period"]) == (key, "2010"), _where(o)
        assert (s2019["indicator"], s2019["period"]) == (key, "2019"), _where(o)
        assert float(o["value"]) == pytest.approx(float(s2019["value"]) / float(s2010["value"]), abs=5e-4)


# ------------------------------------------------------------------------ published results pinned by issue 5
def test_table15_levels_reproduce_from_counts() -> None:
    """Table 15 col. 4 = 100 x col. 3 / col. 2 to one decimal, all 20 rows (l.1540-1690, formula l.1694)."""
    rows = {o["territory"]: {} for o in _observations() if o["table"] == "T15"}
    for o in _observations():
        if o["table"] == "T15" and o["value"]:
            rows[o["territory"]][o["indicator"]] = float(o["value"])
    assert len(rows) == 20
    for territory, r in rows.items():
        level = 100 * r["enterprises_with_innovations"] / r["enterprises_surveyed"]
        assert math.floor(level * 10 + 0.5) / 10 == r["innov_activity_level"], territory
    oblast = rows["east_kazakhstan_1997"]
    districts = [r for t, r in rows.items() if t != "east_kazakhstan_1997"]
    for code in ("enterprises_surveyed", "enterprises_with_innovations", "employees_surveyed_enterprises"):
        assert sum(r[code] for r in districts) == oblast[code], code


def test_published_coefficient_is_the_mean_of_the_partial_indices() -> None:
    """Ki.a = 0.5078 (l.3935) is the arithmetic mean of the ten printed I of Table 38 (l.3918-3928)."""
    partial = [float(o["value"]) for o in _observations() if o["indicator"].endswith("_partial_index")]
    assert len(partial) == 10
    assert round(sum(partial) / 10, 4) == 0.5078
    assert float(_cell("kz", "kia_complex_coefficient", "2013-2018")["value"]) == 0.5078


def test_published_groupings_have_the_printed_sizes() -> None:
    """Table 12: 6 high / 7 medium / 6 low; Tables 41-43 group sizes as printed; Abai absent from Table 42."""

    def sizes(code: str) -> Counter:
        return Counter(o["value_text"] for o in _observations() if o["indicator"] == code and o["value_text"])

    assert sizes("socioecon_dynamics_class") == {"high": 6, "medium": 7, "low": 6}
    assert sizes("depr_wage_group") == {"lowest": 6, "low": 4, "medium": 5, "high": 2, "very_high": 2}
    assert sizes("depr_industry_group") == {"lowest": 8, "low": 4, "medium": 2, "high": 3, "very_high": 1}
    assert sizes("depr_investment_group") == {"lowest": 8, "low": 2, "medium": 7, "high": 1, "very_high": 1}
    assert _cell("abai_district", "depr_industry_group", "2019")["status"] == "missing"


def test_table45_duplicated_rows_are_flagged() -> None:
    """Rows 8, 9, 15, 16, 17 of Table 45 copy rows 1, 2, 2, 3, 4 (l.4411-4580); each copied cell is noted."""
    values = {}
    for o in _observations():
        if o["table"] == "T45":
            values.setdefault(o["territory"], {})[o["indicator"]] = o["value"]
    pairs = {
        "borodulikha": "oskemen",
        "glubokoe": "kurchatov",
        "katonkaragai": "kurchatov",
        "tarbagatai": "ridder",
        "ulan": "semey",
    }
    noted = {(n["territory"], n["indicator"]) for n in _notes() if n["kind"] == "duplicate_row"}
    for copy, original in pairs.items():
        assert values[copy] == values[original], copy
        assert all((copy, code) in noted for code in values[copy]), copy


# ------------------------------------------------------------------------------------------------- notes
def test_notes_attach_to_existing_cells() -> None:
    """Each note's key (empty parts match all) hits a seed003 cell; ids are unique; texts in en and ru."""
    cells = {(o["territory"], o["indicator"], o["period"]) for o in _observations()}
    lines = _seed_lines()
    problems = []
    ids = Counter(n["id"] for n in _notes())
    problems += [f"duplicate note id {i}" for i, c in ids.items() if c > 1]
    for n in _notes():
        where = f"notes/seed003.csv row {n['_row']} ({n['id']})"
        if not any(
            all(
                not want or want == have
                for want, have in zip((n["territory"], n["indicator"], n["period"]), c, strict=True)
            )
            for c in cells
        ):
            problems.append(f"{where}: no cell matches {n['territory']} × {n['indicator']} × {n['period']}")
        if not (n["kind"] and n["text_en"] and n["text_ru"] and n["seed"] == "seed003"):
            problems.append(f"{where}: kind, text_en, text_ru and seed are required")
        if not n["territory"] and not n["indicator"]:
            problems.append(f"{where}: a note must name a territory or an indicator")
        cited = _line_numbers(n["lines"])
        if not cited or max(cited) >= len(lines):
            problems.append(f"{where}: lines {n['lines']!r} are not lines of the seed")
    assert not problems, "\n".join(problems)


def test_known_contradictions_are_attached() -> None:
    """The contradictions the readings list (seed-003 part 1 §5, part 2 §7) reach the cells they concern."""

    def kinds(territory: str, indicator: str, period: str) -> set[str]:
        return {
            n["kind"]
            for n in _notes()
            if n["territory"] in ("", territory)
            and n["indicator"] in ("", indicator)
            and n["period"] in ("", period)
        }

    assert "impossible_value" in kinds("zaisan", "innov_activity_level_large", "2020")  # 200 %, l.1764
    assert "impossible_value" in kinds("glubokoe", "resource_share_eap", "2019")  # 35.2, l.2746
    assert "suspect_value" in kinds("altai", "econ_active_population", "2019")  # 47.7
    assert "contradiction" in kinds("east_kazakhstan_1997", "rnd_staff", "2019")  # 2010 vs 2110
    assert "contradiction" in kinds("east_kazakhstan_1997", "innov_output_bn", "2019")  # 223.6 bn "2020"
    assert "extraction_defect" in kinds("kz", "kia_x3_level_avg", "2013-2018")  # 692363
    assert "formula_defect" in kinds("kz", "kia_x1_level_index", "2013-2018")  # formula (7) reversed
    assert "suspect_value" in kinds("semey", "depr_x4_industrial_output_per_1000", "2019")  # 5316940
    assert "misplacement" in kinds("zaisan", "depr_investment_group", "2019")
    assert "duplicate" in kinds("east_kazakhstan_1997", "wage_avg_monthly_nominal", "2019")  # Table 11 = 13
    alt = {n["id"]: n["alt_value"] for n in _notes() if n["alt_value"]}
    assert "100.0" in alt.values() and "69236.3" in alt.values() and "531694" in alt.values()


# -------------------------------------------------------------------------------------------- indicators
def test_indicators_defined_once_used_and_described() -> None:
    """Codes unique across every indicators/*.csv, each seed003 code used, names kk/ru/en, direction, kind."""
    all_codes = Counter(
        r["code"] for path in sorted((BUNDLED / "indicators").glob("*.csv")) for r in _read(path)
    )
    problems = [f"indicator code {c} defined {n} times" for c, n in all_codes.items() if n > 1]
    used = Counter(o["indicator"] for o in _observations())
    for code, r in _indicators().items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", code):
            problems.append(f"{code}: not lower_snake ASCII")
        if code not in used:
            problems.append(f"{code}: defined but no observation uses it")
        if not all(
            r[k] for k in ("name_kk", "name_ru", "name_en", "unit", "definition_en", "table", "lines")
        ):
            problems.append(f"{code}: a name, unit, definition or provenance cell is empty")
        if r["direction"] not in ("-1", "0", "1") or r["kind"] not in ("numeric", "categorical"):
            problems.append(f"{code}: direction {r['direction']!r}, kind {r['kind']!r}")
        if r["kind"] == "categorical" and not r["categories"]:
            problems.append(f"{code}: a categorical indicator lists its label codes in categories")
    problems += [f"{c}: used by observations but not defined" for c in used if c not in _indicators()]
    assert not problems, "\n".join(problems)


def test_categorical_values_use_the_declared_label_codes() -> None:
    """value_text of a categorical indicator is one of the codes of its ``categories`` (code=Kazakh label)."""
    problems = []
    for o in _observations():
        ind = _indicators()[o["indicator"]]
        if ind["kind"] != "categorical" or o["status"] == "missing":
            continue
        codes = {c.split("=")[0] for c in ind["categories"].split(";")}
        if o["value"] or o["value_text"] not in codes:
            problems.append(f"{_where(o)}: {o['value_text']!r} not in {sorted(codes)}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------- territories
def test_territories_are_in_the_gazetteer() -> None:
    """Every territory of the seed003 observations, notes and territory attributes is in territories.csv."""
    path = BUNDLED / "territories.csv"
    if not path.is_file():
        pytest.skip("territories.csv is not bundled yet")
    known = {r["code"] for r in _read(path)}
    used = {o["territory"] for o in _observations()} | {n["territory"] for n in _notes() if n["territory"]}
    used |= {r["territory_id"] for r in _read(BUNDLED / "reference" / "seed003_ch3_territory_attributes.csv")}
    assert used - known == set()
    # The oblast total belongs to the pre-2022 East Kazakhstan (seed 003 covers 2010-2020).
    assert "east_kazakhstan_1997" in used and "east_kazakhstan" not in used


# -------------------------------------------------------------------------------------- reference tables
@pytest.mark.parametrize("name", sorted(REFERENCE_TEXT))
def test_reference_table_text_is_printed_where_cited(name: str) -> None:
    """The start of every Kazakh cell (numbering dropped) is printed within three lines of its cited lines."""
    path = BUNDLED / "reference" / f"seed003_{name}.csv"
    assert path.with_suffix(".md").is_file(), f"{path.name} needs its .md provenance note"
    lines = _seed_lines()
    text_col, line_col = REFERENCE_TEXT[name]
    problems = []
    for r in _read(path):
        cited = _line_numbers(r[line_col])
        if not cited:
            problems.append(f"{path.name} row {r['_row']}: no line in {line_col}")
            continue
        window = _norm(" ".join(lines[max(1, min(cited) - 3) : max(cited) + 4]))
        for piece in r[text_col].split(";"):
            start = _norm(re.sub(r"^\s*\d+[).]\s*", "", piece))[:14]
            if start and start not in window:
                problems.append(f"{path.name} row {r['_row']}: {piece[:40]!r} not near l.{r[line_col]}")
    assert not problems, "\n".join(problems)


def test_every_seed003_reference_table_is_checked() -> None:
    """A new reference table must be added to REFERENCE_TEXT, so that its text is checked too."""
    bundled = {p.stem.removeprefix("seed003_") for p in (BUNDLED / "reference").glob("seed003_*.csv")}
    assert bundled == set(REFERENCE_TEXT)
