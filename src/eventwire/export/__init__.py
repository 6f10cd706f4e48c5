"""The export stage (see docs/architecture.md)."""
