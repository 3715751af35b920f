"""Shared helpers for the seed003 bundle generator (not part of the repo)."""
import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[3].parent / "shared/seeds" / ("003_3a06c82bf9319e49.txt")
LINES = [""] + SEED.read_text(encoding="utf-8").splitlines()
SP = "[ \u00a0\u202f]"
MERGED = re.compile(r"(?<![\d.,])(?:(?<![^\s(])-)?\d{1,3}(?:" + SP + r"\d{3})+(?:[.,]\d+)?(?![\d])")
SIMPLE = re.compile(r"(?:(?<![^\s(])-)?\d+(?:[.,]\d+)?")


def numbers(text):
    out = set()
    for m in MERGED.finditer(text):
        out.add(float(re.sub(SP, "", m.group()).replace(",", ".")))
    for m in SIMPLE.finditer(text):
        out.add(float(m.group().replace(",", ".")))
    return out


def on_line(value, line_no):
    text = LINES[line_no]
    if isinstance(value, str):
        s = text.strip()
        if value == "-":
            return s in ("-", "–", "—")
        if value == "x":
            return s in ("x", "х", "X", "Х")
        return value.lower() in text.lower()
    return any(abs(v - value) <= 1e-9 * max(1.0, abs(value)) for v in numbers(text))


def locate(start, values, window=14):
    """Find each value in order on the lines after ``start``; returns line numbers."""
    out = []
    cur = start
    for v in values:
        for ln in range(cur, min(cur + window, len(LINES))):
            if on_line(v, ln):
                out.append(ln)
                cur = ln + 1
                break
        else:
            raise ValueError(f"value {v!r} not found after line {cur}: {LINES[cur:cur+4]}")
    return out


def printed(value, line_no):
    """The raw printed token of ``value`` on the line (for the value_printed column)."""
    text = LINES[line_no]
    if isinstance(value, str):
        return text.strip()
    for rx in (MERGED, SIMPLE):
        for m in rx.finditer(text):
            v = float(re.sub(SP, "", m.group()).replace(",", "."))
            if abs(v - value) <= 1e-9 * max(1.0, abs(value)):
                return m.group().replace("\u00a0", " ").replace("\u202f", " ")
    return ""
