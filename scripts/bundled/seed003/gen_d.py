"""Part D: Table 27, figures 18-20, Tables 36-38 and the coefficient 0.5078."""
# ---------------------------------------------------------------- Table 27
I("investment_inflow_h1", "Инвестициялардың жалпы ағыны, қаңтар-маусым, млн АҚШ долл.",
  "Валовой приток инвестиций, январь-июнь, млн долл. США", "Gross investment inflow, January-June", "mln USD", 1,
  "Gross inflow of investment in the first half (January-June) of the year (Table 27). The half-year is part of the code.",
  "T27", "2889-2901")
I("investment_inflow_h1_index", "Инвестициялардың жалпы ағыны, қаңтар-маусым: қорытынды өсу, %",
  "Валовой приток инвестиций, январь-июнь: рост к соответствующему периоду прошлого года, %",
  "Gross investment inflow, January-June: index on the same half of the previous year", "% of previous year", 1,
  "inflow H1 of the year / inflow H1 of the previous year x 100 (column meaning reconstructed from arithmetic; the "
  "printed sub-header has 5 labels for 6 columns).", "T27", "2889-2901")
I("investment_inflow_h1_change", "Инвестициялардың жалпы ағыны, қаңтар-маусым: өзгерісі, млн АҚШ долл.",
  "Валовой приток инвестиций, январь-июнь: изменение, млн долл. США",
  "Gross investment inflow, January-June: change on the same half of the previous year", "mln USD", 1,
  "inflow H1 of the year - inflow H1 of the previous year.", "T27", "2889-2901")
I("investment_inflow_h1_share_kz", "Инвестициялардың жалпы ағыны, қаңтар-маусым: ҚР үлесі, %",
  "Валовой приток инвестиций, январь-июнь: доля в РК, %",
  "Gross investment inflow, January-June: share of Kazakhstan", "%", 1,
  "inflow H1 of the territory / inflow H1 of Kazakhstan x 100.", "T27", "2889-2901")
for r in rd("seed003_table27_investment_gross_inflow_h1.csv"):
    cells = [("investment_inflow_h1", "2019", num(r["gross_inflow_2019h1_mln_usd"])),
             ("investment_inflow_h1", "2018", num(r["gross_inflow_2018h1_mln_usd"])),
             ("investment_inflow_h1_index", "2019", num(r["growth_index_2019h1_vs_2018h1_pct"])),
             ("investment_inflow_h1_change", "2019", num(r["change_2019h1_vs_2018h1_mln_usd"])),
             ("investment_inflow_h1_share_kz", "2019", num(r["share_of_kz_2019h1_pct"])),
             ("investment_inflow_h1_share_kz", "2018", num(r["share_of_kz_2018h1_pct"]))]
    lines = locate(int(r["source_line_first"]) + 1, [c[2] for c in cells], 8)
    for (code, y, v), ln in zip(cells, lines):
        O("table27", r["territory_id"], code, y, v, None, "published", "T27", ln)
N("", "investment_inflow_h1_index", "2019", "header_defect", "T27", "2891-2901",
  "The printed sub-header has five labels (2019/06, 2018/06, 2018/06, 2019/06, 2018/06) for six value columns; "
  "the meaning of each column was reconstructed from arithmetic, and all derived cells reproduce.",
  "Напечатанный подзаголовок содержит пять подписей (2019/06, 2018/06, 2018/06, 2019/06, 2018/06) на шесть "
  "столбцов; смысл столбцов восстановлен по арифметике, все производные ячейки воспроизводятся.")

# ---------------------------------------------------------------- Figure 18
I("innov_activity_level_manuf_prodtech",
  "Өңдеу өнеркәсібі кәсіпорындарының өнімдік және технологиялық инновациялар бойынша белсенділік деңгейі, %",
  "Уровень активности предприятий обрабатывающей промышленности в продуктовых и технологических инновациях, %",
  "Innovation activity level of manufacturing enterprises, product and technological innovation", "%", 1,
  "innov_activity_level restricted to manufacturing enterprises and to product and technological innovation "
  "(Fig. 18; sector and innovation type are part of the code).", "F18", "1813;4624")
fig18 = [r for r in rd("seed003_fig18_manufacturing_product_tech_innovation_activity_by_district_2020.csv")
         if r["innovation_activity_level_pct"]]
