"""Part G: more running-text figures of chapter 2 that the seed003 methods compare against."""
SIZES = (("small", "шағын", "малых"), ("medium", "орта", "средних"), ("large", "ірі", "крупных"))
for size, kk, ru in SIZES:
    I(f"enterprises_with_innovations_{size}", f"Инновациялары бар {kk} кәсіпорындар саны",
      f"Число {ru} предприятий с инновациями", f"{size.capitalize()} enterprises with innovations", "units", 1,
      f"enterprises_with_innovations inside the {size}-enterprise size class (the size class is part of the code); "
      "quoted in the text (l.1808), the numerators of Table 16.", "text", 1808)
    I(f"share_of_oblast_innovating_{size}", f"Облыстың инновациялары бар {kk} кәсіпорындарындағы үлесі, %",
      f"Доля в числе {ru} предприятий области с инновациями, %",
      f"Share of the oblast's {size} enterprises with innovations", "%", 1,
      f"{size} enterprises with innovations of the territory / those of the oblast x 100 (text l.1808; the size "
      "class is part of the code).", "text", 1808)
I("enterprises_surveyed_large", "Ірі кәсіпорындар саны", "Число крупных предприятий (обследованных)",
  "Large enterprises surveyed", "units", 0,
  "enterprises_surveyed inside the large-enterprise size class (l.1417: 73 of 126 large enterprises innovated).",
  "text", 1417)
I("share_of_oblast_innovating", "Облыстың инновациялары бар кәсіпорындарындағы үлесі, %",
  "Доля в числе предприятий области с инновациями, %", "Share of the oblast's enterprises with innovations", "%", 1,
  "enterprises_with_innovations of the territory / of the oblast x 100 (text l.1521 on Table 15).", "text", 1521)
I("share_of_oblast_employees_surveyed", "Облыстың инновациялық зерттелген кәсіпорындары қызметкерлеріндегі үлесі, %",
  "Доля в численности работников обследованных предприятий области, %",
  "Share of the oblast's employees of surveyed enterprises", "%", 0,
  "employees_surveyed_enterprises of the territory / of the oblast x 100 (text l.1521 on Table 15).", "text", 1521)
I("innov_output_share_region", "Облыстың инновациялық өнім көлеміндегі үлесі, %",
  "Доля в объёме инновационной продукции области, %", "Share of the oblast's innovative output", "%", 1,
  "innov_output of the territory / of the oblast x 100 (text l.1873 on Table 17).", "text", 1873)
I("innov_output_sold_share", "Сатылған инновациялық өнімнің үлесі, %", "Доля реализованной инновационной продукции, %",
  "Share of innovative output sold", "%", 1, "innov_output_sold / innov_output x 100 (text l.1873 on Table 17).",
  "text", 1873)
I("innov_output_new_to_market_share", "Нарыққа жаңа инновациялық өнімнің үлесі, %",
  "Доля новой для рынка инновационной продукции, %", "Share of innovative output new to the market", "%", 1,
  "innov_output_sold_new_to_market / innov_output x 100 (text l.1873 on Table 17).", "text", 1873)
I("enterprises_with_innovations_decline_pct", "Инновациялар енгізген кәсіпорындар санының азаюы, %",
  "Снижение числа предприятий с инновациями, %", "Decline in enterprises with innovations", "% decline", -1,
  "(x_(t-1) - x_t) / x_(t-1) x 100 for enterprises_with_innovations, as the text states it (l.1500: 'fell by 13.6 %').",
  "text", 1500)
I("innov_activity_level_decline_pct", "Инновациялық белсенділік деңгейінің төмендеуі, %",
  "Снижение уровня инновационной активности, %", "Decline in the innovation activity level", "% decline", -1,
  "(x_(t-1) - x_t) / x_(t-1) x 100 for innov_activity_level, as the text states it (l.1513: 'fell by 13.5 %').",
  "text", 1513)
TXT2 = [
    ("vko", "enterprises_with_innovations_small", 93, 1808, ""),
    ("vko", "enterprises_with_innovations_medium", 70, 1808, ""),
    ("vko", "enterprises_with_innovations_large", 73, 1808, "also l.1417"),
    ("vko", "enterprises_surveyed_large", 126, 1417, ""),
    ("oskemen", "share_of_oblast_innovating_small", 64, 1808, ""),
    ("oskemen", "share_of_oblast_innovating_medium", 45.7, 1808, ""),
    ("oskemen", "share_of_oblast_innovating_large", 42.4, 1808, ""),
    ("semey", "share_of_oblast_innovating_small", 3.2, 1808, ""),
    ("semey", "share_of_oblast_innovating_medium", 14.2, 1808, ""),
    ("semey", "share_of_oblast_innovating_large", 16.4, 1808, ""),
    ("oskemen", "share_of_oblast_innovating", 52, 1521, ""),
    ("semey", "share_of_oblast_innovating", 10.6, 1521, ""),
    ("altai", "share_of_oblast_innovating", 6.7, 1521, ""),
    ("ridder", "share_of_oblast_innovating", 4, 1521, "the text gives 4 % for Ridder and Ayagoz together ('each')"),
    ("ayagoz", "share_of_oblast_innovating", 4, 1521, "the text gives 4 % for Ridder and Ayagoz together ('each')"),
    ("oskemen", "share_of_oblast_employees_surveyed", 50, 1521, ""),
    ("semey", "share_of_oblast_employees_surveyed", 23, 1521, ""),
    ("oskemen", "innov_output_share_region", 90, 1873, ""),
    ("semey", "innov_output_share_region", 7, 1873, ""),
    ("vko", "innov_output_sold_share", 94, 1873, ""),
    ("vko", "innov_output_new_to_market_share", 86, 1873, ""),
]
for t, code, v, ln, note in TXT2:
    assert on_line(v, ln), (code, v, ln)
    O("text", t, code, "2020", v, None, "published", "text", ln, note)
for code, v, ln in (("enterprises_with_innovations_decline_pct", 13.6, 1500),
                    ("innov_activity_level_decline_pct", 13.5, 1513)):
    assert on_line(v, ln)
    O("text", "vko", code, "2020", v, None, "published", "text", ln)
N("altai", "share_of_oblast_innovating", "2020", "text_rounding", "text", 1521,
  "16 / 236 = 6.78 %; the text truncates to 6.7.", "16 / 236 = 6,78 %; текст усекает до 6,7.")
N("vko", "innov_activity_level_decline_pct", "2020", "text_rounding", "text", 1513,
  "(14.9 - 12.9) / 14.9 = 13.4 %; the text says 13.5 %.",
  "(14,9 - 12,9) / 14,9 = 13,4 %; в тексте 13,5 %.", alt="13.4")
N("vko", "enterprises_with_innovations_decline_pct", "2020", "label_defect", "text", 1500,
  "The text says the number fell 'compared with 2020' from 273 to 236; 273 is the 2019 value (Table 14), so the "
  "fall is 2019 -> 2020.", "Текст говорит о снижении «по сравнению с 2020 г.» с 273 до 236; 273 — значение 2019 г. "
  "(таблица 14), так что снижение относится к 2019 -> 2020 гг.")
for o in OBS:
    if o["file"] == "fig19" and o["indicator"] in ("innov_cost_share_mining", "innov_cost_share_manufacturing",
                                                   "innov_cost_share_agriculture"):
        o["note"] = "also text l.2045"
