"""Distances, the map projection, and the outlines file the map is drawn from."""
import json
import shutil

import numpy as np
import pytest

from natocourse.data import DataError, load_table
from natocourse.errors import CourseError
from natocourse.models.geo import (EARTH_RADIUS_KM, MOSCOW, OUTLINES_FILE, PROJECTION, great_circle_km, load_outlines,
                            project)

OFF_THE_MAP = {"CAN", "USA"}


# ---------------------------------------------------------------- distances

def test_moscow_to_oslo_is_1644_km():
    assert great_circle_km(MOSCOW["lat"], MOSCOW["lon"], 59.9127, 10.7461) == pytest.approx(1644, abs=1)


def test_london_to_paris_is_343_km():
    assert great_circle_km(51.5085, -0.1257, 48.8534, 2.3488) == pytest.approx(343.5, abs=1.5)


def test_distances_work_on_arrays():
    assert great_circle_km(0, 0, [0, 0], [90, 180]).tolist() == pytest.approx(
        [np.pi / 2 * EARTH_RADIUS_KM, np.pi * EARTH_RADIUS_KM])


# ---------------------------------------------------------------- projection

def test_the_map_centre_is_the_origin():
    assert [float(v) for v in project(PROJECTION["lon_0"], PROJECTION["lat_0"])] == pytest.approx([0, 0], abs=1e-9)


def test_north_is_up_and_east_is_right_in_kilometres():
    x, y = project(20, 62)  # 10 degrees north of the centre: 2 R sin(5 degrees) on an azimuthal equal-area map
    assert (float(x), float(y)) == pytest.approx((0, 2 * EARTH_RADIUS_KM * np.sin(np.radians(5))), abs=1e-6)
    assert project(30, 52)[0] > 0 and project(10, 52)[0] < 0


def test_moscow_lies_about_1200_km_east_north_east_of_the_centre():
    x, y = project(MOSCOW["lon"], MOSCOW["lat"])
    assert 1000 < x < 1200 and 450 < y < 650


def test_the_projection_keeps_areas():
    """A one-degree cell at 60 N has the area the sphere gives it (the point of an equal-area map)."""
    lon = np.r_[np.linspace(30, 31, 50), np.full(50, 31), np.linspace(31, 30, 50), np.full(50, 30)]
    lat = np.r_[np.full(50, 60), np.linspace(60, 61, 50), np.full(50, 61), np.linspace(61, 60, 50)]
    x, y = project(lon, lat)
    shoelace = abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2
    on_the_sphere = EARTH_RADIUS_KM ** 2 * np.radians(1) * (np.sin(np.radians(61)) - np.sin(np.radians(60)))
    assert shoelace == pytest.approx(on_the_sphere, rel=1e-3)


# ---------------------------------------------------------------- the outlines file

def test_outlines_hold_every_european_member_and_russia_ukraine_belarus():
    countries = load_outlines().countries
    european = set(load_table("members")["iso3"]) - OFF_THE_MAP
    assert len(european) == 30
    assert european | {"RUS", "UKR", "BLR", "ISL"} <= set(countries)
    assert not OFF_THE_MAP & set(countries)


def test_outlines_name_natural_earth_and_the_projection():
    outlines = load_outlines()
    assert outlines.source["url"] == "https://www.naturalearthdata.com/"
    assert outlines.source["licence"] == "public domain"
    assert "tools/build_outlines.py" in outlines.source["rebuild"]
    assert outlines.source["source_id"] in set(load_table("sources")["source_id"])
    assert {k: outlines.projection[k] for k in ("lon_0", "lat_0", "radius_km")} == \
           {k: PROJECTION[k] for k in ("lon_0", "lat_0", "radius_km")}


def test_outlines_file_is_small():
    assert OUTLINES_FILE.stat().st_size < 400_000


