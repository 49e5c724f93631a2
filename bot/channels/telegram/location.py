"""A shared location, turned into its region before the update is stored or read.

The coordinates say where a person is hiding or living: they are dropped from the update at
once and only the region id goes on (as the message's `qamqor_region` field, which aiogram
keeps as an extra field), so that nothing stores, logs or transcribes the point.
"""

from __future__ import annotations

import math
from typing import Any

from dialogues.geo import region_at

REGION_FIELD = "qamqor_region"  # the region id, "" for a point outside Kazakhstan
_CARRIERS = ("message", "edited_message")  # a live location is edited into the message


def drop_location(update: dict[str, Any]) -> None:
    """Replace a message's location (or venue) by its region, in place."""
    for key in _CARRIERS:
        message = update.get(key)
        if not isinstance(message, dict):
            continue
        venue = message.pop("venue", None)
        point = message.pop("location", None)
        if point is None and isinstance(venue, dict):
            point = venue.get("location")
        if point is not None:
            message[REGION_FIELD] = _region(point) or ""


def _region(point: Any) -> str | None:
    if not isinstance(point, dict):
        return None
    try:
        lat, lon = float(point["latitude"]), float(point["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return region_at(lat, lon)
