"""The events stage: (Article, Analysis, places) → PLOVER/ACLED/CAMEO-coded events.

Coders are found through the registry under versioned names: ``learned.v1`` (the default: a
trained sentence classifier decides event / no event and the types, the parse gives roles and
evidence) and ``rules.v1`` (a trigger-lexicon + dependency-pattern coder, kept for comparison).
A coder is chosen with ``get_coder(name)`` (setting ``coder``). See docs/events.md.
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


DEFAULT_CODER = "learned.v1"


def get_coder(name: str = DEFAULT_CODER, kb: Any = None, geocoder: Any = None, model: str | None = None) -> Coder:
    """The coder registered as ``name``, built with the actor knowledge base and the geocoder
    (both optional: without a KB actors keep the nlp stage's resolution; without a geocoder the
    place is chosen among ``places`` by trigger → paragraph → article). ``model`` is the path of
    a trained model for coders that have one (``eventwire train`` writes it)."""
    from . import learned, rules  # noqa: F401 - register the built-in coders

    options = {"model": model} if model else {}
    return registry.get("coder", name)(kb=kb, geocoder=geocoder, **options)  # type: ignore[no-any-return]


def coder_names() -> list[str]:
    from . import learned, rules  # noqa: F401 - register the built-in coders

    return registry.names("coder")


__all__ = ["Coder", "get_coder", "coder_names", "DEFAULT_CODER"]
