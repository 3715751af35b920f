"""Part F: figures quoted in the running text, and the remaining cell notes."""
TXT = [  # territory, code, period, value, line, kk, ru, en, unit, direction, definition
    ("vko", "population", "2019", 1376, 1112, "Халық саны (1 шілдедегі жағдай бойынша), мың адам",
     "Численность населения (на 1 июля), тыс. человек", "Population (1 July)", "thous. persons", 0,
     "Resident population on 1 July of the year."),
    ("vko", "area", "2019", 283.3, 1112, "Аумағы, мың шаршы км", "Площадь территории, тыс. кв. км", "Territory area",
     "thous. km2", 0, "Area of the territory (pre-2022 borders)."),
    ("vko", "area_share_kz", "2019", 10.2, 1112, "Қазақстан аумағындағы үлесі, %", "Доля в территории Казахстана, %",
     "Share of Kazakhstan's territory", "%", 0, "Area of the territory / area of Kazakhstan x 100."),
    ("vko", "urbanisation_rate", "2019", 61.8, 1112, "Урбандалу деңгейі, %", "Уровень урбанизации, %",
     "Urbanisation rate", "%", 0, "Urban population / total population x 100."),
    ("kz", "urbanisation_rate", "2019", 58.2, 1112, None, None, None, None, None, None),
    ("vko", "population_density", "2019", 4.86, 1112, "Халықтың тығыздығы, 1 шаршы км-ге адам",
     "Плотность населения, человек на 1 кв. км", "Population density", "persons per km2", 0,
     "Population / area (the text says 'per square metre', meaning km2)."),
    ("vko", "mono_small_towns_population", "2019", 184.1, 1117, "Моно және шағын қалалардың халқы, мың адам",
     "Население моно- и малых городов, тыс. человек", "Population of mono- and small towns", "thous. persons", 0,
     "Population of the 8 mono- and small towns (Ridder, Altai, Kurchatov, Serebryansk, Ayagoz, Zaisan, Shar, Shemonaikha)."),
    ("vko", "mono_small_towns_population_share", "2019", 13.4, 1117,
     "Моно және шағын қалалар халқының облыс халқындағы үлесі, %", "Доля населения моно- и малых городов, %",
     "Share of the population living in mono- and small towns", "%", 0, "mono_small_towns_population / population x 100."),
    ("oskemen", "population", "2019", 316.9, 1117, None, None, None, None, None, None),
    ("oskemen", "population_share_region", "2019", 23, 1117, "Облыс халқындағы үлесі, %", "Доля в населении области, %",
     "Share of the region's population", "%", 0, "Population of the territory / population of the region x 100."),
    ("vko", "short_term_economic_indicator", "2020", 100.9, 1124, "Қысқа мерзімді экономикалық көрсеткіш, %",
     "Краткосрочный экономический индикатор, %", "Short-term economic indicator", "% of previous year", 1,
     "Composite short-term economic indicator of the Bureau of National Statistics, % of the previous year."),
    ("vko", "housing_commissioned", "2020", 519.8, 1125, "Пайдалануға берілген тұрғын үй, мың шаршы метр",
     "Ввод в эксплуатацию жилья, тыс. кв. м", "Housing commissioned", "thous. m2", 1, "Floor area of housing commissioned."),
    ("vko", "active_sme", "2020", 90.5, 1125, "Жұмыс істеп тұрған шағын және орта бизнес субъектілерінің саны, мың бірлік",
     "Число действующих субъектов малого и среднего бизнеса, тыс. единиц", "Active SME entities", "thous. units", 1,
     "Number of operating small and medium business entities."),
    ("vko", "grp", "2020", 4729.3, 1134, "Жалпы өңірлік өнім, млрд теңге", "Валовой региональный продукт, млрд тенге",
     "Gross regional product", "bn KZT", 1, "Gross regional product at current prices."),
    ("vko", "grp_nominal_growth", "2020", 12.6, 1134, "ЖӨӨ-нің өткен жылмен салыстырғандағы ұлғаюы, %",
     "Прирост ВРП к предыдущему году (в номинале), %", "GRP nominal increase on the previous year", "%", 1,
     "(GRP_t / GRP_t-1 - 1) x 100 at current prices."),
    ("vko", "grp_real_volume_index", "2020", 104.9, 1134, "ЖӨӨ-нің нақты көлем индексі, %", "Индекс физического объёма ВРП, %",
     "GRP real volume index", "% of previous year", 1, "Real volume index of gross regional product."),
    ("vko", "grp_share_kz", "2020", 5.81, 1134, "Елдің ЖІӨ-дегі өңірдің үлесі, %", "Доля региона в ВВП страны, %",
     "Share of national GDP", "%", 1, "GRP of the region / GDP of Kazakhstan x 100."),
    ("vko", "goods_share_economy", "2020", 42.6, 1140, "Экономикадағы тауар өндіру үлесі, %",
     "Доля производства товаров в экономике, %", "Share of goods production in the economy", "%", 0,
     "Goods-producing sectors' share of gross value added."),
    ("vko", "services_share_economy", "2020", 57.4, 1140, "Экономикадағы қызмет көрсету үлесі, %",
     "Доля услуг в экономике, %", "Share of services in the economy", "%", 0, "Services' share of gross value added."),
    ("vko", "agriculture_share_grp", "2020", 8.7, 1182, "ЖӨӨ-дегі ауыл шаруашылығының үлесі, %",
     "Доля сельского хозяйства в ВРП, %", "Share of agriculture in GRP", "%", 0, "Agriculture's share of gross regional product."),
    ("vko", "agri_subsidies", "2020", 26.98, 1187, "Ауыл шаруашылығына бөлінген субсидиялар, млрд теңге",
     "Субсидии сельскому хозяйству, млрд тенге", "Agricultural subsidies", "bn KZT", 0, "Subsidies allocated to agriculture."),
    ("vko", "retail_turnover", "2020", 695.3, 1188, "Бөлшек сауда тауар айналымы, млрд теңге",
     "Оборот розничной торговли, млрд тенге", "Retail trade turnover", "bn KZT", 1, "Retail trade turnover."),
    ("oskemen", "retail_turnover", "2020", 395.3, 1188, None, None, None, None, None, None),
    ("oskemen", "retail_share_region", "2020", 56.9, 1188, "Облыстың бөлшек сауда айналымындағы үлесі, %",
     "Доля в розничном товарообороте области, %", "Share of the region's retail turnover", "%", 0,
     "Retail turnover of the territory / retail turnover of the region x 100."),
    ("semey", "retail_share_region", "2020", 23.3, 1188, None, None, None, None, None, None),
    ("ridder", "retail_share_region", "2020", 3.2, 1188, None, None, None, None, None, None),
    ("altai", "retail_share_region", "2020", 2.6, 1188, None, None, None, None, None, None),
    ("glubokoe", "retail_share_region", "2020", 2.5, 1188, None, None, None, None, None, None),
    ("abai", "retail_share_region", "2020", 0.2, 1188, None, None, None, None, None, None),
    ("vko", "ppp_projects", "2020", 266, 1195, "Жұмыс істеп тұрған МЖӘ жобалары, бірлік",
     "Действующие проекты ГЧП, единиц", "Public-private partnership projects in operation", "projects", 1,
     "Number of PPP projects in operation (30 % of Kazakhstan's, l.1195)."),
    ("vko", "sme_tax_receipts", "2020", 89.6, 1338, "Шағын және орта бизнес субъектілерінен салық түсімдері, млрд теңге",
     "Налоговые поступления от субъектов МСБ, млрд тенге", "Tax receipts from SMEs", "bn KZT", 1,
     "Taxes and payments received from small and medium businesses."),
    ("vko", "sme_tax_receipts", "2019", 75.5, 1338, None, None, None, None, None, None),
    ("vko", "jobs_created", "2020", 29188, 1339, "Құрылған жұмыс орындары", "Создано рабочих мест", "Jobs created",
     "jobs", 1, "Jobs created in all sectors (104 % of plan)."),
    ("vko", "jobs_created_permanent", "2020", 13863, 1339, "Құрылған тұрақты жұмыс орындары", "Создано постоянных рабочих мест",
     "Permanent jobs created", "jobs", 1, "Permanent jobs created (102 % of plan)."),
    ("vko", "registered_unemployed", "2020", 4340, 1339, "Тіркелген жұмыссыздар саны (жыл соңында), адам",
     "Численность зарегистрированных безработных (на конец года), человек", "Registered unemployed (end of year)",
     "persons", -1, "Registered unemployed on 1 January of the following year (printed 'on 1 January 2021')."),
    ("vko", "innov_activity_level_prodtech", "2020", 7.6, 1417,
     "Өнім және технологиялық инновациялар бойынша инновациялық белсенділік деңгейі, %",
     "Уровень инновационной активности в продуктовых и технологических инновациях, %",
     "Innovation activity level, product and technological innovation", "%", 1,
     "innov_activity_level restricted to product and technological innovation (l.1417); the innovation type is part of the code."),
    ("vko", "innov_output_exported", "2020", 4159.9, 1418, "Экспортқа шығарылған инновациялық өнім көлемі, млн теңге",
     "Объём экспортированной инновационной продукции, млн тенге", "Innovative output exported", "mln KZT", 1,
     "Volume of innovative products exported."),
    ("vko", "innov_costs_technological", "2019", 61964.7, 1419, None, None, None, None, None, None),
    ("vko", "innov_output_sold_share_kz", "2019", 22.8, 1425,
     "Республика бойынша сатылған инновациялық өнімнің жалпы көлеміндегі үлесі, %",
     "Доля в общем объёме реализованной инновационной продукции республики, %",
     "Share of Kazakhstan's innovative output sold", "%", 1, "Innovative output sold by the region / that of Kazakhstan x 100 (rank 1 in 2019)."),
    ("kz", "innov_activity_level", "2019", 11.3, 1513, None, None, None, None, None, None),
    ("vko", "research_staff", "2020", 1913, 1498, "Ғылыми қызметкерлер саны, адам", "Численность научных работников, человек",
     "Scientific workers", "persons", 1, "Scientific workers concentrated in the region (9.38 % of the country's; year not printed)."),
    ("vko", "region_transfers", "2020", 163.9, 2517, "Өңірге берілген трансферттер, млрд теңге", "Трансферты региону, млрд тенге",
     "Transfers to the region", "bn KZT", 0, "Budget transfers received by the region (2nd among subsidised regions)."),
    ("vko", "fixed_capital_investment", "2019", 235601.4, 2886, "Негізгі капиталға инвестициялар көлемі, млн теңге",
     "Объём инвестиций в основной капитал, млн тенге", "Investment in fixed capital", "mln KZT", 1,
     "Investment in fixed capital of the year."),
    ("vko", "fixed_capital_investment_index", "2019", 108.8, 2886, "Негізгі капиталға инвестициялар, өткен жылға %",
     "Инвестиции в основной капитал, % к предыдущему году", "Investment in fixed capital, index", "% of previous year", 1,
     "Investment in fixed capital of the year / previous year x 100."),
]
for t, code, period, v, ln, kk, ru, en, unit, d, df in TXT:
    if kk is not None:
        I(code, kk, ru, en, unit, d, df + f" Figure quoted in the running text (l.{ln}).", "text", ln)
    note = ""
    if code == "population" and t == "vko":
        note = "printed '1 миллион 376 мың'"
    else:
        assert on_line(v, ln), (code, v, ln)
    O("text", t, code, period, v, None, "published", "text", ln, note)
    if note:
        OBS[-1]["value_printed"] = "1 миллион 376 мың"
