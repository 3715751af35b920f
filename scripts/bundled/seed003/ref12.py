import os
import csv
DST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../src/aimaq/store/bundled/reference/seed003_table12_low_class_indicators")
IND = {
    "industrial_output_rvi": ("Өнеркәсіп өнімінің НКИ", "ИФО промышленной продукции", "Real volume index of industrial output", 1),
    "agricultural_output_rvi": ("ауыл шаруашылығы өнімдерінің жалпы шығарылымы (НКИ)", "ИФО валового выпуска продукции сельского хозяйства",
                                "Real volume index of gross agricultural output", 1),
    "construction_rvi": ("құрылыс жұмыстары (НКИ)", "ИФО строительных работ", "Real volume index of construction works", 1),
    "retail_trade_rvi": ("бөлшек тауар айналымы (НКИ)", "ИФО розничного товарооборота", "Real volume index of retail trade turnover", 1),
    "private_fixed_investment_rvi": ("негізгі капиталға жеке инвестициялардың НКИ", "ИФО частных инвестиций в основной капитал",
                                     "Real volume index of private investment in fixed capital", 1),
    "budget_tax_receipts_growth": ("мемлекеттік бюджетке салықтық және салықтық емес түсімдердің өсу қарқыны",
                                   "темп роста налоговых и неналоговых поступлений в государственный бюджет",
                                   "Growth rate of tax and non-tax receipts to the state budget", 1),
    "budget_personal_revenue_growth": ("бюджетке жеке кірістердің өсу қарқыны", "темп роста собственных доходов бюджета",
                                       "Growth rate of own (personal) revenues to the budget", 1),
    "active_small_business_growth": ("жұмыс істеп тұрған шағын кәсіпкерлік субъектілері санының өсу қарқыны",
                                     "темп роста числа действующих субъектов малого предпринимательства",
                                     "Growth rate of the number of active small-business entities", 1),
    "safe_drinking_water_coverage": ("халықты қауіпсіз ауыз сумен қамтамасыз ету", "обеспеченность населения безопасной питьевой водой",
                                     "Provision of the population with safe drinking water", 1),
    "tuberculosis_incidence_change": ("туберкулезбен сырқаттану деңгейінің өзгеруі", "изменение уровня заболеваемости туберкулёзом",
                                      "Change in tuberculosis incidence", -1),
    "preschool_coverage_change": ("мектепке дейінгі тәрбиемен және оқытумен қамтылған 1-6 жастағы балалар санының өзгеруі",
                                  "изменение числа детей 1-6 лет, охваченных дошкольным воспитанием и обучением",
                                  "Change in the number of children aged 1-6 in pre-school education", 1),
    "crime_level_change": ("қылмыс деңгейінің өзгеруі", "изменение уровня преступности", "Change in the crime level", -1),
    "grave_crime_detection": ("ауыр және аса ауыр қылмыстарды ашу деңгейі", "раскрываемость тяжких и особо тяжких преступлений",
                              "Detection rate of grave and especially grave crimes", 1),
}
LOW = [
    ("oskemen", "Өскемен қаласы", 1322, ["private_fixed_investment_rvi", "budget_tax_receipts_growth", "grave_crime_detection"]),
    ("urzhar", "Үржар ауданы", 1323, ["construction_rvi", "retail_trade_rvi", "private_fixed_investment_rvi",
                                      "safe_drinking_water_coverage", "preschool_coverage_change"]),
    ("kurchatov", "Курчатов қаласы", 1324, ["agricultural_output_rvi", "construction_rvi", "private_fixed_investment_rvi",
                                            "active_small_business_growth", "tuberculosis_incidence_change"]),
    ("beskaragai", "Бесқарағай ауданы", 1325, ["industrial_output_rvi", "agricultural_output_rvi", "construction_rvi",
                                               "safe_drinking_water_coverage", "tuberculosis_incidence_change",
                                               "preschool_coverage_change"]),
    ("katonkaragai", "Катонқарағай ауданы", 1326, ["agricultural_output_rvi", "active_small_business_growth",
                                                   "safe_drinking_water_coverage", "tuberculosis_incidence_change",
                                                   "preschool_coverage_change", "crime_level_change"]),
    ("tarbagatai", "Тарбағатай ауданы", 1327, ["industrial_output_rvi", "budget_tax_receipts_growth",
                                               "budget_personal_revenue_growth", "tuberculosis_incidence_change",
                                               "preschool_coverage_change", "grave_crime_detection"]),
]
with open(DST + ".csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["territory_id", "territory_kk", "dynamics_class", "indicator_id", "indicator_kk", "indicator_ru",
                "indicator_en", "direction", "source_line"])
    for tid, tkk, ln, inds in LOW:
        for i in inds:
            kk, ru, en, d = IND[i]
            w.writerow([tid, tkk, "low", i, kk, ru, en, d, ln])
open(DST + ".md", "w", encoding="utf-8").write("""# reference/seed003_table12_low_class_indicators.csv — provenance

Built in aimaq from the seed text `seeds/003_3a06c82bf9319e49.txt` (Akisheva D.M., PhD dissertation, Semey 2023,
in Kazakh), lines 1322-1327: the paragraphs under Table 12 (intra-regional analysis by the dynamics of
socio-economic development, 2020, l.1284-1318) that explain, for each territory of the low class (Төмен), the
indicators on which it had low values. The source is the akimat's rating, refs [70-71]; the seed gives neither the
values nor the algorithm.

- One row per territory × indicator named (33 rows, 6 territories, 13 distinct indicators).
- `indicator_kk` is the Kazakh wording of l.1322-1327 in one canonical form (the lines inflect it: «Құрылыс
  жұмыстарының», «құрылыс жұмыстары»); НКИ = нақты көлем индексі (real volume index, ИФО). `indicator_ru` and
  `indicator_en` are aimaq's translations; `indicator_id` is an aimaq code for a rule over these indicators
  (issue 5, item 6), not an indicator of `indicators/seed003.csv`, since no values are published.
- `direction` is aimaq's reading: +1 higher is better; -1 for the change in tuberculosis incidence and in the crime
  level (lower is better).
- `tests/store/test_bundled_seed003.py` checks that the start of every `indicator_kk` cell is printed within three
  lines of `source_line`.

## Changes made in aimaq

- none beyond the extraction: there is no transcription of these lines in `spec/data`; the reading
  (`spec/seed-003-part1.md`, M4) lists the same indicators per territory.
""")
