"""Matching territory names to codes, with the borders valid in the data's year.

The gazetteer works on two DataFrames (territories and aliases), so imports and
:func:`aimaq.store.imports.read_dataset` can use it with or without a database.

A name is matched in three passes, stopping at the first that finds something (see
:func:`aimaq.store.parsing.name_keys`): the strict key (region/city words kept as markers, so
``Алматы қ.`` is the city and ``Алматы облысы`` the region), the loose key (those words dropped) and the
folded key (Kazakh letters folded, ``Актобе`` finds ``Ақтөбе``). Several territories may share a name because
borders changed (East Kazakhstan before and after the 2022 split are two codes); the data's period then picks
the territory whose validity covers it, and a period no candidate covers is refused, naming the territory
that held those lands then (issue 3: "data for 2019 must never be drawn on 2024 borders silently").
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from aimaq.store.parsing import name_keys

_LEVELS_FOR_MARKER: dict[str, frozenset[str]] = {
    "#region": frozenset({"region"}),
    "#city": frozenset({"city_rs", "city", "monotown"}),
    "#district": frozenset({"district"}),
}


@dataclass(frozen=True)
class Match:
    """The outcome of matching one name: a code, or a reason code with a suggestion.

    ``reason`` is None on success, else ``unknown_territory``, ``ambiguous_territory`` or
    ``year_outside_validity`` (the :data:`aimaq.store.errors.REASONS` codes); ``expected`` says what to do.
    """

    code: str | None
    reason: str | None = None
    expected: str | None = None
    #: For ``year_outside_validity``: the territories the name matched, whatever their validity.
    candidates: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when a single territory matched."""
        return self.reason is None


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    return dt.date.fromisoformat(text) if text else None


