"""The Kazakh texts (``text_kk``) of the bundled data-quality notes: present, Kazakh, faithful in every
figure, line reference, seed quote and code of the English text, stored by the loader, shown on kk pages."""

from __future__ import annotations

import csv
import filecmp
import importlib.util
import re
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import aimaq.store
from aimaq.store.repository import Store

NOTES = Path(aimaq.store.__file__).parent / "bundled" / "notes"
SCRIPT = Path(__file__).parents[2] / "scripts" / "bundled" / "notes_kk.py"
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# A figure as the texts print it: 29.8, 539,041.3, 18,8; "1.5e-5" gives 1.5 and 5, "2013-14" 2013 and 14.
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# English line references: "l.379", "L.380-381", "l.5, 606, 631", "Line 100", "lines 1221-1278".
EN_LINES = re.compile(r"(?:\b[lL]\.\s?|\b[lL]ines?\s)(\d+(?:\s*-\s*\d+)?(?:,\s*\d+(?:\s*-\s*\d+)?)*)")
# Kazakh line references put the numbers first: "379-жол", "380-381-жолдар", "1497 және 1499-жолдарда".
KK_LINES = re.compile(r"(\d+(?:\s*(?:-|,|және)\s*\d+)*)-жол")
# Seed quotes in «» that carry no Latin letter (those with one are English renderings, e.g. «below 15,0»).
SEED_QUOTE = re.compile(r"«[^«»A-Za-z]+»")
# Codes: snake_case names, bundled file paths, symbols such as X4, R5, T1, B1.
CODE = re.compile(r"\b[\w/]+\.csv\b|\b[a-z0-9]+(?:_[a-z0-9]+)+\b|\b[A-Z]\d+\b")


