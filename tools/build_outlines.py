"""Rebuild data/europe_outlines.json, the country outlines of the enlargement map.

    python tools/build_outlines.py                          # fetches world-atlas with npm
    python tools/build_outlines.py --package world-atlas-2.0.2.tgz   # a package fetched before

Source: Natural Earth's Admin 0 countries at 1:50m (public domain), as TopoJSON in the
npm package world-atlas 2.0.2 (Natural Earth 4.1.0). Only npm is needed, at build time.

What it does: decode the TopoJSON, keep the countries with land in the frame of the map
(longitude -25..60, latitude 34..72), project them with ``natocourse.models.geo.project`` (Lambert
azimuthal equal-area centred on 20° E, 52° N, kilometres), simplify the shared borders
lightly (so neighbours still meet), clip to a rectangle a little larger than the map, round
to whole kilometres and write one small JSON file. Holes (San Marino and the Vatican
inside Italy) are left out: the enclaves are countries of their own, drawn on top.

Borders: Natural Earth's default outlines follow the line of control in places (Crimea is drawn
as part of Russia). The map follows internationally recognised borders instead: Crimea goes back
to Ukraine and Northern Cyprus to Cyprus; ``TERRITORIES`` says, for every area whose status is
disputed, what the map shows and why, and is written into the outlines file for the map's notes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from natocourse.models.geo import OUTLINES_FILE, PROJECTION, project  # noqa: E402

PACKAGE = "world-atlas@2.0.2"
TOPOJSON = "package/countries-50m.json"
NATURAL_EARTH_VERSION = "4.1.0"  # as the package's README states

FRAME = {"lon": (-25.0, 60.0), "lat": (34.0, 72.0)}  # a country with a point in here is kept
CLIP_KM = {"x": (-2700.0, 3100.0), "y": (-2300.0, 2700.0)}  # map coordinates; the map shows less
TOLERANCE_KM = 1.5  # Douglas-Peucker; one pixel of the map on a projector is about 8 km
SMALLEST_ISLAND_KM2 = 150.0  # islands smaller than a pixel or two are left out (a country's largest part stays)

# ISO 3166-1 numeric (world-atlas ids) to alpha-3, for every country in the frame; the build stops on a gap.
ISO3 = {
    "008": "ALB", "012": "DZA", "020": "AND", "031": "AZE", "040": "AUT", "051": "ARM", "056": "BEL",
    "070": "BIH", "100": "BGR", "112": "BLR", "191": "HRV", "196": "CYP", "203": "CZE", "208": "DNK",
    "233": "EST", "234": "FRO", "246": "FIN", "248": "ALA", "250": "FRA", "268": "GEO", "276": "DEU",
    "292": "GIB", "300": "GRC", "304": "GRL", "336": "VAT", "348": "HUN", "352": "ISL", "364": "IRN",
    "368": "IRQ", "372": "IRL", "376": "ISR", "380": "ITA", "398": "KAZ", "400": "JOR", "422": "LBN",
    "428": "LVA", "434": "LBY", "438": "LIE", "440": "LTU", "442": "LUX", "470": "MLT", "492": "MCO",
    "498": "MDA", "499": "MNE", "504": "MAR", "528": "NLD", "578": "NOR", "616": "POL", "620": "PRT",
    "642": "ROU", "643": "RUS", "674": "SMR", "688": "SRB", "703": "SVK", "705": "SVN", "724": "ESP",
    "752": "SWE", "756": "CHE", "760": "SYR", "788": "TUN", "792": "TUR", "795": "TKM", "804": "UKR",
    "807": "MKD", "818": "EGY", "826": "GBR", "831": "GGY", "832": "JEY", "833": "IMN", "860": "UZB",
    "275": "PSE", "004": "AFG", "744": "SJM",
}
# No ISO numeric code: XKX is the code the EU and IMF use for Kosovo; CYN is Natural Earth's own.
ISO3_BY_NAME = {"Kosovo": "XKX", "N. Cyprus": "CYN"}
# Shorter English names than Natural Earth's where the map labels them.
NAMES = {"Bosnia and Herz.": "Bosnia and Herzegovina", "Macedonia": "North Macedonia",
         "Turkey": "Türkiye", "N. Cyprus": "Northern Cyprus"}


# Parts that Natural Earth gives to the state that controls them, moved to the state that the UN General
# Assembly recognises: (Natural Earth's owner, a point inside the part (lon, lat), recognised state, territory).
REASSIGNED = [("RUS", (34.1, 45.3), "UKR", "crimea")]
MERGED = {"CYN": "CYP"}  # Northern Cyprus: recognised only by Türkiye (UN Security Council resolution 541)

# What the map shows for every area in its frame whose status is disputed, and why. "marked_from": the map
# hatches the area from that year on; "polygons" are filled in for the territories of REASSIGNED.
TERRITORIES = [
    {"id": "crimea", "name": "Crimea", "shown_as": "UKR", "controlled_by": "RUS", "marked_from": 2014,
     "note": "Shown as part of Ukraine, as it was from Ukraine's independence in 1991 (and part of the Ukrainian "
             "SSR from 1954). Russia annexed it in March 2014; UN General Assembly resolution 68/262 "
             "(27 March 2014) declared the referendum that preceded it invalid and called on states not to "
             "recognise the change. The map hatches it from 2014. Natural Earth's default outline gives it to "
             "Russia (the line of control).",
     "source_ids": ["un_press_ga11493", "natural_earth"]},
    {"id": "occupied_2022", "name": "Donetsk, Luhansk, Zaporizhzhia and Kherson regions", "shown_as": "UKR",
     "controlled_by": "RUS (in part)", "marked_from": None,
     "note": "Shown as part of Ukraine. Russia has occupied parts of them since 2014 (Donetsk, Luhansk) and 2022, "
             "and proclaimed their annexation on 30 September 2022; UN General Assembly resolution ES-11/4 "
             "(12 October 2022) calls the attempted annexation invalid. The front line moves and the course has no "
             "sourced outline of it, so the map does not draw it; the summary sentence says so.",
     "source_ids": ["unga_es_11_4"]},
    {"id": "transnistria", "name": "Transnistria", "shown_as": "MDA", "controlled_by": "separatist authorities",
     "marked_from": None,
     "note": "Shown as part of Moldova, as Natural Earth and every UN member state do; it broke away in 1990-92 and "
             "Russian troops remain there. Not hatched: the course's record does not deal with it.",
     "source_ids": ["osce_mission_moldova"]},
    {"id": "abkhazia_south_ossetia", "name": "Abkhazia and South Ossetia", "shown_as": "GEO",
     "controlled_by": "separatist authorities backed by Russia", "marked_from": None,
     "note": "Shown as part of Georgia. Russia recognised both as independent on 26 August 2008, after the war "
             "with Georgia; almost all other states, and UN Security Council resolution 1808 (April 2008), "
             "uphold Georgia's territorial integrity. Not hatched: they lie at the edge of the map.",
     "source_ids": ["unsc_res_1808"]},
    {"id": "kosovo", "name": "Kosovo", "shown_as": "XKX", "controlled_by": "XKX", "marked_from": None,
     "note": "Outlined as Natural Earth draws it. Kosovo declared independence from Serbia on 17 February 2008; "
             "most NATO and EU members recognise it, while Serbia, Russia, China and five EU members do not. The "
             "International Court of Justice found in 2010 that the declaration did not violate international law.",
     "source_ids": ["icj_kosovo_advisory_2010"]},
    {"id": "northern_cyprus", "name": "Northern Cyprus", "shown_as": "CYP", "controlled_by": "Turkish Cypriot "
     "authorities", "marked_from": None,
     "note": "Shown as part of Cyprus. Only Türkiye recognises the 'Turkish Republic of Northern Cyprus' "
             "(declared 1983); UN Security Council resolution 541 (1983) calls the declaration legally invalid. "
             "Natural Earth draws it as a country of its own.",
     "source_ids": ["unsc_res_541"]},
    {"id": "kaliningrad", "name": "Kaliningrad region", "shown_as": "RUS", "controlled_by": "RUS",
     "marked_from": None,
     "note": "Part of Russia, not disputed between states: the former northern East Prussia, Soviet since 1945 "
             "(Potsdam Agreement) and Russian since 1991. Its land borders with Poland and Lithuania count in "
             "the course's figures for NATO's border with Russia.",
     "source_ids": ["natural_earth"]},
]


def recognised_borders(countries: list[dict]) -> tuple[list[dict], list[dict]]:
    """Move each part of REASSIGNED and MERGED to the recognised state; the territories with their parts."""
    by_iso3 = {c["iso3"]: c for c in countries}
    territories = [dict(t, polygons=[]) for t in TERRITORIES]
    for owner, (lon, lat), state, territory in REASSIGNED:
        point = np.array(project(lon, lat)).ravel()
        inside = [p for p in by_iso3[owner]["polygons"] if contains(np.array(p), point)]
        if len(inside) != 1:
            sys.exit(f"{territory}: expected one part of {owner} around {lon}° E {lat}° N, found {len(inside)}")
        by_iso3[owner]["polygons"].remove(inside[0])
        by_iso3[state]["polygons"].append(inside[0])
        next(t for t in territories if t["id"] == territory)["polygons"].append(inside[0])
    for part, state in MERGED.items():
        by_iso3[state]["polygons"] += by_iso3.pop(part)["polygons"]
    return [c for c in countries if c["iso3"] in by_iso3], territories


def contains(ring: np.ndarray, point: np.ndarray) -> bool:
    """Whether point lies inside ring (ray casting)."""
    x, y = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    crosses = (y > point[1]) != (y2 > point[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x + (point[1] - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (point[0] < at)) % 2)


def fetch_package(folder: Path) -> Path:
    """Download the npm package into folder (npm checks its integrity) and return the tarball."""
    run = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=folder, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"npm pack {PACKAGE} failed:\n{run.stderr}")
    return folder / run.stdout.strip().splitlines()[-1]


def read_topology(tarball: Path) -> tuple[dict, str]:
    """The TopoJSON inside the package, and the SHA-256 of its bytes (to record what was used)."""
    with tarfile.open(tarball) as archive:
        raw = archive.extractfile(TOPOJSON).read()
    return json.loads(raw), hashlib.sha256(raw).hexdigest()


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Every arc as (lon, lat) rows: undo the delta encoding, then the quantization."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def exterior_rings(geometry: dict) -> list[list[int]]:
    """The arc indices of each polygon's outer ring (holes are dropped, see the module's docstring)."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["arcs"]]
    return []


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker: drop points closer than tolerance to the line kept; both ends always stay."""
    if len(points) < 3:
        return points
    if np.allclose(points[0], points[-1]):  # a closed arc (an island): split it at its farthest point
        far = int(np.argmax(np.hypot(*(points - points[0]).T)))
        if far == 0:
            return points[:1]
        return np.vstack([simplify(points[:far + 1], tolerance)[:-1], simplify(points[far:], tolerance)])
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        direction = end - start
        inner = points[first + 1:last] - start
        length = np.hypot(*direction)
        distance = (np.abs(direction[0] * inner[:, 1] - direction[1] * inner[:, 0]) / length if length
                    else np.hypot(*inner.T))
        worst = int(np.argmax(distance))
        if distance[worst] > tolerance:
            middle = first + 1 + worst
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return points[keep]


def ring_from_arcs(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join a ring's arcs; ~i means arc i backwards, and each arc starts where the previous one ended."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
    return np.vstack([parts[0]] + [part[1:] for part in parts[1:]])


def clip(ring: np.ndarray, box: dict) -> np.ndarray:
    """Sutherland-Hodgman clipping of a polygon to a rectangle (edges along the box are outside the map)."""
    for axis, (low, high) in ((0, box["x"]), (1, box["y"])):
        for bound, inside in ((low, lambda v: v >= low), (high, lambda v: v <= high)):
            if len(ring) == 0:
                return ring
            kept = []
            previous = ring[-1]
            for point in ring:
                if inside(point[axis]):
                    if not inside(previous[axis]):
                        kept.append(_crossing(previous, point, axis, bound))
                    kept.append(point)
                elif inside(previous[axis]):
                    kept.append(_crossing(previous, point, axis, bound))
                previous = point
            ring = np.array(kept).reshape(-1, 2)
    return ring


def _crossing(a: np.ndarray, b: np.ndarray, axis: int, bound: float) -> np.ndarray:
    t = (bound - a[axis]) / (b[axis] - a[axis])
    return a + t * (b - a)


def area_km2(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2


def in_frame(lonlat: np.ndarray) -> bool:
    lon, lat = lonlat.T
    return bool(np.any((lon >= FRAME["lon"][0]) & (lon <= FRAME["lon"][1])
                       & (lat >= FRAME["lat"][0]) & (lat <= FRAME["lat"][1])))


def build(topology: dict) -> list[dict]:
    """The countries of the frame, projected, simplified, clipped and rounded, largest first."""
    arcs_lonlat = decode_arcs(topology)
    chosen = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = exterior_rings(geometry)
        if rings and any(in_frame(ring_from_arcs(r, arcs_lonlat)) for r in rings):
            chosen.append((geometry, rings))
    used = {i if i >= 0 else ~i for _, rings in chosen for ring in rings for i in ring}
    # project and simplify each shared arc once, so both neighbours get the same border
    arcs = {}
    for i in used:
        x, y = project(*arcs_lonlat[i].T)
        arcs[i] = simplify(np.column_stack([x, y]), TOLERANCE_KM)
    arcs_list = [arcs.get(i) for i in range(len(arcs_lonlat))]

    countries = []
    for geometry, rings in chosen:
        name = geometry["properties"]["name"]
        iso3 = ISO3.get(geometry.get("id")) or ISO3_BY_NAME.get(name)
        if iso3 is None:
            sys.exit(f'{name} (ISO numeric {geometry.get("id")}) is in the frame but not in the ISO3 table; add it')
        polygons = []
        for ring in rings:
            clipped = clip(ring_from_arcs(ring, arcs_list), CLIP_KM)
            if len(clipped) >= 3:
                polygons.append(np.round(clipped).astype(int))
        polygons = [_without_repeats(p) for p in polygons]
        polygons = sorted((p for p in polygons if len(p) >= 3), key=area_km2, reverse=True)
        if not polygons:
            continue  # in the lon/lat frame, but outside the map's rectangle
        polygons = polygons[:1] + [p for p in polygons[1:] if area_km2(p) >= SMALLEST_ISLAND_KM2]
        countries.append({"iso3": iso3, "name": NAMES.get(name, name), "polygons": [p.tolist() for p in polygons]})
    return sorted(countries, key=lambda c: -sum(area_km2(np.array(p)) for p in c["polygons"]))


def _without_repeats(ring: np.ndarray) -> np.ndarray:
    """Drop points equal to the one before (rounding makes some); the ring stays open (last != first)."""
    keep = np.any(ring != np.roll(ring, 1, axis=0), axis=1)
    return ring[keep]


def write(countries: list[dict], territories: list[dict], digest: str, path: Path) -> None:
    """One country per line, so a rebuild shows up in git as changed countries."""
    source = {
        "name": "Natural Earth, Admin 0 - Countries, 1:50m cultural vectors",
        "version": f"Natural Earth {NATURAL_EARTH_VERSION}, from the npm package {PACKAGE} ({TOPOJSON}, "
                   f"sha256 {digest})",
        "url": "https://www.naturalearthdata.com/",
        "licence": "public domain",
        "source_id": "natural_earth",
        "rebuild": "python tools/build_outlines.py",
        "notes": "Internationally recognised borders: Natural Earth's outlines with the changes listed under "
                 "territories (Crimea to Ukraine, Northern Cyprus to Cyprus). Outer rings only (no holes); "
                 f"simplified to {TOLERANCE_KM} km, rounded to whole kilometres, clipped to the map's rectangle.",
    }
    projection = dict(PROJECTION, clip_km=CLIP_KM)
    lines = ["{", f'"source": {json.dumps(source, ensure_ascii=False)},',
             f'"projection": {json.dumps(projection)},', '"countries": [']
    rows = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in countries]
    lines += [row + "," for row in rows[:-1]] + rows[-1:] + ["],", '"territories": [']
    rows = [json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in territories]
    lines += [row + "," for row in rows[:-1]] + rows[-1:] + ["]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help=f"the {PACKAGE} tarball, if already downloaded")
    parser.add_argument("--output", type=Path, default=OUTLINES_FILE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tarball = args.package or fetch_package(Path(scratch))
        topology, digest = read_topology(tarball)
    countries, territories = recognised_borders(build(topology))
    write(countries, territories, digest, args.output)
    points = sum(len(p) for c in countries for p in c["polygons"])
    print(f"{args.output}: {len(countries)} countries, {points} points, {args.output.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
