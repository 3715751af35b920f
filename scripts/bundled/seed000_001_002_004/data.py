"""Generate the bundled data of seeds 000, 001, 002, 004 from /work/shared/spec/data (editor's tool)."""
import csv, os, shutil, sys
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/spec/data")
OUT = sys.argv[1]
for d in ("indicators", "observations", "notes", "reference", "seeds"):
    os.makedirs(f"{OUT}/{d}", exist_ok=True)

def rd(name):
    with open(f"{SRC}/{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def wr(path, cols, rows):
    with open(f"{OUT}/{path}", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})

IND_COLS = ["code","name_kk","name_ru","name_en","unit","direction","kind","definition_en","seed","table","lines","categories"]
OBS_COLS = ["territory","indicator","period","value","value_text","status","seed","table","lines","note","value_printed","borders"]
NOTE_COLS = ["id","territory","indicator","period","kind","seed","table","lines","text_en","text_ru"]

ISO = {"KZ":"kz","KZ-10":"abai","KZ-11":"akmola","KZ-15":"aktobe","KZ-19":"almaty_region","KZ-23":"atyrau",
       "KZ-27":"west_kazakhstan","KZ-31":"zhambyl","KZ-33":"zhetysu","KZ-35":"karaganda","KZ-39":"kostanay",
       "KZ-43":"kyzylorda","KZ-47":"mangystau","KZ-55":"pavlodar","KZ-59":"north_kazakhstan","KZ-61":"turkistan",
       "KZ-62":"ulytau","KZ-63":"east_kazakhstan","KZ-71":"astana","KZ-75":"almaty_city","KZ-79":"shymkent"}
NEW_2022 = {"abai", "zhetysu", "ulytau"}
CUT_2022 = {"east_kazakhstan": "east_kazakhstan_1997", "almaty_region": "almaty_region_1997", "karaganda": "karaganda_1997"}

def place(code, y0, y1, retro):
    """Territory version for a period: annual data belong to the borders in force at the end of the year.

    Returns (code, borders) or None when the territory did not exist and the publisher did not recompute.
    """
    if code in NEW_2022 or code in CUT_2022:
        if y1 < 2022:
            if retro:
                return code, "retro"
            return (CUT_2022[code], "") if code in CUT_2022 else None
        if y0 < 2022:
            return code, "mixed"
    return code, ""

def period(y0, y1):
    return str(y0) if int(y0) == int(y1) else f"{y0}-{y1}"

def num(x):
    """Plain decimal text of a float, without trailing zeros."""
    s = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s

# ============================================================== seed 000
S = "seed000"
ind, obs, notes = [], [], []
t1 = rd("seed000_table1_innovation_policy_quality_2021")
RU_T1 = {
 "innovation_strategy_or_section": "Наличие региональной стратегии инновационного развития / профильного раздела по поддержке инноваций",
 "priority_innovation_zones_in_spatial_plan": "Выделение зон приоритетного инновационного развития в схеме территориального планирования региона",
 "regional_innovation_law": "Наличие специализированного законодательного акта, определяющего основные принципы инновационной деятельности в регионе",
 "innovation_programmes": "Наличие специализированных программ развития инноваций в регионе",
 "innovation_advisory_bodies": "Функционирование консультативных органов по инновационной политике",
 "innovation_support_development_institutions": "Наличие институтов развития с функцией поддержки субъектов инновационной деятельности в регионе",
}
seen = set()
for r in t1:
    code = "ipq_" + r["indicator_id"]
    if code not in seen:
        seen.add(code)
        lines = sorted({x["source_lines"] for x in t1 if x["indicator_id"] == r["indicator_id"]})
        ind.append(dict(code=code, name_kk=r["indicator_name_kk"], name_ru=RU_T1[r["indicator_id"]],
            name_en=r["indicator_name_en"], unit="yes/no", direction=1, kind="categorical",
            definition_en=f"Innovation-policy quality checklist, item {r['indicator_no']}: whether the region has it as of 2021 "
                          "(Table 1, compiled by the authors; source documents not named).",
            seed=S, table="T1", lines=lines[0], categories="no=жоқ;yes=иә"))
    obs.append(dict(territory=ISO[r["region_iso"]], indicator=code, period="2021", value="", value_text=r["value_en"],
        status="published", seed=S, table="T1", lines=r["source_lines"], value_printed=r["value_kk"]))

t2 = rd("seed000_table2_ris3_criterion_sums")
t3 = rd("seed000_table3_ris3_scores_by_region")
RU_STEP = {1: "Анализ регионального контекста", 2: "Управление", 3: "Общее видение", 4: "Приоритеты",
           5: "Комплекс мер политики", 6: "Мониторинг и оценка"}
RU_CRIT = {1: "Наличие анализа ресурсов региона", 2: "Наличие анализа внешней среды",
 3: "Наличие анализа предпринимательской активности", 4: "Внедрение многоуровневого управления",
 5: "Вовлечение широкого круга стейкхолдеров", 6: "Менеджмент и коммуникация",
 7: "Полное использование понятия инноваций", 8: "Наличие ответов на глобальные изменения",
 9: "Наличие сценарного анализа", 10: "Выбор приоритетов", 11: "Идентификация (согласование) приоритетов",
 12: "Наличие критической массы", 13: "Использование дорожных карт", 14: "Сохранение баланса мер",
 15: "Наличие рамочных условий", 16: "Использование показателей эффективности",
 17: "Наличие системы мониторинга реализации стратегии", 18: "Наличие механизма актуализации стратегии"}
crit_rows = []
for r in t2:
    n = int(r["criterion_no"]); cid = r["criterion_id"]
    lines3 = sorted({x["source_lines"] for x in t3 if x["criterion_id"] == cid})
    ind.append(dict(code="ris3_" + cid, name_kk=r["criterion_name_kk"], name_ru=RU_CRIT[n], name_en=r["criterion_name_en"],
        unit="points (0, 0.5, 1)", direction=1, kind="numeric",
        definition_en=f"RIS3 Self-Assessment Wheel, step {r['step_no']} ({r['step_name_en']}), criterion {n}: compliance "
                      "of the region's innovation strategy (programme) on the adapted scale 0 = not found, 0.5 = found "
                      "implicitly, 1 = found (l.114-115); expert score published in Table 3.",
        seed=S, table="T3", lines=lines3[0]))
    ind.append(dict(code=f"ris3_sum_{cid}", name_kk=r["criterion_name_kk"] + " (сома)", name_ru=RU_CRIT[n] + " (сумма)",
        name_en=r["criterion_name_en"] + " (sum over the four raw-material regions)", unit="points (0-4)", direction=1,
        kind="numeric", definition_en=f"Table 2 'Сома': sum of criterion {n} scores over the strategies of Atyrau, West "
        "Kazakhstan, Kyzylorda and Mangystau regions; stored on territory kz because it describes that group, not "
        "one region.", seed=S, table="T2", lines=r["source_lines_criterion"]))
    obs.append(dict(territory="kz", indicator=f"ris3_sum_{cid}", period="2013-2021", value=num(r["score_sum"]),
        status="published", seed=S, table="T2", lines=r["source_lines_criterion"], value_printed=num(r["score_sum"]).replace(".", ",")))
    crit_rows.append(r)
steps = {}
for r in t2:
    steps.setdefault(int(r["step_no"]), r)
for k, r in steps.items():
    code = f"ris3_step{k}_total"
    ind.append(dict(code=code, name_kk=f"{k}-қадам: {r['step_name_kk']} (барлығы)", name_ru=f"Шаг {k}: {RU_STEP[k]} (итого)",
        name_en=f"Step {k}: {r['step_name_en']} (total)", unit="points (0-12)", direction=1, kind="numeric",
        definition_en=f"Table 2 'Әр қадам бойынша барлығы': total of the three criterion sums of step {k} over the four "
                      "raw-material regions' strategies (merged cell; stored on territory kz).",
        seed=S, table="T2", lines=r["source_lines_step_total"]))
    obs.append(dict(territory="kz", indicator=code, period="2013-2021", value=num(r["step_total"]), status="published",
        seed=S, table="T2", lines=r["source_lines_step_total"], value_printed=num(r["step_total"]).replace(".", ",")))
ind.append(dict(code="ris3_compliance_pct", name_kk="Ақылды мамандану өлшемдеріне жалпы сәйкестік",
    name_ru="Общее соответствие критериям умной специализации", name_en="Overall compliance with the smart-specialisation criteria",
    unit="%", direction=1, kind="numeric", definition_en="Share of the maximum points (18 criteria x 4 strategies = 72) "
    "reached by the four raw-material regions' strategies: 37.5 / 72 = 52.08 %, printed as 52 % (l.382-383).",
    seed=S, table="text", lines="382-383"))
obs.append(dict(territory="kz", indicator="ris3_compliance_pct", period="2013-2021", value="52", status="published",
    seed=S, table="text", lines="382-383", value_printed="52"))
