"""The `interview-platform` command."""

from interview_platform.cli.main import main

__all__ = ["main"]
