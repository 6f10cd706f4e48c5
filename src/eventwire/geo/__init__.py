"""The geo stage (see docs/architecture.md and docs/geo.md): (Article, Analysis) → places.

``Geocoder.load(settings)`` loads the compact GeoNames index (built once from installed data
packages and cached, see :mod:`.index`); ``.places(article, analysis)`` recognises and resolves
toponyms; ``.locate(...)`` picks an event's place for the events stage.
"""

from __future__ import annotations

from ..registry import register
from .geocoder import PLACE_LABELS, Geocoder

register("gazetteer", "geonames.v1")(Geocoder.load)

__all__ = ["Geocoder", "PLACE_LABELS"]
