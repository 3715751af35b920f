"""Generate territories.csv and territory_aliases.csv (editor's tool, not shipped)."""
import csv, sys
OUT = sys.argv[1]
SPLIT = "2022-06-08"; BEFORE_SPLIT = "2022-06-07"
SKO = "2018-06-19"; BEFORE_SKO = "2018-06-18"
A = "administrative centre; coordinates approximate (about 0.05 degree)"
# code, level, parent, kk, ru, en, iso, from, to, lat, lon, successor, parent_changes, note
T = [
 ("kz","country","","Қазақстан Республикасы","Республика Казахстан","Republic of Kazakhstan","KZ","","",51.1694,71.4491,"","","point = the capital Astana"),
 ("abai","region","kz","Абай облысы","область Абай","Abai Region","KZ-10",SPLIT,"",50.4111,80.2275,"","","formed 8 June 2022 from the south-western part of East Kazakhstan region; centre Semey; "+A),
 ("akmola","region","kz","Ақмола облысы","Акмолинская область","Akmola Region","KZ-11","","",53.2833,69.3833,"","","centre Kokshetau; "+A),
 ("aktobe","region","kz","Ақтөбе облысы","Актюбинская область","Aktobe Region","KZ-15","","",50.2839,57.1670,"","","centre Aktobe; "+A),
 ("almaty_region_1997","region","kz","Алматы облысы","Алматинская область","Almaty Region (borders of 1997-2022)","KZ-19","",BEFORE_SPLIT,45.0156,78.3739,"almaty_region;zhetysu","","borders of the 1997 merger with Taldykorgan region until the 2022 split; centre Taldykorgan (from 2001); "+A),
 ("almaty_region","region","kz","Алматы облысы","Алматинская область","Almaty Region","KZ-19",SPLIT,"",43.8667,77.0667,"","","borders since 8 June 2022 (Jetisu region split off); centre Konaev; "+A),
 ("atyrau","region","kz","Атырау облысы","Атырауская область","Atyrau Region","KZ-23","","",47.1167,51.8833,"","","centre Atyrau; "+A),
 ("west_kazakhstan","region","kz","Батыс Қазақстан облысы","Западно-Казахстанская область","West Kazakhstan Region","KZ-27","","",51.2333,51.3667,"","","centre Oral (Uralsk); "+A),
 ("zhambyl","region","kz","Жамбыл облысы","Жамбылская область","Zhambyl Region","KZ-31","","",42.9000,71.3667,"","","centre Taraz; "+A),
 ("zhetysu","region","kz","Жетісу облысы","область Жетісу","Jetisu Region","KZ-33",SPLIT,"",45.0156,78.3739,"","","formed 8 June 2022 from the north-eastern part of Almaty region; centre Taldykorgan; "+A),
 ("karaganda_1997","region","kz","Қарағанды облысы","Карагандинская область","Karaganda Region (borders of 1997-2022)","KZ-35","",BEFORE_SPLIT,49.8047,73.1094,"karaganda;ulytau","","borders of the 1997 merger with Zhezkazgan region until the 2022 split; centre Karaganda; "+A),
 ("karaganda","region","kz","Қарағанды облысы","Карагандинская область","Karaganda Region","KZ-35",SPLIT,"",49.8047,73.1094,"","","borders since 8 June 2022 (Ulytau region split off); centre Karaganda; "+A),
 ("kostanay","region","kz","Қостанай облысы","Костанайская область","Kostanay Region","KZ-39","","",53.2144,63.6246,"","","centre Kostanay; "+A),
 ("kyzylorda","region","kz","Қызылорда облысы","Кызылординская область","Kyzylorda Region","KZ-43","","",44.8528,65.5092,"","","centre Kyzylorda; "+A),
 ("mangystau","region","kz","Маңғыстау облысы","Мангистауская область","Mangystau Region","KZ-47","","",43.6500,51.1667,"","","centre Aktau; "+A),
 ("pavlodar","region","kz","Павлодар облысы","Павлодарская область","Pavlodar Region","KZ-55","","",52.2833,76.9667,"","","centre Pavlodar; "+A),
 ("north_kazakhstan","region","kz","Солтүстік Қазақстан облысы","Северо-Казахстанская область","North Kazakhstan Region","KZ-59","","",54.8833,69.1500,"","","centre Petropavl; "+A),
 ("south_kazakhstan","region","kz","Оңтүстік Қазақстан облысы","Южно-Казахстанская область","South Kazakhstan Region","","",BEFORE_SKO,42.3167,69.5958,"turkistan;shymkent","","until 18 June 2018, when it became Turkistan region and Shymkent became a city of republican significance; centre Shymkent; ISO 3166-2 code of the time KZ-YUZ (alphabetic codes before 2020), left empty here; "+A),
 ("turkistan","region","kz","Түркістан облысы","Туркестанская область","Turkistan Region","KZ-61",SKO,"",43.3000,68.2500,"","","formed 19 June 2018 from South Kazakhstan region without Shymkent; centre Turkistan; "+A),
 ("ulytau","region","kz","Ұлытау облысы","область Ұлытау","Ulytau Region","KZ-62",SPLIT,"",47.7833,67.7000,"","","formed 8 June 2022 from the western part of Karaganda region; centre Zhezkazgan; "+A),
 ("east_kazakhstan_1997","region","kz","Шығыс Қазақстан облысы","Восточно-Казахстанская область","East Kazakhstan Region (borders of 1997-2022)","KZ-63","",BEFORE_SPLIT,49.9483,82.6279,"east_kazakhstan;abai","","borders of the 1997 merger with Semipalatinsk region until the 2022 split; the territory of seed 003 (2010-2020); centre Oskemen; "+A),
 ("east_kazakhstan","region","kz","Шығыс Қазақстан облысы","Восточно-Казахстанская область","East Kazakhstan Region","KZ-63",SPLIT,"",49.9483,82.6279,"","","borders since 8 June 2022 (Abai region split off); centre Oskemen; "+A),
 ("astana","city_rs","kz","Астана қаласы","город Астана","Astana","KZ-71","","",51.1694,71.4491,"","","capital; named Nur-Sultan from 23 March 2019 to 17 September 2022 (a renaming, not a border change); later boundary extensions into Akmola region are not versioned"),
 ("almaty_city","city_rs","kz","Алматы қаласы","город Алматы","Almaty","KZ-75","","",43.2383,76.9456,"","","city of republican significance; its 2014 boundary extension into Almaty region is not versioned"),
 ("shymkent","city_rs","kz","Шымкент қаласы","город Шымкент","Shymkent","KZ-79",SKO,"",42.3167,69.5958,"","","city of republican significance since 19 June 2018 (before: a city of South Kazakhstan region, not in this gazetteer)"),
]
D = "district"; C = "city"; E97 = "east_kazakhstan_1997"
def ek(code, level, kk, ru, en, lat, lon, after, note):
    return (code, level, E97, kk, ru, en, "", "", "", lat, lon, "", f"{SPLIT}:{after}", note)
