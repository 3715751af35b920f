"""Reading numbers and names the way Kazakhstan's statistics write them.

Numbers: the Bureau of National Statistics (BNS) and the seeds write a decimal comma (``12,5``) and group
thousands with spaces (``1 234,5``); some tables of the seeds use the English style (``2,370.4``, seed 001
Table 1, l.742). :func:`parse_number` accepts both and refuses what is ambiguous rather than guessing.

Names: :func:`name_keys` turns a territory name into the keys the gazetteer matches on, so that
``ВКО``, ``Восточно-Казахстанская обл.`` and ``East Kazakhstan region`` can all find one territory.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: Cells that mean "no value" in BNS tables: "-" (phenomenon absent), "…" (not available), "x" (confidential).
MISSING_MARKERS: frozenset[str] = frozenset(
    {"-", "–", "—", "…", "...", "x", "х", "X", "Х", "н/д", "n/a", "NA"}
)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:(?P<sep>[,.])\d{3})(?:(?P=sep)\d{3})*$")


class NotANumber(ValueError):
    """A cell that is neither a number nor a missing marker; the message says what to write instead."""


def is_missing(cell: object) -> bool:
    """True for an empty cell or a BNS missing marker (``-``, ``…``, ``x``).

    Examples
    --------
    >>> is_missing(""), is_missing(" … "), is_missing(None), is_missing("0")
    (True, True, True, False)
    """
    if cell is None:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    text = str(cell).strip()
    return text == "" or text in MISSING_MARKERS


def parse_number(cell: object) -> float | None:
    """Read a numeric cell; None when it is empty or a missing marker.

    Accepted: ``12.5`` and ``12,5`` (one comma is always a decimal comma, as in Kazakh and Russian);
    thousands grouped by spaces, no-break or thin spaces or apostrophes (``1 234,5``); ``2,370.4`` and
    ``2.370,4`` (both separators: the last one is the decimal mark); ``1,234,567`` and ``1.234.567`` (the
    same separator more than once groups thousands); a Unicode minus (``−3``); exponents (``1e-3``).

    Raises
    ------
    NotANumber
        For anything else, such as ``12,5 %`` or ``1,2,3``, with a suggestion.

    Examples
    --------
    >>> parse_number("1 234,5"), parse_number("2,370.4"), parse_number("−3"), parse_number("1.234.567")
    (1234.5, 2370.4, -3.0, 1234567.0)
    >>> parse_number("…") is None
    True
    >>> parse_number("12,5 %")
    Traceback (most recent call last):
    ...
    aimaq.store.parsing.NotANumber: write 12,5 (without units or signs)
    """
    if isinstance(cell, bool):
        raise NotANumber("write a number, not true/false")
    if isinstance(cell, int | float):
        return None if isinstance(cell, float) and math.isnan(cell) else float(cell)
    if is_missing(cell):
        return None
    raw = str(cell).strip()
    text = _SPACES.sub("", raw).replace("−", "-").replace("‒", "-")
    if _PLAIN.match(text):
        number = float(text)
        if not math.isfinite(number):  # 1e400 overflows to infinity: no statistic is that large
            raise NotANumber(f"{raw} is too large to be a number")
        return number
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        head, _, tail = text.rpartition(decimal)
        if _GROUPED.match(head) and head.count(decimal) == 0 and tail.isdigit():
            return float(head.replace(group, "") + "." + tail)
    elif text.count(",") == 1:
        candidate = text.replace(",", ".")
        if _PLAIN.match(candidate):
            return float(candidate)
    if _GROUPED.match(text) and (text.count(",") > 1 or text.count(".") > 1):
        return float(text.replace(",", "").replace(".", ""))
    stripped = re.sub(r"[^\d,.+-]", "", text)
    if stripped and stripped != text:
        try:
            parse_number(stripped)
        except NotANumber:
            pass
        else:
            raise NotANumber(f"write {stripped} (without units or signs)")
    raise NotANumber("write a number such as 12,5 or 12.5")


# ---------------------------------------------------------------------------------------------- names
#: Words that say "this is a region" (dropped from the loose key, kept as a marker in the strict key).
_REGION_WORDS = frozenset(
    {"облысы", "облысының", "облыс", "область", "обл", "oblast", "oblysy", "region", "regions", "province"}
)
#: Words that say "this is a city or town" (Kazakh ``қ``/``қаласы``, Russian ``г``/``город``).
_CITY_WORDS = frozenset({"қаласы", "қ", "қала", "г", "город", "city", "town", "gorod", "qalasy"})
_DISTRICT_WORDS = frozenset({"ауданы", "аудан", "район", "р-н", "рн", "district", "audany"})
#: Folding of the Kazakh-specific letters to their nearest Russian letters, for names typed without them.
_KAZAKH_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_PUNCT = re.compile(r"[\"'«»“”„.,;:()\[\]/\\]+")

MARKERS: dict[str, frozenset[str]] = {
    "#region": _REGION_WORDS,
    "#city": _CITY_WORDS,
    "#district": _DISTRICT_WORDS,
}


def _tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFC", str(name)).lower().replace("ё", "е")
    text = text.replace("р-н", " р-н ")
    text = _PUNCT.sub(" ", text)
    out: list[str] = []
    for tok in text.split():
        # "Восточно-Казахстанская" and "Восточно Казахстанская" are one name; "р-н" is a marker word.
        out.extend([tok] if tok == "р-н" else [t for t in tok.split("-") if t])
    return out


def name_keys(name: str) -> tuple[str, str, str, frozenset[str]]:
    """Matching keys of a territory name: strict, loose, folded, and the markers found.

    The strict key keeps region/city/district words as markers (``#region``); the loose key drops them;
    the folded key also folds Kazakh letters (``Ақтөбе`` -> ``актобе``). Words are sorted so that
    ``г. Алматы`` and ``Алматы қ.`` meet.

    Examples
    --------
    >>> name_keys("Восточно-Казахстанская обл.")[:2]
    ('#region восточно казахстанская', 'восточно казахстанская')
    >>> name_keys("г. Алматы")[0] == name_keys("Алматы қ.")[0]
    True
    >>> name_keys("Ақтөбе облысы")[2]
    'актобе'
    """
    markers: set[str] = set()
    words: list[str] = []
    for tok in _tokens(name):
        for marker, vocab in MARKERS.items():
            if tok in vocab:
                markers.add(marker)
                break
        else:
            words.append(tok)
    strict = " ".join(sorted(markers) + sorted(words))
    loose = " ".join(sorted(words))
    return strict, loose, loose.translate(_KAZAKH_FOLD), frozenset(markers)


def plain_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive key for indicator names and column headers.

    Examples
    --------
    >>> plain_key("  Внутренние затраты  на НИОКР, ")
    'внутренние затраты на ниокр'
    """
    return " ".join(_tokens(text))


_UNIT_SYNONYMS: dict[str, str] = {
    "%": "%",
    "pct": "%",
    "percent": "%",
    "процент": "%",
    "процентов": "%",
    "пайыз": "%",
    "mln_kzt": "mln kzt",
    "млн тенге": "mln kzt",
    "млн теңге": "mln kzt",
    "million kzt": "mln kzt",
    "bn_kzt": "bn kzt",
    "млрд тенге": "bn kzt",
    "млрд теңге": "bn kzt",
    "thousand kzt": "thous kzt",
    "тыс тенге": "thous kzt",
    "мың теңге": "thous kzt",
    "persons": "persons",
    "person": "persons",
    "чел": "persons",
    "человек": "persons",
    "адам": "persons",
    "units": "units",
    "единиц": "units",
    "бірлік": "units",
    "points": "points",
    "балл": "points",
    "баллов": "points",
    "ұпай": "points",
}


def known_unit(text: str) -> bool:
    """True when ``text`` is a unit aimaq recognises (``млн тенге``, ``%``, ``persons``), not any words.

    Examples
    --------
    >>> known_unit("млн. тенге"), known_unit("по регионам")
    (True, False)
    """
    return unit_key(text) in set(_UNIT_SYNONYMS.values())


def unit_key(unit: object) -> str:
    """A comparable form of a unit: ``"%"``, ``"pct"`` and ``"процент"`` give the same key.

    Examples
    --------
    >>> unit_key("млн. тенге") == unit_key("mln_kzt"), unit_key("%") == unit_key("percent")
    (True, True)
    """
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return ""
    text = unicodedata.normalize("NFC", str(unit)).strip().lower().replace("ё", "е").replace(".", " ")
    text = " ".join(text.split())
    return _UNIT_SYNONYMS.get(text, _UNIT_SYNONYMS.get(text.replace(" ", "_"), text))
