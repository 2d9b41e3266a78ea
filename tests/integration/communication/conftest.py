"""The app's services on an in-memory store and a temporary data directory, for the
communication tests (a module may define its own `app`, as the whiteboard handler's does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.storage.memory_store import InMemoryDataStore


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Services]:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    services = bootstrap(
        settings, data_store=InMemoryDataStore(), migrate=False, console_logs=False
    )
    yield services
    services.close()