for r in t3:
    obs.append(dict(territory=ISO[r["region_iso"]], indicator="ris3_" + r["criterion_id"], period="2013-2021",
        value=num(r["score"]), status="published", seed=S, table="T3", lines=r["source_lines"],
        value_printed=num(r["score"]).replace(".", ",")))
ind.append(dict(code="raw_material_region", name_kk="Шикізат өңірі", name_ru="Сырьевой регион", name_en="Raw-material region",
    unit="yes/no", direction=0, kind="categorical",
    definition_en="Published result of the raw-material-region test: share of gross value added from the extraction of "
    "mineral raw-material resources in GRP above 30 % over the period (seed 000 l.26-34: 2008-2021; seed 002 "
    "l.57-68: 2009-2019). value_printed holds the region name as printed in the list; the seeds name only the regions "
    "that pass, so no 'no' values are bundled.", seed=S, table="text", lines="26-34", categories=""))
for code, nm in (("atyrau", "Атырау"), ("west_kazakhstan", "Батыс Қазақстан"), ("mangystau", "Маңғыстау"), ("kyzylorda", "Қызылорда")):
    obs.append(dict(territory=code, indicator="raw_material_region", period="2008-2021", value_text="yes", status="published",
        seed=S, table="text", lines="33", value_printed=nm))

N = []
def note(nid, kind, text_en, text_ru, territory="", indicator="", period_="", table="", lines="", seed=S):
    N.append(dict(id=nid, territory=territory, indicator=indicator, period=period_, kind=kind, seed=seed, table=table,
                  lines=lines, text_en=text_en, text_ru=text_ru))
RIS3 = ["ris3_" + r["criterion_id"] for r in t2]
note("s000-C1", "contradiction", "Line 100 says seven strategies were assessed, but Tables 2-3 cover four regions and l.379 says "
     "'all four documents'; 52 % = 37.5 / (18 x 4). Read as four documents (seven would give 29.8 %).",
     "В строке 100 говорится об оценке семи стратегий, но в таблицах 2-3 четыре региона, а в стр. 379 - «все четыре "
     "документа»; 52 % = 37,5 / (18 x 4). Принято четыре документа (при семи было бы 29,8 %).",
     territory="kz", indicator="ris3_compliance_pct", lines="100,379-383", table="text")
note("s000-C2", "extraction_defect", "Table 3 prints row 13 as «Басымдықтарды таңдау» (selection of priorities), duplicating row 10; "
     "it sits in step 5 and Table 2 names it «Жол карталарын пайдалану» (use of roadmaps), with the same sum 2. Read as roadmaps; values unchanged.",
     "В таблице 3 строка 13 названа «Басымдықтарды таңдау» (выбор приоритетов), как строка 10; она стоит в шаге 5, "
     "а в таблице 2 это «Жол карталарын пайдалану» (использование дорожных карт) с той же суммой 2. Принято: дорожные карты; значения не изменены.",
     indicator="ris3_c13_roadmaps", table="T3", lines="459")
note("s000-C3", "contradiction", "L.380-381 say a fractional sum (e.g. 1.5) means compliance is clearly marked in at least one "
     "strategy; criterion 8's sum 0.5 contains no score of 1. A non-integer sum means at least one implicit (0.5) score.",
     "В стр. 380-381 дробная сумма (например, 1,5) означает явное соответствие хотя бы в одной стратегии; у критерия 8 "
     "сумма 0,5 без единой оценки 1. Дробная сумма означает хотя бы одну неявную оценку (0,5).",
     territory="kz", indicator="ris3_sum_c08_global_change_responses", table="T2", lines="350,380-381")
note("s000-C4", "ambiguity", "L.384-386 count step 1 among the practical, high-compliance steps; l.405-407 put analysis among the "
     "weak preparatory parts. T1 = 7 equals T4 and T6; the numbers support l.384-386.",
     "В стр. 384-386 шаг 1 отнесён к практическим шагам с высоким соответствием, в стр. 405-407 анализ - к слабым "
     "подготовительным. T1 = 7 равно T4 и T6; цифры подтверждают стр. 384-386.",
     territory="kz", indicator="ris3_step1_total", table="T2", lines="341,384-386,405-407")
for i, c in enumerate(("ris3_c18_strategy_update_mechanism", "ris3_c04_multilevel_governance", "ris3_c03_entrepreneurial_activity_analysis", "ris3_c14_balanced_measures")):
    note(f"s000-C5{'abcd'[i]}", "contradiction", "The Atyrau paragraph (l.474-480) claims its strategy stands out on entrepreneurial "
         "activity, multi-level governance, balance of measures and its own updating mechanism; Table 3 gives Atyrau the "
         "same score as the other regions on these criteria and 0 for the updating mechanism. The table is taken as authoritative.",
         "Абзац об Атырауской области (стр. 474-480) утверждает, что её стратегия выделяется предпринимательской "
         "активностью, многоуровневым управлением, балансом мер и собственным механизмом актуализации; в таблице 3 "
         "Атырау по этим критериям оценена как другие регионы, а механизм актуализации - 0. Приоритет у таблицы.",
         territory="atyrau", indicator=c, table="T3", lines="474-480")
for c in RIS3:
    note(f"s000-C6-{c[5:8]}", "period_ambiguity", "The strategies' period is 2012-2021 in l.5, 606, 631 but 2013-2021 in l.93 "
         "(after the 2012 RIS3 Guide); the documents are not named. Period stored as 2013-2021.",
         "Период стратегий: 2012-2021 в стр. 5, 606, 631, но 2013-2021 в стр. 93 (после Руководства RIS3 2012 г.); "
         "документы не названы. Период записан как 2013-2021.", indicator=c, table="T3", lines="5,93")
    note(f"s000-C7-{c[5:8]}", "ambiguity", "Which documents were scored is not stated: Table 1 says no region has an innovation "
         "strategy or section, l.102-105 exclude socio-economic plans and concepts, yet 'innovation strategies (programmes)' "
         "of the four regions are scored. Treated as given expert scores.",
         "Не указано, какие документы оценивались: по таблице 1 ни в одном регионе нет инновационной стратегии или раздела, "
         "стр. 102-105 исключают планы СЭР и концепции, но оцениваются «инновационные стратегии (программы)» четырёх "
         "регионов. Принимаются как экспертные оценки.", indicator=c, table="T3", lines="102-105,416-418")
    note(f"s000-C13-{c[5:8]}", "scale", "Adapted 3-level scale {0, 0.5, 1} (l.114-115) instead of the EC wheel's 0-5; the seed "
         "gives no mapping between them. Compare only through score / maximum.",
         "Адаптированная трёхуровневая шкала {0; 0,5; 1} (стр. 114-115) вместо шкалы 0-5 колеса ЕК; соответствия между "
         "ними нет. Сравнивать только через долю от максимума.", indicator=c, table="T3", lines="110-115")
note("s000-C7-ipq", "contradiction", "Says no region has an innovation strategy or dedicated section, while Tables 2-3 score the "
     "'innovation strategies (programmes)' of the same four regions (documents not named).",
     "Указано, что ни в одном регионе нет инновационной стратегии или профильного раздела, тогда как таблицы 2-3 "
     "оценивают «инновационные стратегии (программы)» тех же регионов (документы не названы).",
     indicator="ipq_innovation_strategy_or_section", table="T1", lines="284-288")
note("s000-C8", "labelling", "Criterion 2 is «Сыртқы орта» (external environment) in Table 2 but «Қоршаған орта» (natural "
     "environment), with the typo «талаудың», in Table 3; read as external environment (l.396, 412).",
     "Критерий 2: «Сыртқы орта» (внешняя среда) в таблице 2, но «Қоршаған орта» (окружающая среда) с опечаткой "
     "«талаудың» в таблице 3; принято: внешняя среда (стр. 396, 412).", indicator="ris3_c02_external_environment_analysis", table="T3", lines="440")
note("s000-C9", "labelling", "Criterion 6 is 'development of' management and communication in Table 2 and 'monitoring of' in Table 3; same criterion.",
     "Критерий 6: «развитие» менеджмента и коммуникации в таблице 2 и «мониторинг» в таблице 3; это один критерий.",
     indicator="ris3_c06_management_communication", table="T3", lines="346-347,446-447")
note("s000-C10", "labelling", "Criterion 18 is printed «белсенді қосу» (active inclusion); the text calls it «өзектендіру» "
     "(updating, l.413, 479). Read as strategy updating mechanism.",
     "Критерий 18 напечатан как «белсенді қосу» (активное включение); в тексте - «өзектендіру» (актуализация, стр. 413, 479). "
     "Принято: механизм актуализации стратегии.", indicator="ris3_c18_strategy_update_mechanism", table="T3", lines="373-374,413,479")
note("s000-C12a", "contradiction", "The text says no roadmaps were developed (l.132, 530), but every region scores 0.5 "
     "(implicit) on roadmaps. Read 'no roadmaps' as 'no explicit roadmaps'.",
     "В тексте сказано, что дорожные карты не разработаны (стр. 132, 530), но все регионы имеют 0,5 (неявно) по "
     "дорожным картам. Понимается как «нет явных дорожных карт».", indicator="ris3_c13_roadmaps", table="T3", lines="132,459,530")