DA = "district centre; coordinates approximate (about 0.1 degree)"
CA = "city of regional significance (with the settlements it administers); coordinates approximate (about 0.05 degree)"
T += [
 ek("oskemen",C,"Өскемен қаласы","город Усть-Каменогорск","Oskemen (Ust-Kamenogorsk)",49.9483,82.6279,"east_kazakhstan",CA),
 ek("ridder",C,"Риддер қаласы","город Риддер","Ridder",50.3444,83.5125,"east_kazakhstan","formerly Leninogorsk; "+CA),
 ek("semey",C,"Семей қаласы","город Семей","Semey",50.4111,80.2275,"abai","formerly Semipalatinsk; its rural area forms Zhanasemey district of Abai region after the 2022 reform (external knowledge, not in the seeds; this change of the city's own borders is not versioned here); "+CA),
 ek("kurchatov",C,"Курчатов қаласы","город Курчатов","Kurchatov",50.7561,78.5425,"abai",CA),
 ek("abai_district",D,"Абай ауданы","Абайский район","Abai District",48.9464,79.2550,"abai","seed 003 writes territory_id 'abai'; renamed abai_district here because 'abai' is the region; centre Karaul; "+DA),
 ek("ayagoz",D,"Аягөз ауданы","Аягозский район","Ayagoz District",47.9667,80.4333,"abai","centre Ayagoz; "+DA),
 ek("beskaragai",D,"Бесқарағай ауданы","Бескарагайский район","Beskaragai District",50.8872,79.5000,"abai","centre Beskaragai; "+DA),
 ek("borodulikha",D,"Бородулиха ауданы","Бородулихинский район","Borodulikha District",50.7167,80.9333,"abai","centre Borodulikha; "+DA),
 ek("glubokoe",D,"Глубокое ауданы","Глубоковский район","Glubokoe District",50.1333,82.3167,"east_kazakhstan","centre Glubokoe; "+DA),
 ek("zharma",D,"Жарма ауданы","Жарминский район","Zharma District",49.3300,81.5700,"abai","centre Kalbatau; "+DA),
 ek("zaisan",D,"Зайсан ауданы","Зайсанский район","Zaisan District",47.4667,84.8667,"east_kazakhstan","centre Zaisan; "+DA),
 ek("altai",D,"Алтай ауданы","Алтайский район","Altai District",49.7333,84.2667,"east_kazakhstan","formerly Zyryanovsk district (renamed 2019, after merging with Zyryanovsk town administration); seed 003 maps 'Зырян' here; centre Altai (formerly Zyryanovsk); "+DA),
 ek("kokpekti",D,"Көкпекті ауданы","Кокпектинский район","Kokpekti District",48.7500,82.4000,"abai","after the 2022 reform part of it forms Samar district of East Kazakhstan region (external knowledge, not in the seeds; not versioned here); centre Kokpekti; "+DA),
 ek("kurshim",D,"Күршім ауданы","Курчумский район","Kurshim (Kurchum) District",48.5667,83.6500,"east_kazakhstan","centre Kurshim; "+DA),
 ek("katonkaragai",D,"Катонқарағай ауданы","Катон-Карагайский район","Katonkaragai District",49.2000,84.5100,"east_kazakhstan","centre Ulken Naryn; "+DA),
 ek("tarbagatai",D,"Тарбағатай ауданы","Тарбагатайский район","Tarbagatai District",47.6000,84.1000,"east_kazakhstan","after the 2022 reform part of it forms Aksuat district of Abai region (external knowledge, not in the seeds; not versioned here); centre Akzhar; "+DA),
 ek("ulan",D,"Ұлан ауданы","Уланский район","Ulan District",49.6500,82.9500,"east_kazakhstan","centre Kasym Kaisenov; "+DA),
 ek("urzhar",D,"Үржар ауданы","Урджарский район","Urzhar District",47.0833,81.6333,"abai","after the 2022 reform part of it forms Makanshy district of Abai region (external knowledge, not in the seeds; not versioned here); centre Urzhar; "+DA),
 ek("shemonaikha",D,"Шемонаиха ауданы","Шемонаихинский район","Shemonaikha District",50.6333,81.9000,"east_kazakhstan","centre Shemonaikha; "+DA),
]
K97 = "karaganda_1997"; MA = "monotown of seed 004; coordinates approximate (about 0.05 degree)"
def mono(code, kk, ru, en, lat, lon, after, note=""):
    return (code, "monotown", K97, kk, ru, en, "", "", "", lat, lon, "", f"{SPLIT}:{after}", (note + "; " if note else "") + MA)
