"""Part B: Tables 14, 19-21, 25-27, figures 16-20."""
# ---------------------------------------------------------------- Table 19
T19 = [
    ("enterprises_creating_new_tech", "enterprises_creating_new_technologies_equipment", "enterprises_creating",
     "Жаңа технологиялар мен жабдықтарды жасайтын кәсіпорындар, бірлік",
     "Предприятия, создающие новые технологии и оборудование, единиц", "Enterprises creating new technologies and equipment", "units"),
    ("new_tech_created", "new_technologies_equipment_created", "technologies_created",
     "Жасалған жаңа технологиялар мен жабдықтар, бірлік", "Созданные новые технологии и оборудование, единиц",
     "New technologies and equipment created", "units"),
    ("enterprises_using_new_tech", "enterprises_using_new_technologies_equipment", "enterprises_using",
     "Жаңа технологиялар мен жабдықтарды пайдаланатын кәсіпорындар, бірлік",
     "Предприятия, использующие новые технологии и оборудование, единиц", "Enterprises using new technologies and equipment", "units"),
    ("new_tech_used", "new_technologies_equipment_used", "technologies_used",
     "Жаңа технологиялар мен жабдықтарды пайдалану, бірлік", "Использованные новые технологии и оборудование, единиц",
     "New technologies and equipment used", "units"),
]
for code, col, mkey, kk, ru, en, unit in T19:
    I(code, kk, ru, en, unit, 1, f"{en} in the territory (Table 19; year not printed, 2020 by context).", "T19", "2053-2063")
for r in rd("seed003_table19_enterprises_new_technologies_2020.csv"):
    mm = missing_map(r["missing_codes"])
    cells = [(code, mm.get(mkey, "-") if num(r[col]) is None else num(r[col])) for code, col, mkey, *_ in T19]
    emit_row("table19", "T19", r["territory_id"], int(r["source_line"]) + 1, cells, "2020")

# ---------------------------------------------------------------- Table 20
LOC = [("partners_in_own_region", "own_region", "өз облысының", "в своей области", "in the own region", "own_region"),
       ("partners_in_other_kz_regions", "other_kz_regions", "ҚР облыстары", "в других областях РК",
        "in other regions of Kazakhstan", "other_kz_regions"),
       ("partners_in_cis_countries", "cis", "ТМД елдері", "в странах СНГ", "in CIS countries", "cis_countries"),
       ("partners_in_other_countries", "other_countries", "басқа елдер", "в других странах", "in other countries",
        "other_countries")]
PT_RU = {"suppliers": "поставщики оборудования, материалов, комплектующих и программного обеспечения",
         "private_sector_clients": "клиенты или потребители из частного сектора",
         "public_sector_clients": "клиенты или потребители из государственного сектора",
         "competitors_other_enterprises": "конкуренты или другие предприятия",
         "consultants_commercial_labs_private_institutes": "консультанты, коммерческие лаборатории или частные исследовательские институты",
         "universities": "университеты",
         "public_or_private_research_institutes": "государственные или частные научно-исследовательские институты"}
PT_SHORT = {"suppliers": "suppliers", "private_sector_clients": "private_clients",
            "public_sector_clients": "public_clients", "competitors_other_enterprises": "competitors",
            "consultants_commercial_labs_private_institutes": "consultants", "universities": "universities",
            "public_or_private_research_institutes": "research_institutes"}
for r in rd("seed003_table20_enterprises_with_innovation_partners_2020.csv"):
    mm = missing_map(r["missing_codes"])
    cells = []
    for col, loc, lkk, lru, len_, mkey in LOC:
        code = f"innov_partners_{PT_SHORT[r['partner_type_id']]}_{loc}"
        I(code, f"Инновация саласындағы серіктестері бар кәсіпорындар: {r['partner_type_kk']} ({lkk}), бірлік",
          f"Предприятия, имеющие партнёров в области инноваций: {PT_RU[r['partner_type_id']]} ({lru}), единиц",
          f"Enterprises with innovation partners: {r['partner_type_en'].split(' (label')[0].lower()}, {len_}", "units", 1,
          "Enterprises of the region with partners of this type located as stated (Table 20); partner type and "
          "location are part of the code. Several partner types per enterprise are possible; no totals printed.",
          "T20", "2111-2127")
        v = num(r[col])
        cells.append((code, mm.get(mkey, "-") if v is None else v))
    emit_row("table20", "T20", "vko", int(r["source_line"]) + 1, cells, "2020")
N("", "innov_partners_public_clients_own_region", "", "language", "T20", "2140",
  "The row label is printed in Russian in the Kazakh table ('Клиенты или потребители из государственного сектора').",
  "Подпись строки напечатана по-русски в казахской таблице («Клиенты или потребители из государственного сектора»).")

