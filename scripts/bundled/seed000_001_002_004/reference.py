"""Copy the non-numeric tables of seeds 000, 001, 002, 004 to reference/ with provenance sidecars (editor's tool)."""
import os
import csv, sys
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/spec/data"); OUT = sys.argv[1] + "/reference"
HEAD = ("<!-- Provenance of {dst}.csv. Copied from the aimaq seed reading `spec/data/{src}.csv` (checked against the seed "
        "text; line numbers are 1-based lines of `../seeds/{seedfile}`).{extra} The transcriber's sidecar follows. -->\n\n")
SEEDFILE = {"seed000": "000_72d0ba45cccb75de.txt", "seed001": "001_ae16649e32aa1527.txt",
            "seed002": "002_268c48c80ed1ad3d.txt", "seed004": "004_1ae37a956d9e9e50.txt"}
def copy(src, dst, add=None, extra=""):
    rows = list(csv.DictReader(open(f"{SRC}/{src}.csv", encoding="utf-8")))
    cols = list(rows[0])
    if add:
        for name, fn in add.items():
            for r in rows:
                r[name] = fn(r)
            cols.append(name)
    with open(f"{OUT}/{dst}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n"); w.writeheader(); w.writerows(rows)
    side = open(f"{SRC}/{src}.md", encoding="utf-8").read()
    seed = dst.split("_", 1)[0]
    with open(f"{OUT}/{dst}.md", "w", encoding="utf-8") as f:
        f.write(HEAD.format(dst=dst, src=src, seedfile=SEEDFILE[seed], extra=extra) + side)

mono = lambda r: "mono_" + r["indicator_key"]
copy("seed004_table1_score_bands", "seed004_table1_score_bands", {"indicator": mono},
     " Column `indicator` (added) is the bundled indicator code whose value the band scores; its published score is `<indicator>_score`.")
copy("seed004_table1_indicators", "seed004_table1_indicators", {"indicator": mono},
     " Column `indicator` (added) is the bundled indicator code.")
copy("seed004_table2_class_thresholds", "seed004_table2_class_thresholds", {"class_name_ru": lambda r: {
     "high": "Моногород с высоким потенциалом для реализации инновационных проектов",
     "medium": "Моногород со средним потенциалом для реализации инновационных проектов",
     "low": "Моногород с низким потенциалом для реализации инновационных проектов"}[r["class_id"]]},
     " Column `class_name_ru` (added) is aimaq's Russian translation.")
copy("seed004_mechanisms_by_class", "seed004_mechanisms_by_class")
copy("seed001_cofinancing_rules", "seed001_cofinancing_rules")
copy("seed001_mechanism_items", "seed001_mechanism_items")
copy("seed001_workflow_transitions", "seed001_workflow_transitions")
copy("seed001_table3_target_indicators_2026_2030", "seed001_table3_target_indicators_2026_2030")
copy("seed001_published_claims", "seed001_published_claims",
     extra=" Paths in `data_file` name the spec transcriptions; the bundled equivalents are the observations of seed001 "
           "(indicators/seed001.csv explains the codes).")
copy("seed001_fig4_researchers_per_100k_2024", "seed001_fig4_researchers_per_100k_2024",
     extra=" Only the lowest bar (Ulytau) and the mean and median are bundled as observations; the other 19 bars cannot be "
           "assigned to regions and are kept here as a distribution.")
copy("seed001_fig3_local_budget_gerd_2015_2024", "seed001_text_local_budget_gerd_2015_2024",
     extra=" The cumulative amount, the cumulative share, the 2017 and 2019 shares and the annual average are also "
           "bundled as observations on territory kz; the counts of funding regions (10-12) and the '<1 %' bound are kept here only.")
copy("seed001_indicator_catalogue", "seed001_indicator_catalogue",
     extra=" Catalogue of the indicators the seed uses or implies (including proposals); the bundled codes differ where "
           "indicators/seed001.csv defines them.")
SECTOR_KK = {"raw": "Шикізаттық", "infrastructure": "Инфрақұрылымдық", "high_tech": "Жоғары технологиялық", "knowledge_economy": "Білім экономикасы"}
CRIT_KK = {"products": "Өнім", "prices": "Бағалар", "technological_mode": "Технологиялық уклад", "production_factors": "Өндіріс факторлары"}
copy("seed002_table1_sector_characteristics", "seed002_table1_sector_characteristics",
     {"criterion_kk": lambda r: CRIT_KK[r["criterion_id"]], "sector_kk": lambda r: SECTOR_KK[r["sector_id"]]},
     " Columns `criterion_kk` and `sector_kk` (added) are aimaq's Kazakh names; the cells stay in the seed's Russian with an English translation.")
copy("seed002_table1_sector_profiles_coded", "seed002_table1_sector_profiles_coded",
     {"sector_kk": lambda r: SECTOR_KK[r["sector_id"]]}, " Column `sector_kk` (added) is aimaq's Kazakh name.")
STRAT_KK = {"local_tech_competitiveness": "Жергілікті технологиялық бәсекеге қабілеттілік стратегиясы",
            "international_tech_competitiveness": "Халықаралық технологиялық бәсекеге қабілеттілік стратегиясы",
            "niche_leadership": "Тауашалық көшбасшылық стратегиясы"}
copy("seed002_fig1_strategy_positioning", "seed002_fig1_strategy_positioning",
     {"strategy_kk": lambda r: STRAT_KK[r["strategy_id"]]}, " Column `strategy_kk` (added) is aimaq's Kazakh name.")
