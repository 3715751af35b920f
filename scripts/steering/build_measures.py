"""Build ``src/aimaq/steering/data/measures.csv``, the trilingual measures catalogue, from the seed tables.

Run from the repository root: ``.venv/bin/python scripts/steering/build_measures.py``. The output is
deterministic; a test rebuilds it in memory and compares (tests/steering/test_measures.py).

Inputs (all under ``src/aimaq/store/bundled/reference/`` unless said otherwise):

- ``seed004_mechanisms_by_class.csv``: actions, regulation modes, the 23 measures for medium-potential
  monotowns, the 6 directions for low-potential monotowns and the general directions (seed 004 l.496-780);
- ``seed003_table28..32_*.csv`` and ``seed003_ch3_text_measures.csv``: measures for depressed districts
  (seed 003 chapter 3, l.2959-3494), the categories that are measures (not problems, effects or foreign
  experience);
- ``scripts/steering/extra_measures.csv``: measures transcribed here from seeds 000, 001 and 002, which
  have no reference table of measures (each row cites its lines);
- ``scripts/steering/measures_ru.csv``: the Russian texts, machine-written by the aimaq steering engineer
  (the seeds' measures are in Kazakh, with the transcribers' English).

Columns of the output: ``measure_id, seed, table, lines, reference`` (the bundled reference table the row
comes from, empty for the extra rows), ``applies_kind, applies_to, territories, item_type,
category_en, actor, instrument, indicators, text_kk, text_ru, text_en, translation, basis, note``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REF = ROOT / "src" / "aimaq" / "store" / "bundled" / "reference"
HERE = Path(__file__).resolve().parent
OUT = ROOT / "src" / "aimaq" / "steering" / "data" / "measures.csv"

COLUMNS = [
    "measure_id",
    "seed",
    "table",
    "lines",
    "reference",
    "applies_kind",
    "applies_to",
    "territories",
    "item_type",
    "category_en",
    "actor",
    "instrument",
    "indicators",
    "text_kk",
    "text_ru",
    "text_en",
    "translation",
    "basis",
    "note",
]

# seed 004: which instrument each kind of item is. l.747-758: high-potential towns engage directly in
# projects, medium ones raise potential "predominantly through indirect regulation measures", low ones need
# "direct development measures".
S004_INSTRUMENT = {"high": "direct", "medium": "indirect", "low": "direct", "all": "institutional"}
S004_GROUP_INSTRUMENT = {
    "1": "institutional",  # organisational and legal field
    "2": "financial",  # financial and economic mechanisms
    "3": "research_environment",
    "4": "economic",
    "5": "information",
}
S004_ITEM_TYPES = ("figure1_action", "regulation_mode", "measure", "direction", "general_direction")

# seed 003: categories of chapter-3 lists that are measures (the others describe problems, effects,
# conditions or foreign experience and are not recommended actions).
S003_TEXT_TYPES = {
    "anticrisis_mechanism_level",
    "support_measure",
    "activation_direction",
    "way_of_achieving",
    "recommendation",
    "rehabilitation_instruments",
    "ppp_social_direction",
    "tax_incentive_type",
    "programme_preparation_stage",
}
# seed 003 instrument types -> the depression indicators (Table 40, l.3968-3973) they act on. The seed does
# not link measures to indicators; this mapping is the editor's [proposal], marked in ``note``.
S003_INDICATORS = {
    "labour_market": ["depr_x1_unemployment_registered"],
    "education_training": ["depr_x1_unemployment_registered", "depr_x3_wage_avg_monthly"],
    "social_protection": ["depr_x3_wage_avg_monthly", "depr_x6_goods_services_per_1000"],
    "healthcare": ["depr_x2_mortality_crude"],
    "infrastructure_investment": ["depr_x5_fixed_investment_per_1000"],
    "credit_finance": ["depr_x5_fixed_investment_per_1000"],
    "budget_subsidy": ["depr_x5_fixed_investment_per_1000"],
    "tax_incentive": ["depr_x5_fixed_investment_per_1000", "depr_x4_industrial_output_per_1000"],
    "state_guarantee": ["depr_x5_fixed_investment_per_1000"],
    "ppp": ["depr_x5_fixed_investment_per_1000"],
    "public_procurement": ["depr_x4_industrial_output_per_1000"],
    "diversification": ["depr_x4_industrial_output_per_1000"],
    "sme_support": ["depr_x4_industrial_output_per_1000", "depr_x1_unemployment_registered"],
    "rnd_technology": ["depr_x4_industrial_output_per_1000"],
}
# Table 31 forms 3-5 (SEZ, industrial zones, technology zones) apply to Oskemen and Semey only (l.3395).
S003_T31_TERRITORIES = {"3": "oskemen;semey", "4": "oskemen;semey", "5": "oskemen;semey"}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def seed004(indicators_by_group: dict[str, list[str]]) -> list[dict[str, str]]:
    out = []
    for r in read(REF / "seed004_mechanisms_by_class.csv"):
        if r["item_type"] not in S004_ITEM_TYPES:
            continue
        group = r["measure_group_no"]
        ind_group = r["linked_indicator_group_no"]
        instrument = S004_INSTRUMENT[r["target_class"]]
        if group:
            instrument = f"{instrument};{S004_GROUP_INSTRUMENT[group]}"
        out.append(
            {
                "measure_id": f"s004_{r['item_id']}",
                "seed": "004",
                "table": "mechanisms_by_class",
                "lines": r["source_lines"],
                "reference": "seed004_mechanisms_by_class",
                "applies_kind": "monotown_class",
                "applies_to": r["target_class"],
                "territories": "",
                "item_type": r["item_type"],
                "category_en": r["measure_group_name_en"],
                "actor": "local executive body (akimat) of the monotown",
                "instrument": instrument,
                "indicators": ";".join(indicators_by_group.get(ind_group, [])),
                "text_kk": r["text_kk"],
                "text_en": r["text_en"],
                "translation": "kk: seed; en: transcriber; ru: machine (aimaq)",
                "basis": "document",
                "note": (
                    "indicators: editor's group mapping (seed004_mechanisms_by_class.md)" if ind_group else ""
                )
                + ("; " if ind_group and r["note"] else "")
                + r["note"],
            }
        )
    return out


def seed003() -> list[dict[str, str]]:
    out = []
    files = [
        ("seed003_table28_sector_measures.csv", "28"),
        ("seed003_table29_social_anticrisis_measures.csv", "29"),
        ("seed003_table30_management_mechanisms.csv", "30"),
        ("seed003_table31_support_forms.csv", "31"),
        ("seed003_table32_management_measures.csv", "32"),
        ("seed003_ch3_text_measures.csv", None),
    ]
    for name, table in files:
        for r in read(REF / name):
            if table is None and r["category_type"] not in S003_TEXT_TYPES:
                continue
            if r["measure_en"].startswith("(no measures") or "(assessment, not a measure)" in r["measure_en"]:
                continue  # Table 29 col. 4 is empty; Table 31 form 3 states an assessment, not an action
            tab = table or r["table"]
            tag = f"t{tab}" if tab.isdigit() else tab
            types = [t for t in r["instrument_type"].split(";") if t]
            inds: list[str] = []
            for t in types:
                for i in S003_INDICATORS.get(t, []):
                    if i not in inds:
                        inds.append(i)
            lines = r["source_lines"].replace(";", ",")
            out.append(
                {
                    "measure_id": f"s003_{tag}_{r['category_no']}_{r['measure_no']}",
                    "seed": "003",
                    "table": tab if tab.startswith(("fig", "text")) else f"T{tab}",
                    "lines": lines,
                    "reference": name.removesuffix(".csv"),
                    "applies_kind": "depression_group",
                    "applies_to": "depressed",
                    "territories": S003_T31_TERRITORIES.get(r["category_no"], "") if tab == "31" else "",
                    "item_type": r["category_type"],
                    "category_en": r["category_en"],
                    "actor": r["actor"],
                    "instrument": ";".join(types),
                    "indicators": ";".join(inds),
                    "text_kk": r["measure_kk"],
                    "text_en": r["measure_en"],
                    "translation": "kk: seed; en: transcriber; ru: machine (aimaq)",
                    "basis": "document",
                    "note": "; ".join(
                        x
                        for x in (
                            r["notes"],
                            "indicators: editor's mapping from the instrument type [proposal]"
                            if inds
                            else "",
                            f"applies to: {r['applies_to']}",
                        )
                        if x
                    ),
                }
            )
    return out


def extra() -> list[dict[str, str]]:
    return [{c: r.get(c, "") for c in COLUMNS} for r in read(HERE / "extra_measures.csv")]


def build() -> list[dict[str, str]]:
    """The catalogue rows, in order; raises when a Russian text is missing or an id repeats."""
    ind = read(REF / "seed004_table1_indicators.csv")
    by_group: dict[str, list[str]] = {}
    for r in ind:
        by_group.setdefault(r["group_no"], []).append(f"mono_{r['indicator_key']}")
    rows = seed004(by_group) + seed003() + extra()
    ru = {r["measure_id"]: r["text_ru"] for r in read(HERE / "measures_ru.csv")}
    problems = []
    seen: set[str] = set()
    for r in rows:
        if r["measure_id"] in seen:
            problems.append(f"duplicate measure_id {r['measure_id']}")
        seen.add(r["measure_id"])
        if not r.get("text_ru"):
            r["text_ru"] = ru.get(r["measure_id"], "")
        if not r["text_ru"]:
            problems.append(f"measures_ru.csv: no Russian text for {r['measure_id']} ({r['text_en'][:60]})")
    stale = sorted(set(ru) - seen)
    if stale:
        problems.append(f"measures_ru.csv: ids not in the catalogue: {stale}")
    if problems:
        raise SystemExit("\n".join(problems))
    return [{c: r.get(c, "") for c in COLUMNS} for r in rows]


def write(rows: list[dict[str, str]], path: Path = OUT) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    if "--list" in sys.argv:  # print id and English text, to write the Russian texts
        ind = read(REF / "seed004_table1_indicators.csv")
        for r in seed004({}) + seed003() + extra():
            print(f"{r['measure_id']}\t{r['text_en']}")
    else:
        write(build())
        print(f"wrote {OUT.relative_to(ROOT)}")
