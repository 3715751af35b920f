"""The bundled data of seeds 000, 001, 002 and 004, checked against the seed texts.

Every observation carries ``value_printed``, the cell as the seed prints it, and the seed line(s) it is on.
The tests find that text on those lines of the bundled seed copy (``bundled/seeds/``), check that the stored
value is that text read as a number (or that a note explains why not), and re-add the seeds' own totals.
Checks against the seed readings (``/work/shared/spec``) are skipped, with the reason, when they are absent.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from aimaq.dataset import STATUSES, parse_period

BUNDLED = Path(__file__).resolve().parents[2] / "src" / "aimaq" / "store" / "bundled"
SHARED = Path("/work/shared")
SEEDS = ("seed000", "seed001", "seed002", "seed004")
OBS_CONTRACT = [
    "territory",
    "indicator",
    "period",
    "value",
    "value_text",
    "status",
    "seed",
    "table",
    "lines",
    "note",
]
IND_CONTRACT = ["code", "name_kk", "name_ru", "name_en", "unit", "direction", "kind", "definition_en", "seed"]
IND_CONTRACT += ["table", "lines"]
NOTE_CONTRACT = [
    "id",
    "territory",
    "indicator",
    "period",
    "kind",
    "seed",
    "table",
    "lines",
    "text_en",
    "text_ru",
]
# Notes that admit a stored value differing from the printed text read as a number.
REPAIR_KINDS = {"extraction_defect"}
CYRILLIC = re.compile("[А-Яа-яЁё]")

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"{SHARED} (seeds and readings) is not available"
)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for number, row in enumerate(rows, start=2):
        row["_where"] = f"{path.relative_to(BUNDLED)}, row {number}"
    return rows


@cache
def sources() -> dict[str, str]:
    return {r["seed"]: r["file"] for r in _read(BUNDLED / "sources.csv")}


@cache
def seed_lines(seed: str) -> tuple[str, ...]:
    return tuple((BUNDLED / "seeds" / sources()[seed]).read_text(encoding="utf-8").split("\n"))


@cache
def territories() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in _read(BUNDLED / "territories.csv")}


@cache
def indicators() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in sorted((BUNDLED / "indicators").glob("*.csv")):
        for row in _read(path):
            assert row["code"] not in out, (
                f"{row['_where']}: indicator {row['code']} already in {out[row['code']]['_where']}"
            )
            out[row["code"]] = row
    return out


@cache
def observations() -> tuple[dict[str, str], ...]:
    rows: list[dict[str, str]] = []
    for seed in SEEDS:
        for path in sorted((BUNDLED / "observations").glob(f"{seed}_*.csv")):
            rows += _read(path)
    return tuple(rows)


@cache
def notes() -> tuple[dict[str, str], ...]:
    return tuple(r for seed in SEEDS for r in _read(BUNDLED / "notes" / f"{seed}.csv"))


def covering_notes(obs: dict[str, str]) -> list[dict[str, str]]:
    """Notes whose key parts equal the cell's or are empty (architecture.md, 'Bundled data')."""
    return [
        n
        for n in notes()
        if all(n[k] in ("", obs[k]) for k in ("territory", "indicator", "period"))
        and (n["indicator"] or n["territory"])
    ]


def line_numbers(spec: str) -> list[int]:
    """``"159"``, ``"1079-1085"`` or ``"5,93"`` -> the line numbers (1-based)."""
    out: list[int] = []
    for part in filter(None, spec.replace(";", ",").split(",")):
        a, _, b = part.strip().partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def haystacks(seed: str, lines: str) -> tuple[str, str, str]:
    """The cited lines as text: spaces collapsed; also with line-break hyphens joined; and with no spaces."""
    text = "\n".join(seed_lines(seed)[n - 1] for n in line_numbers(lines))
    collapsed = " ".join(text.split())
    dehyphen = " ".join(re.sub(r"-[ \t]*\n\s*", "", text).split())
    return collapsed, dehyphen, "".join(text.split())


def printed_on_lines(printed: str, seed: str, lines: str) -> bool:
    collapsed, dehyphen, nospace = haystacks(seed, lines)
    needle = " ".join(printed.split())
    return needle in collapsed or needle in dehyphen or "".join(needle.split()) in nospace