@cache
def notes() -> tuple[dict[str, str], ...]:
    rows = []
    for path in sorted(NOTES.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for number, row in enumerate(csv.DictReader(f), start=2):
                row["_where"] = f"notes/{path.name} row {number} ({row['id']})"
                rows.append(row)
    return tuple(rows)


def _problems(check) -> Iterator[str]:
    for n in notes():
        problem = check(n["text_en"], n.get("text_kk") or "")
        if problem:
            yield f"{n['_where']}: {problem}"


def test_every_note_has_a_kazakh_text() -> None:
    assert len(notes()) > 300
    problems = []
    for n in notes():
        kk = (n.get("text_kk") or "").strip()
        if not kk:
            problems.append(f"{n['_where']}: empty text_kk")
        elif not KAZAKH_LETTERS.search(kk):
            problems.append(f"{n['_where']}: text_kk has no Kazakh letter (ә ғ қ ң ө ұ ү һ і): {kk[:60]}")
        elif kk in (n["text_en"], n["text_ru"]):
            problems.append(f"{n['_where']}: text_kk is a copy of another language")
    assert problems == []


def _numbers(en: str, kk: str) -> str | None:
    lost = set(NUMBER.findall(en)) - set(NUMBER.findall(kk))
    if lost:
        return f"figures of text_en missing in text_kk: {sorted(lost)}"
    # A decimal figure the English text does not have is a mistyped one (ordinals and counts may be added).
    invented = {x for x in NUMBER.findall(kk) if "." in x} - set(NUMBER.findall(en))
    return f"decimal figures not in text_en: {sorted(invented)}" if invented else None


def _lines(en: str, kk: str) -> str | None:
    wanted = {x for ref in EN_LINES.findall(en) for x in NUMBER.findall(ref)}
    given = {x for ref in KK_LINES.findall(kk) for x in NUMBER.findall(ref)}
    return (
        f"line references of text_en not cited as '-жол' in text_kk: {sorted(wanted - given)}"
        if wanted - given
        else None
    )


def _quotes_and_codes(en: str, kk: str) -> str | None:
    lost = [q for q in SEED_QUOTE.findall(en) + CODE.findall(en) if q not in kk]
    return f"seed quotes or codes of text_en not kept verbatim: {lost}" if lost else None


@pytest.mark.parametrize("check", [_numbers, _lines, _quotes_and_codes], ids=["figures", "lines", "quotes"])
def test_kazakh_text_keeps_what_the_english_text_cites(check) -> None:
    assert list(_problems(check)) == []


@pytest.mark.parametrize(
    ("check", "en", "kk"),
    [
        (_numbers, "52 % = 37.5 / (18 x 4)", "52 % = 37.6 / (18 x 4)"),
        (_numbers, "0.5 It", "0.5 It, 26.89"),
        (_lines, "as l.380-381 say", "380-жолда"),
        (_lines, "Line 100 says", "100 жолда"),
        (_quotes_and_codes, "row «Басымдықтарды таңдау»", "«Басымдықтар таңдау» қатары"),
        (_quotes_and_codes, "see reference/seed004_table1_score_bands.csv, X4", "X4 қараңыз"),
    ],
)
def test_checks_catch_a_mistyped_translation(check, en: str, kk: str) -> None:
    # The checks above would pass vacuously if their patterns matched nothing: each must reject a bad text.
    assert check(en, kk) is not None


def test_line_reference_forms_are_recognised() -> None:
    en = "L.380-381 and l.5, 606, 631; Line 100; l.1497 and l.1499"
    kk = "380-381-жолдар, 5, 606, 631-жолдарда; 100-жолда; 1497 және 1499-жолдарда"
    assert _lines(en, kk) is None
    assert sorted(x for ref in EN_LINES.findall(en) for x in NUMBER.findall(ref)) == sorted(
        ["380", "381", "5", "606", "631", "100", "1497", "1499"]
    )


def test_loader_stores_the_kazakh_texts(bundled_store: Store) -> None:
    stored = bundled_store.notes().set_index("id")["text_kk"].to_dict()
    assert {n["id"]: n["text_kk"] for n in notes()} == stored


def test_kazakh_text_is_preferred_then_russian_then_english() -> None:
    from aimaq.services.web.data import localized

    row = {"text_kk": "Қазақша", "text_ru": "По-русски", "text_en": "English"}
    assert localized(row, "text", "kk") == "Қазақша"
    assert localized({**row, "text_kk": None}, "text", "kk") == "По-русски"
    assert localized({**row, "text_kk": "", "text_ru": None}, "text", "kk") == "English"
    assert localized(row, "text", "ru") == "По-русски"


def _drop_text_kk(folder: Path) -> None:
    """What a generator of scripts/bundled writes: the notes without their text_kk column."""
    for path in folder.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = [c for c in reader.fieldnames or [] if c != "text_kk"]
            rows = [{c: r[c] for c in header} for r in reader]
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


def test_helper_script_puts_the_texts_back_after_a_regeneration(tmp_path: Path) -> None:
    """scripts/bundled/notes_kk.py: extract, regenerate (text_kk dropped), apply -> the same bytes again."""
    if not SCRIPT.is_file():
        pytest.skip(f"{SCRIPT} is not in this installation")
    spec = importlib.util.spec_from_file_location("aimaq_notes_kk_script", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    saved = tmp_path / "notes_kk.csv"
    assert script.extract(saved, NOTES) == len(notes())
    folder = Path(shutil.copytree(NOTES, tmp_path / "notes"))
    _drop_text_kk(folder)
    assert not filecmp.cmp(folder / "seed004.csv", NOTES / "seed004.csv", shallow=False)
    assert script.apply(saved, folder) == []
    for path in NOTES.glob("*.csv"):
        assert filecmp.cmp(folder / path.name, path, shallow=False), path.name

    # Without its own entry a note takes the text of a note with the same English text; with neither it is
    # reported by file, row and id.
    lines = saved.read_text(encoding="utf-8").splitlines(keepends=True)
    saved.write_text("".join(x for x in lines if not x.startswith(("s004-01-2.1,", "s002-C16,"))), "utf-8")
    _drop_text_kk(folder)
    assert script.apply(saved, folder) == ["seed002.csv row 5 (s002-C16)"]
    with open(folder / "seed004.csv", encoding="utf-8", newline="") as f:
        by_id = {r["id"]: r for r in csv.DictReader(f)}
    assert by_id["s004-01-2.1"]["text_kk"] == by_id["s004-01-1.1"]["text_kk"] != ""