def test_every_member_capital_lies_in_its_country():
    """The file and project() agree: each capital falls inside (or within 10 km of) its country's outline."""
    countries = load_outlines().countries
    members = load_table("members")
    for row in members[~members["iso3"].isin(OFF_THE_MAP)].itertuples():
        point = np.array([float(v) for v in project(row.capital_lon, row.capital_lat)])
        distance = min(_distance_to_polygon(point, polygon) for polygon in countries[row.iso3].polygons)
        assert distance < 10, f"{row.capital} is {distance:.0f} km from {row.country}'s outline"


def test_outlines_are_read_once_and_again_when_the_file_changes(tmp_path):
    copy = tmp_path / "europe_outlines.json"
    shutil.copy(OUTLINES_FILE, copy)
    first = load_outlines(copy)
    assert load_outlines(copy) is first
    content = json.loads(copy.read_text(encoding="utf-8"))
    content["countries"] = [c for c in content["countries"] if c["iso3"] != "ISL"]
    copy.write_text(json.dumps(content), encoding="utf-8")
    assert "ISL" not in load_outlines(copy).countries


# ---------------------------------------------------------------- damage

def outlines_message(path) -> str:
    with pytest.raises(DataError) as caught:
        load_outlines(path)
    assert isinstance(caught.value, CourseError)
    message = str(caught.value)
    for internals in ("Traceback", "KeyError", "TypeError", "Exception", "numpy"):
        assert internals not in message
    assert "europe_outlines.json" in message
    return message


def test_a_missing_outlines_file_says_how_to_rebuild_it(tmp_path):
    message = outlines_message(tmp_path / "europe_outlines.json")
    assert "missing" in message and "python tools/build_outlines.py" in message


def test_a_truncated_outlines_file_is_named_as_not_json(tmp_path):
    broken = tmp_path / "europe_outlines.json"
    broken.write_text(OUTLINES_FILE.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    assert "is not valid JSON" in outlines_message(broken)


def test_a_damaged_outline_names_the_country(tmp_path):
    content = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    for country in content["countries"]:
        if country["iso3"] == "EST":
            country["polygons"][0][3] = ["x", 1]
    broken = tmp_path / "europe_outlines.json"
    broken.write_text(json.dumps(content), encoding="utf-8")
    assert "Estonia (EST)" in outlines_message(broken)


def test_outlines_made_for_another_projection_are_refused(tmp_path):
    content = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    content["projection"]["lon_0"] = 10.0
    broken = tmp_path / "europe_outlines.json"
    broken.write_text(json.dumps(content), encoding="utf-8")
    assert "another projection" in outlines_message(broken)


def test_an_outlines_file_without_countries_is_refused(tmp_path):
    broken = tmp_path / "europe_outlines.json"
    broken.write_text('{"source": {}, "projection": {}}', encoding="utf-8")
    assert '"countries"' in outlines_message(broken)


def _distance_to_polygon(point, polygon) -> float:
    """0 inside the polygon, else the distance to its nearest edge (same units as the points)."""
    from matplotlib.path import Path
    if Path(polygon).contains_point(point):
        return 0.0
    start, end = polygon, np.roll(polygon, -1, axis=0)
    edge = end - start
    t = np.clip(((point - start) * edge).sum(axis=1) / np.maximum((edge ** 2).sum(axis=1), 1e-12), 0, 1)
    return float(np.hypot(*(start + t[:, None] * edge - point).T).min())


def test_every_disputed_territory_says_what_the_map_shows_and_cites_a_source():
    outlines = load_outlines()
    sources = set(load_table("sources")["source_id"])
    shown = {t.id: t for t in outlines.territories}
    assert {"crimea", "occupied_2022", "transnistria", "abkhazia_south_ossetia", "kosovo", "northern_cyprus",
            "kaliningrad"} <= shown.keys()
    for territory in outlines.territories:
        assert territory.note and set(territory.source_ids) <= sources, territory.id
    crimea = shown["crimea"]
    assert crimea.shown_as == "UKR" and crimea.marked_from == 2014
    ukraine = [p.tolist() for p in outlines.countries["UKR"].polygons]
    assert all(p.tolist() in ukraine for p in crimea.polygons)
