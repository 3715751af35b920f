import os
import csv, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import LINES
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/spec/data")
DST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../src/aimaq/store/bundled/reference")
# shared name -> (bundled name, text column checked against the seed, lines column)
REFS = {
    "table01_territory_types": ("table01_territory_types", "characteristics_kk", "source_lines"),
    "table05_innovation_stimulating_factors": ("table05_stimulating_factors", "factors_kk", "source_line"),
    "table06_innovation_stimulation_methods_classification": ("table06_stimulation_methods", "methods_kk", "source_line"),
    "table07_functional_support_by_enterprise_stage": ("table07_support_by_enterprise_stage", "content_kk", "source_lines"),
    "table08_regional_policy_models": ("table08_regional_policy_models", "content_kk", "source_lines"),
    "table10_table23_swot": ("table10_table23_swot", "item_kk", "source_line"),
    "table22_low_innovation_activity_problems": ("table22_low_innovation_problems", "problem_kk", "source_line"),
    "table24_pest_external_factors": ("table24_pest", "factors_kk", "source_lines"),
    "table28_sector_support_measures": ("table28_sector_measures", "measure_kk", "source_lines"),
    "table29_social_anticrisis_measures": ("table29_social_anticrisis_measures", "measure_kk", "source_lines"),
    "table30_innovation_management_mechanisms": ("table30_management_mechanisms", "measure_kk", "source_lines"),
    "table31_support_forms": ("table31_support_forms", "measure_kk", "source_lines"),
    "table32_depressed_area_management_measures": ("table32_management_measures", "measure_kk", "source_lines"),
    "table33_enterprise_innovation_activity_parameters": ("table33_expert_parameters", "parameter_kk", "source_line"),
    "table34_35_innovation_intensity_efficiency_indicators": ("table34_35_kia_indicators", "indicator_kk_table34", "source_lines"),
    "table39_innovation_barriers": ("table39_innovation_barriers", "barrier_kk", "source_line"),
    "table44_district_innovation_partial_indicators": ("table44_partial_indicators", "indicator_kk", "source_lines"),
    "fig04_state_support_methods_depressed_areas": ("fig04_state_support_methods", "list_item_kk", "list_source_lines"),
    "ch3_text_measures": ("ch3_text_measures", "measure_kk", "source_lines"),
    "ch3_territory_attributes": ("ch3_territory_attributes", "name_kk_source", "source_line"),
}
TERR = {"vko": "east_kazakhstan_1997", "abai": "abai_district"}
KIA_CODES = {"X1": "kia_x1", "X2": "kia_x2", "X3": "kia_x3", "X4": "kia_x4", "X5": "kia_x5",
             "R1": "kia_r1", "R2": "kia_r2", "R3": "kia_r3", "R4": "kia_r4", "R5": "kia_r5"}
CHECK = {}
for src, (dst, textcol, linecol) in REFS.items():
    with open(f"{SRC}/seed003_{src}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0].keys())
    fixes = []
    if src == "table10_table23_swot":
        for r in rows:
            if "+" in r["source_line"]:
                fixes.append(f"source_line '{r['source_line']}' written as a comma list")
                r["source_line"] = r["source_line"].replace("+", ",")
    if src == "table24_pest_external_factors":
        header.append("notes")
        for r in rows:
            m = re.match(r"^([\d\-+]+)\s*\((.*)\)$", r["source_lines"])
            r["notes"] = ""
            if m:
                fixes.append(f"source_lines '{r['source_lines']}' split into a comma list and a notes cell")
                r["source_lines"], r["notes"] = m.group(1).replace("+", ","), m.group(2)
    if src == "table34_35_innovation_intensity_efficiency_indicators":
        header.insert(1, "indicator_prefix")
        for r in rows:
            r["source_lines"] = r["source_lines"].replace(";", ",")
            r["indicator_prefix"] = KIA_CODES[r["indicator_code"]]
        fixes.append("source_lines written as comma lists; indicator_prefix added: the aimaq indicator codes "
                     "<prefix>_... of indicators/seed003.csv (Tables 36-38) that belong to each row")
    if src == "table44_district_innovation_partial_indicators":
        header.insert(1, "aimaq_indicator")
        for r in rows:
            r["source_lines"] = r["source_lines"].replace(";", ",")
            r["aimaq_indicator"] = "innov_index_" + r["index_column_table45"].replace("i_", "i")
        fixes.append("source_lines written as comma lists; aimaq_indicator added: the code of the Table 45 "
                     "partial index in indicators/seed003.csv")
    if src == "fig04_state_support_methods_depressed_areas":
        header.insert(header.index("figure_label_kk") + 1, "list_item_kk")
        for r in rows:
            ln = int(r["list_source_lines"].split("-")[0])
            r["list_item_kk"] = re.sub(r"^\s*(\d+[).]|·)\s*", "", LINES[ln]).strip()
            if r["figure_label_kk"].startswith("("):
                fixes.append(f"{r['method_id']}: placeholder '{r['figure_label_kk']}' replaced by an empty "
                             "figure_label_kk (the method is listed in the text but not drawn in the figure)")
                r["figure_label_kk"] = ""
        fixes.append("list_item_kk added: the Kazakh text of the list item as printed on the first list line")
    if src == "ch3_territory_attributes":
        for r in rows:
            if r["territory_id"] in TERR:
                fixes.append(f"territory_id '{r['territory_id']}' -> '{TERR[r['territory_id']]}' (gazetteer code)")
                r["territory_id"] = TERR[r["territory_id"]]
    for r in rows:
        for k, v in r.items():
            if isinstance(v, str):
                r[k] = re.sub(r"[ \t]+", " ", v).strip()
    with open(f"{DST}/seed003_{dst}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    side = open(f"{SRC}/seed003_{src}.md", encoding="utf-8").read()
    side = re.sub(r"^# .*?\n", "", side, count=1)
    side = re.sub(r"CSV: `[^`]*`\n\n?", "", side)
    side = "\n".join(l for l in side.splitlines() if not l.startswith(("Missing codes:", "Territory ids follow",
                                                                          "Conventions: UTF-8", "Source file: `003")))
    side = side.replace("## Provenance and notes", "## Provenance and notes (from the transcription)")
    side = side.replace("seed003_table45_vko_district_innovation_indices.csv", "observations/seed003_table45.csv")
    title = f"# reference/seed003_{dst}.csv — provenance\n\n"
    intro = (f"Copied into aimaq from the transcription `spec/data/seed003_{src}.csv` and checked against the seed "
             "text `seeds/003_3a06c82bf9319e49.txt` (Akisheva D.M., PhD dissertation, Semey 2023, in Kazakh). "
             f"Kazakh text is kept as printed. `tests/store/test_bundled_seed003.py` checks that the start of "
             f"every `{textcol}` cell is printed within three lines of the row's `{linecol}`. 'The spec author' below is the "
             "author of that transcription.\n\n")
    fixtext = "## Changes made in aimaq\n\n" + ("".join(f"- {f}\n" for f in dict.fromkeys(fixes)) if fixes else
                                                "- none: the transcription matched the seed text.\n")
    fixtext += "- whitespace inside cells normalised (runs of spaces and tabs -> one space).\n"
    with open(f"{DST}/seed003_{dst}.md", "w", encoding="utf-8") as fh:
        fh.write(title + intro + side.strip() + "\n\n" + fixtext)
    CHECK[dst] = (textcol, linecol)
print(CHECK)