note("s000-C12b", "contradiction", "The text says most strategies lack an updating mechanism (l.132-133, 530-531); Table 3 gives 0 to all four.",
     "В тексте сказано, что у большинства стратегий нет механизма актуализации (стр. 132-133, 530-531); в таблице 3 у всех четырёх 0.",
     indicator="ris3_c18_strategy_update_mechanism", table="T3", lines="132-133,530-531")
note("s000-C14", "method_ambiguity", "'More than 30 % over 2008-2021' does not say whether every year or the period mean must "
     "exceed 30 %, and 'oil and gas dominate' is not quantified; the seed prints no regional data. Seed 002 uses 2009-2019 for the same test.",
     "«Более 30 % в 2008-2021 гг.» не уточняет, каждый ли год или среднее за период; «преобладание нефти и газа» не "
     "измерено; региональных данных нет. В семени 002 тот же тест за 2009-2019 гг.",
     indicator="raw_material_region", period_="2008-2021", table="text", lines="26-34")
for c, n in (("ris3_c03_entrepreneurial_activity_analysis", 441), ("ris3_c05_broad_stakeholder_involvement", 445), ("ris3_c14_balanced_measures", 460)):
    note(f"s000-C15-{c[5:8]}", "extraction_defect", "Typo in the Table 3 criterion name («Кәсіпкердік», «Стейкхолдердердің» or "
         "«Шалалар»); repaired in the normalised name only, values unchanged.",
         "Опечатка в названии критерия в таблице 3 («Кәсіпкердік», «Стейкхолдердердің» или «Шалалар»); исправлена только "
         "в нормализованном названии, значения не изменены.", indicator=c, table="T3", lines=str(n))
wr(f"indicators/{S}.csv", IND_COLS, ind)
wr(f"observations/{S}_T1.csv", OBS_COLS, [o for o in obs if o["table"] == "T1"])
wr(f"observations/{S}_T2.csv", OBS_COLS, [o for o in obs if o["table"] == "T2"])
wr(f"observations/{S}_T3.csv", OBS_COLS, [o for o in obs if o["table"] == "T3"])
wr(f"observations/{S}_text.csv", OBS_COLS, [o for o in obs if o["table"] == "text"])
wr(f"notes/{S}.csv", NOTE_COLS, N)
# reference: the wheel's steps and criteria in three languages
ref = []
for r in t2:
    n = int(r["criterion_no"]); k = int(r["step_no"])
    ref.append(dict(step_no=k, step_id=r["step_id"], step_name_kk=r["step_name_kk"], step_name_ru=RU_STEP[k], step_name_en=r["step_name_en"],
        criterion_no=n, criterion_id=r["criterion_id"], indicator=f"ris3_{r['criterion_id']}", criterion_name_kk=r["criterion_name_kk"],
        criterion_name_ru=RU_CRIT[n], criterion_name_en=r["criterion_name_en"], max_points=1,
        source_lines_table2=r["source_lines_criterion"],
        source_lines_table3=sorted({x["source_lines"] for x in t3 if x["criterion_id"] == r["criterion_id"]})[0]))
wr("reference/seed000_ris3_criteria.csv", list(ref[0]), ref)
scale = [dict(score="0", label_kk="сәйкестік анықталмады", label_ru="соответствие не выявлено", label_en="compliance not found"),
         dict(score="0.5", label_kk="сәйкестік жасырын түрде анықталды", label_ru="соответствие выявлено в неявном виде", label_en="compliance found implicitly"),
         dict(score="1", label_kk="сәйкестік анықталды", label_ru="соответствие выявлено", label_en="compliance found")]
wr("reference/seed000_ris3_scale.csv", ["score","label_kk","label_ru","label_en"], scale)
ALL_IND = {i["code"]: i for i in ind}
print("seed000", len(ind), len(obs), len(N))

# ============================================================== seed 004
S = "seed004"
TOWN = {"balkhash": "balkhash", "zhezkazgan": "zhezkazgan", "karazhal": "karazhal", "saran": "saran", "satpayev": "satpayev",
        "temirtau": "temirtau", "shakhtinsk": "shakhtinsk", "abai": "abai_town"}
meta = rd("seed004_table1_indicators")
vals = rd("seed004_table1_values_scores")
bands = rd("seed004_table1_score_bands")
ind, obs, N = [], [], []
RU4 = {
 "nla_innovation_exists": "Наличие НПА местного уровня, регулирующих инновационный потенциал моногорода",
 "nla_goal_conformity": "Соответствие положений НПА целям развития страны, региона, моногорода",
 "strategic_programme_exists": "Наличие стратегических программ развития моногорода",
 "lsg_satisfaction_pct": "Удовлетворённость населения деятельностью органов местного самоуправления моногорода (% опрошенных)",
 "industrial_output_per_capita": "Объём производства промышленной продукции (товаров, услуг) на душу населения",
 "fixed_investment_per_capita": "Инвестиции в основной капитал на душу населения",
 "town_forming_enterprise_profitability_pct": "Рентабельность градообразующего предприятия",
 "substandard_roads_share_pct": "Доля автодорог, не отвечающих нормативным требованиям, в общей протяжённости автодорог",
 "housing_area_per_capita_m2": "Общая площадь жилых помещений на душу населения",
 "unemployment_rate_pct": "Уровень безработицы",
 "avg_monthly_nominal_wage": "Среднемесячная номинальная заработная плата одного работника",
 "working_age_share_pct": "Доля трудоспособного населения в общей численности населения",
 "direct_innovation_support_exists": "Наличие прямой поддержки инновационной деятельности",
 "investor_tax_preferences": "Налоговые преференции для инвесторов",
 "rnd_organisations_count": "Количество организаций, выполняющих НИОКР",
 "advanced_technologies_created_count": "Количество созданных передовых технологий",
 "statistics_disclosure": "Раскрытие статистической информации на официальном сайте моногорода",
 "strategy_results_publication": "Публикация результатов реализации стратегии развития",
}
UNIT4 = {"%": "%", "percent": "%", "count": "units", "category": "category"}
VALUE_UNIT = {"industrial_output_per_capita": "thousand KZT per capita", "fixed_investment_per_capita": "thousand KZT per capita",
              "housing_area_per_capita_m2": "m2 per capita", "avg_monthly_nominal_wage": "KZT per month"}
SCORE_LINE = {}
for m in meta:
    key = m["indicator_key"]; code = "mono_" + key
    direction = -1 if m["direction"].startswith("lower") else 1
    cats = ""
    if m["value_type"] == "categorical":
        cats = ";".join(f"{b['category_code']}={b['category_kk']}" for b in bands if b["indicator_key"] == key and b["category_code"])
    unit = VALUE_UNIT.get(key, UNIT4.get(m["value_unit"], m["value_unit"]))
    year = "2020" if m["group_no"] == "2" else "not stated (2020 assumed)"
    ind.append(dict(code=code, name_kk=m["indicator_name_kk"], name_ru=RU4[key], name_en=m["indicator_name_en"], unit=unit,
        direction=direction, kind="categorical" if m["value_type"] == "categorical" else "numeric",
        definition_en=f"Seed 004 Table 1 indicator {m['indicator_no']} (group {m['group_no']}: {m['group_name_en']}); "
                      f"value as printed; data year {year}. Band table: reference/seed004_table1_score_bands.csv.",
        seed=S, table="T1", lines=m["source_lines_name"], categories=cats))
    ind.append(dict(code=code + "_score", name_kk=m["indicator_name_kk"] + " (ұпай)", name_ru=RU4[key] + " (балл)",
        name_en=m["indicator_name_en"] + " (score)", unit="points (0-5)", direction=1, kind="numeric",
        definition_en=f"Published score (0-5 points) of Table 1 indicator {m['indicator_no']}, as printed on its score line; "
                      "the methodology seed004_monotown_potential recomputes it from the value and the band table.",
        seed=S, table="T1", lines=m["source_lines_scores"]))
for v in vals:
    key = v["indicator_key"]; code = "mono_" + key; t = TOWN[v["town_id"]]
    st = v["value_status"]
    o = dict(territory=t, indicator=code, period="2020", seed=S, table="T1", lines=v["source_line_value"].split(" ")[0])
    if v["value_category_code"]:
        o.update(value_text=v["value_category_code"], status="published", value_printed=v["value_raw"])
    elif st in ("missing_in_source", "unreadable"):
        o.update(status="missing", value_printed=v["value_raw"])
    else:
        o.update(value=num(v["value"]), status="published", value_printed=v["value_raw"])
    obs.append(o)
    obs.append(dict(territory=t, indicator=code + "_score", period="2020", value=v["score_published"], status="published",
        seed=S, table="T1", lines=v["source_line_score"], value_printed=v["score_published"]))
