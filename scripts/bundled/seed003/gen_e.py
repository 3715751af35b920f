"""Part E: Tables 40-45 (depression assessment, integral index)."""
DEPR = [
    ("x1", "depr_x1_unemployment_registered", "x1_registered_unemployment_pct",
     "X1 - тіркелген жұмыссыздық деңгейі, экономикалық белсенді халыққа %-бен",
     "X1 - уровень зарегистрированной безработицы, % к экономически активному населению",
     "X1 Registered unemployment rate", "% of economically active population", -1, 3968),
    ("x2", "depr_x2_mortality_crude", "x2_crude_mortality_per_1000",
     "X2 - 1000 адамға шаққанда өлімнің жалпы коэффициенті", "X2 - общий коэффициент смертности на 1000 человек",
     "X2 Crude mortality rate", "per 1000 people", -1, 3969),
    ("x3", "depr_x3_wage_avg_monthly", "x3_avg_monthly_nominal_wage_kzt",
     "X3 - қызметкерлердің атаулы есептелген орташа айлық жалақысы, теңге",
     "X3 - среднемесячная номинальная начисленная заработная плата работников, тенге",
     "X3 Average monthly nominal wage of employees", "KZT", 1, 3970),
    ("x4", "depr_x4_industrial_output_per_1000", "x4_industrial_output_per_1000_pop",
     "X4 - 1000 адамға шаққанда өнеркәсіп өндірісінің көлемі", "X4 - объём промышленного производства на 1000 человек",
     "X4 Industrial output per 1000 people", "printed 'mln KZT per 1000 people' (magnitudes: KZT per capita)", 1, 3971),
    ("x5", "depr_x5_fixed_investment_per_1000", "x5_fixed_capital_investment_per_1000_pop",
     "X5 - 1000 адамға шаққанда негізгі капиталға салынған инвестициялар көлемі",
     "X5 - объём инвестиций в основной капитал на 1000 человек",
     "X5 Investment in fixed capital per 1000 people", "printed 'mln KZT per 1000 people' (magnitudes: KZT per capita)", 1, 3972),
    ("x6", "depr_x6_goods_services_per_1000", "x6_goods_services_per_1000_pop",
     "X6 - 1000 адамға шаққандағы тауарлар мен қызметтер көлемі", "X6 - объём товаров и услуг на 1000 человек",
     "X6 Goods and services per 1000 people", "printed 'mln KZT per 1000 people' (magnitudes: KZT per capita)", 1, 3973),
]
for key, code, col, kk, ru, en, unit, d, ln in DEPR:
    I(code, kk, ru, en, unit, d,
      f"{en}: depression-assessment indicator {key.upper()} (l.{ln}; values Table 40). Direction from formulas "
      "(10)-(11) l.3975-3981. The year is not printed; bundled as 2019 (the most likely year). Kept apart from the "
      "chapter-2 series because year and definition may differ.", "T40", ln)
for r in rd("seed003_table40_vko_socioeconomic_indicators.csv"):
    vals = [num(r[c[2]]) for c in DEPR]
    lines = locate(int(r["source_line_first"]) + 1, vals, 10)
    for (key, code, *_), v, ln in zip(DEPR, vals, lines):
        O("table40", r["territory_id"], code, "2019", v, None, "published", "T40", ln)
for key, code, *_ in DEPR:
    N("", code, "2019", "period_ambiguity", "T40", "3982-3990",
      "Table 40 prints no year; 2019 is inferred (the oblast wage 140126 also appears at l.1188, and X5 x population "
      "~ the 490 bn KZT invested in 2019, l.2922).",
      "Таблица 40 не указывает год; принят 2019 г. (зарплата по области 140126 встречается и в стр. 1188, а X5 x "
      "население ~ 490 млрд тенге инвестиций 2019 г., стр. 2922).")
for key in ("x4", "x5", "x6"):
    code = [c[1] for c in DEPR if c[0] == key][0]
    N("", code, "2019", "unit_ambiguity", "T40", f"{3967 + int(key[1])}",
      "Printed unit 'mln KZT per 1000 people', but magnitudes (oblast X5 358793) are only plausible as KZT per capita "
      "(= thousand KZT per 1000 people).",
      "Напечатанная единица «млн тенге на 1000 человек», но величины (X5 по области 358793) правдоподобны лишь как "
      "тенге на душу населения (= тыс. тенге на 1000 человек).")
N("semey", "depr_x4_industrial_output_per_1000", "2019", "suspect_value", "T40", 4140,
  "Semey's 5316940 is the column maximum, yet Table 42 puts Semey in the 'low' industry group; with one extra digit "
  "removed (531694) the exact 1-D k-means optimum matches Table 42 except Altai.",
  "Значение Семея 5316940 — максимум столбца, однако таблица 42 относит Семей к «низкой» группе; без лишней цифры "
  "(531694) точный одномерный k-means совпадает с таблицей 42, кроме Алтая.", alt="531694")