T += [
 mono("balkhash","Балқаш қаласы","город Балхаш","Balkhash",46.8481,74.9950,"karaganda"),
 mono("zhezkazgan","Жезқазған қаласы","город Жезказган","Zhezkazgan",47.7833,67.7000,"ulytau","centre of Ulytau region since 2022"),
 mono("karazhal","Қаражал қаласы","город Каражал","Karazhal",48.0025,70.7856,"ulytau"),
 mono("saran","Саран қаласы","город Сарань","Saran",49.8000,72.8500,"karaganda"),
 mono("satpayev","Сәтбаев қаласы","город Сатпаев","Satpayev",47.9000,67.5333,"ulytau"),
 mono("temirtau","Теміртау қаласы","город Темиртау","Temirtau",50.0500,72.9500,"karaganda"),
 mono("shakhtinsk","Шахтинск қаласы","город Шахтинск","Shakhtinsk",49.7167,72.5833,"karaganda","Table 2 of seed 004 prints «Шахты»"),
 mono("abai_town","Абай қаласы","город Абай","Abai (town)",49.6311,72.8539,"karaganda","seed 004 writes town_id 'abai'; renamed abai_town here because 'abai' is the region; a town of district significance in Abai district"),
]
cols = ["code","level","parent","name_kk","name_ru","name_en","iso","valid_from","valid_to","lat","lon","successor","parent_changes","note"]
with open(f"{OUT}/territories.csv","w",newline="",encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(cols)
    for r in T:
        r = list(r); r[9] = f"{r[9]:.4f}"; r[10] = f"{r[10]:.4f}"; w.writerow(r)

# aliases: besides the three names (which are matched as well), spellings and abbreviations used in the seeds
AL = {
 "kz": [("Қазақстан","kk"),("Казахстан","ru"),("Kazakhstan","en"),("РК","ru"),("ҚР","kk"),("Қазақстан барлығы","kk")],
 "abai": [("Абайская область","ru"),("Abay Region","en"),("Abai oblysy","en")],
 "akmola": [("Ақмола","kk"),("Акмолинская обл.","ru"),("Aqmola Region","en")],
 "aktobe": [("Ақтөбе","kk"),("Актюбинская обл.","ru"),("Aqtobe Region","en")],
 "almaty_region_1997": [("Алматинская обл.","ru"),("Almaty oblysy","en")],
 "almaty_region": [("Алматинская обл.","ru"),("Almaty oblysy","en")],
 "atyrau": [("Атырауская обл.","ru"),("Atyrau oblysy","en")],
 "west_kazakhstan": [("Батыс Қазақстан","kk"),("БҚО","kk"),("ЗКО","ru"),("Западно-Казахстанская обл.","ru"),("West Kazakhstan","en"),("Batys Qazaqstan","en")],
 "zhambyl": [("Жамбыл","kk"),("Жамбылская обл.","ru"),("Jambyl Region","en")],
 "zhetysu": [("Жетісу","kk"),("Жетысуская область","ru"),("Zhetysu Region","en"),("Jetisu","en"),("Zhetysu","en")],
 "karaganda_1997": [("Қарағанды","kk"),("Карагандинская обл.","ru"),("Qaraghandy Region","en"),("Karagandy Region","en")],
 "karaganda": [("Қарағанды","kk"),("Карагандинская обл.","ru"),("Qaraghandy Region","en"),("Karagandy Region","en")],
 "kostanay": [("Қостанай","kk"),("Костанайская обл.","ru"),("Qostanay Region","en")],
 "kyzylorda": [("Қызылорда","kk"),("Кызылординская обл.","ru"),("Qyzylorda Region","en")],
 "mangystau": [("Маңғыстау","kk"),("Мангистауская обл.","ru"),("Mangistau Region","en")],
 "pavlodar": [("Павлодар","kk"),("Павлодарская обл.","ru")],
 "north_kazakhstan": [("Солтүстік Қазақстан","kk"),("СҚО","kk"),("СКО","ru"),("Северо-Казахстанская обл.","ru"),("North Kazakhstan","en"),("Soltustik Qazaqstan","en")],
 "south_kazakhstan": [("ОҚО","kk"),("ЮКО","ru"),("Южно-Казахстанская обл.","ru"),("South Kazakhstan","en")],
 "turkistan": [("Түркістан","kk"),("Туркестанская обл.","ru"),("Turkestan Region","en")],
 "ulytau": [("Ұлытау","kk"),("Улытауская область","ru"),("Ulytau","en")],
 "east_kazakhstan_1997": [("Шығыс Қазақстан","kk"),("ШҚО","kk"),("Шығыс Қазақстан облысы (ШҚО)","kk"),("ВКО","ru"),("Восточно-Казахстанская обл.","ru"),("East Kazakhstan","en"),("Shygys Qazaqstan","en")],
 "east_kazakhstan": [("Шығыс Қазақстан","kk"),("ШҚО","kk"),("Шығыс Қазақстан облысы (ШҚО)","kk"),("ВКО","ru"),("Восточно-Казахстанская обл.","ru"),("East Kazakhstan","en"),("Shygys Qazaqstan","en")],
 "astana": [("Астана","kk"),("Астана қ","kk"),("Нұр-Сұлтан","kk"),("Нур-Султан","ru"),("Nur-Sultan","en"),("г. Астана","ru"),("Astana city","en")],
 "almaty_city": [("Алматы қ","kk"),("г. Алматы","ru"),("Алма-Ата","ru"),("Almaty city","en")],
 "shymkent": [("Шымкент","kk"),("Шымкент қ","kk"),("г. Шымкент","ru"),("Чимкент","ru"),("Shymkent city","en")],
 "oskemen": [("Өскемен","kk"),("Өскемен қ.","kk"),("Усть-Каменогорск","ru"),("Ust-Kamenogorsk","en"),("Oskemen city","en")],
 "ridder": [("Риддер","kk"),("Риддер қ.","kk"),("Лениногорск","ru"),("Leninogorsk","en")],
 "semey": [("Семей","kk"),("Семей қ.","kk"),("Семипалатинск","ru"),("Semipalatinsk","en")],
 "kurchatov": [("Курчатов","kk"),("Курчатов қ.","kk")],
 "abai_district": [("Абай ауд.","kk")],
 "ayagoz": [("Аягөз","kk"),("Аягуз","ru"),("Ayagoz","en")],
 "beskaragai": [("Бесқарағай","kk"),("Beskaragai","en"),("Beskaragay District","en")],
 "borodulikha": [("Бородулиха","kk"),("Borodulikha","en")],
 "glubokoe": [("Глубокое","kk"),("Glubokoye District","en"),("Glubokoe","en")],
 "zharma": [("Жарма","kk"),("Zharma","en")],
 "zaisan": [("Зайсан","kk"),("Zaysan District","en"),("Zaisan","en")],
 "altai": [("Зырян","kk"),("Зыряновский район","ru"),("Зырян ауданы","kk"),("Zyryanovsk District","en"),("Altai district (former Zyryanovsk)","en")],
 "kokpekti": [("Көкпекті","kk"),("Kokpekty District","en"),("Kokpekti","en")],
 "kurshim": [("Күршім","kk"),("Курчум","ru"),("Kurchum District","en"),("Kurshim","en")],
 "katonkaragai": [("Катонқарағай","kk"),("Катон-Қарағай ауданы","kk"),("Katon-Karagay District","en")],
 "tarbagatai": [("Тарбағатай","kk"),("Tarbagatay District","en")],
 "ulan": [("Ұлан","kk"),("Ulan","en")],
 "urzhar": [("Үржар","kk"),("Урджар","ru"),("Urzhar","en")],
 "shemonaikha": [("Шемонаиха","kk"),("Shemonaikha","en")],
 "balkhash": [("Балқаш","kk"),("Балхаш","ru"),("Balqash","en")],
 "zhezkazgan": [("Жезқазған","kk"),("Жезказған","kk"),("Жезказган","ru"),("Jezqazghan","en"),("Jezkazgan","en")],
 "karazhal": [("Қаражал","kk"),("Каражал","ru"),("Qarazhal","en")],
 "saran": [("Саран","kk"),("Сарань","ru")],
 "satpayev": [("Сәтбаев","kk"),("Сатпаев","kk"),("Satbaev","en"),("Satpaev","en")],
 "temirtau": [("Теміртау","kk"),("Темиртау","ru")],
 "shakhtinsk": [("Шахты","kk"),("Шахтинск","kk"),("Shakhty","en")],
 "abai_town": [("Абай қ.","kk"),("Abay (town)","en")],
}
with open(f"{OUT}/territory_aliases.csv","w",newline="",encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["code","alias","lang"])
    for code, al in AL.items():
        for a, lang in al: w.writerow([code, a, lang])
