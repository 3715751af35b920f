"""Keep the Kazakh texts (``text_kk``) of the bundled data-quality notes across regenerations.

The generators in this folder write ``notes/<seed>.csv`` with ``text_en`` and ``text_ru`` only. The Kazakh
texts were written afterwards (by aimaq, from the English and Russian ones; translators may correct them), so
they live only in the notes files. Before regenerating, save them; afterwards, put them back::

    python scripts/bundled/notes_kk.py extract /tmp/notes_kk.csv
    python scripts/bundled/seed003/write.py            # or any other generator
    python scripts/bundled/notes_kk.py apply /tmp/notes_kk.csv

``apply`` reads ``id,text_kk`` rows and writes ``text_kk`` right after ``text_ru`` in every notes file (the
files keep their quoting style and ``\\n`` line ends). A note without an entry of its own takes the Kazakh
text of a note with the same ``text_en`` (the generators repeat one text over many cells), else keeps the
``text_kk`` it already has. It names every note left without a Kazakh text and exits with status 1 then.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

NOTES = Path(__file__).resolve().parents[2] / "src" / "aimaq" / "store" / "bundled" / "notes"


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def extract(out: Path, notes: Path = NOTES) -> int:
    """Write ``id,text_kk`` of every note that has a Kazakh text to ``out``; return how many."""
    rows = []
    for path in sorted(notes.glob("*.csv")):
        rows += [(r["id"], r["text_kk"]) for r in _read(path)[1] if r.get("text_kk")]
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "text_kk"])
        writer.writerows(rows)
    return len(rows)


def apply(translations: Path, notes: Path = NOTES, only: set[str] | None = None) -> list[str]:
    """Write ``text_kk`` from ``translations`` (``id,text_kk``) into every notes file (or those named in
    ``only``, by stem: ``{"seed000"}``).

    Returns
    -------
    list of str
        ``"<file> row <n> (<id>)"`` for each note still without a Kazakh text.
    """
    with open(translations, encoding="utf-8", newline="") as f:
        by_id = {r["id"]: r["text_kk"] for r in csv.DictReader(f) if r.get("text_kk")}
    files = {path: _read(path) for path in sorted(notes.glob("*.csv"))}
    # One English text repeated over many cells gets one Kazakh text: look it up by text_en too.
    by_en = {r["text_en"]: by_id[r["id"]] for _, rows in files.values() for r in rows if r["id"] in by_id}
    missing = []
    for path, (header, rows) in files.items():
        if only is not None and path.stem not in only:
            continue
        if "text_kk" not in header:
            header.insert(header.index("text_ru") + 1, "text_kk")
        for number, row in enumerate(rows, start=2):
            row["text_kk"] = by_id.get(row["id"]) or by_en.get(row["text_en"]) or row.get("text_kk") or ""
            if not row["text_kk"]:
                missing.append(f"{path.name} row {number} ({row['id']})")
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return missing


def main(argv: list[str] | None = None) -> int:
    """Command line: ``extract OUT`` or ``apply TRANSLATIONS`` (options ``--notes DIR``, ``--only STEMS``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "apply"))
    parser.add_argument("file", type=Path, help="the id,text_kk CSV to write (extract) or read (apply)")
    parser.add_argument("--notes", type=Path, default=NOTES, help="notes folder (default: bundled)")
    parser.add_argument("--only", help="apply: file stems to write, e.g. seed000,seed002")
    args = parser.parse_args(argv)
    if args.command == "extract":
        print(f"{extract(args.file, args.notes)} Kazakh note texts written to {args.file}")
        return 0
    missing = apply(args.file, args.notes, set(args.only.split(",")) if args.only else None)
    for where in missing:
        print(f"no text_kk: {where}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