N("", "depr_x1_unemployment_registered", "2019", "contradiction", "T40", "4161;3968",
  "l.4161 says that unemployment is not a suitable depression indicator in Kazakhstan, yet X1 is registered "
  "unemployment.", "Стр. 4161 утверждает, что безработица — неподходящий показатель депрессивности в Казахстане, "
  "однако X1 — зарегистрированная безработица.")
N("vko", "depr_x3_wage_avg_monthly", "2019", "contradiction", "T40", "3995;1188;1364",
  "The oblast wage 140126 KZT (also l.1188, '8th place', no year) disagrees with Table 13's 185922 (2019) and 206743 "
  "(2020); different year or definition.",
  "Зарплата по области 140126 тенге (также стр. 1188, «8-е место», без года) расходится с таблицей 13: 185922 (2019) "
  "и 206743 (2020); другой год или определение.")

GROUP_LABELS = "lowest = Ең төмен (group 1), low = Төмен (2), medium = Орташа (3), high = Жоғары (4), very_high = Өте жоғары (5)"
for tab, code, csvname, kk, ru, en, lines, basis in (
    ("T41", "depr_wage_group", "seed003_table41_districts_by_wage_group.csv",
     "Аудандарды орташа айлық жалақы бойынша бөлу (топ)", "Распределение районов по среднемесячной заработной плате (группа)",
     "Group by average monthly wage (Table 41)", "4163-4205", "X3"),
    ("T42", "depr_industry_group", "seed003_table42_districts_by_industry_group.csv",
     "Өнеркәсіп өндірісінің даму деңгейі бойынша облыс аудандарын бөлу (топ)",
     "Распределение районов области по уровню развития промышленного производства (группа)",
     "Group by level of industrial production (Table 42)", "4213-4284", "X4"),
    ("T43", "depr_investment_group", "seed003_table43_districts_by_investment_group.csv",
     "Аудандарды инвестициялық ресурстар деңгейі бойынша бөлу (топ)",
     "Распределение районов по уровню инвестиционных ресурсов (группа)",
     "Group by level of investment resources (Table 43)", "4290-4344", "X5"),
):
    I(code, kk, ru, en, "class", 0,
      f"Published k-means (k = 5) group of the territory on Table 40 {basis} (l.4154-4159). value_text label codes: "
      f"{GROUP_LABELS}. Groups are ordered by the indicator's level (group 1 = lowest {basis}), although l.4154 "
      "calls them levels of depression.", tab, lines, kind="categorical",
      categories="lowest=Ең төмен;low=Төмен;medium=Орташа;high=Жоғары;very_high=Өте жоғары")
    for r in rd(csvname):
        ln = int(r["source_line"])
        stem = r["name_kk_source"].split()[0][:5].lower()
        assert stem in LINES[ln].lower(), (r, LINES[ln])
        O(tab.lower().replace("t", "table"), r["territory_id"], code, "2019", None,
          r["group_en"].replace(" ", "_"), "published", tab, ln,
          f"printed '{r['name_kk_source']}' in column {r['group_rank']} ({r['group_kk']})")
O("table42", "abai", "depr_industry_group", "2019", None, None, "missing", "T42", "4227-4284",
  "Abai is absent from Table 42")
N("abai", "depr_industry_group", "2019", "omission", "T42", "4227-4284",
  "Abai is missing from Table 42 (18 of the 19 territories are listed); its X4 (110687.5) lies in the lowest group's range.",
  "Абай отсутствует в таблице 42 (перечислены 18 из 19 территорий); его X4 (110687,5) лежит в диапазоне самой низкой группы.",
  alt="lowest")
N("semey", "depr_wage_group", "2019", "misplacement", "T41", 4191,
  "Semey (X3 122254) is in group 3 (medium) while Altai (128842) is in group 2 (low): the grouping is not monotone in "
  "the wage. Swapping Semey and Altai makes it a fixed point of 1-D k-means.",
  "Семей (X3 122254) в группе 3 (средняя), а Алтай (128842) в группе 2 (низкая): группировка не монотонна по "
  "зарплате. Обмен Семея и Алтая делает её неподвижной точкой одномерного k-means.", alt="low")
N("altai", "depr_wage_group", "2019", "misplacement", "T41", 4184,
  "Altai (X3 128842) is in group 2 (low) while Semey (122254) is in group 3; see the note on Semey.",
  "Алтай (X3 128842) в группе 2 (низкая), а Семей (122254) в группе 3; см. примечание к Семею.", alt="medium")
N("semey", "depr_industry_group", "2019", "misplacement", "T42", 4257,
  "Semey is in group 2 (low) although its printed X4 (5316940) is the column maximum; consistent only with X4 = 531694.",
  "Семей в группе 2 (низкая), хотя его напечатанный X4 (5316940) — максимум столбца; согласуется лишь с X4 = 531694.")
