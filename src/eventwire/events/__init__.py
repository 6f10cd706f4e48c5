"""The events stage: (Article, Analysis, places) → PLOVER/ACLED/CAMEO-coded events.

Coders are found through the registry under versioned names (``rules.v1`` is the built-in one, a
trigger-lexicon + dependency-pattern coder); a better coder is registered beside it under a new
name and chosen with ``get_coder(name)``. See docs/events.md.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from .. import registry
from ..records import Analysis, Article, Event, Place


@runtime_checkable
class Coder(Protocol):
    """What every event coder offers."""

    def code(
        self, article: Article, analysis: Analysis, places: tuple[Place, ...] = ()
    ) -> tuple[Event, ...]: ...


def get_coder(name: str = "rules.v1", kb: Any = None, geocoder: Any = None) -> Coder:
    """The coder registered as ``name``, built with the actor knowledge base and the geocoder
    (both optional: without a KB actors keep the nlp stage's resolution; without a geocoder the
    place is chosen among ``places`` by trigger → paragraph → article)."""
    from . import rules  # noqa: F401 - registers the built-in coders

    return registry.get("coder", name)(kb=kb, geocoder=geocoder)  # type: ignore[no-any-return]


__all__ = ["Coder", "get_coder"]
