import csv, os, sys
from collections import Counter
os.chdir(os.path.dirname(os.path.abspath(__file__)))
g = {}
for f in "abcdefg":
    exec(open(f"gen_{f}.py").read(), g)
IND, OBS, NOTES = g["IND"], g["OBS"], g["NOTES"]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../src/aimaq/store/bundled")
for d in ("indicators", "observations", "notes", "reference"):
    os.makedirs(f"{ROOT}/{d}", exist_ok=True)

keys = Counter((o["territory"], o["indicator"], o["period"]) for o in OBS)
dups = [k for k, c in keys.items() if c > 1]
assert not dups, dups
used = {o["indicator"] for o in OBS}
unused = set(IND) - used
assert not unused, unused


def fmt(v):
    if v == "" or v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    r = repr(float(v))
    return r[:-2] if r.endswith(".0") else r


with open(f"{ROOT}/indicators/seed003.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, ["code", "name_kk", "name_ru", "name_en", "unit", "direction", "kind", "definition_en",
                            "seed", "table", "lines", "categories"], lineterminator="\n")
    w.writeheader()
    for r in IND.values():
        w.writerow(r)
files = {}
for o in OBS:
    files.setdefault(o["file"], []).append(o)
OCOLS = ["territory", "indicator", "period", "value", "value_text", "status", "seed", "table", "lines", "note",
         "value_printed"]
for old in os.listdir(f"{ROOT}/observations"):
    if old.startswith("seed003_"):
        os.remove(f"{ROOT}/observations/{old}")
for name, rows in files.items():
    with open(f"{ROOT}/observations/seed003_{name}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, OCOLS, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "value": fmt(r["value"])})
# every note must hit at least one cell
def hits(n):
    return [o for o in OBS if (not n["territory"] or o["territory"] == n["territory"])
            and (not n["indicator"] or o["indicator"] == n["indicator"])
            and (not n["period"] or o["period"] == n["period"])]
bad = [n for n in NOTES if not hits(n)]
assert not bad, bad[:3]
with open(f"{ROOT}/notes/seed003.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, ["id", "territory", "indicator", "period", "kind", "seed", "table", "lines", "text_en",
                            "text_ru", "alt_value"], lineterminator="\n")
    w.writeheader()
    for i, n in enumerate(NOTES, 1):
        w.writerow({"id": f"seed003_n{i:03d}", **n})
print(len(IND), "indicators;", len(OBS), "observations in", len(files), "files;", len(NOTES), "notes")
print(Counter(o["status"] for o in OBS))
