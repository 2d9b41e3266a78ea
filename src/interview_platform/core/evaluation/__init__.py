"""Evaluation: scoring a finished interview into a report with an improvement plan."""
