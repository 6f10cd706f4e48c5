"""A small registry of implementations with versioned names (``coder.v1``, ``gazetteer.v1``).

A released name never changes behaviour: a better implementation gets a new version beside it.
Built-in implementations register themselves through the same decorator third parties use.

Third-party plug-ins: on the first lookup (:func:`get` or :func:`names`) every entry point of the
group ``eventwire.plugins`` is imported once; importing it runs its ``@register`` calls. A plug-in
that fails to import is a :class:`ConfigError` naming it, raised on every lookup (never skipped
in silence). See docs/architecture.md, "Plug-ins".
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from typing import Any

from .errors import ConfigError

PLUGIN_GROUP = "eventwire.plugins"

_REGISTRIES: dict[str, dict[str, Callable[..., Any]]] = {}
_plugins_loaded = False
_plugin_error: ConfigError | None = None


def register(kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(factory: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRIES.setdefault(kind, {})[name] = factory
        return factory

    return deco


def load_plugins() -> None:
    """Import every ``eventwire.plugins`` entry point, once per process."""
    global _plugins_loaded, _plugin_error
    if _plugins_loaded:
        if _plugin_error is not None:
            raise _plugin_error
        return
    _plugins_loaded = True  # before importing: a plug-in that looks names up does not recurse
    for ep in sorted(metadata.entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        try:
            ep.load()
        except Exception as exc:
            dist = getattr(ep.dist, "name", None) or "?"
            _plugin_error = ConfigError(f"plug-in {ep.name!r} ({ep.value}, distribution {dist}) failed to load: "
                                        f"{type(exc).__name__}: {exc}")
            raise _plugin_error from exc


def get(kind: str, name: str) -> Callable[..., Any]:
    load_plugins()
    try:
        return _REGISTRIES[kind][name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRIES.get(kind, {}))) or "none"
        raise ConfigError(f"no {kind} named {name!r}; known: {known}") from None


def names(kind: str) -> list[str]:
    load_plugins()
    return sorted(_REGISTRIES.get(kind, {}))