for r in fig18:
    v = num(r["innovation_activity_level_pct"])
    assert on_line(v, 4624)
    O("fig18", r["territory_id"], "innov_activity_level_manuf_prodtech", "2020", v, None, "published", "F18", 4624,
      f"chart category '{r['category_label_source_ru']}' (mapping inferred)")
N("", "innov_activity_level_manuf_prodtech", "2020", "inferred_mapping", "F18", "1815;4624",
  "The chart data hold 19 category labels but only 7 numbers; they were assigned to the 7 units that l.1815 names "
  "(Oskemen, Semey, Ayagoz, Zharma, Altai, Ulan, Shemonaikha) in category order. The minimum 5.4 and maximum 33.3 "
  "agree with the text; the assignment is probable, not certain.",
  "В данных диаграммы 19 подписей категорий, но только 7 чисел; они отнесены к 7 единицам, названным в стр. 1815 "
  "(Усть-Каменогорск, Семей, Аягоз, Жарма, Алтай, Улан, Шемонаиха), в порядке категорий. Минимум 5,4 и максимум "
  "33,3 согласуются с текстом; соответствие вероятное, но не доказанное.")

# ---------------------------------------------------------------- Figure 19
for r in rd("seed003_fig19_innovation_cost_shares_by_activity_2020.csv"):
    aid = r["activity_id"]
    akk, aru, aen = ACT[aid]
    code = f"innov_cost_share_{ACT_SHORT[aid]}"
    I(code, f"Инновацияларға жұмсалған шығындардағы үлесі: {akk}, %", f"Доля в затратах на инновации: {aru}, %",
      f"Share of innovation costs: {aen}", "%", 0,
      f"Innovation costs of the activity '{aen}' / all innovation costs x 100 (Fig. 19 chart data; the activity "
      "is part of the code).", "F19", "2043;4628")
    v = num(r["share_of_total_innovation_costs_pct_published"])
    assert on_line(v, 4628), v
    O("fig19", "vko", code, "2020", v, None, "published", "F19", 4628)
N("vko", "innov_cost_share_architecture", "2020", "label_defect", "F19", "4628;1996;2028",
  "The chart labels 3 % as architecture and engineering, whose Table 18 costs are 172.2 of 112557.1 mln KZT "
  "(0.15 %); 3 % is the health-care share (3359.3 / 112557.1 = 2.98 %). Probably a label error.",
  "На диаграмме 3 % подписаны как архитектура и инженерные изыскания, чьи затраты по таблице 18 — 172,2 из 112557,1 "
  "млн тенге (0,15 %); 3 % — доля здравоохранения (3359,3 / 112557,1 = 2,98 %). Вероятно, ошибка подписи.", alt="0.15")

# ---------------------------------------------------------------- Figure 20
FUND = {"own_funds": ("own", "Меншік қаражаттар", "Собственные средства", "own funds of enterprises"),
        "republican_budget": ("republican_budget", "Республикалық бюджет", "Республиканский бюджет", "republican budget"),
        "local_budget": ("local_budget", "Жергілікті бюджет", "Местный бюджет", "local budget"),
        "other": ("other", "Басқалары", "Прочие", "other sources")}
for r in rd("seed003_fig20_innovation_costs_by_funding_source_2020.csv"):
    short, kk, ru, en = FUND[r["source_id"]]
    code = f"innov_costs_funding_{short}"
    I(code, f"Инновацияларға жұмсалған шығындар, қаржыландыру көзі: {kk}, млн теңге",
      f"Затраты на инновации по источнику финансирования: {ru}, млн тенге", f"Innovation costs financed from {en}",
      "mln KZT", 0, f"Innovation costs of the region financed from {en} (Fig. 20 chart data; the source is part of the code).",
      "F20", "2049;4632")
    v = num(r["costs_mln_kzt"])
    assert on_line(v, 4632)
    O("fig20", "vko", code, "2020", v, None, "published", "F20", 4632,
      "also text l.1419" if short == "own" else "")
