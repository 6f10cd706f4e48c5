"""The nlp stage (see docs/architecture.md)."""