N("vko", "population_density", "2019", "unit_ambiguity", "text", 1112,
  "The text gives the density 'per square metre'; 1376 / 283.3 = 4.86 persons per km2.",
  "В тексте плотность указана «на квадратный метр»; 1376 / 283,3 = 4,86 человека на кв. км.")
N("vko", "agri_subsidies", "2020", "sum_mismatch", "text", 1187,
  "The components (5.5 + 9.9 + 4.98 + 6.5 bn KZT) sum to 26.88, not the printed 26.98.",
  "Составляющие (5,5 + 9,9 + 4,98 + 6,5 млрд тенге) дают 26,88, а не напечатанные 26,98.")
N("vko", "innov_output_exported", "2020", "contradiction", "text", "1418;1497;1499",
  "4159.9 mln KZT is 3.8 % of the innovative output sold, yet l.1497 and l.1499 say more than half of it is exported.",
  "4159,9 млн тенге — 3,8 % реализованной инновационной продукции, однако стр. 1497 и 1499 утверждают, что "
  "экспортируется более половины.")
N("vko", "research_staff", "2020", "period_ambiguity", "text", 1498,
  "The year is not printed; bundled under 2020, the year of the surrounding analysis.",
  "Год не указан; отнесено к 2020 г., году окружающего анализа.")