def read_printed_number(text: str) -> float:
    """A number as the seeds print it: ``89,028.7``, ``4 243,78``, ``0,5``, ``-0,2%``, ``7 633``.

    Examples
    --------
    >>> read_printed_number("89,028.7"), read_printed_number("4 243,78"), read_printed_number("-0,2%")
    (89028.7, 4243.78, -0.2)
    """
    s = text.replace("%", "").replace("\u00a0", "").replace(" ", "").strip()
    # With a dot present the comma groups thousands (seed 001 Tables 1-2); alone it is the decimal comma.
    s = s.replace(",", "") if "," in s and "." in s else s.replace(",", ".")
    return float(s)


# ------------------------------------------------------------------ file shapes and references
def test_observation_files_follow_the_contract() -> None:
    for seed in SEEDS:
        for path in (BUNDLED / "observations").glob(f"{seed}_*.csv"):
            header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
            assert [c for c in [*OBS_CONTRACT, "value_printed"] if c not in header] == [], path.name


def test_indicators_are_complete_and_unique() -> None:
    problems = []
    mine = [i for i in indicators().values() if i["seed"] in SEEDS]
    assert len(mine) > 100
    for i in mine:
        missing = [c for c in IND_CONTRACT if not i.get(c, "").strip()]
        if missing:
            problems.append(f"{i['_where']}: empty {missing}")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", i["code"]):
            problems.append(f"{i['_where']}: code {i['code']!r} is not lower_snake")
        if not (CYRILLIC.search(i["name_kk"]) and CYRILLIC.search(i["name_ru"])):
            problems.append(f"{i['_where']}: kk/ru names are not Cyrillic")
        if i["direction"] not in ("-1", "0", "1") or i["kind"] not in ("numeric", "categorical"):
            problems.append(f"{i['_where']}: direction {i['direction']!r} / kind {i['kind']!r}")
        if max(line_numbers(i["lines"])) > len(seed_lines(i["seed"])):
            problems.append(f"{i['_where']}: lines {i['lines']} beyond the seed file")
    assert problems == []


def test_observations_reference_existing_rows_and_keys_are_unique() -> None:
    problems, seen = [], {}
    for o in observations():
        if o["territory"] not in territories():
            problems.append(f"{o['_where']}: unknown territory {o['territory']}")
        if o["indicator"] not in indicators():
            problems.append(f"{o['_where']}: unknown indicator {o['indicator']}")
        if o["status"] not in STATUSES:
            problems.append(f"{o['_where']}: status {o['status']}")
        key = (o["territory"], o["indicator"], o["period"])
        if key in seen:
            problems.append(f"{o['_where']}: {key} already in {seen[key]}")
        seen[key] = o["_where"]
        parse_period(o["period"])
    assert problems == []


def test_numeric_cells_have_a_value_or_are_missing_and_categories_are_known() -> None:
    problems = []
    for o in observations():
        ind = indicators()[o["indicator"]]
        if ind["kind"] == "numeric" and not o["value"] and o["status"] != "missing":
            problems.append(f"{o['_where']}: no value but status {o['status']}")
        if ind["kind"] == "categorical" and o["status"] != "missing":
            codes = {c.split("=")[0]: c.split("=", 1)[1] for c in filter(None, ind["categories"].split(";"))}
            if codes and o["value_text"] not in codes:
                problems.append(f"{o['_where']}: {o['value_text']!r} not among {sorted(codes)}")
            # A printed category label must map to the stored code (seed 004: Жоқ -> no).
            labels = {v.casefold(): k for k, v in codes.items()}
            if (
                o["value_printed"].casefold() in labels
                and labels[o["value_printed"].casefold()] != o["value_text"]
            ):
                problems.append(f"{o['_where']}: printed {o['value_printed']!r} is not {o['value_text']!r}")
    assert problems == []


