"""Downloads: any page table as CSV or XLSX (formula injection neutralised), a territory profile as PDF.

Tables go through :func:`aimaq.store.export.neutralise` (a text cell starting with ``=``, ``+``, ``-``, ``@``,
tab or CR gets a leading apostrophe, OWASP "CSV injection"), the same rule as ``aimaq data export``. CSV is
UTF-8 with a BOM so that spreadsheet programs show Cyrillic and Kazakh letters.

The PDF is written with fpdf2 and DejaVu Sans, which covers the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І); the font
file is the one matplotlib ships in its package data, embedded, never downloaded.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from fastapi.responses import Response

from aimaq.i18n import Translator
from aimaq.store.export import neutralise

__all__ = ["FORMATS", "dejavu_font", "profile_pdf", "safe_frame", "table_response"]

#: Table download formats -> media type.
FORMATS: Mapping[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and header neutralised (see the module docstring).

    Examples
    --------
    >>> safe_frame(pd.DataFrame({"name": ["=1+1", "Абай"], "v": [-1.0, 2.0]}))["name"].tolist()
    ["'=1+1", 'Абай']
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def table_bytes(frame: pd.DataFrame, fmt: str, *, sheet: str = "table") -> bytes:
    """``frame`` as CSV (UTF-8 with BOM) or XLSX bytes, neutralised."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    safe = safe_frame(frame)
    if fmt == "csv":
        return safe.to_csv(index=False).encode("utf-8-sig")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        safe.to_excel(xl, sheet_name=sheet[:31] or "table", index=False)
    return buf.getvalue()


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def table_response(frame: pd.DataFrame, fmt: str, filename: str, *, sheet: str = "table") -> Response:
    """A download of ``frame`` as ``filename.<fmt>``."""
    body = table_bytes(frame, fmt, sheet=sheet)
    return Response(
        body,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": _disposition(f"{filename}.{fmt}")},
    )


@lru_cache(maxsize=2)
def dejavu_font(bold: bool = False) -> Path:
    """``DejaVuSans.ttf`` (or ``-Bold``) of matplotlib's package data, found without importing it."""
    spec = importlib.util.find_spec("matplotlib")
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "mpl-data" / "fonts" / "ttf" / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} not found: the 'matplotlib' package (which ships it) is not installed")


def _cell(v: Any) -> str:
    return "" if v is None else str(v)


def profile_pdf(profile: Mapping[str, Any], indices: Mapping[str, Any], tr: Translator) -> bytes:
    """A territory profile as PDF: names, level, indices (score, rank of N, classes, strengths and
    weaknesses, the reason for the recommended measures) and every indicator with its source.

    Parameters
    ----------
    profile : the dict of :meth:`aimaq.services.web.data.WebData.territory_page`
    indices : the dict of :meth:`aimaq.services.web.indices.IndexPages.territory_indices`
    """
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(dejavu_font(False)))
    pdf.add_font("DejaVu", "B", str(dejavu_font(True)))
    pdf.set_title(str(profile["name"]))
    pdf.set_creator("aimaq")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, str(profile["name"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    facts = [
        (tr.gettext("Level"), profile.get("level_label") or ""),
        (tr.gettext("Code"), profile.get("code") or ""),
    ]
    if profile.get("parent"):
        facts.append((tr.gettext("Part of"), profile["parent"]["name"]))
    for label, value in facts:
        pdf.multi_cell(0, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)

    head_style = FontFace(emphasis="BOLD", fill_color=(232, 240, 250))

    def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
        with pdf.table(col_widths=widths, headings_style=head_style, line_height=4.5, text_align="LEFT") as t:
            r = t.row()
            for h in header:
                r.cell(h)
            for row in rows:
                r = t.row()
                for v in row:
                    r.cell(_cell(v))

    if indices.get("indices"):
        heading(tr.gettext("Indices"))
        rows = []
        for i in indices["indices"]:
            rank = (
                tr.gettext("%(rank)s of %(n)s") % {"rank": i["rank"], "n": i["n"]}
                if i["rank"] is not None
                else ""
            )
            rows.append(
                [i["title"], i["year"], i["score_text"], rank, "; ".join(c["label"] for c in i["classes"])]
            )
        table(
            [
                tr.gettext("Index"),
                tr.gettext("Year"),
                tr.gettext("Score"),
                tr.gettext("Rank"),
                tr.gettext("Class"),
            ],
            rows,
            [70, 12, 18, 22, 68],
        )
        for i in indices["indices"]:
            if i["strengths"] or i["weaknesses"]:
                pdf.ln(1)
                pdf.multi_cell(
                    0,
                    4.5,
                    f"{i['title']} — {tr.gettext('Strengths')}: {', '.join(i['strengths']) or '—'}; "
                    f"{tr.gettext('Weaknesses')}: {', '.join(i['weaknesses']) or '—'}",
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
            for c in i["classes"]:
                if c.get("measures"):
                    pdf.ln(1)
                    pdf.multi_cell(
                        0,
                        4.5,
                        f"{tr.gettext('Recommended measures')}: {c['measures']['reason']}",
                        new_x="LMARGIN",
                        new_y="NEXT",
                    )
                    for m in c["measures"]["measures"]:
                        pdf.multi_cell(0, 4.5, f"  • {m['text']}", new_x="LMARGIN", new_y="NEXT")
    heading(tr.gettext("Indicators"))
    obs = profile.get("observations") or []
    if obs:
        table(
            [
                tr.gettext("Indicator"),
                tr.gettext("Year"),
                tr.gettext("Value"),
                tr.gettext("Unit"),
                tr.gettext("Source"),
            ],
            [
                [
                    o["indicator"]["name"],
                    o["period"],
                    o["formatted"],
                    o["indicator"]["unit"],
                    (
                        f"seed {o['citation']['seed']} {o['citation']['table']} l.{o['citation']['lines']}"
                        if o.get("citation")
                        else o.get("source") or ""
                    ),
                ]
                for o in obs
            ],
            [78, 18, 22, 30, 42],
        )
    else:
        pdf.multi_cell(
            0, 5, tr.gettext("No observations for this territory yet."), new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())