ind.append(dict(code="mono_total_score", name_kk="Жиналған ұпай қорытындысы", name_ru="Итого набранных баллов",
    name_en="Total of collected points (innovation potential)", unit="points (0-90)", direction=1, kind="numeric",
    definition_en="Published total of the 18 indicator scores per monotown (Table 2, l.486-491); classes low 0-35, "
    "medium 36-66, high 67 and above (reference/seed004_table2_class_thresholds.csv).", seed=S, table="T2", lines="486-491"))
for r in rd("seed004_table2_total_scores"):
    obs.append(dict(territory=TOWN[r["town_id"]], indicator="mono_total_score", period="2020", value=r["total_points_published"],
        status="published", seed=S, table="T2", lines=r["source_line"], value_printed=r["total_points_published"]))
ind.append(dict(code="mono_economic_potential_level", name_kk="Экономикалық әлеует деңгейі", name_ru="Уровень экономического потенциала",
    name_en="Economic-potential level (Monotown Development Programme 2012-2014)", unit="level", direction=1, kind="categorical",
    definition_en="Level by the economic-potential indicator of the Monotown Development Programme for 2012-2014, as quoted "
    "in the text (l.106-113); an external classification by a different method.", seed=S, table="text", lines="106-113",
    categories="medium=орташа;high=жоғары"))
for r in rd("seed004_text_economic_potential_2012_2014"):
    obs.append(dict(territory=TOWN[r["town_id"]], indicator="mono_economic_potential_level", period="2012-2014",
        value_text=r["economic_potential_level_en"], status="published", seed=S, table="text", lines="106-113",
        value_printed=r["economic_potential_level_kk"]))
# notes (seed-004.md section 2, 'Ambiguities, contradictions and the proposed readings')
def note4(nid, kind, en, ru, **kw):
    note(nid, kind, en, ru, seed=S, **kw)
for m in meta:
    c = "mono_" + m["indicator_key"]
    note4(f"s004-01-{m['indicator_no']}", "ambiguity", "Table 1 has no town header; its 8 columns are read in the Table 2 order "
          "(l.486). Column sums then equal 7 of 8 printed totals; Shakhtinsk and Abai both total 28, so their order cannot be checked.",
          "В таблице 1 нет заголовка с городами; 8 столбцов прочитаны в порядке таблицы 2 (стр. 486). Суммы столбцов "
          "совпадают с 7 из 8 итогов; у Шахтинска и Абая по 28, их порядок проверить нельзя.", indicator=c, table="T1", lines="486")
    if m["group_no"] != "2":
        note4(f"s004-year-{m['indicator_no']}", "period_assumed", "The seed states the year 2020 only for group 2 (l.213); this "
              "indicator's year is not stated and is stored as 2020.",
              "Год 2020 указан только для группы 2 (стр. 213); год этого показателя не указан и записан как 2020.",
              indicator=c, table="T1", lines="213")
note4("s004-02", "extraction_defect", "Value line garbled (l.221: «488 000 595376 137 578 266 07 34930 262 146 27 074 94 265»); "
      "read on the thousand-tenge band scale as 488.0, 595.376, 137.578, 266.07, 349.3, 262.146, 27.074, 94.265 (a space or a "
      "missing character is a lost decimal comma).",
      "Строка значений искажена (стр. 221); прочитана в тыс. тенге как 488,0; 595,376; 137,578; 266,07; 349,3; 262,146; "
      "27,074; 94,265 (пробел или пропуск - потерянная десятичная запятая).", indicator="mono_industrial_output_per_capita", table="T1", lines="221")
for t, alt in (("saran", "26.607"), ("satpayev", "34.93")):
    note4(f"s004-02-{t}", "extraction_defect", f"Only 5 digits survive; the reading used is the only minimal edit consistent with "
          f"the published score. The alternative {alt} would score 0" + (" and drop the recomputed total to 35 (low class)." if t == "satpayev" else "."),
          f"Сохранилось только 5 цифр; принятое прочтение - единственное минимальное, согласующееся с опубликованным баллом. "
          f"Альтернатива {alt.replace('.', ',')} дала бы 0 баллов" + (" и итог 35 (низкий класс)." if t == "satpayev" else "."),
          territory=t, indicator="mono_industrial_output_per_capita", table="T1", lines="221")
for c in ("mono_avg_monthly_nominal_wage", "mono_avg_monthly_nominal_wage_score"):
    note4(f"s004-03-{c[-5:]}", "unit_ambiguity", "Wages are printed in tenge but the bands are in thousand tenge (60,1 ... 180); "
          "scale by 0.001 before band lookup, then all 8 cells reproduce.",
          "Зарплата напечатана в тенге, а границы баллов - в тыс. тенге (60,1 ... 180); перед сравнением умножить на 0,001, "
          "тогда все 8 ячеек воспроизводятся.", indicator=c, table="T1", lines="304-312")
note4("s004-04", "extraction_defect", "Unemployment values lost: only «4,6 4,8 4,7» survive on l.299 for 8 columns and their "
      "columns are unknown (all three lie in band 4). Values left missing; the printed scores (l.301) are complete.",
      "Значения безработицы утрачены: в стр. 299 сохранились только «4,6 4,8 4,7» на 8 столбцов, принадлежность неизвестна "
      "(все три в диапазоне 4 баллов). Значения не заполнены; баллы (стр. 301) полные.", indicator="mono_unemployment_rate_pct", table="T1", lines="299-301")
for c in ("mono_town_forming_enterprise_profitability_pct", "mono_town_forming_enterprise_profitability_pct_score"):
    note4(f"s004-05-{c[-5:]}", "missing_in_source", "Karazhal is printed «х» (no data) and scored 0: the rule is missing -> 0.",
          "Для Каражала напечатано «х» (нет данных), балл 0: правило «нет данных -> 0».", territory="karazhal", indicator=c, table="T1", lines="250-251")
note4("s004-06-shakhtinsk", "contradiction", "Printed score 4, but 45 % lies in band 3 (37,1-45,0) under the (a, b] reading that "
      "reproduces all other cells; the value may be a rounded 45.1-45.5 %.",
      "Напечатан балл 4, но 45 % попадает в диапазон 3 (37,1-45,0) при прочтении (a, b], воспроизводящем остальные ячейки; "
      "возможно, это округлённые 45,1-45,5 %.", territory="shakhtinsk", indicator="mono_working_age_share_pct_score", table="T1", lines="332-333")
for t in ("balkhash", "zhezkazgan"):
    note4(f"s004-06-{t}", "band_boundary", "40 % sits on the shared end point of bands 2 and 3; printed 2, which fixes the (a, b] "
          "reading (the [a, b) reading would give 3).",
          "40 % лежит на общей границе диапазонов 2 и 3; напечатано 2, что закрепляет прочтение (a, b] (при [a, b) было бы 3).",
          territory=t, indicator="mono_lsg_satisfaction_pct_score", table="T1", lines="200-201")
note4("s004-07", "band_ambiguity", "Road bands «50–40», «30–40», «25–30», «17–25» share end points; a shared end point goes to the "
      "band with lower values (reference/seed004_table1_score_bands.csv, reading boundary_resolved).",
      "Диапазоны дорог «50–40», «30–40», «25–30», «17–25» имеют общие границы; общая граница относится к диапазону с меньшими "
      "значениями (прочтение boundary_resolved).", indicator="mono_substandard_roads_share_pct_score", table="T1", lines="262-271")
GAPS = sorted({b["indicator_key"] for b in bands if b["reading"] == "gap_filled"})
for k in GAPS:
    note4(f"s004-08-{k}", "band_ambiguity", "The printed bands leave a gap (e.g. «below 15,0» against «15,1–25,0»); the lower band is "
          "extended to close it (reading gap_filled in reference/seed004_table1_score_bands.csv). No published value falls in a gap.",
          "Напечатанные диапазоны оставляют разрыв (например, «ниже 15,0» и «15,1–25,0»); нижний диапазон расширен (прочтение "
          "gap_filled). Ни одно опубликованное значение не попадает в разрыв.", indicator=f"mono_{k}_score", table="T1",
          lines=[m for m in meta if m["indicator_key"] == k][0]["source_lines_bands"])
for k in ("nla_innovation_exists", "nla_goal_conformity"):
    note4(f"s004-09-{k}", "band_ambiguity", "The score of the positive label is lost (labels printed as a pair); proposed 1 by "
          "analogy with 1.3, configurable. All towns are 'no' here, so published results are unaffected.",
          "Балл положительной метки утрачен (метки напечатаны парой); предложено 1 по аналогии с 1.3, настраивается. Все "
          "города имеют «нет», на опубликованные результаты не влияет.", indicator=f"mono_{k}_score", table="T1",
          lines=[m for m in meta if m["indicator_key"] == k][0]["source_lines_bands"])
