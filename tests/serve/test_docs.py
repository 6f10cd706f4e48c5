"""docs/api.md names every API endpoint (a route added without docs fails here)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_endpoint_is_documented(tmp_path: Path) -> None:
    from eventwire.config import load_settings
    from eventwire.serve import create_app

    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    app = create_app(load_settings(db=f"sqlite:///{tmp_path / 'docs.db'}"))
    missing = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if not path.startswith("/api"):
            continue
        for method in sorted(getattr(route, "methods", set()) - {"HEAD"}):
            if f"`{method} {path.replace(':path', '')}`" not in doc:
                missing.append(f"{method} {path}")
    assert missing == [], f"add these to docs/api.md: {missing}"


def test_every_export_format_is_documented() -> None:
    """The API's `format` choices are the registered exporters; docs/api.md names each one."""
    from eventwire import export, registry

    assert export  # registers the built-in exporters
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [f for f in registry.names("exporter") if f"`{f}`" not in doc]
    assert missing == [], f"add these export formats to docs/api.md (GET /api/events, format): {missing}"
