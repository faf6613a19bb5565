"""Geography: great-circle distances (and, later, the map outlines of Europe).

>>> round(great_circle_km(55.75222, 37.61556, 59.9127, 10.7461))   # Moscow to Oslo
1644
"""
from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), the usual figure for great-circle distances

# GeoNames record 524901 (source_id geonames_gazetteer), as for the capitals in data/members.csv
MOSCOW = {"name": "Moscow", "lat": 55.75222, "lon": 37.61556}


def great_circle_km(lat1, lon1, lat2, lon2):
    """Distance along the Earth's surface (haversine formula, spherical Earth), in kilometres.

    Works on single numbers or on arrays of them.
    """
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    half_chord = (np.sin((lat2 - lat1) / 2) ** 2
                  + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(half_chord))