N("vko", "innov_costs_technological", "2019", "definition_conflict", "text", 1419,
  "The text calls 61964.7 (2019) and 112557.1 (2020) costs of product and technological innovation, but Table 18 "
  "gives 112557.1 as all innovation costs and 112391.3 as technological; the 2019 figure may include all types.",
  "Текст называет 61964,7 (2019) и 112557,1 (2020) затратами на продуктовые и технологические инновации, но в "
  "таблице 18 112557,1 — все затраты на инновации, а 112391,3 — технологические; цифра 2019 г. может включать все виды.")

# ---------------------------------------------------------------- notes on chapter-2 tables
N("zaisan", "innov_activity_level_large", "2020", "impossible_value", "T16", 1764,
  "200.0 % is impossible for a share, and no split of Table 15's 14 enterprises / 2 innovators into size classes "
  "reproduces it; the only consistent value is 100.0 (2 of 2 large enterprises innovating).",
  "200,0 % невозможно для доли, и никакое разбиение 14 предприятий / 2 инноваторов таблицы 15 по размерам его не "
  "даёт; единственное согласованное значение — 100,0 (2 из 2 крупных предприятий).", alt="100.0")
for size in ("small", "medium", "large"):
    N("", f"innov_activity_level_{size}", "2020", "missing_code", "T16", "1696-1805",
      "'-' means either no enterprises of this size or none innovating; the seed does not distinguish.",
      "«-» означает либо отсутствие предприятий этого размера, либо отсутствие среди них инноваторов; источник их не различает.")