N("altai", "depr_industry_group", "2019", "not_reproduced", "T42", 4274,
  "With Semey's X4 corrected and Abai in group 1, the exact 1-D k-means optimum differs from Table 42 only for "
  "Altai (X4 350607: optimum group 2 'low').",
  "При исправленном X4 Семея и Абае в группе 1 точный одномерный k-means отличается от таблицы 42 только для "
  "Алтая (X4 350607: оптимум — группа 2 «низкая»).", alt="low")
N("zaisan", "depr_investment_group", "2019", "misplacement", "T43", 4312,
  "Zaisan (X5 189054) is in group 3 (medium) although its value lies within group 1's range; moved to group 1 the "
  "table is a fixed point of 1-D k-means.",
  "Зайсан (X5 189054) в группе 3 (средняя), хотя его значение лежит в диапазоне группы 1; при переносе в группу 1 "
  "таблица становится неподвижной точкой одномерного k-means.", alt="lowest")
N("", "depr_investment_group", "2019", "unit_ambiguity", "T43", 4290,
  "Table 43's title says 'per 100 people' while Table 40's X5 is per 1000 people; the grouping follows X5.",
  "Заголовок таблицы 43 говорит «на 100 человек», а X5 таблицы 40 — на 1000 человек; группировка следует X5.")
I("depr_wage_lowest_group_mean", "«Ең төмен» топтағы аудандардың орташа айлық жалақысының орташа мәні, теңге",
  "Средняя заработная плата районов группы «самая низкая», тенге", "Mean wage of the 'lowest' wage group (Table 41)",
  "KZT", 1, "Mean of X3 over the six territories of Table 41's group 1, as stated in the text (l.4209).", "T41", 4209)
I("depr_wage_lowest_group_share", "«Ең төмен» топтағы орташа жалақының облыс бойынша орташа көрсеткіштегі үлесі, %",
  "Средняя заработная плата группы «самая низкая» в % к средней по области", "Mean wage of the 'lowest' wage group, % of the oblast",
  "%", 1, "depr_wage_lowest_group_mean / oblast X3 x 100, as stated in the text (l.4209).", "T41", 4209)
O("table41", "vko", "depr_wage_lowest_group_mean", "2019", 73335, None, "published", "T41", 4209, "text under Table 41")
O("table41", "vko", "depr_wage_lowest_group_share", "2019", 52.3, None, "published", "T41", 4209, "text under Table 41")
for code in ("depr_wage_lowest_group_mean", "depr_wage_lowest_group_share"):
    N("vko", code, "2019", "contradiction", "T41", "4209;3992-4150",
      "The six members of group 1 average 88742 KZT in Table 40 = 63.3 % of the oblast's 140126, not 73335 = 52.3 % "
      "(73335 / 140126 = 52.3 % is internally consistent).",
      "Шесть членов группы 1 по таблице 40 в среднем получают 88742 тенге = 63,3 % от 140126 по области, а не 73335 = "
      "52,3 % (73335 / 140126 = 52,3 % внутренне согласовано).", alt="88742" if code.endswith("mean") else "63.3")

# ---------------------------------------------------------------- Tables 44-45
IDX = [("i_t", "it", "IТ", "Iт", "Жөнелтілген тауарлардың (жұмыстардың, қызметтердің) жалпы көлеміндегі инновациялық тауарлардың үлесінің жеке индексі",
        "Частный индекс доли инновационных товаров (работ, услуг) в общем объёме отгруженных",
        "Partial index: share of innovative goods in shipped goods (It)", 4364),
       ("i_o", "io", "IO", "Iо", "Инновацияларды жүзеге асырған ұйымдар үлесінің жеке индексі",
        "Частный индекс доли организаций, осуществлявших инновации", "Partial index: share of organisations that implemented innovations (Io)", 4367),
       ("i_to", "ito", "ITO", "Iто", "ҒЗТКЖ ұйымына жасалған озық өндіріс технологиялары санының жеке индексі",
        "Частный индекс числа созданных передовых производственных технологий на одну организацию, выполнявшую НИОКР",
        "Partial index: advanced production technologies created per R&D organisation (Ito)", 4370),
       ("i_tp", "itp", "IТP", "Iтп", "1000 ҒЗТКЖ персоналына шаққанда жасалған озық өндіріс технологиялары санының жеке индексі",
        "Частный индекс числа созданных передовых производственных технологий на 1000 работников НИОКР",
        "Partial index: advanced production technologies created per 1000 R&D personnel (Itp)", 4373),
       ("i_po", "ipo", "IPО", "Iпо", "ҒЗТКЖ ұйымына шаққандағы өнертабыстарға патенттер санының жеке индексі",
        "Частный индекс числа патентов на изобретения на одну организацию, выполнявшую НИОКР",
        "Partial index: patents for inventions per R&D organisation (Ipo)", 4376),
       ("i_pp", "ipp", "IPP", "Iпп", "1000 ҒЗТКЖ персоналына шаққанда өнертабысқа патенттер санының жеке индексі",
        "Частный индекс числа патентов на изобретения на 1000 работников НИОКР",
        "Partial index: patents for inventions per 1000 R&D personnel (Ipp)", 4379)]
