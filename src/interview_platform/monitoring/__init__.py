"""Logging, token tracking and metrics."""