N("ayagoz", "", "2020", "confidential", "T17", "1851-1855",
  "Ayagoz's innovative output is confidential ('x'); the oblast residuals 1462.4 / 1531.0 / 1530.9 mln KZT would be "
  "its values if no other unlisted unit had output (inference only).",
  "Инновационная продукция Аягоза конфиденциальна («x»); остатки по области 1462,4 / 1531,0 / 1530,9 млн тенге были "
  "бы её значениями, если бы у других неуказанных единиц продукции не было (только вывод).")
for t, ln in (("glubokoe", 1856), ("ulan", 1866)):
    N(t, "innov_output_sold", "2020", "plausibility", "T17", f"{ln + 1}-{ln + 2}",
      "Innovative output sold exceeds innovative output produced in 2020 (possible from earlier output, but worth checking).",
      "Реализованная инновационная продукция превышает произведённую в 2020 г. (возможно за счёт прошлой продукции, но стоит проверить).")
N("vko", "innov_costs_marketing", "2020", "sum_mismatch", "T18", "1899-2034",
  "The activity rows sum to 90.2 against the printed total 90.9; the gap of 0.7 is the confidential ('x') "
  "higher-education cell.", "Строки по видам деятельности дают 90,2 при напечатанном итоге 90,9; разница 0,7 — "
  "конфиденциальная («x») ячейка высшего образования.")
for code in ("new_tech_created", "new_tech_used"):
    N("zharma", code, "2020", "confidential", "T19", "2094-2099",
      "Confidential ('x'); the oblast total exceeds the listed territories by exactly 1, so the cell is 1 if no other "
      "unit is omitted (inference only).", "Конфиденциально («x»); итог по области превышает сумму указанных "
      "территорий ровно на 1, так что ячейка равна 1, если нет других пропущенных единиц (только вывод).", alt="1")
N("vko", "econ_active_population", "2019", "sum_mismatch", "T25", "2527-2657",
  "The territories sum to 724.3 against the oblast's 713.6; Altai's 47.7 (with only 36.1 employed) is the likely error.",
  "Сумма по территориям 724,3 против 713,6 по области; вероятная ошибка — 47,7 у Алтая (при 36,1 занятых).")
