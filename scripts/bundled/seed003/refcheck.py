import os
import csv, re, sys, glob
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import LINES
def norm(s):
    return re.sub(r"[^0-9a-zа-яёәіңғүұқөһ]", "", s.lower())
def line_numbers(spec):
    out = []
    for part in re.split(r"[;,]", spec or ""):
        part = part.strip()
        if not part: continue
        m = re.match(r"^(\d+)\s*[-–]\s*(\d+)$", part)
        if m: out += list(range(int(m.group(1)), int(m.group(2)) + 1))
        elif part.isdigit(): out.append(int(part))
    return out
def check(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    cols = rows[0].keys()
    kk = [c for c in cols if c.endswith("_kk") or "_kk_" in c or c.startswith("kk")]
    lc = [c for c in cols if "line" in c]
    fails = []
    for i, r in enumerate(rows, 2):
        lines = sorted(set(sum((line_numbers(r[c]) for c in lc), [])))
        if not lines:
            fails.append((i, "no lines")); continue
        window = norm(" ".join(LINES[max(1, lines[0] - 3): lines[-1] + 4]))
        for c in kk:
            for piece in re.split(r";", r[c] or ""):
                p = norm(re.sub(r"^\s*\d+[).]\s*", "", piece))[:14]
                if p and p not in window:
                    fails.append((i, c, piece[:40], lines[:3]))
    return len(rows), fails
for p in sorted(glob.glob(sys.argv[1])):
    n, f = check(p)
    print(p.split("/")[-1], n, len(f), f[:4])
