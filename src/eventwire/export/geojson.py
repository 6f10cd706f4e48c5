"""GeoJSON (RFC 7946): one FeatureCollection, streamed feature by feature.

Each located event is a Point feature at ``[lon, lat]`` (WGS 84) with the flat columns as
properties; events without coordinates are left out (a map cannot show them; the CSV has them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from .fields import dumps, flat


def write(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    out.write('{"type":"FeatureCollection","features":[\n')
    n = 0
    for ev in events:
        props = flat(ev)
        lat, lon = props.pop("lat"), props.pop("lon")
        if lat is None or lon is None:
            continue
        feat = {"type": "Feature", "id": ev["id"],
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": props}
        out.write((",\n" if n else "") + dumps(feat))
        n += 1
    out.write("\n]}\n")
    return n
