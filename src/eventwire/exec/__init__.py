"""The exec stage (see docs/architecture.md)."""
