"""The map beyond one value per current region: earlier borders, the index menu, and why a layer is not drawn.

:func:`historic_regions` reads the gazetteer (``valid_to`` and ``successor``, docs/store.md): a region of an
earlier division (``east_kazakhstan_1997``, ``south_kazakhstan``) covers the area of the current regions that
succeeded it. :func:`redraw` gives each such region that has a value in the shown year one feature made of
its successors' polygons (:func:`aimaq.services.web.geo.region_features` with ``merge``) and flags it, for
indicator values and index results alike; no region name is hard-coded here.

:func:`index_menu` lists the shipped presets with whether each can be drawn (it has a result with territories
on the map) and, for those that cannot, the reason. Results are probed in background threads, because one
preset may take seconds; a page waits at most :data:`MENU_WAIT` seconds and lists a preset still computing
as choosable.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from typing import Any

from aimaq.i18n import Translator
from aimaq.services.results import NotComputable
from aimaq.services.web.data import (
    POINT_LEVELS,
    REGION_LEVELS,
    STATUS_LABELS,
    Snapshot,
    display_name,
    localized,
)

__all__ = [
    "MENU_WAIT",
    "drawn_historic",
    "historic_regions",
    "index_menu",
    "mappable_codes",
    "problem_page",
    "redraw",
]

#: Seconds a map page waits for the presets' results before listing the slow ones as "being computed".
MENU_WAIT = 1.5


def _year(value: Any) -> int | None:
    """The year a date or period label starts with (``"2022-06-07"`` -> 2022), or None."""
    m = re.match(r"\s*(\d{4})", str(value or ""))
    return int(m.group(1)) if m else None


def historic_regions(territories: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Regions of an earlier division -> the current regions that cover their area.

    A region (level ``region`` or ``city_rs``) with a ``valid_to`` date is an earlier version; its
    ``successor`` codes (``"east_kazakhstan;abai"``) are followed, through versions that ended too, down to
    regions still valid. Versions without a successor on the map are left out.

    Examples
    --------
    >>> historic_regions({
    ...     "sk": {"level": "region", "valid_to": "2018-06-18", "successor": "turkistan;shymkent"},
    ...     "turkistan": {"level": "region", "valid_to": None},
    ...     "shymkent": {"level": "city_rs", "valid_to": None},
    ...     "oskemen": {"level": "city", "valid_to": None}})
    {'sk': ('turkistan', 'shymkent')}
    """
    current = {
        c
        for c, t in territories.items()
        if t.get("level") in REGION_LEVELS and _year(t.get("valid_to")) is None
    }

    def parts(code: str, seen: frozenset[str]) -> list[str]:
        out: list[str] = []
        for nxt in str(territories[code].get("successor") or "").split(";"):
            nxt = nxt.strip()
            if nxt in current:
                out.append(nxt)
            elif nxt in territories and nxt not in seen:
                out.extend(parts(nxt, seen | {nxt}))
        return out

    result = {}
    for code, t in territories.items():
        if t.get("level") in REGION_LEVELS and _year(t.get("valid_to")) is not None:
            found = tuple(dict.fromkeys(parts(code, frozenset({code}))))
            if found:
                result[code] = found
    return result


def drawn_historic(
    historic: Mapping[str, Sequence[str]],
    valid_to: Mapping[str, Any],
    valued: set[str],
    year: int | None,
) -> dict[str, tuple[str, ...]]:
    """The earlier regions to draw: those with a value, unless their successors have values of their own from
    the year of the split on (then the finer division is shown). Overlapping versions: the first one wins.

    Examples
    --------
    >>> hist = {"ek_1997": ("ek", "abai")}
    >>> drawn_historic(hist, {"ek_1997": "2022-06-07"}, {"ek_1997"}, 2019)
    {'ek_1997': ('ek', 'abai')}
    >>> drawn_historic(hist, {"ek_1997": "2022-06-07"}, {"ek_1997", "ek", "abai"}, 2022)
    {}
    """
    out: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    for code, parts in historic.items():
        if code not in valued or taken & set(parts):
            continue
        until = _year(valid_to.get(code))
        if any(p in valued for p in parts) and year is not None and until is not None and year >= until:
            continue
        out[code] = tuple(parts)
        taken.update(parts)
    return out


def mappable_codes(snap: Snapshot) -> set[str]:
    """Territories the map can draw: the current regions, the earlier ones, and points with coordinates."""
    points = {
        c
        for c, t in snap.territories.items()
        if t.get("level") in POINT_LEVELS and t.get("lat") is not None and t.get("lon") is not None
    }
    return {t["code"] for t in snap.current_regions} | set(historic_regions(snap.territories)) | points