note4("s004-09-bar", "inconsistency", "The same label «бар» scores 2 here but 1 in indicator 1.3.",
      "Одна и та же метка «бар» даёт здесь 2 балла, а в показателе 1.3 - 1.", indicator="mono_direct_innovation_support_exists_score", table="T1", lines="352-353")
note4("s004-10", "contradiction", "Printed total 39, but Balkhash's printed indicator scores sum to 37 "
      "(0+0+1+2 + 5+0+5+0+5+4+4+4 + 2+2 + 0+1 + 1+1); the class is medium either way.",
      "Напечатан итог 39, но сумма напечатанных баллов Балхаша 37; класс средний в обоих случаях.",
      territory="balkhash", indicator="mono_total_score", table="T2", lines="491")
note4("s004-11", "method_ambiguity", "Class thresholds 0-35 / 36-66 / above 67 look like thirds of 100 points, but the 18 indicators "
      "reach at most 68 under the observed label maps, so 'high' is practically unreachable; 'above 67' leaves 67 unassigned "
      "(proposed: 67 and above is high).",
      "Пороги 0-35 / 36-66 / выше 67 похожи на трети 100-балльной шкалы, но 18 показателей дают максимум 68, поэтому "
      "«высокий» практически недостижим; «выше 67» оставляет 67 без класса (предложено: 67 и выше - высокий).",
      indicator="mono_total_score", table="T2", lines="472-485")
for c in ("mono_industrial_output_per_capita", "mono_fixed_investment_per_capita"):
    note4(f"s004-12-{c[5:12]}", "unit_ambiguity", "Magnitudes look low for per-capita figures (e.g. fixed-capital investment "
          "0.2-26 thousand tenge per capita); the printed units may be wrong, but values and bands are consistent, so they are "
          "used as printed.", "Величины малы для душевых показателей (например, инвестиции 0,2-26 тыс. тенге на душу); "
          "единицы могут быть ошибочны, но значения согласованы с диапазонами и используются как напечатано.",
          indicator=c, table="T1", lines="213-239")
note4("s004-spelling", "wording", "The text spells the towns Жезказған, Шахтинск, Сатпаев (Table 2: Жезқазған, Шахты, Сәтбаев); "
      "a different method and period from Table 1.", "В тексте написание Жезказған, Шахтинск, Сатпаев (в таблице 2: "
      "Жезқазған, Шахты, Сәтбаев); другой метод и период, чем в таблице 1.", indicator="mono_economic_potential_level", table="text", lines="106-113")
wr(f"indicators/{S}.csv", IND_COLS, ind)
wr(f"observations/{S}_T1.csv", OBS_COLS, [o for o in obs if o["table"] == "T1"])
wr(f"observations/{S}_T2.csv", OBS_COLS, [o for o in obs if o["table"] == "T2"])
wr(f"observations/{S}_text.csv", OBS_COLS, [o for o in obs if o["table"] == "text"])
wr(f"notes/{S}.csv", NOTE_COLS, [n for n in N if n["seed"] == S])
print("seed004", len(ind), len(obs), len([n for n in N if n["seed"] == S]))

# ============================================================== seed 001
S = "seed001"
ind, obs = [], []
def I(code, kk, ru, en, unit, direction, definition, table, lines, kind="numeric"):
    ind.append(dict(code=code, name_kk=kk, name_ru=ru, name_en=en, unit=unit, direction=direction, kind=kind,
                    definition_en=definition, seed=S, table=table, lines=lines))
def O(code, ind_code, y0, y1, value, printed, table, lines, retro=False, status=None):
    p = place(code, int(y0), int(y1), retro)
    if p is None:
        return None
    missing = printed.strip() in ("-", "–", "")
    o = dict(territory=p[0], indicator=ind_code, period=period(y0, y1), value="" if missing else num(value),
             status=status or ("missing" if missing else "published"), seed=S, table=table, lines=lines,
             value_printed=printed, borders=p[1])
    obs.append(o)
    return o
I("gerd_internal", "ҒЗТКЖ-ға ішкі шығындар", "Внутренние затраты на НИОКР", "Internal expenditure on R&D (GERD)", "mln KZT", 1,
  "Internal expenditure on research and development of organisations located in the region (Stat Bureau), Table 1.", "T1", "714-780")
I("gerd_growth_2020_2024_pct", "ҒЗТКЖ-ға ішкі шығындар, 2024/2020, %", "Внутренние затраты на НИОКР, 2024/2020, %",
  "Growth of GERD 2024 over 2020", "%", 1, "Printed under the header '2024/2020, %' but the values are growth: "
  "(X2024 / X2020 - 1) x 100; undefined for a zero base ('-').", "T1", "714-780")
for r in rd("seed001_table1_gerd_by_region"):
    code = ISO[r["region_iso"]]
    if r["indicator"] == "gerd_internal":
        O(code, "gerd_internal", r["year_from"], r["year_to"], r["value"], r["value_as_printed"], "T1", r["source_line"], retro=True)
    else:
        O(code, "gerd_growth_2020_2024_pct", r["year_from"], r["year_to"], r["value"], r["value_as_printed"], "T1", r["source_line"], retro=True)
I("local_budget_gerd", "ҒЗТКЖ-ға ішкі шығындарды жергілікті бюджеттен қаржыландыру", "Финансирование внутренних затрат на НИОКР из местного бюджета",
  "Local-budget funding of internal R&D expenditure", "thousand KZT", 1, "Table 2 amounts; the header says «млн. тенге» but the "
  "amounts are thousand tenge (seed-001 X1). '-' = not published (possibly zero or confidential).", "T2", "1065-1187")
I("local_budget_gerd_share_pct", "Жергілікті бюджет қаражатының ҒЗТКЖ-ға ішкі шығындардағы үлесі", "Доля средств местного бюджета во внутренних затратах на НИОКР",
  "Local-budget share of the region's internal R&D expenditure", "%", 1, "Table 2 '%' columns: local-budget funding as a share "
  "of the region's total GERD.", "T2", "1065-1187")
I("local_budget_gerd_mean_of_regions", "Жергілікті бюджеттен қаржыландыру, өңірлер бойынша орташа", "Финансирование из местного бюджета, среднее по регионам",
  "Local-budget funding of R&D, mean of regions with a published value", "thousand KZT", 0, "Table 2 row «Орташа»: arithmetic "
  "mean over the regions with a published value (not the national total divided by 20).", "T2", "1179")
for r in rd("seed001_table2_local_budget_gerd_by_region"):
    if r["row_type"] == "mean_of_published_regions":
        O("kz", "local_budget_gerd_mean_of_regions", r["year_from"], r["year_to"], r["local_budget_gerd_thousand_kzt"],
          r["amount_as_printed"], "T2", r["source_lines"])
        continue
    code = ISO[r["region_iso"]]
    O(code, "local_budget_gerd", r["year_from"], r["year_to"], r["local_budget_gerd_thousand_kzt"], r["amount_as_printed"], "T2", r["source_lines"])
    O(code, "local_budget_gerd_share_pct", r["year_from"], r["year_to"], r["share_of_region_gerd_pct"], r["share_as_printed"], "T2", r["source_lines"])
I("doctoral_students", "Докторанттар контингенті", "Контингент докторантов", "Doctoral students (contingent)", "persons", 1,
  "Table B1: doctoral students enrolled, by region of the university.", "B1", "2187-2244")
I("doctoral_graduates", "Докторантураны бітірушілер", "Выпуск докторантов", "Doctoral graduates", "persons", 1,
  "Table B1: graduates of doctoral programmes, by region of the university.", "B1", "2187-2244")
for r in rd("seed001_tableB1_doctoral_students_graduates"):
    code = ISO[r["region_iso"]]
    O(code, "doctoral_students", r["year"], r["year"], r["doctoral_students_total"], r["students_as_printed"], "B1", r["source_line"])
    O(code, "doctoral_graduates", r["year"], r["year"], r["doctoral_graduates"], r["graduates_as_printed"], "B1", r["source_line"])
I("gerd_per_100k", "100 мың тұрғынға шаққандағы ҒЗТКЖ-ға ішкі шығындар", "Внутренние затраты на НИОКР на 100 тыс. жителей",
  "GERD per 100,000 inhabitants", "mln KZT per 100,000 inhabitants", 1, "Figure 1 (2024); bars carry no region labels in the "
  "extraction, regions assigned from the text, the extracted label order and implied population (see notes).", "F1", "814-890")
I("gerd_per_100k_mean_of_regions", "100 мың тұрғынға шаққандағы ҒЗТКЖ, орташа арифметикалық", "Затраты на НИОКР на 100 тыс. жителей, среднее арифметическое",
  "GERD per 100,000 inhabitants, arithmetic mean of the 20 regions", "mln KZT per 100,000 inhabitants", 0,
  "Figure 1 'Орташа арифметикалық': unweighted mean of the 20 regional values (not the national ratio).", "F1", "885")
I("gerd_per_100k_median_of_regions", "100 мың тұрғынға шаққандағы ҒЗТКЖ, медиана", "Затраты на НИОКР на 100 тыс. жителей, медиана",
  "GERD per 100,000 inhabitants, median of the 20 regions", "mln KZT per 100,000 inhabitants", 0, "Figure 1 'Медиана'.", "F1", "887")