# ------------------------------------------------------------------ against the seed text
def test_every_value_is_printed_on_the_lines_it_cites() -> None:
    problems = []
    for o in observations():
        if not o["value_printed"]:
            # Nothing printed survives (seed 004 indicator 2.6): only a missing cell with a note may say so.
            if o["status"] != "missing" or not covering_notes(o):
                problems.append(f"{o['_where']}: no value_printed")
        elif not printed_on_lines(o["value_printed"], o["seed"], o["lines"]):
            problems.append(f"{o['_where']}: {o['value_printed']!r} not on {o['seed']} l.{o['lines']}")
    assert problems == []


def test_every_number_is_its_printed_text_or_a_note_explains_the_repair() -> None:
    problems, repaired = [], 0
    for o in observations():
        if not o["value"]:
            continue
        try:
            matches = abs(read_printed_number(o["value_printed"]) - float(o["value"])) < 1e-9
        except ValueError:
            matches = False
        if not matches:
            if any(n["kind"] in REPAIR_KINDS for n in covering_notes(o)):
                repaired += 1
            else:
                problems.append(
                    f"{o['_where']}: value {o['value']} but printed {o['value_printed']!r}, no repair note"
                )
    assert problems == []
    assert repaired == 8  # seed 004 indicator 2.1: the eight garbled cells of l.221


def _first_out_of_order(cells: list[dict[str, str]], text: str) -> str | None:
    """The first cell not found after the previous one in ``text``, or None when all are in order."""
    position, previous = 0, None
    for o in cells:
        needle = "".join(o["value_printed"].split())
        start = position - len(previous) if needle == previous else position
        found = text.find(needle, start)
        if found < 0:
            return f"{o['_where']}: {o['value_printed']!r} is not after the row's previous cell"
        position, previous = found + len(needle), needle
    return None


def test_the_cells_of_a_printed_row_appear_in_the_order_of_the_files() -> None:
    """Cells of one indicator on the same lines (8 towns, 4 regions, 5 years) are printed in file order.

    This ties each value to its column, not only to its line: swapping two towns' values fails. A value
    printed once for the whole row (seed 004 merged cells) may match the same place again.
    """
    groups: dict[tuple[str, str, str, str], list[dict[str, str]]] = defaultdict(list)
    for o in observations():
        if o["value_printed"]:
            groups[(o["_where"].split(",")[0], o["seed"], o["lines"], o["indicator"])].append(o)
    problems, checked = [], 0
    for (_, seed, lines, _), cells in groups.items():
        if len(cells) < 2:
            continue
        checked += 1
        _, dehyphen, nospace = haystacks(seed, lines)
        # As printed, then with line-break hyphens joined (seed 002 l.61-62 «Западно-Казах-/станская»).
        failures = [_first_out_of_order(cells, text) for text in (nospace, "".join(dehyphen.split()))]
        if all(failures):
            problems.append(failures[0])
    assert checked > 100


def test_the_printed_cells_are_rejected_when_they_are_not_on_the_line() -> None:
    """The check above is not vacuous: a wrong number or a wrong line is caught."""
    assert printed_on_lines("4 243,78", "seed001", "820")
    assert not printed_on_lines("4 243,79", "seed001", "820")
    assert not printed_on_lines("4 243,78", "seed001", "822")
    assert printed_on_lines("Западно-Казахстанская", "seed002", "61-64")  # hyphenated across a line break


def test_bundled_seed_texts_are_the_seeds() -> None:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"{SHARED / 'seeds'} is not available")
    for seed, name in sources().items():
        assert (BUNDLED / "seeds" / name).read_bytes() == (SHARED / "seeds" / name).read_bytes(), seed


# ------------------------------------------------------------------ borders
def test_values_outside_their_territory_validity_are_flagged_and_explained() -> None:
    problems = []
    for o in observations():
        row = territories()[o["territory"]]
        y0, y1 = parse_period(o["period"])
        start = int(row["valid_from"][:4]) if row["valid_from"] else 0
        end = int(row["valid_to"][:4]) if row["valid_to"] else 9999
        inside = start <= y0 and y1 <= end
        if inside and o["borders"]:
            problems.append(f"{o['_where']}: borders={o['borders']} but the period is inside the validity")
        if not inside:
            if o["borders"] not in ("retro", "mixed"):
                problems.append(
                    f"{o['_where']}: {o['period']} outside {o['territory']} validity, borders empty"
                )
            if not any(n["kind"] == "border_basis" for n in covering_notes(o)):
                problems.append(f"{o['_where']}: no border_basis note")
    assert problems == []


