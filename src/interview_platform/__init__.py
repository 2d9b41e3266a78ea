"""AI mock-interview platform for system design interviews."""

__version__ = "0.1.0"