fig1_notes = []
for r in rd("seed001_fig1_gerd_per_100k_2024"):
    if r["row_type"] == "region":
        o = O(ISO[r["region_iso_inferred"]], "gerd_per_100k", 2024, 2024, r["value_mln_kzt_per_100k"], r["value_as_printed"], "F1", r["source_line"])
        if r["inference_confidence"] != "high":
            fig1_notes.append((o["territory"], r))
    else:
        O("kz", f"gerd_per_100k_{r['row_type']}", 2024, 2024, r["value_mln_kzt_per_100k"], r["value_as_printed"].split("=")[-1].strip(), "F1", r["source_line"])
I("gerd_to_grp_pct", "ҒЗТКЖ-ға ішкі шығындардың ЖӨӨ-ге қатынасы", "Отношение внутренних затрат на НИОКР к ВРП", "GERD as a share of GRP",
  "%", 1, "Figure 2 (2024); per-region values are lost, only the minimum and maximum regions are named in the text (l.810).", "F2", "806-812")
I("gerd_to_grp_pct_mean_of_regions", "ҒЗТКЖ-ның ЖӨӨ-ге қатынасы, орташа арифметикалық", "Отношение затрат на НИОКР к ВРП, среднее арифметическое",
  "GERD as a share of GRP, arithmetic mean of regions", "%", 0, "Figure 2 'Орташа арифметикалық' (l.930).", "F2", "930")
I("gerd_to_grp_pct_median_of_regions", "ҒЗТКЖ-ның ЖӨӨ-ге қатынасы, медиана", "Отношение затрат на НИОКР к ВРП, медиана",
  "GERD as a share of GRP, median of regions", "%", 0, "Figure 2 'Медиана' (l.932); the text rounds it to 0,07 (l.812).", "F2", "932")
for r in rd("seed001_fig2_gerd_to_grp_2024_summary"):
    pr = r["value_as_printed"].split("=")[-1].strip().rstrip("%")
    if r["statistic"] in ("min", "max"):
        O(ISO[r["region_iso"]], "gerd_to_grp_pct", 2024, 2024, r["value_pct"], pr, "F2", r["source_line"])
    elif r["source_part"] == "figure":
        O("kz", f"gerd_to_grp_pct_{r['statistic']}", 2024, 2024, r["value_pct"], pr, "F2", r["source_line"])
I("enterprises_rd_share_pct", "ҒЗТКЖ орындаған кәсіпорындардың үлесі", "Доля предприятий, выполнявших НИОКР",
  "Share of enterprises that performed R&D", "%", 1, "Enterprises that performed R&D as a share of enterprises reporting on "
  "science, 2024 (text l.790-804 and Figure A1; only five regions are named).", "A1", "790-804")
I("enterprises_rd_share_pct_mean_of_regions", "ҒЗТКЖ орындаған кәсіпорындар үлесі, өңірлер бойынша орташа", "Доля предприятий с НИОКР, среднее по регионам",
  "Share of enterprises that performed R&D, mean of regions", "%", 0, "Figure A1 mean ('RK average' in the text, l.802: "
  "18,8 %); unweighted mean of regions, unlike the national ratio 21.3 %.", "A1", "2182")
I("enterprises_reporting_science", "Ғылым бойынша есеп берген кәсіпорындар", "Предприятия, отчитавшиеся по науке",
  "Enterprises reporting on science", "enterprises", 0, "Enterprises that submitted the science report, 2024 (l.790-792).", "text", "790-794")
I("enterprises_performing_rd", "ҒЗТКЖ орындаған кәсіпорындар", "Предприятия, выполнявшие НИОКР", "Enterprises that performed R&D",
  "enterprises", 1, "Enterprises that performed R&D, 2024 (l.792-794).", "text", "790-794")
for r in rd("seed001_figA1_enterprises_rd_share_2024"):
    if r["row_type"] == "region":
        O(ISO[r["region_iso"]], "enterprises_rd_share_pct", 2024, 2024, r["share_pct"], r["value_as_printed"].rstrip("%"), "A1", r["source_lines"])
    elif r["row_type"] == "mean_of_regions" and r["source_part"] == "figure":
        O("kz", "enterprises_rd_share_pct_mean_of_regions", 2024, 2024, r["share_pct"], "18,78", "A1", r["source_lines"])
    elif r["row_type"] == "country":
        O("kz", "enterprises_rd_share_pct", 2024, 2024, r["share_pct"], "21,3", "text", r["source_lines"])
        O("kz", "enterprises_reporting_science", 2024, 2024, r["n_enterprises_reporting"], "1 988", "text", "790-792")
        O("kz", "enterprises_performing_rd", 2024, 2024, r["n_enterprises_performing_rd"], "423", "text", "792-794")
I("rd_personnel_share_pct", "ҒЗТКЖ персоналының өңірлік үлесі", "Доля региона в численности персонала, занятого НИОКР",
  "Region's share of national R&D personnel", "%", 0, "Share of the country's R&D personnel working in the region, 2024 "
  "(text l.1047-1057; only nine regions are named).", "text", "1047-1057")
for r in rd("seed001_rd_personnel_share_2024"):
    pr = r["value_as_printed"].split("(")[-1].rstrip("%)")
    O(ISO[r["region_iso"]], "rd_personnel_share_pct", 2024, 2024, r["share_of_national_rd_personnel_pct"], pr, "text", r["source_lines"])
I("researchers_per_100k", "100 мың тұрғынға шаққандағы зерттеушілер саны", "Численность исследователей на 100 тыс. жителей",
  "Researchers per 100,000 inhabitants", "persons per 100,000 inhabitants", 1, "Figure 4 (2024); only the lowest bar can be "
  "assigned to a region (Ulytau); the full distribution is in reference/seed001_fig4_researchers_per_100k_2024.csv.", "F4", "1192-1295")
I("researchers_per_100k_mean_of_regions", "100 мың тұрғынға шаққандағы зерттеушілер, орташа арифметикалық", "Исследователи на 100 тыс. жителей, среднее арифметическое",
  "Researchers per 100,000 inhabitants, arithmetic mean of regions", "persons per 100,000 inhabitants", 0, "Figure 4 'Орташа арифметикалық'.", "F4", "1291")
I("researchers_per_100k_median_of_regions", "100 мың тұрғынға шаққандағы зерттеушілер, медиана", "Исследователи на 100 тыс. жителей, медиана",
  "Researchers per 100,000 inhabitants, median of regions", "persons per 100,000 inhabitants", 0, "Figure 4 'Медиана'.", "F4", "1293")
for r in rd("seed001_fig4_researchers_per_100k_2024"):
    if r["row_type"] == "region" and r["region_iso_inferred"]:
        O(ISO[r["region_iso_inferred"]], "researchers_per_100k", 2024, 2024, r["value_per_100k"], r["value_as_printed"], "F4", r["source_line"])
    elif r["row_type"] != "region":
        O("kz", f"researchers_per_100k_{r['row_type']}", 2024, 2024, r["value_per_100k"], r["value_as_printed"].split("=")[-1].strip(), "F4", r["source_line"])
I("local_budget_gerd_mln", "ҒЗТКЖ-ны жергілікті бюджеттен қаржыландыру (млн теңге)", "Финансирование НИОКР из местного бюджета (млн тенге)",
  "Local-budget funding of R&D (text, mln KZT)", "mln KZT", 1, "Cumulative local-budget funding of R&D stated in the text "
  "(§5.2, l.943-945); Table 2 gives the annual amounts in thousand KZT (indicator local_budget_gerd).", "text", "943-945")
I("local_budget_gerd_mean_annual_mln", "ҒЗТКЖ-ны жергілікті бюджеттен қаржыландыру, жылына орташа", "Финансирование НИОКР из местного бюджета, в среднем за год",
  "Local-budget funding of R&D, annual average (mln KZT)", "mln KZT", 1, "Average per year stated in the text (l.951-953); it "
  "equals the 2020-2024 Table 2 total / 5, so it is stored for 2020-2024 (seed-001 X3).", "text", "951-953")
for r in rd("seed001_fig3_local_budget_gerd_2015_2024"):
    s = r["statistic"]; pr = r["value_as_printed"].split(" млн")[0].rstrip("%").strip()
    if s == "local_budget_gerd_cumulative":
        O("kz", "local_budget_gerd_mln", 2015, 2024, r["value"], pr, "text", r["source_lines"])
    elif s == "local_budget_share_of_gerd_cumulative":
        O("kz", "local_budget_gerd_share_pct", 2015, 2024, r["value"], pr, "text", r["source_lines"])
    elif s == "local_budget_gerd_mean_annual":
        O("kz", "local_budget_gerd_mean_annual_mln", 2020, 2024, r["value"], pr, "text", r["source_lines"])
    elif s == "local_budget_share_of_gerd" and r["year_from"] != "2024":
        O("kz", "local_budget_gerd_share_pct", r["year_from"], r["year_to"], r["value"], pr, "text", r["source_lines"])
