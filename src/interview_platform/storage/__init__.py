"""Persistence: the data-store interface, its implementations and file storage."""