for code in ("innov_costs_funding_own", "innov_costs_funding_republican_budget", "innov_costs_funding_local_budget"):
    N("vko", code, "2020", "contradiction", "F20", "2183-2187;4632",
      "The text (l.2183-2187) says innovation was financed 82 % from own funds (440 bn KZT), 7.8 % from budgets (42 bn) "
      "and 12 % from loans (64 bn): the amounts exceed the region's total innovation costs (112.6 bn) and the shares "
      "sum to 101.8 %, so they are probably national figures. Fig. 20 gives own funds 61.8 % and budgets 36.2 % for "
      "the region.",
      "Текст (стр. 2183-2187) говорит, что инновации финансировались на 82 % из собственных средств (440 млрд тенге), "
      "на 7,8 % из бюджетов (42 млрд) и на 12 % из кредитов (64 млрд): суммы превышают все затраты региона на "
      "инновации (112,6 млрд), а доли дают 101,8 %, так что это, вероятно, данные по стране. Рис. 20 даёт для "
      "региона собственные средства 61,8 % и бюджеты 36,2 %.")

# ---------------------------------------------------------------- Tables 34-36 (Kazakhstan, 2013-2018)
KIA = [  # code, T36 column, kk (T34), ru, en, unit
    ("x1", "kia_x1_innov_output", "x1_innovative_output_mln_kzt", "Х1 - Инновациялық өнім көлемі, млн теңге",
     "Х1 - Объём инновационной продукции, млн тенге", "X1 Volume of innovative products", "mln KZT"),
    ("x2", "kia_x2_tech_innov_costs", "x2_tech_innovation_costs_mln_kzt",
     "Х2 - Технологиялық инновацияларға кеткен шығын, млн теңге", "Х2 - Затраты на технологические инновации, млн тенге",
     "X2 Expenditure on technological innovation", "mln KZT"),
    ("x3", "kia_x3_rnd_costs", "x3_rnd_costs_mln_kzt", "Х3 - ҒЗТКЖ арналған шығындар, млн теңге",
     "Х3 - Затраты на НИОКР, млн тенге", "X3 Expenditure on R&D", "mln KZT"),
    ("x4", "kia_x4_patent_applications", "x4_patent_applications_count", "Х4 - Берілген патенттік өтінімдер саны",
     "Х4 - Число поданных патентных заявок", "X4 Patent applications filed", "count"),
    ("x5", "kia_x5_advanced_tech_used", "x5_advanced_technologies_used_count", "Х5 - Пайдаланылған озық технологиялар саны",
     "Х5 - Число используемых передовых технологий", "X5 Advanced technologies used", "count"),
    ("r1", "kia_r1_output_per_tech_cost", "e1_innovative_output_per_tech_innovation_cost",
     "R1 (Э1) - Инновациялық өнімнің технологиялық инновацияларға жұмсалатын шығындар көлеміне қатынасы",
     "R1 (Э1) - Отношение инновационной продукции к затратам на технологические инновации",
     "R1 Innovative output / expenditure on technological innovation", "ratio"),
    ("r2", "kia_r2_output_per_rnd_cost", "e2_innovative_output_per_rnd_cost",
     "R2 (Э2) - Инновациялық өнімнің ҒЗТКЖ-ға қатынасы", "R2 (Э2) - Отношение инновационной продукции к затратам на НИОКР",
     "R2 Innovative output / R&D expenditure", "ratio"),
    ("r3", "kia_r3_output_per_researcher", "e3_innovative_output_per_researcher",
     "R3 (Э3) - Инновациялық өнімнің ғылыми қызметкерлер санына қатынасы",
     "R3 (Э3) - Отношение инновационной продукции к численности научных работников",
     "R3 Innovative output / number of researchers", "mln KZT per person"),
    ("r4", "kia_r4_patents_per_rnd", "e4_patents_per_researcher",
     "R4 (Э4) - Берілген патенттік өтінімдер мен қорғау құжаттары санының ҒЗТКЖ санына қатынасы",
     "R4 (Э4) - Отношение числа патентных заявок и охранных документов к числу НИОКР",
     "R4 Patent applications and protection documents / R&D (denominator ambiguous)", "ratio"),
    ("r5", "kia_r5_output_per_fixed_assets", "e5_innovative_output_per_fixed_assets",
     "R5 (Э5) - Инновациялық өнім көлемінің негізгі өндірістік қорлар мөлшеріне қатынасы",
     "R5 (Э5) - Отношение объёма инновационной продукции к основным производственным фондам",
     "R5 Innovative output / fixed production assets", "ratio"),
]
kia_lines = {"x1": 3584, "x2": 3586, "x3": 3588, "x4": 3590, "x5": 3592, "r1": 3596, "r2": 3598, "r3": 3600,
             "r4": 3602, "r5": 3604}
