"""A shared location to its region, offline: the nearest of the reference places.

The places are data (dialogues/data/places.csv, with their sources); a point is never sent
anywhere and never kept. Nearest-place is coarse near a border between two regions, which
is why the person can always pick another region.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PLACES_FILE = Path(__file__).with_name("data") / "places.csv"
ABROAD = "abroad"  # a neighbouring country's place: a point nearest to it is not in Kazakhstan
MAX_KM = 150.0  # farther than this from every place: not in Kazakhstan
# Kazakhstan lies within these (lat, lon) bounds, with a margin; anything outside is not.
_SOUTH, _NORTH, _WEST, _EAST = 40.0, 56.0, 46.0, 88.0
_EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Place:
    region: str
    name: str
    lat: float
    lon: float
    within_km: float | None  # a city: this close to its centre is the city itself


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(h))


def load_places(path: Path = PLACES_FILE) -> tuple[Place, ...]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return tuple(
        Place(
            row["region"],
            row["name"],
            float(row["lat"]),
            float(row["lon"]),
            float(row["within_km"]) if row["within_km"] else None,
        )
        for row in csv.DictReader(lines)
    )


@lru_cache(maxsize=1)
def default_places() -> tuple[Place, ...]:
    return load_places()


def region_at(lat: float, lon: float, places: tuple[Place, ...] | None = None) -> str | None:
    """The region id of a point in Kazakhstan, or None when it is outside (or not a point)."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (_SOUTH <= lat <= _NORTH and _WEST <= lon <= _EAST):
        return None
    known = places if places is not None else default_places()
    best: tuple[float, Place] | None = None
    for place in known:
        km = distance_km(lat, lon, place.lat, place.lon)
        if place.within_km is not None and km <= place.within_km:
            return place.region
        if best is None or km < best[0]:
            best = (km, place)
    if best is None or best[0] > MAX_KM or best[1].region == ABROAD:
        return None
    return best[1].region