def _end_year(period: Any) -> int | None:
    text = str(period or "").split("-")[-1]
    return int(text) if text[:4].isdigit() else None


def _row(
    data: Any, snap: Snapshot, code: str, cells: Mapping[str, Mapping[str, Any]], tr: Translator
) -> dict:
    """A region row of the indicator map (as :meth:`WebData.map_page` writes them) for ``code`` itself."""
    t = snap.territories[code]
    rec = cells.get(code)
    status = (rec.get("status") or "published") if rec else "missing"
    return {
        "code": code,
        "territory": code,
        "name": display_name(t, tr),
        "value": rec.get("value") if rec else None,
        "formatted": data._format_value(rec, tr) if rec else "—",
        "status": status,
        "status_label": tr.gettext(STATUS_LABELS.get(status, status)),
        "citation": data._citation(rec) if rec else None,
        "url": f"/territories/{code}",
    }


def redraw(page: Mapping[str, Any], pages: Any, tr: Translator) -> dict[str, Any]:
    """The map page with regions of an earlier division drawn on the borders of their time.

    Parameters
    ----------
    page : mapping
        :meth:`IndexPages.map_page`: indicator values, or an index or layer in ``overlay``.
    pages : IndexPages
        For the store snapshot and :meth:`IndexPages.map_overlay` (which colours a row by the overlay).

    Returns
    -------
    dict
        ``page`` with ``regions`` rebuilt: an earlier region with a value is one row whose ``code`` is its own
        (the id of its merged feature) and whose ``historic`` holds ``until``, ``successors`` and the ``note``
        shown in its tooltip; its successors have no row. ``borders`` is ``"pre2022"`` when one is drawn,
        ``merged`` names each successor drawn within it (the banner), ``historic`` lists them, and
        ``geojson_url`` asks for those merged features.
    """
    data = pages.data
    snap = data.snapshot()
    overlay = page.get("overlay")
    indicator = (page.get("indicator") or {}).get("code")
    cells = snap.by_indicator_period.get((indicator, page.get("period")), {}) if indicator else {}
    if overlay:
        valued = {k for k, v in overlay["values"].items() if v is not None}
        year = _end_year(overlay.get("year"))
    else:
        valued = {k for k, r in cells.items() if r.get("value") is not None or r.get("value_text")}
        year = _end_year(page.get("period"))
    historic = historic_regions(snap.territories)
    valid_to = {c: snap.territories[c].get("valid_to") for c in historic}
    drawn = drawn_historic(historic, valid_to, valued, year)
    within = {p: h for h, parts in drawn.items() for p in parts}

    def row(code: str) -> dict[str, Any]:
        r = _row(data, snap, code, cells, tr)
        if overlay:
            r = pages.map_overlay({"regions": [r], "points": []}, overlay)["regions"][0]
        return r

    given = {r["code"]: r for r in page["regions"] if r.get("territory", r["code"]) == r["code"]}
    regions: list[dict[str, Any]] = []
    for t in snap.current_regions:
        code = t["code"]
        if code in within:
            h = within[code]
            if h in drawn:  # the earlier region, once, where its first successor stood
                regions.append(row(h) | {"historic": _flag(snap, h, drawn.pop(h), tr)})
            continue
        regions.append(dict(given.get(code) or row(code)) | {"historic": None})
    flagged = [r for r in regions if r.get("historic")]
    merged = [m for r in flagged for m in r["historic"]["merged"]]
    out = dict(page)
    out.update(
        regions=regions,
        borders="pre2022" if flagged else "2022",
        merged=merged,
        historic=[r["historic"] | {"code": r["code"], "name": r["name"]} for r in flagged],
        geojson_url=(
            "/api/geo/map.geojson?historic=" + ",".join(r["code"] for r in flagged)
            if flagged
            else "/api/geo/regions.geojson?borders=2022"
        ),
    )
    nums = [r["value"] for r in regions + list(page.get("points") or []) if r.get("value") is not None]
    out["range"] = [min(nums), max(nums)] if nums else None
    return out


def _flag(snap: Snapshot, code: str, parts: Sequence[str], tr: Translator) -> dict[str, Any]:
    """What the map says about an earlier region drawn on its borders."""
    t = snap.territories[code]
    until = str(t.get("valid_to") or "")
    names = [localized(snap.territories[p], "name", tr.lang) for p in parts]
    # The successor keeping the earlier region's ISO code continues it (East Kazakhstan after Abai left);
    # the others are drawn "within" it. Without one (South Kazakhstan -> Turkistan + Shymkent), all are.
    cont = next((p for p in parts if t.get("iso") and snap.territories[p].get("iso") == t.get("iso")), None)
    merged = [
        {
            "code": p,
            "name": localized(snap.territories[p], "name", tr.lang),
            "within": cont or code,
            "within_name": localized(snap.territories[cont], "name", tr.lang)
            if cont
            else display_name(t, tr),
        }
        for p in parts
        if p != cont
    ]
    note = tr.gettext(
        "Value of the region as it was before %(year)s, drawn on its borders of that time (now: %(now)s)"
    ) % {"year": _year(until) or until, "now": ", ".join(names)}
    return {"until": until, "successors": list(parts), "merged": merged, "note": note}