for key, code, col, kk, ru, en, unit in KIA:
    grp = "intensity" if key[0] == "x" else "efficiency"
    I(code, kk, ru, en + " (Kazakhstan)", unit, 1,
      f"{en}: {grp} indicator {key.upper()} of the complex innovation-activity coefficient (Tables 34-36; "
      "national totals of Kazakhstan although the tables speak of 'regions'). A stimulant (formulas 7-8).",
      "T34", kia_lines[key])
for r in rd("seed003_table36_kz_innovation_intensity_efficiency_base.csv"):
    vals = [num(r[col]) for _, _, col, *_ in KIA]
    lines = locate(int(r["source_line_first"]) + 1, vals, 12)
    for (key, code, *_), v, ln in zip(KIA, vals, lines):
        O("table36", "kz", code, r["year"], v, None, "published", "T36", ln)
for key, code, *_ in KIA:
    N("kz", code, "", "scope_mismatch", "T36", "3674;3764",
      "Tables 36-38 are titled 'regions of Kazakhstan' but hold national totals; the coefficient is computed for "
      "the country, not per region.",
      "Таблицы 36-38 озаглавлены «регионы Казахстана», но содержат итоги по стране; коэффициент рассчитан для "
      "страны, а не по регионам.")
N("kz", "kia_x4_patent_applications", "", "definition_conflict", "T34", "3590;3623",
  "Table 34 defines X4 as patent applications filed; Table 35 as protection documents issued.",
  "Таблица 34 определяет X4 как поданные патентные заявки, таблица 35 — как выданные охранные документы.")
N("kz", "kia_r4_patents_per_rnd", "", "definition_conflict", "T34", "3602;3628",
  "Table 34's R4 divides patents by 'the number of R&D' (units), Table 35's by the number of researchers; Table 35 "
  "prints the symbol И19э for И9э. The printed values match patents / researchers only for 2017-2018.",
  "R4 в таблице 34 делит патенты на «число НИОКР» (единиц), в таблице 35 — на численность исследователей; в "
  "таблице 35 символ напечатан как И19э вместо И9э. Значения совпадают с патентами на исследователя только в 2017-2018 гг.")

# ---------------------------------------------------------------- Table 37
for key, code, col, kk, ru, en, unit in KIA:
    I(f"kia_{key}_chain_growth", f"{kk.split(' - ')[0]}: өсу қарқыны, %", f"{ru.split(' - ')[0]}: цепной темп роста, %",
      f"{en.split(' ', 1)[0]} chain growth rate ({en.split(' ', 1)[1]})", "% of previous year", 1,
      f"x_t / x_(t-1) x 100 for {key.upper()} of Table 36 (Table 37); period 'a-b' is the chain step from year a "
      "to year b.", "T37", "3770-3787")
for r in rd("seed003_table37_kz_innovation_growth_rates.csv"):
    key = r["indicator_code"].lower().replace("e", "r")
    v = num(r["value_printed"])
    ln = int(r["source_line"])
    assert on_line(v, ln), r
    O("table37", "kz", f"kia_{key}_chain_growth", r["period"], v, None, "published", "T37", ln)
for period, ln, alt, pr in (("2016-2017", 3829, "122.5", "1,225"), ("2017-2018", 3841, "61.5", "0,615")):
    N("kz", "kia_x5_chain_growth", period, "unit_ambiguity", "T37", ln,
      f"Printed as a ratio ({pr}) rather than a percentage like every other cell; as % of "
      f"the previous year it is {alt}.",
      f"Напечатано как отношение ({pr}), а не в процентах, как остальные ячейки; в % к предыдущему году это {alt.replace('.', ',')}.",
      alt=alt)
N("kz", "kia_r4_chain_growth", "2015-2016", "contradiction", "T37", 3821,
  "Printed 79.7; Table 36 gives 0.041 / 0.058 x 100 = 70.7 (probable digit error).",
  "Напечатано 79,7; по таблице 36 0,041 / 0,058 x 100 = 70,7 (вероятно, ошибка в цифре).", alt="70.7")