TYPES = {"applied research": ("applied", "қолданбалы ғылыми зерттеулер", "прикладные научные исследования"),
         "fundamental (basic) research": ("basic", "іргелі ғылыми зерттеулер", "фундаментальные научные исследования"),
         "experimental development": ("experimental", "тәжірибелік-конструкторлық әзірлемелер", "опытно-конструкторские разработки")}
for r in rd("seed001_local_budget_gerd_by_type_2024"):
    key, kk, ru = TYPES[r["type_of_work_en"]]
    I(f"local_budget_gerd_{key}_mln", f"Жергілікті бюджеттен қаржыландыру: {kk}", f"Финансирование из местного бюджета: {ru}",
      f"Local-budget funding of R&D: {r['type_of_work_en']} (mln KZT)", "mln KZT", 1, "2024 split of local-budget R&D funding by type of work (l.1008-1014).", "text", r["source_lines"])
    I(f"local_budget_gerd_{key}_share_pct", f"Жергілікті бюджеттен қаржыландыру үлесі: {kk}", f"Доля финансирования из местного бюджета: {ru}",
      f"Share of local-budget R&D funding: {r['type_of_work_en']}", "%", 0, "2024 split of local-budget R&D funding by type of work (l.1008-1014).", "text", r["source_lines"])
    amount, share = [x.strip() for x in r["value_as_printed"].split(",", 1)[0:1] + [r["value_as_printed"].rsplit(",", 2)[-2] + "," + r["value_as_printed"].rsplit(",", 1)[-1]]]
    amount = r["value_as_printed"].split(" млн")[0].strip()
    share = r["value_as_printed"].rsplit(" ", 1)[-1].rstrip("%").strip()
    O("kz", f"local_budget_gerd_{key}_mln", 2024, 2024, r["amount_mln_kzt"], amount, "text", r["source_lines"])
    O("kz", f"local_budget_gerd_{key}_share_pct", 2024, 2024, r["share_pct"], share, "text", r["source_lines"])

# notes: seed-001.md section 8
def note1(nid, kind, en, ru, **kw):
    note(nid, kind, en, ru, seed=S, **kw)
note1("s001-X1", "unit_ambiguity", "The Table 2 header says «млн. тенге», but the amounts are thousand tenge: the shares (539,041.3 "
      "-> 0.25 % of 219,669.8 mln), the text (57 mln, 542.6 mln) and the 2024 split by type (539.1 mln) all prove it. Stored as thousand KZT.",
      "В заголовке таблицы 2 «млн. тенге», но суммы в тысячах тенге: это доказывают доли (539 041,3 -> 0,25 % от 219 669,8 млн), "
      "текст (57 млн, 542,6 млн) и разбивка 2024 г. по видам (539,1 млн). Хранится в тыс. тенге.", indicator="local_budget_gerd", table="T2", lines="1071-1075")
for y in ("2020", "2021"):
    note1(f"s001-X2-{y}", "border_basis", "East Kazakhstan's share is computed on pre-2022 borders (East Kazakhstan + Abai): "
          "Table 1 post-2022 values would give " + {"2020": "1.91 %", "2021": "1.37 %"}[y] + ". Stored on the 1997-2022 territory.",
          "Доля ВКО рассчитана в границах до 2022 г. (ВКО + Абай): по значениям таблицы 1 в новых границах было бы "
          + {"2020": "1,91 %", "2021": "1,37 %"}[y] + ". Отнесено к территории 1997-2022 гг.",
          territory="east_kazakhstan_1997", indicator="local_budget_gerd_share_pct", period_=y, table="T2", lines="1097-1103")
note1("s001-X2-span", "border_basis", "The 2020-2024 share 0.65 % mixes pre-2022 denominators (East Kazakhstan + Abai) with later "
      "years; on post-2022 borders it would be 0.76 %.", "Доля 0,65 % за 2020-2024 гг. смешивает знаменатели в границах до 2022 г. "
      "(ВКО + Абай) с последующими годами; в новых границах было бы 0,76 %.", territory="east_kazakhstan",
      indicator="local_budget_gerd_share_pct", period_="2020-2024", table="T2", lines="1097-1103")
note1("s001-X3", "contradiction", "'Average annual 542.6 mln' is printed next to 2015-2024 (5,163.6 / 10 = 516.4) but equals the "
      "2020-2024 Table 2 total / 5 (542.61); stored as the 2020-2024 average.", "«В среднем 542,6 млн в год» напечатано рядом "
      "с периодом 2015-2024 (5 163,6 / 10 = 516,4), но равно итогу таблицы 2 за 2020-2024 / 5 (542,61); записано как среднее за 2020-2024.",
      territory="kz", indicator="local_budget_gerd_mean_annual_mln", period_="2020-2024", table="text", lines="943-953")
for c in ("enterprises_rd_share_pct_mean_of_regions", "gerd_per_100k_mean_of_regions", "researchers_per_100k_mean_of_regions", "gerd_to_grp_pct_mean_of_regions"):
    note1(f"s001-X4-{c[:12]}", "definition", "The seed's 'national average' is the unweighted mean of the 20 regional values, not "
          "the national ratio (e.g. enterprises doing R&D: mean 18.8 % vs national 423 / 1,988 = 21.3 %). Show both.",
          "«Среднее по республике» в семени - невзвешенное среднее 20 региональных значений, а не общенациональное отношение "
          "(например, предприятия с НИОКР: 18,8 % против 423 / 1 988 = 21,3 %). Показывать оба.", territory="kz", indicator=c, table="text", lines="704-706,792,802")
note1("s001-X4-text", "rounding", "The text prints the mean as 18,8 % and calls it the 'RK average' (l.802); Figure A1 prints 18,78.",
      "В тексте среднее напечатано как 18,8 % и названо «средним по РК» (стр. 802); на рисунке A1 - 18,78.",
      territory="kz", indicator="enterprises_rd_share_pct_mean_of_regions", table="A1", lines="800-802,2182")
note1("s001-X11", "contradiction", "The text says 10-12 regions a year fund R&D from local budgets (l.953-955); Table 2 shows 8-11 "
      "regions with published values in 2020-2024 (partly explained by suppressed values).", "В тексте 10-12 регионов ежегодно "
      "финансируют НИОКР из местного бюджета (стр. 953-955); в таблице 2 опубликованы значения 8-11 регионов в 2020-2024 гг. "
      "(отчасти из-за скрытых значений).", indicator="local_budget_gerd", table="T2", lines="953-955")
for t, y, v in (("atyrau", "2020", "6.52"), ("atyrau", "2021", "5.86"), ("north_kazakhstan", "2022", "7.27"), ("akmola", "2024", "2.03")):
    note1(f"s001-X12-{t}-{y}", "claim_scope", f"'Each of the other 13 regions had at most 2 % of GERD' (l.700-702) holds only for the "
          f"2020-2024 sum; in {y} this region had {v} % of the national GERD.", f"«Каждый из остальных 13 регионов - не более 2 % "
          f"затрат» (стр. 700-702) верно только для суммы 2020-2024 гг.; в {y} г. у региона {v.replace('.', ',')} % национальных затрат.",
          territory=t, indicator="gerd_internal", period_=y, table="T1", lines="700-702")
note1("s001-X13", "rounding", "Printed growth 896.3 %; the printed values give 896.8 % (rounding of the inputs, tolerance 0.6).",
      "Напечатан рост 896,3 %; по напечатанным значениям 896,8 % (округление исходных данных, допуск 0,6).",
      territory="zhetysu", indicator="gerd_growth_2020_2024_pct", period_="2020-2024", table="T1", lines="772")
for t in ("east_kazakhstan", "abai", "almaty_region", "zhetysu", "karaganda", "ulytau"):
    for y in ("2020", "2021"):
        note1(f"s001-X14-{t}-{y}", "border_basis", "Table 1 gives 2020-2021 values for the regions on their post-2022 borders "
              "(recomputed by the Bureau), unlike Table B1 and the Table 2 shares, which use the borders of the time.",
              "Таблица 1 приводит значения 2020-2021 гг. в границах регионов после 2022 г. (пересчёт Бюро), в отличие от "
              "таблицы B1 и долей таблицы 2, где использованы границы того времени.", territory=t, indicator="gerd_internal",
              period_=y, table="T1", lines="714-780")
