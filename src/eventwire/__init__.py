"""eventwire: raw security and defence news in; analyst-grade event data out."""

__version__ = "0.1.0"