# ---------------------------------------------------------------- Table 21
REASON_RU = {
    "lack_of_own_funds": "Недостаток средств", "lack_of_external_funding": "Недостаток средств из внешних источников финансирования",
    "innovation_costs_too_high": "Слишком высокие затраты на инновации", "lack_of_qualified_staff": "Недостаток квалифицированных кадров",
    "lack_of_technology_information": "Недостаток информации о технологиях", "lack_of_market_information": "Недостаток информации о рынках",
    "difficulty_finding_partners": "Трудности в поиске партнёров для инноваций",
    "market_dominated_by_established_enterprises": "Доминирование на рынке сложившихся предприятий",
    "uncertain_demand_for_innovative_goods": "Неопределённость спроса на инновационные товары или услуги",
    "no_need_due_to_prior_innovations": "Нет необходимости из-за ранее внедрённых инноваций",
    "no_need_due_to_no_demand": "Нет необходимости из-за отсутствия спроса на инновации"}
T21TERR = ["vko", "oskemen", "semey", "ridder", "glubokoe", "altai", "shemonaikha", "kurchatov", "ayagoz"]
for r in rd("seed003_table21_reasons_for_no_innovation_activity_2020.csv"):
    rid = r["reason_id"]
    code = f"no_innov_reason_{rid}"
    I(code, f"Инновациялық қызметтің жүзеге асырылмау себебі: {r['reason_kk']}, кәсіпорындар саны",
      f"Причина неосуществления инновационной деятельности: {REASON_RU[rid]}, число предприятий",
      f"Reason for not innovating: {r['reason_en'].lower()} (enterprises citing it)", "units", -1,
      "Number of enterprises citing this reason for not carrying out innovation activity (Table 21; several "
      "answers possible). The reason is part of the code.", "T21", "2192-2204")
    mm = missing_map(r["missing_codes"])
    cells = []
    for t in T21TERR:
        v = num(r[f"n_enterprises_{t}"])
        cells.append((t, mm.get(t, "-") if v is None else v))
    lines = locate(int(r["source_line"]) + 1, [v for _, v in cells], 16)
    for (t, v), ln in zip(cells, lines):
        if isinstance(v, str):
            O("table21", t, code, "2020", None, v, "missing", "T21", ln, "printed '-': phenomenon absent")
        else:
            O("table21", t, code, "2020", v, None, "published", "T21", ln)

# ---------------------------------------------------------------- Table 14 + Figures 16, 17
I("rnd_performing_enterprises", "ҒЗТКЖ жүзеге асыратын кәсіпорындарының саны", "Число предприятий, выполнявших НИОКР",
  "Enterprises performing R&D", "units", 1, "Enterprises (organisations) performing research and development (Table 14 row 1).",
  "T14", "1438")
I("innov_output_bn", "Инновациялық өнім көлемі, млрд теңге", "Объём инновационной продукции, млрд тенге",
  "Innovative output (bn KZT)", "bn KZT", 1,
  "Volume of innovative products as printed in bn KZT in Table 14 row 4; the same concept as innov_output (mln KZT), "
  "kept apart so that every value stays as printed.", "T14", "1469")
I("rnd_staff", "ҒЗТКЖ-мен айналысатын қызметкерлер саны, адам", "Численность работников, выполнявших НИОКР, человек",
  "R&D staff", "persons", 1, "Staff engaged in research and development (Table 14 row 5; Fig. 16 series 2).", "T14", "1477")
I("t14_row6_unlabelled", "ҒЗТКЖ-мен айналысатын қызметкерлер саны, адам (6-жол, белгісіз көрсеткіш)",
  "Строка 6 таблицы 14 (подпись повторяет «численность работников НИОКР»; показатель неизвестен)",
  "Table 14 row 6 (label duplicated; probably internal R&D expenditure)", "unknown (probably mln KZT)", 0,
  "Row 6 of Table 14 repeats the label of row 5 (R&D staff) but its values 3300.0-7082.3 cannot be head counts; "
  "probably internal R&D expenditure in mln KZT (unconfirmed). Kept under an explicit unknown-label code.",
  "T14", "1487")
I("rnd_expenditure_share_grp", "ЖӨӨ-дегі отандық ҒЗТКЖ шығындарының үлесі, %", "Доля внутренних затрат на НИОКР в ВРП, %",
  "Domestic R&D expenditure as a share of GRP", "%", 1, "Internal R&D expenditure / gross regional product x 100 (Fig. 16 series 3).",
  "F16", "4611-4614")