for t in ("east_kazakhstan", "abai", "almaty_region", "zhetysu", "karaganda", "ulytau"):
    note1(f"s001-X14-growth-{t}", "border_basis", "Growth 2024 over 2020 compares two Table 1 values that are both on the post-2022 "
          "borders (2020 recomputed by the Bureau).", "Рост 2024 к 2020 сравнивает два значения таблицы 1, оба в границах после "
          "2022 г. (2020 г. пересчитан Бюро).", territory=t, indicator="gerd_growth_2020_2024_pct", period_="2020-2024", table="T1", lines="714-780")
    for c in ("local_budget_gerd", "local_budget_gerd_share_pct"):
        note1(f"s001-T2-span-{t}-{c[-5:]}", "border_basis", "The 2020-2024 figure spans the 2022 split: 2020-2021 are on the borders of "
              "the time (before the split), 2022-2024 on the new borders.", "Показатель за 2020-2024 гг. охватывает раздел 2022 г.: "
              "2020-2021 гг. в границах того времени (до раздела), 2022-2024 гг. в новых границах.", territory=t, indicator=c,
              period_="2020-2024", table="T2", lines="1065-1187")
note1("s001-X20", "definition_change", "The doctoral contingent doubles from 3,712 (2023) to 7,633 (2024) without comment; "
      "possibly a change of definition.", "Контингент докторантов удваивается с 3 712 (2023) до 7 633 (2024) без пояснений; "
      "возможно, изменилось определение.", territory="kz", indicator="doctoral_students", period_="2024", table="B1", lines="2198")
for t, y in (("north_kazakhstan", "2022"), ("zhambyl", "2021"), ("atyrau", "2022")):
    note1(f"s001-X21-{t}", "outlier", "Outlier in Table 1, printed consistently with Table 2 (North Kazakhstan 2022 8,839.7; Zhambyl "
          "2021 5,881.5; Atyrau falls from 6,412.1 to 467.8); kept as printed.", "Выброс в таблице 1, согласованный с таблицей 2 "
          "(СКО 2022 - 8 839,7; Жамбыл 2021 - 5 881,5; Атырау падает с 6 412,1 до 467,8); сохранено как напечатано.",
          territory=t, indicator="gerd_internal", period_=y, table="T1", lines="744,757,774")
for t in ("almaty_city", "astana", "shymkent", "karaganda", "east_kazakhstan", "abai"):
    note1(f"s001-X23-{t}", "rounding", "The six largest shares sum to 78.4 %; the text says 'about 80 %'.",
          "Шесть крупнейших долей в сумме 78,4 %; в тексте «около 80 %».", territory=t, indicator="rd_personnel_share_pct", period_="2024", table="text", lines="1047-1053")
for t in ("karaganda", "east_kazakhstan", "abai"):
    note1(f"s001-X19-{t}", "wording", "The text calls Karaganda, East Kazakhstan and Abai 'cities' (l.1051); they are regions.",
          "В тексте Карагандинская, Восточно-Казахстанская области и Абай названы «городами» (стр. 1051); это области.",
          territory=t, indicator="rd_personnel_share_pct", period_="2024", table="text", lines="1047-1051")
for t, r in fig1_notes:
    conf = r["inference_confidence"]
    note1(f"s001-F1-{t}", "attribution_inferred", f"Figure 1 bars have no region labels in the extraction; this bar (rank {r['rank_desc']}) "
          f"is assigned to the region by {r['inference_basis'].replace('+', ', ').replace('_', ' ')} (confidence {conf})."
          + (" Ranks 14 and 15 (235.15 and 235.00) may be Pavlodar and Almaty Region in either order." if conf == "ambiguous" else ""),
          f"У столбцов рисунка 1 нет подписей регионов; этот столбец (ранг {r['rank_desc']}) отнесён к региону по косвенным "
          f"признакам (порядок подписей, текст, расчётная численность населения; уверенность: {conf})."
          + (" Ранги 14 и 15 (235,15 и 235,00) могут относиться к Павлодарской и Алматинской областям в любом порядке." if conf == "ambiguous" else ""),
          territory=t, indicator="gerd_per_100k", period_="2024", table="F1", lines=r["source_line"])
note1("s001-F4-ulytau", "attribution_inferred", "Only the lowest bar of Figure 4 can be assigned: to Ulytau, the last extracted label "
      "(l.1282) and the region with the smallest R&D-personnel share (l.1055).", "Можно отнести только самый низкий столбец "
      "рисунка 4: к Улытау - последней извлечённой подписи (стр. 1282) и региону с наименьшей долей персонала НИОКР (стр. 1055).",
      territory="ulytau", indicator="researchers_per_100k", period_="2024", table="F4", lines="1270,1282")
note1("s001-F2-median", "rounding", "The text rounds the median to 0,07 % (l.812); Figure 2 prints 0,073.",
      "В тексте медиана округлена до 0,07 % (стр. 812); на рисунке 2 - 0,073.", territory="kz", indicator="gerd_to_grp_pct_median_of_regions",
      period_="2024", table="F2", lines="812,932")
note1("s001-T2-withheld", "confidentiality", "For some positions the Kazakhstan total is not the sum of the regions because items were "
      "withheld for confidentiality (l.1185-1187); '-' cells may be zero or suppressed.", "По некоторым позициям итог по Казахстану "
      "не равен сумме регионов из-за конфиденциальности (стр. 1185-1187); ячейки «-» могут быть нулём или скрытыми значениями.",
      territory="kz", indicator="local_budget_gerd", table="T2", lines="1185-1187")
note1("s001-T2-linebreak", "extraction_defect", "Shares printed across a line break (e.g. «0.» / «17»); re-joined.",
      "Доли, разорванные переносом строки (например, «0.» / «17»), соединены.", indicator="local_budget_gerd_share_pct", period_="2022", table="T2", lines="1079-1163")
wr(f"indicators/{S}.csv", IND_COLS, ind)
for t in sorted({o["table"] for o in obs}):
    wr(f"observations/{S}_{t}.csv", OBS_COLS, [o for o in obs if o["table"] == t])
wr(f"notes/{S}.csv", NOTE_COLS, [n for n in N if n["seed"] == S])
print("seed001", len(ind), len(obs), len([n for n in N if n["seed"] == S]))

# ============================================================== seed 002
S = "seed002"
ind, obs = [], []
I("mineral_export_share_pct", "Экспорт құрылымындағы минералдық шикізат пен өнімдердің үлесі", "Доля минерального сырья и продуктов в структуре экспорта",
  "Share of mineral raw materials and products in total exports", "%", -1, "National share of mineral raw materials and products "
  "in the value of exports (BNS ASPR data quoted in l.5-12); product scope not defined (probably HS Section V).", "text", "5-12")
for x in ind:
    x["seed"] = S
for r in rd("seed002_tableT1_mineral_export_share"):
    obs.append(dict(territory="kz", indicator="mineral_export_share_pct", period=r["year"], value=num(r["value"]), status="published",
        seed=S, table="text", lines=r["source_lines"], value_printed=r["value_as_printed"].rstrip("%").strip()))
for r in rd("seed002_tableT2_raw_material_regions"):
    obs.append(dict(territory=ISO[r["region_iso"]], indicator="raw_material_region", period="2009-2019", value_text="yes",
        status="published", seed=S, table="text", lines="61-64", value_printed=r["region_ru"].split()[0]))
def note2(nid, kind, en, ru, **kw):
    note(nid, kind, en, ru, seed=S, **kw)
note2("s002-C1", "method_ambiguity", "'In 2009-2019 more than 30 %' does not say whether every year or the period mean must exceed "
      "30 %, nor whether the denominator is GRP or GVA; no regional data are printed, so the result is published but not verifiable from the seed.",
      "«В период 2009-2019 гг. более 30 %» не уточняет, каждый ли год или среднее за период, и что в знаменателе (ВРП или ВДС); "
      "региональных данных нет, результат опубликован, но по семени не проверяем.", indicator="raw_material_region", period_="2009-2019", table="text", lines="57-68")
note2("s002-C10", "period_ambiguity", "Seed 000 applies the same test over 2008-2021 with the same four regions; seed 002 uses 2009-2019.",
      "Семя 000 применяет тот же тест за 2008-2021 гг. с теми же четырьмя регионами; семя 002 - за 2009-2019 гг.",
      indicator="raw_material_region", table="text", lines="60-61")
note2("s002-C14", "wording", "2018 data are attributed to the 'Bureau of National Statistics of the ASPR', a body created in 2020; "
      "naming anachronism only.", "Данные 2018 г. приписаны «Бюро национальной статистики АСПиР», созданному в 2020 г.; только анахронизм названия.",
      territory="kz", indicator="mineral_export_share_pct", period_="2018", table="text", lines="6-8")
note2("s002-C16", "unit_ambiguity", "'Mineral raw materials and products' is undefined (HS Section V, or chapter 27 only?); value basis not stated.",
      "«Минеральное сырьё и продукты» не определены (раздел V ТН ВЭД или только группа 27?); стоимостная база не указана.",
      indicator="mineral_export_share_pct", table="text", lines="9-10")
wr(f"indicators/{S}.csv", IND_COLS, ind)
wr(f"observations/{S}_text.csv", OBS_COLS, obs)
wr(f"notes/{S}.csv", NOTE_COLS, [n for n in N if n["seed"] == S])
print("seed002", len(ind), len(obs), len([n for n in N if n["seed"] == S]))
