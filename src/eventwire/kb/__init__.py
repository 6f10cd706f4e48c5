"""The kb stage (see docs/architecture.md)."""
