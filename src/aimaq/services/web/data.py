"""What the pages show, as plain dicts: the web layer's only contact with the store.

Every page is one dict (Datasette's pattern): the route renders it as HTML or returns it as JSON. This module
builds those dicts from a :class:`~aimaq.dataset.Dataset` read through ``store.dataset()`` (the contract in
``docs/architecture.md``), plus the bundled seed texts and ``sources.csv`` that let a user check a cited line.

A :class:`Snapshot` indexes one read of the store; :class:`WebData` keeps it for ``ttl`` seconds so that a
page costs a dictionary look-up, not a database query, while imports made by ``aimaq data import`` in another
process still show within seconds.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import gzip
import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from aimaq.dataset import Dataset
from aimaq.i18n import LANGUAGES, Translator, lookup
from aimaq.services.web import geo

__all__ = [
    "LEVEL_LABELS",
    "REGION_LEVELS",
    "STATUS_LABELS",
    "SeedCitation",
    "Snapshot",
    "StoreLike",
    "StoreUnavailable",
    "WebData",
    "default_bundled_dir",
    "parse_source",
]


def N_(msgid: str) -> str:
    """Mark a message for extraction (``babel.cfg``) without translating it yet."""
    return msgid


#: Gazetteer levels (docs/architecture.md, Bundled data) -> message id of their label.
LEVEL_LABELS: Mapping[str, str] = {
    "country": N_("Country"),
    "region": N_("Oblast"),
    "city_rs": N_("City of republican significance"),
    "district": N_("District"),
    "city": N_("Town of regional significance"),
    "monotown": N_("Monotown"),
}
#: Observation statuses (aimaq.dataset.STATUSES) -> message id of their label.
STATUS_LABELS: Mapping[str, str] = {
    "published": N_("published"),
    "derived": N_("derived"),
    "estimated": N_("estimated"),
    "missing": N_("missing"),
}
#: Units of the bundled indicators that have kk/ru labels in the catalogues; other units are shown as stored.
UNIT_LABELS: tuple[str, ...] = (
    N_("mln KZT"),
    N_("bn KZT"),
    N_("KZT"),
    N_("thousand KZT"),
    N_("mln USD"),
    N_("units"),
    N_("index 0-1"),
    N_("ratio"),
    N_("points (0, 0.5, 1)"),
    N_("points (0-4)"),
    N_("points (0-5)"),
    N_("points (0-12)"),
    N_("points (0-90)"),
    N_("% of previous year"),
    N_("yes/no"),
    N_("category"),
    N_("class"),
    N_("persons"),
    N_("thous. persons"),
    N_("count"),
    N_("mln KZT per 100,000 inhabitants"),
    N_("persons per 100,000 inhabitants"),
    N_("enterprises"),
    N_("mln KZT per person"),
    N_("jobs"),
    N_("% decline"),
    N_("thousand KZT per capita"),
    N_("% of economically active population"),
    N_("per 1000 people"),
    N_("thous. km2"),
    N_("persons per km2"),
    N_("thous. m2"),
    N_("thous. units"),
    N_("projects"),
    N_("m2 per capita"),
    N_("KZT per month"),
    N_("level"),
)
#: The levels the choropleth colours: the 17 oblasts and the 3 cities of republican significance.
REGION_LEVELS: tuple[str, ...] = ("region", "city_rs")
#: Levels drawn as points: the districts and towns of East Kazakhstan (seed 003) and the monotowns (seed 004).
POINT_LEVELS: tuple[str, ...] = ("district", "city", "monotown")
#: Year of the 2022 reform (seed 001, l.982-984); earlier data may be on the old borders.
REFORM_YEAR = 2022


class StoreUnavailable(RuntimeError):
    """The store could not be read (not initialised, unreachable); the web app answers 503."""


class StoreLike(Protocol):
    """What the web app needs of a store: :meth:`aimaq.store.Store.dataset`."""

    def dataset(self) -> Dataset:  # pragma: no cover - protocol
        """All observations with territory, indicator and note metadata."""
        ...


def default_bundled_dir() -> Path:
    """``src/aimaq/store/bundled``: the bundled CSV files and seed texts (read-only)."""
    import aimaq.store

    return Path(aimaq.store.__file__).resolve().parent / "bundled"


@dataclass(frozen=True)
class SeedCitation:
    """Where a number comes from: seed document, table and lines (``seed 001, T1, l.727``)."""

    seed: str
    table: str
    lines: str

    @property
    def first_line(self) -> int | None:
        """The first cited line number, the anchor of the seed viewer."""
        m = re.search(r"\d+", self.lines)
        return int(m.group()) if m else None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, with the seed viewer's address."""
        anchor = f"#l{self.first_line}" if self.first_line else ""
        query = f"?lines={self.lines}" if self.lines else ""
        return {
            "seed": self.seed,
            "table": self.table,
            "lines": self.lines,
            "url": f"/seeds/{self.seed}{query}{anchor}",
        }