t14 = {r["indicator_id"]: r for r in rd("seed003_table14_eko_innovation_dynamics_2015_2020.csv")}
YEARS = ["2015", "2016", "2017", "2018", "2019", "2020"]
for tid, code, years, start in (
    ("rnd_performing_enterprises", "rnd_performing_enterprises", YEARS, 1438),
    ("enterprises_with_innovations", "enterprises_with_innovations", YEARS[:-1], 1447),
    ("innovation_activity_level_pct", "innov_activity_level", YEARS[:-1], 1455),
    ("innovative_product_volume_bn_kzt", "innov_output_bn", YEARS[:-1], 1469),
    ("rnd_staff_persons", "rnd_staff", YEARS[:-1], 1477),
    ("row6_label_duplicated_probably_internal_rnd_expenditure_mln_kzt", "t14_row6_unlabelled", YEARS[:-1], 1487),
):
    r = t14[tid]
    vals = [num(r["y" + y]) for y in years]
    lines = locate(start + 1, vals, 14)
    for y, v, ln in zip(years, vals, lines):
        note = ""
        if code == "enterprises_with_innovations":
            note = "also Fig. 16 l.4612"
        if code == "innov_activity_level":
            note = "also Fig. 17 l.4620"
        if code == "rnd_staff" and y != "2019":
            note = "also Fig. 16 l.4613"
        O("table14", "vko", code, y, v, None, "published", "T14", ln, note)
fig16 = rd("seed003_fig16_eko_innovation_and_rnd_dynamics_2013_2020.csv")
for r in fig16:
    y = r["year"]
    if y in ("2013", "2014"):
        O("fig16", "vko", "enterprises_with_innovations", y, num(r["enterprises_implementing_innovations"]), None,
          "published", "F16", locate(4612, [num(r["enterprises_implementing_innovations"])], 1)[0], "Fig. 16 chart data")
    if y in ("2013", "2014", "2020"):
        O("fig16", "vko", "rnd_staff", y, num(r["rnd_staff_persons"]), None, "published", "F16",
          locate(4613, [num(r["rnd_staff_persons"])], 1)[0], "Fig. 16 chart data")
    O("fig16", "vko", "rnd_expenditure_share_grp", y, num(r["domestic_rnd_expenditure_share_of_grp_pct"]), None,
      "published", "F16", locate(4614, [num(r["domestic_rnd_expenditure_share_of_grp_pct"])], 1)[0], "Fig. 16 chart data")
for r in rd("seed003_fig17_eko_innovation_activity_level_2013_2020.csv"):
    if r["year"] in ("2013", "2014"):
        O("fig17", "vko", "innov_activity_level", r["year"], num(r["innovation_activity_level_pct"]), None,
          "published", "F17", locate(4616, [num(r["innovation_activity_level_pct"])], 6)[0], "Fig. 17 chart data")
N("vko", "rnd_staff", "2019", "contradiction", "T14", "1484;4613",
  "Table 14 prints 2010 R&D staff for 2019 (l.1484); the Fig. 16 chart data print 2110 (l.4613). Unresolved; "
  "the text (l.1500) only says the number decreased.",
  "Таблица 14 даёт 2010 работников НИОКР за 2019 г. (стр. 1484), данные диаграммы рис. 16 — 2110 (стр. 4613). "
  "Не разрешено; текст (стр. 1500) говорит лишь о снижении.", alt="2110")
N("vko", "t14_row6_unlabelled", "", "label_defect", "T14", "1487",
  "The label of row 6 duplicates row 5 ('number of R&D staff'), but values 3300.0-7082.3 cannot be staff counts; "
  "probably internal R&D expenditure, mln KZT.",
  "Подпись строки 6 повторяет строку 5 («численность работников НИОКР»), но значения 3300,0-7082,3 не могут быть "
  "численностью; вероятно, внутренние затраты на НИОКР, млн тенге.")
N("vko", "innov_output_bn", "2019", "contradiction", "T14", "1474;1418;1425",
  "Table 14 places 223.6 bn KZT in the 2019 column and l.1418 gives 116.7 bn for 2020 (-47.7 %), but l.1425 calls "
  "223.6 bn the 2020 value. Every ratio in the text (2.8 times 2017, +28.4 % on the previous year) holds only for 2019.",
  "В таблице 14 223,6 млрд тенге стоят в столбце 2019 г., а стр. 1418 даёт 116,7 млрд за 2020 г. (-47,7 %), однако "
  "стр. 1425 называет 223,6 млрд значением 2020 г. Все соотношения текста (в 2,8 раза к 2017 г., +28,4 % к "
  "предыдущему году) верны только для 2019 г.")
N("vko", "innov_activity_level", "", "caption_defect", "F17", "1511;4620",
  "Fig. 17's caption says 'districts of ШҚО' but its chart data are the oblast time series 2013-2020.",
  "Подпись рис. 17 говорит о «районах ВКО», но данные диаграммы — ряд по области за 2013-2020 гг.")