def test_seed001_split_regions_use_the_borders_of_each_table() -> None:
    """Table 1 recomputes 2020-2021 on the new borders; Table B1 and Table 2 use the borders of the time."""
    by_key = {(o["territory"], o["indicator"], o["period"]): o for o in observations()}
    assert by_key[("east_kazakhstan", "gerd_internal", "2020")]["value"] == "3041.8"
    assert by_key[("abai", "gerd_internal", "2020")]["borders"] == "retro"
    assert by_key[("east_kazakhstan_1997", "doctoral_students", "2020")]["value"] == "198"
    assert ("abai", "doctoral_students", "2020") not in by_key
    assert by_key[("east_kazakhstan_1997", "local_budget_gerd_share_pct", "2020")]["value"] == "1.07"


# ------------------------------------------------------------------ notes
def test_notes_are_complete_and_point_at_existing_cells() -> None:
    problems, ids = [], set()
    for n in notes():
        if n["id"] in ids:
            problems.append(f"{n['_where']}: id {n['id']} twice")
        ids.add(n["id"])
        empty = [c for c in ("id", "kind", "seed", "text_en", "text_ru") if not n[c].strip()]
        if empty:
            problems.append(f"{n['_where']}: empty {empty}")
        if not CYRILLIC.search(n["text_ru"]):
            problems.append(f"{n['_where']}: text_ru is not Russian")
        if not (n["indicator"] or n["territory"]):
            problems.append(f"{n['_where']}: a note needs a territory or an indicator")
        matched = [
            o for o in observations() if all(n[k] in ("", o[k]) for k in ("territory", "indicator", "period"))
        ]
        if not matched:
            problems.append(f"{n['_where']}: {n['id']} matches no bundled cell")
    assert problems == []


@pytest.mark.parametrize(
    ("note_id", "cell"),
    [
        ("s000-C1", ("kz", "ris3_compliance_pct", "2013-2021")),
        ("s000-C2", ("atyrau", "ris3_c13_roadmaps", "2013-2021")),
        ("s000-C5a", ("atyrau", "ris3_c18_strategy_update_mechanism", "2013-2021")),
        ("s001-X1", ("almaty_city", "local_budget_gerd", "2024")),
        ("s001-X2-2020", ("east_kazakhstan_1997", "local_budget_gerd_share_pct", "2020")),
        ("s001-X3", ("kz", "local_budget_gerd_mean_annual_mln", "2020-2024")),
        ("s001-X13", ("zhetysu", "gerd_growth_2020_2024_pct", "2020-2024")),
        ("s001-X20", ("kz", "doctoral_students", "2024")),
        ("s002-C1", ("atyrau", "raw_material_region", "2009-2019")),
        ("s004-02-saran", ("saran", "mono_industrial_output_per_capita", "2020")),
        ("s004-04", ("temirtau", "mono_unemployment_rate_pct", "2020")),
        ("s004-06-shakhtinsk", ("shakhtinsk", "mono_working_age_share_pct_score", "2020")),
        ("s004-10", ("balkhash", "mono_total_score", "2020")),
    ],
)
def test_known_contradictions_are_attached_to_their_cells(note_id: str, cell: tuple[str, str, str]) -> None:
    obs = next(o for o in observations() if (o["territory"], o["indicator"], o["period"]) == cell)
    assert note_id in {n["id"] for n in covering_notes(obs)}


# Items of the readings' contradiction lists that touch no bundled cell, with the reason.
NOT_ON_CELLS = {
    "seed000": {
        "C11": "what performance indicators monitor: qualitative text, no number",
        "C16": "funding and project numbers: informational",
    },
    "seed001": {
        "X5": "decree date",
        "X6": "law title",
        "X7": "event name",
        "X8": "co-financing target vs rule: reference/seed001_cofinancing_rules.csv and Table 3 targets",
        "X9": "section numbering",
        "X10": "co-financing wording: reference/seed001_cofinancing_rules.csv",
        "X15": "names of one body",
        "X16": "list numbering",
        "X17": "GERD per researcher: Figure 6 lost, no value bundled",
        "X18": "document name",
        "X22": "event date",
    },
    "seed002": {
        c: "sector typology / strategy text: reference/seed002_* sidecars"
        for c in ("C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C11", "C12", "C13", "C15")
    },
    "seed004": {
        "13": "numbering slips of figures and measure lists: reference/seed004_mechanisms_by_class.md"
    },
}


