"""The cluster stage (see docs/architecture.md)."""
