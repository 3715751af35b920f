"""Part C: Tables 25-27, figures 18-20, derived growth-rate ratios."""
RES = [
    ("eap", "econ_active_population", "economically_active_population_thous", "Экономикалық белсенді халық саны, мың адам",
     "Численность экономически активного населения, тыс. человек", "Economically active population", "thous. persons",
     "eap_share", "Ауданның экономикалық белсенді халық санындағы үлесі", "Доля района в численности экономически активного населения"),
    ("employed", "employed_population", "employed_population_thous", "Жұмыспен қамтылған халық саны, мың адам",
     "Численность занятого населения, тыс. человек", "Employed population", "thous. persons",
     "employed_share", "Ауданның жұмыспен қамтылған халық санындағы үлесі", "Доля района в численности занятого населения"),
    ("fixed_assets", "fixed_assets_value", "fixed_assets_value_mln_kzt", "Негізгі қорлардың құны, млн теңге",
     "Стоимость основных фондов, млн тенге", "Value of fixed assets", "mln KZT",
     "fixed_assets_share", "Негізгі қорлар көлеміндегі ауданның үлесі", "Доля района в объёме основных фондов"),
    ("enterprises", "enterprises_organisations", "enterprises_and_organisations_count", "Кәсіпорындар мен ұйымдар саны",
     "Число предприятий и организаций", "Enterprises and organisations", "units",
     "enterprises_share", "Кәсіпорындар мен ұйымдар қатарындағы ауданның үлесі", "Доля района в числе предприятий и организаций"),
]
for key, code, col, kk, ru, en, unit, scol, skk, sru in RES:
    I(code, kk, ru, en, unit, 1,
      f"{en} of the territory (Table 25). Table 25's title and header promise 'the ratio of the indicator's growth "
      "rate to the ШҚО growth rate' for 2020, but the cells are levels consistent with 2019 (Table 26's 2019 shares "
      "are these levels over the oblast total); bundled as levels for 2019.", "T25", "2527-2538")
    I(f"resource_share_{key}", skk + ", %", sru + ", %", f"Territory's share in the oblast's {en.lower()}", "%", 1,
      f"100 x {code} of the territory / {code} of the oblast (Table 26, 2010 and 2019).", "T26", "2664-2683")
    I(f"resource_growth_ratio_{key}", f"{kk.split(',')[0]}: өсу қарқынының ШҚО өсу қарқынына қатынасы",
      f"{ru.split(',')[0]}: отношение темпа роста к темпу роста по ВКО",
      f"Growth-rate ratio of {en.lower()} to the oblast's", "ratio", 1,
      "K = (X_i,2019 / X_i,2010) / (X_oblast,2019 / X_oblast,2010) = share_2019 / share_2010 (Table 25 title, method "
      "text l.2520-2525). Not printed in the seed: derived from the printed Table 26 shares. K > 1: the territory "
      "gained share of the resource.", "T25", "2520-2531")
t26 = {r["territory_id"]: r for r in rd("seed003_table26_district_shares_in_resources_2010_2019.csv")}
t26_lines = {}
for r in rd("seed003_table25_district_resource_volumes.csv"):
    t = r["territory_id"]
    cells = [(code, num(r[col])) for _, code, col, *_ in RES]
    lines = locate(int(r["source_line"]) + 1, [v for _, v in cells], 10)
    for (code, v), ln in zip(cells, lines):
        raw = LINES[ln].strip()
        O("table25", t, code, "2019", v, None, "published", "T25", ln,
          f"printed cell '{raw}'" if "/" in raw else "")
        if "/" in raw:
            N(t, code, "2019", "extraction_defect", "T25", ln,
              f"The printed cell '{raw}' carries extra slash-separated numbers; the first is the table value (the "
              "column sums confirm it). The extra numbers look like pasted R&D statistics (organisations / staff; "
              "they sum to the oblast's 35 / 2295 of Table 14, 2018).",
              f"Напечатанная ячейка «{raw}» содержит лишние числа через косую черту; значение таблицы — первое "
              "(подтверждается суммами столбца). Лишние числа похожи на вставленную статистику НИОКР "
              "(организации / работники; в сумме 35 / 2295 по области, таблица 14, 2018 г.).")
    r26 = t26[t]
    cols = [("eap", "2010"), ("eap", "2019"), ("employed", "2010"), ("employed", "2019"),
            ("fixed_assets", "2010"), ("fixed_assets", "2019"), ("enterprises", "2010"), ("enterprises", "2019")]
    vals = [num(r26[f"{k}_share_{y}_pct"]) for k, y in cols]
    lines = locate(int(r26["source_line"]) + 1, vals, 12)
    for (k, y), v, ln in zip(cols, vals, lines):
        O("table26", t, f"resource_share_{k}", y, v, None, "published", "T26", ln)
        t26_lines[(t, k, y)] = (v, ln)
for t in t26:
    if t == "vko":
        continue
    for k in ("eap", "employed", "fixed_assets", "enterprises"):
        s0, l0 = t26_lines[(t, k, "2010")]
        s1, l1 = t26_lines[(t, k, "2019")]
        O("table26_derived", t, f"resource_growth_ratio_{k}", "2010-2019", round(s1 / s0, 3), None, "derived", "T26",
          f"{l0};{l1}", f"= {s1} / {s0} (Table 26 shares 2019 / 2010)")
