"""Bundle generator, part A: registries and chapter-2 tables 11-19."""
import csv
from pathlib import Path

from common import LINES, locate, on_line, printed

DATA = Path(__file__).resolve().parents[4] / "shared/spec/data"
OBL = "east_kazakhstan_1997"
KZ = "kz"
IND: dict = {}
OBS: list = []
NOTES: list = []


def rd(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def terr(tid):
    return {"vko": OBL, "kz": KZ, "abai": "abai_district"}.get(tid, tid)


def I(code, kk, ru, en, unit, direction, definition, table, lines, kind="numeric", categories=""):
    assert code not in IND, code
    IND[code] = dict(code=code, name_kk=kk, name_ru=ru, name_en=en, unit=unit, direction=direction,
                     kind=kind, definition_en=definition, seed="seed003", table=table, lines=str(lines).replace(";", ","),
                     categories=categories)


def O(file, territory, indicator, period, value=None, text=None, status="published", table="", lines="",
      note=""):
    assert indicator in IND, indicator
    shown = ""
    if isinstance(lines, int):
        probe = value if value is not None else text
        if probe is not None:
            shown = printed(probe if text is None or status == "missing" else LINES[lines].strip(), lines)
    OBS.append(dict(file=file, territory=terr(territory), indicator=indicator, period=str(period),
                    value="" if value is None else value, value_text="" if text is None else text,
                    status=status, seed="seed003", table=table, lines=str(lines).replace(";", ","), note=note,
                    value_printed=shown))


def N(territory, indicator, period, kind, table, lines, en, ru, alt=""):
    NOTES.append(dict(territory=terr(territory) if territory else "", indicator=indicator or "",
                      period=str(period or ""), kind=kind, seed="seed003", table=table,
                      lines=str(lines).replace(";", ","),
                      text_en=en, text_ru=ru, alt_value=alt))


def num(s):
    if s in ("", None):
        return None
    f = float(s)
    return int(f) if f.is_integer() and "." not in s else f


def missing_map(s):
    out = {}
    for part in filter(None, (s or "").split(";")):
        k, v = part.split(":")
        out[k] = v
    return out


def emit_row(file, table, territory, start, cells, period, window=14, notes=None):
    """cells: list of (indicator, value or '-'/'x'); locate them in order after ``start``."""
    probes = [v for _, v in cells]
    lines = locate(start, probes, window)
    for (code, v), ln in zip(cells, lines):
        note = (notes or {}).get(code, "")
        if isinstance(v, str):
            O(file, territory, code, period, None, v, "missing", table, ln,
              note or ("printed '-': phenomenon absent" if v == "-" else "printed 'x': confidential"))
        else:
            O(file, territory, code, period, v, None, "published", table, ln, note)


# ---------------------------------------------------------------- Table 11 / 13 (identical; bundled once)
T13 = [
    ("youth_unemployment_rate_15_24", "Жастар арасындағы жұмыссыздық деңгейі (15-24 жас), %",
     "Уровень молодёжной безработицы (15–24 года), %", "Youth unemployment rate (15-24 years)", "%", -1,
     "Unemployed persons aged 15-24 as a share of the economically active population of that age."),
    ("youth_unemployment_rate_15_28", "Жастар арасындағы жұмыссыздық деңгейі (15-28 жас), пайызбен",
     "Уровень молодёжной безработицы (15–28 лет), %", "Youth unemployment rate (15-28 years)", "%", -1,
     "Unemployed persons aged 15-28 as a share of the economically active population of that age."),
    ("long_term_unemployment_rate", "Ұзақ мерзімді жұмыссыздық деңгейі, пайызбен",
     "Уровень долгосрочной безработицы, %", "Long-term unemployment rate", "%", -1,
     "Persons unemployed for a long term as a share of the economically active population."),
    ("wage_avg_monthly_nominal", "Бір қызметкердің орташа айлық номиналды жалақысы, теңге",
     "Среднемесячная номинальная заработная плата одного работника, тенге",
     "Average monthly nominal wage per employee", "KZT", 1,
     "Average monthly nominal wage per employee (Bureau of National Statistics series)."),
    ("wage_avg_monthly_nominal_usd", "Бір қызметкердің орташа айлық номиналды жалақысы, АҚШ доллары",
     "Среднемесячная номинальная заработная плата одного работника, долл. США",
     "Average monthly nominal wage per employee, in US dollars", "USD", 1,
     "The KZT wage converted at the National Bank's average annual rate (the rows are printed only as 'АҚШ доллары')."),
    ("wage_nominal_index", "Номиналды жалақы индексі, өткен жылғы пайызбен",
     "Индекс номинальной заработной платы, % к предыдущему году", "Nominal wage index", "% of previous year", 1,
     "Average nominal wage of the year divided by that of the previous year, x100."),
    ("wage_real_index", "Нақты жалақы индексі, өткен жылғы пайызбен",
     "Индекс реальной заработной платы, % к предыдущему году", "Real wage index", "% of previous year", 1,
     "Nominal wage index deflated by the consumer price index, % of previous year."),
    ("minimum_wage", "Ең төменгі жалақы", "Минимальная заработная плата", "Minimum wage", "KZT", 0,
     "Statutory monthly minimum wage (unit not printed; KZT by magnitude)."),
    ("subsistence_minimum", "Күнкөріс деңгейі", "Прожиточный минимум", "Subsistence minimum", "KZT", 0,
     "Monthly subsistence minimum per person (unit not printed; KZT by magnitude)."),
    ("subsistence_minimum_usd", "Күнкөріс деңгейі, АҚШ доллары", "Прожиточный минимум, долл. США",
     "Subsistence minimum, in US dollars", "USD", 0,
     "The KZT subsistence minimum converted at the National Bank's average annual rate."),
]
t13 = rd("seed003_table13_unemployment_and_wages.csv")
t11 = rd("seed003_table11_eko_main_socioeconomic_indicators.csv")
for (code, kk, ru, en, unit, d, df), r13, r11 in zip(T13, t13, t11):
    I(code, kk, ru, en, unit, d, df + " Tables 11 and 13 print the same numbers for East Kazakhstan, 2019 and 2020.",
      "T13", r13["source_line"])
    for year in ("2019", "2020"):
        v = num(r13[f"value_{year}"])
        v11 = num(r11[f"value_{year}"])
        assert v == v11
        l13 = locate(int(r13["source_line"]), [v], 8)[0]
        l11 = locate(int(r11["source_line"]), [v], 8)[0]
        O("table13", "vko", code, year, v, table="T13", lines=l13, note=f"also Table 11 l.{l11}")
    N("vko", code, "", "duplicate", "T11", f"{t11[0]['source_line']}-1278",
      "Table 11 (l.1221-1278) repeats the numbers of Table 13 without year headers; its introduction promises a "
      "comparison with other regions that the table does not contain. The years 2019/2020 are confirmed by Table 13 "
      "and by the wage index 206743/185922 = 111.2.",
      "Таблица 11 (стр. 1221-1278) повторяет числа таблицы 13 без указания годов; во вводном тексте обещано "
      "сравнение с другими регионами, которого в таблице нет. Годы 2019/2020 подтверждаются таблицей 13 и "
      "индексом зарплаты 206743/185922 = 111,2.")

# ---------------------------------------------------------------- Table 12
I("socioecon_dynamics_class", "2020 жылғы әлеуметтік-экономикалық даму серпіні (Жоғары / Орташа / Төмен)",
  "Динамика социально-экономического развития 2020 г. (высокая / средняя / низкая)",
  "Dynamics of socio-economic development, 2020 (class)", "class", 0,
  "Published three-class intra-regional grouping of the 19 districts and cities by the dynamics of their "
  "socio-economic development in 2020. value_text label codes: high = Жоғары, medium = Орташа, low = Төмен. The "
  "method is not stated in the seed (apparently the akimat's official rating, refs [70-71]); the low class is "
  "explained at l.1322-1327.", "T12", "1284-1318", kind="categorical",
  categories="high=Жоғары;medium=Орташа;low=Төмен")
for r in rd("seed003_table12_district_socioeconomic_dynamics_class_2020.csv"):
    ln = int(r["source_line"])
    assert r["name_kk_source"].split()[0].lower() in LINES[ln].lower(), r
    O("table12", r["territory_id"], "socioecon_dynamics_class", "2020", None, r["dynamics_class"], "published",
      "T12", ln, f"printed '{r['name_kk_source']}' in column {r['dynamics_class_kk']}")
N("", "socioecon_dynamics_class", "2020", "method_unspecified", "T12", "1284-1327",
  "The seed gives no method for this grouping. It is about 2020 dynamics, not level: Oskemen, the strongest "
  "economy, is 'low'. Do not read it as a list of depressed districts.",
  "Метод группировки в источнике не указан. Группировка отражает динамику 2020 г., а не уровень: Усть-Каменогорск, "
  "самая сильная экономика, отнесён к «низкой». Не следует читать её как список депрессивных районов.")

# ---------------------------------------------------------------- Table 15
T15 = [
    ("enterprises_surveyed", "Кәсіпорындар саны, бірлік", "Число предприятий (обследованных), единиц",
     "Enterprises surveyed", "units", 0,
     "Enterprises covered by the innovation survey of the territory (Table 15 column 2)."),
    ("enterprises_with_innovations", "Олардың ішінен инновацияға ие (инновациялары бар кәсіпорындар саны), бірлік",
     "Из них имеющие инновации (число предприятий с инновациями), единиц", "Enterprises with innovations", "units", 1,
     "Surveyed enterprises that implemented technological, organisational or marketing innovations (Table 15 column 3; Table 14 row 2; Fig. 16)."),
    ("innov_activity_level", "Инновациялық белсенділік деңгейі, %", "Уровень инновационной активности, %",
     "Innovation activity level", "%", 1,
     "Enterprises with innovations of any type / enterprises surveyed x 100 (l.1694, formula (3) l.3508). "
     "Table 15 column 4, Table 14 row 3, Fig. 17."),
    ("employees_surveyed_enterprises", "Есепті кезеңнің соңындағы қызметкерлердің жалпы саны, адам",
     "Общая численность работников на конец отчётного периода, человек",
     "Employees of surveyed enterprises at end of period", "persons", 0,
     "Total employees of the surveyed enterprises at the end of the reporting period (Table 15 column 5)."),
    ("enterprises_cooperating_innovation",
     "Инновация саласында басқа ұйымдармен ынтымақтасатын кәсіпорындар саны, бірлік",
     "Число предприятий, сотрудничающих с другими организациями в области инноваций, единиц",
     "Enterprises cooperating with other organisations on innovation", "units", 1,
     "Surveyed enterprises that cooperated with other organisations on innovation (Table 15 column 6)."),
]
for code, kk, ru, en, unit, d, df in T15:
    I(code, kk, ru, en, unit, d, df, "T15", "1523-1534")
cols15 = ["enterprises_total", "enterprises_with_innovations", "innovation_activity_level_pct",
          "employees_end_of_period", "enterprises_cooperating_on_innovation"]
for r in rd("seed003_table15_district_innovation_activity_2020.csv"):
    mm = missing_map(r["missing_codes"])
    cells = []
    for (code, *_), col in zip(T15, cols15):
        v = num(r[col])
        cells.append((code, mm.get(col, "-") if v is None else v))
    notes = {}
    if r["territory_id"] == "vko":
        notes = {"enterprises_with_innovations": "also Table 14 l.1453, Fig. 16 l.4612, text l.1416",
                 "innov_activity_level": "also Table 14 l.1467, Fig. 17 l.4620, text l.1417",
                 "enterprises_surveyed": "also text l.1416"}
    emit_row("table15", "T15", r["territory_id"], int(r["source_line"]) + 1, cells, "2020", notes=notes)

# ---------------------------------------------------------------- Table 16
for size, kk, ru in (("small", "шағын", "малых"), ("medium", "орта", "средних"), ("large", "ірі", "крупных")):
    I(f"innov_activity_level_{size}", f"Инновациялық белсенділік деңгейі, {kk} кәсіпорындар, %",
      f"Уровень инновационной активности {ru} предприятий, %",
      f"Innovation activity level of {size} enterprises", "%", 1,
      f"innov_activity_level computed inside the {size}-enterprise size class: {size} enterprises with innovations / "
      f"{size} enterprises surveyed x 100 (l.1694). The size class is part of the code. '-' = no enterprises of "
      "that size or none innovating (the seed does not distinguish).", "T16", "1696-1705")
for r in rd("seed003_table16_innovation_activity_level_by_enterprise_size_2020.csv"):
    mm = missing_map(r["missing_codes"])
    cells = []
    for size in ("small", "medium", "large"):
        v = num(r[f"activity_level_{size}_pct"])
        cells.append((f"innov_activity_level_{size}", mm.get(size, "-") if v is None else v))
    emit_row("table16", "T16", r["territory_id"], int(r["source_line"]) + 1, cells, "2020")

# ---------------------------------------------------------------- Table 17
T17 = [
    ("innov_output", "Инновациялық өнімнің (тауарлардың, қызметтердің) көлемі, барлығы, млн теңге",
     "Объём инновационной продукции (товаров, услуг), всего, млн тенге", "Innovative output (goods, services)",
     "mln KZT", 1, "Volume of innovative products (goods, services) produced (Table 17 column 1; Table 36 X1 for Kazakhstan). "
     "Units not printed in Table 17; mln KZT per l.1873."),
    ("innov_output_sold", "Сатылған инновациялық өнімнің (тауарлар, қызметтер) көлемі, барлығы, млн теңге",
     "Объём реализованной инновационной продукции (товаров, услуг), всего, млн тенге",
     "Innovative output sold", "mln KZT", 1, "Volume of innovative products (goods, services) sold."),
    ("innov_output_sold_new_to_market",
     "Оның ішінде тауарлар (қызметтер) нарығына арнаған жаңа тауарлар (қызметтер), млн теңге",
     "В том числе новые для рынка товары (услуги), млн тенге", "Innovative output sold: new to the market",
     "mln KZT", 1, "Of the innovative output sold, goods (services) new to the market."),
]
for code, kk, ru, en, unit, d, df in T17:
    I(code, kk, ru, en, unit, d, df, "T17", "1819-1825")
for r in rd("seed003_table17_district_innovative_output_volume_2020.csv"):
    mm = missing_map(r["missing_codes"])
    keys = ["innovative_output_total", "innovative_output_sold", "sold_new_to_market"]
    cells = []
    for (code, *_), key in zip(T17, keys):
        v = num(r[key + ("_mln_kzt" if key != "sold_new_to_market" else "_mln_kzt")])
        cells.append((code, mm.get(key, "-") if v is None else v))
    notes = {"innov_output": "also text l.1418, l.1873"} if r["territory_id"] == "vko" else {}
    emit_row("table17", "T17", r["territory_id"], int(r["source_line"]) + 1, cells, "2020", notes=notes)

# ---------------------------------------------------------------- Table 18
ACT = {
    "total": ("Барлығы", "Всего", "all activities"),
    "agriculture_forestry_fishing": ("Ауыл, орман және балық шаруашылығы", "Сельское, лесное и рыбное хозяйство",
                                     "agriculture, forestry and fishing"),
    "mining_quarrying": ("Тау-кен өндірісі және карьерлерді қазу", "Горнодобывающая промышленность и разработка карьеров",
                         "mining and quarrying"),
    "manufacturing": ("Өңдеу өнеркәсібі", "Обрабатывающая промышленность", "manufacturing"),
    "electricity_gas_steam_ac": ("Электрмен, газбен, бумен, ыстық сумен және кондиционерлік ауамен қамтамасыз ету",
                                 "Электроснабжение, подача газа, пара и воздушное кондиционирование",
                                 "electricity, gas, steam and air conditioning supply"),
    "water_supply": ("Суды жинау, өңдеу және тарату", "Сбор, обработка и распределение воды",
                     "water collection, treatment and supply"),
    "waste_management": ("Қалдықтарды жинау, өңдеу және утилизациялау; материалдарды қайта өңдеу",
                         "Сбор, обработка и удаление отходов; утилизация материалов",
                         "waste collection, treatment and disposal; materials recovery"),
    "construction": ("Құрылыс", "Строительство", "construction"),
    "wholesale_retail_trade": ("Көтерме және бөлшек сауда; автомобильдер мен мотоциклдерді жөндеу",
                               "Оптовая и розничная торговля; ремонт автомобилей и мотоциклов",
                               "wholesale and retail trade; repair of motor vehicles"),
    "transport_storage": ("Тасымалдау және қоймалау", "Транспорт и складирование", "transportation and storage"),
    "architecture_engineering_testing": ("Сәулет, инженерлік ізденістер, техникалық сынақтар мен талдаулар саласындағы қызмет",
                                         "Деятельность в области архитектуры, инженерных изысканий, технических испытаний и анализа",
                                         "architectural and engineering activities; technical testing"),
    "scientific_rnd": ("Ғылыми зерттеулер мен әзірлемелер", "Научные исследования и разработки",
                       "scientific research and development"),
    "other_professional_scientific_technical": ("Басқа да кәсіптік, ғылыми және техникалық қызмет",
                                                "Прочая профессиональная, научная и техническая деятельность",
                                                "other professional, scientific and technical activities"),
    "higher_education": ("Жоғарғы білім беру", "Высшее образование", "higher education"),
    "health_care": ("Денсаулық сақтау саласындағы іс-шаралары", "Здравоохранение", "human health activities"),
}
ACT_SHORT = {"total": "", "agriculture_forestry_fishing": "agriculture", "mining_quarrying": "mining",
             "manufacturing": "manufacturing", "electricity_gas_steam_ac": "energy", "water_supply": "water",
             "waste_management": "waste", "construction": "construction", "wholesale_retail_trade": "trade",
             "transport_storage": "transport", "architecture_engineering_testing": "architecture",
             "scientific_rnd": "rnd", "other_professional_scientific_technical": "professional",
             "higher_education": "higher_education", "health_care": "health"}
CTYPES = [
    ("costs_total_mln_kzt", "total", "Инновацияларды жүзеге асыруға шығындар, барлығы",
     "Затраты на инновации, всего", "Innovation costs, total", None),
    ("costs_technological_product_and_process_mln_kzt", "technological",
     "Технологиялық (өнім және процесс) инновацияларға шығындар", "Затраты на технологические (продуктовые и процессные) инновации",
     "Costs of technological (product and process) innovation", None),
    ("costs_product_innovation_mln_kzt", "product", "Өнімдік инновацияларға шығындар",
     "Затраты на продуктовые инновации", "Costs of product innovation", "product"),
    ("costs_process_innovation_mln_kzt", "process", "Процестік инновацияларға шығындар",
     "Затраты на процессные инновации", "Costs of process innovation", "process"),
    ("costs_marketing_innovation_mln_kzt", "marketing", "Маркетингтік инновацияларға шығындар",
     "Затраты на маркетинговые инновации", "Costs of marketing innovation", "marketing"),
    ("costs_organisational_innovation_mln_kzt", "organisational", "Ұйымдастырушылық инновацияларға шығындар",
     "Затраты на организационные инновации", "Costs of organisational innovation", "organisational"),
]
for r in rd("seed003_table18_innovation_costs_by_activity_2020.csv"):
    aid = r["activity_id"]
    akk, aru, aen = ACT[aid]
    mm = missing_map(r["missing_codes"])
    cells = []
    for col, t, kk, ru, en, mkey in CTYPES:
        code = f"innov_costs_{t}" + (f"_{ACT_SHORT[aid]}" if ACT_SHORT[aid] else "")
        if code not in IND:
            suffix = "" if aid == "total" else f" — {akk}"
            I(code, kk + suffix + ", млн теңге", ru + ("" if aid == "total" else f" — {aru}") + ", млн тенге",
              en + ("" if aid == "total" else f": {aen}"), "mln KZT", 1,
              f"{en} of enterprises" + ("" if aid == "total" else f" of the economic activity '{aen}' (the activity "
              "is part of the code)") + ". Table 18; units not printed, mln KZT per l.1419."
              + (" Table 36 X2 gives the same concept for Kazakhstan." if code == "innov_costs_technological" else ""),
              "T18", "1876-1898")
        v = num(r[col])
        cells.append((code, mm.get(mkey, "-") if v is None else v))
    start = int(r["source_line"]) + 1
    emit_row("table18", "T18", "vko", start, cells, "2020", window=16)
