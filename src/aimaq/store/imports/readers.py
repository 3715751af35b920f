"""Reading a CSV or XLSX file into a grid of cells with the row numbers a spreadsheet shows.

No interpretation happens here beyond decoding: :mod:`aimaq.store.imports.shape` finds the header and the
shape. Problems of the whole file (empty, unreadable, wrong encoding, missing sheet) raise
:class:`~aimaq.store.errors.ValidationErrors` with one row each.

Encodings: UTF-8 with or without BOM, and cp1251 (Excel's "CSV" on a Russian-locale Windows, as the BNS
files often are). A file that is neither is refused, naming the rows with undecodable bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from aimaq.store.errors import ValidationError, ValidationErrors

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass
class RawTable:
    """The cells of one CSV file or one XLSX sheet.

    ``rows[i]`` is spreadsheet row ``i + 1``; cells are str for CSV and str/float/int/datetime/None for XLSX.
    """

    file: str
    sheet: str | None
    rows: list[list[object]]
    encoding: str | None = None
    sheets: list[str] = field(default_factory=list)


def _fail(
    file: str, sheet: str | None, reason: str, value: str | None, expected: str, row: int | None = None
) -> ValidationErrors:
    return ValidationErrors([ValidationError(file, sheet, row, None, reason, value, expected)])


def decode(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a CSV file's bytes; return ``(text, encoding)``.

    UTF-8 (a BOM is dropped) is tried first. When it fails and the file holds no valid multi-byte UTF-8 at
    all, cp1251 is tried: Cyrillic letters are its bytes 0xC0-0xFF, and a file mixing encodings is refused
    rather than half-misread.

    Examples
    --------
    >>> decode("Абай".encode("cp1251"), "a.csv")
    ('Абай', 'cp1251')
    >>> decode(b"\\xef\\xbb\\xbfx;1", "a.csv")
    ('x;1', 'utf-8-sig')
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise _bad_bytes(data, file, encoding, exc) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(data[3:], file, "utf-8", exc) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    loose = data.decode("utf-8", errors="replace")
    has_utf8_letters = any(ord(ch) > 127 and ch != "\ufffd" for ch in loose)
    if not has_utf8_letters:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            pass
        else:
            # Text in cp1251 is mostly Cyrillic letters; a file of other bytes (a binary) is not text at all.
            high = [ch for ch in text if ord(ch) > 127]
            if high and sum("\u0400" <= ch <= "\u04ff" for ch in high) / len(high) >= 0.8:
                return text, "cp1251"
    raise _bad_bytes(data, file, "utf-8", utf8_error)


def _bad_bytes(data: bytes, file: str, encoding: str, first: UnicodeDecodeError) -> ValidationErrors:
    """One ``wrong_encoding`` row per line holding undecodable bytes (at most 20 lines are listed)."""
    rows: list[ValidationError] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError as exc:
            bad = line[exc.start : exc.end]
            rows.append(
                ValidationError(
                    file,
                    None,
                    number,
                    None,
                    "wrong_encoding",
                    repr(bad),
                    f"bytes {bad.hex(' ')} are not {encoding}; save the file as UTF-8 (or cp1251)",
                )
            )
        except LookupError:
            break
        if len(rows) == 20:
            break
    if not rows:
        rows.append(ValidationError(file, None, None, None, "wrong_encoding", None, str(first)))
    return ValidationErrors(rows)


def _sniff_delimiter(text: str) -> str:
    """``;`` (Excel in Kazakh/Russian locales, where ``,`` is the decimal mark), ``,`` or tab."""
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t,"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_table(
    path: str | Path, *, sheet: str | None = None, encoding: str | None = None, name: str | None = None
) -> RawTable:
    """Read a CSV/TSV file or one sheet of an XLSX workbook.

    Parameters
    ----------
    path : str or Path
    sheet : str, optional
        The XLSX sheet; default the first. Refused for CSV files.
    encoding : str, optional
        Force an encoding instead of detecting UTF-8/cp1251.
    name : str, optional
        The name to show in errors (default: the path as given).

    Raises
    ------
    ValidationErrors
        ``empty_file``, ``unreadable_file``, ``wrong_encoding`` or ``wrong_sheet``.
    """
    path = Path(path)
    file = name or str(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise _fail(file, None, "unreadable_file", None, "the file does not exist")
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, file, sheet)
    if suffix == ".xls":
        raise _fail(file, None, "unreadable_file", suffix, "save the workbook as .xlsx or .csv")
    if suffix not in CSV_SUFFIXES:
        raise _fail(file, None, "unreadable_file", suffix, "a .csv, .tsv or .xlsx file")
    if sheet is not None:
        raise _fail(file, sheet, "wrong_sheet", sheet, "a CSV file has no sheets; leave out --sheet")
    data = path.read_bytes()
    if not data.strip():
        raise _fail(file, None, "empty_file", None, "the file is empty")
    text, used = decode(data, file, encoding)
    if "\x00" in text:
        raise _fail(file, None, "unreadable_file", None, "the file is binary, not CSV text")
    delimiter = "\t" if suffix == ".tsv" else _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    try:
        rows.extend(list(r) for r in reader)
    except csv.Error as exc:  # e.g. a cell over csv's field limit (131072 characters), an unclosed quote
        raise _fail(
            file,
            None,
            "unreadable_file",
            str(exc),
            "CSV cells of at most 131072 characters",
            row=reader.line_num,
        ) from None
    if not any(any(str(c).strip() for c in r) for r in rows):
        raise _fail(file, None, "empty_file", None, "the file has no cells")
    return RawTable(file, None, rows, used)


def _read_xlsx(path: Path, file: str, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _fail(file, None, "unreadable_file", None, f"not a valid .xlsx workbook ({exc})") from None
    try:
        names = list(workbook.sheetnames)
        if sheet is None:
            if not names:
                raise _fail(file, None, "empty_file", None, "the workbook has no sheets")
            sheet = names[0]
        elif sheet not in names:
            listed = ", ".join(f'"{n}"' for n in names)
            raise _fail(file, sheet, "wrong_sheet", sheet, f"the workbook's sheets are {listed}")
        rows = [list(r) for r in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not any(any(c is not None and str(c).strip() for c in r) for r in rows):
        raise _fail(file, sheet, "empty_file", None, f'sheet "{sheet}" has no cells')
    return RawTable(file, sheet, rows, None, names)