# ---------------------------------------------------------------------------------------------- index menu
_probe_lock = threading.Lock()


def _probe(results: Any, name: str, dataset: Any) -> Future:
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(results.result(name, dataset))
        except Exception as exc:  # NotComputable (the reason is shown), or a bug reported the same way
            future.set_exception(exc)

    # A daemon thread: a slow preset never keeps the process from exiting.
    threading.Thread(target=run, name=f"aimaq-map-probe-{name}", daemon=True).start()
    return future


def index_menu(pages: Any, tr: Translator, *, wait: float | None = None) -> list[dict[str, Any]]:
    """Every shipped preset for the map's index menu: whether it can be drawn, and why not.

    Rows ``{name, title, status, drawable, reason, years}``; ``status`` is ``"ok"`` (a result with
    territories on the map), ``"computing"`` (still running after ``wait`` seconds: choosable, the page
    then waits for it), ``"missing_data"``, ``"error"`` or ``"not_on_map"`` (its territories are not drawn
    on the map, e.g. Kazakhstan as a whole). ``reason`` is a sentence in the page's language followed by
    the engine's problems.
    """
    snap = pages.data.snapshot()
    with _probe_lock:  # one probe per preset and snapshot
        started, futures = snap.cache.get(("map_layers.probes",), (None, None))
        if futures is None:
            started = time.monotonic()
            futures = {e.name: _probe(pages.results, e.name, snap.data) for e in pages.results.entries()}
            snap.cache[("map_layers.probes",)] = (started, futures)
    # Only the first pages of a snapshot wait (together at most MENU_WAIT seconds); later ones list a slow
    # preset as computing at once rather than each waiting for it.
    left = (MENU_WAIT if wait is None else wait) - (time.monotonic() - started)
    if left > 0:
        wait_futures(list(futures.values()), timeout=left)
    mappable = mappable_codes(snap)
    rows = []
    for e in pages.results.entries():
        row: dict[str, Any] = {
            "name": e.name,
            "title": e.title.get(tr.lang) or e.title.get("en") or e.name,
            "status": "computing",
            "drawable": True,
            "reason": None,
            "years": [],
        }
        future = futures[e.name]
        if future.done():
            exc = future.exception()
            if isinstance(exc, NotComputable):
                lead = (
                    tr.gettext("its data are not in the store")
                    if exc.missing_data
                    else tr.gettext("it does not run on the store's data")
                )
                detail = "; ".join(p.message for p in exc.problems[:3])
                row.update(
                    status="missing_data" if exc.missing_data else "error",
                    drawable=False,
                    reason=f"{lead}: {detail}",
                )
            elif exc is not None:
                row.update(status="error", drawable=False, reason=f"{type(exc).__name__}: {exc}")
            else:
                r = future.result()
                row["years"] = list(r.years)
                if set(r.territories) & mappable:
                    row["status"] = "ok"
                else:
                    names = ", ".join(
                        display_name(snap.territories[c], tr) if c in snap.territories else c
                        for c in r.territories
                    )
                    row.update(
                        status="not_on_map",
                        drawable=False,
                        reason=tr.gettext("none of its territories is drawn on the map (%(names)s)")
                        % {"names": names},
                    )
        rows.append(row)
    return rows


def problem_page(
    pages: Any, tr: Translator, base: Mapping[str, Any], *, status: int, detail: str, asked: Mapping[str, Any]
) -> dict[str, Any]:
    """The indicator map with a message instead of the index or layer that cannot be drawn.

    ``problem`` holds the HTTP status, the asked index or layer and the reason; ``detail`` repeats the
    reason, as every error answer of the app does.
    """
    title = asked.get("index") or asked.get("layer") or ""
    if asked.get("index"):
        with contextlib.suppress(KeyError):  # an unknown index: its code is the title
            title = pages._title(asked["index"], tr)
    text = tr.gettext("%(layer)s cannot be drawn on the map: %(reason)s") % {"layer": title, "reason": detail}
    return dict(base) | {
        "overlay": None,
        "problem": {"status": status, "asked": dict(asked), "text": text, "detail": detail},
        "detail": detail,
    }