N("kz", "kia_r5_chain_growth", "", "contradiction", "T37", "3798-3846",
  "None of the five R5 (Э5) cells reproduces from Table 36 (computed 87.8, 60.6, 103.0, 171.8, 101.7 vs printed "
  "114.3, 110.1, 111.8, 110.4, 137.6; the last equals R3's last cell). The column is unreliable.",
  "Ни одна из пяти ячеек R5 (Э5) не воспроизводится по таблице 36 (расчёт 87,8; 60,6; 103,0; 171,8; 101,7 против "
  "напечатанных 114,3; 110,1; 111,8; 110,4; 137,6; последнее совпадает с последней ячейкой R3). Столбец ненадёжен.")
N("kz", "kia_r1_chain_growth", "", "rounding", "T37", "3794-3842",
  "Three R1 (Э1) cells differ from Table 36 by 0.6-1.8 pp (2013-14 99.3 vs 100, 2014-15 43.6 vs 43, 2017-18 146.8 vs "
  "145): the author evidently used the rounded ratios.",
  "Три ячейки R1 (Э1) отличаются от таблицы 36 на 0,6-1,8 п.п. (2013-14: 99,3 против 100; 2014-15: 43,6 против 43; "
  "2017-18: 146,8 против 145): автор, очевидно, использовал округлённые отношения.")

# ---------------------------------------------------------------- Table 38 and the coefficient (9)
PARTS = [("t", "growth_avg", "t_avg_growth_rate", "Т", "орташа өсу қарқыны", "средний темп роста",
          "average growth rate T", "ratio", 3870),
         ("o", "level_avg", "o_avg_level_printed", "О", "орташа деңгейі", "средний уровень",
          "average level O", "units of Table 36", 3882),
         ("it", "growth_index", "i_t_growth_index", "Ит", "өсу қарқынының индексі (Ит)", "индекс темпа роста (Ит)",
          "growth-rate index It (formula 8)", "index 0-1", 3894),
         ("io", "level_index", "i_o_level_index", "Ио", "деңгей индексі (Ио)", "индекс уровня (Ио)",
          "level index Io (formula 7)", "index 0-1", 3906),
         ("i", "partial_index", "i_partial_index", "И", "жеке индексі (И)", "частный индекс (И)",
          "partial index I = 0.5 It + 0.5 Io (formula 6)", "index 0-1", 3918)]
DEF38 = {"t": "T_j: average growth rate of the indicator over the reporting period (l.3669-3670); the period and the "
              "averaging rule are not stated and no single rule reproduces the printed values.",
         "o": "O_j: average level of the indicator over the reporting period (l.3669); reproduces as the mean of "
              "2016-2018 in Table 36.",
         "it": "It_j = (T_j - Tmin) / (Tmax - Tmin), formula (8) l.3657; Tmin/Tmax are not defined in the seed.",
         "io": "Io_j = (Omax - O_j) / (Omax - Omin) as printed in formula (7) l.3648; the printed values follow the "
               "reversed numerator (O_j - Omin) with min/max over 2016-2018.",
         "i": "I_j = 0.5 It_j + 0.5 Io_j, formula (6) l.3639-3640."}
for p, suffix, col, sym, pkk, pru, pen, unit, first in PARTS:
    for key, code, _, kk, ru, en, _u in KIA:
        I(f"kia_{key}_{suffix}", f"{kk.split(' - ')[0]}: {pkk}", f"{ru.split(' - ')[0]}: {pru}",
          f"{en.split(' ', 1)[0]} {pen}", unit if p != "o" else _u, 1,
          DEF38[p] + f" Table 38, row {sym}, column {key.upper()}. Period: the 2013-2018 data of Table 36.",
          "T38", first)
kia_order = [k for k, *_ in KIA]
for r in rd("seed003_table38_kz_innovation_partial_indices.csv"):
    key = r["indicator_code"].lower()
    for (p, suffix, col, *_rest), ln in zip(PARTS, r["source_lines_T_O_It_Io_I"].split(";")):
        v = num(r[col])
        ln = int(ln)
        assert on_line(v, ln), (r, p)
        O("table38", "kz", f"kia_{key}_{suffix}", "2013-2018", v, None, "published", "T38", ln)