N("altai", "econ_active_population", "2019", "suspect_value", "T25", 2552,
  "47.7 is implausible next to 36.1 employed (elsewhere the gap is at most 2.6); 37.0 makes the column sum to the oblast total.",
  "47,7 неправдоподобно при 36,1 занятых (в других строках разница не более 2,6); 37,0 даёт точную сумму по области.",
  alt="37.0")
for code in ("econ_active_population", "employed_population", "fixed_assets_value", "enterprises_organisations"):
    N("", code, "2019", "label_mismatch", "T25", "2527-2531",
      "Table 25's title and header promise growth-rate ratios for 2020, but the cells are levels; Table 26's 2019 "
      "shares are these levels divided by the oblast total (73 of 76 cells), so they are bundled as 2019 levels.",
      "Заголовок и шапка таблицы 25 обещают отношения темпов роста за 2020 г., но в ячейках уровни; доли 2019 г. "
      "таблицы 26 равны этим уровням, делённым на итог по области (73 из 76 ячеек), поэтому они отнесены к 2019 г.")
N("glubokoe", "resource_share_eap", "2019", "impossible_value", "T26", 2746,
  "Printed 35.2 is Glubokoe's level in Table 25, not a share; 35.2 / 713.6 = 4.93 %.",
  "Напечатанное 35,2 — уровень Глубокого из таблицы 25, а не доля; 35,2 / 713,6 = 4,93 %.", alt="4.93")
N("zharma", "resource_share_eap", "2019", "contradiction", "T26", 2756,
  "Printed 4.93 (apparently shifted from the Glubokoe row); Table 25 gives 19.5 / 713.6 = 2.73 %.",
  "Напечатано 4,93 (видимо, сдвинуто из строки Глубокого); по таблице 25 19,5 / 713,6 = 2,73 %.", alt="2.73")
N("abai", "resource_share_fixed_assets", "2019", "contradiction", "T26", 2700,
  "Printed 0.5; Table 25 gives 2848 / 494597 = 0.58 %.", "Напечатано 0,5; по таблице 25 2848 / 494597 = 0,58 %.", alt="0.58")
N("", "resource_share_eap", "2010", "sum_mismatch", "T26", "2684-2882",
  "The 2010 shares of the economically active population sum to 103.99 %; the data needed to repair them are absent.",
  "Доли экономически активного населения за 2010 г. дают в сумме 103,99 %; данных для исправления нет.")
N("", "resource_share_eap", "2019", "sum_mismatch", "T26", "2684-2882",
  "The 2019 shares of the economically active population sum to 133.95 %; with Glubokoe 4.93, Zharma 2.73 and Altai "
  "5.18 they sum to 100.0.", "Доли экономически активного населения за 2019 г. дают в сумме 133,95 %; при Глубоком "
  "4,93, Жарме 2,73 и Алтае 5,18 сумма равна 100,0.")
for t, k, alt, why_en, why_ru in (
    ("abai", "fixed_assets", "0.565", "the 2019 share is printed 0.5 instead of 0.58", "доля 2019 г. напечатана 0,5 вместо 0,58"),
    ("altai", "eap", "0.836", "Table 25's level 47.7 is probably 37.0 (share 5.18)", "уровень 47,7 в таблице 25, вероятно, 37,0 (доля 5,18)"),
    ("glubokoe", "eap", "0.971", "the 2019 share is printed 35.2 (a level) instead of 4.93", "доля 2019 г. напечатана 35,2 (уровень) вместо 4,93"),
    ("zharma", "eap", "0.763", "the 2019 share is printed 4.93 instead of 2.73", "доля 2019 г. напечатана 4,93 вместо 2,73"),
):
    N(t, f"resource_growth_ratio_{k}", "2010-2019", "derived_from_defect", "T26", "2684-2882",
      f"Derived from a defective printed share: {why_en}; with the corrected share K = {alt}.",
      f"Получено из ошибочной напечатанной доли: {why_ru}; с исправленной долей K = {alt.replace('.', ',')}.", alt=alt)