def _reading_items(seed: str) -> list[str]:
    """Item ids of the contradiction list in the reading of ``seed`` (``C1``, ``X1`` or ``1``)."""
    reading = SHARED / "spec" / f"seed-{seed[4:]}.md"
    text = reading.read_text(encoding="utf-8")
    if seed == "seed004":
        section = text.split("### Ambiguities, contradictions")[1].split("\n## ")[0]
        return re.findall(r"^(\d+)\. \*\*", section, flags=re.M)
    heading = {"seed000": "## 5. Contradictions", "seed001": "## 8. Contradictions", "seed002": "### C-list"}[
        seed
    ]
    section = text.split(heading)[1].split("\n## ")[0]
    return re.findall(r"^\| ([CX]\d+) \|", section, flags=re.M)


@needs_shared
@pytest.mark.parametrize("seed", SEEDS)
def test_every_contradiction_of_the_readings_is_a_note_or_touches_no_cell(seed: str) -> None:
    items = _reading_items(seed)
    assert len(items) >= 10
    ids = {n["id"] for n in notes() if n["seed"] == seed}
    prefix = f"s{seed[4:]}-"

    def noted(item: str) -> bool:
        # Note ids: s000-C5a, s001-X2-2020, s004-02-saran (seed 004's items are written with two digits).
        tag = prefix + (f"{int(item):02d}" if item.isdigit() else item)
        return any(x == tag or x.startswith(tag + "-") or re.fullmatch(rf"{tag}[a-z]", x) for x in ids)

    uncovered = [i for i in items if i not in NOT_ON_CELLS[seed] and not noted(i)]
    assert uncovered == []
    assert set(NOT_ON_CELLS[seed]) <= set(items)


# ------------------------------------------------------------------ the seeds' own arithmetic
def _values(indicator: str) -> dict[tuple[str, str], float]:
    return {
        (o["territory"], o["period"]): float(o["value"])
        for o in observations()
        if o["indicator"] == indicator and o["value"]
    }


def test_seed000_table2_sums_are_the_table3_scores_added_up() -> None:
    criteria = [c for c in indicators() if re.fullmatch(r"ris3_c\d\d_\w+", c)]
    assert len(criteria) == 18
    total = 0.0
    for c in criteria:
        scores = _values(c)
        assert len(scores) == 4
        assert sum(scores.values()) == _values(f"ris3_sum_{c[5:]}")[("kz", "2013-2021")]
        total += sum(scores.values())
    steps = sum(_values(f"ris3_step{k}_total")[("kz", "2013-2021")] for k in range(1, 7))
    assert total == steps == 37.5
    assert round(100 * total / 72) == _values("ris3_compliance_pct")[("kz", "2013-2021")] == 52


def test_seed004_printed_totals_are_the_score_sums_except_balkhash() -> None:
    sums: dict[str, float] = defaultdict(float)
    for o in observations():
        if (
            o["indicator"].startswith("mono_")
            and o["indicator"].endswith("_score")
            and "total" not in o["indicator"]
        ):
            sums[o["territory"]] += float(o["value"])
    totals = {t: v for (t, _), v in _values("mono_total_score").items()}
    assert len(totals) == 8
    differ = {t: (totals[t], sums[t]) for t in totals if totals[t] != sums[t]}
    assert differ == {"balkhash": (39.0, 37.0)}


def test_seed001_table1_regions_add_up_to_the_country() -> None:
    gerd = _values("gerd_internal")
    for year in ("2020", "2021", "2022", "2023", "2024"):
        regions = sum(v for (t, p), v in gerd.items() if p == year and t != "kz")
        assert abs(regions - gerd[("kz", year)]) <= 0.2 + 1e-6, year  # printed to 0.1 mln KZT, 20 addends


