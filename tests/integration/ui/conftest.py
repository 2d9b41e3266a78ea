"""The app under Streamlit's AppTest, on a fresh SQLite file and data folder per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.ui.context import services

APP = Path(__file__).resolve().parents[3] / "src" / "interview_platform" / "ui" / "app.py"


@pytest.fixture
def app_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """The services the app will use: embedded defaults in a temporary folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LOG_TO_FILE", "false")
    for name in ("DATABASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DEFAULT_USER_ID"):
        monkeypatch.delenv(name, raising=False)
    services.clear()
    yield services()
    services().close()
    services.clear()


@pytest.fixture
def app_test(app_services: Services) -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60)


def finish_queued_work(at: AppTest, app: Services) -> AppTest:
    """Wait until the worker pool is idle, then draw the page again: what the waiting line's
    rerun does in a browser once the evaluation, transcription or snapshot is done."""
    assert app.work_queue.wait_until_idle(60)
    return at.run()