for col, short, sym44, sym45, kk, ru, en, ln in IDX:
    I(f"innov_index_{short}", kk, ru, en, "index 0-1", 1,
      f"Published partial index {sym45} of district innovation activity: (X - Xmin) / (Xmax - Xmin) over the districts "
      f"(l.4387) of the Table 44 indicator {sym44} (l.{ln}; a stimulant, l.4352). The raw indicator values are not "
      "given in the seed.", "T45", f"{ln};4584-4589")
I("innov_integral_index", "Аудандардың инновациялық қызметінің интегралды индексі",
  "Интегральный индекс инновационной деятельности районов", "Integral index of district innovation activity",
  "index 0-1", 1, "Published integral index of Table 45 combining the six partial indices; the formula is not printed "
  "(a geometric mean reproduces 8 of 19 rows); zero partial indices are 'taken as infinitely small values' (l.4590).",
  "T45", "4395-4409")
t45 = rd("seed003_table45_vko_district_innovation_indices.csv")
first = {}
for r in t45:
    vals = [num(r[c[0]]) for c in IDX] + [num(r["integral_index"])]
    codes = [f"innov_index_{c[1]}" for c in IDX] + ["innov_integral_index"]
    lines = locate(int(r["source_line_first"]) + 1, vals, 10)
    for code, v, ln in zip(codes, vals, lines):
        O("table45", r["territory_id"], code, "2020", v, None, "published", "T45", ln, f"row {r['row_no']}")
    if r["duplicate_flag"]:
        src = r["duplicate_flag"].split()[-1]
        srow = [x for x in t45 if x["territory_id"] == src][0]
        for code in codes:
            N(r["territory_id"], code, "2020", "duplicate_row", "T45", f"{r['source_line_first']}-{r['source_line_last']}",
              f"Row {r['row_no']} ({r['territory_id']}) repeats all seven values of row {srow['row_no']} ({src}): a "
              "copy-paste error in the source; the true values are unknown.",
              f"Строка {r['row_no']} ({r['territory_id']}) повторяет все семь значений строки {srow['row_no']} ({src}): "
              "ошибка копирования в источнике; истинные значения неизвестны.")
for tid, eps in (("ridder", "8.1e-6..1.5e-5"), ("beskaragai", "1.2e-4..2.2e-4"), ("kokpekti", "1.8e-5..3.3e-5"),
                 ("tarbagatai", "8.1e-6..1.5e-5")):
    N(tid, "innov_integral_index", "2020", "not_reproduced", "T45", "4590",
      f"A partial index is 0 and the integral index is printed 0.005; a geometric mean needs a zero substitute eps in "
      f"{eps} for this row, and no single eps reproduces all four such rows.",
      f"Один из частных индексов равен 0, а интегральный напечатан 0,005; для среднего геометрического эта строка "
      f"требует замены нуля eps в {eps}, и ни одно eps не воспроизводит все четыре такие строки.")
for tid, geo in (("abai", "0.0372"), ("ayagoz", "0.4084"), ("zharma", "0.4956"), ("zaisan", "0.0679"),
                 ("altai", "0.4755"), ("kurshim", "0.0222"), ("shemonaikha", "0.4520")):
    N(tid, "innov_integral_index", "2020", "not_reproduced", "T45", "4395-4580",
      f"The geometric mean of the printed partial indices is {geo}; the printed integral index does not reproduce "
      "(nor does the arithmetic mean).",
      f"Среднее геометрическое напечатанных частных индексов равно {geo.replace('.', ',')}; напечатанный интегральный "
      "индекс не воспроизводится (как и средним арифметическим).")
for col, short, *_ in IDX:
    N("", f"innov_index_{short}", "2020", "range_defect", "T45", "4411-4580",
      "The column does not span [0, 1] as min-max normalisation over these 19 territories would require.",
      "Столбец не охватывает [0, 1], как того требовала бы мин-макс нормализация по этим 19 территориям.")
N("", "innov_integral_index", "2020", "period_ambiguity", "T45", "4384;4391",
  "l.4384 says the indices are for 2020; l.4391 says averages over several years were analysed. No raw inputs are given.",
  "Стр. 4384 говорит, что индексы рассчитаны за 2020 г.; стр. 4391 — что анализировались средние за несколько лет. "
  "Исходные данные не приведены.")
