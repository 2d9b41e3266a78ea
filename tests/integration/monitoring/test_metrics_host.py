"""The app's metrics listen where the app does: `interview-platform run --host H` serves
/metrics on H, never on every interface."""

from __future__ import annotations

from pathlib import Path

from interview_platform.config import Settings
from interview_platform.ui.context import prebuild
from tests.unit.monitoring.test_metrics import free_port, listening_addresses


def test_the_app_serves_its_metrics_on_its_own_host(tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        enable_metrics=True,
        metrics_port=port,
    )
    app = prebuild(settings, host="127.0.0.1")
    try:
        assert listening_addresses(port) == {"127.0.0.1"}
    finally:
        app.close()
