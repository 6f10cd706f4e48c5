"""A small registry of implementations with versioned names (``coder.v1``, ``gazetteer.v1``).

A released name never changes behaviour: a better implementation gets a new version beside it.
Built-in implementations register themselves through the same decorator third parties use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import ConfigError

_REGISTRIES: dict[str, dict[str, Callable[..., Any]]] = {}


def register(kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(factory: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRIES.setdefault(kind, {})[name] = factory
        return factory

    return deco


def get(kind: str, name: str) -> Callable[..., Any]:
    try:
        return _REGISTRIES[kind][name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRIES.get(kind, {}))) or "none"
        raise ConfigError(f"no {kind} named {name!r}; known: {known}") from None


def names(kind: str) -> list[str]:
    return sorted(_REGISTRIES.get(kind, {}))
