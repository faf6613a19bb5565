"""Geography: great-circle distances, the map projection, and the outlines of Europe.

>>> round(great_circle_km(55.75222, 37.61556, 59.9127, 10.7461))   # Moscow to Oslo
1644
>>> [round(float(v)) for v in project(20, 52)]                    # the map's centre
[0, 0]

The outlines (``data/europe_outlines.json``) are Natural Earth's 1:50m countries,
already projected; ``tools/build_outlines.py`` rebuilds them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..data import DATA_DIR, DataError, Problem, _shown

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), the usual figure for great-circle distances

# GeoNames record 524901 (source_id geonames_gazetteer), as for the capitals in data/members.csv
MOSCOW = {"name": "Moscow", "lat": 55.75222, "lon": 37.61556}

OUTLINES_FILE = DATA_DIR / "europe_outlines.json"
REBUILD = "python tools/build_outlines.py"

# Lambert azimuthal equal-area on a sphere, centred on central Europe: areas keep their true
# proportions (Russia is not inflated as on a Mercator map). Map coordinates are kilometres.
PROJECTION = {"name": "Lambert azimuthal equal-area (spherical)", "lon_0": 20.0, "lat_0": 52.0,
              "radius_km": EARTH_RADIUS_KM, "units": "km"}


def great_circle_km(lat1, lon1, lat2, lon2):
    """Distance along the Earth's surface (haversine formula, spherical Earth), in kilometres.

    Works on single numbers or on arrays of them.
    """
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    half_chord = (np.sin((lat2 - lat1) / 2) ** 2
                  + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(half_chord))


def project(lon, lat):
    """Map coordinates (x, y) in kilometres of points given in degrees, in the projection of the outlines.

    Works on single numbers or on arrays of them.
    """
    lon, lat = (np.radians(np.asarray(v, dtype=float)) for v in (lon, lat))
    lon_0, lat_0 = np.radians(PROJECTION["lon_0"]), np.radians(PROJECTION["lat_0"])
    cos_c = np.sin(lat_0) * np.sin(lat) + np.cos(lat_0) * np.cos(lat) * np.cos(lon - lon_0)
    k = PROJECTION["radius_km"] * np.sqrt(2 / (1 + cos_c))
    x = k * np.cos(lat) * np.sin(lon - lon_0)
    y = k * (np.cos(lat_0) * np.sin(lat) - np.sin(lat_0) * np.cos(lat) * np.cos(lon - lon_0))
    return x, y


@dataclass(frozen=True)
class Country:
    """One country of the map: its name and its polygons (arrays of x, y rows, in km)."""

    iso3: str
    name: str
    polygons: tuple


@dataclass(frozen=True)
class Territory:
    """An area whose status is disputed: which state the map shows it as, and why (``note``).

    ``marked_from`` is the year from which the map hatches it (None: not hatched); ``polygons`` are
    its outline, for the hatching (it is also one of the parts of the state it is shown as).
    """

    id: str
    name: str
    shown_as: str
    marked_from: int | None
    note: str
    source_ids: tuple
    polygons: tuple


@dataclass(frozen=True)
class Outlines:
    """The map's countries by ISO 3166 alpha-3 code, the disputed territories, the projection and source."""

    countries: dict
    projection: dict
    source: dict
    territories: tuple = ()


def load_outlines(path: Path | str = OUTLINES_FILE) -> Outlines:
    """The outlines of Europe's countries, read once (again only if the file changes); DataError if damaged."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError([Problem(_shown(path), f"the map outlines file is missing; rebuild it with {REBUILD}")]) \
            from None
    return _read_outlines(str(path.resolve()), stamp)


@lru_cache(maxsize=4)
def _read_outlines(path: str, stamp: int) -> Outlines:
    shown = _shown(Path(path))

    def damaged(what: str) -> DataError:
        return DataError([Problem(shown, f"{what}; rebuild the map outlines with {REBUILD}")])

    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise damaged(f"is not UTF-8 text (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise damaged(f"is not valid JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(content, dict) or not {"source", "projection", "countries"} <= content.keys():
        raise damaged('lacks one of its parts "source", "projection", "countries"')
    projection = content["projection"]
    expected = {k: PROJECTION[k] for k in ("lon_0", "lat_0", "radius_km")}
    if not isinstance(projection, dict) or {k: projection.get(k) for k in expected} != expected:
        raise damaged(f"was made for another projection than the course uses ({PROJECTION['name']}, "
                      f"centre {PROJECTION['lon_0']}° E {PROJECTION['lat_0']}° N)")
    countries = {}
    for number, entry in enumerate(content["countries"] if isinstance(content["countries"], list) else [None], 1):
        if not isinstance(entry, dict) or not {"iso3", "name", "polygons"} <= entry.keys():
            raise damaged(f'country number {number} lacks its "iso3", "name" or "polygons"')
        polygons = []
        for ring in entry["polygons"]:
            try:
                points = np.asarray(ring, dtype=float)
            except (TypeError, ValueError):
                points = np.empty((0, 0))
            if points.ndim != 2 or points.shape[0] < 3 or points.shape[1] != 2 or not np.isfinite(points).all():
                raise damaged(f'the outline of {entry["name"]} ({entry["iso3"]}) is not a list of [x, y] points')
            polygons.append(points)
        countries[entry["iso3"]] = Country(entry["iso3"], entry["name"], tuple(polygons))
    if not countries:
        raise damaged("holds no countries")
    territories = []
    for number, entry in enumerate(content.get("territories", []), 1):
        fields = {"id", "name", "shown_as", "marked_from", "note", "source_ids", "polygons"}
        if not isinstance(entry, dict) or not fields <= entry.keys() or entry["shown_as"] not in countries:
            raise damaged(f"territory number {number} lacks one of {sorted(fields)} or names an unknown country")
        polygons = tuple(np.asarray(ring, dtype=float) for ring in entry["polygons"])
        territories.append(Territory(entry["id"], entry["name"], entry["shown_as"], entry["marked_from"],
                                     entry["note"], tuple(entry["source_ids"]), polygons))
    return Outlines(countries, projection, content["source"], tuple(territories))
