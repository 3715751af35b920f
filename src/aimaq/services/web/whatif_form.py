"""The what-if form: every input value and weight of a preset, pre-filled with the values the result used.

:func:`form` lists the raw indicator values of one computed year (``Result.data["selected"]``, the values a
what-if edit replaces, as ``aimaq compute --set`` does) and the weights of each group; :func:`edits` reads a
submitted form back and keeps only what differs from those nominal values, so an untouched form recomputes
nothing and a changed field is one edit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from aimaq.i18n import Translator
from aimaq.services.web.data import _clean  # NaN/None/numpy scalars -> Python, as the pages read them

__all__ = ["edits", "form", "parse_number", "same_value"]


def parse_number(text: str) -> float | None:
    """A number typed in any of the app's languages (``"1 234,5"``, ``"1234.5"``), or None.

    Examples
    --------
    >>> parse_number("1 234,5"), parse_number("-0.25"), parse_number("yes")
    (1234.5, -0.25, None)
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text)).replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def same_value(typed: float | str, nominal: Any) -> bool:
    """Whether a submitted field equals the nominal value (numbers to 1e-9 relative, labels case-blind).

    Examples
    --------
    >>> same_value(45.0, 45), same_value(0.1 + 0.2, 0.3), same_value("Yes", "yes"), same_value(3.0, None)
    (True, True, True, False)
    """
    if nominal is None or (isinstance(nominal, float) and math.isnan(nominal)):
        return False
    if isinstance(typed, float):
        try:
            return math.isclose(typed, float(nominal), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return str(typed).strip().casefold() == str(nominal).strip().casefold()


def _field_text(v: Any) -> str:
    """The pre-filled text of a field: numbers in full (``repr``-short), labels as they are."""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def form(pages: Any, name: str, tr: Translator, *, year: int | None = None) -> dict[str, Any]:
    """The nominal inputs of preset ``name`` for ``year`` (default the last computed).

    Returns
    -------
    dict
        ``year``, ``years``, ``indicators`` (code, name, ``numeric``, ``choices`` for labels),
        ``territories`` (code, name, ``cells``: one per indicator with ``field`` name
        ``v.<territory>.<indicator>``, ``nominal`` and its ``nominal_text``) and ``weights`` (group,
        child, label, ``field`` ``w.<child>``, ``nominal``).

    Raises
    ------
    KeyError
        ``year`` was not computed (the message names the computed years).
    """
    r = pages.result(name)
    if year is not None and int(year) not in r.years:
        raise KeyError(f"year {year} was not computed for {name}; choose one of {list(r.years)}")
    y = r.years[-1] if year is None else int(year)
    yi = list(r.years).index(y)
    selected = r.data["selected"]
    frame = selected.xs(y, level="year") if "year" in (selected.index.names or []) else selected
    indicators = []
    for code in frame.columns:
        column = [_clean(v) for v in frame[code].tolist()]
        numeric = all(v is None or isinstance(v, (int, float)) for v in column)
        choices = sorted({str(v) for v in column if v is not None}) if not numeric else []
        indicators.append(
            {
                "code": str(code),
                "name": pages._indicator_name(str(code), tr, r.methodology),
                "numeric": numeric,
                "choices": choices,
            }
        )
    territories = []
    for code in sorted(frame.index, key=lambda c: pages._territory(str(c), tr)["name"].casefold()):
        t = pages._territory(str(code), tr)
        cells = []
        for ind in indicators:
            v = _clean(frame.at[code, ind["code"]])
            cells.append(
                {
                    "indicator": ind["code"],
                    "field": f"v.{code}.{ind['code']}",
                    "nominal": v,
                    "nominal_text": "—"
                    if v is None
                    else (tr.format_number(v) if isinstance(v, (int, float)) else str(v)),
                    "value": _field_text(v),
                }
            )
        territories.append(t | {"cells": cells})
    m = r.methodology
    weights = []
    for g in m.postorder():
        w = r.state.weights.get(g)
        kids = m.children(g)
        if w is None or len(kids) < 2:  # the weight of an only child is always 1
            continue
        for i, c in enumerate(kids):
            nominal = float(w[yi][i])
            weights.append(
                {
                    "group": g,
                    "group_label": pages._label(g, tr, m),
                    "child": c,
                    "label": pages._label(c, tr, m),
                    "field": f"w.{c}",
                    "nominal": nominal,
                    "nominal_text": tr.format_number(round(nominal, 4)),
                    "value": _field_text(nominal),
                }
            )
    return {
        "year": y,
        "years": list(r.years),
        "indicators": indicators,
        "territories": territories,
        "weights": weights,
    }


def edits(
    nominal: Mapping[str, Any], submitted: Mapping[str, str]
) -> tuple[list[tuple[str, str, float | str]], dict[str, float], list[str]]:
    """The changes a submitted form makes to :func:`form`'s nominal values.

    Empty fields keep the nominal value. Returns ``(values, weights, errors)``: ``values`` as
    ``(territory, indicator, value)``, ``weights`` as child -> weight, and one error per field that should be
    a number and is not, naming the field.

    Examples
    --------
    >>> cell = {"field": "v.a.x", "indicator": "x", "nominal": 1.0}
    >>> nominal = {"indicators": [{"code": "x", "numeric": True}],
    ...            "territories": [{"code": "a", "cells": [cell]}],
    ...            "weights": [{"child": "x", "field": "w.x", "nominal": 0.5}]}
    >>> edits(nominal, {"v.a.x": "2,5", "w.x": "0.5"})
    ([('a', 'x', 2.5)], {}, [])
    >>> edits(nominal, {"v.a.x": "lots"})[2]
    ["v.a.x: 'lots' is not a number"]
    """
    numeric = {i["code"]: i["numeric"] for i in nominal["indicators"]}
    values: list[tuple[str, str, float | str]] = []
    weights: dict[str, float] = {}
    errors: list[str] = []
    for t in nominal["territories"]:
        for cell in t["cells"]:
            text = str(submitted.get(cell["field"], "")).strip()
            if not text:
                continue
            typed: float | str | None = parse_number(text)
            if typed is None:
                if numeric.get(cell["indicator"], True):
                    errors.append(f"{cell['field']}: {text!r} is not a number")
                    continue
                typed = text
            if not same_value(typed, cell["nominal"]):
                values.append((t["code"], cell["indicator"], typed))
    for w in nominal["weights"]:
        text = str(submitted.get(w["field"], "")).strip()
        if not text:
            continue
        number = parse_number(text)
        if number is None:
            errors.append(f"{w['field']}: {text!r} is not a number")
        elif not math.isclose(number, w["nominal"], rel_tol=1e-6, abs_tol=1e-9):
            weights[w["child"]] = number
    return values, weights, errors