_SOURCE = re.compile(
    r"seed\s*(?P<seed>\d{3})[\s,;]*(?:(?P<table>(?!l\.)[^\s,;]+(?:\s+\d+[A-Za-z]?)?)[\s,;]*)?"
    r"(?:l\.?\s*(?P<lines>\d+(?:\s*[-–,]\s*\d+)*))?",
    re.IGNORECASE,
)


def parse_source(source: object) -> SeedCitation | None:
    """Read a bundled observation's ``source`` (``"seed004 T1 l.159"``) into a :class:`SeedCitation`.

    Imports carry ``"file.csv row 14"``, which is no seed citation: None.

    Examples
    --------
    >>> parse_source("seed004 T1 l.159")
    SeedCitation(seed='004', table='T1', lines='159')
    >>> parse_source("seed 001, Table 1, l.727-730")
    SeedCitation(seed='001', table='Table 1', lines='727-730')
    >>> parse_source("seed003 l.12"), parse_source("karaganda.xlsx row 14")
    (SeedCitation(seed='003', table='', lines='12'), None)
    """
    if not isinstance(source, str) or not source.strip():
        return None
    m = _SOURCE.search(source)
    if not m:
        return None
    lines = re.sub(r"\s+", "", m.group("lines") or "").replace("–", "-")
    return SeedCitation(m.group("seed"), (m.group("table") or "").strip(), lines)