def test_seed001_table_b1_regions_add_up_to_the_country_on_the_borders_of_the_time() -> None:
    for indicator in ("doctoral_students", "doctoral_graduates"):
        values = _values(indicator)
        for year in ("2020", "2021", "2022", "2023", "2024"):
            regions = sum(v for (t, p), v in values.items() if p == year and t != "kz")
            assert regions == values[("kz", year)], (indicator, year)


def test_seed001_growth_column_is_growth_not_ratio() -> None:
    gerd, growth = _values("gerd_internal"), _values("gerd_growth_2020_2024_pct")
    off = {
        t: (g, round((gerd[(t, "2024")] / gerd[(t, "2020")] - 1) * 100, 1))
        for (t, _), g in growth.items()
        if abs((gerd[(t, "2024")] / gerd[(t, "2020")] - 1) * 100 - g) > 0.06
    }
    assert off == {"zhetysu": (896.3, 896.8)}  # seed-001 X13, note s001-X13


# ------------------------------------------------------------------ against the readings' transcriptions
@needs_shared
def test_every_seed004_table1_cell_is_bundled() -> None:
    with open(SHARED / "spec/data/seed004_table1_values_scores.csv", encoding="utf-8") as f:
        spec = list(csv.DictReader(f))
    by_key = {(o["territory"], o["indicator"]): o for o in observations() if o["seed"] == "seed004"}
    for row in spec:
        town = "abai_town" if row["town_id"] == "abai" else row["town_id"]
        value = by_key[(town, "mono_" + row["indicator_key"])]
        score = by_key[(town, "mono_" + row["indicator_key"] + "_score")]
        assert value["value_printed"] == row["value_raw"]
        assert score["value"] == row["score_published"]
        if row["value"] and not row["value_category_code"]:
            assert float(value["value"]) == float(row["value"])


@needs_shared
def test_every_seed001_table_cell_is_bundled() -> None:
    spec = SHARED / "spec/data"
    counts = {"T1": 0, "T2": 0, "B1": 0}
    for o in observations():
        if o["seed"] == "seed001" and o["table"] in counts:
            counts[o["table"]] += 1
    with open(spec / "seed001_table1_gerd_by_region.csv", encoding="utf-8") as f:
        assert counts["T1"] == len(list(csv.DictReader(f)))
    with open(spec / "seed001_table2_local_budget_gerd_by_region.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Amount and share per row, the 'mean of regions' row has an amount only; new regions before 2022 are
    # skipped (they did not exist and Table 2 prints '-' for them).
    skipped = [r for r in rows if r["region_iso"] in ("KZ-10", "KZ-33", "KZ-62") and r["year_to"] < "2022"]
    means = [r for r in rows if r["row_type"] == "mean_of_published_regions"]
    assert counts["T2"] == 2 * (len(rows) - len(skipped) - len(means)) + len(means)
    with open(spec / "seed001_tableB1_doctoral_students_graduates.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    skipped = [r for r in rows if r["region_iso"] in ("KZ-10", "KZ-33", "KZ-62") and r["year"] < "2022"]
    assert all(r["students_as_printed"] == "-" for r in skipped)
    assert counts["B1"] == 2 * (len(rows) - len(skipped))


# ------------------------------------------------------------------ reference tables
def test_reference_tables_have_sidecars_and_rectangular_rows() -> None:
    problems = []
    for seed in SEEDS:
        for path in sorted((BUNDLED / "reference").glob(f"{seed}_*.csv")):
            if not path.with_suffix(".md").is_file():
                problems.append(f"{path.name}: no .md sidecar")
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            if len(rows) < 2 or any(len(r) != len(rows[0]) for r in rows):
                problems.append(f"{path.name}: empty or ragged")
    assert problems == []


def test_seed004_band_tables_name_bundled_indicators() -> None:
    rows = _read(BUNDLED / "reference" / "seed004_table1_score_bands.csv")
    assert {r["indicator"] for r in rows} <= set(indicators())
    assert {r["indicator"] + "_score" for r in rows} <= set(indicators())
