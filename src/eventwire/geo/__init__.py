"""The geo stage (see docs/architecture.md)."""