def _clean(value: Any) -> Any:
    """pandas missing values (NaN, None, NaT, pd.NA) -> None; numpy scalars -> Python; dates -> ISO text."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, dt.date):  # validity dates from the store: ISO text in JSON and on the page
        return value.isoformat()
    return value


def _year(value: Any) -> int | None:
    """A validity bound (``2022``, ``"2022-06-08"``, a date) -> its year, or None."""
    value = _clean(value)
    if value is None or value == "":
        return None
    m = re.match(r"\s*(\d{4})", str(value))
    return int(m.group(1)) if m else None


def localized(row: Mapping[str, Any], stem: str, lang: str) -> str:
    """``row[stem_<lang>]``, falling back through the other languages (ru, en, kk) and ``row[stem]``.

    Examples
    --------
    >>> localized({"name_kk": "Абай облысы", "name_en": "Abai Region"}, "name", "kk")
    'Абай облысы'
    >>> localized({"name_kk": None, "name_ru": "область Абай"}, "name", "en")
    'область Абай'
    """
    for candidate in (lang, "ru", "en", "kk"):
        value = _clean(row.get(f"{stem}_{candidate}"))
        if value:
            return str(value)
    value = _clean(row.get(stem))
    return str(value) if value else ""


def display_name(t: Mapping[str, Any], tr: Translator) -> str:
    """A territory's name in ``tr.lang``, with "until <date>" for a version that ended and whose name in this
    language does not say so (the kk and ru names of ``east_kazakhstan_1997`` equal today's).

    Examples
    --------
    >>> from aimaq.i18n import translator
    >>> t = {"code": "x", "name_ru": "Восточно-Казахстанская область", "valid_to": "2022-06-07"}
    >>> display_name(t, translator("ru"))
    'Восточно-Казахстанская область (до 2022-06-07)'
    """
    name = localized(t, "name", tr.lang) or str(t["code"])
    until = _clean(t.get("valid_to"))
    if until and not re.search(r"\b(1[89]|20)\d\d\b", name):
        name = f"{name} ({tr.gettext('until %(date)s') % {'date': until}})"
    return name


def _localized_lang(row: Mapping[str, Any], stem: str, lang: str) -> str:
    """The language :func:`localized` actually used (for the ``lang`` attribute of the element)."""
    for candidate in (lang, "ru", "en", "kk"):
        if _clean(row.get(f"{stem}_{candidate}")):
            return candidate
    return "en"


@dataclass
class Snapshot:
    """One read of the store, indexed for the pages."""

    data: Dataset
    loaded_at: float = field(default_factory=time.monotonic)
    #: Page dicts built from this snapshot, by (page, language, arguments); see :func:`_per_snapshot`.
    cache: dict[tuple, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ indices
    @cached_property
    def territories(self) -> dict[str, dict[str, Any]]:
        """code -> territory row (with ``code``), in the gazetteer's order."""
        out = {}
        for code, row in self.data.territories.iterrows():
            rec = {k: _clean(v) for k, v in row.items()}
            rec["code"] = str(code)
            out[str(code)] = rec
        return out

    @cached_property
    def indicators(self) -> dict[str, dict[str, Any]]:
        """code -> indicator row (with ``code``)."""
        out = {}
        for code, row in self.data.indicators.iterrows():
            rec = {k: _clean(v) for k, v in row.items()}
            rec["code"] = str(code)
            out[str(code)] = rec
        return out

    @cached_property
    def observations(self) -> list[dict[str, Any]]:
        """All observations as dicts (bundled data: a few thousand rows)."""
        obs = self.data.observations
        return [{k: _clean(v) for k, v in rec.items()} for rec in obs.to_dict("records")]

    @cached_property
    def by_territory(self) -> dict[str, list[dict[str, Any]]]:
        """territory code -> its observations."""
        out: dict[str, list[dict[str, Any]]] = {}
        for rec in self.observations:
            out.setdefault(rec["territory"], []).append(rec)
        return out

    @cached_property
    def by_indicator_period(self) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
        """(indicator, period) -> territory -> observation."""
        out: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        for rec in self.observations:
            out.setdefault((rec["indicator"], rec["period"]), {})[rec["territory"]] = rec
        return out

    @cached_property
    def notes(self) -> list[dict[str, Any]]:
        """Data-quality notes as dicts; empty key parts are None (they apply to every matching cell)."""
        out = []
        for rec in self.data.notes.to_dict("records"):
            note = {k: _clean(v) for k, v in rec.items()}
            for key in ("territory", "indicator", "period"):
                if note.get(key) == "":
                    note[key] = None
            out.append(note)
        return out

    @cached_property
    def current_regions(self) -> list[dict[str, Any]]:
        """The 20 regions on the post-2022 borders: level region or city_rs, still valid."""
        return [
            t
            for t in self.territories.values()
            if t.get("level") in REGION_LEVELS and (_year(t.get("valid_to")) is None)
        ]

    @cached_property
    def region_codes(self) -> dict[str, str]:
        """geojson ADM1_EN -> region code (:func:`aimaq.services.web.geo.match_regions`, non-strict: a store
        filled only by imports may lack the gazetteer; ``tests/services/web/test_geo.py`` holds the bundled
        gazetteer to all 20)."""
        regions = [
            {
                "code": t["code"],
                "name_en": t.get("name_en"),
                "kind": "city" if t["level"] == "city_rs" else "x",
            }
            for t in self.current_regions
        ]
        return geo.match_regions(regions, strict=False)

    @cached_property
    def region_coverage(self) -> dict[str, dict[str, int]]:
        """indicator code -> period -> number of regions (any border version) with a number."""
        regions = {t["code"] for t in self.territories.values() if t.get("level") in REGION_LEVELS}
        out: dict[str, dict[str, int]] = {}
        for rec in self.observations:
            if rec["territory"] in regions and rec.get("value") is not None:
                per = out.setdefault(rec["indicator"], {})
                per[rec["period"]] = per.get(rec["period"], 0) + 1
        return out

    @cached_property
    def region_indicators(self) -> dict[str, list[str]]:
        """indicator code -> periods (by end year, then start year) for which some region has a number."""
        return {
            ind: sorted(periods, key=lambda p: tuple(reversed([int(y) for y in p.split("-")])))
            for ind, periods in self.region_coverage.items()
        }


def _same_data(a: Dataset, b: Dataset) -> bool:
    """Whether two reads of the store hold the same tables (then the built pages stay valid)."""
    return all(
        x.shape == y.shape and x.equals(y)
        for x, y in (
            (a.observations, b.observations),
            (a.territories, b.territories),
            (a.indicators, b.indicators),
            (a.notes, b.notes),
        )
    )


def _per_snapshot(method: Callable[..., Any]) -> Callable[..., Any]:
    """Build a page dict once per snapshot and language, then serve it from the snapshot's cache.

    A page depends only on the data and its arguments, so caching it is exact; the dicts are shared and must
    be treated as read-only (``render`` copies before adding keys). The cache is bounded; beyond the bound
    pages are built each time.
    """

    @functools.wraps(method)
    def wrapper(self: WebData, *args: Any, **kwargs: Any) -> Any:
        snap = self.snapshot()
        key = (
            method.__name__,
            *(a.lang if isinstance(a, Translator) else a for a in args),
            *sorted(kwargs.items()),
        )
        if key in snap.cache:
            return snap.cache[key]
        value = method(self, *args, **kwargs)
        if len(snap.cache) < 20_000:
            snap.cache[key] = value
        return value

    return wrapper


class WebData:
    """The page dicts of the web app, built from a store and the bundled seed texts.

    Parameters
    ----------
    store : StoreLike
        Anything with ``dataset() -> Dataset``; normally :class:`aimaq.store.Store`.
    bundled_dir : Path, optional
        Where ``seeds/*.txt`` and ``sources.csv`` are; default :func:`default_bundled_dir`.
    ttl : float, default 10
        Seconds a read of the store is reused.
    """

    def __init__(self, store: StoreLike, *, bundled_dir: Path | None = None, ttl: float = 10.0) -> None:
        self.store = store
        self.bundled_dir = Path(bundled_dir) if bundled_dir else default_bundled_dir()
        self.ttl = ttl
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._refreshing = False

    # ------------------------------------------------------------------ snapshot
    def snapshot(self) -> Snapshot:
        """The current :class:`Snapshot`, re-read from the store after ``ttl`` seconds.

        Stale-while-revalidate: when the snapshot has expired, one request re-reads the store while the
        others go on with the old one; only the very first read makes requests wait. When the re-read data
        equals the old, the old snapshot (with its built pages) is kept.
        """
        snap = self._snapshot
        if snap is not None and time.monotonic() - snap.loaded_at < self.ttl:
            return snap
        if snap is not None and not self._lock.acquire(blocking=False):
            return snap  # another request is re-reading the store
        if snap is None:
            self._lock.acquire()
        try:
            current = self._snapshot
            if current is not None and time.monotonic() - current.loaded_at < self.ttl:
                return current
            data = self._read()
            if current is not None and _same_data(current.data, data):
                current.loaded_at = time.monotonic()
                return current
            self._snapshot = Snapshot(data)
            return self._snapshot
        finally:
            self._lock.release()

    @property
    def current(self) -> Snapshot | None:
        """The snapshot (None before the first read); never reads the store in the calling thread.

        After ``ttl`` seconds it starts the re-read in a background thread and goes on answering with the
        old snapshot, as :meth:`snapshot` does for the other requests while one re-reads: the response
        cache (:mod:`aimaq.services.web.cache`) calls this on the event loop, where a read of the store
        would stop every other request. Answers are keyed by this object, so an import that changes the
        data, or :meth:`invalidate`, makes every answer built from the old snapshot unreachable.
        """
        snap = self._snapshot
        if snap is None or self.ttl <= 0:
            return None if self.ttl <= 0 else snap
        if time.monotonic() - snap.loaded_at >= self.ttl and not self._refreshing:
            self._refreshing = True
            threading.Thread(target=self._refresh, name="aimaq-store-reread", daemon=True).start()
        return snap

    def _refresh(self) -> None:
        # Errors are the next page's to report (snapshot() raises StoreUnavailable there).
        try:
            with contextlib.suppress(Exception):
                self.snapshot()
        finally:
            self._refreshing = False

    def _read(self) -> Dataset:
        try:
            return self.store.dataset()
        except Exception as exc:  # any driver or schema error: the page says what to do
            raise StoreUnavailable(
                f"cannot read the aimaq store ({type(exc).__name__}: {exc}); "
                "create it with `aimaq init`, or point AIMAQ_DATABASE_URL / --db at an existing one"
            ) from exc

    def invalidate(self) -> None:
        """Forget the cached read (after a write through this process)."""
        self._snapshot = None

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def _territory_summary(t: Mapping[str, Any], tr: Translator) -> dict[str, Any]:
        level = t.get("level")
        return {
            "code": t["code"],
            "name": display_name(t, tr),
            "names": {lang: _clean(t.get(f"name_{lang}")) for lang in LANGUAGES},
            "level": level,
            "level_label": tr.gettext(LEVEL_LABELS[level]) if level in LEVEL_LABELS else (level or ""),
            "parent": t.get("parent"),
            "valid_from": _clean(t.get("valid_from")),
            "valid_to": _clean(t.get("valid_to")),
            "lat": _clean(t.get("lat")),
            "lon": _clean(t.get("lon")),
            "url": f"/territories/{t['code']}",
        }

    def _indicator_summary(self, code: str, snap: Snapshot, tr: Translator) -> dict[str, Any]:
        ind = snap.indicators.get(code, {"code": code})
        unit = _clean(ind.get("unit")) or ""
        seed = re.sub(r"\D", "", str(_clean(ind.get("seed")) or ""))[:3]
        return {
            "code": code,
            "name": localized(ind, "name", tr.lang) or code,
            "unit": (lookup(unit, tr.lang) or unit) if unit else "",
            "unit_code": unit,
            "seed": seed,  # "" for imported indicators
            "direction": _clean(ind.get("direction")),
            "kind": _clean(ind.get("kind")),
        }

    def _format_value(self, rec: Mapping[str, Any], tr: Translator) -> str:
        if rec.get("value") is not None and not (
            isinstance(rec["value"], float) and math.isnan(rec["value"])
        ):
            return tr.format_number(rec["value"])
        if rec.get("value_text"):
            return str(rec["value_text"])
        return "—"

    def _citation(self, rec: Mapping[str, Any]) -> dict[str, Any] | None:
        # Prefer explicit seed/table/lines columns when the store gives them; else parse ``source``.
        if _clean(rec.get("seed")):
            seed = re.sub(r"\D", "", str(rec["seed"]))[:3] or str(rec["seed"])
            cit = SeedCitation(seed, str(_clean(rec.get("table")) or ""), str(_clean(rec.get("lines")) or ""))
        else:
            cit = parse_source(rec.get("source"))
        return cit.as_dict() if cit else None

    def _note_dict(self, note: Mapping[str, Any], tr: Translator) -> dict[str, Any]:
        text_lang = _localized_lang(note, "text", tr.lang)
        return {
            "id": note.get("id"),
            "kind": note.get("kind"),
            "text": localized(note, "text", tr.lang),
            "text_lang": text_lang if _clean(note.get(f"text_{text_lang}")) else "en",
            "territory": note.get("territory"),
            "indicator": note.get("indicator"),
            "period": note.get("period"),
            "citation": self._citation(note),
        }

    @staticmethod
    def _note_applies(note: Mapping[str, Any], territory: str, indicator: str, period: str) -> bool:
        if note.get("indicator") is None:
            # A note on a whole territory is listed once at the top of its profile, and one on a whole
            # table not at all, rather than beside every cell they apply to.
            return False
        return all(
            note.get(k) in (None, v)
            for k, v in (("territory", territory), ("indicator", indicator), ("period", period))
        )

    # ------------------------------------------------------------------ pages
    @_per_snapshot
    def territories_page(self, tr: Translator, *, level: str | None = None) -> dict[str, Any]:
        """The territories list: every gazetteer entry (or those of one level), with observation counts."""
        snap = self.snapshot()
        rows = []
        for t in snap.territories.values():
            if level and t.get("level") != level:
                continue
            summary = self._territory_summary(t, tr)
            summary["observations"] = len(snap.by_territory.get(t["code"], []))
            parent = snap.territories.get(t.get("parent") or "")
            summary["parent_name"] = localized(parent, "name", tr.lang) if parent else None
            rows.append(summary)
        levels = [
            {"code": lv, "label": tr.gettext(label)}
            for lv, label in LEVEL_LABELS.items()
            if any(t.get("level") == lv for t in snap.territories.values())
        ]
        return {"level": level, "levels": levels, "territories": rows, "count": len(rows)}

    @_per_snapshot
    def territory_page(self, code: str, tr: Translator) -> dict[str, Any] | None:
        """A territory profile: names, level, parent, validity, every observation, its source and notes."""
        snap = self.snapshot()
        t = snap.territories.get(code)
        if t is None:
            return None
        profile = self._territory_summary(t, tr)
        parent = snap.territories.get(t.get("parent") or "")
        profile["parent"] = self._territory_summary(parent, tr) if parent else None
        profile["children"] = [
            self._territory_summary(c, tr) for c in snap.territories.values() if c.get("parent") == code
        ]
        # Border changes (gazetteer ``successor``: "east_kazakhstan;abai"), both ways.
        successors = [c for c in str(t.get("successor") or "").split(";") if c in snap.territories]
        profile["successors"] = [self._territory_summary(snap.territories[c], tr) for c in successors]
        profile["predecessors"] = [
            self._territory_summary(p, tr)
            for p in snap.territories.values()
            if code in str(p.get("successor") or "").split(";")
        ]
        rows = []
        for rec in sorted(
            snap.by_territory.get(code, []), key=lambda r: (r["indicator"], r["year_from"], r["year_to"])
        ):
            notes = [
                self._note_dict(n, tr)
                for n in snap.notes
                if self._note_applies(n, code, rec["indicator"], rec["period"])
            ]
            status = rec.get("status") or "published"
            rows.append(
                {
                    "indicator": self._indicator_summary(rec["indicator"], snap, tr),
                    "period": rec["period"],
                    "value": rec.get("value"),
                    "value_text": rec.get("value_text"),
                    "formatted": self._format_value(rec, tr),
                    "status": status,
                    "status_label": tr.gettext(STATUS_LABELS.get(status, status)),
                    "source": rec.get("source") or "",
                    "citation": self._citation(rec),
                    "notes": notes,
                }
            )
        general = [
            self._note_dict(n, tr)
            for n in snap.notes
            if n.get("territory") == code and n.get("indicator") is None
        ]
        profile.update(observations=rows, notes=general, on_map=code in snap.region_codes.values())
        return profile

    @_per_snapshot
    def map_page(
        self, tr: Translator, *, indicator: str | None = None, period: str | None = None
    ) -> dict[str, Any]:
        """The choropleth's data: indicator and period choices, one value per region, the point layers.

        When the period ends before 2022 and none of the regions created in 2022 has a value, the data is on
        the old borders: ``borders`` is ``"pre2022"`` and ``merged`` names each new region drawn in its
        parent.

        Raises
        ------
        KeyError
            If ``indicator`` has no region data or ``period`` is not one of its periods; the message lists the
            valid choices.
        """
        snap = self.snapshot()
        available = snap.region_indicators
        choices = sorted(
            (
                self._indicator_summary(code, snap, tr)
                | {"periods": periods, "regions": max(snap.region_coverage[code].values())}
                for code, periods in available.items()
            ),
            key=lambda d: (d["seed"] or "~", d["name"].lower()),
        )
        if indicator is None:
            indicator = _default_indicator(snap.region_coverage)
        if indicator is not None and indicator not in available:
            raise KeyError(f"indicator {indicator!r} has no region values; choose one of {sorted(available)}")
        periods = available.get(indicator, []) if indicator else []
        if period is None and periods:
            period = periods[-1]
        if indicator and period not in periods:
            raise KeyError(
                f"period {period!r} of {indicator!r} has no region values; choose one of {periods}"
            )

        cells = snap.by_indicator_period.get((indicator, period), {}) if indicator else {}
        codes = snap.region_codes  # ADM1_EN -> code
        new_codes = {
            codes[new]: codes[parent]
            for new, parent in geo.SPLITS_2022.items()
            if new in codes and parent in codes
        }
        # The gazetteer's versions of the parents on their 1997-2022 borders (successor "parent;new"),
        # e.g. east_kazakhstan_1997 -> east_kazakhstan + abai: their values cover the merged polygon.
        # Without a successor column, the version is the one with the parent's ISO code that ended in 2022.
        old_versions = {
            parent: t["code"]
            for t in snap.territories.values()
            for new, parent in new_codes.items()
            if t["code"] != parent
            and (
                set(str(t.get("successor") or "").split(";")) == {parent, new}
                or (
                    not t.get("successor")
                    and t.get("iso")
                    and t.get("iso") == snap.territories[parent].get("iso")
                    and _year(t.get("valid_to")) == REFORM_YEAR
                )
            )
        }

        def has_value(code: str | None) -> bool:
            return code is not None and cells.get(code, {}).get("value") is not None

        year_to = int(str(period).split("-")[-1]) if period else None
        old_borders = (
            year_to is not None
            and year_to < REFORM_YEAR
            and (
                any(has_value(old) for old in old_versions.values())
                or not any(has_value(new) for new in new_codes)
            )
        )
        regions = []
        for t in snap.current_regions:
            code = t["code"]
            if old_borders and code in new_codes:
                continue
            shown = t
            if old_borders and has_value(old_versions.get(code)):
                shown = snap.territories[old_versions[code]]
            rec = cells.get(shown["code"])
            regions.append(
                {
                    "code": code,  # the polygon's id; the value may be that of the old-border version
                    "territory": shown["code"],
                    "name": display_name(shown, tr),
                    "value": rec.get("value") if rec else None,
                    "formatted": self._format_value(rec, tr) if rec else "—",
                    "status": rec.get("status") if rec else "missing",
                    "status_label": tr.gettext(
                        STATUS_LABELS.get(rec.get("status") if rec else "missing", "missing")
                    ),
                    "citation": self._citation(rec) if rec else None,
                    "url": f"/territories/{shown['code']}",
                }
            )
        merged = [
            {
                "code": new,
                "name": localized(snap.territories[new], "name", tr.lang),
                "within": parent,
                "within_name": localized(snap.territories[parent], "name", tr.lang),
            }
            for new, parent in new_codes.items()
            if old_borders
        ]
        points = []
        for t in snap.territories.values():
            if t.get("level") not in POINT_LEVELS or t.get("lat") is None or t.get("lon") is None:
                continue
            rec = cells.get(t["code"])
            points.append(
                self._territory_summary(t, tr)
                | {
                    "value": rec.get("value") if rec else None,
                    "formatted": self._format_value(rec, tr) if rec else "",
                }
            )
        values = [r["value"] for r in regions if r["value"] is not None]
        return {
            "indicator": self._indicator_summary(indicator, snap, tr) if indicator else None,
            "period": period,
            "periods": periods,
            "indicators": choices,
            "borders": "pre2022" if old_borders else "2022",
            "merged": merged,
            "regions": regions,
            "points": points,
            "range": [min(values), max(values)] if values else None,
            "geojson_url": f"/api/geo/regions.geojson?borders={'pre2022' if old_borders else '2022'}",
        }

    @_per_snapshot
    def region_geojson(self, borders: str = "2022") -> dict[str, Any]:
        """The region polygons keyed by this store's codes (see :func:`geo.region_features`)."""
        return geo.region_features(self.snapshot().region_codes, borders=borders)

    @_per_snapshot
    def region_geojson_bytes(self, borders: str = "2022") -> bytes:
        """:meth:`region_geojson` serialised once (86 kB: the API's largest answer)."""
        return json.dumps(self.region_geojson(borders), separators=(",", ":")).encode()

    @_per_snapshot
    def region_geojson_gzip(self, borders: str = "2022") -> bytes:
        """:meth:`region_geojson_bytes` compressed once (86 kB -> about 30 kB), not per request."""
        return gzip.compress(self.region_geojson_bytes(borders), compresslevel=6, mtime=0)

    # ------------------------------------------------------------------ seeds and sources
    @cached_property
    def sources(self) -> list[dict[str, Any]]:
        """The rows of ``bundled/sources.csv`` (the five seed documents); empty if the file is absent."""
        path = self.bundled_dir / "sources.csv"
        if not path.is_file():
            return []
        with path.open(encoding="utf-8", newline="") as fh:
            return [dict(row) for row in csv.DictReader(fh)]

    def seed_file(self, seed: str) -> Path | None:
        """The bundled text of seed ``"001"`` (``seeds/001_*.txt``), or None."""
        if not re.fullmatch(r"\d{3}", seed):
            return None
        matches = sorted((self.bundled_dir / "seeds").glob(f"{seed}_*.txt"))
        return matches[0] if matches else None

    def seeds_index(self, tr: Translator) -> list[dict[str, Any]]:
        """The seed documents for the About page and the seed viewer's index."""
        out = []
        for path in sorted((self.bundled_dir / "seeds").glob("[0-9][0-9][0-9]_*.txt")):
            seed = path.name[:3]
            meta = next((s for s in self.sources if str(s.get("seed", "")).zfill(3)[-3:] == seed), {})
            out.append(
                {
                    "seed": seed,
                    "file": path.name,
                    "title": localized(meta, "title", tr.lang) or path.name,
                    "authors": meta.get("authors") or "",
                    "year": meta.get("year") or "",
                    "kind": meta.get("kind") or "",
                    "url": f"/seeds/{seed}",
                }
            )
        return out

    def seed_page(
        self, seed: str, tr: Translator, *, lines: str | None = None, context: int = 25
    ) -> dict[str, Any] | None:
        """The seed viewer: the cited lines highlighted, with ``context`` lines around them.

        Without ``lines`` the whole text is shown. Raises ValueError for a malformed ``lines``.
        """
        path = self.seed_file(seed)
        if path is None:
            return None
        text = path.read_text(encoding="utf-8").splitlines()
        cited = parse_lines(lines, len(text)) if lines else set()
        if cited:
            start, end = max(1, min(cited) - context), min(len(text), max(cited) + context)
        else:
            start, end = 1, len(text)
        meta = next((s for s in self.seeds_index(tr) if s["seed"] == seed), {"title": path.name})
        return {
            "text_lang": text_language("\n".join(text)),
            "seed": seed,
            "file": path.name,
            "title": meta["title"],
            "total_lines": len(text),
            "cited": lines or "",
            "start": start,
            "end": end,
            "lines": [{"n": n, "text": text[n - 1], "cited": n in cited} for n in range(start, end + 1)],
        }


_KAZAKH_LETTERS = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_CYRILLIC = re.compile("[А-Яа-яЁё]")


def text_language(text: str) -> str:
    """The language of a seed text, for its ``lang`` attribute: Kazakh letters -> kk, other Cyrillic -> ru.

    Examples
    --------
    >>> text_language("Қарағанды облысы"), text_language("Карагандинская область"), text_language("R&D")
    ('kk', 'ru', 'en')
    """
    cyrillic = len(_CYRILLIC.findall(text)) + len(_KAZAKH_LETTERS.findall(text))
    if not cyrillic:
        return "en"
    # Kazakh-only letters are about 5 % of the letters of Kazakh text; 0.5 % leaves room for quoted names.
    return "kk" if len(_KAZAKH_LETTERS.findall(text)) > 0.005 * cyrillic else "ru"


def parse_lines(spec: str, total: int) -> set[int]:
    """``"727"``, ``"725-776"``, ``"727,744"`` -> the set of line numbers, each checked against ``total``.

    Examples
    --------
    >>> sorted(parse_lines("3-5,9", 10))
    [3, 4, 5, 9]
    """
    out: set[int] = set()
    problems = []
    for part in filter(None, (p.strip() for p in spec.replace("–", "-").split(","))):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            problems.append(f"{part!r} is not a line number or a range like 725-776")
            continue
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= a <= b <= total:
            problems.append(f"{part!r} is outside lines 1-{total}")
            continue
        out.update(range(a, b + 1))
    if problems:
        raise ValueError("lines: " + "; ".join(problems))
    return out


def _default_indicator(coverage: Mapping[str, Mapping[str, int]]) -> str | None:
    """The indicator the map opens with: most regions in one period, then most periods, then by code.

    Examples
    --------
    >>> _default_indicator({"a": {"2020": 1, "2019": 1}, "b": {"2024": 20}, "c": {"2024": 20, "2023": 20}})
    'c'
    """
    if not coverage:
        return None
    return min(coverage, key=lambda c: (-max(coverage[c].values()), -len(coverage[c]), c))


def make_store_factory(url: str | None) -> Callable[[], StoreLike]:
    """A callable opening :class:`aimaq.store.repository.Store` at ``url`` (imported on first use)."""

    def factory() -> StoreLike:
        from aimaq.store.repository import Store

        return Store(url)

    return factory