class Gazetteer:
    """Territory names, aliases and validity dates, for matching the names written in data files.

    Parameters
    ----------
    territories : DataFrame
        Indexed by ``code``, with ``level``, ``name_kk``, ``name_ru``, ``name_en`` and optionally ``iso``,
        ``valid_from``, ``valid_to`` (ISO dates or dates), ``successor`` (``;``-separated codes).
    aliases : DataFrame, optional
        Columns ``code`` and ``alias``.

    Examples
    --------
    >>> t = pd.DataFrame({"level": ["region", "region", "region"],
    ...     "name_kk": ["Шығыс Қазақстан облысы", "Шығыс Қазақстан облысы", "Абай облысы"],
    ...     "name_ru": ["Восточно-Казахстанская область", "Восточно-Казахстанская область", "область Абай"],
    ...     "name_en": ["East Kazakhstan Region", "East Kazakhstan Region", "Abai Region"],
    ...     "valid_from": [None, "2022-06-08", "2022-06-08"], "valid_to": ["2022-06-07", None, None],
    ...     "successor": ["east_kazakhstan;abai", None, None]},
    ...     index=pd.Index(["east_kazakhstan_1997", "east_kazakhstan", "abai"], name="code"))
    >>> g = Gazetteer(t, pd.DataFrame({"code": ["east_kazakhstan", "east_kazakhstan_1997"],
    ...                                "alias": ["ВКО", "ВКО"]}))
    >>> g.match("ВКО", 2019, 2019).code, g.match("вко", 2024, 2024).code
    ('east_kazakhstan_1997', 'east_kazakhstan')
    >>> g.match("Абай облысы", 2019, 2019).expected
    'Abai Region exists from 2022-06-08; for 2019 use east_kazakhstan_1997 (East Kazakhstan Region)'
    """

    def __init__(self, territories: pd.DataFrame, aliases: pd.DataFrame | None = None) -> None:
        self.territories = territories
        self._valid: dict[str, tuple[dt.date | None, dt.date | None]] = {}
        self._level: dict[str, str] = {}
        self._successors: dict[str, list[str]] = {}
        self._index: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]] = ({}, {}, {})
        self._display: dict[str, str] = {}
        for code, row in territories.iterrows():
            code = str(code)
            self._valid[code] = (_date(row.get("valid_from")), _date(row.get("valid_to")))
            self._level[code] = str(row.get("level") or "")
            succ = row.get("successor")
            self._successors[code] = (
                [s.strip() for s in str(succ).replace(",", ";").split(";") if s.strip()]
                if isinstance(succ, str)
                else []
            )
            names = [code] + [row.get(c) for c in ("name_kk", "name_ru", "name_en", "iso")]
            self._add(code, (n for n in names if isinstance(n, str) and n.strip()))
        if aliases is not None and len(aliases):
            for code, alias in zip(aliases["code"], aliases["alias"], strict=True):
                if str(code) in self._valid and isinstance(alias, str) and alias.strip():
                    self._add(str(code), [alias])

    def _add(self, code: str, names: Iterable[str]) -> None:
        for name in names:
            keys = name_keys(name)
            for index, key in zip(self._index, keys[:3], strict=True):
                if key:
                    index.setdefault(key, set()).add(code)
            self._display.setdefault(keys[1], name)

    # ------------------------------------------------------------------ queries
    @property
    def codes(self) -> list[str]:
        """All territory codes."""
        return list(self._valid)

    def name(self, code: str, lang: str = "en") -> str:
        """The territory's name in ``lang`` (kk, ru or en), or the code if it has none."""
        if code not in self.territories.index:
            return code
        value = self.territories.loc[code].get(f"name_{lang}")
        return str(value) if isinstance(value, str) and value else code

    def covers(self, code: str, year_from: int, year_to: int) -> bool:
        """True when the territory existed (with its borders) in every year of the period.

        A territory created or abolished during a year counts for that year: the 2022 split (8 June) leaves
        both East Kazakhstan versions valid for 2022, and the period then picks the newer one (see
        :meth:`match`).
        """
        start, end = self._valid.get(code, (None, None))
        return (start is None or start.year <= year_from) and (end is None or year_to <= end.year)

    def predecessors(self, code: str) -> list[str]:
        """Codes of the territories that ``code`` succeeded (named in their ``successor`` column)."""
        return [c for c, succ in self._successors.items() if code in succ and c != code]

    def candidates(self, name: object) -> tuple[set[str], frozenset[str]]:
        """Codes whose names or aliases match ``name`` (first matching pass), and the markers in ``name``."""
        text = str(name).strip()
        if text in self._valid:
            return {text}, frozenset()
        keys = name_keys(text)
        for index, key in zip(self._index, keys[:3], strict=True):
            found = index.get(key)
            if found:
                return set(found), keys[3]
        return set(), keys[3]

    def suggest(self, name: object) -> str | None:
        """The closest known name (difflib ratio >= 0.6 on the loose key), or None."""
        key = name_keys(str(name))[1]
        close = difflib.get_close_matches(key, list(self._display), n=1, cutoff=0.6)
        return self._display[close[0]] if close else None

    def match(self, name: object, year_from: int | None = None, year_to: int | None = None) -> Match:
        """Match one name written in a data file, for the period ``year_from``-``year_to`` when given.

        Returns
        -------
        Match
            ``Match(code)`` or a failure with ``reason`` and ``expected`` (what to write instead).
        """
        found, markers = self.candidates(name)
        if not found:
            closest = self.suggest(name)
            return Match(None, "unknown_territory", f'closest "{closest}"' if closest else None)
        if len(found) > 1 and markers:
            levels = frozenset().union(*(_LEVELS_FOR_MARKER[m] for m in markers))
            narrowed = {c for c in found if self._level.get(c) in levels}
            found = narrowed or found
        if year_from is None or year_to is None:
            if len(found) > 1:
                current = {c for c in found if self._valid[c][1] is None}
                found = current or found
            return self._one(found)
        covering = {c for c in found if self.covers(c, year_from, year_to)}
        if len(covering) > 1:
            end = dt.date(year_to, 12, 31)
            at_end = {c for c in covering if self._valid[c][1] is None or self._valid[c][1] >= end}
            covering = at_end or covering
        if covering:
            return self._one(covering)
        hint = self._validity_hint(sorted(found), year_from, year_to)
        return Match(None, "year_outside_validity", hint, tuple(sorted(found)))

    def _one(self, found: set[str]) -> Match:
        if len(found) == 1:
            return Match(next(iter(found)))
        listed = ", ".join(f"{c} ({self.name(c)})" for c in sorted(found))
        return Match(None, "ambiguous_territory", f"write one of the codes {listed}")

    def _validity_hint(self, codes: list[str], year_from: int, year_to: int) -> str:
        period = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
        parts: list[str] = []
        for code in codes:
            start, end = self._valid[code]
            span = (
                f"exists from {start.isoformat()}"
                if start and not end
                else f"existed until {end.isoformat()}"
                if end and not start
                else f"existed {start} to {end}"
            )
            alternatives = [
                c
                for c in self.predecessors(code) + self._successors.get(code, [])
                if self.covers(c, year_from, year_to)
            ]
            tail = (
                f"; for {period} use " + ", ".join(f"{c} ({self.name(c)})" for c in alternatives)
                if alternatives
                else ""
            )
            parts.append(f"{self.name(code)} {span}{tail}")
        return "; ".join(parts)