I("kia_complex_coefficient", "Инновациялық белсенділіктің кешенді коэффициенті (Ки.а)",
  "Комплексный коэффициент инновационной активности (Ки.а)", "Complex innovation-activity coefficient (Ki.a)",
  "index 0-1", 1,
  "Ki.a, formula (5)/(9) l.3613, l.3935: the formula image is lost; the published 0.5078 equals the arithmetic mean "
  "of the ten printed partial indices I of Table 38. 0 = no innovation activity, 1 = intensive and effective "
  "(l.3610); the seed calls 0.5078 'the average level' (l.3937) but defines no bands.", "T38", "3935")
O("table38", "kz", "kia_complex_coefficient", "2013-2018", 0.5078, None, "published", "T38", 3935,
  "also l.3937")
N("kz", "kia_complex_coefficient", "2013-2018", "formula_lost", "T38", "3613;3935",
  "The formula image of (5)/(9) was lost in extraction; the value 0.5078 equals the arithmetic mean of the ten "
  "printed I of Table 38 (the geometric mean would give 0.5000). A full recomputation from Table 36 gives about 0.470.",
  "Изображение формулы (5)/(9) утрачено при извлечении; значение 0,5078 равно среднему арифметическому десяти "
  "напечатанных И таблицы 38 (среднее геометрическое дало бы 0,5000). Полный пересчёт по таблице 36 даёт около 0,470.")
N("kz", "kia_x3_level_avg", "2013-2018", "extraction_defect", "T38", 3885,
  "Printed 692363: the decimal separator is lost; the mean of the 2016-2018 X3 values of Table 36 is 69236.3.",
  "Напечатано 692363: потерян десятичный разделитель; среднее значений X3 за 2016-2018 гг. по таблице 36 — 69236,3.",
  alt="69236.3")
for key in kia_order:
    N("kz", f"kia_{key}_level_index", "2013-2018", "formula_defect", "T38", "3648",
      "Printed formula (7) has the numerator reversed, (Omax - O); the published Io follow (O - Omin) / (Omax - Omin) "
      "with min and max over 2016-2018 (7 of 10 reproduce).",
      "В напечатанной формуле (7) числитель перевёрнут, (Omax - O); опубликованные Ио следуют (O - Omin) / "
      "(Omax - Omin) с минимумом и максимумом за 2016-2018 гг. (воспроизводятся 7 из 10).")
for key, calc in (("x3", "0.469"), ("x4", "0.464"), ("r2", "0.527")):
    N("kz", f"kia_{key}_level_index", "2013-2018", "not_reproduced", "T38", 3906 + kia_order.index(key) + 1,
      f"(O - Omin) / (Omax - Omin) over 2016-2018 gives {calc}; the printed value does not reproduce.",
      f"(O - Omin) / (Omax - Omin) за 2016-2018 гг. даёт {calc.replace('.', ',')}; напечатанное значение не воспроизводится.")
for key in kia_order:
    N("kz", f"kia_{key}_growth_index", "2013-2018", "not_reproduced", "T38", "3657",
      "The published It does not reproduce under any tested definition of Tmin/Tmax (windows of 2, 3 or 5 chain "
      "ratios; min/max across the ten indicators or within their group).",
      "Опубликованный Ит не воспроизводится ни при одном проверенном определении Tmin/Tmax (окна из 2, 3 или 5 "
      "цепных отношений; минимум/максимум по десяти показателям или внутри группы).")
N("kz", "kia_r3_growth_avg", "2013-2018", "impossible_value", "T38", 3878,
  "T for R3 is printed 1.177, below all three chain ratios 2015-2018 (1.268, 1.974, 1.376): no mean of them can "
  "give it.", "T для R3 напечатан 1,177 — ниже всех трёх цепных отношений 2015-2018 гг. (1,268; 1,974; 1,376): "
  "никакое их среднее не может его дать.")
for key, diff in (("x3", "+0.0055"), ("x5", "-0.0305"), ("r5", "-0.0035")):
    N("kz", f"kia_{key}_partial_index", "2013-2018", "not_reproduced", "T38", 3918 + kia_order.index(key) + 1,
      f"0.5 It + 0.5 Io from the printed It and Io differs from the printed I by {diff}.",
      f"0,5 Ит + 0,5 Ио по напечатанным Ит и Ио отличается от напечатанного И на {diff.replace('.', ',')}.")
